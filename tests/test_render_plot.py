"""Tests for the SVG chart of citation growth."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence

import pytest

from curator.render.plot import COLORS, HEIGHT, WIDTH, citation_chart

SVG = "{http://www.w3.org/2000/svg}"

# Identifiers and titles from shared/reference/seed-papers.json. The dated counts are
# synthetic test values, not the papers' real citation history.
SERIES = {
    "2304.02643": [
        (dt.date(2024, 1, 1), 10),
        (dt.date(2024, 6, 1), 500),
        (dt.date(2025, 1, 1), 1234),
    ],
    "2304.12306": [(dt.date(2025, 1, 1), 300), (dt.date(2024, 3, 1), 5)],
    "2306.00499": [(dt.date(2024, 12, 1), 700)],
}
LABELS = {
    "2304.02643": "Segment Anything",
    "2304.12306": "Segment Anything in Medical Images",
}


def chart(
    series: Mapping[str, Sequence[tuple[dt.date, int]]] = SERIES,
    *,
    labels: Mapping[str, str] = LABELS,
    title: str = "Citation growth",
) -> ET.Element:
    """Return the parsed chart of ``series`` (SERIES unless given)."""
    return ET.fromstring(citation_chart(series, labels=labels, title=title))


def texts(root: ET.Element) -> list[str]:
    """Return the text of every <text> element in document order."""
    return [element.text or "" for element in root.iter(f"{SVG}text")]


def test_chart_is_svg_of_fixed_size() -> None:
    """The chart parses as XML and is an SVG root with a fixed width, height and viewBox."""
    root = chart()
    assert root.tag == f"{SVG}svg"
    assert (root.get("width"), root.get("height")) == (str(WIDTH), str(HEIGHT))
    assert root.get("viewBox") == f"0 0 {WIDTH} {HEIGHT}"


def test_chart_has_one_coloured_polyline_per_series_in_order() -> None:
    """Each series is one polyline, coloured in turn, titled with its label or its key."""
    lines = list(chart().iter(f"{SVG}polyline"))
    assert [line.get("stroke") for line in lines] == list(COLORS[:3])
    assert [line.findtext(f"{SVG}title") for line in lines] == [
        "Segment Anything",
        "Segment Anything in Medical Images",
        "2306.00499",
    ]


def test_chart_sorts_points_by_date() -> None:
    """Points given out of order are drawn left to right."""
    lines = list(chart().iter(f"{SVG}polyline"))
    xs = [float(point.split(",")[0]) for point in (lines[1].get("points") or "").split()]
    assert xs == sorted(xs)
    assert len(xs) == 2


def test_chart_marks_the_last_point_so_single_observations_show() -> None:
    """Every series with points ends in a dot, including a series of one observation."""
    assert len(list(chart().iter(f"{SVG}circle"))) == 3


def test_chart_has_legend_ticks_and_title() -> None:
    """The legend names each series; ticks cover the counts and the months; the title shows."""
    shown = texts(chart())
    assert shown[0] == "Citation growth"
    assert "Citations" in shown
    assert [text for text in shown if text[:1].isdigit()][:4] == ["0", "500", "1,000", "1,500"]
    assert [text for text in shown if text.startswith("20")] == [
        "2024-01",
        "2024-04",
        "2024-07",
        "2024-10",
        "2025-01",
    ]
    assert shown[-3:] == ["Segment Anything", "Segment Anything in Medical\u2026", "2306.00499"]


def test_chart_ticks_days_for_a_short_history() -> None:
    """A history shorter than two month starts gets day ticks with full dates."""
    series = {"2304.02643": [(dt.date(2025, 1, 3), 5), (dt.date(2025, 1, 20), 8)]}
    shown = texts(chart(series=series))
    assert [text for text in shown if text.startswith("2025")] == [
        "2025-01-03",
        "2025-01-08",
        "2025-01-13",
        "2025-01-18",
    ]


def test_chart_ticks_years_for_a_long_history() -> None:
    """A history of many years is ticked at year starts."""
    series = {"2108.06098": [(dt.date(2021, 8, 13), 0), (dt.date(2026, 11, 26), 90)]}
    shown = texts(chart(series=series))
    assert [text for text in shown if text.startswith("202")] == [
        "2022",
        "2023",
        "2024",
        "2025",
        "2026",
    ]


def test_chart_escapes_labels_and_title() -> None:
    """Markup and control characters in labels and the title cannot break the document."""
    root = chart(labels={"2304.02643": "<b>&amp;</b>\x00\x07 x"}, title="A & B <c>")
    assert root.findtext(f"{SVG}title") == "A & B <c>"
    assert "<b>&amp;</b> x" in texts(root)


def test_chart_is_byte_identical_for_identical_input() -> None:
    """Rendering the same input twice gives the same bytes: no timestamps or generated ids."""
    first = citation_chart(SERIES, labels=LABELS, title="Citations")
    second = citation_chart(dict(SERIES), labels=dict(LABELS), title="Citations")
    assert first.encode() == second.encode()
    assert " id=" not in first


def test_chart_of_nothing_says_so() -> None:
    """Without any observation the chart is a valid, empty frame with a message."""
    root = chart(series={})
    assert list(root.iter(f"{SVG}polyline")) == []
    assert "No citation counts recorded yet" in texts(root)


def test_chart_of_one_day_still_spans_the_axis() -> None:
    """Observations all on one day are drawn in the middle of the date axis."""
    root = chart(series={"2304.02643": [(dt.date(2025, 1, 1), 3)]})
    (circle,) = root.iter(f"{SVG}circle")
    assert float(circle.get("cx") or 0) == pytest.approx((70 + 540) / 2)


def test_chart_legend_folds_series_that_do_not_fit() -> None:
    """Past the rows the legend has room for, one row counts the rest; every line is drawn."""
    series = {f"2304.{number:05d}": [(dt.date(2025, 1, 1), number)] for number in range(20)}
    root = chart(series=series, labels={})
    assert len(list(root.iter(f"{SVG}polyline"))) == 20
    assert texts(root)[-1] == "+5 more"
