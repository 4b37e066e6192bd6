"""Tests of curator.store: loading, validating and editing TOML reading lists."""

from __future__ import annotations

import dataclasses
import datetime as dt
import errno
import os
import subprocess
import sys
import time
from pathlib import Path

import filelock
import pytest
import tomlkit
from facts import SEGMENT_ANYTHING_AUTHORS
from hypothesis import given, settings
from hypothesis import strategies as st

from curator import list_schema, list_text, store
from curator.errors import InputError, ListFormatError, ListLockedError, WriteError
from curator.models import Citations, Entry, Paper, ReadingList, Status

DATA = Path(__file__).parent / "data" / "store"

# Facts from ../shared/reference/seed-papers.json and recorded arXiv API answers.
SAM = Paper(
    id="2304.02643",
    title="Segment Anything",
    authors=SEGMENT_ANYTHING_AUTHORS,
    published=dt.date(2023, 4, 5),
    primary_category="cs.CV",
)
MEDSAM = Paper(
    id="2304.12306",
    title="Segment Anything in Medical Images",
    authors=("Jun Ma", "Yuting He", "Feifei Li", "Lin Han", "Chenyu You", "Bo Wang"),
    published=dt.date(2023, 4, 24),
    primary_category="eess.IV",
)
FUZZING = Paper(
    id="2005.14124",
    title="Active Fuzzing for Testing and Securing Cyber-Physical Systems",
    authors=("Yuqi Chen", "Bohan Xuan", "Christopher M. Poskitt", "Jun Sun", "Fan Zhang"),
    published=dt.date(2020, 5, 28),
    updated=dt.date(2020, 7, 16),
    primary_category="cs.SE",
    doi="10.1145/3395363.3397376",
    journal_ref=(
        "In Proc. ACM SIGSOFT International Symposium on Software Testing and Analysis "
        "(ISSTA 2020), pages 14-26. ACM, 2020"
    ),
)
TESTING_DL = Paper(
    id="2202.12139",
    title="Testing Deep Learning Models: A First Comparative Study of Multiple Testing Techniques",
    authors=("Mohit Kumar Ahuja", "Arnaud Gotlieb", "Helge Spieker"),
    published=dt.date(2022, 2, 24),
    updated=dt.date(2022, 2, 24),
    primary_category="cs.SE",
    doi="10.1109/ICSTW55395.2022.00035",
)
TODAY = dt.date(2026, 11, 26)


def write(directory: Path, text: str, name: str = "papers.toml") -> Path:
    """Write ``text`` to a list file in ``directory`` and return its path."""
    path = directory / name
    path.write_text(text, encoding="utf-8", newline="")
    return path


def entry_of(paper: Paper, **extra: object) -> Entry:
    """Return the resolved list entry made of ``paper`` and the user fields in ``extra``."""
    return Entry(
        id=paper.id,
        title=paper.title,
        authors=paper.authors,
        published=paper.published,
        updated=paper.updated,
        primary_category=paper.primary_category,
        doi=paper.doi,
        journal_ref=paper.journal_ref,
        **extra,  # type: ignore[arg-type]
    )


# The documented format


def test_documented_example_loads(tmp_path: Path) -> None:
    """The example list in the module documentation is a valid list."""
    assert store.__doc__ is not None
    example = store.__doc__.split("::\n\n")[1].split("\n\n``")[0]
    path = write(tmp_path, "\n".join(line[4:] for line in example.split("\n")) + "\n")

    loaded = store.load(path)

    assert [entry.title for entry in loaded.entries] == ["Segment Anything"]
    assert loaded.sections == ("Foundation models", "Medical imaging")


@pytest.mark.parametrize("key", [*list_schema.PAPER_KEYS, *list_schema.LIST_KEYS])
def test_every_key_is_documented(key: str) -> None:
    """Each key curator knows has a bullet in the module documentation."""
    assert store.__doc__ is not None
    assert f"``{key}``" in store.__doc__


# Loading


def test_load_reads_every_key() -> None:
    """A hand-written list loads into the models, multi-line strings and all."""
    loaded = store.load(DATA / "hand-edited.toml")

    assert loaded == ReadingList(
        name="hand-edited",
        title="Segment Anything for medical images",
        description="Papers from the example channel post, sorted by hand.",
        sections=("Foundation models", "Medical imaging"),
        entries=(
            Entry(
                id="2304.02643",
                title="Segment Anything",
                authors=("Alexander Kirillov", "Eric Mintun", "Nikhila Ravi"),
                section="Foundation models",
                tags=("model", "must-read"),
                note=(
                    "The model the rest of the list builds on.\n"
                    'id = "not-a-key"  (this line is inside a string)\n'
                ),
            ),
            Entry(
                id="2304.12306",
                added=TODAY,
                sources=("posts.txt:12:3",),
                status=Status.PENDING,
            ),
            Entry(
                id="2306.00499",
                title=(
                    "DeSAM: Decoupled Segment Anything Model for Generalizable "
                    "Medical Image Segmentation"
                ),
                versions=(1,),
                section="Medical imaging",
                note="a literal \\ backslash",
            ),
        ),
    )


def test_load_maps_every_key_to_its_entry_field(tmp_path: Path) -> None:
    """Each documented key of a [[paper]] table lands in the Entry field of the same name."""
    path = write(
        tmp_path,
        '[[paper]]\nid = "2005.14124"\nvenue = "ISSTA 2020"\n'
        'venue_doi = "10.1145/3395363.3397376"\nupdated = 2020-07-16\n'
        f'doi = "10.1145/3395363.3397376"\njournal_ref = "{FUZZING.journal_ref}"\n'
        'status = "unresolved"\n',
    )

    assert store.load(path).entries == (
        Entry(
            id="2005.14124",
            updated=dt.date(2020, 7, 16),
            doi="10.1145/3395363.3397376",
            journal_ref=FUZZING.journal_ref,
            venue="ISSTA 2020",
            venue_doi="10.1145/3395363.3397376",
            status=Status.UNRESOLVED,
        ),
    )


def test_load_empty_file_is_an_empty_list(tmp_path: Path) -> None:
    """An empty file is a valid list without title, sections or papers."""
    assert store.load(write(tmp_path, "")) == ReadingList(name="papers")


def test_load_accepts_resolved_status(tmp_path: Path) -> None:
    """A status written out as "resolved" means the same as no status."""
    path = write(tmp_path, '[[paper]]\nid = "2304.02643"\nstatus = "resolved"\n')

    assert store.load(path).entries == (Entry(id="2304.02643"),)


def test_load_missing_file(tmp_path: Path) -> None:
    """Loading a file that does not exist names it."""
    path = tmp_path / "absent.toml"

    with pytest.raises(InputError) as caught:
        store.load(path)

    assert str(caught.value) == f"{path}: no such reading list"


def test_load_unreadable_path(tmp_path: Path) -> None:
    """A path that cannot be read (here a directory) is an input error with the reason."""
    with pytest.raises(InputError) as caught:
        store.load(tmp_path)

    assert str(caught.value) == f"{tmp_path}: is a directory, not a file"


# Validation: every message is path:line:column: reason


