"""Sources: files, directories, stdin, web pages, encodings, binary files and errors."""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

import charset_normalizer
import pytest

from curator.errors import InputError
from curator.extract import extract, group, papers
from curator.extract.decoding import encoding_of
from curator.extract.documents import documents

SEED = Path(__file__).resolve().parent.parent.parent / "shared" / "seed" / "channel-posts.txt"
SEED_PAPERS = [
    "2306.11730", "2304.02643", "2304.10517", "2304.12306", "2304.09148", "2304.05396",
    "2304.08506", "2304.14660", "2304.05622", "2305.00035", "2304.09324", "2304.12620",
    "2305.00109", "2305.03048", "2305.03678", "2304.13785", "2305.05803", "2305.00278",
    "2306.01567", "2304.04155", "2306.02245", "2306.00499", "2306.06211", "2305.08196",
    "2108.06098",
]  # fmt: skip


def places(
    sources: list[str], on_warning: Callable[[str], None] | None = None
) -> list[tuple[str, str, int, int]]:
    """Return (id, source, line, column) for every occurrence found in the sources."""
    return [
        (item.id, item.occurrence.source, item.occurrence.line, item.occurrence.column)
        for item in extract(sources, on_warning=on_warning)
    ]


@pytest.mark.skipif(not SEED.exists(), reason="the shared seed folder is not next to the repo")
def test_seed_post_yields_exactly_its_25_papers() -> None:
    """The example post, mojibake and all, yields its 25 papers in order of first appearance."""
    assert [mentions.id for mentions in group(extract([str(SEED)]))] == SEED_PAPERS
    assert list(papers([str(SEED)])) == SEED_PAPERS


def test_latin1_file_is_decoded_without_failing(tmp_path: Path) -> None:
    """A Latin-1 file is not UTF-8; it is decoded anyway and its mentions found in place."""
    path = tmp_path / "notes.txt"
    path.write_bytes("Caf\u00e9, d\u00e9j\u00e0 vu: arXiv:2304.02643\n".encode("latin-1"))
    assert places([str(path)]) == [("2304.02643", str(path), 1, 16)]


def test_cp949_file_is_detected_and_decoded(tmp_path: Path) -> None:
    """A Korean cp949 file is detected as such, so the words around a mention read right."""
    path = tmp_path / "post.txt"
    post = (
        "이 글에서는 새 논문을 소개합니다.\n"
        "논문 링크: https://arxiv.org/abs/2304.02643 를 참고하세요.\n"
        "감사합니다. 다음 주에도 좋은 논문을 함께 읽어요.\n"
    )
    path.write_bytes(post.encode("cp949"))
    (item,) = extract([str(path)])
    assert (item.id, item.occurrence.line, item.occurrence.column) == ("2304.02643", 2, 8)
    assert item.occurrence.text == "논문 링크: https://arxiv.org/abs/2304.02643 를 참고하세요."


def test_bytes_that_do_not_decode_never_abort(tmp_path: Path) -> None:
    """Invalid bytes after a UTF-8 start become replacement characters; the run goes on."""
    path = tmp_path / "mixed.md"
    path.write_bytes(b"arXiv:2304.02643\n" + b"x" * 70_000 + b"\xff\xfe\x80 arXiv:2304.04155\n")
    assert places([str(path)]) == [
        ("2304.02643", str(path), 1, 1),
        ("2304.04155", str(path), 2, 70_005),
    ]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-32"])
def test_byte_order_marks_name_the_encoding(tmp_path: Path, encoding: str) -> None:
    """A byte order mark decides the encoding, and is not counted as a column."""
    path = tmp_path / "marked.txt"
    path.write_bytes("arXiv:2304.02643 and caf\u00e9\n".encode(encoding))
    assert places([str(path)]) == [("2304.02643", str(path), 1, 1)]


def test_binary_file_is_skipped_with_one_warning(tmp_path: Path) -> None:
    """A file with NUL bytes is reported once and skipped."""
    path = tmp_path / "blob.txt"
    path.write_bytes(b"\x00\x01arXiv:2304.02643\x00")
    warnings: list[str] = []
    assert list(extract([str(path)], on_warning=warnings.append)) == []
    assert warnings == [f"{path}: skipped, looks like a binary file"]


