"""Value-stream analysis: quality and rework, value-added time, problems, channel switches and
direct ping-pong of every journey.

Definitions (see docs/metrics.md, "Value streams", for worked examples):

- **%C&A** of a step (``complete_accurate``): the share of its output the next step can use as
  it is; **rolled %C&A** of a journey: the product of the %C&A of the steps that give one
  (None when no step gives one; a step without %C&A is left out, not counted as 100 %);
- **rework**: a step sends the share ``p`` of its cases back to an earlier step. The journey
  is then an absorbing Markov chain over its steps: from step *i* a case goes back to step *j*
  with the share given, and on to step *i*+1 (or out, after the last step) with the rest. The
  **expected visits** of each step are the first row of the fundamental matrix
  N = (I - Q)^-1 (Q: the shares between steps); one loop of share p gives 1 / (1 - p);
- **expected handoffs / crossings**: the expected number of transitions between different
  units / silos, forward and back; **expected waiting / work / lead time**: each visit of a
  step waits and works again (sum over steps of visits x wait, visits x work);
- **rework crossings**: declared rework loops whose send-back crosses a silo wall;
- **activity ratio** = work / lead time (the silo analysis's *flow efficiency*, same value);
  **value-added ratio** = work of value-adding steps / lead time; **non-value-added time** =
  lead time - value-adding work (all waiting plus the work of non-value-adding steps); all on
  the straight path (each step once); ``value_added_ratio_with_rework`` divides by the expected
  lead time instead;
- **problem weight**: the sum of the weights of the problems noted on a step, a journey, a
  unit or a silo;
- **channel switches**: consecutive touchpoints (back-office steps may lie between them) that
  both give a channel and give different ones;
- **direct ping-pong**: on the journey's unit path (consecutive steps of one unit collapsed),
  a unit that returns right after the unit it handed to (A, x, A); the silo analysis's
  ``ping_pong`` counts silo re-entries (a silo entered again after any detour) instead.

>>> visits(3, {2: [(1, 0.2)]})
[1.0, 1.25, 1.25]
"""

from __future__ import annotations

import itertools
import operator
from collections import defaultdict
from collections.abc import Mapping, Sequence

from pydantic.dataclasses import dataclass as pydantic_dataclass

from orgmodel.analysis.base import (
    AnalysisContext,
    Frozen,
    Rows,
    Section,
    Table,
    pct,
    ratio,
    unchecked,
)
from orgmodel.analysis.findings import Rule
from orgmodel.analysis.silos import SiloSection
from orgmodel.durations import format_duration
from orgmodel.graph import Enterprise
from orgmodel.model import Journey, Severity

__all__ = [
    "ProblemRow",
    "ReworkLoop",
    "StepFigures",
    "StreamFigures",
    "ValueStreamSection",
    "WeightRow",
    "name",
    "rules",
    "run",
    "stream_figures",
    "visits",
]

name: str = "valuestream"
title: str = "Value streams"

LOW_QUALITY = Rule(
    "J08",
    "low-rolled-complete-accurate",
    Severity.WARNING,
    "A journey's rolled %C&A is below the threshold.",
    finds=(
        "A journey whose rolled %C&A (the product of the percent complete and accurate, "
        "`complete_accurate`, of the steps that give one) is below "
        "`thresholds.complete_accurate_min` (default 50 %). Journeys without any %C&A are "
        "left out."
    ),
    why=(
        "Fewer than half of the cases run through the value stream without being corrected, "
        "completed or asked back somewhere: every correction is rework and waiting."
    ),
    fix=(
        "Improve the steps with the lowest %C&A first: agree with the next step what it needs "
        "as input, or let one team do both steps; or lower the threshold."
    ),
    example=(
        '{"units": [{"id": "board", "name": "Board", "kind": "board"}, {"id": "sales", '
        '"name": "Sales", "parent": "board"}], "journeys": [{"id": "order", "name": '
        '"Order", "owner": "sales", "steps": [{"name": "Take order", "unit": "sales", '
        '"complete_accurate": 0.6}, {"name": "Confirm order", "unit": "sales", '
        '"complete_accurate": 0.7}]}]}'
    ),
)
REWORK_ACROSS = Rule(
    "J09",
    "rework-across-silos",
    Severity.WARNING,
    "A rework loop sends cases back across a silo wall.",
    finds=(
        "A step whose `rework` sends cases back to an earlier step performed in another "
        "[silo](concepts.md#silos). One finding per such loop, at the step that sends back."
    ),
    why=(
        "The defect is found in one department and fixed in another: each pass of the loop "
        "costs two silo crossings and their waits, and neither side owns the loop."
    ),
    fix=(
        "Let the step that finds the defect and the step that causes it work in one team, or "
        "agree on a definition of done at the wall so that fewer cases come back."
    ),
    example=(
        '{"units": [{"id": "board", "name": "Board", "kind": "board"}, {"id": "dev", '
        '"name": "Development", "parent": "board"}, {"id": "qa", "name": "Quality '
        'assurance", "parent": "board"}], "journeys": [{"id": "feature", "name": '
        '"Feature", "owner": "dev", "steps": [{"id": "build", "name": "Build", "unit": '
        '"dev"}, {"name": "Test", "unit": "qa", "rework": [{"to": "build", "share": '
        "0.3}]}]}]}"
    ),
)

