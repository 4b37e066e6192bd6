"""A reading list as CSL-JSON, the input of citation processors (citeproc-js, citeproc-py, pandoc).

A paper without a known venue is an ``article``, CSL's type for a preprint. A published
paper is a ``document``, CSL's generic type: as for BibTeX's ``@misc``, a venue's text does
not tell a journal from a proceedings. The item's ``id`` is the paper's BibTeX key, and it
has, when known: ``title``; ``author`` as ``{"family", "given"}``, or ``{"literal"}`` for
a name that cannot be split; ``issued``; ``container-title``, the venue; ``DOI``; and for
papers on arXiv ``URL`` (the abstract page), ``number`` (the arXiv identifier) and
``archive`` (``arXiv``). A withdrawn paper has a ``note``. Keys, dates and DOIs follow
:mod:`curator.export.citation`."""

from __future__ import annotations

import json

from curator.export.citation import Citation, citations, split_name
from curator.models import ReadingList


def csl_json(reading_list: ReadingList) -> str:
    """Return the papers of a reading list as a CSL-JSON array, in list order."""
    items = [_item(citation) for citation in citations(reading_list.entries)]
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


def _item(citation: Citation) -> dict[str, object]:
    entry = citation.entry
    arxiv_id = entry.arxiv_id
    item: dict[str, object | None] = {
        "id": citation.key,
        "type": "article" if citation.venue is None else "document",
        "title": entry.title,
        "author": [_name(name) for name in entry.authors] or None,
        "issued": {"date-parts": [list(citation.date_parts)]} if citation.date_parts else None,
        "container-title": citation.venue,
        "DOI": citation.doi,
        "URL": citation.url,
        "number": arxiv_id,
        "archive": None if arxiv_id is None else "arXiv",
        "note": citation.note,
    }
    return {key: value for key, value in item.items() if value is not None}


def _name(name: str) -> dict[str, str]:
    split = split_name(name)
    if split is None:
        return {"literal": name}
    given, family = split
    return {"family": family, "given": given}
