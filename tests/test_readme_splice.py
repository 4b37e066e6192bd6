"""Tests for README region splicing and the --check diff."""

from __future__ import annotations

import pytest

from curator.errors import MarkerError
from curator.models import Entry, ReadingList
from curator.render.markdown import render_list
from curator.render.readme import diff, headings, marker, regions, splice

LIST = "- [Segment Anything](https://arxiv.org/abs/2304.02643) - A. Kirillov, 2023.\n"

README = """\
# Reading lists

Intro text stays.

<!-- curator:start sam -->
old content
<!-- curator:end sam -->

Footer stays.
"""

SPLICED = f"""\
# Reading lists

Intro text stays.

<!-- curator:start sam -->

{LIST}
<!-- curator:end sam -->

Footer stays.
"""


def test_splice_replaces_only_the_region() -> None:
    """The inside of the region becomes blank line, content, blank line; the rest is kept."""
    assert splice(README, "sam", LIST) == SPLICED


def test_splice_is_idempotent() -> None:
    """Splicing the same content again changes nothing."""
    once = splice(README, "sam", LIST)
    assert splice(once, "sam", LIST) == once


def test_splice_normalises_surrounding_newlines_of_content() -> None:
    """Leading and trailing line breaks of the content do not change the result."""
    assert splice(README, "sam", f"\n\n{LIST}\n\n") == SPLICED
    assert splice(README, "sam", LIST.rstrip("\n")) == SPLICED


def test_splice_of_empty_content_leaves_one_blank_line() -> None:
    """An empty list leaves the markers one blank line apart."""
    assert "<!-- curator:start sam -->\n\n<!-- curator:end sam -->\n" in splice(README, "sam", "")


def test_splice_keeps_crlf_line_endings() -> None:
    """A README with CRLF line endings gets CRLF in its region and keeps every other byte."""
    crlf = README.replace("\n", "\r\n")
    assert splice(crlf, "sam", "a\nb\n") == (
        "# Reading lists\r\n\r\nIntro text stays.\r\n\r\n"
        "<!-- curator:start sam -->\r\n\r\na\r\nb\r\n\r\n<!-- curator:end sam -->\r\n"
        "\r\nFooter stays.\r\n"
    )


def test_splice_keeps_a_missing_final_newline() -> None:
    """A README that does not end with a line break still does not."""
    readme = "<!-- curator:start sam -->\n<!-- curator:end sam -->"
    assert (
        splice(readme, "sam", "x") == "<!-- curator:start sam -->\n\nx\n\n<!-- curator:end sam -->"
    )


def test_splice_handles_two_lists_in_one_readme() -> None:
    """Each list fills its own region and leaves the other alone."""
    readme = (
        "<!-- curator:start sam -->\n<!-- curator:end sam -->\n"
        "between\n"
        "<!-- curator:start fedpara -->\nold\n<!-- curator:end fedpara -->\n"
    )
    result = splice(splice(readme, "fedpara", "B"), "sam", "A")
    assert result == (
        "<!-- curator:start sam -->\n\nA\n\n<!-- curator:end sam -->\n"
        "between\n"
        "<!-- curator:start fedpara -->\n\nB\n\n<!-- curator:end fedpara -->\n"
    )
    assert regions(result) == ["sam", "fedpara"]


def test_splice_accepts_indented_and_trailing_space_markers() -> None:
    """Markers may be indented by up to three spaces and followed by spaces."""
    readme = "   <!-- curator:start sam -->  \n<!-- curator:end sam -->\t\n"
    assert splice(readme, "sam", "x") == (
        "   <!-- curator:start sam -->  \n\nx\n\n<!-- curator:end sam -->\t\n"
    )


@pytest.mark.parametrize(
    "fence",
    [
        "```\n{markers}```\n",
        "```markdown title=x\n{markers}```\n",
        "~~~\n{markers}~~~\n",
        "~~~~ text\n{markers}~~~\n~~~~~~\n",
        "   ```\n{markers}```  \n",
        "````\n{markers}```\n````\n",
        "```\n{markers}",
    ],
    ids=[
        "backticks",
        "info-string",
        "tildes",
        "longer-close",
        "indented",
        "short-close",
        "unclosed",
    ],
)
def test_splice_ignores_markers_in_fenced_code(fence: str) -> None:
    """Markers shown inside a fenced code block, closed or not, are text, not a region."""
    shown = "<!-- curator:start sam -->\nexample\n<!-- curator:end sam -->\n"
    readme = README + "\n" + fence.format(markers=shown)
    assert splice(readme, "sam", LIST) == SPLICED + "\n" + fence.format(markers=shown)


