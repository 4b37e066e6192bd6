"""Remember what arXiv and Semantic Scholar said, so a refresh repeats no request it need not.

The cache is one SQLite file in a directory the caller chooses. It holds only the
mapped records (:class:`~curator.models.Paper` and :class:`~curator.models.Citations`
as plain dicts) and when they were fetched: never a request, a header or a key.
It is disposable: a corrupt file is replaced by an empty one, and a cache that
cannot be opened or written logs a warning and lets the run go on without it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, Literal, Protocol, TypeVar

from curator.models import Citations, Paper

logger = logging.getLogger(__name__)

Kind = Literal["arxiv", "s2"]
"""What a record describes: ``arxiv`` a :class:`Paper`, ``s2`` a :class:`Citations`."""

FILENAME = "cache.sqlite3"
UNKNOWN_MAX_AGE = dt.timedelta(days=1)
"""The longest an answer "this paper is unknown" is trusted: new papers get known soon."""
BUSY_TIMEOUT = 30.0
"""Seconds to wait for another curator process to finish writing."""
_KEYS_PER_QUERY = 500
"""Well under SQLite's least limit on the parameters of one statement (999)."""

# The table name carries the format version: a curator that changes the format uses a
# new table, so versions sharing one cache directory never misread each other's rows.
_TABLE = "records_v1"
_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS {_TABLE} (
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT,
    fetched_at TEXT NOT NULL,
    PRIMARY KEY (kind, key)
) WITHOUT ROWID
"""


def now_utc() -> dt.datetime:
    """Return the current time in UTC."""
    return dt.datetime.now(dt.timezone.utc)


@dataclass(frozen=True, slots=True)
class CacheHit:
    """A fresh answer found in the cache."""

    value: dict[str, object] | None
    """The record, or None when the service said it does not know the paper."""
    fetched_at: dt.datetime


class Cache:
    """A persistent store of service answers, keyed by kind and arXiv identifier."""

    def __init__(
        self,
        directory: Path,
        *,
        clock: Callable[[], dt.datetime] = now_utc,
        timeout: float = BUSY_TIMEOUT,
    ) -> None:
        """Open (or create) the cache in ``directory``; ``clock`` gives aware UTC datetimes."""
        self._clock = clock
        self._path: Path | None = directory / FILENAME
        self._connection = self._open(directory, timeout)

    @property
    def path(self) -> Path | None:
        """Return the database file, or None when the cache runs in memory only."""
        return self._path

    def get(self, kind: Kind, key: str, *, max_age: dt.timedelta) -> CacheHit | None:
        """Return the answer stored for ``key`` if it is younger than ``max_age``.

        An "unknown" answer (value None) is fresh for at most :data:`UNKNOWN_MAX_AGE`,
        so papers a service did not know yet are asked about again on a later run.
        A ``max_age`` of zero never hits.
        """
        return self.get_many(kind, [key], max_age=max_age).get(key)

    def get_many(
        self, kind: Kind, keys: Sequence[str], *, max_age: dt.timedelta
    ) -> dict[str, CacheHit]:
        """Return the fresh answers stored for ``keys``, by key, as :meth:`get` finds them.

        One query asks for up to ``_KEYS_PER_QUERY`` keys: a refresh of thousands of
        papers needs a few queries, not one a paper.
        """
        rows: list[tuple[str, str | None, str]] = []
        with self._guard("read"):
            for start in range(0, len(keys), _KEYS_PER_QUERY):
                chunk = keys[start : start + _KEYS_PER_QUERY]
                rows += self._connection.execute(
                    f"SELECT key, value, fetched_at FROM {_TABLE} "
                    f"WHERE kind = ? AND key IN ({', '.join('?' * len(chunk))})",
                    (kind, *chunk),
                ).fetchall()
        now = self._clock()
        hits: dict[str, CacheHit] = {}
        for key, value, fetched_at in rows:
            try:
                hit = CacheHit(_decode(value), dt.datetime.fromisoformat(fetched_at))
            except (ValueError, TypeError) as error:
                logger.warning(
                    "cache %s: ignoring damaged record %s %s (%s)", self.path, kind, key, error
                )
                continue
            oldest = max_age if hit.value is not None else min(max_age, UNKNOWN_MAX_AGE)
            # An answer from the future (the clock was set back) is not trusted either.
            if dt.timedelta(0) <= now - hit.fetched_at < oldest:
                hits[key] = hit
        return hits

    def put(self, kind: Kind, key: str, value: Mapping[str, object] | None) -> None:
        """Store the answer for ``key`` (None: the service does not know it), dated now."""
        self.put_many(kind, {key: value})

    def put_many(self, kind: Kind, items: Mapping[str, Mapping[str, object] | None]) -> None:
        """Store several answers in one transaction: all of them are kept, or none."""
        fetched_at = self._clock().isoformat()
        # Rows are encoded inside the transaction so that any failure (a value that is
        # not JSON, Ctrl-C) rolls the whole batch back.
        rows = ((kind, key, _encode(value), fetched_at) for key, value in items.items())
        with self._guard("write"):
            self._connection.execute("BEGIN IMMEDIATE")
            try:
                self._connection.executemany(
                    f"INSERT OR REPLACE INTO {_TABLE} VALUES (?, ?, ?, ?)", rows
                )
            except BaseException:
                if self._connection.in_transaction:
                    self._connection.execute("ROLLBACK")
                raise
            self._connection.execute("COMMIT")

    def close(self) -> None:
        """Close the database; the cache cannot be used afterwards."""
        self._connection.close()

    def __enter__(self) -> Cache:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _open(self, directory: Path, timeout: float) -> sqlite3.Connection:
        path = directory / FILENAME
        try:
            directory.mkdir(parents=True, exist_ok=True)
            return _connect(path, timeout)
        except OSError as error:
            problem = error.strerror or str(error)
        except sqlite3.OperationalError as error:
            # Locked, read-only or unreachable: someone else's file may be fine, keep it.
            problem = str(error)
        except sqlite3.DatabaseError as error:
            logger.warning("cache %s is damaged (%s); starting an empty one", path, error)
            try:
                _remove(path)
                return _connect(path, timeout)
            except (OSError, sqlite3.DatabaseError) as second:
                problem = str(second)
        logger.warning("cache %s unusable (%s); continuing without it", path, problem)
        return self._in_memory()

    def _in_memory(self) -> sqlite3.Connection:
        self._path = None
        return _connect(":memory:", 0)

    @contextlib.contextmanager
    def _guard(self, action: str) -> Iterator[None]:
        """Turn a failing cache file into a warning and an empty in-memory cache."""
        try:
            yield
        except sqlite3.ProgrammingError:
            raise  # misuse, such as a closed cache, is a bug
        except sqlite3.DatabaseError as error:
            logger.warning(
                "cache %s: cannot %s (%s); continuing without it", self.path, action, error
            )
            with contextlib.suppress(sqlite3.Error):
                self._connection.close()
            self._connection = self._in_memory()


def _connect(target: Path | str, timeout: float) -> sqlite3.Connection:
    # Autocommit mode: put_many opens its transactions explicitly.
    connection = sqlite3.connect(target, timeout=timeout, isolation_level=None)
    try:
        # WAL lets one process read while another writes. NORMAL sync may forget the last
        # batches on a power cut (never on a kill or Ctrl-C), which a cache can afford.
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
        connection.execute(_SCHEMA)
        # Counting reads every page of the table, so a damaged file shows here, at open,
        # where it can be replaced, rather than in the middle of a refresh.
        connection.execute(f"SELECT count(*) FROM {_TABLE}").fetchone()
    except sqlite3.Error:
        connection.close()
        raise
    return connection


def _remove(path: Path) -> None:
    for name in (path.name, f"{path.name}-wal", f"{path.name}-shm"):
        path.with_name(name).unlink(missing_ok=True)


def _encode(value: Mapping[str, object] | None) -> str | None:
    return None if value is None else json.dumps(dict(value), allow_nan=False, sort_keys=True)


def _decode(text: str | None) -> dict[str, object] | None:
    if text is None:
        return None
    value = json.loads(text)
    if not isinstance(value, dict):
        raise TypeError(f"expected an object, found {type(value).__name__}")
    return value


def paper_to_dict(paper: Paper) -> dict[str, object]:
    """Return ``paper`` as JSON-ready values (dates as ISO strings)."""
    return {
        "id": paper.id,
        "title": paper.title,
        "authors": list(paper.authors),
        "published": _iso(paper.published),
        "updated": _iso(paper.updated),
        "version": paper.version,
        "primary_category": paper.primary_category,
        "categories": list(paper.categories),
        "doi": paper.doi,
        "journal_ref": paper.journal_ref,
        "comment": paper.comment,
        "withdrawn": paper.withdrawn,
    }


def paper_from_dict(data: Mapping[str, object]) -> Paper:
    """Rebuild a :class:`Paper` from :func:`paper_to_dict`; raise ValueError if it is not one."""
    return Paper(
        id=_required(data, "id", str),
        title=_required(data, "title", str),
        authors=_strings(data, "authors"),
        published=_date(data, "published"),
        updated=_date(data, "updated"),
        version=_optional(data, "version", int),
        primary_category=_optional(data, "primary_category", str),
        categories=_strings(data, "categories"),
        doi=_optional(data, "doi", str),
        journal_ref=_optional(data, "journal_ref", str),
        comment=_optional(data, "comment", str),
        withdrawn=data.get("withdrawn") is True,
    )


def citations_to_dict(citations: Citations) -> dict[str, object]:
    """Return ``citations`` as JSON-ready values."""
    return {
        "id": citations.id,
        "s2_id": citations.s2_id,
        "citations": citations.citations,
        "influential_citations": citations.influential_citations,
        "venue": citations.venue,
        "venue_year": citations.venue_year,
        "venue_doi": citations.venue_doi,
        "title": citations.title,
        "authors": list(citations.authors),
        "published": _iso(citations.published),
    }


def citations_from_dict(data: Mapping[str, object]) -> Citations:
    """Rebuild :class:`Citations` from :func:`citations_to_dict`; raise ValueError if it is not."""
    return Citations(
        id=_required(data, "id", str),
        s2_id=_required(data, "s2_id", str),
        citations=_optional(data, "citations", int),
        influential_citations=_optional(data, "influential_citations", int),
        venue=_optional(data, "venue", str),
        venue_year=_optional(data, "venue_year", int),
        venue_doi=_optional(data, "venue_doi", str),
        # Records written before these were kept lack them: absent is unknown.
        title=_optional(data, "title", str),
        authors=_strings(data, "authors"),
        published=_date(data, "published"),
    )


_T = TypeVar("_T", str, int)


def _optional(data: Mapping[str, object], name: str, kind: type[_T]) -> _T | None:
    value = data.get(name)
    # bool is an int to Python, never a count or a year to us.
    if value is None or (isinstance(value, kind) and not isinstance(value, bool)):
        return value
    raise ValueError(f"{name} must be {kind.__name__} or null, not {value!r}")


def _required(data: Mapping[str, object], name: str, kind: type[_T]) -> _T:
    value = _optional(data, name, kind)
    if value is None:
        raise ValueError(f"{name} is missing")
    return value


def _strings(data: Mapping[str, object], name: str) -> tuple[str, ...]:
    value = data.get(name, [])
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return tuple(value)
    raise ValueError(f"{name} must be a list of strings, not {value!r}")


def _date(data: Mapping[str, object], name: str) -> dt.date | None:
    text = _optional(data, name, str)
    return None if text is None else dt.date.fromisoformat(text)


def _iso(date: dt.date | None) -> str | None:
    return None if date is None else date.isoformat()


Record = TypeVar("Record", Paper, Citations)
Answer_co = TypeVar("Answer_co", Paper, Citations, covariant=True)


class Source(Protocol[Answer_co]):
    """A service adapter: batches of canonical arXiv identifiers in, records out."""

    @property
    def max_batch(self) -> int: ...

    def lookup(self, ids: Sequence[str]) -> Mapping[str, Answer_co]: ...


class CachedSource(Generic[Record]):
    """A source whose every answer, "unknown" included, is written to the cache at once."""

    def __init__(
        self,
        source: Source[Record],
        cache: Cache,
        kind: Kind,
        to_dict: Callable[[Record], dict[str, object]],
    ) -> None:
        self.max_batch = source.max_batch
        self._source: Source[Record] = source
        self._cache = cache
        self._kind: Kind = kind
        self._to_dict: Callable[[Record], dict[str, object]] = to_dict

    def lookup(self, ids: Sequence[str]) -> Mapping[str, Record]:
        found = self._source.lookup(ids)
        answers = {key: self._to_dict(found[key]) if key in found else None for key in ids}
        self._cache.put_many(self._kind, answers)
        return found
