"""Tests for terminal output (tables, messages, progress) and JSON records."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
from pathlib import Path

import facts

from curator.errors import SourceError
from curator.harvest import HarvestReport
from curator.models import Entry, Mentions, Occurrence, Status
from curator.refresh import RefreshReport
from curator.render.records import (
    entry_record,
    harvest_record,
    mentions_record,
    refresh_record,
    trend_record,
)
from curator.render.terminal import (
    TrendingRow,
    citation_cells,
    error,
    progress,
    show_table,
    table_row,
    trending_table,
    warn,
)

# Facts from shared/reference/seed-papers.json.
SEGMENT_ANYTHING = dataclasses.replace(
    facts.SEGMENT_ANYTHING,
    doi="10.48550/arXiv.2304.02643",
    venue_doi="10.1109/ICCV51070.2023.00371",
    tags=("sam",),
)
CUSTOMIZED = Entry(
    id="2304.13785",
    title="Customized Segment Anything Model for Medical Image Segmentation",
    authors=("Kaidong Zhang", "Dong Liu"),
    published=dt.date(2023, 4, 26),
)
GLASS_PENDING = Entry(id="2305.00278", status=Status.PENDING)

AS_OF = dt.date(2026, 11, 26)
"""The date the counts below were observed (a test value)."""

S2_PLACEHOLDER = "0" * 40
"""A synthetic Semantic Scholar id, not any paper's real one."""

# Citation counts, gains and series below are synthetic test values, not the papers' real counts.
CITED_SAM = dataclasses.replace(
    SEGMENT_ANYTHING, citations=1234, influential_citations=56, s2_id=S2_PLACEHOLDER
)
UNCITED_CUSTOMIZED = dataclasses.replace(CUSTOMIZED, citations=0)

ANSI = "\x1b["


class FakeTerminal(io.StringIO):
    """A text buffer that says it is a terminal."""

    def isatty(self) -> bool:
        """Claim to be a terminal."""
        return True


def test_plain_table_is_tab_separated_without_header() -> None:
    """Off a terminal each entry is one tab-separated line, unknown values empty."""
    out = io.StringIO()
    show_table([SEGMENT_ANYTHING, CUSTOMIZED, GLASS_PENDING], file=out)
    assert out.getvalue() == (
        "2304.02643\tSegment Anything\tAlexander Kirillov\t2023\tFoundation models\tresolved\n"
        "2304.13785\tCustomized Segment Anything Model for Medical Image Segmentation"
        "\tKaidong Zhang\t2023\t\tresolved\n"
        "2305.00278\t\t\t2023\t\tpending\n"
    )


def test_plain_table_flattens_tabs_and_line_breaks() -> None:
    """Tabs and line breaks inside values cannot split a row or a column."""
    entry = Entry(id="2304.02643", title="Segment\tAnything\n", section="Foundation\r\nmodels")
    assert table_row(entry) == (
        "2304.02643",
        "Segment Anything",
        "",
        "2023",
        "Foundation models",
        "resolved",
    )


def test_terminal_table_shows_every_column_without_colour_when_asked() -> None:
    """On a terminal a table with headers is drawn; no_color leaves out colour codes."""
    out = FakeTerminal()
    show_table([SEGMENT_ANYTHING, GLASS_PENDING], file=out, no_color=True, width=100)
    text = out.getvalue()
    for expected in ("ID", "Title", "First author", "Year", "Section", "Status"):
        assert expected in text
    assert "Alexander Kirillov" in text
    assert "pending" in text
    assert "\u2013" in text
    assert "\x1b[3" not in text
    assert all(len(line) <= 100 for line in text.splitlines())


def test_terminal_table_is_coloured_by_default() -> None:
    """On a terminal the status column is coloured unless colour is turned off."""
    out = FakeTerminal()
    show_table([GLASS_PENDING], file=out, width=80)
    assert ANSI in out.getvalue()


def test_explicit_colour_wins_over_no_color() -> None:
    """color=False removes all styling even when no_color is not set."""
    out = FakeTerminal()
    show_table([GLASS_PENDING], file=out, color=False, width=80)
    assert ANSI not in out.getvalue()