def test_a_backtick_line_with_backticks_after_is_not_a_fence() -> None:
    """A line like ```a`b is inline code, not a fence, so markers after it count."""
    readme = "```a`b\n<!-- curator:start sam -->\n<!-- curator:end sam -->\n"
    assert splice(readme, "sam", "x").endswith(
        "<!-- curator:start sam -->\n\nx\n\n<!-- curator:end sam -->\n"
    )


def test_marker_in_an_unclosed_fence_is_missing() -> None:
    """Markers after an unclosed fence are inside it, so the region is missing."""
    readme = "```\n<!-- curator:start sam -->\n<!-- curator:end sam -->\n"
    with pytest.raises(MarkerError):
        splice(readme, "sam", LIST)
    assert regions(readme) == []


def test_marker_indented_four_spaces_is_code() -> None:
    """A marker indented by four spaces is an indented code block, not a marker."""
    assert regions("    <!-- curator:start sam -->\n    <!-- curator:end sam -->\n") == []


def test_marker_with_other_text_on_its_line_is_not_a_marker() -> None:
    """Only a marker alone on its line counts."""
    assert regions("see <!-- curator:start sam --> here\n<!-- curator:start sam --> x\n") == []


@pytest.mark.parametrize(
    ("readme", "message"),
    [
        (
            "# Lists\n",
            "README.md has no <!-- curator:start sam --> marker; "
            "add the pair where the list should go",
        ),
        (
            "<!-- curator:start sams -->\n<!-- curator:end sams -->\n",
            "README.md has no <!-- curator:start sam --> marker; "
            "add the pair where the list should go",
        ),
        (
            "# Lists\n<!-- curator:start sam -->\ntext\n",
            "README.md:2: <!-- curator:start sam --> has no <!-- curator:end sam --> after it; "
            "add it where the list should end",
        ),
        (
            "# Lists\ntext\n<!-- curator:end sam -->\n",
            "README.md:3: <!-- curator:end sam --> has no <!-- curator:start sam --> before it; "
            "add it where the list should begin",
        ),
        (
            "<!-- curator:end sam -->\ntext\n<!-- curator:start sam -->\n",
            "README.md:1: <!-- curator:end sam --> comes before <!-- curator:start sam --> "
            "on line 3; swap them",
        ),
        (
            "<!-- curator:start sam -->\n<!-- curator:end sam -->\n"
            "<!-- curator:start sam -->\n<!-- curator:end sam -->\n",
            "README.md:3: <!-- curator:start sam --> repeats the one on line 1; "
            "keep one pair per list",
        ),
        (
            "<!-- curator:start sam -->\n<!-- curator:end sam -->\n<!-- curator:end sam -->\n",
            "README.md:3: <!-- curator:end sam --> repeats the one on line 2; "
            "keep one pair per list",
        ),
        (
            "<!-- curator:start sam -->\n<!-- curator:start fedpara -->\n"
            "<!-- curator:end fedpara -->\n<!-- curator:end sam -->\n",
            "README.md:2: <!-- curator:start fedpara --> is inside the region of sam (lines 1-4); "
            "move it outside",
        ),
        (
            "<!-- curator:start sam -->\n<!-- curator:start fedpara -->\n"
            "<!-- curator:end sam -->\n<!-- curator:end fedpara -->\n",
            "README.md:2: <!-- curator:start fedpara --> is inside the region of sam (lines 1-3); "
            "move it outside",
        ),
    ],
    ids=[
        "missing",
        "other-name",
        "start-without-end",
        "end-without-start",
        "end-before-start",
        "repeated-start",
        "repeated-end",
        "nested",
        "interleaved",
    ],
)
def test_splice_reports_broken_markers(readme: str, message: str) -> None:
    """Every marker fault raises MarkerError with one line naming the file, line and fix."""
    with pytest.raises(MarkerError) as raised:
        splice(readme, "sam", LIST, source="README.md")
    assert str(raised.value) == message


