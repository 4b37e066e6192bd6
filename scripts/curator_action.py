#!/usr/bin/env python3
"""The logic of curator's GitHub Action (action.yml at the repository root).

``python3 scripts/curator_action.py install`` puts curator, built from this checkout, into
a fresh virtual environment and names its command in ``$GITHUB_OUTPUT`` (``curator=``).

``python3 scripts/curator_action.py run`` refreshes the lists, renders them, and commits
and pushes the files that changed; with ``INPUT_CHECK=true`` it only checks that the
rendered files are up to date and fails with a diff when they are not.

Every input comes from an environment variable (``INPUT_LISTS``, ``INPUT_COMMIT_MESSAGE``,
...: the action's inputs, upper-cased, ``-`` as ``_``), so no value is ever pasted into
shell code; ``CURATOR`` names the curator command (default: ``curator`` on PATH). The
token (``INPUT_TOKEN``) reaches git only as an HTTP header given through git's
environment, and GitHub's API only for keep-alive; neither it nor the Semantic Scholar
key is ever printed. Standard library only, so it runs on whichever Python the job has.

Exit status: 0 success; 1 a rendered file is out of date in check mode, a refresh left
work undone (unless ``fail-on-incomplete`` is false), or pushing or keep-alive failed;
2 a bad input; when curator itself fails, its own status (2 for a malformed list).
"""

from __future__ import annotations

import glob
import json
import os
import secrets
import shlex
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# The other two files of the action, beside this one (Python puts this folder on sys.path).
from action_git import Git, GitError, commit_and_push, current_branch
from action_summary import (
    TRENDING_DAYS,
    Outcome,
    check_summary,
    lint_summary,
    refresh_line,
    run_summary,
)

DEFAULT_MESSAGE = "Refresh reading lists"
SORT_KEYS = ("date", "title", "id", "citations", "velocity")
HISTORY_SUFFIX = ".history.csv"
"""Where curator keeps a list's citation history: ``NAME.toml`` -> ``NAME.history.csv``."""
SECRET_VARIABLES = ("INPUT_TOKEN",)
"""Kept out of the environment of every command but the git calls that reach the remote."""
CURATOR_SECRETS = ("S2_API_KEY", "SEMANTIC_SCHOLAR_API_KEY")
"""Only curator needs these; git never gets them."""
TOP_GAINERS = 5
API_TIMEOUT = 30.0


class ActionError(Exception):
    """A failure to report as one error line; ``exit_code`` ends the step."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


@dataclass(frozen=True)
class Inputs:
    """The action's inputs, read from ``INPUT_*`` environment variables and checked."""

    lists: tuple[str, ...]
    readme: str = ""
    output: str = ""
    sort: str = "date"
    refresh: bool = True
    refresh_options: tuple[str, ...] = ()
    render_options: tuple[str, ...] = ()
    check: bool = False
    lint: bool = False
    commit: bool = True
    commit_message: str = DEFAULT_MESSAGE
    fail_on_incomplete: bool = True
    keepalive: bool = False
    token: str = field(default="", repr=False)

    @classmethod
    def from_environment(cls, env: Mapping[str, str]) -> Inputs:
        """Read and check the inputs; raise ActionError (status 2) for a bad value."""
        sort = env.get("INPUT_SORT", "").strip() or "date"
        if sort not in SORT_KEYS:
            raise ActionError(f"sort must be one of {', '.join(SORT_KEYS)}, not {sort!r}", 2)
        message = env.get("INPUT_COMMIT_MESSAGE", "").strip() or DEFAULT_MESSAGE
        return cls(
            lists=_words(env, "INPUT_LISTS"),
            readme=env.get("INPUT_README", "").strip(),
            output=env.get("INPUT_OUTPUT", "").strip(),
            sort=sort,
            refresh=_flag(env, "INPUT_REFRESH", default=True),
            refresh_options=_words(env, "INPUT_REFRESH_OPTIONS"),
            render_options=_words(env, "INPUT_RENDER_OPTIONS"),
            check=_flag(env, "INPUT_CHECK", default=False),
            lint=_flag(env, "INPUT_LINT", default=False),
            commit=_flag(env, "INPUT_COMMIT", default=True),
            commit_message=message,
            fail_on_incomplete=_flag(env, "INPUT_FAIL_ON_INCOMPLETE", default=True),
            keepalive=_flag(env, "INPUT_KEEPALIVE", default=False),
            token=env.get("INPUT_TOKEN", "").strip(),
        )


