"""Find what is wrong with a reading list and the README rendered from it.

Each problem is a ``Finding``: an error fails ``curator check`` (exit status
1, for CI), a warning is only reported. Some problems have a safe fix, which
``curator check --fix`` applies before checking again.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from curator import dedupe, files, identity, list_schema, publish, store
from curator.models import ReadingList, Status
from curator.publish import Style, Target

README_LIMIT = 512 * 1024
"""GitHub stops rendering a README file past this many bytes."""
README_WARNING_SHARE = 0.9
"""A README larger than this share of the limit gets a warning."""


class Severity(str, Enum):
    """How bad a finding is: errors fail the check, warnings do not."""

    ERROR = "error"
    WARNING = "warning"


class Problem(str, Enum):
    """What kind of problem a finding is; ``--json`` reports it as ``code``."""

    DUPLICATE = "duplicate"
    POSSIBLE_DUPLICATE = "possible-duplicate"
    PENDING = "pending"
    UNRESOLVED = "unresolved"
    WITHDRAWN = "withdrawn"
    MISSING = "missing-metadata"
    EMPTY_SECTION = "empty-section"
    UNKNOWN_SECTION = "unknown-section"
    STALE_README = "stale-readme"
    README_SIZE = "readme-size"


FIXABLE = frozenset({Problem.DUPLICATE, Problem.UNKNOWN_SECTION, Problem.STALE_README})
"""Problems ``--fix`` repairs without losing anything: merges are recorded and can be undone,
unknown sections are declared in ``[list]``, and only marked README regions are rewritten."""


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem of one file."""

    path: Path
    severity: Severity
    problem: Problem
    message: str
    ids: tuple[str, ...] = ()
    """The entries concerned, by key, in list order."""
    line: int | None = None
    """The line of the first entry concerned, when the finding is about entries."""

    @property
    def fixable(self) -> bool:
        """Tell whether ``--fix`` can repair it."""
        return self.problem in FIXABLE

    def __str__(self) -> str:
        # "path:line: error: message", the form editors and CI annotations read.
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.severity.value}: {self.message}"


@dataclass(frozen=True, slots=True)
class Report:
    """What a check found, after the fixes it made (described one per line)."""

    findings: tuple[Finding, ...]
    fixed: tuple[str, ...] = ()

    @property
    def errors(self) -> int:
        """Count the findings that fail the check."""
        return sum(finding.severity is Severity.ERROR for finding in self.findings)


def run(
    paths: Sequence[Path],
    style: Style,
    *,
    output: Path | None = None,
    readme: Path | None = None,
    fix: bool = False,
    today: dt.date,
) -> Report:
    """Check lists and the files rendered from them; with ``fix``, repair what is safe first."""
    fixed: list[str] = []
    if fix:
        for path in paths:
            fixed.extend(_fix_list(path, today=today))
    listings = [publish.load(path, style) for path in paths]
    targets = publish.plan(listings, style, output=output, readme=readme)
    if fix:
        fixed.extend(f"{path}: re-rendered" for path in publish.write(targets))
        targets = publish.plan(listings, style, output=output, readme=readme)
    findings = [
        *(
            f
            for path, listing in zip(paths, listings, strict=True)
            for f in check_list(path, listing.reading_list)
        ),
        *(finding for target in targets for finding in check_readme(target)),
    ]
    return Report(tuple(findings), tuple(fixed))


def check_list(path: Path, reading_list: ReadingList) -> list[Finding]:
    """Return the findings of one list, in a stable order: list-wide first, then by entry.

    A finding about entries is placed at the line of the first of them.
    """
    found = [
        *_duplicates(path, reading_list),
        *_sections(path, reading_list),
        *_entries(path, reading_list),
    ]
    text = files.read_text(path)
    lines = dict(
        zip(
            (entry.id for entry in reading_list.entries),
            list_schema.paper_lines(text or ""),
            strict=False,
        )
    )
    return [
        dataclasses.replace(finding, line=lines.get(finding.ids[0])) if finding.ids else finding
        for finding in found
    ]


