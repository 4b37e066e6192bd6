"""SemanticScholarSource against recorded answers (cassettes), odd answers, the key's secrecy."""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import traceback
from pathlib import Path
from typing import Any

import pytest
import requests
import yaml
from conftest import CASSETTES, make_vcr
from requests.adapters import BaseAdapter
from standin import FakeTime, unused_port
from standin_s2 import S2Fault, S2Standin, synthetic_ids, synthetic_papers

from curator import store
from curator.cache import Cache
from curator.errors import SourceError
from curator.models import Citations, Entry
from curator.refresh import refresh
from curator.sources.arxiv import ArxivSource
from curator.sources.http import new_session
from curator.sources.s2_answers import read_batch, read_match, retry_after
from curator.sources.semantic_scholar import FIELDS, METADATA_FIELDS, SemanticScholarSource

FAKE_KEY = "FAKE-s2-key-7d1e0c3b-not-a-real-key"
"""A recognisable made-up API key: it must never show up anywhere but in request headers."""
PLACEHOLDERS = ["9912.00001", "9912.00002", "9912.00003", "9912.00004"]
"""The placeholder ids of the constructed cassettes (December 2099: no real paper has one)."""


class NoNetwork(BaseAdapter):
    """A transport adapter that fails the test if anything is sent."""

    def send(self, *args: Any, **kwargs: Any) -> requests.Response:
        raise AssertionError("an HTTP request was sent")

    def close(self) -> None:
        pass


class Echo(BaseAdapter):
    """A transport adapter answering every request with a fixed status and body."""

    def __init__(self, status: int, body: bytes) -> None:
        super().__init__()
        self.status = status
        self.body = body

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> Any:
        response = requests.Response()
        response.status_code = self.status
        response.raw = io.BytesIO(self.body)  # read as a stream, as curator reads answers
        response.request = request
        response.url = request.url or ""
        return response

    def close(self) -> None:
        pass


def session_with(adapter: BaseAdapter) -> requests.Session:
    session = requests.Session()
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def recorded_source(time: FakeTime, **options: Any) -> SemanticScholarSource:
    """Return a source for cassette tests: the real API root, fake time, no jitter."""
    return SemanticScholarSource(clock=time.clock, sleep=time.sleep, jitter=lambda: 0.0, **options)


# --- recorded answers ------------------------------------------------------------------------


def test_null_first_is_unknown_and_the_rest_map_field_by_field(cassette: Any) -> None:
    """A null item leaves its id out; the real items map to counts, no venue, publisher DOI."""
    time = FakeTime()
    source = recorded_source(time)
    with cassette("s2/batch_null_first.yaml"):
        found = source.lookup(PLACEHOLDERS)
    assert found == {
        "9912.00002": Citations(
            id="9912.00002",
            s2_id="c31c87c591a25c64fbaa82e8ac6a81831b6ac7ce",
            citations=10670,
            influential_citations=578,
            venue=None,
            venue_year=None,
            venue_doi="10.2139/ssrn.288970",
        ),
        "9912.00003": Citations(
            id="9912.00003",
            s2_id="cb1ebd913c3724c599f6b276b14b5c6253da68f3",
            citations=2185,
            influential_citations=245,
            venue=None,
            venue_year=None,
            venue_doi="10.2139/ssrn.2250500",
        ),
        "9912.00004": Citations(
            id="9912.00004",
            s2_id="0f40b1f08821e22e859c6050916cec3667778613",
            citations=0,
            influential_citations=0,
            venue=None,
            venue_year=None,
            venue_doi="10.1257/rct.1355",
        ),
    }
    assert source.requests_made == 1
    assert time.sleeps == []


def test_preprint_has_no_venue_and_published_paper_has_one(cassette: Any) -> None:
    """Venue "arXiv.org" and the arXiv DOI mean a preprint; a real venue brings its year."""
    with cassette("s2/batch_preprint_and_published.yaml"):
        found = recorded_source(FakeTime()).lookup(["2312.07559", "1706.03762"])
    assert found == {
        "2312.07559": Citations(
            id="2312.07559",
            s2_id="7e55d8701785818776323b4147cb13354c820469",
            citations=111,
            influential_citations=2,
            venue=None,
            venue_year=None,
            venue_doi=None,
        ),
        "1706.03762": Citations(
            id="1706.03762",
            s2_id="204e3073870fae3d05bcbc2f6a8e263d9b72e776",
            citations=136941,
            influential_citations=17456,
            venue="Neural Information Processing Systems",
            venue_year=2017,
            venue_doi=None,
        ),
    }


