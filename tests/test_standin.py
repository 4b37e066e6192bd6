"""The arXiv stand-in, and ArxivSource against it: one request for 25 papers, delays, faults."""

from __future__ import annotations

import datetime as dt
import re
import time
from typing import Any

import pytest
import requests
from standin import SEED_FEED, ArxivStandin, FakeTime, Fault, load_entries, unused_port

from curator.errors import SourceError
from curator.models import Paper
from curator.sources.arxiv import ArxivSource, _read_answer
from curator.sources.http import new_session

ENTRY_ID = re.compile(r"<entry>\s*<id>http://arxiv\.org/abs/([^<]+)</id>")
ARRIVAL_SLACK = 0.02
"""Seconds by which the stand-in's arrival times may be closer than the client's start times."""


def get(standin: ArxivStandin, query: str) -> requests.Response:
    return requests.get(f"{standin.api_url}?{query}", timeout=5)


def test_seed_feed_holds_the_25_papers() -> None:
    """The constructed seed feed has one entry per paper of the example post."""
    entries = load_entries(SEED_FEED)
    assert len(entries) == 25
    assert list(entries)[:3] == ["2304.02643", "2304.04155", "2304.05396"]
    assert list(entries)[-1] == "2108.06098"


def test_entries_come_back_shuffled_and_repeatably(arxiv_standin: ArxivStandin) -> None:
    """All requested known ids come back, not in request order, in the same order every run."""
    wanted = list(arxiv_standin.entries)
    answer = get(arxiv_standin, f"id_list={','.join(wanted)}&max_results=25")
    order = ENTRY_ID.findall(answer.text)
    assert answer.status_code == 200
    assert sorted(order) == sorted(wanted)
    assert order != wanted
    with ArxivStandin() as again:
        assert ENTRY_ID.findall(get(again, f"id_list={','.join(wanted)}&max_results=25").text) == (
            order
        )


def test_feed_header_counts_found_entries(arxiv_standin: ArxivStandin) -> None:
    """The feed header reports the page size and the number of ids found, like the real API."""
    answer = get(arxiv_standin, "id_list=2304.02643,0000.0000&max_results=2")
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    assert "<opensearch:itemsPerPage>2</opensearch:itemsPerPage>" in answer.text
    assert "<opensearch:totalResults>1</opensearch:totalResults>" in answer.text
    assert "<opensearch:startIndex>0</opensearch:startIndex>" in answer.text
    assert ENTRY_ID.findall(answer.text) == ["2304.02643"]


def test_unknown_well_formed_id_gets_an_empty_feed(arxiv_standin: ArxivStandin) -> None:
    """A well-formed id nobody knows (0000.0000) gets HTTP 200 and no entry."""
    answer = get(arxiv_standin, "id_list=0000.0000&max_results=1")
    assert answer.status_code == 200
    assert "<opensearch:totalResults>0</opensearch:totalResults>" in answer.text
    assert ENTRY_ID.findall(answer.text) == []


def test_malformed_id_gets_http400_error_feed(arxiv_standin: ArxivStandin) -> None:
    """A malformed id gets HTTP 400 and an Atom error feed shaped like the real one."""
    answer = get(arxiv_standin, "id_list=abc&max_results=1")
    assert answer.status_code == 400
    assert "<title>Error</title>" in answer.text
    assert "<summary>incorrect id format for abc</summary>" in answer.text
    assert "<id>https://arxiv.org/api/errors#incorrect_id_format_for_abc</id>" in answer.text


def test_max_results_defaults_to_ten(arxiv_standin: ArxivStandin) -> None:
    """Without max_results at most 10 entries come back, as the real API's default."""
    answer = get(arxiv_standin, f"id_list={','.join(arxiv_standin.entries)}")
    assert len(ENTRY_ID.findall(answer.text)) == 10
    assert "<opensearch:totalResults>25</opensearch:totalResults>" in answer.text


def test_requests_are_recorded(arxiv_standin: ArxivStandin) -> None:
    """Every request is recorded with its path and decoded query."""
    get(arxiv_standin, "id_list=2304.02643%2C2108.06098&max_results=2")
    get(arxiv_standin, "id_list=astro-ph%2F0601001&max_results=1")
    assert [(seen.path, seen.query) for seen in arxiv_standin.requests] == [
        ("/api/query", {"id_list": ["2304.02643,2108.06098"], "max_results": ["2"]}),
        ("/api/query", {"id_list": ["astro-ph/0601001"], "max_results": ["1"]}),
    ]