rules: tuple[Rule, ...] = (LOW_QUALITY, REWORK_ACROSS)


# Slotted pydantic dataclasses rather than models, as Finding is: a large organization has
# 10,000s of them, and each model instance brings its own __dict__ and set of given fields,
# which every full garbage collection walks again.
@pydantic_dataclass(frozen=True, slots=True, kw_only=True)
class ReworkLoop:
    """A declared rework loop: cases of one step sent back to an earlier one."""

    step: int
    """1-based number of the step that sends back."""
    to_step: int
    """1-based number of the step the cases go back to."""
    share: float
    """The share of the sending step's cases that go back."""
    from_unit: str
    """Unit of the sending step."""
    to_unit: str
    """Unit of the step the cases go back to."""
    crosses_silo: bool
    """True when the two units are in different silos."""


@pydantic_dataclass(frozen=True, slots=True, kw_only=True)
class StepFigures:
    """The value-stream figures of one step."""

    step: int
    """1-based number."""
    step_id: str
    """Id of the step (its number when it has none)."""
    unit: str
    """Performing unit."""
    complete_accurate: float | None
    """%C&A of the step; None when not given."""
    rework_share: float
    """Sum of the shares the step sends back (0 without rework)."""
    expected_visits: float
    """Expected times the step is performed per case, rework included (1 without rework)."""
    problem_weight: int
    """Sum of the weights of the step's problems."""


class StreamFigures(Frozen):
    """The value-stream figures of one journey."""

    journey: str
    """Journey id."""
    steps: int
    """Number of steps."""
    rolled_complete_accurate: float | None
    """Product of the steps' %C&A; None when no step gives one."""
    complete_accurate_steps: int
    """Steps that give a %C&A."""
    lowest_complete_accurate: float | None
    """Lowest %C&A of a step; None when no step gives one."""
    rework_loops: list[ReworkLoop]
    """Declared rework loops, in step order."""
    rework_crossings: int
    """Rework loops whose send-back crosses a silo wall."""
    max_expected_visits: float
    """Highest expected visits of a step (1 without rework)."""
    expected_step_visits: float
    """Sum of the expected visits of all steps (the number of steps without rework)."""
    handoffs: int
    """Handoffs on the straight path (each step once)."""
    expected_handoffs: float
    """Expected transitions between different units per case, rework included."""
    crossings: int
    """Silo crossings on the straight path."""
    expected_crossings: float
    """Expected transitions between different silos per case, rework included."""
    work: int
    """Seconds of work on the straight path."""
    value_adding_work: int
    """Seconds of work of value-adding steps."""
    wait: int
    """Seconds of waiting on the straight path."""
    lead_time: int
    """Seconds: work + wait on the straight path."""
    non_value_added_time: int
    """Seconds: lead time - value-adding work."""
    activity_ratio: float | None
    """work / lead time (= flow efficiency); None when the lead time is 0."""
    value_added_ratio: float | None
    """value-adding work / lead time; None when the lead time is 0."""
    expected_work: float
    """Seconds of work per case, rework included."""
    expected_waiting: float
    """Seconds of waiting per case, rework included."""
    expected_lead_time: float
    """Seconds: expected work + expected waiting."""
    value_added_ratio_with_rework: float | None
    """value-adding work / expected lead time; None when it is 0."""
    problem_weight: int
    """Sum of the weights of the journey's problems."""
    channel_switches: int
    """Consecutive touchpoints with a channel each, on different channels."""
    channel_path: list[str]
    """The channels of the touchpoints that give one, in order."""
    direct_ping_pong: int
    """Returns to the unit just left (A, x, A on the collapsed unit path)."""
    silo_reentries: int
    """Re-entries into a silo left before (the silo analysis's ping-pong)."""
    step_figures: list[StepFigures]
    """Per step, in order."""


