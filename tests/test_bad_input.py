"""Bad input through the real entry point: one error line naming the file, exit status not 0.

Complements tests/test_cli_errors.py with lists that are not UTF-8 or are binary, lists
that do not exist, named pipes and devices, usage errors, a disk that fails mid-read or
fills up, and a gigabyte on standard input. Every paper id made up here is SYNTHETIC
(from 2099, see tests/standin_s2.py), never a real paper.
"""

from __future__ import annotations

import errno
import importlib
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from standin import ArxivStandin
from standin_s2 import S2Standin, synthetic_ids, synthetic_papers
from typer.testing import CliRunner, Result

from curator import cli, files, history, store
from curator.errors import WriteError
from curator.models import Entry

REPO = Path(__file__).resolve().parent.parent
EXAMPLE_LIST = REPO / "lists" / "segment-anything-medical.toml"
ONE_PAPER = '# kept byte for byte\n[[paper]]\nid = "2108.06098"\nnote = "mine"\n'
LIST_COMMANDS = ["show", "render", "refresh", "trending", "plot"]
"""The commands that take an existing LIST as argument (harvest's --list may be new)."""
NO_SPACE = os.strerror(errno.ENOSPC)


def run(*args: str, env: dict[str, str] | None = None, stdin: str | None = None) -> Result:
    """Invoke curator in-process with the given arguments and environment."""
    return CliRunner().invoke(cli.app, list(args), env=env or {}, input=stdin)


def list_args(command: str, path: Path, tmp_path: Path) -> list[str]:
    """Return the arguments that make ``command`` read the list at ``path``."""
    if command == "plot":
        return [command, str(path), "-o", str(tmp_path / "chart.svg")]
    if command == "harvest":
        post = tmp_path / "post.txt"
        post.write_text("arXiv:2304.02643\n", encoding="utf-8")
        return [command, str(post), "--list", str(path)]
    return [command, str(path)]


def assert_one_error(result: Result, line: str, *, exit_code: int) -> None:
    """Assert the exit status and that stderr is exactly the error ``line``."""
    assert (result.exit_code, result.stderr) == (exit_code, f"error: {line}\n")


def tree(directory: Path) -> dict[str, bytes]:
    """Return every regular file under ``directory`` with its bytes, by relative path."""
    return {
        str(path.relative_to(directory)): path.read_bytes()
        for path in sorted(directory.rglob("*"))
        if path.is_file()
    }


# Lists that are not text, or not there


@pytest.mark.parametrize("command", [*LIST_COMMANDS, "harvest"])
@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (
            b'[[paper]]\nid = "2304.02643"\nnote = "caf\xe9"\n',
            "3:12: not UTF-8 text (byte 0xe9); save the file as UTF-8",
        ),
        (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
            "1:1: not UTF-8 text (byte 0x89); save the file as UTF-8",
        ),
        (b"\x00\x01\x02\x03binary\x00", "1:1: invalid TOML: Empty key"),
    ],
    ids=["latin-1", "png", "nul-bytes"],
)
def test_list_that_is_not_utf8_text_is_one_located_error(
    tmp_path: Path, command: str, content: bytes, reason: str
) -> None:
    """A list in another encoding or a binary file is path:line:column, exit 2, left as it was."""
    path = tmp_path / "papers.toml"
    path.write_bytes(content)
    args = list_args(command, path, tmp_path)
    before = tree(tmp_path)
    result = run(*args)
    assert_one_error(result, f"{path}:{reason}", exit_code=2)
    # Nothing written (no chart, history or temporary file) but, by editing commands, the
    # empty lock file the list format documents.
    lock = {".papers.toml.lock": b""} if command in ("refresh", "harvest") else {}
    assert tree(tmp_path) == {**before, **lock}


@pytest.mark.parametrize("command", ["trending", "plot"])
def test_malformed_toml_for_history_commands(tmp_path: Path, command: str) -> None:
    """trending and plot place a TOML error too (show, render, refresh: test_cli_errors.py)."""
    path = tmp_path / "broken.toml"
    path.write_bytes(b'[[paper]]\nid = "2304.02643"\ntitle = "unterminated\n')
    result = run(*list_args(command, path, tmp_path))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {path}:3:")
    assert "invalid TOML" in result.stderr
    assert result.stderr.count("\n") == 1


