"""Find the entries of a list that are one work, merge them, and undo merges."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from curator import identity, journal, merging, store
from curator.errors import InputError
from curator.journal import MergeRecord


@dataclass(frozen=True, slots=True)
class Merged:
    """One merge done: its record, and the user values the kept entry's own values shadowed."""

    record: MergeRecord
    conflicts: tuple[merging.Conflict, ...]


def find(path: Path) -> list[identity.Group]:
    """Return the duplicate groups of the list at ``path``: strong ones first, then suggestions."""
    return identity.duplicates(store.load(path).entries)


def apply(path: Path, *, today: dt.date) -> list[Merged]:
    """Merge every strong duplicate group of the list, recording each merge so it can be undone.

    Title suggestions are never merged. The merge record is saved before the list,
    so a merge that reached the list is always recorded.
    """
    log_path = journal.journal_path(path)
    done: list[Merged] = []
    with store.editing(path) as editor:
        groups = [g for g in identity.duplicates(editor.reading_list.entries) if g.strong]
        if not groups:
            return done
        records = journal.read(log_path)
        for group in groups:
            keys = [entry.id for entry in group.entries]
            plan = merging.merge([editor.plain(key) for key in keys], keys)
            kept = keys[plan.kept]
            merged = [key for key in keys if key != kept]
            before = editor.table_text(kept)
            positions, texts = editor.merge(kept, merged, plan.assignments)
            record = MergeRecord(
                date=today,
                kept=kept,
                merged=tuple(merged),
                evidence=tuple(str(item) for item in group.evidence),
                kept_before=before,
                kept_after=editor.table_text(kept),
                merged_tables=texts,
                merged_positions=positions,
            )
            records.append(record)
            done.append(Merged(record, plan.conflicts))
        journal.write(log_path, records)
        editor.save()
    return done


def undo(path: Path) -> MergeRecord:
    """Undo the latest recorded merge of the list; refuse when it would lose later edits."""
    log_path = journal.journal_path(path)
    with store.editing(path) as editor:
        records = journal.read(log_path)
        if not records:
            raise InputError(f"{path}: no merge to undo ({log_path.name} records none)")
        record = records[-1]
        if editor.table_text(record.kept) != record.kept_after:
            raise InputError(
                f"{path}: {record.kept} changed since it was merged; undoing would lose "
                f"those edits (its tables before the merge are in {log_path.name})"
            )
        editor.unmerge(
            record.kept, record.kept_before, record.merged_positions, record.merged_tables
        )
        editor.save()
        journal.write(log_path, records[:-1])
    return record
