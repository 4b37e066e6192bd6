"""Render a reading list as awesome-list Markdown.

The output is a pure function of the list: no timestamps, a total sort order,
and one escaping function for every value that came from an API or a person, so
that no title, name, venue or note can break the Markdown, inject HTML, or end
a README region early. List titles and descriptions are plain text too.

An item reads::

    - [Title](https://arxiv.org/abs/ID) - A. Author, B. Author, C. Author et al., 2023. cs.CV.
      Published in VENUE. NOTE. *(metadata pending)*

(on one line), leaving out every part that is unknown.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

from curator.ids import abs_url
from curator.models import Entry, ReadingList, Status
from curator.sorting import GroupKey, SortKey, group_entries, sort_entries

MAX_AUTHORS = 3
"""Authors named before "et al."."""

CONTENTS = "Contents"

STATUS_MARKS = {
    Status.PENDING: "*(metadata pending)*",
    Status.UNRESOLVED: "*(not found on arXiv)*",
}
"""Shown after the description of entries whose metadata arXiv has not given."""

# ASCII punctuation that can start Markdown syntax inline (code, emphasis, links,
# HTML and autolinks, table cells, GitHub math, strikethrough, heading closers),
# and an "&" that would start an entity such as "&lt;".
_SPECIAL = re.compile(r"[\\`*_\[\]<>|$~#]|&(?=#?[0-9A-Za-z]+;)")
# Where a backslash must go to stop a paragraph reading as a list item or a setext underline.
_BLOCK_START = re.compile(r"(?=[-+=])|\d+(?=[.)])")
_SENTENCE_END = re.compile("[.!?\u2026][\"'\u201d\u2019)]*\\Z")
_NAME_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})
_GROUP_WORDS = frozenset({"collaboration", "consortium", "team"})


def clean(text: str) -> str:
    """Collapse whitespace runs (line breaks too) to one space and drop control characters."""
    visible = "".join(c for c in text if c.isspace() or unicodedata.category(c) != "Cc")
    return " ".join(visible.split())


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
    words = [word.rstrip(",") for word in name.split(" ")]
    if len(words) < 2 or any(word.casefold() in _GROUP_WORDS for word in words):
        return name
    suffix = [words.pop()] if len(words) > 2 and words[-1].casefold() in _NAME_SUFFIXES else []
    start = len(words) - 1
    while start > 1 and words[start - 1][:1].islower():
        start -= 1
    initials = [initial for word in words[:start] if (initial := _initials(word))]
    return " ".join([*initials, *words[start:], *suffix])


def format_authors(authors: Sequence[str]) -> str | None:
    """Return up to ``MAX_AUTHORS`` abbreviated, escaped names, then "et al." if there are more."""
    names = [escape(abbreviate_author(name)) for name in authors if clean(name)]
    if not names:
        return None
    shown = ", ".join(names[:MAX_AUTHORS])
    return f"{shown} et al." if len(names) > MAX_AUTHORS else shown


def render_item(entry: Entry) -> str:
    """Return the Markdown list item of one entry; an unknown title shows the identifier."""
    title = clean(entry.title or "") or entry.id
    link = f"[{escape(title)}]({abs_url(entry.id)})"
    description = " ".join(_description(entry))
    return f"- {link} - {description}" if description else f"- {link}"


def render_list(
    reading_list: ReadingList,
    *,
    sort: SortKey = SortKey.DATE,
    group: GroupKey = GroupKey.SECTION,
    heading_level: int = 1,
    preceding_headings: Sequence[str] = (),
) -> str:
    """Return the whole list as awesome-list Markdown, its title at ``heading_level``.

    Only a top-level list (``heading_level`` 1) has a Contents list: inside a
    larger README, awesome-lint takes anchor links outside the page's own
    Contents for broken items. ``preceding_headings`` are the texts of headings
    above the list on the same page (see ``readme.headings``), because GitHub
    numbers repeated anchors across the whole page.
    """
    if not 1 <= heading_level <= 5:
        raise ValueError(f"heading_level must be between 1 and 5, not {heading_level}")
    top, sub = "#" * heading_level, "#" * (heading_level + 1)
    title = clean(reading_list.title or "") or reading_list.name
    groups = group_entries(reading_list, sort_entries(reading_list.entries, sort), group)
    headings = [label for label, _ in groups if label is not None]

    blocks = [f"{top} {escape(title)}"]
    description = clean(reading_list.description or "")
    if description:
        blocks.append(escape_paragraph(description))
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
    for label, members in groups:
        if label is not None:
            blocks.append(f"{sub} {escape(label)}")
        blocks.append("\n".join(render_item(entry) for entry in members))
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


def _description(entry: Entry) -> list[str]:
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
        parts.append(_sentence(f"Published in {escape(venue)}"))
    note = clean(entry.note or "")
    if note:
        parts.append(_sentence(escape(note)))
    mark = STATUS_MARKS.get(entry.status)
    if mark is not None:
        parts.append(mark)
    return parts


def _sentence(text: str) -> str:
    """End ``text`` with a full stop unless it already ends a sentence, as awesome-lint asks."""
    return text if _SENTENCE_END.search(text) else f"{text}."


def _initials(word: str) -> str:
    if word.endswith("."):  # already an initial, such as "C." or "J.-P."
        return word
    letters = (next((char for char in part if char.isalpha()), "") for part in word.split("-"))
    return "-".join(f"{letter}." for letter in letters if letter)


def _is_word_char(char: str) -> bool:
    # GitHub keeps letters, combining marks, decimal digits and connector punctuation.
    category = unicodedata.category(char)
    return category[0] in "LM" or category in {"Nd", "Nl", "Pc"}
