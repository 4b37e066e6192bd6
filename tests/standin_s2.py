"""A local stand-in for Semantic Scholar's batch and title match endpoints, for tests only.

It serves ``POST /graph/v1/paper/batch?fields=...`` with a JSON body ``{"ids": [...]}``
on 127.0.0.1 the way ``/work/shared/api/API.md`` describes the real API: a JSON list
aligned with the requested ids, ``null`` for each unknown one; HTTP 400
``{"error": "No valid paper ids given"}`` when none is known; only the requested
fields (plus ``paperId``), ``null`` where a paper lacks one. Only ``ARXIV:<id>`` ids
without a version and ``DOI:<doi>`` ids can be known. What it knows is
:attr:`S2Standin.papers`, arXiv id -> the paper object to return, and
:attr:`S2Standin.dois`, DOI (any case) -> paper object (the same object as under an
arXiv id when both name one paper); tests fill them and may change them between requests.

It also serves ``GET /graph/v1/paper/search/match?query=...&fields=...``: the real
endpoint answers ``{"data": [paper]}`` with its best fuzzy title match and a
``matchScore`` (sample ``s2_search_match_arxiv_1706.03762.json``). The stand-in does no
fuzzy ranking: it matches a paper whose title folds (``curator.identity.normalise``) to
the same words as the query, or answers what :attr:`S2Standin.best_matches` names for
the query, to play a fuzzy match that is another paper. Without a match it answers 404
``{"error": "Title match not found"}``: a CONSTRUCTED body, as no 404 of this endpoint is
recorded here; its shape is the recorded 404 of ``GET /paper/0``
(``s2_error_http404_paper_not_found.json``), its wording the one public clients quote.
Faults and the rate limit apply to both endpoints alike.

Beyond the documented behaviour, it refuses more than 500 ids with HTTP 400 (the real
wording of that message is not recorded; this one is the stand-in's), and with
``min_interval`` it answers 429 to a request arriving sooner than that after the
previous one, as a scaled-down rate limit.

Usage::

    with S2Standin() as standin:                       # or the ``s2_standin`` fixture
        standin.papers.update(synthetic_papers(1000))  # generated test data, not real papers
        standin.faults.append(S2Fault.RATE_LIMITED)    # served to the next request
        time = FakeTime()
        source = SemanticScholarSource(api_root=standin.url, api_key="fake",
                                       clock=time.clock, sleep=time.sleep, jitter=lambda: 0.0)
        source.lookup(synthetic_ids(500))
        assert len(standin.requests) == 2 and standin.requests[-1].api_key_sent

Lasting faults (``standin.fail_after(1, S2Fault.UNAVAILABLE)``) and refused connections
(``standin.refuse_after(1)``) work as in ``tests/standin.py``, whose server this one shares.
Run ``python tests/standin_s2.py [PORT] [N]`` to serve N synthetic papers by hand.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import threading
import time
from dataclasses import dataclass
from enum import Enum
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlsplit

from standin import LoopbackHTTPServer, LoopbackServer

from curator.identity import normalise

BATCH_PATH = "/graph/v1/paper/batch"
MATCH_PATH = "/graph/v1/paper/search/match"
MAX_IDS = 500
NOTHING_KNOWN = {"error": "No valid paper ids given"}
"""The real API's answer (HTTP 400) when no requested id resolves (API.md)."""
NO_TITLE_MATCH = {"error": "Title match not found"}
"""CONSTRUCTED: the 404 of the title match endpoint, unrecorded here (see the module's text)."""
MATCH_SCORE = 100.0
"""A made-up matchScore; the real one is an unbounded number (133.3 in the sample)."""
# The 429 body per API.md; its text after "Too Many Requests." is elided there, so left out.
TOO_MANY_REQUESTS = {"message": "Too Many Requests.", "code": "429"}
KNOWN_FIELDS = frozenset(
    (
        "paperId", "corpusId", "externalIds", "url", "title", "abstract", "venue",
        "publicationVenue", "year", "referenceCount", "citationCount",
        "influentialCitationCount", "isOpenAccess", "openAccessPdf", "fieldsOfStudy",
        "s2FieldsOfStudy", "publicationTypes", "publicationDate", "journal", "citationStyles",
        "authors",
    )
)  # fmt: skip
"""The paper fields seen in the recorded samples; others get the real "Unrecognized" 400."""
DEFAULT_FIELDS = ("paperId", "title")
SYNTHETIC_MONTH = "9901"
"""Synthetic ids are from January 2099, a month arXiv has not reached: no real paper has one."""
SYNTHETIC_DOI_PREFIX = "10.0000"
"""The DOI prefix of synthetic papers not on arXiv: no registrant uses it, so no real paper."""


