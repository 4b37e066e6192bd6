"""The Semantic Scholar stand-in, and SemanticScholarSource against it: batches, waits, faults.

Every paper here is SYNTHETIC test data from ``synthetic_papers`` (ids from 2099, generated
counts) or ``synthetic_doi_paper`` (DOIs with the prefix 10.0000, which no registrant uses);
none describes a real paper.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import itertools
import json
import logging
import re
import time as real_time
from typing import Any

import pytest
import requests
from standin import FakeTime, unused_port
from standin_s2 import (
    NO_TITLE_MATCH,
    NOTHING_KNOWN,
    S2Fault,
    S2Standin,
    synthetic_doi_paper,
    synthetic_ids,
    synthetic_papers,
)

from curator.errors import SourceError
from curator.ids import is_canonical
from curator.models import Citations
from curator.sources.http import new_session
from curator.sources.semantic_scholar import FIELDS, METADATA_FIELDS, SemanticScholarSource

ARRIVAL_SLACK = 0.02
"""Seconds by which the stand-in's arrival times may be closer than the client's start times."""


def post(standin: S2Standin, ids: object, fields: str = "paperId,citationCount") -> Any:
    return requests.post(standin.batch_url, params={"fields": fields}, json={"ids": ids}, timeout=5)


def match(standin: S2Standin, query: str, fields: str = "title") -> Any:
    return requests.get(standin.match_url, params={"query": query, "fields": fields}, timeout=5)


def standin_source(
    standin: S2Standin, time: FakeTime | None = None, **options: Any
) -> SemanticScholarSource:
    """Return a source for the stand-in: 10 ms delay, 0.5 s timeout, no jitter."""
    options.setdefault("delay", 0.01)
    options.setdefault("session", new_session(timeout=0.5))
    if time is not None:
        options.update(clock=time.clock, sleep=time.sleep)
    return SemanticScholarSource(api_root=standin.url, jitter=lambda: 0.0, **options)


# --- synthetic test data ---------------------------------------------------------------------


def test_synthetic_ids_are_canonical_and_from_2099() -> None:
    """Generated ids are valid canonical ids of January 2099, numbered from 1."""
    ids = synthetic_ids(1000)
    assert ids[:2] == ["9901.00001", "9901.00002"]
    assert ids[-1] == "9901.01000"
    assert all(is_canonical(identifier) for identifier in ids)
    with pytest.raises(ValueError, match="n must be between 0 and 99999, got 100000"):
        synthetic_ids(100_000)


def test_synthetic_papers_know_an_exact_evenly_spread_share() -> None:
    """A known fraction of 0.9 knows exactly 900 of 1,000 ids, every tenth one left out."""
    papers = synthetic_papers(1000, known_fraction=0.9)
    unknown = sorted(set(synthetic_ids(1000)) - set(papers))
    assert len(papers) == 900
    assert unknown[:3] == ["9901.00010", "9901.00020", "9901.00030"]
    assert len(synthetic_papers(10, known_fraction=0.0)) == 0
    with pytest.raises(ValueError, match=r"known_fraction must be between 0 and 1, got 1\.5"):
        synthetic_papers(1, known_fraction=1.5)


def test_synthetic_papers_say_they_are_synthetic() -> None:
    """Each generated paper is an arXiv preprint titled "Synthetic paper <id>"."""
    paper = synthetic_papers(3)["9901.00003"]
    assert paper["title"] == "Synthetic paper 9901.00003"
    assert paper["externalIds"] == {"ArXiv": "9901.00003", "DOI": "10.48550/arXiv.9901.00003"}
    assert paper["venue"] == "arXiv.org"
    assert (paper["citationCount"], paper["influentialCitationCount"]) == (21, 3)
    assert re.fullmatch(r"[0-9a-f]{40}", paper["paperId"])


def test_synthetic_doi_papers_say_they_are_synthetic() -> None:
    """A generated paper not on arXiv has a 10.0000 DOI, a "Synthetic" title, 2099 dates."""
    paper = synthetic_doi_paper(2)
    assert paper["externalIds"] == {"DOI": "10.0000/synthetic.2"}
    assert paper["title"] == "Synthetic published paper 2"
    assert paper["authors"] == [{"authorId": "2", "name": "Synthetic Author"}]
    assert (paper["publicationDate"], paper["year"], paper["venue"]) == (
        "2099-01-01",
        2099,
        "Synthetic Journal",
    )
    assert (paper["citationCount"], paper["influentialCitationCount"]) == (22, 2)
    assert re.fullmatch(r"[0-9a-f]{40}", paper["paperId"])


# --- the stand-in ----------------------------------------------------------------------------


def test_answer_is_aligned_with_nulls(s2_standin: S2Standin) -> None:
    """Known ids get their requested fields, unknown, versioned or non-arXiv ids get null."""
    s2_standin.papers.update(synthetic_papers(2))
    paper_id = s2_standin.papers["9901.00002"]["paperId"]
    answer = post(
        s2_standin,
        ["ARXIV:9901.00003", "ARXIV:9901.00002", "ARXIV:9901.00002v1", "DOI:10.0000/x"],
    )
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == "application/json"
    assert answer.json() == [None, {"paperId": paper_id, "citationCount": 14}, None, None]


def test_dois_are_known_in_any_case(s2_standin: S2Standin) -> None:
    """A paper registered under a DOI answers DOI: ids in any case; other DOIs get null."""
    s2_standin.dois["10.0000/synthetic.2"] = synthetic_doi_paper(2)
    answer = post(s2_standin, ["DOI:10.0000/SYNTHETIC.2", "DOI:10.0000/synthetic.9"])
    assert answer.status_code == 200
    assert answer.json() == [
        {"paperId": synthetic_doi_paper(2)["paperId"], "citationCount": 22},
        None,
    ]


def test_title_match_finds_the_title_with_the_same_words(s2_standin: S2Standin) -> None:
    """search/match answers the paper whose title folds to the query's words, with a score."""
    s2_standin.dois["10.0000/synthetic.2"] = synthetic_doi_paper(2)
    s2_standin.papers.update(synthetic_papers(1))
    found = match(s2_standin, "SYNTHETIC published paper, 2", fields="title,year")
    assert found.status_code == 200
    assert found.json() == {
        "data": [
            {
                "paperId": synthetic_doi_paper(2)["paperId"],
                "title": "Synthetic published paper 2",
                "year": 2099,
                "matchScore": 100.0,
            }
        ]
    }
    on_arxiv = match(s2_standin, "synthetic paper 9901 00001")
    assert on_arxiv.json()["data"][0]["title"] == "Synthetic paper 9901.00001"


