"""Bad input through the real entry point: one error line, a non-zero exit, no data lost."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import filelock
import pytest
from filelock import FileLock
from standin import ArxivStandin, unused_port
from typer.testing import CliRunner, Result

from curator import cli, store
from curator.cli import collecting
from curator.models import Paper, Status

REPO = Path(__file__).resolve().parent.parent
EXAMPLE_LIST = REPO / "lists" / "segment-anything-medical.toml"
TODAY = dt.date.today()
ONE_PAPER = '# kept byte for byte\n[[paper]]\nid = "2108.06098"\nnote = "mine"\n'


def run(*args: str, env: dict[str, str] | None = None, stdin: str | None = None) -> Result:
    """Invoke curator in-process with the given arguments and environment."""
    return CliRunner().invoke(cli.app, list(args), env=env or {}, input=stdin)


def run_process(*args: str, **options: object) -> subprocess.CompletedProcess[str]:
    """Run ``python -m curator`` as a separate process, capturing stderr as text."""
    return subprocess.run(  # type: ignore[call-overload, no-any-return]
        [sys.executable, "-m", "curator", *args],
        stderr=subprocess.PIPE,
        text=True,
        check=False,
        timeout=60,
        **options,
    )


def arxiv_env(url: str) -> dict[str, str]:
    """Return the environment that points curator at ``url`` with no politeness delay."""
    return {"CURATOR_ARXIV_API": url, "CURATOR_ARXIV_DELAY": "0"}


@pytest.fixture
def post(tmp_path: Path) -> Path:
    """Give a post that links one paper the stand-in knows."""
    path = tmp_path / "post.txt"
    path.write_text("See https://arxiv.org/abs/2304.02643v1\n", encoding="utf-8")
    return path


@pytest.fixture
def listing(tmp_path: Path) -> Path:
    """Give a copy of the example list, named sam.toml."""
    path = tmp_path / "sam.toml"
    shutil.copy(EXAMPLE_LIST, path)
    return path


@pytest.fixture
def read_only_dir(tmp_path: Path) -> Iterator[Path]:
    """Give a directory this process cannot write into, skipping where permissions do not bind."""
    directory = tmp_path / "read-only"
    directory.mkdir()
    directory.chmod(0o555)
    probe = directory / "probe"
    try:
        probe.touch()
    except PermissionError:
        yield directory
    else:
        probe.unlink()
        pytest.skip("this user may write into read-only directories (root)")
    finally:
        directory.chmod(0o755)


def one_error(result: Result | subprocess.CompletedProcess[str], line: str) -> None:
    """Assert that stderr is exactly the error ``line`` and nothing else."""
    assert result.stderr == f"error: {line}\n"


# Malformed and mistyped lists


@pytest.mark.parametrize("command", ["show", "render", "refresh", "harvest"])
def test_malformed_toml_list_is_one_located_error_and_never_rewritten(
    tmp_path: Path, post: Path, command: str
) -> None:
    """Every command reports a TOML error as path:line:column, exits 2 and keeps the bytes."""
    path = tmp_path / "broken.toml"
    original = b'[[paper]]\nid = "2304.02643"\ntitle = "unterminated\n'
    path.write_bytes(original)
    args = (
        ["harvest", str(post), "--list", str(path)]
        if command == "harvest"
        else [command, str(path)]
    )
    result = run(*args)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {path}:3:")
    assert "invalid TOML" in result.stderr
    assert result.stderr.count("\n") == 1
    assert path.read_bytes() == original


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (
            'id = "2304.02643"\nauthors = 5\n',
            "3:1: authors must be an array of strings, not an integer",
        ),
        ("id = 12\n", "2:1: id must be a string, not an integer"),
        ('id = "2304.02643"\ntags = "x"\n', "3:1: tags must be an array of strings, not a string"),
        (
            'id = "2304.02643"\npublished = "yesterday"\n',
            "3:1: published must be a date like 2023-04-05 (no quotes), not a string",
        ),
    ],
)
def test_wrong_types_are_named_with_their_place(
    tmp_path: Path, post: Path, body: str, reason: str
) -> None:
    """A value of the wrong type is reported at its key by show and harvest; the file is kept."""
    path = tmp_path / "typed.toml"
    original = f"[[paper]]\n{body}".encode()
    path.write_bytes(original)
    for args in (["show", str(path)], ["harvest", str(post), "--list", str(path)]):
        result = run(*args)
        assert result.exit_code == 2
        one_error(result, f"{path}:{reason}")
    assert path.read_bytes() == original


def test_duplicate_ids_are_refused(tmp_path: Path, post: Path) -> None:
    """A list naming one paper twice is a format error pointing at the second id."""
    path = tmp_path / "twice.toml"
    original = b'[[paper]]\nid = "2304.02643"\n\n[[paper]]\nid = "2304.02643"\n'
    path.write_bytes(original)
    for args in (["show", str(path)], ["harvest", str(post), "--list", str(path)]):
        result = run(*args)
        assert result.exit_code == 2
        one_error(result, f'{path}:5:1: duplicate id "2304.02643" (first at line 2)')
    assert path.read_bytes() == original


def test_empty_list_file_is_an_empty_list(
    tmp_path: Path, post: Path, arxiv_standin: ArxivStandin
) -> None:
    """An empty file shows as no papers, and a harvest adds to it."""
    path = tmp_path / "empty.toml"
    path.write_bytes(b"")
    shown = run("show", str(path))
    assert (shown.exit_code, shown.stdout, shown.stderr) == (0, "", "")
    assert run("show", "--json", str(path)).stdout == "[]\n"
    harvested = run("harvest", str(post), "--list", str(path), env=arxiv_env(arxiv_standin.api_url))
    assert (harvested.exit_code, harvested.stderr) == (0, "")
    assert [entry.id for entry in store.load(path).entries] == ["2304.02643"]


# Where the list is


@pytest.mark.parametrize("command", ["show", "render", "refresh"])
def test_list_that_is_a_directory_cannot_be_read(tmp_path: Path, command: str) -> None:
    """A directory given as LIST is one error line and exit status 1."""
    directory = tmp_path / "lists.toml"
    directory.mkdir()
    result = run(command, str(directory))
    assert result.exit_code == 1
    expected = "is a directory, not a reading list" if command == "refresh" else "is a directory"
    assert result.stderr.startswith(f"error: {directory}: {expected}")
    assert result.stderr.count("\n") == 1
    assert list(directory.iterdir()) == []


@pytest.mark.parametrize("name", ["lists.toml", ".", ""])
def test_harvest_into_a_directory_is_refused(
    tmp_path: Path, post: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    """--list naming a directory (even '.' or an empty string) is an error, not a traceback."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "lists.toml").mkdir()
    result = run("harvest", str(post), "--list", name)
    assert result.exit_code == 1
    one_error(result, f"{Path(name)}: is a directory, not a reading list")


