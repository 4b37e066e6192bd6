"""Bring a reading list up to date: arXiv metadata, then Semantic Scholar citation counts.

Whatever a service answered is cached (see :mod:`curator.cache`), so a refresh
within ``max_age`` asks nothing, and a refresh that stops half way (Ctrl-C, a
kill, a storm of 429s) continues where it stopped: every batch is saved to the
list, the cache and the history before the next one is asked for.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, Protocol, TypeVar

from curator import history, store
from curator.cache import (
    Cache,
    Kind,
    citations_from_dict,
    citations_to_dict,
    paper_from_dict,
    paper_to_dict,
)
from curator.errors import SourceError
from curator.models import Citations, Paper, Status
from curator.resolve import resolve
from curator.sources import CitationSource, MetadataSource
from curator.store import ListEditor

logger = logging.getLogger(__name__)

METADATA_MAX_AGE = dt.timedelta(days=30)
CITATIONS_MAX_AGE = dt.timedelta(days=7)

Record = TypeVar("Record", Paper, Citations)
Answer_co = TypeVar("Answer_co", Paper, Citations, covariant=True)
Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class RefreshReport:
    """The outcome of refreshing one list."""

    list_path: Path
    checked: tuple[str, ...] = ()
    """Identifiers looked up on arXiv."""
    resolved: tuple[str, ...] = ()
    """Identifiers arXiv described."""
    unresolved: tuple[str, ...] = ()
    """Entries of the list, after the refresh, that arXiv does not know."""
    pending: tuple[str, ...] = ()
    """Entries of the list, after the refresh, still waiting for their metadata."""
    citations_checked: tuple[str, ...] = ()
    """Identifiers looked up on Semantic Scholar."""
    citations_known: int = 0
    """Entries of the list, after the refresh, with a citation count."""
    citations_unknown: tuple[str, ...] = ()
    """Entries of the list, after the refresh, without a citation count."""
    history_rows: int = 0
    """Rows appended to the citation history."""
    skipped: int = 0
    """Look-ups left out because of ``offline``."""
    failures: tuple[SourceError, ...] = ()

    @property
    def complete(self) -> bool:
        """Tell whether every entry has its metadata and no service failed."""
        return not (self.unresolved or self.pending or self.failures)


class _Source(Protocol[Answer_co]):
    @property
    def max_batch(self) -> int: ...

    def lookup(self, ids: Sequence[str]) -> Mapping[str, Answer_co]: ...


class _Cached(Generic[Record]):
    """A source whose every answer, "unknown" included, is written to the cache at once."""

    def __init__(
        self,
        source: _Source[Record],
        cache: Cache,
        kind: Kind,
        to_dict: Callable[[Record], dict[str, object]],
    ) -> None:
        self.max_batch = source.max_batch
        self._source: _Source[Record] = source
        self._cache = cache
        self._kind: Kind = kind
        self._to_dict: Callable[[Record], dict[str, object]] = to_dict

    def lookup(self, ids: Sequence[str]) -> Mapping[str, Record]:
        found = self._source.lookup(ids)
        answers = {key: self._to_dict(found[key]) if key in found else None for key in ids}
        self._cache.put_many(self._kind, answers)
        return found


def _fresh(
    ids: Sequence[str],
    cache: Cache,
    kind: Kind,
    max_age: dt.timedelta,
    from_dict: Callable[[Mapping[str, object]], Record],
) -> tuple[dict[str, Record | None], list[str]]:
    """Split ``ids`` into cached answers younger than ``max_age`` and the ones to ask for."""
    fresh: dict[str, Record | None] = {}
    stale: list[str] = []
    for key in ids:
        hit = cache.get(kind, key, max_age=max_age)
        if hit is None:
            stale.append(key)
            continue
        try:
            fresh[key] = None if hit.value is None else from_dict(hit.value)
        except ValueError:
            logger.warning("ignoring a damaged cache record for %s", key)
            stale.append(key)
    return fresh, stale


def refresh(
    list_path: Path,
    *,
    cache: Cache,
    today: dt.date,
    arxiv: MetadataSource | None = None,
    s2: CitationSource | None = None,
    metadata_max_age: dt.timedelta = METADATA_MAX_AGE,
    citations_max_age: dt.timedelta = CITATIONS_MAX_AGE,
    offline: bool = False,
    on_progress: Progress | None = None,
) -> RefreshReport:
    """Refresh the metadata (with ``arxiv``) and citation counts (with ``s2``) of one list.

    Pending and unresolved entries are always looked up; the others only when
    their cached answer is older than the max age. With ``offline`` nothing is
    asked: cached answers are used and the rest is counted as skipped.
    """
    with store.editing(list_path) as editor:
        failures: list[SourceError] = []
        checked: tuple[str, ...] = ()
        resolved: tuple[str, ...] = ()
        skipped = 0
        if arxiv is not None:
            checked, resolved, skipped, failure = _metadata(
                editor, arxiv, cache, metadata_max_age, offline=offline, on_progress=on_progress
            )
            failures.extend([failure] if failure else [])
        asked: tuple[str, ...] = ()
        rows = 0
        if s2 is not None and not failures:
            asked, rows, skipped_citations, failure = _citations(
                editor,
                s2,
                cache,
                citations_max_age,
                today=today,
                history_file=history.history_path(list_path),
                offline=offline,
                on_progress=on_progress,
            )
            skipped += skipped_citations
            failures.extend([failure] if failure else [])
        entries = editor.reading_list.entries
    return RefreshReport(
        list_path,
        checked,
        resolved,
        unresolved=tuple(entry.id for entry in entries if entry.status is Status.UNRESOLVED),
        pending=tuple(entry.id for entry in entries if entry.status is Status.PENDING),
        citations_checked=asked,
        citations_known=sum(entry.citations is not None for entry in entries),
        citations_unknown=tuple(entry.id for entry in entries if entry.citations is None),
        history_rows=rows,
        skipped=skipped,
        failures=tuple(failures),
    )


def _metadata(
    editor: ListEditor,
    arxiv: MetadataSource,
    cache: Cache,
    max_age: dt.timedelta,
    *,
    offline: bool,
    on_progress: Progress | None,
) -> tuple[tuple[str, ...], tuple[str, ...], int, SourceError | None]:
    """Bring arXiv metadata up to date; return what was asked, resolved, skipped, failure."""
    entries = editor.reading_list.entries
    unfinished = {entry.id for entry in entries if entry.status is not Status.RESOLVED}
    fresh, stale = _fresh([entry.id for entry in entries], cache, "arxiv", max_age, paper_from_dict)
    for key, paper in fresh.items():
        # Finished entries already hold their cached answer; unfinished ones may gain one
        # that another list's refresh fetched.
        if key in unfinished:
            if paper is None:
                editor.set_status(key, Status.UNRESOLVED)
            else:
                editor.update(paper)
    editor.save()
    if offline:
        return (), (), len(stale), None
    outcome = resolve(
        editor, stale, _Cached(arxiv, cache, "arxiv", paper_to_dict), on_progress=on_progress
    )
    return tuple(stale), outcome.resolved, 0, outcome.failure


def _citations(
    editor: ListEditor,
    s2: CitationSource,
    cache: Cache,
    max_age: dt.timedelta,
    *,
    today: dt.date,
    history_file: Path,
    offline: bool,
    on_progress: Progress | None,
) -> tuple[tuple[str, ...], int, int, SourceError | None]:
    """Bring citation counts up to date; return what was asked, history rows, skipped, failure."""
    ids = [entry.id for entry in editor.reading_list.entries]
    fresh, stale = _fresh(ids, cache, "s2", max_age, citations_from_dict)
    for citations in fresh.values():
        if citations is not None:
            editor.update_citations(citations)
    editor.save()
    if offline:
        return (), 0, len(stale), None
    source = _Cached(s2, cache, "s2", citations_to_dict)
    known_history = history.read(history_file)
    rows = 0
    batches = [stale[i : i + source.max_batch] for i in range(0, len(stale), source.max_batch)]
    done = 0
    for batch in batches:
        try:
            found = source.lookup(batch)
        except SourceError as error:
            return tuple(stale), rows, 0, error
        for citations in found.values():
            editor.update_citations(citations)
        editor.save()
        observed = [
            history.Observation(key, today, c.citations, c.influential_citations)
            for key, c in found.items()
        ]
        # Batches hold distinct papers, so the history read once stays right for each.
        rows += history.append(history_file, observed, history=known_history)
        done += len(batch)
        if on_progress is not None:
            on_progress(done, len(stale))
    return tuple(stale), rows, 0, None
