"""Variants of a log and the measured work and waits of their steps.

A variant is the sequence of (activity, unit) of a case. Per step of a variant, work is
start to complete (where both are known) and wait is the previous complete to this start,
or complete to complete where a start is missing; a negative wait (overlapping activities)
counts as 0. See ``docs/metrics.md``, "Measured from an event log".
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from orgmodel.eventlog.log import EventLog, Instance

__all__ = [
    "PERIOD_SECONDS",
    "Stats",
    "StepMeasure",
    "Variant",
    "step_times",
    "summarize",
    "variants",
]

#: Seconds per `settings.volume_period` (a month is a twelfth of 365.2425 days).
PERIOD_SECONDS: dict[str, float] = {
    "day": 86400.0,
    "week": 7 * 86400.0,
    "month": 365.2425 * 86400 / 12,
    "quarter": 365.2425 * 86400 / 4,
    "year": 365.2425 * 86400,
}


@dataclass(frozen=True)
class Stats:
    """Median, 90th percentile and mean of some durations in seconds (n of them)."""

    n: int
    median: float
    p90: float
    mean: float

    def to_dict(self) -> dict[str, float | int]:
        """Plain data, seconds rounded to whole ones."""
        return {
            "n": self.n,
            "median": round(self.median),
            "p90": round(self.p90),
            "mean": round(self.mean),
        }


def quantile(values: list[float], q: float) -> float:
    """The ``q`` quantile of sorted ``values``, linear between the closest ranks (numpy's
    default); the median for 0.5."""
    if not values:
        return 0.0
    position = q * (len(values) - 1)
    low = math.floor(position)
    high = min(low + 1, len(values) - 1)
    return values[low] + (values[high] - values[low]) * (position - low)


def summarize(values: list[float]) -> Stats | None:
    """The figures of ``values``; None when there are none."""
    if not values:
        return None
    ordered = sorted(values)
    return Stats(
        len(ordered),
        quantile(ordered, 0.5),
        quantile(ordered, 0.9),
        math.fsum(ordered) / len(ordered),
    )


def step_times(case: list[Instance]) -> list[tuple[float | None, float, bool]]:
    """Per instance of a case: its work (None when not measured), its wait before it, and
    whether the instances overlapped (the raw wait was negative, counted as 0)."""
    out: list[tuple[float | None, float, bool]] = []
    previous: Instance | None = None
    for item in case:
        work = item.end - item.start if item.start is not None and item.end is not None else None
        if previous is None:
            wait = 0.0
        elif item.start is not None and previous.end is not None:
            wait = item.start - previous.end
        else:
            later = item.end if item.end is not None else item.start
            earlier = previous.end if previous.end is not None else previous.start
            assert later is not None and earlier is not None
            wait = later - earlier
        out.append((work, max(wait, 0.0), wait < 0))
        previous = item
    return out


@dataclass(frozen=True)
class StepMeasure:
    """The measured figures of one step of a variant."""

    activity: str
    unit: str
    work: Stats | None
    wait: Stats

    def to_dict(self) -> dict[str, object]:
        """Plain data."""
        return {
            "activity": self.activity,
            "unit": self.unit,
            "work": None if self.work is None else self.work.to_dict(),
            "wait": self.wait.to_dict(),
        }


@dataclass(frozen=True)
class Variant:
    """A variant of the log: its steps, its cases and their measured step figures."""

    key: tuple[tuple[str, str], ...]
    cases: tuple[str, ...]
    steps: tuple[StepMeasure, ...]

    def to_dict(self) -> dict[str, object]:
        """Plain data (the case ids left out)."""
        return {"cases": len(self.cases), "steps": [s.to_dict() for s in self.steps]}


def variants(
    log: EventLog,
    per_case: bool = False,
    times: dict[str, list[tuple[float | None, float, bool]]] | None = None,
) -> list[Variant]:
    """The variants of ``log``, most cases first, then by their sequence; with
    ``per_case``, one "variant" per case, in case id order. ``times``: the
    :func:`step_times` of each case, where already computed."""
    if times is None:
        times = {case_id: step_times(case) for case_id, case in log.cases.items()}
    groups: dict[tuple[tuple[str, str], ...], list[str]] = defaultdict(list)
    if per_case:
        keyed = [((i.activity, i.unit) for i in case) for case in log.cases.values()]
        ordered = [(tuple(k), [c]) for k, c in zip(keyed, log.cases, strict=True)]
    else:
        for case_id, case in log.cases.items():
            groups[tuple((i.activity, i.unit) for i in case)].append(case_id)
        ordered = sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    out = []
    for key, case_ids in ordered:
        works: list[list[float]] = [[] for _ in key]
        waits: list[list[float]] = [[] for _ in key]
        for case_id in case_ids:
            for j, (work, wait, _) in enumerate(times[case_id]):
                if work is not None:
                    works[j].append(work)
                waits[j].append(wait)
        steps = tuple(
            StepMeasure(
                activity, unit, summarize(works[j]), summarize(waits[j]) or Stats(0, 0, 0, 0)
            )
            for j, (activity, unit) in enumerate(key)
        )
        out.append(Variant(key, tuple(case_ids), steps))
    return out


def keep(found: list[Variant], top: int | None, coverage: float | None) -> list[Variant]:
    """The most frequent variants: at most ``top``, and only as many as it takes to cover
    ``coverage`` (a share, 0-1) of the cases."""
    total = sum(len(v.cases) for v in found)
    out: list[Variant] = []
    covered = 0
    for variant in found:
        if top is not None and len(out) >= top:
            break
        if coverage is not None and total and covered / total >= coverage:
            break
        out.append(variant)
        covered += len(variant.cases)
    return out
