"""The GitHub Action's script (scripts/curator_action.py) against real git repositories.

Each test makes a working clone of a local bare repository (``git init --bare``), runs the
script as the action does, with its inputs in ``INPUT_*`` variables and the venv's
``curator`` on PATH, and reads what reached the bare remote. Every paper is SYNTHETIC test
data (ids from 2099, see tests/standin_s2.py), never a fact about a real paper.
"""

from __future__ import annotations

import base64
import datetime as dt
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from standin import ArxivStandin
from standin_s2 import S2Standin, synthetic_papers

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "curator_action.py"
BIN = Path(sys.executable).parent
"""The venv's scripts directory, which holds the ``curator`` command."""
BOT = "github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>"
MAINTAINER = "Maintainer <maintainer@example.org>"
TOKEN = "ghs_TOKEN-sentinel-7d1c0ffee"
S2_KEY = "s2-KEY-sentinel-5ca1ab1e"

LIST = """\
[list]
title = "Synthetic demo"

[[paper]]
id = "9901.00001"
title = "Synthetic paper 9901.00001"
authors = ["Synthetic Author"]
published = 2099-01-01
"""
README = "# Demo\n\n<!-- curator:start demo -->\n<!-- curator:end demo -->\n"
RENDERED = """\
# Demo

<!-- curator:start demo -->

## Synthetic demo

- [Synthetic paper 9901.00001](https://arxiv.org/abs/9901.00001) - S. Author, 2099.

<!-- curator:end demo -->
"""


@dataclass(frozen=True)
class Run:
    """What one run of the script did."""

    status: int
    stdout: str
    stderr: str
    outputs: str
    """The lines the script appended to ``$GITHUB_OUTPUT``."""
    summary: str
    """What it appended to ``$GITHUB_STEP_SUMMARY``."""