def _input_name(variable: str) -> str:
    return variable.removeprefix("INPUT_").lower().replace("_", "-")


def _flag(env: Mapping[str, str], variable: str, *, default: bool) -> bool:
    value = env.get(variable, "").strip().lower()
    if not value:
        return default
    if value not in ("true", "false"):
        raise ActionError(f"{_input_name(variable)} must be true or false, not {value!r}", 2)
    return value == "true"


def _words(env: Mapping[str, str], variable: str) -> tuple[str, ...]:
    """Split an input like a shell would (quotes group words), without running any shell."""
    try:
        return tuple(shlex.split(env.get(variable, "")))
    except ValueError as error:
        raise ActionError(f"{_input_name(variable)}: {error}", 2) from None


def expand_lists(patterns: Sequence[str]) -> list[str]:
    """Return the list files named by paths and globs, in order, each once."""
    if not patterns:
        raise ActionError("lists is empty: give one or more list files or globs", 2)
    found: dict[str, None] = {}
    for pattern in patterns:
        if glob.has_magic(pattern):
            # glob.glob, not Path.glob: patterns may be absolute, and * skips hidden files.
            matches = sorted(glob.glob(pattern, recursive=True))  # noqa: PTH207
            if not matches:
                raise ActionError(f"lists: {pattern!r} matches no file", 2)
            found.update(dict.fromkeys(matches))
        else:
            found[pattern] = None
    # A path that starts with "-" would be read as an option.
    return [f"./{path}" if path.startswith("-") else path for path in found]


# --- talking to the log -----------------------------------------------------------------


def _in_actions(env: Mapping[str, str]) -> bool:
    return env.get("GITHUB_ACTIONS") == "true"


def say(text: str = "") -> None:
    """Print a line to the log, in order with the commands run."""
    print(text, flush=True)


def error(message: str, env: Mapping[str, str]) -> None:
    """Report a failure: an ``::error::`` annotation on GitHub, a plain line elsewhere."""
    if _in_actions(env):
        escaped = message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        say(f"::error::{escaped}")
    else:
        print(f"error: {message}", file=sys.stderr, flush=True)


@contextmanager
def log_group(title: str, env: Mapping[str, str]) -> Iterator[None]:
    """Fold the output of a stage in the log, reading none of it as a workflow command.

    Titles, notes and diffs come from the lists, which a pull request can change; a line
    of theirs that looks like ``::command::`` must stay text.
    """
    if not _in_actions(env):
        say(f"== {title}")
        yield
        return
    resume = secrets.token_hex(16)
    say(f"::group::{title}")
    say(f"::stop-commands::{resume}")
    try:
        yield
    finally:
        say(f"::{resume}::")
        say("::endgroup::")


# --- curator -----------------------------------------------------------------------


def _without(env: Mapping[str, str], names: Sequence[str]) -> dict[str, str]:
    return {key: value for key, value in env.items() if key not in names}


class Curator:
    """Run the curator command, without the push token in its environment."""

    def __init__(self, env: Mapping[str, str]) -> None:
        self.command = env.get("CURATOR", "").strip() or "curator"
        self.env = _without(env, SECRET_VARIABLES)

    def run(self, *args: str, capture: bool = False, quiet: bool = False) -> tuple[int, str]:
        """Run ``curator ARGS``; return its status and, when captured, its stdout."""
        try:
            done = subprocess.run(
                [self.command, *args],
                env=self.env,
                stdout=subprocess.PIPE if capture else None,
                stderr=subprocess.DEVNULL if quiet else None,
                text=True,
                encoding="utf-8",
                check=False,
            )
        except OSError as failure:
            raise ActionError(f"cannot run {self.command!r}: {failure.strerror}") from None
        return done.returncode, done.stdout or ""

    def json(self, command: str, *args: str, quiet: bool = False) -> tuple[int, Any]:
        """Run ``curator COMMAND --json ARGS``; return its status and JSON (None if none)."""
        status, out = self.run(command, "--json", *args, capture=True, quiet=quiet)
        try:
            return status, json.loads(out)
        except ValueError:
            return status, None


