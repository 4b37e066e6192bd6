"""Commands that show and publish lists: render, show, export, trending and plot."""

from __future__ import annotations

import datetime as dt
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer

from curator.cli.app import (
    CountsOption,
    GroupOption,
    JsonOption,
    ListPath,
    ReadmeOption,
    RoundOption,
    SinceOption,
    SortOption,
    TrendingOption,
    app,
    echo,
    no_color,
    print_json,
    reports_errors,
    show_error,
    terminal_ui,
    writing_stdout,
)
from curator.errors import InputError, UsageError
from curator.export import ExportFormat
from curator.render import CountStyle
from curator.sorting import GroupKey, SortKey


@app.command()
@reports_errors
def render(
    lists: Annotated[
        list[Path],
        typer.Argument(metavar="LIST", help="Reading lists to render.", show_default=False),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", metavar="FILE", help="Write the Markdown to FILE instead of stdout."
        ),
    ] = None,
    readme: ReadmeOption = None,
    check: Annotated[
        bool,
        typer.Option(
            "--check",
            help="Write nothing; exit 1 with a diff when FILE or the README region is out of date.",
        ),
    ] = False,
    sort: SortOption = SortKey.DATE,
    group: GroupOption = GroupKey.SECTION,
    counts: CountsOption = CountStyle.PLAIN,
    round_counts: RoundOption = False,
    trending_top: TrendingOption = 0,
    since: SinceOption = "30d",
) -> None:
    """Render reading lists as awesome-list Markdown.

    The same list and history always give the same bytes, and files are written
    only when their content changes, so rendered files stay quiet in git. Counts
    are stated as of the latest refresh recorded in the list's history.

    Examples: curator render lists/sam.toml -o lists/README.md;
    curator render lists/*.toml --readme README.md --check
    """
    from curator import publish
    from curator.durations import parse_duration

    if check and output is None and readme is None:
        raise UsageError("--check compares files: give -o FILE or --readme FILE")
    style = publish.Style(sort, group, counts, round_counts, trending_top, parse_duration(since))
    listings = [publish.load(path, style) for path in lists]
    if output is None and readme is None:
        echo(publish.markdown(listings, style), nl=False)
        return
    targets = publish.plan(listings, style, output=output, readme=readme)
    if check:
        from curator.render.readme import diff

        stale = [target for target in targets if target.stale]
        for target in stale:
            echo(diff(target.current or "", target.wanted, path=str(target.path)), nl=False)
        if stale:
            names = ", ".join(str(target.path) for target in stale)
            show_error(f"out of date: {names}; run the same command without --check to update")
            raise typer.Exit(1)
        return
    written = publish.write(targets)
    for target in targets:
        state = "wrote" if target.path in written else "unchanged"
        typer.echo(f"{state}: {target.path}", err=True)


@app.command()
@reports_errors
def show(list_path: ListPath, sort: SortOption = SortKey.DATE, as_json: JsonOption = False) -> None:
    """Show the papers of a reading list as a table.

    The table has the id, title, first author, year, section and status of each
    paper; it is plain text when stdout is not a terminal, and without colour when
    NO_COLOR is set. --json prints a JSON array of objects instead.

    Example: curator show lists/sam.toml --sort title
    """
    from curator import publish
    from curator.sorting import sort_entries

    listing = publish.load(list_path, publish.Style())
    # Velocity is counted up to the latest refresh, or today when there has been none.
    as_of = listing.as_of or dt.date.today()
    entries = sort_entries(listing.reading_list.entries, sort, as_of=as_of)
    if as_json:
        from curator.render.records import entry_record

        print_json([entry_record(entry, as_of=as_of) for entry in entries])
        return
    with writing_stdout():
        terminal_ui().show_table(entries, file=sys.stdout, as_of=as_of, no_color=no_color())


class TrendKey(str, Enum):
    """What ``curator trending`` ranks by."""

    GAINED = "gained"
    VELOCITY = "velocity"