def test_terminal_table_shows_markup_literally() -> None:
    """A title that looks like rich markup is printed as written."""
    out = FakeTerminal()
    entry = Entry(id="2304.02643", title="[bold]not bold[/bold] :smile:")
    show_table([entry], file=out, color=False, width=120)
    assert "[bold]not bold[/bold] :smile:" in out.getvalue()


def test_error_and_warn_are_plain_lines_off_a_terminal() -> None:
    """Off a terminal messages are one plain line with their prefix."""
    out = io.StringIO()
    error("README.md has no marker", file=out)
    warn("2 papers kept as pending", file=out)
    assert out.getvalue() == "error: README.md has no marker\nwarning: 2 papers kept as pending\n"


def test_error_is_red_on_a_terminal() -> None:
    """On a terminal the prefix is coloured and the message stays on one line."""
    out = FakeTerminal()
    error("x " * 100, file=out)
    text = out.getvalue()
    assert text.startswith(ANSI)
    assert "error:" in text
    assert text.count("\n") == 1


def test_error_honours_no_color() -> None:
    """no_color leaves colour codes out of messages on a terminal."""
    out = FakeTerminal()
    error("something failed", file=out, no_color=True)
    assert "\x1b[31" not in out.getvalue()
    assert "error:" in out.getvalue()


def test_progress_off_a_terminal_prints_nothing() -> None:
    """Progress is silent when its output is not a terminal, but updating still works."""
    out = io.StringIO()
    with progress("Resolving", file=out) as bar:
        bar.update(1, 3)
        bar.update(3, 3)
    assert out.getvalue() == ""


def test_progress_disabled_prints_nothing_on_a_terminal() -> None:
    """enabled=False keeps a terminal quiet too."""
    out = FakeTerminal()
    with progress("Resolving", file=out, enabled=False) as bar:
        bar.update(3, 3)
    assert out.getvalue() == ""


def test_progress_on_a_terminal_draws_and_clears_a_bar() -> None:
    """On a terminal the bar shows its description and counts, then is cleared."""
    out = FakeTerminal()
    with progress("Resolving", file=out, no_color=True) as bar:
        bar.update(2, 2)
    assert "Resolving" in out.getvalue()
    assert "2/2" in out.getvalue()


def test_entry_record_has_every_fact_and_nulls_for_unknowns() -> None:
    """Records carry every fact as JSON values; unknown facts are null."""
    assert entry_record(SEGMENT_ANYTHING) == {
        "id": "2304.02643",
        "title": "Segment Anything",
        "authors": list(SEGMENT_ANYTHING.authors),
        "published": "2023-04-05",
        "updated": None,
        "year": 2023,
        "primary_category": "cs.CV",
        "doi": "10.48550/arXiv.2304.02643",
        "journal_ref": None,
        "venue": "ICCV 2023 (IEEE/CVF International Conference on Computer Vision), 2023",
        "venue_doi": "10.1109/ICCV51070.2023.00371",
        "venue_year": None,
        "latest_version": None,
        "withdrawn": False,
        "citations": None,
        "influential_citations": None,
        "velocity": None,
        "s2_id": None,
        "section": "Foundation models",
        "tags": ["sam"],
        "note": None,
        "added": None,
        "versions": [],
        "sources": [],
        "status": "resolved",
        "url": "https://arxiv.org/abs/2304.02643",
        "arxiv_id": "2304.02643",
        "arxiv_doi": "10.48550/arXiv.2304.02643",
    }


def test_entry_record_of_a_pending_entry_invents_nothing() -> None:
    """A pending entry has its id, the year its identifier encodes, and nulls."""
    record = entry_record(GLASS_PENDING)
    assert record["status"] == "pending"
    assert record["year"] == 2023
    assert record["title"] is None
    assert record["published"] is None
    assert json.loads(json.dumps(record)) == record


