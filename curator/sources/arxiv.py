"""Describe arXiv papers through the arXiv query API (Atom feeds over HTTP).

The API's terms ask for one request at a time and a pause between requests; since
2025 it also answers ``429 Rate exceeded.`` (or even ``200 Rate exceeded.``) when
busy. :class:`ArxivSource` keeps to the pause, backs off exponentially on faults
that may pass, and never mistakes a fault for "no such paper".
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import re
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from urllib.parse import urlsplit
from xml.etree.ElementTree import Element, ParseError

import requests
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from curator import config
from curator.errors import SourceError
from curator.ids import parse as parse_id
from curator.models import Paper
from curator.sources.http import MAX_ANSWER_BYTES, first_line, new_session, read_limited
from curator.sources.politeness import Pacer, checked_batch

log = logging.getLogger(__name__)

SERVICE = "arXiv"
ATOM = "http://www.w3.org/2005/Atom"
ARXIV = "http://arxiv.org/schemas/atom"
_NS = {"atom": ATOM, "arxiv": ARXIV}

_ENTRY_ID = re.compile(r"https?://(?:www\.|export\.)?arxiv\.org/abs/(?P<id>\S+)", re.IGNORECASE)
_ERROR_ID = re.compile(r"https?://(?:www\.|export\.)?arxiv\.org/api/errors", re.IGNORECASE)
_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})")
# arXiv has no withdrawn flag: the withdrawing version says so in its comment or abstract
# ("This paper has been withdrawn by the author", "arXiv admin note: ... withdrawn ...").
_WITHDRAWN = re.compile(
    r"\b(?:paper|article|submission|manuscript|version) (?:has been|is|was) withdrawn"
    r"|\bwithdrawn by (?:the )?(?:authors?|arxiv)"
    r"|arxiv admin note:[^.]*\bwithdrawn",
    re.IGNORECASE,
)

BACKOFF_FACTOR = 10.0
"""The first retry waits this many times the politeness delay (30 s for the default 3 s)."""
JITTER_SHARE = 0.1
"""Each retry wait is lengthened by up to this share of itself, so clients do not retry in step."""


class ArxivSource:
    """Look papers up on the arXiv query API, politely and with retries.

    ``delay`` is the least time between the starts of two requests; retry waits are
    ``BACKOFF_FACTOR * delay``, doubling, lengthened by ``jitter()`` (a number in [0, 1))
    times ``JITTER_SHARE``. ``timeout`` bounds the connection and each read of a request
    made with the source's own session (a ``session`` passed in keeps its own timeout).
    ``clock``, ``sleep`` and ``jitter`` are injectable so that tests run instantly and
    deterministically.
    """

    max_batch = 100

    def __init__(
        self,
        *,
        endpoint: str = config.DEFAULT_ARXIV_API,
        delay: float = config.DEFAULT_ARXIV_DELAY,
        timeout: float = config.DEFAULT_TIMEOUT,
        session: requests.Session | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        max_retries: int = 3,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        if delay < 0:
            raise ValueError(f"delay must not be negative, got {delay}")
        if max_retries < 0:
            raise ValueError(f"max_retries must not be negative, got {max_retries}")
        if timeout <= 0:
            raise ValueError(f"timeout must be positive, got {timeout}")
        self.endpoint = endpoint
        self.delay = delay
        self.max_retries = max_retries
        self.requests_made = 0
        """HTTP requests sent so far, retries included."""
        self._session = new_session(timeout=timeout) if session is None else session
        self._sleep = sleep
        self._jitter = jitter
        self._host = urlsplit(endpoint).netloc or endpoint
        self._pacer = Pacer(delay, service=SERVICE, clock=clock, sleep=sleep)
        # Held for a whole lookup, retries included: the API allows one request at a time.
        self._lock = threading.Lock()

    def lookup(self, ids: Sequence[str]) -> dict[str, Paper]:
        """Describe canonical identifiers in one request; those arXiv does not know are absent."""
        batch = checked_batch(ids, max_batch=self.max_batch)
        if not batch:
            return {}
        with self._lock:
            return self._lookup_with_retries(batch)

    def _lookup_with_retries(self, batch: list[str]) -> dict[str, Paper]:
        attempt = 1
        while True:
            try:
                return self._request(batch)
            except SourceError as error:
                if not error.retryable:
                    raise
                if attempt > self.max_retries:
                    plural = "" if attempt == 1 else "s"
                    raise SourceError(
                        SERVICE, f"{error.cause} after {attempt} attempt{plural}", retryable=True
                    ) from error
                wait = self._backoff(attempt)
                log.warning(
                    "%s; retrying in %.1f s (attempt %d of %d)",
                    error,
                    wait,
                    attempt + 1,
                    self.max_retries + 1,
                )
                self._sleep(wait)
                attempt += 1

    def _backoff(self, attempt: int) -> float:
        base = BACKOFF_FACTOR * self.delay * 2.0 ** (attempt - 1)
        return base * (1 + JITTER_SHARE * self._jitter())

    def _request(self, batch: list[str]) -> dict[str, Paper]:
        self.requests_made += 1
        # A fixed parameter order keeps recorded requests matchable; max_results must cover
        # the batch because the API's own default is 10.
        params = {"id_list": ",".join(batch), "max_results": str(len(batch))}
        log.debug("GET %s for %d identifiers", self.endpoint, len(batch))
        try:
            with (
                self._pacer.turn(),
                self._session.get(self.endpoint, params=params, stream=True) as response,
            ):
                status, reason = response.status_code, response.reason or ""
                body = read_limited(response, MAX_ANSWER_BYTES)
        except requests.Timeout as error:
            raise SourceError(
                SERVICE, f"timed out waiting for {self._host}", retryable=True
            ) from error
        except requests.ConnectionError as error:
            raise SourceError(SERVICE, f"cannot connect to {self._host}", retryable=True) from error
        except requests.exceptions.ChunkedEncodingError as error:
            raise SourceError(
                SERVICE, "the answer broke off while arriving", retryable=True
            ) from error
        except requests.RequestException as error:
            detail = " ".join(str(error).split())  # messages are shown as one line
            raise SourceError(SERVICE, f"request failed ({detail})") from error
        if body is None:
            raise SourceError(SERVICE, f"answer larger than {MAX_ANSWER_BYTES:,} bytes, refused")
        return _read_answer(status, reason, body, wanted=batch)


def _read_answer(
    status: int, reason: str, body: bytes, *, wanted: Iterable[str]
) -> dict[str, Paper]:
    """Turn one HTTP answer of the query API into papers, or raise :class:`SourceError`."""
    if status == 429:
        raise SourceError(SERVICE, f"rate limited (HTTP 429 {first_line(body)!r})", retryable=True)
    if status >= 500:
        raise SourceError(SERVICE, f"server error (HTTP {status} {reason})".strip(), retryable=True)
    if status == 400:
        raise SourceError(SERVICE, f"request rejected (HTTP 400): {_rejection(body)}")
    if status != 200:
        raise SourceError(SERVICE, f"unexpected answer (HTTP {status} {reason})".strip())
    feed = _feed(body)
    error = _error_message(feed)
    if error is not None:
        raise SourceError(SERVICE, f"request rejected: {error}")
    return _papers(feed, wanted=set(wanted))


def _papers(feed: Element, *, wanted: set[str]) -> dict[str, Paper]:
    """Return the papers of a feed's entries whose identifiers are in ``wanted``, by identifier."""
    found: dict[str, Paper] = {}
    for entry in feed.iterfind("atom:entry", _NS):
        paper = _entry_paper(entry)
        if paper is None:
            continue
        if paper.id not in wanted:
            log.debug("ignoring the entry for %s: it was not requested", paper.id)
            continue
        earlier = found.get(paper.id)
        if earlier is not None:
            log.debug("arXiv sent %s twice; keeping the later version", paper.id)
            if (earlier.version or 0) > (paper.version or 0):
                continue
        found[paper.id] = paper
    return found


