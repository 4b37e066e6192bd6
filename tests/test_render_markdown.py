"""Tests for the awesome-list Markdown renderer."""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import itertools

import pytest
from facts import SEGMENT_ANYTHING
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from curator.models import Entry, ReadingList, Status
from curator.render.markdown import (
    CountStyle,
    abbreviate_author,
    citations_text,
    clean,
    escape,
    escape_paragraph,
    format_authors,
    format_count,
    github_slug,
    render_item,
    render_list,
    shields_badge_url,
    unique_slugs,
)
from curator.sorting import GroupKey, SortKey

# Facts from shared/reference/seed-papers.json.
MEDICAL_ANALYSIS = Entry(
    id="2304.10517",
    title="Segment Anything Model for Medical Image Analysis: an Experimental Study",
    authors=(
        "Maciej A. Mazurowski",
        "Haoyu Dong",
        "Hanxue Gu",
        "Jichen Yang",
        "Nicholas Konz",
        "Yixin Zhang",
    ),
    published=dt.date(2023, 4, 20),
    venue="Medical Image Analysis, vol. 89, 102918, 2023",
    section="Medical imaging",
)
FEDPARA = Entry(
    id="2108.06098",
    title="FedPara: Low-Rank Hadamard Product for Communication-Efficient Federated Learning",
    authors=("Nam Hyeon-Woo", "Moon Ye-Bin", "Tae-Hyun Oh"),
    published=dt.date(2021, 8, 13),
    primary_category="cs.LG",
    venue="ICLR 2022 (International Conference on Learning Representations), poster",
    note="Linked from the same post, but not about segmentation.",
)
RADIATION_PENDING = Entry(id="2306.11730", section="Medical imaging", status=Status.PENDING)
"""A real paper whose metadata has not been fetched yet."""

SAM_LIST = ReadingList(
    name="segment-anything",
    title="Segment Anything Papers",
    description="Papers on the Segment Anything Model and its use in medical imaging.",
    sections=("Foundation models", "Medical imaging"),
    entries=(FEDPARA, RADIATION_PENDING, SEGMENT_ANYTHING, MEDICAL_ANALYSIS),
)

EXPECTED = """\
# Segment Anything Papers

Papers on the Segment Anything Model and its use in medical imaging.

## Contents

- [Foundation models](#foundation-models)
- [Medical imaging](#medical-imaging)
- [Other](#other)

## Foundation models

- [Segment Anything](https://arxiv.org/abs/2304.02643) - A. Kirillov, E. Mintun, N. Ravi et al., \
2023. cs.CV. Published in ICCV 2023 (IEEE/CVF International Conference on Computer Vision), 2023.

## Medical imaging

- [2306.11730](https://arxiv.org/abs/2306.11730) - 2023. *(metadata pending)*
- [Segment Anything Model for Medical Image Analysis: an Experimental Study]\
(https://arxiv.org/abs/2304.10517) - M. A. Mazurowski, H. Dong, H. Gu et al., 2023. \
Published in Medical Image Analysis, vol. 89, 102918, 2023.

## Other

- [FedPara: Low-Rank Hadamard Product for Communication-Efficient Federated Learning]\
(https://arxiv.org/abs/2108.06098) - N. Hyeon-Woo, M. Ye-Bin, T.-H. Oh, 2021. cs.LG. \
Published in ICLR 2022 (International Conference on Learning Representations), poster. \
Linked from the same post, but not about segmentation.
"""


def test_render_list_matches_golden_markdown() -> None:
    """A small list renders to exactly the expected awesome-list Markdown."""
    assert render_list(SAM_LIST) == EXPECTED


def test_render_list_is_byte_stable() -> None:
    """Rendering the same list twice gives identical text."""
    assert render_list(SAM_LIST) == render_list(SAM_LIST)


@pytest.mark.parametrize("sort", list(SortKey))
@pytest.mark.parametrize("group", list(GroupKey))
def test_render_list_ignores_entry_order(sort: SortKey, group: GroupKey) -> None:
    """Every order of the same entries renders to the same bytes."""
    outputs = {
        render_list(
            dataclasses.replace(SAM_LIST, entries=order), sort=sort, group=group, as_of=AS_OF
        )
        for order in itertools.permutations(SAM_LIST.entries)
    }
    assert len(outputs) == 1


