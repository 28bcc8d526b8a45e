"""Durations as designers write them ("15m", "2d", "1h30m") and as orgmodel counts them.

Convention (one for the whole tool): durations are **elapsed calendar time**.
Units are ``s`` (second), ``m`` (minute), ``h`` (hour), ``d`` (day = 24 h) and
``w`` (week = 7 d). Parts may be combined from the largest unit to the
smallest ("1d12h") and may carry decimals ("1.5h"). ``"0"`` is zero. Internally
every duration is a whole number of seconds, so sums are exact and stable.

>>> parse_duration("1h30m")
5400
>>> format_duration(5400)
'1h30m'
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["DURATION_PATTERN", "UNIT_SECONDS", "format_duration", "parse_duration"]

UNIT_SECONDS: dict[str, int] = {"w": 7 * 86400, "d": 86400, "h": 3600, "m": 60, "s": 1}

_PART = r"(?:\d+(?:\.\d+)?[wdhms])"
DURATION_PATTERN = rf"^\s*(?:0|{_PART}(?:\s*{_PART})*)\s*$"
_DURATION_RE = re.compile(DURATION_PATTERN)
_PART_RE = re.compile(r"(\d+(?:\.\d+)?)([wdhms])")
_ORDER = "wdhms"


def parse_duration(text: str) -> int:
    """Return the number of seconds in ``text``; raise ``ValueError`` with a hint otherwise."""
    if not isinstance(text, str):
        raise ValueError(f"{text!r} is not a duration; write a string such as '15m' or '2d'")
    return _parse(text)


@lru_cache(maxsize=4096)  # documents repeat the same few durations many times
def _parse(text: str) -> int:
    if not _DURATION_RE.match(text):
        raise ValueError(
            f"{text!r} is not a duration; write a number with a unit, "
            "e.g. '15m', '2h', '1d12h' (units: w, d, h, m, s; 1d = 24h)"
        )
    total = 0.0
    last = -1
    for number, unit in _PART_RE.findall(text):
        rank = _ORDER.index(unit)
        if rank <= last:
            raise ValueError(
                f"{text!r}: write the parts from the largest unit to the smallest, each once"
            )
        last = rank
        total += float(number) * UNIT_SECONDS[unit]
    return int(total + 0.5)  # half a second rounds up, not to the even neighbour


def format_duration(seconds: int | float) -> str:
    """Format seconds exactly in days, hours, minutes and seconds ("1d2h", "45m", "0");
    weeks are written as days ("14d"), which reads more easily in reports."""
    seconds = round(seconds)
    if seconds == 0:
        return "0"
    sign = "-" if seconds < 0 else ""
    rest = abs(seconds)
    parts = []
    for unit in "dhms":
        size = UNIT_SECONDS[unit]
        if rest >= size:
            count, rest = divmod(rest, size)
            parts.append(f"{count}{unit}")
    return sign + "".join(parts)