class Repo:
    """A working clone of a bare repository, both in a temporary directory."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.remote = root / "remote.git"
        self.work = root / "work"
        home = root / "home"
        home.mkdir()
        self.env = {
            **os.environ,
            "HOME": str(home),
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_CONFIG_GLOBAL": str(home / "gitconfig"),
        }
        self.git_at(root, "init", "--quiet", "--bare", "--initial-branch=main", str(self.remote))
        self.git_at(root, "init", "--quiet", "--initial-branch=main", str(self.work))
        self.git("remote", "add", "origin", str(self.remote))

    def git_at(self, where: Path, *args: str) -> str:
        """Run git in ``where`` as the maintainer; return its stdout."""
        name, email = MAINTAINER[:-1].split(" <")
        identity = {
            "GIT_AUTHOR_NAME": name,
            "GIT_AUTHOR_EMAIL": email,
            "GIT_COMMITTER_NAME": name,
            "GIT_COMMITTER_EMAIL": email,
        }
        done = subprocess.run(
            ["git", *args],
            cwd=where,
            env={**self.env, **identity},
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout

    def git(self, *args: str) -> str:
        """Run git in the working clone."""
        return self.git_at(self.work, *args)

    def commit(self, files: dict[str, str], message: str = "Add the list") -> None:
        """Write ``files`` in the working clone, commit them as the maintainer and push."""
        for name, text in files.items():
            path = self.work / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        self.git("add", "--all")
        self.git("commit", "--quiet", "--message", message)
        self.git("push", "--quiet", "origin", "HEAD:refs/heads/main")

    def push_elsewhere(self, files: dict[str, str], *, message: str) -> None:
        """Push a commit of ``files`` to the remote from another clone, as a person would."""
        clone = self.root / "elsewhere"
        self.git_at(self.root, "clone", "--quiet", str(self.remote), str(clone))
        for name, text in files.items():
            (clone / name).write_text(text, encoding="utf-8")
        self.git_at(clone, "add", "--all")
        self.git_at(clone, "commit", "--quiet", "--message", message)
        self.git_at(clone, "push", "--quiet", "origin", "main")

    def remote_log(self) -> list[str]:
        """Return the remote main's commits, newest first, as ``author: subject``."""
        log = self.git_at(self.remote, "log", "--format=%an <%ae>: %s", "main")
        return log.splitlines()

    def remote_file(self, name: str) -> str:
        """Return a file as the remote main holds it."""
        return self.git_at(self.remote, "show", f"main:{name}")

    def action(self, extra: dict[str, str] | None = None, **inputs: str) -> Run:
        """Run ``curator_action.py run`` here with ``INPUT_<NAME>`` variables and ``extra``."""
        outputs = self.root / "github_output"
        summary = self.root / "step_summary"
        outputs.write_text("", encoding="utf-8")
        summary.write_text("", encoding="utf-8")
        env = {
            **self.env,
            "PATH": f"{BIN}{os.pathsep}{self.env.get('PATH', '')}",
            "GITHUB_OUTPUT": str(outputs),
            "GITHUB_STEP_SUMMARY": str(summary),
            "GITHUB_ACTIONS": "",
            **{f"INPUT_{name.upper()}": value for name, value in inputs.items()},
            **(extra or {}),
        }
        done = subprocess.run(
            [sys.executable, str(SCRIPT), "run"],
            cwd=self.work,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        return Run(
            done.returncode,
            done.stdout,
            done.stderr,
            outputs.read_text(encoding="utf-8"),
            summary.read_text(encoding="utf-8"),
        )


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    """Give a working clone whose remote main holds the demo list and a README to fill."""
    made = Repo(tmp_path)
    made.commit({"lists/demo.toml": LIST, "README.md": README})
    return made


def test_commits_and_pushes_what_changed(repo: Repo) -> None:
    """A stale README region is rendered, committed as github-actions[bot] and pushed."""
    result = repo.action(lists="lists/demo.toml", readme="README.md", refresh="false")
    head = repo.git_at(repo.remote, "rev-parse", "main").strip()
    assert result.status == 0, result.stderr
    assert repo.remote_log() == [
        f"{BOT}: Refresh reading lists",
        f"{MAINTAINER}: Add the list",
    ]
    assert repo.git_at(repo.remote, "log", "-1", "--format=%cn <%ce>", "main") == f"{BOT}\n"
    assert repo.remote_file("README.md") == RENDERED
    assert result.outputs == f"changed=true\ncommit={head}\n"
    assert (
        result.stdout == f"== curator render\n== git commit and push\npushed {head[:12]} to main\n"
    )
    assert result.stderr == "wrote: README.md\n"
    assert result.summary == (
        f"### curator\n\nChanged `README.md`: committed {head[:12]} to `main`.\n"
    )
    assert repo.git("status", "--porcelain") == ""


def test_nothing_changed_makes_no_commit(repo: Repo) -> None:
    """When the rendering is already up to date nothing is committed and changed is false."""
    repo.commit({"README.md": RENDERED}, message="Render by hand")
    result = repo.action(lists="lists/demo.toml", readme="README.md", refresh="false")
    assert result.status == 0, result.stderr
    assert repo.remote_log() == [f"{MAINTAINER}: Render by hand", f"{MAINTAINER}: Add the list"]
    assert repo.git("log", "--format=%s") == "Render by hand\nAdd the list\n"
    assert result.outputs == "changed=false\ncommit=\n"
    assert result.summary == "### curator\n\nNothing changed, so nothing was committed.\n"


def test_uses_the_configured_commit_message(repo: Repo) -> None:
    """commit-message becomes the commit's whole message."""
    message = "docs: refresh the reading list\n\nDone by the weekly workflow."
    result = repo.action(
        lists="lists/demo.toml", readme="README.md", refresh="false", commit_message=message
    )
    assert result.status == 0, result.stderr
    body = repo.git_at(repo.remote, "log", "-1", "--format=%B", "main")
    assert body == message + "\n\n"


def test_commit_false_leaves_the_changes_in_the_work_tree(repo: Repo) -> None:
    """With commit false the files are rendered, changed is true, and nothing is committed."""
    result = repo.action(
        lists="lists/demo.toml", readme="README.md", refresh="false", commit="false"
    )
    assert result.status == 0, result.stderr
    assert repo.remote_log() == [f"{MAINTAINER}: Add the list"]
    assert repo.git("status", "--porcelain") == " M README.md\n"
    assert result.outputs == "changed=true\ncommit=\n"
    assert result.summary == (
        "### curator\n\nChanged `README.md`: not committed (commit is false).\n"
    )


def test_output_input_renders_a_standalone_file_from_a_glob(repo: Repo) -> None:
    """lists takes a glob, and output writes the rendering to a file of its own."""
    result = repo.action(lists="lists/*.toml", output="lists/README.md", refresh="false")
    assert result.status == 0, result.stderr
    assert repo.remote_file("lists/README.md").startswith("# Synthetic demo\n")
    assert repo.remote_log()[0] == f"{BOT}: Refresh reading lists"


def test_a_malformed_list_fails_the_step_without_committing(repo: Repo) -> None:
    """curator refusing a malformed list fails the step with curator's status; nothing is pushed."""
    broken = LIST.replace('id = "9901.00001"', "id = 5")
    repo.commit({"lists/demo.toml": broken}, message="Break the list")
    result = repo.action(lists="lists/demo.toml", readme="README.md")
    assert result.status == 2
    assert result.stdout == "== curator refresh\n"
    assert result.stderr == (
        "error: lists/demo.toml:5:1: id must be a string, not an integer\n"
        "error: curator refresh failed (exit status 2)\n"
    )
    assert repo.remote_log()[0] == f"{MAINTAINER}: Break the list"
    assert result.outputs == ""


def test_a_failing_render_fails_the_step(repo: Repo) -> None:
    """A README without the list's markers fails the step with curator's status 2."""
    repo.commit({"README.md": "# Demo\n"}, message="Drop the markers")
    result = repo.action(lists="lists/demo.toml", readme="README.md", refresh="false")
    assert result.status == 2
    assert result.stderr == (
        "error: README.md has no <!-- curator:start demo --> marker; "
        "add the pair where the list should go\n"
        "error: curator render failed (exit status 2)\n"
    )
    assert repo.remote_log()[0] == f"{MAINTAINER}: Drop the markers"


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        ({"refresh": "yes"}, "refresh must be true or false, not 'yes'"),
        (
            {"sort": "newest"},
            "sort must be one of date, title, id, citations, velocity, not 'newest'",
        ),
        ({"lists": "nowhere/*.toml"}, "lists: 'nowhere/*.toml' matches no file"),
        ({"lists": ""}, "lists is empty: give one or more list files or globs"),
        (
            {"check": "true", "readme": ""},
            "check is true but there is nothing to check: give readme or output, or lint: true",
        ),
        (
            {"keepalive": "true"},
            "keepalive is true but GITHUB_REPOSITORY or GITHUB_WORKFLOW_REF is not set "
            "(keep-alive works inside a GitHub Actions run)",
        ),
        ({"render_options": "--counts 'badge"}, "render-options: No closing quotation"),
    ],
)
def test_bad_inputs_are_refused_before_any_work(
    repo: Repo, inputs: dict[str, str], message: str
) -> None:
    """A bad input stops the run with status 2 and one line naming it; nothing is written."""
    given = {"lists": "lists/demo.toml", "readme": "README.md", "token": TOKEN, **inputs}
    result = repo.action(**given)
    assert (result.status, result.stdout, result.stderr) == (2, "", f"error: {message}\n")
    assert repo.git("status", "--porcelain") == ""


