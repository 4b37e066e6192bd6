"""Everything curator prints for people at a terminal: tables, warnings, progress.

The only module that imports rich. Output to a terminal is styled; output to
anything else (a pipe, a file) is plain text for scripts. Colour follows the
``color`` and ``no_color`` arguments only: the caller reads the environment.

Tables are laid out here rather than by ``rich.table``, which takes about 3 ms a
row: a list of 5,000 papers would take 15 s to show. Each row is one line;
titles, names and sections too long for the terminal end in an ellipsis.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO

from curator.models import Entry, Status
from curator.render.markdown import clean
from curator.sorting import citations_per_month

if TYPE_CHECKING:
    from rich.console import Console

# rich is imported where it is used, on a terminal: output to a pipe or a file does
# without it (about 0.05 s to import).

UNKNOWN = "\u2013"
"""Shown in a table cell whose value is unknown."""

_STATUS_STYLES = {Status.RESOLVED: "green", Status.PENDING: "yellow", Status.UNRESOLVED: "red"}
_GAP = "  "
"""Between two columns of a table."""

_Cell = tuple[str, str | None]
"""The text of a table cell and its rich style (None: plain)."""


@dataclass(frozen=True, slots=True)
class _Column:
    header: str
    right: bool = False
    """Aligned to the right, as numbers are."""
    shrinks: bool = False
    """Cut short, with an ellipsis, when the table is wider than the terminal."""


@dataclass(frozen=True, slots=True)
class ProgressBar:
    """A handle to report progress on; does nothing when progress is not shown."""

    _update: Callable[[int, int], None]

    def update(self, done: int, total: int) -> None:
        """Show ``done`` of ``total`` units of work as complete."""
        self._update(done, total)


@dataclass(frozen=True, slots=True)
class TrendingRow:
    """One line of ``trending_table``: a paper and how its citations moved."""

    entry: Entry
    citations: int | None
    """The latest observed count."""
    gained: int | None
    """Citations gained over the window; None when history does not cover it."""
    per_month: float | None
    """Citations per month since publication."""
    sparkline: str = ""
    """The counts over time drawn as a line of block characters."""


def table_row(entry: Entry) -> tuple[str, str, str, str, str, str]:
    """Return the id, title, first author, year, section and status of an entry ("" if unknown)."""
    return (
        entry.id,
        _one_line(entry.title),
        _one_line(entry.authors[0] if entry.authors else None),
        "" if entry.year is None else str(entry.year),
        _one_line(entry.section),
        entry.status.value,
    )


def citation_cells(entry: Entry, *, as_of: dt.date | None) -> tuple[str, str]:
    """Return the citation count and the citations per month (one decimal) of an entry.

    A value is "" when unknown; velocity is unknown without ``as_of``.
    """
    velocity = None if as_of is None else citations_per_month(entry, as_of)
    return (
        "" if entry.citations is None else str(entry.citations),
        "" if velocity is None else f"{velocity:.1f}",
    )


def show_table(
    entries: Sequence[Entry],
    *,
    file: TextIO,
    as_of: dt.date | None = None,
    color: bool | None = None,
    no_color: bool = False,
    width: int | None = None,
) -> None:
    """Print entries as a table on a terminal, or as tab-separated lines without a header elsewhere.

    The plain form has one line per entry with the columns of ``table_row``, an
    empty field for an unknown value, and tabs and line breaks inside values
    turned into spaces. When any entry has a citation count, the columns of
    ``citation_cells`` follow, at the end so that the others keep their place;
    ``as_of`` is the date of the counts, which velocity needs. ``color`` forces
    colour on or off; when it is None, colour is used unless ``no_color`` is set
    (the NO_COLOR convention).
    """
    cited = any(entry.citations is not None for entry in entries)
    if not file.isatty():
        for entry in entries:
            extra = citation_cells(entry, as_of=as_of) if cited else ()
            file.write("\t".join((*table_row(entry), *extra)) + "\n")
        return
    columns = [
        _Column("ID"),
        _Column("Title", shrinks=True),
        _Column("First author", shrinks=True),
        _Column("Year"),
        _Column("Section", shrinks=True),
        _Column("Status"),
    ]
    if cited:
        columns += [_Column("Citations", right=True), _Column("Per month", right=True)]
    rows: list[list[_Cell]] = []
    for entry in entries:
        *cells, status = table_row(entry)
        row = [_cell(cell) for cell in cells]
        row.append((status, _STATUS_STYLES[entry.status]))
        if cited:
            row += [_number(entry.citations), _cell(citation_cells(entry, as_of=as_of)[1])]
        rows.append(row)
    _print_table(columns, rows, _console(file, color=color, no_color=no_color, width=width))


def trending_table(
    rows: Sequence[TrendingRow],
    *,
    file: TextIO,
    color: bool | None = None,
    no_color: bool = False,
    width: int | None = None,
) -> None:
    """Print papers ranked by citation growth, in the order given, with a sparkline each.

    Off a terminal each row is one tab-separated line without a header: id,
    title, citations, citations gained and citations per month (one decimal),
    an unknown value empty. The sparkline is for people only.
    """
    if not file.isatty():
        for row in rows:
            fields = (
                row.entry.id,
                _one_line(row.entry.title),
                "" if row.citations is None else str(row.citations),
                "" if row.gained is None else str(row.gained),
                "" if row.per_month is None else f"{row.per_month:.1f}",
            )
            file.write("\t".join(fields) + "\n")
        return
    columns = [
        _Column("ID"),
        _Column("Title", shrinks=True),
        *(_Column(header, right=True) for header in ("Citations", "Gained", "Per month")),
        _Column("Trend"),
    ]
    table: list[list[_Cell]] = []
    for row in rows:
        gained = (UNKNOWN, "dim") if row.gained is None else (f"{row.gained:+,}", None)
        if row.gained:
            gained = (gained[0], "green" if row.gained > 0 else "red")
        table.append(
            [
                (row.entry.id, None),
                _cell(_one_line(row.entry.title)),
                _number(row.citations),
                gained,
                _cell("" if row.per_month is None else f"{row.per_month:.1f}"),
                (row.sparkline, "cyan"),
            ]
        )
    _print_table(columns, table, _console(file, color=color, no_color=no_color, width=width))


def warn(message: str, *, file: TextIO, no_color: bool = False) -> None:
    """Print one ``warning:`` line, its prefix yellow on a terminal."""
    _say("warning:", "bold yellow", message, file=file, no_color=no_color)


def error(message: str, *, file: TextIO, no_color: bool = False) -> None:
    """Print one ``error:`` line, its prefix red on a terminal."""
    _say("error:", "bold red", message, file=file, no_color=no_color)


@contextmanager
def progress(
    description: str, *, file: TextIO, enabled: bool = True, no_color: bool = False
) -> Iterator[ProgressBar]:
    """Show a transient progress bar on a terminal while the block runs; elsewhere show nothing.

    The total is not needed up front: the work reports it with each update.
    """
    if not (enabled and file.isatty()):
        yield ProgressBar(lambda done, total: None)
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    console = _console(file, color=None, no_color=no_color, width=None)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task(description, total=None)
        yield ProgressBar(lambda done, total: bar.update(task, completed=done, total=total))


def _say(prefix: str, style: str, message: str, *, file: TextIO, no_color: bool) -> None:
    if not file.isatty():
        file.write(f"{prefix} {message}\n")
        return
    from rich.text import Text

    line = Text.assemble((prefix, style), " ", message)
    _console(file, color=None, no_color=no_color, width=None).print(line, soft_wrap=True)


def _console(file: TextIO, *, color: bool | None, no_color: bool, width: int | None) -> Console:
    from rich.console import Console

    use_color = (not no_color) if color is None else color
    # Every setting is explicit so that rich's own environment lookups cannot override it.
    return Console(
        file=file,
        force_terminal=True,
        no_color=not use_color,
        color_system="auto" if use_color else None,
        width=width,
        highlight=False,
        markup=False,
        emoji=False,
    )


def _print_table(
    columns: Sequence[_Column], rows: Sequence[Sequence[_Cell]], console: Console
) -> None:
    """Write a header, a rule and one line a row, each column as wide as its widest cell.

    When that is wider than the console, the columns that shrink share what the
    others leave, the narrowest keeping its natural width when it can.
    """
    from rich.cells import cell_len, set_cell_size
    from rich.console import COLOR_SYSTEMS
    from rich.style import Style

    natural = [
        max([cell_len(column.header), *(cell_len(row[index][0]) for row in rows)])
        for index, column in enumerate(columns)
    ]
    widths = list(natural)
    shrinking = sorted((natural[i], i) for i, column in enumerate(columns) if column.shrinks)
    room = console.width - len(_GAP) * (len(columns) - 1)
    room -= sum(width for width, column in zip(natural, columns, strict=True) if not column.shrinks)
    for count, (width, index) in enumerate(shrinking):
        widths[index] = max(1, min(width, room // (len(shrinking) - count)))
        room -= widths[index]
    system = console.color_system
    colors = None if system is None else COLOR_SYSTEMS[system]

    def line(cells: Sequence[_Cell]) -> str:
        parts = []
        for (text, style), width, column in zip(cells, widths, columns, strict=True):
            shown, size = text, cell_len(text)
            if size > width:
                shown, size = set_cell_size(text, width - 1) + "\u2026", width
            if style is not None and colors is not None:
                shown = Style.parse(style).render(shown, color_system=colors)
            padding = " " * (width - size)
            parts.append(padding + shown if column.right else shown + padding)
        return _GAP.join(parts).rstrip(" ")

    lines = [line([(column.header, "bold") for column in columns])]
    lines.append(_GAP.join("\u2500" * width for width in widths))
    lines.extend(line(row) for row in rows)
    console.file.write("\n".join(lines) + "\n")


def _cell(value: str) -> _Cell:
    return (value, None) if value else (UNKNOWN, "dim")


def _number(value: int | None) -> _Cell:
    return (UNKNOWN, "dim") if value is None else (f"{value:,}", None)


def _one_line(value: str | None) -> str:
    # No control character reaches the terminal: an ESC in a title could restyle it.
    return clean(value or "")