def test_items_without_count_fields_are_unknown_not_zero(cassette: Any) -> None:
    """Items carrying no counts map to None counts, never to 0."""
    with cassette("s2/batch_fields_authors.yaml"):
        found = recorded_source(FakeTime()).lookup(PLACEHOLDERS[:3])
    assert found == {
        "9912.00001": Citations(id="9912.00001", s2_id="c31c87c591a25c64fbaa82e8ac6a81831b6ac7ce"),
        "9912.00002": Citations(id="9912.00002", s2_id="cb1ebd913c3724c599f6b276b14b5c6253da68f3"),
        "9912.00003": Citations(id="9912.00003", s2_id="0f40b1f08821e22e859c6050916cec3667778613"),
    }
    assert all(item.citations is None for item in found.values())


def test_no_valid_paper_ids_means_none_known(cassette: Any) -> None:
    """HTTP 400 "No valid paper ids given" is an empty result, not an error, and not retried."""
    time = FakeTime()
    source = recorded_source(time)
    with cassette("s2/batch_no_valid_ids.yaml"):
        assert source.lookup(["9912.00001"]) == {}
    assert source.requests_made == 1
    assert time.sleeps == []


def test_rate_limited_then_answered(cassette: Any) -> None:
    """A 429 is retried after five times the delay and the second answer is used."""
    time = FakeTime()
    source = recorded_source(time, delay=1.0, api_key=FAKE_KEY)
    with cassette("s2/batch_rate_limited_then_ok.yaml"):
        found = source.lookup(["2312.07559"])
    assert found["2312.07559"].citations == 111
    assert time.sleeps == [5.0]
    assert source.requests_made == 2


def test_unavailable_then_answered(cassette: Any) -> None:
    """A 503 is retried after five times the delay and the second answer is used."""
    time = FakeTime()
    source = recorded_source(time, delay=1.0)
    with cassette("s2/batch_unavailable_then_ok.yaml"):
        found = source.lookup(["1706.03762"])
    assert found["1706.03762"].venue == "Neural Information Processing Systems"
    assert time.sleeps == [5.0]
    assert source.requests_made == 2


def test_a_doi_is_asked_in_the_batch_with_the_metadata_fields(cassette: Any) -> None:
    """A doi: key is sent as DOI: in the batch, which then also asks for titles and dates."""
    with cassette("s2/batch_arxiv_and_doi.yaml"):
        found = recorded_source(FakeTime()).lookup(["2312.07559", "doi:10.1093/mind/lix.236.433"])
    assert found["doi:10.1093/mind/lix.236.433"] == Citations(
        id="doi:10.1093/mind/lix.236.433",
        s2_id="2d5673caa9e6af3a7b82a43f19ee920992db07ad",
        citations=10059,
        influential_citations=530,
        venue="The Philosophy of Artificial Intelligence",
        venue_year=1950,
        venue_doi="10.1093/MIND/LIX.236.433",
        title="Computing Machinery and Intelligence",
        authors=("A. Turing",),
        published=dt.date(1950, 10, 1),
    )
    preprint = found["2312.07559"]
    assert (preprint.citations, preprint.venue, preprint.venue_doi) == (111, None, None)
    assert preprint.title == "PaperQA: Retrieval-Augmented Generative Agent for Scientific Research"
    assert (len(preprint.authors), preprint.published) == (6, dt.date(2023, 12, 8))


def test_a_title_is_taken_when_the_best_match_folds_to_it(cassette: Any) -> None:
    """A title: key is one search/match request; a best match with the same words is taken."""
    time = FakeTime()
    source = recorded_source(time)
    with cassette("s2/match_title_accepted.yaml"):
        found = source.lookup(["title:attention is all you need"])
    assert found == {
        "title:attention is all you need": Citations(
            id="title:attention is all you need",
            s2_id="204e3073870fae3d05bcbc2f6a8e263d9b72e776",
            citations=136941,
            influential_citations=17456,
            venue="Neural Information Processing Systems",
            venue_year=2017,
            title="Attention is All you Need",
            authors=(
                "Ashish Vaswani",
                "Noam M. Shazeer",
                "Niki Parmar",
                "Jakob Uszkoreit",
                "Llion Jones",
                "Aidan N. Gomez",
                "Lukasz Kaiser",
                "I. Polosukhin",
            ),
            published=dt.date(2017, 6, 12),
        )
    }
    assert (source.requests_made, time.sleeps) == (1, [])


