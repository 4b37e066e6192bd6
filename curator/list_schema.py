"""The rules of the reading-list format: encoding, keys, their order and types.

``curator.store`` reads and parses the TOML; this module checks the bytes and
the plain data it yields against the list format (documented in
``curator.store``) and turns them into models. Errors point at the offending
key: its line is found by scanning the source text, because the TOML parser
keeps no positions.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeGuard

from curator import ids
from curator.errors import ListFormatError
from curator.identity import normalise
from curator.models import DOI_KEY, TITLE_KEY, Entry, ReadingList, Status

PAPER_KEYS = (
    "id",
    "title",
    "authors",
    "published",
    "updated",
    "primary_category",
    "doi",
    "journal_ref",
    "venue",
    "venue_doi",
    "venue_year",
    "latest_version",
    "withdrawn",
    "citations",
    "influential_citations",
    "s2_id",
    "versions",
    "section",
    "tags",
    "note",
    "added",
    "sources",
    "status",
)
"""The known keys of a ``[[paper]]`` table, in the order curator writes them."""

LIST_KEYS = ("title", "description", "sections")
"""The known keys of the ``[list]`` table, in the order curator writes them."""

Section = int | str | None
"""Where a key lives: the index of a ``[[paper]]`` table, ``"list"``, or None for the top level."""


def to_reading_list(
    path: Path, text: str, info: object, papers: Sequence[Mapping[str, object]]
) -> ReadingList:
    """Check the ``[list]`` and ``[[paper]]`` tables parsed from ``text``; build the model."""
    checker = _Checker(path, text)
    if not isinstance(info, Mapping):
        raise checker.error(f"list must be a table, not {describe(info)}", None, "list")
    entries: list[Entry] = []
    first_seen: dict[str, int] = {}
    for index, paper in enumerate(papers):
        entry = checker.entry(index, paper)
        if entry.id in first_seen:
            first = checker.position(first_seen[entry.id], "id")
            also = "" if first is None else f" (first at line {first[0]})"
            raise checker.error(f'duplicate id "{entry.id}"{also}', index, "id")
        first_seen[entry.id] = index
        entries.append(entry)
    return ReadingList(
        name=path.stem,
        title=checker.text(info, "title", "list"),
        description=checker.text(info, "description", "list"),
        sections=checker.texts(info, "sections", "list"),
        entries=tuple(entries),
    )


def decode(path: Path, data: bytes) -> str:
    """Return the text of the list file ``path`` from its bytes, which must be UTF-8 without BOM."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line_start = data.rfind(b"\n", 0, error.start) + 1
        raise ListFormatError(
            path,
            f"not UTF-8 text (byte 0x{data[error.start]:02x}); save the file as UTF-8",
            line=data.count(b"\n", 0, error.start) + 1,
            column=error.start - line_start + 1,
        ) from None
    if text.startswith("\ufeff"):
        raise ListFormatError(
            path, "starts with a byte order mark; save the file as UTF-8 without BOM", line=1
        )
    return text


def paper_lines(text: str) -> list[int]:
    """Return the line of each ``[[paper]]`` header of a list's ``text``, in order."""
    positions = _Positions.scan(text)
    lines: list[int] = []
    while (found := positions.keys.get((len(lines), None))) is not None:
        lines.append(found[0])
    return lines


def format_error(
    path: Path, text: str, reason: str, section: Section, key: str | None
) -> ListFormatError:
    """Return the error for ``reason``, placed at ``key`` of ``section`` when it can be found."""
    return _Checker(path, text).error(reason, section, key)


def describe(value: object) -> str:
    """Name the TOML type of a parsed value, with its article, for error messages."""
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a float"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, dt.datetime):
        return "a date-time"
    if isinstance(value, dt.date):
        return "a date"
    if isinstance(value, dt.time):
        return "a time"
    if isinstance(value, list):
        return "an array"
    return "a table"