@pytest.mark.timeout(60)
def test_ten_megabyte_line_in_a_list_is_located(tmp_path: Path) -> None:
    """An unterminated string 10 MB long is one error at its line and column, not a hang."""
    path = tmp_path / "long.toml"
    original = b'[[paper]]\nid = "2304.02643"\nnote = "' + b"x" * (10 * 2**20) + b"\n"
    path.write_bytes(original)
    result = run("show", str(path))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {path}:3:10485769: invalid TOML: ")
    assert result.stderr.count("\n") == 1
    assert path.read_bytes() == original


@pytest.mark.parametrize("command", LIST_COMMANDS)
def test_unknown_list_path_is_one_line(tmp_path: Path, command: str) -> None:
    """A LIST that does not exist is named, exit 1, and nothing is created (not even a lock)."""
    path = tmp_path / "missing.toml"
    result = run(*list_args(command, path, tmp_path))
    assert_one_error(result, f"{path}: no such reading list", exit_code=1)
    assert list(tmp_path.iterdir()) == []


def test_unknown_list_among_several_names_the_missing_one(tmp_path: Path) -> None:
    """render and refresh of several lists name the one that is missing, and write nothing."""
    present = tmp_path / "sam.toml"
    shutil.copy(EXAMPLE_LIST, present)
    missing = tmp_path / "typo.toml"
    output = tmp_path / "README.md"
    rendered = run("render", str(present), str(missing), "-o", str(output))
    assert_one_error(rendered, f"{missing}: no such reading list", exit_code=1)
    assert not output.exists()
    refreshed = run("refresh", str(missing), "--offline")
    assert_one_error(refreshed, f"{missing}: no such reading list", exit_code=1)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["sam.toml"]


# Usage errors


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["show", "--bogus", "x.toml"], "no such option: --bogus; see 'curator show --help'"),
        (["show"], "missing argument 'LIST'; see 'curator show --help'"),
        (["extract"], "missing argument 'SOURCE'; see 'curator extract --help'"),
        (["harvest", "post.txt"], "missing option '--list' / '-l'; see 'curator harvest --help'"),
        (["plot", "x.toml"], "missing option '--output' / '-o'; see 'curator plot --help'"),
        (
            ["shw", "x.toml"],
            "no such command 'shw'. Did you mean 'show'? See 'curator --help'",
        ),
    ],
)
def test_usage_errors_are_one_line(args: list[str], line: str) -> None:
    """A mistyped command, option or argument is one ``error:`` line and exit status 2."""
    result = run(*args)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", f"error: {line}\n")


def test_extra_argument_is_one_line() -> None:
    """An argument too many is one line naming it (click words it "argument(s)" or not)."""
    result = run("show", "a.toml", "b.toml")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith("error: got unexpected extra argument")
    assert result.stderr.endswith(" (b.toml); see 'curator show --help'\n")
    assert result.stderr.count("\n") == 1


@pytest.mark.parametrize(
    "args",
    [
        ["render", "x.toml", "--sort", "newest"],
        ["trending", "x.toml", "--top", "0"],
        ["render", "x.toml", "--trending", "many"],
        ["--bogus"],
    ],
)
def test_bad_option_values_are_one_line(args: list[str]) -> None:
    """A value an option does not take is one line naming the option, and exit status 2."""
    result = run(*args)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith("error: ")
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.rstrip().endswith("--help'")


