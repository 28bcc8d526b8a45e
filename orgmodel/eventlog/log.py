"""From rows to cases: timestamps parsed, units resolved, start and complete events paired.

The conventions (which events pair, how cases are ordered, what a naive timestamp means)
are those of ``docs/eventlogs.md``.
"""

from __future__ import annotations

import sys
from collections import Counter, defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone, tzinfo
from typing import NamedTuple

from orgmodel.diagnostics import Diagnostic
from orgmodel.eventlog.reader import MAX_PROBLEMS, LogInvalid, Row, problem

__all__ = ["UNASSIGNED", "EventLog", "Instance", "UnitResolver", "build_log", "parse_time"]

#: The unit of events whose unit cannot be found.
UNASSIGNED = "unassigned"


class Instance(NamedTuple):
    """One activity instance of a case: a complete event with its start, where known."""

    activity: str
    unit: str
    resource: str | None
    start: float | None
    end: float | None
    order: int

    @property
    def first(self) -> float:
        """The earliest timestamp of the instance (its start, else its end)."""
        return self.start if self.start is not None else self.end  # type: ignore[return-value]


@dataclass
class EventLog:
    """The cases of a log, each a list of instances in time order."""

    source: str
    cases: dict[str, list[Instance]]
    events: int
    first: float
    last: float
    #: Events without a unit, by their resource ('' for none).
    unresolved: Counter[str] = field(default_factory=Counter)
    #: Events left out by their lifecycle transition (neither start nor complete).
    skipped_lifecycle: Counter[str] = field(default_factory=Counter)
    #: How the unit of each event was found, in words.
    unit_source: str = ""

    @property
    def span(self) -> float:
        """Seconds from the first to the last timestamp of the log."""
        return self.last - self.first


class UnitResolver:
    """Finds the unit of an event: from an attribute, a mapping, or a model's positions."""

    def __init__(
        self,
        describe: str,
        attribute: bool = False,
        mapping: dict[str, str] | None = None,
        lookup: Callable[[str], str | None] | None = None,
    ) -> None:
        self.describe = describe
        self.attribute = attribute
        self.mapping = mapping
        self.lookup = lookup

    def __call__(self, unit: str | None, resource: str | None) -> str | None:
        """The unit of an event with the unit attribute ``unit`` and ``resource``."""
        if self.attribute:
            if unit is None:
                return None
            return self.lookup(unit) if self.lookup is not None else unit
        if resource is None:
            return None
        if self.mapping is not None:
            return self.mapping.get(resource)
        return self.lookup(resource) if self.lookup is not None else None


def parse_time(
    value: str | datetime, naive: tzinfo | None, time_format: str | None
) -> tuple[float, bool]:
    """Seconds since the epoch and whether the value named its time zone.

    A value without a zone is read in ``naive`` (UTC when None: the differences, all that
    orgmodel measures, are the same in any one zone).
    """
    if isinstance(value, datetime):
        moment = value
    elif time_format is not None:
        moment = datetime.strptime(value.strip(), time_format)
    else:
        text = value.strip()
        if text.endswith(("Z", "z")):
            text = text[:-1] + "+00:00"
        moment = datetime.fromisoformat(text)
    # datetime.timestamp() is the difference to the epoch; subtracting is that, without
    # the costly replace() for the common cases
    if moment.tzinfo is not None:
        return (moment - _EPOCH_UTC).total_seconds(), True
    if naive is None:
        return (moment - _EPOCH_NAIVE).total_seconds(), False
    return moment.replace(tzinfo=naive).timestamp(), False


_EPOCH_NAIVE = datetime(1970, 1, 1)
_EPOCH_UTC = _EPOCH_NAIVE.replace(tzinfo=timezone.utc)


def _clock_change(row: Row, naive: tzinfo | None, time_format: str | None) -> bool:
    """Whether an end before its start is only the clock changing in ``naive`` between
    them (as written, the end is not before the start): measured as it is, not refused."""
    if naive is None or row.end is None or row.start is None:
        return False
    end, _ = parse_time(row.end, None, time_format)
    start, _ = parse_time(row.start, None, time_format)
    return end >= start