@pydantic_dataclass(frozen=True, slots=True, kw_only=True)
class ProblemRow:
    """One problem noted on a step."""

    journey: str
    """Journey id."""
    step: int
    """1-based step number."""
    unit: str
    """Unit of the step."""
    silo: str
    """Silo of the unit."""
    weight: int
    """Weight, 1 to 10."""
    text: str
    """The problem."""


@pydantic_dataclass(frozen=True, slots=True, kw_only=True)
class WeightRow:
    """The problems of one unit or silo."""

    id: str
    """Unit or silo id."""
    problems: int
    """Number of problems."""
    weight: int
    """Sum of their weights."""


class ValueStreamSection(Section):
    """Result of the value-stream analysis."""

    journeys: list[StreamFigures]
    """Per journey, in document order."""
    top_problems: list[ProblemRow]
    """Every problem, heaviest first (then journey and step order)."""
    units: list[WeightRow]
    """Problem weight per unit with problems, heaviest first, then id."""
    silos: list[WeightRow]
    """Problem weight per silo with problems, heaviest first, then id."""

    def headline(self) -> list[str]:
        rolled = [
            j.rolled_complete_accurate
            for j in self.journeys
            if j.rolled_complete_accurate is not None
        ]
        loops = sum(len(j.rework_loops) for j in self.journeys)
        crossing = sum(j.rework_crossings for j in self.journeys)
        weight = sum(j.problem_weight for j in self.journeys)
        out = [
            f"{loops} rework loops ({crossing} across a silo wall), problem weight {weight}, "
            f"{sum(j.channel_switches for j in self.journeys)} channel switches, "
            f"{sum(j.direct_ping_pong for j in self.journeys)} direct ping-pong returns."
        ]
        if rolled:
            out.append(f"Lowest rolled %C&A: {pct(min(rolled))}.")
        return out

    def tables(self) -> list[Table]:
        journeys = Table(
            "Journeys: quality, rework and value-added time",
            (
                "journey",
                "rolled %C&A",
                "rework loops",
                "rework crossings",
                "max visits",
                "handoffs (exp.)",
                "crossings (exp.)",
                "wait (exp.)",
                "activity ratio",
                "value-added ratio",
                "non-value-added",
                "problems",
                "channel switches",
                "direct ping-pong",
            ),
            Rows(
                self.journeys,
                lambda j: (
                    j.journey,
                    pct(j.rolled_complete_accurate),
                    str(len(j.rework_loops)),
                    str(j.rework_crossings),
                    _num(j.max_expected_visits),
                    f"{j.handoffs} ({_num(j.expected_handoffs)})",
                    f"{j.crossings} ({_num(j.expected_crossings)})",
                    f"{format_duration(j.wait)} ({format_duration(round(j.expected_waiting))})",
                    pct(j.activity_ratio),
                    pct(j.value_added_ratio),
                    format_duration(j.non_value_added_time),
                    str(j.problem_weight),
                    str(j.channel_switches),
                    str(j.direct_ping_pong),
                ),
            ),
            numeric=frozenset(range(1, 14)),
        )
        loops = Table(
            "Rework loops",
            ("journey", "step", "back to", "share", "from unit", "to unit", "across silo"),
            Rows(
                [(j.journey, r) for j in self.journeys for r in j.rework_loops],
                lambda jr: (
                    jr[0],
                    str(jr[1].step),
                    str(jr[1].to_step),
                    pct(jr[1].share),
                    jr[1].from_unit,
                    jr[1].to_unit,
                    "YES" if jr[1].crosses_silo else "no",
                ),
            ),
            numeric=frozenset({1, 2, 3}),
        )
        problems = Table(
            "Top problems",
            ("weight", "journey", "step", "unit", "silo", "problem"),
            Rows(
                self.top_problems,
                lambda p: (str(p.weight), p.journey, str(p.step), p.unit, p.silo, p.text),
            ),
            numeric=frozenset({0, 2}),
        )
        silos = Table(
            "Problems per silo",
            ("silo", "problems", "weight"),
            Rows(self.silos, lambda s: (s.id, str(s.problems), str(s.weight))),
            numeric=frozenset({1, 2}),
        )
        tables = [journeys]
        if any(j.rework_loops for j in self.journeys):
            tables.append(loops)
        if self.top_problems:
            tables += [problems, silos]
        return tables