def test_usage_error_in_a_real_process_names_the_program() -> None:
    """Run as ``python -m curator``, the hint names that command and stderr is one line."""
    result = subprocess.run(
        [sys.executable, "-m", "curator", "show", "--nope"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == "error: no such option: --nope; see 'python -m curator show --help'\n"


def test_help_is_unchanged() -> None:
    """--help still prints the usage and options on stdout with exit 0; bare curator shows help."""
    helped = run("show", "--help")
    assert (helped.exit_code, helped.stderr) == (0, "")
    assert helped.stdout.startswith("Usage: curator show [OPTIONS]")
    assert "--sort" in helped.stdout
    bare = run()
    assert bare.exit_code == 2
    assert "Commands:" in bare.stdout + bare.stderr
    version = run("--version")
    assert (version.exit_code, version.stdout.startswith("curator ")) == (0, True)


# Named pipes, devices and failing disks


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    """Give a named pipe called papers.toml that nobody writes to (opening it could block)."""
    if not hasattr(os, "mkfifo"):
        pytest.skip("needs named pipes")
    path = tmp_path / "papers.toml"
    os.mkfifo(path)
    return path


@pytest.mark.timeout(30)
@pytest.mark.parametrize("command", [*LIST_COMMANDS, "harvest"])
def test_list_that_is_a_named_pipe_is_refused_at_once(
    tmp_path: Path, fifo: Path, command: str
) -> None:
    """A named pipe as LIST is one error line, not a command waiting forever for a writer."""
    result = run(*list_args(command, fifo, tmp_path))
    assert_one_error(result, f"{fifo}: is a named pipe, not a reading list", exit_code=1)
    assert fifo.is_fifo()


@pytest.mark.timeout(30)
@pytest.mark.skipif(not Path("/dev/null").is_char_device(), reason="needs /dev/null")
@pytest.mark.parametrize("command", ["show", "refresh", "trending"])
def test_list_that_is_a_device_is_refused(tmp_path: Path, command: str) -> None:
    """A link to a device is not read as an empty list, and never replaced by refresh."""
    link = tmp_path / "null.toml"
    link.symlink_to("/dev/null")
    result = run(*list_args(command, link, tmp_path))
    assert_one_error(result, f"{link}: is a character device, not a reading list", exit_code=1)
    assert Path("/dev/null").is_char_device()


@pytest.mark.timeout(30)
@pytest.mark.parametrize(
    ("pipe", "args"),
    [
        ("README.md", ["render", "{list}", "--readme", "{pipe}"]),
        ("out.md", ["render", "{list}", "-o", "{pipe}"]),
        ("sam.history.csv", ["render", "{list}"]),
        ("sam.history.csv", ["trending", "{list}"]),
        ("chart.svg", ["plot", "{list}", "-o", "{pipe}"]),
    ],
)
def test_named_pipes_as_readme_output_or_history_are_refused(
    tmp_path: Path, pipe: str, args: list[str]
) -> None:
    """A README, an output file or a history file that is a named pipe is refused, not read."""
    if not hasattr(os, "mkfifo"):
        pytest.skip("needs named pipes")
    listing = tmp_path / "sam.toml"
    shutil.copy(EXAMPLE_LIST, listing)
    if args[0] == "plot":
        (tmp_path / "sam.history.csv").write_text(
            "date,id,citations,influential_citations\n2026-01-01,2304.02643,5,1\n",
            encoding="utf-8",
        )
    path = tmp_path / pipe
    os.mkfifo(path)
    result = run(*(arg.format(list=listing, pipe=path) for arg in args))
    assert_one_error(result, f"{path}: is a named pipe, not a file", exit_code=1)
    assert path.is_fifo()


def test_write_atomic_never_replaces_a_pipe_or_a_directory(tmp_path: Path) -> None:
    """Writing over a named pipe or a directory is refused; the rename would replace it."""
    if not hasattr(os, "mkfifo"):
        pytest.skip("needs named pipes")
    pipe = tmp_path / "pipe.md"
    os.mkfifo(pipe)
    directory = tmp_path / "folder.md"
    directory.mkdir()
    for path, kind in ((pipe, "a named pipe"), (directory, "a directory")):
        with pytest.raises(WriteError) as caught:
            files.write_atomic(path, "text\n")
        assert str(caught.value) == f"{path}: cannot write (it is {kind}, not a regular file)"
    assert pipe.is_fifo()
    assert directory.is_dir()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["folder.md", "pipe.md"]


class _FailingStream:
    """A file that gives its first block, then fails as a dying disk does (EIO)."""

    def __init__(self, first: bytes) -> None:
        self._first: bytes | None = first

    def read(self, size: int = -1, /) -> bytes:
        if self._first is None:
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        block, self._first = self._first, None
        return block

    def __enter__(self) -> _FailingStream:
        return self

    def __exit__(self, *exc_info: object) -> None:
        return None


def test_disk_error_in_the_middle_of_a_source_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An I/O error after the first block names the file and its cause; harvest writes nothing."""
    source = tmp_path / "post.md"
    first = b"[x](https://arxiv.org/abs/2304.02643)\n" + b"words\n" * 20_000
    source.write_bytes(first + b"arXiv:2108.06098\n")
    documents = importlib.import_module("curator.extract.documents")
    real_path = documents.Path

    class _DyingDisk(type(Path())):  # type: ignore[misc]
        def open(self, *args: Any, **kwargs: Any) -> Any:
            if Path(self) == source:
                return _FailingStream(first)
            return real_path(self).open(*args, **kwargs)

    monkeypatch.setattr(documents, "Path", _DyingDisk)
    message = f"{source}: cannot read, {os.strerror(errno.EIO).lower()}"
    extracted = run("extract", str(source))
    assert_one_error(extracted, message, exit_code=1)
    listing = tmp_path / "papers.toml"
    harvested = run("harvest", str(source), "--list", str(listing))
    assert_one_error(harvested, message, exit_code=1)
    assert not listing.exists()


# Read-only files


def test_refresh_leaves_a_read_only_list_alone(tmp_path: Path, arxiv_standin: ArxivStandin) -> None:
    """refresh of a read-only list with news for it is one error line; the bytes stay."""
    path = tmp_path / "papers.toml"
    text = '[[paper]]\nid = "2304.02643"\nstatus = "pending"\n'
    path.write_text(text, encoding="utf-8")
    path.chmod(0o444)
    env = {"CURATOR_ARXIV_API": arxiv_standin.api_url}
    result = run("refresh", str(path), "--no-citations", env=env)
    assert_one_error(
        result,
        f"{path}: cannot write (the file is read-only); the file was not changed",
        exit_code=1,
    )
    assert path.read_text(encoding="utf-8") == text


def test_render_leaves_a_read_only_readme_alone(tmp_path: Path) -> None:
    """render --readme into a read-only README is one error line; the bytes stay."""
    listing = tmp_path / "sam.toml"
    shutil.copy(EXAMPLE_LIST, listing)
    readme = tmp_path / "README.md"
    original = b"# R\n<!-- curator:start sam -->\nold\n<!-- curator:end sam -->\n"
    readme.write_bytes(original)
    readme.chmod(0o444)
    result = run("render", str(listing), "--readme", str(readme))
    assert_one_error(
        result,
        f"{readme}: cannot write (the file is read-only); the file was not changed",
        exit_code=1,
    )
    assert readme.read_bytes() == original


# A full disk


@pytest.fixture
def full_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every file curator replaces land on /dev/full, so writing it fails with ENOSPC.

    The temporary file is really created (so leftovers would show); only its descriptor
    is swapped for one of /dev/full, where the kernel refuses every write.
    """
    if not Path("/dev/full").exists():
        pytest.skip("needs /dev/full")

    def mkstemp(*, prefix: str, suffix: str, dir: Path) -> tuple[int, str]:
        descriptor, name = tempfile.mkstemp(prefix=prefix, suffix=suffix, dir=dir)
        os.close(descriptor)
        return os.open("/dev/full", os.O_WRONLY), name

    monkeypatch.setattr(files, "tempfile", SimpleNamespace(mkstemp=mkstemp))


@pytest.mark.usefixtures("full_disk")
def test_full_disk_when_saving_a_list(tmp_path: Path, arxiv_standin: ArxivStandin) -> None:
    """harvest on a full disk names the list and the cause; its bytes and folder are unchanged."""
    path = tmp_path / "papers.toml"
    path.write_text(ONE_PAPER, encoding="utf-8")
    post = tmp_path / "post.txt"
    post.write_text("arXiv:2304.02643\n", encoding="utf-8")
    before = tree(tmp_path)
    result = run(
        "harvest", str(post), "--list", str(path), env={"CURATOR_ARXIV_API": arxiv_standin.api_url}
    )
    assert_one_error(
        result, f"{path}: cannot write ({NO_SPACE}); the file was not changed", exit_code=1
    )
    # Only the (empty) lock file is new: no temporary file is left behind.
    assert tree(tmp_path) == {**before, ".papers.toml.lock": b""}
    assert arxiv_standin.requests == []  # the pending papers could not be kept, so none was asked


@pytest.mark.usefixtures("full_disk")
@pytest.mark.parametrize("target", ["-o", "--readme"])
def test_full_disk_when_rendering(tmp_path: Path, target: str) -> None:
    """render -o and --readme on a full disk name the file and the cause; its bytes stay."""
    listing = tmp_path / "sam.toml"
    shutil.copy(EXAMPLE_LIST, listing)
    output = tmp_path / "README.md"
    output.write_bytes(b"# R\n<!-- curator:start sam -->\nold\n<!-- curator:end sam -->\n")
    before = tree(tmp_path)
    result = run("render", str(listing), target, str(output))
    assert_one_error(
        result, f"{output}: cannot write ({NO_SPACE}); the file was not changed", exit_code=1
    )
    assert tree(tmp_path) == before


@pytest.mark.usefixtures("full_disk")
def test_full_disk_when_plotting(tmp_path: Path) -> None:
    """plot on a full disk names the chart and the cause, and leaves the old chart."""
    listing = tmp_path / "sam.toml"
    shutil.copy(EXAMPLE_LIST, listing)
    (tmp_path / "sam.history.csv").write_text(
        "date,id,citations,influential_citations\n2026-01-01,2304.02643,5,1\n", encoding="utf-8"
    )
    chart = tmp_path / "chart.svg"
    chart.write_bytes(b"<svg/>\n")
    before = tree(tmp_path)
    result = run("plot", str(listing), "-o", str(chart))
    assert_one_error(
        result, f"{chart}: cannot write ({NO_SPACE}); the file was not changed", exit_code=1
    )
    assert tree(tmp_path) == before


def make_list(path: Path, identifiers: list[str]) -> None:
    """Write a list holding ``identifiers`` as resolved entries with no metadata."""
    with store.editing(path, create=True) as editor:
        for identifier in identifiers:
            editor.add(Entry(id=identifier))


def s2_env(tmp_path: Path, standin: S2Standin) -> dict[str, str]:
    """Return settings pointing at the Semantic Scholar stand-in with a private cache."""
    return {"CURATOR_S2_API": standin.url, "CURATOR_CACHE_DIR": str(tmp_path / "cache")}


class _DiskFillsUp:
    """``os`` for curator.history, except that writes stop half way with ENOSPC."""

    def __getattr__(self, name: str) -> Any:
        return getattr(os, name)

    @staticmethod
    def write(descriptor: int, data: bytes) -> int:
        os.write(descriptor, bytes(data[: len(data) // 2]))  # a part lands, as on a real disk
        raise OSError(errno.ENOSPC, NO_SPACE)


def test_full_disk_when_appending_history(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A history append that fills the disk is cut back: the file keeps its exact old bytes."""
    listing = tmp_path / "synthetic.toml"
    make_list(listing, synthetic_ids(20))
    with S2Standin(synthetic_papers(20)) as standin:  # SYNTHETIC counts
        env = s2_env(tmp_path, standin)
        assert run("refresh", str(listing), "--no-metadata", env=env).exit_code == 0
        kept = tmp_path / "synthetic.history.csv"
        before = kept.read_bytes()
        for paper in standin.papers.values():
            paper["citationCount"] += 1
        monkeypatch.setattr(history, "os", _DiskFillsUp())
        result = run("refresh", str(listing), "--no-metadata", "--all", env=env)
    assert_one_error(
        result,
        f"{kept}: cannot append ({NO_SPACE}); the history was not changed",
        exit_code=1,
    )
    assert kept.read_bytes() == before
    assert len(history.read(kept)) == 20
    store.load(listing)  # the list is whole: saved before the history, atomically


class _FullDatabase(sqlite3.Connection):
    """A cache database on a disk that is full: reads work, every write fails as SQLite says."""

    def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:
        if sql.lstrip().upper().startswith(("INSERT", "BEGIN IMMEDIATE")):
            raise sqlite3.OperationalError("database or disk is full")
        return super().execute(sql, *args)


def test_full_disk_for_the_cache_is_a_warning_and_the_refresh_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cache is disposable: a full disk under it is one warning naming it; the list is saved."""
    listing = tmp_path / "synthetic.toml"
    make_list(listing, synthetic_ids(10))
    connect = sqlite3.connect
    monkeypatch.setattr(
        sqlite3, "connect", lambda *a, **k: connect(*a, **{**k, "factory": _FullDatabase})
    )
    with S2Standin(synthetic_papers(10)) as standin:  # SYNTHETIC counts
        result = run("refresh", str(listing), "--no-metadata", env=s2_env(tmp_path, standin))
    database = tmp_path / "cache" / "cache.sqlite3"
    assert result.exit_code == 0, result.stderr
    assert result.stderr == (
        f"warning: cache {database}: cannot write (database or disk is full); "
        "continuing without it\n"
    )
    assert all(entry.citations is not None for entry in store.load(listing).entries)


@pytest.mark.skipif(sys.platform == "win32", reason="needs POSIX resource limits")
def test_file_size_limit_fails_a_refresh_cleanly(tmp_path: Path) -> None:
    """With the kernel refusing to grow files (RLIMIT_FSIZE), refresh fails in one line.

    The real operating system error, not a simulated one: the list's replacement
    cannot be written, so the list keeps its bytes and no temporary file stays.
    """
    listing = tmp_path / "synthetic.toml"
    make_list(listing, synthetic_ids(200))
    before = listing.read_bytes()
    limit = len(before) + 512  # the list with citation counts is several times larger

    import resource  # POSIX only

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    with S2Standin(synthetic_papers(200)) as standin:  # SYNTHETIC counts
        env = {**os.environ, **s2_env(tmp_path, standin), "CURATOR_S2_DELAY": "0"}
        result = subprocess.run(
            [sys.executable, "-m", "curator", "refresh", str(listing), "--no-metadata"],
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
            env=env,
            preexec_fn=small_files,
        )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    *warnings, last = result.stderr.splitlines()
    assert last == (
        f"error: {listing}: cannot write ({os.strerror(errno.EFBIG)}); the file was not changed"
    )
    assert all(line.startswith("warning: cache ") for line in warnings)  # the cache may fail too
    assert listing.read_bytes() == before
    assert not [path for path in tmp_path.iterdir() if path.name.endswith(".tmp")]


# A gigabyte on standard input

GENERATOR = r"""
import sys
# SYNTHETIC text: one block per MiB, each naming one new 2099 id in three link forms
# among Markdown filler, ids that repeat, and a long line without breaks.
filler = b"Lorem ipsum dolor sit amet, [a link](https://example.org/x) 12345.67890 |\n" * 6000
long_line = b"y" * 300_000 + b"\n"
seen = b"again [old](https://arxiv.org/abs/9901.00001v2) and arXiv:9901.00001\n" * 50
out = sys.stdout.buffer
for number in range(1, int(sys.argv[1]) + 1):
    new = b"9901.%05d" % number
    head = b"## Block %d\n- [Paper](https://arxiv.org/abs/%sv1), " % (number, new)
    head += b"pdf https://arxiv.org/pdf/%s.pdf and arXiv:%s\n" % (new, new)
    block = head + seen + long_line + filler
    out.write(block + b"x" * (2**20 - len(block) - 1) + b"\n")
"""


def stream_through_extract(tmp_path: Path, megabytes: int) -> tuple[list[str], float, float]:
    """Pipe ``megabytes`` MiB of generated Markdown into ``curator extract -``.

    Return the ids printed, the seconds taken and curator's peak resident memory in MB.
    Nothing is written to disk but the (small) output.
    """
    output = tmp_path / "ids.txt"
    started = time.monotonic()
    generator = subprocess.Popen(
        [sys.executable, "-c", GENERATOR, str(megabytes)], stdout=subprocess.PIPE
    )
    assert generator.stdout is not None
    with output.open("wb") as sink:
        curator = subprocess.Popen(
            [sys.executable, "-m", "curator", "extract", "-"],
            stdin=generator.stdout,
            stdout=sink,
            stderr=subprocess.PIPE,
        )
    generator.stdout.close()  # curator holds the only reading end now
    _, status, usage = os.wait4(curator.pid, 0)
    curator.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.monotonic() - started
    assert curator.stderr is not None
    errors = curator.stderr.read().decode()
    curator.stderr.close()
    assert generator.wait(timeout=60) == 0
    assert (curator.returncode, errors) == (0, "")
    # ru_maxrss is in KiB on Linux and in bytes on macOS.
    peak = usage.ru_maxrss / (2**20 if sys.platform == "darwin" else 2**10)
    return output.read_text(encoding="ascii").splitlines(), elapsed, peak


@pytest.mark.skipif(not hasattr(os, "wait4"), reason="needs os.wait4 for the child's peak memory")
@pytest.mark.timeout(120)
def test_128_mb_on_stdin_is_streamed_in_bounded_memory(tmp_path: Path) -> None:
    """128 MiB through a pipe: every id found in order, in well under 150 MB of memory."""
    found, elapsed, peak = stream_through_extract(tmp_path, 128)
    assert found == [f"9901.{number:05d}" for number in range(1, 129)]
    assert peak < 150, f"peak RSS {peak:.0f} MB"
    print(f"128 MiB: {elapsed:.1f} s, peak RSS {peak:.0f} MB")


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "wait4"), reason="needs os.wait4 for the child's peak memory")
@pytest.mark.timeout(600)
def test_one_gigabyte_on_stdin_is_streamed_in_bounded_memory(tmp_path: Path) -> None:
    """1 GiB through a pipe (never on disk): every id found, memory as flat as for 128 MiB."""
    found, elapsed, peak = stream_through_extract(tmp_path, 1024)
    assert found == [f"9901.{number:05d}" for number in range(1, 1025)]
    assert peak < 150, f"peak RSS {peak:.0f} MB"
    print(f"1 GiB: {elapsed:.1f} s, peak RSS {peak:.0f} MB")