def test_cassettes_hold_no_api_key_header() -> None:
    """No committed Semantic Scholar cassette records an x-api-key header."""
    recorded = [yaml.safe_load(path.read_text()) for path in sorted(CASSETTES.glob("s2/*.yaml"))]
    names = {
        name.lower()
        for cassette in recorded
        for interaction in cassette["interactions"]
        for name in interaction["request"]["headers"]
    }
    assert len(recorded) == 9
    assert names == {"content-type"}


# --- arguments -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "bad",
    [
        "0000.0000",
        "abc",
        "1706.03762v1",
        "math.GT/0309136",
        "ARXIV:1706.03762",
        "",
        "DOI:10.0000/synthetic.1",
        "doi:",
        "doi:synthetic",
        "doi:10.0000/synthetic 1",
        "doi:10.48550/arxiv.1706.03762",
        "title:",
        "title:Synthetic Paper",
        "title:synthetic, paper",
        "title: synthetic paper",
    ],
)
def test_malformed_ids_are_never_sent(bad: str) -> None:
    """A key that is no arXiv id, doi: key or folded title: key raises before any request."""
    source = SemanticScholarSource(session=session_with(NoNetwork()))
    with pytest.raises(ValueError) as caught:
        source.lookup(["1706.03762", "doi:10.0000/synthetic.1", "title:synthetic paper", bad])
    assert str(caught.value) == (f"not canonical arXiv identifiers or doi:/title: keys: {bad!r}")
    assert source.requests_made == 0


def test_the_arxiv_source_still_takes_arxiv_ids_only() -> None:
    """Keys of papers not on arXiv are for Semantic Scholar: the arXiv source refuses them."""
    source = ArxivSource(session=session_with(NoNetwork()))
    with pytest.raises(ValueError) as caught:
        source.lookup(["doi:10.0000/synthetic.1", "title:synthetic paper"])
    assert str(caught.value) == (
        "not canonical arXiv identifiers: 'doi:10.0000/synthetic.1', 'title:synthetic paper'"
    )


def test_max_batch_is_enforced() -> None:
    """More than 500 ids in one lookup raise ValueError without a request."""
    source = SemanticScholarSource(session=session_with(NoNetwork()))
    with pytest.raises(ValueError, match="at most 500 identifiers per lookup, got 501"):
        source.lookup(synthetic_ids(501))
    assert source.max_batch == 500
    assert source.requests_made == 0


def test_empty_lookup_sends_nothing() -> None:
    """Looking up no ids returns an empty result without a request."""
    source = SemanticScholarSource(session=session_with(NoNetwork()))
    assert source.lookup([]) == {}
    assert source.requests_made == 0


def test_a_single_string_is_refused() -> None:
    """Passing one string instead of a sequence of ids raises TypeError."""
    with pytest.raises(TypeError):
        SemanticScholarSource(session=session_with(NoNetwork())).lookup("1706.03762")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"delay": -1.0}, "delay must not be negative, got -1.0"),
        ({"max_retries": -1}, "max_retries must not be negative, got -1"),
        ({"max_wait": -0.5}, "max_wait must not be negative, got -0.5"),
    ],
)
def test_impossible_settings_are_refused(options: dict[str, Any], message: str) -> None:
    """Negative delays, retry counts or wait bounds raise ValueError."""
    with pytest.raises(ValueError) as caught:
        SemanticScholarSource(**options)
    assert str(caught.value) == message


def test_defaults_scale_with_the_delay() -> None:
    """The total retry wait defaults to 300 delays and the API root loses a trailing slash."""
    source = SemanticScholarSource(api_root="http://127.0.0.1:9/", delay=0.01)
    assert source.max_wait == pytest.approx(3.0)
    assert source.batch_url == "http://127.0.0.1:9/graph/v1/paper/batch"
    assert SemanticScholarSource().max_wait == 300.0
    assert SemanticScholarSource(max_wait=7.0).max_wait == 7.0


# --- odd answers (constructed bodies and placeholder ids; no paper facts) --------------------

