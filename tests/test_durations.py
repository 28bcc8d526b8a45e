"""Durations: the designer's notation ("1h30m") and whole seconds."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from orgmodel.durations import UNIT_SECONDS, format_duration, parse_duration

MINUTE, HOUR, DAY, WEEK = 60, 3600, 86400, 604800


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("0", 0),
        ("1s", 1),
        ("45s", 45),
        ("15m", 15 * MINUTE),
        ("2h", 2 * HOUR),
        ("1h30m", 5400),
        ("1.5h", 5400),
        ("0.5m", 30),
        ("2d", 172800),
        ("1d12h", 36 * HOUR),
        ("1w", WEEK),
        ("2w3d", 17 * DAY),
        ("1w2d3h4m5s", WEEK + 2 * DAY + 3 * HOUR + 4 * MINUTE + 5),
        ("0s", 0),
        ("0h0m", 0),
        ("1h 30m", 5400),  # white space between parts
        ("  2d  ", 2 * DAY),  # and around the whole
        ("1.1h", 3960),  # 3960.0000000000005 in floating point, rounded to whole seconds
        ("1.25s", 1),  # whole seconds
        ("007m", 7 * MINUTE),
    ],
)
def test_parse(text: str, seconds: int) -> None:
    result = parse_duration(text)
    assert result == seconds
    assert isinstance(result, int)


@pytest.mark.parametrize(
    "text",
    [
        "2 days",  # words are not units
        "30",  # a number without unit
        "m5",  # unit before number
        "",
        "   ",
        "00",  # only a lone "0" may go without unit
        "1.h",
        ".5h",
        "-1h",
        "1H",  # units are lower case
        "1y",
        "1h,30m",
        "1 h",
    ],
)
def test_parse_rejects_malformed(text: str) -> None:
    with pytest.raises(ValueError, match="is not a duration") as info:
        parse_duration(text)
    # The message quotes the input and shows how to write a duration.
    assert repr(text) in str(info.value)
    assert "'15m'" in str(info.value)


@pytest.mark.parametrize("text", ["1m1h", "30m1d", "1s1w", "1h1h", "1h30m15m"])
def test_parse_rejects_wrong_order_or_repeated_units(text: str) -> None:
    with pytest.raises(ValueError, match="from the largest unit to the smallest"):
        parse_duration(text)


@pytest.mark.parametrize("value", [None, 5, 1.5, b"1h", ["1h"]])
def test_parse_rejects_non_strings(value: object) -> None:
    with pytest.raises(ValueError, match="is not a duration"):
        parse_duration(value)  # type: ignore[arg-type]


def test_unit_table() -> None:
    assert UNIT_SECONDS == {"w": WEEK, "d": DAY, "h": HOUR, "m": MINUTE, "s": 1}


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "0"),
        (1, "1s"),
        (59, "59s"),
        (60, "1m"),
        (61, "1m1s"),
        (3600, "1h"),
        (5400, "1h30m"),
        (86400, "1d"),
        (86400 + 7200, "1d2h"),
        (90061, "1d1h1m1s"),
        (2700, "45m"),
        (-5400, "-1h30m"),
        (0.4, "0"),  # rounded to whole seconds
        (59.6, "1m"),
    ],
)
def test_format(seconds: float, text: str) -> None:
    assert format_duration(seconds) == text


def test_format_of_weeks_parses_back() -> None:
    # Formatting counts in days (no weeks), which still reads back exactly.
    text = format_duration(WEEK + DAY)
    assert text == "8d"
    assert parse_duration(text) == WEEK + DAY


@given(st.integers(min_value=0, max_value=10**9))
@settings(max_examples=200, deadline=None)
def test_format_parse_round_trip(seconds: int) -> None:
    text = format_duration(seconds)
    assert parse_duration(text) == seconds


@given(
    st.lists(st.integers(min_value=0, max_value=500), min_size=5, max_size=5),
    st.sampled_from([" ", ""]),
)
@settings(max_examples=200, deadline=None)
def test_parse_format_round_trip(counts: list[int], sep: str) -> None:
    """Any well-ordered combination of parts parses to its sum and re-parses after formatting."""
    parts = [f"{n}{u}" for n, u in zip(counts, "wdhms", strict=True) if n]
    text = sep.join(parts) or "0"
    expected = sum(n * UNIT_SECONDS[u] for n, u in zip(counts, "wdhms", strict=True))
    assert parse_duration(text) == expected
    assert parse_duration(format_duration(expected)) == expected