def test_mentions_record_lists_versions_and_every_occurrence() -> None:
    """An extracted paper carries its versions and each occurrence with the same keys."""
    mentions = Mentions(
        id="2304.02643",
        occurrences=(
            Occurrence("post.md", 3, 7, "Segment Anything", version=2),
            Occurrence("result.json", 1, 1, "SAM", message_id=12, date="2023-04-06T10:00:00"),
        ),
    )
    assert mentions_record(mentions) == {
        "id": "2304.02643",
        "versions": [2],
        "occurrences": [
            {
                "source": "post.md",
                "line": 3,
                "column": 7,
                "text": "Segment Anything",
                "version": 2,
                "message_id": None,
                "date": None,
                "author": None,
            },
            {
                "source": "result.json",
                "line": 1,
                "column": 1,
                "text": "SAM",
                "version": None,
                "message_id": 12,
                "date": "2023-04-06T10:00:00",
                "author": None,
            },
        ],
    }


def test_harvest_record_reports_counts_ids_and_failures() -> None:
    """A harvest report becomes counts, id lists, failure messages and completeness."""
    report = HarvestReport(
        Path("lists/sam.toml"),
        links=3,
        papers=2,
        added=("2304.02643",),
        pending=("2304.02643",),
        already_listed=("2108.06098",),
        failures=(SourceError("arXiv", "timed out after 30 s"),),
    )
    assert harvest_record(report) == {
        "list": "lists/sam.toml",
        "dry_run": False,
        "links": 3,
        "papers": 2,
        "already_listed": ["2108.06098"],
        "added": ["2304.02643"],
        "unresolved": [],
        "pending": ["2304.02643"],
        "failures": ["arXiv: timed out after 30 s"],
        "complete": False,
    }


def test_refresh_record_reports_ids_counts_and_failures() -> None:
    """A refresh report becomes id lists, citation tallies, failure messages and completeness."""
    report = RefreshReport(
        Path("lists/sam.toml"),
        checked=("2305.00278",),
        resolved=("2305.00278",),
        citations_checked=("2304.02643", "2305.00278"),
        citations_known=1,
        citations_unknown=("2305.00278",),
        history_rows=1,
        failures=(SourceError("Semantic Scholar", "timed out after 30 s"),),
    )
    assert refresh_record(report) == {
        "list": "lists/sam.toml",
        "checked": ["2305.00278"],
        "resolved": ["2305.00278"],
        "unresolved": [],
        "pending": [],
        "citations_checked": ["2304.02643", "2305.00278"],
        "citations_known": 1,
        "citations_unknown": ["2305.00278"],
        "history_rows": 1,
        "not_asked": 0,
        "failures": ["Semantic Scholar: timed out after 30 s"],
        "complete": False,
    }


def test_plain_table_appends_citation_columns_when_counts_are_known() -> None:
    """With any count known, citations and velocity follow the usual columns; unknown is empty."""
    out = io.StringIO()
    show_table([CITED_SAM, UNCITED_CUSTOMIZED, GLASS_PENDING], file=out, as_of=AS_OF)
    assert out.getvalue() == (
        "2304.02643\tSegment Anything\tAlexander Kirillov\t2023\tFoundation models\tresolved"
        "\t1234\t28.2\n"
        "2304.13785\tCustomized Segment Anything Model for Medical Image Segmentation"
        "\tKaidong Zhang\t2023\t\tresolved\t0\t0.0\n"
        "2305.00278\t\t\t2023\t\tpending\t\t\n"
    )


def test_citation_cells_leave_velocity_empty_without_a_date() -> None:
    """Without as_of the count is shown and the velocity is unknown."""
    assert citation_cells(CITED_SAM, as_of=None) == ("1234", "")
    assert citation_cells(GLASS_PENDING, as_of=AS_OF) == ("", "")


def test_terminal_table_shows_citation_columns_when_counts_are_known() -> None:
    """On a terminal the counts get separators, velocity one decimal, unknown a dash."""
    out = FakeTerminal()
    show_table([CITED_SAM, GLASS_PENDING], file=out, as_of=AS_OF, color=False, width=160)
    text = out.getvalue()
    header = next(line for line in text.splitlines() if "ID" in line)
    assert header.index("Status") < header.index("Citations") < header.index("Per month")
    sam_line = next(line for line in text.splitlines() if "2304.02643" in line)
    assert "1,234" in sam_line
    assert "28.2" in sam_line
    glass_line = next(line for line in text.splitlines() if "2305.00278" in line)
    assert glass_line.count("\u2013") == 5