ONE = ["9912.00001"]
TWO = ["9912.00001", "9912.00002"]
S2_ID = "0" * 40
"""An obviously made-up Semantic Scholar paper id."""


def answer(*items: object) -> bytes:
    return json.dumps(list(items)).encode()


@pytest.mark.parametrize(
    ("status", "reason", "body", "message", "retryable"),
    [
        (429, "Too Many Requests", b'{"code": "429"}', "rate limited (HTTP 429)", True),
        (502, "Bad Gateway", b"{}", "server error (HTTP 502 Bad Gateway)", True),
        (200, "OK", b"", "answer is not JSON ('')", True),
        (200, "OK", b"<html>busy</html>", "answer is not JSON ('<html>busy</html>')", True),
        (200, "OK", b"\xff\xfe\xfa", "answer is not JSON ('\ufffd\ufffd\ufffd')", True),
        (200, "OK", b'{"data": []}', "answer is not a list of papers but an object", False),
        (200, "OK", b"null", "answer is not a list of papers but null", False),
        (200, "OK", answer(None), "answer has 1 item for 2 requested identifiers", False),
        (
            200,
            "OK",
            answer(None, None, None),
            "answer has 3 items for 2 requested identifiers",
            False,
        ),
        (200, "OK", answer("x", None), "the answer for 9912.00001 is a string, not a paper", False),
        (
            200,
            "OK",
            answer({"title": "t"}, None),
            "the answer for 9912.00001 has no paperId",
            False,
        ),
        (
            200,
            "OK",
            answer({"paperId": S2_ID, "citationCount": -1}, None),
            "the answer for 9912.00001 has citationCount -1",
            False,
        ),
        (
            200,
            "OK",
            answer(None, {"paperId": S2_ID, "influentialCitationCount": "3"}),
            "the answer for 9912.00002 has influentialCitationCount '3'",
            False,
        ),
        (
            200,
            "OK",
            answer({"paperId": S2_ID, "citationCount": True}, None),
            "the answer for 9912.00001 has citationCount True",
            False,
        ),
        (
            400,
            "Bad Request",
            # The real body recorded for an unknown field (s2_error_http400_unrecognized_fields).
            b'{"error": "Unrecognized or unsupported fields: [unknown]"}',
            "request rejected (HTTP 400): Unrecognized or unsupported fields: [unknown]",
            False,
        ),
        (
            404,
            "Not Found",
            # The real body recorded for GET /paper/0 (s2_error_http404_paper_not_found).
            b'{"error": "Paper with id 0 not found"}',
            "request rejected (HTTP 404): Paper with id 0 not found",
            False,
        ),
        (400, "Bad Request", b"Bad Request", "request rejected (HTTP 400): Bad Request", False),
        (400, "Bad Request", b"", "request rejected (HTTP 400): no reason given", False),
        (
            403,
            "Forbidden",
            b'{"message": "Forbidden"}',
            "access denied (HTTP 403 Forbidden); check the API key",
            False,
        ),
        (301, "Moved Permanently", b"", "unexpected answer (HTTP 301 Moved Permanently)", False),
    ],
)
def test_unusable_answers(
    status: int, reason: str, body: bytes, message: str, retryable: bool
) -> None:
    """Answers that cannot be trusted raise SourceError instead of reporting papers unknown."""
    with pytest.raises(SourceError) as caught:
        read_batch(status, reason, {}, body, batch=TWO)
    assert str(caught.value) == f"Semantic Scholar: {message}"
    assert caught.value.retryable is retryable


