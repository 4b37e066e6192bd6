"""Telegram Desktop chat exports (``result.json``): messages with their id, date and author.

An export is JSON with a top-level ``messages`` list (one chat), or ``chats.list`` of such
chats (a whole account); messages of any type are read.

A message's text is ``text_entities`` when present, else ``text``: a string, or a list mixing
strings and entity objects ``{"type", "text", "href"?}``. The parts are joined into the
message text, so a mention split over parts is still found. A ``text_link`` entity's URL is
only in its ``href``; a mention there reports the entity's text, and a mention of the same
paper in that text is the same occurrence, not another. The author is the original author of
a forwarded message (``forwarded_from``), otherwise the sender (``from``). Line and column
are those of the mention inside the JSON file.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass

from curator import ids
from curator.extract.context import LineIndex, found, normalize_space, words_around
from curator.extract.json import JsonString, document_offset
from curator.models import Found


@dataclass(frozen=True, slots=True)
class _Part:
    text: JsonString
    href: JsonString | None


@dataclass(frozen=True, slots=True)
class _Message:
    id: int | None
    date: str | None
    author: str | None
    parts: tuple[_Part, ...]


def is_export(data: object) -> bool:
    """Tell whether parsed JSON is a Telegram Desktop export (one chat, or all chats)."""
    return bool(_chats(data))


def _chats(data: object) -> list[dict[str, object]]:
    if not isinstance(data, dict):
        return []
    if isinstance(data.get("messages"), list):
        return [data]
    chats = data.get("chats")
    listed = chats.get("list") if isinstance(chats, dict) else None
    if not isinstance(listed, list):
        return []
    return [chat for chat in listed if isinstance(chat, dict) and "messages" in chat]


def extract(data: object, document: str, *, source: str, bare: bool = False) -> Iterator[Found]:
    """Yield the identifiers in the messages of a parsed export, in message order."""
    lines = LineIndex(document)
    for chat in _chats(data):
        messages = chat["messages"]
        for raw in messages if isinstance(messages, list) else ():
            message = _message(raw)
            if message is not None and message.parts:
                yield from _in_message(message, document, lines, source=source, bare=bare)


def _message(raw: object) -> _Message | None:
    if not isinstance(raw, dict):
        return None
    text = raw.get("text_entities", raw.get("text"))
    items = [text] if isinstance(text, str) else text if isinstance(text, list) else []
    parts = []
    for item in items:
        if isinstance(item, JsonString):
            parts.append(_Part(item, None))
        elif isinstance(item, dict) and isinstance(item.get("text"), JsonString):
            href = item.get("href")
            parts.append(_Part(item["text"], href if isinstance(href, JsonString) else None))
    message_id, date = raw.get("id"), raw.get("date")
    author = raw.get("forwarded_from")
    if not isinstance(author, str):
        author = raw.get("from")
    return _Message(
        message_id if isinstance(message_id, int) else None,
        date if isinstance(date, str) else None,
        author if isinstance(author, str) else None,
        tuple(parts),
    )


def _in_message(
    message: _Message, document: str, lines: LineIndex, *, source: str, bare: bool
) -> Iterator[Found]:
    """Yield the identifiers of one message in order, a link's where the link's text starts."""
    text = "".join(part.text for part in message.parts)
    starts = [0]
    for part in message.parts:
        starts.append(starts[-1] + len(part.text))
    linked: dict[int, set[str]] = {}
    results: list[tuple[int, Found]] = []
    for index, part in enumerate(message.parts):
        if part.href is None:
            continue
        label = normalize_space(part.text)
        in_label = {
            match.id.canonical: match.id.version for match in ids.find(part.text, bare=bare)
        }
        for match in ids.find(part.href, bare=bare):
            linked.setdefault(index, set()).add(match.id.canonical)
            offset = document_offset(document, part.href, match.start)
            occurrence = found(
                match,
                source=source,
                position=lines.position(offset),
                text=label or words_around(part.href, match.start, match.end),
                version=in_label.get(match.id.canonical),
                message_id=message.id,
                date=message.date,
                author=message.author,
            )
            results.append((starts[index], occurrence))
    for match in ids.find(text, bare=bare):
        index = bisect.bisect_right(starts, match.start) - 1
        part = message.parts[index]
        if match.id.canonical in linked.get(index, ()):
            continue
        offset = document_offset(document, part.text, match.start - starts[index])
        occurrence = found(
            match,
            source=source,
            position=lines.position(offset),
            text=normalize_space(part.text)
            if part.href is not None
            else words_around(text, match.start, match.end),
            message_id=message.id,
            date=message.date,
            author=message.author,
        )
        results.append((match.start, occurrence))
    results.sort(key=lambda result: result[0])
    for _, occurrence in results:
        yield occurrence
