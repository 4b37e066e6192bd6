"""Tests for the persistent cache of what arXiv and Semantic Scholar said."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import sqlite3
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

from curator.cache import (
    FILENAME,
    UNKNOWN_MAX_AGE,
    Cache,
    CacheHit,
    citations_from_dict,
    citations_to_dict,
    paper_from_dict,
    paper_to_dict,
)
from curator.models import Citations, Paper

START = dt.datetime(2024, 5, 1, 12, 0, tzinfo=dt.timezone.utc)
WEEK = dt.timedelta(days=7)

# Identifier, title, authors, date and category from shared/reference/seed-papers.json;
# the version, DOI and comment are synthetic test data.
SEGMENT_ANYTHING = Paper(
    id="2304.02643",
    title="Segment Anything",
    authors=("Alexander Kirillov", "Eric Mintun"),
    published=dt.date(2023, 4, 5),
    updated=dt.date(2023, 4, 6),
    version=1,
    primary_category="cs.CV",
    categories=("cs.CV", "cs.AI"),
    doi="10.48550/arXiv.2304.02643",
    journal_ref="synthetic journal ref",
    comment="synthetic comment",
)
# Synthetic test data: the S2 id and every count are made up.
SYNTHETIC_CITATIONS = Citations(
    id="2304.02643",
    s2_id="0" * 40,
    citations=1234,
    influential_citations=56,
    venue="Synthetic Venue",
    venue_year=2023,
    venue_doi="10.0000/synthetic",
)
RECORD: dict[str, object] = {"id": "2304.02643", "citations": 7}
"""Synthetic test data."""


class FakeClock:
    """A clock that moves only when told."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    """Give a fake clock set to the test's start time."""
    return FakeClock()


@pytest.fixture
def cache(tmp_path: Path, clock: FakeClock) -> Iterator[Cache]:
    """Give a cache in a fresh directory, driven by the fake clock."""
    with Cache(tmp_path / "cache", clock=clock) as opened:
        yield opened


def test_put_then_get(cache: Cache) -> None:
    """A stored record comes back with the time it was fetched."""
    cache.put("s2", "2304.02643", RECORD)
    assert cache.get("s2", "2304.02643", max_age=WEEK) == CacheHit(RECORD, START)


def test_miss(cache: Cache) -> None:
    """A key never stored, or stored under another kind, is a miss."""
    cache.put("s2", "2304.02643", RECORD)
    assert cache.get("s2", "2304.04155", max_age=WEEK) is None
    assert cache.get("arxiv", "2304.02643", max_age=WEEK) is None


def test_expiry(cache: Cache, clock: FakeClock) -> None:
    """A record is fresh while younger than max-age, and stale from max-age on."""
    cache.put("s2", "2304.02643", RECORD)
    clock.now = START + WEEK - dt.timedelta(seconds=1)
    assert cache.get("s2", "2304.02643", max_age=WEEK) == CacheHit(RECORD, START)
    clock.now = START + WEEK
    assert cache.get("s2", "2304.02643", max_age=WEEK) is None


def test_zero_max_age_never_hits(cache: Cache) -> None:
    """``--max-age 0`` forces a fetch even for a record stored this instant."""
    cache.put("s2", "2304.02643", RECORD)
    assert cache.get("s2", "2304.02643", max_age=dt.timedelta(0)) is None


def test_record_from_the_future_is_stale(cache: Cache, clock: FakeClock) -> None:
    """After the clock is set back, records dated later than now are not trusted."""
    cache.put("s2", "2304.02643", RECORD)
    clock.now = START - dt.timedelta(hours=1)
    assert cache.get("s2", "2304.02643", max_age=WEEK) is None


def test_unknown_expires_after_a_day(cache: Cache, clock: FakeClock) -> None:
    """An "unknown" answer is cached, but for at most a day whatever max-age says."""
    assert dt.timedelta(days=1) == UNKNOWN_MAX_AGE
    cache.put("s2", "2304.02643", None)
    clock.now = START + dt.timedelta(hours=23)
    assert cache.get("s2", "2304.02643", max_age=WEEK) == CacheHit(None, START)
    assert cache.get("s2", "2304.02643", max_age=dt.timedelta(hours=1)) is None
    clock.now = START + dt.timedelta(days=1)
    assert cache.get("s2", "2304.02643", max_age=WEEK) is None


