"""Read an awesome-list README: its title, its sections, and the papers listed under them.

The nearest heading above a paper is its section (the document's only top-level
heading is its title, not a section). Each list item or paragraph that links to
papers gives each of them a note: the item's text without the paper links,
images and HTML, other links reduced to their text, separators trimmed. Text in
fenced code blocks is skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from curator import ids
from curator.extract.context import normalize_space


@dataclass(frozen=True, slots=True)
class Listed:
    """A paper as an awesome list shows it."""

    id: str
    """The canonical arXiv identifier."""
    section: str | None
    note: str | None
    line: int
    """1-based line of the item that lists it."""
    column: int
    version: int | None = None
    """The version its link named, if any."""


@dataclass(frozen=True, slots=True)
class Outline:
    """What an awesome list says: its title, its sections in order, and its papers."""

    title: str | None
    sections: tuple[str, ...]
    """The sections that list papers, in document order."""
    papers: tuple[Listed, ...]
    """Each paper once, where it is first listed."""


def read(text: str) -> Outline:
    """Return the title, sections and papers of the awesome-list Markdown ``text``."""
    blocks = list(_blocks(text.splitlines()))
    top = [heading for level, heading, _, _ in blocks if level == 1]
    title = top[0] if len(top) == 1 else None
    section: str | None = None
    sections: list[str] = []
    papers: dict[str, Listed] = {}
    for level, heading, body, first_line in blocks:
        if level:
            section = None if (level == 1 and title is not None) else heading
            continue
        for match in ids.find(body):
            identifier = match.id.canonical
            if identifier in papers:
                continue
            line = first_line + body.count("\n", 0, match.start)
            column = match.start - (body.rfind("\n", 0, match.start) + 1) + 1
            note = _note(body)
            papers[identifier] = Listed(identifier, section, note, line, column, match.id.version)
            if section is not None and section not in sections:
                sections.append(section)
    return Outline(title, tuple(sections), tuple(papers.values()))


_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_HEADING = re.compile(r" {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
_ITEM = re.compile(r" {0,3}(?:[-*+]|\d{1,9}[.)])[ \t]+")


def _blocks(lines: list[str]) -> Iterator[tuple[int, str, str, int]]:
    """Yield (heading level, heading, body, first line) for headings, list items and paragraphs.

    Headings have a level of 1 to 6 and no body; items and paragraphs have level 0.
    """
    fence: str | None = None
    body: list[str] = []
    start = 0

    def flush() -> Iterator[tuple[int, str, str, int]]:
        if body:
            yield 0, "", "\n".join(body), start
            body.clear()

    for number, line in enumerate(lines, start=1):
        opened = _FENCE.match(line)
        if fence is not None:
            if opened and opened[1][0] == fence[0] and len(opened[1]) >= len(fence):
                fence = None
            continue
        if opened:
            yield from flush()
            fence = opened[1]
            continue
        heading = _HEADING.match(line)
        if heading:
            yield from flush()
            yield len(heading[1]), _plain(heading[2]), "", number
        elif not line.strip():
            yield from flush()
        else:
            if _ITEM.match(line):
                yield from flush()
            if not body:
                start = number
            body.append(line)
    yield from flush()


_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\[\]]*)\]\(([^)]*)\)")
_BRACKETED = re.compile(r"\[([^\[\]]*)\](?!\()")
_HTML = re.compile(r"<[^>]*>")
_MARKUP = re.compile(r"[*_`]{1,3}")
_EMPTY_BRACKETS = re.compile(r"\[\s*\]|\(\s*\)")
_ITEM_START = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s+")
_EDGES = " \t-\u2013\u2014:|,;\u00b7\u2022"  # spaces, dashes, colons, bars, dots


def _note(body: str) -> str | None:
    """Return what an item says besides its paper links, as plain text; None when nothing."""
    text = _ITEM_START.sub("", body)
    text = _IMAGE.sub("", text)
    text = _LINK.sub(lambda link: "" if _names_paper(link[2]) else link[1], text)
    text = _strip_paper_mentions(text)
    text = _HTML.sub("", text)
    text = _MARKUP.sub("", text)
    text = _EMPTY_BRACKETS.sub("", text)  # what "[[paper](URL)]" leaves
    text = _BRACKETED.sub(r"\1", text)  # "[[code](URL)]" leaves "[code]"
    note = normalize_space(text).strip(_EDGES)
    return note or None


def _names_paper(target: str) -> bool:
    return next(ids.find(target), None) is not None


def _strip_paper_mentions(text: str) -> str:
    matches = list(ids.find(text))
    for match in reversed(matches):
        text = text[: match.start] + text[match.end :]
    return text


def _plain(heading: str) -> str:
    return normalize_space(_MARKUP.sub("", _LINK.sub(r"\1", _HTML.sub("", heading))))
