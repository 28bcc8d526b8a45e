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

#: At most 9 digits before and 9 after the point: a part is below 10**9 weeks (about 19
#: million years), so every sum of a document's durations is exact, and ``[0-9]``, not
#: ``\d``, so that the loader and the JSON Schema (whose validators may read ``\d`` as any
#: Unicode digit) accept the same text.
_NUMBER = r"[0-9]{1,9}(?:\.[0-9]{1,9})?"
_PART = rf"(?:{_NUMBER}[wdhms])"
#: The parts in order, each at most once (the lookahead asks for one at least), so that the
#: schema refuses "12h1d" as the loader does.
DURATION_PATTERN = (
    r"^\s*(?:0|(?=[0-9])" + r"\s*".join(rf"(?:{_NUMBER}{unit})?" for unit in "wdhms") + r")\s*$"
)
_DURATION_RE = re.compile(DURATION_PATTERN)
_ANY_ORDER_RE = re.compile(rf"^\s*{_PART}(?:\s*{_PART})*\s*$")
_PART_RE = re.compile(r"([0-9]+)(?:\.([0-9]+))?([wdhms])")
_ORDER = "wdhms"


def parse_duration(text: str) -> int:
    """Return the number of seconds in ``text``; raise ``ValueError`` with a hint otherwise."""
    if not isinstance(text, str):
        raise ValueError(f"{text!r} is not a duration; write a string such as '15m' or '2d'")
    return _parse(text)


@lru_cache(maxsize=4096)  # documents repeat the same few durations many times
def _parse(text: str) -> int:
    if not _DURATION_RE.match(text):
        if re.search(r"[0-9]{10}", text):
            raise ValueError(
                f"{text[:40]!r}...: a duration's number has at most 9 digits "
                "before and 9 after the point"
                if len(text) > 40
                else f"{text!r}: a duration's number has at most 9 digits before "
                "and 9 after the point"
            )
        if _ANY_ORDER_RE.match(text):
            raise ValueError(
                f"{text!r}: write the parts from the largest unit to the smallest, each once"
            )
        raise ValueError(
            f"{text!r} is not a duration; write a number with a unit, "
            "e.g. '15m', '2h', '1d12h' (units: w, d, h, m, s; 1d = 24h)"
        )
    total = 0  # in billionths of a second: exact, whatever the digits
    last = -1
    for whole, fraction, unit in _PART_RE.findall(text):
        rank = _ORDER.index(unit)
        if rank <= last:
            raise ValueError(
                f"{text!r}: write the parts from the largest unit to the smallest, each once"
            )
        last = rank
        nanos = int(whole) * 10**9 + int(fraction.ljust(9, "0") or 0)
        total += nanos * UNIT_SECONDS[unit]
    return (total + 10**9 // 2) // 10**9  # half a second rounds up, not to the even neighbour


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
