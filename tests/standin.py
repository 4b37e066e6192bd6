"""A local stand-in for the arXiv query API, for tests only.

It serves ``GET /api/query?id_list=a,b&max_results=N`` on 127.0.0.1 the way the
real API does since its 2025 backend (see ``/work/shared/api/API.md``): an Atom
feed with one entry per known identifier, in a shuffled order (seeded, so runs
repeat); unknown well-formed identifiers are simply absent; a malformed one gets
HTTP 400 and an Atom error feed; without ``max_results`` at most 10 entries come
back. What it knows is the ``<entry>`` elements of an Atom file, by default
``tests/data/arxiv/seed-papers.xml``, plus any SYNTHETIC papers a test adds with
:meth:`ArxivStandin.add_synthetic` (generated test data with ids from 2099, see
:func:`synthetic_entry`; never a real paper).

Usage::

    with ArxivStandin() as standin:                # or the ``arxiv_standin`` fixture
        standin.faults.append(Fault.RATE_LIMITED)  # served to the next request
        standin.add_synthetic(["9901.00001"])      # a SYNTHETIC paper, generated
        time = FakeTime()                          # makes delays and backoff instant
        source = ArxivSource(endpoint=standin.api_url, clock=time.clock, sleep=time.sleep,
                             jitter=lambda: 0.0)
        source.lookup(["2304.02643"])
        assert len(standin.requests) == 2 and time.sleeps == [30.0]

A fault that lasts (a service that stays down, so retries fail too) is set with
``standin.fail_after(1, Fault.UNAVAILABLE)``: the first request is answered, every later
one gets the fault until ``standin.clear_faults()``. For "connection refused", point a
client at ``f"http://127.0.0.1:{unused_port()}"``, or call ``standin.refuse_after(1)``
to stop listening once the first request has come.
Run ``python tests/standin.py [PORT]`` to serve the seed papers by hand.
"""

from __future__ import annotations

import contextlib
import random
import re
import socket
import threading
import time
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Generic, TypeVar
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape, quoteattr

from curator import ids

SEED_FEED = Path(__file__).parent / "data" / "arxiv" / "seed-papers.xml"

_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_ENTRY = re.compile(r"<entry>.*?</entry>", re.DOTALL)
_ENTRY_ID = re.compile(r"<id>\s*https?://arxiv\.org/abs/([^<\s]+)\s*</id>")
# The identifier shapes the real API accepts as well-formed (it answers 200, maybe with no
# entry); anything else gets 400. Looser than curator's rules: 0000.0000 is well-formed here.
_API_ID_SHAPE = re.compile(r"(\d{4}\.\d{4,5}|[a-zA-Z-]+(\.[A-Za-z-]{2,})?/\d{7})(v\d+)?")
# New-style ids of 2099 (99MM.NNNNN): a year arXiv has not reached, so no real paper has one.
_SYNTHETIC_ID = re.compile(r"99(0[1-9]|1[0-2])\.\d{5}")
SYNTHETIC_DATE = "2099-01-01T00:00:00Z"
"""The submission and update time of every synthetic paper: obviously not a real date."""
_FEED_OPEN = (
    "<?xml version='1.0' encoding='UTF-8'?>\n"
    '<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/"'
    ' xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">\n'
)


class Fault(Enum):
    """An answer to serve instead of the normal one: queued (once each) or lasting."""

    RATE_LIMITED = "HTTP 429, text/plain 'Rate exceeded.'"
    RATE_LIMITED_200 = "HTTP 200, text/plain 'Rate exceeded.'"
    UNAVAILABLE = "HTTP 503 with an empty body"
    TRUNCATED = "HTTP 200, the normal feed cut off in the middle"
    HANG = "no answer for hang_seconds, then the connection closes"
    BAD_REQUEST = "HTTP 400, an Atom error feed naming the first requested id"


@dataclass(frozen=True)
class SeenRequest:
    """One request the stand-in received."""

    path: str
    query: dict[str, list[str]]
    time: float
    """``time.monotonic()`` on arrival."""


def load_entries(*paths: Path) -> dict[str, str]:
    """Return the ``<entry>`` elements of Atom files as text, by canonical identifier."""
    entries: dict[str, str] = {}
    for path in paths:
        text = _COMMENT.sub("", path.read_text(encoding="utf-8"))
        for match in _ENTRY.finditer(text):
            found = _ENTRY_ID.search(match[0])
            canonical = ids.canonical(found[1]) if found else None
            if canonical is None:
                raise ValueError(f"{path}: an entry without an arXiv abs URL as <id>")
            entries[canonical] = match[0]
    return entries


