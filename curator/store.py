"""Reading lists in TOML files: load them, and edit them keeping every byte people wrote.

A reading list is one TOML file in UTF-8 (without byte order mark), meant to
be edited by hand and kept in git. Comments may go anywhere; curator keeps
them, the order of keys, blank lines and unknown keys exactly as they are.
An empty file is an empty list::

    # Comments anywhere are kept byte for byte.
    [list]
    title = "Segment Anything in medical imaging"   # heading of the rendered list
    description = "Papers that adapt SAM to medical images."
    sections = ["Foundation models", "Medical imaging"]  # order of sections when rendering

    [[paper]]
    id = "2304.02643"
    title = "Segment Anything"
    authors = [
        "Alexander Kirillov",
        "Eric Mintun",
        # ...and ten more names, left out of this example
    ]
    published = 2023-04-05
    primary_category = "cs.CV"
    versions = [1]
    section = "Foundation models"
    tags = ["model"]
    note = "The model the rest of the list builds on."
    added = 2026-11-26
    sources = ["posts.txt:97:1"]

``[list]`` (optional, as is each of its keys):

- ``title``, ``description``: strings shown at the top of the rendered list.
- ``sections``: array of section names, in the order they are rendered.

``[[paper]]``, one table per paper, each id at most once. Machine-owned keys
are written by curator and may be overwritten by it; user-owned keys are
never changed once written:

- ``id`` (required): the canonical arXiv identifier, without version
  (``2304.02643``, ``math/0309136``).
- ``title``, ``authors`` (array of strings, in order), ``primary_category``:
  machine-owned, from arXiv.
- ``published``, ``updated``: machine-owned TOML dates (no quotes) of the
  first and the latest version on arXiv.
- ``doi``, ``journal_ref``: machine-owned, arXiv's DOI and journal reference
  fields, present only when arXiv has them.
- ``venue``, ``venue_doi``, ``venue_year``: machine-owned, the venue, publisher
  DOI and year of the peer-reviewed version, when known.
- ``citations``, ``influential_citations``: machine-owned whole numbers from
  Semantic Scholar; absent while unknown (unknown is not 0).
- ``s2_id``: machine-owned, the Semantic Scholar paper id.
- ``latest_version``: machine-owned, the latest version number on arXiv.
- ``withdrawn``: machine-owned ``true`` when arXiv's latest version withdraws
  the paper; absent otherwise.
- ``versions``: machine-owned array of the version numbers seen in harvested
  links, ascending.
- ``section``, ``tags`` (array of strings), ``note``: user-owned.
- ``added``: machine-owned TOML date when curator first added the paper.
- ``sources``: machine-owned array of ``source:line:column`` strings telling
  where links to the paper were seen, in the order they were first seen.
- ``status``: machine-owned, ``"pending"`` (not resolved yet; ``curator
  refresh`` retries it) or ``"unresolved"`` (arXiv does not know the id).
  Absent once the paper is resolved.

Any other key, in any table, belongs to the user and is kept as it is.

Rules of editing:

- A file that breaks these rules is reported as ``path:line:column: reason``
  and never rewritten.
- Writes replace the file atomically, and only when its text changes. Lines
  curator adds end in CRLF when every line of the file does, else in LF.
- Only a file whose name ends in ``.toml`` is edited, and never a read-only one.
- A value arXiv no longer gives (a DOI that disappeared, an empty author list)
  never erases a stored one; the stored value stays.
- A key curator adds to an existing table goes right after the nearest key
  that precedes it in the order above (or first in its table); a changed
  value keeps its comment.
- New tables have one key per line, keys in the order above, and a blank line
  between ``[[paper]]`` tables. An array is written on one line when it has at
  most 3 items and the line fits in 100 characters, otherwise one item per line.
- While a list is edited, a hidden lock file ``.NAME.toml.lock`` exists next to
  it (it may remain afterwards; it is empty and safe to delete when no curator
  runs). Ignore it in git with ``.*.toml.lock``.
- A file whose ``[[paper]]`` tables are separated by another table cannot be
  edited without moving text, so curator refuses to edit it (it still loads).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from curator import files, ids, list_schema, list_text
from curator.errors import InputError, ListFormatError, ListLockedError, UsageError, WriteError
from curator.files import write_atomic
from curator.models import Citations, Entry, Paper, ReadingList, Status

if TYPE_CHECKING:
    from tomlkit.items import AoT, InlineTable, Item, Table
    from tomlkit.toml_document import TOMLDocument

# filelock and tomlkit are imported where they are used: reading a list in the plain
# layout, as render and show do, needs neither (together about 0.07 s to import).
_Value = list_text.Value
# tomlkit has no public way to insert a key at a position, so Container._insert_after
# and _insert_at are used; the tests pin down the text they produce.
_LONE_LF = re.compile(r"(?<!\r)\n")


def load(path: Path) -> ReadingList:
    """Read the reading list at ``path`` without locking or changing it."""
    text = _read(path)
    if text is None:
        raise InputError(f"{path}: no such reading list")
    plain = list_text.scan(text)
    return _parse(path, text)[1] if plain is None else _plain_model(path, text, plain)


def check_list_path(path: Path) -> None:
    """Refuse to edit what cannot be a reading list: a directory, or a file not named ``*.toml``.

    The name rule keeps a harvest from appending TOML to a README or a post that
    happens to parse as TOML (a Markdown file of headings is all comments).
    """
    if path.is_dir():
        raise InputError(f"{path}: is a directory, not a reading list")
    if path.suffix.lower() != ".toml":
        raise UsageError(f"{path}: a reading list is a TOML file whose name ends in .toml")


def lock_file(path: Path) -> Path:
    """Return the lock file that guards changes to the list at ``path``."""
    return path.with_name(f".{path.name}.lock")


@contextlib.contextmanager
def editing(
    path: Path, *, create: bool = False, lock_timeout: float = 10.0
) -> Iterator[ListEditor]:
    """Lock the list at ``path``, yield an editor for it, and save its changes on success.

    With ``create``, a missing file starts as an empty list and is written only
    if something is added; missing directories are made at once, for the lock.
    An exception inside the block keeps what ``save()`` wrote before it and
    writes nothing more.
    """
    target = _real_path(path)
    # Checked before locking, so that a mistyped path leaves no lock file behind.
    check_list_path(path)
    if not create and not target.exists():
        raise InputError(f"{path}: no such reading list")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise WriteError(
            f"{path}: cannot create the directory {target.parent} ({error.strerror or error})"
        ) from error
    import filelock

    lock = filelock.FileLock(guard := lock_file(target), timeout=lock_timeout)
    try:
        lock.acquire()
    except filelock.Timeout:
        raise ListLockedError(
            f"{path} is being changed by another curator process; try again when it finishes"
        ) from None
    except OSError as error:
        raise WriteError(
            f"{path}: cannot create the lock file {guard} "
            f"({error.strerror or error}); the file was not changed"
        ) from error
    try:
        editor = ListEditor(path, _read(target) or "")
        yield editor
        editor.save()
    finally:
        lock.release()


class ListEditor:
    """Change one reading list in memory, touching only the values curator owns.

    A list in the plain layout (see ``curator.list_text``) is changed line by line,
    which takes a fraction of tomlkit's time; any other list, and the rare changes
    only tomlkit makes (such as a new ``[list]`` table), go through a tomlkit
    document, parsed when first needed and used from then on.
    """

    def __init__(self, path: Path, text: str) -> None:
        """Read ``text``, the current content of the list at ``path`` (empty if it is new)."""
        self._path = path
        self._saved = text
        # New lines follow a file whose every line ends in CRLF (a Windows checkout).
        self._crlf = "\r\n" in text and text.count("\n") == text.count("\r\n")
        self._plain = list_text.scan(text, newline="\r\n" if self._crlf else "\n")
        self._parsed: TOMLDocument | None = None
        self._tables: dict[str, Table] = {}
        """Each paper's tomlkit table, by entry id, once the tomlkit document is in use."""
        self._rows: dict[str, int] = {}
        """Each paper's place among the tables of the plain list, by entry id."""
        self._model: tuple[int, ReadingList | None] = (0, None)
        """The model of the plain list, and the count of its changes it was built at."""
        if self._plain is None:
            self._use_tomlkit(text)
        else:
            entries = self.reading_list.entries  # checks every value
            self._rows = {entry.id: row for row, entry in enumerate(entries)}

    @property
    def reading_list(self) -> ReadingList:
        """The list as it is now, with the changes not saved yet."""
        if self._plain is None:
            return _to_model(self._path, self.text, self._document)
        changes, model = self._model
        if model is None or changes != self._plain.changes:
            model = _plain_model(self._path, self._plain.text, self._plain)
            self._model = (self._plain.changes, model)
        return model

    @property
    def text(self) -> str:
        """The TOML text of the list as it is now."""
        if self._plain is not None:
            return self._plain.text
        return self._line_ends(self._document.as_string())

    def _line_ends(self, text: str) -> str:
        return _LONE_LF.sub("\r\n", text) if self._crlf else text

    def ids(self) -> set[str]:
        """Return the identifiers of the papers in the list."""
        return set(self._rows if self._plain is not None else self._tables)

    def add(self, entry: Entry) -> None:
        """Append ``entry`` as a new ``[[paper]]`` table, leaving out empty values."""
        if entry.id in (self._rows if self._plain is not None else self._tables):
            raise ValueError(f"{entry.id} is already in {self._path}")
        if entry.arxiv_id is not None and not ids.is_canonical(entry.arxiv_id):
            raise ValueError(f"{entry.id!r} is not a canonical arXiv identifier")
        pairs: list[tuple[str, _Value]] = []
        for key in list_schema.PAPER_KEYS:
            # Entry's fields are named after the keys; only status is spelled differently,
            # and a paper not on arXiv has no id: its key is made of its DOI or title.
            value: Any = getattr(entry, key)
            if key == "id":
                value = entry.arxiv_id
            elif key == "status":
                value = None if value is Status.RESOLVED else value.value
            # Empty values and false flags are left out: absent means "none" or "no".
            if value not in (None, "", ()) and value is not False:
                pairs.append((key, value))
        if self._plain is not None:
            self._plain.append(pairs)
            self._rows[entry.id] = len(self._rows)
            return
        import tomlkit

        table = tomlkit.table()
        for key, value in pairs:
            table.add(key, _toml_value(key, value))
        papers = self._papers()
        if papers is None:
            papers = tomlkit.aot()
            papers.append(table)
            self._document.append("paper", papers)
            # Measure what precedes the new table only now: appending may have added a
            # line break to it. No line of the new table but its header starts with "[[".
            table.trivia.indent = ""
            text = self.text
            table.trivia.indent = list_text.separator(text[: text.rfind("\n[[paper]]") + 1])
        else:
            table.trivia.indent = list_text.separator(papers[-1].as_string())
            if self._document.body[-1][1] is not papers:
                table.add(tomlkit.nl())  # keep a blank line before the table that follows
            papers.append(table)
        self._tables[entry.id] = table

    def update(self, paper: Paper) -> bool:
        """Store arXiv's metadata of ``paper`` and mark it resolved; tell whether anything changed.

        Values arXiv does not give (None or empty) leave the stored ones as they are.
        """
        changed = False
        arxiv_values: tuple[tuple[str, _Value | None], ...] = (
            ("title", paper.title),
            ("authors", paper.authors),
            ("published", paper.published),
            ("updated", paper.updated),
            ("primary_category", paper.primary_category),
            ("doi", paper.doi),
            ("journal_ref", paper.journal_ref),
        )
        for key, value in arxiv_values:
            if value:
                changed |= self._set(paper.id, key, value)
        if paper.version is not None:
            changed |= self._set(paper.id, "latest_version", paper.version)
        # The latest version decides: a withdrawal is shown, and a later version lifts it.
        if paper.withdrawn:
            changed |= self._set(paper.id, "withdrawn", True)
        else:
            changed |= self._drop(paper.id, "withdrawn")
        return self._drop(paper.id, "status") or changed

    def update_citations(self, citations: Citations) -> bool:
        """Store what Semantic Scholar says of a paper; tell whether anything changed.

        Values it does not give (None) leave the stored ones as they are. A paper not
        on arXiv (its table has no ``id``) also gains the title, authors and date its
        table lacks; what was written there is never replaced. arXiv describes the others.
        """
        changed = False
        values: tuple[tuple[str, _Value | None], ...] = (
            ("venue", citations.venue),
            ("venue_doi", citations.venue_doi),
            ("venue_year", citations.venue_year),
            ("citations", citations.citations),
            ("influential_citations", citations.influential_citations),
            ("s2_id", citations.s2_id),
        )
        for key, value in values:
            if value is not None:
                changed |= self._set(citations.id, key, value)
        if self._get(citations.id, "id") is None:
            metadata: tuple[tuple[str, _Value | None], ...] = (
                ("title", citations.title),
                ("authors", citations.authors),
                ("published", citations.published),
            )
            for key, value in metadata:
                if value and self._get(citations.id, key) is None:
                    changed |= self._set(citations.id, key, value)
        return changed

    def set_status(self, entry_id: str, status: Status) -> bool:
        """Mark the paper ``entry_id`` with ``status``; tell whether that changed it."""
        if status is Status.RESOLVED:
            return self._drop(entry_id, "status")
        return self._set(entry_id, "status", status.value)

    def record_sightings(
        self, entry_id: str, *, sources: Iterable[str], versions: Iterable[int]
    ) -> bool:
        """Add the places and versions a paper was seen at; tell whether any was new."""
        changed = False
        known_sources: list[str] = self._get(entry_id, "sources") or []
        new_sources = [s for s in dict.fromkeys(sources) if s not in known_sources]
        if new_sources:
            changed |= self._set(entry_id, "sources", [*known_sources, *new_sources])
        known_versions: list[int] = self._get(entry_id, "versions") or []
        new_versions = set(versions) - set(known_versions)
        if new_versions:
            changed |= self._set(entry_id, "versions", sorted({*known_versions, *new_versions}))
        return changed

    def set_list_info(self, *, title: str | None, description: str | None) -> bool:
        """Set the list's title and description (None keeps the stored one); tell if changed."""
        pairs = (("title", title), ("description", description))
        values = [(key, value) for key, value in pairs if value is not None]
        if not values:
            return False
        if "list" not in self._document:
            import tomlkit

            table = tomlkit.table()
            for key, value in values:
                table.add(key, _toml_value(key, value))
            self._insert_list_table(table)
            return True
        table = self._document["list"]
        changed = False
        for key, value in values:
            changed |= _assign(table, key, value, list_schema.LIST_KEYS)
        return changed

    def add_sections(self, names: Sequence[str]) -> list[str]:
        """Append the sections [list] does not name yet to its ``sections``; return them."""
        declared = self.reading_list.sections
        new = [name for name in dict.fromkeys(names) if name not in declared]
        if not new:
            return []
        sections = [*declared, *new]
        if "list" not in self._document:
            import tomlkit

            table = tomlkit.table()
            table.add("sections", _toml_value("sections", sections))
            self._insert_list_table(table)
        else:
            _assign(self._document["list"], "sections", sections, list_schema.LIST_KEYS)
        return new

    def plain(self, entry_id: str) -> dict[str, Any]:
        """Return the values of a paper's table as plain Python values."""
        values: dict[str, Any] = self._table(entry_id).unwrap()
        return values

    def table_text(self, entry_id: str) -> str:
        """Return the exact text of a paper's ``[[paper]]`` table, from its header on."""
        table = self._table(entry_id)
        trivia = table.trivia
        header = f"{trivia.indent}[[paper]]{trivia.comment_ws}{trivia.comment}{trivia.trail}"
        return self._line_ends(header + table.as_string())

    def merge(
        self, kept: str, merged: Sequence[str], assignments: Mapping[str, Any]
    ) -> tuple[tuple[int, ...], tuple[str, ...]]:
        """Set ``assignments`` on the paper ``kept`` and remove the papers ``merged``.

        Return where the removed tables were among the ``[[paper]]`` tables and their
        exact text, so that ``unmerge`` can put them back.
        """
        table = self._table(kept)
        for key, value in assignments.items():
            _assign(table, key, value)
        papers = self._papers()
        assert papers is not None  # merged entries come from this list
        positions = sorted(_index_of(papers, self._table(key)) for key in merged)
        texts = tuple(self.table_text(self._key_at(papers, i)) for i in positions)
        for position in reversed(positions):
            del self._tables[self._key_at(papers, position)]
            del papers[position]
        return tuple(positions), texts

    def unmerge(
        self, kept: str, kept_text: str, positions: Sequence[int], texts: Sequence[str]
    ) -> None:
        """Undo ``merge``: give ``kept`` its old table back and reinsert the removed tables."""
        papers = self._papers()
        assert papers is not None  # the kept entry is in this list
        at = _index_of(papers, self._table(kept))
        papers[at] = _parse_table(self._path, kept_text)
        for position, text in sorted(zip(positions, texts, strict=True)):
            papers.insert(min(position, len(papers)), _parse_table(self._path, text))
        self._tables = dict(
            zip((entry.id for entry in self.reading_list.entries), papers, strict=True)
        )

    def save(self) -> bool:
        """Write the list now if its text changed since it was read or saved; tell if it wrote."""
        text = self.text
        if text == self._saved:
            return False
        write_atomic(_real_path(self._path), text)
        self._saved = text
        return True

    @property
    def _document(self) -> TOMLDocument:
        """The tomlkit document of the list, parsed from its text when first needed."""
        if self._parsed is None:
            self._use_tomlkit(self.text)
        assert self._parsed is not None  # set by _use_tomlkit
        return self._parsed

    def _use_tomlkit(self, text: str) -> None:
        """Edit the list, whose text is now ``text``, through a tomlkit document from now on."""
        self._parsed, reading_list = _parse(self._path, text)
        _check_round_trip(self._path, text, self._parsed)
        self._plain = None
        self._rows = {}
        tables = self._papers() or ()
        self._tables = dict(zip((entry.id for entry in reading_list.entries), tables, strict=True))

    def _get(self, entry_id: str, key: str) -> Any:
        """Return the plain value of ``key`` in the paper ``entry_id``, None if it is absent."""
        if self._plain is not None:
            return self._plain.values(self._row(entry_id)).get(key)
        return _plain(self._table(entry_id), key)

    def _set(self, entry_id: str, key: str, value: _Value) -> bool:
        """Set ``key`` of the paper ``entry_id`` to ``value``; tell whether it changed."""
        if self._plain is not None:
            return self._plain.assign(self._row(entry_id), key, value, list_schema.PAPER_KEYS)
        return _assign(self._table(entry_id), key, value)

    def _drop(self, entry_id: str, key: str) -> bool:
        """Remove ``key`` from the paper ``entry_id``; tell whether it was there."""
        if self._plain is not None:
            return self._plain.remove(self._row(entry_id), key)
        return _remove(self._table(entry_id), key)

    def _row(self, entry_id: str) -> int:
        try:
            return self._rows[entry_id]
        except KeyError:
            raise KeyError(f"{entry_id} is not in {self._path}") from None

    def _papers(self) -> AoT | None:
        from tomlkit.items import AoT

        if "paper" not in self._document:
            return None
        papers = self._document.item("paper")
        assert isinstance(papers, AoT)  # _parse rejects any other kind
        return papers

    def _key_at(self, papers: AoT, position: int) -> str:
        table = papers[position]
        return next(key for key, known in self._tables.items() if known is table)

    def _table(self, entry_id: str) -> Table:
        if self._parsed is None:
            self._use_tomlkit(self.text)
        try:
            return self._tables[entry_id]
        except KeyError:
            raise KeyError(f"{entry_id} is not in {self._path}") from None

    def _insert_list_table(self, table: Table) -> None:
        import tomlkit
        from tomlkit.items import AoT, Table

        # [list] goes before the first table, so that it heads the file.
        body = self._document.body
        first_table = next(
            (i for i, (_, item) in enumerate(body) if isinstance(item, (Table, AoT))), None
        )
        if first_table is None:
            table.trivia.indent = list_text.separator(self.text)
            self._document.append("list", table)
        else:
            table.add(tomlkit.nl())
            self._document._insert_at(first_table, "list", table)


