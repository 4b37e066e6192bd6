"""ArxivSource against real recorded answers (cassettes): fields, matching by id, rate limits."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import requests
from requests.adapters import BaseAdapter
from standin import FakeTime

from curator.errors import SourceError
from curator.models import Paper
from curator.sources.arxiv import ArxivSource, _read_answer


class NoNetwork(BaseAdapter):
    """A transport adapter that fails the test if anything is sent."""

    def send(self, *args: Any, **kwargs: Any) -> requests.Response:
        raise AssertionError("an HTTP request was sent")

    def close(self) -> None:
        pass


def offline_session() -> requests.Session:
    session = requests.Session()
    session.mount("http://", NoNetwork())
    session.mount("https://", NoNetwork())
    return session


def recorded_source(time: FakeTime, **options: Any) -> ArxivSource:
    """Return a source for cassette tests: the real endpoint, fake time, no jitter."""
    return ArxivSource(clock=time.clock, sleep=time.sleep, jitter=lambda: 0.0, **options)


def test_unversioned_request_gets_the_latest_version(cassette: Any) -> None:
    """An unversioned id resolves to every field of the recorded entry, version from its id."""
    time = FakeTime()
    with cassette("arxiv/lookup_1605.08386.yaml"):
        found = recorded_source(time).lookup(["1605.08386"])
    assert found == {
        "1605.08386": Paper(
            id="1605.08386",
            title="Heat-bath random walks with Markov bases",
            authors=("Caprice Stanley", "Tobias Windisch"),
            published=dt.date(2016, 5, 26),
            updated=dt.date(2016, 5, 26),
            version=1,
            primary_category="math.CO",
            categories=("math.CO", "math.ST"),
            doi=None,
            journal_ref=None,
            comment="20 pages, 3 figures",
        )
    }
    assert time.sleeps == []


def test_old_style_id_with_affiliations_and_journal_ref(cassette: Any) -> None:
    """An old-style id keeps its archive, authors' names only, and the journal reference."""
    with cassette("arxiv/lookup_astro-ph_0601001.yaml"):
        found = recorded_source(FakeTime()).lookup(["astro-ph/0601001"])
    assert found == {
        "astro-ph/0601001": Paper(
            id="astro-ph/0601001",
            title="Frequency of Hot Jupiters and Very Hot Jupiters from the OGLE-III Transit"
            " Surveys Toward the Galactic Bulge and Carina",
            authors=("Andrew Gould", "Susan Dorsher", "B. Scott Gaudi", "Andrzej Udalski"),
            published=dt.date(2006, 1, 2),
            updated=dt.date(2006, 1, 2),
            version=1,
            primary_category="astro-ph",
            categories=("astro-ph",),
            doi=None,
            journal_ref="ActaAstron.56:1-50,2006",
            comment="62 pages including 16 figures and 9 tables. Submitted to Acta Astronomica."
            " Full resolution version at"
            " http://www.astronomy.ohio-state.edu/~gould/ogle_hot_jupiters.ps.gz",
        )
    }


def test_old_style_canonical_request(cassette: Any) -> None:
    """A canonical old-style id (no version) matches the entry ``quant-ph/0201082v1``."""
    with cassette("arxiv/lookup_quant-ph_0201082.yaml"):
        found = recorded_source(FakeTime()).lookup(["quant-ph/0201082"])
    assert found == {
        "quant-ph/0201082": Paper(
            id="quant-ph/0201082",
            title="Quantum Computers and Quantum Computer Languages: Quantum Assembly Language"
            " and Quantum C Language",
            authors=("Stephen Blaha",),
            published=dt.date(2002, 1, 18),
            updated=dt.date(2002, 1, 18),
            version=1,
            primary_category="quant-ph",
            categories=("quant-ph", "cs.PL"),
            comment="32 pages",
        )
    }


def test_title_zero_is_kept(cassette: Any) -> None:
    """The title "0" is a title, and absent optional elements become None."""
    with cassette("arxiv/lookup_2104.12255.yaml"):
        found = recorded_source(FakeTime()).lookup(["2104.12255"])
    assert found == {
        "2104.12255": Paper(
            id="2104.12255",
            title="0",
            authors=("Quan Thoi Minh Nguyen",),
            published=dt.date(2021, 4, 20),
            updated=dt.date(2021, 4, 20),
            version=1,
            primary_category="cs.CR",
            categories=("cs.CR",),
            doi=None,
            journal_ref=None,
            comment=None,
        )
    }


