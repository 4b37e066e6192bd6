"""Markdown, streamed like plain text, reporting the text of the link a mention belongs to.

A mention that is the target of an inline link (``[text](URL)``, ``[text](<URL>)``) or of an
HTML anchor written in the Markdown (``<a href="URL">text</a>``) reports the link's text.
A mention inside a link's text reports that text too, unless the link's own target names the
same paper: then the two are one occurrence, reported once at the target (which takes the
version from the text when the target has none). Autolinks, bare URLs and reference
definitions (``[label]: URL``) report the words around them. Links whose text spans a
block boundary lose their text and report the words around them instead.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator

from curator import ids
from curator.extract.context import LineCounter, found, normalize_space, words_around
from curator.extract.text import blocks
from curator.models import Found

_LABEL_MAX = 1000
_INLINE_MARKUP = re.compile(r"!?\[([^\]]*)\]\([^)]*\)|<[^>]*>|[*`]")


def extract(pieces: Iterable[str], *, source: str, bare: bool = False) -> Iterator[Found]:
    """Yield the identifiers in a Markdown document, with their link text or nearby words."""
    for block in blocks(pieces):
        text = block.text
        lines = LineCounter(text, first_line=block.first_line, first_column=block.first_column)
        matches = list(ids.find(text, bare=bare))
        labels = [_link_label(text, match.start) for match in matches]
        repeats, versions = _repeated_in_link_text(matches, labels)
        for index, match in enumerate(matches):
            if index in repeats:
                continue
            label = labels[index] or _label_around(text, match)
            link_text = _plain(text[label[0] : label[1]]) if label else ""
            yield found(
                match,
                source=source,
                position=lines.position(match.start),
                text=link_text or words_around(text, match.start, match.end),
                version=versions.get(index),
            )


def _repeated_in_link_text(
    matches: list[ids.IdMatch], labels: list[tuple[int, int] | None]
) -> tuple[set[int], dict[int, int]]:
    """Find the mentions that repeat their link's target in its text.

    Return their indexes, and the versions they give to targets that name none. The text of a
    Markdown link comes just before its target; the text of an HTML anchor just after.
    """
    repeats: set[int] = set()
    versions: dict[int, int] = {}
    for target, label in enumerate(labels):
        if label is None:
            continue
        for neighbour in (target - 1, target + 1):
            if 0 <= neighbour < len(matches):
                mention = matches[neighbour]
                if (
                    label[0] <= mention.start
                    and mention.end <= label[1]
                    and mention.id.canonical == matches[target].id.canonical
                ):
                    repeats.add(neighbour)
                    if mention.id.version is not None:
                        versions[target] = mention.id.version
    return repeats, versions


def _link_label(text: str, start: int) -> tuple[int, int] | None:
    """Return the span of the text of the link whose target starts at ``start``, if any."""
    before = text[max(0, start - 6) : start]
    if before.endswith("]("):
        return _label_before(text, start - 2)
    if before.endswith("](<"):
        return _label_before(text, start - 3)
    if before in ('href="', "href='"):
        opened = text.find(">", start, start + _LABEL_MAX)
        closed = text.find("</a>", opened, opened + _LABEL_MAX) if opened >= 0 else -1
        if closed >= 0:
            return opened + 1, closed
    return None


def _label_around(text: str, match: ids.IdMatch) -> tuple[int, int] | None:
    """Return the span of the text of the link a mention is written in, if any."""
    opened = text.rfind("[", max(0, match.start - _LABEL_MAX), match.start)
    closed = text.find("](", match.end, match.end + _LABEL_MAX)
    if (
        opened < 0
        or closed < 0
        or "]" in text[opened : match.start]
        or "[" in text[match.end : closed]
    ):
        return None
    return opened + 1, closed


def _label_before(text: str, closing: int) -> tuple[int, int] | None:
    """Return the span of a link's text, given the offset of the ``]`` that ends it."""
    floor = max(0, closing - _LABEL_MAX)
    opening, unclosed = closing, 1
    while unclosed:  # brackets nest when a link's text is an image: [![alt](src)](target)
        inner = opening
        opening = text.rfind("[", floor, inner)
        if opening < 0:
            return None
        unclosed += text.count("]", opening + 1, inner) - 1
    return opening + 1, closing


@functools.lru_cache(maxsize=1024)
def _plain(label: str) -> str:
    """Return a link's text without Markdown or HTML markup, white space normalised."""
    return normalize_space(_INLINE_MARKUP.sub(lambda markup: markup[1] or "", label))