@pytest.mark.parametrize(
    ("item", "venue", "venue_year", "venue_doi"),
    [
        ({"venue": "arXiv.org", "year": 2099}, None, None, None),
        ({"venue": "ArXiv", "year": 2099}, None, None, None),
        ({"venue": "ARXIV"}, None, None, None),
        ({"venue": "", "year": 2099}, None, None, None),
        ({"venue": "  ", "publicationVenue": None}, None, None, None),
        ({"venue": "arXiv.org", "publicationVenue": {"name": "arXiv.org"}}, None, None, None),
        ({"venue": "Example  Venue\n", "year": 2099}, "Example Venue", 2099, None),
        ({"venue": "Example Venue", "year": None}, "Example Venue", None, None),
        (
            {"venue": "Short Name", "publicationVenue": {"name": "Example Venue"}, "year": 2099},
            "Example Venue",
            2099,
            None,
        ),
        (
            {"venue": "Example Venue", "publicationVenue": {"name": "arXiv.org"}, "year": 2099},
            "Example Venue",
            2099,
            None,
        ),
        ({"externalIds": {"DOI": "10.48550/arXiv.9912.00001"}}, None, None, None),
        ({"externalIds": {"DOI": "10.48550/ARXIV.9912.00001"}}, None, None, None),
        ({"externalIds": {"DOI": "10.0000/example"}}, None, None, "10.0000/example"),
        ({"externalIds": None, "publicationVenue": "odd"}, None, None, None),
    ],
)
def test_venue_rules(
    item: dict[str, Any], venue: str | None, venue_year: int | None, venue_doi: str | None
) -> None:
    """The venue is the published one (never arXiv), its year comes with it, arXiv DOIs drop."""
    found = read_batch(200, "OK", {}, answer({"paperId": S2_ID, **item}), batch=ONE)
    assert found == {
        "9912.00001": Citations(
            id="9912.00001",
            s2_id=S2_ID,
            venue=venue,
            venue_year=venue_year,
            venue_doi=venue_doi,
        )
    }


def test_a_paper_filed_under_another_arxiv_id_is_kept_with_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Alignment is by position: a differing externalIds.ArXiv is logged, not trusted over it."""
    item = {"paperId": S2_ID, "externalIds": {"ArXiv": "9912.00009"}, "citationCount": 4}
    with caplog.at_level(logging.WARNING):
        found = read_batch(200, "OK", {}, answer(item), batch=ONE)
    assert found == {"9912.00001": Citations(id="9912.00001", s2_id=S2_ID, citations=4)}
    assert caplog.messages == [
        "Semantic Scholar answered 9912.00001 with a paper filed as arXiv 9912.00009"
    ]


TITLE = "title:synthetic paper"
"""A made-up title key; the answers below are constructed, describing no paper."""


def match(*items: object) -> bytes:
    return json.dumps({"data": list(items)}).encode()


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (200, match()),
        (200, match({"paperId": S2_ID, "title": "Synthetic paper, revisited"})),
        (200, match({"paperId": S2_ID, "title": "Synthetic"})),
        (200, match({"paperId": S2_ID})),
        (200, match({"paperId": S2_ID, "title": None})),
        (200, match({"paperId": S2_ID, "title": "Other"}, {"paperId": S2_ID, "title": "S P"})),
        # CONSTRUCTED: no 404 of search/match is recorded; this is the shape of the recorded
        # 404 of GET /paper/0 (s2_error_http404_paper_not_found.json), with the wording that
        # public clients quote for a title that matches nothing.
        (404, b'{"error": "Title match not found"}'),
        (404, b'{"error": "Paper with id 0 not found"}'),
    ],
)
def test_a_title_match_with_other_words_or_none_is_unknown(status: int, body: bytes) -> None:
    """No match, or a best match whose title folds to other words, leaves the paper unknown."""
    assert read_match(status, "", {}, body, key=TITLE) is None


@pytest.mark.parametrize(
    "title", ["Synthetic Paper", "  synthetic\npaper ", "SYNTHETIC-PAPER", "Synthétic Paper."]
)
def test_a_title_match_may_differ_in_case_accents_and_punctuation(title: str) -> None:
    """A best match whose title folds to the key's words is taken, its title kept as given."""
    found = read_match(200, "OK", {}, match({"paperId": S2_ID, "title": title}), key=TITLE)
    assert found == Citations(id=TITLE, s2_id=S2_ID, title=" ".join(title.split()))


@pytest.mark.parametrize(
    ("status", "body", "message"),
    [
        (
            404,
            b'{"message": "Not Found"}',
            "request rejected (HTTP 404): Not Found",
        ),
        (404, b"", "request rejected (HTTP 404): no reason given"),
        (200, b"[]", "answer is not a title match but an array"),
        (200, b'{"data": {}}', "answer is not a title match but an object"),
        (200, match("x"), "the answer for title:synthetic paper is a string, not a paper"),
        (
            200,
            match({"title": "Synthetic paper"}),
            "the answer for title:synthetic paper has no paperId",
        ),
        (429, b"{}", "rate limited (HTTP 429)"),
    ],
)
def test_unusable_title_match_answers(status: int, body: bytes, message: str) -> None:
    """A gateway's 404 (a wrong API root) or a malformed match is an error, never "unknown"."""
    with pytest.raises(SourceError) as caught:
        read_match(status, "", {}, body, key=TITLE)
    assert str(caught.value) == f"Semantic Scholar: {message}"


