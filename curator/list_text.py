"""Reading lists in the plain layout, read and changed as lines of text.

tomlkit (see ``curator.store``) keeps every byte of a file it edits, but reads
about 300 KB a second: a list of 5,000 papers takes it ten seconds. The lists
curator writes, and most that people edit, use a small part of TOML: comments;
top-level keys, a ``[list]`` table, then ``[[paper]]`` tables; bare keys; and
strings, whole numbers, booleans, dates and arrays of those, on one line or one
item per line. :func:`scan` reads such a *plain* list with a regular expression
a line, and :class:`PlainList` changes its values in place, writing exactly the
text tomlkit would (the tests compare the two). Anything else (multi-line
strings, inline tables, dotted or quoted keys, floats, times, other tables, and
whatever is not valid TOML) makes :func:`scan` return None, and ``curator.store``
uses tomlkit.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import cast

ONE_LINE_ARRAY_ITEMS = 3
"""Arrays with more items are written one item per line."""
ONE_LINE_WIDTH = 100
"""Arrays whose ``key = [...]`` line would be longer are written one item per line."""

Scalar = str | int | dt.date
"""A value that is not an array (a ``bool`` is an ``int``)."""
Value = Scalar | Sequence[Scalar]
"""A value curator writes."""
Plain = Scalar | list[Scalar]
"""A value as read from a plain list."""

# TOML allows no control character but tab in strings and comments.
_WS = r"[ \t]*"
_COMMENT = r"(?:#[^\x00-\x08\x0a-\x1f\x7f]*)?"
_CHARS = r'[^"\\\x00-\x08\x0a-\x1f\x7f]*'  # a run of characters that need no escape
_BASIC = rf'"{_CHARS}(?:\\(?:[btnfr"\\]|u[0-9A-Fa-f]{{4}}|U[0-9A-Fa-f]{{8}}){_CHARS})*"'
_LITERAL = r"'[^'\x00-\x08\x0a-\x1f\x7f]*'"
# Dates come before numbers, so that scanning an array never reads 2023-04-05 as 2023, -4, -5.
_SCALAR = rf"(?:{_BASIC}|{_LITERAL}|\d{{4}}-\d{{2}}-\d{{2}}|[+-]?(?:0|[1-9]\d*)|true|false)"
_ARRAY = rf"\[{_WS}(?:{_SCALAR}{_WS},{_WS})*(?:{_SCALAR}{_WS},?{_WS})?\]"
# One item a line, each but the last followed by a comma; blank and comment lines anywhere.
_ITEMS = (
    rf"\[{_WS}{_COMMENT}\r?\n(?:{_WS}(?:{_SCALAR}{_WS},{_WS})?{_COMMENT}\r?\n)*"
    rf"(?:{_WS}{_SCALAR}{_WS}{_COMMENT}\r?\n(?:{_WS}{_COMMENT}\r?\n)*)?{_WS}\]"
)
# One line of a plain list (an array of one item a line counts as one): blank or a comment,
# a key and its value, or a header; then maybe a comment, and the line end.
_LINE = re.compile(
    rf"{_WS}(?:(?:(?P<key>[A-Za-z0-9_-]+){_WS}={_WS}(?P<value>{_SCALAR}|{_ARRAY}|{_ITEMS})"
    rf"|(?P<header>\[\[{_WS}(?P<paper>paper){_WS}\]\]|\[{_WS}list{_WS}\])){_WS})?"
    rf"{_COMMENT}(?:\r?\n|\Z)"
)
# A line of a plain list, or else the rest of a line of another kind (group "other"): so
# every line is matched where the one before it ended, never searched for (a search
# would try every position of a long line that is not plain, each time to its end).
_LINES = re.compile(rf"{_LINE.pattern}|(?P<other>[^\n]*\n?)")
_TOKENS = re.compile(rf"{_SCALAR}|#.*")  # the items and comments of an array
_ESCAPE = re.compile(r'\\(?:([btnfr"\\])|u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8}))')
_UNESCAPED = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\"}
_NEEDS_ESCAPE = re.compile(r'[\x00-\x1f\x7f"\\]')
_ESCAPED = {value: f"\\{name}" for name, value in _UNESCAPED.items()}


_ABSENT = object()


class _NotPlainError(Exception):
    """The text uses more of TOML than the plain layout (or is not TOML)."""


@dataclass(slots=True)
class _Table:
    """One ``[[paper]]`` table: its text from its header on, its values and where they are."""

    text: str
    values: dict[str, Plain]
    spans: dict[str, list[int]] | None = None
    """Each key's line start, value start and value end in ``text``; found when first needed."""


