"""Concurrency and durability: two refreshes at once, and kill -9 at any point of one.

Real ``python -m curator`` processes against the local stand-ins of arXiv and Semantic
Scholar. Every paper and count here is SYNTHETIC test data (ids from 2099, see
tests/standin.py and tests/standin_s2.py), never a fact about a real paper.
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from standin import ArxivStandin
from standin_s2 import S2Standin, synthetic_ids, synthetic_papers
from typer.testing import CliRunner

from curator import cli, history, store
from curator.models import Entry, Status

PAPERS = 120
"""Papers in the list: two arXiv batches and one Semantic Scholar batch, three saves."""
ANSWER_DELAY = 0.1
"""Seconds the arXiv stand-in takes per answer, so that a refresh spans several saves."""
USER_TEXT = (
    "# My synthetic reading list (SYNTHETIC test data: ids from 2099).\n"
    "[list]\n"
    'title = "Synthetic"\n'
    'sections = ["Kept"]\n'
    "\n"
)
"""What a person wrote at the top of the list; it must survive every kill."""


@dataclass
class Services:
    """The two stand-ins, and the environment that points curator at them."""

    arxiv: ArxivStandin
    s2: S2Standin

    def env(self, cache: Path) -> dict[str, str]:
        """Return the environment of a curator process using ``cache``."""
        return {
            **os.environ,
            "CURATOR_ARXIV_API": self.arxiv.api_url,
            "CURATOR_ARXIV_DELAY": "0",
            "CURATOR_S2_API": self.s2.url,
            "CURATOR_S2_DELAY": "0",
            "CURATOR_CACHE_DIR": str(cache),
        }

    @property
    def requests(self) -> int:
        """Return how many requests both stand-ins have received."""
        return len(self.arxiv.requests) + len(self.s2.requests)


@contextlib.contextmanager
def running_services() -> Iterator[Services]:
    """Run both stand-ins knowing the SYNTHETIC papers; arXiv answers a little slowly."""
    with ArxivStandin() as arxiv, S2Standin(synthetic_papers(PAPERS + 50)) as s2:
        arxiv.add_synthetic(synthetic_ids(PAPERS + 50))
        answer = arxiv.answer

        def slowly(handler: BaseHTTPRequestHandler) -> None:
            time.sleep(ANSWER_DELAY)
            answer(handler)

        arxiv.answer = slowly  # type: ignore[method-assign]
        yield Services(arxiv, s2)


@pytest.fixture(scope="module")
def services() -> Iterator[Services]:
    """Give the stand-ins, shared by the tests of this module."""
    with running_services() as running:
        yield running


def write_pending_list(path: Path) -> bytes:
    """Write the list as harvest leaves it, with the user's own text; return its bytes."""
    path.write_text(USER_TEXT, encoding="utf-8")
    with store.editing(path) as editor:
        for number, identifier in enumerate(synthetic_ids(PAPERS)):
            editor.add(
                Entry(id=identifier, section="Kept", note=f"my note {number}", tags=("mine",))
            )
            editor.set_status(identifier, Status.PENDING)
    return path.read_bytes()


def curator(*args: str) -> list[str]:
    """Return the command line of a ``python -m curator`` process."""
    return [sys.executable, "-m", "curator", *args]


def rerun(listing: Path, services: Services, cache: Path) -> None:
    """Refresh ``listing`` in this process, as a person would after a crash; it must finish."""
    env = {key: value for key, value in services.env(cache).items() if key.startswith("CURATOR_")}
    result = CliRunner().invoke(cli.app, ["refresh", str(listing)], env=env)
    assert (result.exit_code, result.stderr) == (0, ""), result.stderr


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory, services: Services) -> tuple[bytes, bytes]:
    """Return the list and history an uninterrupted refresh makes of the pending list."""
    directory = tmp_path_factory.mktemp("reference")
    listing = directory / "synthetic.toml"
    write_pending_list(listing)
    rerun(listing, services, directory / "cache")
    return listing.read_bytes(), (directory / "synthetic.history.csv").read_bytes()


