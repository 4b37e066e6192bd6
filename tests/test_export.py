"""curator export: BibTeX and CSL-JSON that other tools read back, JSON and CSV of every field."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
from pathlib import Path

import bibtexparser
import pybtex.database
import pytest
from bibtexparser.middlewares.names import split_multiple_persons_names
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle
from citeproc import formatter as citeproc_formatter
from citeproc.source.json import CiteProcJSON
from pylatexenc.latex2text import LatexNodes2Text
from standin import ArxivStandin
from typer.testing import CliRunner, Result

from curator import store
from curator.cli import app
from curator.export import ExportFormat, export
from curator.models import Entry, ReadingList, Status
from curator.render.records import entry_record

REPO = Path(__file__).resolve().parent.parent
EXAMPLE_LIST = REPO / "lists" / "segment-anything-medical.toml"
EXAMPLE = store.load(EXAMPLE_LIST)
EXAMPLE_IDS = [entry.id for entry in EXAMPLE.entries]

TRICKY_TITLE = (
    "Synthetic {SAM} Costs $O(n)$: 100% & More_#1 -- a ``Test'' of \\ and ~ in Dollár's Ødegård"
)
"""A SYNTHETIC title with the characters LaTeX and BibTeX treat specially."""
TRICKY_AUTHORS = (
    "Piotr Dollár",  # an accent, from the example list
    "Synthetic, Author",  # a comma: one literal name
    "Synthetica",  # a single word
    "Jean de la Synthèse",  # particles belong to the family name
    "Łukasz Øster-Synthetic",  # letters without decomposition
    "Synthetic and Sons",  # "and" must not split the name
    "Brace {Synthetic}",  # braces are characters, not BibTeX grouping
)
TRICKY = Entry(
    id="9901.00001",
    title=TRICKY_TITLE,
    authors=TRICKY_AUTHORS,
    published=dt.date(2099, 1, 2),
    primary_category="cs.CV",
    withdrawn=True,
)
"""A SYNTHETIC paper (2099 identifier) with tricky names and a tricky title."""
DOI_ONLY = Entry(
    id="doi:10.9999/synthetic.5678_9",
    title="Synthetic Study Known Only by Its DOI",
    authors=("Synthetic Author",),
    venue="Synthetic Journal of IS&T, vol. 1",
    venue_doi="10.9999/synthetic.5678_9",
    venue_year=2099,
)
"""A SYNTHETIC paper known only by its (unregistered, 10.9999) DOI."""


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    """Invoke curator in-process with the given arguments."""
    return CliRunner().invoke(app, list(args), env=env or {})


def bibtex_of(*entries: Entry) -> str:
    """Return the BibTeX export of a SYNTHETIC list holding ``entries``."""
    return export(ReadingList("synthetic", entries=entries), ExportFormat.BIBTEX)


def latex_text(latex: str) -> str:
    """Return what a BibTeX value prints as, decoded by pylatexenc (an independent decoder)."""
    return str(LatexNodes2Text().latex_to_text(latex))


def test_example_list_bibtex_parses_back_with_bibtexparser_and_pybtex() -> None:
    """Both parsers read every paper of the example list under the same key with the same fields."""
    text = export(EXAMPLE, ExportFormat.BIBTEX)
    library = bibtexparser.parse_string(text)
    assert library.failed_blocks == []
    parsed = pybtex.database.parse_string(text, "bibtex")
    assert [entry.key for entry in library.entries] == list(parsed.entries)
    for entry, paper in zip(library.entries, EXAMPLE.entries, strict=True):
        other = parsed.entries[entry.key]
        assert entry.entry_type == other.type == "misc"
        fields = {field.key: field.value for field in entry.fields}
        names = split_multiple_persons_names(fields.pop("author"))
        assert len(names) == len(other.persons["author"])
        assert [latex_text(name) for name in names] == list(paper.authors)
        assert fields == dict(other.fields)
        assert latex_text(fields["title"]) == paper.title
        assert (fields["eprint"], fields["archivePrefix"]) == (paper.id, "arXiv")


def test_example_list_bibtex_for_a_published_paper_and_a_preprint() -> None:
    """A published paper has its venue and publisher DOI; a preprint has arXiv's DOI."""
    text = export(EXAMPLE, ExportFormat.BIBTEX)
    assert text.startswith(
        "@misc{kirillov2023segment,\n"
        "  title         = {Segment Anything},\n"
        "  author        = {Alexander Kirillov and Eric Mintun and Nikhila Ravi and Hanzi Mao and "
        "Chloe Rolland and Laura Gustafson and Tete Xiao and Spencer Whitehead and "
        "Alexander C. Berg and Wan-Yen Lo and Piotr Doll{\\'a}r and Ross Girshick},\n"
        "  year          = {2023},\n"
        "  howpublished  = {ICCV 2023 (IEEE/CVF International Conference on Computer Vision), "
        "2023},\n"
        "  doi           = {10.1109/ICCV51070.2023.00371},\n"
        "  eprint        = {2304.02643},\n"
        "  archivePrefix = {arXiv},\n"
        "  primaryClass  = {cs.CV},\n"
        "  url           = {https://arxiv.org/abs/2304.02643}\n"
        "}\n"
        "\n"
        "@misc{ke2023segment,\n"
    )
    roy = bibtexparser.parse_string(text).entries[5]
    assert roy.key == "roy2023sam"
    assert {field.key: field.value for field in roy.fields} == {
        "title": "{SAM.MD:} Zero-shot medical image segmentation capabilities of the "
        "Segment Anything Model",
        "author": "Saikat Roy and Tassilo Wald and Gregor Koehler and Maximilian R. Rokuss and "
        "Nico Disch and Julius Holzschuh and David Zimmerer and Klaus H. Maier-Hein",
        "year": "2023",
        "doi": "10.48550/arXiv.2304.05396",
        "eprint": "2304.05396",
        "archivePrefix": "arXiv",
        "primaryClass": "eess.IV",
        "url": "https://arxiv.org/abs/2304.05396",
    }


