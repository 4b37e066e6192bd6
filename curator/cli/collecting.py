"""Commands that collect papers: extract, harvest and import."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

import typer

from curator.cli.app import (
    JsonOption,
    app,
    arxiv_source,
    echo,
    explain_leftovers,
    load_settings,
    print_json,
    progress_bar,
    reports_errors,
    warn,
    web_fetcher,
)


@app.command()
@reports_errors
def extract(
    sources: Annotated[
        list[str],
        typer.Argument(
            metavar="SOURCE",
            help="Files, directories, '-' for stdin, or http(s) URLs "
            "(a GitHub repository URL means its README).",
            show_default=False,
        ),
    ],
    as_json: JsonOption = False,
    bare: Annotated[
        bool,
        typer.Option(
            "--bare", help="Also take bare ids such as 2304.02643 that have no arXiv context."
        ),
    ] = False,
) -> None:
    """Print the distinct arXiv papers found in SOURCEs, one canonical id per line.

    Papers come in order of first appearance. Files are never sent over the
    network. With --json, each line is an object with the id, the versions seen
    and every occurrence (source, line, column, text; for chat exports also the
    message id, date and author).

    Example: curator extract posts.txt notes/ https://github.com/OWNER/awesome-list
    """
    from curator import extract as extraction

    options: dict[str, Any] = {"bare": bare, "fetch": web_fetcher(), "on_warning": warn}
    if as_json:
        from curator.render.records import mentions_record

        for mentions in extraction.group(extraction.extract(sources, **options)):
            print_json(mentions_record(mentions), indent=None)
        return
    # Plain output needs no occurrences: the id-only scan streams several times faster.
    for identifier in extraction.papers(sources, **options):
        echo(identifier)


@app.command()
@reports_errors
def harvest(
    sources: Annotated[
        list[str],
        typer.Argument(
            metavar="SOURCE",
            help="Where to look for links, as for 'curator extract'.",
            show_default=False,
        ),
    ],
    list_path: Annotated[
        Path,
        typer.Option(
            "--list",
            "-l",
            metavar="PATH",
            help="The reading list to add to; created when missing.",
            show_default=False,
        ),
    ],
    section: Annotated[
        str | None, typer.Option(metavar="NAME", help="Put new papers in this section.")
    ] = None,
    tag: Annotated[
        list[str] | None,
        typer.Option(metavar="TAG", help="Tag new papers (repeat for several tags)."),
    ] = None,
    bare: Annotated[
        bool, typer.Option("--bare", help="Also take bare ids without arXiv context.")
    ] = False,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="Show what would be added; change nothing, ask no service."),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Add the arXiv papers found in SOURCEs to a reading list, with their arXiv metadata.

    Papers already in the list gain only the new provenance; new papers are looked
    up on the arXiv API (at most 100 per request, one request at a time, 3 s apart by
    default). When arXiv cannot be reached, new papers are still written, marked
    pending, and 'curator refresh LIST' finishes them later. The exit status is 1
    when anything stayed pending or unresolved.

    Example: curator harvest channel-export/result.json --list lists/sam.toml --section Medical
    """
    from curator.cache import Cache
    from curator.extract import extract as find
    from curator.extract import group
    from curator.harvest import harvest as run

    found = list(find(sources, bare=bare, fetch=web_fetcher(), on_warning=warn))
    mentions = group(found)
    with (
        Cache(load_settings().cache_directory()) as cache,
        progress_bar("Resolving on arXiv", enabled=not as_json) as on_progress,
    ):
        report = run(
            mentions,
            links=len(found),
            list_path=list_path,
            source=arxiv_source(),
            today=dt.date.today(),
            section=section,
            tags=tag or (),
            dry_run=dry_run,
            cache=cache,
            on_progress=on_progress,
        )
    _report_harvest(report, as_json=as_json)


def _report_harvest(report: Any, *, as_json: bool) -> None:
    if as_json:
        from curator.render.records import harvest_record

        print_json(harvest_record(report))
    else:
        verb = "would add" if report.dry_run else "added"
        echo(
            f"{report.list_path}: {report.links} links, {report.papers} distinct papers, "
            f"{len(report.already_listed)} already listed, {len(report.added)} {verb}, "
            f"{len(report.unresolved)} unresolved, {len(report.pending)} pending"
        )
    explain_leftovers(report.list_path, report.unresolved, report.pending, report.failures)
    if not report.complete:
        raise typer.Exit(1)


@app.command("import")
@reports_errors
def import_(
    source: Annotated[
        str,
        typer.Argument(
            metavar="FILE",
            help="A BibTeX file, or an awesome-list README (a Markdown file, or its URL).",
            show_default=False,
        ),
    ],
    list_path: Annotated[
        Path,
        typer.Option(
            "--list",
            metavar="PATH",
            help="The reading list to add to; created if missing.",
            show_default=False,
        ),
    ],
    section: Annotated[
        str | None,
        typer.Option(metavar="NAME", help="Section of papers that no heading places."),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would be added; change nothing.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Import the papers of a BibTeX file or of an existing awesome list into a reading list.

    From BibTeX: every arXiv eprint, arXiv DOI and arXiv link in its entries. From
    an awesome list: every arXiv link, each paper in the section named by the
    heading above it and with the words of its item as its note; the sections are
    added to [list], and the list's title is taken when the reading list has none.
    Papers already in the list keep their own section and note. New papers are
    resolved on arXiv as with harvest.

    Examples: curator import references.bib --list lists/sam.toml;
    curator import https://github.com/OWNER/awesome-sam --list lists/sam.toml
    """
    from curator import importing, store
    from curator.cache import Cache
    from curator.harvest import harvest as run

    imported = importing.read(source, fetch=web_fetcher(), on_warning=warn)
    if not dry_run and (imported.sections or imported.title):
        with store.editing(list_path, create=True) as editor:
            editor.add_sections(imported.sections)
            if editor.reading_list.title is None:
                editor.set_list_info(title=imported.title, description=None)
    with (
        Cache(load_settings().cache_directory()) as cache,
        progress_bar("Resolving on arXiv", enabled=not as_json) as on_progress,
    ):
        report = run(
            imported.mentions,
            links=imported.links,
            list_path=list_path,
            source=arxiv_source(),
            today=dt.date.today(),
            section=section,
            dry_run=dry_run,
            cache=cache,
            on_progress=on_progress,
            placements=imported.placements,
        )
    _report_harvest(report, as_json=as_json)
