"""curator refresh end to end for papers not on arXiv: known by a DOI or only by a title.

Every paper here is SYNTHETIC test data: arXiv ids from 2099 (``synthetic_papers``, and the
arXiv stand-in's ``add_synthetic``) and papers with DOIs under the prefix 10.0000, which no
registrant uses (``synthetic_doi_paper``). None describes a real paper.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from standin import ArxivStandin
from standin_s2 import S2Standin, synthetic_doi_paper, synthetic_papers
from test_refresh import environment
from typer.testing import CliRunner, Result

from curator import history, store
from curator.cache import citations_from_dict, citations_to_dict
from curator.cli import app
from curator.models import Citations, Entry
from curator.sources.semantic_scholar import METADATA_FIELDS

ON_AND_OFF_ARXIV = """\
[list]
title = "Synthetic papers on and off arXiv"

[[paper]]
id = "9901.00001"

[[paper]]
doi = "10.0000/synthetic.2"
note = "Known by its DOI only."

[[paper]]
title = "Synthetic Published Paper, 3"  # typed by hand
authors = ["A. Synthetic"]
"""
"""A list with an arXiv paper, a paper known by its DOI and one known by its title."""
ARXIV_KEY = "9901.00001"
DOI_KEY = "doi:10.0000/synthetic.2"
TITLE_KEY = "title:synthetic published paper 3"


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    """Invoke curator in-process with ``env`` as the only curator settings."""
    return CliRunner().invoke(app, list(args), env=env)


@pytest.fixture
def s2() -> Iterator[S2Standin]:
    """Run a Semantic Scholar stand-in knowing 9901.00001 and the papers 10.0000/synthetic.2, .3."""
    with S2Standin(synthetic_papers(1)) as standin:
        standin.dois["10.0000/synthetic.2"] = synthetic_doi_paper(2)
        standin.dois["10.0000/synthetic.3"] = synthetic_doi_paper(3)
        yield standin


def entries(listing: Path) -> dict[str, Entry]:
    """Return the entries of a list by key."""
    return {entry.id: entry for entry in store.load(listing).entries}


def test_papers_on_and_off_arxiv_are_refreshed_together(tmp_path: Path, s2: S2Standin) -> None:
    """arXiv is asked for the arXiv paper only; Semantic Scholar counts all three, by their keys."""
    listing = tmp_path / "mixed.toml"
    listing.write_text(ON_AND_OFF_ARXIV, encoding="utf-8")
    with ArxivStandin() as arxiv:
        arxiv.add_synthetic([ARXIV_KEY])
        result = run("refresh", str(listing), env=environment(tmp_path, s2, arxiv.api_url))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        f"{listing}: 1 checked on arXiv (1 resolved, 0 unresolved, 0 pending); "
        "3 checked on Semantic Scholar (3 with counts, 0 unknown, 3 history rows added)\n"
    )
    assert [request.query["id_list"] for request in arxiv.requests] == [[ARXIV_KEY]]
    assert [(seen.method, seen.path, seen.ids, seen.query) for seen in s2.requests] == [
        (
            "POST",
            "/graph/v1/paper/batch",
            ("ARXIV:9901.00001", "DOI:10.0000/synthetic.2"),
            {"fields": [METADATA_FIELDS]},
        ),
        (
            "GET",
            "/graph/v1/paper/search/match",
            None,
            {"query": ["synthetic published paper 3"], "fields": [METADATA_FIELDS]},
        ),
    ]
    found = entries(listing)
    assert {
        key: (entry.citations, entry.influential_citations) for key, entry in found.items()
    } == {
        ARXIV_KEY: (7, 1),
        DOI_KEY: (22, 2),
        TITLE_KEY: (33, 3),
    }
    assert found[ARXIV_KEY].s2_id == s2.papers[ARXIV_KEY]["paperId"]
    assert found[DOI_KEY].s2_id == synthetic_doi_paper(2)["paperId"]
    assert found[TITLE_KEY].s2_id == synthetic_doi_paper(3)["paperId"]
    recorded = history.read(tmp_path / "mixed.history.csv")
    assert sorted(recorded) == sorted([ARXIV_KEY, DOI_KEY, TITLE_KEY])
    assert [row.citations for row in recorded[TITLE_KEY]] == [33]


def test_metadata_fills_only_what_the_list_lacks(tmp_path: Path, s2: S2Standin) -> None:
    """The DOI-only paper gains title, authors and date; the typed title and authors stay."""
    listing = tmp_path / "mixed.toml"
    listing.write_text(ON_AND_OFF_ARXIV, encoding="utf-8")
    result = run("refresh", str(listing), "--no-metadata", env=environment(tmp_path, s2))
    assert result.exit_code == 0, result.stderr
    found = entries(listing)
    by_doi, by_title = found[DOI_KEY], found[TITLE_KEY]
    assert (by_doi.title, by_doi.authors, by_doi.published) == (
        "Synthetic published paper 2",
        ("Synthetic Author",),
        dt.date(2099, 1, 1),
    )
    assert (by_doi.venue, by_doi.venue_doi, by_doi.venue_year, by_doi.note) == (
        "Synthetic Journal",
        "10.0000/synthetic.2",
        2099,
        "Known by its DOI only.",
    )
    assert (by_title.title, by_title.authors, by_title.published) == (
        "Synthetic Published Paper, 3",
        ("A. Synthetic",),
        dt.date(2099, 1, 1),
    )
    text = listing.read_text(encoding="utf-8")
    assert 'title = "Synthetic Published Paper, 3"  # typed by hand\n' in text
    assert 'authors = ["A. Synthetic"]\n' in text


def test_typed_values_of_a_doi_only_paper_are_never_replaced(tmp_path: Path, s2: S2Standin) -> None:
    """A title, authors and date written by hand stay as they are through forced refreshes."""
    listing = tmp_path / "typed.toml"
    typed = (
        "[[paper]]\n"
        'doi = "10.0000/SYNTHETIC.2"\n'
        'title = "My name for synthetic paper 2"\n'
        'authors = ["S. Author", "Another Synthetic Author"]\n'
        "published = 2098-12-31\n"
    )
    listing.write_text(typed, encoding="utf-8")
    env = environment(tmp_path, s2)
    for _ in range(2):
        result = run("refresh", str(listing), "--no-metadata", "--all", env=env)
        assert result.exit_code == 0, result.stderr
    (entry,) = store.load(listing).entries
    assert entry.id == DOI_KEY
    assert (entry.title, entry.authors, entry.published, entry.citations) == (
        "My name for synthetic paper 2",
        ("S. Author", "Another Synthetic Author"),
        dt.date(2098, 12, 31),
        22,
    )
    text = listing.read_text(encoding="utf-8")
    assert [line for line in typed.splitlines(keepends=True) if line not in text] == []
    assert [seen.ids for seen in s2.requests] == [("DOI:10.0000/synthetic.2",)] * 2


def test_an_arxiv_paper_takes_no_metadata_from_semantic_scholar(
    tmp_path: Path, s2: S2Standin
) -> None:
    """arXiv describes its papers: a title Semantic Scholar gives one is not written."""
    listing = tmp_path / "mixed.toml"
    listing.write_text(
        f'[[paper]]\nid = "{ARXIV_KEY}"\n\n[[paper]]\ndoi = "10.0000/synthetic.2"\n',
        encoding="utf-8",
    )
    result = run("refresh", str(listing), "--no-metadata", env=environment(tmp_path, s2))
    assert result.exit_code == 0, result.stderr
    assert s2.requests[0].query == {"fields": [METADATA_FIELDS]}  # titles were given
    on_arxiv = entries(listing)[ARXIV_KEY]
    assert (on_arxiv.title, on_arxiv.authors, on_arxiv.citations) == (None, (), 7)


def test_render_and_show_link_the_doi(tmp_path: Path, s2: S2Standin) -> None:
    """A paper known by its DOI is rendered and shown with a link to its DOI."""
    listing = tmp_path / "mixed.toml"
    listing.write_text(ON_AND_OFF_ARXIV, encoding="utf-8")
    assert (
        run("refresh", str(listing), "--no-metadata", env=environment(tmp_path, s2)).exit_code == 0
    )
    rendered = run("render", str(listing))
    shown = run("show", str(listing), "--json")
    assert (rendered.exit_code, shown.exit_code) == (0, 0)
    assert (
        "- [Synthetic published paper 2](https://doi.org/10.0000/synthetic.2) - S. Author, 2099. "
        "Published in Synthetic Journal 2099. 22 citations. Known by its DOI only.\n"
    ) in rendered.stdout
    urls = {row["id"]: row["url"] for row in json.loads(shown.stdout)}
    assert urls[DOI_KEY] == "https://doi.org/10.0000/synthetic.2"


def test_a_title_without_its_own_match_stays_unknown(tmp_path: Path, s2: S2Standin) -> None:
    """No match, or a best match titled otherwise, leaves a title-only paper without a count."""
    listing = tmp_path / "titles.toml"
    listing.write_text(
        '[[paper]]\ntitle = "Synthetic paper nobody wrote"\n\n'
        '[[paper]]\ntitle = "Synthetic published paper"\n',
        encoding="utf-8",
    )
    s2.best_matches["synthetic published paper"] = synthetic_doi_paper(3)
    result = run("refresh", str(listing), "--no-metadata", env=environment(tmp_path, s2))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        f"{listing}: 2 checked on Semantic Scholar "
        "(0 with counts, 2 unknown, 0 history rows added)\n"
    )
    assert [seen.status for seen in s2.requests] == [404, 200]
    assert [(entry.citations, entry.s2_id) for entry in store.load(listing).entries] == [
        (None, None),
        (None, None),
    ]


def test_a_second_refresh_uses_the_cached_metadata(tmp_path: Path, s2: S2Standin) -> None:
    """Cached answers keep titles and dates: a paper added again within max-age asks nothing."""
    first = tmp_path / "first.toml"
    second = tmp_path / "second.toml"
    for listing in (first, second):
        listing.write_text('[[paper]]\ndoi = "10.0000/synthetic.2"\n', encoding="utf-8")
    env = environment(tmp_path, s2)
    assert run("refresh", str(first), "--no-metadata", env=env).exit_code == 0
    assert run("refresh", str(second), "--no-metadata", env=env).exit_code == 0
    assert len(s2.requests) == 1
    assert first.read_bytes() == second.read_bytes()
    assert entries(second)[DOI_KEY].title == "Synthetic published paper 2"


def test_cache_records_keep_the_metadata_and_old_ones_still_load() -> None:
    """Title, authors and date go through the cache; records from before them load unchanged."""
    citations = Citations(
        id=DOI_KEY,
        s2_id="0" * 40,
        citations=22,
        title="Synthetic published paper 2",
        authors=("Synthetic Author",),
        published=dt.date(2099, 1, 1),
    )
    assert citations_from_dict(json.loads(json.dumps(citations_to_dict(citations)))) == citations
    old = {"id": "9901.00001", "s2_id": "0" * 40, "citations": 7, "influential_citations": 1}
    old |= {"venue": None, "venue_year": None, "venue_doi": None}
    assert citations_from_dict(old) == Citations(
        id="9901.00001", s2_id="0" * 40, citations=7, influential_citations=1
    )


def test_a_doi_only_entry_and_its_arxiv_preprint_are_one_work(
    tmp_path: Path, s2: S2Standin
) -> None:
    """Semantic Scholar's one paperId for both makes check report one work and dedupe merge it."""
    listing = tmp_path / "same.toml"
    listing.write_text(
        f'[[paper]]\nid = "{ARXIV_KEY}"\ntitle = "Synthetic paper 9901.00001"\n'
        'authors = ["Synthetic Author"]\npublished = 2099-01-01\n\n'
        '[[paper]]\ndoi = "10.0000/synthetic.1"\nnote = "The published version."\n',
        encoding="utf-8",
    )
    paper = s2.papers[ARXIV_KEY]
    paper.update(publicationDate="2099-01-01", authors=[{"authorId": "1", "name": "S. Author"}])
    s2.dois["10.0000/synthetic.1"] = paper  # the same paper, found by either id
    result = run("refresh", str(listing), "--no-metadata", env=environment(tmp_path, s2))
    assert result.exit_code == 0, result.stderr
    found = entries(listing)
    assert found[ARXIV_KEY].s2_id == found["doi:10.0000/synthetic.1"].s2_id == paper["paperId"]

    checked = run("check", str(listing))

    assert checked.exit_code == 1
    assert checked.stdout == (
        f"{listing}:1: error: 2 entries are one work (same Semantic Scholar id "
        f"{paper['paperId']}: {ARXIV_KEY}, doi:10.0000/synthetic.1); "
        "merge them with 'curator dedupe --apply'\n"
    )

    merged = run("dedupe", str(listing), "--apply")

    assert merged.exit_code == 0, merged.stderr
    assert merged.stderr == "merged: doi:10.0000/synthetic.1 into 9901.00001\n1 merge made\n"
    (entry,) = store.load(listing).entries
    assert (entry.id, entry.s2_id, entry.doi, entry.note) == (
        ARXIV_KEY,
        paper["paperId"],
        "10.0000/synthetic.1",
        "The published version.",
    )
    assert run("check", str(listing)).exit_code == 0
