"""HTML pages: link targets (``href``) and text, with entities decoded by the parser.

A mention in an ``href`` reports the anchor's text; a mention of the same paper in that
text is the same occurrence, not another. Comments, scripts and style sheets are not text.
Positions come from the parser for tags; a mention is then looked up in the source, from its
tag for an ``href``, from the end of the previous tag or mention for text, and gets its own
line and column. If the source wrote its start with entities (``arXiv&#58;``), it gets the
position where the search started instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from bs4 import BeautifulSoup
from bs4.element import NavigableString, PreformattedString, Script, Stylesheet, Tag

from curator import ids
from curator.extract.context import LineIndex, found, normalize_space, words_around
from curator.models import Found

_LINK_TAGS = frozenset({"a", "area", "link"})
_ESCAPED = re.compile("[&<>\"']")
_NOT_TEXT = (PreformattedString, Script, Stylesheet)  # comments, doctype, scripts, styles


def extract(document: str, *, source: str, bare: bool = False) -> Iterator[Found]:
    """Yield the identifiers in the links and text of an HTML page, in document order."""
    lines = LineIndex(document)
    linked: dict[int, set[str]] = {}
    cursor = 0  # where the next text can start in the source: after the last tag or mention
    for node in BeautifulSoup(document, "html.parser").descendants:
        if isinstance(node, Tag):
            tag_start = cursor
            if node.sourceline is not None and node.sourcepos is not None:
                tag_start = lines.offset(node.sourceline, node.sourcepos)
            cursor = max(cursor, document.find(">", tag_start) + 1)
            href = node.get("href")
            if node.name not in _LINK_TAGS or not isinstance(href, str):
                continue
            label = normalize_space(node.get_text(" ")) if node.name == "a" else ""
            for match in ids.find(href, bare=bare):
                linked.setdefault(id(node), set()).add(match.id.canonical)
                at = document.find(
                    _unescaped_start(href[match.start : match.end]), tag_start, cursor
                )
                yield found(
                    match,
                    source=source,
                    position=lines.position(tag_start if at < 0 else at),
                    text=label or words_around(href, match.start, match.end),
                )
        elif isinstance(node, NavigableString) and not isinstance(node, _NOT_TEXT):
            anchor = node.find_parent("a")
            repeated = linked.get(id(anchor), set()) if anchor is not None else set()
            for match in ids.find(node, bare=bare):
                if match.id.canonical in repeated:
                    continue
                written = _unescaped_start(node[match.start : match.end])
                # Entities make the source longer than the text, but not unboundedly.
                at = document.find(written, cursor, cursor + 16 * len(node) + 1024)
                if at >= 0:
                    cursor = at + len(written)
                yield found(
                    match,
                    source=source,
                    position=lines.position(at if at >= 0 else cursor),
                    text=normalize_space(anchor.get_text(" "))
                    if anchor is not None
                    else words_around(node, match.start, match.end),
                )


def _unescaped_start(mention: str) -> str:
    """Return the start of a mention up to the first character HTML often writes as an entity.

    ``&`` in a query string is usually written ``&amp;``; the part before it is written as is.
    """
    return _ESCAPED.split(mention, maxsplit=1)[0]