def test_faults_are_served_once_in_queue_order(arxiv_standin: ArxivStandin) -> None:
    """Queued faults answer the next requests in order, then normal answers resume."""
    arxiv_standin.faults.extend([Fault.RATE_LIMITED, Fault.RATE_LIMITED_200, Fault.UNAVAILABLE])
    answers = [get(arxiv_standin, "id_list=2304.02643&max_results=1") for _ in range(4)]
    assert [(a.status_code, a.text[:14]) for a in answers] == [
        (429, "Rate exceeded."),
        (200, "Rate exceeded."),
        (503, ""),
        (200, "<?xml version="),
    ]


def test_lasting_fault_answers_every_later_request_until_cleared(
    arxiv_standin: ArxivStandin,
) -> None:
    """fail_after(1, fault) answers one request normally, then the fault until cleared."""
    arxiv_standin.fail_after(1, Fault.UNAVAILABLE)
    arxiv_standin.faults.append(Fault.RATE_LIMITED)  # a queued fault comes first
    statuses = [get(arxiv_standin, "id_list=2304.02643&max_results=1").status_code]
    statuses += [get(arxiv_standin, "id_list=2304.02643&max_results=1").status_code]
    statuses += [get(arxiv_standin, "id_list=2304.02643&max_results=1").status_code for _ in "ab"]
    arxiv_standin.clear_faults()
    statuses += [get(arxiv_standin, "id_list=2304.02643&max_results=1").status_code]
    assert statuses == [429, 503, 503, 503, 200]


def test_refuse_after_answers_then_refuses_connections() -> None:
    """refuse_after(2) answers two requests, then connections to the port are refused."""
    with ArxivStandin() as standin:
        standin.refuse_after(2)
        answers = [get(standin, "id_list=2304.02643&max_results=1") for _ in "ab"]
        with pytest.raises(requests.ConnectionError):
            get(standin, "id_list=2304.02643&max_results=1")
    assert [answer.status_code for answer in answers] == [200, 200]
    assert len(standin.requests) == 2
    with ArxivStandin(port=standin.port) as again:  # the same port serves again
        assert get(again, "id_list=2304.02643&max_results=1").status_code == 200


def test_truncated_fault_cuts_the_feed(arxiv_standin: ArxivStandin) -> None:
    """The truncation fault sends the first half of the normal feed, with no closing tag."""
    arxiv_standin.faults.append(Fault.TRUNCATED)
    answer = get(arxiv_standin, f"id_list={','.join(arxiv_standin.entries)}&max_results=25")
    assert answer.status_code == 200
    assert answer.text.startswith("<?xml version='1.0' encoding='UTF-8'?>\n<feed ")
    assert "</feed>" not in answer.text


def test_other_paths_are_not_found(arxiv_standin: ArxivStandin) -> None:
    """Only /api/query is served."""
    answer = requests.get(f"{arxiv_standin.url}/api/other", timeout=5)
    assert (answer.status_code, answer.text) == (404, "Not Found")


# --- ArxivSource against the stand-in ------------------------------------------------------


def standin_source(
    standin: ArxivStandin, time: FakeTime | None = None, **options: Any
) -> ArxivSource:
    """Return a source for the stand-in: 10 ms delay, 0.5 s timeout, no jitter."""
    options.setdefault("delay", 0.01)
    options.setdefault("session", new_session(timeout=0.5))
    if time is not None:
        options.update(clock=time.clock, sleep=time.sleep)
    return ArxivSource(endpoint=standin.api_url, jitter=lambda: 0.0, **options)


def seed_facts() -> dict[str, dict[str, Any]]:
    """Read the constructed seed feed with a plain XML parser, independently of curator."""
    from xml.etree import ElementTree

    atom = "{http://www.w3.org/2005/Atom}"
    facts = {}
    for entry in ElementTree.parse(SEED_FEED).getroot().iter(f"{atom}entry"):
        key = entry.findtext(f"{atom}id", "").removeprefix("http://arxiv.org/abs/")
        facts[key] = {
            "title": entry.findtext(f"{atom}title"),
            "authors": tuple(a.findtext(f"{atom}name") for a in entry.iter(f"{atom}author")),
        }
    return facts


def test_all_seed_papers_in_one_request(arxiv_standin: ArxivStandin) -> None:
    """The 25 seed ids resolve in one request, each to its own title and authors."""
    facts = seed_facts()
    source = standin_source(arxiv_standin)
    found = source.lookup(list(facts))
    assert len(facts) == 25
    assert {key: paper.title for key, paper in found.items()} == {
        key: fact["title"] for key, fact in facts.items()
    }
    assert {key: paper.authors for key, paper in found.items()} == {
        key: fact["authors"] for key, fact in facts.items()
    }
    assert len(arxiv_standin.requests) == 1
    assert source.requests_made == 1
    assert arxiv_standin.requests[0].query == {
        "id_list": [",".join(facts)],
        "max_results": ["25"],
    }
    assert found["2304.02643"] == Paper(
        id="2304.02643",
        title="Segment Anything",
        authors=facts["2304.02643"]["authors"],
        published=dt.date(2023, 4, 5),
        primary_category="cs.CV",
    )
    assert found["2304.09148"].published is None
    assert found["2304.10517"].primary_category is None