def test_terminal_table_without_counts_has_no_citation_columns() -> None:
    """A list with no known count keeps the table it had."""
    out = FakeTerminal()
    show_table([SEGMENT_ANYTHING], file=out, as_of=AS_OF, color=False, width=160)
    assert "Citations" not in out.getvalue()


TRENDING_ROWS = [
    TrendingRow(
        CITED_SAM, citations=1234, gained=120, per_month=28.21871, sparkline="\u2581\u2585\u2588"
    ),
    TrendingRow(UNCITED_CUSTOMIZED, citations=0, gained=None, per_month=0.0),
]


def test_trending_table_off_a_terminal_is_tab_separated() -> None:
    """Off a terminal each paper is a line of id, title, count, gain and velocity, no sparkline."""
    out = io.StringIO()
    trending_table(TRENDING_ROWS, file=out)
    assert out.getvalue() == (
        "2304.02643\tSegment Anything\t1234\t120\t28.2\n"
        "2304.13785\tCustomized Segment Anything Model for Medical Image Segmentation"
        "\t0\t\t0.0\n"
    )


def test_trending_table_on_a_terminal_draws_gains_and_sparklines() -> None:
    """On a terminal gains are signed, the sparkline is drawn and unknown gains show a dash."""
    out = FakeTerminal()
    trending_table(TRENDING_ROWS, file=out, no_color=True, width=160)
    text = out.getvalue()
    for header in ("ID", "Title", "Citations", "Gained", "Per month", "Trend"):
        assert header in text
    sam_line = next(line for line in text.splitlines() if "2304.02643" in line)
    assert "+120" in sam_line
    assert "\u2581\u2585\u2588" in sam_line
    customized_line = next(line for line in text.splitlines() if "2304.13785" in line)
    assert "\u2013" in customized_line
    assert ANSI + "3" not in text


def test_trending_table_colours_gains_green() -> None:
    """On a colour terminal a gain is green."""
    out = FakeTerminal()
    trending_table(TRENDING_ROWS[:1], file=out, width=160)
    assert "\x1b[32m+120" in out.getvalue()


def test_entry_record_carries_citations_and_velocity() -> None:
    """Known counts, the S2 id, the venue year and the rounded velocity are in the record."""
    entry = dataclasses.replace(CITED_SAM, venue_year=2023)
    record = entry_record(entry, as_of=AS_OF)
    assert {key: record[key] for key in ("citations", "influential_citations", "s2_id")} == {
        "citations": 1234,
        "influential_citations": 56,
        "s2_id": S2_PLACEHOLDER,
    }
    assert record["venue_year"] == 2023
    assert record["velocity"] == 28.22
    assert entry_record(entry)["velocity"] is None


def test_entry_record_keeps_a_known_zero() -> None:
    """A known count of 0 stays 0 and its velocity is 0.0, unlike an unknown count."""
    record = entry_record(UNCITED_CUSTOMIZED, as_of=AS_OF)
    assert record["citations"] == 0
    assert record["velocity"] == 0.0
    assert entry_record(GLASS_PENDING, as_of=AS_OF)["citations"] is None


def test_trend_record_lists_the_movement_of_one_paper() -> None:
    """A trend record has the paper, its count, gain, rounded velocity and the series."""
    record = trend_record(
        CITED_SAM, citations=1234, gained=120, per_month=28.21871, series=(1000, 1114, 1234)
    )
    assert record == {
        "id": "2304.02643",
        "title": "Segment Anything",
        "url": "https://arxiv.org/abs/2304.02643",
        "citations": 1234,
        "gained": 120,
        "per_month": 28.22,
        "series": [1000, 1114, 1234],
    }
    assert json.loads(json.dumps(record)) == record


def test_trend_record_of_an_unknown_gain_is_null() -> None:
    """Unknown values are null, never 0."""
    record = trend_record(GLASS_PENDING, citations=None, gained=None, per_month=None, series=())
    assert (record["citations"], record["gained"], record["per_month"], record["series"]) == (
        None,
        None,
        None,
        [],
    )
