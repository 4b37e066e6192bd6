"""What an export says about each paper: its citation key, date, DOI, venue and URL.

One description shared by the BibTeX and CSL-JSON writers, so both cite a paper alike:

* the key is ``kirillov2023segment``: the first author's family name, the year of the first
  version and the first word of the title that is not a small word, folded to lower-case
  ASCII. Parts that are unknown are left out; a paper with neither authors nor title is keyed
  by its identifier. When a key is taken by a paper earlier in the list, the first free one
  of ``a``, ``b``, ... is added to it. A key thus depends only on the papers before it, and
  papers added at the end of the list (as ``harvest`` adds them) rename no other;
* the date is the year of the published version when known, else the date of the first
  arXiv version (or, failing that, the year its identifier gives);
* the DOI is the publisher's when known, else the one arXiv registered for the preprint;
* the venue is the published version's, else arXiv's journal reference;
* a withdrawn paper has a note saying so.
"""

from __future__ import annotations

import functools
import itertools
import re
import string
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from pylatexenc.latexencode import unicode_to_latex

from curator.ids import abs_url
from curator.models import Entry

WITHDRAWN_NOTE = "Withdrawn on arXiv"

_SMALL_WORDS = frozenset(
    ("a", "an", "and", "at", "by", "for", "from", "in", "of", "on", "the", "to", "with")
)
_ASCII_WORD = re.compile("[a-z0-9]+")
_LETTER_MACRO = re.compile(r"\{?\\([A-Za-z]{1,2})\}?")


@dataclass(frozen=True, slots=True)
class Citation:
    """One paper as exports cite it."""

    key: str
    """The citation key, unique in its export."""
    entry: Entry

    @property
    def date_parts(self) -> tuple[int, ...]:
        """Return the date to cite as (year,) or (year, month, day); empty when unknown."""
        if self.entry.venue_year is not None:
            return (self.entry.venue_year,)
        published = self.entry.published
        if published is not None:
            return (published.year, published.month, published.day)
        year = self.entry.year
        return () if year is None else (year,)

    @property
    def doi(self) -> str | None:
        """Return the publisher's DOI when known, else arXiv's DOI for the preprint."""
        return self.entry.publisher_doi or self.entry.arxiv_doi

    @property
    def venue(self) -> str | None:
        """Return where the paper was published: its venue, else arXiv's journal reference."""
        return self.entry.venue or self.entry.journal_ref

    @property
    def note(self) -> str | None:
        """Return what readers should know about the paper's state: that it was withdrawn."""
        return WITHDRAWN_NOTE if self.entry.withdrawn else None

    @property
    def url(self) -> str | None:
        """Return the arXiv abstract page, for a paper on arXiv."""
        arxiv_id = self.entry.arxiv_id
        return None if arxiv_id is None else abs_url(arxiv_id)


def citations(entries: Sequence[Entry]) -> list[Citation]:
    """Return the entries as citations with unique keys, in the same order."""
    taken: set[str] = set()
    # Per base key, the suffixed keys not tried yet: those tried are taken for good.
    untried: dict[str, Iterator[str]] = {}
    result = []
    for entry in entries:
        key = base = _base_key(entry)
        if key in taken:
            candidates = untried.setdefault(base, (base + suffix for suffix in _suffixes()))
            key = next(candidate for candidate in candidates if candidate not in taken)
        taken.add(key)
        result.append(Citation(key, entry))
    return result


def split_name(name: str) -> tuple[str, str] | None:
    """Split a name written given names first into (given, family), as BibTeX reads it.

    Lower-case words before the last one (``van``, ``de la``) belong to the family name.
    Return None for a name that is not one person's in that order: a single word, or a
    name with a comma or the word ``and``.
    """
    words = name.split()
    if len(words) < 2 or "," in name or any(word.lower() == "and" for word in words):
        return None
    particles = [index for index in range(1, len(words) - 1) if words[index][:1].islower()]
    start = particles[0] if particles else len(words) - 1
    return " ".join(words[:start]), " ".join(words[start:])


def _base_key(entry: Entry) -> str:
    name = "".join(_folded_words(_family_name(entry.authors[0]))) if entry.authors else ""
    words = _folded_words(entry.title or "")
    word = next((word for word in words if word not in _SMALL_WORDS), "")
    if not name and not word:
        return "".join(_folded_words(entry.id if entry.arxiv_id is None else f"arxiv{entry.id}"))
    year = entry.year
    return f"{name}{'' if year is None else year}{word}"


def _family_name(name: str) -> str:
    split = split_name(name)
    if split is not None:
        return split[1]
    # A name that cannot be split is most likely written family name first ("Doe, Jane").
    words = name.replace(",", " ").split()
    return words[0] if words else ""


def _folded_words(text: str) -> list[str]:
    """Return the words of ``text`` in lower-case ASCII: accents dropped, ``ł`` as ``l``."""
    letters = []
    for char in unicodedata.normalize("NFKD", text):
        if char.isascii():
            letters.append(char)
        elif not unicodedata.combining(char):
            letters.append(_ascii_letters(char))
    return _ASCII_WORD.findall("".join(letters).lower())


@functools.lru_cache(maxsize=256)
def _ascii_letters(char: str) -> str:
    """Return the letters LaTeX writes a letter without decomposition as (``ø`` is ``{\\o}``)."""
    macro = _LETTER_MACRO.fullmatch(unicode_to_latex(char, unknown_char_warning=False))
    return macro[1] if macro else " "


def _suffixes() -> Iterator[str]:
    """Yield ``a`` to ``z``, then ``aa``, ``ab``, ... without end."""
    for length in itertools.count(1):
        for letters in itertools.product(string.ascii_lowercase, repeat=length):
            yield "".join(letters)