def check_readme(target: Target) -> list[Finding]:
    """Return the findings of a README: regions out of date, and its size against GitHub's limit."""
    found = []
    if target.stale:
        found.append(
            Finding(
                target.path,
                Severity.ERROR,
                Problem.STALE_README,
                "rendered regions are out of date; run 'curator render' or 'curator check --fix'",
            )
        )
    size = len(target.wanted.encode("utf-8"))
    if size > README_LIMIT * README_WARNING_SHARE:
        over = size > README_LIMIT
        found.append(
            Finding(
                target.path,
                Severity.ERROR if over else Severity.WARNING,
                Problem.README_SIZE,
                f"{size:,} bytes {'is over' if over else 'is close to'} GitHub's render limit "
                f"of {README_LIMIT:,} bytes; split the list or render it to its own file",
            )
        )
    return found


def _fix_list(path: Path, *, today: dt.date) -> Iterator[str]:
    for merged in dedupe.apply(path, today=today):
        names = ", ".join(merged.record.merged)
        kept = merged.record.kept
        yield f"{path}: merged {names} into {kept} (undo with 'curator dedupe {path} --undo')"
    reading_list = store.load(path)
    unknown = [
        f.message for f in _sections(path, reading_list) if f.problem is Problem.UNKNOWN_SECTION
    ]
    if unknown:
        with store.editing(path) as editor:
            declared = editor.add_sections(_used_sections(reading_list))
        if declared:
            names = ", ".join(f'"{name}"' for name in declared)
            yield f"{path}: added {names} to the sections of [list]"


def _used_sections(reading_list: ReadingList) -> list[str]:
    seen: list[str] = []
    for entry in reading_list.entries:
        if entry.section is not None and entry.section not in seen:
            seen.append(entry.section)
    return seen


def _duplicates(path: Path, reading_list: ReadingList) -> Iterator[Finding]:
    for group in identity.duplicates(reading_list.entries):
        keys = tuple(entry.id for entry in group.entries)
        evidence = "; ".join(str(item) for item in group.evidence)
        if group.strong:
            yield Finding(
                path,
                Severity.ERROR,
                Problem.DUPLICATE,
                f"{len(keys)} entries are one work ({evidence}); "
                "merge them with 'curator dedupe --apply'",
                keys,
            )
        else:
            yield Finding(
                path,
                Severity.WARNING,
                Problem.POSSIBLE_DUPLICATE,
                f"{len(keys)} entries may be one work ({evidence}); check them by hand",
                keys,
            )


def _sections(path: Path, reading_list: ReadingList) -> Iterator[Finding]:
    used = Counter(entry.section for entry in reading_list.entries if entry.section is not None)
    for section in reading_list.sections:
        if not used[section]:
            yield Finding(
                path,
                Severity.WARNING,
                Problem.EMPTY_SECTION,
                f'section "{section}" is named in [list] but no paper is in it',
            )
    declared = set(reading_list.sections)
    for section in used:
        if reading_list.sections and section not in declared:
            keys = tuple(e.id for e in reading_list.entries if e.section == section)
            yield Finding(
                path,
                Severity.ERROR,
                Problem.UNKNOWN_SECTION,
                f'section "{section}" of {_count(keys)} is not in [list] sections; '
                "add it there (or fix the spelling)",
                keys,
            )


def _entries(path: Path, reading_list: ReadingList) -> Iterator[Finding]:
    for entry in reading_list.entries:
        if entry.status is Status.PENDING:
            yield Finding(
                path,
                Severity.WARNING,
                Problem.PENDING,
                f"{entry.id}: not resolved yet; run 'curator refresh {path}'",
                (entry.id,),
            )
            continue
        if entry.status is Status.UNRESOLVED:
            yield Finding(
                path,
                Severity.ERROR,
                Problem.UNRESOLVED,
                f"{entry.id}: arXiv does not know this identifier; fix or remove the entry",
                (entry.id,),
            )
            continue
        if entry.withdrawn:
            yield Finding(
                path,
                Severity.WARNING,
                Problem.WITHDRAWN,
                f"{entry.id}: withdrawn by its authors on arXiv",
                (entry.id,),
            )
        missing = [
            name
            for name, known in (
                ("title", bool(entry.title)),
                ("authors", bool(entry.authors)),
                ("year", entry.year is not None),
            )
            if not known
        ]
        if missing:
            yield Finding(
                path,
                Severity.ERROR,
                Problem.MISSING,
                f"{entry.id}: no {', no '.join(missing)}; run 'curator refresh --all {path}' "
                "or add them by hand",
                (entry.id,),
            )


def _count(keys: tuple[str, ...]) -> str:
    return "1 paper" if len(keys) == 1 else f"{len(keys)} papers"
