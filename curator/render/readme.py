"""Keep rendered lists inside marked regions of a README, and show what would change.

A region is the lines between ``<!-- curator:start NAME -->`` and
``<!-- curator:end NAME -->``, each marker alone on its line (indented by at
most three spaces, trailing spaces allowed). Markers inside fenced code blocks
are text, not markers. Splicing rewrites only the region's inside, as one blank
line, the content, one blank line, written with the line ending of the start
marker's line; every other byte of the README is kept.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from dataclasses import dataclass

from curator.errors import MarkerError

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
_MARKER = re.compile(r" {0,3}<!-- curator:(?P<kind>start|end) (?P<name>\S+) -->[ \t]*")
_FENCE_OPEN = re.compile(r" {0,3}(?P<fence>`{3,}(?=[^`]*\Z)|~{3,})")
_ATX = re.compile(r" {0,3}#{1,6}(?:[ \t]+(?P<text>.*?))??(?:[ \t]+#+)?[ \t]*")
_SETEXT = re.compile(r" {0,3}(?:=+|-+)[ \t]*")
# Lines that cannot be the text of a setext heading: list items, quotes, table rows,
# thematic breaks, indented code and blank lines.
_NOT_PARAGRAPH = re.compile(
    r" {0,3}(?:[-*+>|]|\d{1,9}[.)])(?:[ \t]|\Z)"
    r"| {0,3}(?P<rule>[-*_])(?:[ \t]*(?P=rule)){2,}[ \t]*\Z"
    r"| {4}|\s*\Z"
)
_LINK = re.compile(r"!?\[(?P<text>[^\]]*)\]\([^)]*\)")
_TAG = re.compile(r"<[^>]*>")
_ESCAPED = re.compile(r"\\(?P<char>[!-/:-@\[-`{-~])")
_NO_NEWLINE = "\\ No newline at end of file\n"


@dataclass(frozen=True, slots=True)
class _Marker:
    kind: str
    name: str
    index: int
    """0-based index of the marker's line."""

    @property
    def text(self) -> str:
        return marker(self.kind, self.name)

    @property
    def line(self) -> int:
        return self.index + 1


@dataclass(frozen=True, slots=True)
class _Outline:
    """What of a Markdown text's structure matters here, code fences skipped."""

    markers: list[_Marker]
    headings: list[str]
    """The plain text of each ATX or one-line setext heading."""
    open_fence: bool
    """Whether the text ends inside a fenced code block."""


def marker(kind: str, name: str) -> str:
    """Return the ``start`` or ``end`` marker line of the region ``name``, without line ending."""
    return f"<!-- curator:{kind} {name} -->"


def regions(readme: str) -> list[str]:
    """Return the names that markers outside code fences mention, in order of first appearance."""
    return list(dict.fromkeys(found.name for found in _scan(_lines(readme)).markers))


def headings(markdown: str) -> list[str]:
    """Return the plain text of the headings outside code fences, in order."""
    return _scan(_lines(markdown)).headings


def splice(readme: str, name: str, content: str, *, source: str = "README") -> str:
    """Return ``readme`` with the inside of region ``name`` replaced by ``content``.

    Raises MarkerError, naming ``source``, when the region's markers are missing,
    unbalanced, repeated, or interleaved with another region's.
    """
    lines = _lines(readme)
    start, end = _region(_scan(lines).markers, name, source)
    _check_content(content, name)
    # The start marker always has a line ending: its end marker follows it.
    eol = lines[start.index][len(lines[start.index].rstrip("\r\n")) :]
    body = content.strip("\r\n")
    inside = ["", *re.split(r"\r\n|\r|\n", body), ""] if body else [""]
    spliced = [*lines[: start.index + 1], *(line + eol for line in inside), *lines[end.index :]]
    return "".join(spliced)


def diff(old: str, new: str, *, path: str) -> str:
    """Return a unified diff from ``old`` to ``new`` (empty when equal), labelled with ``path``."""
    hunks = difflib.unified_diff(
        _lines(old), _lines(new), fromfile=f"{path} (current)", tofile=f"{path} (rendered)"
    )
    return "".join(
        line if line.endswith(("\n", "\r")) else f"{line}\n{_NO_NEWLINE}" for line in hunks
    )


def _lines(text: str) -> list[str]:
    return _LINE.findall(text)


def _scan(lines: list[str]) -> _Outline:
    """Find the markers and headings outside fenced code blocks."""
    outline = _Outline([], [], open_fence=False)
    closing: re.Pattern[str] | None = None
    paragraph: str | None = None  # the previous line, if it could be a setext heading's text
    for index, raw in enumerate(lines):
        line = raw.rstrip("\r\n")
        if closing is not None:
            if closing.fullmatch(line):
                closing = None
            continue
        previous, paragraph = paragraph, None
        opening = _FENCE_OPEN.match(line)
        found = _MARKER.fullmatch(line)
        atx = _ATX.fullmatch(line)
        if opening is not None:
            # The closing fence uses the same character, at least as many times, and nothing else.
            fence = opening["fence"]
            closing = re.compile(rf" {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}[ \t]*")
        elif found is not None:
            outline.markers.append(_Marker(found["kind"], found["name"], index))
        elif atx is not None:
            outline.headings.append(_plain(atx["text"] or ""))
        elif previous is not None and _SETEXT.fullmatch(line):
            outline.headings.append(_plain(previous))
        elif not _NOT_PARAGRAPH.match(line):
            paragraph = line
    return dataclasses.replace(outline, open_fence=closing is not None)


def _plain(inline: str) -> str:
    """Return roughly the text GitHub derives a heading's anchor from: no links, tags or escapes."""
    text = _LINK.sub(lambda match: match["text"], inline.strip())
    return _ESCAPED.sub(lambda match: match["char"], _TAG.sub("", text))


def _region(markers: list[_Marker], name: str, source: str) -> tuple[_Marker, _Marker]:
    """Return the start and end markers of region ``name``, or raise MarkerError on a fault."""
    starts = [found for found in markers if found.name == name and found.kind == "start"]
    ends = [found for found in markers if found.name == name and found.kind == "end"]
    start_text, end_text = marker("start", name), marker("end", name)
    if not starts and not ends:
        raise MarkerError(
            f"{source} has no {start_text} marker; add the pair where the list should go"
        )
    for repeated in (starts, ends):
        if len(repeated) > 1:
            first, second = repeated[:2]
            raise MarkerError(
                f"{source}:{second.line}: {second.text} repeats the one on line {first.line}; "
                "keep one pair per list"
            )
    if not ends:
        raise MarkerError(
            f"{source}:{starts[0].line}: {start_text} has no {end_text} after it; "
            "add it where the list should end"
        )
    if not starts:
        raise MarkerError(
            f"{source}:{ends[0].line}: {end_text} has no {start_text} before it; "
            "add it where the list should begin"
        )
    start, end = starts[0], ends[0]
    if end.index < start.index:
        raise MarkerError(
            f"{source}:{end.line}: {end_text} comes before {start_text} on line {start.line}; "
            "swap them"
        )
    for other in markers:
        if start.index < other.index < end.index:
            raise MarkerError(
                f"{source}:{other.line}: {other.text} is inside the region of {name} "
                f"(lines {start.line}-{end.line}); move it outside"
            )
    return start, end


def _check_content(content: str, name: str) -> None:
    """Refuse content that would change the README's regions the next time it is read."""
    outline = _scan(_lines(content))
    if outline.markers or outline.open_fence:
        raise ValueError(f"content for region {name} holds a curator marker or an unclosed fence")
