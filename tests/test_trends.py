"""Tests for citation trends: gains over a window, citations per month, ranking, sparklines."""

from __future__ import annotations

import datetime as dt

import pytest

from curator.history import Observation
from curator.models import Entry
from curator.sorting import DAYS_PER_MONTH
from curator.trends import Trend, as_of, compute, rank, sparkline

# Identifiers and first-version dates from shared/reference/seed-papers.json; every
# citation count and observation below is synthetic test data.
SAM = Entry(id="2304.02643", published=dt.date(2023, 4, 5), citations=300)
PATHOLOGY = Entry(id="2304.04155", published=dt.date(2023, 4, 9), citations=40)
PERSONALIZE = Entry(id="2305.03048", published=dt.date(2023, 5, 4))
"""Semantic Scholar's count is unknown and there is no history."""

TODAY = dt.date(2024, 6, 1)
MONTH = dt.timedelta(days=30)
"""With TODAY, the window starts on 2024-05-02 (the baseline may be on that day)."""


def seen(entry: Entry, date: str, citations: int) -> Observation:
    """Return a synthetic observation of ``entry``."""
    return Observation(entry.id, dt.date.fromisoformat(date), citations)


HISTORY = {
    SAM.id: (
        seen(SAM, "2024-03-01", 100),
        seen(SAM, "2024-04-20", 150),
        seen(SAM, "2024-05-10", 200),
        seen(SAM, "2024-05-25", 300),
    ),
    PATHOLOGY.id: (seen(PATHOLOGY, "2024-05-15", 30), seen(PATHOLOGY, "2024-05-30", 40)),
}


def test_compute() -> None:
    """Gains count from the last observation before the window, or the first one inside it."""
    assert compute([SAM, PATHOLOGY, PERSONALIZE], HISTORY, today=TODAY, since=MONTH) == [
        Trend(SAM.id, 300, 150, 300 / (423 / DAYS_PER_MONTH), (150, 200, 300)),
        Trend(PATHOLOGY.id, 40, 10, 40 / (419 / DAYS_PER_MONTH), (30, 40)),
        Trend(PERSONALIZE.id, None, None, None, ()),
    ]


def test_baseline_on_the_window_start() -> None:
    """An observation dated exactly on the window's first day is the baseline."""
    history = {SAM.id: (seen(SAM, "2024-05-01", 90), seen(SAM, "2024-05-02", 100))}
    (trend,) = compute([SAM], history, today=TODAY, since=MONTH)
    assert (trend.gained, trend.series) == (0, (100,))


def test_single_observation_gains_nothing() -> None:
    """One observation is its own baseline: zero gained, not unknown."""
    history = {SAM.id: (seen(SAM, "2024-01-01", 250),)}
    (trend,) = compute([SAM], history, today=TODAY, since=MONTH)
    assert (trend.gained, trend.series) == (0, (250,))


def test_future_observations_are_ignored() -> None:
    """Observations dated after ``today`` do not count."""
    history = {SAM.id: (seen(SAM, "2024-05-10", 200), seen(SAM, "2024-06-02", 999))}
    (trend,) = compute([SAM], history, today=TODAY, since=MONTH)
    assert (trend.gained, trend.series) == (0, (200,))


def test_observations_are_taken_in_date_order() -> None:
    """Rows appended out of date order are ordered by date before the arithmetic."""
    history = {SAM.id: (seen(SAM, "2024-05-20", 200), seen(SAM, "2024-04-01", 120))}
    (trend,) = compute([SAM], history, today=TODAY, since=MONTH)
    assert (trend.gained, trend.series) == (80, (120, 200))


def test_window_uses_whole_days() -> None:
    """Hours in ``since`` beyond whole days do not move the window's start."""
    hours = compute([SAM], HISTORY, today=TODAY, since=MONTH + dt.timedelta(hours=23))
    assert hours == compute([SAM], HISTORY, today=TODAY, since=MONTH)


def test_per_month_is_at_least_one_month() -> None:
    """A paper younger than a month counts its citations as one month's."""
    fresh = Entry(id="2304.02643", published=dt.date(2024, 5, 22), citations=5)
    (trend,) = compute([fresh], {}, today=TODAY, since=MONTH)
    assert trend.per_month == 5.0


def test_per_month_needs_a_count_and_counts_undated_papers_from_their_id() -> None:
    """Per-month speed is unknown without a count; without a date it starts at the id's month."""
    undated = Entry(id="2304.02643", citations=5)
    uncounted = Entry(id="2304.04155", published=dt.date(2023, 4, 9))
    trends = compute([undated, uncounted], {}, today=TODAY, since=MONTH)
    assert [trend.per_month for trend in trends] == [5 / (427 / DAYS_PER_MONTH), None]


def trend(identifier: str, gained: int | None, per_month: float | None = None) -> Trend:
    """Return a synthetic trend for ranking."""
    return Trend(identifier, None, gained, per_month, ())


def test_rank_by_gained() -> None:
    """Biggest gainers first, ties by identifier, unknown gains last."""
    trends = [trend("c", 5), trend("z", None), trend("b", 10), trend("a", 5), trend("y", None)]
    assert [t.id for t in rank(trends, by="gained")] == ["b", "a", "c", "y", "z"]


def test_rank_by_per_month_and_top() -> None:
    """Ranking by speed keeps the ``top`` fastest; unknown speeds come after known ones."""
    trends = [trend("a", 1, None), trend("b", 1, 2.5), trend("c", 1, 0.0), trend("d", 1, 7.25)]
    assert [t.id for t in rank(trends, by="per_month", top=3)] == ["d", "b", "c"]
    assert rank(trends, by="per_month", top=0) == []


def test_rank_rejects_negative_top() -> None:
    """A negative ``top`` is a programming error."""
    with pytest.raises(ValueError, match="top must not be negative"):
        rank([], by="gained", top=-1)


@pytest.mark.parametrize(
    ("series", "expected"),
    [
        ((), ""),
        ((7,), "▁"),
        ((5, 5, 5), "▁▁▁"),
        ((0, 100), "▁█"),
        ((1, 2, 3, 4, 5, 6, 7, 8), "▁▂▃▄▅▆▇█"),
        ((150, 200, 300), "▁▃█"),
        ((300, 150), "█▁"),
    ],
)
def test_sparkline(series: tuple[int, ...], expected: str) -> None:
    """Values map linearly from the lowest bar to the highest; flat and empty series are plain."""
    assert sparkline(series) == expected


def test_as_of() -> None:
    """The counts date from the latest observation of any paper; no history has no date."""
    assert as_of(HISTORY) == dt.date(2024, 5, 30)
    assert as_of({}) is None