@pytest.mark.parametrize(
    ("text", "where", "reason"),
    [
        (
            '[list]\ntitle = "a" "b"\n',
            "2:13",
            "invalid TOML: Unexpected character: '\"'",
        ),
        ("a = 1\na = 2\n", "2:1", 'invalid TOML: Key "a" already exists.'),
        (
            '[[paper]]\nid = "2304.02643"\nauthors = 5\n',
            "3:1",
            "authors must be an array of strings, not an integer",
        ),
        (
            '[[paper]]\nid = "2304.02643"\nauthors = ["Jun Ma", 5]\n',
            "3:1",
            "authors must be an array of strings, not an array holding other values",
        ),
        ("[[paper]]\nid = 12\n", "2:1", "id must be a string, not an integer"),
        (
            '[[paper]]\nid = "2304.02643"\n  tags = "x"\n',
            "3:3",
            "tags must be an array of strings, not a string",
        ),
        (
            '[[paper]]\nid = "2304.02643"\npublished = "yesterday"\n',
            "3:1",
            "published must be a date like 2023-04-05 (no quotes), not a string",
        ),
        (
            '[[paper]]\nid = "2304.02643"\nadded = 2026-11-26T10:00:00\n',
            "3:1",
            "added must be a date like 2023-04-05 (no quotes), not a date-time",
        ),
        (
            '[[paper]]\nid = "2304.02643"\nupdated = 10:00:00\n',
            "3:1",
            "updated must be a date like 2023-04-05 (no quotes), not a time",
        ),
        (
            '[[paper]]\nid = "2304.02643"\ntitle = ["Segment Anything"]\n',
            "3:1",
            "title must be a string, not an array",
        ),
        (
            '[[paper]]\nid = "2304.02643"\nnote = { text = "x" }\n',
            "3:1",
            "note must be a string, not a table",
        ),
        (
            '[[paper]]\nid = "2304.02643"\nsection = 1.5\n',
            "3:1",
            "section must be a string, not a float",
        ),
        (
            '[[paper]]\nid = "2304.02643"\nversions = [1, 0]\n',
            "3:1",
            "versions must be an array of version numbers (1, 2, ...); 0 is not one",
        ),
        (
            '[[paper]]\nid = "2304.02643"\nversions = ["v2"]\n',
            "3:1",
            "versions must be an array of version numbers (1, 2, ...); a string is not one",
        ),
        (
            '[[paper]]\nid = "2304.02643"\nversions = true\n',
            "3:1",
            "versions must be an array of version numbers (1, 2, ...), not a boolean",
        ),
        ('# one\n[[paper]]\nnote = "x"\n', "2:1", "[[paper]] table without id, doi or title"),
        (
            '[[paper]]\ndoi = "doi.org/10.1/x"\n',
            "2:1",
            'doi "doi.org/10.1/x" is not a DOI (10.NNNN/..., without https://doi.org/)',
        ),
        (
            '[[paper]]\ndoi = "10.48550/arXiv.2304.02643"\n',
            "2:1",
            'doi "10.48550/arXiv.2304.02643" is arXiv\'s DOI of a preprint; '
            'write id = "2304.02643" instead',
        ),
        (
            '[[paper]]\nid = "2304.02643v2"\n',
            "2:1",
            'id "2304.02643v2" is not in canonical form; write "2304.02643"',
        ),
        (
            '[[paper]]\nid = "math.GT/0309136"\n',
            "2:1",
            'id "math.GT/0309136" is not in canonical form; write "math/0309136"',
        ),
        (
            '[[paper]]\nid = "segment-anything"\n',
            "2:1",
            'id "segment-anything" is not an arXiv identifier',
        ),
        (
            '[[paper]]\nid = "2304.02643"\n\n[[paper]]\nid = "2304.12306"\n\n'
            '[[paper]]\nid = "2304.02643"\n',
            "8:1",
            'duplicate id "2304.02643" (first at line 2)',
        ),
        (
            '[[paper]]\nid = "2304.02643"\nstatus = "done"\n',
            "3:1",
            'status must be "pending" or "unresolved" (or left out when resolved), not "done"',
        ),
        (
            '[[paper]]\nid = "2304.02643"\nstatus = 1\n',
            "3:1",
            'status must be "pending" or "unresolved" (or left out when resolved), not an integer',
        ),
        (
            'paper = [{ id = "2304.02643" }]\n',
            "1:1",
            "paper must be written as [[paper]] tables, not as an array",
        ),
        (
            '[paper]\nid = "2304.02643"\n',
            "1:1",
            "paper must be written as [[paper]] tables, not as a table",
        ),
        ('list = "mine"\n', "1:1", "list must be a table, not a string"),
        ("[[list]]\n", "1:1", "list must be a table, not an array"),
        (
            '[list]\ntitle = "x"\nsections = "Medical imaging"\n',
            "3:1",
            "sections must be an array of strings, not a string",
        ),
        ("[list]\ndescription = 3\n", "2:1", "description must be a string, not an integer"),
        ("[list]\ntitle = 2023-04-05\n", "2:1", "title must be a string, not a date"),
    ],
)
def test_load_rejects_malformed_list(tmp_path: Path, text: str, where: str, reason: str) -> None:
    """Each kind of mistake is reported at its line and column with the reason."""
    path = write(tmp_path, text)

    with pytest.raises(ListFormatError) as caught:
        store.load(path)

    assert str(caught.value) == f"{path}:{where}: {reason}"
    assert caught.value.exit_code == 2


def test_error_lines_skip_look_alikes_in_strings_and_arrays(tmp_path: Path) -> None:
    """Keys inside multi-line strings, nested arrays and quoted text do not mislead the line."""
    path = write(
        tmp_path,
        '[[paper]]\nid = "2304.02643"\n\n[[paper]]\nnote = """\nid = "fake"\n\\"""\n'
        '[[paper]]\n"""\nmatrix = [\n  [1, 2],\n  [3],\n]\n'
        "quote = 'a # [b' # c [d\n"
        'escaped = "a \\" [ \\\\"\n'
        'quoted = """a "quoted" [word]""""\n'
        'id = "2304.02643"\n',
    )

    with pytest.raises(ListFormatError) as caught:
        store.load(path)

    assert str(caught.value) == f'{path}:17:1: duplicate id "2304.02643" (first at line 2)'


def test_error_without_a_place_has_no_line(tmp_path: Path) -> None:
    """A mistake in a table written only as dotted keys is reported without a line."""
    path = write(tmp_path, "list.title = 5\n")

    with pytest.raises(ListFormatError) as caught:
        store.load(path)

    assert str(caught.value) == f"{path}: title must be a string, not an integer"


def test_error_line_after_a_broken_string() -> None:
    """The key scanner survives an unterminated string on an earlier line."""
    text = '[[paper]]\ntitle = "unterminated\nauthors = 5\n'

    error = list_schema.format_error(Path("papers.toml"), text, "bad", 0, "authors")

    assert str(error) == "papers.toml:3:1: bad"