@pytest.mark.parametrize("counts", list(CountStyle))
def test_render_list_without_counts_is_unchanged(counts: CountStyle) -> None:
    """With no citation count known, every count option renders the list exactly as before."""
    assert render_list(SAM_LIST, counts=counts, round_counts=True, as_of=AS_OF) == EXPECTED


def test_render_list_groups_by_year_newest_first() -> None:
    """Year grouping makes one heading per year, newest first, listed in Contents."""
    rendered = render_list(SAM_LIST, group=GroupKey.YEAR, sort=SortKey.ID)
    headings = [line for line in rendered.splitlines() if line.startswith("#")]
    assert headings == ["# Segment Anything Papers", "## Contents", "## 2023", "## 2021"]
    assert "- [2023](#2023)\n- [2021](#2021)\n" in rendered


def test_render_list_without_groups_has_no_contents() -> None:
    """Without grouping the items follow the description directly."""
    rendered = render_list(SAM_LIST, group=GroupKey.NONE, sort=SortKey.ID)
    assert rendered.startswith(
        "# Segment Anything Papers\n\n"
        "Papers on the Segment Anything Model and its use in medical imaging.\n\n"
        "- [FedPara:"
    )
    assert "Contents" not in rendered


def test_render_list_without_sections_has_one_unheaded_group() -> None:
    """A list whose entries have no section gets no "Other" heading of its own."""
    plain = ReadingList(
        name="plain", entries=(dataclasses.replace(SEGMENT_ANYTHING, section=None),)
    )
    assert render_list(plain) == f"# plain\n\n{render_item(plain.entries[0])}\n"


def test_render_list_of_no_entries_is_title_and_description() -> None:
    """An empty list renders its title and description only."""
    empty = ReadingList(name="empty", title="Empty", description="Nothing yet.")
    assert render_list(empty) == "# Empty\n\nNothing yet.\n"


def test_render_list_heading_level_shifts_every_heading() -> None:
    """heading_level=2 puts the title at ## and the groups at ###, without Contents."""
    rendered = render_list(SAM_LIST, heading_level=2)
    headings = [line for line in rendered.splitlines() if line.startswith("#")]
    assert headings == [
        "## Segment Anything Papers",
        "### Foundation models",
        "### Medical imaging",
        "### Other",
    ]
    assert "](#" not in rendered


@pytest.mark.parametrize("level", [0, 6])
def test_render_list_rejects_impossible_heading_levels(level: int) -> None:
    """Heading levels that would leave no room for group headings are refused."""
    with pytest.raises(ValueError, match="heading_level must be between 1 and 5"):
        render_list(SAM_LIST, heading_level=level)


def test_render_list_numbers_anchors_of_repeated_headings() -> None:
    """A section named like the title or "Contents" gets GitHub's numbered anchor."""
    reading_list = ReadingList(
        name="dup",
        title="Contents",
        entries=(
            dataclasses.replace(SEGMENT_ANYTHING, section="Contents"),
            dataclasses.replace(FEDPARA, section="C# & C++"),
        ),
    )
    rendered = render_list(reading_list)
    assert "- [C\\# & C++](#c--c)\n- [Contents](#contents-2)\n" in rendered


@pytest.mark.parametrize(
    ("headings", "expected"),
    [
        (["Foundation models"], ["foundation-models"]),
        (
            ["Medical imaging", "Medical imaging", "Medical imaging"],
            ["medical-imaging"] * 1
            + [
                "medical-imaging-1",
                "medical-imaging-2",
            ],
        ),
        (["a-1", "a", "a"], ["a-1", "a", "a-2"]),
        (["C# & C++: a \u2018tour\u2019!"], ["c--c-a-tour"]),
        (["snake_case-kebab"], ["snake_case-kebab"]),
        (["Émile ÆTHER 日本語"], ["émile-æther-日本語"]),
        (["Rocket 🚀 launch"], ["rocket--launch"]),
        (["2023"], ["2023"]),
    ],
)
def test_unique_slugs_follow_github(headings: list[str], expected: list[str]) -> None:
    """Anchors match github-slugger: lower case, punctuation dropped, repeats numbered."""
    assert unique_slugs(headings) == expected