def test_keys_are_unique_and_stable() -> None:
    """Keys are unique, the same on every run, and kept when unrelated papers are added."""
    keys = [entry.key for entry in bibtexparser.parse_string(bibtex_of(*EXAMPLE.entries)).entries]
    assert len(set(keys)) == len(keys) == 25
    assert keys[:3] == ["kirillov2023segment", "ke2023segment", "zhang2023personalize"]
    again = [entry.key for entry in bibtexparser.parse_string(bibtex_of(*EXAMPLE.entries)).entries]
    assert again == keys
    grown = bibtexparser.parse_string(bibtex_of(TRICKY, *EXAMPLE.entries, DOI_ONLY)).entries
    assert [entry.key for entry in grown] == ["dollar2099synthetic", *keys, "author2099synthetic"]


@pytest.mark.parametrize(
    ("author", "title", "key"),
    [
        ("Piotr Dollár", "Synthetic Study", "dollar2099synthetic"),
        ("Łukasz Øster-Synthetic", "A Synthetic Study", "ostersynthetic2099synthetic"),
        ("Jean de la Synthèse", "On the Synthetic", "delasynthese2099synthetic"),
        ("Synthetic, Author", "The 3D Synthetic", "synthetic20993d"),
        ("Synthetica", "{SAM}: Synthetic", "synthetica2099sam"),
    ],
)
def test_key_is_family_name_year_and_first_significant_title_word(
    author: str, title: str, key: str
) -> None:
    """Keys fold names and words to ASCII and skip small words such as "a", "on" and "the"."""
    entry = Entry(id="9901.00002", title=title, authors=(author,))
    assert bibtexparser.parse_string(bibtex_of(entry)).entries[0].key == key


def test_colliding_keys_get_letters_in_list_order() -> None:
    """A key taken by an earlier paper gets the first free letter; earlier keys never change."""
    same = Entry(id="9901.00002", title="Synthetic Study", authors=("Synthetic Author",))
    entries = (
        same,
        dataclasses.replace(same, id="9901.00003"),
        Entry(id="9901.00004", title="Synthetica Study", authors=("Synthetic Author",)),
        dataclasses.replace(same, id="9901.00005"),
    )
    library = bibtexparser.parse_string(bibtex_of(*entries))
    assert [entry.key for entry in library.entries] == [
        "author2099synthetic",
        "author2099synthetica",
        "author2099syntheticaa",  # its own key was taken by the paper before it
        "author2099syntheticb",
    ]