def test_put_replaces(cache: Cache, clock: FakeClock) -> None:
    """A newer answer for the same key replaces the older one and its date."""
    cache.put("s2", "2304.02643", None)
    clock.now = START + dt.timedelta(hours=2)
    cache.put("s2", "2304.02643", RECORD)
    assert cache.get("s2", "2304.02643", max_age=WEEK) == CacheHit(RECORD, clock.now)


def test_put_many(cache: Cache) -> None:
    """Many answers, known and unknown, are stored in one call."""
    cache.put_many("s2", {"2304.02643": RECORD, "2304.04155": None})
    assert cache.get("s2", "2304.02643", max_age=WEEK) == CacheHit(RECORD, START)
    assert cache.get("s2", "2304.04155", max_age=WEEK) == CacheHit(None, START)


def test_put_many_is_all_or_nothing(cache: Cache) -> None:
    """When one answer of a batch cannot be stored, none of the batch is."""
    broken: dict[str, object] = {"not json": {1, 2}}
    with pytest.raises(TypeError):
        cache.put_many("s2", {"2304.02643": RECORD, "2304.04155": broken})
    assert cache.get("s2", "2304.02643", max_age=WEEK) is None
    cache.put("s2", "2304.02643", RECORD)
    assert cache.get("s2", "2304.02643", max_age=WEEK) == CacheHit(RECORD, START)


class InterruptedBatch(Mapping[str, "dict[str, object] | None"]):
    """A batch interrupted by Ctrl-C after its first answer was written."""

    def __getitem__(self, key: str) -> dict[str, object] | None:
        return RECORD

    def __len__(self) -> int:
        return 2

    def __iter__(self) -> Iterator[str]:
        yield "2304.04155"
        raise KeyboardInterrupt


def test_interrupted_batch_keeps_earlier_batches(tmp_path: Path, clock: FakeClock) -> None:
    """Ctrl-C during a batch loses that batch only; the next run finds the earlier ones."""
    with Cache(tmp_path, clock=clock) as cache:
        cache.put_many("s2", {"2304.02643": RECORD})
        with pytest.raises(KeyboardInterrupt):
            cache.put_many("s2", InterruptedBatch())
    with Cache(tmp_path, clock=clock) as cache:
        assert cache.get("s2", "2304.02643", max_age=WEEK) == CacheHit(RECORD, START)
        assert cache.get("s2", "2304.04155", max_age=WEEK) is None


def test_survives_reopening(tmp_path: Path, clock: FakeClock) -> None:
    """Answers stored by one run are found by the next."""
    with Cache(tmp_path, clock=clock) as first:
        first.put("arxiv", "2304.02643", paper_to_dict(SEGMENT_ANYTHING))
    with Cache(tmp_path, clock=clock) as second:
        hit = second.get("arxiv", "2304.02643", max_age=WEEK)
    assert hit is not None
    assert hit.value is not None
    assert paper_from_dict(hit.value) == SEGMENT_ANYTHING


def test_two_caches_share_a_directory(tmp_path: Path, clock: FakeClock) -> None:
    """Two open caches on one directory (two curator processes) see each other's writes."""
    with Cache(tmp_path, clock=clock) as one, Cache(tmp_path, clock=clock) as two:
        one.put("s2", "2304.02643", RECORD)
        two.put_many("s2", {"2304.04155": None})
        assert two.get("s2", "2304.02643", max_age=WEEK) == CacheHit(RECORD, START)
        assert one.get("s2", "2304.04155", max_age=WEEK) == CacheHit(None, START)
        assert one.path == two.path == tmp_path / FILENAME


