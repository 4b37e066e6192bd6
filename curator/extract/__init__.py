"""Find the arXiv papers that documents mention: files, directories, standard input, web pages.

Plain text and Markdown are streamed in blocks of whole lines, so memory does not depend on
their size; HTML, JSON and BibTeX are read whole. Every format finds identifiers with
:func:`curator.ids.find`, so the identifier rules are the same everywhere. What the formats
add is where each occurrence is and what it says:

* line and column are 1-based and count characters of the decoded document, lines ending at
  ``\n``; for JSON they are those of the mention inside its string in the file;
* the text is that of the link the mention belongs to, else the words around it;
* a link whose text names the same paper as its target is one occurrence, not two (the
  Markdown, HTML and Telegram readers merge them; :func:`curator.ids.find` reports both),
  and so is a BibTeX entry that names a paper in several fields.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence

from curator.errors import InputError
from curator.extract import bibtex, html, json, markdown, telegram, text
from curator.extract.decoding import HEAD_SIZE, decode, decode_stream, looks_binary
from curator.extract.documents import Document, Format, check, documents
from curator.models import Found, Mentions, Occurrence

__all__ = ["extract", "group", "papers"]

logger = logging.getLogger(__name__)


def extract(
    sources: Sequence[str],
    *,
    bare: bool = False,
    fetch: Callable[[str], bytes] | None = None,
    on_warning: Callable[[str], None] | None = None,
) -> Iterator[Found]:
    """Yield every arXiv identifier the sources mention, in document order.

    Raises :class:`curator.errors.InputError` before yielding anything when a source does not
    exist, or names a web page and no ``fetch`` is given. Binary files are skipped with a
    warning passed to ``on_warning`` (logged when it is None).
    """
    for source in sources:
        check(source, can_fetch=fetch is not None)
    warn = on_warning or _log_warning
    return (
        found
        for document, kind, pieces in _documents(sources, fetch=fetch, on_warning=warn)
        for found in _described(document, kind, pieces, bare=bare, on_warning=warn)
    )


def papers(
    sources: Sequence[str],
    *,
    bare: bool = False,
    fetch: Callable[[str], bytes] | None = None,
    on_warning: Callable[[str], None] | None = None,
) -> Iterator[str]:
    """Yield the canonical identifier of each paper the sources mention, once, in order.

    The same identifiers as the distinct ones of :func:`extract`, found about twice as fast:
    occurrences are not described. Memory grows only with the number of distinct papers.
    Raises and warns as :func:`extract` does.
    """
    for source in sources:
        check(source, can_fetch=fetch is not None)
    warn = on_warning or _log_warning
    return _first_appearances(
        paper
        for document, kind, pieces in _documents(sources, fetch=fetch, on_warning=warn)
        for paper in _identifiers(document, kind, pieces, bare=bare, on_warning=warn)
    )


def group(found: Iterable[Found]) -> list[Mentions]:
    """Return the distinct papers in ``found``, in order of first appearance."""
    occurrences: dict[str, list[Occurrence]] = {}
    for item in found:
        occurrences.setdefault(item.id, []).append(item.occurrence)
    return [Mentions(paper, tuple(seen)) for paper, seen in occurrences.items()]


def _log_warning(message: str) -> None:
    logger.warning("%s", message)


def _first_appearances(identifiers: Iterable[str]) -> Iterator[str]:
    seen: set[str] = set()
    for identifier in identifiers:
        if identifier not in seen:
            seen.add(identifier)
            yield identifier


def _documents(
    sources: Sequence[str],
    *,
    fetch: Callable[[str], bytes] | None,
    on_warning: Callable[[str], None],
) -> Iterator[tuple[Document, Format, Iterable[str]]]:
    """Yield each readable document with its format and its text: streamed, or whole."""
    for source in sources:
        for document in documents(source, fetch=fetch, on_warning=on_warning):
            head = document.stream.read(HEAD_SIZE)
            if not head and document.name == "-":
                # Most likely the command feeding the pipe failed: its papers are unknown, not none.
                raise InputError("-: standard input is empty; pipe a document in or name a file")
            if looks_binary(head):
                on_warning(f"{document.name}: skipped, looks like a binary file")
                continue
            kind = document.format(head)
            if kind in ("text", "markdown"):
                yield document, kind, decode_stream(head, document.stream)
            else:
                yield document, kind, [decode(head + document.stream.read())]


def _described(
    document: Document,
    kind: Format,
    pieces: Iterable[str],
    *,
    bare: bool,
    on_warning: Callable[[str], None],
) -> Iterator[Found]:
    """Yield the occurrences in one document, read as its format says."""
    name = document.name
    if kind == "text":
        yield from text.extract(pieces, source=name, bare=bare)
        return
    if kind == "markdown":
        yield from markdown.extract(pieces, source=name, bare=bare)
        return
    content = "".join(pieces)
    if kind == "html":
        yield from html.extract(content, source=name, bare=bare)
        return
    if kind == "bibtex":
        yield from bibtex.extract(content, source=name, bare=bare, on_warning=on_warning)
        return
    try:
        data = json.parse(content)
    except ValueError:
        if document.suffix == ".json":
            on_warning(f"{name}: not valid JSON, read as plain text")
        yield from text.extract([content], source=name, bare=bare)
        return
    if telegram.is_export(data):
        yield from telegram.extract(data, content, source=name, bare=bare)
    else:
        yield from json.extract(data, content, source=name, bare=bare)


def _identifiers(
    document: Document,
    kind: Format,
    pieces: Iterable[str],
    *,
    bare: bool,
    on_warning: Callable[[str], None],
) -> Iterator[str]:
    """Yield the identifier of every occurrence in one document, describing as little as can be."""
    if kind in ("text", "markdown"):
        # Link texts only change how occurrences are described, never which papers they name.
        return text.identifiers(pieces, bare=bare)
    found = _described(document, kind, pieces, bare=bare, on_warning=on_warning)
    return (item.id for item in found)