def test_unknown_id_is_absent(arxiv_standin: ArxivStandin) -> None:
    """A well-formed id the service does not know is simply missing from the result."""
    found = standin_source(arxiv_standin).lookup(["2304.02643", "1605.08386"])
    assert list(found) == ["2304.02643"]


def test_delay_is_kept_between_request_starts(arxiv_standin: ArxivStandin) -> None:
    """A second lookup waits until ``delay`` seconds have passed since the first one started."""
    time = FakeTime()
    source = standin_source(arxiv_standin, time, delay=3.0)
    source.lookup(["2304.02643"])
    time.now += 1.25  # the caller spends 1.25 s between the two lookups
    source.lookup(["2304.04155"])
    source.lookup(["2304.05396"])
    assert time.sleeps == [1.75, 3.0]
    assert len(arxiv_standin.requests) == 3


def test_delay_is_kept_in_real_time(arxiv_standin: ArxivStandin) -> None:
    """With the real clock, consecutive requests start at least ``delay`` apart."""
    source = standin_source(arxiv_standin, delay=0.2)
    source.lookup(["2304.02643"])
    source.lookup(["2304.04155"])
    first, second = arxiv_standin.requests
    # Arrival times also differ by connection set-up, which is not the client's doing.
    assert second.time - first.time >= 0.2 - ARRIVAL_SLACK


def test_retries_back_off_exponentially(arxiv_standin: ArxivStandin) -> None:
    """Three 503s are retried after 10, 20 and 40 times the delay, then the answer is used."""
    time = FakeTime()
    arxiv_standin.faults.extend([Fault.UNAVAILABLE] * 3)
    source = standin_source(arxiv_standin, time, delay=1.0)
    found = source.lookup(["2304.02643"])
    assert found["2304.02643"].title == "Segment Anything"
    assert time.sleeps == [10.0, 20.0, 40.0]
    assert source.requests_made == 4


def test_retries_give_up_after_max_retries(arxiv_standin: ArxivStandin) -> None:
    """Four 503s in a row end in one SourceError naming the cause and the attempts."""
    time = FakeTime()
    arxiv_standin.faults.extend([Fault.UNAVAILABLE] * 4)
    source = standin_source(arxiv_standin, time, delay=1.0)
    with pytest.raises(SourceError) as caught:
        source.lookup(["2304.02643"])
    assert (
        str(caught.value) == "arXiv: server error (HTTP 503 Service Unavailable) after 4 attempts"
    )
    assert caught.value.retryable is True
    assert time.sleeps == [10.0, 20.0, 40.0]
    assert len(arxiv_standin.requests) == 4


def test_jitter_lengthens_waits_by_at_most_a_tenth(arxiv_standin: ArxivStandin) -> None:
    """The jitter source scales each wait by 1 + 0.1 x its value."""
    time = FakeTime()
    arxiv_standin.faults.extend([Fault.RATE_LIMITED] * 2)
    source = ArxivSource(
        endpoint=arxiv_standin.api_url,
        delay=1.0,
        clock=time.clock,
        sleep=time.sleep,
        jitter=lambda: 0.5,
    )
    source.lookup(["2304.02643"])
    assert time.sleeps == [10.5, 21.0]


def test_retry_waits_in_real_time(arxiv_standin: ArxivStandin) -> None:
    """With the real clock, the retry after a 429 starts at least ten delays later."""
    arxiv_standin.faults.append(Fault.RATE_LIMITED)
    found = standin_source(arxiv_standin, delay=0.01).lookup(["2304.02643"])
    first, second = arxiv_standin.requests
    assert found["2304.02643"].title == "Segment Anything"
    assert second.time - first.time >= 0.1 - ARRIVAL_SLACK


ONE_ATTEMPT = [
    (Fault.RATE_LIMITED, r"arXiv: rate limited \(HTTP 429 'Rate exceeded\.'\) after 1 attempt"),
    (Fault.RATE_LIMITED_200, r"arXiv: rate limited \(HTTP 200 'Rate exceeded\.'\) after 1 attempt"),
    (Fault.UNAVAILABLE, r"arXiv: server error \(HTTP 503 Service Unavailable\) after 1 attempt"),
    (
        Fault.TRUNCATED,
        r"arXiv: answer is cut off or not XML \(.+: line \d+, column \d+\) after 1 attempt",
    ),
    (Fault.HANG, r"arXiv: timed out waiting for 127\.0\.0\.1:\d+ after 1 attempt"),
]


