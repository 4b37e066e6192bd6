"""What an occurrence reports about where it was seen: its line, column and nearby words."""

from __future__ import annotations

import bisect
import re

from curator.ids import IdMatch
from curator.models import Found, Occurrence

WINDOW = 30
"""How many characters on each side of a mention ``words_around`` looks at."""

_NEWLINE = re.compile("\n")


class LineIndex:
    """Turn offsets in a whole document into 1-based line and column numbers.

    Lines end at ``\\n`` only (``\\r\\n`` counts once; a lone ``\\r`` does not end a line), and
    columns count characters, so a tab or a CJK character is one column.
    """

    def __init__(self, text: str) -> None:
        self._starts = [0, *(newline.end() for newline in _NEWLINE.finditer(text))]

    def position(self, offset: int) -> tuple[int, int]:
        """Return the line and column of the character at ``offset``."""
        index = bisect.bisect_right(self._starts, offset) - 1
        return index + 1, offset - self._starts[index] + 1

    def offset(self, line: int, column: int) -> int:
        """Return the offset of a 1-based line and 0-based column (as HTML parsers count)."""
        index = min(max(line - 1, 0), len(self._starts) - 1)
        return self._starts[index] + column


class LineCounter:
    """Turn increasing offsets in a block of a streamed document into lines and columns.

    Counts as :class:`LineIndex` does, without indexing the block first: cheaper when the
    offsets come in order, as the mentions of a block do.
    """

    def __init__(self, text: str, *, first_line: int, first_column: int) -> None:
        self._text = text
        self._line = first_line
        self._counted = 0
        self._line_start = 1 - first_column  # so that the first line's columns come out right

    def position(self, offset: int) -> tuple[int, int]:
        """Return the line and column of the character at ``offset`` (not before the last)."""
        newlines = self._text.count("\n", self._counted, offset)
        if newlines:
            self._line += newlines
            self._line_start = self._text.rfind("\n", self._counted, offset) + 1
        self._counted = offset
        return self._line, offset - self._line_start + 1


def normalize_space(text: str) -> str:
    """Return ``text`` with every run of white space made one space, and trimmed."""
    return " ".join(text.split())


def words_around(text: str, start: int, end: int) -> str:
    """Return the mention at ``text[start:end]`` with the whole words around it on its line."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    if line_end < 0:
        line_end = len(text)
    low = max(start - WINDOW, line_start)
    if low > line_start and not text[low - 1].isspace():
        # The window starts inside a word: drop that partial word.
        space = text.find(" ", low, start)
        low = start if space < 0 else space + 1
    high = min(end + WINDOW, line_end)
    if high < line_end and not text[high].isspace():
        space = text.rfind(" ", end, high)
        high = end if space < 0 else space
    return normalize_space(text[low:high])


def found(
    match: IdMatch,
    *,
    source: str,
    position: tuple[int, int],
    text: str,
    version: int | None = None,
    message_id: int | None = None,
    date: str | None = None,
    author: str | None = None,
) -> Found:
    """Describe one occurrence of ``match``; ``version`` stands in when the match has none."""
    line, column = position
    occurrence = Occurrence(
        source, line, column, text, match.id.version or version, message_id, date, author
    )
    return Found(match.id.canonical, occurrence)