def test_title_match_without_a_match_is_404(s2_standin: S2Standin) -> None:
    """No title with the query's words gets the (constructed) 404 "Title match not found"."""
    s2_standin.dois["10.0000/synthetic.2"] = synthetic_doi_paper(2)
    missing = match(s2_standin, "synthetic published paper")
    assert (missing.status_code, missing.json()) == (404, NO_TITLE_MATCH)
    assert NO_TITLE_MATCH == {"error": "Title match not found"}


def test_best_matches_play_a_fuzzy_match_of_another_paper(s2_standin: S2Standin) -> None:
    """best_matches makes a query answer a paper with another title, as fuzzy matching may."""
    s2_standin.best_matches["synthetic published paper"] = synthetic_doi_paper(3)
    found = match(s2_standin, "Synthetic published paper")
    assert found.json()["data"][0]["title"] == "Synthetic published paper 3"


def test_title_match_refuses_what_the_batch_refuses(s2_standin: S2Standin) -> None:
    """Unknown fields, a missing query or a POST get the same errors as elsewhere."""
    unknown = match(s2_standin, "synthetic", fields="title,bogus")
    assert (unknown.status_code, unknown.json()) == (
        400,
        {"error": "Unrecognized or unsupported fields: [bogus]"},
    )
    no_query = requests.get(s2_standin.match_url, timeout=5)
    assert (no_query.status_code, no_query.json()) == (
        400,
        {"error": "Stand-in: a query is required"},
    )
    assert requests.post(s2_standin.match_url, timeout=5).status_code == 404


def test_faults_and_the_rate_limit_meet_title_matches_too(s2_standin: S2Standin) -> None:
    """Queued faults and min_interval answer search/match requests as they do batches."""
    s2_standin.dois["10.0000/synthetic.2"] = synthetic_doi_paper(2)
    s2_standin.faults.extend([S2Fault.UNAVAILABLE, S2Fault.WRONG_LENGTH])
    answers = [match(s2_standin, "synthetic published paper 2") for _ in range(2)]
    s2_standin.min_interval = 5.0
    answers.append(match(s2_standin, "synthetic published paper 2"))
    assert [answer.status_code for answer in answers] == [503, 200, 429]
    assert len(answers[1].json()["data"]) == 1  # a match is sent whole
    assert [seen.query["query"] for seen in s2_standin.requests] == [
        ["synthetic published paper 2"]
    ] * 3