# --- the stages -----------------------------------------------------------------------------


def _papers(curator: Curator, path: str) -> dict[str, dict[str, Any]]:
    """Return the papers of a list by id, as ``curator show --json`` gives them."""
    status, shown = curator.json("show", "--sort", "id", "--", path, quiet=True)
    if status != 0 or not isinstance(shown, list):
        return {}
    return {paper["id"]: paper for paper in shown if isinstance(paper, dict) and "id" in paper}


def refresh(curator: Curator, inputs: Inputs, outcome: Outcome) -> bool:
    """Refresh every list; return whether all of them are complete.

    A refresh that leaves papers pending or unresolved, or that a service failed, still
    saved what it learned: that is rendered and committed, and reported. Anything else
    curator refuses (a malformed list, a bad option) stops the run.
    """
    outcome.before = {path: _papers(curator, path) for path in outcome.lists}
    status, reports = curator.json("refresh", *inputs.refresh_options, "--", *outcome.lists)
    if status not in (0, 1) or not isinstance(reports, list):
        raise ActionError(f"curator refresh failed (exit status {status})", status or 1)
    outcome.reports = [report for report in reports if isinstance(report, dict)]
    for report in outcome.reports:
        say(f"{report.get('list')}: {refresh_line(report)}")
    outcome.after = {path: _papers(curator, path) for path in outcome.lists}
    for path in outcome.lists:
        found, ranked = curator.json(
            "trending", "--since", f"{TRENDING_DAYS}d", "--top", str(TOP_GAINERS), "--", path,
            quiet=True,
        )  # fmt: skip
        if found == 0 and isinstance(ranked, list):
            outcome.gainers[path] = [
                item for item in ranked if isinstance(item, dict) and (item.get("gained") or 0) > 0
            ]
    return status == 0 and all(report.get("complete") for report in outcome.reports)


def render_arguments(inputs: Inputs, lists: Sequence[str], *, check: bool) -> list[str]:
    """Return the ``curator render`` arguments the inputs ask for."""
    arguments = [*lists]
    if inputs.readme:
        arguments += ["--readme", inputs.readme]
    if inputs.output:
        arguments += ["--output", inputs.output]
    arguments += ["--sort", inputs.sort, *inputs.render_options]
    return [*arguments, "--check"] if check else arguments


def _snapshot(paths: Sequence[str]) -> dict[str, bytes | None]:
    return {path: Path(path).read_bytes() if Path(path).is_file() else None for path in paths}


def run(env: Mapping[str, str]) -> int:
    """Refresh, render, commit and push, or check; return the exit status."""
    inputs = Inputs.from_environment(env)
    lists = expand_lists(inputs.lists)
    curator = Curator(env)
    if inputs.check:
        return check(curator, inputs, lists, env)
    git = Git(_without(env, (*SECRET_VARIABLES, *CURATOR_SECRETS)), inputs.token)
    outcome = Outcome(lists=lists)
    if inputs.commit:
        outcome.branch = _branch_to_push(git)
    if inputs.keepalive:
        _workflow_to_enable(env, inputs.token)  # refuse before any work, not after it
    histories = [str(Path(path).with_suffix(HISTORY_SUFFIX)) for path in lists]
    watched = [*lists, *histories, *(p for p in (inputs.readme, inputs.output) if p)]
    before = _snapshot(watched)
    complete = True
    if inputs.refresh:
        with log_group("curator refresh", env):
            complete = refresh(curator, inputs, outcome)
    if inputs.readme or inputs.output:
        with log_group("curator render", env):
            status, _ = curator.run("render", *render_arguments(inputs, lists, check=False))
        if status != 0:
            raise ActionError(f"curator render failed (exit status {status})", status)
    after = _snapshot(watched)
    outcome.changed = [path for path in watched if before[path] != after[path]]
    if outcome.changed and inputs.commit:
        with log_group("git commit and push", env):
            try:
                outcome.commit = commit_and_push(
                    git, outcome.changed, branch=outcome.branch, message=inputs.commit_message
                )
            except GitError as failure:
                raise ActionError(str(failure)) from None
            if outcome.commit:
                say(f"pushed {outcome.commit[:12]} to {outcome.branch}")
    set_outputs(env, changed=str(bool(outcome.changed)).lower(), commit=outcome.commit)
    add_summary(env, run_summary(outcome, refreshed=inputs.refresh))
    if inputs.keepalive:
        keep_alive(env, inputs.token)
    if not complete and inputs.fail_on_incomplete:
        raise ActionError(
            "the refresh left work undone (see the summary); what it learned was saved"
            + (" and committed" if outcome.commit else "")
            + ". Set fail-on-incomplete: false to let this pass"
        )
    return 0


