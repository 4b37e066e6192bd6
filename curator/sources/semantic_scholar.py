"""Count citations of the papers of a list through the Semantic Scholar Graph API.

A paper is asked for by its entry key. ``POST /graph/v1/paper/batch`` takes up to 500
``ARXIV:<id>`` (for arXiv identifiers) and ``DOI:<doi>`` (for ``doi:`` keys) identifiers
and answers with a list aligned with them by position: ``null`` where a paper is
unknown, and HTTP 400 ``No valid paper ids given`` when none is known. A ``title:`` key
is one ``GET /graph/v1/paper/search/match`` whose best match counts only when its title
folds (:func:`curator.identity.normalise`) to the key's words: a fuzzy match may be
another paper, and a wrong paper is worse than none. Rate limits (429) and gateway
faults (5xx) are common, so :class:`SemanticScholarSource` keeps a pause between
requests, backs off exponentially within a bounded total wait, and never mistakes a
fault or a malformed answer for "unknown".

The API key travels only in the ``x-api-key`` header of each request: it is never put
on the shared session, never follows a redirect, and is scrubbed from every message.
"""

from __future__ import annotations

import functools
import json
import logging
import random
import re
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from typing import TypeVar
from urllib.parse import urlsplit

import requests

from curator import config
from curator.errors import SourceError
from curator.identity import normalise
from curator.ids import from_doi, is_canonical
from curator.models import DOI_KEY, TITLE_KEY, Citations
from curator.sources.http import MAX_ANSWER_BYTES, new_session, read_limited
from curator.sources.politeness import Pacer, checked_batch
from curator.sources.s2_answers import SERVICE, Answer, PassingError, read_batch, read_match

log = logging.getLogger(__name__)

BATCH_PATH = "/graph/v1/paper/batch"
MATCH_PATH = "/graph/v1/paper/search/match"
FIELDS = "paperId,externalIds,venue,publicationVenue,year,citationCount,influentialCitationCount"
"""Only the fields curator uses, in a fixed order so that recorded requests match."""
METADATA_FIELDS = f"{FIELDS},title,authors,publicationDate"
"""FIELDS and the metadata of a paper not on arXiv, asked for only when such a paper is."""
KEY_KINDS = "canonical arXiv identifiers or doi:/title: keys"
"""What :meth:`SemanticScholarSource.lookup` takes, as its refusal of anything else names it."""

BACKOFF_FACTOR = 5.0
"""The first retry waits this many times the politeness delay (5 s for the default 1 s)."""
JITTER_SHARE = 0.1
"""Each retry wait is lengthened by up to this share of itself, so clients do not retry in step."""
MAX_WAIT_FACTOR = 300.0
"""The default bound on the total retry wait of one lookup, in politeness delays (300 s)."""

# The list checks a DOI's full shape; a key needs only to be sendable as one.
_DOI = re.compile(r"10\.\S+/\S+")
# Header values requests can send: visible ASCII, no spaces (keys are opaque tokens).
_HEADER_TOKEN = re.compile(r"[!-~]+")
_T = TypeVar("_T")