def test_requested_fields_only_with_nulls_for_missing_ones(s2_standin: S2Standin) -> None:
    """Only the requested fields come back, paperId first, null where the paper lacks one."""
    s2_standin.papers["9901.00001"] = {"paperId": "0" * 40, "venue": ""}
    answer = post(s2_standin, ["ARXIV:9901.00001"], fields="year,venue")
    assert list(answer.json()[0].items()) == [("paperId", "0" * 40), ("year", None), ("venue", "")]


def test_nothing_known_is_http400(s2_standin: S2Standin) -> None:
    """When no id is known the answer is 400 "No valid paper ids given", as the real API's."""
    answer = post(s2_standin, ["ARXIV:9901.00001"])
    assert (answer.status_code, answer.json()) == (400, NOTHING_KNOWN)
    assert NOTHING_KNOWN == {"error": "No valid paper ids given"}


def test_more_than_500_ids_are_refused(s2_standin: S2Standin) -> None:
    """501 ids get HTTP 400; 500 are answered."""
    s2_standin.papers.update(synthetic_papers(501))
    ids = [f"ARXIV:{identifier}" for identifier in synthetic_ids(501)]
    refused = post(s2_standin, ids)
    assert refused.status_code == 400
    assert refused.json() == {"error": "Stand-in: at most 500 ids, got 501"}
    assert len(post(s2_standin, ids[:500]).json()) == 500


def test_unknown_fields_and_bad_bodies_are_refused(s2_standin: S2Standin) -> None:
    """An unknown field gets the real "Unrecognized" 400; a body without ids gets 400 too."""
    unknown = post(s2_standin, ["ARXIV:9901.00001"], fields="paperId,bogus")
    assert (unknown.status_code, unknown.json()) == (
        400,
        {"error": "Unrecognized or unsupported fields: [bogus]"},
    )
    no_ids = requests.post(s2_standin.batch_url, data=b"[]", timeout=5)
    assert no_ids.status_code == 400
    other_path = requests.get(f"{s2_standin.url}/graph/v1/paper/batch", timeout=5)
    assert other_path.status_code == 404


def test_requests_are_recorded_with_key_presence_only(s2_standin: S2Standin) -> None:
    """Each request is recorded with its ids, status and whether a key came, never the key."""
    requests.post(
        s2_standin.batch_url,
        json={"ids": ["ARXIV:9901.00001"]},
        headers={"x-api-key": "FAKE-standin-key"},
        timeout=5,
    )
    post(s2_standin, ["ARXIV:9901.00002"])
    first, second = s2_standin.requests
    assert (first.ids, first.status, first.api_key_sent) == (("ARXIV:9901.00001",), 400, True)
    assert (second.ids, second.status, second.api_key_sent) == (("ARXIV:9901.00002",), 400, False)
    assert "FAKE-standin-key" not in repr(s2_standin.requests)


def test_faults_are_served_once_in_queue_order(s2_standin: S2Standin) -> None:
    """Queued faults answer the next requests in order, then normal answers resume."""
    s2_standin.papers.update(synthetic_papers(1))
    s2_standin.retry_after = "3"
    s2_standin.faults.extend(
        [
            S2Fault.RATE_LIMITED,
            S2Fault.RATE_LIMITED_RETRY_AFTER,
            S2Fault.BAD_GATEWAY,
            S2Fault.UNAVAILABLE,
            S2Fault.FORBIDDEN,
            S2Fault.BAD_REQUEST,
            S2Fault.NOT_JSON,
            S2Fault.WRONG_LENGTH,
        ]
    )
    answers = [post(s2_standin, ["ARXIV:9901.00001"]) for _ in range(9)]
    assert [(a.status_code, a.headers.get("Retry-After")) for a in answers] == [
        (429, None),
        (429, "3"),
        (502, None),
        (503, None),
        (403, None),
        (400, None),
        (200, None),
        (200, None),
        (200, None),
    ]
    assert answers[0].json() == {"message": "Too Many Requests.", "code": "429"}
    assert answers[2].json() == {"message": "Bad Gateway"}
    assert answers[6].text.startswith("<html>")
    assert answers[7].json() == []
    assert len(answers[8].json()) == 1
    assert s2_standin.rate_limited == 2


def test_lasting_fault_answers_every_later_request_until_cleared(s2_standin: S2Standin) -> None:
    """fail_after(1, fault) answers one request normally, then the fault until cleared."""
    s2_standin.papers.update(synthetic_papers(1))
    s2_standin.fail_after(1, S2Fault.NOTHING_KNOWN)
    answers = [post(s2_standin, ["ARXIV:9901.00001"]) for _ in range(3)]
    s2_standin.clear_faults()
    answers.append(post(s2_standin, ["ARXIV:9901.00001"]))
    assert [answer.status_code for answer in answers] == [200, 400, 400, 200]
    assert answers[1].json() == {"error": "No valid paper ids given"}


