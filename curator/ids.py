"""Every rule about arXiv identifiers, and nothing else.

New-style identifiers are ``YYMM.NNNN`` (April 2007 to December 2014) and
``YYMM.NNNNN`` (from January 2015), optionally followed by ``vN``. Old-style
identifiers are ``archive/YYMMNNN`` or ``archive.SC/YYMMNNN`` for the archives
that existed before April 2007. The canonical form has no version, a
lower-cased archive and no subject class.
"""

from __future__ import annotations

import bisect
import functools
import operator
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

ARCHIVES = frozenset(
    (
        "acc-phys", "adap-org", "alg-geom", "ao-sci", "astro-ph", "atom-ph", "bayes-an",
        "chao-dyn", "chem-ph", "cmp-lg", "comp-gas", "cond-mat", "cs", "dg-ga", "funct-an",
        "gr-qc", "hep-ex", "hep-lat", "hep-ph", "hep-th", "math", "math-ph", "mtrl-th", "nlin",
        "nucl-ex", "nucl-th", "patt-sol", "physics", "plasm-ph", "q-alg", "q-bio", "quant-ph",
        "solv-int", "supr-con",
    )
)  # fmt: skip
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

    @property
    def year(self) -> int:
        """Return the year the paper was first submitted in, as the identifier says."""
        year = int(self.canonical.rpartition("/")[2][:2])
        if "/" in self.canonical and year >= 91:
            return 1900 + year
        return 2000 + year


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


@dataclass(frozen=True, slots=True)
class IdMatch:
    """One mention of an arXiv identifier: where it is in the caller's text and what it names."""

    start: int
    """Offset of the first character of the whole link or mention."""
    end: int
    """Offset just past its last character."""
    id: ArxivId


# Finding identifiers in running text.
#
# The pattern runs on a lower-cased copy of the normalised text, so case never matters and
# group values (archive names) come out canonical. Trying the pattern at every position is
# slow, so _linked_matches only tries it near triggers: every match with arXiv context
# contains a trigger (a word of its host, DOI or citation form, followed by what the form puts
# after it), and what comes before that trigger in the match is a scheme, host labels or a DOI
# prefix: at most _PREFIX_MAX characters of _PREFIX_CHARS, starting after ":" or "/" or where
# those characters start. The result is the same as scanning every position;
# tests/test_ids.py checks that with hypothesis.

_MAX_LABELS = 4
_LABEL = r"[a-z0-9-]{1,63}\."
_ID = (
    # Any archive-like word: _checked_identifier keeps the real archives (faster than listing them).
    r"(?P<id>\d{4}\.\d{4,5}|[a-z]+(?:-[a-z]+)?(?:\.[a-z]{2}(?:-[a-z]{2})?)?/\d{7})"
    r"(?:v(?P<v>[1-9]\d*))?"
    r"(?![a-z0-9_])(?!\.\d)"  # not glued to more characters, digits or ".digit"
)
_URL = (
    # Lazy: most hosts have no subdomain; either way only one label count can match.
    rf"(?:https?://)?(?:{_LABEL}){{0,{_MAX_LABELS}}}?"
    r"(?:arxiv\.org/(?:abs|pdf|html|format|src|ps)|ar5iv\.org/(?:abs|html)|alphaxiv\.org/abs"
    r"|huggingface\.co/papers|scirate\.com/arxiv)/"
)
_DOI = r"(?:(?:https?://)?(?:dx\.)?doi\.org/)?10\.48550/arxiv\."
_CITE = r"arxiv:\ ?|(?:corr|arxiv),?\ abs/"
_URL_TAIL = r"(?:\.pdf)?(?:[?#][-a-z0-9._~:/?#@!$&*+,;=%]*(?<![.,;:!?]))?"
_CITE_TAIL = r"(?:\ ?\[[a-z]+(?:[.-][a-z]+)*\])?"
_HOST_START = r"(?<![a-z0-9_.-])"  # not inside a longer host name or number
_WORD_START = r"(?<![a-z0-9_])"
_CONTEXT = rf"{_HOST_START}(?:(?P<url>{_URL})|(?P<doi>{_DOI}))|{_WORD_START}(?P<cite>{_CITE})"
_LINKED = re.compile(rf"(?:{_CONTEXT}){_ID}(?(cite){_CITE_TAIL}|{_URL_TAIL})", re.ASCII)
_ANY = re.compile(
    rf"(?:{_CONTEXT}|{_HOST_START}(?<!/)(?P<bare>)){_ID}"
    rf"(?(cite){_CITE_TAIL}|(?(bare)|{_URL_TAIL}))",
    re.ASCII,
)