class PlainList:
    """A reading list in the plain layout, changed in place."""

    def __init__(
        self, head: str, info: dict[str, object], tables: list[_Table], *, newline: str
    ) -> None:
        """Hold the text before the first table, ``head``, its values ``info``, and the tables.

        Lines added end in ``newline``.
        """
        self._head = head
        self.info = info
        """The top-level values, ``list`` (the ``[list]`` table) among them."""
        self._tables = tables
        self._newline = newline
        self.changes = 0
        """How many changes were made: what was read at one count holds until the next change."""
        self._text = (-1, "")  # the text joined, and the count of changes it has

    @property
    def text(self) -> str:
        """The whole text as it is now."""
        if self._text[0] != self.changes:
            self._text = (self.changes, self._head + "".join(t.text for t in self._tables))
        return self._text[1]

    def papers(self) -> list[dict[str, Plain]]:
        """Return the values of each ``[[paper]]`` table, in file order."""
        return [table.values for table in self._tables]

    def values(self, row: int) -> Mapping[str, Plain]:
        """Return the values of the ``row``-th table (counting from 0)."""
        return self._tables[row].values

    def assign(self, row: int, key: str, value: Value, order: Sequence[str]) -> bool:
        """Set ``key`` of the ``row``-th table to ``value`` unless it holds it; tell if it changed.

        A changed value keeps what surrounds it (the key as written, a comment); a
        new key gets a line of its own after the key :func:`preceding` names,
        indented like it, or else right after the header.
        """
        table = self._tables[row]
        plain = _plain(value)
        if table.values.get(key, _ABSENT) == plain:
            return False
        spans = _spans(table)
        if key in table.values:
            line, start, end = spans[key]
            written = self._format(key, value, _indent(table.text[line:start]))
            _splice(table, start, end, written)
            spans[key] = [line, start, start + len(written)]
        else:
            present = sorted(spans, key=lambda known: spans[known][0])
            neighbour = preceding(key, present, order)
            if neighbour is None:
                at, indent = self._line_end(table, _header_end(table.text) - 1), ""
            else:
                line, start, end = spans[neighbour]
                at, indent = self._line_end(table, end), _indent(table.text[line:start])
            written = self._format(key, value, indent)
            prefix = f"{indent}{key} = "
            _splice(table, at, at, f"{prefix}{written}{self._newline}")
            spans[key] = [at, at + len(prefix), at + len(prefix) + len(written)]
        table.values[key] = plain
        self.changes += 1
        return True

    def remove(self, row: int, key: str) -> bool:
        """Delete ``key`` and its lines from the ``row``-th table; tell whether it was there."""
        table = self._tables[row]
        if key not in table.values:
            return False
        del table.values[key]
        line, _, end = _spans(table).pop(key)
        end = table.text.find("\n", end) + 1 or len(table.text)
        _splice(table, line, end, "")
        self.changes += 1
        return True

    def append(self, pairs: Sequence[tuple[str, Value]]) -> None:
        """Add a ``[[paper]]`` table with ``pairs``, one key a line, set off by a blank line."""
        if self._tables:
            previous = self._tables[-1].text
            gap = separator(previous[_header_end(previous) :])
        else:
            if self._head and not self._head.endswith("\n"):
                self._head += self._newline
            gap = separator(self._head)
        # The blank line belongs to the new table, as in tomlkit: a key added later to
        # the table before it, on a last line without line end, goes before the gap.
        lines = "".join(f"{key} = {format_value(key, value)}\n" for key, value in pairs)
        text = f"{gap}[[paper]]\n{lines}".replace("\n", self._newline)
        self._tables.append(_Table(text, {key: _plain(value) for key, value in pairs}))
        self.changes += 1

    def _format(self, key: str, value: Value, indent: str) -> str:
        return format_value(key, value, indent=indent).replace("\n", self._newline)

    def _line_end(self, table: _Table, offset: int) -> int:
        """Return where the line holding ``offset`` ends, giving the last line a line end."""
        end = table.text.find("\n", offset)
        if end < 0:
            table.text += self._newline
            return len(table.text)
        return end + 1


def scan(text: str, *, newline: str = "\n") -> PlainList | None:
    """Read ``text`` as a list in the plain layout; return None when it is not one.

    Lines added to it later end in ``newline``.
    """
    try:
        return _scan(text, newline)
    except _NotPlainError:
        return None


def preceding(key: str, present: Sequence[str], order: Sequence[str]) -> str | None:
    """Return the key after which a new ``key`` goes among the ``present`` ones (in text order).

    That is the nearest key before it in ``order`` that is present, or, for a key
    ``order`` does not name, the last present key. None: the new key goes first.
    """
    if key not in order:
        return present[-1] if present else None
    known = set(present)
    earlier = [name for name in order[: order.index(key)] if name in known]
    return earlier[-1] if earlier else None


def separator(before: str) -> str:
    """Return what goes before a new table so that a blank line separates it from ``before``."""
    if not before:
        return ""
    if not before.endswith("\n"):
        return "\n\n"
    last_line = before[:-1].rpartition("\n")[2]
    return "" if not last_line.strip() else "\n"