def _index_of(papers: AoT, table: Table) -> int:
    return next(i for i, candidate in enumerate(papers) if candidate is table)


def _parse_table(path: Path, text: str) -> Table:
    """Return the one ``[[paper]]`` table written in ``text`` (from a merge record)."""
    import tomlkit
    from tomlkit.exceptions import TOMLKitError
    from tomlkit.items import AoT, Table

    try:
        papers = tomlkit.parse(text).item("paper")
    except (TOMLKitError, KeyError):
        papers = None
    if not isinstance(papers, AoT) or len(papers) != 1:
        raise ListFormatError(path, "a merge record holds a table that is not one [[paper]]")
    table = papers[0]
    assert isinstance(table, Table)
    return table


def _real_path(path: Path) -> Path:
    # Editing through a symbolic link changes the file it points to, not the link.
    return path.resolve() if path.is_symlink() else path


def _read(path: Path) -> str | None:
    # Never blocks on a named pipe or reads a device given as a list.
    data = files.read_bytes(path)
    return None if data is None else list_schema.decode(path, data)


def _parse(path: Path, text: str) -> tuple[TOMLDocument, ReadingList]:
    import tomlkit
    from tomlkit.exceptions import ParseError, TOMLKitError
    from tomlkit.items import AoT

    try:
        document = tomlkit.parse(text)
    except ParseError as error:
        reason = str(error).removesuffix(f" at line {error.line} col {error.col}")
        raise ListFormatError(
            path, f"invalid TOML: {reason}", line=error.line, column=error.col + 1
        ) from None
    except TOMLKitError as error:
        # A repeated key in one table: tomlkit names the key but not the place.
        line = _repeated_key_line(text)
        raise ListFormatError(path, f"invalid TOML: {error}", line=line) from None
    if "paper" in document and not isinstance(document.item("paper"), AoT):
        shown = list_schema.describe(document["paper"].unwrap())
        reason = f"paper must be written as [[paper]] tables, not as {shown}"
        raise list_schema.format_error(path, text, reason, None, "paper")
    return document, _to_model(path, text, document)