def test_a_detached_head_is_refused_when_committing(repo: Repo) -> None:
    """A detached HEAD (a pull request's merge commit) cannot be pushed; check mode is named."""
    repo.git("checkout", "--quiet", "--detach")
    result = repo.action(lists="lists/demo.toml", readme="README.md", refresh="false")
    assert result.status == 2
    assert result.stderr == (
        "error: commit is true but HEAD is detached; check out a branch "
        "(on pull requests use check: true, which never commits)\n"
    )


def test_rebases_and_pushes_when_the_branch_moved_on(repo: Repo) -> None:
    """A commit pushed meanwhile to another file is kept: the bot's commit goes on top of it."""
    repo.push_elsewhere({"NOTES.md": "notes\n"}, message="Add notes")
    result = repo.action(lists="lists/demo.toml", readme="README.md", refresh="false")
    assert result.status == 0, result.stderr
    assert repo.remote_log() == [
        f"{BOT}: Refresh reading lists",
        f"{MAINTAINER}: Add notes",
        f"{MAINTAINER}: Add the list",
    ]
    assert "main moved on while curator ran; rebasing onto it (attempt 2)\n" in result.stdout
    assert repo.remote_file("README.md") == RENDERED


def test_gives_up_when_the_branch_changed_the_same_lines(repo: Repo) -> None:
    """A conflicting commit pushed meanwhile fails the step; the remote keeps the human's work."""
    edited = README.replace("-->\n<!--", "-->\nHand-written.\n<!--")
    repo.push_elsewhere({"README.md": edited}, message="Edit the README")
    result = repo.action(lists="lists/demo.toml", readme="README.md", refresh="false")
    assert result.status == 1
    assert result.stderr.endswith(
        "error: main moved on and changed the same files; nothing was pushed. "
        "Run the workflow again\n"
    )
    assert repo.remote_log()[0] == f"{MAINTAINER}: Edit the README"


