"""A model's journeys against the measured ones of a log, step by step; and the model with
its waits and volumes set to the measured ones, edited in place.

A step's activity is the one a mapping names for it, else the step's name (or id) as an
activity of the log. Cases are matched to journeys in three tiers, each taking only the
cases the earlier ones left:

1. **id**: a journey whose id is a variant id of the log (``variant-N``, as ``orgmodel import
   eventlog`` numbers them) and whose activities are that variant's, or a journey that
   ``matches`` names a variant for, takes every case of that variant, and only those;
2. **steps**: a case whose activities, in order, are exactly a journey's steps' activities
   belongs to that journey (ties: the first journey);
3. **similarity**: any other case belongs to the journey (not matched by id) whose set of
   activities is most like the case's (Jaccard similarity, at least ``min_similarity``;
   ties: the first journey).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from itertools import pairwise
from typing import Any

from orgmodel.durations import format_duration
from orgmodel.eventlog.document import volume
from orgmodel.eventlog.log import EventLog, Instance
from orgmodel.eventlog.variants import Stats, Variant, step_times, summarize, variants
from orgmodel.jsonpos import JsonPath, format_path, locate
from orgmodel.model import Document, Journey

__all__ = [
    "MATCH_WAYS",
    "JourneyCalibration",
    "MatchInvalid",
    "StepCalibration",
    "calibrate",
    "edit_document",
    "variant_number",
]

#: The ways a case is matched to a journey, in the order they are tried.
MATCH_WAYS = ("id", "steps", "similarity")


class MatchInvalid(ValueError):
    """A ``--match`` that names a journey or a variant that is not there."""


def variant_number(text: str) -> int | None:
    """The number N of a variant id ``variant-N`` (or plain ``N``); None for other text.

    >>> variant_number("variant-3"), variant_number("3"), variant_number("claim")
    (3, 3, None)
    """
    digits = text[len("variant-") :] if text.startswith("variant-") else text
    if digits.isascii() and digits.isdigit() and int(digits) >= 1:
        return int(digits)
    return None


@dataclass(frozen=True)
class StepCalibration:
    """One step of a journey: modelled against measured."""

    index: int
    name: str
    activity: str
    unit: str
    measured_unit: str | None
    units: dict[str, int]
    wait: int
    measured_wait: Stats | None
    work: int
    measured_work: Stats | None
    wait_differs: bool
    work_differs: bool

    @property
    def unit_differs(self) -> bool:
        """The log's most frequent unit of the activity is not the modelled one."""
        return self.measured_unit is not None and self.measured_unit != self.unit

    def to_dict(self) -> dict[str, Any]:
        """Plain data (durations in seconds)."""
        return {
            "step": self.index + 1,
            "name": self.name,
            "activity": self.activity,
            "unit": self.unit,
            "measured_unit": self.measured_unit,
            "units": self.units,
            "unit_differs": self.unit_differs,
            "wait": self.wait,
            "measured_wait": None if self.measured_wait is None else self.measured_wait.to_dict(),
            "wait_differs": self.wait_differs,
            "work": self.work,
            "measured_work": None if self.measured_work is None else self.measured_work.to_dict(),
            "work_differs": self.work_differs,
        }