def _repeated_key_line(text: str) -> int | None:
    """Return the line of the first key written twice in one table, if a plain scan finds it."""
    seen: set[str] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("["):
            seen.clear()
            continue
        key, equals, _ = stripped.partition("=")
        if equals and not stripped.startswith("#"):
            name = key.strip().strip("\"'")
            if name in seen:
                return number
            seen.add(name)
    return None


def _plain_model(path: Path, text: str, plain: list_text.PlainList) -> ReadingList:
    info = plain.info.get("list", {})
    return list_schema.to_reading_list(path, text, info, plain.papers())


def _to_model(path: Path, text: str, document: TOMLDocument) -> ReadingList:
    plain = document.unwrap()
    return list_schema.to_reading_list(path, text, plain.get("list", {}), plain.get("paper", []))


def _check_round_trip(path: Path, text: str, document: TOMLDocument) -> None:
    rendered = document.as_string()
    if rendered == text:
        return
    pairs = zip(text.split("\n"), rendered.split("\n"), strict=False)
    line = next((number for number, (old, new) in enumerate(pairs, start=1) if old != new), 1)
    raise ListFormatError(
        path,
        "curator cannot edit this file without moving the text from here on; "
        "keep all [[paper]] tables together, with no other table between them",
        line=line,
    )


