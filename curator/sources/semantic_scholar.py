"""Count citations of arXiv papers through the Semantic Scholar Graph API's batch endpoint.

``POST /graph/v1/paper/batch`` takes up to 500 ``ARXIV:<id>`` identifiers and answers
with a list aligned with them by position: ``null`` where a paper is unknown, and
HTTP 400 ``No valid paper ids given`` when none is known. Rate limits (429) and
gateway faults (5xx) are common, so :class:`SemanticScholarSource` keeps a pause
between requests, backs off exponentially within a bounded total wait, and never
mistakes a fault or a malformed answer for "unknown".

The API key travels only in the ``x-api-key`` header of each request: it is never put
on the shared session, never follows a redirect, and is scrubbed from every message.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import random
import re
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import requests

from curator import config
from curator.errors import SourceError
from curator.ids import canonical
from curator.models import Citations
from curator.sources.http import first_line, new_session
from curator.sources.politeness import Pacer, checked_batch

log = logging.getLogger(__name__)

SERVICE = "Semantic Scholar"
BATCH_PATH = "/graph/v1/paper/batch"
FIELDS = "paperId,externalIds,venue,publicationVenue,year,citationCount,influentialCitationCount"
"""Only the fields curator uses, in a fixed order so that recorded requests match."""
NOTHING_KNOWN = "No valid paper ids given"
"""The batch endpoint's HTTP 400 message when no requested id resolves: "none known"."""

BACKOFF_FACTOR = 5.0
"""The first retry waits this many times the politeness delay (5 s for the default 1 s)."""
JITTER_SHARE = 0.1
"""Each retry wait is lengthened by up to this share of itself, so clients do not retry in step."""
MAX_WAIT_FACTOR = 300.0
"""The default bound on the total retry wait of one lookup, in politeness delays (300 s)."""

_PREPRINT_VENUES = frozenset({"arxiv.org", "arxiv"})
"""Venue names (case-folded) that mean "only a preprint", not a published venue."""
_ARXIV_DOI = re.compile(r"10\.48550/arxiv\.", re.IGNORECASE)
_DELTA_SECONDS = re.compile(r"\d+(?:\.\d+)?")
# Header values requests can send: visible ASCII, no spaces (keys are opaque tokens).
_HEADER_TOKEN = re.compile(r"[!-~]+")


class _PassingError(SourceError):
    """A fault that may pass, with the wait the server asked for, if it asked."""

    def __init__(self, cause: str, *, retry_after: float | None = None) -> None:
        super().__init__(SERVICE, cause, retryable=True)
        self.retry_after = retry_after