def test_check_mode_fails_with_a_diff_when_the_readme_is_stale(repo: Repo) -> None:
    """check true exits 1 with the diff in the log and, with the fix, in the summary; no commit."""
    result = repo.action(lists="lists/demo.toml", readme="README.md", check="true")
    diff = (
        "--- README.md (current)\n"
        "+++ README.md (rendered)\n"
        "@@ -1,4 +1,9 @@\n"
        " # Demo\n"
        " \n"
        " <!-- curator:start demo -->\n"
        "+\n"
        "+## Synthetic demo\n"
        "+\n"
        "+- [Synthetic paper 9901.00001](https://arxiv.org/abs/9901.00001) - S. Author, 2099.\n"
        "+\n"
        " <!-- curator:end demo -->\n"
    )
    fix = "curator render lists/demo.toml --readme README.md --sort date"
    assert result.status == 1
    assert result.stdout == f"== curator render --check\n{diff}"
    assert result.stderr == (
        "error: out of date: README.md; run the same command without --check to update\n"
        f"error: out of date with the lists; run: {fix}\n"
    )
    assert result.outputs == "changed=false\ncommit=\n"
    assert result.summary == (
        "### curator check\n\n`README.md`: out of date with the lists. To update, run\n\n"
        f"```sh\n{fix}\n```\n\nand commit the result. What would change:\n\n"
        f"```diff\n{diff}```\n"
    )
    assert repo.git("status", "--porcelain") == ""
    assert repo.remote_log() == [f"{MAINTAINER}: Add the list"]


def test_check_mode_passes_when_the_readme_is_fresh(repo: Repo) -> None:
    """check true exits 0 and says so when every rendered file is up to date."""
    repo.commit({"README.md": RENDERED}, message="Render by hand")
    result = repo.action(lists="lists/demo.toml", readme="README.md", check="true")
    assert (result.status, result.stdout, result.stderr) == (0, "== curator render --check\n", "")
    assert result.summary == "### curator check\n\n`README.md`: up to date with the lists.\n"