def test_tricky_title_and_names_survive_both_parsers() -> None:
    """Special characters, accents, braces, commas and "and" print exactly as the list has them."""
    text = bibtex_of(TRICKY)
    entry = bibtexparser.parse_string(text).entries[0]
    fields = {field.key: field.value for field in entry.fields}
    assert latex_text(fields["title"]) == TRICKY_TITLE
    names = split_multiple_persons_names(fields["author"])
    assert [latex_text(name) for name in names] == list(TRICKY_AUTHORS)
    assert fields["author"].startswith("Piotr Doll{\\'a}r and {Synthetic, Author} and ")
    assert "{{\\{}SAM{\\}}}" in fields["title"]  # escaped braces, protected from lower-casing
    assert fields["note"] == "Withdrawn on arXiv"
    other = pybtex.database.parse_string(text, "bibtex").entries[entry.key]
    assert other.fields["title"] == fields["title"]
    assert len(other.persons["author"]) == len(TRICKY_AUTHORS)
    assert [str(person) for person in other.persons["author"]][1:3] == [
        "{Synthetic, Author}",
        "{Synthetica}",
    ]


def test_doi_only_paper_has_its_doi_and_venue_and_no_arxiv_fields() -> None:
    """A paper known only by its DOI is cited by that DOI, its venue and venue year."""
    assert bibtex_of(DOI_ONLY) == (
        "@misc{author2099synthetic,\n"
        "  title        = {Synthetic Study Known Only by Its {DOI}},\n"
        "  author       = {Synthetic Author},\n"
        "  year         = {2099},\n"
        "  howpublished = {Synthetic Journal of IS{\\&}T, vol. 1},\n"
        "  doi          = {10.9999/synthetic.5678_9}\n"
        "}\n"
    )
    items = json.loads(export(ReadingList("synthetic", entries=(DOI_ONLY,)), ExportFormat.CSL_JSON))
    assert items == [
        {
            "id": "author2099synthetic",
            "type": "document",
            "title": "Synthetic Study Known Only by Its DOI",
            "author": [{"family": "Author", "given": "Synthetic"}],
            "issued": {"date-parts": [[2099]]},
            "container-title": "Synthetic Journal of IS&T, vol. 1",
            "DOI": "10.9999/synthetic.5678_9",
        }
    ]


def test_paper_without_metadata_gets_only_what_its_identifier_says() -> None:
    """A pending paper has no title or authors to invent: its key and fields come from its id."""
    pending = Entry(id="9901.00006", status=Status.PENDING)
    assert bibtex_of(pending) == (
        "@misc{arxiv990100006,\n"
        "  year          = {2099},\n"
        "  doi           = {10.48550/arXiv.9901.00006},\n"
        "  eprint        = {9901.00006},\n"
        "  archivePrefix = {arXiv},\n"
        "  url           = {https://arxiv.org/abs/9901.00006}\n"
        "}\n"
    )


def test_csl_json_loads_in_citeproc_and_formats() -> None:
    """citeproc-py reads the CSL-JSON of the example list and formats all 25 references."""
    items = json.loads(export(EXAMPLE, ExportFormat.CSL_JSON))
    assert [item["id"] for item in items][:2] == ["kirillov2023segment", "ke2023segment"]
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    bibliography = CitationStylesBibliography(style, CiteProcJSON(items), citeproc_formatter.plain)
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    references = [str(reference) for reference in bibliography.bibliography()]
    assert len(references) == 25
    assert (
        "Kirillov, A. et al. (2023) “Segment Anything”, ICCV 2023 (IEEE/CVF International "
        "Conference on Computer Vision), 2023. Available at: "
        "https://doi.org/10.1109/ICCV51070.2023.00371."
    ) in references
    assert (
        "Roy, S. et al. (2023) “SAM.MD: Zero-shot medical image segmentation capabilities of the "
        "Segment Anything Model”. Available at: https://doi.org/10.48550/arXiv.2304.05396."
    ) in references