def test_error_line_of_a_quoted_key(tmp_path: Path) -> None:
    """A key written in quotes is still found."""
    path = write(tmp_path, '[[paper]]\nid = "2304.02643"\n"authors" = 5\n')

    with pytest.raises(ListFormatError) as caught:
        store.load(path)

    assert (caught.value.line, caught.value.column) == (3, 1)


def test_error_without_findable_key_points_at_the_table(tmp_path: Path) -> None:
    """A key the scanner cannot place (a dotted key) is reported at its table's header."""
    path = write(tmp_path, '[list]\ntitle = "x"\n\n[[paper]]\nid = "2304.02643"\ntags.x = 1\n')

    with pytest.raises(ListFormatError) as caught:
        store.load(path)

    assert str(caught.value) == f"{path}:4:1: tags must be an array of strings, not a table"


def test_load_rejects_text_that_is_not_utf8(tmp_path: Path) -> None:
    """A Latin-1 byte is reported at its line and byte column."""
    path = tmp_path / "papers.toml"
    path.write_bytes(b'[list]\ntitle = "caf\xe9"\n')

    with pytest.raises(ListFormatError) as caught:
        store.load(path)

    assert str(caught.value) == f"{path}:2:13: not UTF-8 text (byte 0xe9); save the file as UTF-8"


def test_load_rejects_byte_order_mark(tmp_path: Path) -> None:
    """A UTF-8 byte order mark is named, with the fix."""
    path = tmp_path / "papers.toml"
    path.write_bytes(b'\xef\xbb\xbf[list]\ntitle = "x"\n')

    with pytest.raises(ListFormatError) as caught:
        store.load(path)

    assert str(caught.value) == (
        f"{path}:1: starts with a byte order mark; save the file as UTF-8 without BOM"
    )


def test_editing_never_overwrites_a_malformed_file(tmp_path: Path) -> None:
    """editing() raises before its block runs and leaves a malformed file as it was."""
    text = '[[paper]]\nid = "2304.02643"\nauthors = 5\n'
    path = write(tmp_path, text)
    ran = False

    with pytest.raises(ListFormatError), store.editing(path):
        ran = True

    assert not ran
    assert path.read_text(encoding="utf-8") == text


def test_editing_refuses_split_paper_tables(tmp_path: Path) -> None:
    """A list whose [[paper]] tables are split by another table loads but cannot be edited."""
    text = '[[paper]]\nid = "2304.02643"\n\n[list]\ntitle = "x"\n\n[[paper]]\nid = "2304.12306"\n'
    path = write(tmp_path, text)

    assert [entry.id for entry in store.load(path).entries] == ["2304.02643", "2304.12306"]
    with pytest.raises(ListFormatError) as caught, store.editing(path):
        pass
    assert str(caught.value) == (
        f"{path}:4: curator cannot edit this file without moving the text from here on; "
        "keep all [[paper]] tables together, with no other table between them"
    )
    assert path.read_text(encoding="utf-8") == text


# Byte-for-byte preservation


def test_machine_edits_keep_every_other_byte(tmp_path: Path) -> None:
    """update, record_sightings, set_status and add change only machine-owned values."""
    path = tmp_path / "hand-edited.toml"
    path.write_bytes((DATA / "hand-edited.toml").read_bytes())

    with store.editing(path) as editor:
        assert editor.update(SAM)
        assert editor.update(MEDSAM)
        assert editor.record_sightings("2306.00499", sources=["posts.txt:30:1"], versions=[2, 1])
        assert not editor.set_status("2304.02643", Status.RESOLVED)
        editor.add(
            Entry(
                id="2305.03678",
                section="Medical imaging",
                added=TODAY,
                sources=("posts.txt:41:7",),
                versions=(2,),
                status=Status.PENDING,
            )
        )
        assert not editor.set_list_info(
            title="Segment Anything for medical images", description=None
        )

    assert path.read_bytes() == (DATA / "hand-edited.expected.toml").read_bytes()


@given(
    title=st.text(st.characters(codec="utf-8"), min_size=1),
    authors=st.lists(st.text(st.characters(codec="utf-8"), min_size=1), min_size=1, max_size=5),
    doi=st.none() | st.text(st.characters(codec="utf-8"), min_size=1),
)
def test_any_update_keeps_every_line_people_own(
    title: str, authors: list[str], doi: str | None
) -> None:
    """Whatever arXiv answers, every line without a machine-owned value stays, in order."""
    original = (DATA / "hand-edited.toml").read_text(encoding="utf-8")
    editor = store.ListEditor(DATA / "hand-edited.toml", original)
    for identifier in editor.ids():
        editor.update(Paper(id=identifier, title=title, authors=tuple(authors), doi=doi))

    machine_lines = ("title", "authors", "status", "doi", '"Nikhila Ravi"]')
    kept = [line for line in original.split("\n") if not line.lstrip().startswith(machine_lines)]
    remaining = iter(editor.text.split("\n"))
    assert all(line in remaining for line in kept)


def test_unchanged_round_trip_is_identical(tmp_path: Path) -> None:
    """Opening and closing a list without changes leaves its bytes and mtime alone."""
    path = tmp_path / "hand-edited.toml"
    path.write_bytes((DATA / "hand-edited.toml").read_bytes())
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))

    with store.editing(path) as editor:
        assert editor.text == (DATA / "hand-edited.toml").read_text(encoding="utf-8")
        assert not editor.save()

    assert path.read_bytes() == (DATA / "hand-edited.toml").read_bytes()
    assert path.stat().st_mtime_ns == 1_000_000_000


def test_second_identical_update_changes_nothing(tmp_path: Path) -> None:
    """Updating with the same Paper twice changes nothing the second time."""
    path = write(tmp_path, '[[paper]]\nid = "2005.14124"\nstatus = "pending"\n')

    with store.editing(path) as editor:
        assert editor.update(FUZZING)
        assert editor.save()
        assert not editor.update(FUZZING)
        assert not editor.save()


def test_update_writes_keys_in_documented_order(tmp_path: Path) -> None:
    """A pending entry gains arXiv's metadata between its id and its user keys."""
    path = write(
        tmp_path,
        '[[paper]]\nid = "2005.14124"\nsection = "Fuzzing"  # mine\nadded = 2026-11-26\n'
        'status = "pending"\n',
    )

    with store.editing(path) as editor:
        editor.update(FUZZING)

    assert path.read_text(encoding="utf-8") == (
        "[[paper]]\n"
        'id = "2005.14124"\n'
        'title = "Active Fuzzing for Testing and Securing Cyber-Physical Systems"\n'
        "authors = [\n"
        '    "Yuqi Chen",\n'
        '    "Bohan Xuan",\n'
        '    "Christopher M. Poskitt",\n'
        '    "Jun Sun",\n'
        '    "Fan Zhang",\n'
        "]\n"
        "published = 2020-05-28\n"
        "updated = 2020-07-16\n"
        'primary_category = "cs.SE"\n'
        'doi = "10.1145/3395363.3397376"\n'
        'journal_ref = "In Proc. ACM SIGSOFT International Symposium on Software Testing and '
        'Analysis (ISSTA 2020), pages 14-26. ACM, 2020"\n'
        'section = "Fuzzing"  # mine\n'
        "added = 2026-11-26\n"
    )


