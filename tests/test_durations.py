"""Tests for durations on the command line (``--max-age 7d``, ``--since 30d``)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from curator.durations import format_duration, parse_duration
from curator.errors import UsageError

HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0", dt.timedelta(0)),
        ("0s", dt.timedelta(0)),
        ("0d", dt.timedelta(0)),
        ("90s", dt.timedelta(seconds=90)),
        ("15m", dt.timedelta(minutes=15)),
        ("12h", 12 * HOUR),
        ("7d", 7 * DAY),
        ("07d", 7 * DAY),
        ("2w", 14 * DAY),
        ("30d", 30 * DAY),
        ("1d12h", DAY + 12 * HOUR),
        ("1w2d3h4m5s", dt.timedelta(days=9, hours=3, minutes=4, seconds=5)),
        (" 7d ", 7 * DAY),
        ("999999999d23h59m59s", dt.timedelta.max - dt.timedelta(microseconds=999_999)),
    ],
)
def test_parse_duration(text: str, expected: dt.timedelta) -> None:
    """Each accepted spelling means exactly this duration."""
    assert parse_duration(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "7",
        "d",
        "-1d",
        "+1d",
        "1.5d",
        "7D",
        "7 d",
        "7days",
        "12h1d",
        "1d1d",
        "1y",
        "\u0667d",
        "9999999999d",
        "999999999w",
        "999999999d24h",
    ],
)
def test_parse_duration_rejects(text: str) -> None:
    """Signs, fractions, disorder, repeats, non-ASCII, huge or unknown units are usage errors."""
    with pytest.raises(UsageError) as raised:
        parse_duration(text)
    assert str(raised.value) == (
        f"invalid duration '{text}': use a number with s, m, h, d or w, like 7d"
    )
    assert raised.value.exit_code == 2


@pytest.mark.parametrize(
    ("duration", "expected"),
    [
        (dt.timedelta(0), "0"),
        (dt.timedelta(microseconds=999_999), "0"),
        (dt.timedelta(seconds=90), "1m30s"),
        (12 * HOUR, "12h"),
        (7 * DAY, "1w"),
        (14 * DAY, "2w"),
        (30 * DAY, "30d"),
        (7 * DAY + 12 * HOUR, "1w12h"),
        (dt.timedelta(days=1, seconds=1), "1d1s"),
    ],
)
def test_format_duration(duration: dt.timedelta, expected: str) -> None:
    """Durations are spelled largest unit first, weeks only when they are whole."""
    assert format_duration(duration) == expected


def test_format_duration_rejects_negative() -> None:
    """A negative duration is a programming error."""
    with pytest.raises(ValueError, match="negative"):
        format_duration(-DAY)


@given(st.timedeltas(min_value=dt.timedelta(0)))
def test_format_then_parse(duration: dt.timedelta) -> None:
    """Parsing a formatted duration gives it back, to the whole second."""
    whole = dt.timedelta(days=duration.days, seconds=duration.seconds)
    assert parse_duration(format_duration(duration)) == whole