def build_log(
    source: str,
    rows: list[Row],
    resolve: UnitResolver,
    *,
    naive: tzinfo | None = None,
    time_format: str | None = None,
    time_columns: dict[str, int] | None = None,
) -> EventLog:
    """Cases of ``rows``: timestamps parsed, units resolved, start/complete events paired,
    each case in time order (equal times in file order). Raises :class:`LogInvalid`."""
    problems: list[Diagnostic] = []
    #: Of the values with a zone and of those without: how many, and the first row.
    seen = {True: [0, 0], False: [0, 0]}
    by_case: dict[str, list[tuple[float, int, Row, float | None, float | None]]] = defaultdict(list)
    intern = sys.intern
    cache: dict[object, tuple[float, bool]] = {}
    for row in rows:
        times: list[float | None] = []
        for key, value in (("end", row.end), ("start", row.start)):
            if value is None:
                times.append(None)
                continue
            try:
                parsed = cache.get(value)
                if parsed is None:
                    parsed = cache[value] = parse_time(value, naive, time_format)
                seconds, aware = parsed
            except (ValueError, TypeError, OverflowError):
                hint = (
                    f"the format {time_format!r}"
                    if time_format
                    else "ISO 8601, e.g. 2024-03-01T09:30:00+01:00, or give --time-format"
                )
                what = "an end" if key == "end" else "a start"
                problems.append(
                    problem(
                        source,
                        f"{value!r} is not {what} timestamp ({hint})",
                        row.line,
                        (time_columns or {}).get(key, 1),
                    )
                )
                times.append(None)
                continue
            kind = seen[aware]
            if not kind[0]:
                kind[1] = row.line
            kind[0] += 1
            times.append(seconds)
        if len(problems) >= MAX_PROBLEMS:
            break
        end, start = times
        if end is None and start is None:
            continue
        if (
            end is not None
            and start is not None
            and end < start
            and not _clock_change(row, naive, time_format)
        ):
            problems.append(
                problem(
                    source,
                    f"the end {row.end!r} is before the start {row.start!r}",
                    row.line,
                    (time_columns or {}).get("end", 1),
                )
            )
            continue
        when = start if start is not None else end
        assert when is not None
        by_case[intern(row.case)].append((when, row.line, row, start, end))
    (aware_count, aware_line), (naive_count, naive_line) = seen[True], seen[False]
    if aware_count and naive_count and naive is None:
        line = max(aware_line, naive_line)  # the first row of the kind seen second
        problems.append(
            problem(
                source,
                f"timestamps with a time zone ({aware_count}) and without one "
                f"({naive_count}) are mixed, so their order is unknown; give "
                "--timezone (e.g. UTC or Europe/Berlin) for those without",
                line,
                1,
            )
        )
    if problems:
        raise LogInvalid(problems[:MAX_PROBLEMS])
    unresolved: Counter[str] = Counter()
    skipped: Counter[str] = Counter()
    cases: dict[str, list[Instance]] = {}
    first, last = float("inf"), float("-inf")
    events = 0
    make = _InstanceMaker(resolve, unresolved)
    for case, found in by_case.items():
        found.sort(key=_when_line)
        events += len(found)
        for _, _, _, start, end in found:
            for t in (start, end):
                if t is not None:
                    if t < first:
                        first = t
                    if t > last:
                        last = t
        instances: list[Instance]
        if all(item[2].lifecycle is None for item in found):
            instances = [make(row, start, end, line) for _, line, row, start, end in found]
        else:
            instances = _pair(found, make, skipped)
        if instances:
            instances.sort(key=_first_order)
            cases[case] = instances
    if not cases:
        raise LogInvalid(
            [
                problem(
                    source,
                    "no activity instances: every event was left out "
                    f"by its lifecycle transition ({dict(skipped)})",
                )
            ]
        )
    return EventLog(
        source,
        dict(sorted(cases.items())),
        events,
        first,
        last,
        unresolved,
        skipped,
        resolve.describe,
    )


def _when_line(item: tuple[float, int, Row, float | None, float | None]) -> tuple[float, int]:
    return item[0], item[1]


def _first_order(instance: Instance) -> tuple[float, int]:
    return instance.first, instance.order


def _pair(
    found: list[tuple[float, int, Row, float | None, float | None]],
    make: _InstanceMaker,
    skipped: Counter[str],
) -> list[Instance]:
    """The instances of one case's events in time order: each start paired with the next
    complete of its activity (first in, first out); other transitions counted and left out."""
    instances: list[Instance] = []
    open_starts: dict[str, deque[tuple[float, int, Row]]] = defaultdict(deque)
    for when, line, row, start, end in found:
        transition = (row.lifecycle or "complete").lower()
        if transition == "start":
            open_starts[row.activity].append((when, line, row))
            continue
        if transition != "complete":
            skipped[transition] += 1
            continue
        waiting = open_starts.get(row.activity)
        if waiting and start is None:
            start_when, line, start_row = waiting.popleft()
            start = start_when
            if row.unit is None and row.resource is None:
                row = start_row
        instances.append(make(row, start, end, line))
    for waiting in open_starts.values():
        for when, line, row in waiting:
            instances.append(make(row, when, None, line))
    return instances


class _InstanceMaker:
    """Makes instances, resolving each distinct (unit attribute, resource) once and counting
    the events left without a unit."""

    def __init__(self, resolve: UnitResolver, unresolved: Counter[str]) -> None:
        self.resolve = resolve
        self.unresolved = unresolved
        self.units: dict[tuple[str | None, str | None], str | None] = {}

    def __call__(self, row: Row, start: float | None, end: float | None, line: int) -> Instance:
        """The instance of ``row`` with these times and file order."""
        key = (row.unit, row.resource)
        try:
            unit = self.units[key]
        except KeyError:
            found = self.resolve(row.unit, row.resource)
            unit = self.units[key] = None if found is None else sys.intern(found)
        if unit is None:
            self.unresolved[row.resource or ""] += 1
            unit = UNASSIGNED
        resource = row.resource
        return Instance(
            sys.intern(row.activity),
            unit,
            None if resource is None else sys.intern(resource),
            start,
            end,
            line,
        )
