"""The citation history beside a list: dated counts, appended to and never rewritten.

``lists/NAME.history.csv`` belongs to the machine. Each refresh that observes
counts appends one row per paper whose counts changed since its last row, so the
file grows slowly and its diffs in git are pure additions. Deleting it loses only
the trends, never the list.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TypeAlias

from curator.errors import ListFormatError, WriteError
from curator.files import read_text

HEADER = ("date", "id", "citations", "influential_citations")
SUFFIX = ".history.csv"
# O_APPEND makes every write land at the end whatever the file position; O_BINARY keeps
# Windows from turning LF into CRLF.
_TAIL_BYTES = 4096
"""How much of the file's end is read to find a row cut short (rows are far shorter)."""
_APPEND_FLAGS = os.O_RDWR | os.O_APPEND | os.O_CREAT | getattr(os, "O_BINARY", 0)


@dataclass(frozen=True, slots=True)
class Observation:
    """The counts Semantic Scholar gave for one paper on one day."""

    id: str
    date: dt.date
    citations: int | None
    """None when unknown; such observations are never written."""
    influential_citations: int | None = None


History: TypeAlias = Mapping[str, tuple[Observation, ...]]
"""Each paper's observations, in file order."""


def history_path(list_path: Path) -> Path:
    """Return where the history of ``list_path`` lives: ``NAME.toml`` -> ``NAME.history.csv``."""
    return list_path.with_suffix(SUFFIX)


def read(path: Path) -> dict[str, tuple[Observation, ...]]:
    """Return the observations recorded in ``path``; a missing file is an empty history."""
    text = read_text(path)
    if text is None:
        return {}
    rows = csv.reader(io.StringIO(text[: _whole_rows_end(text)], newline=""), strict=True)
    found: dict[str, list[Observation]] = {}
    try:
        for row in rows:
            if rows.line_num == 1:
                if tuple(row) != HEADER:
                    raise _malformed(path, 1, f"the first line must be {','.join(HEADER)}")
            elif row:
                observation = _parse(path, rows.line_num, row)
                found.setdefault(observation.id, []).append(observation)
    except csv.Error as error:
        raise _malformed(path, rows.line_num, str(error)) from None
    return {paper: tuple(observations) for paper, observations in found.items()}


def append(
    path: Path, observations: Iterable[Observation], *, history: History | None = None
) -> int:
    """Append the observations whose counts changed since each paper's last row.

    Rows are sorted by identifier and written at once; unknown counts are skipped.
    ``history`` is the file's current content, when the caller has already read it.
    Return the number of rows appended.
    """
    recorded = read(path) if history is None else history
    latest = {paper: rows[-1] for paper, rows in recorded.items() if rows}
    chosen: list[Observation] = []
    for observation in sorted(observations, key=lambda seen: (seen.id, seen.date)):
        if observation.citations is None:
            continue
        _check(observation)
        if _changed(latest.get(observation.id), observation):
            chosen.append(observation)
            latest[observation.id] = observation
    if chosen:
        _write(path, chosen)
    return len(chosen)


def _changed(last: Observation | None, new: Observation) -> bool:
    if last is None or last.citations != new.citations:
        return True
    # An unknown influential count says nothing new; it is not a drop to zero.
    return new.influential_citations not in (None, last.influential_citations)


def _check(observation: Observation) -> None:
    counts = (observation.citations, observation.influential_citations)
    if any(count is not None and count < 0 for count in counts):
        raise ValueError(f"negative citation count for {observation.id}: {counts}")
    if not observation.id:
        raise ValueError("an observation needs an identifier")


def _write(path: Path, observations: list[Observation]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for observation in observations:
        influential = observation.influential_citations
        writer.writerow(
            (
                observation.date.isoformat(),
                observation.id,
                observation.citations,
                "" if influential is None else influential,
            )
        )
    rows = buffer.getvalue().encode("utf-8")
    try:
        # Straight to the descriptor in append mode: existing bytes are never touched, and
        # nothing lingers in a buffer that could be written after a failure is handled.
        descriptor = os.open(path, _APPEND_FLAGS, 0o666)
    except OSError as error:
        raise _unwritable(path, error) from error
    size: int | None = None
    try:
        size = os.lseek(descriptor, 0, os.SEEK_END)
        if size == 0:
            rows = (",".join(HEADER) + "\n").encode("utf-8") + rows
        else:
            tail_start = max(0, size - _TAIL_BYTES)
            os.lseek(descriptor, tail_start, os.SEEK_SET)
            tail = os.read(descriptor, size - tail_start).decode("utf-8", "replace")
            if not tail.endswith("\n"):
                whole = _whole_rows_end(tail)
                if whole < len(tail):  # a row an interrupted append cut short: drop it
                    size = tail_start + len(tail[:whole].encode("utf-8"))
                    os.ftruncate(descriptor, size)
                else:
                    rows = b"\n" + rows  # a person saved the last line without its newline
        written = 0
        while written < len(rows):
            written += os.write(descriptor, rows[written:])
        os.fsync(descriptor)
    except OSError as error:
        # Leave no half row behind: it would make the whole history unreadable.
        if size is not None:
            with contextlib.suppress(OSError):
                os.ftruncate(descriptor, size)
        raise _unwritable(path, error) from error
    finally:
        os.close(descriptor)


def _whole_rows_end(text: str) -> int:
    """Return where the complete rows of ``text`` end: a last line without its newline that
    is not a whole row was cut short by an interrupted append, and does not count."""
    if text.endswith("\n"):
        return len(text)
    start = text.rfind("\n") + 1
    fields = text[start:].split(",")
    whole = len(fields) == len(HEADER) and all(fields[:3]) and _is_iso_date(fields[0])
    return len(text) if whole or start == 0 else start


def _is_iso_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _unwritable(path: Path, error: OSError) -> WriteError:
    reason = error.strerror or str(error)
    return WriteError(f"{path}: cannot append ({reason}); the history was not changed")


def _parse(path: Path, line: int, row: list[str]) -> Observation:
    if len(row) != len(HEADER):
        raise _malformed(path, line, f"expected {len(HEADER)} fields, found {len(row)}")
    date, paper, citations, influential = row
    try:
        day = dt.date.fromisoformat(date)
    except ValueError:
        raise _malformed(path, line, f"invalid date {date!r}") from None
    if not paper:
        raise _malformed(path, line, "the id is empty")
    return Observation(
        paper,
        day,
        _count(path, line, "citations", citations),
        None if influential == "" else _count(path, line, "influential_citations", influential),
    )


def _count(path: Path, line: int, name: str, text: str) -> int:
    if not (text.isascii() and text.isdigit()):
        raise _malformed(path, line, f"{name} must be a whole number, not {text!r}")
    return int(text)


def _malformed(path: Path, line: int, reason: str) -> ListFormatError:
    return ListFormatError(
        path, f"{reason} (fix the line, or delete the file: only trends are lost)", line=line
    )
