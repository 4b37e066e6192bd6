"""Add the papers found in documents to a reading list."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from curator import store
from curator.cache import Cache, CachedSource, paper_to_dict
from curator.errors import SourceError
from curator.models import Entry, Mentions, Status
from curator.resolve import resolve
from curator.sources import MetadataSource


@dataclass(frozen=True, slots=True)
class HarvestReport:
    """The outcome of one harvest, for people (the summary) and scripts (``--json``)."""

    list_path: Path
    links: int
    """Occurrences of arXiv identifiers in the sources."""
    papers: int
    """Distinct papers among them."""
    already_listed: tuple[str, ...] = ()
    added: tuple[str, ...] = ()
    """Papers new to the list (with --dry-run: that would be added)."""
    unresolved: tuple[str, ...] = ()
    """New papers arXiv does not know; kept in the list, marked unresolved."""
    pending: tuple[str, ...] = ()
    """New papers whose metadata could not be fetched; kept, marked pending."""
    failures: tuple[SourceError, ...] = field(default=())
    dry_run: bool = False

    @property
    def complete(self) -> bool:
        """Tell whether every paper the harvest saw is in the list with its metadata."""
        return not (self.unresolved or self.pending)


def provenance(mentions: Mentions) -> tuple[str, ...]:
    """Return ``source:line:column`` of the first occurrence in each document, in order."""
    seen: dict[str, str] = {}
    for occurrence in mentions.occurrences:
        seen.setdefault(
            occurrence.source, f"{occurrence.source}:{occurrence.line}:{occurrence.column}"
        )
    return tuple(seen.values())


def harvest(
    mentions: Sequence[Mentions],
    *,
    links: int,
    list_path: Path,
    source: MetadataSource,
    today: dt.date,
    section: str | None = None,
    tags: Sequence[str] = (),
    dry_run: bool = False,
    cache: Cache | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> HarvestReport:
    """Add the papers of ``mentions`` that the list lacks, resolving them on arXiv.

    New papers are written as pending before arXiv is asked, so that a failing
    service loses nothing; papers already listed only gain the new provenance.
    """
    if dry_run:
        store.check_list_path(list_path)  # what the real run would refuse, a dry run refuses too
        known = {e.id for e in store.load(list_path).entries} if list_path.exists() else set()
        return HarvestReport(
            list_path,
            links,
            len(mentions),
            already_listed=tuple(m.id for m in mentions if m.id in known),
            added=tuple(m.id for m in mentions if m.id not in known),
            dry_run=True,
        )

    with store.editing(list_path, create=True) as editor:
        known = editor.ids()
        listed: list[str] = []
        new: list[str] = []
        for mention in mentions:
            if mention.id in known:
                listed.append(mention.id)
                editor.record_sightings(
                    mention.id, sources=provenance(mention), versions=mention.versions
                )
                continue
            new.append(mention.id)
            editor.add(
                Entry(
                    id=mention.id,
                    section=section,
                    tags=tuple(tags),
                    added=today,
                    sources=provenance(mention),
                    versions=mention.versions,
                    status=Status.PENDING,
                )
            )
        editor.save()
        if cache is not None:
            # What arXiv answers now spares the next refresh from asking again.
            source = CachedSource(source, cache, "arxiv", paper_to_dict)
        outcome = resolve(editor, new, source, on_progress=on_progress)
    failures = () if outcome.failure is None else (outcome.failure,)
    return HarvestReport(
        list_path,
        links,
        len(mentions),
        tuple(listed),
        tuple(new),
        outcome.unknown,
        outcome.unchecked,
        failures,
    )