def _branch_to_push(git: Git) -> str:
    """Return the branch to push to; refuse a detached HEAD or a folder outside git."""
    try:
        branch = current_branch(git)
    except GitError as failure:
        raise ActionError(f"commit is true but {failure}", 2) from None
    if branch is None:
        raise ActionError(
            "commit is true but HEAD is detached; check out a branch "
            "(on pull requests use check: true, which never commits)",
            2,
        )
    return branch


def check(curator: Curator, inputs: Inputs, lists: Sequence[str], env: Mapping[str, str]) -> int:
    """Fail when a rendered file is out of date with its lists (with a diff) or, with lint,
    when ``curator check`` finds errors in the lists; change nothing."""
    if not (inputs.readme or inputs.output or inputs.lint):
        raise ActionError(
            "check is true but there is nothing to check: give readme or output, or lint: true",
            2,
        )
    set_outputs(env, changed="false", commit="")
    linted = lint(curator, lists, env) if inputs.lint else 0
    rendered = check_rendering(curator, inputs, lists, env) if inputs.readme or inputs.output else 0
    return max(linted, rendered)


def lint(curator: Curator, lists: Sequence[str], env: Mapping[str, str]) -> int:
    """Run ``curator check`` on the lists; return 1 when it found errors."""
    with log_group("curator check", env):
        status, findings = curator.run("check", *lists, capture=True)
        if findings:
            say(findings.rstrip("\n"))
    if status not in (0, 1):
        raise ActionError(f"curator check failed (exit status {status})", status)
    add_summary(env, lint_summary(findings, failed=status == 1))
    if status == 1:
        error("curator check found errors in the lists; see the log or the job summary", env)
    return status


def check_rendering(
    curator: Curator, inputs: Inputs, lists: Sequence[str], env: Mapping[str, str]
) -> int:
    """Fail with a diff when a rendered file is out of date with its lists."""
    with log_group("curator render --check", env):
        status, diff = curator.run(
            "render", *render_arguments(inputs, lists, check=True), capture=True
        )
        if diff:
            say(diff.rstrip("\n"))
    targets = [path for path in (inputs.readme, inputs.output) if path]
    fix = shlex.join(["curator", "render", *render_arguments(inputs, lists, check=False)])
    if status == 0:
        add_summary(env, check_summary(targets, fix=fix, diff=""))
        return 0
    if status != 1 or not diff:
        raise ActionError(f"curator render --check failed (exit status {status})", status)
    add_summary(env, check_summary(targets, fix=fix, diff=diff))
    error(f"out of date with the lists; run: {fix}", env)
    return 1


# --- keep-alive -------------------------------------------------------------------------------


