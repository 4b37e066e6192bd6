"""Read the answers of the Semantic Scholar Graph API: what they say, or why they are unusable.

Each reader turns one HTTP answer into :class:`~curator.models.Citations` or raises
:class:`~curator.errors.SourceError`; a :class:`PassingError` is a fault that may pass
(a rate limit, a gateway error, a garbled body), which the source retries.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from email.utils import parsedate_to_datetime

from curator.errors import SourceError
from curator.identity import normalise
from curator.ids import canonical, is_canonical
from curator.models import TITLE_KEY, Citations
from curator.sources.http import first_line

log = logging.getLogger("curator.sources.semantic_scholar")

SERVICE = "Semantic Scholar"
NOTHING_KNOWN = "No valid paper ids given"
"""The batch endpoint's HTTP 400 message when no requested id resolves: "none known"."""

_PREPRINT_VENUES = frozenset({"arxiv.org", "arxiv"})
"""Venue names (case-folded) that mean "only a preprint", not a published venue."""
_ARXIV_DOI = re.compile(r"10\.48550/arxiv\.", re.IGNORECASE)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DELTA_SECONDS = re.compile(r"\d+(?:\.\d+)?")


class PassingError(SourceError):
    """A fault that may pass, with the wait the server asked for, if it asked."""

    def __init__(self, cause: str, *, retry_after: float | None = None) -> None:
        super().__init__(SERVICE, cause, retryable=True)
        self.retry_after = retry_after


@dataclass(frozen=True, slots=True)
class Answer:
    """One HTTP answer, its body already scrubbed of the API key."""

    status: int
    reason: str
    headers: Mapping[str, str]
    body: bytes


def read_batch(
    status: int,
    reason: str,
    headers: Mapping[str, str],
    body: bytes,
    *,
    batch: Sequence[str],
    metadata: bool = False,
) -> dict[str, Citations]:
    """Turn one HTTP answer of the batch endpoint into citations, or raise :class:`SourceError`.

    With ``metadata`` (the fields were asked for), titles, authors and dates are read too.
    """
    if status == 400 and _error_text(body, "error") == NOTHING_KNOWN:
        log.debug("Semantic Scholar knows none of the %d identifiers", len(batch))
        return {}
    answer = _json(status, reason, headers, body)
    if not isinstance(answer, list):
        raise SourceError(SERVICE, f"answer is not a list of papers but {_kind(answer)}")
    if len(answer) != len(batch):
        # Alignment is by position: with a wrong length, no element can be trusted.
        items = "item" if len(answer) == 1 else "items"
        raise SourceError(
            SERVICE, f"answer has {len(answer)} {items} for {len(batch)} requested identifiers"
        )
    return {
        identifier: _citations(identifier, item, metadata=metadata)
        for identifier, item in zip(batch, answer, strict=True)
        if item is not None
    }


def read_match(
    status: int, reason: str, headers: Mapping[str, str], body: bytes, *, key: str
) -> Citations | None:
    """Turn one answer of the title match endpoint into citations; None when nothing matches."""
    # A 404 in the API's own error shape, {"error": ...}, says that no title matches; a
    # gateway's 404 ({"message": ...}, as for a wrong API root) stays a failure.
    if status == 404 and _error_text(body, "error") is not None:
        return None
    answer = _json(status, reason, headers, body)
    matches = answer.get("data") if isinstance(answer, dict) else None
    if not isinstance(matches, list):
        raise SourceError(SERVICE, f"answer is not a title match but {_kind(answer)}")
    if not matches:
        return None
    best = _citations(key, matches[0], metadata=True)
    if best.title is None or normalise(best.title) != key.removeprefix(TITLE_KEY):
        log.info("Semantic Scholar's best match for %s is titled %r; not taken", key, best.title)
        return None
    return best


