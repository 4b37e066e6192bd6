"""Tests for the order and grouping of list entries."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools

import pytest

from curator.models import Entry, ReadingList, Status
from curator.sorting import (
    OTHER_SECTION,
    UNKNOWN_YEAR,
    GroupKey,
    SortKey,
    citations_per_month,
    group_entries,
    sort_entries,
)

# Identifiers, titles and first-version dates from shared/reference/seed-papers.json.
SEGMENT_ANYTHING = Entry(
    id="2304.02643", title="Segment Anything", published=dt.date(2023, 4, 5), section="Models"
)
DIGITAL_PATHOLOGY = Entry(
    id="2304.04155",
    title=(
        "Segment Anything Model (SAM) for Digital Pathology: "
        "Assess Zero-shot Segmentation on Whole Slide Imaging"
    ),
    published=dt.date(2023, 4, 9),
    section="Medical",
)
SAM_FAILS = Entry(
    id="2304.09148",
    title=(
        "SAM Fails to Segment Anything? -- SAM-Adapter: Adapting SAM in Underperformed Scenes: "
        "Camouflage, Shadow, Medical Image Segmentation, and More"
    ),
    section="Models",
)
"""Its first-version date is unknown: only the identifier dates it (April 2023)."""
SAM_MEETS_GLASS = Entry(id="2305.00278", status=Status.PENDING)
"""Pending: neither title nor date is known yet."""
PERSONALIZE = Entry(
    id="2305.03048",
    title="Personalize Segment Anything Model with One Shot",
    published=dt.date(2023, 5, 4),
    section="Few-shot",
)
FEDPARA = Entry(
    id="2108.06098",
    title="FedPara: Low-Rank Hadamard Product for Communication-Efficient Federated Learning",
    published=dt.date(2021, 8, 13),
)

ENTRIES = (FEDPARA, SAM_MEETS_GLASS, SEGMENT_ANYTHING, PERSONALIZE, SAM_FAILS, DIGITAL_PATHOLOGY)

AS_OF = dt.date(2026, 11, 26)
"""The date the counts below were observed (a test value)."""

# Citation counts below are synthetic test values, not the papers' real counts.
CITED = (
    dataclasses.replace(FEDPARA, citations=1200),
    dataclasses.replace(SEGMENT_ANYTHING, citations=1000),
    dataclasses.replace(PERSONALIZE, citations=1000),
    dataclasses.replace(SAM_FAILS, citations=0),
    DIGITAL_PATHOLOGY,
    SAM_MEETS_GLASS,
)
"""Most cited FedPara is the oldest; two papers tie on count; one has a known 0; two are unknown."""


def ids(entries: list[Entry]) -> list[str]:
    """Return the identifiers of ``entries`` in order."""
    return [entry.id for entry in entries]


def test_sort_by_date_is_newest_first() -> None:
    """Newest first; an undated entry follows the dated ones of its identifier's month."""
    assert ids(sort_entries(ENTRIES, SortKey.DATE)) == [
        "2305.03048",
        "2305.00278",
        "2304.04155",
        "2304.02643",
        "2304.09148",
        "2108.06098",
    ]


def test_sort_by_date_breaks_ties_by_identifier() -> None:
    """Entries of the same day come newest identifier first."""
    same_day = [
        Entry(id="2305.00035", published=dt.date(2023, 4, 28)),
        Entry(id="2305.00109", published=dt.date(2023, 4, 28)),
    ]
    assert ids(sort_entries(same_day, SortKey.DATE)) == ["2305.00109", "2305.00035"]


def test_sort_by_date_puts_undatable_entries_last() -> None:
    """An entry with neither a date nor a well-formed identifier comes last."""
    assert ids(sort_entries([Entry(id="not-an-id"), FEDPARA], SortKey.DATE)) == [
        "2108.06098",
        "not-an-id",
    ]


def test_sort_by_title_ignores_case_and_puts_untitled_last() -> None:
    """Titles order case-insensitively; entries without one follow, by identifier."""
    assert ids(sort_entries(ENTRIES, SortKey.TITLE)) == [
        "2108.06098",
        "2305.03048",
        "2304.09148",
        "2304.02643",
        "2304.04155",
        "2305.00278",
    ]


