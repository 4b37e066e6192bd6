"""Which entries are one work, and how a duplicate group merges."""

from __future__ import annotations

import datetime as dt

from curator import identity, merging
from curator.models import Entry

# Facts of the example list (lists/segment-anything-medical.toml).
PREPRINT = Entry(
    id="2304.02643",
    title="Segment Anything",
    authors=("Alexander Kirillov", "Eric Mintun"),
    venue_doi="10.1109/ICCV51070.2023.00371",
)
PUBLISHED = Entry(
    id="doi:10.1109/iccv51070.2023.00371",
    title="Segment Anything",
    authors=("Alexander Kirillov",),
    doi="10.1109/ICCV51070.2023.00371",
)
OTHER = Entry(id="2306.01567", title="Segment Anything in High Quality", authors=("Lei Ke",))


def test_strong_keys_include_the_arxiv_doi_in_lower_case() -> None:
    assert list(identity.strong_keys(PREPRINT)) == [
        (identity.ARXIV, "2304.02643"),
        (identity.DOI, "10.1109/iccv51070.2023.00371"),
        (identity.DOI, "10.48550/arxiv.2304.02643"),
    ]


def test_a_preprint_and_its_published_version_share_the_publisher_doi() -> None:
    [group] = identity.duplicates([PREPRINT, OTHER, PUBLISHED])
    assert group.strong
    assert [entry.id for entry in group.entries] == [PREPRINT.id, PUBLISHED.id]
    assert [str(e) for e in group.evidence] == [
        "same DOI 10.1109/iccv51070.2023.00371: 2304.02643, doi:10.1109/iccv51070.2023.00371"
    ]


def test_a_chain_of_shared_identifiers_is_one_group() -> None:
    arxiv_doi = "10.48550/arXiv.2304.02643"
    by_s2 = Entry(id=f"doi:{arxiv_doi.lower()}", doi=arxiv_doi, s2_id="abc")
    via_s2 = Entry(id="doi:10.0000/synthetic.1", doi="10.0000/synthetic.1", s2_id="abc")
    [group] = identity.duplicates([PREPRINT, by_s2, via_s2])
    assert {entry.id for entry in group.entries} == {PREPRINT.id, by_s2.id, via_s2.id}
    assert {e.kind for e in group.evidence} == {identity.DOI, identity.SEMANTIC_SCHOLAR}


def test_same_title_and_first_author_is_only_a_suggestion() -> None:
    twin = Entry(id="9901.00001", title="Segment  anything!", authors=("Alexander KIRILLOV",))
    [group] = identity.duplicates([PREPRINT, twin])
    assert not group.strong
    assert group.evidence[0].kind == identity.TITLE


def test_no_suggestion_for_entries_already_grouped() -> None:
    assert [g.strong for g in identity.duplicates([PREPRINT, PUBLISHED])] == [True]


def test_unknown_titles_or_authors_suggest_nothing() -> None:
    assert identity.duplicates([Entry(id="9901.00001"), Entry(id="9901.00002")]) == []


def test_normalise_folds_accents_case_and_punctuation() -> None:
    assert identity.normalise("Piotr Dollár") == "piotr dollar"
    assert identity.normalise("SAM-Med2D: a  survey_of…") == "sam med2d a survey of"


def test_merge_keeps_the_arxiv_entry_and_every_user_value() -> None:
    preprint = {
        "id": "2304.02643",
        "title": "Segment Anything",
        "section": "Foundation models",
        "tags": ["model"],
        "note": "The model the rest builds on.",
        "added": dt.date(2026, 11, 26),
        "sources": ["post.md:1:1"],
        "rating": 5,
    }
    published = {
        "doi": "10.1109/ICCV51070.2023.00371",
        "title": "Segment Anything",
        "section": "Published",
        "tags": ["iccv", "model"],
        "note": "Camera-ready version.",
        "added": dt.date(2026, 1, 2),
        "rating": 4,
        "reviewed_by": "someone",
    }
    result = merging.merge([published, preprint], ["doi:x", "2304.02643"])
    assert result.kept == 1
    assert result.assignments == {
        "note": "The model the rest builds on.\n\nCamera-ready version.",
        "tags": ["model", "iccv", "Published"],
        "added": dt.date(2026, 1, 2),
        "doi": "10.1109/ICCV51070.2023.00371",
        "reviewed_by": "someone",
    }
    assert result.conflicts == (merging.Conflict("rating", "doi:x", 4),)


def test_merge_fills_what_the_kept_entry_lacks_and_unions_versions() -> None:
    kept = {"id": "2304.02643", "versions": [1], "status": "pending"}
    other = {"id": "2304.02643", "versions": [3, 1], "title": "Segment Anything", "citations": 7}
    result = merging.merge([kept, {**other, "status": "pending"}], ["a", "b"])
    assert result.kept == 0
    assert result.assignments == {"versions": [1, 3], "title": "Segment Anything", "citations": 7}


def test_merge_prefers_a_resolved_entry_then_the_first() -> None:
    assert merging.choose_kept([{"doi": "x"}, {"id": "1", "status": "pending"}, {"id": "2"}]) == 2
    assert merging.choose_kept([{"id": "1"}, {"id": "2"}]) == 0


def test_different_identifiers_are_conflicts() -> None:
    result = merging.merge([{"id": "1", "s2_id": "a"}, {"id": "2", "s2_id": "a"}], ["1", "2"])
    assert result.conflicts == (merging.Conflict("id", "2", "2"),)