def synthetic_entry(identifier: str) -> str:
    """Return a generated Atom ``<entry>`` for a synthetic id: SYNTHETIC test data.

    Nothing in it describes a real paper: the id is from 2099 (``9901.00001`` as made by
    ``standin_s2.synthetic_ids``), the title is "Synthetic paper <id>", the one author is
    "Synthetic Author", both dates are 2099-01-01 and the summary says it is synthetic.
    The category is a real one (cs.LG), as curator expects a real category string.
    Raise ValueError for an id that is not from 2099, so no real paper is ever described.
    """
    if not _SYNTHETIC_ID.fullmatch(identifier):
        raise ValueError(
            f"synthetic ids are new-style ids from 2099 (99MM.NNNNN), got {identifier!r}"
        )
    return (
        "<entry>\n"
        f"    <id>http://arxiv.org/abs/{identifier}v1</id>\n"
        "    <!-- SYNTHETIC: generated by tests/standin.py, not a real paper -->\n"
        f"    <updated>{SYNTHETIC_DATE}</updated>\n"
        f"    <published>{SYNTHETIC_DATE}</published>\n"
        f"    <title>Synthetic paper {identifier}</title>\n"
        "    <summary>SYNTHETIC test data generated by tests/standin.py; not a real paper."
        "</summary>\n"
        "    <author>\n      <name>Synthetic Author</name>\n    </author>\n"
        '    <arxiv:primary_category term="cs.LG" scheme="http://arxiv.org/schemas/atom"/>\n'
        '    <category term="cs.LG" scheme="http://arxiv.org/schemas/atom"/>\n'
        "  </entry>"
    )


class FakeTime:
    """A clock that moves only when slept on, remembering every sleep: for ``clock=``/``sleep=``."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        """Return the current fake time."""
        return self.now

    def sleep(self, seconds: float) -> None:
        """Record ``seconds`` and move the clock on by them, at once."""
        self.sleeps.append(seconds)
        self.now += seconds


def unused_port() -> int:
    """Return a loopback port nothing listens on (so connecting to it is refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


FaultT = TypeVar("FaultT", bound=Enum)


class LoopbackServer(Generic[FaultT]):
    """A threaded HTTP server on 127.0.0.1, serving while entered; subclasses define ``answer``.

    ``handler`` passes each request to ``self.server.standin`` (this object). A subclass's
    ``answer`` calls :meth:`arrive` first, which gives the fault to serve: the next one
    queued in :attr:`faults` (each served once), else the lasting fault that
    :meth:`fail_after` set, until :meth:`clear_faults`.
    """

    def __init__(
        self, handler: type[BaseHTTPRequestHandler], *, hang_seconds: float = 2.0, port: int = 0
    ) -> None:
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._server = LoopbackHTTPServer(("127.0.0.1", port), handler)
        self._server.standin = self
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )
        self.port: int = self._server.server_address[1]
        """The loopback port the server listens on."""
        self.url = f"http://127.0.0.1:{self.port}"
        """The base URL of the server."""
        self.faults: deque[FaultT] = deque()
        """Faults to serve, one per request, in queue order, before any lasting fault."""
        self.hang_seconds = hang_seconds
        """How long a request met by a hang fault waits before its connection closes."""
        self._arrivals = 0
        self._lasting: tuple[int, FaultT] | None = None
        self._refuse_at: int | None = None

    def fail_after(self, answered: int, fault: FaultT) -> None:
        """Serve ``fault`` to every request after the first ``answered`` ones, until cleared.

        Retries meet the same fault, as they do when a service stays down.
        """
        with self._lock:
            self._lasting = (answered, fault)

    def refuse_after(self, answered: int) -> None:
        """Stop listening once request number ``answered`` arrives, after answering it.

        Every later connection is refused, as by a service that went away part way through
        a run. The server does not listen again: start a new stand-in on :attr:`port`.
        """
        with self._lock:
            self._refuse_at = answered

    def clear_faults(self) -> None:
        """Forget the queued and the lasting fault: requests from now on are answered normally."""
        with self._lock:
            self.faults.clear()
            self._lasting = None

    def arrive(self) -> FaultT | None:
        """Count a request that arrives and return the fault to serve it, if any."""
        with self._lock:
            self._arrivals += 1
            refuse = self._arrivals == self._refuse_at
            fault = self.faults.popleft() if self.faults else None
            if fault is None and self._lasting is not None and self._arrivals > self._lasting[0]:
                fault = self._lasting[1]
        if refuse:
            # The connection of this request is already accepted, so it is still answered.
            self._stop_listening()
        return fault

    def __enter__(self: _Server) -> _Server:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()  # cuts a hanging answer short
        self._stop_listening()
        self._thread.join()

    def _stop_listening(self) -> None:
        # Safe to repeat, and to call from a handler thread (they are daemons, never joined).
        self._server.shutdown()
        self._server.server_close()


_Server = TypeVar("_Server", bound=LoopbackServer[Any])


class LoopbackHTTPServer(ThreadingHTTPServer):
    """The HTTP server under a :class:`LoopbackServer`, which its handlers reach as ``standin``."""

    daemon_threads = True
    standin: Any


