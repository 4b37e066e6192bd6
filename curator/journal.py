"""The record of merges, kept beside a list so that each one can be undone.

``NAME.merges.json`` holds a JSON object whose ``merges`` array has one
object per merge, oldest first, with the exact text of every ``[[paper]]``
table it changed or removed.
``curator dedupe --undo`` puts the latest merge's tables back and drops its
record. The file is only ever changed while the list's lock is held.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from curator import files
from curator.errors import ListFormatError

ABOUT = (
    "Merges made by 'curator dedupe --apply', oldest first; "
    "'curator dedupe LIST --undo' undoes the latest."
)


@dataclass(frozen=True, slots=True)
class MergeRecord:
    """One merge: which entry stayed, which went, why, and the tables' text before and after."""

    date: dt.date
    kept: str
    merged: tuple[str, ...]
    evidence: tuple[str, ...]
    kept_before: str
    """The kept entry's ``[[paper]]`` table as it was before the merge."""
    kept_after: str
    """The kept entry's table right after the merge; undo refuses if it has changed since."""
    merged_tables: tuple[str, ...]
    """The removed tables, each as it was."""
    merged_positions: tuple[int, ...]
    """Where each removed table was among the ``[[paper]]`` tables, counted before the merge."""


def journal_path(list_path: Path) -> Path:
    """Return where the merges of the list at ``list_path`` are recorded."""
    return list_path.with_name(f"{list_path.stem}.merges.json")


def read(path: Path) -> list[MergeRecord]:
    """Return the merges recorded in ``path``, oldest first; none when it does not exist."""
    text = files.read_text(path)
    if text is None:
        return []
    try:
        return [_record(item) for item in json.loads(text)["merges"]]
    except (ValueError, KeyError, TypeError) as error:
        raise ListFormatError(path, f"not a merge record curator wrote ({error})") from None


def write(path: Path, records: list[MergeRecord]) -> None:
    """Replace the record at ``path`` atomically with ``records``."""
    merges = [{**dataclasses.asdict(record), "date": record.date.isoformat()} for record in records]
    text = json.dumps({"about": ABOUT, "merges": merges}, indent=2, ensure_ascii=False)
    files.write_atomic(path, text + "\n")


def _record(item: dict[str, Any]) -> MergeRecord:
    return MergeRecord(
        date=dt.date.fromisoformat(item["date"]),
        kept=str(item["kept"]),
        merged=tuple(str(key) for key in item["merged"]),
        evidence=tuple(str(line) for line in item["evidence"]),
        kept_before=str(item["kept_before"]),
        kept_after=str(item["kept_after"]),
        merged_tables=tuple(str(text) for text in item["merged_tables"]),
        merged_positions=tuple(int(position) for position in item["merged_positions"]),
    )
