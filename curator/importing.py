"""Read what ``curator import`` brings into a list: a BibTeX file or an awesome-list README.

BibTeX gives papers (arXiv eprints, arXiv DOIs and links in its entries) and
nothing more. An awesome list gives papers with a place: the heading above each
becomes its section, the words of its item its note, and the list's own title
the reading list's title when it has none.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from curator import awesome
from curator.errors import InputError
from curator.extract import extract, group
from curator.extract.decoding import HEAD_SIZE, decode
from curator.extract.documents import check, documents
from curator.harvest import Placement
from curator.models import Mentions, Occurrence


@dataclass(frozen=True, slots=True)
class Imported:
    """The papers a document brings, and where each goes."""

    mentions: list[Mentions]
    links: int
    placements: dict[str, Placement] = field(default_factory=dict)
    sections: tuple[str, ...] = ()
    """Sections the papers go to, in document order."""
    title: str | None = None


def read(
    source: str, *, fetch: Callable[[str], bytes] | None, on_warning: Callable[[str], None]
) -> Imported:
    """Read one file or URL: BibTeX by its name or content, anything else as Markdown."""
    check(source, can_fetch=fetch is not None)
    kinds_and_data: list[tuple[str, bytes]] = []
    for document in documents(source, fetch=fetch, on_warning=on_warning):
        if kinds_and_data:
            raise InputError(f"{source}: import reads one file; give a BibTeX or Markdown file")
        data = document.stream.read()  # each document can be read only while it is current
        kinds_and_data.append((document.format(data[:HEAD_SIZE]), data))
    if not kinds_and_data:
        raise InputError(f"{source}: no file to import")
    [(kind, data)] = kinds_and_data
    if kind == "bibtex":
        found = list(extract([source], fetch=lambda _: data, on_warning=on_warning))
        return Imported(group(found), len(found))
    if kind not in ("markdown", "text"):
        raise InputError(
            f"{source}: import reads BibTeX or Markdown, not {kind.upper()}; "
            "use 'curator harvest' to take the links of other documents"
        )
    outline = awesome.read(decode(data))
    mentions = [
        Mentions(
            paper.id,
            (Occurrence(source, paper.line, paper.column, paper.note or "", paper.version),),
        )
        for paper in outline.papers
    ]
    placements = {paper.id: Placement(paper.section, paper.note) for paper in outline.papers}
    return Imported(mentions, len(mentions), placements, outline.sections, outline.title)