def test_csl_json_splits_names_it_can_and_keeps_the_others_literal() -> None:
    """Names become family and given names; those that cannot be split stay literal."""
    items = json.loads(export(ReadingList("synthetic", entries=(TRICKY,)), ExportFormat.CSL_JSON))
    assert items[0]["author"] == [
        {"family": "Dollár", "given": "Piotr"},
        {"literal": "Synthetic, Author"},
        {"literal": "Synthetica"},
        {"family": "de la Synthèse", "given": "Jean"},
        {"family": "Øster-Synthetic", "given": "Łukasz"},
        {"literal": "Synthetic and Sons"},
        {"family": "{Synthetic}", "given": "Brace"},
    ]
    assert (items[0]["title"], items[0]["type"], items[0]["note"]) == (
        TRICKY_TITLE,
        "article",
        "Withdrawn on arXiv",
    )
    assert (items[0]["number"], items[0]["archive"]) == ("9901.00001", "arXiv")


def test_csv_has_one_row_per_paper_with_the_record_columns() -> None:
    """The CSV reads back with the csv module: record columns, list order, lists joined."""
    result = run("export", str(EXAMPLE_LIST), "--format", "csv")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == list(entry_record(EXAMPLE.entries[0]))
    assert [row["id"] for row in rows] == EXAMPLE_IDS
    assert rows[0]["authors"].split("; ") == list(EXAMPLE.entries[0].authors)
    assert (rows[0]["withdrawn"], rows[0]["citations"], rows[0]["tags"]) == ("false", "", "")


def test_json_holds_the_same_records_as_show() -> None:
    """The JSON export is show --json's records, in list order."""
    exported = run("export", str(EXAMPLE_LIST), "-f", "json")
    shown = run("show", str(EXAMPLE_LIST), "--json")
    assert exported.exit_code == shown.exit_code == 0
    records = json.loads(exported.stdout)
    assert [record["id"] for record in records] == EXAMPLE_IDS
    assert sorted(records, key=lambda record: str(record["id"])) == sorted(
        json.loads(shown.stdout), key=lambda record: str(record["id"])
    )


def test_export_writes_a_file_only_when_it_changes(tmp_path: Path) -> None:
    """-o writes the file, then leaves it alone when nothing changed; stdout stays empty."""
    target = tmp_path / "references.bib"
    first = run("export", str(EXAMPLE_LIST), "-o", str(target))
    assert (first.exit_code, first.stdout, first.stderr) == (0, "", f"wrote: {target}\n")
    assert target.read_text(encoding="utf-8") == export(EXAMPLE, ExportFormat.BIBTEX)
    second = run("export", str(EXAMPLE_LIST), "-o", str(target))
    assert (second.exit_code, second.stderr) == (0, f"unchanged: {target}\n")


def test_export_of_a_missing_list_is_one_line_error(tmp_path: Path) -> None:
    """A list that does not exist is named in one error line."""
    result = run("export", str(tmp_path / "nope.toml"))
    assert result.exit_code == 1
    assert result.stderr == f"error: {tmp_path / 'nope.toml'}: no such reading list\n"


@pytest.mark.parametrize("export_format", ["bibtex", "csl-json", "json", "csv"])
def test_every_format_is_deterministic(export_format: str) -> None:
    """Two exports of the same list are the same bytes."""
    first = run("export", str(EXAMPLE_LIST), "--format", export_format)
    second = run("export", str(EXAMPLE_LIST), "--format", export_format)
    assert first.exit_code == 0
    assert first.stdout == second.stdout


def test_bibtex_export_round_trips_through_extract_and_harvest(tmp_path: Path) -> None:
    """Exported BibTeX names exactly the list's papers, to extract and to a new harvest."""
    references = tmp_path / "references.bib"
    assert run("export", str(EXAMPLE_LIST), "-o", str(references)).exit_code == 0
    extracted = run("extract", str(references))
    assert (extracted.exit_code, extracted.stderr) == (0, "")
    assert extracted.stdout.splitlines() == EXAMPLE_IDS
    target = tmp_path / "again.toml"
    with ArxivStandin() as standin:
        env = {"CURATOR_ARXIV_API": standin.api_url, "CURATOR_ARXIV_DELAY": "0"}
        harvested = run("harvest", str(references), "--list", str(target), env=env)
    assert harvested.exit_code == 0, harvested.stderr
    assert [entry.id for entry in store.load(target).entries] == EXAMPLE_IDS