def test_update_replaces_a_changed_value_keeping_its_comment(tmp_path: Path) -> None:
    """A newer date replaces the stored one in place; its comment and neighbours stay."""
    path = write(
        tmp_path,
        '[[paper]]\nid = "2005.14124"\npublished = 2020-05-28\n'
        "updated   =   2020-05-28   # first version only\nnote = 'keep'\n",
    )

    with store.editing(path) as editor:
        editor.update(Paper(id="2005.14124", title="", updated=dt.date(2020, 7, 16)))

    assert path.read_text(encoding="utf-8") == (
        '[[paper]]\nid = "2005.14124"\npublished = 2020-05-28\n'
        "updated   =   2020-07-16   # first version only\nnote = 'keep'\n"
    )


def test_update_keeps_values_arxiv_no_longer_gives(tmp_path: Path) -> None:
    """A DOI, journal reference or author list missing from arXiv's answer stays stored."""
    path = tmp_path / "papers.toml"
    with store.editing(path, create=True) as editor:
        editor.add(entry_of(FUZZING))
    before = path.read_bytes()

    with store.editing(path) as editor:
        changed = editor.update(
            Paper(id=FUZZING.id, title=FUZZING.title, published=FUZZING.published)
        )

    assert not changed
    assert path.read_bytes() == before


def test_update_clears_status(tmp_path: Path) -> None:
    """A resolved paper loses its pending status, and the line with it."""
    path = write(
        tmp_path,
        '[[paper]]\nid = "2202.12139"\nstatus = "unresolved"  # arXiv did not know it\n',
    )

    with store.editing(path) as editor:
        editor.update(TESTING_DL)
        assert editor.reading_list.entries[0].status is Status.RESOLVED


def test_update_unknown_id(tmp_path: Path) -> None:
    """Updating a paper that is not in the list is a KeyError naming it."""
    path = write(tmp_path, "")

    with pytest.raises(KeyError, match=r"^'2304\.02643 is not in"), store.editing(path) as editor:
        editor.update(SAM)


def test_set_status(tmp_path: Path) -> None:
    """set_status writes pending or unresolved, drops the key when resolved, tells if it changed."""
    path = write(tmp_path, '[[paper]]\nid = "2304.02643"\nnote = "x"\n')

    with store.editing(path, create=True) as editor:
        assert editor.set_status("2304.02643", Status.PENDING)
        assert not editor.set_status("2304.02643", Status.PENDING)
        assert editor.text == '[[paper]]\nid = "2304.02643"\nnote = "x"\nstatus = "pending"\n'
        assert editor.set_status("2304.02643", Status.UNRESOLVED)
        assert editor.text == '[[paper]]\nid = "2304.02643"\nnote = "x"\nstatus = "unresolved"\n'
        assert editor.set_status("2304.02643", Status.RESOLVED)
        assert not editor.set_status("2304.02643", Status.RESOLVED)
        assert editor.text == '[[paper]]\nid = "2304.02643"\nnote = "x"\n'


def test_record_sightings_merges_and_dedupes(tmp_path: Path) -> None:
    """New sources are appended in order without repeats; versions stay sorted and unique."""
    path = write(
        tmp_path,
        '[[paper]]\nid = "2304.02643"\nversions = [2]\nsources = ["b.md:3:1", "a.md:9:2"]\n',
    )

    with store.editing(path) as editor:
        changed = editor.record_sightings(
            "2304.02643",
            sources=["a.md:9:2", "c.txt:1:1", "b.md:3:1", "c.txt:1:1"],
            versions=[3, 1, 2, 3],
        )

    assert changed
    assert path.read_text(encoding="utf-8") == (
        '[[paper]]\nid = "2304.02643"\nversions = [1, 2, 3]\n'
        'sources = ["b.md:3:1", "a.md:9:2", "c.txt:1:1"]\n'
    )


def test_record_sightings_without_news_changes_nothing(tmp_path: Path) -> None:
    """Sightings already recorded leave the table, even an unsorted one, untouched."""
    text = '[[paper]]\nid = "2304.02643"\nversions = [3, 1]\nsources = ["b.md:3:1"]\n'
    path = write(tmp_path, text)

    with store.editing(path) as editor:
        assert not editor.record_sightings("2304.02643", sources=["b.md:3:1"], versions=[1])
        assert not editor.record_sightings("2304.02643", sources=[], versions=[])

    assert path.read_text(encoding="utf-8") == text


def test_record_sightings_adds_missing_keys(tmp_path: Path) -> None:
    """An entry without sightings gains versions and sources at their documented places."""
    path = write(tmp_path, '[[paper]]\n  id = "2304.02643"\n  section = "Foundation models"\n')

    with store.editing(path) as editor:
        editor.record_sightings("2304.02643", sources=["posts.txt:97:1"], versions=[1])

    assert path.read_text(encoding="utf-8") == (
        '[[paper]]\n  id = "2304.02643"\n  versions = [1]\n  section = "Foundation models"\n'
        '  sources = ["posts.txt:97:1"]\n'
    )


# New tables


def test_new_list_is_formatted_for_people_and_git(tmp_path: Path) -> None:
    """A new list has one key per line, keys in order and a blank line between papers."""
    path = tmp_path / "testing.toml"

    with store.editing(path, create=True) as editor:
        assert editor.set_list_info(title="Software testing", description="Recorded answers.")
        editor.add(
            entry_of(
                FUZZING,
                versions=(2,),
                section="Fuzzing",
                tags=("cps", "security"),
                note='Says "active".',
                added=TODAY,
                sources=("posts.txt:4:10", "posts.txt:8:1"),
            )
        )
        editor.add(entry_of(TESTING_DL, added=TODAY))
        editor.add(Entry(id="2304.02643", added=TODAY, status=Status.PENDING))

    assert path.read_text(encoding="utf-8") == (
        "[list]\n"
        'title = "Software testing"\n'
        'description = "Recorded answers."\n'
        "\n"
        "[[paper]]\n"
        'id = "2005.14124"\n'
        'title = "Active Fuzzing for Testing and Securing Cyber-Physical Systems"\n'
        "authors = [\n"
        '    "Yuqi Chen",\n'
        '    "Bohan Xuan",\n'
        '    "Christopher M. Poskitt",\n'
        '    "Jun Sun",\n'
        '    "Fan Zhang",\n'
        "]\n"
        "published = 2020-05-28\n"
        "updated = 2020-07-16\n"
        'primary_category = "cs.SE"\n'
        'doi = "10.1145/3395363.3397376"\n'
        'journal_ref = "In Proc. ACM SIGSOFT International Symposium on Software Testing and '
        'Analysis (ISSTA 2020), pages 14-26. ACM, 2020"\n'
        "versions = [2]\n"
        'section = "Fuzzing"\n'
        'tags = ["cps", "security"]\n'
        'note = "Says \\"active\\"."\n'
        "added = 2026-11-26\n"
        'sources = ["posts.txt:4:10", "posts.txt:8:1"]\n'
        "\n"
        "[[paper]]\n"
        'id = "2202.12139"\n'
        'title = "Testing Deep Learning Models: A First Comparative Study of Multiple Testing '
        'Techniques"\n'
        'authors = ["Mohit Kumar Ahuja", "Arnaud Gotlieb", "Helge Spieker"]\n'
        "published = 2022-02-24\n"
        "updated = 2022-02-24\n"
        'primary_category = "cs.SE"\n'
        'doi = "10.1109/ICSTW55395.2022.00035"\n'
        "added = 2026-11-26\n"
        "\n"
        "[[paper]]\n"
        'id = "2304.02643"\n'
        "added = 2026-11-26\n"
        'status = "pending"\n'
    )


