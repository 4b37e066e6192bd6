"""When two entries of a list are the same work.

A work appears under many names: arXiv versions, the arXiv DOI, the publisher's
DOI once it is published, a Semantic Scholar paper id. Two entries are the same
work when any of these *strong* identifiers is shared; entries linked through a
chain of shared identifiers form one duplicate group. A matching normalised
title and first author is only a *suggestion*: different papers do share
titles ("Segment Anything" has follow-ups with the same words).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from curator.models import Entry

ARXIV = "arXiv id"
DOI = "DOI"
SEMANTIC_SCHOLAR = "Semantic Scholar id"
TITLE = "title and first author"


@dataclass(frozen=True, slots=True)
class Evidence:
    """One identifier shared by entries of a group: what kind, its value, and who shares it."""

    kind: str
    value: str
    ids: tuple[str, ...]
    """The keys of the entries sharing it, in list order."""

    def __str__(self) -> str:
        return f"same {self.kind} {self.value}: {', '.join(self.ids)}"


@dataclass(frozen=True, slots=True)
class Group:
    """Entries that are one work, with the identifiers that tie them together."""

    entries: tuple[Entry, ...]
    """In list order."""
    evidence: tuple[Evidence, ...]
    strong: bool
    """False when only a title and first author match: a suggestion to check by hand."""


def strong_keys(entry: Entry) -> Iterator[tuple[str, str]]:
    """Yield every strong identifier of an entry as (kind, normalised value)."""
    if entry.arxiv_id is not None:
        yield ARXIV, entry.arxiv_id
    dois = {doi.lower() for doi in (entry.arxiv_doi, entry.doi, entry.venue_doi) if doi}
    for doi in sorted(dois):
        yield DOI, doi
    if entry.s2_id:
        yield SEMANTIC_SCHOLAR, entry.s2_id


def holders(entries: Sequence[Entry]) -> dict[tuple[str, str], str]:
    """Map every strong identifier of ``entries`` to the key of the first entry holding it."""
    held: dict[tuple[str, str], str] = {}
    for entry in entries:
        for key in strong_keys(entry):
            held.setdefault(key, entry.id)
    return held


def title_key(entry: Entry) -> str | None:
    """Return the normalised title and first author's last name, or None when either is unknown."""
    if not entry.title or not entry.authors:
        return None
    title = normalise(entry.title)
    surname = normalise(entry.authors[0]).rpartition(" ")[2]
    if not title or not surname:
        return None
    return f"{title} / {surname}"


def normalise(text: str) -> str:
    """Fold case, accents, punctuation and spacing away: ``"SAM-Med2D: …"`` → ``"sam med2d …"``."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(_WORD.findall(bare.casefold()))


def duplicates(entries: Sequence[Entry]) -> list[Group]:
    """Return the duplicate groups of a list: strong groups first, then title suggestions.

    An entry is in at most one strong group; a title suggestion is made only for
    entries not already grouped by a strong identifier with each other.
    """
    strong = _groups(entries, lambda entry: list(strong_keys(entry)), strong=True)
    grouped = {frozenset(entry.id for entry in group.entries) for group in strong}
    suggested = [
        group
        for group in _groups(entries, _title_keys, strong=False)
        if not any(frozenset(entry.id for entry in group.entries) <= ids for ids in grouped)
    ]
    return strong + suggested


def _title_keys(entry: Entry) -> list[tuple[str, str]]:
    key = title_key(entry)
    return [] if key is None else [(TITLE, key)]


def _groups(
    entries: Sequence[Entry],
    keys_of: Callable[[Entry], list[tuple[str, str]]],
    *,
    strong: bool,
) -> list[Group]:
    parent = list(range(len(entries)))

    def root(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    holders: dict[tuple[str, str], list[int]] = {}
    for index, entry in enumerate(entries):
        for key in keys_of(entry):
            holders.setdefault(key, []).append(index)
    for indices in holders.values():
        for other in indices[1:]:
            parent[root(other)] = root(indices[0])
    members: dict[int, list[int]] = {}
    for index in range(len(entries)):
        members.setdefault(root(index), []).append(index)
    groups = []
    for indices in members.values():
        if len(indices) < 2:
            continue
        evidence = tuple(
            Evidence(kind, value, tuple(entries[i].id for i in sharing))
            for (kind, value), sharing in holders.items()
            if len(sharing) > 1 and sharing[0] in indices
        )
        groups.append(Group(tuple(entries[i] for i in indices), evidence, strong))
    return groups


_WORD = re.compile(r"[^\W_]+")