def _entry_paper(entry: Element) -> Paper | None:
    """Map one Atom ``<entry>`` to a :class:`Paper`, or return None if it names no arXiv paper."""
    raw_id = _text(entry, "atom:id")
    match = _ENTRY_ID.fullmatch(raw_id or "")
    parsed = parse_id(match["id"]) if match else None
    if parsed is None:
        log.debug("ignoring an entry without a usable arXiv identifier: %r", raw_id)
        return None
    title = _text(entry, "atom:title")
    if title is None:
        # Dropping the entry would report a known paper as unknown; refuse the answer instead.
        raise SourceError(SERVICE, f"the entry for {parsed.canonical} has no title")
    primary = entry.find("arxiv:primary_category", _NS)
    return Paper(
        id=parsed.canonical,
        title=title,
        authors=tuple(
            name
            for author in entry.iterfind("atom:author", _NS)
            if (name := _text(author, "atom:name")) is not None
        ),
        published=_date(entry, "atom:published"),
        updated=_date(entry, "atom:updated"),
        version=parsed.version,
        primary_category=_clean(primary.get("term")) if primary is not None else None,
        categories=tuple(
            dict.fromkeys(
                term
                for category in entry.iterfind("atom:category", _NS)
                if (term := _clean(category.get("term"))) is not None
            )
        ),
        doi=_text(entry, "arxiv:doi"),
        journal_ref=_text(entry, "arxiv:journal_ref"),
        comment=_text(entry, "arxiv:comment"),
        withdrawn=any(
            _WITHDRAWN.search(text or "")
            for text in (_text(entry, "arxiv:comment"), _text(entry, "atom:summary"))
        ),
    )