def test_github_slug_keeps_hyphens_and_underscores() -> None:
    """Only "-" and "_" survive among ASCII punctuation."""
    assert github_slug("A.b/c:d@e [x] - y_z") == "abcde-x---y_z"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Segment Anything", "Segment Anything"),
        ("A|B *c* <script>", "A\\|B \\*c\\* \\<script\\>"),
        ("<script>alert(1)</script>", "\\<script\\>alert(1)\\</script\\>"),
        ("](javascript:alert(1))", "\\](javascript:alert(1))"),
        ("[x](javascript:alert(1))", "\\[x\\](javascript:alert(1))"),
        ("<!-- curator:end sam -->", "\\<!-- curator:end sam --\\>"),
        ("ends with \\", "ends with \\\\"),
        ("&lt;b&gt; &#60; &#x3C;", "\\&lt;b\\&gt; \\&\\#60; \\&\\#x3C;"),
        ("IS&T", "IS&T"),
        ("snake_case and `code`", "snake\\_case and \\`code\\`"),
        ("$O(n^2)$ attention", "\\$O(n^2)\\$ attention"),
        ("~~struck~~ #tag", "\\~\\~struck\\~\\~ \\#tag"),
        ("line\nbreak\r\nand\ttab", "line break and tab"),
        ("  spaced   out  ", "spaced out"),
        ("bell\x07 and nul\x00", "bell and nul"),
        ("Piotr Dollár 🚀 Σίσυφος 分割", "Piotr Dollár 🚀 Σίσυφος 分割"),
        ("", ""),
    ],
)
def test_escape(text: str, expected: str) -> None:
    """Markdown and HTML syntax is backslash-escaped, whitespace collapsed, Unicode kept."""
    assert escape(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("- not a list", "\\- not a list"),
        ("+ not a list", "\\+ not a list"),
        ("=== not a rule", "\\=== not a rule"),
        ("1. not a list", "1\\. not a list"),
        ("2023) not a list", "2023\\) not a list"),
        ("# not a heading", "\\# not a heading"),
        ("> not a quote", "\\> not a quote"),
        ("Plain words.", "Plain words."),
    ],
)
def test_escape_paragraph_blocks_block_syntax(text: str, expected: str) -> None:
    """A stand-alone paragraph cannot start a list, heading, quote or rule."""
    assert escape_paragraph(text) == expected


_MARKDOWN = MarkdownIt("commonmark").enable(["table", "strikethrough"])


def _html_text(text: str) -> str:
    return html.escape(text, quote=False).replace('"', "&quot;")


@given(st.text())
def test_escape_paragraph_renders_as_the_plain_text(text: str) -> None:
    """Any text, once escaped, renders as one paragraph of exactly that text and no HTML."""
    expected = clean(text)
    rendered = _MARKDOWN.render(escape_paragraph(text))
    assert rendered == (f"<p>{_html_text(expected)}</p>\n" if expected else "")