class S2Fault(Enum):
    """An answer to serve instead of the normal one: queued (once each) or lasting."""

    RATE_LIMITED = "HTTP 429, the gateway's JSON body, no Retry-After"
    RATE_LIMITED_RETRY_AFTER = "HTTP 429, the gateway's JSON body, Retry-After: retry_after"
    BAD_GATEWAY = "HTTP 502, a gateway JSON body"
    UNAVAILABLE = "HTTP 503, a gateway JSON body"
    FORBIDDEN = "HTTP 403, a gateway JSON body (as for a refused key)"
    NOT_JSON = "HTTP 200 with an HTML body"
    WRONG_LENGTH = "HTTP 200, the normal list without its last item (a match is sent whole)"
    BAD_REQUEST = 'HTTP 400, {"error": ...} (an app error)'
    NOTHING_KNOWN = 'HTTP 400, {"error": "No valid paper ids given"}, even for papers it knows'
    HANG = "no answer for hang_seconds, then the connection closes"


# Gateway and app error bodies the stand-in makes up in the documented shapes (API.md);
# their wording is the stand-in's own.
_FAULT_ANSWERS: dict[S2Fault, tuple[int, object]] = {
    S2Fault.RATE_LIMITED: (429, TOO_MANY_REQUESTS),
    S2Fault.RATE_LIMITED_RETRY_AFTER: (429, TOO_MANY_REQUESTS),
    S2Fault.BAD_GATEWAY: (502, {"message": "Bad Gateway"}),
    S2Fault.UNAVAILABLE: (503, {"message": "Service Unavailable"}),
    S2Fault.FORBIDDEN: (403, {"message": "Forbidden"}),
    S2Fault.BAD_REQUEST: (400, {"error": "Stand-in fault: request refused"}),
    S2Fault.NOTHING_KNOWN: (400, NOTHING_KNOWN),
}


@dataclass(frozen=True)
class SeenS2Request:
    """One request the stand-in received; the API key's value is never kept."""

    method: str
    path: str
    query: dict[str, list[str]]
    ids: tuple[str, ...] | None
    """The ``ids`` of the JSON body, or None if the body had none."""
    api_key_sent: bool
    """Whether the request carried a non-empty ``x-api-key`` header."""
    time: float
    """``time.monotonic()`` on arrival."""
    status: int | None
    """The HTTP status answered; None for a hung connection."""


def synthetic_ids(n: int) -> list[str]:
    """Return ``n`` generated arXiv-shaped ids, 9901.00001 upwards: SYNTHETIC test data."""
    if not 0 <= n <= 99_999:
        raise ValueError(f"n must be between 0 and 99999, got {n}")
    return [f"{SYNTHETIC_MONTH}.{number:05d}" for number in range(1, n + 1)]