section: type[Section] = ValueStreamSection

# The rows are built without validation (unchecked): their fields are of their types.
_REWORK_LOOP = unchecked(ReworkLoop)
_STEP_FIGURES = unchecked(StepFigures)
_STREAM_FIGURES = unchecked(StreamFigures)
_PROBLEM_ROW = unchecked(ProblemRow)
_WEIGHT_ROW = unchecked(WeightRow)
_VALUE_STREAM_SECTION = unchecked(ValueStreamSection)


_ID = operator.attrgetter("id")
_UNIT = operator.attrgetter("unit")
_WORK = operator.attrgetter("work")
_WAIT = operator.attrgetter("wait")
_REWORK = operator.attrgetter("rework")
_COMPLETE_ACCURATE = operator.attrgetter("complete_accurate")
_VALUE_ADDING = operator.attrgetter("value_adding")
_TOUCHPOINT = operator.attrgetter("touchpoint")
_CHANNEL = operator.attrgetter("channel")
_PROBLEMS = operator.attrgetter("problems")
_WEIGHT = operator.attrgetter("weight")
_SHARE = operator.attrgetter("share")


def _num(value: float) -> str:
    return f"{value:g}" if value == int(value) else f"{value:.2f}"


def visits(n: int, back: Mapping[int, Sequence[tuple[int, float]]]) -> list[float]:
    """Expected visits of each of ``n`` steps (0-based) of an absorbing chain in which step
    ``i`` sends the share ``p`` of its cases back to step ``j < i`` for each ``(j, p)`` in
    ``back[i]`` and the rest on to step ``i + 1`` (out after the last).

    The visits are the first row of the fundamental matrix N = (I - Q)^-1, i.e. the solution
    of v (I - Q) = e_1. Steps outside every loop are visited once; each group of overlapping
    loops is solved on its own (Gaussian elimination, O(k^3) for a group of k steps), so a
    long journey with short loops stays linear.

    >>> visits(4, {3: [(0, 0.5)], 2: [(1, 0.5)]})
    [2.0, 4.0, 4.0, 2.0]
    """
    out = [1.0] * n
    spans = sorted((min(j for j, _ in loops), i) for i, loops in back.items() if loops)
    groups: list[list[int]] = []
    for lo, hi in spans:
        if groups and lo <= groups[-1][1]:
            groups[-1][1] = max(groups[-1][1], hi)
        else:
            groups.append([lo, hi])
    for lo, hi in groups:
        size = hi - lo + 1
        # (I - Q) restricted to the group; v (I - Q) = e_lo  <=>  (I - Q)^T v^T = e_lo.
        a = [[0.0] * (size + 1) for _ in range(size)]
        for k in range(size):
            a[k][k] = 1.0
        a[0][size] = 1.0
        for i in range(lo, hi + 1):
            loops = back.get(i, ())
            forward = 1.0 - sum(p for _, p in loops)
            if i < hi:
                a[i + 1 - lo][i - lo] -= forward
            for j, p in loops:
                a[j - lo][i - lo] -= p
        for v, value in zip(range(lo, hi + 1), _solve(a), strict=True):
            out[v] = value
    return out


