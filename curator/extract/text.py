"""Plain text, streamed in blocks of whole lines so that memory does not grow with the file."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from curator import ids
from curator.extract.context import LineCounter, found, words_around
from curator.models import Found

LONG_LINE = 4 * 1024 * 1024
"""A line longer than this many characters is handed over in pieces."""

# No mention contains one of these, so a line may be cut just after one.
_SAFE_CUTS = ("\t", '"', "<", ">", "(", ")", "{", "}", "|", "`")


@dataclass(frozen=True, slots=True)
class Block:
    """A piece of a document made of whole lines (except around over-long lines)."""

    text: str
    first_line: int
    """The line number of the block's first character."""
    first_column: int
    """The column of the block's first character: 1 unless a long line was cut."""


def blocks(pieces: Iterable[str]) -> Iterator[Block]:
    """Regroup decoded pieces of a document into blocks that end at line ends.

    No mention spans a line end, so each block can be searched on its own. A line longer than
    :data:`LONG_LINE` is cut after a character no mention contains (or, failing that, after a
    space, or anywhere), which keeps memory bounded even for a file with no line ends.
    """
    pending = ""
    line = column = 1
    for piece in pieces:
        pending = pending + piece if pending else piece
        cut = pending.rfind("\n") + 1
        if cut == 0:
            if len(pending) < LONG_LINE:
                continue
            cut = _long_line_cut(pending)
        text, pending = pending[:cut], pending[cut:]
        yield Block(text, line, column)
        newlines = text.count("\n")
        line += newlines
        column = len(text) - text.rfind("\n") if newlines else column + len(text)
    if pending:
        yield Block(pending, line, column)


def _long_line_cut(text: str) -> int:
    cut = max(text.rfind(character) for character in _SAFE_CUTS) + 1
    if cut == 0:
        cut = text.rfind(" ") + 1
    return cut or len(text)


def extract(pieces: Iterable[str], *, source: str, bare: bool = False) -> Iterator[Found]:
    """Yield the identifiers in a plain-text document, each with the words around it."""
    for block in blocks(pieces):
        lines = LineCounter(
            block.text, first_line=block.first_line, first_column=block.first_column
        )
        for match in ids.find(block.text, bare=bare):
            yield found(
                match,
                source=source,
                position=lines.position(match.start),
                text=words_around(block.text, match.start, match.end),
            )


def identifiers(pieces: Iterable[str], *, bare: bool = False) -> Iterator[str]:
    """Yield the canonical identifier of every mention in a streamed document, nothing more."""
    for block in blocks(pieces):
        for match in ids.find(block.text, bare=bare):
            yield match.id.canonical
