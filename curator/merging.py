"""How duplicate entries become one: which entry stays and what it takes from the others.

The rules work on the plain values of the ``[[paper]]`` tables, so that keys
curator does not know are merged too. Nothing a person wrote is dropped:

- ``note``: the distinct notes, the kept entry's first, joined by a blank line.
- ``tags``: every tag, in order of first appearance.
- ``section``: the kept entry's (or else the first other's); any other section
  becomes a tag, so the paper can be found under it.
- ``sources``, ``versions``: combined; ``added``: the earliest date.
- other keys: the kept entry's value stays; a key it lacks is taken from the
  first other entry that has it. A user key with a different value in another
  entry is a conflict, as is a different identifier (``id``, ``doi``,
  ``venue_doi``, ``s2_id``): the kept value stays, and the other value is
  reported (and kept in the merge record, so ``curator dedupe --undo`` restores it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from curator.list_schema import PAPER_KEYS

NOTE_SEPARATOR = "\n\n"


@dataclass(frozen=True, slots=True)
class Conflict:
    """A value of a merged-away entry that the kept entry's own value shadows."""

    key: str
    entry_id: str
    value: Any


@dataclass(frozen=True, slots=True)
class Merge:
    """What merging a group does to the kept entry's table."""

    kept: int
    """Index, in the group, of the entry that stays."""
    assignments: dict[str, Any]
    """Keys of the kept table to set, with their new values; keys not named stay as they are."""
    conflicts: tuple[Conflict, ...]


def choose_kept(tables: Sequence[Mapping[str, Any]]) -> int:
    """Return which table of a group stays: one with an arXiv id, resolved, first in the list."""

    def rank(index: int) -> tuple[bool, bool, int]:
        table = tables[index]
        return "id" not in table, "status" in table, index

    return min(range(len(tables)), key=rank)


def merge(tables: Sequence[Mapping[str, Any]], keys: Sequence[str]) -> Merge:
    """Work out the merge of a duplicate group; ``keys[i]`` names ``tables[i]`` in messages."""
    kept_index = choose_kept(tables)
    kept = tables[kept_index]
    others = [(keys[i], tables[i]) for i in range(len(tables)) if i != kept_index]
    ordered = [kept, *(table for _, table in others)]
    wanted: dict[str, Any] = {}
    notes = _distinct(t["note"] for t in ordered if isinstance(t.get("note"), str) and t["note"])
    if notes:
        wanted["note"] = NOTE_SEPARATOR.join(notes)
    sections = _distinct(t["section"] for t in ordered if isinstance(t.get("section"), str))
    if sections:
        wanted["section"] = sections[0]
    tags = _distinct([*(tag for t in ordered for tag in t.get("tags", ())), *sections[1:]])
    if tags:
        wanted["tags"] = tags
    sources = _distinct(source for t in ordered for source in t.get("sources", ()))
    if sources:
        wanted["sources"] = sources
    versions = sorted({v for t in ordered for v in t.get("versions", ())})
    if versions:
        wanted["versions"] = versions
    added = [t["added"] for t in ordered if "added" in t]
    if added:
        wanted["added"] = min(added)
    conflicts = []
    for other_key, other in others:
        for key, value in other.items():
            if key in _COMBINED or key == "status":
                continue
            if key not in kept and key not in wanted:
                wanted[key] = value
            elif _owned_by_user_or_identity(key) and kept.get(key, wanted.get(key)) != value:
                conflicts.append(Conflict(key, other_key, value))
    changed = {key: value for key, value in wanted.items() if kept.get(key) != value}
    return Merge(kept_index, changed, tuple(conflicts))


_COMBINED = frozenset({"note", "section", "tags", "sources", "versions", "added"})
_IDENTIFIERS = frozenset({"id", "doi", "venue_doi", "s2_id"})


def _owned_by_user_or_identity(key: str) -> bool:
    return key in _IDENTIFIERS or key not in PAPER_KEYS


def _distinct(values: Any) -> list[Any]:
    seen: list[Any] = []
    for value in values:
        if value not in seen:
            seen.append(value)
    return seen
