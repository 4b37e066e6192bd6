"""Any JSON document: every string value is searched where the file wrote it.

Strings are parsed as :class:`JsonString`, which remembers its offsets in the document, so a
mention is reported at its own line and column in the JSON file, escapes (``\\/``,
``\\u00e9``) taken into account. Object keys are not searched.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from curator import ids
from curator.extract.context import LineIndex, found, words_around
from curator.models import Found


class JsonString(str):
    """A string value of a JSON document that knows where the document wrote it."""

    start: int
    """Offset in the document of the first character after the opening quote."""
    end: int
    """Offset in the document of the closing quote."""


class _Pairs(list[tuple[str, object]]):
    """An object's members as json parsed them, in order, duplicates included."""


# Outside strings JSON has no quotes, so this finds every string (keys and values) in order.
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')


def parse(document: str) -> object:
    """Parse a JSON document, string values as :class:`JsonString`; raise ValueError if invalid."""
    try:
        parsed = json.loads(document, object_pairs_hook=_Pairs)
        return _located(parsed, _STRING.finditer(document))
    except RecursionError as error:
        raise ValueError("JSON nested too deeply") from error


def _located(value: object, tokens: Iterator[re.Match[str]]) -> object:
    """Rebuild parsed JSON with :class:`JsonString` values, taking their places from ``tokens``."""
    if isinstance(value, str):
        token = next(tokens)
        string = JsonString(value)
        string.start, string.end = token.start() + 1, token.end() - 1
        return string
    if isinstance(value, _Pairs):
        members: dict[str, object] = {}
        for key, member in value:
            next(tokens)  # the key's own string
            members[key] = _located(member, tokens)
        return members
    if isinstance(value, list):
        return [_located(item, tokens) for item in value]
    return value


def strings(data: object) -> Iterator[JsonString]:
    """Yield every string value in parsed JSON, in document order."""
    stack: list[Iterator[object]] = [iter((data,))]
    while stack:
        for value in stack[-1]:
            if isinstance(value, JsonString):
                yield value
            elif isinstance(value, dict):
                stack.append(iter(value.values()))
                break
            elif isinstance(value, list):
                stack.append(iter(value))
                break
        else:
            stack.pop()


def document_offset(document: str, string: JsonString, index: int) -> int:
    """Return the document offset of the character at ``index`` in a parsed string."""
    offset = string.start
    if "\\" not in document[offset : string.end]:
        return offset + index
    for _ in range(index):
        if document[offset] != "\\":
            offset += 1
        elif document[offset + 1] != "u":
            offset += 2
        elif _is_surrogate_pair(document, offset):
            offset += 12
        else:
            offset += 6
    return offset


def _is_surrogate_pair(document: str, offset: int) -> bool:
    """Tell whether two ``\\uXXXX`` escapes at ``offset`` make one character, as json joins them."""
    high, low = document[offset + 2 : offset + 6], document[offset + 8 : offset + 12]
    return (
        document[offset + 6 : offset + 8] == "\\u"
        and 0xD800 <= int(high, 16) <= 0xDBFF
        and 0xDC00 <= int(low, 16) <= 0xDFFF
    )


def extract(data: object, document: str, *, source: str, bare: bool = False) -> Iterator[Found]:
    """Yield the identifiers in the string values of parsed JSON, with the words around them."""
    lines = LineIndex(document)
    for string in strings(data):
        for match in ids.find(string, bare=bare):
            yield found(
                match,
                source=source,
                position=lines.position(document_offset(document, string, match.start)),
                text=words_around(string, match.start, match.end),
            )