@pytest.mark.parametrize(
    ("item", "title", "authors", "published"),
    [
        (
            {
                "title": " Synthetic\n paper ",
                "authors": [{"authorId": "1", "name": "Synthetic  Author"}, {"name": "B. Other"}],
                "publicationDate": "2099-01-31",
            },
            "Synthetic paper",
            ("Synthetic Author", "B. Other"),
            dt.date(2099, 1, 31),
        ),
        ({"publicationDate": "2099-02-30"}, None, (), None),
        ({"publicationDate": "2099-02"}, None, (), None),
        ({"publicationDate": "2099"}, None, (), None),
        ({"publicationDate": "20990131"}, None, (), None),
        ({"publicationDate": 2099}, None, (), None),
        ({"title": "", "authors": None, "publicationDate": None}, None, (), None),
        ({"authors": [{"name": "A. Synthetic"}, {"name": ""}]}, None, (), None),
        ({"authors": [{"name": "A. Synthetic"}, "B. Synthetic"]}, None, (), None),
        ({"authors": [{"name": "A. Synthetic"}, {"authorId": "2"}]}, None, (), None),
        ({"authors": []}, None, (), None),
    ],
)
def test_metadata_is_read_whole_or_not_at_all(
    item: dict[str, Any], title: str | None, authors: tuple[str, ...], published: dt.date | None
) -> None:
    """Partial or impossible dates and author lists with a gap are left unknown, never guessed."""
    found = read_batch(
        200,
        "OK",
        {},
        answer({"paperId": S2_ID, **item}),
        batch=["doi:10.0000/synthetic.1"],
        metadata=True,
    )
    assert found == {
        "doi:10.0000/synthetic.1": Citations(
            id="doi:10.0000/synthetic.1",
            s2_id=S2_ID,
            title=title,
            authors=authors,
            published=published,
        )
    }


def test_metadata_not_asked_for_is_not_read() -> None:
    """A batch of arXiv ids does not ask for titles, so any that come back are not used."""
    item = {"paperId": S2_ID, "title": "Synthetic paper", "authors": [{"name": "S. Author"}]}
    found = read_batch(200, "OK", {}, answer(item), batch=ONE)
    assert found == {"9912.00001": Citations(id="9912.00001", s2_id=S2_ID)}