class ArxivStandin(LoopbackServer[Fault]):
    """A stand-in on 127.0.0.1 answering arXiv ``id_list`` queries while entered."""

    def __init__(
        self, *feeds: Path, seed: int = 0, hang_seconds: float = 2.0, port: int = 0
    ) -> None:
        super().__init__(_Handler, hang_seconds=hang_seconds, port=port)
        self.entries = load_entries(*(feeds or (SEED_FEED,)))
        self.requests: list[SeenRequest] = []
        self._random = random.Random(seed)
        self.api_url = f"{self.url}/api/query"
        """For ``ArxivSource(endpoint=...)`` or ``CURATOR_ARXIV_API``."""

    def add_synthetic(self, identifiers: Iterable[str]) -> None:
        """Make the stand-in know a SYNTHETIC paper per id (see :func:`synthetic_entry`)."""
        made = {identifier: synthetic_entry(identifier) for identifier in identifiers}
        with self._lock:
            self.entries.update(made)

    def answer(self, handler: BaseHTTPRequestHandler) -> None:
        """Answer one request: its fault (see :meth:`arrive`), or what the real API would say."""
        parts = urlsplit(handler.path)
        query = parse_qs(parts.query, keep_blank_values=True)
        fault = self.arrive()
        with self._lock:
            self.requests.append(SeenRequest(parts.path, query, time.monotonic()))
        if parts.path != "/api/query":
            _send(handler, 404, "text/plain", b"Not Found")
            return
        requested = [i for value in query.get("id_list", []) for i in value.split(",") if i]
        max_results = int(query.get("max_results", ["10"])[0])
        malformed = [i for i in requested if not _API_ID_SHAPE.fullmatch(i)]
        if fault is Fault.HANG:
            self._stop.wait(self.hang_seconds)
        elif fault is Fault.RATE_LIMITED:
            _send(handler, 429, "text/plain", b"Rate exceeded.")
        elif fault is Fault.RATE_LIMITED_200:
            _send(handler, 200, "text/plain", b"Rate exceeded.")
        elif fault is Fault.UNAVAILABLE:
            _send(handler, 503, "text/plain", b"")
        elif fault is Fault.BAD_REQUEST or malformed:
            bad = malformed[0] if malformed else (requested or [""])[0]
            _send(handler, 400, "application/atom+xml", _error_feed(bad).encode())
        else:
            body = self._feed(requested, max_results).encode()
            if fault is Fault.TRUNCATED:
                body = body[: len(body) // 2]
            _send(handler, 200, "application/atom+xml", body)

    def _feed(self, requested: list[str], max_results: int) -> str:
        wanted = dict.fromkeys(ids.canonical(i) or i for i in requested)
        found = [self.entries[i] for i in wanted if i in self.entries]
        with self._lock:
            self._random.shuffle(found)
        query = f"search_query=&id_list={','.join(requested)}&start=0&max_results={max_results}"
        link = f"https://arxiv.org/api/query?{query}"
        return (
            f"{_FEED_OPEN}  <id>{escape(self.url)}/api/standin</id>\n"
            f"  <title>arXiv Query: {escape(query)}</title>\n"
            f"  <updated>{_now()}</updated>\n"
            f'  <link href={quoteattr(link)} type="application/atom+xml"/>\n'
            f"  <opensearch:itemsPerPage>{max_results}</opensearch:itemsPerPage>\n"
            f"  <opensearch:totalResults>{len(found)}</opensearch:totalResults>\n"
            "  <opensearch:startIndex>0</opensearch:startIndex>\n"
            + "".join(f"  {entry}\n" for entry in found[:max_results])
            + "</feed>\n"
        )


class _Handler(BaseHTTPRequestHandler):
    server: LoopbackHTTPServer

    def do_GET(self) -> None:
        self.server.standin.answer(self)

    def log_message(self, format: str, *args: object) -> None:
        """Keep test output quiet."""


def _send(handler: BaseHTTPRequestHandler, status: int, content_type: str, body: bytes) -> None:
    try:
        handler.send_response(status)
        handler.send_header("Content-Type", f"{content_type}; charset=utf-8")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)
    except (BrokenPipeError, ConnectionResetError):
        pass  # the client gave up (a timeout test); nothing is left to tell it


def _error_feed(bad_id: str) -> str:
    """Return the error feed the real API sends for a malformed id (same shape as its sample)."""
    anchor = escape(f"https://arxiv.org/api/errors#incorrect_id_format_for_{bad_id}")
    now = _now()
    return (
        f"{_FEED_OPEN}  <id>https://arxiv.org/</id>\n"
        "  <title>arXiv Search Results</title>\n"
        f"  <updated>{now}</updated>\n"
        "  <opensearch:itemsPerPage>1</opensearch:itemsPerPage>\n"
        "  <opensearch:totalResults>1</opensearch:totalResults>\n"
        "  <opensearch:startIndex>0</opensearch:startIndex>\n"
        "  <entry>\n"
        f"    <id>{anchor}</id>\n"
        "    <title>Error</title>\n"
        f"    <updated>{now}</updated>\n"
        f'    <link href={quoteattr(anchor)} rel="alternate" type="text/html"/>\n'
        f"    <summary>incorrect id format for {escape(bad_id)}</summary>\n"
        "    <author>\n      <name>arXiv api core</name>\n    </author>\n"
        "  </entry>\n</feed>\n"
    )


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


if __name__ == "__main__":
    import sys

    with ArxivStandin(port=int(sys.argv[1]) if len(sys.argv) > 1 else 0) as server:
        print(f"serving {len(server.entries)} papers at {server.api_url} (Ctrl-C stops)")
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()