def test_refuse_after_answers_then_refuses_connections() -> None:
    """refuse_after(1) answers the first request, then connections to the port are refused."""
    with S2Standin(synthetic_papers(1)) as standin:
        standin.refuse_after(1)
        first = post(standin, ["ARXIV:9901.00001"])
        with pytest.raises(requests.ConnectionError):
            post(standin, ["ARXIV:9901.00001"])
    assert first.status_code == 200
    assert [seen.status for seen in standin.requests] == [200]


def test_min_interval_rate_limits_fast_requests(s2_standin: S2Standin) -> None:
    """With min_interval set, a request arriving too soon after the previous one gets 429."""
    s2_standin.papers.update(synthetic_papers(1))
    s2_standin.min_interval = 0.5
    first = post(s2_standin, ["ARXIV:9901.00001"])
    second = post(s2_standin, ["ARXIV:9901.00001"])
    assert (first.status_code, second.status_code) == (200, 429)
    assert second.json() == {"message": "Too Many Requests.", "code": "429"}


# --- SemanticScholarSource against the stand-in ----------------------------------------------


def test_a_thousand_ids_take_exactly_two_requests(s2_standin: S2Standin) -> None:
    """1,000 ids in two lookups of 500 make 2 requests and find exactly the known 900."""
    s2_standin.papers.update(synthetic_papers(1000, known_fraction=0.9))
    ids = synthetic_ids(1000)
    time = FakeTime()
    source = standin_source(s2_standin, time, delay=1.0, api_key="FAKE-standin-key")
    found = source.lookup(ids[:500]) | source.lookup(ids[500:])
    assert len(s2_standin.requests) == 2
    assert source.requests_made == 2
    assert [len(seen.ids or ()) for seen in s2_standin.requests] == [500, 500]
    assert sorted(found) == sorted(s2_standin.papers)
    assert len(found) == 900
    assert "9901.00010" not in found
    assert found["9901.00011"] == Citations(
        id="9901.00011",
        s2_id=s2_standin.papers["9901.00011"]["paperId"],
        citations=77,
        influential_citations=1,
    )
    assert time.sleeps == [1.0]


def test_counts_changed_between_lookups_are_seen(s2_standin: S2Standin) -> None:
    """Papers changed in the stand-in between lookups come back with their new counts."""
    s2_standin.papers.update(synthetic_papers(2, known_fraction=0.5))
    source = standin_source(s2_standin)
    assert list(source.lookup(synthetic_ids(2))) == ["9901.00001"]
    s2_standin.papers.update(synthetic_papers(2))  # 9901.00002 becomes known
    s2_standin.papers["9901.00001"]["citationCount"] += 5
    again = source.lookup(synthetic_ids(2))
    assert {key: item.citations for key, item in again.items()} == {
        "9901.00001": 12,
        "9901.00002": 14,
    }


def test_duplicate_ids_are_sent_once(s2_standin: S2Standin) -> None:
    """Repeated ids in one lookup become one id in the request."""
    s2_standin.papers.update(synthetic_papers(1))
    found = standin_source(s2_standin).lookup(["9901.00001", "9901.00001"])
    assert list(found) == ["9901.00001"]
    assert s2_standin.requests[0].ids == ("ARXIV:9901.00001",)


def test_delay_is_kept_between_request_starts(s2_standin: S2Standin) -> None:
    """A lookup waits until ``delay`` seconds have passed since the previous request started."""
    s2_standin.papers.update(synthetic_papers(1))
    time = FakeTime()
    source = standin_source(s2_standin, time, delay=1.0)
    source.lookup(synthetic_ids(1))
    time.now += 0.25  # the caller spends 0.25 s between the two lookups
    source.lookup(synthetic_ids(1))
    source.lookup(synthetic_ids(1))
    assert time.sleeps == [0.75, 1.0]
    assert len(s2_standin.requests) == 3


def test_delay_keeps_a_polite_client_under_the_rate_limit(s2_standin: S2Standin) -> None:
    """In real time, requests start ``delay`` apart and never trip a slightly lower rate limit."""
    s2_standin.papers.update(synthetic_papers(1))
    s2_standin.min_interval = 0.1
    source = standin_source(s2_standin, delay=0.15)
    for _ in range(4):
        source.lookup(synthetic_ids(1))
    arrivals = [seen.time for seen in s2_standin.requests]
    assert s2_standin.rate_limited == 0
    assert min(b - a for a, b in itertools.pairwise(arrivals)) >= 0.15 - ARRIVAL_SLACK