@dataclass(frozen=True)
class JourneyCalibration:
    """One journey of the model against the cases of the log that match it."""

    index: int
    id: str
    cases: int
    volume: float | None
    measured_volume: float | None
    volume_differs: bool
    steps: list[StepCalibration]
    model_order: list[str]
    measured_order: list[str]
    model_units: list[str]
    measured_units: list[str]
    extra_handoffs: dict[tuple[str, str], int] = field(default_factory=dict)
    #: Cases matched per way (:data:`MATCH_WAYS`); only the ways that matched some.
    matched: dict[str, int] = field(default_factory=dict)
    #: The variant of the log matched by id (``variant-N``), and whether ``--match`` named it.
    variant: str | None = None
    variant_given: bool = False
    #: Why a match that the journey's id suggests was not made, in words.
    notes: list[str] = field(default_factory=list)

    @property
    def matched_by(self) -> str:
        """The first way that matched cases (``id``, ``steps``, ``similarity``), else ``none``."""
        return next(iter(self.matched), "none")

    @property
    def order_differs(self) -> bool:
        """The most frequent order of the activities in the log is not the modelled one."""
        return bool(self.measured_order) and self.measured_order != self.model_order

    @property
    def units_differ(self) -> bool:
        """The most frequent order of units in the log is not the modelled one."""
        return bool(self.measured_units) and self.measured_units != self.model_units

    def differences(self) -> int:
        """How many figures differ."""
        return (
            sum(s.wait_differs + s.work_differs + s.unit_differs for s in self.steps)
            + self.volume_differs
            + self.order_differs
            + bool(self.extra_handoffs)
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain data."""
        return {
            "journey": self.id,
            "cases": self.cases,
            "volume": self.volume,
            "measured_volume": self.measured_volume,
            "volume_differs": self.volume_differs,
            "model_order": self.model_order,
            "measured_order": self.measured_order,
            "order_differs": self.order_differs,
            "model_units": self.model_units,
            "measured_units": self.measured_units,
            "units_differ": self.units_differ,
            "handoffs_not_in_model": [
                {"from": a, "to": b, "count": n} for (a, b), n in self.extra_handoffs.items()
            ],
            "match": {
                "by": self.matched_by,
                "variant": self.variant,
                "variant_from": None
                if self.variant is None
                else "--match"
                if self.variant_given
                else "journey id",
                "cases": self.matched,
                "notes": self.notes,
            },
            "steps": [s.to_dict() for s in self.steps],
            "differences": self.differences(),
        }


def _activities(journey: Journey, mapping: dict[str, str], known: set[str]) -> list[str]:
    out = []
    for k, step in enumerate(journey.steps):
        ident = step.id or str(k + 1)
        chosen = mapping.get(ident) or mapping.get(step.name)
        if chosen is None:
            chosen = step.name if step.name in known or ident not in known else ident
        out.append(chosen)
    return out


def _differs(model: float, measured: float, tolerance: float) -> bool:
    return abs(model - measured) > max(tolerance * abs(measured), 60.0)


def calibrate(
    document: Document,
    log: EventLog,
    period: str,
    *,
    mapping: dict[str, dict[str, str]] | None = None,
    matches: dict[str, str] | None = None,
    tolerance: float = 0.1,
    min_similarity: float = 0.5,
) -> list[JourneyCalibration]:
    """Every journey of ``document`` against the cases of ``log`` that match it; ``matches``
    names the variant (``variant-N`` or ``N``) of some journeys. Raises
    :class:`MatchInvalid` for a ``matches`` entry that names no journey or no variant."""
    mapping = mapping or {}
    matches = matches or {}
    journeys = document.journeys
    known = {i.activity for case in log.cases.values() for i in case}
    activities = [_activities(j, mapping.get(j.id, {}), known) for j in journeys]
    found = variants(log)
    by_variant = _match_ids(journeys, activities, found, matches)
    ways: list[dict[str, list[list[Instance]]]] = [{} for _ in journeys]
    claimed: set[str] = set()
    for n, (chosen, _) in by_variant.items():
        case_ids = found[chosen - 1].cases
        ways[n]["id"] = [log.cases[c] for c in case_ids]
        claimed.update(case_ids)
    sequences: dict[tuple[str, ...], int] = {}
    for n, wanted in enumerate(activities):
        if n not in by_variant:
            sequences.setdefault(tuple(wanted), n)
    sets = [(n, set(a)) for n, a in enumerate(activities) if n not in by_variant]
    for case_id, case in log.cases.items():
        if case_id in claimed:
            continue
        exact = sequences.get(tuple(i.activity for i in case))
        if exact is not None:
            ways[exact].setdefault("steps", []).append(case)
            continue
        seen = {i.activity for i in case}
        best, best_score = -1, min_similarity
        for n, wanted_set in sets:
            score = len(seen & wanted_set) / len(seen | wanted_set)
            if score > best_score or (score == best_score and best < 0 and score > 0):
                best, best_score = n, score
        if best >= 0:
            ways[best].setdefault("similarity", []).append(case)
    out = []
    for n, journey in enumerate(journeys):
        cases = [c for way in MATCH_WAYS for c in ways[n].get(way, [])]
        result = _journey(n, journey, activities[n], cases, log, period, tolerance)
        number: int | None = None
        given = False
        if n in by_variant:
            number, given = by_variant[n]
        out.append(
            replace(
                result,
                matched={w: len(ways[n][w]) for w in MATCH_WAYS if w in ways[n]},
                variant=None if number is None else f"variant-{number}",
                variant_given=given,
                notes=_id_notes(journey, activities[n], found, matches, n in by_variant),
            )
        )
    return out


def _variant_activities(variant: Variant) -> list[str]:
    return [activity for activity, _ in variant.key]


def _match_ids(
    journeys: list[Journey],
    activities: list[list[str]],
    found: list[Variant],
    matches: dict[str, str],
) -> dict[int, tuple[int, bool]]:
    """Journey index -> (variant number, named by ``matches``) of the journeys matched by id."""
    index = {j.id: n for n, j in enumerate(journeys)}
    out: dict[int, tuple[int, bool]] = {}
    taken: dict[int, str] = {}
    for journey_id, variant in matches.items():
        if journey_id not in index:
            raise MatchInvalid(
                f"{journey_id}={variant}: the model has no journey {journey_id!r}"
                f" (its journeys: {', '.join(j.id for j in journeys) or 'none'})"
            )
        number = variant_number(variant)
        if number is None or number > len(found):
            raise MatchInvalid(
                f"{journey_id}={variant}: the log has no variant {variant!r} (its variants "
                f"are variant-1 to variant-{len(found)}, most cases first)"
            )
        if number in taken:
            raise MatchInvalid(
                f"{journey_id}={variant}: variant-{number} is already matched to {taken[number]}"
            )
        taken[number] = journey_id
        out[index[journey_id]] = (number, True)
    for n, journey in enumerate(journeys):
        number = variant_number(journey.id) if journey.id.startswith("variant-") else None
        if n in out or number is None or number > len(found) or number in taken:
            continue
        if _variant_activities(found[number - 1]) == activities[n]:
            taken[number] = journey.id
            out[n] = (number, False)
    return out


def _id_notes(
    journey: Journey,
    activities: list[str],
    found: list[Variant],
    matches: dict[str, str],
    matched: bool,
) -> list[str]:
    """Why the variant that the journey's id names was not matched by id."""
    number = variant_number(journey.id) if journey.id.startswith("variant-") else None
    if matched or number is None or journey.id in matches:
        return []
    if number > len(found):
        return [f"the log has no {journey.id} (it has {len(found)} variant(s))"]
    shown = " > ".join(_variant_activities(found[number - 1]))
    if _variant_activities(found[number - 1]) != activities:
        return [
            f"{journey.id} of the log is {shown}, not this journey's steps: not matched by "
            f"id (give --match {journey.id}={journey.id} to match it all the same)"
        ]
    return [f"{journey.id} of the log is matched to another journey by --match"]


def _journey(
    n: int,
    journey: Journey,
    activities: list[str],
    cases: list[list[Instance]],
    log: EventLog,
    period: str,
    tolerance: float,
) -> JourneyCalibration:
    wanted = set(activities)
    waits: dict[str, list[float]] = defaultdict(list)
    works: dict[str, list[float]] = defaultdict(list)
    units: dict[str, Counter[str]] = defaultdict(Counter)
    orders: Counter[tuple[str, ...]] = Counter()
    unit_orders: Counter[tuple[str, ...]] = Counter()
    handoffs: Counter[tuple[str, str]] = Counter()
    for case in cases:
        for item, (work, wait, _) in zip(case, step_times(case), strict=True):
            if item.activity in wanted:
                waits[item.activity].append(wait)
                if work is not None:
                    works[item.activity].append(work)
                units[item.activity][item.unit] += 1
        kept = [i for i in case if i.activity in wanted]
        orders[tuple(i.activity for i in kept)] += 1
        unit_orders[tuple(i.unit for i in kept)] += 1
        handoffs.update((a.unit, b.unit) for a, b in pairwise(case) if a.unit != b.unit)
    model_pairs = {(a.unit, b.unit) for a, b in pairwise(journey.steps)}
    steps = []
    for k, (step, activity) in enumerate(zip(journey.steps, activities, strict=True)):
        measured_wait, measured_work = summarize(waits[activity]), summarize(works[activity])
        found = units[activity]
        top = min(found.items(), key=lambda kv: (-kv[1], kv[0]))[0] if found else None
        steps.append(
            StepCalibration(
                k,
                step.name,
                activity,
                step.unit,
                top,
                dict(sorted(found.items())),
                step.wait,
                measured_wait,
                step.work,
                measured_work,
                measured_wait is not None and _differs(step.wait, measured_wait.median, tolerance),
                measured_work is not None and _differs(step.work, measured_work.median, tolerance),
            )
        )
    measured = volume(len(cases), log.span, period) if cases else None
    volume_differs = measured is not None and (
        journey.volume is None
        or abs(journey.volume - measured) > tolerance * max(abs(measured), 1e-9)
    )

    def most(counter: Counter[tuple[str, ...]]) -> list[str]:
        return list(min(counter.items(), key=lambda kv: (-kv[1], kv[0]))[0]) if counter else []

    extra = {k: v for k, v in sorted(handoffs.items()) if k not in model_pairs}
    return JourneyCalibration(
        n,
        journey.id,
        len(cases),
        journey.volume,
        measured,
        volume_differs,
        steps,
        activities,
        most(orders),
        [s.unit for s in journey.steps],
        most(unit_orders),
        extra,
    )


def _offsets(text: str) -> list[int]:
    starts = [0]
    for i, char in enumerate(text):
        if char == "\n":
            starts.append(i + 1)
    return starts


def edit_document(text: str, results: list[JourneyCalibration]) -> tuple[str, list[str]]:
    """``text`` with the differing waits and volumes set to the measured medians, edited in
    place (the rest of the text stays byte for byte); and what was changed, in words."""
    edits: list[tuple[JsonPath, str, str]] = []  # (path of the value, key, new JSON value)
    for result in results:
        base: JsonPath = ("journeys", result.index)
        if result.volume_differs and result.measured_volume is not None:
            edits.append((base, "volume", json.dumps(float(result.measured_volume))))
        for step in result.steps:
            if step.wait_differs and step.measured_wait is not None:
                edits.append(
                    (
                        (*base, "steps", step.index),
                        "wait",
                        json.dumps(format_duration(step.measured_wait.median)),
                    )
                )
    if not edits:
        return text, []
    wanted = {(*path, key) for path, key, _ in edits} | {path for path, _, _ in edits}
    found = locate(text, wanted)
    lines = _offsets(text)

    def offset(path: JsonPath) -> int:
        line, column = found[path]
        return lines[line - 1] + column - 1

    changes: list[tuple[int, int, str]] = []
    notes = []
    decoder = json.JSONDecoder()
    for path, key, value in edits:
        target = (*path, key)
        if target in found:
            start = offset(target)
            end = decoder.raw_decode(text, start)[1]
            changes.append((start, end, value))
            notes.append(f"{format_path(target)}: {text[start:end]} -> {value}")
        else:
            brace = offset(path)
            after = brace + 1
            space_end = after
            while space_end < len(text) and text[space_end] in " \t\r\n":
                space_end += 1
            space = text[after:space_end] or " "
            changes.append((after, after, f'{space}"{key}": {value},'))
            notes.append(f"{format_path(target)}: (absent) -> {value}")
    for start, end, value in sorted(changes, reverse=True):
        text = text[:start] + value + text[end:]
    return text, notes