def test_many_authors_in_order(cassette: Any) -> None:
    """All 34 authors come back in feed order, non-ASCII names intact."""
    with cassette("arxiv/lookup_1707.08567.yaml"):
        paper = recorded_source(FakeTime()).lookup(["1707.08567"])["1707.08567"]
    assert len(paper.authors) == 34
    assert paper.authors[:3] == ("Kees A. Schouhamer Immink", "Stan Baggen", "Ferdaous Chaabane")
    assert paper.authors[-2:] == ("Dirk Wübben", "Hirosuke Yamamoto")
    assert paper.title == (
        "Proceedings of Workshop AEW10: Concepts in Information Theory and Communications"
    )
    assert paper.comment == (
        "44 pages, editors for the proceedings: Yanling Chen and A. J. Han Vinck"
    )


def test_legacy_format_title_line_break_and_unversioned_id(cassette: Any) -> None:
    """The pre-2025 shape parses: title line break normalised, no version, -04:00 dates."""
    with cassette("arxiv/lookup_legacy_format_hep-ex_0307015.yaml"):
        found = recorded_source(FakeTime()).lookup(["hep-ex/0307015"])
    assert found == {
        "hep-ex/0307015": Paper(
            id="hep-ex/0307015",
            title="Multi-Electron Production at High Transverse Momenta in ep Collisions at HERA",
            authors=("H1 Collaboration",),
            published=dt.date(2003, 7, 7),
            updated=dt.date(2003, 7, 7),
            version=None,
            primary_category="hep-ex",
            categories=("hep-ex",),
            journal_ref="Eur.Phys.J. C31 (2003) 17-29",
            comment="23 pages, 8 figures and 4 tables",
        )
    }


TEN_TITLES = {
    "1202.4527": "Study Paper on Test Case generation for GUI Based Testing",
    "1205.1866": "Microcontroller Based Testing of Digital IP-Core",
    "1812.11470": "A Systematic Literature Review of Automated Techniques for Functional GUI"
    " Testing of Mobile Applications",
    "2005.14124": "Active Fuzzing for Testing and Securing Cyber-Physical Systems",
    "2202.12139": "Testing Deep Learning Models: A First Comparative Study of Multiple Testing"
    " Techniques",
    "2204.08348": "Automated Test Generation for REST APIs: No Time to Rest Yet",
    "2302.03287": "ChatGPT and Software Testing Education: Promises & Perils",
    "2405.13786": "Towards Explainable Test Case Prioritisation with Learning-to-Rank Models",
    "2502.07719": "OpenCat: Improving Interoperability of ADS Testing",
    "2503.05378": "A Survey on Web Testing: On the Rise of AI and Applications in Industry",
}


def test_entries_are_matched_by_id_not_position(cassette: Any) -> None:
    """Ten entries arriving in another order than requested land on their own ids."""
    with cassette("arxiv/lookup_ten_entries.yaml"):
        found = recorded_source(FakeTime()).lookup(sorted(TEN_TITLES))
    assert {key: paper.title for key, paper in found.items()} == TEN_TITLES
    assert {key: paper.version for key, paper in found.items()} == {
        "1202.4527": 1,
        "1205.1866": 1,
        "1812.11470": 1,
        "2005.14124": 2,
        "2202.12139": 1,
        "2204.08348": 3,
        "2302.03287": 3,
        "2405.13786": 1,
        "2502.07719": 2,
        "2503.05378": 2,
    }
    assert found["2202.12139"].doi == "10.1109/ICSTW55395.2022.00035"
    assert found["1205.1866"].doi == "10.5121/vlsic.2012.3205"
    assert found["1205.1866"].journal_ref is None
    assert found["2005.14124"].categories == ("cs.SE", "cs.CR", "cs.LG")
    assert found["2005.14124"].published == dt.date(2020, 5, 28)
    assert found["2005.14124"].updated == dt.date(2020, 7, 16)


def test_unrequested_entries_are_dropped(cassette: Any) -> None:
    """An entry for an id nobody asked for is left out of the result."""
    wanted = sorted(set(TEN_TITLES) - {"2202.12139"})
    with cassette("arxiv/lookup_unrequested_entry.yaml"):
        found = recorded_source(FakeTime()).lookup(wanted)
    assert sorted(found) == wanted


def test_rate_limited_then_answered(cassette: Any) -> None:
    """A 429 is retried after ten times the delay and the second answer is used."""
    time = FakeTime()
    source = recorded_source(time, delay=3.0)
    with cassette("arxiv/lookup_rate_limited_then_ok.yaml"):
        found = source.lookup(["1605.08386"])
    assert found["1605.08386"].title == "Heat-bath random walks with Markov bases"
    assert time.sleeps == [30.0]
    assert source.requests_made == 2