def _solve(a: list[list[float]]) -> list[float]:
    """Solve the augmented system ``a`` (n rows of n + 1) by Gaussian elimination with
    partial pivoting."""
    n = len(a)
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(a[r][col]))
        a[col], a[pivot] = a[pivot], a[col]
        for r in range(col + 1, n):
            f = a[r][col] / a[col][col]
            if f:
                for c in range(col, n + 1):
                    a[r][c] -= f * a[col][c]
    x = [0.0] * n
    for r in range(n - 1, -1, -1):
        x[r] = (a[r][n] - sum(a[r][c] * x[c] for c in range(r + 1, n))) / a[r][r]
    return x


def _targets(journey: Journey) -> dict[str, int]:
    """Step id or number (for steps without an id) -> 0-based index; ids take precedence."""
    out = {str(i + 1): i for i in range(len(journey.steps))}
    out.update({s.id: i for i, s in enumerate(journey.steps) if s.id is not None})
    return out


def stream_figures(
    ent: Enterprise,
    journey: Journey,
    silo_reentries: int = 0,
) -> StreamFigures:
    """Compute the value-stream figures of one journey (see the module docstring)."""
    # Column by column: each field of the steps is read once, in bulk.
    steps = journey.steps
    n = len(steps)
    units = list(map(_UNIT, steps))
    silos = list(map(ent.tree.silo_or_self.__getitem__, units))
    reworks = list(map(_REWORK, steps))
    back: dict[int, list[tuple[int, float]]] = {}
    loops: list[ReworkLoop] = []
    if any(reworks):
        target = _targets(journey)
        for i, here in enumerate(reworks):
            for r in here:
                j = target[r.to]
                back.setdefault(i, []).append((j, r.share))
                loops.append(
                    _REWORK_LOOP(
                        step=i + 1,
                        to_step=j + 1,
                        share=r.share,
                        from_unit=units[i],
                        to_unit=units[j],
                        crosses_silo=silos[i] != silos[j],
                    )
                )
    v = visits(n, back)
    handoffs = sum(map(operator.ne, units[1:], units))
    crossings = sum(map(operator.ne, silos[1:], silos))
    # every step visited once: the expected figures are the counts
    exp_handoffs = float(handoffs)
    exp_crossings = float(crossings)
    if back:
        exp_handoffs = exp_crossings = 0.0
        for i in range(n):
            here = back.get(i)
            if here is not None:
                for j, p in here:
                    if units[j] != units[i]:
                        exp_handoffs += v[i] * p
                    if silos[j] != silos[i]:
                        exp_crossings += v[i] * p
            if i + 1 < n:
                forward = 1.0 - sum(p for _, p in here) if here is not None else 1.0
                if units[i + 1] != units[i]:
                    exp_handoffs += v[i] * forward
                if silos[i + 1] != silos[i]:
                    exp_crossings += v[i] * forward
    given = list(map(_COMPLETE_ACCURATE, steps))
    measured = [c for c in given if c is not None]
    rolled: float | None = None
    if measured:
        rolled = 1.0
        for value in measured:
            rolled *= value
    works = list(map(_WORK, steps))
    waits = list(map(_WAIT, steps))
    work = sum(works)
    wait = sum(waits)
    lead = work + wait
    va_work = sum(itertools.compress(works, map(_VALUE_ADDING, steps)))
    exp_work = sum(map(operator.mul, v, works))
    exp_wait = sum(map(operator.mul, v, waits))
    channels = [
        c
        for c in itertools.compress(map(_CHANNEL, steps), map(_TOUCHPOINT, steps))
        if c is not None
    ]
    path = [u for u, _ in itertools.groupby(units)]
    weights = [sum(map(_WEIGHT, p)) if p else 0 for p in map(_PROBLEMS, steps)]
    step_rows = [
        _STEP_FIGURES(
            step=i + 1,
            step_id=sid or str(i + 1),
            unit=unit,
            complete_accurate=ca,
            rework_share=sum(map(_SHARE, r)) if r else 0.0,
            expected_visits=visits_i,
            problem_weight=weight,
        )
        for i, (sid, unit, ca, r, visits_i, weight) in enumerate(
            zip(map(_ID, steps), units, given, reworks, v, weights, strict=True)
        )
    ]
    return _STREAM_FIGURES(
        journey=journey.id,
        steps=n,
        rolled_complete_accurate=rolled,
        complete_accurate_steps=len(measured),
        lowest_complete_accurate=min(measured) if measured else None,
        rework_loops=loops,
        rework_crossings=sum(1 for r in loops if r.crosses_silo),
        max_expected_visits=max(v),
        expected_step_visits=sum(v),
        handoffs=handoffs,
        expected_handoffs=exp_handoffs,
        crossings=crossings,
        expected_crossings=exp_crossings,
        work=work,
        value_adding_work=va_work,
        wait=wait,
        lead_time=lead,
        non_value_added_time=lead - va_work,
        activity_ratio=ratio(work, lead),
        value_added_ratio=ratio(va_work, lead),
        expected_work=exp_work,
        expected_waiting=exp_wait,
        expected_lead_time=exp_work + exp_wait,
        value_added_ratio_with_rework=ratio(va_work, exp_work + exp_wait),
        problem_weight=sum(weights),
        channel_switches=sum(map(operator.ne, channels[1:], channels)),
        channel_path=channels,
        direct_ping_pong=sum(map(operator.eq, path[2:], path)),
        silo_reentries=silo_reentries,
        step_figures=step_rows,
    )


