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

from orgmodel.diagnostics import Diagnostic
from orgmodel.eventlog.reader import MAX_PROBLEMS, LogInvalid, Row, problem

__all__ = ["UNASSIGNED", "EventLog", "Instance", "UnitResolver", "build_log", "parse_time"]

#: The unit of events whose unit cannot be found.
UNASSIGNED = "unassigned"


@dataclass(frozen=True, slots=True)
class Instance:
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

    def __init__(self, describe: str, attribute: bool = False,
                 mapping: dict[str, str] | None = None,
                 lookup: Callable[[str], str | None] | None = None) -> None:
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


def parse_time(value: str | datetime, naive: tzinfo | None, time_format: str | None
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
    aware = moment.tzinfo is not None
    if not aware:
        moment = moment.replace(tzinfo=naive or timezone.utc)
    return moment.timestamp(), aware


def build_log(source: str, rows: list[Row], resolve: UnitResolver, *,
              naive: tzinfo | None = None, time_format: str | None = None,
              time_columns: dict[str, int] | None = None) -> EventLog:
    """Cases of ``rows``: timestamps parsed, units resolved, start/complete events paired,
    each case in time order (equal times in file order). Raises :class:`LogInvalid`."""
    problems: list[Diagnostic] = []
    aware_rows: list[int] = []
    naive_rows: list[int] = []
    by_case: dict[str, list[tuple[float, int, Row, float | None, float | None]]] = \
        defaultdict(list)
    intern = sys.intern
    cache: dict[object, tuple[float, bool]] = {}
    for row in rows:
        times: list[float | None] = []
        for key, value in (("end", row.end), ("start", row.start)):
            if value is None:
                times.append(None)
                continue
            parsed = cache.get(value)
            if parsed is None:
                try:
                    parsed = parse_time(value, naive, time_format)
                except (ValueError, TypeError, OverflowError):
                    hint = f"the format {time_format!r}" if time_format else \
                        "ISO 8601, e.g. 2024-03-01T09:30:00+01:00, or give --time-format"
                    what = "an end" if key == "end" else "a start"
                    problems.append(problem(source, f"{value!r} is not {what} timestamp "
                                                    f"({hint})", row.line,
                                            (time_columns or {}).get(key, 1)))
                    times.append(None)
                    continue
                cache[value] = parsed
            (aware_rows if parsed[1] else naive_rows).append(row.line)
            times.append(parsed[0])
        if len(problems) >= MAX_PROBLEMS:
            break
        end, start = times
        if end is None and start is None:
            continue
        when = start if start is not None else end
        assert when is not None
        by_case[intern(row.case)].append((when, row.line, row, start, end))
    if aware_rows and naive_rows and naive is None:
        line = max(aware_rows[0], naive_rows[0])  # the first row of the kind seen second
        problems.append(problem(
            source, f"timestamps with a time zone ({len(aware_rows)}) and without one "
                    f"({len(naive_rows)}) are mixed, so their order is unknown; give "
                    "--timezone (e.g. UTC or Europe/Berlin) for those without",
            line, 1))
    if problems:
        raise LogInvalid(problems[:MAX_PROBLEMS])
    unresolved: Counter[str] = Counter()
    skipped: Counter[str] = Counter()
    cases: dict[str, list[Instance]] = {}
    first, last = float("inf"), float("-inf")
    events = 0
    for case, found in by_case.items():
        found.sort(key=lambda item: (item[0], item[1]))
        instances: list[Instance] = []
        open_starts: dict[str, deque[tuple[float, int, Row]]] = defaultdict(deque)
        for when, line, row, start, end in found:
            events += 1
            for t in (start, end):
                if t is not None:
                    first, last = min(first, t), max(last, t)
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
            instances.append(_instance(row, start, end, line, resolve, unresolved))
        for waiting in open_starts.values():
            for when, line, row in waiting:
                instances.append(_instance(row, when, None, line, resolve, unresolved))
        if instances:
            instances.sort(key=lambda i: (i.first, i.order))
            cases[case] = instances
    if not cases:
        raise LogInvalid([problem(source, "no activity instances: every event was left out "
                                          f"by its lifecycle transition ({dict(skipped)})")])
    return EventLog(source, dict(sorted(cases.items())), events, first, last, unresolved,
                    skipped, resolve.describe)


def _instance(row: Row, start: float | None, end: float | None, line: int,
              resolve: UnitResolver, unresolved: Counter[str]) -> Instance:
    unit = resolve(row.unit, row.resource)
    if unit is None:
        unresolved[row.resource or ""] += 1
        unit = UNASSIGNED
    intern = sys.intern
    return Instance(intern(row.activity), intern(unit),
                    None if row.resource is None else intern(row.resource), start, end, line)