class SemanticScholarSource:
    """Look citation counts up on Semantic Scholar by entry key, politely and with retries.

    ``delay`` is the least time between the starts of two requests, batch or title match
    alike, and every request is retried in the same way. Retry waits are
    ``BACKOFF_FACTOR * delay``, doubling, lengthened by ``jitter()`` (a number in [0, 1))
    times ``JITTER_SHARE``, and never shorter than a ``Retry-After`` the server sent.
    Retrying stops after ``max_retries`` retries, or as soon as the next wait would take the
    total of retry waits past ``max_wait`` (default ``MAX_WAIT_FACTOR * delay``); both scale
    with ``delay`` so that a stand-in with a small delay exercises them in seconds.
    ``timeout`` bounds the connection and each read of a request made with the source's
    own session (a ``session`` passed in keeps its own timeout).
    ``clock``, ``sleep`` and ``jitter`` are injectable so that tests run instantly.
    """

    max_batch = 500

    def __init__(
        self,
        *,
        api_root: str = config.DEFAULT_S2_API,
        api_key: str | None = None,
        delay: float = config.DEFAULT_S2_DELAY,
        timeout: float = config.DEFAULT_TIMEOUT,
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
        if timeout <= 0:
            raise ValueError(f"timeout must be positive, got {timeout}")
        if api_key is not None and not _HEADER_TOKEN.fullmatch(api_key):
            # Never quote the key: requests would, in its InvalidHeader message.
            raise ValueError("the API key is empty or holds spaces or control characters")
        self.api_root = api_root.rstrip("/")
        self.batch_url = f"{self.api_root}{BATCH_PATH}"
        self.match_url = f"{self.api_root}{MATCH_PATH}"
        self.delay = delay
        self.max_retries = max_retries
        self.max_wait = MAX_WAIT_FACTOR * delay if max_wait is None else max_wait
        self.requests_made = 0
        """HTTP requests sent so far, retries included."""
        self._api_key = api_key
        self._session = new_session(timeout=timeout) if session is None else session
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
        """Describe entry keys: arXiv ids and DOIs in one request, then each title in one.

        Papers it does not know, and titles whose best match has another title, are absent.
        """
        batch = checked_batch(ids, max_batch=self.max_batch, accepts=_is_key, kinds=KEY_KINDS)
        listed = [key for key in batch if not key.startswith(TITLE_KEY)]
        titled = [key for key in batch if key.startswith(TITLE_KEY)]
        found: dict[str, Citations] = {}
        with self._lock:
            if listed:
                found.update(self._retrying(functools.partial(self._ask_batch, listed)))
            for key in titled:
                match = self._retrying(functools.partial(self._ask_match, key))
                if match is not None:
                    found[key] = match
        return found

    def _ask_batch(self, batch: list[str]) -> dict[str, Citations]:
        """Ask the batch endpoint once about arXiv and DOI keys."""
        # A batch of arXiv papers only is asked exactly as before papers without arXiv ids
        # existed, so that its recorded requests still match.
        fields = FIELDS if all(is_canonical(key) for key in batch) else METADATA_FIELDS
        # Compact JSON, as the API's own examples write it; ids are never versioned.
        body = json.dumps({"ids": [_batch_id(key) for key in batch]}, separators=(",", ":"))
        log.debug("POST %s for %d identifiers", self.batch_url, len(batch))
        answer = self._send("POST", self.batch_url, {"fields": fields}, body=body.encode())
        return read_batch(
            answer.status,
            answer.reason,
            answer.headers,
            answer.body,
            batch=batch,
            metadata=fields == METADATA_FIELDS,
        )

    def _ask_match(self, key: str) -> Citations | None:
        """Ask the title match endpoint once about a ``title:`` key."""
        params = {"query": key.removeprefix(TITLE_KEY), "fields": METADATA_FIELDS}
        log.debug("GET %s for %s", self.match_url, key)
        answer = self._send("GET", self.match_url, params)
        return read_match(answer.status, answer.reason, answer.headers, answer.body, key=key)

    def _retrying(self, ask: Callable[[], _T]) -> _T:
        """Return what ``ask`` returns, retrying the faults that may pass (see the class)."""
        attempt = 1
        waited = 0.0
        while True:
            try:
                return ask()
            except PassingError as fault:
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

    def _backoff(self, attempt: int, fault: PassingError) -> float:
        base = BACKOFF_FACTOR * self.delay * 2.0 ** (attempt - 1)
        wait = base * (1 + JITTER_SHARE * self._jitter())
        # Retry-After may lengthen the wait, never shorten it below the backoff.
        return wait if fault.retry_after is None else max(wait, fault.retry_after)

    def _send(
        self, method: str, url: str, params: Mapping[str, str], *, body: bytes | None = None
    ) -> Answer:
        """Make one request when its turn comes; raise :class:`SourceError` if none is answered."""
        self.requests_made += 1
        headers = {} if body is None else {"Content-Type": "application/json"}
        if self._api_key is not None:
            headers["x-api-key"] = self._api_key
        try:
            # requests drops only Authorization on a redirect, so a redirect would carry
            # x-api-key to wherever it points: never follow one.
            with (
                self._pacer.turn(),
                self._session.request(
                    method,
                    url,
                    params=params,
                    data=body,
                    headers=headers,
                    allow_redirects=False,
                    stream=True,
                ) as response,
            ):
                status, reason, headers_in = (
                    response.status_code,
                    response.reason or "",
                    response.headers,
                )
                content = read_limited(response, MAX_ANSWER_BYTES)
        except requests.Timeout as error:
            raise PassingError(f"timed out waiting for {self._host}") from error
        except requests.ConnectionError as error:
            raise PassingError(f"cannot connect to {self._host}") from error
        except requests.exceptions.ChunkedEncodingError as error:
            raise PassingError("the answer broke off while arriving") from error
        except requests.RequestException as error:
            detail = " ".join(str(error).split())  # shown as one line
            if self._api_key is not None and self._api_key in detail:
                raise SourceError(
                    SERVICE, "request failed (details withheld: they hold the API key)"
                ) from None
            raise SourceError(SERVICE, f"request failed ({detail})") from error
        if content is None:
            raise SourceError(SERVICE, f"answer larger than {MAX_ANSWER_BYTES:,} bytes, refused")
        if self._api_key is not None:
            # Should the service ever echo the key back, no message built from the answer shows it.
            reason = reason.replace(self._api_key, "<api key>")
            content = content.replace(self._api_key.encode(), b"<api key>")
        return Answer(status, reason, headers_in, content)


def _is_key(key: str) -> bool:
    """Tell whether ``key`` is an entry key this source can ask about."""
    if key.startswith(DOI_KEY):
        doi = key.removeprefix(DOI_KEY)
        # Semantic Scholar does not find arXiv papers by arXiv's DOI (API.md).
        return _DOI.fullmatch(doi) is not None and from_doi(doi) is None
    if key.startswith(TITLE_KEY):
        words = key.removeprefix(TITLE_KEY)
        return bool(words) and normalise(words) == words
    return is_canonical(key)


def _batch_id(key: str) -> str:
    """Return how the batch endpoint names the paper of an arXiv or ``doi:`` key."""
    if key.startswith(DOI_KEY):
        return f"DOI:{key.removeprefix(DOI_KEY)}"
    return f"ARXIV:{key}"
