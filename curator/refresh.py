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
from typing import TypeVar

from curator import history, store
from curator.cache import (
    Cache,
    CachedSource,
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
    not_asked: int = 0
    """Look-ups that were due but not made: skipped offline, or left by a failure."""
    failures: tuple[SourceError, ...] = ()

    @property
    def complete(self) -> bool:
        """Tell whether every entry has its metadata and no service failed."""
        return not (self.unresolved or self.pending or self.failures)


def _fresh(
    ids: Sequence[str],
    cache: Cache,
    kind: Kind,
    max_age: dt.timedelta,
    from_dict: Callable[[Mapping[str, object]], Record],
) -> tuple[dict[str, tuple[Record | None, dt.date]], list[str]]:
    """Split ``ids`` into cached answers younger than ``max_age`` (with the day each was
    fetched) and the ones to ask for."""
    fresh: dict[str, tuple[Record | None, dt.date]] = {}
    stale: list[str] = []
    hits = cache.get_many(kind, ids, max_age=max_age)
    for key in ids:
        hit = hits.get(key)
        if hit is None:
            stale.append(key)
            continue
        try:
            record = None if hit.value is None else from_dict(hit.value)
        except ValueError:
            logger.warning("ignoring a damaged cache record for %s", key)
            stale.append(key)
            continue
        fresh[key] = (record, hit.fetched_at.date())
    return fresh, stale


@dataclass(frozen=True, slots=True)
class _Step:
    """What one service step of a refresh did."""

    asked: tuple[str, ...] = ()
    """Identifiers the service answered for in this refresh."""
    found: tuple[str, ...] = ()
    """Identifiers it described."""
    unknown: tuple[str, ...] = ()
    """Identifiers it said it does not know, now or in a cached answer still fresh."""
    not_asked: int = 0
    """Look-ups due but not made: skipped offline, or left after a failure."""
    history_rows: int = 0
    failure: SourceError | None = None


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
    asked: cached answers are used and the rest is counted as not asked. A failing
    service stops its own step only: counts are still fetched when arXiv fails.
    """
    with store.editing(list_path) as editor:
        metadata = _Step()
        if arxiv is not None:
            metadata = _metadata(
                editor,
                arxiv,
                cache=cache,
                max_age=metadata_max_age,
                offline=offline,
                on_progress=on_progress,
            )
        citations = _Step()
        if s2 is not None:
            history_file = history.history_path(list_path)
            citations = _citations(
                editor,
                s2,
                cache=cache,
                max_age=citations_max_age,
                offline=offline,
                on_progress=on_progress,
                today=today,
                history_file=history_file,
            )
        entries = editor.reading_list.entries
    return RefreshReport(
        list_path,
        metadata.asked,
        metadata.found,
        unresolved=tuple(entry.id for entry in entries if entry.status is Status.UNRESOLVED),
        pending=tuple(entry.id for entry in entries if entry.status is Status.PENDING),
        citations_checked=citations.asked,
        citations_known=sum(entry.citations is not None for entry in entries),
        citations_unknown=citations.unknown,
        history_rows=citations.history_rows,
        not_asked=metadata.not_asked + citations.not_asked,
        failures=tuple(step.failure for step in (metadata, citations) if step.failure),
    )


def _metadata(
    editor: ListEditor,
    arxiv: MetadataSource,
    *,
    cache: Cache,
    max_age: dt.timedelta,
    offline: bool,
    on_progress: Progress | None,
) -> _Step:
    """Bring the arXiv metadata of the list's papers on arXiv up to date."""
    entries = [entry for entry in editor.reading_list.entries if entry.arxiv_id is not None]
    unfinished = {entry.id for entry in entries if entry.status is not Status.RESOLVED}
    fresh, stale = _fresh([entry.id for entry in entries], cache, "arxiv", max_age, paper_from_dict)
    for key, (paper, _) in fresh.items():
        # Finished entries already hold their cached answer; unfinished ones may gain one
        # that another list's refresh fetched.
        if key in unfinished:
            if paper is None:
                editor.set_status(key, Status.UNRESOLVED)
            else:
                editor.update(paper)
    editor.save()
    if offline:
        return _Step(not_asked=len(stale))
    source = CachedSource(arxiv, cache, "arxiv", paper_to_dict)
    outcome = resolve(editor, stale, source, on_progress=on_progress)
    return _Step(
        asked=(*outcome.resolved, *outcome.unknown),
        found=outcome.resolved,
        unknown=outcome.unknown,
        not_asked=len(outcome.unchecked),
        failure=outcome.failure,
    )


def _citations(
    editor: ListEditor,
    s2: CitationSource,
    *,
    cache: Cache,
    max_age: dt.timedelta,
    offline: bool,
    on_progress: Progress | None,
    today: dt.date,
    history_file: Path,
) -> _Step:
    """Bring the citation counts of the list up to date, appending changed counts to history."""
    ids = [entry.id for entry in editor.reading_list.entries]
    fresh, stale = _fresh(ids, cache, "s2", max_age, citations_from_dict)
    for citations, _ in fresh.values():
        if citations is not None:
            editor.update_citations(citations)
    editor.save()
    known_before = tuple(key for key, (citations, _) in fresh.items() if citations is None)
    # Cached counts whose rows a stopped run did not write yet are recorded now, dated when
    # they were fetched; counts the history already holds add nothing. Batches below hold
    # other papers, so the history read once stays right for each of them.
    seen = history.read(history_file)
    cached = [
        history.Observation(key, day, c.citations, c.influential_citations)
        for key, (c, day) in fresh.items()
        if c is not None
    ]
    rows = history.append(history_file, cached, history=seen) if cached else 0
    if offline:
        return _Step(unknown=known_before, not_asked=len(stale), history_rows=rows)
    source = CachedSource(s2, cache, "s2", citations_to_dict)
    asked: list[str] = []
    found: set[str] = set()
    failure: SourceError | None = None
    for start in range(0, len(stale), source.max_batch):
        batch = stale[start : start + source.max_batch]
        try:
            answers = source.lookup(batch)
        except SourceError as error:
            failure = error
            break
        for citations in answers.values():
            editor.update_citations(citations)
        editor.save()
        observed = [
            history.Observation(key, today, c.citations, c.influential_citations)
            for key, c in answers.items()
        ]
        rows += history.append(history_file, observed, history=seen)
        asked.extend(batch)
        found.update(answers)
        if on_progress is not None:
            on_progress(len(asked), len(stale))
    return _Step(
        asked=tuple(asked),
        found=tuple(key for key in asked if key in found),
        unknown=known_before + tuple(key for key in asked if key not in found),
        not_asked=len(stale) - len(asked),
        history_rows=rows,
        failure=failure,
    )
