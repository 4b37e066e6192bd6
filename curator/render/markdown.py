"""Render a reading list as awesome-list Markdown.

The output is a pure function of the list: no timestamps, a total sort order,
and one escaping function for every value that came from an API or a person, so
that no title, name, venue or note can break the Markdown, inject HTML, or end
a README region early. List titles and descriptions are plain text too.

An item reads::

    - [Title](https://arxiv.org/abs/ID) - A. Author, B. Author, C. Author et al., 2023. cs.CV.
      Published in VENUE. 1,234 citations. NOTE. *(metadata pending)*

(on one line), leaving out every part that is unknown: an unknown citation count
shows nothing, never 0. When the year of the published version is known, the
venue reads "arXiv 2023 \u2192 VENUE 2024." instead.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Sequence
from itertools import islice
from urllib.parse import quote

from curator.models import Entry, ReadingList, Status
from curator.render import CountStyle
from curator.sorting import GroupKey, SortKey, group_entries, sort_entries

MAX_AUTHORS = 3
"""Authors named before "et al."."""

CONTENTS = "Contents"

TRENDING = "Trending"
"""Heading of the section of papers gaining the most citations."""

PAPERS = "Papers"
"""Heading of the papers when a Trending section precedes them and they have no other heading."""

SOURCE_NOTE = "Citation counts from Semantic Scholar"
"""Opens the header line that says where citation counts come from."""

BADGE_COLOR = "informational"

SHIELDS_BADGE = "https://img.shields.io/badge/"

SEMANTIC_SCHOLAR_PAPER = "https://www.semanticscholar.org/paper/"

STATUS_MARKS = {
    Status.PENDING: "*(metadata pending)*",
    Status.UNRESOLVED: "*(not found on arXiv)*",
}
"""Shown after the description of entries whose metadata arXiv has not given."""
WITHDRAWN_MARK = "*(withdrawn on arXiv)*"

# ASCII punctuation that can start Markdown syntax inline (code, emphasis, links,
# HTML and autolinks, table cells, GitHub math, strikethrough, heading closers),
# and an "&" that would start an entity such as "&lt;".
_SPECIAL = re.compile(r"[\\`*_\[\]<>|$~#]|&(?=#?[0-9A-Za-z]+;)")
# The control characters (Unicode category Cc) that are not whitespace.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")
# Where a backslash must go to stop a paragraph reading as a list item or a setext underline.
_BLOCK_START = re.compile(r"(?=[-+=])|\d+(?=[.)])")
_SENTENCE_END = re.compile("[.!?\u2026][\"'\u201d\u2019)]*\\Z")
_NAME_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})
_GROUP_WORDS = frozenset({"collaboration", "consortium", "team"})
_UNITS = ((1_000_000, "M"), (1_000, "k"))


def clean(text: str) -> str:
    """Collapse whitespace runs (line breaks too) to one space and drop control characters."""
    if text.isprintable() and "  " not in text:
        # No control character, and no whitespace but single spaces: the common case.
        return text.strip(" ")
    return " ".join(_CONTROL.sub("", text).split())


def escape(text: str) -> str:
    """Return ``text`` as inline Markdown that renders as exactly that text, on one line."""
    return _SPECIAL.sub(lambda match: "\\" + match.group(), clean(text))


def escape_paragraph(text: str) -> str:
    """Return ``text`` escaped to stand alone as a paragraph, never a list, heading or rule."""
    escaped = escape(text)
    match = _BLOCK_START.match(escaped)
    if match is None:
        return escaped
    return f"{escaped[: match.end()]}\\{escaped[match.end() :]}"


def abbreviate_author(name: str) -> str:
    """Shorten given names to initials: "Alexander C. Berg" -> "A. C. Berg", "Wan-Yen" -> "W.-Y.".

    Single words and group names ("ATLAS Collaboration") are kept whole;
    lower-case particles stay with the family name ("L. V. de Moura"); a
    "Family, Given" name is read in that order.
    """
    name = clean(name)
    head, comma, tail = name.partition(", ")
    if comma and "," not in tail and tail.casefold() not in _NAME_SUFFIXES:
        name = f"{tail} {head}"
    words = [word.rstrip(",") for word in name.split(" ")] if "," in name else name.split(" ")
    folded = name.casefold()
    if len(words) < 2 or (
        # Most names contain no group word at all: one look at the whole name tells.
        any(group in folded for group in _GROUP_WORDS)
        and any(word.casefold() in _GROUP_WORDS for word in words)
    ):
        return name
    suffix = [words.pop()] if len(words) > 2 and words[-1].casefold() in _NAME_SUFFIXES else []
    start = len(words) - 1
    while start > 1 and words[start - 1][:1].islower():
        start -= 1
    initials = [initial for word in words[:start] if (initial := _initials(word))]
    return " ".join([*initials, *words[start:], *suffix])


def format_authors(authors: Sequence[str]) -> str | None:
    """Return up to ``MAX_AUTHORS`` abbreviated, escaped names, then "et al." if there are more."""
    # One name past the shown ones tells whether "et al." is due.
    named = islice((cleaned for name in authors if (cleaned := clean(name))), MAX_AUTHORS + 1)
    names = [escape(abbreviate_author(name)) for name in named]
    if not names:
        return None
    shown = ", ".join(names[:MAX_AUTHORS])
    return f"{shown} et al." if len(names) > MAX_AUTHORS else shown


def format_count(count: int, *, rounded: bool = False) -> str:
    """Return a count for people: "1,234", or when ``rounded`` "1.2k", "15k" or "1.2M".

    Rounding cuts off (1,999 is "1.9k") so that a shown count never exceeds the
    real one; counts under 1,000 are always exact.
    """
    if not rounded or count < 1_000:
        return f"{count:,}"
    size, unit = next((size, unit) for size, unit in _UNITS if count >= size)
    tenths = count * 10 // size
    whole, tenth = divmod(tenths, 10)
    return f"{whole}.{tenth}{unit}" if tenth and whole < 10 else f"{whole}{unit}"


def citations_text(count: int, *, rounded: bool = False) -> str:
    """Return "1 citation", "0 citations" or "1.2k citations" for a known count."""
    return f"{format_count(count, rounded=rounded)} {'citation' if count == 1 else 'citations'}"


def shields_badge_url(label: str, message: str, color: str = BADGE_COLOR) -> str:
    """Return the URL of a shields.io static badge showing ``label`` and ``message``.

    In the badge path "-" separates the parts and "_" stands for a space, so a
    dash in the text is written "--", an underscore "__" and a space "_"; any
    other character outside letters, digits and "-_.~" is percent-encoded.
    """
    return SHIELDS_BADGE + "-".join(_shields_part(part) for part in (label, message, color))


def render_item(
    entry: Entry, *, counts: CountStyle = CountStyle.PLAIN, round_counts: bool = False
) -> str:
    """Return the Markdown list item of one entry; an unknown title shows the identifier."""
    title = clean(entry.title or "") or entry.id
    link = escape(title) if entry.url is None else f"[{escape(title)}]({entry.url})"
    description = " ".join(_description(entry, counts=counts, round_counts=round_counts))
    return f"- {link} - {description}" if description else f"- {link}"


def render_list(
    reading_list: ReadingList,
    *,
    sort: SortKey = SortKey.DATE,
    group: GroupKey = GroupKey.SECTION,
    heading_level: int = 1,
    preceding_headings: Sequence[str] = (),
    counts: CountStyle = CountStyle.PLAIN,
    round_counts: bool = False,
    as_of: dt.date | None = None,
    source_note: bool = True,
    trending: Sequence[tuple[Entry, int]] = (),
    trending_window: str = "30 days",
) -> str:
    """Return the whole list as awesome-list Markdown, its title at ``heading_level``.

    Only a top-level list (``heading_level`` 1) has a Contents list: inside a
    larger README, awesome-lint takes anchor links outside the page's own
    Contents for broken items. ``preceding_headings`` are the texts of headings
    above the list on the same page (see ``readme.headings``), because GitHub
    numbers repeated anchors across the whole page.

    ``counts`` and ``round_counts`` say how citation counts show. ``as_of`` is
    the date the counts were observed: the header names it (when
    ``source_note`` is set and some count is shown) and sorting by velocity
    needs it. ``trending`` pairs entries with the citations they gained over
    ``trending_window`` (such as "30 days"); those that gained any are listed,
    in the order given, in a Trending section before the others.
    """
    if not 1 <= heading_level <= 5:
        raise ValueError(f"heading_level must be between 1 and 5, not {heading_level}")
    top, sub = "#" * heading_level, "#" * (heading_level + 1)
    title = clean(reading_list.title or "") or reading_list.name
    ordered = sort_entries(reading_list.entries, sort, as_of=as_of)
    groups = group_entries(reading_list, ordered, group)
    gainers = [(entry, gained) for entry, gained in trending if gained > 0]
    if gainers and groups and groups[0][0] is None:
        groups = [(PAPERS, groups[0][1])]
    headings = [label for label, _ in groups if label is not None]
    if gainers:
        headings.insert(0, TRENDING)

    blocks = [f"{top} {escape(title)}"]
    description = clean(reading_list.description or "")
    if description:
        blocks.append(escape_paragraph(description))
    shows_counts = counts is not CountStyle.NONE and any(
        entry.citations is not None for entry in reading_list.entries
    )
    if source_note and shows_counts:
        dated = "" if as_of is None else f", as of {as_of.isoformat()}"
        blocks.append(f"{SOURCE_NOTE}{dated}.")
    if headings and heading_level == 1:
        # Every heading above the groups takes its anchor first, as on the rendered page.
        above = [*preceding_headings, title, CONTENTS]
        anchors = unique_slugs([*above, *headings])[len(above) :]
        blocks.append(f"{sub} {CONTENTS}")
        blocks.append(
            "\n".join(
                f"- [{escape(label)}](#{anchor})"
                for label, anchor in zip(headings, anchors, strict=True)
            )
        )
    if gainers:
        blocks.append(f"{sub} {TRENDING}")
        blocks.append(
            "\n".join(
                _trending_item(entry, gained, window=trending_window, rounded=round_counts)
                for entry, gained in gainers
            )
        )
    for label, members in groups:
        if label is not None:
            blocks.append(f"{sub} {escape(label)}")
        blocks.append(
            "\n".join(
                render_item(entry, counts=counts, round_counts=round_counts) for entry in members
            )
        )
    return "\n\n".join(blocks) + "\n"


def github_slug(heading: str) -> str:
    """Return the anchor GitHub gives a heading: lower case, punctuation dropped, spaces to "-"."""
    kept = (char for char in heading.lower() if char in " -_" or _is_word_char(char))
    return "".join(kept).replace(" ", "-")


def unique_slugs(headings: Iterable[str]) -> list[str]:
    """Return the anchors of headings in page order, numbering repeats "-1", "-2" as GitHub does."""
    seen: dict[str, int] = {}
    slugs = []
    for heading in headings:
        base = slug = github_slug(heading)
        while slug in seen:
            seen[base] += 1
            slug = f"{base}-{seen[base]}"
        seen[slug] = 0
        slugs.append(slug)
    return slugs


def _description(entry: Entry, *, counts: CountStyle, round_counts: bool) -> list[str]:
    parts = []
    year = None if entry.year is None else str(entry.year)
    byline = ", ".join(part for part in (format_authors(entry.authors), year) if part)
    if byline:
        parts.append(_sentence(byline))
    category = clean(entry.primary_category or "")
    if category:
        parts.append(_sentence(escape(category)))
    venue = clean(entry.venue or "") or clean(entry.journal_ref or "")
    if venue:
        parts.append(_sentence(_published(entry, venue)))
    if entry.citations is not None and counts is not CountStyle.NONE:
        parts.append(_count(entry.citations, style=counts, rounded=round_counts))
    note = clean(entry.note or "")
    if note:
        parts.append(_sentence(escape(note)))
    mark = STATUS_MARKS.get(entry.status)
    if mark is not None:
        parts.append(mark)
    if entry.withdrawn:
        parts.append(WITHDRAWN_MARK)
    return parts


def _published(entry: Entry, venue: str) -> str:
    """Say where the paper was published: "arXiv 2023 \u2192 VENUE 2024" once that year is known."""
    if entry.venue_year is None:
        return f"Published in {escape(venue)}"
    year = str(entry.venue_year)
    # A venue such as "ICCV 2023" already names its year.
    named = escape(venue) if year in re.findall(r"\d+", venue) else f"{escape(venue)} {year}"
    if entry.year is None or entry.arxiv_id is None:
        return f"Published in {named}"
    return f"arXiv {entry.year} \u2192 {named}"


def _count(citations: int, *, style: CountStyle, rounded: bool) -> str:
    if style is CountStyle.BADGE:
        shown = format_count(citations, rounded=rounded)
        return f"![{escape(f'citations: {shown}')}]({shields_badge_url('citations', shown)})"
    return _sentence(citations_text(citations, rounded=rounded))


def _trending_item(entry: Entry, gained: int, *, window: str, rounded: bool) -> str:
    """Return a Trending item, linked to the paper's Semantic Scholar page when its id is known.

    Not to arXiv: awesome-lint takes a second link to the same page for a duplicate.
    """
    title = clean(entry.title or "") or entry.id
    text = f"+{citations_text(gained, rounded=rounded)} in the last {escape(window)}."
    if entry.s2_id is None:
        return f"- {escape_paragraph(title)} - {text}"
    url = SEMANTIC_SCHOLAR_PAPER + quote(entry.s2_id, safe="")
    return f"- [{escape(title)}]({url}) - {text}"


def _shields_part(text: str) -> str:
    return quote(text.replace("_", "__").replace("-", "--").replace(" ", "_"), safe="")


def _sentence(text: str) -> str:
    """End ``text`` with a full stop unless it already ends a sentence, as awesome-lint asks."""
    return text if _SENTENCE_END.search(text) else f"{text}."


def _initials(word: str) -> str:
    if word.endswith("."):  # already an initial, such as "C." or "J.-P."
        return word
    if "-" not in word and word[:1].isalpha():
        return f"{word[0]}."
    letters = (next((char for char in part if char.isalpha()), "") for part in word.split("-"))
    return "-".join(f"{letter}." for letter in letters if letter)


def _is_word_char(char: str) -> bool:
    # GitHub keeps letters, combining marks, decimal digits and connector punctuation.
    category = unicodedata.category(char)
    return category[0] in "LM" or category in {"Nd", "Nl", "Pc"}