def test_harvest_refuses_a_list_not_named_toml(tmp_path: Path, post: Path) -> None:
    """A README that happens to parse as TOML (all headings) is not taken for a list."""
    readme = tmp_path / "README.md"
    readme.write_bytes(b"# My papers\n")
    for extra in ((), ("--dry-run",)):
        result = run("harvest", str(post), "--list", str(readme), *extra)
        assert result.exit_code == 2
        one_error(result, f"{readme}: a reading list is a TOML file whose name ends in .toml")
    assert readme.read_bytes() == b"# My papers\n"


def test_harvest_creates_missing_directories_for_a_new_list(
    tmp_path: Path, post: Path, arxiv_standin: ArxivStandin
) -> None:
    """--list in directories that do not exist yet makes them along with the list."""
    path = tmp_path / "new" / "deeper" / "papers.toml"
    result = run("harvest", str(post), "--list", str(path), env=arxiv_env(arxiv_standin.api_url))
    assert (result.exit_code, result.stderr) == (0, "")
    assert [entry.id for entry in store.load(path).entries] == ["2304.02643"]


def test_harvest_under_a_file_is_refused(tmp_path: Path, post: Path) -> None:
    """--list whose parent is a file names the directory that cannot be made."""
    path = post / "papers.toml"
    result = run("harvest", str(post), "--list", str(path))
    assert result.exit_code == 1
    one_error(result, f"{path}: cannot create the directory {post} (File exists)")
    assert post.read_text(encoding="utf-8") == "See https://arxiv.org/abs/2304.02643v1\n"


