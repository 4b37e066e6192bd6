"""Add the papers found in documents to a reading list."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from curator import identity, ids, store
from curator.cache import Cache, CachedSource, citations_from_dict, paper_to_dict
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


@dataclass(frozen=True, slots=True)
class Placement:
    """Where a new paper goes in the list, and what its source said of it."""

    section: str | None = None
    note: str | None = None


def _listed_as(
    mentions: Sequence[Mentions], entries: Sequence[Entry], cache: Cache | None
) -> list[str | None]:
    """Return, for each mentioned paper, the key of the entry that already is it, if any.

    Besides its arXiv id, a paper is recognised by what Semantic Scholar said of it in
    an earlier refresh (its paper id and publisher DOI), so that a published version
    added by hand is not joined by its preprint.
    """
    held = identity.holders(entries)
    wanted = [mention.id for mention in mentions]
    said = {} if cache is None else cache.get_many("s2", wanted, max_age=_IDENTITY_MAX_AGE)
    found: list[str | None] = []
    for arxiv_id in wanted:
        keys = [(identity.ARXIV, arxiv_id), (identity.DOI, ids.arxiv_doi(arxiv_id).lower())]
        hit = said.get(arxiv_id)
        if hit is not None and hit.value is not None:
            known = citations_from_dict(hit.value)
            keys.append((identity.SEMANTIC_SCHOLAR, known.s2_id))
            if known.venue_doi:
                keys.append((identity.DOI, known.venue_doi.lower()))
        found.append(next((held[key] for key in keys if key in held), None))
    return found


_IDENTITY_MAX_AGE = dt.timedelta(days=3650)
"""What Semantic Scholar said a paper is stays good enough to recognise it for years."""


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
    placements: Mapping[str, Placement] | None = None,
) -> HarvestReport:
    """Add the papers of ``mentions`` that the list lacks, resolving them on arXiv.

    New papers are written as pending before arXiv is asked, so that a failing
    service loses nothing; papers already listed only gain the new provenance.
    A paper's ``placements`` entry, when there is one, gives its section (else
    ``section``) and note; papers already listed keep their own.
    """
    if dry_run:
        store.check_list_path(list_path)  # what the real run would refuse, a dry run refuses too
        entries = store.load(list_path).entries if list_path.exists() else ()
        listed_as = _listed_as(mentions, entries, cache)
        return HarvestReport(
            list_path,
            links,
            len(mentions),
            already_listed=tuple(m.id for m, t in zip(mentions, listed_as, strict=True) if t),
            added=tuple(m.id for m, t in zip(mentions, listed_as, strict=True) if not t),
            dry_run=True,
        )

    with store.editing(list_path, create=True) as editor:
        entries = editor.reading_list.entries
        listed: list[str] = []
        new: list[str] = []
        pending = {e.id for e in entries if e.status is Status.PENDING}
        retried: list[str] = []  # papers an earlier harvest left pending are finished now too
        for mention, twin in zip(mentions, _listed_as(mentions, entries, cache), strict=True):
            if twin is not None:
                listed.append(mention.id)
                if twin in pending:
                    retried.append(twin)
                editor.record_sightings(
                    twin, sources=provenance(mention), versions=mention.versions
                )
                continue
            new.append(mention.id)
            placement = (placements or {}).get(mention.id, Placement())
            editor.add(
                Entry(
                    id=mention.id,
                    section=placement.section or section,
                    note=placement.note,
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
        outcome = resolve(editor, [*new, *retried], source, on_progress=on_progress)
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