def test_three_items_too_long_for_one_line_go_one_per_line() -> None:
    """Three items whose one-line array would take 101 characters are written one per line."""
    editor = store.ListEditor(Path("papers.toml"), "")
    sources = (
        "channel-export/2023/april/posts.txt:1200:14",
        "notes/reading-list.md:88:3",
        "x.md:10:12",
    )

    editor.add(Entry(id="2304.02643", sources=sources))

    assert editor.text == (
        '[[paper]]\nid = "2304.02643"\nsources = [\n'
        '    "channel-export/2023/april/posts.txt:1200:14",\n'
        '    "notes/reading-list.md:88:3",\n'
        '    "x.md:10:12",\n'
        "]\n"
    )


def test_three_items_that_fit_stay_on_one_line() -> None:
    """Three items whose one-line array takes exactly 100 characters stay on one line."""
    editor = store.ListEditor(Path("papers.toml"), "")
    sources = (
        "channel-export/2023/april/posts.txt:1200:14",
        "notes/reading-list.md:88:3",
        "x.md:10:1",
    )

    editor.add(Entry(id="2304.02643", sources=sources))

    line = (
        'sources = ["channel-export/2023/april/posts.txt:1200:14", '
        '"notes/reading-list.md:88:3", "x.md:10:1"]'
    )
    assert len(line) == 100
    assert editor.text == f'[[paper]]\nid = "2304.02643"\n{line}\n'


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("", '[[paper]]\nid = "2304.12306"\n'),
        ("# my list\n", '# my list\n\n[[paper]]\nid = "2304.12306"\n'),
        ('[list]\ntitle = "x"', '[list]\ntitle = "x"\n\n[[paper]]\nid = "2304.12306"\n'),
        (
            '[[paper]]\nid = "2304.02643"',
            '[[paper]]\nid = "2304.02643"\n\n[[paper]]\nid = "2304.12306"\n',
        ),
        (
            '[[paper]]\nid = "2304.02643"\n\n\n',
            '[[paper]]\nid = "2304.02643"\n\n\n[[paper]]\nid = "2304.12306"\n',
        ),
        (
            '[[paper]]\nid = "2304.02643"\n[extra]\nx = 1\n',
            '[[paper]]\nid = "2304.02643"\n\n[[paper]]\nid = "2304.12306"\n\n[extra]\nx = 1\n',
        ),
    ],
)
def test_add_separates_tables_by_one_blank_line(before: str, after: str) -> None:
    """A new table is set off by a blank line whatever the file ended with."""
    editor = store.ListEditor(Path("papers.toml"), before)

    editor.add(Entry(id="2304.12306"))

    assert editor.text == after


def test_windows_line_ends_are_followed() -> None:
    """Lines added to a file whose lines all end in CRLF end in CRLF too."""
    editor = store.ListEditor(Path("papers.toml"), '[list]\r\ntitle = "x"\r\n')

    editor.add(Entry(id=MEDSAM.id, authors=MEDSAM.authors))

    assert editor.text == (
        '[list]\r\ntitle = "x"\r\n\r\n[[paper]]\r\nid = "2304.12306"\r\nauthors = [\r\n'
        '    "Jun Ma",\r\n    "Yuting He",\r\n    "Feifei Li",\r\n    "Lin Han",\r\n'
        '    "Chenyu You",\r\n    "Bo Wang",\r\n]\r\n'
    )


def test_add_rejects_duplicates_and_non_canonical_ids(tmp_path: Path) -> None:
    """Adding an id twice, or a versioned id, is a programming error."""
    editor = store.ListEditor(tmp_path / "papers.toml", '[[paper]]\nid = "2304.02643"\n')

    with pytest.raises(ValueError, match=r"^2304\.02643 is already in "):
        editor.add(Entry(id="2304.02643"))
    with pytest.raises(ValueError, match=r"^'2304\.12306v2' is not a canonical arXiv identifier$"):
        editor.add(Entry(id="2304.12306v2"))


@given(
    title=st.text(st.characters(codec="utf-8"), min_size=1),
    authors=st.lists(st.text(st.characters(codec="utf-8")), max_size=6),
)
def test_any_text_survives_a_round_trip(title: str, authors: list[str]) -> None:
    """Any title and author names, once written, read back unchanged from clean lines."""
    editor = store.ListEditor(Path("papers.toml"), "")
    editor.add(Entry(id="2304.02643", title=title, authors=tuple(authors)))

    reread = store.ListEditor(Path("papers.toml"), editor.text).reading_list

    assert reread.entries[0].title == title
    assert reread.entries[0].authors == tuple(authors)
    assert all(line == line.rstrip() for line in editor.text.split("\n"))
    assert editor.text.endswith("\n")


def test_titles_with_markup_characters_are_escaped_exactly() -> None:
    """Quotes, backslashes, pipes, dollars, tabs and non-ASCII text are written as TOML escapes."""
    editor = store.ListEditor(Path("papers.toml"), "")
    placeholder = 'Placeholder, not a real title: "SAM" | $x^2$ \\ naïve\tend\n'

    editor.add(Entry(id="2304.02643", title=placeholder))

    assert editor.text == (
        '[[paper]]\nid = "2304.02643"\n'
        'title = "Placeholder, not a real title: \\"SAM\\" | $x^2$ \\\\ naïve\\tend\\n"\n'
    )


# List information


def test_set_list_info_adds_missing_keys_in_order() -> None:
    """A description goes right after the title, before the comments that follow."""
    editor = store.ListEditor(
        Path("papers.toml"),
        '# mine\n[list]\ntitle = "SAM"  # kept\n\n# Papers\n[[paper]]\nid = "2304.02643"\n',
    )

    assert editor.set_list_info(title="SAM in medicine", description="Adaptations of SAM.")

    assert editor.text == (
        '# mine\n[list]\ntitle = "SAM in medicine"  # kept\ndescription = "Adaptations of SAM."\n'
        '\n# Papers\n[[paper]]\nid = "2304.02643"\n'
    )


def test_set_list_info_puts_a_new_list_table_first() -> None:
    """A [list] table added to a list of papers goes before the first paper."""
    editor = store.ListEditor(Path("papers.toml"), '# mine\n[[paper]]\nid = "2304.02643"\n')

    assert editor.set_list_info(title="SAM", description=None)

    assert editor.text == '# mine\n[list]\ntitle = "SAM"\n\n[[paper]]\nid = "2304.02643"\n'


