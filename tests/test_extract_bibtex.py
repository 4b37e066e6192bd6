"""BibTeX as a source: the arXiv papers each entry names, once per entry, where it names them."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from curator.cli import app
from curator.extract import extract

Row = tuple[str, int, int, str, "int | None"]

REFERENCES = """\
% Encoding: UTF-8
@misc{kirillov2023segment,
  title         = {Segment {A}nything},
  author        = {Alexander Kirillov and Eric Mintun},
  eprint        = {2304.02643v2},
  archivePrefix = {arXiv},
  primaryClass  = {cs.CV},
  url           = {https://arxiv.org/abs/2304.02643},
}

@online{synthetic1,
  title      = "Synthetic Old-Style Entry",
  eprint     = {hep-th/9901001},
  eprinttype = {ARXIV},
}

@article{ke2023segment, title = {Segment Anything in High Quality},
  journal = {arXiv preprint arXiv:2306.01567}}
@misc{zhang2023personalize, doi = {10.48550/arXiv.2305.03048}}
@misc{mazurowski2023segment,
  howpublished = {\\url{https://arxiv.org/pdf/2304.10517v1.pdf}},
  note = {Also cited as 2304.12306},
}
@misc{synthetic2, title = {Synthetic Entry Naming No Paper}, eprint = {9901.00001}}
@misc{synthetic3, title = {Synthetic Entry}, year = {2099}}
"""
"""Real ids from the example list in every way BibTeX files name them, and SYNTHETIC entries."""


def rows(path: Path, *, bare: bool = False, warnings: list[str] | None = None) -> list[Row]:
    """Return (id, line, column, text, version) for every occurrence found in a file."""
    warn = None if warnings is None else warnings.append
    found = extract([str(path)], bare=bare, on_warning=warn)
    return [
        (item.id, item.occurrence.line, item.occurrence.column, item.occurrence.text,
         item.occurrence.version)
        for item in found
    ]  # fmt: skip


def write(tmp_path: Path, text: str, name: str = "references.bib") -> Path:
    """Write a BibTeX file and return its path."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_each_entry_names_its_papers_once_with_the_entry_title(tmp_path: Path) -> None:
    """Eprints (BibTeX and biblatex), DOIs, links and journal notes are found, once per entry."""
    assert rows(write(tmp_path, REFERENCES)) == [
        ("2304.02643", 5, 20, "Segment Anything", 2),
        ("hep-th/9901001", 13, 17, "Synthetic Old-Style Entry", None),
        ("2306.01567", 18, 29, "Segment Anything in High Quality", None),
        ("2305.03048", 19, 36, "10.48550/arXiv.2305.03048", None),
        ("2304.10517", 21, 24, "\\url{https://arxiv.org/pdf/2304.10517v1.pdf}", 1),
    ]


def test_bare_also_takes_bare_ids_in_any_field(tmp_path: Path) -> None:
    """With bare=True a number standing alone in a note counts, and so does an untyped eprint."""
    found = rows(write(tmp_path, REFERENCES), bare=True)
    assert [row[0] for row in found] == [
        "2304.02643", "hep-th/9901001", "2306.01567", "2305.03048", "2304.10517", "2304.12306",
        "9901.00001",
    ]  # fmt: skip
    assert found[5] == ("2304.12306", 22, 25, "Also cited as 2304.12306", None)


def test_malformed_entry_is_skipped_with_one_warning_and_the_others_are_read(
    tmp_path: Path,
) -> None:
    """A block bibtexparser cannot parse is named by its line; the entries around it count."""
    text = (
        "@misc{first, eprint = {2304.02643}, archivePrefix = {arXiv}}\n"
        "@misc{broken,\n"
        "  title = {Synthetic Unclosed Title,\n"
        "@misc{last, url = {https://arxiv.org/abs/2306.01567}}\n"
    )
    warnings: list[str] = []
    path = write(tmp_path, text)
    assert [row[0] for row in rows(path, warnings=warnings)] == ["2304.02643", "2306.01567"]
    assert warnings == [f"{path}:2: not valid BibTeX, skipped to the next entry"]


def test_entries_with_a_repeated_key_are_read_too(tmp_path: Path) -> None:
    """Two entries under one key both name their papers, without a warning."""
    text = (
        "@misc{same, eprint = {2304.02643}, archivePrefix = {arXiv}}\n"
        "@misc{same, eprint = {2306.01567}, archivePrefix = {arXiv}}\n"
    )
    warnings: list[str] = []
    assert [row[0] for row in rows(write(tmp_path, text), warnings=warnings)] == [
        "2304.02643",
        "2306.01567",
    ]
    assert warnings == []


def test_bibtex_on_stdin_is_recognised_by_its_content() -> None:
    """Piped BibTeX (after % comment lines) is read as BibTeX: its bare eprints are found."""
    result = CliRunner().invoke(app, ["extract", "-"], input=REFERENCES)
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.splitlines() == [
        "2304.02643", "hep-th/9901001", "2306.01567", "2305.03048", "2304.10517",
    ]  # fmt: skip


def test_extract_json_reports_the_entry_title(tmp_path: Path) -> None:
    """curator extract --json describes a BibTeX occurrence by its title, line and column."""
    path = write(tmp_path, REFERENCES)
    result = CliRunner().invoke(app, ["extract", "--json", str(path)])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == (
        '{"id": "2304.02643", "versions": [2], "occurrences": [{"source": "'
        + str(path)
        + '", "line": 5, "column": 20, "text": "Segment Anything", "version": 2, '
        '"message_id": null, "date": null, "author": null}]}'
    )
