"""``curator import``: papers from an awesome-list README (with sections and notes) and BibTeX."""

from __future__ import annotations

from pathlib import Path

from standin import ArxivStandin
from typer.testing import CliRunner

from curator import awesome, store
from curator.cli import app

# An awesome list written for this test; its titles and ids are facts of the example list.
README = """\
# Awesome SAM for medicine

A list for testing. [![Awesome](https://awesome.re/badge.svg)](https://awesome.re)

## Contents

- [Models](#models)
- [Medical imaging](#medical-imaging)

## Models

- [Segment Anything](https://arxiv.org/abs/2304.02643) - the original model. [[code](https://github.com/facebookresearch/segment-anything)]
- **Segment Anything in High Quality** [[paper](https://arxiv.org/pdf/2306.01567v2.pdf)]

```
Not a paper: arXiv:2305.03048 inside a code block.
```

## Medical imaging

1. Segment Anything Model for Medical Images? arXiv:2304.14660 — an evaluation.
2. [Towards Segment Anything Model (SAM) for Medical Image Segmentation: A Survey](https://arxiv.org/abs/2305.03678)
   a survey.
"""


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), env=env or {})
    return result.exit_code, result.stdout, result.stderr


def test_outline_has_title_sections_notes_and_versions() -> None:
    outline = awesome.read(README)

    assert outline.title == "Awesome SAM for medicine"
    assert outline.sections == ("Models", "Medical imaging")
    assert [(p.id, p.section, p.note, p.version) for p in outline.papers] == [
        ("2304.02643", "Models", "the original model. code", None),
        ("2306.01567", "Models", "Segment Anything in High Quality", 2),
        ("2304.14660", "Medical imaging", "Segment Anything Model for Medical Images? "
         "\u2014 an evaluation.", None),
        ("2305.03678", "Medical imaging", "a survey.", None),
    ]  # fmt: skip
    assert (outline.papers[0].line, outline.papers[0].column) == (12, 22)


def test_headings_of_a_list_with_several_top_headings_are_sections() -> None:
    outline = awesome.read("# A\n\narXiv:2304.02643\n\n# B\n\narXiv:2306.01567\n")
    assert (outline.title, outline.sections) == (None, ("A", "B"))


def test_import_places_papers_under_their_headings(
    tmp_path: Path, arxiv_standin: ArxivStandin
) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(README, encoding="utf-8")
    listing = tmp_path / "sam.toml"
    env = {"CURATOR_ARXIV_API": arxiv_standin.api_url}

    code, out, err = run("import", str(readme), "--list", str(listing), env=env)

    assert code == 0, err
    assert "4 links, 4 distinct papers, 0 already listed, 4 added" in out
    reading_list = store.load(listing)
    assert reading_list.title == "Awesome SAM for medicine"
    assert reading_list.sections == ("Models", "Medical imaging")
    entries = {entry.id: entry for entry in reading_list.entries}
    assert entries["2304.02643"].title == "Segment Anything"  # resolved on arXiv
    assert entries["2304.02643"].section == "Models"
    assert entries["2304.02643"].note == "the original model. code"
    assert entries["2306.01567"].versions == (2,)
    assert entries["2305.03678"].section == "Medical imaging"
    assert entries["2305.03678"].sources == (f"{readme}:22:84",)
    assert len(arxiv_standin.requests) == 1


def test_papers_already_listed_keep_their_own_place(
    tmp_path: Path, arxiv_standin: ArxivStandin
) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(README, encoding="utf-8")
    listing = tmp_path / "sam.toml"
    mine = (
        '[list]\ntitle = "Mine"\n\n[[paper]]\nid = "2304.02643"\ntitle = "Segment Anything"\n'
        'section = "Foundation"\nnote = "my words"\n'
    )
    listing.write_text(mine, encoding="utf-8")
    env = {"CURATOR_ARXIV_API": arxiv_standin.api_url}

    code, out, _ = run("import", str(readme), "--list", str(listing), env=env)

    assert code == 0
    assert "1 already listed, 3 added" in out
    reading_list = store.load(listing)
    assert reading_list.title == "Mine"
    first = reading_list.entries[0]
    assert (first.section, first.note) == ("Foundation", "my words")
    assert listing.read_text(encoding="utf-8").startswith(
        '[list]\ntitle = "Mine"\nsections = ["Models", "Medical imaging"]\n\n[[paper]]\n'
        'id = "2304.02643"\ntitle = "Segment Anything"\nsection = "Foundation"\nnote = "my words"\n'
    )


def test_dry_run_changes_nothing(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(README, encoding="utf-8")
    listing = tmp_path / "sam.toml"

    code, out, _ = run("import", str(readme), "--list", str(listing), "--dry-run")

    assert code == 0
    assert "4 would add" in out
    assert not listing.exists()


def test_other_formats_are_refused_in_one_line(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text("<html><a href='https://arxiv.org/abs/2304.02643'>x</a></html>")

    code, _, err = run("import", str(page), "--list", str(tmp_path / "x.toml"))

    assert code != 0
    assert err.strip() == (
        f"error: {page}: import reads BibTeX or Markdown, not HTML; "
        "use 'curator harvest' to take the links of other documents"
    )
    assert not (tmp_path / "x.toml").exists()


def test_a_directory_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("arXiv:2304.02643\n")
    (tmp_path / "b.md").write_text("arXiv:2306.01567\n")

    code, _, err = run("import", str(tmp_path), "--list", str(tmp_path / "x.toml"))

    assert code != 0
    assert "import reads one file" in err


def test_bibtex_export_of_the_example_round_trips_through_import(
    tmp_path: Path, arxiv_standin: ArxivStandin
) -> None:
    example = Path(__file__).resolve().parent.parent / "lists" / "segment-anything-medical.toml"
    bib, listing = tmp_path / "sam.bib", tmp_path / "again.toml"
    assert run("export", str(example), "--format", "bibtex", "-o", str(bib))[0] == 0

    code, out, err = run(
        "import", str(bib), "--list", str(listing), env={"CURATOR_ARXIV_API": arxiv_standin.api_url}
    )

    assert code == 0, err
    original = store.load(example).entries
    imported = store.load(listing).entries
    assert [entry.id for entry in imported] == [entry.id for entry in original]
    assert [entry.title for entry in imported] == [entry.title for entry in original]
    assert "25 distinct papers, 0 already listed, 25 added" in out