def test_retries_back_off_exponentially(s2_standin: S2Standin) -> None:
    """Three 503s are retried after 5, 10 and 20 times the delay, then the answer is used."""
    s2_standin.papers.update(synthetic_papers(1))
    s2_standin.faults.extend([S2Fault.UNAVAILABLE] * 3)
    time = FakeTime()
    source = standin_source(s2_standin, time, delay=1.0)
    assert list(source.lookup(synthetic_ids(1))) == ["9901.00001"]
    assert time.sleeps == [5.0, 10.0, 20.0]
    assert source.requests_made == 4


def test_retries_give_up_after_max_retries(s2_standin: S2Standin) -> None:
    """Six 429s in a row end in one SourceError naming the cause and the attempts."""
    s2_standin.faults.extend([S2Fault.RATE_LIMITED] * 6)
    time = FakeTime()
    source = standin_source(s2_standin, time, delay=1.0)
    with pytest.raises(SourceError) as caught:
        source.lookup(synthetic_ids(1))
    assert str(caught.value) == "Semantic Scholar: rate limited (HTTP 429) after 6 attempts"
    assert caught.value.retryable is True
    assert time.sleeps == [5.0, 10.0, 20.0, 40.0, 80.0]
    assert len(s2_standin.requests) == 6


def test_total_wait_is_bounded(s2_standin: S2Standin) -> None:
    """Retrying stops before the next wait would take the total past max_wait."""
    s2_standin.faults.extend([S2Fault.BAD_GATEWAY] * 6)
    time = FakeTime()
    source = standin_source(s2_standin, time, delay=1.0, max_wait=30.0)
    with pytest.raises(SourceError) as caught:
        source.lookup(synthetic_ids(1))
    assert str(caught.value) == (
        "Semantic Scholar: server error (HTTP 502 Bad Gateway) after 3 attempts"
    )
    assert time.sleeps == [5.0, 10.0]
    assert len(s2_standin.requests) == 3


def test_retry_after_lengthens_the_wait(s2_standin: S2Standin) -> None:
    """A Retry-After longer than the backoff is waited for in full."""
    s2_standin.papers.update(synthetic_papers(1))
    s2_standin.faults.append(S2Fault.RATE_LIMITED_RETRY_AFTER)
    s2_standin.retry_after = "12"
    time = FakeTime()
    assert standin_source(s2_standin, time, delay=1.0).lookup(synthetic_ids(1))
    assert time.sleeps == [12.0]


def test_retry_after_never_shortens_the_backoff(s2_standin: S2Standin) -> None:
    """A Retry-After shorter than the backoff leaves the backoff as it is."""
    s2_standin.papers.update(synthetic_papers(1))
    s2_standin.faults.append(S2Fault.RATE_LIMITED_RETRY_AFTER)
    s2_standin.retry_after = "1"
    time = FakeTime()
    assert standin_source(s2_standin, time, delay=1.0).lookup(synthetic_ids(1))
    assert time.sleeps == [5.0]


def test_retry_after_as_an_http_date(s2_standin: S2Standin) -> None:
    """A Retry-After date a minute after the server's Date is waited for about a minute."""
    s2_standin.papers.update(synthetic_papers(1))
    s2_standin.faults.append(S2Fault.RATE_LIMITED_RETRY_AFTER)
    s2_standin.retry_after = email.utils.formatdate(real_time.time() + 60, usegmt=True)
    time = FakeTime()
    assert standin_source(s2_standin, time, delay=1.0).lookup(synthetic_ids(1))
    (waited,) = time.sleeps
    assert 58.0 <= waited <= 61.0  # both dates have whole seconds


def test_retry_after_beyond_the_bound_stops_at_once(s2_standin: S2Standin) -> None:
    """A Retry-After longer than the whole wait budget ends the lookup without sleeping."""
    s2_standin.faults.append(S2Fault.RATE_LIMITED_RETRY_AFTER)
    s2_standin.retry_after = "3600"
    time = FakeTime()
    source = standin_source(s2_standin, time, delay=1.0)
    with pytest.raises(SourceError) as caught:
        source.lookup(synthetic_ids(1))
    assert str(caught.value) == "Semantic Scholar: rate limited (HTTP 429) after 1 attempt"
    assert time.sleeps == []


def test_jitter_lengthens_waits_by_at_most_a_tenth(s2_standin: S2Standin) -> None:
    """The jitter source scales each wait by 1 + 0.1 x its value."""
    s2_standin.papers.update(synthetic_papers(1))
    s2_standin.faults.extend([S2Fault.RATE_LIMITED] * 2)
    time = FakeTime()
    source = SemanticScholarSource(
        api_root=s2_standin.url, delay=1.0, clock=time.clock, sleep=time.sleep, jitter=lambda: 0.5
    )
    source.lookup(synthetic_ids(1))
    assert time.sleeps == [5.25, 10.5]