# "arXiv" in a badge URL ("badge/arXiv-2304") or in prose is not a trigger, which saves a try.
_TRIGGERS = tuple(
    re.compile(trigger)
    for trigger in (
        r"arxiv(?=[.:/]|,?\ abs/)",
        r"ar5iv(?=\.)",
        r"alphaxiv(?=\.)",
        r"huggingface(?=\.)",
        r"corr(?=,?\ abs/)",
    )
)
_PREFIX_MAX = len("https://") + _MAX_LABELS * 64 + len("scirate.com/")
_PREFIX_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789.:/-"


def find(text: str, *, bare: bool = False) -> Iterator[IdMatch]:
    """Yield every arXiv identifier mentioned in ``text``, in order.

    Only identifiers with arXiv context count (a URL, a DOI, ``arXiv:``, ``CoRR abs/``);
    ``bare=True`` also takes identifiers standing alone. The text is normalised like
    :func:`normalize_text`, but one character at a time, so that spans can be mapped back:
    ``text[match.start:match.end]`` is always the mention as the caller wrote it. Each
    mention is reported, so ``[arXiv:X](https://arxiv.org/abs/X)`` gives two matches; telling
    that a link's text repeats its target is the business of the format readers in
    :mod:`curator.extract`.
    """
    normal, expansions = _normalize_keeping_offsets(text)
    lowered = normal.lower() if "\u0130" not in normal else normal.replace("\u0130", "i").lower()
    matches = _ANY.finditer(lowered) if bare else _linked_matches(lowered)
    for match in matches:
        arxiv_id = _checked_identifier(*match.group("id", "v"))
        if arxiv_id is None:
            continue
        start, end = match.span()
        if expansions:
            start, end = (
                _original_offset(expansions, start),
                _original_offset(expansions, end - 1) + 1,
            )
        yield IdMatch(start, end, arxiv_id)


def _linked_matches(lowered: str) -> Iterator[re.Match[str]]:
    """Yield what ``_LINKED.finditer(lowered)`` yields, trying the pattern only near triggers.

    Where the pattern can start does not depend on the trigger being looked at, so a start
    tried for one trigger and refused is refused for the next as well: each trigger's search
    begins after the last one's (``tried``), which tries every start at most once and keeps
    text made only of trigger prefixes (``arxiv.org/abs/`` repeated) linear.
    """
    position = tried = 0
    for trigger_at in _trigger_offsets(lowered):
        if trigger_at < position:
            continue
        before = lowered[max(position, tried, trigger_at - _PREFIX_MAX) : trigger_at]
        start = trigger_at - len(before) + len(before.rstrip(_PREFIX_CHARS))
        match = _LINKED.match(lowered, start)
        if match is None:
            for later in _later_starts(lowered, start, trigger_at):
                match = _LINKED.match(lowered, later)
                if match is not None:
                    break
            else:
                tried = trigger_at + 1
                continue
        yield match
        position = match.end()


def _later_starts(lowered: str, start: int, trigger_at: int) -> list[int]:
    """List where else than ``start`` a match holding the trigger at ``trigger_at`` can start.

    Inside the prefix, a URL or DOI can only start after ``:`` or ``/`` (its look-behind
    refuses the other prefix characters); ``arXiv:`` and ``CoRR`` forms start at the trigger.
    """
    starts = [offset + 1 for offset in range(start, trigger_at) if lowered[offset] in ":/"]
    if start < trigger_at and (not starts or starts[-1] != trigger_at):
        starts.append(trigger_at)
    return starts