def test_splice_names_the_readme_by_default() -> None:
    """Without a source the message says "README"."""
    with pytest.raises(MarkerError, match=r"^README has no "):
        splice("", "sam", LIST)


def test_splice_leaves_regions_of_other_lists_alone_even_when_broken() -> None:
    """A broken region of another list does not stop this one from being spliced."""
    readme = "<!-- curator:start other -->\n<!-- curator:start sam -->\n<!-- curator:end sam -->\n"
    assert splice(readme, "sam", "x").endswith(
        "<!-- curator:start sam -->\n\nx\n\n<!-- curator:end sam -->\n"
    )


@pytest.mark.parametrize("content", ["<!-- curator:end sam -->\n", "```\nunclosed\n"])
def test_splice_refuses_content_that_would_move_markers(content: str) -> None:
    """Content holding a marker line or an unclosed fence is a programming error."""
    with pytest.raises(ValueError, match="holds a curator marker or an unclosed fence"):
        splice(README, "sam", content)


def test_regions_lists_names_in_order_of_first_appearance() -> None:
    """Every name any marker outside code mentions is listed once."""
    readme = (
        "<!-- curator:end zeta -->\n<!-- curator:start alpha -->\n<!-- curator:end alpha -->\n"
        "```\n<!-- curator:start hidden -->\n```\n<!-- curator:start zeta -->\n"
    )
    assert regions(readme) == ["zeta", "alpha"]


def test_marker_builds_the_marker_line() -> None:
    """Marker lines are HTML comments naming the kind and the list."""
    assert marker("start", "sam") == "<!-- curator:start sam -->"
    assert marker("end", "sam") == "<!-- curator:end sam -->"


def test_diff_is_a_unified_diff_labelled_with_the_path() -> None:
    """The --check diff shows the changed lines labelled current and rendered."""
    assert diff("a\nb\n", "a\nc\n", path="README.md") == (
        "--- README.md (current)\n+++ README.md (rendered)\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n"
    )


def test_diff_marks_a_missing_final_newline() -> None:
    """A last line without a line break is flagged as git does."""
    assert diff("a", "b\n", path="x.md") == (
        "--- x.md (current)\n+++ x.md (rendered)\n"
        "@@ -1 +1 @@\n-a\n\\ No newline at end of file\n+b\n"
    )


def test_diff_of_equal_texts_is_empty() -> None:
    """Nothing to show when the file is up to date."""
    assert diff(SPLICED, SPLICED, path="README.md") == ""


def test_headings_reads_atx_and_setext_headings_outside_code() -> None:
    """Headings come as plain text: closing hashes, links, tags and escapes removed."""
    markdown = (
        "# Reading lists #\n"
        "Intro\n"
        "=====\n"
        "## [Segment Anything](https://arxiv.org/abs/2304.02643) <sup>new</sup>\n"
        "### C\\# tips\n"
        "#not a heading\n"
        "- list item\n"
        "---\n"
        "---\n"
        "* * *\n"
        "---\n"
        "```\n# code, not a heading\n```\n"
        "####### seven hashes\n"
        "##\n"
    )
    assert headings(markdown) == ["Reading lists", "Intro", "Segment Anything new", "C# tips", ""]


def test_second_list_on_a_page_links_its_own_sections() -> None:
    """A list rendered after another counts the first one's headings, as GitHub does."""
    first = ReadingList(name="a", title="A", entries=(Entry(id="2304.02643", section="Models"),))
    second = ReadingList(name="b", title="B", entries=(Entry(id="2108.06098", section="Models"),))
    page = render_list(first)
    page += render_list(second, preceding_headings=headings(page))
    assert "- [Models](#models)\n" in page
    assert "- [Models](#models-1)\n" in page


def test_diff_keeps_crlf_lines_whole() -> None:
    """CRLF lines are diffed as lines, without a spurious missing-newline note."""
    assert (
        diff("a\r\n", "b\r\n", path="x.md")
        == "--- x.md (current)\n+++ x.md (rendered)\n@@ -1 +1 @@\n-a\r\n+b\r\n"
    )