class _Checker:
    """Type checks for one file, with the source text at hand to place errors."""

    def __init__(self, path: Path, text: str) -> None:
        self._path = path
        self._text = text
        self._positions: _Positions | None = None

    def error(self, reason: str, section: Section, key: str | None) -> ListFormatError:
        where = self.position(section, key)
        if where is None:
            return ListFormatError(self._path, reason)
        return ListFormatError(self._path, reason, line=where[0], column=where[1])

    def position(self, section: Section, key: str | None) -> tuple[int, int] | None:
        if self._positions is None:
            self._positions = _Positions.scan(self._text)
        return self._positions.find(section, key)

    def entry(self, index: int, paper: Mapping[str, object]) -> Entry:
        title = self.text(paper, "title", index)
        doi = self.text(paper, "doi", index)
        return Entry(
            id=self.key(index, paper, doi, title),
            title=title,
            authors=self.texts(paper, "authors", index),
            published=self.date(paper, "published", index),
            updated=self.date(paper, "updated", index),
            primary_category=self.text(paper, "primary_category", index),
            doi=doi,
            journal_ref=self.text(paper, "journal_ref", index),
            venue=self.text(paper, "venue", index),
            venue_doi=self.text(paper, "venue_doi", index),
            venue_year=self.count(paper, "venue_year", index),
            latest_version=self.count(paper, "latest_version", index),
            withdrawn=self.flag(paper, "withdrawn", index),
            citations=self.count(paper, "citations", index),
            influential_citations=self.count(paper, "influential_citations", index),
            s2_id=self.text(paper, "s2_id", index),
            section=self.text(paper, "section", index),
            tags=self.texts(paper, "tags", index),
            note=self.text(paper, "note", index),
            added=self.date(paper, "added", index),
            sources=self.texts(paper, "sources", index),
            versions=self.versions(paper, index),
            status=self.status(paper, index),
        )

    def key(
        self, index: int, paper: Mapping[str, object], doi: str | None, title: str | None
    ) -> str:
        """Return the entry's key: its arXiv id, else ``doi:`` and its DOI, else ``title:``."""
        identifier = paper.get("id")
        if identifier is None:
            if doi is not None:
                return self.doi_key(index, doi)
            if title:
                return f"{TITLE_KEY}{normalise(title)}"
            raise self.error("[[paper]] table without id, doi or title", index, None)
        if not isinstance(identifier, str):
            raise self.error(f"id must be a string, not {describe(identifier)}", index, "id")
        if not ids.is_canonical(identifier):
            canonical = ids.canonical(identifier)
            if canonical is None:
                reason = f'id "{identifier}" is not an arXiv identifier'
            else:
                reason = f'id "{identifier}" is not in canonical form; write "{canonical}"'
            raise self.error(reason, index, "id")
        return identifier

    def doi_key(self, index: int, doi: str) -> str:
        if not _DOI.fullmatch(doi):
            reason = f'doi "{doi}" is not a DOI (10.NNNN/..., without https://doi.org/)'
            raise self.error(reason, index, "doi")
        arxiv_id = ids.from_doi(doi)
        if arxiv_id is not None:
            reason = f'doi "{doi}" is arXiv\'s DOI of a preprint; write id = "{arxiv_id}" instead'
            raise self.error(reason, index, "doi")
        return f"{DOI_KEY}{doi.lower()}"

    def text(self, table: Mapping[str, object], key: str, section: Section) -> str | None:
        value = table.get(key)
        if value is None or isinstance(value, str):
            return value
        raise self.error(f"{key} must be a string, not {describe(value)}", section, key)

    def texts(self, table: Mapping[str, object], key: str, section: Section) -> tuple[str, ...]:
        value = table.get(key, [])
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            return tuple(value)
        shown = "an array holding other values" if isinstance(value, list) else describe(value)
        raise self.error(f"{key} must be an array of strings, not {shown}", section, key)

    def date(self, table: Mapping[str, object], key: str, section: Section) -> dt.date | None:
        value = table.get(key)
        if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
            return value
        reason = f"{key} must be a date like 2023-04-05 (no quotes), not {describe(value)}"
        raise self.error(reason, section, key)

    def flag(self, table: Mapping[str, object], key: str, section: Section) -> bool:
        value = table.get(key, False)
        if isinstance(value, bool):
            return value
        raise self.error(f"{key} must be true or false, not {describe(value)}", section, key)

    def count(self, table: Mapping[str, object], key: str, section: Section) -> int | None:
        value = table.get(key)
        if value is None or (_is_integer(value) and value >= 0):
            return value
        shown = str(value) if _is_integer(value) else describe(value)
        raise self.error(f"{key} must be a whole number of 0 or more, not {shown}", section, key)

    def versions(self, table: Mapping[str, object], index: int) -> tuple[int, ...]:
        value = table.get("versions", [])
        if isinstance(value, list) and all(_is_version(item) for item in value):
            return tuple(value)
        reason = "versions must be an array of version numbers (1, 2, ...)"
        if isinstance(value, list):
            wrong = next(item for item in value if not _is_version(item))
            shown = str(wrong) if _is_integer(wrong) else describe(wrong)
            reason += f"; {shown} is not one"
        else:
            reason += f", not {describe(value)}"
        raise self.error(reason, index, "versions")

    def status(self, table: Mapping[str, object], index: int) -> Status:
        value = table.get("status")
        if value is None:
            return Status.RESOLVED
        if isinstance(value, str) and value in _STATUSES:
            return _STATUSES[value]
        shown = f'"{value}"' if isinstance(value, str) else describe(value)
        reason = (
            f'status must be "pending" or "unresolved" (or left out when resolved), not {shown}'
        )
        raise self.error(reason, index, "status")