def _workflow_to_enable(env: Mapping[str, str], token: str) -> str:
    """Return the API URL that enables this run's workflow, or raise why there is none."""
    repository = env.get("GITHUB_REPOSITORY", "").strip()
    workflow_ref = env.get("GITHUB_WORKFLOW_REF", "").strip()
    if not token:
        raise ActionError("keepalive is true but token is empty", 2)
    if not repository or not workflow_ref:
        raise ActionError(
            "keepalive is true but GITHUB_REPOSITORY or GITHUB_WORKFLOW_REF is not set "
            "(keep-alive works inside a GitHub Actions run)",
            2,
        )
    # owner/repo/.github/workflows/refresh.yml@refs/heads/main -> refresh.yml
    workflow = workflow_ref.split("@", 1)[0].rsplit("/", 1)[-1]
    api = env.get("GITHUB_API_URL", "").strip() or "https://api.github.com"
    return f"{api.rstrip('/')}/repos/{repository}/actions/workflows/{workflow}/enable"


def keep_alive(env: Mapping[str, str], token: str) -> None:
    """Enable this run's workflow again, which keeps GitHub from disabling its schedule.

    GitHub disables scheduled workflows of a repository without activity for 60 days;
    enabling the workflow through the REST API counts as using it, and commits nothing.
    """
    url = _workflow_to_enable(env, token)
    request = urllib.request.Request(
        url,
        method="PUT",
        headers={
            "Accept": "application/vnd.github+json",
            "Authorization": f"Bearer {token}",
            "X-GitHub-Api-Version": "2022-11-28",
            "User-Agent": "curator-action",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=API_TIMEOUT) as answer:
            status = answer.status
    except urllib.error.HTTPError as refused:
        hint = " (give the job 'permissions: actions: write')" if refused.code in (403, 404) else ""
        raise ActionError(
            f"keepalive: GitHub answered HTTP {refused.code} to enabling the workflow{hint}"
        ) from None
    except (urllib.error.URLError, OSError) as failure:
        reason = getattr(failure, "reason", failure)
        raise ActionError(f"keepalive: cannot reach GitHub's API: {reason}") from None
    say(f"keepalive: workflow enabled (HTTP {status}); its schedule stays active")


# --- outputs and the job summary --------------------------------------------------------------


def set_outputs(env: Mapping[str, str], **outputs: str) -> None:
    """Append ``name=value`` lines to ``$GITHUB_OUTPUT`` when the runner gives one."""
    target = env.get("GITHUB_OUTPUT")
    if target:
        with Path(target).open("a", encoding="utf-8") as file:
            file.writelines(f"{name}={value}\n" for name, value in outputs.items())


def add_summary(env: Mapping[str, str], markdown: str) -> None:
    """Append Markdown to ``$GITHUB_STEP_SUMMARY`` when the runner gives one."""
    target = env.get("GITHUB_STEP_SUMMARY")
    if target:
        with Path(target).open("a", encoding="utf-8") as file:
            file.write(markdown)


# --- installing curator -----------------------------------------------------------------------


def install(env: Mapping[str, str]) -> int:
    """Install curator from this checkout into a new virtual environment; name its command."""
    source = Path(__file__).resolve().parent.parent
    base = Path(env.get("RUNNER_TEMP", "").strip() or tempfile.gettempdir())
    venv = base / "curator-action" / "venv"
    scripts = venv / ("Scripts" if os.name == "nt" else "bin")
    steps = [
        [sys.executable, "-m", "venv", "--clear", str(venv)],
        [
            str(scripts / "python"), "-m", "pip", "install", "--quiet", "--no-input",
            "--disable-pip-version-check", str(source),
        ],
        [str(scripts / "curator"), "--version"],
    ]  # fmt: skip
    clean = _without(env, (*SECRET_VARIABLES, *CURATOR_SECRETS))
    for step in steps:
        if subprocess.run(step, env=clean, check=False).returncode != 0:
            raise ActionError(f"installing curator from {source} failed: {shlex.join(step)}")
    set_outputs(env, curator=str(scripts / "curator"))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``install`` or ``run`` with the process environment; return the exit status."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    env = dict(os.environ)
    commands = {"install": install, "run": run}
    if len(arguments) != 1 or arguments[0] not in commands:
        print(
            "usage: curator_action.py install|run (inputs come from INPUT_* variables)",
            file=sys.stderr,
        )
        return 2
    try:
        return commands[arguments[0]](env)
    except ActionError as failure:
        error(str(failure), env)
        return failure.exit_code


if __name__ == "__main__":
    sys.exit(main())
