"""Every rule about arXiv identifiers, and nothing else.

New-style identifiers are ``YYMM.NNNN`` (April 2007 to December 2014) and
``YYMM.NNNNN`` (from January 2015), optionally followed by ``vN``. Old-style
identifiers are ``archive/YYMMNNN`` or ``archive.SC/YYMMNNN`` for the archives
that existed before April 2007. The canonical form has no version, a
lower-cased archive and no subject class.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

ARCHIVES = frozenset(
    """
    acc-phys adap-org alg-geom ao-sci astro-ph atom-ph bayes-an chao-dyn chem-ph cmp-lg comp-gas
    cond-mat cs dg-ga funct-an gr-qc hep-ex hep-lat hep-ph hep-th math math-ph mtrl-th nlin nucl-ex
    nucl-th patt-sol physics plasm-ph q-alg q-bio quant-ph solv-int supr-con
    """.split()
)
"""The archives of old-style (pre-April-2007) identifiers."""

NEW_STYLE_FIRST = (2007, 4)
FIVE_DIGITS_FROM = (2015, 1)
OLD_STYLE_FIRST = (1991, 7)
OLD_STYLE_LAST = (2007, 3)

_DASHES = dict.fromkeys([*range(0x2010, 0x2016), 0x2212], "-")

_NEW = re.compile(r"(?P<yy>\d\d)(?P<mm>\d\d)\.(?P<num>\d{4,5})(?:v(?P<v>[1-9]\d*))?")
_OLD = re.compile(
    r"(?P<archive>[a-z]+(?:-[a-z]+)?)(?:\.[a-z]{2}(?:-[a-z]{2})?)?/"
    r"(?P<yy>\d\d)(?P<mm>\d\d)(?P<num>\d{3})(?:v(?P<v>[1-9]\d*))?",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class ArxivId:
    """A valid arXiv identifier split into its canonical form and the version it named."""

    canonical: str
    version: int | None = None

    def __str__(self) -> str:
        return self.canonical if self.version is None else f"{self.canonical}v{self.version}"


def normalize_text(text: str) -> str:
    """Return ``text`` in NFKC form with Unicode hyphens and minus signs mapped to ``-``."""
    if text.isascii():
        return text
    return unicodedata.normalize("NFKC", text).translate(_DASHES)


def new_style_is_valid(yy: str, mm: str, number: str) -> bool:
    """Tell whether the parts of a ``YYMM.NNNN(N)`` identifier form a real identifier."""
    month = int(mm)
    if not 1 <= month <= 12 or int(number) == 0:
        return False
    year_month = (2000 + int(yy), month)
    if year_month < NEW_STYLE_FIRST:
        return False
    return len(number) == (5 if year_month >= FIVE_DIGITS_FROM else 4)


def old_style_is_valid(archive: str, yy: str, mm: str, number: str) -> bool:
    """Tell whether the parts of an ``archive/YYMMNNN`` identifier form a real identifier."""
    month = int(mm)
    if archive.lower() not in ARCHIVES or not 1 <= month <= 12 or int(number) == 0:
        return False
    year = int(yy) + (1900 if int(yy) >= 91 else 2000)
    return OLD_STYLE_FIRST <= (year, month) <= OLD_STYLE_LAST


def parse(text: str) -> ArxivId | None:
    """Parse one identifier (optionally prefixed by ``arXiv:``), or return None if it is not one."""
    candidate = normalize_text(text).strip()
    if candidate[:6].lower() == "arxiv:":
        candidate = candidate[6:].lstrip()
    match = _NEW.fullmatch(candidate)
    if match is not None:
        if not new_style_is_valid(match["yy"], match["mm"], match["num"]):
            return None
        canonical = f"{match['yy']}{match['mm']}.{match['num']}"
    else:
        match = _OLD.fullmatch(candidate)
        if match is None or not old_style_is_valid(
            match["archive"], match["yy"], match["mm"], match["num"]
        ):
            return None
        canonical = f"{match['archive'].lower()}/{match['yy']}{match['mm']}{match['num']}"
    version = int(match["v"]) if match["v"] else None
    return ArxivId(canonical, version)


def canonical(text: str) -> str | None:
    """Return the canonical form of an identifier, or None if ``text`` is not one."""
    parsed = parse(text)
    return None if parsed is None else parsed.canonical


def is_canonical(text: str) -> bool:
    """Tell whether ``text`` is already a canonical identifier."""
    return canonical(text) == text


def submission_year(identifier: str) -> int | None:
    """Return the year a canonical identifier was first submitted in, as the identifier encodes it."""
    parsed = parse(identifier)
    if parsed is None:
        return None
    yymm = parsed.canonical.rpartition("/")[2][:2]
    year = int(yymm)
    if "/" in parsed.canonical and year >= 91:
        return 1900 + year
    return 2000 + year


def abs_url(identifier: str) -> str:
    """Return the arXiv abstract page URL of a canonical identifier."""
    return f"https://arxiv.org/abs/{identifier}"
