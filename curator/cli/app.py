"""What every curator command shares: the Typer app, its options, errors and output.

The commands themselves live in :mod:`curator.cli.collecting` (extract, harvest, import),
:mod:`curator.cli.maintaining` (refresh, check, dedupe) and :mod:`curator.cli.publishing`
(render, show, export, trending, plot). Heavy libraries are imported inside functions, so
that ``curator --help`` stays fast.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from typer.core import TyperGroup

from curator.errors import CuratorError, WriteError
from curator.render import CountStyle
from curator.sorting import GroupKey, SortKey

if TYPE_CHECKING:
    from curator.config import Settings

Command = TypeVar("Command", bound=Callable[..., None])

try:  # recent typer releases bundle their own copy of click; older ones depend on click
    from typer._click.exceptions import ClickException
except ImportError:  # pragma: no cover - depends on the installed typer
    from click.exceptions import ClickException  # type: ignore[no-redef, import-not-found]


class _Commands(TyperGroup):
    """curator's command group: a usage error is one ``error:`` line, like every other error."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        """Run the command line, turning click's multi-line usage errors into one line."""
        if not standalone_mode:
            return super().main(
                args, prog_name, complete_var, standalone_mode, windows_expand_args, **extra
            )
        try:
            # Not standalone: click raises its errors here instead of printing them itself.
            status = super().main(
                args, prog_name, complete_var, False, windows_expand_args, **extra
            )
        except ClickException as error:
            if type(error).__name__ == "NoArgsIsHelpError":
                error.show()  # bare ``curator``: the help text, as before
            else:
                show_error(_usage_message(error))
            sys.exit(error.exit_code)
        except CuratorError as error:
            show_error(str(error))
            sys.exit(error.exit_code)
        # An explicit exit (typer.Exit, --help, --version) comes back as its status; a
        # command that returns normally gives None.
        sys.exit(status if isinstance(status, int) else 0)


def _usage_message(error: ClickException) -> str:
    """Return click's message for a usage error as one line that says where help is."""
    message = " ".join(error.format_message().split()).rstrip(".")
    if message[1:2].islower():  # "No such option" reads as curator's own messages do
        message = message[:1].lower() + message[1:]
    context = getattr(error, "ctx", None)
    command = "curator" if context is None else context.command_path
    # "Did you mean 'show'?" ends a sentence already.
    see = " See" if message.endswith("?") else "; see"
    return f"{message}{see} '{command} --help'"


app = typer.Typer(
    cls=_Commands,
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
ReadmeOption = Annotated[
    Path | None,
    typer.Option(
        metavar="FILE",
        help="Regenerate the region between <!-- curator:start NAME --> and "
        "<!-- curator:end NAME --> of FILE, NAME being each list's file name without .toml.",
    ),
]
# The style options of ``render``, shared with ``check``, which compares what render would write.
GroupOption = Annotated[
    GroupKey, typer.Option("--group", help="How to group the papers under headings.")
]
CountsOption = Annotated[
    CountStyle,
    typer.Option("--counts", help="Show citation counts as text, as badges, or not at all."),
]
RoundOption = Annotated[
    bool,
    typer.Option("--round", help="Round counts (1,234 as 1.2k) so small changes rewrite no file."),
]
TrendingOption = Annotated[
    int,
    typer.Option(
        "--trending",
        metavar="N",
        min=0,
        help="Add a Trending section with the N papers that gained most citations.",
    ),
]
SinceOption = Annotated[
    str, typer.Option(metavar="DURATION", help="The window of the Trending section.")
]


def reports_errors(command: Command) -> Command:
    """Turn curator's own errors into one line on stderr and their exit status."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        try:
            _refuse_special_lists(kwargs)
            command(*args, **kwargs)
        except CuratorError as error:
            show_error(str(error))
            raise typer.Exit(error.exit_code) from None
        except KeyboardInterrupt:
            show_error("interrupted; everything completed so far is saved")
            raise typer.Exit(130) from None

    return wrapper  # type: ignore[return-value]


def _refuse_special_lists(arguments: dict[str, Any]) -> None:
    """Refuse a LIST that names a named pipe or a device: reading it could block or never end."""
    from curator import files

    for name in ("list_path", "lists"):
        value = arguments.get(name)
        for path in value if isinstance(value, list) else [value]:
            if isinstance(path, Path):
                files.refuse_special(path, role="a reading list")


def terminal_ui() -> Any:
    # Imported late: rich is slow to import and most failures happen before output.
    from curator.render import terminal

    return terminal


def load_settings() -> Settings:
    # Imported late (it pulls in platformdirs) to keep ``curator --help`` fast.
    from curator.config import Settings

    return Settings.from_environment()


def no_color() -> bool:
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


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def print_json(value: object, *, indent: int | None = 2) -> None:
    import json

    echo(json.dumps(value, ensure_ascii=False, indent=indent))


def echo(text: str, *, nl: bool = True) -> None:
    with writing_stdout():
        typer.echo(text, nl=nl)


@contextmanager
def writing_stdout() -> Iterator[None]:
    """Turn a standard output that refuses text (a full disk) into one error line."""
    try:
        yield
        sys.stdout.flush()
    except BrokenPipeError:
        raise  # the reader has gone (curator ... | head): click exits quietly
    except OSError as error:
        raise WriteError(f"standard output: cannot write ({error.strerror or error})") from error


def warn(message: str) -> None:
    terminal_ui().warn(message, file=sys.stderr, no_color=no_color())


def show_error(message: str) -> None:
    terminal_ui().error(message, file=sys.stderr, no_color=no_color())


def web_fetcher() -> Callable[[str], bytes]:
    def fetch(url: str) -> bytes:
        from curator.sources.http import new_session
        from curator.sources.web import fetch_document

        with new_session(timeout=load_settings().timeout) as session:
            return fetch_document(url, session=session)

    return fetch


def s2_source() -> Any:
    from curator.sources.semantic_scholar import SemanticScholarSource

    settings = load_settings()
    return SemanticScholarSource(
        api_root=settings.s2_api,
        api_key=settings.s2_api_key,
        delay=settings.s2_delay,
        timeout=settings.timeout,
    )


def arxiv_source() -> Any:
    from curator.sources.arxiv import ArxivSource

    settings = load_settings()
    return ArxivSource(
        endpoint=settings.arxiv_api, delay=settings.arxiv_delay, timeout=settings.timeout
    )


@contextmanager
def progress_bar(description: str, *, enabled: bool) -> Iterator[Callable[[int, int], None]]:
    with terminal_ui().progress(
        description, file=sys.stderr, enabled=enabled, no_color=no_color()
    ) as bar:
        yield bar.update


def explain_leftovers(
    list_path: Path,
    unresolved: Sequence[str],
    pending: Sequence[str],
    failures: Sequence[CuratorError],
) -> None:
    for failure in failures:
        show_error(str(failure))
    if pending:
        warn(
            f"{len(pending)} papers kept as pending in {list_path}; "
            f"run 'curator refresh {list_path}' later"
        )
    if unresolved:
        warn(
            f"arXiv does not know {len(unresolved)} ids, kept as unresolved in {list_path}: "
            + ", ".join(unresolved)
        )


def main() -> None:
    """Run the curator command line."""
    app()
