"""Commands that keep lists right: refresh, check and dedupe."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

import typer

from curator.cli.app import (
    CountsOption,
    GroupOption,
    JsonOption,
    ListPath,
    RoundOption,
    SinceOption,
    SortOption,
    TrendingOption,
    app,
    arxiv_source,
    echo,
    explain_leftovers,
    load_settings,
    plural,
    print_json,
    progress_bar,
    reports_errors,
    s2_source,
    warn,
    writing_stdout,
)
from curator.errors import UsageError
from curator.render import CountStyle
from curator.sorting import GroupKey, SortKey


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

    settings = load_settings()
    ages = (METADATA_MAX_AGE, CITATIONS_MAX_AGE)
    if everything:
        ages = (dt.timedelta(0), dt.timedelta(0))
    elif max_age is not None:
        ages = (parse_duration(max_age),) * 2
    arxiv = arxiv_source() if metadata else None
    s2 = s2_source() if citations else None
    reports = []
    with Cache(settings.cache_directory()) as cache:
        for list_path in lists:
            with progress_bar(f"Refreshing {list_path}", enabled=not as_json) as on_progress:
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
                echo(_refresh_summary(report, metadata=metadata, citations=citations))
            explain_leftovers(list_path, report.unresolved, report.pending, report.failures)
            if report.not_asked:
                reason = "offline" if offline else "left for the next refresh"
                warn(f"{reason}: {report.not_asked} look-ups not made for {list_path}")
    if as_json:
        from curator.render.records import refresh_record

        print_json([refresh_record(report) for report in reports])
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
def check(
    lists: Annotated[
        list[Path],
        typer.Argument(metavar="LIST", help="Reading lists to check.", show_default=False),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", metavar="FILE", help="Also check FILE, rendered from the lists."
        ),
    ] = None,
    readme: Annotated[
        Path | None,
        typer.Option(
            metavar="FILE",
            help="Also check the curator regions of FILE (and its size against GitHub's limit).",
        ),
    ] = None,
    fix: Annotated[
        bool,
        typer.Option(
            "--fix",
            help="First apply the safe fixes: merge duplicates (undoable), declare sections "
            "entries use, re-render out-of-date files.",
        ),
    ] = False,
    sort: SortOption = SortKey.DATE,
    group: GroupOption = GroupKey.SECTION,
    counts: CountsOption = CountStyle.PLAIN,
    round_counts: RoundOption = False,
    trending_top: TrendingOption = 0,
    since: SinceOption = "30d",
    as_json: JsonOption = False,
) -> None:
    """Check reading lists for problems; exit 1 when an error remains, so CI can fail on it.

    Errors: entries that are one work (same arXiv id, DOI or Semantic Scholar id),
    unresolved ids, entries without title, authors or year, sections entries use
    but [list] does not name, rendered files out of date, a README over GitHub's
    512 KB render limit. Warnings: possible duplicates (same title and first
    author), pending entries, withdrawn papers, empty sections, a README close to
    the limit. The style options must match those given to curator render.

    Examples: curator check lists/*.toml --readme README.md;
    curator check lists/sam.toml --fix
    """
    from curator import lint, publish
    from curator.durations import parse_duration

    style = publish.Style(sort, group, counts, round_counts, trending_top, parse_duration(since))
    report = lint.run(lists, style, output=output, readme=readme, fix=fix, today=dt.date.today())
    if as_json:
        print_json(
            {
                "errors": report.errors,
                "warnings": len(report.findings) - report.errors,
                "fixed": list(report.fixed),
                "findings": [
                    {
                        "path": str(finding.path),
                        "line": finding.line,
                        "severity": finding.severity.value,
                        "code": finding.problem.value,
                        "message": finding.message,
                        "ids": list(finding.ids),
                        "fixable": finding.fixable,
                    }
                    for finding in report.findings
                ],
            }
        )
    else:
        for line in report.fixed:
            typer.echo(f"fixed: {line}", err=True)
        with writing_stdout():
            for finding in report.findings:
                echo(str(finding))
        fixable = sum(finding.fixable for finding in report.findings)
        hint = f" ({fixable} fixable with --fix)" if fixable and not fix else ""
        warnings = len(report.findings) - report.errors
        typer.echo(
            f"{plural(report.errors, 'error')}, {plural(warnings, 'warning')}{hint}", err=True
        )
    if report.errors:
        raise typer.Exit(1)


@app.command()
@reports_errors
def dedupe(
    list_path: ListPath,
    apply: Annotated[
        bool,
        typer.Option(
            "--apply",
            help="Merge each group of entries that are one work, keeping every user value; "
            "the merge is recorded in NAME.merges.json beside the list.",
        ),
    ] = False,
    undo: Annotated[
        bool, typer.Option("--undo", help="Undo the latest merge recorded for the list.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Find entries of a list that are one work, and merge them.

    Entries are one work when they share an arXiv id, a DOI (the arXiv DOI of a
    preprint, the publisher DOI of its published version) or a Semantic Scholar
    id; each group is shown with that evidence. Entries that only share a title
    and first author are shown as possible duplicates and never merged. A merge
    keeps the entry with an arXiv id, combines notes, tags and sections, fills
    what it lacks from the others, and can be undone with --undo.

    Examples: curator dedupe lists/sam.toml; curator dedupe lists/sam.toml --apply
    """
    from curator import dedupe as use_case

    if apply and undo:
        raise UsageError("--apply and --undo cannot be combined")
    if undo:
        record = use_case.undo(list_path)
        if as_json:
            print_json({"undone": _merge_record(record)})
        else:
            typer.echo(
                f"undone: {', '.join(record.merged)} restored beside {record.kept}", err=True
            )
        return
    if apply:
        merged = use_case.apply(list_path, today=dt.date.today())
        if as_json:
            print_json(
                {
                    "merged": [
                        {
                            **_merge_record(item.record),
                            "conflicts": [
                                {"key": c.key, "id": c.entry_id, "value": c.value}
                                for c in item.conflicts
                            ],
                        }
                        for item in merged
                    ]
                }
            )
            return
        for item in merged:
            typer.echo(f"merged: {', '.join(item.record.merged)} into {item.record.kept}", err=True)
            for conflict in item.conflicts:
                warn(
                    f"{item.record.kept}: kept its own {conflict.key}; {conflict.entry_id} had "
                    f"{conflict.value!r} (in {list_path.stem}.merges.json)"
                )
        typer.echo(f"{plural(len(merged), 'merge')} made", err=True)
        return
    groups = use_case.find(list_path)
    if as_json:
        print_json(
            [
                {
                    "ids": [entry.id for entry in group.entries],
                    "strong": group.strong,
                    "evidence": [
                        {"kind": e.kind, "value": e.value, "ids": list(e.ids)}
                        for e in group.evidence
                    ],
                }
                for group in groups
            ]
        )
        return
    with writing_stdout():
        for group in groups:
            echo("one work:" if group.strong else "possibly one work (not merged by --apply):")
            for entry in group.entries:
                echo(f"  {entry.id}  {entry.title or '(no title)'}")
            for evidence in group.evidence:
                echo(f"  - {evidence}")
    strong = sum(group.strong for group in groups)
    typer.echo(
        f"{plural(strong, 'duplicate group')}, "
        f"{plural(len(groups) - strong, 'possible duplicate')}"
        + ("; merge with --apply" if strong else ""),
        err=True,
    )


def _merge_record(record: Any) -> dict[str, object]:
    return {
        "date": record.date.isoformat(),
        "kept": record.kept,
        "merged": list(record.merged),
        "evidence": list(record.evidence),
    }