_DOI = re.compile(r"10\.\d{4,9}/\S+")
_STATUSES = {status.value: status for status in Status}


def _is_integer(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_version(value: object) -> bool:
    return _is_integer(value) and value >= 1


_NAME = r"""(?:[A-Za-z0-9_-]+|"[^"\\\n]*"|'[^'\n]*')"""
_HEADER = re.compile(rf"[ \t]*(?P<open>\[\[?)[ \t]*(?P<name>{_NAME})[ \t]*(?P<close>\]?\]?)")
_KEY = re.compile(rf"[ \t]*(?P<key>{_NAME})[ \t]*=")
_TOKEN = re.compile(r"\"\"\"|'''|[\"'#\[\]{}]")


@dataclass
class _Positions:
    """Line and column (both 1-based) of the keys of the top level, [list] and each [[paper]].

    Keys are found when written plainly (``key = ...``, possibly quoted) at the
    start of a line; a top-level key may also be the name of a table header. A
    key that cannot be found is placed at the header of its table.
    """

    keys: dict[tuple[Section, str | None], tuple[int, int]] = field(default_factory=dict)

    @classmethod
    def scan(cls, text: str) -> _Positions:
        positions = cls()
        section: Section = None
        in_known_table = True  # keys of other tables are never looked up
        papers = 0
        for number, line in _code_lines(text):
            column = 1 + len(line) - len(line.lstrip(" \t"))
            header = _HEADER.match(line)
            if header is None:
                key = _KEY.match(line)
                if key is not None and in_known_table:
                    name = key["key"].strip("\"'")
                    positions.keys.setdefault((section, name), (number, column))
                continue
            name = header["name"].strip("\"'")
            positions.keys.setdefault((None, name), (number, column))
            kind = header["open"] + header["close"]
            if kind == "[[]]" and name == "paper":
                section, in_known_table = papers, True
                papers += 1
            elif kind == "[]" and name == "list":
                section, in_known_table = "list", True
            else:
                in_known_table = False
                continue
            positions.keys[section, None] = (number, column)
        return positions

    def find(self, section: Section, key: str | None) -> tuple[int, int] | None:
        return self.keys.get((section, key)) or self.keys.get((section, None))


def _code_lines(text: str) -> Iterator[tuple[int, str]]:
    """Yield the number and text of each line that starts outside strings and brackets."""
    open_string: str | None = None
    depth = 0
    for number, line in enumerate(text.split("\n"), start=1):
        if open_string is None and depth == 0:
            yield number, line
        open_string, depth = _state_after(line, open_string, depth)


def _state_after(line: str, open_string: str | None, depth: int) -> tuple[str | None, int]:
    """Return the multi-line string still open after ``line`` and the bracket depth there."""
    position = 0
    while True:
        if open_string is not None:
            end = _closing(line, position, open_string)
            if end < 0:
                return open_string, depth
            position, open_string = end, None
        token = _TOKEN.search(line, position)
        if token is None or token[0] == "#":
            return None, depth
        position = token.end()
        if token[0] in ("[", "{"):
            depth += 1
        elif token[0] in ("]", "}"):
            depth -= 1
        elif len(token[0]) == 3:
            open_string = token[0]
        else:
            position = _closing(line, position, token[0])
            if position < 0:  # not valid TOML; the parser has already said so
                return None, depth


def _closing(line: str, start: int, delimiter: str) -> int:
    """Return the index just past the delimiter that closes a string opened before ``start``."""
    position = start
    while (found := line.find(delimiter, position)) >= 0:
        backslashes = len(line[:found]) - len(line[:found].rstrip("\\"))
        if delimiter.startswith("'") or backslashes % 2 == 0:
            end = found + len(delimiter)
            # A multi-line string may end with up to two quotes of its kind before its delimiter.
            while len(delimiter) == 3 and line[end : end + 1] == delimiter[0] and end - found < 5:
                end += 1
            return end
        position = found + 1
    return -1
