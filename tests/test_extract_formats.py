"""Each input format: what is found, in which order, where, and with which text."""

from __future__ import annotations

from pathlib import Path

import pytest

from curator.extract import extract, markdown

DATA = Path(__file__).parent / "data" / "extract"

Row = tuple[str, int, int, str, "int | None"]
NO_OPENING = "no opening](https://arxiv.org/abs/2305.00035) here"
NOT_CLOSED = '<a href="https://arxiv.org/abs/2305.00035">never closed'
SAM3D = "SAM3D: Zero-Shot 3D Object Detection via Segment Anything Model"


def rows(source: Path | str, *, bare: bool = False) -> list[Row]:
    """Return (id, line, column, text, version) for every occurrence found in a source."""
    return [
        (item.id, item.occurrence.line, item.occurrence.column, item.occurrence.text,
         item.occurrence.version)
        for item in extract([str(source)], bare=bare)
    ]  # fmt: skip


def test_markdown_reports_link_text_and_merges_labels_that_repeat_their_target() -> None:
    """Markdown mentions report their link's text; a label repeating its target counts once."""
    assert rows(DATA / "list.md") == [
        ("2304.02643", 5, 22, "Segment Anything", None),
        ("2304.12306", 6, 24, "arXiv:2304.12306v2", 2),
        ("2304.10517", 7, 72, "arXiv", 1),
        ("2306.01567", 8, 49, "in High Quality][hq], also <https://huggingface.co/papers/2306.01567>",
         None),
        ("2305.03048", 9, 12, "- Cited as arXiv:2305.03048 [cs.CV] in running text.", None),
        ("2305.08196", 10, 13, "notes on arXiv:2305.08196", None),
        ("2306.02245", 11, 12, SAM3D, None),
        ("2306.01567", 14, 7, "[hq]: https://arxiv.org/abs/2306.01567", None),
    ]  # fmt: skip


def test_markdown_with_bare_also_takes_standalone_ids() -> None:
    """With bare=True the standalone number in the list is found too, in document order."""
    found = rows(DATA / "list.md", bare=True)
    assert found[6:8] == [
        ("2306.02245", 11, 12, SAM3D, None),
        ("2304.04155", 12, 18, "- A bare number, 2304.04155, is only taken with --bare.", None),
    ]  # fmt: skip
    assert len(found) == 9


def test_html_reads_hrefs_and_text_with_entities_decoded() -> None:
    """HTML mentions come from hrefs (with anchor text) and text, not comments or scripts."""
    assert rows(DATA / "page.html") == [
        ("2304.02643", 9, 10, "Segment Anything", None),
        ("2304.12306", 11, 13, "arXiv:2304.12306", None),
        ("2305.03048", 12, 4, "Cited as arXiv:2305.03048 in the text, and as", None),
        ("2306.01567", 12, 54, "in the text, and as arXiv:2306.01567 [cs.CV] too.", None),
        ("2306.02245", 14, 61, "notes on arXiv:2306.02245", None),
    ]


def test_telegram_export_reports_messages_and_every_entity_shape() -> None:
    """A Telegram export yields each message's papers with its id, date and author."""
    found = [
        (item.id, item.occurrence.line, item.occurrence.column, item.occurrence.text,
         item.occurrence.version, item.occurrence.message_id, item.occurrence.date,
         item.occurrence.author)
        for item in extract([str(DATA / "result.json")])
    ]  # fmt: skip
    assert found == [
        ("2304.02643", 35, 15, "New: https://arxiv.org/abs/2304.02643", None, 2,
         "2023-06-01T09:05:00", "Alice"),
        ("2304.12306", 49, 15, "this one", 2, 3, "2023-06-02T10:00:00", "Bob"),
        ("2304.10517", 63, 15, "arxiv.org/pdf/2304.10517", None, 4, "2023-06-03T11:00:00",
         "Dan"),
        ("2305.03048", 76, 15, "arXiv:2305.03048v2", 2, 5, "2023-06-04T12:00:00", "Alice"),
        ("2306.01567", 84, 15, "arXiv:2305.03048v2 and arXiv:2306.01567", None, 5,
         "2023-06-04T12:00:00", "Alice"),
        ("2306.02245", 93, 30, "caf\u00e9 \u2192 https://arxiv.org/abs/2306.02245", None, 6,
         "2023-06-05T13:00:00", "Bob"),
    ]  # fmt: skip


