"""Durations on the command line, such as ``--max-age 7d`` or ``--since 30d``."""

from __future__ import annotations

import datetime as dt
import re

from curator.errors import UsageError

_UNITS = (("w", 7 * 86_400), ("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1))
# Units may appear once each, largest first ("1d12h", never "12h1d" or "1d1d"), so that
# every duration has few spellings and a typo is an error rather than a surprise.
# Nine digits per part keep the arithmetic small; the total is checked separately.
_PATTERN = re.compile("".join(rf"(?:(\d{{1,9}}){unit})?" for unit, _ in _UNITS), re.ASCII)
_MAX_SECONDS = dt.timedelta.max.days * 86_400 + dt.timedelta.max.seconds


def parse_duration(text: str) -> dt.timedelta:
    """Return the duration ``text`` spells: ``0``, or parts like ``7d``, ``1d12h``, ``90s``."""
    spelled = text.strip()
    if spelled == "0":
        return dt.timedelta(0)
    match = _PATTERN.fullmatch(spelled)
    if match is None or not spelled:
        raise _invalid(text)
    seconds = sum(
        int(number) * unit_seconds
        for number, (_, unit_seconds) in zip(match.groups(), _UNITS, strict=True)
        if number is not None
    )
    if seconds > _MAX_SECONDS:
        raise _invalid(text)
    return dt.timedelta(seconds=seconds)


def format_duration(duration: dt.timedelta) -> str:
    """Spell ``duration`` the way :func:`parse_duration` reads it, dropping fractions of a second.

    Weeks are used only for a whole number of weeks, so 30 days stays ``30d``
    rather than ``4w2d``.
    """
    if duration < dt.timedelta(0):
        raise ValueError(f"a duration cannot be negative: {duration}")
    days, seconds = duration.days, duration.seconds
    if days == 0 and seconds == 0:
        return "0"
    parts = []
    if days:
        parts.append(f"{days // 7}w" if days % 7 == 0 else f"{days}d")
    for unit, unit_seconds in _UNITS[2:]:
        count, seconds = divmod(seconds, unit_seconds)
        if count:
            parts.append(f"{count}{unit}")
    return "".join(parts)


def _invalid(text: str) -> UsageError:
    return UsageError(f"invalid duration '{text}': use a number with s, m, h, d or w, like 7d")
