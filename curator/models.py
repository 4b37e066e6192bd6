"""Plain records passed between curator's layers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import Enum

from curator.ids import abs_url, arxiv_doi, submission_year

DOI_KEY = "doi:"
"""The prefix of the key of a paper known by its DOI (lower-cased) rather than on arXiv."""
TITLE_KEY = "title:"
"""The prefix of the key of a paper known only by its title, folded to words."""


@dataclass(frozen=True, slots=True)
class Occurrence:
    """Where one arXiv identifier was seen in a source document."""

    source: str
    """A file path, an http(s) URL, or ``-`` for standard input."""
    line: int
    """1-based line number in the decoded document."""
    column: int
    """1-based column of the first character of the match."""
    text: str
    """The link text, or the words around a bare mention."""
    version: int | None = None
    """The version the link named (``v2`` in ``2106.09685v2``), if any."""
    message_id: int | None = None
    """Chat exports: the id of the message."""
    date: str | None = None
    """Chat exports: the message date as the export wrote it."""
    author: str | None = None
    """Chat exports: who sent (or originally wrote, when forwarded) the message."""


@dataclass(frozen=True, slots=True)
class Found:
    """One occurrence of one canonical arXiv identifier."""

    id: str
    """The canonical identifier: no version, archive lower-cased, subject class dropped."""
    occurrence: Occurrence


@dataclass(frozen=True, slots=True)
class Paper:
    """Metadata of one arXiv paper as the arXiv API describes it."""

    id: str
    title: str
    authors: tuple[str, ...] = ()
    published: dt.date | None = None
    """Date of the first version."""
    updated: dt.date | None = None
    """Date of the latest version."""
    version: int | None = None
    """The latest version number, when the API gave one."""
    primary_category: str | None = None
    categories: tuple[str, ...] = ()
    doi: str | None = None
    journal_ref: str | None = None
    comment: str | None = None
    withdrawn: bool = False
    """Whether the latest version withdraws the paper (arXiv has no flag: its comment says so)."""


@dataclass(frozen=True, slots=True)
class Citations:
    """What Semantic Scholar says about one paper it knows."""

    id: str
    """The entry key the paper was looked up by: a canonical arXiv identifier, or a
    ``doi:`` or ``title:`` key for a paper not on arXiv (see :attr:`Entry.id`)."""
    s2_id: str
    """Semantic Scholar's paper id (40 hexadecimal digits)."""
    citations: int | None = None
    influential_citations: int | None = None
    venue: str | None = None
    """The venue of the published version; None for a paper known only as a preprint."""
    venue_year: int | None = None
    venue_doi: str | None = None
    """The publisher DOI, when it differs from arXiv's own DOI (10.48550/arXiv.ID)."""
    title: str | None = None
    """The title, when it was asked for (papers not on arXiv: arXiv describes the others)."""
    authors: tuple[str, ...] = ()
    """The authors' names in order, when they were asked for."""
    published: dt.date | None = None
    """The publication date, when it was asked for and given in full."""


class Status(str, Enum):
    """Resolution state of a list entry."""

    RESOLVED = "resolved"
    """Metadata came from arXiv (or was entered by the curator)."""
    PENDING = "pending"
    """Not resolved yet: arXiv could not be reached or failed; ``refresh`` retries it."""
    UNRESOLVED = "unresolved"
    """arXiv answered and does not know this identifier."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One paper in a reading list: machine-owned metadata plus the curator's own fields."""

    id: str
    """The paper's key in its list: the canonical arXiv identifier for a paper on arXiv,
    else ``doi:`` and its DOI in lower case (arXiv identifiers never contain a colon)."""
    title: str | None = None
    authors: tuple[str, ...] = ()
    published: dt.date | None = None
    updated: dt.date | None = None
    primary_category: str | None = None
    doi: str | None = None
    journal_ref: str | None = None
    venue: str | None = None
    """The peer-reviewed venue of a published version, when known."""
    venue_doi: str | None = None
    """The publisher DOI of that published version, when known."""
    venue_year: int | None = None
    """The year of that published version, when known."""
    latest_version: int | None = None
    """The latest version on arXiv, when arXiv has been asked."""
    withdrawn: bool = False
    """Whether arXiv's latest version withdraws the paper."""
    citations: int | None = None
    """Citation count from Semantic Scholar; None when unknown (never 0 for unknown)."""
    influential_citations: int | None = None
    """Influential citation count from Semantic Scholar; None when unknown."""
    s2_id: str | None = None
    """The Semantic Scholar paper id, once Semantic Scholar has been asked and knows the paper."""
    section: str | None = None
    tags: tuple[str, ...] = ()
    note: str | None = None
    added: dt.date | None = None
    sources: tuple[str, ...] = ()
    versions: tuple[int, ...] = ()
    status: Status = Status.RESOLVED

    @property
    def arxiv_id(self) -> str | None:
        """Return the canonical arXiv identifier, or None for a paper known only by its DOI."""
        return None if ":" in self.id else self.id

    @property
    def arxiv_doi(self) -> str | None:
        """Return the DOI arXiv registered for the preprint, for a paper on arXiv."""
        return None if self.arxiv_id is None else arxiv_doi(self.arxiv_id)

    @property
    def publisher_doi(self) -> str | None:
        """Return the DOI of the published version: Semantic Scholar's, else arXiv's DOI field."""
        return self.venue_doi or self.doi

    @property
    def url(self) -> str | None:
        """Return the page that shows the paper: on arXiv, else at its DOI, else on S2."""
        if self.arxiv_id is not None:
            return abs_url(self.arxiv_id)
        if self.publisher_doi is not None:
            return f"https://doi.org/{self.publisher_doi}"
        if self.s2_id is not None:
            return f"https://www.semanticscholar.org/paper/{self.s2_id}"
        return None

    @property
    def year(self) -> int | None:
        """Return the year of the first version, from its date or else from the identifier."""
        if self.published is not None:
            return self.published.year
        if self.arxiv_id is None:
            return self.venue_year
        return submission_year(self.arxiv_id)


@dataclass(frozen=True, slots=True)
class ReadingList:
    """A whole reading list as loaded from its TOML file."""

    name: str
    """The file's stem; names the README region of the list."""
    title: str | None = None
    description: str | None = None
    sections: tuple[str, ...] = ()
    entries: tuple[Entry, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class Mentions:
    """One distinct paper and every occurrence of it, in document order."""

    id: str
    """The canonical identifier."""
    occurrences: tuple[Occurrence, ...]

    @property
    def versions(self) -> tuple[int, ...]:
        """Return the distinct versions the occurrences named, in increasing order."""
        seen = {occurrence.version for occurrence in self.occurrences}
        return tuple(sorted(version for version in seen if version is not None))