def test_directory_is_read_in_sorted_order_skipping_hidden_and_binary(tmp_path: Path) -> None:
    """A directory is walked in sorted order; hidden entries and binaries are left out."""
    tree = tmp_path / "tree"
    (tree / "sub").mkdir(parents=True)
    (tree / ".git").mkdir()
    (tree / ".git" / "notes").write_text("arXiv:2305.08196\n")
    (tree / ".hidden.md").write_text("arXiv:2305.08196\n")
    (tree / "b.txt").write_text("\n arXiv:2304.12306\n")
    (tree / "a.md").write_text("[x](https://arxiv.org/abs/2304.02643)\n")
    (tree / "sub" / "c.html").write_text('<a href="https://arxiv.org/abs/2305.03048">c</a>')
    (tree / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00arXiv:2305.08196")
    (tree / "blob").write_bytes(b"\x00arXiv:2305.08196")
    warnings: list[str] = []
    assert places([str(tree)], on_warning=warnings.append) == [
        ("2304.02643", str(tree / "a.md"), 1, 5),
        ("2304.12306", str(tree / "b.txt"), 2, 2),
        ("2305.03048", str(tree / "sub" / "c.html"), 1, 10),
    ]
    assert warnings == [f"{tree / 'blob'}: skipped, looks like a binary file"]


def test_stdin_is_read_as_markdown(monkeypatch: pytest.MonkeyPatch) -> None:
    """``-`` reads standard input's bytes; without a name to go by it is read as Markdown."""
    stdin = io.TextIOWrapper(io.BytesIO(b"intro\n[Segment Anything](arxiv.org/abs/2304.02643)\n"))
    monkeypatch.setattr(sys, "stdin", stdin)
    (item,) = extract(["-"])
    assert (item.id, item.occurrence.source, item.occurrence.line, item.occurrence.column) == (
        "2304.02643", "-", 2, 20,
    )  # fmt: skip
    assert item.occurrence.text == "Segment Anything"


def test_web_pages_come_from_the_injected_fetch() -> None:
    """An http(s) source is fetched with the given function and read by its content."""
    pages = {
        "https://example.org/list": b"<!doctype html><a href='https://arxiv.org/abs/2304.02643'>SA</a>",
        "https://github.com/example/awesome": b"# List\n- [HQ](https://arxiv.org/abs/2306.01567)\n",
    }  # fmt: skip
    asked: list[str] = []

    def fetch(url: str) -> bytes:
        asked.append(url)
        return pages[url]

    found = [
        (item.id, item.occurrence.source, item.occurrence.text)
        for item in extract(list(pages), fetch=fetch)
    ]
    assert found == [
        ("2304.02643", "https://example.org/list", "SA"),
        ("2306.01567", "https://github.com/example/awesome", "HQ"),
    ]  # fmt: skip
    assert asked == list(pages)


def test_web_source_without_fetch_fails_before_reading_anything(tmp_path: Path) -> None:
    """Without a fetch function a URL is an input error, raised before any source is read."""
    with pytest.raises(InputError) as raised:
        extract([str(tmp_path), "https://example.org/list"])
    assert str(raised.value) == (
        "https://example.org/list: cannot fetch web pages here; save the page and pass the file"
    )


def test_missing_path_is_one_line_input_error(tmp_path: Path) -> None:
    """A source that does not exist fails at once with a one-line message naming it."""
    missing = tmp_path / "missing.md"
    with pytest.raises(InputError) as raised:
        papers([str(missing)])
    assert str(raised.value) == f"{missing}: no such file or directory"


def test_warnings_are_logged_when_no_handler_is_given(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Without on_warning, a warning goes to the curator.extract logger."""
    path = tmp_path / "blob.txt"
    path.write_bytes(b"\x00")
    assert list(extract([str(path)])) == []
    assert [(record.name, record.getMessage()) for record in caplog.records] == [
        ("curator.extract", f"{path}: skipped, looks like a binary file")
    ]


def test_truncated_character_at_the_end_is_replaced(tmp_path: Path) -> None:
    """A file cut inside a multi-byte character still decodes, the stub made U+FFFD."""
    path = tmp_path / "cut.txt"
    path.write_bytes(b"arXiv:2304.02643 \xe2\x82")
    (item,) = extract([str(path)])
    assert (item.id, item.occurrence.text) == ("2304.02643", "arXiv:2304.02643 \ufffd")


def test_unreadable_file_in_a_directory_is_skipped_with_a_warning(tmp_path: Path) -> None:
    """A directory entry that cannot be opened (here a dangling link) costs one warning."""
    (tmp_path / "a.txt").write_text("arXiv:2304.02643\n")
    (tmp_path / "b.txt").symlink_to(tmp_path / "gone.txt")
    warnings: list[str] = []
    assert places([str(tmp_path)], on_warning=warnings.append) == [
        ("2304.02643", str(tmp_path / "a.txt"), 1, 1)
    ]
    assert warnings == [f"{tmp_path / 'b.txt'}: skipped, no such file or directory"]


def test_unreadable_named_file_is_one_line_input_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A named file that cannot be opened fails with the reason, in one line."""
    path = tmp_path / "secret.txt"
    path.write_text("arXiv:2304.02643\n")

    def refuse(self: Path, mode: str = "r") -> NoReturn:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "open", refuse)
    with pytest.raises(InputError) as raised:
        list(extract([str(path)]))
    assert str(raised.value) == f"{path}: permission denied"


def test_documents_refuse_web_pages_without_fetch() -> None:
    """Asked for a web page with nothing to fetch it, documents() fails like extract()."""
    with pytest.raises(InputError) as raised:
        list(documents("https://example.org/x", fetch=None, on_warning=print))
    assert str(raised.value) == (
        "https://example.org/x: cannot fetch web pages here; save the page and pass the file"
    )


@pytest.mark.parametrize(
    ("guess", "expected"), [("cp037", "utf-8"), ("utf-32", "utf-8"), ("cp1252", "cp1252")]
)
def test_encoding_guesses_that_lose_ascii_are_refused(
    monkeypatch: pytest.MonkeyPatch, guess: str, expected: str
) -> None:
    """A detected encoding that does not keep ASCII as is (EBCDIC here) gives way to UTF-8."""

    class Guess:
        encoding = guess

    class Matches:
        def best(self) -> Guess:
            return Guess()

    monkeypatch.setattr(charset_normalizer, "from_bytes", lambda data: Matches())
    assert encoding_of(b"caf\xe9 arXiv:2304.02643") == expected
