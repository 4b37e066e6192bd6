"""Tests for the append-only citation history beside a list."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from curator.errors import ListFormatError, WriteError
from curator.history import Observation, append, history_path, read

# Real identifiers from shared/reference/seed-papers.json; every count below is
# synthetic test data.
SAM = "2304.02643"
PATHOLOGY = "2304.04155"
MAY_1 = dt.date(2024, 5, 1)
MAY_8 = dt.date(2024, 5, 8)
HEADER = "date,id,citations,influential_citations\n"


def test_history_path() -> None:
    """The history of ``lists/NAME.toml`` is ``lists/NAME.history.csv``."""
    assert history_path(Path("lists/sam-medical.toml")) == Path("lists/sam-medical.history.csv")


def test_missing_file_is_empty(tmp_path: Path) -> None:
    """A list without a history has no observations."""
    assert read(tmp_path / "absent.history.csv") == {}


def test_first_append_writes_header_and_sorted_rows(tmp_path: Path) -> None:
    """The first append creates the file with its header and rows sorted by identifier."""
    path = tmp_path / "list.history.csv"
    appended = append(
        path,
        [Observation(SAM, MAY_1, 100, 10), Observation(PATHOLOGY, MAY_1, 20, None)],
    )
    assert appended == 2
    assert path.read_bytes() == (
        f"{HEADER}2024-05-01,{SAM},100,10\n2024-05-01,{PATHOLOGY},20,\n".encode()
    )


def test_read_back(tmp_path: Path) -> None:
    """Reading gives each paper's observations in file order, unknown influential as None."""
    path = tmp_path / "list.history.csv"
    append(path, [Observation(SAM, MAY_1, 100, 10), Observation(PATHOLOGY, MAY_1, 20)])
    append(path, [Observation(SAM, MAY_8, 130, 12)])
    assert read(path) == {
        SAM: (Observation(SAM, MAY_1, 100, 10), Observation(SAM, MAY_8, 130, 12)),
        PATHOLOGY: (Observation(PATHOLOGY, MAY_1, 20, None),),
    }


def test_append_keeps_existing_bytes(tmp_path: Path) -> None:
    """Appending leaves every existing byte as it was and only adds to the end."""
    path = tmp_path / "list.history.csv"
    append(path, [Observation(SAM, MAY_1, 100, 10), Observation(PATHOLOGY, MAY_1, 20, 1)])
    before = path.read_bytes()
    assert append(path, [Observation(SAM, MAY_8, 130, 12)]) == 1
    after = path.read_bytes()
    assert after[: len(before)] == before
    assert after[len(before) :] == f"2024-05-08,{SAM},130,12\n".encode()


def test_unchanged_counts_are_not_appended(tmp_path: Path) -> None:
    """A paper whose counts did not change since its last row gets no new row."""
    path = tmp_path / "list.history.csv"
    append(path, [Observation(SAM, MAY_1, 100, 10), Observation(PATHOLOGY, MAY_1, 20, 1)])
    before = path.read_bytes()
    appended = append(
        path, [Observation(SAM, MAY_8, 100, 10), Observation(PATHOLOGY, MAY_8, 21, 1)]
    )
    assert appended == 1
    assert path.read_bytes() == before + f"2024-05-08,{PATHOLOGY},21,1\n".encode()


def test_nothing_new_writes_nothing(tmp_path: Path) -> None:
    """When nothing changed, the file is not touched, nor created."""
    path = tmp_path / "list.history.csv"
    assert append(path, [Observation(SAM, MAY_1, None, None)]) == 0
    assert not path.exists()
    append(path, [Observation(SAM, MAY_1, 100, 10)])
    before = path.read_bytes()
    assert append(path, [Observation(SAM, MAY_8, 100, 10), Observation(SAM, MAY_8, None)]) == 0
    assert path.read_bytes() == before


def test_influential_change_alone_is_appended(tmp_path: Path) -> None:
    """A change of the influential count alone is a change; its becoming unknown is not."""
    path = tmp_path / "list.history.csv"
    append(path, [Observation(SAM, MAY_1, 100, None)])
    assert append(path, [Observation(SAM, MAY_8, 100, 11)]) == 1
    assert append(path, [Observation(SAM, dt.date(2024, 5, 9), 100, None)]) == 0
    assert read(path)[SAM][-1] == Observation(SAM, MAY_8, 100, 11)


def test_compaction_within_one_call(tmp_path: Path) -> None:
    """Repeated observations of one paper in a call are compacted against each other."""
    path = tmp_path / "list.history.csv"
    appended = append(
        path,
        [
            Observation(SAM, MAY_8, 130),
            Observation(SAM, MAY_1, 100),
            Observation(SAM, dt.date(2024, 5, 5), 100),
        ],
    )
    assert appended == 2
    assert path.read_text() == f"{HEADER}2024-05-01,{SAM},100,\n2024-05-08,{SAM},130,\n"