class SemanticScholarSource:
    """Look citation counts up on the Semantic Scholar batch endpoint, politely and with retries.

    ``delay`` is the least time between the starts of two requests. Retry waits are
    ``BACKOFF_FACTOR * delay``, doubling, lengthened by ``jitter()`` (a number in [0, 1))
    times ``JITTER_SHARE``, and never shorter than a ``Retry-After`` the server sent.
    Retrying stops after ``max_retries`` retries, or as soon as the next wait would take the
    total of retry waits past ``max_wait`` (default ``MAX_WAIT_FACTOR * delay``); both scale
    with ``delay`` so that a stand-in with a small delay exercises them in seconds.
    ``clock``, ``sleep`` and ``jitter`` are injectable so that tests run instantly.
    """

    max_batch = 500

    def __init__(
        self,
        *,
        api_root: str = config.DEFAULT_S2_API,
        api_key: str | None = None,
        delay: float = config.DEFAULT_S2_DELAY,
        session: requests.Session | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        jitter: Callable[[], float] = random.random,
        max_retries: int = 5,
        max_wait: float | None = None,
    ) -> None:
        if delay < 0:
            raise ValueError(f"delay must not be negative, got {delay}")
        if max_retries < 0:
            raise ValueError(f"max_retries must not be negative, got {max_retries}")
        if max_wait is not None and max_wait < 0:
            raise ValueError(f"max_wait must not be negative, got {max_wait}")
        if api_key is not None and not _HEADER_TOKEN.fullmatch(api_key):
            # Never quote the key: requests would, in its InvalidHeader message.
            raise ValueError("the API key is empty or holds spaces or control characters")
        self.api_root = api_root.rstrip("/")
        self.batch_url = f"{self.api_root}{BATCH_PATH}"
        self.delay = delay
        self.max_retries = max_retries
        self.max_wait = MAX_WAIT_FACTOR * delay if max_wait is None else max_wait
        self.requests_made = 0
        """HTTP requests sent so far, retries included."""
        self._api_key = api_key
        self._session = new_session() if session is None else session
        self._sleep = sleep
        self._jitter = jitter
        self._host = urlsplit(self.api_root).netloc or self.api_root
        self._pacer = Pacer(delay, service=SERVICE, clock=clock, sleep=sleep)
        # Held for a whole lookup, retries included: a key allows one request per second.
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        key = "<hidden>" if self._api_key else None
        return (
            f"SemanticScholarSource(api_root={self.api_root!r}, api_key={key}, delay={self.delay})"
        )

    def lookup(self, ids: Sequence[str]) -> dict[str, Citations]:
        """Describe canonical identifiers in one request; papers it does not know are absent."""
        batch = checked_batch(ids, max_batch=self.max_batch)
        if not batch:
            return {}
        with self._lock:
            return self._lookup_with_retries(batch)

    def _lookup_with_retries(self, batch: list[str]) -> dict[str, Citations]:
        attempt = 1
        waited = 0.0
        while True:
            try:
                return self._request(batch)
            except _PassingError as fault:
                wait = None if attempt > self.max_retries else self._backoff(attempt, fault)
                if wait is None or waited + wait > self.max_wait:
                    if wait is not None:
                        log.warning(
                            "%s; not retrying: waiting %.1f s more would pass the %.1f s limit",
                            fault,
                            wait,
                            self.max_wait,
                        )
                    plural = "" if attempt == 1 else "s"
                    raise SourceError(
                        SERVICE, f"{fault.cause} after {attempt} attempt{plural}", retryable=True
                    ) from fault
                log.warning(
                    "%s; retrying in %.1f s (attempt %d of %d)",
                    fault,
                    wait,
                    attempt + 1,
                    self.max_retries + 1,
                )
                self._sleep(wait)
                waited += wait
                attempt += 1

    def _backoff(self, attempt: int, fault: _PassingError) -> float:
        base = BACKOFF_FACTOR * self.delay * 2.0 ** (attempt - 1)
        wait = base * (1 + JITTER_SHARE * self._jitter())
        # Retry-After may lengthen the wait, never shorten it below the backoff.
        return wait if fault.retry_after is None else max(wait, fault.retry_after)

    def _request(self, batch: list[str]) -> dict[str, Citations]:
        self._pacer.wait_turn()
        self.requests_made += 1
        # Compact JSON, as the API's own examples write it; ids are never versioned.
        body = json.dumps({"ids": [f"ARXIV:{i}" for i in batch]}, separators=(",", ":"))
        headers = {"Content-Type": "application/json"}
        if self._api_key is not None:
            headers["x-api-key"] = self._api_key
        log.debug("POST %s for %d identifiers", self.batch_url, len(batch))
        try:
            # requests drops only Authorization on a redirect, so a redirect would carry
            # x-api-key to wherever it points: never follow one.
            response = self._session.post(
                self.batch_url,
                params={"fields": FIELDS},
                data=body.encode(),
                headers=headers,
                allow_redirects=False,
            )
        except requests.Timeout as error:
            raise _PassingError(f"timed out waiting for {self._host}") from error
        except requests.ConnectionError as error:
            raise _PassingError(f"cannot connect to {self._host}") from error
        except requests.exceptions.ChunkedEncodingError as error:
            raise _PassingError("the answer broke off while arriving") from error
        except requests.RequestException as error:
            detail = " ".join(str(error).split())  # shown as one line
            if self._api_key is not None and self._api_key in detail:
                raise SourceError(
                    SERVICE, "request failed (details withheld: they hold the API key)"
                ) from None
            raise SourceError(SERVICE, f"request failed ({detail})") from error
        content = response.content
        if self._api_key is not None:
            # Should the service ever echo the key back, no message built from the body shows it.
            content = content.replace(self._api_key.encode(), b"<api key>")
        return _read_answer(
            response.status_code, response.reason or "", response.headers, content, batch=batch
        )


