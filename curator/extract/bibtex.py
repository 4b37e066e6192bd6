"""BibTeX files: the arXiv papers each entry names, once per entry, parsed with bibtexparser.

An entry names a paper by its ``eprint`` when its ``archivePrefix`` (BibTeX) or
``eprinttype`` (biblatex) is arXiv, or by ``arxivid`` (as Mendeley writes it): these hold
bare identifiers such as ``2304.02643`` or ``hep-th/9901001``. Any field also names the
papers it mentions in the forms :func:`curator.ids.find` knows, with arXiv context as in
any document (or without, when ``bare`` is asked for): an arXiv DOI in ``doi``, a link in
``url`` or ``howpublished``, ``arXiv:…`` in ``journal`` ("arXiv preprint arXiv:2304.02643")
or ``note``.

The fields of one entry describe one reference, so each paper it names is one occurrence,
at the line and column of the first mention, with the version any mention gives and the
entry's title (LaTeX markup removed) as text. Comments, ``@string`` and ``@preamble``
blocks are not read. An entry that repeats a key or a field name is read like any other;
blocks bibtexparser cannot parse are skipped, with one warning naming the line of the first.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from curator import ids
from curator.extract.context import LineIndex, found, normalize_space, words_around
from curator.models import Found

if TYPE_CHECKING:
    from bibtexparser.model import Entry, Field
    from pylatexenc.latex2text import LatexNodes2Text

_EPRINT_TYPE_FIELDS = ("archiveprefix", "eprinttype")


@dataclass(frozen=True, slots=True)
class _Mention:
    match: ids.IdMatch
    """The mention, with offsets in ``text``."""
    text: str
    """The value of the field, without the braces or quotes around it."""
    offset: int
    """Where ``text`` starts in the document (where its field's line starts, if not found)."""


def extract(
    document: str,
    *,
    source: str,
    bare: bool = False,
    on_warning: Callable[[str], None],
) -> Iterator[Found]:
    """Yield each paper the entries of a BibTeX document name, entry by entry."""
    # Imported here: bibtexparser takes a while to import, and only BibTeX needs it.
    from bibtexparser.entrypoint import parse_string  # noqa: PLC0415
    from bibtexparser.model import Entry as BibEntry  # noqa: PLC0415
    from bibtexparser.model import ParsingFailedBlock  # noqa: PLC0415
    from pylatexenc.latex2text import LatexNodes2Text  # noqa: PLC0415

    with _silenced(logging.getLogger("bibtexparser")):
        # No middleware: field values stay as written, so mentions can be found in the document.
        library = parse_string(document, parse_stack=[])
    entries: list[Entry] = []
    failed: list[int] = []
    for block in library.blocks:
        # A repeated key or field fails the block, which still holds the entry: read it.
        entry = block.ignore_error_block if isinstance(block, ParsingFailedBlock) else block
        if isinstance(entry, BibEntry):
            entries.append(entry)
        elif isinstance(block, ParsingFailedBlock):
            failed.append(1 + (block.start_line or 0))
    if failed:
        more = f" ({len(failed)} places in all)" if len(failed) > 1 else ""
        on_warning(f"{source}:{failed[0]}: not valid BibTeX, skipped to the next entry{more}")
    lines = LineIndex(document)
    decoder = LatexNodes2Text()
    for entry in entries:
        title = _title(entry, decoder)
        yield from _in_entry(entry, document, lines, title=title, source=source, bare=bare)


@contextmanager
def _silenced(logger: logging.Logger) -> Iterator[None]:
    """Keep a library's loggers quiet: their messages about failed blocks repeat the warning."""
    level = logger.level
    logger.setLevel(logging.CRITICAL + 1)  # its modules' loggers inherit the level
    try:
        yield
    finally:
        logger.setLevel(level)


def _in_entry(
    entry: Entry, document: str, lines: LineIndex, *, title: str, source: str, bare: bool
) -> Iterator[Found]:
    """Yield each paper one entry names, at its first mention."""
    first: dict[str, _Mention] = {}
    versions: dict[str, int] = {}
    for field in entry.fields:
        for mention in _mentions(field, document, lines, bare=bare or _holds_id(entry, field)):
            canonical = mention.match.id.canonical
            first.setdefault(canonical, mention)
            if mention.match.id.version is not None:
                versions.setdefault(canonical, mention.match.id.version)
    for canonical, mention in first.items():
        match = mention.match
        yield found(
            match,
            source=source,
            position=lines.position(mention.offset + match.start),
            text=title or words_around(mention.text, match.start, match.end),
            version=versions.get(canonical),
        )


def _mentions(field: Field, document: str, lines: LineIndex, *, bare: bool) -> Iterator[_Mention]:
    value = field.value if isinstance(field.value, str) else ""
    start, end = _inside(value)
    line_start = lines.offset(field.start_line + 1, 0)
    at = document.find(value, line_start)
    offset = line_start if at < 0 else at + start
    for match in ids.find(value[start:end], bare=bare):
        yield _Mention(match, value[start:end], offset)


def _holds_id(entry: Entry, field: Field) -> bool:
    """Tell whether a field's value is an arXiv identifier, without any context around it."""
    name = field.key.lower()
    if name == "arxivid":
        return True
    return name == "eprint" and any(
        _unenclosed(other.value).lower() == "arxiv"
        for other in entry.fields
        if other.key.lower() in _EPRINT_TYPE_FIELDS
    )


def _title(entry: Entry, decoder: LatexNodes2Text) -> str:
    """Return the entry's title as plain text, or "" when it has none."""
    for field in entry.fields:
        if field.key.lower() == "title":
            return normalize_space(decoder.latex_to_text(_unenclosed(field.value)))
    return ""


def _unenclosed(value: object) -> str:
    """Return a field's value without the braces or quotes that enclose it."""
    text = value if isinstance(value, str) else ""
    start, end = _inside(text)
    return text[start:end]


def _inside(value: str) -> tuple[int, int]:
    """Return where a field's value is, inside the braces or quotes that enclose it."""
    start, end = len(value) - len(value.lstrip()), len(value.rstrip())
    if end - start >= 2 and (value[start], value[end - 1]) in (("{", "}"), ('"', '"')):
        return start + 1, end - 1
    return start, end