@given(st.text())
def test_escaped_link_text_stays_one_link(text: str) -> None:
    """Any title, once escaped, is the text of exactly one link to the paper."""
    title = clean(text) or "2304.02643"
    rendered = _MARKDOWN.render(f"- [{escape(title)}](https://arxiv.org/abs/2304.02643) - A.")
    link = f'<a href="https://arxiv.org/abs/2304.02643">{_html_text(title)}</a>'
    assert rendered == f"<ul>\n<li>{link} - A.</li>\n</ul>\n"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Alexander Kirillov", "A. Kirillov"),
        ("Alexander C. Berg", "A. C. Berg"),
        ("Wan-Yen Lo", "W.-Y. Lo"),
        ("Wei-lun Chao", "W.-l. Chao"),
        ("Piotr Dollár", "P. Dollár"),
        ("P. Ellen Grant", "P. E. Grant"),
        ("Klaus H. Maier-Hein", "K. H. Maier-Hein"),
        ("Luis Vinicius de Moura", "L. V. de Moura"),
        ("Lucas Silveira Kupssinskü", "L. S. Kupssinskü"),
        ("Kirillov, Alexander", "A. Kirillov"),
        ("  Ross \n Girshick ", "R. Girshick"),
        ("Someone Example Jr.", "S. Example Jr."),
        ("Someone Example, Jr.", "S. Example Jr."),
        ("J.-P. Example", "J.-P. Example"),
        ("Mononym", "Mononym"),
        ("ATLAS Collaboration", "ATLAS Collaboration"),
        ("The Example Consortium", "The Example Consortium"),
    ],
)
def test_abbreviate_author(name: str, expected: str) -> None:
    """Given names become initials; family names, particles and suffixes stay whole."""
    assert abbreviate_author(name) == expected


def test_format_authors_names_three_then_et_al() -> None:
    """Three authors are all named; a fourth turns the rest into "et al."."""
    assert format_authors(FEDPARA.authors) == "N. Hyeon-Woo, M. Ye-Bin, T.-H. Oh"
    assert format_authors(SEGMENT_ANYTHING.authors[:4]) == "A. Kirillov, E. Mintun, N. Ravi et al."


def test_format_authors_escapes_names_and_skips_blanks() -> None:
    """Names are escaped after abbreviation and blank names are dropped."""
    assert format_authors(["Some_one *Example*", " "]) == "S. \\*Example\\*"
    assert format_authors([]) is None


def test_render_item_shows_an_unresolved_marker() -> None:
    """An identifier arXiv does not know is marked as such."""
    entry = Entry(id="2304.02643", status=Status.UNRESOLVED)
    assert render_item(entry) == (
        "- [2304.02643](https://arxiv.org/abs/2304.02643) - 2023. *(not found on arXiv)*"
    )


def test_render_item_falls_back_to_journal_ref() -> None:
    """Without a venue, arXiv's journal reference says where the paper was published."""
    entry = dataclasses.replace(
        MEDICAL_ANALYSIS, venue=None, journal_ref="Medical Image Analysis, vol. 89, 102918, 2023"
    )
    assert render_item(entry).endswith(
        "Published in Medical Image Analysis, vol. 89, 102918, 2023."
    )


def test_render_item_escapes_every_value() -> None:
    """Title, authors, category, venue and note are all escaped and end as sentences."""
    entry = Entry(
        id="2304.02643",
        title="A|B *c* <script>",
        authors=("<b>Bold</b> Name",),
        primary_category="cs_CV",
        venue="<i>Venue</i>",
        note="<!-- curator:end sam -->\nsee [x](javascript:alert(1))?",
    )
    assert render_item(entry) == (
        "- [A\\|B \\*c\\* \\<script\\>](https://arxiv.org/abs/2304.02643) - b. Name, 2023. "
        "cs\\_CV. Published in \\<i\\>Venue\\</i\\>. "
        "\\<!-- curator:end sam --\\> see \\[x\\](javascript:alert(1))?"
    )


def test_render_item_without_any_metadata_has_no_description() -> None:
    """An entry with nothing known but a malformed id is a bare link."""
    assert render_item(Entry(id="not-an-id")) == "- [not-an-id](https://arxiv.org/abs/not-an-id)"


AS_OF = dt.date(2026, 11, 26)
"""The date the counts below were observed (a test value)."""

S2_PLACEHOLDER = "0" * 40
"""A synthetic Semantic Scholar id, not any paper's real one."""

# Facts from shared/reference/seed-papers.json; venue_year is the year its venue names.
DESAM = Entry(
    id="2306.00499",
    title="DeSAM: Decoupled Segment Anything Model for Generalizable Medical Image Segmentation",
    authors=("Yifan Gao", "Wei Xia", "Dingdu Hu", "Wenkui Wang", "Xin Gao"),
    published=dt.date(2023, 6, 1),
    primary_category="eess.IV",
    venue=(
        "MICCAI 2024 (Medical Image Computing and Computer Assisted Intervention), "
        "Springer LNCS, pp. 509-519"
    ),
    venue_year=2024,
    section="Medical imaging",
)