@app.command()
@reports_errors
def trending(
    list_path: ListPath,
    since: Annotated[
        str, typer.Option(metavar="DURATION", help="The window to count gained citations over.")
    ] = "30d",
    top: Annotated[int, typer.Option(min=1, help="How many papers to show.")] = 10,
    by: Annotated[
        TrendKey,
        typer.Option(
            "--by", help="Rank by citations gained in the window, or by citations per month."
        ),
    ] = TrendKey.GAINED,
    as_json: JsonOption = False,
) -> None:
    """Rank the papers of LIST by the citations they gained recently.

    Gains come from LIST's history (NAME.history.csv), which 'curator refresh'
    appends to; per-month rates count from each paper's first version. Each row
    has a sparkline of the counts seen in the window. Needs no network.

    Example: curator trending lists/sam.toml --since 90d --top 5
    """
    from curator import store, trends
    from curator.durations import parse_duration

    window = parse_duration(since)
    reading_list = store.load(list_path)
    observed = history_of(list_path)
    today = dt.date.today()
    known = [
        trend
        for trend in trends.compute(reading_list.entries, observed, today=today, since=window)
        if trend.citations is not None
    ]
    ranked = trends.rank(known, by="gained" if by is TrendKey.GAINED else "per_month", top=top)
    entries = {entry.id: entry for entry in reading_list.entries}
    if as_json:
        from curator.render.records import trend_record

        print_json(
            [
                trend_record(
                    entries[trend.id],
                    citations=trend.citations,
                    gained=trend.gained,
                    per_month=trend.per_month,
                    series=trend.series,
                )
                for trend in ranked
            ]
        )
        return
    terminal = terminal_ui()
    rows = [
        terminal.TrendingRow(
            entries[trend.id],
            trend.citations,
            trend.gained,
            trend.per_month,
            trends.sparkline(trend.series),
        )
        for trend in ranked
    ]
    with writing_stdout():
        terminal.trending_table(rows, file=sys.stdout, no_color=no_color())


@app.command()
@reports_errors
def plot(
    list_path: ListPath,
    output: Annotated[
        Path,
        typer.Option(
            "--output", "-o", metavar="FILE", help="The SVG file to write.", show_default=False
        ),
    ],
    top: Annotated[int, typer.Option(min=1, help="How many of the most cited papers to draw.")] = 5,
) -> None:
    """Draw the citation growth of the most cited papers of LIST as an SVG chart.

    The points are the counts in LIST's history (NAME.history.csv); the chart is
    deterministic and written only when it changes, so it can live in git and be
    embedded in a README.

    Example: curator plot lists/sam.toml -o lists/citations.svg --top 8
    """
    from curator import files, store, trends
    from curator.render.plot import citation_chart

    reading_list = store.load(list_path)
    series = trends.growth(reading_list.entries, history_of(list_path), top=top)
    labels = {entry.id: entry.title or entry.id for entry in reading_list.entries}
    title = f"Citations of {reading_list.title or reading_list.name}"
    svg = citation_chart(series, labels=labels, title=title)
    state = "unchanged"
    if files.read_text(output) != svg:
        files.write_atomic(output, svg)
        state = "wrote"
    typer.echo(f"{state}: {output}", err=True)


@app.command()
@reports_errors
def export(
    list_path: ListPath,
    export_format: Annotated[
        ExportFormat,
        typer.Option(
            "--format",
            "-f",
            help="BibTeX entries, a CSL-JSON array, or every field as JSON or CSV.",
        ),
    ] = ExportFormat.BIBTEX,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write to FILE instead of stdout."),
    ] = None,
) -> None:
    """Export the papers of LIST for reference managers, LaTeX, pandoc or spreadsheets.

    BibTeX has one @misc entry per paper with a stable key (kirillov2023segment),
    the arXiv eprint fields and the publisher's DOI and venue when known; CSL-JSON
    the same papers for citation processors; JSON and CSV every field, as 'curator
    show --json' gives them. The same list always gives the same output, and FILE
    is written only when it changes.

    Example: curator export lists/sam.toml --format bibtex -o references.bib
    """
    from curator import files, publish
    from curator.export import export as run

    listing = publish.load(list_path, publish.Style())
    text = run(listing.reading_list, export_format, as_of=listing.as_of)
    if output is None:
        echo(text, nl=False)
        return
    state = "unchanged"
    if files.read_text(output) != text:
        files.write_atomic(output, text)
        state = "wrote"
    typer.echo(f"{state}: {output}", err=True)


def history_of(list_path: Path) -> Any:
    """Return the citation history of a list, or fail clearly when there is none yet."""
    from curator import history

    path = history.history_path(list_path)
    observed = history.read(path)
    if not observed:
        raise InputError(
            f"{path}: no citation history yet; run 'curator refresh {list_path}' to start one"
        )
    return observed