def _json(status: int, reason: str, headers: Mapping[str, str], body: bytes) -> object:
    """Return the parsed body of a 200 answer, or raise :class:`SourceError` for any other."""
    if status == 429:
        raise PassingError("rate limited (HTTP 429)", retry_after=retry_after(headers))
    if status >= 500:
        raise PassingError(
            f"server error (HTTP {status} {reason})".strip(), retry_after=retry_after(headers)
        )
    if status in {400, 404}:
        raise SourceError(SERVICE, f"request rejected (HTTP {status}): {_error_message(body)}")
    if status in {401, 403}:
        raise SourceError(
            SERVICE, f"access denied (HTTP {status} {reason}); check the API key".strip()
        )
    if status != 200:
        raise SourceError(SERVICE, f"unexpected answer (HTTP {status} {reason})".strip())
    try:
        answer: object = json.loads(body)
    except ValueError as error:  # UnicodeDecodeError is a ValueError too
        raise PassingError(f"answer is not JSON ({first_line(body)!r})") from error
    return answer


def _citations(identifier: str, item: object, *, metadata: bool) -> Citations:
    """Map the paper Semantic Scholar gave for ``identifier`` to :class:`Citations`.

    Its title, authors and date only with ``metadata``: the fields were asked for.
    """
    if not isinstance(item, dict):
        raise SourceError(SERVICE, f"the answer for {identifier} is {_kind(item)}, not a paper")
    s2_id = item.get("paperId")
    if not isinstance(s2_id, str) or not s2_id:
        raise SourceError(SERVICE, f"the answer for {identifier} has no paperId")
    external = item.get("externalIds")
    external = external if isinstance(external, dict) else {}
    arxiv = external.get("ArXiv")
    if is_canonical(identifier) and isinstance(arxiv, str) and canonical(arxiv) != identifier:
        # Seen when Semantic Scholar merges records; the position still says which was asked.
        log.warning(
            "Semantic Scholar answered %s with a paper filed as arXiv %s", identifier, arxiv
        )
    doi = external.get("DOI")
    venue = _venue(item)
    title, authors, published = _metadata(item) if metadata else (None, (), None)
    return Citations(
        id=identifier,
        s2_id=s2_id,
        citations=_whole_number(item, "citationCount", identifier),
        influential_citations=_whole_number(item, "influentialCitationCount", identifier),
        venue=venue,
        venue_year=_whole_number(item, "year", identifier) if venue is not None else None,
        venue_doi=doi if isinstance(doi, str) and doi and not _ARXIV_DOI.match(doi) else None,
        title=title,
        authors=authors,
        published=published,
    )


def _venue(item: dict[str, object]) -> str | None:
    """Return the published venue's name, or None for a paper known only as a preprint."""
    publication_venue = item.get("publicationVenue")
    candidates = (
        publication_venue.get("name") if isinstance(publication_venue, dict) else None,
        item.get("venue"),
    )
    for candidate in candidates:
        name = _text(candidate)
        if name is not None and name.casefold() not in _PREPRINT_VENUES:
            return name
    return None


def _text(value: object) -> str | None:
    """Return a string with its white space folded to single spaces; None if empty or no string."""
    if not isinstance(value, str):
        return None
    return " ".join(value.split()) or None


def _metadata(item: dict[str, object]) -> tuple[str | None, tuple[str, ...], dt.date | None]:
    """Return the title, authors and publication date of a paper."""
    return _text(item.get("title")), _authors(item), _date(item.get("publicationDate"))


def _authors(item: dict[str, object]) -> tuple[str, ...]:
    """Return the authors' names in order; none at all if any is unreadable (a gap would lie)."""
    authors = item.get("authors")
    if not isinstance(authors, list):
        return ()
    names = [_text(author.get("name")) if isinstance(author, dict) else None for author in authors]
    return () if None in names else tuple(name for name in names if name is not None)


def _date(value: object) -> dt.date | None:
    """Return a ``YYYY-MM-DD`` date; None for a partial or impossible one, never a guess."""
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def _whole_number(item: dict[str, object], key: str, identifier: str) -> int | None:
    """Return a non-negative integer field; None when absent or null (unknown is not 0)."""
    value = item.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise SourceError(SERVICE, f"the answer for {identifier} has {key} {value!r}")
    return value


def retry_after(headers: Mapping[str, str]) -> float | None:
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
    return (
        _error_text(body, "error")
        or _error_text(body, "message")
        or first_line(body)
        or "no reason given"
    )


def _error_text(body: bytes, key: str) -> str | None:
    """Return the text under ``key`` of a JSON error body, as one line; None if there is none."""
    try:
        answer = json.loads(body)
    except ValueError:
        return None
    text = answer.get(key) if isinstance(answer, dict) else None
    return _text(text)


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