def test_telegram_export_of_all_chats_is_read_chat_by_chat(tmp_path: Path) -> None:
    """A full-account export (chats.list[].messages) is a Telegram export too."""
    export = tmp_path / "result.json"
    export.write_text(
        '{"chats": {"list": [{"name": "a", "messages": [{"id": 7, "from": "Eve",'
        ' "date": "2023-01-01T00:00:00", "text": "arXiv:2304.02643"}]}]}}'
    )
    (item,) = extract([str(export)])
    assert (item.id, item.occurrence.message_id, item.occurrence.author) == ("2304.02643", 7, "Eve")
    assert (item.occurrence.line, item.occurrence.column) == (1, 113)


def test_other_json_is_searched_string_by_string() -> None:
    """Any other JSON has its string values searched, at their place in the file."""
    assert rows(DATA / "other.json") == [
        ("2304.02643", 4, 14, "https://arxiv.org/abs/2304.02643", None),
        ("2304.12306", 5, 51, "see arXiv:2304.12306v3 for details", 3),
        ("2305.03048", 6, 26, "10.48550/arXiv.2305.03048", None),
    ]


def test_invalid_json_is_read_as_text_with_a_warning(tmp_path: Path) -> None:
    """A .json file that does not parse is scanned as plain text, after one warning."""
    broken = tmp_path / "broken.json"
    broken.write_text('{"url": "https://arxiv.org/abs/2304.02643",\n')
    warnings: list[str] = []
    found = list(extract([str(broken)], on_warning=warnings.append))
    assert [(item.id, item.occurrence.line, item.occurrence.column) for item in found] == [
        ("2304.02643", 1, 10)
    ]
    assert warnings == [f"{broken}: not valid JSON, read as plain text"]


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("notes", b"[1] arXiv:2304.02643\n", [("2304.02643", 1, 5)]),
        ("page", b"<!DOCTYPE html><p>arXiv:2304.02643</p>", [("2304.02643", 1, 19)]),
        ("data", b'{"a": "arXiv:2304.02643"}', [("2304.02643", 1, 8)]),
        ("array", b' ["arXiv:2304.02643"]', [("2304.02643", 1, 4)]),
    ],
)
def test_format_is_sniffed_when_the_name_says_nothing(
    tmp_path: Path, name: str, content: bytes, expected: list[tuple[str, int, int]]
) -> None:
    """Files without a telling extension are sniffed for HTML and JSON, else read as text."""
    path = tmp_path / name
    path.write_bytes(content)
    found = [
        (item.id, item.occurrence.line, item.occurrence.column) for item in extract([str(path)])
    ]
    assert found == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("See [the paper](<https://arxiv.org/abs/2305.00035>).", ("the paper", 18)),
        (NO_OPENING, (NO_OPENING, 13)),
        (NOT_CLOSED, (NOT_CLOSED, 10)),
        ("[a [nested] label](https://arxiv.org/abs/2305.00035)", ("a [nested] label", 20)),
    ],
)  # fmt: skip
def test_markdown_link_shapes(line: str, expected: tuple[str, int]) -> None:
    """Angle-bracket targets and nested brackets give the link text; broken links the words."""
    (item,) = markdown.extract([line], source="m.md")
    assert (item.occurrence.text, item.occurrence.column) == expected


def test_telegram_odd_shapes_are_tolerated(tmp_path: Path) -> None:
    """Unknown items in a message's text are ignored; a hidden forwarder falls back to from."""
    export = tmp_path / "result.json"
    export.write_text(
        '{"messages": [{"id": 1, "from": "Zoe", "forwarded_from": null,'
        ' "text": [5, {"type": "bold"}, "arXiv:2304.02643"]}, "not a message"]}'
    )
    (item,) = extract([str(export)])
    assert (item.occurrence.author, item.occurrence.date, item.occurrence.column) == (
        "Zoe",
        None,
        95,
    )


def test_json_escapes_before_a_mention_keep_its_column(tmp_path: Path) -> None:
    """Escapes, surrogate pairs included, are counted as the file writes them."""
    path = tmp_path / "x.json"
    path.write_text('["\\ud83d\\ude00 \\"q\\" \\u00e9 arXiv:2304.02643"]')
    (item,) = extract([str(path)])
    assert (item.occurrence.column, item.occurrence.text) == (
        29,
        '\U0001f600 "q" \u00e9 arXiv:2304.02643',
    )


def test_json_nested_too_deeply_is_read_as_text(tmp_path: Path) -> None:
    """JSON nested beyond the parser's limits is scanned as text, after a warning."""
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + '"arXiv:2304.02643"' + "]" * 100_000)
    warnings: list[str] = []
    (item,) = extract([str(path)], on_warning=warnings.append)
    assert (item.id, item.occurrence.column) == ("2304.02643", 100_002)
    assert warnings == [f"{path}: not valid JSON, read as plain text"]