def test_set_list_info_in_an_inline_or_empty_table() -> None:
    """Titles go first into an empty table and inside the braces of an inline one."""
    empty = store.ListEditor(Path("a.toml"), "[list]\n")
    inline = store.ListEditor(Path("b.toml"), 'list = { description = "x" }\n')

    assert empty.set_list_info(title="SAM", description=None)
    assert inline.set_list_info(title="SAM", description="x")

    assert empty.text == '[list]\ntitle = "SAM"\n'
    assert inline.text == 'list = {title = "SAM", description = "x" }\n'


def test_set_list_info_gives_a_header_to_an_implicit_list_table() -> None:
    """A [list] known only from [list.extra] gets its own header for the new title."""
    editor = store.ListEditor(Path("papers.toml"), "[list.extra]\nbadge = true\n")

    assert editor.set_list_info(title="SAM", description=None)

    assert editor.text == '[list]\ntitle = "SAM"\n[list.extra]\nbadge = true\n'


def test_set_list_info_without_values_changes_nothing() -> None:
    """Passing no title and no description neither creates nor changes a [list] table."""
    editor = store.ListEditor(Path("papers.toml"), "")

    assert not editor.set_list_info(title=None, description=None)
    assert editor.text == ""


# The editing session


def test_reading_list_and_ids_show_unsaved_changes(tmp_path: Path) -> None:
    """The editor's model and ids include changes not yet written."""
    path = write(tmp_path, '[list]\ntitle = "SAM"\n')

    with store.editing(path) as editor:
        editor.add(Entry(id="2304.02643", added=TODAY))
        assert editor.ids() == {"2304.02643"}
        assert editor.reading_list == ReadingList(
            name="papers", title="SAM", entries=(Entry(id="2304.02643", added=TODAY),)
        )
        assert store.load(path).entries == ()


def test_editing_missing_file_without_create(tmp_path: Path) -> None:
    """Editing a list that does not exist, without create, names it and creates nothing."""
    path = tmp_path / "absent.toml"

    with pytest.raises(InputError) as caught, store.editing(path):
        pass

    assert str(caught.value) == f"{path}: no such reading list"
    assert list(tmp_path.iterdir()) == []


def test_editing_with_create_writes_only_when_something_was_added(tmp_path: Path) -> None:
    """A new list that stays empty is not written."""
    path = tmp_path / "new.toml"

    with store.editing(path, create=True) as editor:
        assert editor.reading_list == ReadingList(name="new")

    assert not path.exists()


def test_editing_with_create_makes_missing_directories(tmp_path: Path) -> None:
    """A new list in a directory that does not exist yet is written with its directory."""
    path = tmp_path / "lists" / "new.toml"

    with store.editing(path, create=True) as editor:
        editor.add(Entry(id="2304.02643"))

    assert path.read_text(encoding="utf-8") == '[[paper]]\nid = "2304.02643"\n'


def test_exception_keeps_saved_work_only(tmp_path: Path) -> None:
    """An error inside the block keeps what save() wrote and drops later changes."""
    path = write(tmp_path, '[[paper]]\nid = "2304.02643"\n\n[[paper]]\nid = "2304.12306"\n')

    with pytest.raises(RuntimeError, match="stop"), store.editing(path) as editor:
        editor.set_status("2304.02643", Status.PENDING)
        assert editor.save()
        editor.set_status("2304.12306", Status.UNRESOLVED)
        raise RuntimeError("stop")

    assert path.read_text(encoding="utf-8") == (
        '[[paper]]\nid = "2304.02643"\nstatus = "pending"\n\n[[paper]]\nid = "2304.12306"\n'
    )


def test_editing_keeps_file_mode(tmp_path: Path) -> None:
    """A rewritten list keeps its permission bits."""
    path = write(tmp_path, '[[paper]]\nid = "2304.02643"\n')
    path.chmod(0o640)

    with store.editing(path) as editor:
        editor.set_status("2304.02643", Status.PENDING)

    assert path.stat().st_mode & 0o777 == 0o640


def test_editing_through_a_symlink_changes_its_target(tmp_path: Path) -> None:
    """A list reached through a symbolic link is changed where it lives; the link stays."""
    target = write(tmp_path, '[[paper]]\nid = "2304.02643"\n', name="real.toml")
    link = tmp_path / "link.toml"
    link.symlink_to(target)

    with store.editing(link) as editor:
        editor.set_status("2304.02643", Status.PENDING)

    assert link.is_symlink()
    assert (
        target.read_text(encoding="utf-8") == '[[paper]]\nid = "2304.02643"\nstatus = "pending"\n'
    )


def test_lock_file_sits_next_to_the_list_and_is_hidden() -> None:
    """The lock of lists/sam.toml is lists/.sam.toml.lock."""
    assert store.lock_file(Path("lists/sam.toml")) == Path("lists/.sam.toml.lock")