def _read_answer(
    status: int, reason: str, headers: Mapping[str, str], body: bytes, *, batch: Sequence[str]
) -> dict[str, Citations]:
    """Turn one HTTP answer of the batch endpoint into citations, or raise :class:`SourceError`."""
    if status == 429:
        raise _PassingError("rate limited (HTTP 429)", retry_after=_retry_after(headers))
    if status >= 500:
        raise _PassingError(
            f"server error (HTTP {status} {reason})".strip(), retry_after=_retry_after(headers)
        )
    if status in {400, 404}:
        message = _error_message(body)
        if status == 400 and message == NOTHING_KNOWN:
            log.debug("Semantic Scholar knows none of the %d identifiers", len(batch))
            return {}
        raise SourceError(SERVICE, f"request rejected (HTTP {status}): {message}")
    if status in {401, 403}:
        raise SourceError(
            SERVICE, f"access denied (HTTP {status} {reason}); check the API key".strip()
        )
    if status != 200:
        raise SourceError(SERVICE, f"unexpected answer (HTTP {status} {reason})".strip())
    try:
        answer = json.loads(body)
    except ValueError as error:  # UnicodeDecodeError is a ValueError too
        raise _PassingError(f"answer is not JSON ({first_line(body)!r})") from error
    if not isinstance(answer, list):
        raise SourceError(SERVICE, f"answer is not a list of papers but {_kind(answer)}")
    if len(answer) != len(batch):
        # Alignment is by position: with a wrong length, no element can be trusted.
        items = "item" if len(answer) == 1 else "items"
        raise SourceError(
            SERVICE, f"answer has {len(answer)} {items} for {len(batch)} requested identifiers"
        )
    return {
        identifier: _citations(identifier, item)
        for identifier, item in zip(batch, answer, strict=True)
        if item is not None
    }


def _citations(identifier: str, item: object) -> Citations:
    """Map the paper Semantic Scholar gave for ``identifier`` to :class:`Citations`."""
    if not isinstance(item, dict):
        raise SourceError(SERVICE, f"the answer for {identifier} is {_kind(item)}, not a paper")
    s2_id = item.get("paperId")
    if not isinstance(s2_id, str) or not s2_id:
        raise SourceError(SERVICE, f"the answer for {identifier} has no paperId")
    external = item.get("externalIds")
    external = external if isinstance(external, dict) else {}
    arxiv = external.get("ArXiv")
    if isinstance(arxiv, str) and canonical(arxiv) != identifier:
        # Seen when Semantic Scholar merges records; the position still says which was asked.
        log.warning(
            "Semantic Scholar answered %s with a paper filed as arXiv %s", identifier, arxiv
        )
    doi = external.get("DOI")
    venue = _venue(item)
    return Citations(
        id=identifier,
        s2_id=s2_id,
        citations=_whole_number(item, "citationCount", identifier),
        influential_citations=_whole_number(item, "influentialCitationCount", identifier),
        venue=venue,
        venue_year=_whole_number(item, "year", identifier) if venue is not None else None,
        venue_doi=doi if isinstance(doi, str) and doi and not _ARXIV_DOI.match(doi) else None,
    )


def _venue(item: dict[str, object]) -> str | None:
    """Return the published venue's name, or None for a paper known only as a preprint."""
    publication_venue = item.get("publicationVenue")
    candidates = (
        publication_venue.get("name") if isinstance(publication_venue, dict) else None,
        item.get("venue"),
    )
    for candidate in candidates:
        if isinstance(candidate, str):
            name = " ".join(candidate.split())
            if name and name.casefold() not in _PREPRINT_VENUES:
                return name
    return None


def _whole_number(item: dict[str, object], key: str, identifier: str) -> int | None:
    """Return a non-negative integer field; None when absent or null (unknown is not 0)."""
    value = item.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise SourceError(SERVICE, f"the answer for {identifier} has {key} {value!r}")
    return value


def _retry_after(headers: Mapping[str, str]) -> float | None:
    """Return the seconds a ``Retry-After`` header asks to wait, or None if there is none."""
    value = (headers.get("Retry-After") or "").strip()
    if not value:
        return None
    if _DELTA_SECONDS.fullmatch(value):
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        log.debug("ignoring an unreadable Retry-After %r", value)
        return None
    # Measured against the server's own Date when it sent one, so clock skew does not count.
    now = dt.datetime.now(dt.timezone.utc)
    date = headers.get("Date")
    if date:
        try:
            now = _aware(parsedate_to_datetime(date))
        except (TypeError, ValueError):
            log.debug("ignoring an unreadable Date %r", date)
    return max(0.0, (_aware(when) - now).total_seconds())


def _aware(moment: dt.datetime) -> dt.datetime:
    # HTTP dates are in GMT; a date without a zone is read as such.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.timezone.utc)


def _error_message(body: bytes) -> str:
    """Return the ``error`` (app) or ``message`` (gateway) text of an error body."""
    try:
        answer = json.loads(body)
    except ValueError:
        return first_line(body) or "no reason given"
    if isinstance(answer, dict):
        for key in ("error", "message"):
            text = answer.get(key)
            if isinstance(text, str) and text.strip():
                return " ".join(text.split())
    return first_line(body) or "no reason given"


def _kind(value: object) -> str:
    """Name the JSON type of a parsed value, for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "an array" if isinstance(value, list) else "an object"
