"""``curator check``: a linter for reading lists and the files rendered from them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_dedupe import LIST as DUPLICATES
from typer.testing import CliRunner

from curator import lint, store
from curator.cli import app
from curator.publish import Target

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "lists" / "segment-anything-medical.toml"

# Synthetic entries (9901 ids: January 2099): each has one problem.
PROBLEMS = """\
[list]
sections = ["Models", "Empty"]

[[paper]]
id = "9901.00001"
title = "Synthetic paper, fine"
authors = ["Synthetic Author"]
section = "Models"

[[paper]]
id = "9901.00002"
status = "pending"

[[paper]]
id = "9901.00003"
status = "unresolved"

[[paper]]
id = "9901.00004"
title = "Synthetic paper, withdrawn"
authors = ["Synthetic Author"]
withdrawn = true
section = "Models"

[[paper]]
id = "9901.00005"
title = "Synthetic paper without authors"
section = "Modles"
"""


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def problems(tmp_path: Path) -> Path:
    path = tmp_path / "problems.toml"
    path.write_text(PROBLEMS, encoding="utf-8")
    return path


def test_the_example_list_and_its_rendering_are_clean() -> None:
    code, out, err = run("check", str(EXAMPLE), "-o", str(ROOT / "lists" / "README.md"))

    assert (code, out) == (0, "")
    assert err.strip() == "0 errors, 0 warnings"


def test_every_problem_is_one_line_and_errors_fail(problems: Path) -> None:
    code, out, err = run("check", str(problems))

    assert code == 1
    assert out.splitlines() == [
        f'{problems}: warning: section "Empty" is named in [list] but no paper is in it',
        f'{problems}:25: error: section "Modles" of 1 paper is not in [list] sections; '
        "add it there (or fix the spelling)",
        f"{problems}:10: warning: 9901.00002: not resolved yet; run 'curator refresh {problems}'",
        f"{problems}:14: error: 9901.00003: arXiv does not know this identifier; "
        "fix or remove the entry",
        f"{problems}:18: warning: 9901.00004: withdrawn by its authors on arXiv",
        f"{problems}:25: error: 9901.00005: no authors; run 'curator refresh --all {problems}' "
        "or add them by hand",
    ]
    assert err.strip() == "3 errors, 3 warnings (1 fixable with --fix)"


def test_json_names_each_finding(problems: Path) -> None:
    code, out, _ = run("check", str(problems), "--json")

    report = json.loads(out)
    assert code == 1
    assert (report["errors"], report["warnings"], report["fixed"]) == (3, 3, [])
    assert [f["code"] for f in report["findings"]] == [
        "empty-section",
        "unknown-section",
        "pending",
        "unresolved",
        "withdrawn",
        "missing-metadata",
    ]
    assert report["findings"][1] == {
        "path": str(problems),
        "line": 25,
        "severity": "error",
        "code": "unknown-section",
        "message": 'section "Modles" of 1 paper is not in [list] sections; '
        "add it there (or fix the spelling)",
        "ids": ["9901.00005"],
        "fixable": True,
    }


def test_fix_declares_sections_entries_use(problems: Path) -> None:
    code, _, err = run("check", str(problems), "--fix")

    assert code == 1  # the unresolved and incomplete entries need a person
    assert f'fixed: {problems}: added "Modles" to the sections of [list]' in err
    assert store.load(problems).sections == ("Models", "Empty", "Modles")
    assert "2 errors" in err


def test_a_preprint_and_its_published_version_fail_the_check_until_fixed(tmp_path: Path) -> None:
    path = tmp_path / "sam.toml"
    path.write_text(DUPLICATES, encoding="utf-8")

    code, out, _ = run("check", str(path))
    assert code == 1
    assert out.splitlines()[0] == (
        f"{path}:6: error: 2 entries are one work (same DOI 10.1109/iccv51070.2023.00371: "
        "2304.02643, doi:10.1109/iccv51070.2023.00371); merge them with 'curator dedupe --apply'"
    )

    code, out, err = run("check", str(path), "--fix")
    assert code == 0, out
    assert "merged doi:10.1109/iccv51070.2023.00371 into 2304.02643" in err
    kept = store.load(path).entries[0]
    assert "Alice:" in (kept.note or "") and "Bob:" in (kept.note or "")
    assert run("dedupe", str(path), "--undo")[0] == 0
    assert path.read_text(encoding="utf-8") == DUPLICATES


def test_stale_rendering_is_an_error_that_fix_re_renders(tmp_path: Path) -> None:
    listing = tmp_path / "sam.toml"
    listing.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    readme = tmp_path / "README.md"
    readme.write_text("# Mine\n\n<!-- curator:start sam -->\n<!-- curator:end sam -->\n")

    code, out, _ = run("check", str(listing), "--readme", str(readme))
    assert code == 1
    assert out.strip() == (
        f"{readme}: error: rendered regions are out of date; "
        "run 'curator render' or 'curator check --fix'"
    )

    code, _, err = run("check", str(listing), "--readme", str(readme), "--fix")
    assert code == 0
    assert f"fixed: {readme}: re-rendered" in err
    assert readme.read_text().startswith("# Mine\n\n<!-- curator:start sam -->\n\n## Segment")


@pytest.mark.parametrize(
    ("size", "severity"),
    [
        (int(lint.README_LIMIT * 0.8), None),
        (int(lint.README_LIMIT * 0.95), lint.Severity.WARNING),
        (lint.README_LIMIT + 1, lint.Severity.ERROR),
    ],
)
def test_readme_size_against_githubs_limit(size: int, severity: lint.Severity | None) -> None:
    text = "x" * size
    found = lint.check_readme(Target(Path("README.md"), text, text))

    assert [f.severity for f in found] == ([] if severity is None else [severity])
    if severity is not None:
        assert f"{size:,} bytes" in found[0].message


def test_missing_list_is_one_error_line(tmp_path: Path) -> None:
    code, _, err = run("check", str(tmp_path / "nope.toml"))

    assert code != 0
    assert err.strip() == f"error: {tmp_path / 'nope.toml'}: no such reading list"
