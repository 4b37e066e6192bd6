"""A reading list as BibTeX, written with bibtexparser.

Every paper is a ``@misc`` entry. A venue is free text ("ICCV 2023 ...", "Medical Image
Analysis, vol. 89, ..."), from which a journal cannot be told reliably from a proceedings,
so ``@article`` and ``@inproceedings`` would often be wrong; ``@misc`` is right for both,
and every style prints its ``howpublished``. An entry has, when known:

* ``title``, ``author`` (names as written, joined with ``and``), ``year``;
* ``howpublished``: the venue of the published version, or arXiv's journal reference;
* ``doi``: the publisher's DOI, else the arXiv DOI ``10.48550/arXiv.ID``;
* ``eprint``, ``archivePrefix = {arXiv}``, ``primaryClass`` and ``url`` (the abstract
  page), as arXiv's own BibTeX has them, for papers on arXiv; none of them for a paper known
  only by its DOI;
* ``note = {Withdrawn on arXiv}`` for a withdrawn paper.

Unknown fields are left out. Keys, dates and DOIs follow :mod:`curator.export.citation`.

Values are LaTeX that prints the list's text: diacritics become accent commands
(``Doll{\\'a}r``), the characters LaTeX or BibTeX treat specially (``% & $ # _ { } \\ ~ ^``)
are escaped (a ``$`` in a title is a dollar sign, not math), ``--`` and doubled quote marks
stay two characters instead of becoming a dash or a curly quote (a lone ``"`` prints as a
closing double quote), and in titles each word with a capital after its first letter is
braced (``{SAM}``) so that styles which lower-case titles keep it. A name BibTeX would
misread (one with a comma or ``and``, or a single word) is braced whole, so it is printed as
written. DOIs, identifiers and URLs are written as they are: biblatex reads them verbatim.
"""

from __future__ import annotations

import re

from bibtexparser.entrypoint import write_string
from bibtexparser.library import Library
from bibtexparser.middlewares.parsestack import default_unparse_stack
from bibtexparser.model import Entry as BibEntry
from bibtexparser.model import Field
from bibtexparser.writer import BibtexFormat
from pylatexenc.latexencode import (
    RULE_REGEX,
    UnicodeToLatexConversionRule,
    UnicodeToLatexEncoder,
)

from curator.export.citation import Citation, citations, split_name
from curator.models import ReadingList

_ENCODER = UnicodeToLatexEncoder(
    conversion_rules=[
        UnicodeToLatexConversionRule(
            RULE_REGEX,
            # TeX ligatures: "--" is a dash, "``" a quote, "?`" an inverted question mark,
            # unless something stands between the two characters.
            [(re.compile(r"(?P<c>[-`',])(?=(?P=c))|[?!](?=`)"), r"\g<0>{}")],
        ),
        "defaults",
    ],
    # {\'a}, not \'a: BibTeX treats a braced accent as one letter when it abbreviates names.
    replacement_latex_protection="braces-almost-all",
    unknown_char_policy="keep",  # UTF-8 text (CJK names) that LaTeX engines read as is
    unknown_char_warning=False,
)
_WORD = re.compile(r"(\S+)")


def bibtex(reading_list: ReadingList) -> str:
    """Return the papers of a reading list as BibTeX entries, in list order."""
    library = Library()
    library.add([_entry(citation) for citation in citations(reading_list.entries)])
    layout = BibtexFormat()  # type: ignore[no-untyped-call]  # its __init__ lacks "-> None"
    layout.indent = "  "
    layout.value_column = "auto"
    layout.block_separator = "\n"
    # The library is made for this write only, so braces are added in place, not on copies.
    enclosing = default_unparse_stack(allow_inplace_modification=True)
    return write_string(library, unparse_stack=enclosing, bibtex_format=layout)


def _entry(citation: Citation) -> BibEntry:
    entry = citation.entry
    fields: dict[str, str | None] = {
        "title": None if entry.title is None else _title(entry.title),
        "author": " and ".join(_name(name) for name in entry.authors) or None,
        "year": str(citation.date_parts[0]) if citation.date_parts else None,
        "howpublished": _optional(citation.venue),
        "doi": citation.doi,
        "eprint": entry.arxiv_id,
        "archivePrefix": None if entry.arxiv_id is None else "arXiv",
        "primaryClass": None if entry.arxiv_id is None else entry.primary_category,
        "url": citation.url,
        "note": _optional(citation.note),
    }
    return BibEntry(
        "misc",
        citation.key,
        [Field(key, value) for key, value in fields.items() if value is not None],
    )


def _title(title: str) -> str:
    """Return a title as LaTeX, bracing the words with inner capitals against lower-casing."""
    return "".join(
        f"{{{_latex(piece)}}}" if any(char.isupper() for char in piece[1:]) else _latex(piece)
        for piece in _WORD.split(title)
    )


def _name(name: str) -> str:
    latex = _latex(name)
    return latex if split_name(name) else f"{{{latex}}}"


def _optional(text: str | None) -> str | None:
    return None if text is None else _latex(text)


def _latex(text: str) -> str:
    return str(_ENCODER.unicode_to_latex(text))