def test_check_mode_on_github_keeps_list_text_from_becoming_workflow_commands(repo: Repo) -> None:
    """On GitHub the diff is printed inside stop-commands, then one ::error:: annotation."""
    title = "::warning::Synthetic paper"
    repo.commit({"lists/demo.toml": LIST.replace("Synthetic paper 9901.00001", title)})
    result = repo.action(
        {"GITHUB_ACTIONS": "true"}, lists="lists/demo.toml", readme="README.md", check="true"
    )
    lines = result.stdout.splitlines()
    resume = re.fullmatch(r"::stop-commands::([0-9a-f]{32})", lines[1])
    assert result.status == 1
    assert resume is not None
    assert lines[0] == "::group::curator render --check"
    assert lines[2] == "--- README.md (current)"
    assert f"+- [{title}](https://arxiv.org/abs/9901.00001) - S. Author, 2099." in lines
    assert lines[-3:] == [
        f"::{resume[1]}::",
        "::endgroup::",
        "::error::out of date with the lists; run: "
        "curator render lists/demo.toml --readme README.md --sort date",
    ]


def test_lint_fails_on_list_errors_and_says_what_they_are(repo: Repo) -> None:
    """lint true runs curator check on the lists: errors fail the step, with the findings."""
    pending = LIST + '\n[[paper]]\nid = "9901.00002"\nstatus = "unresolved"\n'
    repo.commit({"lists/demo.toml": pending}, message="Add an id arXiv does not know")
    result = repo.action(lists="lists/demo.toml", check="true", lint="true")
    finding = (
        "lists/demo.toml:10: error: 9901.00002: arXiv does not know this identifier; "
        "fix or remove the entry"
    )
    assert result.status == 1
    assert result.stdout == f"== curator check\n{finding}\n"
    assert result.stderr == (
        "1 error, 0 warnings\n"
        "error: curator check found errors in the lists; see the log or the job summary\n"
    )
    assert result.summary == (
        f"### curator check of the lists\n\nErrors to fix:\n\n```text\n{finding}\n```\n"
    )
    assert repo.git("status", "--porcelain") == ""


def test_lint_and_a_fresh_readme_pass_together(repo: Repo) -> None:
    """lint true with a readme checks both; a clean list and a fresh README pass."""
    repo.commit({"README.md": RENDERED}, message="Render by hand")
    result = repo.action(lists="lists/demo.toml", readme="README.md", check="true", lint="true")
    assert (result.status, result.stdout) == (
        0,
        "== curator check\n== curator render --check\n",
    )
    assert result.summary == (
        "### curator check of the lists\n\nNo problems found.\n"
        "### curator check\n\n`README.md`: up to date with the lists.\n"
    )


# --- refresh, the summary, secrets and keep-alive ----------------------------------------------


class Loopback:
    """An HTTP server on loopback that answers every request ``status`` and records it.

    It stands in for GitHub's REST API (keep-alive) and for a git server (pushing).
    """

    def __init__(self, status: int) -> None:
        self.requests: list[tuple[str, str, list[str]]] = []
        """(method, path, Authorization headers) of each request."""
        seen = self.requests

        class Handler(BaseHTTPRequestHandler):
            def answer(self) -> None:
                authorization = self.headers.get_all("Authorization") or []
                seen.append((self.command, self.path, authorization))
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def do_GET(self) -> None:
                self.answer()

            def do_PUT(self) -> None:
                self.answer()

            def log_message(self, format: str, *args: object) -> None:
                """Keep test output quiet."""

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> Loopback:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()


@pytest.fixture
def services(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[ArxivStandin, S2Standin]]:
    """Point curator at both API stand-ins: arXiv knows 9901.00001-2, Semantic Scholar too."""
    with ArxivStandin() as arxiv, S2Standin(synthetic_papers(2)) as s2:
        arxiv.add_synthetic(["9901.00001", "9901.00002"])
        monkeypatch.setenv("CURATOR_ARXIV_API", arxiv.api_url)
        monkeypatch.setenv("CURATOR_S2_API", s2.url)
        yield arxiv, s2


REFRESH_LIST = (
    LIST
    + "citations = 3\n\n"
    + '[[paper]]\nid = "9901.00002"\nstatus = "pending"\n\n'
    + '[[paper]]\nid = "9901.00003"\nstatus = "pending"\n'
)