@pytest.mark.parametrize(("fault", "message"), ONE_ATTEMPT, ids=[f.name for f, _ in ONE_ATTEMPT])
def test_retryable_faults(arxiv_standin: ArxivStandin, fault: Fault, message: str) -> None:
    """Each passing fault becomes a retryable SourceError with a one-line cause."""
    arxiv_standin.faults.append(fault)
    source = standin_source(arxiv_standin, max_retries=0)
    with pytest.raises(SourceError) as caught:
        source.lookup(["2304.02643"])
    assert re.fullmatch(message, str(caught.value))
    assert caught.value.retryable is True
    assert len(arxiv_standin.requests) == 1


def test_connection_refused() -> None:
    """A closed port gives a retryable SourceError naming the host, after every retry."""
    time = FakeTime()
    port = unused_port()
    source = ArxivSource(
        endpoint=f"http://127.0.0.1:{port}/api/query",
        delay=0.01,
        clock=time.clock,
        sleep=time.sleep,
        jitter=lambda: 0.0,
    )
    with pytest.raises(SourceError) as caught:
        source.lookup(["2304.02643"])
    assert str(caught.value) == f"arXiv: cannot connect to 127.0.0.1:{port} after 4 attempts"
    assert caught.value.retryable is True
    assert source.requests_made == 4
    assert len(time.sleeps) == 3


def test_timeout_bounds_a_hung_request(arxiv_standin: ArxivStandin) -> None:
    """The source's own session gives up on a silent server after ``timeout`` seconds."""
    arxiv_standin.faults.append(Fault.HANG)
    arxiv_standin.hang_seconds = 5.0
    source = ArxivSource(endpoint=arxiv_standin.api_url, delay=0.0, timeout=0.2, max_retries=0)
    started = time.monotonic()
    with pytest.raises(SourceError) as caught:
        source.lookup(["2304.02643"])
    assert time.monotonic() - started < 2.0
    port = arxiv_standin.port
    assert str(caught.value) == f"arXiv: timed out waiting for 127.0.0.1:{port} after 1 attempt"


@pytest.mark.parametrize("timeout", [0.0, -1.0])
def test_timeout_must_be_positive(timeout: float) -> None:
    """A timeout of zero or less raises ValueError: it would fail every request."""
    with pytest.raises(ValueError, match=f"timeout must be positive, got {timeout}"):
        ArxivSource(timeout=timeout)


def test_bad_request_is_not_retried(arxiv_standin: ArxivStandin) -> None:
    """HTTP 400 with an Atom error feed raises at once with arXiv's own message."""
    arxiv_standin.faults.append(Fault.BAD_REQUEST)
    source = standin_source(arxiv_standin)
    with pytest.raises(SourceError) as caught:
        source.lookup(["2304.02643"])
    assert str(caught.value) == (
        "arXiv: request rejected (HTTP 400): incorrect id format for 2304.02643"
    )
    assert caught.value.retryable is False
    assert source.requests_made == 1


def test_error_feed_sent_with_http200_is_an_error(arxiv_standin: ArxivStandin) -> None:
    """An Atom error feed is an error even when it comes with HTTP 200, as the old API sent it."""
    answer = requests.get(f"{arxiv_standin.api_url}?id_list=abc&max_results=1", timeout=5)
    assert answer.status_code == 400
    with pytest.raises(SourceError) as caught:
        _read_answer(200, "OK", answer.content, wanted=["2304.02643"])
    assert str(caught.value) == "arXiv: request rejected: incorrect id format for abc"
    assert caught.value.retryable is False


def test_duplicate_ids_are_sent_once(arxiv_standin: ArxivStandin) -> None:
    """Repeated ids in one lookup become one id in the request, and max_results counts it once."""
    found = standin_source(arxiv_standin).lookup(["2304.02643", "2304.02643"])
    assert list(found) == ["2304.02643"]
    assert arxiv_standin.requests[0].query == {
        "id_list": ["2304.02643"],
        "max_results": ["1"],
    }


def test_unexpected_status_is_not_retried(arxiv_standin: ArxivStandin) -> None:
    """An endpoint answering 404 fails at once, naming the status."""
    source = ArxivSource(endpoint=f"{arxiv_standin.url}/wrong/path", delay=0.01)
    with pytest.raises(SourceError) as caught:
        source.lookup(["2304.02643"])
    assert str(caught.value) == "arXiv: unexpected answer (HTTP 404 Not Found)"
    assert caught.value.retryable is False
    assert source.requests_made == 1