def test_scaled_down_rate_limit_is_ridden_out_in_real_time(s2_standin: S2Standin) -> None:
    """With a 20 ms delay, 429s from a 0.3 s rate limit are retried after 0.1, 0.2, 0.4 s."""
    s2_standin.papers.update(synthetic_papers(1))
    s2_standin.min_interval = 0.3
    source = standin_source(s2_standin, delay=0.02)
    source.lookup(synthetic_ids(1))
    found = source.lookup(synthetic_ids(1))
    assert list(found) == ["9901.00001"]
    assert [seen.status for seen in s2_standin.requests] == [200, 429, 429, 429, 200]
    arrivals = [seen.time for seen in s2_standin.requests]
    gaps = [b - a for a, b in itertools.pairwise(arrivals[1:])]
    assert [
        gap >= wait - ARRIVAL_SLACK for gap, wait in zip(gaps, [0.1, 0.2, 0.4], strict=True)
    ] == [True] * 3


ONE_ATTEMPT = [
    (S2Fault.RATE_LIMITED, r"rate limited \(HTTP 429\)", True),
    (S2Fault.RATE_LIMITED_RETRY_AFTER, r"rate limited \(HTTP 429\)", True),
    (S2Fault.BAD_GATEWAY, r"server error \(HTTP 502 Bad Gateway\)", True),
    (S2Fault.UNAVAILABLE, r"server error \(HTTP 503 Service Unavailable\)", True),
    (S2Fault.NOT_JSON, r"answer is not JSON \('<html><body>Service temporarily.+'\)", True),
    (S2Fault.HANG, r"timed out waiting for 127\.0\.0\.1:\d+", True),
    (S2Fault.FORBIDDEN, r"access denied \(HTTP 403 Forbidden\); check the API key", False),
    (S2Fault.BAD_REQUEST, r"request rejected \(HTTP 400\): Stand-in fault: request refused", False),
    (S2Fault.WRONG_LENGTH, r"answer has 0 items for 1 requested identifiers", False),
]


@pytest.mark.parametrize(
    ("fault", "message", "retryable"), ONE_ATTEMPT, ids=[f.name for f, _, _ in ONE_ATTEMPT]
)
def test_faults(s2_standin: S2Standin, fault: S2Fault, message: str, retryable: bool) -> None:
    """Each fault becomes one SourceError; only those that may pass are marked retryable."""
    s2_standin.papers.update(synthetic_papers(1))
    s2_standin.faults.append(fault)
    s2_standin.retry_after = "0"
    s2_standin.hang_seconds = 1.0
    source = standin_source(s2_standin, max_retries=0)
    with pytest.raises(SourceError) as caught:
        source.lookup(synthetic_ids(1))
    suffix = " after 1 attempt" if retryable else ""
    assert re.fullmatch(f"Semantic Scholar: {message}{suffix}", str(caught.value))
    assert caught.value.retryable is retryable
    assert len(s2_standin.requests) == 1


def test_nothing_known_is_an_answer_not_a_fault(s2_standin: S2Standin) -> None:
    """HTTP 400 "No valid paper ids given" means none is known: no paper, no retry, no error."""
    s2_standin.papers.update(synthetic_papers(2))
    s2_standin.faults.append(S2Fault.NOTHING_KNOWN)
    source = standin_source(s2_standin)
    assert source.lookup(synthetic_ids(2)) == {}
    assert [seen.status for seen in s2_standin.requests] == [400]


def test_timeout_bounds_a_hung_request(s2_standin: S2Standin) -> None:
    """The source's own session gives up on a silent server after ``timeout`` seconds."""
    s2_standin.faults.append(S2Fault.HANG)
    s2_standin.hang_seconds = 5.0
    source = SemanticScholarSource(api_root=s2_standin.url, delay=0.0, timeout=0.2, max_retries=0)
    started = real_time.monotonic()
    with pytest.raises(SourceError) as caught:
        source.lookup(synthetic_ids(1))
    assert real_time.monotonic() - started < 2.0
    assert str(caught.value) == (
        f"Semantic Scholar: timed out waiting for 127.0.0.1:{s2_standin.port} after 1 attempt"
    )


@pytest.mark.parametrize("timeout", [0.0, -1.0])
def test_timeout_must_be_positive(timeout: float) -> None:
    """A timeout of zero or less raises ValueError: it would fail every request."""
    with pytest.raises(ValueError, match=f"timeout must be positive, got {timeout}"):
        SemanticScholarSource(timeout=timeout)


