"""The ``curator`` command line: parse options, call one use case, print its result."""

from __future__ import annotations

import datetime as dt
import functools
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from curator.errors import CuratorError, InputError, UsageError, WriteError
from curator.render.markdown import CountStyle
from curator.sorting import GroupKey, SortKey

if TYPE_CHECKING:
    from curator.config import Settings

Command = TypeVar("Command", bound=Callable[..., None])

app = typer.Typer(
    name="curator",
    help=(
        "Harvest arXiv links from posts, chats and lists into TOML reading lists, "
        "and render them as awesome-list Markdown.\n\n"
        "Start with: curator harvest POST.txt --list lists/papers.toml"
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

ListPath = Annotated[
    Path, typer.Argument(metavar="LIST", help="A TOML reading list.", show_default=False)
]
SortOption = Annotated[
    SortKey, typer.Option("--sort", help="Order of the papers; ties fall back to the id.")
]
JsonOption = Annotated[
    bool, typer.Option("--json", help="Print machine-readable JSON instead of text.")
]


def reports_errors(command: Command) -> Command:
    """Turn curator's own errors into one line on stderr and their exit status."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        try:
            command(*args, **kwargs)
        except CuratorError as error:
            _error(str(error))
            raise typer.Exit(error.exit_code) from None
        except KeyboardInterrupt:
            _error("interrupted; everything completed so far is saved")
            raise typer.Exit(130) from None

    return wrapper  # type: ignore[return-value]


def _terminal() -> Any:
    # Imported late: rich is slow to import and most failures happen before output.
    from curator.render import terminal

    return terminal


def _settings() -> Settings:
    # Imported late (it pulls in platformdirs) to keep ``curator --help`` fast.
    from curator.config import Settings

    return Settings.from_environment()


def _no_color() -> bool:
    """Tell whether the user asked for output without colour (see ``curator.config``)."""
    from curator import config

    return config.no_color()


def _version(value: bool) -> None:
    if value:
        from curator import __version__

        typer.echo(f"curator {__version__}")
        raise typer.Exit


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", help="Print the version and exit.", callback=_version, is_eager=True
        ),
    ] = False,
    verbose: Annotated[
        int,
        typer.Option(
            "--verbose",
            "-v",
            count=True,
            help="Say more on stderr: -v what is being done, -vv every request.",
        ),
    ] = 0,
) -> None:
    """Harvest arXiv links into TOML reading lists and render awesome-list Markdown."""
    _log_to_stderr(verbose)


def _log_to_stderr(verbose: int) -> None:
    """Show curator's log records on stderr as ``level: message`` lines (retries, skipped files)."""
    import logging  # imported late: not needed for ``curator --help``

    class _LevelFormatter(logging.Formatter):
        def format(self, record: logging.LogRecord) -> str:
            record.levelname = record.levelname.lower()
            return super().format(record)

    logger = logging.getLogger("curator")
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_LevelFormatter("%(levelname)s: %(message)s"))
    logger.addHandler(handler)
    logger.setLevel((logging.WARNING, logging.INFO)[verbose] if verbose < 2 else logging.DEBUG)
    logger.propagate = False


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

    options: dict[str, Any] = {"bare": bare, "fetch": _fetcher(), "on_warning": _warn}
    if as_json:
        from curator.render.records import mentions_record

        for mentions in extraction.group(extraction.extract(sources, **options)):
            _print_json(mentions_record(mentions), indent=None)
        return
    # Plain output needs no occurrences: the id-only scan streams several times faster.
    for identifier in extraction.papers(sources, **options):
        _echo(identifier)


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

    found = list(find(sources, bare=bare, fetch=_fetcher(), on_warning=_warn))
    mentions = group(found)
    with (
        Cache(_settings().cache_directory()) as cache,
        _progress("Resolving on arXiv", enabled=not as_json) as on_progress,
    ):
        report = run(
            mentions,
            links=len(found),
            list_path=list_path,
            source=_arxiv(),
            today=dt.date.today(),
            section=section,
            tags=tag or (),
            dry_run=dry_run,
            cache=cache,
            on_progress=on_progress,
        )
    if as_json:
        from curator.render.records import harvest_record

        _print_json(harvest_record(report))
    else:
        verb = "would add" if dry_run else "added"
        _echo(
            f"{report.list_path}: {report.links} links, {report.papers} distinct papers, "
            f"{len(report.already_listed)} already listed, {len(report.added)} {verb}, "
            f"{len(report.unresolved)} unresolved, {len(report.pending)} pending"
        )
    _explain_leftovers(report.list_path, report.unresolved, report.pending, report.failures)
    if not report.complete:
        raise typer.Exit(1)


@app.command()
@reports_errors
def refresh(
    lists: Annotated[
        list[Path],
        typer.Argument(metavar="LIST", help="Reading lists to refresh.", show_default=False),
    ],
    metadata: Annotated[
        bool,
        typer.Option(
            "--metadata/--no-metadata",
            help="Check arXiv metadata (titles, authors, versions, DOI, journal reference).",
        ),
    ] = True,
    citations: Annotated[
        bool,
        typer.Option(
            "--citations/--no-citations",
            help="Fetch citation counts, venues and published DOIs from Semantic Scholar.",
        ),
    ] = True,
    max_age: Annotated[
        str | None,
        typer.Option(
            "--max-age",
            metavar="DURATION",
            help="Ask again only for answers older than this, like 12h, 7d or 0 "
            "[default: 30d for metadata, 7d for citations].",
            show_default=False,
        ),
    ] = None,
    everything: Annotated[
        bool, typer.Option("--all", help="Ask for every paper again now (same as --max-age 0).")
    ] = False,
    offline: Annotated[
        bool,
        typer.Option(
            "--offline", help="Ask no service: use cached answers and say what was skipped."
        ),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Bring each LIST up to date: arXiv metadata and Semantic Scholar citation counts.

    Pending and unresolved papers are always looked up; the others only when the
    cached answer is older than --max-age, so a second refresh soon after asks
    nothing. Counts that changed are appended, dated, to LIST's history file
    (NAME.history.csv beside it) for 'curator trending'. Progress is saved after
    every batch, so an interrupted refresh keeps its work and the next one
    continues. The exit status is 1 when a paper is still pending or unresolved,
    or a service failed.

    Example: S2_API_KEY=... curator refresh lists/*.toml --max-age 1d
    """
    from curator.cache import Cache
    from curator.durations import parse_duration
    from curator.refresh import CITATIONS_MAX_AGE, METADATA_MAX_AGE
    from curator.refresh import refresh as run

    settings = _settings()
    ages = (METADATA_MAX_AGE, CITATIONS_MAX_AGE)
    if everything:
        ages = (dt.timedelta(0), dt.timedelta(0))
    elif max_age is not None:
        ages = (parse_duration(max_age),) * 2
    arxiv = _arxiv() if metadata else None
    s2 = _semantic_scholar() if citations else None
    reports = []
    with Cache(settings.cache_directory()) as cache:
        for list_path in lists:
            with _progress(f"Refreshing {list_path}", enabled=not as_json) as on_progress:
                report = run(
                    list_path,
                    cache=cache,
                    today=dt.date.today(),
                    arxiv=arxiv,
                    s2=s2,
                    metadata_max_age=ages[0],
                    citations_max_age=ages[1],
                    offline=offline,
                    on_progress=on_progress,
                )
            reports.append(report)
            if not as_json:
                _echo(_refresh_summary(report, metadata=metadata, citations=citations))
            _explain_leftovers(list_path, report.unresolved, report.pending, report.failures)
            if report.not_asked:
                reason = "offline" if offline else "left for the next refresh"
                _warn(f"{reason}: {report.not_asked} look-ups not made for {list_path}")
    if as_json:
        from curator.render.records import refresh_record

        _print_json([refresh_record(report) for report in reports])
    if not all(report.complete for report in reports):
        raise typer.Exit(1)


def _refresh_summary(report: Any, *, metadata: bool, citations: bool) -> str:
    parts = []
    if metadata:
        parts.append(
            f"{len(report.checked)} checked on arXiv ({len(report.resolved)} resolved, "
            f"{len(report.unresolved)} unresolved, {len(report.pending)} pending)"
        )
    if citations:
        parts.append(
            f"{len(report.citations_checked)} checked on Semantic Scholar "
            f"({report.citations_known} with counts, {len(report.citations_unknown)} unknown, "
            f"{report.history_rows} history rows added)"
        )
    return f"{report.list_path}: " + "; ".join(parts)


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
    readme: Annotated[
        Path | None,
        typer.Option(
            metavar="FILE",
            help="Regenerate the region between <!-- curator:start NAME --> and "
            "<!-- curator:end NAME --> of FILE, NAME being each list's file name without .toml.",
        ),
    ] = None,
    check: Annotated[
        bool,
        typer.Option(
            "--check",
            help="Write nothing; exit 1 with a diff when FILE or the README region is out of date.",
        ),
    ] = False,
    sort: SortOption = SortKey.DATE,
    group: Annotated[
        GroupKey, typer.Option("--group", help="How to group the papers under headings.")
    ] = GroupKey.SECTION,
    counts: Annotated[
        CountStyle,
        typer.Option("--counts", help="Show citation counts as text, as badges, or not at all."),
    ] = CountStyle.PLAIN,
    round_counts: Annotated[
        bool,
        typer.Option(
            "--round", help="Round counts (1,234 as 1.2k) so small changes rewrite no file."
        ),
    ] = False,
    trending_top: Annotated[
        int,
        typer.Option(
            "--trending",
            metavar="N",
            min=0,
            help="Add a Trending section with the N papers that gained most citations.",
        ),
    ] = 0,
    since: Annotated[
        str,
        typer.Option(metavar="DURATION", help="The window of the Trending section."),
    ] = "30d",
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
        _echo(publish.markdown(listings, style), nl=False)
        return
    targets = publish.plan(listings, style, output=output, readme=readme)
    if check:
        from curator.render.readme import diff

        stale = [target for target in targets if target.stale]
        for target in stale:
            _echo(diff(target.current or "", target.wanted, path=str(target.path)), nl=False)
        if stale:
            names = ", ".join(str(target.path) for target in stale)
            _error(f"out of date: {names}; run the same command without --check to update")
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

        _print_json([entry_record(entry, as_of=as_of) for entry in entries])
        return
    with _stdout():
        _terminal().show_table(entries, file=sys.stdout, as_of=as_of, no_color=_no_color())


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
    observed = _history_of(list_path)
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

        _print_json(
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
    terminal = _terminal()
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
    with _stdout():
        terminal.trending_table(rows, file=sys.stdout, no_color=_no_color())


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
    series = trends.growth(reading_list.entries, _history_of(list_path), top=top)
    labels = {entry.id: entry.title or entry.id for entry in reading_list.entries}
    title = f"Citations of {reading_list.title or reading_list.name}"
    svg = citation_chart(series, labels=labels, title=title)
    state = "unchanged"
    if files.read_text(output) != svg:
        files.write_atomic(output, svg)
        state = "wrote"
    typer.echo(f"{state}: {output}", err=True)


def _history_of(list_path: Path) -> Any:
    """Return the citation history of a list, or fail clearly when there is none yet."""
    from curator import history

    path = history.history_path(list_path)
    observed = history.read(path)
    if not observed:
        raise InputError(
            f"{path}: no citation history yet; run 'curator refresh {list_path}' to start one"
        )
    return observed


def _print_json(value: object, *, indent: int | None = 2) -> None:
    import json

    _echo(json.dumps(value, ensure_ascii=False, indent=indent))


def _echo(text: str, *, nl: bool = True) -> None:
    with _stdout():
        typer.echo(text, nl=nl)


@contextmanager
def _stdout() -> Iterator[None]:
    """Turn a standard output that refuses text (a full disk) into one error line."""
    try:
        yield
        sys.stdout.flush()
    except BrokenPipeError:
        raise  # the reader has gone (curator ... | head): click exits quietly
    except OSError as error:
        raise WriteError(f"standard output: cannot write ({error.strerror or error})") from error


def _warn(message: str) -> None:
    _terminal().warn(message, file=sys.stderr, no_color=_no_color())


def _error(message: str) -> None:
    _terminal().error(message, file=sys.stderr, no_color=_no_color())


def _fetcher() -> Callable[[str], bytes]:
    def fetch(url: str) -> bytes:
        from curator.sources.web import fetch_document

        return fetch_document(url)

    return fetch


def _semantic_scholar() -> Any:
    from curator.sources.semantic_scholar import SemanticScholarSource

    settings = _settings()
    return SemanticScholarSource(
        api_root=settings.s2_api, api_key=settings.s2_api_key, delay=settings.s2_delay
    )


def _arxiv() -> Any:
    from curator.sources.arxiv import ArxivSource

    settings = _settings()
    return ArxivSource(endpoint=settings.arxiv_api, delay=settings.arxiv_delay)


@contextmanager
def _progress(description: str, *, enabled: bool) -> Iterator[Callable[[int, int], None]]:
    with _terminal().progress(
        description, file=sys.stderr, enabled=enabled, no_color=_no_color()
    ) as bar:
        yield bar.update


def _explain_leftovers(
    list_path: Path,
    unresolved: Sequence[str],
    pending: Sequence[str],
    failures: Sequence[CuratorError],
) -> None:
    for failure in failures:
        _error(str(failure))
    if pending:
        _warn(
            f"{len(pending)} papers kept as pending in {list_path}; "
            f"run 'curator refresh {list_path}' later"
        )
    if unresolved:
        _warn(
            f"arXiv does not know {len(unresolved)} ids, kept as unresolved in {list_path}: "
            + ", ".join(unresolved)
        )


def main() -> None:
    """Run the curator command line."""
    app()
