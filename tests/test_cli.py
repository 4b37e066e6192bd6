"""The command line end to end: real entry point, exact output, exit codes, local arXiv stand-in."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from standin import ArxivStandin, Fault, unused_port
from typer.testing import CliRunner, Result

from curator import __version__
from curator.cli import app

REPO = Path(__file__).resolve().parent.parent
SEED_POST = REPO.parent / "shared" / "seed" / "channel-posts.txt"
EXAMPLE_POST = REPO / "examples" / "sam-medical-post.md"
EXAMPLE_LIST = REPO / "lists" / "segment-anything-medical.toml"

SEED_IDS = [
    "2306.11730", "2304.02643", "2304.10517", "2304.12306", "2304.09148",
    "2304.05396", "2304.08506", "2304.14660", "2304.05622", "2305.00035",
    "2304.09324", "2304.12620", "2305.00109", "2305.03048", "2305.03678",
    "2304.13785", "2305.05803", "2305.00278", "2306.01567", "2304.04155",
    "2306.02245", "2306.00499", "2306.06211", "2305.08196", "2108.06098",
]  # fmt: skip
TODAY = dt.date.today().isoformat()


def run(*args: str, env: dict[str, str] | None = None, stdin: str | None = None) -> Result:
    """Invoke curator in-process with the given arguments and environment."""
    return CliRunner().invoke(app, list(args), env=env or {}, input=stdin)


def arxiv_env(url: str) -> dict[str, str]:
    """Return the environment that points curator at a stand-in with no politeness delay."""
    return {"CURATOR_ARXIV_API": url, "CURATOR_ARXIV_DELAY": "0"}


@pytest.fixture
def seed_post() -> Path:
    """Give the example channel post, skipping where the shared folder is absent."""
    if not SEED_POST.exists():
        pytest.skip(f"{SEED_POST} is not present in this checkout")
    return SEED_POST


def test_version() -> None:
    """--version prints the installed version."""
    result = run("--version")
    assert (result.exit_code, result.stdout) == (0, f"curator {__version__}\n")


def test_extract_finds_exactly_the_25_papers_of_the_seed_post(seed_post: Path) -> None:
    """extract prints the 25 distinct papers of the channel post in order of first appearance."""
    result = run("extract", str(seed_post))
    assert result.exit_code == 0
    assert result.stdout.splitlines() == SEED_IDS
    assert result.stderr == ""


def test_extract_json_reports_versions_and_occurrences(tmp_path: Path) -> None:
    """extract --json gives one object per paper with its versions and every occurrence."""
    post = tmp_path / "post.md"
    post.write_text(
        "See [SAM](https://arxiv.org/abs/2304.02643v1).\nAgain: arXiv:2304.02643v2\n",
        encoding="utf-8",
    )
    result = run("extract", "--json", str(post))
    assert result.exit_code == 0
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["id"], r["versions"]) for r in records] == [("2304.02643", [1, 2])]
    occurrences = records[0]["occurrences"]
    assert [(o["source"], o["line"], o["column"]) for o in occurrences] == [
        (str(post), 1, 11),
        (str(post), 2, 8),
    ]


def test_verbose_logs_what_is_being_done(tmp_path: Path) -> None:
    """-v shows curator's informational log lines on stderr."""
    post = tmp_path / "post.txt"
    post.write_text("arXiv:2304.02643\n", encoding="utf-8")
    with ArxivStandin() as standin:
        env = arxiv_env(standin.api_url)
        quiet = run("harvest", str(post), "--list", str(tmp_path / "a.toml"), env=env)
        verbose = run("-vv", "harvest", str(post), "--list", str(tmp_path / "b.toml"), env=env)
    assert quiet.stderr == ""
    assert "debug: GET " in verbose.stderr


def test_extract_reads_stdin() -> None:
    """extract - reads the document from standard input."""
    result = run("extract", "-", stdin="Read https://arxiv.org/pdf/2108.06098v1.pdf today\n")
    assert (result.exit_code, result.stdout) == (0, "2108.06098\n")


def test_extract_missing_file_is_one_line_error(tmp_path: Path) -> None:
    """A missing source is one error line and a non-zero exit, with no traceback."""
    result = run("extract", str(tmp_path / "nope.txt"))
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("error: ")
    assert "nope.txt" in result.stderr