# Citation counts and gains below are synthetic test values, not the papers' real counts.
CITED_SAM = dataclasses.replace(SEGMENT_ANYTHING, citations=15300, s2_id=S2_PLACEHOLDER)
CITED_DESAM = dataclasses.replace(DESAM, citations=1234)
UNCITED_ANALYSIS = dataclasses.replace(MEDICAL_ANALYSIS, citations=0)
CITED_LIST = ReadingList(
    name="segment-anything",
    title="Segment Anything Papers",
    sections=("Foundation models", "Medical imaging"),
    entries=(CITED_DESAM, RADIATION_PENDING, CITED_SAM, UNCITED_ANALYSIS),
)
TRENDING = [(CITED_SAM, 120), (CITED_DESAM, 9), (UNCITED_ANALYSIS, 0)]

SAM_ITEM = (
    "- [Segment Anything](https://arxiv.org/abs/2304.02643) - A. Kirillov, E. Mintun, N. Ravi "
    "et al., 2023. cs.CV. Published in ICCV 2023 (IEEE/CVF International Conference on "
    "Computer Vision), 2023."
)
DESAM_ITEM = (
    "- [DeSAM: Decoupled Segment Anything Model for Generalizable Medical Image Segmentation]"
    "(https://arxiv.org/abs/2306.00499) - Y. Gao, W. Xia, D. Hu et al., 2023. eess.IV. "
    "arXiv 2023 \u2192 MICCAI 2024 (Medical Image Computing and Computer Assisted "
    "Intervention), Springer LNCS, pp. 509-519."
)
ANALYSIS_ITEM = (
    "- [Segment Anything Model for Medical Image Analysis: an Experimental Study]"
    "(https://arxiv.org/abs/2304.10517) - M. A. Mazurowski, H. Dong, H. Gu et al., 2023. "
    "Published in Medical Image Analysis, vol. 89, 102918, 2023."
)

EXPECTED_CITED = f"""\
# Segment Anything Papers

Citation counts from Semantic Scholar, as of 2026-11-26.

## Contents

- [Trending](#trending)
- [Foundation models](#foundation-models)
- [Medical imaging](#medical-imaging)

## Trending

- [Segment Anything](https://www.semanticscholar.org/paper/{S2_PLACEHOLDER}) - \
+120 citations in the last 30 days.
- DeSAM: Decoupled Segment Anything Model for Generalizable Medical Image Segmentation - \
+9 citations in the last 30 days.

## Foundation models

{SAM_ITEM} 15k citations.

## Medical imaging

{DESAM_ITEM} 1.2k citations.
{ANALYSIS_ITEM} 0 citations.
- [2306.11730](https://arxiv.org/abs/2306.11730) - 2023. *(metadata pending)*
"""


def test_render_list_with_counts_matches_golden_markdown() -> None:
    """Rounded counts, the source line, a Trending section and its anchor render exactly."""
    rendered = render_list(
        CITED_LIST, sort=SortKey.CITATIONS, round_counts=True, as_of=AS_OF, trending=TRENDING
    )
    assert rendered == EXPECTED_CITED


def test_render_item_shows_an_exact_plain_count() -> None:
    """A plain count is its own sentence with thousands separators."""
    assert render_item(CITED_DESAM) == f"{DESAM_ITEM} 1,234 citations."


def test_render_item_shows_a_known_zero_and_nothing_for_unknown() -> None:
    """A known 0 is shown as "0 citations"; an unknown count shows nothing at all."""
    assert render_item(UNCITED_ANALYSIS) == f"{ANALYSIS_ITEM} 0 citations."
    assert render_item(MEDICAL_ANALYSIS) == ANALYSIS_ITEM


def test_render_item_shows_a_count_before_the_note_and_status() -> None:
    """The count follows the venue and precedes the curator's note."""
    entry = dataclasses.replace(FEDPARA, citations=1)
    assert render_item(entry).endswith(
        "poster. 1 citation. Linked from the same post, but not about segmentation."
    )