def test_connection_refused() -> None:
    """A closed port gives a retryable SourceError naming the host, after every retry."""
    time = FakeTime()
    port = unused_port()
    source = SemanticScholarSource(
        api_root=f"http://127.0.0.1:{port}",
        delay=0.01,
        clock=time.clock,
        sleep=time.sleep,
        jitter=lambda: 0.0,
    )
    with pytest.raises(SourceError) as caught:
        source.lookup(synthetic_ids(1))
    assert str(caught.value) == (
        f"Semantic Scholar: cannot connect to 127.0.0.1:{port} after 6 attempts"
    )
    assert source.requests_made == 6
    assert time.sleeps == pytest.approx([0.05, 0.1, 0.2, 0.4, 0.8])


def test_wrong_api_root_is_not_retried(s2_standin: S2Standin) -> None:
    """An API root whose batch path answers 404 fails at once with the gateway's message."""
    source = SemanticScholarSource(api_root=f"{s2_standin.url}/wrong", delay=0.0)
    with pytest.raises(SourceError) as caught:
        source.lookup(synthetic_ids(1))
    assert str(caught.value) == "Semantic Scholar: request rejected (HTTP 404): Not Found"
    assert source.requests_made == 1


@pytest.mark.parametrize("fields", [FIELDS, METADATA_FIELDS])
def test_fields_the_source_asks_for_are_known_to_the_standin(
    s2_standin: S2Standin, fields: str
) -> None:
    """The stand-in accepts every field the source requests (none is rejected as unknown)."""
    s2_standin.papers.update(synthetic_papers(1))
    answer = post(s2_standin, ["ARXIV:9901.00001"], fields=fields)
    assert answer.status_code == 200
    assert list(json.loads(answer.content)[0]) == fields.split(",")


# --- papers not on arXiv ---------------------------------------------------------------------

KEYS = ["9901.00001", "doi:10.0000/synthetic.2", "title:synthetic published paper 3"]
"""An arXiv paper, a paper known by its DOI and one known by its title: SYNTHETIC all three."""


