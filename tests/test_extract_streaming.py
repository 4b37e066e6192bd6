"""Streaming: blocks cut at line ends, positions across blocks, grouping and papers()."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pytest

from curator.extract import extract, group, markdown, papers, text
from curator.extract.decoding import decode_stream
from curator.models import Found, Mentions, Occurrence

DATA = Path(__file__).parent / "data" / "extract"
DOCUMENT = (
    "intro line\r\n"
    "\tarXiv:2304.02643v2 [cs.CV] (https://arxiv.org/abs/2304.04155)\n"
    "\u4e2d\u6587 [Segment Anything](https://arxiv.org/pdf/2304.02643.pdf) and more\n"
    "[arXiv:2305.03048](https://arxiv.org/abs/2305.03048v3)\n"
    "no newline at the end: https://huggingface.co/papers/2306.01567"
)
LAST_LINE = "no newline at the end: https://huggingface.co/papers/2306.01567"
CITED_LINE = "arXiv:2304.02643v2 [cs.CV] (https://arxiv.org/abs/2304.04155)"
CJK_LINE = "\u4e2d\u6587 [Segment Anything](https://arxiv.org/pdf/2304.02643.pdf) and more"


def described(found: Iterable[Found]) -> list[tuple[str, int, int, str, int | None]]:
    """Return (id, line, column, text, version) of each occurrence."""
    return [
        (item.id, item.occurrence.line, item.occurrence.column, item.occurrence.text,
         item.occurrence.version)
        for item in found
    ]  # fmt: skip


def test_text_positions_count_characters_per_line() -> None:
    """Lines end at newlines (CRLF counts once); columns count characters, tabs and CJK as one."""
    assert described(text.extract([DOCUMENT], source="doc")) == [
        ("2304.02643", 2, 2, "arXiv:2304.02643v2 [cs.CV]", 2),
        ("2304.04155", 2, 30, CITED_LINE, None),
        ("2304.02643", 3, 23, CJK_LINE, None),
        ("2305.03048", 4, 2, "[arXiv:2305.03048", None),
        ("2305.03048", 4, 20, "[arXiv:2305.03048](https://arxiv.org/abs/2305.03048v3)", 3),
        ("2306.01567", 5, 24, LAST_LINE, None),
    ]  # fmt: skip


@pytest.mark.parametrize("reader", [text.extract, markdown.extract])
def test_mentions_straddling_any_piece_boundary_are_found_in_place(
    reader: Callable[..., Iterator[Found]],
) -> None:
    """However the decoded text is cut into pieces, the same occurrences come out."""
    whole = list(reader([DOCUMENT], source="doc"))
    for cut in range(1, len(DOCUMENT)):
        assert list(reader([DOCUMENT[:cut], DOCUMENT[cut:]], source="doc")) == whole, cut
    assert list(reader(list(DOCUMENT), source="doc")) == whole


def test_over_long_lines_are_cut_where_no_mention_can_be(monkeypatch: pytest.MonkeyPatch) -> None:
    """A line longer than LONG_LINE is handed over in pieces, mentions and positions intact.

    Only the words around a mention may stop at such a cut.
    """
    monkeypatch.setattr(text, "LONG_LINE", 50)
    line = "".join(
        f"(x{n} https://arxiv.org/abs/2304.0{n}643 arXiv:2305.0{n}048) " for n in range(10)
    )
    whole = described(text.extract([line + "\nend arXiv:2306.01567\n"], source="doc"))
    pieces = [line[start : start + 7] for start in range(0, len(line), 7)]
    cut = described(text.extract([*pieces, "\nend arXiv:2306.01567\n"], source="doc"))
    assert [row[:3] + row[4:] for row in cut] == [row[:3] + row[4:] for row in whole]
    assert len(whole) == 21
    assert whole[-2:] == [
        ("2305.09048", 1, 533, "arXiv:2305.09048)", None),
        ("2306.01567", 2, 5, "end arXiv:2306.01567", None),
    ]
    assert max(len(block.text) for block in text.blocks(pieces)) < 50 + 7


def test_blocks_stay_small_while_lines_keep_counting() -> None:
    """A long stream is read in blocks no bigger than a read, and line numbers stay exact."""
    body = "".join(
        f"line {n} https://arxiv.org/abs/2304.{n:05}\n" if n % 1000 == 0 else f"line {n} filler\n"
        for n in range(1, 50_001)
    ).encode()
    pieces = decode_stream(body[:4096], io.BytesIO(body[4096:]), chunk_size=4096)
    blocks = list(text.blocks(pieces))
    assert max(len(block.text) for block in blocks) <= 4096 + 64
    assert sum(len(block.text) for block in blocks) == len(body)
    found = list(
        markdown.extract(
            decode_stream(body[:4096], io.BytesIO(body[4096:]), chunk_size=4096), source="s"
        )
    )
    assert [(item.id, item.occurrence.line) for item in found][:3] == [
        ("2304.01000", 1000),
        ("2304.02000", 2000),
        ("2304.03000", 3000),
    ]
    assert len(found) == 50


def test_decoding_survives_characters_cut_between_reads() -> None:
    """Multi-byte characters split between reads decode whole."""
    content = "\ub17c\ubb38 \u2014 arXiv:2304.02643 \u00e9\n".encode()
    pieces = list(decode_stream(content[:4], io.BytesIO(content[4:]), chunk_size=1))
    assert "".join(pieces) == content.decode()


def test_group_keeps_first_appearance_order_and_versions() -> None:
    """group lists each paper once, in order of first appearance, with every occurrence."""
    found = [
        Found("2304.02643", Occurrence("a", 1, 1, "x", 2)),
        Found("2305.03048", Occurrence("a", 2, 1, "y")),
        Found("2304.02643", Occurrence("b", 1, 1, "z", 1)),
        Found("2304.02643", Occurrence("b", 2, 1, "w", 2)),
    ]
    grouped = group(found)
    assert [mentions.id for mentions in grouped] == ["2304.02643", "2305.03048"]
    assert grouped[0].occurrences == tuple(
        item.occurrence for item in found if item.id == "2304.02643"
    )
    assert [mentions.versions for mentions in grouped] == [(1, 2), ()]
    assert Mentions("2304.02643", ()).versions == ()


@pytest.mark.parametrize("name", ["list.md", "page.html", "result.json", "other.json"])
def test_papers_are_the_distinct_ids_of_extract(name: str) -> None:
    """papers() yields exactly the distinct identifiers of extract(), in the same order."""
    source = [str(DATA / name)]
    assert list(papers(source)) == [mentions.id for mentions in group(extract(source))]
    assert list(papers(source, bare=True)) == [
        mentions.id for mentions in group(extract(source, bare=True))
    ]
