"""The job summary of curator's GitHub Action, in GitHub-flavoured Markdown.

Built only from what curator printed as JSON (``refresh``, ``show`` and ``trending``) and
what the action did; every title is escaped, so a list cannot inject Markdown or HTML.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

MAX_ROWS = 20
"""Rows shown per table or list; the rest are counted."""
TRENDING_DAYS = 30
"""The window of the top gainers, in days."""


@dataclass
class Outcome:
    """What one run did, for the outputs and the job summary."""

    lists: list[str]
    """The list files, as given to curator."""
    reports: list[dict[str, Any]] = field(default_factory=list)
    """``curator refresh --json``, one object per list."""
    before: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    """Each list's papers by id before the refresh (``curator show --json``)."""
    after: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    """The same after the refresh."""
    gainers: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    """Each list's papers that gained citations (``curator trending --json``)."""
    changed: list[str] = field(default_factory=list)
    """The files the run changed."""
    commit: str = ""
    """The commit pushed, or empty."""
    branch: str = ""
    """The branch pushed to."""


def refresh_line(report: Mapping[str, Any]) -> str:
    """Say in one line what ``curator refresh --json`` reported for a list."""
    return (
        f"{len(report.get('checked', []))} checked on arXiv "
        f"({len(report.get('resolved', []))} resolved, "
        f"{len(report.get('unresolved', []))} unresolved, "
        f"{len(report.get('pending', []))} pending); "
        f"{len(report.get('citations_checked', []))} checked on Semantic Scholar "
        f"({report.get('citations_known', 0)} with counts, "
        f"{len(report.get('citations_unknown', []))} unknown, "
        f"{report.get('history_rows', 0)} history rows added)"
    )


_MARKDOWN_SPECIAL = "\\`*_[]<>|~"


def md_text(text: object) -> str:
    """Return ``text`` as inline Markdown that shows as written: on one line, escaped."""
    flat = " ".join(str(text).split())
    return "".join(f"\\{char}" if char in _MARKDOWN_SPECIAL else char for char in flat)


def _paper_link(paper: Mapping[str, Any], identifier: str) -> str:
    title = paper.get("title") or identifier
    url = paper.get("url") or f"https://arxiv.org/abs/{identifier}"
    return f"[{md_text(title)}]({url})"


def _count(value: object) -> str:
    return f"{value:,}" if isinstance(value, int) else "\N{EN DASH}"


def _ids(identifiers: Sequence[str]) -> str:
    shown = ", ".join(f"`{identifier}`" for identifier in identifiers[:MAX_ROWS])
    more = len(identifiers) - MAX_ROWS
    return shown + (f" and {more} more" if more > 0 else "")


def _table(header: str, rows: Sequence[str]) -> list[str]:
    columns = header.count("|") - 1
    lines = [header, "|" + " --- |" * columns, *rows[:MAX_ROWS], ""]
    if len(rows) > MAX_ROWS:
        lines += [f"and {len(rows) - MAX_ROWS} more.", ""]
    return lines


def _list_summary(outcome: Outcome, report: Mapping[str, Any]) -> list[str]:
    path = str(report.get("list", ""))
    before = outcome.before.get(path, {})
    after = outcome.after.get(path, {})
    lines = [
        f"#### `{path}`",
        "",
        refresh_line(report),
        "",
    ]
    resolved = [
        identifier
        for identifier, paper in after.items()
        if paper.get("status") == "resolved"
        and before.get(identifier, {}).get("status", "pending") != "resolved"
    ]
    if resolved:
        lines += [f"Papers added with their arXiv metadata ({len(resolved)}):", ""]
        lines += [f"- {_paper_link(after[i], i)}" for i in resolved[:MAX_ROWS]]
        if len(resolved) > MAX_ROWS:
            lines.append(f"- and {len(resolved) - MAX_ROWS} more")
        lines.append("")
    updated = [
        (identifier, before.get(identifier, {}).get("citations"), paper.get("citations"))
        for identifier, paper in after.items()
        if paper.get("citations") is not None
        and paper.get("citations") != before.get(identifier, {}).get("citations")
    ]
    if updated:
        lines += [f"Citation counts updated ({len(updated)}):", ""]
        lines += _table(
            "| paper | before | now |",
            [
                f"| {_paper_link(after[i], i)} | {_count(old)} | {_count(new)} |"
                for i, old, new in updated
            ],
        )
    gainers = outcome.gainers.get(path, [])
    if gainers:
        lines += [f"Top gainers over the last {TRENDING_DAYS} days:", ""]
        lines += _table(
            "| paper | citations | gained |",
            [
                f"| {_paper_link(item, str(item.get('id')))} | {_count(item.get('citations'))} "
                f"| +{_count(item.get('gained'))} |"
                for item in gainers
            ],
        )
    attention = []
    if report.get("unresolved"):
        attention.append(f"- Unresolved (arXiv does not know them): {_ids(report['unresolved'])}")
    if report.get("pending"):
        attention.append(f"- Pending (arXiv did not answer yet): {_ids(report['pending'])}")
    attention += [f"- Failed: {md_text(failure)}" for failure in report.get("failures", [])]
    if report.get("not_asked"):
        attention.append(f"- Left for the next refresh: {report['not_asked']} look-ups")
    if attention:
        lines += ["Needs attention:", "", *attention, ""]
    return lines


def run_summary(outcome: Outcome, *, refreshed: bool) -> str:
    """Return the job summary of a run: what each list learned, and what was committed."""
    lines = ["### curator", ""]
    if refreshed:
        for report in outcome.reports:
            lines += _list_summary(outcome, report)
    changed = ", ".join(f"`{path}`" for path in outcome.changed)
    if not outcome.changed:
        lines.append("Nothing changed, so nothing was committed.")
    elif outcome.commit:
        lines.append(f"Changed {changed}: committed {outcome.commit[:12]} to `{outcome.branch}`.")
    else:
        lines.append(f"Changed {changed}: not committed (commit is false).")
    return "\n".join(lines) + "\n"


def check_summary(targets: Sequence[str], *, fix: str, diff: str) -> str:
    """Return the job summary of a check: up to date, or the command to run and the diff."""
    named = ", ".join(f"`{target}`" for target in targets)
    if not diff:
        return f"### curator check\n\n{named}: up to date with the lists.\n"
    fence = "`" * max(3, _longest_backtick_run(diff) + 1)
    return (
        f"### curator check\n\n{named}: out of date with the lists. To update, run\n\n"
        f"```sh\n{fix}\n```\n\nand commit the result. What would change:\n\n"
        f"{fence}diff\n{diff.rstrip(chr(10))}\n{fence}\n"
    )


def lint_summary(findings: str, *, failed: bool) -> str:
    """Return the job summary of ``curator check`` on the lists: clean, or its findings."""
    if not findings.strip():
        return "### curator check of the lists\n\nNo problems found.\n"
    fence = "`" * max(3, _longest_backtick_run(findings) + 1)
    verdict = "Errors to fix:" if failed else "Warnings only:"
    return (
        f"### curator check of the lists\n\n{verdict}\n\n"
        f"{fence}text\n{findings.rstrip(chr(10))}\n{fence}\n"
    )


def _longest_backtick_run(text: str) -> int:
    longest = run = 0
    for char in text:
        run = run + 1 if char == "`" else 0
        longest = max(longest, run)
    return longest