def test_harvest_builds_a_list_in_one_request(seed_post: Path, tmp_path: Path) -> None:
    """harvest resolves the 25 papers of the post in one arXiv request and stores them titled."""
    target = tmp_path / "sam.toml"
    with ArxivStandin() as standin:
        result = run(
            "harvest", str(seed_post), "--list", str(target), env=arxiv_env(standin.api_url)
        )
        requests = list(standin.requests)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        f"{target}: 25 links, 25 distinct papers, 0 already listed, 25 added, "
        "0 unresolved, 0 pending\n"
    )
    assert len(requests) == 1
    assert requests[0].query["max_results"] == ["25"]
    shown = json.loads(run("show", str(target), "--json", "--sort", "id").stdout)
    assert sorted(paper["id"] for paper in shown) == sorted(SEED_IDS)
    assert all(paper["title"] and paper["status"] == "resolved" for paper in shown)


def test_second_harvest_keeps_user_edits_and_asks_nothing(seed_post: Path, tmp_path: Path) -> None:
    """Comments, notes, tags and sections survive a second harvest, which makes no request."""
    target = tmp_path / "sam.toml"
    with ArxivStandin() as standin:
        env = arxiv_env(standin.api_url)
        assert run("harvest", str(seed_post), "--list", str(target), env=env).exit_code == 0
        edited = "# My SAM list; curator must keep this comment.\n" + target.read_text(
            encoding="utf-8"
        ).replace(
            'id = "2304.02643"\n',
            'id = "2304.02643"\nnote = "Start here."  # my note\n'
            'tags = ["core",   "model"]\nsection = "Foundations"\nmy_rating = 5\n',
        )
        target.write_text(edited, encoding="utf-8")
        result = run("harvest", str(seed_post), "--list", str(target), env=env)
        requests = len(standin.requests)
    assert result.exit_code == 0, result.stderr
    assert "25 already listed, 0 added" in result.stdout
    assert requests == 1
    assert target.read_text(encoding="utf-8") == edited


def test_harvest_keeps_papers_pending_when_arxiv_is_unreachable(
    seed_post: Path, tmp_path: Path
) -> None:
    """With arXiv down, new papers are kept pending, the exit is 1, and refresh finishes them."""
    target = tmp_path / "sam.toml"
    port = unused_port()
    down = arxiv_env(f"http://127.0.0.1:{port}/api/query")
    result = run("harvest", str(seed_post), "--list", str(target), env=down)
    assert result.exit_code == 1
    assert result.stdout.endswith("25 added, 0 unresolved, 25 pending\n")
    assert result.stderr.splitlines() == [
        *(
            f"warning: arXiv: cannot connect to 127.0.0.1:{port}; "
            f"retrying in 0.0 s (attempt {attempt} of 4)"
            for attempt in (2, 3, 4)
        ),
        f"error: arXiv: cannot connect to 127.0.0.1:{port} after 4 attempts",
        f"warning: 25 papers kept as pending in {target}; run 'curator refresh {target}' later",
    ]
    pending = json.loads(run("show", str(target), "--json").stdout)
    assert {paper["status"] for paper in pending} == {"pending"}
    with ArxivStandin() as standin:
        refreshed = run("refresh", str(target), "--no-citations", env=arxiv_env(standin.api_url))
    assert refreshed.exit_code == 0, refreshed.stderr
    assert refreshed.stdout == (
        f"{target}: 25 checked on arXiv (25 resolved, 0 unresolved, 0 pending)\n"
    )


def test_harvest_reports_ids_arxiv_does_not_know(tmp_path: Path) -> None:
    """An id arXiv does not know is kept as unresolved and makes the exit status 1."""
    post = tmp_path / "post.txt"
    post.write_text("arXiv:2304.02643 and arXiv:2312.99999\n", encoding="utf-8")
    target = tmp_path / "list.toml"
    with ArxivStandin() as standin:
        result = run("harvest", str(post), "--list", str(target), env=arxiv_env(standin.api_url))
    assert result.exit_code == 1
    assert result.stdout.endswith("2 added, 1 unresolved, 0 pending\n")
    assert result.stderr == (
        f"warning: arXiv does not know 1 ids, kept as unresolved in {target}: 2312.99999\n"
    )
    statuses = {p["id"]: p["status"] for p in json.loads(run("show", str(target), "--json").stdout)}
    assert statuses == {"2304.02643": "resolved", "2312.99999": "unresolved"}


