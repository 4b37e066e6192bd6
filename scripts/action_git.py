"""Git for curator's GitHub Action: commit as github-actions[bot], push with the job's token.

The token never appears on a command line, in a remote URL or in .git/config: pushing and
fetching get it as an HTTP header through git's own environment variables.
"""

from __future__ import annotations

import base64
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

BOT_NAME = "github-actions[bot]"
BOT_EMAIL = "41898282+github-actions[bot]@users.noreply.github.com"
PUSH_ATTEMPTS = 3
"""Pushes tried; before each retry the commit is rebased onto what the branch became."""


class GitError(Exception):
    """A git step that failed; the message says which and what git answered."""


class Git:
    """Run git as the github-actions[bot], authenticating to the server with the token."""

    def __init__(self, env: Mapping[str, str], token: str) -> None:
        """Prepare git's environment from ``env`` (which must hold no secret) and ``token``."""
        identity = {
            "GIT_AUTHOR_NAME": BOT_NAME,
            "GIT_AUTHOR_EMAIL": BOT_EMAIL,
            "GIT_COMMITTER_NAME": BOT_NAME,
            "GIT_COMMITTER_EMAIL": BOT_EMAIL,
            "GIT_TERMINAL_PROMPT": "0",
        }
        self.env = {**env, **identity}
        self.remote_env = dict(self.env)
        if token:
            self.remote_env.update(auth_config(env, token))

    def run(self, *args: str, remote: bool = False) -> subprocess.CompletedProcess[str]:
        """Run ``git ARGS`` and capture its output; ``remote`` adds the token's header."""
        return subprocess.run(
            ["git", *args],
            env=self.remote_env if remote else self.env,
            capture_output=True,
            text=True,
            check=False,
        )

    def must(self, *args: str, remote: bool = False) -> str:
        """Run ``git ARGS``; return its stdout, or raise GitError with its stderr."""
        done = self.run(*args, remote=remote)
        if done.returncode != 0:
            raise GitError(f"git {args[0]} failed: {done.stderr.strip()}")
        return done.stdout


def auth_config(env: Mapping[str, str], token: str) -> dict[str, str]:
    """Return environment variables that give git an Authorization header for the server.

    The header travels in git's environment (``GIT_CONFIG_COUNT``), never on a command line
    or in a remote URL, so no log or process listing shows it. An empty value first clears
    any header that ``actions/checkout`` persisted, so exactly one is sent.
    """
    server = env.get("GITHUB_SERVER_URL", "").strip() or "https://github.com"
    key = f"http.{server.rstrip('/')}/.extraheader"
    basic = base64.b64encode(f"x-access-token:{token}".encode()).decode()
    entries = [(key, ""), (key, f"AUTHORIZATION: basic {basic}")]
    count = int(env.get("GIT_CONFIG_COUNT", "0") or 0)
    config = {"GIT_CONFIG_COUNT": str(count + len(entries))}
    for offset, (name, value) in enumerate(entries):
        config[f"GIT_CONFIG_KEY_{count + offset}"] = name
        config[f"GIT_CONFIG_VALUE_{count + offset}"] = value
    return config


def current_branch(git: Git) -> str | None:
    """Return the checked-out branch, or None for a detached HEAD (a pull request's merge)."""
    done = git.run("symbolic-ref", "--quiet", "--short", "HEAD")
    if done.returncode == 0:
        return done.stdout.strip()
    if git.run("rev-parse", "--git-dir").returncode != 0:
        raise GitError("this is not a git repository")
    return None


def commit_and_push(git: Git, paths: Sequence[str], *, branch: str, message: str) -> str:
    """Commit ``paths`` and push the commit to ``branch`` on origin; return its id."""
    present = [path for path in paths if Path(path).exists()]
    git.must("add", "--", *present)
    if git.run("diff", "--cached", "--quiet", "--", *present).returncode == 0:
        return ""  # the files are back to what the last commit holds
    git.must("commit", "--quiet", "--message", message, "--", *present)
    for attempt in range(1, PUSH_ATTEMPTS + 1):
        done = git.run("push", "--porcelain", "origin", f"HEAD:refs/heads/{branch}", remote=True)
        if done.returncode == 0:
            return git.must("rev-parse", "HEAD").strip()
        rejected = "[rejected]" in done.stdout
        if not rejected or attempt == PUSH_ATTEMPTS:
            answer = (done.stderr.strip() + "\n" + done.stdout.strip()).strip()
            raise GitError(f"cannot push to {branch}: {answer}")
        print(
            f"{branch} moved on while curator ran; rebasing onto it (attempt {attempt + 1})",
            flush=True,
        )
        git.must("fetch", "--quiet", "origin", branch, remote=True)
        if git.run("rebase", "--quiet", "FETCH_HEAD").returncode != 0:
            git.run("rebase", "--abort")
            raise GitError(
                f"{branch} moved on and changed the same files; nothing was pushed. "
                "Run the workflow again"
            )
    raise AssertionError("unreachable")  # pragma: no cover