def check_state(directory: Path, original: bytes, finished: bytes) -> str:
    """Assert the list and history a killed refresh left are whole; say which state it is.

    The list is its old bytes, its finished bytes, or a complete list in between: every
    entry there with the user's values, each pending or resolved, never a partial file.
    """
    listing = directory / "synthetic.toml"
    data = listing.read_bytes()
    entries = store.load(listing).entries  # raises on a torn or half-written list
    assert data.startswith(USER_TEXT.encode())
    assert [entry.id for entry in entries] == synthetic_ids(PAPERS)
    for number, entry in enumerate(entries):
        assert (entry.section, entry.note, entry.tags) == ("Kept", f"my note {number}", ("mine",))
        if entry.status is Status.PENDING:
            assert entry.title is None
        else:
            assert entry.title == f"Synthetic paper {entry.id}"
    # Leftovers may only be the lock and hidden temporary files, which curator never reads.
    known = {"synthetic.toml", ".synthetic.toml.lock", "synthetic.history.csv", "cache"}
    for path in directory.iterdir():
        if path.name not in known:
            assert path.name.startswith(".synthetic.toml.") and path.name.endswith(".tmp"), path
    kept = directory / "synthetic.history.csv"
    if kept.exists():
        rows = kept.read_bytes()
        assert rows.endswith(b"\n"), "a torn last line in the history"
        counts = synthetic_papers(PAPERS)
        for key, observations in history.read(kept).items():
            assert [seen.citations for seen in observations] == [counts[key]["citationCount"]]
    if data == original:
        return "old"
    return "finished" if data == finished else "between"


def fresh_directory(tmp_path: Path, name: str, original: bytes) -> Path:
    """Return an empty directory ``name`` holding only the pending list."""
    directory = tmp_path / name
    directory.mkdir()
    (directory / "synthetic.toml").write_bytes(original)
    return directory


# Two refreshes at once


def wait_for(condition: object, *, seconds: float = 30.0) -> None:
    """Wait until ``condition()`` is true, failing after ``seconds``."""
    deadline = time.monotonic() + seconds
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