def test_sort_by_title_breaks_ties_by_identifier() -> None:
    """Equal titles, whatever their case and spacing, come in identifier order."""
    twins = [
        Entry(id="2304.12306", title="segment  anything in MEDICAL images"),
        Entry(id="2304.02643", title="Segment Anything in Medical Images"),
    ]
    assert ids(sort_entries(twins, SortKey.TITLE)) == ["2304.02643", "2304.12306"]


@pytest.mark.parametrize(
    ("unordered", "expected"),
    [
        (["1501.00001", "1412.9999", "0704.0001"], ["0704.0001", "1412.9999", "1501.00001"]),
        (["2304.10517", "2304.02643"], ["2304.02643", "2304.10517"]),
        (
            ["0704.0001", "math/0309136", "hep-th/9901001"],
            ["hep-th/9901001", "math/0309136", "0704.0001"],
        ),
        (["math/9901001", "hep-th/9901001"], ["hep-th/9901001", "math/9901001"]),
        (["not-an-id", "2304.02643"], ["2304.02643", "not-an-id"]),
    ],
)
def test_sort_by_id_orders_by_submission_month_and_number(
    unordered: list[str], expected: list[str]
) -> None:
    """Identifiers order by month, then archive, then serial number as an integer."""
    entries = [Entry(id=identifier) for identifier in unordered]
    assert ids(sort_entries(entries, SortKey.ID)) == expected


@pytest.mark.parametrize("by", list(SortKey))
@pytest.mark.parametrize("entries", [ENTRIES, CITED], ids=["uncited", "cited"])
def test_sort_ignores_input_order(by: SortKey, entries: tuple[Entry, ...]) -> None:
    """Every order of the same entries sorts to the same list."""
    results = {
        tuple(ids(sort_entries(order, by, as_of=AS_OF)))
        for order in itertools.permutations(entries)
    }
    assert len(results) == 1


def test_sort_by_citations_is_most_cited_first_with_unknown_last() -> None:
    """Counts order highest first, equal counts by identifier, a known 0 before unknown counts."""
    assert ids(sort_entries(CITED, SortKey.CITATIONS)) == [
        "2108.06098",
        "2304.02643",
        "2305.03048",
        "2304.09148",
        "2304.04155",
        "2305.00278",
    ]


def test_sort_by_velocity_is_fastest_first_with_unknown_last() -> None:
    """Citations per month rank a newer paper above an older, more cited one."""
    assert ids(sort_entries(CITED, SortKey.VELOCITY, as_of=AS_OF)) == [
        "2305.03048",
        "2304.02643",
        "2108.06098",
        "2304.09148",
        "2304.04155",
        "2305.00278",
    ]


def test_sort_by_velocity_breaks_ties_by_identifier() -> None:
    """Equal velocities come in identifier order."""
    twins = [
        Entry(id="2305.00109", published=dt.date(2023, 4, 28), citations=50),
        Entry(id="2305.00035", published=dt.date(2023, 4, 28), citations=50),
    ]
    assert ids(sort_entries(twins, SortKey.VELOCITY, as_of=AS_OF)) == [
        "2305.00035",
        "2305.00109",
    ]


def test_sort_by_velocity_needs_the_date_of_the_counts() -> None:
    """Without as_of there is no velocity to sort by, and no clock is read instead."""
    with pytest.raises(ValueError, match="as_of"):
        sort_entries(CITED, SortKey.VELOCITY)


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        (dataclasses.replace(SEGMENT_ANYTHING, citations=1000), 1000 / 43.72985),
        (dataclasses.replace(FEDPARA, citations=1200), 1200 / 63.44278),
        (dataclasses.replace(SAM_FAILS, citations=439), 439 / 43.86127),
        (dataclasses.replace(SAM_FAILS, citations=0), 0.0),
    ],
    ids=["published", "older", "identifier-month", "zero"],
)
def test_citations_per_month_counts_from_the_first_version(entry: Entry, expected: float) -> None:
    """Velocity divides the count by the months since the first version or the id's month."""
    assert citations_per_month(entry, AS_OF) == pytest.approx(expected, rel=1e-6)