def _refresh_repo(tmp_path: Path) -> Repo:
    """A repository whose list has a counted paper with history, and two pending ones."""
    made = Repo(tmp_path)
    ten_days_ago = (dt.date.today() - dt.timedelta(days=10)).isoformat()
    made.commit(
        {
            "lists/demo.toml": REFRESH_LIST,
            "lists/demo.history.csv": (
                f"date,id,citations,influential_citations\n{ten_days_ago},9901.00001,3,0\n"
            ),
            "README.md": README,
        }
    )
    return made


def test_summary_reports_what_the_refresh_learned(
    tmp_path: Path, services: tuple[ArxivStandin, S2Standin]
) -> None:
    """The summary names papers added, counts updated, top gainers and what is unresolved."""
    repo = _refresh_repo(tmp_path)
    result = repo.action(lists="lists/demo.toml", readme="README.md", fail_on_incomplete="false")
    head = repo.git_at(repo.remote, "rev-parse", "main").strip()
    assert result.status == 0, result.stderr
    assert result.summary == (
        "### curator\n\n"
        "#### `lists/demo.toml`\n\n"
        "3 checked on arXiv (2 resolved, 1 unresolved, 0 pending); 3 checked on Semantic "
        "Scholar (2 with counts, 1 unknown, 2 history rows added)\n\n"
        "Papers added with their arXiv metadata (1):\n\n"
        "- [Synthetic paper 9901.00002](https://arxiv.org/abs/9901.00002)\n\n"
        "Citation counts updated (2):\n\n"
        "| paper | before | now |\n"
        "| --- | --- | --- |\n"
        "| [Synthetic paper 9901.00001](https://arxiv.org/abs/9901.00001) | 3 | 7 |\n"
        "| [Synthetic paper 9901.00002](https://arxiv.org/abs/9901.00002) | \N{EN DASH} | 14 |\n\n"
        "Top gainers over the last 30 days:\n\n"
        "| paper | citations | gained |\n"
        "| --- | --- | --- |\n"
        "| [Synthetic paper 9901.00001](https://arxiv.org/abs/9901.00001) | 7 | +4 |\n\n"
        "Needs attention:\n\n"
        "- Unresolved (arXiv does not know them): `9901.00003`\n\n"
        "Changed `lists/demo.toml`, `lists/demo.history.csv`, `README.md`: "
        f"committed {head[:12]} to `main`.\n"
    )
    assert result.outputs == f"changed=true\ncommit={head}\n"
    assert repo.remote_log()[0] == f"{BOT}: Refresh reading lists"


def test_an_incomplete_refresh_commits_its_progress_then_fails(
    tmp_path: Path, services: tuple[ArxivStandin, S2Standin]
) -> None:
    """An unresolved paper fails the step by default, after what was learned is pushed."""
    repo = _refresh_repo(tmp_path)
    result = repo.action(lists="lists/demo.toml", readme="README.md")
    assert result.status == 1
    assert result.stderr.splitlines()[-1] == (
        "error: the refresh left work undone (see the summary); what it learned was saved "
        "and committed. Set fail-on-incomplete: false to let this pass"
    )
    assert repo.remote_log()[0] == f"{BOT}: Refresh reading lists"
    assert 'title = "Synthetic paper 9901.00002"' in repo.remote_file("lists/demo.toml")


GITHUB_CONTEXT = {
    "GITHUB_REPOSITORY": "octo/demo",
    "GITHUB_WORKFLOW_REF": "octo/demo/.github/workflows/refresh.yml@refs/heads/main",
}
"""What the runner says about a run of octo/demo's workflow refresh.yml."""