def test_given_history_is_used_for_compaction(tmp_path: Path) -> None:
    """A history the caller already read is compared against instead of reading the file."""
    path = tmp_path / "list.history.csv"
    known = {SAM: (Observation(SAM, MAY_1, 100, 10),)}
    assert append(path, [Observation(SAM, MAY_8, 100, 10)], history=known) == 0
    assert not path.exists()


def test_missing_final_newline_is_repaired(tmp_path: Path) -> None:
    """A last line saved without its newline is ended before new rows are added."""
    path = tmp_path / "list.history.csv"
    path.write_bytes(f"{HEADER}2024-05-01,{SAM},100,10".encode())
    append(path, [Observation(PATHOLOGY, MAY_8, 20, 1)])
    assert path.read_bytes() == (
        f"{HEADER}2024-05-01,{SAM},100,10\n2024-05-08,{PATHOLOGY},20,1\n".encode()
    )


def test_crlf_is_read(tmp_path: Path) -> None:
    """A history whose line endings were turned into CRLF still reads."""
    path = tmp_path / "list.history.csv"
    path.write_bytes(f"{HEADER}2024-05-01,{SAM},100,10\n".replace("\n", "\r\n").encode())
    assert read(path) == {SAM: (Observation(SAM, MAY_1, 100, 10),)}


def test_negative_count_is_refused(tmp_path: Path) -> None:
    """A negative count is a programming error and writes nothing."""
    path = tmp_path / "list.history.csv"
    with pytest.raises(ValueError, match="negative citation count"):
        append(path, [Observation(SAM, MAY_1, -1)])
    assert not path.exists()


def test_unwritable_history(tmp_path: Path) -> None:
    """A history that cannot be opened for appending is a write error naming the file."""
    path = tmp_path / "missing-dir" / "list.history.csv"
    with pytest.raises(WriteError) as raised:
        append(path, [Observation(SAM, MAY_1, 100)])
    assert str(raised.value) == (
        f"{path}: cannot append (No such file or directory); the history was not changed"
    )


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        (
            "date,id,citations\n",
            1,
            "the first line must be date,id,citations,influential_citations",
        ),
        (f"{HEADER}2024-05-01,{SAM},100\n", 2, "expected 4 fields, found 3"),
        (f"{HEADER}\n2024-13-01,{SAM},100,\n", 3, "invalid date '2024-13-01'"),
        (f"{HEADER}2024-05-01,,100,\n", 2, "the id is empty"),
        (f"{HEADER}2024-05-01,{SAM},-5,\n", 2, "citations must be a whole number, not '-5'"),
        (
            f"{HEADER}2024-05-01,{SAM},100,x\n",
            2,
            "influential_citations must be a whole number, not 'x'",
        ),
        (f'{HEADER}2024-05-01,"{SAM},100,\n', 2, "unexpected end of data"),
    ],
)
def test_malformed_line(tmp_path: Path, text: str, line: int, reason: str) -> None:
    """A malformed line is a list format error naming the file, the line and the fix."""
    path = tmp_path / "list.history.csv"
    path.write_text(text)
    with pytest.raises(ListFormatError) as raised:
        read(path)
    assert str(raised.value) == (
        f"{path}:{line}: {reason} (fix the line, or delete the file: only trends are lost)"
    )
    assert raised.value.line == line


def test_a_row_cut_short_is_ignored_and_cut_off_by_the_next_append(tmp_path: Path) -> None:
    """An append interrupted half way (kill -9) leaves a torn last row: reading skips it,
    and the next append replaces it, so the history keeps parsing."""
    path = tmp_path / "list.history.csv"
    whole = "date,id,citations,influential_citations\n2099-01-02,9901.00001,5,1\n"
    path.write_text(whole + "2099-01-03,9901.000", encoding="utf-8")  # SYNTHETIC ids

    assert read(path) == {"9901.00001": (Observation("9901.00001", dt.date(2099, 1, 2), 5, 1),)}
    append(path, [Observation("9901.00002", dt.date(2099, 1, 3), 7, None)])

    assert path.read_text(encoding="utf-8") == whole + "2099-01-03,9901.00002,7,\n"


def test_a_whole_last_row_without_newline_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "list.history.csv"
    text = "date,id,citations,influential_citations\n2099-01-02,9901.00001,5,1"
    path.write_text(text, encoding="utf-8")

    append(path, [Observation("9901.00002", dt.date(2099, 1, 3), 7, None)])

    assert path.read_text(encoding="utf-8") == text + "\n2099-01-03,9901.00002,7,\n"