def _weights(rows: list[ProblemRow], key: str) -> list[WeightRow]:
    count: dict[str, int] = defaultdict(int)
    weight: dict[str, int] = defaultdict(int)
    for p in rows:
        count[getattr(p, key)] += 1
        weight[getattr(p, key)] += p.weight
    return sorted(
        (_WEIGHT_ROW(id=k, problems=count[k], weight=weight[k]) for k in count),
        key=lambda w: (-w.weight, w.id),
    )


def run(ctx: AnalysisContext, *, silos: SiloSection) -> ValueStreamSection:
    """Analyze the value streams of the context's journeys and report their findings."""
    ent = ctx.enterprise
    reentries = {j.journey: j.ping_pong for j in silos.journeys}
    wanted = set(ctx.journeys) if ctx.journeys is not None else None
    figures: list[StreamFigures] = []
    problems: list[ProblemRow] = []
    silo_of = ent.tree.silo_or_self
    for index, journey in enumerate(ent.document.journeys):
        if wanted is not None and journey.id not in wanted:
            continue
        f = stream_figures(ent, journey, reentries.get(journey.id, 0))
        figures.append(f)
        _findings(ctx, index, journey, f)
        for number, step in enumerate(journey.steps, 1):
            for p in step.problems:
                problems.append(
                    _PROBLEM_ROW(
                        journey=journey.id,
                        step=number,
                        unit=step.unit,
                        silo=silo_of[step.unit],
                        weight=p.weight,
                        text=p.text,
                    )
                )
    order = {j.journey: i for i, j in enumerate(figures)}
    problems.sort(key=lambda p: (-p.weight, order[p.journey], p.step))
    return _VALUE_STREAM_SECTION(
        journeys=figures,
        top_problems=problems,
        units=_weights(problems, "unit"),
        silos=_weights(problems, "silo"),
    )


def _findings(ctx: AnalysisContext, index: int, journey: Journey, f: StreamFigures) -> None:
    here = ("journeys", index)
    jid = journey.id
    threshold = ctx.thresholds.complete_accurate_min
    if f.rolled_complete_accurate is not None and f.rolled_complete_accurate < threshold:
        ctx.report(
            LOW_QUALITY,
            f"journey '{jid}': rolled %C&A {pct(f.rolled_complete_accurate)} is below "
            f"{pct(threshold)} (lowest step {pct(f.lowest_complete_accurate)}, "
            f"{f.complete_accurate_steps} of {f.steps} steps measured)",
            here,
            (jid,),
        )
    tree = ctx.enterprise.tree
    per_step: dict[int, int] = defaultdict(int)
    for r in f.rework_loops:
        position = per_step[r.step]
        per_step[r.step] += 1
        if not r.crosses_silo:
            continue
        step = journey.steps[r.step - 1]
        ctx.report(
            REWORK_ACROSS,
            f"journey '{jid}' step {r.step}: {pct(r.share)} of the cases go back to step "
            f"{r.to_step} across the silo wall {tree.silo_or_self[r.from_unit]} "
            f"-> {tree.silo_or_self[r.to_unit]}",
            (*here, "steps", r.step - 1, "rework", position),
            (jid, step.id or str(r.step), step.rework[position].to),
        )
