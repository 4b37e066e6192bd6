"""Draw citation growth over time as a small, self-contained SVG chart for a README.

Hand-written SVG rather than a plotting library: the output is a pure function
of its input (fixed size, fixed colours, no timestamps, no generated ids, fixed
decimal places), so a chart kept in git only changes when the data does.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from xml.sax.saxutils import escape

from curator.render.markdown import clean

WIDTH = 800
HEIGHT = 420
COLORS = (
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#76b7b2",
    "#59a14f",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
)
"""Line colours, one per series in order, repeating after the tenth."""

MAX_LABEL = 28
"""Legend labels longer than this many characters are cut, ending with "…"."""

_LEFT, _RIGHT, _TOP, _BOTTOM = 70, 540, 50, 370
"""The plot area; the legend takes the space to its right."""
_LEGEND_ROW = 20
_MAX_DATE_TICKS = 6
_MAX_COUNT_TICKS = 6
_MONTH_STEPS = (1, 2, 3, 6, 12, 24, 60, 120, 240)
_DAY_STEPS = (1, 2, 5, 7, 14)
_NOT_XML = {*map(chr, range(0xD800, 0xE000)), "\ufffe", "\uffff"}


def citation_chart(
    series: Mapping[str, Sequence[tuple[dt.date, int]]],
    *,
    labels: Mapping[str, str],
    title: str,
) -> str:
    """Return an SVG line chart of citation counts over time, one line per key of ``series``.

    Lines and legend rows follow the order of ``series``; a key without a label
    in ``labels`` is shown as is. The count axis starts at 0 and the date axis
    spans every date seen; the last point of each line is marked, so that a
    series of one observation still shows.
    """
    points = {key: sorted(values) for key, values in series.items()}
    dates = [date for values in points.values() for date, _ in values]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}"'
        f' viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" font-size="12">',
        f"<title>{_text(title)}</title>",
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
        f'<text x="{WIDTH // 2}" y="28" font-size="16" text-anchor="middle">{_text(title)}</text>',
    ]
    if not dates:
        parts.append(_frame())
        parts.append(
            f'<text x="{(_LEFT + _RIGHT) // 2}" y="{(_TOP + _BOTTOM) // 2}"'
            ' text-anchor="middle" fill="#666666">No citation counts recorded yet</text>'
        )
        parts.append("</svg>")
        return "\n".join(parts) + "\n"

    first, last = min(dates), max(dates)
    if first == last:
        first, last = first - dt.timedelta(days=1), last + dt.timedelta(days=1)
    counts = _count_ticks(max(count for values in points.values() for _, count in values))
    top = counts[-1]

    def x(date: dt.date) -> float:
        return _LEFT + (_RIGHT - _LEFT) * (date - first).days / (last - first).days

    def y(count: int) -> float:
        return _BOTTOM - (_BOTTOM - _TOP) * count / top

    for count in counts:
        parts.append(
            f'<line x1="{_LEFT}" y1="{y(count):.1f}" x2="{_RIGHT}" y2="{y(count):.1f}"'
            ' stroke="#e5e5e5"/>'
        )
        parts.append(
            f'<text x="{_LEFT - 8}" y="{y(count) + 4:.1f}" text-anchor="end">{count:,}</text>'
        )
    for tick, label in _date_ticks(first, last):
        parts.append(
            f'<line x1="{x(tick):.1f}" y1="{_BOTTOM}" x2="{x(tick):.1f}" y2="{_BOTTOM + 5}"'
            ' stroke="#333333"/>'
        )
        parts.append(
            f'<text x="{x(tick):.1f}" y="{_BOTTOM + 20}" text-anchor="middle">{label}</text>'
        )
    parts.append(_frame())
    parts.append(
        f'<text x="18" y="{(_TOP + _BOTTOM) // 2}" text-anchor="middle"'
        f' transform="rotate(-90 18 {(_TOP + _BOTTOM) // 2})">Citations</text>'
    )

    legend: list[tuple[str, str]] = []
    for index, (key, values) in enumerate(points.items()):
        color = COLORS[index % len(COLORS)]
        label = clean(labels.get(key, key)) or key
        legend.append((label, color))
        coordinates = " ".join(f"{x(date):.1f},{y(count):.1f}" for date, count in values)
        parts.append(
            f'<polyline points="{coordinates}" fill="none" stroke="{color}"'
            f' stroke-width="2"><title>{_text(label)}</title></polyline>'
        )
        if values:
            date, count = values[-1]
            parts.append(f'<circle cx="{x(date):.1f}" cy="{y(count):.1f}" r="3" fill="{color}"/>')
    rows = (_BOTTOM - _TOP) // _LEGEND_ROW
    if len(legend) > rows:
        legend[rows - 1 :] = [(f"+{len(legend) - rows + 1} more", "none")]
    parts.extend(_legend_row(index, label, color) for index, (label, color) in enumerate(legend))
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _frame() -> str:
    return f'<path d="M{_LEFT} {_TOP}V{_BOTTOM}H{_RIGHT}" fill="none" stroke="#333333"/>'


def _legend_row(index: int, label: str, color: str) -> str:
    top = _TOP + index * _LEGEND_ROW
    if len(label) > MAX_LABEL:
        label = label[: MAX_LABEL - 1].rstrip() + "\u2026"
    return (
        f'<line x1="{_RIGHT + 20}" y1="{top + 6}" x2="{_RIGHT + 36}" y2="{top + 6}"'
        f' stroke="{color}" stroke-width="3"/>'
        f'<text x="{_RIGHT + 42}" y="{top + 10}">{_text(label)}</text>'
    )


def _count_ticks(highest: int) -> list[int]:
    """Return evenly spaced counts from 0 to at least ``highest``, on steps of 1, 2 or 5 x 10^n."""
    highest = max(highest, 1)
    raw = highest / (_MAX_COUNT_TICKS - 1)
    power = 10 ** max(0, math.floor(math.log10(raw)))
    step = next(power * factor for factor in (1, 2, 5, 10) if power * factor >= raw)
    top = -(-highest // step) * step
    return list(range(0, top + 1, step))


def _date_ticks(first: dt.date, last: dt.date) -> list[tuple[dt.date, str]]:
    """Return tick dates and labels: month starts ("2023-04", or years) or else days."""
    start = first.year * 12 + first.month - 1 + (first.day > 1)
    end = last.year * 12 + last.month - 1
    for step in _MONTH_STEPS:
        months = [month for month in range(start, end + 1) if month % step == 0]
        if len(months) <= _MAX_DATE_TICKS:
            break
    if len(months) >= 2:
        ticks = [dt.date(month // 12, month % 12 + 1, 1) for month in months]
        return [(tick, f"{tick:%Y}" if step >= 12 else f"{tick:%Y-%m}") for tick in ticks]
    span = (last - first).days
    step = next((step for step in _DAY_STEPS if span // step < _MAX_DATE_TICKS - 1), span)
    days = range(0, span + 1, step)
    return [(tick, tick.isoformat()) for tick in (first + dt.timedelta(days=day) for day in days)]


def _text(value: str) -> str:
    """Return ``value`` on one line, escaped for XML character data."""
    return escape("".join(char for char in clean(value) if char not in _NOT_XML))