def test_harvest_retries_a_rate_limit_then_succeeds(tmp_path: Path) -> None:
    """A 200 'Rate exceeded.' answer is retried rather than taken as 'no such paper'."""
    post = tmp_path / "post.txt"
    post.write_text("https://arxiv.org/abs/2304.02643\n", encoding="utf-8")
    target = tmp_path / "list.toml"
    with ArxivStandin() as standin:
        standin.faults.append(Fault.RATE_LIMITED_200)
        result = run("harvest", str(post), "--list", str(target), env=arxiv_env(standin.api_url))
        requests = len(standin.requests)
    assert (result.exit_code, requests) == (0, 2)
    assert result.stdout.endswith("1 added, 0 unresolved, 0 pending\n")


def test_harvest_dry_run_changes_nothing(seed_post: Path, tmp_path: Path) -> None:
    """--dry-run reports what would be added without writing a file or asking arXiv."""
    target = tmp_path / "sam.toml"
    down = arxiv_env(f"http://127.0.0.1:{unused_port()}/api/query")
    result = run("harvest", str(seed_post), "--list", str(target), "--dry-run", env=down)
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == (
        f"{target}: 25 links, 25 distinct papers, 0 already listed, 25 would add, "
        "0 unresolved, 0 pending\n"
    )
    assert not target.exists()


def test_harvest_section_and_tags_apply_to_new_papers(tmp_path: Path) -> None:
    """--section and --tag are stored on the papers the harvest adds."""
    post = tmp_path / "post.txt"
    post.write_text("https://arxiv.org/abs/2304.02643\n", encoding="utf-8")
    target = tmp_path / "list.toml"
    with ArxivStandin() as standin:
        result = run(
            "harvest", str(post), "--list", str(target), "--section", "Models",
            "--tag", "sam", "--tag", "core", env=arxiv_env(standin.api_url),
        )  # fmt: skip
    assert result.exit_code == 0
    (paper,) = json.loads(run("show", str(target), "--json").stdout)
    assert (paper["section"], paper["tags"], paper["added"]) == ("Models", ["sam", "core"], TODAY)


def test_bad_environment_value_is_a_usage_error(tmp_path: Path) -> None:
    """An unusable CURATOR_ARXIV_DELAY is one error line and exit status 2."""
    post = tmp_path / "post.txt"
    post.write_text("arXiv:2304.02643\n", encoding="utf-8")
    env = {"CURATOR_ARXIV_DELAY": "soon"}
    result = run("harvest", str(post), "--list", str(tmp_path / "l.toml"), env=env)
    assert result.exit_code == 2
    assert result.stderr == "error: CURATOR_ARXIV_DELAY must be a number of seconds, not 'soon'\n"


def test_malformed_list_is_reported_and_never_overwritten(tmp_path: Path) -> None:
    """A list with a TOML error gets path:line:col, exit status 2, and keeps its bytes."""
    target = tmp_path / "broken.toml"
    original = '[[paper]]\nid = "2304.02643"\ntitle = "unterminated\n'
    target.write_text(original, encoding="utf-8")
    post = tmp_path / "post.txt"
    post.write_text("arXiv:2108.06098\n", encoding="utf-8")
    result = run("harvest", str(post), "--list", str(target), env=arxiv_env("http://127.0.0.1:9/"))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {target}:3:")
    assert result.stderr.count("\n") == 1
    assert target.read_text(encoding="utf-8") == original


def test_render_writes_once_then_reports_unchanged(tmp_path: Path) -> None:
    """render -o writes the file, a second run leaves it untouched, and --check passes."""
    listing = tmp_path / "sam.toml"
    shutil.copy(EXAMPLE_LIST, listing)
    output = tmp_path / "README.md"
    first = run("render", str(listing), "-o", str(output))
    assert (first.exit_code, first.stderr) == (0, f"wrote: {output}\n")
    mtime = output.stat().st_mtime_ns
    second = run("render", str(listing), "-o", str(output))
    assert (second.exit_code, second.stderr) == (0, f"unchanged: {output}\n")
    assert output.stat().st_mtime_ns == mtime
    check = run("render", str(listing), "-o", str(output), "--check")
    assert (check.exit_code, check.stdout, check.stderr) == (0, "", "")


