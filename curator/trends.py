"""Which papers are rising: citations gained over a window and per month since publication."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from curator.history import History, Observation
from curator.models import Entry
from curator.sorting import SortKey, citations_per_month, sort_entries

BARS = "▁▂▃▄▅▆▇█"


@dataclass(frozen=True, slots=True)
class Trend:
    """How one paper's citations moved."""

    id: str
    citations: int | None
    """The count the list holds now; None when unknown."""
    gained: int | None
    """Citations gained over the window, from the history; None without any observation."""
    per_month: float | None
    """Citations per month since the first version; None when either is unknown."""
    series: tuple[int, ...]
    """The baseline count, then the counts observed within the window, oldest first."""


def compute(
    entries: Iterable[Entry], history: History, *, today: dt.date, since: dt.timedelta
) -> list[Trend]:
    """Return the trend of each entry, in the order given, over the ``since`` before ``today``.

    The baseline is the last observation on or before the window's start (``today``
    minus the whole days of ``since``), or the first observation when all of them
    fall inside the window. Observations dated after ``today`` are ignored.
    """
    start = today - dt.timedelta(days=since.days)
    return [_trend(entry, history.get(entry.id, ()), today=today, start=start) for entry in entries]


def _trend(
    entry: Entry, observations: Iterable[Observation], *, today: dt.date, start: dt.date
) -> Trend:
    # Sorting is stable: two rows of one day keep their file order, the later one wins.
    counts = sorted(
        ((seen.date, seen.citations) for seen in observations if seen.date <= today),
        key=lambda pair: pair[0],
    )
    before = [count for day, count in counts if count is not None and day <= start]
    within = [count for day, count in counts if count is not None and day > start]
    series = tuple(before[-1:] + within)
    gained = series[-1] - series[0] if series else None
    return Trend(entry.id, entry.citations, gained, citations_per_month(entry, today), series)


def rank(
    trends: Iterable[Trend], *, by: Literal["gained", "per_month"], top: int | None = None
) -> list[Trend]:
    """Return ``trends`` from the highest ``by`` down, unknown last, ties by identifier."""
    if top is not None and top < 0:
        raise ValueError(f"top must not be negative, not {top}")

    def key(trend: Trend) -> tuple[bool, float, str]:
        value = trend.gained if by == "gained" else trend.per_month
        return (value is None, 0.0 if value is None else -value, trend.id)

    ranked = sorted(trends, key=key)
    return ranked if top is None else ranked[:top]


def sparkline(series: Sequence[int]) -> str:
    """Draw ``series`` as one bar per value, lowest ``▁`` to highest ``█``; flat is all ``▁``."""
    if not series:
        return ""
    low, high = min(series), max(series)
    if low == high:
        return BARS[0] * len(series)
    top = len(BARS) - 1
    # Integer arithmetic: the same series always draws the same bars.
    return "".join(BARS[(value - low) * top // (high - low)] for value in series)


def as_of(history: History) -> dt.date | None:
    """Return the date of the latest observation, which the counts of the list date from."""
    return max(
        (seen.date for observations in history.values() for seen in observations), default=None
    )


def growth(
    entries: Iterable[Entry], history: History, *, top: int
) -> dict[str, list[tuple[dt.date, int]]]:
    """Return the observed counts over time of the ``top`` most cited entries, most cited first."""
    ranked = sort_entries(entries, SortKey.CITATIONS)
    cited = [entry for entry in ranked if entry.citations is not None]
    return {
        entry.id: [
            (seen.date, seen.citations)
            for seen in history.get(entry.id, ())
            if seen.citations is not None
        ]
        for entry in cited[:top]
    }