@pytest.mark.timeout(90)
def test_two_refreshes_at_once_lose_no_update(
    tmp_path: Path, services: Services, reference: tuple[bytes, bytes]
) -> None:
    """Metadata and citation refreshes started together both land: the second waits its turn."""
    directory = fresh_directory(tmp_path, "both", b"")
    listing = directory / "synthetic.toml"
    write_pending_list(listing)
    env = services.env(directory / "cache")
    asked_arxiv, asked_s2 = len(services.arxiv.requests), len(services.s2.requests)
    first = subprocess.Popen(
        curator("refresh", str(listing), "--no-citations"),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    # The first holds the list's lock from before its first request to arXiv.
    wait_for(lambda: len(services.arxiv.requests) > asked_arxiv or first.poll() is not None)
    second = subprocess.Popen(
        curator("refresh", str(listing), "--no-metadata"),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    out_first, err_first = first.communicate(timeout=60)
    out_second, err_second = second.communicate(timeout=60)
    assert (first.returncode, err_first) == (0, ""), err_first
    assert (
        out_first
        == f"{listing}: {PAPERS} checked on arXiv ({PAPERS} resolved, 0 unresolved, 0 pending)\n"
    )
    if second.returncode != 0:
        # The other allowed outcome: it waited the 10 s the lock allows (a very busy machine)
        # and gave up clearly, changing nothing; run again, it finishes the job.
        assert (second.returncode, err_second) == (1, f"error: {locked(listing)}\n")
        out_second = run_process(services, directory, "refresh", str(listing), "--no-metadata")
    assert err_second in ("", f"error: {locked(listing)}\n")
    assert out_second == (
        f"{listing}: {PAPERS} checked on Semantic Scholar "
        f"({PAPERS} with counts, 0 unknown, {PAPERS} history rows added)\n"
    )
    # The citation refresh asked only once the metadata refresh had finished with the list.
    assert services.s2.requests[asked_s2].time > services.arxiv.requests[-1].time
    # Both updates are in the list: the same bytes as one refresh doing both.
    assert listing.read_bytes() == reference[0]
    assert (directory / "synthetic.history.csv").read_bytes() == reference[1]


def locked(listing: Path) -> str:
    """Return the message of a command that gave up waiting for the lock on ``listing``."""
    return f"{listing} is being changed by another curator process; try again when it finishes"


def run_process(services: Services, directory: Path, *args: str) -> str:
    """Run curator in a process against the stand-ins; it must succeed; return its stdout."""
    result = subprocess.run(
        curator(*args),
        env=services.env(directory / "cache"),
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert (result.returncode, result.stderr) == (0, ""), result.stderr
    return result.stdout


@pytest.mark.timeout(90)
def test_harvest_during_a_refresh_keeps_both(tmp_path: Path, services: Services) -> None:
    """A harvest adding papers while a refresh resolves others: the list ends with all of them."""
    directory = fresh_directory(tmp_path, "harvest", b"")
    listing = directory / "synthetic.toml"
    write_pending_list(listing)
    post = directory / "post.md"
    new = synthetic_ids(PAPERS + 50)[PAPERS:]
    post.write_text("".join(f"- https://arxiv.org/abs/{key}\n" for key in new), encoding="utf-8")
    env = services.env(directory / "cache")
    asked = len(services.arxiv.requests)
    refreshing = subprocess.Popen(
        curator("refresh", str(listing), "--no-citations"),
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    wait_for(lambda: len(services.arxiv.requests) > asked or refreshing.poll() is not None)
    harvested = subprocess.run(
        curator("harvest", str(post), "--list", str(listing)),
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert refreshing.wait(timeout=60) == 0
    assert refreshing.stderr is not None
    assert refreshing.stderr.read() == ""
    refreshing.stderr.close()
    if harvested.returncode != 0:  # gave up waiting for the lock, clearly; run it again
        assert (harvested.returncode, harvested.stderr) == (1, f"error: {locked(listing)}\n")
        run_process(services, directory, "harvest", str(post), "--list", str(listing))
    else:
        assert harvested.stderr == ""
    entries = store.load(listing).entries
    assert [entry.id for entry in entries] == synthetic_ids(PAPERS + 50)
    assert all(entry.title == f"Synthetic paper {entry.id}" for entry in entries)
    assert listing.read_bytes().startswith(USER_TEXT.encode())


# kill -9


@pytest.mark.parametrize(
    "kills",
    [
        pytest.param(6, marks=pytest.mark.timeout(180)),
        pytest.param(40, marks=[pytest.mark.slow, pytest.mark.timeout(900)]),
    ],
)
def test_kill_9_at_random_moments_leaves_a_whole_list(
    tmp_path: Path, services: Services, reference: tuple[bytes, bytes], kills: int
) -> None:
    """SIGKILL at random moments of refreshes: always a whole list, and a rerun finishes it.

    Each kill comes a random time after a random event: the start, or the arrival of one
    of the three requests a refresh makes (each answer is followed by a save), so that
    kills land before, during and after the writes.
    """
    original = write_pending_list(tmp_path / "original.toml")
    # Seeded, so a failure repeats.
    moments = random.Random(2099 + kills)
    seen: list[str] = []

    def finish(directory: Path) -> None:
        seen.append(check_state(directory, original, reference[0]))
        rerun(directory / "synthetic.toml", services, directory / "cache")
        assert (directory / "synthetic.toml").read_bytes() == reference[0]

    def kill(process: subprocess.Popen[bytes], after: int, delay: float) -> None:
        while watched.requests < after and process.poll() is None:
            time.sleep(0.002)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)

    killed: Path | None = None
    # The killed refreshes have stand-ins of their own: the reruns ask the shared ones.
    with running_services() as watched:
        for attempt in range(kills):
            directory = fresh_directory(tmp_path, f"kill-{attempt}", original)
            event = moments.randrange(4)
            delay = moments.uniform(0.2, 1.0) if event == 0 else moments.uniform(0.0, 0.3)
            process = subprocess.Popen(
                curator("refresh", str(directory / "synthetic.toml")),
                env=watched.env(directory / "cache"),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            killer = threading.Thread(target=kill, args=(process, watched.requests + event, delay))
            killer.start()
            if killed is not None:
                finish(killed)  # checked and rerun while the next refresh runs, to save time
            killer.join(timeout=60)
            process.wait(timeout=60)
            killed = directory
    assert killed is not None
    finish(killed)
    print(f"states after {kills} SIGKILLs: {seen}")


KILLER = r"""
import os, pathlib, signal, sys

point, nth = sys.argv[1], int(sys.argv[2])
calls = 0


def due():
    global calls
    calls += 1
    return calls == nth


def die():
    os.kill(os.getpid(), signal.SIGKILL)


class Os:
    def __getattr__(self, name):
        return getattr(os, name)


from curator import cli, files

if point == "temporary-half-written":
    files.os = Os()

    def fdopen(descriptor, mode="r", *args, **kwargs):
        handle = os.fdopen(descriptor, mode, *args, **kwargs)
        if "w" in mode and due():
            write = handle.write

            def half(text):
                write(text[: len(text) // 2])
                handle.flush()
                die()

            handle.write = half
        return handle

    files.os.fdopen = fdopen
elif point == "before-rename":
    files.os = Os()

    def fsync(descriptor):
        os.fsync(descriptor)
        if due():
            die()

    files.os.fsync = fsync
elif point == "after-rename":
    replace = pathlib.Path.replace

    def replaced(self, target):
        result = replace(self, target)
        if due():
            die()
        return result

    pathlib.Path.replace = replaced
sys.argv = ["curator", *sys.argv[3:]]
cli.main()
"""
"""Run curator, SIGKILLing it at the ``nth`` time it reaches ``point``."""


def kill_at(point: str, nth: int, directory: Path, services: Services) -> None:
    """Refresh the list in ``directory`` in a process that SIGKILLs itself at ``point``."""
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            KILLER,
            point,
            str(nth),
            "refresh",
            str(directory / "synthetic.toml"),
        ],
        env=services.env(directory / "cache"),
        capture_output=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == -signal.SIGKILL, result.stderr


@pytest.mark.timeout(120)
@pytest.mark.parametrize(
    "case",
    [
        ("temporary-half-written", 2, "between"),  # the first save went through
        ("before-rename", 1, "old"),
        ("after-rename", 3, "finished"),  # the citation save, before the history
    ],
    ids=lambda case: f"{case[0]}-{case[1]}" if isinstance(case, tuple) else str(case),
)
def test_kill_9_inside_a_save(
    tmp_path: Path, services: Services, reference: tuple[bytes, bytes], case: tuple[str, int, str]
) -> None:
    """SIGKILL in the middle of writing the list: old or new list, and a rerun finishes."""
    point, nth, state = case
    original = write_pending_list(tmp_path / "original.toml")
    directory = fresh_directory(tmp_path, point, original)
    kill_at(point, nth, directory, services)
    assert check_state(directory, original, reference[0]) == state
    leftovers = [path.name for path in directory.iterdir() if path.name.endswith(".tmp")]
    assert len(leftovers) == (0 if point == "after-rename" else 1)  # hidden, never read
    rerun(directory / "synthetic.toml", services, directory / "cache")
    assert (directory / "synthetic.toml").read_bytes() == reference[0]


def curator_env(services: Services, cache: Path) -> dict[str, str]:
    """Return the CURATOR_* settings of ``services.env`` for an in-process run."""
    return {k: v for k, v in services.env(cache).items() if k.startswith("CURATOR_")}


def test_stop_between_the_list_and_the_history_loses_no_row(
    tmp_path: Path,
    services: Services,
    reference: tuple[bytes, bytes],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Ctrl-C after the counts are saved but before their history rows: a rerun adds the rows.

    The list and the cache already hold the counts then; a kill -9 there leaves the same.
    """
    original = write_pending_list(tmp_path / "original.toml")
    directory = fresh_directory(tmp_path, "before-history", original)
    listing = directory / "synthetic.toml"
    env = curator_env(services, directory / "cache")

    def interrupted(*args: object, **kwargs: object) -> int:
        raise KeyboardInterrupt

    with monkeypatch.context() as patch:
        patch.setattr(history, "append", interrupted)
        stopped = CliRunner().invoke(cli.app, ["refresh", str(listing)], env=env)
    assert stopped.exit_code == 130
    assert check_state(directory, original, reference[0]) == "finished"
    rerun(listing, services, directory / "cache")
    assert (directory / "synthetic.history.csv").read_bytes() == reference[1]


class _HalfWrite:
    """``os`` for curator.history, except that a write lands half and then Ctrl-C comes.

    The kernel may write part of a large append; a kill -9 at that moment leaves the same.
    """

    def __getattr__(self, name: str) -> object:
        return getattr(os, name)

    @staticmethod
    def write(descriptor: int, data: bytes) -> int:
        os.write(descriptor, bytes(data[: len(data) // 2]))
        raise KeyboardInterrupt


def test_stop_while_appending_history_leaves_no_torn_row(
    tmp_path: Path, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C half way through a history append: the next refresh mends it, trending works."""
    original = write_pending_list(tmp_path / "original.toml")
    directory = fresh_directory(tmp_path, "history-half-appended", original)
    listing = directory / "synthetic.toml"
    env = curator_env(services, directory / "cache")
    with monkeypatch.context() as patch:
        patch.setattr(history, "os", _HalfWrite())
        stopped = CliRunner().invoke(cli.app, ["refresh", str(listing)], env=env)
    assert stopped.exit_code == 130
    kept = directory / "synthetic.history.csv"
    assert not kept.read_bytes().endswith(b"\n")  # a torn last row
    paper = services.s2.papers["9901.00001"]
    paper["citationCount"] += 1
    try:
        again = CliRunner().invoke(cli.app, ["refresh", str(listing), "--all"], env=env)
    finally:
        paper["citationCount"] -= 1
    assert again.exit_code == 0, again.stderr
    trending = CliRunner().invoke(cli.app, ["trending", str(listing)], env=env)
    assert trending.exit_code == 0, trending.stderr


def test_stray_temporary_files_are_never_read(tmp_path: Path) -> None:
    """A temporary file a kill left beside a list is hidden: directory sources skip it."""
    (tmp_path / ".synthetic.toml.abc123.tmp").write_text(
        '[[paper]]\nid = "9901.00001"\nnote = "https://arxiv.org/abs/9901.00002"\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli.app, ["extract", str(tmp_path)])
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
