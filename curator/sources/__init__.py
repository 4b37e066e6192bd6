"""Adapters for remote services: the only modules that talk HTTP.

Importing this package imports no HTTP library; the use cases depend on the
:class:`MetadataSource` protocol and receive a concrete adapter from the CLI.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

from curator.models import Citations, Paper


class MetadataSource(Protocol):
    """Something that describes arXiv papers by canonical identifier."""

    max_batch: int
    """The largest number of identifiers one :meth:`lookup` call accepts."""

    def lookup(self, ids: Sequence[str]) -> Mapping[str, Paper]:
        """Describe the given canonical identifiers; unknown identifiers are absent.

        Raises :class:`curator.errors.SourceError` when the service cannot be reached or
        answers with something unusable, so that no identifier is wrongly reported unknown.
        """
        ...


class CitationSource(Protocol):
    """Something that tells citation counts of papers by entry key.

    A key is a canonical arXiv identifier, or ``doi:``/``title:`` and the paper's DOI or
    folded title for a paper not on arXiv (see :class:`curator.models.Entry`).
    """

    max_batch: int
    """The largest number of keys one :meth:`lookup` call accepts."""

    def lookup(self, ids: Sequence[str]) -> Mapping[str, Citations]:
        """Describe the papers of the given keys; papers the service does not know are absent.

        Raises :class:`curator.errors.SourceError` when the service cannot be reached or
        answers with something unusable, so that no paper is wrongly reported unknown.
        """
        ...