def test_harvest_into_a_read_only_directory(read_only_dir: Path, post: Path) -> None:
    """A new list in a directory that cannot be written is one error line and no file."""
    path = read_only_dir / "papers.toml"
    result = run("harvest", str(post), "--list", str(path))
    assert result.exit_code == 1
    one_error(
        result,
        f"{path}: cannot create the lock file {read_only_dir / '.papers.toml.lock'} "
        "(Permission denied); the file was not changed",
    )
    assert list(read_only_dir.iterdir()) == []


def test_harvest_refuses_a_read_only_list(tmp_path: Path, post: Path) -> None:
    """A read-only list is not replaced behind its owner's back; arXiv is not even asked."""
    path = tmp_path / "papers.toml"
    path.write_text(ONE_PAPER, encoding="utf-8")
    path.chmod(0o444)
    result = run("harvest", str(post), "--list", str(path))
    assert result.exit_code == 1
    one_error(result, f"{path}: cannot write (the file is read-only); the file was not changed")
    assert path.read_text(encoding="utf-8") == ONE_PAPER
    assert path.stat().st_mode & 0o777 == 0o444


def test_locked_list_is_reported_and_left_alone(
    tmp_path: Path, post: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A list another process is changing makes harvest give up clearly, changing nothing."""
    path = tmp_path / "papers.toml"
    path.write_text(ONE_PAPER, encoding="utf-8")
    # Wait a tenth of a second rather than the real ten.
    monkeypatch.setattr(filelock, "FileLock", lambda guard, timeout: FileLock(guard, timeout=0.1))
    with FileLock(store.lock_file(path)):
        result = run("harvest", str(post), "--list", str(path))
    assert result.exit_code == 1
    one_error(
        result, f"{path} is being changed by another curator process; try again when it finishes"
    )
    assert path.read_text(encoding="utf-8") == ONE_PAPER


class _Interrupted:
    """A source on which the user presses Ctrl-C while it answers."""

    max_batch = 100

    def lookup(self, ids: Sequence[str]) -> dict[str, Paper]:
        raise KeyboardInterrupt


def test_ctrl_c_during_harvest_keeps_the_new_papers_pending(
    tmp_path: Path, post: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C while arXiv is asked exits 130 and leaves a valid list with the new paper pending."""
    path = tmp_path / "papers.toml"
    path.write_text(ONE_PAPER, encoding="utf-8")
    monkeypatch.setattr(collecting, "arxiv_source", _Interrupted)
    result = run("harvest", str(post), "--list", str(path))
    assert (result.exit_code, result.stdout) == (130, "")
    one_error(result, "interrupted; everything completed so far is saved")
    assert path.read_text(encoding="utf-8").startswith(ONE_PAPER)
    entries = {entry.id: entry for entry in store.load(path).entries}
    assert entries["2108.06098"].status is Status.RESOLVED
    new = entries["2304.02643"]
    assert (new.status, new.sources, new.added) == (Status.PENDING, (f"{post}:1:5",), TODAY)


# Sources


def test_binary_source_is_skipped_with_one_warning(tmp_path: Path) -> None:
    """A binary file named as SOURCE gets one warning line and yields nothing."""
    path = tmp_path / "photo.dat"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00 arXiv:2304.02643")
    result = run("extract", str(path))
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == f"warning: {path}: skipped, looks like a binary file\n"


def test_invalid_utf8_source_still_gives_its_links(tmp_path: Path) -> None:
    """Bytes that do not decode cost a few characters, never the links or the run."""
    path = tmp_path / "latin1.txt"
    path.write_bytes(b"caf\xe9 \xff\xfe arXiv:2304.02643 \x80\x81\n")
    result = run("extract", str(path))
    assert (result.exit_code, result.stdout, result.stderr) == (0, "2304.02643\n", "")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_directory_source_with_a_mix_of_files(tmp_path: Path) -> None:
    """A directory is read file by file: text in any encoding, with warnings for what is skipped."""
    mix = tmp_path / "mix"
    (mix / ".hidden").mkdir(parents=True)
    (mix / "sub").mkdir()
    (mix / "a.md").write_text("[x](https://arxiv.org/abs/2108.06098)\n", encoding="utf-8")
    (mix / "b-latin1.txt").write_bytes(b"caf\xe9 \xff arXiv:2304.02643\n")
    (mix / "c.dat").write_bytes(b"\x00\x01 arXiv:2306.11730")
    (mix / "d.json").write_text('{"x": "arXiv:2305.00035"', encoding="utf-8")
    (mix / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    (mix / "e.png").write_bytes(b"arXiv:2306.01567")
    os.mkfifo(mix / "fifo.txt")  # opening it would wait for a writer forever
    (mix / ".hidden" / "x.txt").write_text("arXiv:2306.06211\n", encoding="utf-8")
    (mix / "sub" / "p.html").write_text(
        '<a href="https://arxiv.org/pdf/2304.10517v2">p</a>', encoding="utf-8"
    )
    result = run("extract", str(mix))
    assert result.exit_code == 0
    assert result.stdout == "2108.06098\n2304.02643\n2305.00035\n2304.10517\n"
    assert result.stderr.splitlines() == [
        f"warning: {mix / 'c.dat'}: skipped, looks like a binary file",
        f"warning: {mix / 'd.json'}: not valid JSON, read as plain text",
        f"warning: {mix / 'dangling.txt'}: skipped, no such file or directory",
        f"warning: {mix / 'fifo.txt'}: skipped, not a regular file",
    ]


def test_unreadable_files_in_a_directory_fail_the_run(tmp_path: Path) -> None:
    """Files and folders of a directory SOURCE that cannot be read are named, and the run fails."""
    mix = tmp_path / "mix"
    (mix / "locked").mkdir(parents=True)
    (mix / "a.md").write_text("https://arxiv.org/abs/2108.06098\n", encoding="utf-8")
    (mix / "locked" / "x.txt").write_text("arXiv:2306.06211\n", encoding="utf-8")
    secret = mix / "b.txt"
    secret.write_text("arXiv:2304.02643\n", encoding="utf-8")
    secret.chmod(0)
    (mix / "locked").chmod(0)
    path = tmp_path / "papers.toml"
    try:
        if os.access(secret, os.R_OK):
            pytest.skip("this user may read any file (root)")
        extracted = run("extract", str(mix))
        harvested = run("harvest", str(mix), "--list", str(path))
    finally:
        (mix / "locked").chmod(0o755)
    assert (extracted.exit_code, extracted.stdout) == (1, "2108.06098\n")
    assert extracted.stderr.splitlines() == [
        f"warning: {secret}: cannot read, permission denied",
        f"warning: {mix / 'locked'}: cannot read, permission denied",
        f"error: {mix}: could not read 2 of the files and folders in it; their papers are unknown",
    ]
    assert (harvested.exit_code, harvested.stderr) == (1, extracted.stderr)
    assert not path.exists()


def test_missing_source_changes_no_list(tmp_path: Path) -> None:
    """A SOURCE that does not exist is one error line, before any list is created."""
    missing = tmp_path / "nope.txt"
    path = tmp_path / "papers.toml"
    for args in (["extract", str(missing)], ["harvest", str(missing), "--list", str(path)]):
        result = run(*args)
        assert result.exit_code == 1
        one_error(result, f"{missing}: no such file or directory")
    assert not path.exists()


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("", "an empty SOURCE names nothing; give a file, a directory, '-' or a URL"),
        (
            "ftp://example.org/post.txt",
            "ftp://example.org/post.txt: only http and https URLs can be fetched",
        ),
    ],
)
def test_sources_that_name_nothing_readable(source: str, message: str) -> None:
    """An empty argument (not the current directory) and a non-http URL are refused clearly."""
    result = run("extract", source)
    assert result.exit_code == 1
    one_error(result, message)


