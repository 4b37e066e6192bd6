"""Results as plain JSON-ready dictionaries, for ``--json`` output."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from curator.ids import abs_url
from curator.models import Entry, Mentions, Occurrence

if TYPE_CHECKING:  # the use cases import far more than these records need at run time
    from curator.harvest import HarvestReport
    from curator.refresh import RefreshReport


def entry_record(entry: Entry) -> dict[str, object]:
    """Return the facts of an entry as JSON-ready values; unknown values are None, never guesses."""
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
        "section": entry.section,
        "tags": list(entry.tags),
        "note": entry.note,
        "added": _iso(entry.added),
        "versions": list(entry.versions),
        "sources": list(entry.sources),
        "status": entry.status.value,
        "url": abs_url(entry.id),
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
    """Return the outcome of refreshing one list: the ids in each state, and the failure."""
    return {
        "list": str(report.list_path),
        "checked": list(report.checked),
        "resolved": list(report.resolved),
        "unresolved": list(report.unresolved),
        "pending": list(report.pending),
        "failure": None if report.failure is None else str(report.failure),
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


def _iso(date: dt.date | None) -> str | None:
    return None if date is None else date.isoformat()