def format_value(key: str, value: Value, *, indent: str = "") -> str:
    """Return ``value`` as curator writes it after ``key = `` (as tomlkit formats it).

    An array is written on one line when it has at most ``ONE_LINE_ARRAY_ITEMS``
    items and its line fits in ``ONE_LINE_WIDTH`` characters, otherwise one item
    per line, each indented four spaces past ``indent`` (the key's own indent).
    """
    if isinstance(value, (str, int, dt.date)):
        return _scalar(value)
    items = [_scalar(item) for item in value]
    one_line = f"[{', '.join(items)}]"
    if len(items) > ONE_LINE_ARRAY_ITEMS or len(f"{key} = {one_line}") > ONE_LINE_WIDTH:
        return "[\n" + "".join(f"{indent}    {item},\n" for item in items) + f"{indent}]"
    return one_line


def _scan(text: str, newline: str) -> PlainList:
    top: dict[str, Plain] = {}
    listed: dict[str, Plain] | None = None  # the [list] table
    keys = top  # where the keys read go: the top level, [list] or the latest paper
    tables: list[_Table] = []
    starts: list[int] = []
    # One iteration over the text costs less than a match a line.
    for found in _LINES.finditer(text):
        key, value, header, paper, other = found.groups()
        if key is not None:
            if key in keys:
                raise _NotPlainError  # a repeated key: tomlkit says where
            if value[0] == '"' and "\\" not in value:
                keys[key] = value[1:-1]  # the most common value, read at once
            elif value[0] == "[":
                keys[key] = _items(value)
            else:
                keys[key] = _scalar_value(value)
        elif paper is not None:
            keys = {}
            tables.append(_Table("", keys))
            starts.append(found.start())
        elif header is not None:  # [list]
            if starts or listed is not None:
                raise _NotPlainError  # after the papers, or twice
            listed = keys = {}
        elif other is not None:
            raise _NotPlainError  # a line of another kind
    info: dict[str, object] = dict(top)
    if listed is not None:
        if "list" in info:
            raise _NotPlainError
        info["list"] = listed
    if "paper" in info:
        raise _NotPlainError
    bounds = [*starts, len(text)]
    for table, table_start, table_end in zip(tables, bounds, bounds[1:], strict=False):
        table.text = text[table_start:table_end]
    return PlainList(text[: bounds[0]], info, tables, newline=newline)


def _spans(table: _Table) -> dict[str, list[int]]:
    if table.spans is None:
        table.spans = {
            found[1]: [found.start(), *found.span(2)]
            for found in _LINE.finditer(table.text)
            if found[1] is not None
        }
    return table.spans


def _splice(table: _Table, start: int, end: int, new: str) -> None:
    """Put ``new`` in place of ``table.text[start:end]``; what follows moves with its text."""
    table.text = table.text[:start] + new + table.text[end:]
    moved = len(new) - (end - start)
    for span in _spans(table).values():
        if span[0] >= end:
            span[0] += moved
            span[1] += moved
            span[2] += moved


def _header_end(text: str) -> int:
    """Return where the line of the ``[[paper]]`` header of a table's ``text`` ends."""
    return text.find("\n", text.find("[[")) + 1 or len(text)


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t"))]


def _scalar(value: Scalar) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{_NEEDS_ESCAPE.sub(_escape, value)}"'
    if isinstance(value, int):
        return str(value)
    return value.isoformat()


def _escape(match: re.Match[str]) -> str:
    char = match[0]
    return _ESCAPED.get(char) or f"\\u{ord(char):04x}"


def _plain(value: Value) -> Plain:
    return value if isinstance(value, (str, int, dt.date)) else list(value)


def _items(array: str) -> list[Scalar]:
    """Return the items of an array read by ``_LINE``."""
    parts = array.split('"')
    # Most arrays hold strings without escapes and nothing else: then the text outside
    # the quotes is brackets, commas and white space, and the text inside is the items.
    if "\\" not in array and not "".join(parts[::2]).strip("[], \t\r\n"):
        return cast("list[Scalar]", parts[1::2])
    return [_scalar_value(token) for token in _TOKENS.findall(array) if token[0] != "#"]


def _scalar_value(text: str) -> Scalar:
    first = text[0]
    if first == '"':
        inner = text[1:-1]
        return _ESCAPE.sub(_unescape, inner) if "\\" in inner else inner
    if first == "'":
        return text[1:-1]
    if first == "t":
        return True
    if first == "f":
        return False
    if len(text) == 10 and text[4] == "-":
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise _NotPlainError from None  # such as 2023-02-30: tomlkit says what is wrong
    return int(text)


def _unescape(match: re.Match[str]) -> str:
    if match[1]:
        return _UNESCAPED[match[1]]
    code = int(match[2] or match[3], 16)
    if 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
        raise _NotPlainError  # not a Unicode scalar value
    return chr(code)