def synthetic_papers(n: int, *, known_fraction: float = 1.0) -> dict[str, dict[str, Any]]:
    """Generate SYNTHETIC test data: papers for the known share of ``synthetic_ids(n)``.

    Nothing here describes a real paper: the ids are from 2099, the paperIds are hashes
    of the id, the counts are arithmetic on the id's number, and every paper is a
    preprint (venue "arXiv.org", the arXiv DOI). Exactly ``round(n * known_fraction)`` ids
    are known; the others, spread evenly (every tenth for 0.9), are left out, so null.
    """
    if not 0.0 <= known_fraction <= 1.0:
        raise ValueError(f"known_fraction must be between 0 and 1, got {known_fraction}")
    missing = n - round(n * known_fraction)
    # Integer arithmetic, so that 0.9 of 1,000 leaves out exactly 9901.00010, .00020, ...
    left_out = {(k + 1) * n // missing - 1 for k in range(missing)}
    papers: dict[str, dict[str, Any]] = {}
    for index, identifier in enumerate(synthetic_ids(n)):
        if index in left_out:
            continue
        number = index + 1
        papers[identifier] = {
            "paperId": hashlib.sha1(f"synthetic {identifier}".encode()).hexdigest(),
            "externalIds": {"ArXiv": identifier, "DOI": f"10.48550/arXiv.{identifier}"},
            "title": f"Synthetic paper {identifier}",
            "venue": "arXiv.org",
            "publicationVenue": None,
            "year": 2099,
            "citationCount": number * 7 % 1000,
            "influentialCitationCount": number % 10,
        }
    return papers


def synthetic_doi_paper(number: int) -> dict[str, Any]:
    """Generate a SYNTHETIC paper not on arXiv, known by the DOI ``10.0000/synthetic.<n>``.

    Nothing here describes a real paper: no registrant uses the prefix 10.0000, the title
    is "Synthetic published paper <n>", the one author "Synthetic Author", the date
    2099-01-01, the venue "Synthetic Journal", and the counts arithmetic on ``number``.
    It has every field curator asks for, in the shapes of the recorded samples.
    """
    doi = f"{SYNTHETIC_DOI_PREFIX}/synthetic.{number}"
    return {
        "paperId": hashlib.sha1(f"synthetic {doi}".encode()).hexdigest(),
        "externalIds": {"DOI": doi},
        "title": f"Synthetic published paper {number}",
        "authors": [{"authorId": str(number), "name": "Synthetic Author"}],
        "publicationDate": "2099-01-01",
        "venue": "Synthetic Journal",
        "publicationVenue": None,
        "year": 2099,
        "citationCount": number * 11 % 1000,
        "influentialCitationCount": number % 7,
    }


class S2Standin(LoopbackServer[S2Fault]):
    """A stand-in on 127.0.0.1 answering Semantic Scholar batch and title lookups while entered."""

    def __init__(
        self,
        papers: dict[str, dict[str, Any]] | None = None,
        *,
        min_interval: float = 0.0,
        retry_after: str = "1",
        hang_seconds: float = 2.0,
        port: int = 0,
    ) -> None:
        super().__init__(_Handler, hang_seconds=hang_seconds, port=port)
        self.papers: dict[str, dict[str, Any]] = dict(papers or {})
        self.dois: dict[str, dict[str, Any]] = {}
        """Papers known by DOI (matched in any case), for ``DOI:`` ids and title matches."""
        self.best_matches: dict[str, dict[str, Any]] = {}
        """What a title match answers for a query (folded to words), whatever its title."""
        self.requests: list[SeenS2Request] = []
        self.min_interval = min_interval
        """Answer 429 to a request arriving sooner than this after the previous one (0: never)."""
        self.retry_after = retry_after
        """``Retry-After`` of ``S2Fault.RATE_LIMITED_RETRY_AFTER``: seconds or an HTTP date."""
        self._last_arrival: float | None = None
        # self.url is the API root: for SemanticScholarSource(api_root=...) or CURATOR_S2_API.
        self.batch_url = f"{self.url}{BATCH_PATH}"
        self.match_url = f"{self.url}{MATCH_PATH}"

    @property
    def rate_limited(self) -> int:
        """Return how many requests were answered 429."""
        return sum(1 for seen in self.requests if seen.status == 429)

    def answer(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        """Answer one request: its fault (see ``arrive``), the rate limit, or the real answer."""
        parts = urlsplit(handler.path)
        query = parse_qs(parts.query, keep_blank_values=True)
        length = int(handler.headers.get("Content-Length") or 0)
        ids = _body_ids(handler.rfile.read(length))
        headers: dict[str, str] = {}
        body = b""
        fault = self.arrive()
        with self._lock:
            now = time.monotonic()
            too_soon = self._last_arrival is not None and (
                now - self._last_arrival < self.min_interval
            )
            self._last_arrival = now
            status: int | None
            if fault is S2Fault.HANG:
                status = None
            elif fault is S2Fault.NOT_JSON:
                status, body = 200, b"<html><body>Service temporarily unavailable</body></html>"
            elif fault in _FAULT_ANSWERS:
                status, payload = _FAULT_ANSWERS[fault]
                body = json.dumps(payload).encode()
                if fault is S2Fault.RATE_LIMITED_RETRY_AFTER:
                    headers["Retry-After"] = self.retry_after
            elif too_soon:
                status, body = 429, json.dumps(TOO_MANY_REQUESTS).encode()
            else:
                status, payload = self._route(method, parts.path, query, ids)
                if status == 200 and fault is S2Fault.WRONG_LENGTH and isinstance(payload, list):
                    payload = payload[:-1]
                body = json.dumps(payload).encode()
            self.requests.append(
                SeenS2Request(
                    method=method,
                    path=parts.path,
                    query=query,
                    ids=None if ids is None else tuple(ids),
                    api_key_sent=bool(handler.headers.get("x-api-key")),
                    time=now,
                    status=status,
                )
            )
        if status is None:
            self._stop.wait(self.hang_seconds)
        else:
            kind = "text/html" if fault is S2Fault.NOT_JSON else "application/json"
            _send(handler, status, body, kind, headers)

    def _route(
        self, method: str, path: str, query: dict[str, list[str]], ids: list[str] | None
    ) -> tuple[int, object]:
        """Return the status and JSON answer the real endpoint for ``path`` would give."""
        endpoint = {("POST", BATCH_PATH): self._batch, ("GET", MATCH_PATH): self._match}.get(
            (method, path)
        )
        if endpoint is None:
            return 404, {"message": "Not Found"}
        fields = [f for value in query.get("fields", []) for f in value.split(",") if f]
        unknown = [f for f in fields if f not in KNOWN_FIELDS]
        if unknown:
            return 400, {"error": f"Unrecognized or unsupported fields: [{', '.join(unknown)}]"}
        shown = ["paperId", *(f for f in fields or DEFAULT_FIELDS if f != "paperId")]
        return endpoint(shown, query, ids)

    def _batch(
        self, shown: list[str], query: dict[str, list[str]], ids: list[str] | None
    ) -> tuple[int, object]:
        """Answer a batch: the ``shown`` fields of each paper asked for, null where unknown."""
        if ids is None:
            return 400, {"error": 'Stand-in: the body must be JSON {"ids": [...]}'}
        if len(ids) > MAX_IDS:
            return 400, {"error": f"Stand-in: at most {MAX_IDS} ids, got {len(ids)}"}
        found = [self._paper(requested) for requested in ids]
        if all(paper is None for paper in found):
            return 400, NOTHING_KNOWN
        return 200, [None if paper is None else _fields(paper, shown) for paper in found]

    def _match(
        self, shown: list[str], query: dict[str, list[str]], ids: list[str] | None
    ) -> tuple[int, object]:
        """Answer a title match: the paper whose title folds to the query's words, or 404."""
        words = normalise(" ".join(query.get("query", [])))
        if not words:
            return 400, {"error": "Stand-in: a query is required"}
        paper = self.best_matches.get(words) or next(
            (
                known
                for known in [*self.papers.values(), *self.dois.values()]
                if normalise(str(known.get("title") or "")) == words
            ),
            None,
        )
        if paper is None:
            return 404, NO_TITLE_MATCH
        return 200, {"data": [{**_fields(paper, shown), "matchScore": MATCH_SCORE}]}

    def _paper(self, requested: str) -> dict[str, Any] | None:
        """Return the paper a batch id names: ``ARXIV:<id>`` or ``DOI:<doi>``, else None."""
        kind, _, value = requested.partition(":")
        if kind == "ARXIV":
            return self.papers.get(value)
        if kind == "DOI":
            return next(
                (paper for doi, paper in self.dois.items() if doi.lower() == value.lower()), None
            )
        return None


class _Handler(BaseHTTPRequestHandler):
    server: LoopbackHTTPServer

    def do_POST(self) -> None:
        self.server.standin.answer(self, "POST")

    def do_GET(self) -> None:
        self.server.standin.answer(self, "GET")

    def log_message(self, format: str, *args: object) -> None:
        """Keep test output quiet."""


def _fields(paper: dict[str, Any], shown: list[str]) -> dict[str, Any]:
    """Return the ``shown`` fields of a paper, null for those it lacks."""
    return {key: paper.get(key) for key in shown}


def _body_ids(body: bytes) -> list[str] | None:
    """Return the ``ids`` list of a JSON request body, or None if it has none."""
    try:
        parsed = json.loads(body)
    except ValueError:
        return None
    ids = parsed.get("ids") if isinstance(parsed, dict) else None
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        return None
    return ids


def _send(
    handler: BaseHTTPRequestHandler,
    status: int,
    body: bytes,
    content_type: str,
    headers: dict[str, str],
) -> None:
    try:
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(body)
    except (BrokenPipeError, ConnectionResetError):
        pass  # the client gave up (a timeout test); nothing is left to tell it


if __name__ == "__main__":
    import sys

    port = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    with S2Standin(synthetic_papers(count, known_fraction=0.9), port=port) as server:
        print(f"serving {len(server.papers)} synthetic papers at {server.url} (Ctrl-C stops)")
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()