def test_render_item_shows_a_rounded_badge() -> None:
    """The badge style is a shields.io static badge image with the rounded count."""
    assert render_item(CITED_SAM, counts=CountStyle.BADGE, round_counts=True) == (
        f"{SAM_ITEM} ![citations: 15k](https://img.shields.io/badge/citations-15k-informational)"
    )


def test_render_item_shows_an_exact_badge_with_an_encoded_separator() -> None:
    """An exact count in a badge keeps its separator, percent-encoded in the URL."""
    assert render_item(CITED_DESAM, counts=CountStyle.BADGE) == (
        f"{DESAM_ITEM} ![citations: 1,234]"
        "(https://img.shields.io/badge/citations-1%2C234-informational)"
    )


def test_render_item_with_count_style_none_hides_the_count() -> None:
    """The none style leaves counts out, and the list header then names no source."""
    assert render_item(CITED_SAM, counts=CountStyle.NONE) == SAM_ITEM
    rendered = render_list(CITED_LIST, counts=CountStyle.NONE, as_of=AS_OF)
    assert "Semantic Scholar" not in rendered
    assert "citation" not in rendered


def test_render_list_source_note_is_optional_and_undated_without_as_of() -> None:
    """source_note=False leaves the line out; without as_of it names the source only."""
    assert "Semantic Scholar" not in render_list(CITED_LIST, source_note=False, as_of=AS_OF)
    assert render_list(CITED_LIST).startswith(
        "# Segment Anything Papers\n\nCitation counts from Semantic Scholar.\n\n## Contents\n"
    )


@pytest.mark.parametrize(
    ("venue", "expected"),
    [
        ("MICCAI", "arXiv 2023 \u2192 MICCAI 2024."),
        ("MICCAI 2024", "arXiv 2023 \u2192 MICCAI 2024."),
        ("Proceedings of MICCAI 20245", "arXiv 2023 \u2192 Proceedings of MICCAI 20245 2024."),
    ],
)
def test_render_item_shows_the_venue_year_once(venue: str, expected: str) -> None:
    """The venue year follows the venue unless the venue already names that year."""
    entry = dataclasses.replace(DESAM, venue=venue)
    assert render_item(entry).endswith(f"eess.IV. {expected}")


def test_render_item_venue_year_without_arxiv_year_says_published_in() -> None:
    """Without an arXiv year there is no arrow, only where and when it was published."""
    entry = Entry(id="not-an-id", venue="MICCAI", venue_year=2024)
    assert render_item(entry) == (
        "- [not-an-id](https://arxiv.org/abs/not-an-id) - Published in MICCAI 2024."
    )


@pytest.mark.parametrize(
    ("count", "rounded", "expected"),
    [
        (0, True, "0"),
        (7, True, "7"),
        (999, True, "999"),
        (1_000, True, "1k"),
        (1_234, True, "1.2k"),
        (1_999, True, "1.9k"),
        (9_999, True, "9.9k"),
        (10_000, True, "10k"),
        (15_300, True, "15k"),
        (999_999, True, "999k"),
        (1_000_000, True, "1M"),
        (1_200_000, True, "1.2M"),
        (15_300_000, True, "15M"),
        (1_234, False, "1,234"),
        (1_200_000, False, "1,200,000"),
    ],
)
def test_format_count(count: int, rounded: bool, expected: str) -> None:
    """Rounding cuts to one decimal below ten units and whole units above; small counts stay."""
    assert format_count(count, rounded=rounded) == expected


@pytest.mark.parametrize(
    ("count", "expected"), [(0, "0 citations"), (1, "1 citation"), (2, "2 citations")]
)
def test_citations_text_is_singular_for_one(count: int, expected: str) -> None:
    """One citation is singular; zero and more are plural."""
    assert citations_text(count) == expected


