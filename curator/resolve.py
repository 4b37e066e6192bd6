"""Fill list entries with arXiv metadata, one polite batch at a time."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from curator.errors import SourceError
from curator.models import Status
from curator.sources import MetadataSource
from curator.store import ListEditor

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Resolution:
    """What one resolution pass achieved."""

    resolved: tuple[str, ...] = ()
    """Identifiers arXiv described."""
    unknown: tuple[str, ...] = ()
    """Identifiers arXiv answered for but does not know."""
    unchecked: tuple[str, ...] = ()
    """Identifiers not looked up because arXiv failed first; their entries are left as they were."""
    failure: SourceError | None = None
    """Why the pass stopped early, if it did."""


def resolve(
    editor: ListEditor,
    ids: Sequence[str],
    source: MetadataSource,
    *,
    on_progress: Callable[[int, int], None] | None = None,
) -> Resolution:
    """Look ``ids`` up in batches, update the list and save it after every batch.

    ``on_progress(done, total)`` is called after each batch.

    A failing batch stops the pass: its identifiers and every later one keep the
    status they had (new entries are pending, so the next ``curator refresh``
    finishes them), and everything completed is saved.
    """
    resolved: list[str] = []
    unknown: list[str] = []
    batches = [ids[i : i + source.max_batch] for i in range(0, len(ids), source.max_batch)]
    for number, batch in enumerate(batches):
        try:
            papers = source.lookup(batch)
        except SourceError as error:
            logger.info("stopping after %d of %d batches: %s", number, len(batches), error)
            unchecked = tuple(identifier for later in batches[number:] for identifier in later)
            return Resolution(tuple(resolved), tuple(unknown), unchecked, error)
        for identifier in batch:
            paper = papers.get(identifier)
            if paper is None:
                editor.set_status(identifier, Status.UNRESOLVED)
                unknown.append(identifier)
            else:
                editor.update(paper)
                resolved.append(identifier)
        editor.save()
        if on_progress is not None:
            on_progress(len(resolved) + len(unknown), len(ids))
    return Resolution(tuple(resolved), tuple(unknown))