@pytest.fixture
def curator_logs(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> pytest.LogCaptureFixture:
    """Capture curator's log records of every level, even after a CLI run stopped propagation."""
    monkeypatch.setattr(logging.getLogger("curator"), "propagate", True)
    caplog.set_level(logging.DEBUG, logger="curator")
    caplog.set_level(logging.DEBUG)
    return caplog


@pytest.fixture
def off_arxiv(s2_standin: S2Standin) -> S2Standin:
    """The stand-in, knowing the three SYNTHETIC papers of KEYS."""
    s2_standin.papers.update(synthetic_papers(1))
    s2_standin.dois["10.0000/synthetic.2"] = synthetic_doi_paper(2)
    s2_standin.dois["10.0000/synthetic.3"] = synthetic_doi_paper(3)
    return s2_standin


def test_papers_not_on_arxiv_are_found_by_doi_and_title(off_arxiv: S2Standin) -> None:
    """One batch finds the arXiv and the DOI paper, one title match the third, metadata and all."""
    found = standin_source(off_arxiv).lookup(KEYS)
    assert [seen.path for seen in off_arxiv.requests] == [
        "/graph/v1/paper/batch",
        "/graph/v1/paper/search/match",
    ]
    assert off_arxiv.requests[0].ids == ("ARXIV:9901.00001", "DOI:10.0000/synthetic.2")
    assert found["doi:10.0000/synthetic.2"] == Citations(
        id="doi:10.0000/synthetic.2",
        s2_id=synthetic_doi_paper(2)["paperId"],
        citations=22,
        influential_citations=2,
        venue="Synthetic Journal",
        venue_year=2099,
        venue_doi="10.0000/synthetic.2",
        title="Synthetic published paper 2",
        authors=("Synthetic Author",),
        published=dt.date(2099, 1, 1),
    )
    assert found["title:synthetic published paper 3"] == Citations(
        id="title:synthetic published paper 3",
        s2_id=synthetic_doi_paper(3)["paperId"],
        citations=33,
        influential_citations=3,
        venue="Synthetic Journal",
        venue_year=2099,
        venue_doi="10.0000/synthetic.3",
        title="Synthetic published paper 3",
        authors=("Synthetic Author",),
        published=dt.date(2099, 1, 1),
    )
    # Asked in a batch with metadata fields, the arXiv paper gets them too (its list ignores them).
    assert found["9901.00001"].title == "Synthetic paper 9901.00001"


def test_title_requests_keep_the_delay(off_arxiv: S2Standin) -> None:
    """The batch and each title match start at least ``delay`` apart."""
    off_arxiv.dois["10.0000/synthetic.4"] = synthetic_doi_paper(4)
    time = FakeTime()
    source = standin_source(off_arxiv, time, delay=1.0)
    found = source.lookup([*KEYS, "title:synthetic published paper 4"])
    assert len(found) == 4
    assert time.sleeps == [1.0, 1.0]
    assert source.requests_made == len(off_arxiv.requests) == 3


def test_title_requests_keep_the_delay_in_real_time(off_arxiv: S2Standin) -> None:
    """In real time, title matches arrive ``delay`` apart and never trip the rate limit."""
    off_arxiv.min_interval = 0.1
    titles = [f"title:synthetic published paper {n}" for n in (2, 3, 5)]
    found = standin_source(off_arxiv, delay=0.15).lookup(titles)
    arrivals = [seen.time for seen in off_arxiv.requests]
    assert sorted(found) == titles[:2]
    assert off_arxiv.rate_limited == 0
    assert min(b - a for a, b in itertools.pairwise(arrivals)) >= 0.15 - ARRIVAL_SLACK


def test_title_match_429s_are_retried_with_backoff(off_arxiv: S2Standin) -> None:
    """Two 429s on a title match are retried after 5 and 10 delays, then the match is used."""
    off_arxiv.faults.extend([S2Fault.RATE_LIMITED] * 2)
    time = FakeTime()
    source = standin_source(off_arxiv, time, delay=1.0)
    found = source.lookup([KEYS[2]])
    assert list(found) == [KEYS[2]]
    assert [seen.status for seen in off_arxiv.requests] == [429, 429, 200]
    assert time.sleeps == [5.0, 10.0]


def test_a_title_match_that_keeps_failing_fails_the_lookup(off_arxiv: S2Standin) -> None:
    """A title match failing past its retries raises: no paper of the lookup is called unknown."""
    off_arxiv.fail_after(1, S2Fault.BAD_GATEWAY)
    time = FakeTime()
    source = standin_source(off_arxiv, time, delay=1.0, max_retries=2)
    with pytest.raises(SourceError) as caught:
        source.lookup(KEYS)
    assert str(caught.value) == (
        "Semantic Scholar: server error (HTTP 502 Bad Gateway) after 3 attempts"
    )
    assert [seen.status for seen in off_arxiv.requests] == [200, 502, 502, 502]


def test_no_title_match_is_unknown_and_not_retried(off_arxiv: S2Standin) -> None:
    """A 404 from search/match leaves the paper unknown at once, without a retry."""
    time = FakeTime()
    found = standin_source(off_arxiv, time, delay=1.0).lookup(["title:synthetic paper 2099"])
    assert found == {}
    assert [seen.status for seen in off_arxiv.requests] == [404]
    assert time.sleeps == []


def test_a_best_match_with_another_title_is_not_taken(
    off_arxiv: S2Standin, curator_logs: pytest.LogCaptureFixture
) -> None:
    """A fuzzy best match titled otherwise leaves the paper unknown: no other paper is guessed."""
    off_arxiv.best_matches["synthetic published paper"] = synthetic_doi_paper(3)
    found = standin_source(off_arxiv).lookup(["title:synthetic published paper"])
    assert found == {}
    infos = [r.getMessage() for r in curator_logs.records if r.levelno == logging.INFO]
    assert infos == [
        "Semantic Scholar's best match for title:synthetic published paper is titled "
        "'Synthetic published paper 3'; not taken"
    ]


def test_the_key_never_shows_for_title_matches(
    off_arxiv: S2Standin, curator_logs: pytest.LogCaptureFixture
) -> None:
    """Through title match faults, retries and answers, the key shows in no log or message."""
    key = "FAKE-s2-key-title-match-not-real"
    shown: list[str] = []
    for fault in [S2Fault.RATE_LIMITED, S2Fault.UNAVAILABLE, S2Fault.FORBIDDEN, S2Fault.HANG]:
        off_arxiv.faults.append(fault)
        off_arxiv.hang_seconds = 1.0
        source = standin_source(off_arxiv, api_key=key, max_retries=0)
        shown.append(repr(source))
        try:
            source.lookup([KEYS[2], "title:synthetic paper 2099"])
        except SourceError as error:
            shown.extend([str(error), repr(error)])
    found = standin_source(off_arxiv, api_key=key).lookup(KEYS)
    assert len(found) == 3
    assert len(shown) == 12  # a repr and an error for each fault
    assert [text for text in shown if key in text] == []
    logged = [r.getMessage() for r in curator_logs.records if r.name.startswith("curator.")]
    assert any("search/match" in message for message in logged)
    assert [message for message in logged if key in message] == []
    assert key not in curator_logs.text
    assert all(seen.api_key_sent for seen in off_arxiv.requests)