def test_empty_stdin_is_an_error_not_zero_papers(tmp_path: Path) -> None:
    """'-' with nothing piped in is unknown input (the producer failed?), not an empty result."""
    path = tmp_path / "papers.toml"
    for args in (["extract", "-"], ["harvest", "-", "--list", str(path)]):
        result = run(*args, stdin="")
        assert result.exit_code == 1
        one_error(result, "-: standard input is empty; pipe a document in or name a file")
    assert not path.exists()


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX shell")
def test_closed_stdin_is_an_error() -> None:
    """'-' when standard input is closed is one error line, not a traceback."""
    result = subprocess.run(
        ["sh", "-c", 'exec "$0" -m curator extract - <&-', sys.executable],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 1
    one_error(result, "-: standard input is closed; pipe a document in or name a file")


def test_refused_web_page_is_one_error_line(tmp_path: Path) -> None:
    """An http SOURCE whose server refuses the connection fails extract and harvest at once."""
    port = unused_port()
    url = f"http://127.0.0.1:{port}/post.html"
    path = tmp_path / "papers.toml"
    for args in (["extract", url], ["harvest", url, "--list", str(path)]):
        result = run(*args)
        assert result.exit_code == 1
        one_error(result, f"{url}: cannot connect to 127.0.0.1:{port}")
    assert not path.exists()


@pytest.mark.timeout(30)
def test_link_at_the_end_of_a_10_mb_line_is_found(tmp_path: Path) -> None:
    """A 10 MB line without line breaks is read in bounded memory and its last link is found."""
    size = 10 * 2**20
    path = tmp_path / "one-line.md"
    path.write_text("x" * size + " https://arxiv.org/abs/2304.02643v3", encoding="ascii")
    plain = run("extract", str(path))
    assert (plain.exit_code, plain.stdout, plain.stderr) == (0, "2304.02643\n", "")
    described = run("extract", "--json", str(path))
    assert '"line": 1, "column": 10485762' in described.stdout


# render and show


@pytest.mark.parametrize(
    ("readme", "message"),
    [
        (
            "# R\n<!-- curator:start sam -->\nold\n",
            "2: <!-- curator:start sam --> has no <!-- curator:end sam --> after it; "
            "add it where the list should end",
        ),
        (
            "# R\n<!-- curator:start sam -->\n<!-- curator:end sam -->\n\n"
            "<!-- curator:start sam -->\n<!-- curator:end sam -->\n",
            "5: <!-- curator:start sam --> repeats the one on line 2; keep one pair per list",
        ),
        (
            "# R\n<!-- curator:end sam -->\n<!-- curator:start sam -->\n",
            "2: <!-- curator:end sam --> comes before <!-- curator:start sam --> on line 3; "
            "swap them",
        ),
    ],
)
def test_bad_readme_markers_name_the_line(
    tmp_path: Path, listing: Path, readme: str, message: str
) -> None:
    """Unbalanced, repeated or swapped markers are exit status 2 and leave the README alone."""
    path = tmp_path / "README.md"
    path.write_bytes(readme.encode())
    result = run("render", str(listing), "--readme", str(path))
    assert result.exit_code == 2
    one_error(result, f"{path}:{message}")
    assert path.read_bytes() == readme.encode()


def test_missing_readme_is_not_created(tmp_path: Path, listing: Path) -> None:
    """render --readme on a missing file says how to start one, and creates nothing."""
    path = tmp_path / "README.md"
    result = run("render", str(listing), "--readme", str(path))
    assert result.exit_code == 1
    one_error(result, f"{path}: no such file; create it with a curator marker pair first")
    assert not path.exists()


def test_readme_that_is_not_utf8_is_left_alone(tmp_path: Path, listing: Path) -> None:
    """A README in another encoding is refused rather than rewritten in UTF-8."""
    path = tmp_path / "README.md"
    original = b"# R\xe9sum\xe9\n<!-- curator:start sam -->\n<!-- curator:end sam -->\n"
    path.write_bytes(original)
    result = run("render", str(listing), "--readme", str(path))
    assert result.exit_code == 1
    one_error(result, f"{path}: not UTF-8 text (byte 3)")
    assert path.read_bytes() == original


def test_render_into_a_missing_directory(tmp_path: Path, listing: Path) -> None:
    """render -o into a directory that does not exist names it and creates nothing."""
    path = tmp_path / "nowhere" / "README.md"
    result = run("render", str(listing), "-o", str(path))
    assert result.exit_code == 1
    one_error(result, f"{path}: cannot write (no directory {path.parent})")
    assert not path.parent.exists()


def test_render_refuses_a_read_only_file(tmp_path: Path, listing: Path) -> None:
    """render -o does not replace a file its owner made read-only."""
    path = tmp_path / "README.md"
    path.write_bytes(b"old\n")
    path.chmod(0o444)
    result = run("render", str(listing), "-o", str(path))
    assert result.exit_code == 1
    one_error(result, f"{path}: cannot write (the file is read-only); the file was not changed")
    assert path.read_bytes() == b"old\n"


def test_render_into_a_read_only_directory(read_only_dir: Path, listing: Path) -> None:
    """render -o into a directory that cannot be written is one error line."""
    path = read_only_dir / "README.md"
    result = run("render", str(listing), "-o", str(path))
    assert result.exit_code == 1
    one_error(result, f"{path}: cannot write (Permission denied); the file was not changed")
    assert list(read_only_dir.iterdir()) == []


def test_show_missing_and_malformed_lists(tmp_path: Path) -> None:
    """show names a missing list (exit 1) and places the error of a malformed one (exit 2)."""
    missing = tmp_path / "missing.toml"
    result = run("show", str(missing))
    assert result.exit_code == 1
    one_error(result, f"{missing}: no such reading list")
    assert not missing.exists()
    broken = tmp_path / "broken.toml"
    broken.write_bytes(b"[[paper]\n")
    result = run("show", str(broken))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {broken}:1:")
    assert result.stderr.count("\n") == 1


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_full_stdout_is_one_error_line() -> None:
    """A standard output that refuses text (a full disk) is an error line, not a traceback."""
    with Path("/dev/full").open("w", encoding="utf-8") as full:
        result = run_process("show", str(EXAMPLE_LIST), stdout=full)
    assert result.returncode == 1
    one_error(result, "standard output: cannot write (No space left on device)")


# Environment


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("CURATOR_ARXIV_API", "ftp://x", "must be an http(s) URL, not 'ftp://x'"),
        ("CURATOR_ARXIV_API", "http://", "must be an http(s) URL, not 'http://'"),
        ("CURATOR_ARXIV_API", "http://[::1", "must be an http(s) URL, not 'http://[::1'"),
        ("CURATOR_ARXIV_API", "http://h:99999/", "must be an http(s) URL, not 'http://h:99999/'"),
        ("CURATOR_ARXIV_DELAY", "-1", "must be a non-negative number of seconds, not '-1'"),
        ("CURATOR_ARXIV_DELAY", "nan", "must be a non-negative number of seconds, not 'nan'"),
        ("CURATOR_ARXIV_DELAY", "abc", "must be a number of seconds, not 'abc'"),
    ],
)
def test_unusable_environment_is_a_usage_error(
    tmp_path: Path, post: Path, name: str, value: str, message: str
) -> None:
    """A bad CURATOR_ARXIV_* value is exit status 2 with its name, before any list is made."""
    path = tmp_path / "papers.toml"
    result = run("harvest", str(post), "--list", str(path), env={name: value})
    assert result.exit_code == 2
    one_error(result, f"{name} {message}")
    assert not path.exists()


def test_empty_arxiv_api_means_the_default(tmp_path: Path, post: Path) -> None:
    """An empty CURATOR_ARXIV_API is unset, not an error (a dry run asks nothing)."""
    path = tmp_path / "papers.toml"
    result = run(
        "harvest", str(post), "--list", str(path), "--dry-run", env={"CURATOR_ARXIV_API": ""}
    )
    assert (result.exit_code, result.stderr) == (0, "")
    assert not path.exists()


def test_repeated_key_in_a_table_is_a_format_error(tmp_path: Path) -> None:
    """A key written twice in one [[paper]] table gets path:line and exit 2, not a traceback."""
    listing = tmp_path / "twice.toml"
    original = '[[paper]]\nid = "2304.02643"\nid = "2304.12306"\n'
    listing.write_text(original, encoding="utf-8")
    result = CliRunner().invoke(cli.app, ["show", str(listing)])
    assert result.exit_code == 2
    assert result.stderr == f'error: {listing}:3: invalid TOML: Key "id" already exists.\n'
    assert listing.read_text(encoding="utf-8") == original
