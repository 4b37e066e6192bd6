"""Results as plain JSON-ready dictionaries, for ``--json`` output."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from curator.models import Entry, Mentions, Occurrence
from curator.sorting import citations_per_month

if TYPE_CHECKING:  # the use cases import far more than these records need at run time
    from curator.harvest import HarvestReport
    from curator.refresh import RefreshReport


VELOCITY_DECIMALS = 2
"""Citations per month are rounded to this many decimals in records."""


def entry_record(entry: Entry, *, as_of: dt.date | None = None) -> dict[str, object]:
    """Return the facts of an entry as JSON-ready values; unknown values are None, never guesses.

    ``velocity`` (citations per month since publication) needs ``as_of``, the
    date of the counts; without it, it is None.
    """
    velocity = None if as_of is None else citations_per_month(entry, as_of)
    return {
        "id": entry.id,
        "title": entry.title,
        "authors": list(entry.authors),
        "published": _iso(entry.published),
        "updated": _iso(entry.updated),
        "year": entry.year,
        "primary_category": entry.primary_category,
        "doi": entry.doi,
        "journal_ref": entry.journal_ref,
        "venue": entry.venue,
        "venue_doi": entry.venue_doi,
        "venue_year": entry.venue_year,
        "latest_version": entry.latest_version,
        "withdrawn": entry.withdrawn,
        "citations": entry.citations,
        "influential_citations": entry.influential_citations,
        "velocity": _rounded(velocity),
        "s2_id": entry.s2_id,
        "section": entry.section,
        "tags": list(entry.tags),
        "note": entry.note,
        "added": _iso(entry.added),
        "versions": list(entry.versions),
        "sources": list(entry.sources),
        "status": entry.status.value,
        "url": entry.url,
        "arxiv_id": entry.arxiv_id,
        "arxiv_doi": entry.arxiv_doi,
    }


def trend_record(
    entry: Entry,
    *,
    citations: int | None,
    gained: int | None,
    per_month: float | None,
    series: Sequence[int],
) -> dict[str, object]:
    """Return how one paper's citations moved, for ``trending --json``; unknown values are None."""
    return {
        "id": entry.id,
        "title": entry.title,
        "url": entry.url,
        "citations": citations,
        "gained": gained,
        "per_month": _rounded(per_month),
        "series": list(series),
    }


def mentions_record(mentions: Mentions) -> dict[str, object]:
    """Return one paper found by ``extract``: its id, the versions seen and every occurrence."""
    return {
        "id": mentions.id,
        "versions": list(mentions.versions),
        "occurrences": [_occurrence(occurrence) for occurrence in mentions.occurrences],
    }


def harvest_record(report: HarvestReport) -> dict[str, object]:
    """Return the outcome of a harvest: counts, the ids in each state, and failures."""
    return {
        "list": str(report.list_path),
        "dry_run": report.dry_run,
        "links": report.links,
        "papers": report.papers,
        "already_listed": list(report.already_listed),
        "added": list(report.added),
        "unresolved": list(report.unresolved),
        "pending": list(report.pending),
        "failures": [str(failure) for failure in report.failures],
        "complete": report.complete,
    }


def refresh_record(report: RefreshReport) -> dict[str, object]:
    """Return the outcome of refreshing one list: ids in each state, citation counts, failures."""
    return {
        "list": str(report.list_path),
        "checked": list(report.checked),
        "resolved": list(report.resolved),
        "unresolved": list(report.unresolved),
        "pending": list(report.pending),
        "citations_checked": list(report.citations_checked),
        "citations_known": report.citations_known,
        "citations_unknown": list(report.citations_unknown),
        "history_rows": report.history_rows,
        "not_asked": report.not_asked,
        "failures": [str(failure) for failure in report.failures],
        "complete": report.complete,
    }


def _occurrence(occurrence: Occurrence) -> dict[str, object]:
    # Chat-export fields are null for other sources, so every object has the same keys.
    return {
        "source": occurrence.source,
        "line": occurrence.line,
        "column": occurrence.column,
        "text": occurrence.text,
        "version": occurrence.version,
        "message_id": occurrence.message_id,
        "date": occurrence.date,
        "author": occurrence.author,
    }


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, VELOCITY_DECIMALS)


def _iso(date: dt.date | None) -> str | None:
    return None if date is None else date.isoformat()