def test_lock_that_cannot_be_created(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A lock file that cannot be created is a WriteError naming it."""
    path = write(tmp_path, "")

    class Unlockable:
        def __init__(self, lock_file: Path, timeout: float) -> None:
            pass

        def acquire(self) -> None:
            raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(filelock, "FileLock", Unlockable)

    with pytest.raises(WriteError) as caught, store.editing(path):
        pass

    assert str(caught.value) == (
        f"{path}: cannot create the lock file {tmp_path / '.papers.toml.lock'} "
        "(Permission denied); the file was not changed"
    )


@pytest.mark.parametrize("failing", ["replace", "fsync"])
def test_failed_write_leaves_the_original(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    """A failing write raises WriteError, keeps the old bytes and leaves no temporary file."""
    text = '[[paper]]\nid = "2304.02643"\n'
    path = write(tmp_path, text)

    def fail(*args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    with store.editing(path) as editor:
        editor.set_status("2304.02643", Status.PENDING)
        monkeypatch.setattr(os, failing, fail)
        with pytest.raises(WriteError) as caught:
            editor.save()
        monkeypatch.undo()
        assert path.read_text(encoding="utf-8") == text
        leftovers = {p.name for p in tmp_path.iterdir()} - {"papers.toml", ".papers.toml.lock"}
        assert leftovers == set()

    assert str(caught.value) == (
        f"{path}: cannot write (No space left on device); the file was not changed"
    )


def test_failed_write_at_exit_leaves_the_original(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The write at the end of the block fails the same way, and the lock is released."""
    text = '[[paper]]\nid = "2304.02643"\n'
    path = write(tmp_path, text)

    def fail(*args: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    with pytest.raises(WriteError), store.editing(path) as editor:
        editor.set_status("2304.02643", Status.PENDING)
        monkeypatch.setattr(os, "replace", fail)
    monkeypatch.undo()

    assert path.read_text(encoding="utf-8") == text
    with store.editing(path, lock_timeout=0) as editor:
        assert editor.text == text


# Two processes

HOLD_LOCK = """
import sys
from pathlib import Path
from curator import store
from curator.models import Entry

print("started", flush=True)
with store.editing(Path(sys.argv[1]), create=True) as editor:
    editor.add(Entry(id=sys.argv[2]))
    print("locked", flush=True)
    sys.stdin.readline()
"""


def start(path: Path, identifier: str) -> subprocess.Popen[str]:
    """Start a process that adds ``identifier`` to ``path``; it holds the lock until told."""
    process = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(path), identifier],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    assert process.stdout.readline() == "started\n"
    return process


def test_second_process_waits_instead_of_losing_an_update(tmp_path: Path) -> None:
    """While one process edits a list, another waits for it and then adds to its result."""
    path = tmp_path / "papers.toml"
    first = start(path, "2304.02643")
    assert first.stdout is not None
    assert first.stdout.readline() == "locked\n"
    second = start(path, "2304.12306")
    time.sleep(0.5)
    assert second.poll() is None  # still waiting for the lock

    first_output = first.communicate("\n", timeout=30)[0]
    second_output = second.communicate("\n", timeout=30)[0]

    assert (first.returncode, first_output) == (0, "")
    assert (second.returncode, second_output) == (0, "locked\n")
    assert [entry.id for entry in store.load(path).entries] == ["2304.02643", "2304.12306"]


def test_lock_timeout_reports_the_busy_list(tmp_path: Path) -> None:
    """Waiting longer than lock_timeout for another process is a ListLockedError."""
    path = tmp_path / "papers.toml"
    holder = start(path, "2304.02643")
    assert holder.stdout is not None
    assert holder.stdout.readline() == "locked\n"
    try:
        with (
            pytest.raises(ListLockedError) as caught,
            store.editing(path, create=True, lock_timeout=0.2),
        ):
            pass
    finally:
        holder.communicate("\n", timeout=30)

    assert str(caught.value) == (
        f"{path} is being changed by another curator process; try again when it finishes"
    )


# The plain layout: read with regular expressions and edited in place, exactly like tomlkit

_NEWLINE = st.sampled_from(["\n", "\r\n"])
_GAP = st.sampled_from(["", " ", "   ", "\t"])
_TRAIL = st.sampled_from(["", " ", "  # a note", " #", '\t# it\'s [1, 2] = "x"'])
_ANY_TEXT = st.text(st.characters(codec="utf-8"), max_size=12)
_LITERAL_TEXT = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cc",), exclude_characters="'"), max_size=12
)
_STRING = (
    _ANY_TEXT.map(lambda text: list_text.format_value("note", text))
    | _LITERAL_TEXT.map(lambda text: f"'{text}'")
    | st.sampled_from(['"\\u00e9t\\u00C9"', '"\\U0001F600 \\"q\\" \\\\"', '"a\\tb\\nc"', '""'])
)
_COUNT = st.integers(0, 10**9).map(str)
_INTEGER = _COUNT | st.integers(-(10**9), 10**9).map(str) | st.just("+7")
_DATE = st.dates().map(dt.date.isoformat)
_BOOLEAN = st.sampled_from(["true", "false"])
_SCALARS = {"string": _STRING, "count": _COUNT, "date": _DATE, "boolean": _BOOLEAN}
_PAPER_KINDS = {
    "title": "string",
    "authors": "strings",
    "published": "date",
    "updated": "date",
    "primary_category": "string",
    "doi": "string",
    "journal_ref": "string",
    "venue": "string",
    "venue_doi": "string",
    "venue_year": "count",
    "latest_version": "count",
    "withdrawn": "boolean",
    "citations": "count",
    "influential_citations": "count",
    "s2_id": "string",
    "versions": "versions",
    "section": "string",
    "tags": "strings",
    "note": "string",
    "added": "date",
    "sources": "strings",
    "rating": "count",  # a key of the user's own
}


@st.composite
def _array(draw: st.DrawFn, items: st.SearchStrategy[str], newline: str) -> str:
    """Draw an array of ``items`` written on one line or one item a line, spaced in any way."""
    values = draw(st.lists(items, max_size=5))
    if draw(st.booleans()):
        comma = "," if values and draw(st.booleans()) else ""
        separator = draw(st.sampled_from([",", ", ", " ,  "]))
        return f"[{draw(_GAP)}{separator.join(values)}{comma}{draw(_GAP)}]"
    lines = [f"[{draw(_TRAIL)}"]
    for number, value in enumerate(values, start=1):
        if draw(st.booleans()):
            lines.append(draw(st.sampled_from(["", "  # between items", "\t"])))
        last = number == len(values)
        comma = "," if not last or draw(st.booleans()) else ""
        lines.append(f"{draw(_GAP)}{value}{draw(_GAP)}{comma}{draw(_TRAIL)}")
    lines.append(f"{draw(_GAP)}]")
    return newline.join(lines)


def _value(draw: st.DrawFn, kind: str, newline: str) -> str:
    if kind == "strings":
        return draw(_array(_STRING, newline))
    if kind == "versions":
        return draw(_array(st.integers(1, 9).map(str), newline))
    if kind == "any":
        scalar = st.one_of(_STRING, _INTEGER, _DATE, _BOOLEAN)
        return draw(scalar | _array(scalar, newline))
    return draw(_SCALARS[kind])


def _key_line(draw: st.DrawFn, key: str, kind: str, newline: str) -> str:
    value = _value(draw, kind, newline)
    return f"{draw(_GAP)}{key}{draw(_GAP)}={draw(_GAP)}{value}{draw(_TRAIL)}"


def _table(draw: st.DrawFn, header: str, lines: list[str], newline: str) -> list[str]:
    """Return a header and ``lines`` with comments and blank lines drawn between them."""
    out = [header + draw(_TRAIL)]
    for line in lines:
        out.extend(draw(st.lists(st.sampled_from(["", "# a comment", "  "]), max_size=1)))
        out.append(line)
    return out


@st.composite
def plain_lists(draw: st.DrawFn, *, valid: bool) -> str:
    """Draw a list in the plain layout; ``valid``: one that curator accepts, ids and all."""
    newline = draw(_NEWLINE)
    names = st.from_regex(r"[A-Za-z0-9_-]{1,6}", fullmatch=True).filter(
        lambda name: name not in {"list", "paper"}
    )
    lines = draw(st.lists(st.sampled_from(["# SYNTHETIC test list", ""]), max_size=2))
    if not valid:
        for key in draw(st.lists(names, max_size=2, unique=True)):
            lines.append(_key_line(draw, key, "any", newline))
    if draw(st.booleans()):
        keys = draw(st.lists(st.sampled_from(["title", "description", "sections"]), unique=True))
        list_lines = [
            _key_line(draw, key, "strings" if key == "sections" else "string", newline)
            for key in keys
        ]
        lines += _table(draw, f"[{draw(_GAP)}list{draw(_GAP)}]", list_lines, newline)
    for number in range(1, draw(st.integers(0, 4)) + 1):
        keys = draw(st.lists(st.sampled_from(sorted(_PAPER_KINDS)), max_size=6, unique=True))
        paper_lines = [_key_line(draw, key, _PAPER_KINDS[key], newline) for key in keys]
        if valid:
            identifier = f'{draw(_GAP)}id = "2301.{number:05d}"{draw(_TRAIL)}'
            paper_lines.insert(draw(st.integers(0, len(paper_lines))), identifier)
        else:
            extra = [name for name in draw(st.lists(names, unique=True)) if name not in keys]
            paper_lines += [_key_line(draw, key, "any", newline) for key in extra]
        lines += _table(draw, f"{draw(_GAP)}[[paper]]", paper_lines, newline)
    return newline.join(lines) + draw(st.sampled_from([newline, ""]))