def test_http200_rate_exceeded_is_an_error_not_an_empty_answer(cassette: Any) -> None:
    """HTTP 200 with the body "Rate exceeded." raises after retries rather than finding nothing."""
    time = FakeTime()
    source = recorded_source(time, delay=3.0, max_retries=1)
    with cassette("arxiv/lookup_http200_rate_exceeded.yaml"), pytest.raises(SourceError) as caught:
        source.lookup(["1605.08386"])
    assert str(caught.value) == "arXiv: rate limited (HTTP 200 'Rate exceeded.') after 2 attempts"
    assert caught.value.retryable is True
    assert time.sleeps == [30.0]
    assert source.requests_made == 2


# --- arguments ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "bad",
    ["0000.0000", "0808.05394", "abc", "1605.08386v1", "math.GT/0309136", "2023.12345", ""],
)
def test_malformed_ids_are_never_sent(bad: str) -> None:
    """An id that is not canonical by curator's rules raises ValueError before any request."""
    source = ArxivSource(session=offline_session())
    with pytest.raises(ValueError, match="not canonical arXiv identifiers"):
        source.lookup(["1605.08386", bad])
    assert source.requests_made == 0


def test_max_batch_is_enforced() -> None:
    """More than 100 ids in one lookup raise ValueError without a request."""
    source = ArxivSource(session=offline_session())
    many = [f"2301.{number:05d}" for number in range(1, 102)]
    with pytest.raises(ValueError, match="at most 100 identifiers per lookup, got 101"):
        source.lookup(many)
    assert source.max_batch == 100
    assert source.requests_made == 0


def test_empty_lookup_sends_nothing() -> None:
    """Looking up no ids returns an empty result without a request."""
    source = ArxivSource(session=offline_session())
    assert source.lookup([]) == {}
    assert source.requests_made == 0


def test_a_single_string_is_refused() -> None:
    """Passing one string instead of a sequence of ids raises TypeError."""
    with pytest.raises(TypeError):
        ArxivSource(session=offline_session()).lookup("1605.08386")


# --- odd answers (constructed bodies; no paper facts) ------------------------------------

FEED = (
    b'<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">'
    b"%s</feed>"
)


@pytest.mark.parametrize(
    ("status", "reason", "body", "message", "retryable"),
    [
        (200, "OK", b"", "arXiv: answer is empty (HTTP 200)", True),
        (200, "OK", b"  \n", "arXiv: answer is empty (HTTP 200)", True),
        (
            200,
            "OK",
            b"<html><body>down for maintenance</body></html>",
            "arXiv: answer is not an Atom feed (root 'html')",
            True,
        ),
        (
            200,
            "OK",
            b'<!DOCTYPE feed [<!ENTITY x "y">]><feed>&x;</feed>',
            "arXiv: answer uses forbidden XML (DTDForbidden)",
            False,
        ),
        (404, "Not Found", b"Not Found", "arXiv: unexpected answer (HTTP 404 Not Found)", False),
        (
            400,
            "Bad Request",
            b"Bad Request",
            "arXiv: request rejected (HTTP 400): Bad Request",
            False,
        ),
        (
            200,
            "OK",
            FEED % b"<entry><id>http://arxiv.org/abs/1605.08386v1</id><title> </title></entry>",
            "arXiv: the entry for 1605.08386 has no title",
            False,
        ),
    ],
)
def test_unusable_answers(
    status: int, reason: str, body: bytes, message: str, retryable: bool
) -> None:
    """Answers that cannot be trusted raise SourceError instead of reporting ids unknown."""
    with pytest.raises(SourceError) as caught:
        _read_answer(status, reason, body, wanted=["1605.08386"])
    assert str(caught.value) == message
    assert caught.value.retryable is retryable


def test_entries_without_a_usable_id_are_ignored() -> None:
    """An entry whose id is not an arXiv abs URL is skipped; the others still count."""
    body = FEED % (
        b"<entry><id>https://example.org/1605.08386</id><title>A</title></entry>"
        b"<entry><id>http://arxiv.org/abs/2023.12345v1</id><title>B</title></entry>"
        b"<entry><id>http://arxiv.org/abs/1605.08386</id><title>C</title>"
        b"<published>2016-05-26</published><updated>not a date</updated></entry>"
    )
    found = _read_answer(200, "OK", body, wanted=["1605.08386"])
    assert found == {
        "1605.08386": Paper(id="1605.08386", title="C", published=dt.date(2016, 5, 26))
    }
