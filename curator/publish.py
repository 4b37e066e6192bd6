"""Turn reading lists into Markdown files and README regions, writing only what changed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from curator import files, history, store, trends
from curator.errors import InputError, UsageError
from curator.models import Entry, ReadingList
from curator.render import CountStyle
from curator.render.markdown import render_list
from curator.render.readme import headings, splice
from curator.sorting import GroupKey, SortKey


@dataclass(frozen=True, slots=True)
class Style:
    """How to present the lists: the options of ``curator render``."""

    sort: SortKey = SortKey.DATE
    group: GroupKey = GroupKey.SECTION
    counts: CountStyle = CountStyle.PLAIN
    round_counts: bool = False
    trending: int = 0
    """How many top gainers to list in a Trending section (0: no section)."""
    window: dt.timedelta = dt.timedelta(days=30)
    """The window the Trending section counts gains over."""


@dataclass(frozen=True, slots=True)
class Listing:
    """A reading list with what its history adds: the date of its counts and its top gainers."""

    reading_list: ReadingList
    as_of: dt.date | None = None
    trending: tuple[tuple[Entry, int], ...] = ()


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


def load(path: Path, style: Style) -> Listing:
    """Load a list and, from its history, the date of its counts and its top gainers.

    Gains are counted up to the latest observation, not to today, so that the same
    list and history always render to the same bytes.
    """
    reading_list = store.load(path)
    observed = history.read(history.history_path(path))
    as_of = trends.as_of(observed)
    if as_of is None and style.sort is SortKey.VELOCITY:
        raise UsageError(
            f"{path}: --sort velocity needs citation counts; run 'curator refresh {path}' first"
        )
    if not style.trending or as_of is None:
        return Listing(reading_list, as_of)
    ranked = trends.rank(
        trends.compute(reading_list.entries, observed, today=as_of, since=style.window),
        by="gained",
        top=style.trending,
    )
    entries = {entry.id: entry for entry in reading_list.entries}
    gainers = tuple((entries[t.id], t.gained) for t in ranked if t.gained)
    return Listing(reading_list, as_of, gainers)


def markdown(listings: Sequence[Listing], style: Style, *, heading_level: int = 1) -> str:
    """Render lists one after the other as one Markdown document with distinct anchors."""
    parts: list[str] = []
    for listing in listings:
        text = _render(listing, style, heading_level, preceding=headings("\n".join(parts)))
        parts.append(text)
    return "\n".join(parts)


def plan(
    listings: Sequence[Listing],
    style: Style,
    *,
    output: Path | None = None,
    readme: Path | None = None,
) -> list[Target]:
    """Work out what ``output`` and the regions of ``readme`` should contain."""
    targets: list[Target] = []
    if output is not None:
        targets.append(Target(output, files.read_text(output), markdown(listings, style)))
    if readme is not None:
        current = files.read_text(readme)
        if current is None:
            raise InputError(f"{readme}: no such file; create it with a curator marker pair first")
        text = current
        for listing in listings:
            region = _render(listing, style, 2, preceding=())
            text = splice(text, listing.reading_list.name, region, source=str(readme))
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


def _render(listing: Listing, style: Style, heading_level: int, *, preceding: Sequence[str]) -> str:
    return render_list(
        listing.reading_list,
        sort=style.sort,
        group=style.group,
        heading_level=heading_level,
        preceding_headings=preceding,
        counts=style.counts,
        round_counts=style.round_counts,
        as_of=listing.as_of,
        trending=listing.trending,
        trending_window=_window_text(style.window),
    )


def _window_text(window: dt.timedelta) -> str:
    days = window.days
    return f"{days} days" if days != 1 else "day"