def test_render_check_fails_with_a_diff_when_stale(tmp_path: Path) -> None:
    """render --check exits 1 and prints a diff when the rendered file is out of date."""
    listing = tmp_path / "sam.toml"
    shutil.copy(EXAMPLE_LIST, listing)
    output = tmp_path / "README.md"
    assert run("render", str(listing), "-o", str(output)).exit_code == 0
    text = listing.read_text(encoding="utf-8")
    listing.write_text(text.replace('note = "Not a segmentation', 'note = "Not a SAM'), "utf-8")
    check = run("render", str(listing), "-o", str(output), "--check")
    assert check.exit_code == 1
    assert check.stdout.startswith(f"--- {output} (current)\n+++ {output} (rendered)\n")
    assert "+- [FedPara" in check.stdout
    assert check.stderr.startswith(f"error: out of date: {output};")


def test_render_readme_replaces_only_its_region(tmp_path: Path) -> None:
    """render --readme rewrites the marked region and leaves every other byte alone."""
    listing = tmp_path / "sam.toml"
    shutil.copy(EXAMPLE_LIST, listing)
    readme = tmp_path / "README.md"
    before, after = "# My lists\r\n\r\nIntro.\r\n\r\n", "\r\nFooter.\r\n"
    readme.write_bytes(
        (before + "<!-- curator:start sam -->\r\nold\r\n<!-- curator:end sam -->" + after).encode()
    )
    result = run("render", str(listing), "--readme", str(readme))
    assert result.exit_code == 0, result.stderr
    text = readme.read_bytes().decode()
    assert text.startswith(before + "<!-- curator:start sam -->\r\n\r\n## Segment Anything")
    assert text.endswith("<!-- curator:end sam -->" + after)
    assert "old" not in text
    assert run("render", str(listing), "--readme", str(readme), "--check").exit_code == 0


def test_render_readme_without_markers_is_a_clear_error(tmp_path: Path) -> None:
    """A README without the list's markers gets one error line and exit status 2."""
    listing = tmp_path / "sam.toml"
    shutil.copy(EXAMPLE_LIST, listing)
    readme = tmp_path / "README.md"
    readme.write_text("# Nothing here\n", encoding="utf-8")
    result = run("render", str(listing), "--readme", str(readme))
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "<!-- curator:start sam -->" in result.stderr
    assert readme.read_text(encoding="utf-8") == "# Nothing here\n"


def test_render_check_needs_a_file() -> None:
    """--check without -o or --readme is a usage error."""
    result = run("render", str(EXAMPLE_LIST), "--check")
    assert result.exit_code == 2
    assert result.stderr == "error: --check compares files: give -o FILE or --readme FILE\n"


def test_committed_example_rendering_is_up_to_date() -> None:
    """lists/README.md is exactly what render makes of the example list."""
    result = run("render", str(EXAMPLE_LIST), "-o", str(REPO / "lists" / "README.md"), "--check")
    assert (result.exit_code, result.stdout) == (0, "")


def test_show_json_has_the_documented_fields() -> None:
    """show --json gives each paper with at least id, title, authors, published, section, status."""
    result = run("show", str(EXAMPLE_LIST), "--json", "--sort", "id")
    papers = json.loads(result.stdout)
    assert len(papers) == 25
    first = papers[0]
    assert {"id", "title", "authors", "published", "section", "status"} <= first.keys()
    assert (first["id"], first["title"], first["published"], first["section"]) == (
        "2108.06098",
        "FedPara: Low-Rank Hadamard Product for Communication-Efficient Federated Learning",
        "2021-08-13",
        "Related",
    )


def test_show_plain_output_is_tab_separated_when_piped() -> None:
    """show prints one tab-separated line per paper when stdout is not a terminal."""
    result = run("show", str(EXAMPLE_LIST), "--sort", "id")
    lines = result.stdout.splitlines()
    assert len(lines) == 25
    assert lines[0].split("\t") == [
        "2108.06098",
        "FedPara: Low-Rank Hadamard Product for Communication-Efficient Federated Learning",
        "Nam Hyeon-Woo",
        "2021",
        "Related",
        "resolved",
    ]


def test_example_post_is_already_in_the_example_list(tmp_path: Path) -> None:
    """Harvesting the example post into the example list adds nothing and needs no network."""
    listing = tmp_path / "sam.toml"
    shutil.copy(EXAMPLE_LIST, listing)
    down = arxiv_env(f"http://127.0.0.1:{unused_port()}/api/query")
    result = run("harvest", str(EXAMPLE_POST), "--list", str(listing), env=down)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        f"{listing}: 27 links, 25 distinct papers, 25 already listed, 0 added, "
        "0 unresolved, 0 pending\n"
    )
