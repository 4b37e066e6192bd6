"""Turn reading lists into Markdown files and README regions, writing only what changed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from curator import files
from curator.errors import InputError
from curator.models import ReadingList
from curator.render.markdown import render_list
from curator.render.readme import splice
from curator.sorting import GroupKey, SortKey


@dataclass(frozen=True, slots=True)
class Target:
    """One file curator renders into: its current text and the text it should have."""

    path: Path
    current: str | None
    wanted: str

    @property
    def stale(self) -> bool:
        """Tell whether the file differs from what the lists render to."""
        return self.current != self.wanted


def markdown(
    lists: Sequence[ReadingList], *, sort: SortKey, group: GroupKey, heading_level: int = 1
) -> str:
    """Render several lists one after the other as one Markdown document."""
    return "\n".join(
        render_list(reading_list, sort=sort, group=group, heading_level=heading_level)
        for reading_list in lists
    )


def plan(
    lists: Sequence[ReadingList],
    *,
    output: Path | None = None,
    readme: Path | None = None,
    sort: SortKey = SortKey.DATE,
    group: GroupKey = GroupKey.SECTION,
) -> list[Target]:
    """Work out what ``output`` and the regions of ``readme`` should contain."""
    targets: list[Target] = []
    if output is not None:
        wanted = markdown(lists, sort=sort, group=group)
        targets.append(Target(output, files.read_text(output), wanted))
    if readme is not None:
        current = files.read_text(readme)
        if current is None:
            raise InputError(f"{readme}: no such file; create it with a curator marker pair first")
        text = current
        for reading_list in lists:
            region = render_list(reading_list, sort=sort, group=group, heading_level=2)
            text = splice(text, reading_list.name, region, source=str(readme))
        targets.append(Target(readme, current, text))
    return targets


def write(targets: Sequence[Target]) -> list[Path]:
    """Write every stale target atomically and return the paths written."""
    written = []
    for target in targets:
        if target.stale:
            files.write_atomic(target.path, target.wanted)
            written.append(target.path)
    return written
