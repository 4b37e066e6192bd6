"""curator refresh and trending end to end against local stand-ins of both APIs.

Every count here is SYNTHETIC test data from tests/standin_s2.py (ids from 2099, which
arXiv has not reached), never a fact about a real paper.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from standin import ArxivStandin
from standin_s2 import S2Fault, S2Standin, synthetic_ids, synthetic_papers
from typer.testing import CliRunner, Result

from curator import history, store
from curator.cli import app
from curator.models import Entry, Status

KEY = "sk-test-9f8e7d6c5b4a-do-not-leak"


def run(*args: str, env: dict[str, str]) -> Result:
    """Invoke curator in-process with ``env`` as the only curator settings."""
    return CliRunner().invoke(app, list(args), env=env)


def make_list(path: Path, identifiers: list[str]) -> None:
    """Write a list holding ``identifiers`` as resolved entries with no metadata."""
    with store.editing(path, create=True) as editor:
        for identifier in identifiers:
            editor.add(Entry(id=identifier))


@pytest.fixture
def s2() -> Iterator[S2Standin]:
    """Run a Semantic Scholar stand-in knowing 900 of 1,000 synthetic papers."""
    with S2Standin() as standin:
        standin.papers.update(synthetic_papers(1000, known_fraction=0.9))
        yield standin


def environment(
    tmp_path: Path, s2: S2Standin, arxiv_url: str = "http://127.0.0.1:9/"
) -> dict[str, str]:
    """Return settings pointing at the stand-ins, with no delays and a private cache."""
    return {
        "CURATOR_S2_API": s2.url,
        "CURATOR_S2_DELAY": "0",
        "CURATOR_ARXIV_API": arxiv_url,
        "CURATOR_ARXIV_DELAY": "0",
        "CURATOR_CACHE_DIR": str(tmp_path / "cache"),
        "S2_API_KEY": KEY,
    }


def test_thousand_papers_take_two_requests_then_none(tmp_path: Path, s2: S2Standin) -> None:
    """1,000 papers need exactly 2 batch requests; a second refresh within max-age needs none."""
    listing = tmp_path / "big.toml"
    make_list(listing, synthetic_ids(1000))
    env = environment(tmp_path, s2)

    first = run("refresh", str(listing), "--no-metadata", env=env)

    assert first.exit_code == 0, first.stderr
    assert first.stdout == (
        f"{listing}: 1000 checked on Semantic Scholar "
        "(900 with counts, 100 unknown, 900 history rows added)\n"
    )
    assert [len(request.ids) for request in s2.requests] == [500, 500]
    assert all(request.api_key_sent for request in s2.requests)
    entries = {entry.id: entry for entry in store.load(listing).entries}
    assert entries["9901.00001"].citations == 7
    assert entries["9901.00010"].citations is None  # unknown stays unknown, never 0

    second = run("refresh", str(listing), "--no-metadata", env=env)

    assert second.exit_code == 0, second.stderr
    assert len(s2.requests) == 2
    assert "0 checked on Semantic Scholar (900 with counts, 100 unknown, 0 history rows added)" in (
        second.stdout
    )


def test_changed_counts_append_history_and_rank_gainers(tmp_path: Path, s2: S2Standin) -> None:
    """After counts change, a forced refresh appends history and trending ranks gainers first."""
    listing = tmp_path / "big.toml"
    make_list(listing, synthetic_ids(1000))
    env = environment(tmp_path, s2)
    assert run("refresh", str(listing), "--no-metadata", env=env).exit_code == 0
    history = tmp_path / "big.history.csv"
    before = history.read_bytes()
    s2.papers["9901.00003"]["citationCount"] += 50
    s2.papers["9901.00005"]["citationCount"] += 500
    s2.papers["9901.00007"]["citationCount"] += 5

    forced = run("refresh", str(listing), "--no-metadata", "--max-age", "0", env=env)

    assert forced.exit_code == 0, forced.stderr
    assert "3 history rows added" in forced.stdout
    after = history.read_bytes()
    assert after.startswith(before)
    assert len(after.splitlines()) == len(before.splitlines()) + 3
    trending = run("trending", str(listing), "--top", "3", "--json", env=env)
    assert trending.exit_code == 0, trending.stderr
    ranked = [(row["id"], row["gained"]) for row in json.loads(trending.stdout)]
    assert ranked == [("9901.00005", 500), ("9901.00003", 50), ("9901.00007", 5)]


def test_nothing_changed_writes_nothing(tmp_path: Path, s2: S2Standin) -> None:
    """A forced refresh that learns nothing new leaves the list and history untouched."""
    listing = tmp_path / "big.toml"
    make_list(listing, synthetic_ids(20))
    env = environment(tmp_path, s2)
    assert run("refresh", str(listing), "--no-metadata", env=env).exit_code == 0
    stamps = {path: path.stat().st_mtime_ns for path in (listing, tmp_path / "big.history.csv")}

    again = run("refresh", str(listing), "--no-metadata", "--max-age", "0", env=env)

    assert again.exit_code == 0
    assert {path: path.stat().st_mtime_ns for path in stamps} == stamps


def test_offline_asks_nothing_and_says_what_it_skipped(tmp_path: Path, s2: S2Standin) -> None:
    """--offline makes no request and reports the look-ups it skipped."""
    listing = tmp_path / "big.toml"
    make_list(listing, synthetic_ids(10))
    result = run(
        "refresh", str(listing), "--no-metadata", "--offline", env=environment(tmp_path, s2)
    )
    assert result.exit_code == 0, result.stderr
    assert s2.requests == []
    assert result.stderr == f"warning: offline: 10 look-ups not made for {listing}\n"


def test_metadata_and_citations_in_one_refresh(tmp_path: Path, s2: S2Standin) -> None:
    """A pending paper is resolved on arXiv and counted on Semantic Scholar in one refresh."""
    listing = tmp_path / "sam.toml"
    with store.editing(listing, create=True) as editor:
        editor.add(Entry(id="2304.02643"))
        editor.set_status("2304.02643", Status.PENDING)
    s2.papers["2304.02643"] = dict(s2.papers.pop("9901.00001"), externalIds={"ArXiv": "2304.02643"})
    with ArxivStandin() as arxiv:
        result = run("refresh", str(listing), env=environment(tmp_path, s2, arxiv.api_url))
    assert result.exit_code == 0, result.stderr
    (entry,) = store.load(listing).entries
    assert (entry.title, entry.status.value, entry.citations) == (
        "Segment Anything",
        "resolved",
        7,
    )


def test_api_key_never_written_or_printed(tmp_path: Path, s2: S2Standin) -> None:
    """The Semantic Scholar key appears in no written file and no output, even on failure."""
    listing = tmp_path / "big.toml"
    make_list(listing, synthetic_ids(30))
    env = environment(tmp_path, s2)
    outputs = [run("-vv", "refresh", str(listing), "--no-metadata", env=env)]
    env_failing = dict(env, CURATOR_S2_API="http://127.0.0.1:9")
    outputs.append(run("-vv", "refresh", str(listing), "--no-metadata", "--all", env=env_failing))
    outputs.append(run("show", str(listing), "--json", env=env))
    for result in outputs:
        assert KEY not in result.stdout
        assert KEY not in result.stderr
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert KEY.encode() not in path.read_bytes(), path


def make_pending_list(path: Path, identifiers: list[str]) -> None:
    """Write a list holding ``identifiers`` as harvest leaves them: pending, no metadata."""
    with store.editing(path, create=True) as editor:
        for identifier in identifiers:
            editor.add(Entry(id=identifier))
            editor.set_status(identifier, Status.PENDING)


def test_thousand_papers_full_refresh_against_both_stand_ins(tmp_path: Path, s2: S2Standin) -> None:
    """1,000 pending papers: 10 arXiv and 2 Semantic Scholar requests, then none at all."""
    listing = tmp_path / "big.toml"
    wanted = synthetic_ids(1000)
    make_pending_list(listing, wanted)

    with ArxivStandin() as arxiv:
        arxiv.add_synthetic(wanted)  # SYNTHETIC papers, generated by the stand-in
        env = environment(tmp_path, s2, arxiv.api_url)
        first = run("refresh", str(listing), env=env)

        assert first.exit_code == 0, first.stderr
        assert first.stdout == (
            f"{listing}: 1000 checked on arXiv (1000 resolved, 0 unresolved, 0 pending); "
            "1000 checked on Semantic Scholar "
            "(900 with counts, 100 unknown, 900 history rows added)\n"
        )
        assert len(arxiv.requests) == 10
        assert [request.query["max_results"] for request in arxiv.requests] == [["100"]] * 10
        asked = [i for request in arxiv.requests for i in request.query["id_list"][0].split(",")]
        assert asked == wanted
        assert [len(request.ids or ()) for request in s2.requests] == [500, 500]
        entries = store.load(listing).entries
        assert len(entries) == 1000
        assert all(entry.status is Status.RESOLVED for entry in entries)
        assert all(entry.title == f"Synthetic paper {entry.id}" for entry in entries)
        counted = [entry for entry in entries if entry.citations is not None]
        assert len(counted) == 900
        assert [entry.id for entry in entries if entry.citations is None] == wanted[9::10]
        assert {entry.id: entry.citations for entry in counted} == {
            key: paper["citationCount"] for key, paper in s2.papers.items()
        }
        before = (listing.read_bytes(), listing.stat().st_mtime_ns)

        second = run("refresh", str(listing), env=env)

        assert second.exit_code == 0, second.stderr
        assert len(arxiv.requests) == 10
        assert len(s2.requests) == 2
        assert (listing.read_bytes(), listing.stat().st_mtime_ns) == before


def test_rate_limit_storm_stops_cleanly_and_rerun_finishes(tmp_path: Path) -> None:
    """429s past the retries stop the refresh with one error; the first batch is kept, then done."""
    listing = tmp_path / "big.toml"
    wanted = synthetic_ids(1000)
    make_list(listing, wanted)
    with S2Standin(synthetic_papers(1000)) as s2:
        storm = [S2Fault.RATE_LIMITED] * 6  # one attempt and the source's 5 retries
        answer = s2.answer

        def storm_after_first_batch(handler: BaseHTTPRequestHandler, method: str) -> None:
            # Queued on the second request's arrival, so the first batch is answered normally.
            if s2.requests and storm:
                s2.faults.extend(storm)
                storm.clear()
            answer(handler, method)

        s2.answer = storm_after_first_batch  # type: ignore[method-assign]
        env = environment(tmp_path, s2)

        stopped = run("refresh", str(listing), "--no-metadata", env=env)

        assert stopped.exit_code == 1
        assert stopped.stdout == (
            f"{listing}: 500 checked on Semantic Scholar "
            "(500 with counts, 0 unknown, 500 history rows added)\n"
        )
        assert [request.status for request in s2.requests] == [200] + [429] * 6
        *lines, error, left = stopped.stderr.splitlines()
        assert error == "error: Semantic Scholar: rate limited (HTTP 429) after 6 attempts"
        assert left == f"warning: left for the next refresh: 500 look-ups not made for {listing}"
        assert lines == [
            f"warning: Semantic Scholar: rate limited (HTTP 429); retrying in 0.0 s "
            f"(attempt {attempt} of 6)"
            for attempt in range(2, 7)
        ]
        entries = store.load(listing).entries  # still a valid list
        assert [entry.id for entry in entries] == wanted
        counts = {entry.id: entry.citations for entry in entries}
        assert counts == {
            key: s2.papers[key]["citationCount"] if key in wanted[:500] else None for key in wanted
        }
        recorded = history.read(tmp_path / "big.history.csv")
        assert sorted(recorded) == wanted[:500]
        assert all(rows[-1].citations == counts[key] for key, rows in recorded.items())

        s2.faults.clear()
        rerun = run("refresh", str(listing), "--no-metadata", env=env)

        assert rerun.exit_code == 0, rerun.stderr
        assert len(s2.requests) == 8
        assert s2.requests[-1].ids == tuple(f"ARXIV:{key}" for key in wanted[500:])
        assert all(entry.citations is not None for entry in store.load(listing).entries)
        assert sorted(history.read(tmp_path / "big.history.csv")) == wanted


def test_refresh_after_harvest_asks_arxiv_nothing(tmp_path: Path) -> None:
    """Harvest fills the cache, so refreshing the new list's metadata right away asks nothing."""
    post = tmp_path / "post.txt"
    post.write_text("https://arxiv.org/abs/2304.02643 and arXiv:2108.06098\n", encoding="utf-8")
    listing = tmp_path / "sam.toml"
    with ArxivStandin() as arxiv:
        env = {"CURATOR_ARXIV_API": arxiv.api_url}
        harvested = run("harvest", str(post), "--list", str(listing), env=env)
        refreshed = run("refresh", str(listing), "--no-citations", env=env)
        requests = len(arxiv.requests)
    assert (harvested.exit_code, refreshed.exit_code, requests) == (0, 0, 1)
    assert refreshed.stdout == (
        f"{listing}: 0 checked on arXiv (0 resolved, 0 unresolved, 0 pending)\n"
    )