def test_corrupt_file_is_replaced(
    tmp_path: Path, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    """A file that is not a database is replaced by an empty cache, with a warning."""
    (tmp_path / FILENAME).write_bytes(b"synthetic garbage, not SQLite\n" * 100)
    with Cache(tmp_path, clock=clock) as cache:
        assert cache.path == tmp_path / FILENAME
        assert cache.get("s2", "2304.02643", max_age=WEEK) is None
        cache.put("s2", "2304.02643", RECORD)
        assert cache.get("s2", "2304.02643", max_age=WEEK) == CacheHit(RECORD, START)
    assert caplog.record_tuples == [
        (
            "curator.cache",
            logging.WARNING,
            f"cache {tmp_path / FILENAME} is damaged (file is not a database); "
            "starting an empty one",
        )
    ]


def test_damaged_record_is_a_miss(
    tmp_path: Path, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    """A record whose stored text is not a JSON object is ignored, with a warning."""
    with Cache(tmp_path, clock=clock) as cache:
        cache.put("s2", "2304.02643", RECORD)
        with sqlite3.connect(tmp_path / FILENAME) as raw:
            raw.execute("UPDATE records_v1 SET value = '[1, 2]'")
        raw.close()
        assert cache.get("s2", "2304.02643", max_age=WEEK) is None
    assert [message for _, _, message in caplog.record_tuples] == [
        f"cache {tmp_path / FILENAME}: ignoring damaged record s2 2304.02643 "
        "(expected an object, found list)"
    ]


def test_unusable_directory_runs_in_memory(
    tmp_path: Path, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    """When the cache directory cannot be created, the run goes on with a memory-only cache."""
    blocker = tmp_path / "a-file"
    blocker.write_text("synthetic\n")
    with Cache(blocker / "cache", clock=clock) as cache:
        assert cache.path is None
        cache.put("s2", "2304.02643", RECORD)
        assert cache.get("s2", "2304.02643", max_age=WEEK) == CacheHit(RECORD, START)
    assert [message for _, _, message in caplog.record_tuples] == [
        f"cache {blocker / 'cache' / FILENAME} unusable (Not a directory); continuing without it"
    ]


def test_locked_cache_degrades(
    tmp_path: Path, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    """A cache another process keeps locked turns into a warning, not a failure."""
    with Cache(tmp_path, clock=clock, timeout=0.05) as cache:
        holder = sqlite3.connect(tmp_path / FILENAME, isolation_level=None)
        holder.execute("BEGIN EXCLUSIVE")
        try:
            cache.put("s2", "2304.02643", RECORD)
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        assert cache.path is None
        assert cache.get("s2", "2304.02643", max_age=WEEK) is None
    assert [message for _, _, message in caplog.record_tuples] == [
        f"cache {tmp_path / FILENAME}: cannot write (database is locked); continuing without it"
    ]


def test_closed_cache_is_a_bug(tmp_path: Path) -> None:
    """Using a cache after closing it raises instead of degrading silently."""
    cache = Cache(tmp_path)
    cache.close()
    with pytest.raises(sqlite3.ProgrammingError):
        cache.get("s2", "2304.02643", max_age=WEEK)


def test_paper_round_trip() -> None:
    """Every field of a paper survives the trip through a dict, dates as ISO strings."""
    data = paper_to_dict(SEGMENT_ANYTHING)
    assert set(data) == {field.name for field in dataclasses.fields(Paper)}
    assert data["published"] == "2023-04-05"
    assert data["authors"] == ["Alexander Kirillov", "Eric Mintun"]
    assert paper_from_dict(data) == SEGMENT_ANYTHING


def test_citations_round_trip() -> None:
    """Every field of a citations record survives the trip through a dict."""
    data = citations_to_dict(SYNTHETIC_CITATIONS)
    assert set(data) == {field.name for field in dataclasses.fields(Citations)}
    assert citations_from_dict(data) == SYNTHETIC_CITATIONS


def test_from_dict_defaults() -> None:
    """Missing optional fields read as unknown, and unknown keys are ignored."""
    assert paper_from_dict({"id": "2304.02643", "title": "Segment Anything", "x": 1}) == Paper(
        "2304.02643", "Segment Anything"
    )
    assert citations_from_dict({"id": "2304.02643", "s2_id": "0" * 40}) == Citations(
        "2304.02643", "0" * 40
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": "Segment Anything"}, "id is missing"),
        ({"id": "2304.02643", "title": 3}, "title must be str or null, not 3"),
        ({"id": "2304.02643", "title": "T", "version": True}, "version must be int or null"),
        ({"id": "2304.02643", "title": "T", "authors": "A"}, "authors must be a list of strings"),
        ({"id": "2304.02643", "title": "T", "published": "April"}, "Invalid isoformat"),
    ],
)
def test_paper_from_dict_rejects(data: dict[str, object], message: str) -> None:
    """A dict that is not a stored paper raises ValueError naming the field."""
    with pytest.raises(ValueError, match=message):
        paper_from_dict(data)


def test_citations_from_dict_rejects_text_counts() -> None:
    """A count stored as text raises ValueError instead of passing for a number."""
    with pytest.raises(ValueError, match="citations must be int or null, not '7'"):
        citations_from_dict({"id": "2304.02643", "s2_id": "0" * 40, "citations": "7"})