def test_never_prints_or_stores_the_token_or_the_key(
    tmp_path: Path, services: tuple[ArxivStandin, S2Standin]
) -> None:
    """The token and the Semantic Scholar key appear in no output, summary, commit or file."""
    _, s2 = services
    repo = _refresh_repo(tmp_path)
    with Loopback(204) as api:
        result = repo.action(
            {**GITHUB_CONTEXT, "GITHUB_API_URL": api.url, "S2_API_KEY": S2_KEY},
            lists="lists/demo.toml",
            readme="README.md",
            fail_on_incomplete="false",
            keepalive="true",
            token=TOKEN,
        )
    assert result.status == 0, result.stderr
    assert s2.requests
    assert all(request.api_key_sent for request in s2.requests)
    assert api.requests == [
        ("PUT", "/repos/octo/demo/actions/workflows/refresh.yml/enable", [f"Bearer {TOKEN}"])
    ]
    basic = base64.b64encode(f"x-access-token:{TOKEN}".encode()).decode()
    texts = [result.stdout, result.stderr, result.outputs, result.summary]
    texts.append(repo.git_at(repo.remote, "log", "--all", "--patch", "--format=%an %ae %B"))
    texts.append(repo.git("log", "--all", "--patch", "--format=%an %ae %B"))
    files = [
        path
        for folder in (tmp_path, Path(os.environ["CURATOR_CACHE_DIR"]))
        for path in folder.rglob("*")
        if path.is_file()
    ]
    for secret in (TOKEN, S2_KEY, basic):
        assert not [text for text in texts if secret in text]
        assert not [path for path in files if secret.encode() in path.read_bytes()]


def test_keepalive_enables_the_workflow_through_the_api(repo: Repo) -> None:
    """keepalive true sends PUT .../actions/workflows/FILE/enable with the token, even unchanged."""
    repo.commit({"README.md": RENDERED}, message="Render by hand")
    with Loopback(204) as api:
        result = repo.action(
            {**GITHUB_CONTEXT, "GITHUB_API_URL": api.url},
            lists="lists/demo.toml",
            readme="README.md",
            refresh="false",
            keepalive="true",
            token=TOKEN,
        )
    assert result.status == 0, result.stderr
    assert api.requests == [
        ("PUT", "/repos/octo/demo/actions/workflows/refresh.yml/enable", [f"Bearer {TOKEN}"])
    ]
    assert result.stdout.endswith(
        "keepalive: workflow enabled (HTTP 204); its schedule stays active\n"
    )
    assert repo.remote_log()[0] == f"{MAINTAINER}: Render by hand"


def test_keepalive_without_permission_fails_and_names_it(repo: Repo) -> None:
    """A 403 from the API (no actions: write) fails the step, after the commit, naming the fix."""
    with Loopback(403) as api:
        result = repo.action(
            {**GITHUB_CONTEXT, "GITHUB_API_URL": api.url},
            lists="lists/demo.toml",
            readme="README.md",
            refresh="false",
            keepalive="true",
            token=TOKEN,
        )
    assert result.status == 1
    assert result.stderr.splitlines()[-1] == (
        "error: keepalive: GitHub answered HTTP 403 to enabling the workflow "
        "(give the job 'permissions: actions: write')"
    )
    assert repo.remote_log()[0] == f"{BOT}: Refresh reading lists"


def test_push_sends_the_token_as_one_header_and_nowhere_else(repo: Repo) -> None:
    """git gets exactly one Authorization header, the token's, even over a persisted one."""
    with Loopback(403) as server:
        repo.git("remote", "set-url", "origin", f"{server.url}/octo/demo.git")
        # What actions/checkout leaves behind with persist-credentials: true.
        repo.git("config", f"http.{server.url}/.extraheader", "AUTHORIZATION: basic c3RhbGU=")
        result = repo.action(
            {"GITHUB_SERVER_URL": server.url},
            lists="lists/demo.toml",
            readme="README.md",
            refresh="false",
            token=TOKEN,
        )
    basic = base64.b64encode(f"x-access-token:{TOKEN}".encode()).decode()
    assert result.status == 1
    assert [headers for _, _, headers in server.requests] == [[f"basic {basic}"]]
    assert result.stderr.splitlines()[-1].startswith("error: cannot push to main: ")
    assert TOKEN not in result.stdout + result.stderr
    assert basic not in result.stdout + result.stderr