@settings(deadline=None)
@given(text=plain_lists(valid=False))
def test_plain_lists_read_as_tomlkit_reads_them(text: str) -> None:
    """Every list in the plain layout is read, and to the same values as tomlkit's."""
    plain = list_text.scan(text)

    assert plain is not None
    expected = tomlkit.parse(text).unwrap()
    assert plain.papers() == expected.pop("paper", [])
    assert plain.info == expected
    assert plain.text == text


@pytest.mark.parametrize(
    "text",
    [
        'note = """\nline\n"""\n',
        "[list]\ninfo = {a = 1}\n",
        "[[paper]]\nreview.read = true\n",
        '[[paper]]\n"quoted" = 1\n',
        "[[paper]]\nscore = 1.5\n",
        "[[paper]]\nseen = 2023-04-05T10:00:00\n",
        "[[paper]]\nseen = 2023-02-30\n",
        "[[paper]]\nsize = 1_000\n",
        "[[paper]]\nsize = 007\n",
        '[[paper]]\nnote = "\\e"\n',
        '[[paper]]\nnote = "\\ud800"\n',
        '[[paper]]\nnote = "a\x01"\n',
        "[[paper]]\nnote = 'a' # \x01\n",
        "[[paper]]\nnested = [[1], [2]]\n",
        '[[paper]]\nauthors = [\n  "a"\n  "b",\n]\n',
        '[[paper]]\nauthors = [\n  "a", "b",\n]\n',
        '[[paper]]\nauthors = [\n  "a",\n',
        '[[paper]]\nid = "2301.00001"\nid = "2301.00002"\n',
        "[list]\n[list]\n",
        '[[paper]]\nid = "2301.00001"\n[list]\n',
        '[[paper]]\nid = "2301.00001"\n[paper.review]\nread = true\n',
        '[other]\n[[paper]]\nid = "2301.00001"\n',
        'list = "x"\n[list]\n',
        'paper = 1\n[[paper]]\nid = "2301.00001"\n',
        'title = "a"\rb = 1\n',
        "[[paper]] x\n",
        '[[paper]]\nnote = "' + "x" * 2**20 + "\n",  # read once, not once a character
    ],
)
def test_other_layouts_are_left_to_tomlkit(text: str) -> None:
    """Anything beyond the plain layout, or not TOML at all, is not read as a plain list."""
    assert list_text.scan(text) is None


_TITLES = st.text(st.characters(codec="utf-8"), min_size=1, max_size=30)
_MAYBE_TEXT = st.none() | st.text(st.characters(codec="utf-8"), max_size=20)
_MAYBE_COUNT = st.none() | st.integers(0, 5000)
_STATUSES = st.sampled_from(list(Status))


def _operation(number: int) -> st.SearchStrategy[tuple[str, int, object]]:
    """Draw one change to make to the paper at some index (``number`` names a new one)."""
    index = st.integers(0, 9)
    update = st.builds(
        Paper,
        id=st.just(""),
        title=_TITLES,
        authors=st.lists(_TITLES, max_size=5).map(tuple),
        published=st.none() | st.dates(),
        updated=st.none() | st.dates(),
        version=st.none() | st.integers(1, 9),
        primary_category=_MAYBE_TEXT,
        doi=_MAYBE_TEXT,
        journal_ref=_MAYBE_TEXT,
        withdrawn=st.booleans(),
    )
    counts = st.builds(
        Citations,
        id=st.just(""),
        s2_id=st.text(max_size=8),
        citations=_MAYBE_COUNT,
        influential_citations=_MAYBE_COUNT,
        venue=_MAYBE_TEXT,
        venue_year=_MAYBE_COUNT,
        venue_doi=_MAYBE_TEXT,
    )
    sightings = st.tuples(st.lists(_TITLES, max_size=3), st.lists(st.integers(1, 9), max_size=3))
    new = st.builds(
        Entry,
        id=st.just(f"2302.{number + 1:05d}"),
        title=_MAYBE_TEXT,
        authors=st.lists(_TITLES, max_size=5).map(tuple),
        section=_MAYBE_TEXT,
        tags=st.lists(_TITLES, max_size=3).map(tuple),
        added=st.none() | st.dates(),
        sources=st.lists(_TITLES, max_size=2).map(tuple),
        versions=st.lists(st.integers(1, 9), max_size=2, unique=True).map(sorted).map(tuple),
        status=_STATUSES,
    )
    return st.one_of(
        st.tuples(st.just("update"), index, update),
        st.tuples(st.just("citations"), index, counts),
        st.tuples(st.just("status"), index, _STATUSES),
        st.tuples(st.just("sightings"), index, sightings),
        st.tuples(st.just("add"), index, new),
    )


def _apply(editor: store.ListEditor, operation: tuple[str, int, object]) -> object:
    kind, index, argument = operation
    if kind == "add":
        assert isinstance(argument, Entry)
        return editor.add(argument)
    keys = sorted(editor.ids())
    if not keys:
        return None
    key = keys[index % len(keys)]
    if kind == "update":
        assert isinstance(argument, Paper)
        return editor.update(dataclasses.replace(argument, id=key))
    if kind == "citations":
        assert isinstance(argument, Citations)
        return editor.update_citations(dataclasses.replace(argument, id=key))
    if kind == "status":
        assert isinstance(argument, Status)
        return editor.set_status(key, argument)
    sources, versions = argument  # type: ignore[misc]
    return editor.record_sightings(key, sources=sources, versions=versions)


@settings(deadline=None)
@given(text=plain_lists(valid=True), data=st.data())
def test_plain_edits_write_what_tomlkit_writes(text: str, data: st.DataObject) -> None:
    """Every change to a plain list gives the text (and answer) tomlkit's editing gives."""
    fast = store.ListEditor(Path("papers.toml"), text)
    slow = store.ListEditor(Path("papers.toml"), text)
    slow._use_tomlkit(slow.text)  # the reference: edit through the tomlkit document
    assert fast.reading_list == slow.reading_list

    for number in range(data.draw(st.integers(0, 8))):
        operation = data.draw(_operation(number))
        assert _apply(fast, operation) == _apply(slow, operation)
        assert fast.text == slow.text

    assert fast.reading_list == slow.reading_list
    assert list_text.scan(fast.text) is not None  # still plain: the next run reads it fast


def test_the_example_list_is_plain_and_loads_as_tomlkit_loads_it() -> None:
    """The repository's own list takes the plain path, to the same entries as through tomlkit."""
    path = Path(__file__).parent.parent / "lists" / "segment-anything-medical.toml"
    text = path.read_text(encoding="utf-8")
    editor = store.ListEditor(path, text)
    editor._use_tomlkit(text)

    assert list_text.scan(text) is not None
    assert store.load(path) == editor.reading_list
