"""``curator dedupe``: duplicate groups with their evidence, merges that keep every user value,
and undo."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from curator import store
from curator.cli import app

# A preprint and, separately, its published version (facts of the example list), each with
# its own curator's section, tags, note and a key of their own.
LIST = """\
# Kept by two people.
[list]
title = "SAM"
sections = ["Models", "Published"]

[[paper]]
id = "2304.02643"
title = "Segment Anything"
authors = ["Alexander Kirillov", "Eric Mintun"]
published = 2023-04-05
venue_doi = "10.1109/ICCV51070.2023.00371"
section = "Models"
tags = ["model"]
note = "Alice: the model the rest builds on."  # her words
added = 2026-11-20
reviewer = "alice"

[[paper]]
id = "2306.01567"
title = "Segment Anything in High Quality"
authors = ["Lei Ke"]
published = 2023-06-02

# Bob added the published version by hand.
[[paper]]
doi = "10.1109/ICCV51070.2023.00371"
title = "Segment Anything"
authors = ["Alexander Kirillov"]
section = "Published"
tags = ["iccv", "model"]
note = "Bob: read the camera-ready version."
added = 2026-11-02
reviewer = "bob"
"""

PUBLISHED = "doi:10.1109/iccv51070.2023.00371"


@pytest.fixture
def listing(tmp_path: Path) -> Path:
    path = tmp_path / "sam.toml"
    path.write_text(LIST, encoding="utf-8")
    return path


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_groups_are_shown_with_their_evidence_and_nothing_is_written(listing: Path) -> None:
    code, out, err = run("dedupe", str(listing))

    assert code == 0
    assert out.splitlines() == [
        "one work:",
        "  2304.02643  Segment Anything",
        f"  {PUBLISHED}  Segment Anything",
        f"  - same DOI 10.1109/iccv51070.2023.00371: 2304.02643, {PUBLISHED}",
    ]
    assert "1 duplicate group, 0 possible duplicates; merge with --apply" in err
    assert listing.read_text(encoding="utf-8") == LIST


def test_json_lists_groups_ids_and_evidence(listing: Path) -> None:
    code, out, _ = run("dedupe", str(listing), "--json")

    assert code == 0
    assert json.loads(out) == [
        {
            "ids": ["2304.02643", PUBLISHED],
            "strong": True,
            "evidence": [
                {
                    "kind": "DOI",
                    "value": "10.1109/iccv51070.2023.00371",
                    "ids": ["2304.02643", PUBLISHED],
                }
            ],
        }
    ]


def test_apply_keeps_both_notes_every_tag_and_section_and_reports_conflicts(
    listing: Path,
) -> None:
    code, _, err = run("dedupe", str(listing), "--apply")

    assert code == 0, err
    assert f"merged: {PUBLISHED} into 2304.02643" in err
    assert "kept its own reviewer; doi:10.1109/iccv51070.2023.00371 had 'bob'" in err
    [kept, other] = store.load(listing).entries
    assert (kept.id, other.id) == ("2304.02643", "2306.01567")
    assert (
        kept.note == "Alice: the model the rest builds on.\n\nBob: read the camera-ready version."
    )
    assert kept.tags == ("model", "iccv", "Published")
    assert kept.section == "Models"
    assert kept.doi == "10.1109/ICCV51070.2023.00371"
    assert str(kept.added) == "2026-11-02"
    text = listing.read_text(encoding="utf-8")
    assert "  # her words" in text  # the kept note's comment stays with it
    assert 'reviewer = "alice"' in text and 'reviewer = "bob"' not in text
    record = json.loads((listing.parent / "sam.merges.json").read_text(encoding="utf-8"))
    assert [m["kept"] for m in record["merges"]] == ["2304.02643"]
    assert 'reviewer = "bob"' in record["merges"][0]["merged_tables"][0]


def test_undo_restores_the_list_byte_for_byte(listing: Path) -> None:
    assert run("dedupe", str(listing), "--apply")[0] == 0

    code, _, err = run("dedupe", str(listing), "--undo")

    assert code == 0, err
    assert f"undone: {PUBLISHED} restored beside 2304.02643" in err
    assert listing.read_text(encoding="utf-8") == LIST
    assert json.loads((listing.parent / "sam.merges.json").read_text())["merges"] == []


def test_undo_keeps_crlf_lists_byte_for_byte(tmp_path: Path) -> None:
    path = tmp_path / "sam.toml"
    path.write_bytes(LIST.replace("\n", "\r\n").encode())

    assert run("dedupe", str(path), "--apply")[0] == 0
    assert b"\r\n" in path.read_bytes() and b"\n" not in path.read_bytes().replace(b"\r\n", b"")
    assert run("dedupe", str(path), "--undo")[0] == 0

    assert path.read_bytes() == LIST.replace("\n", "\r\n").encode()


def test_undo_refuses_when_the_kept_entry_changed_since(listing: Path) -> None:
    run("dedupe", str(listing), "--apply")
    edited = listing.read_text(encoding="utf-8").replace("Alice:", "Alice (edited):")
    listing.write_text(edited, encoding="utf-8")

    code, _, err = run("dedupe", str(listing), "--undo")

    assert code != 0
    assert err.strip().splitlines() == [
        f"error: {listing}: 2304.02643 changed since it was merged; undoing would lose "
        "those edits (its tables before the merge are in sam.merges.json)"
    ]
    assert listing.read_text(encoding="utf-8") == edited


def test_nothing_to_undo_is_one_line(listing: Path) -> None:
    code, _, err = run("dedupe", str(listing), "--undo")

    assert code != 0
    assert err.strip() == f"error: {listing}: no merge to undo (sam.merges.json records none)"


def test_apply_without_duplicates_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "one.toml"
    path.write_text('[[paper]]\nid = "2304.02643"\n', encoding="utf-8")

    code, _, err = run("dedupe", str(path), "--apply")

    assert code == 0
    assert "0 merges made" in err
    assert not (tmp_path / "one.merges.json").exists()


def test_title_suggestions_are_shown_but_never_merged(tmp_path: Path) -> None:
    path = tmp_path / "twins.toml"
    text = (
        '[[paper]]\nid = "2304.02643"\ntitle = "Segment Anything"\n'
        'authors = ["Alexander Kirillov"]\n'
        '\n[[paper]]\ntitle = "Segment anything."\nauthors = ["A. Kirillov"]\n'
    )
    path.write_text(text, encoding="utf-8")

    out = run("dedupe", str(path))[1]
    assert out.startswith("possibly one work (not merged by --apply):")
    assert run("dedupe", str(path), "--apply")[0] == 0
    assert path.read_text(encoding="utf-8") == text


def test_apply_and_undo_together_are_refused(listing: Path) -> None:
    code, _, err = run("dedupe", str(listing), "--apply", "--undo")
    assert code == 2
    assert "error: --apply and --undo cannot be combined" in err


def test_harvest_does_not_add_the_preprint_of_a_published_version_already_listed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Semantic Scholar said (in an earlier refresh, now cached) that 9901.00001 is the paper
    the list already has by its DOI: harvesting a link to it adds no second entry."""
    from curator.cache import Cache, citations_to_dict
    from curator.models import Citations

    cache_dir = tmp_path / "cache"
    monkeypatch.setenv("CURATOR_CACHE_DIR", str(cache_dir))
    with Cache(cache_dir) as cache:  # synthetic paper: a 2099 id and a 10.0000 DOI
        cache.put("s2", "9901.00001", citations_to_dict(Citations("9901.00001", "f" * 40)))
    path = tmp_path / "list.toml"
    text = f'[[paper]]\ndoi = "10.0000/synthetic.1"\ntitle = "Synthetic"\ns2_id = "{"f" * 40}"\n'
    path.write_text(text, encoding="utf-8")
    post = tmp_path / "post.md"
    post.write_text("New: https://arxiv.org/abs/9901.00001v2\n", encoding="utf-8")

    code, out, err = run("harvest", str(post), "--list", str(path))

    assert code == 0, err
    assert "1 already listed, 0 added" in out
    [entry] = store.load(path).entries
    assert entry.id == "doi:10.0000/synthetic.1"
    assert entry.sources == (f"{post}:1:6",) and entry.versions == (2,)
