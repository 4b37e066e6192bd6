"""Bring the metadata of a reading list up to date."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from curator import store
from curator.errors import SourceError
from curator.models import Status
from curator.resolve import resolve
from curator.sources import MetadataSource


@dataclass(frozen=True, slots=True)
class RefreshReport:
    """The outcome of refreshing one list."""

    list_path: Path
    checked: tuple[str, ...] = ()
    """Identifiers the refresh set out to look up."""
    resolved: tuple[str, ...] = ()
    """Identifiers arXiv described."""
    unresolved: tuple[str, ...] = ()
    """Entries of the list, after the refresh, that arXiv does not know."""
    pending: tuple[str, ...] = ()
    """Entries of the list, after the refresh, still waiting for their metadata."""
    failure: SourceError | None = None

    @property
    def complete(self) -> bool:
        """Tell whether every entry of the list now has its metadata."""
        return not (self.unresolved or self.pending)


def refresh(
    list_path: Path,
    source: MetadataSource,
    *,
    everything: bool = False,
    on_progress: Callable[[int, int], None] | None = None,
) -> RefreshReport:
    """Resolve the pending and unresolved entries of a list (with ``everything``, all entries)."""
    with store.editing(list_path) as editor:
        checked = tuple(
            entry.id
            for entry in editor.reading_list.entries
            if everything or entry.status is not Status.RESOLVED
        )
        outcome = resolve(editor, checked, source, on_progress=on_progress)
        entries = editor.reading_list.entries
    return RefreshReport(
        list_path,
        checked,
        outcome.resolved,
        unresolved=tuple(entry.id for entry in entries if entry.status is Status.UNRESOLVED),
        pending=tuple(entry.id for entry in entries if entry.status is Status.PENDING),
        failure=outcome.failure,
    )