def _toml_value(key: str, value: _Value) -> Item:
    import tomlkit

    if isinstance(value, str):
        return tomlkit.string(value)
    if isinstance(value, (int, dt.date)):
        return tomlkit.item(value)
    array = tomlkit.array()
    array.extend(value)
    too_long = len(f"{key} = {array.as_string()}") > list_text.ONE_LINE_WIDTH
    return array.multiline(len(value) > list_text.ONE_LINE_ARRAY_ITEMS or too_long)


def _plain(table: Table | InlineTable, key: str) -> Any:
    if key not in table:
        return None
    value = table[key]
    # tomlkit hands booleans back as plain bool (bool cannot be subclassed): nothing to unwrap.
    return value if isinstance(value, bool) else value.unwrap()


def _assign(
    table: Table | InlineTable,
    key: str,
    value: _Value,
    order: Sequence[str] = list_schema.PAPER_KEYS,
) -> bool:
    """Set ``key`` to ``value`` unless it already holds it; tell whether it changed.

    A new key goes right after the nearest key before it in ``order``, or first.
    """
    expected = value if isinstance(value, (str, int, dt.date)) else list(value)
    if key in table:
        if _plain(table, key) == expected:
            return False
        table[key] = _toml_value(key, value)
        return True
    from tomlkit.items import Item

    item = _toml_value(key, value)
    after = list_text.preceding(key, list(table), order)
    if after is not None:
        neighbour = table.item(after)
        assert isinstance(neighbour, Item)  # known keys hold values, never tables
        item.trivia.indent = neighbour.trivia.indent  # line up with the key above
        table.value._insert_after(after, key, item)
    elif table.value.body:
        table.value._insert_at(0, key, item)
    else:
        table.add(key, item)
    return True


def _remove(table: Table, key: str) -> bool:
    if key not in table:
        return False
    # Through the container, as _assign inserts: Table.remove also deletes the key from a
    # dict of its own, which those insertions never reach (a KeyError for such a key).
    table.value.remove(key)
    return True
