"""Everything curator prints for people at a terminal: tables, warnings, progress.

The only module that imports rich. Output to a terminal is styled; output to
anything else (a pipe, a file) is plain text for scripts. Colour follows the
``color`` and ``no_color`` arguments only: the caller reads the environment.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TextIO

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table
from rich.text import Text

from curator.models import Entry, Status

UNKNOWN = "\u2013"
"""Shown in a table cell whose value is unknown."""

_STATUS_STYLES = {Status.RESOLVED: "green", Status.PENDING: "yellow", Status.UNRESOLVED: "red"}


@dataclass(frozen=True, slots=True)
class ProgressBar:
    """A handle to report progress on; does nothing when progress is not shown."""

    _update: Callable[[int, int], None]

    def update(self, done: int, total: int) -> None:
        """Show ``done`` of ``total`` units of work as complete."""
        self._update(done, total)


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


def show_table(
    entries: Sequence[Entry],
    *,
    file: TextIO,
    color: bool | None = None,
    no_color: bool = False,
    width: int | None = None,
) -> None:
    """Print entries as a table on a terminal, or as tab-separated lines without a header elsewhere.

    The plain form has one line per entry with the columns of ``table_row``, an
    empty field for an unknown value, and tabs and line breaks inside values
    turned into spaces. ``color`` forces colour on or off; when it is None,
    colour is used unless ``no_color`` is set (the NO_COLOR convention).
    """
    if not file.isatty():
        for entry in entries:
            file.write("\t".join(table_row(entry)) + "\n")
        return
    table = Table(highlight=False)
    for header in ("ID", "Title", "First author", "Year", "Section", "Status"):
        table.add_column(header, no_wrap=header in {"ID", "Year", "Status"})
    for entry in entries:
        *cells, status = table_row(entry)
        # Text objects, not strings: a title such as "[red]x" must not be read as markup.
        table.add_row(
            *(Text(cell) if cell else Text(UNKNOWN, style="dim") for cell in cells),
            Text(status, style=_STATUS_STYLES[entry.status]),
        )
    _console(file, color=color, no_color=no_color, width=width).print(table)


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
    console = _console(file, color=None, no_color=no_color, width=None)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task(description, total=None)
        yield ProgressBar(lambda done, total: bar.update(task, completed=done, total=total))


def _say(prefix: str, style: str, message: str, *, file: TextIO, no_color: bool) -> None:
    if not file.isatty():
        file.write(f"{prefix} {message}\n")
        return
    line = Text.assemble((prefix, style), " ", message)
    _console(file, color=None, no_color=no_color, width=None).print(line, soft_wrap=True)


def _console(file: TextIO, *, color: bool | None, no_color: bool, width: int | None) -> Console:
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


def _one_line(value: str | None) -> str:
    return " ".join((value or "").split())
