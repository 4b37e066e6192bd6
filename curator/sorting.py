"""Order and group the entries of a reading list for display.

Every order is total: the canonical identifier breaks the last tie, so the same
entries give the same order whatever order they were loaded in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from enum import Enum

from curator.ids import parse
from curator.models import Entry, ReadingList

OTHER_SECTION = "Other"
"""Heading of the entries that have no section, when other sections exist."""

UNKNOWN_YEAR = "Unknown year"
"""Heading of the entries whose year neither a date nor the identifier tells."""

_IdKey = tuple[int, int, int, str, int, str]

DAYS_PER_MONTH = 365.2425 / 12
"""The mean length of a Gregorian month, in days: velocity counts months of this length."""


class SortKey(str, Enum):
    """How ``sort_entries`` orders entries."""

    DATE = "date"
    """Newest first, by first-version date or else the identifier's year and month."""
    TITLE = "title"
    """Alphabetically, ignoring case; entries without a title last."""
    ID = "id"
    """By identifier: oldest submission month first, then serial number."""
    CITATIONS = "citations"
    """Most cited first; entries whose count is unknown last."""
    VELOCITY = "velocity"
    """Most citations per month since publication first (see ``citations_per_month``)."""


class GroupKey(str, Enum):
    """How ``group_entries`` splits entries under headings."""

    SECTION = "section"
    YEAR = "year"
    NONE = "none"


def sort_entries(
    entries: Iterable[Entry], by: SortKey, *, as_of: dt.date | None = None
) -> list[Entry]:
    """Return ``entries`` in the order ``by`` names, with the identifier as last tie-breaker.

    Sorting by velocity needs ``as_of``, the date the citation counts were observed.
    """
    if by is SortKey.VELOCITY:
        if as_of is None:
            raise ValueError("sorting by velocity needs the date of the counts (as_of)")
        return _by_number(list(entries), lambda entry: citations_per_month(entry, as_of))
    if by is SortKey.CITATIONS:
        return _by_number(list(entries), lambda entry: entry.citations)
    return _SORTERS[by](list(entries))


def citations_per_month(entry: Entry, as_of: dt.date) -> float | None:
    """Return the entry's citations per month from its first version to ``as_of``.

    The start is the first-version date, or else the first day of the month its
    identifier encodes. Months are ``DAYS_PER_MONTH`` days long and at least one
    month is counted, so a paper cited before its first month is over is not
    ranked above everything. None when the count or the start is unknown.
    """
    if entry.citations is None:
        return None
    start = entry.published or _id_month(entry.id)
    if start is None:
        return None
    months = (as_of - start).days / DAYS_PER_MONTH
    return entry.citations / max(1.0, months)


def _by_date(entries: list[Entry]) -> list[Entry]:
    dated = [entry for entry in entries if _date_key(entry) is not None]
    undated = [entry for entry in entries if _date_key(entry) is None]
    # Reversing the whole key keeps "newest first" for same-day ties too: a higher
    # serial number within a month was submitted later.
    newest_first = sorted(
        dated, key=lambda entry: (_date_key(entry), _id_key(entry.id)), reverse=True
    )
    return newest_first + sorted(undated, key=lambda entry: _id_key(entry.id))


def _by_title(entries: list[Entry]) -> list[Entry]:
    return sorted(
        entries, key=lambda entry: (not _title_key(entry), _title_key(entry), _id_key(entry.id))
    )


def _by_id(entries: list[Entry]) -> list[Entry]:
    return sorted(entries, key=lambda entry: _id_key(entry.id))


def _by_number(entries: list[Entry], number: Callable[[Entry], float | None]) -> list[Entry]:
    """Order by ``number`` highest first, ties by identifier, and entries without one last."""
    known = [(value, entry) for entry in entries if (value := number(entry)) is not None]
    unknown = [entry for entry in entries if number(entry) is None]
    highest_first = sorted(known, key=lambda pair: (-pair[0], _id_key(pair[1].id)))
    return [entry for _, entry in highest_first] + _by_id(unknown)


_SORTERS: dict[SortKey, Callable[[list[Entry]], list[Entry]]] = {
    SortKey.DATE: _by_date,
    SortKey.TITLE: _by_title,
    SortKey.ID: _by_id,
}


def group_entries(
    reading_list: ReadingList, entries: Iterable[Entry], by: GroupKey
) -> list[tuple[str | None, list[Entry]]]:
    """Split ``entries`` under headings, keeping their order within each group.

    Sections come in the list's declared order, then undeclared sections
    alphabetically, then the entries without a section under ``OTHER_SECTION``
    (merged into a section of that name if the list has one). When no entry has
    a section there is one group without a heading. Years come newest first.
    Empty groups are left out.
    """
    entries = list(entries)
    if not entries:
        return []
    if by is GroupKey.NONE:
        return [(None, entries)]
    if by is GroupKey.YEAR:
        labelled = [(_year_label(entry), entry) for entry in entries]
        years = {label for label, _ in labelled} - {UNKNOWN_YEAR}
        order = [*sorted(years, reverse=True), UNKNOWN_YEAR]
    else:
        if all(_section_label(entry) is None for entry in entries):
            return [(None, entries)]
        labelled = [(_section_label(entry) or OTHER_SECTION, entry) for entry in entries]
        declared = list(dict.fromkeys(filter(None, map(_clean, reading_list.sections))))
        undeclared = {label for label, _ in labelled} - {*declared, OTHER_SECTION}
        order = [*declared, *sorted(undeclared, key=lambda label: (label.casefold(), label))]
        if OTHER_SECTION not in order:
            order.append(OTHER_SECTION)
    groups = [(label, [entry for key, entry in labelled if key == label]) for label in order]
    return [(label, members) for label, members in groups if members]


def _section_label(entry: Entry) -> str | None:
    return _clean(entry.section or "") or None


def _clean(text: str) -> str:
    return " ".join(text.split())


def _year_label(entry: Entry) -> str:
    year = entry.year
    return UNKNOWN_YEAR if year is None else f"{year:04d}"


def _title_key(entry: Entry) -> str:
    return _clean(entry.title or "").casefold()


def _date_key(entry: Entry) -> tuple[int, int, int] | None:
    """Return (year, month, day) to sort by; day 0 when only the identifier's month is known."""
    if entry.published is not None:
        return (entry.published.year, entry.published.month, entry.published.day)
    malformed, year, month, *_ = _id_key(entry.id)
    return None if malformed else (year, month, 0)


def _id_month(identifier: str) -> dt.date | None:
    """Return the first day of the month a well-formed identifier was submitted in."""
    malformed, year, month, *_ = _id_key(identifier)
    return None if malformed else dt.date(year, month, 1)


def _id_key(identifier: str) -> _IdKey:
    """Order identifiers by submission month, archive and serial number; malformed ones last.

    Old-style identifiers all predate April 2007 and new-style ones all follow
    it, so one (year, month) order covers both styles.
    """
    parsed = parse(identifier)
    if parsed is None:
        return (1, 0, 0, "", 0, identifier)
    archive, _, serial = parsed.canonical.rpartition("/")
    digits = serial.replace(".", "")
    return (0, parsed.year, int(digits[2:4]), archive, int(digits[4:]), identifier)