def test_citations_per_month_counts_at_least_one_month() -> None:
    """A paper in its first month, or dated after as_of, has its count as velocity."""
    entry = dataclasses.replace(SEGMENT_ANYTHING, citations=40)
    assert citations_per_month(entry, dt.date(2023, 4, 20)) == 40
    assert citations_per_month(entry, dt.date(2023, 1, 1)) == 40


@pytest.mark.parametrize(
    "entry",
    [SEGMENT_ANYTHING, Entry(id="not-an-id", citations=5)],
    ids=["unknown-count", "undatable"],
)
def test_citations_per_month_is_unknown_without_count_or_start(entry: Entry) -> None:
    """No count, or no date and no well-formed identifier, gives no velocity (not 0)."""
    assert citations_per_month(entry, AS_OF) is None


def test_group_by_section_follows_declared_then_alphabetical_then_other() -> None:
    """Declared sections come first, undeclared ones alphabetically, then unsectioned entries."""
    reading_list = ReadingList(name="sam", sections=("Models", "Empty", "Medical"))
    groups = group_entries(reading_list, sort_entries(ENTRIES, SortKey.ID), GroupKey.SECTION)
    assert [(label, ids(members)) for label, members in groups] == [
        ("Models", ["2304.02643", "2304.09148"]),
        ("Medical", ["2304.04155"]),
        ("Few-shot", ["2305.03048"]),
        (OTHER_SECTION, ["2108.06098", "2305.00278"]),
    ]


def test_group_by_section_merges_unsectioned_into_a_declared_other() -> None:
    """A section the list calls "Other" also takes the entries without a section."""
    reading_list = ReadingList(name="sam", sections=("Other", "Models"))
    entries = [FEDPARA, SEGMENT_ANYTHING, Entry(id="2305.00278", section="Other")]
    groups = group_entries(reading_list, entries, GroupKey.SECTION)
    assert [(label, ids(members)) for label, members in groups] == [
        ("Other", ["2108.06098", "2305.00278"]),
        ("Models", ["2304.02643"]),
    ]


def test_group_by_section_normalises_section_whitespace() -> None:
    """Sections differing only in spacing are one group, named as declared."""
    reading_list = ReadingList(name="sam", sections=("Medical  imaging",))
    entries = [Entry(id="2304.04155", section=" Medical imaging\n")]
    groups = group_entries(reading_list, entries, GroupKey.SECTION)
    assert [(label, ids(members)) for label, members in groups] == [
        ("Medical imaging", ["2304.04155"])
    ]


def test_group_by_section_without_sections_is_one_unheaded_group() -> None:
    """When no entry has a section, nothing is headed "Other"."""
    groups = group_entries(ReadingList(name="sam"), [FEDPARA, SAM_MEETS_GLASS], GroupKey.SECTION)
    assert [(label, ids(members)) for label, members in groups] == [
        (None, ["2108.06098", "2305.00278"])
    ]


def test_group_by_year_is_newest_first_with_unknown_last() -> None:
    """Years head groups newest first; entries without a year come last."""
    entries = sort_entries([*ENTRIES, Entry(id="not-an-id")], SortKey.ID)
    groups = group_entries(ReadingList(name="sam"), entries, GroupKey.YEAR)
    assert [(label, ids(members)) for label, members in groups] == [
        ("2023", ["2304.02643", "2304.04155", "2304.09148", "2305.00278", "2305.03048"]),
        ("2021", ["2108.06098"]),
        (UNKNOWN_YEAR, ["not-an-id"]),
    ]


def test_group_none_is_one_group_without_heading() -> None:
    """No grouping keeps every entry, in order, under no heading."""
    groups = group_entries(ReadingList(name="sam"), ENTRIES, GroupKey.NONE)
    assert groups == [(None, list(ENTRIES))]


@pytest.mark.parametrize("by", list(GroupKey))
def test_group_of_nothing_is_empty(by: GroupKey) -> None:
    """No entries make no groups."""
    assert group_entries(ReadingList(name="sam"), [], by) == []