@pytest.mark.parametrize(
    ("headers", "seconds"),
    [
        ({}, None),
        ({"Retry-After": ""}, None),
        ({"Retry-After": "7"}, 7.0),
        ({"Retry-After": " 2.5 "}, 2.5),
        ({"Retry-After": "soon"}, None),
        ({"Retry-After": "-3"}, None),
        (
            {
                "Retry-After": "Wed, 21 Oct 2099 07:28:30 GMT",
                "Date": "Wed, 21 Oct 2099 07:28:00 GMT",
            },
            30.0,
        ),
        (
            {
                "Retry-After": "Wed, 21 Oct 2099 07:27:00 GMT",
                "Date": "Wed, 21 Oct 2099 07:28:00 GMT",
            },
            0.0,
        ),
        ({"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}, 0.0),
    ],
)
def testretry_after(headers: dict[str, str], seconds: float | None) -> None:
    """Retry-After is read as seconds or as an HTTP date measured from the server's Date."""
    assert retry_after(headers) == seconds


def test_retry_after_date_without_a_usable_server_date() -> None:
    """Without a readable Date header, an HTTP-date Retry-After is measured by the wall clock."""
    headers = {"Retry-After": "Wed, 21 Oct 2099 07:28:30 GMT", "Date": "nonsense"}
    waited = retry_after(headers)
    assert waited is not None
    assert waited > 60 * 60 * 24 * 365  # decades ahead


def test_a_mixed_batch_asks_for_the_metadata_too(s2_standin: S2Standin) -> None:
    """arXiv ids and DOIs share one POST, which appends title,authors,publicationDate."""
    SemanticScholarSource(api_root=s2_standin.url, delay=0.0).lookup(
        ["9901.00001", "doi:10.0000/synthetic.2", "hep-th/9901001"]
    )
    (seen,) = s2_standin.requests
    assert (seen.method, seen.path) == ("POST", "/graph/v1/paper/batch")
    assert seen.query == {"fields": [f"{FIELDS},title,authors,publicationDate"]}
    assert seen.ids == ("ARXIV:9901.00001", "DOI:10.0000/synthetic.2", "ARXIV:hep-th/9901001")


def test_a_title_is_asked_on_its_own_after_the_batch(s2_standin: S2Standin) -> None:
    """Title keys are one GET search/match each, with the metadata fields, after the batch."""
    SemanticScholarSource(api_root=s2_standin.url, delay=0.0).lookup(
        ["title:synthetic paper a", "9901.00001", "title:synthetic paper b"]
    )
    batch, first, second = s2_standin.requests
    assert (batch.method, batch.path, batch.ids) == (
        "POST",
        "/graph/v1/paper/batch",
        ("ARXIV:9901.00001",),
    )
    assert batch.query == {"fields": [FIELDS]}
    assert [(seen.method, seen.path, seen.ids) for seen in (first, second)] == [
        ("GET", "/graph/v1/paper/search/match", None)
    ] * 2
    assert [seen.query for seen in (first, second)] == [
        {"query": ["synthetic paper a"], "fields": [METADATA_FIELDS]},
        {"query": ["synthetic paper b"], "fields": [METADATA_FIELDS]},
    ]


def test_the_request_is_exactly_as_documented(s2_standin: S2Standin) -> None:
    """One POST to /graph/v1/paper/batch with the used fields and unversioned ARXIV: ids."""
    SemanticScholarSource(api_root=s2_standin.url, delay=0.0).lookup(
        ["hep-th/9901001", "1706.03762"]
    )
    (seen,) = s2_standin.requests
    assert (seen.method, seen.path) == ("POST", "/graph/v1/paper/batch")
    assert seen.query == {"fields": [FIELDS]}
    assert FIELDS == (
        "paperId,externalIds,venue,publicationVenue,year,citationCount,influentialCitationCount"
    )
    assert seen.ids == ("ARXIV:hep-th/9901001", "ARXIV:1706.03762")
    assert seen.api_key_sent is False


# --- the API key -----------------------------------------------------------------------------


def test_key_is_sent_on_every_request(s2_standin: S2Standin) -> None:
    """Every request, retries included, carries the x-api-key header."""
    s2_standin.papers.update(synthetic_papers(2))
    s2_standin.faults.extend([S2Fault.RATE_LIMITED, S2Fault.UNAVAILABLE])
    time = FakeTime()
    source = SemanticScholarSource(
        api_root=s2_standin.url,
        api_key=FAKE_KEY,
        clock=time.clock,
        sleep=time.sleep,
        jitter=lambda: 0.0,
    )
    source.lookup(synthetic_ids(1))
    source.lookup(synthetic_ids(2))
    assert [seen.api_key_sent for seen in s2_standin.requests] == [True, True, True, True]


def test_key_never_shows_in_errors_logs_or_repr(
    s2_standin: S2Standin, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Through every error path, the key appears in no message, traceback, log line or repr."""
    # A CLI run earlier in the session stops curator's records from reaching caplog.
    monkeypatch.setattr(logging.getLogger("curator"), "propagate", True)
    caplog.set_level(logging.DEBUG, logger="curator")
    caplog.set_level(logging.DEBUG)
    s2_standin.papers.update(synthetic_papers(1))
    s2_standin.hang_seconds = 1.0
    shown: list[str] = []

    def attempt(source: SemanticScholarSource, ids: list[str] | None = None) -> None:
        shown.append(repr(source))
        try:
            source.lookup(synthetic_ids(1) if ids is None else ids)
        except SourceError as error:
            shown.extend([str(error), repr(error), "".join(traceback.format_exception(error))])

    def standin_source(**options: Any) -> SemanticScholarSource:
        time = FakeTime()
        return SemanticScholarSource(
            api_root=s2_standin.url,
            api_key=FAKE_KEY,
            session=new_session(timeout=0.3),
            clock=time.clock,
            sleep=time.sleep,
            jitter=lambda: 0.0,
            **options,
        )

    for fault in S2Fault:
        s2_standin.faults.append(fault)
        attempt(standin_source(max_retries=0))
    s2_standin.faults.extend([S2Fault.RATE_LIMITED_RETRY_AFTER] * 2)
    s2_standin.retry_after = "100000"
    attempt(standin_source())  # stopped by the bound on the total wait
    attempt(standin_source(), ["9912.00001"])  # none known
    attempt(standin_source(max_retries=1))  # answered normally
    refused = f"http://127.0.0.1:{unused_port()}"
    for api_root in (refused, f"{s2_standin.url}/wrong"):
        attempt(SemanticScholarSource(api_root=api_root, api_key=FAKE_KEY, max_retries=0))
    for status in (400, 403, 429, 503):
        echo = Echo(status, json.dumps({"error": f"bad key {FAKE_KEY}"}).encode())
        attempt(SemanticScholarSource(api_key=FAKE_KEY, session=session_with(echo), max_retries=0))
    with pytest.raises(ValueError) as caught:
        SemanticScholarSource(api_key=f"{FAKE_KEY}\n")
    shown.append(str(caught.value))

    assert len(shown) > 30
    assert [text for text in shown if FAKE_KEY in text] == []
    assert "<api key>" in "".join(shown)  # the echoed key was scrubbed, not just never sent
    assert any(record.name.startswith("curator.") for record in caplog.records)
    assert FAKE_KEY not in caplog.text
    assert [r for r in caplog.records if FAKE_KEY in r.getMessage()] == []
    assert all(seen.api_key_sent for seen in s2_standin.requests)
    assert FAKE_KEY not in repr(s2_standin.requests)


def test_recording_filters_the_key(s2_standin: S2Standin, tmp_path: Path) -> None:
    """A cassette recorded with the project's VCR keeps neither the header nor the key."""
    s2_standin.papers.update(synthetic_papers(1))
    recording = tmp_path / "recorded.yaml"
    source = SemanticScholarSource(api_root=s2_standin.url, api_key=FAKE_KEY, delay=0.0)
    with make_vcr().use_cassette(str(recording), record_mode="all"):
        found = source.lookup(synthetic_ids(1))
    text = recording.read_text(encoding="utf-8")
    assert list(found) == ["9901.00001"]
    assert s2_standin.requests[0].api_key_sent is True
    assert "ARXIV:9901.00001" in text
    assert FAKE_KEY not in text
    assert "x-api-key" not in text.lower()


def test_more_than_500_ids_take_two_recorded_requests(cassette: Any, tmp_path: Path) -> None:
    """refresh asks for 501 papers in two batches (500, then 1); every paper gets its count."""
    listing = tmp_path / "synthetic.toml"
    wanted = synthetic_ids(501)  # SYNTHETIC ids, as are the cassette's answers
    with store.editing(listing, create=True) as editor:
        for identifier in wanted:
            editor.add(Entry(id=identifier))
    time = FakeTime()
    source = SemanticScholarSource(
        api_root="https://api.semanticscholar.org",
        delay=0.0,
        clock=time.clock,
        sleep=time.sleep,
        jitter=lambda: 0.0,
    )
    with Cache(tmp_path / "cache") as cache, cassette("s2/batch_501_ids_two_requests.yaml"):
        report = refresh(listing, cache=cache, today=dt.date(2099, 1, 2), arxiv=None, s2=source)
    assert source.requests_made == 2
    assert time.sleeps == []
    assert report.complete
    assert (len(report.citations_checked), report.citations_known) == (501, 501)
    assert report.citations_unknown == ()
    counts = {entry.id: entry.citations for entry in store.load(listing).entries}
    expected = synthetic_papers(501)
    assert counts == {key: expected[key]["citationCount"] for key in wanted}


def test_oversized_answer_is_refused_unread(monkeypatch: pytest.MonkeyPatch) -> None:
    """An answer past the size bound is an error, never read whole into memory."""
    monkeypatch.setattr("curator.sources.semantic_scholar.MAX_ANSWER_BYTES", 100)
    echo = Echo(200, b"[" + b" " * 1000 + b"null]")
    source = SemanticScholarSource(session=session_with(echo), delay=0.0, max_retries=0)

    with pytest.raises(SourceError, match=r"^Semantic Scholar: answer larger than 100 bytes"):
        source.lookup(["9901.00001"])  # a SYNTHETIC id