def _feed(body: bytes) -> Element:
    """Parse an HTTP 200 body as an Atom feed, telling rate limiting and truncation apart."""
    if not body.strip():
        raise SourceError(SERVICE, "answer is empty (HTTP 200)", retryable=True)
    if not body.lstrip().startswith(b"<"):
        if b"rate exceeded" in body[:200].lower():
            raise SourceError(
                SERVICE, f"rate limited (HTTP 200 {first_line(body)!r})", retryable=True
            )
        raise SourceError(SERVICE, f"answer is not XML ({first_line(body)!r})", retryable=True)
    try:
        root = fromstring(body, forbid_dtd=True)
    except ParseError as error:
        raise SourceError(
            SERVICE, f"answer is cut off or not XML ({error})", retryable=True
        ) from error
    except DefusedXmlException as error:
        raise SourceError(SERVICE, f"answer uses forbidden XML ({type(error).__name__})") from error
    if root.tag != f"{{{ATOM}}}feed":
        raise SourceError(
            SERVICE, f"answer is not an Atom feed (root {root.tag!r})", retryable=True
        )
    return root


def _error_message(feed: Element) -> str | None:
    """Return the message of an Atom error feed, or None if ``feed`` is not one."""
    for entry in feed.iterfind("atom:entry", _NS):
        if _ERROR_ID.match(_text(entry, "atom:id") or ""):
            return _text(entry, "atom:summary") or "no reason given"
    return None


def _rejection(body: bytes) -> str:
    try:
        feed = fromstring(body, forbid_dtd=True)
    except (ParseError, DefusedXmlException):
        return first_line(body) or "no reason given"
    return _error_message(feed) or "no reason given"


def _text(element: Element, path: str) -> str | None:
    """Return the whitespace-normalised text of a child, or None if it is missing or blank."""
    child = element.find(path, _NS)
    return None if child is None else _clean("".join(child.itertext()))


def _clean(text: str | None) -> str | None:
    # Titles and comments carry line breaks and double spaces; "0" is a real title, so test
    # for emptiness, never for truth.
    cleaned = " ".join((text or "").split())
    return cleaned if cleaned != "" else None


def _date(element: Element, path: str) -> dt.date | None:
    """Return the calendar date a timestamp (or a bare date) was written with."""
    text = _text(element, path)
    match = _DATE.match(text or "")
    if match is None:
        return None
    try:
        return dt.date.fromisoformat(match[1])
    except ValueError:
        log.debug("ignoring an impossible date %r", text)
        return None