def _trigger_offsets(lowered: str) -> list[int]:
    """Return where the trigger words start in ``lowered``, in order."""
    offsets = [found.start() for trigger in _TRIGGERS for found in trigger.finditer(lowered)]
    offsets.sort()
    return offsets


@functools.lru_cache(maxsize=4096)
def _checked_identifier(written: str, version: str | None) -> ArxivId | None:
    """Return the identifier ``written`` (lower-case, no version) names, if it is a valid one."""
    if "/" in written:
        archive_and_class, _, digits = written.partition("/")
        archive = archive_and_class.partition(".")[0]
        if not old_style_is_valid(archive, digits[:2], digits[2:4], digits[4:]):
            return None
        canonical = f"{archive}/{digits}"
    else:
        yymm, _, number = written.partition(".")
        if not new_style_is_valid(yymm[:2], yymm[2:], number):
            return None
        canonical = written
    return ArxivId(canonical, int(version) if version else None)


_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_DASH = re.compile("[\u2010-\u2015\u2212]")


def _normalize_keeping_offsets(text: str) -> tuple[str, list[tuple[int, int, int]]]:
    """Normalise ``text`` one character at a time; list the characters that changed length.

    Each listed change is (offset in the result, offset in ``text``, length in the result).
    Characters are normalised on their own, so a base letter and a combining mark are not
    composed; identifiers are ASCII once normalised, so that changes nothing they contain.
    """
    if text.isascii():
        return text, []
    if unicodedata.is_normalized("NFKC", text):
        return (text.translate(_DASHES) if _DASH.search(text) else text), []
    pieces: list[str] = []
    changes: list[tuple[int, int, int]] = []
    copied = shift = 0
    for run in _NON_ASCII.finditer(text):
        if unicodedata.is_normalized("NFKC", run[0]) and not _DASH.search(run[0]):
            continue
        for index in range(run.start(), run.end()):
            replacement = _normal_char(text[index])
            if replacement == text[index]:
                continue
            pieces += (text[copied:index], replacement)
            copied = index + 1
            if len(replacement) != 1:
                changes.append((index + shift, index, len(replacement)))
                shift += len(replacement) - 1
    pieces.append(text[copied:])
    return "".join(pieces), changes


@functools.lru_cache(maxsize=4096)
def _normal_char(char: str) -> str:
    return unicodedata.normalize("NFKC", char).translate(_DASHES)


def _original_offset(changes: list[tuple[int, int, int]], offset: int) -> int:
    """Map an offset in normalised text back to the text it was normalised from."""
    index = bisect.bisect_right(changes, offset, key=operator.itemgetter(0)) - 1
    if index < 0:
        return offset
    at, original, length = changes[index]
    if offset < at + length:
        return original
    return original + 1 + offset - at - length


def canonical(text: str) -> str | None:
    """Return the canonical form of an identifier, or None if ``text`` is not one."""
    parsed = parse(text)
    return None if parsed is None else parsed.canonical


def is_canonical(text: str) -> bool:
    """Tell whether ``text`` is already a canonical identifier."""
    return canonical(text) == text


def submission_year(identifier: str) -> int | None:
    """Return the year a canonical identifier was first submitted in, as the identifier says."""
    parsed = parse(identifier)
    return None if parsed is None else parsed.year


def arxiv_doi(identifier: str) -> str:
    """Return the DOI arXiv registered for a canonical identifier (``10.48550/arXiv.ID``)."""
    return f"10.48550/arXiv.{identifier}"


def from_doi(doi: str) -> str | None:
    """Return the canonical identifier whose arXiv DOI ``doi`` is, or None for any other DOI."""
    if not doi.lower().startswith("10.48550/arxiv."):
        return None
    match = next(find(doi), None)
    if match is None or (match.start, match.end) != (0, len(doi)):
        return None
    return match.id.canonical


def abs_url(identifier: str) -> str:
    """Return the arXiv abstract page URL of a canonical identifier."""
    return f"https://arxiv.org/abs/{identifier}"