@pytest.mark.parametrize(
    ("label", "message", "expected"),
    [
        ("citations", "1.2k", "citations-1.2k-informational"),
        ("well-cited", "top_10 %", "well--cited-top__10_%25-informational"),
        ("a/b (c)", "1,234", "a%2Fb_%28c%29-1%2C234-informational"),
    ],
)
def test_shields_badge_url_escapes_dashes_underscores_and_spaces(
    label: str, message: str, expected: str
) -> None:
    """Dashes double, underscores double, spaces become underscores, the rest is percent-encoded."""
    assert shields_badge_url(label, message) == f"https://img.shields.io/badge/{expected}"


def test_trending_section_skips_papers_that_gained_nothing() -> None:
    """Only positive gains are listed; with none there is no Trending section."""
    rendered = render_list(CITED_LIST, as_of=AS_OF, trending=[(UNCITED_ANALYSIS, 0)])
    assert "Trending" not in rendered


def test_trending_section_names_the_window_and_escapes_titles() -> None:
    """The window text is the caller's; an unlinked title cannot start a nested list."""
    entry = dataclasses.replace(RADIATION_PENDING, title="1. Not a list *item*")
    rendered = render_list(CITED_LIST, trending=[(entry, 3)], trending_window="week")
    assert "\n- 1\\. Not a list \\*item\\* - +3 citations in the last week.\n" in rendered


def test_trending_anchor_is_numbered_after_a_section_of_that_name() -> None:
    """A section called "Trending" takes GitHub's numbered anchor after the Trending section."""
    renamed = dataclasses.replace(CITED_SAM, section="Trending")
    reading_list = dataclasses.replace(
        CITED_LIST, sections=("Trending",), entries=(renamed, CITED_DESAM)
    )
    rendered = render_list(reading_list, trending=[(renamed, 5)])
    assert "- [Trending](#trending)\n- [Trending](#trending-1)\n" in rendered


def test_trending_without_groups_heads_the_other_papers() -> None:
    """Ungrouped papers after a Trending section get a "Papers" heading of their own."""
    rendered = render_list(CITED_LIST, group=GroupKey.NONE, trending=[(CITED_DESAM, 1)])
    headings = [line for line in rendered.splitlines() if line.startswith("#")]
    assert headings == ["# Segment Anything Papers", "## Contents", "## Trending", "## Papers"]
    assert "- [Trending](#trending)\n- [Papers](#papers)\n" in rendered
    assert "+1 citation in the last 30 days." in rendered


def test_trending_inside_a_readme_has_no_contents() -> None:
    """At heading level 2 the Trending section is a ### heading and no Contents is drawn."""
    rendered = render_list(CITED_LIST, heading_level=2, trending=TRENDING)
    headings = [line for line in rendered.splitlines() if line.startswith("#")]
    assert headings == [
        "## Segment Anything Papers",
        "### Trending",
        "### Foundation models",
        "### Medical imaging",
    ]


def test_render_list_sorts_by_velocity_as_of_the_counts() -> None:
    """Sorting by velocity uses the date of the counts and puts unknown counts last."""
    rendered = render_list(CITED_LIST, sort=SortKey.VELOCITY, group=GroupKey.NONE, as_of=AS_OF)
    links = [line.split("](")[1].split(")")[0] for line in rendered.splitlines() if "- [" in line]
    assert links == [
        "https://arxiv.org/abs/2304.02643",
        "https://arxiv.org/abs/2306.00499",
        "https://arxiv.org/abs/2304.10517",
        "https://arxiv.org/abs/2306.11730",
    ]


@given(st.integers(min_value=0, max_value=10**9))
def test_rounded_count_never_exceeds_the_count(count: int) -> None:
    """A rounded count read back as a number is never more than the real count."""
    text = format_count(count, rounded=True)
    scale = {"k": 1_000, "M": 1_000_000}.get(text[-1], 1)
    number = float(text.rstrip("kM")) * scale
    assert number <= count
    assert len(text) <= 5


def test_badge_renders_as_an_image_inside_the_item() -> None:
    """The badge Markdown becomes one image with the count as its alt text."""
    rendered = _MARKDOWN.render(render_item(CITED_SAM, counts=CountStyle.BADGE, round_counts=True))
    assert (
        '<img src="https://img.shields.io/badge/citations-15k-informational" '
        'alt="citations: 15k" /></li>'
    ) in rendered
