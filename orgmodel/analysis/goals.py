"""Goals: whether the goals follow the customer or the function (see "Functional goals and
customer goals" in docs/concepts.md).

Definitions (worked examples in docs/metrics.md):

- a **customer goal** has `orientation: customer`, a **functional goal** `functional`;
- the goals a unit **holds**: the goals whose `holder` is the unit, the goals of the journeys
  it owns and the goals of the segments whose team it is;
- the goals that **steer** a unit: the goals it holds and the goals held by every unit above
  it, except the top unit (a department's goal reaches into its teams; a goal of the board is
  a company goal and steers nobody in particular);
- the **units on a journey**: the units that perform its steps, and its owner; on a journey,
  the goals of other journeys are left out of what steers them;
- **touchpoint units**: units that perform at least one touchpoint step;
- two goals **pull in different directions** on a journey when one is a functional goal of a
  kind in the left column of :data:`CONFLICTS`, the other a customer goal of a kind in the
  right column of the same row, both steer units on the journey, and they do not steer the
  same units there (some unit on the journey is steered by one and not by the other). Two
  goals that steer exactly the same units are a trade-off inside those units, not a pull
  between units;
- **loyalty kinds**: loyalty, retention and value (what satisfaction is meant to lead to).
"""

from __future__ import annotations

import itertools
import operator
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import NamedTuple

from pydantic.dataclasses import dataclass as pydantic_dataclass

from orgmodel.analysis.base import (
    AnalysisContext,
    Frozen,
    Rows,
    Section,
    Table,
    ratio,
    unchecked,
    unchecked_rows,
)
from orgmodel.analysis.findings import Rule
from orgmodel.analysis.layers import selected_journeys
from orgmodel.graph import Enterprise
from orgmodel.model import Goal, GoalKind, Journey, Orientation, Severity

__all__ = [
    "CONFLICTS",
    "LOYALTY_KINDS",
    "Conflict",
    "GoalSection",
    "Steering",
    "compute",
    "name",
    "rules",
    "run",
]

name: str = "goals"
title: str = "Goals"


@dataclass(frozen=True)
class ConflictRow:
    """One row of the conflict table: a functional goal kind and the customer goal kinds it
    works against, with the reason."""

    functional: GoalKind
    customer: tuple[GoalKind, ...]
    reason: str


#: Which functional goal kinds pull against which customer goal kinds (the deficit "aspects
#: optimized in isolation").
#: Revenue, quality and other are in no row: they do not by themselves work against the
#: customer's outcome.
CONFLICTS: tuple[ConflictRow, ...] = (
    ConflictRow(
        GoalKind.COST,
        (
            GoalKind.RESOLUTION,
            GoalKind.SATISFACTION,
            GoalKind.LOYALTY,
            GoalKind.RETENTION,
            GoalKind.VALUE,
        ),
        "A unit rewarded for a low cost per contact, case, invoice or shipment spends as little "
        "as it can on each one (short calls, cheapest option, no goodwill); the customer's "
        "matter comes back, and the unit measured on the customer's outcome pays for it.",
    ),
    ConflictRow(
        GoalKind.SPEED,
        (GoalKind.RESOLUTION, GoalKind.SATISFACTION, GoalKind.LOYALTY),
        "A unit rewarded for short handle times, small backlogs or fast collection ends cases "
        "quickly and forwards what it cannot solve at once; the unit measured on resolution or "
        "satisfaction receives the unsolved matter and the annoyed customer.",
    ),
    ConflictRow(
        GoalKind.UTILIZATION,
        (GoalKind.SPEED, GoalKind.RESOLUTION, GoalKind.SATISFACTION),
        "A unit rewarded for high utilization keeps queues so that nobody is idle; the customer "
        "waits for a slot, against the unit measured on fast or complete resolution.",
    ),
)

_CONFLICT_KINDS: dict[GoalKind, tuple[GoalKind, ...]] = {
    row.functional: row.customer for row in CONFLICTS
}

_KIND_TEXT = {k: k.value for k in GoalKind}

#: Goal kinds that measure loyalty rather than satisfaction (the deficit "satisfaction
#: mistaken for loyalty").
LOYALTY_KINDS = frozenset({GoalKind.LOYALTY, GoalKind.RETENTION, GoalKind.VALUE})


def _conflict_table() -> str:
    lines = [
        "| functional goal | pulls against customer goals of kind | why |",
        "| --- | --- | --- |",
    ]
    for row in CONFLICTS:
        lines.append(
            f"| {row.functional.value} | {', '.join(k.value for k in row.customer)} | "
            f"{row.reason} |"
        )
    return "\n".join(lines)


JOURNEY_GOAL = Rule(
    "G01",
    "journey-without-customer-goal",
    Severity.WARNING,
    "A journey holds no customer goal.",
    finds=(
        "A journey that holds no customer goal: no goal has the journey as `holder` and "
        "`orientation: customer` (goals of its owner do not count)."
    ),
    why=(
        "Processes never end at a department boundary, so goals must follow the process and the "
        "[customer's success](concepts.md#functional-goals-and-customer-goals). A journey "
        "without a customer goal of its own is measured only through the functional goals of "
        "the units on it."
    ),
    fix=(
        "Give the journey a customer goal (such as invoice questions resolved within one day) "
        "and its owner the duty to reach it."
    ),
    example=(
        '{"units": [{"id": "board", "name": "Board", "kind": "board"}, {"id": "care", '
        '"name": "Customer care", "parent": "board", "layer": "customer"}], "journeys": '
        '[{"id": "complaint", "name": "Complaint", "owner": "care", "steps": [{"name": '
        '"Take complaint", "unit": "care"}]}], "goals": [{"id": "complaint-cost", "metric": '
        '"Cost per complaint", "holder": "complaint", "orientation": "functional", "kind": '
        '"cost"}]}'
    ),
)
SEGMENT_GOAL = Rule(
    "G02",
    "segment-without-customer-goal",
    Severity.WARNING,
    "A segment holds no customer goal.",
    finds=(
        "A segment that holds no customer goal: no goal has the segment as `holder` and "
        "`orientation: customer`."
    ),
    why=(
        "Each [customer segment](concepts.md#customer-value-segments) has its own strategy and "
        "goals, for example to raise the satisfaction index of low-value customers, or the "
        "customer value of the segment worth developing, by a set percentage. A segment without "
        "such a goal is a label, not a way of steering."
    ),
    fix="Add a customer goal with the segment as `holder`.",
    example=(
        '{"segments": [{"id": "private", "name": "Private customers", "value_tier": '
        '"high"}], "goals": [{"id": "private-revenue", "metric": "Revenue", "holder": '
        '"private", "orientation": "functional", "kind": "revenue"}]}'
    ),
)
TOUCHPOINT_FUNCTIONAL = Rule(
    "G03",
    "touchpoint-unit-with-functional-goals-only",
    Severity.WARNING,
    "A unit that faces the customer is steered by functional goals only.",
    finds=(
        "A unit that performs touchpoint steps, and every goal that steers it (its own, its "
        "journeys' and segments', and those of the units above it below the top) is "
        "functional. Units without any goal are not reported."
    ),
    why=(
        "Where units are steered by [functional "
        "goals](concepts.md#functional-goals-and-customer-goals), their people work for the "
        "function's figures rather than for the customer."
    ),
    fix=(
        "Add a customer goal for the unit (resolution, satisfaction of the customers it serves) "
        "or give it goals of the journeys it works on."
    ),
    example=(
        '{"units": [{"id": "board", "name": "Board", "kind": "board"}, {"id": "hotline", '
        '"name": "Hotline", "parent": "board"}], "journeys": [{"id": "question", "name": '
        '"Question", "owner": "hotline", "steps": [{"name": "Take call", "unit": "hotline", '
        '"touchpoint": true}]}], "goals": [{"id": "handle-time", "metric": "Average handle '
        'time", "holder": "hotline", "orientation": "functional", "kind": "speed"}]}'
    ),
)
SATISFACTION_ONLY = Rule(
    "G04",
    "satisfaction-without-loyalty",
    Severity.WARNING,
    "The customer goals measure satisfaction, but none measures loyalty, retention or value.",
    finds=(
        "Customer goals of kind `satisfaction`, but no customer goal of kind `loyalty`, "
        "`retention` or `value`. One finding, at the first satisfaction goal."
    ),
    why=(
        "[Satisfaction mistaken for loyalty](concepts.md#satisfaction-mistaken-for-loyalty): a "
        "satisfied customer may still leave; what the enterprise lives on is the customer who "
        "stays and grows in value over the whole relationship."
    ),
    fix="Add a customer goal of kind `loyalty`, `retention` or `value`.",
    example=(
        '{"units": [{"id": "board", "name": "Board", "kind": "board"}, {"id": "care", '
        '"name": "Customer care", "parent": "board", "layer": "customer"}], "goals": '
        '[{"id": "csat", "metric": "Customer satisfaction index", "holder": "care", '
        '"orientation": "customer", "kind": "satisfaction"}]}'
    ),
)
ONE_HOLDER = Rule(
    "G05",
    "customer-goals-in-one-place",
    Severity.WARNING,
    "All customer goals have the same holder, or there is none.",
    finds=(
        "Every customer goal has the same holder, or there is no customer goal at all (also "
        "when the document has no goals). One finding, at the holder or at `goals`."
    ),
    why=(
        "Customer orientation [reduced to customer "
        "management](concepts.md#reduced-to-customer-management): it is left to one unit, yet "
        "it cannot be steered from one function alone. The rest of the enterprise is steered by "
        "functional goals."
    ),
    fix=(
        "Give the journeys, the segments and the units that face the customer customer goals of "
        "their own."
    ),
    example=(
        '{"units": [{"id": "board", "name": "Board", "kind": "board"}, {"id": "care", '
        '"name": "Customer care", "parent": "board", "layer": "customer"}], "goals": '
        '[{"id": "csat", "metric": "Customer satisfaction index", "holder": "care", '
        '"orientation": "customer", "kind": "satisfaction"}, {"id": "retention", "metric": '
        '"Retention rate", "holder": "care", "orientation": "customer", "kind": '
        '"retention"}]}'
    ),
)
CONFLICT = Rule(
    "G06",
    "conflicting-goals",
    Severity.WARNING,
    "Units on the same journey are steered by goals that pull in different directions.",
    finds=(
        "A functional goal and a customer goal of a conflicting kind (table below) that both "
        "steer units on a journey, but not the same units: some unit is pushed one way "
        "without carrying the other goal. Two goals that steer exactly the same units are a "
        "trade-off inside those units and are not reported. One finding per journey and "
        "functional goal, at the functional goal. The conflict table:\n\n" + _conflict_table()
    ),
    why=(
        "[Aspects optimized in isolation](concepts.md#aspects-optimized-in-isolation): single "
        "aspects are optimized one at a time, not aligned with each other, and the customer "
        "bears the goal conflicts of the functional organization."
    ),
    fix=(
        "Replace the functional goal by a goal of the journey's outcome (cost per customer "
        "instead of cost per call, resolution instead of handle time), or make it an internal "
        "service level towards the owner."
    ),
    example=(
        '{"units": [{"id": "board", "name": "Board", "kind": "board"}, {"id": "hotline", '
        '"name": "Hotline", "parent": "board"}, {"id": "care", "name": "Customer care", '
        '"parent": "board", "layer": "customer"}], "journeys": [{"id": "complaint", "name": '
        '"Complaint", "owner": "care", "steps": [{"name": "Take call", "unit": "hotline", '
        '"touchpoint": true}, {"name": "Resolve complaint", "unit": "care"}]}], "goals": '
        '[{"id": "cost-per-call", "metric": "Cost per call", "holder": "hotline", '
        '"orientation": "functional", "kind": "cost"}, {"id": "resolved", "metric": '
        '"Complaints resolved", "holder": "care", "orientation": "customer", "kind": '
        '"resolution"}]}'
    ),
)

rules: tuple[Rule, ...] = (
    JOURNEY_GOAL,
    SEGMENT_GOAL,
    TOUCHPOINT_FUNCTIONAL,
    SATISFACTION_ONLY,
    ONE_HOLDER,
    CONFLICT,
)


@pydantic_dataclass(frozen=True, slots=True, kw_only=True)
class HolderGoals:
    """The goals of one journey or segment."""

    id: str
    """Journey or segment id."""
    goals: list[str]
    """Ids of the goals it holds, sorted."""
    customer_goals: list[str]
    """Ids of its customer goals, sorted."""


@pydantic_dataclass(frozen=True, slots=True, kw_only=True)
class TouchpointUnit:
    """A unit that performs touchpoint steps, and the goals that steer it."""

    unit: str
    """Unit id."""
    touchpoints: int
    """Touchpoint steps it performs on the analyzed journeys."""
    goals: list[str]
    """Ids of the goals that steer it, sorted."""
    customer_goals: list[str]
    """Ids of those that are customer goals, sorted."""


# A slotted dataclass rather than a model: a large organization has 10,000s of conflicts, and
# each model instance brings its own __dict__ and set of given fields, which the garbage
# collector then walks on every full collection.
@pydantic_dataclass(frozen=True, slots=True, kw_only=True)
class Conflict:
    """A functional goal that pulls against customer goals on one journey."""

    journey: str
    """Journey id."""
    goal: str
    """Id of the functional goal."""
    kind: GoalKind
    """Its kind."""
    units: list[str]
    """Units on the journey it steers, sorted."""
    against: list[str]
    """Ids of the customer goals of conflicting kinds that steer other units on the journey,
    sorted."""
    against_units: list[str]
    """The units those customer goals steer on the journey, sorted."""


class GoalTotals(Frozen):
    """Counts over the whole document (journey counts over the analyzed journeys)."""

    goals: int
    """All goals."""
    customer_goals: int
    """Goals with orientation customer."""
    customer_share: float | None
    """customer_goals / goals."""
    customer_kinds: dict[GoalKind, int]
    """Customer goals per kind, in kind order."""
    customer_holders: list[str]
    """Distinct holders (units, journeys, segments) of customer goals, sorted."""
    loyalty_goals: int
    """Customer goals of kind loyalty, retention or value."""
    satisfaction_goals: int
    """Customer goals of kind satisfaction."""
    journeys: int
    """Journeys analyzed."""
    journeys_with_customer_goal: int
    """Of those, journeys that hold a customer goal."""
    segments: int
    """Segments."""
    segments_with_customer_goal: int
    """Segments that hold a customer goal."""
    touchpoint_units: int
    """Units performing touchpoint steps that are steered by at least one goal."""
    touchpoint_units_with_customer_goal: int
    """Of those, units steered by at least one customer goal."""
    touchpoint_units_without_goals: int
    """Units performing touchpoint steps that no goal steers."""
    conflicts: int
    """Conflicts (journey, functional goal)."""
    journeys_with_conflicts: int
    """Journeys with at least one conflict."""


class GoalSection(Section):
    """Result of the goal analysis."""

    totals: GoalTotals
    """Counts."""
    journeys: list[HolderGoals]
    """Goals of the analyzed journeys, by id."""
    segments: list[HolderGoals]
    """Goals of the segments, by id."""
    touchpoint_units: list[TouchpointUnit]
    """Units performing touchpoint steps, by id."""
    conflicts: list[Conflict]
    """Goals pulling in different directions, by journey and goal."""

    def headline(self) -> list[str]:
        t = self.totals
        share = "-" if t.customer_share is None else f"{t.customer_share * 100:.1f} %"
        return [
            f"{t.goals} goals, {t.customer_goals} customer-oriented ({share}) held by "
            f"{len(t.customer_holders)} holder(s); {t.loyalty_goals} measure loyalty, retention "
            f"or value, {t.satisfaction_goals} satisfaction.",
            f"Customer goals: {t.journeys_with_customer_goal} of {t.journeys} journeys, "
            f"{t.segments_with_customer_goal} of {t.segments} segments, "
            f"{t.touchpoint_units_with_customer_goal} of {t.touchpoint_units} touchpoint units "
            f"with goals ({t.touchpoint_units_without_goals} without any goal).",
            f"{t.conflicts} goal conflict(s) on {t.journeys_with_conflicts} journey(s).",
        ]

    def tables(self) -> list[Table]:
        holders = Table(
            "Goals of journeys and segments",
            ("kind", "id", "goals", "customer goals"),
            Rows(
                [
                    (kind, h)
                    for kind, holders in (("journey", self.journeys), ("segment", self.segments))
                    for h in holders
                ],
                lambda kh: (
                    kh[0],
                    kh[1].id,
                    ", ".join(kh[1].goals) or "-",
                    ", ".join(kh[1].customer_goals) or "NONE",
                ),
            ),
        )
        touch = Table(
            "Units at the touchpoints",
            ("unit", "touchpoints", "steered by", "customer goals"),
            Rows(
                self.touchpoint_units,
                lambda u: (
                    u.unit,
                    str(u.touchpoints),
                    ", ".join(u.goals) or "-",
                    ", ".join(u.customer_goals) or ("NONE" if u.goals else "-"),
                ),
            ),
            numeric=frozenset({1}),
        )
        conflicts = Table(
            "Goals pulling in different directions",
            ("journey", "functional goal", "kind", "steers", "against", "which steer"),
            Rows(
                self.conflicts,
                lambda c: (
                    c.journey,
                    c.goal,
                    c.kind.value,
                    ", ".join(c.units),
                    ", ".join(c.against),
                    ", ".join(c.against_units),
                ),
            ),
        )
        return [holders, touch, conflicts]


section: type[Section] = GoalSection

_HOLDER_GOALS = unchecked(HolderGoals)
_TOUCHPOINT_UNIT = unchecked(TouchpointUnit)
_CONFLICT = unchecked(Conflict)
_GOAL_TOTALS = unchecked(GoalTotals)
_GOAL_SECTION = unchecked(GoalSection)
_ID = attrgetter("id")
_UNIT = attrgetter("unit")


class Steering:
    """Which goals steer which unit (see the module docstring); built in linear time, each
    query walks up the reporting tree once."""

    def __init__(self, ent: Enterprise) -> None:
        self.ent = ent
        by_holder: dict[str, list[Goal]] = defaultdict(list)
        for goal in ent.document.goals:
            by_holder[goal.holder].append(goal)
        #: Goals a unit holds itself or through the segments it leads.
        held: dict[str, list[Goal]] = defaultdict(list)
        for holder, goals in by_holder.items():
            if holder in ent.units:
                held[holder].extend(goals)
        for seg in ent.document.segments:
            if seg.team is not None:
                held[seg.team].extend(by_holder.get(seg.id, ()))
        #: Goals a unit holds through the journeys it owns.
        owned: dict[str, list[Goal]] = defaultdict(list)
        for journey in ent.document.journeys:
            if journey.owner is not None:
                owned[journey.owner].extend(by_holder.get(journey.id, ()))
        self.held = held
        self.owned = owned
        self.by_holder = by_holder
        self._cache: dict[str, tuple[Goal, ...]] = {}
        self._above: list[tuple[str, ...]] | None = None
        self._split: dict[str, _Split] = {}

    def holders_above(self, unit: str) -> tuple[str, ...]:
        """The units whose held goals steer ``unit``: itself and the units above it below the
        top, those that hold goals only."""
        return self.above()[self.ent.tree.index[unit]]

    def above(self) -> list[tuple[str, ...]]:
        """:meth:`holders_above` of every unit, by tree index: computed on the first call, in
        one pass down the tree (a unit's answer extends its parent's)."""
        if self._above is None:
            tree = self.ent.tree
            parent = tree.parent
            ids = tree.ids
            holds = list(map(bool, map(self.held.get, ids)))
            above: list[tuple[str, ...]] = [()] * len(ids)
            for node in tree.preorder:
                p = parent[node]
                # The top steers only itself: its children start afresh.
                here = above[p] if p >= 0 and parent[p] >= 0 else ()
                above[node] = (ids[node], *here) if holds[node] else here
            self._above = above
        return self._above

    def split(self, holder: str) -> _Split:
        """The goals ``holder`` holds (as a unit), sorted for the conflict search."""
        found = self._split.get(holder)
        if found is None:
            found = self._split[holder] = _Split.of(self.held.get(holder, ()))
        return found

    def goals_of(self, unit: str) -> tuple[Goal, ...]:
        """The goals steering ``unit``, sorted by id, without repeats."""
        cached = self._cache.get(unit)
        if cached is not None:
            return cached
        # Walk up to the first unit with a known answer (or to the unit below the top), then
        # answer for each unit on the way down: a unit without goals of its own shares the
        # answer of the unit above it.
        tree = self.ent.tree
        parent = tree.parent
        i = tree.index[unit]
        walked = []
        found: tuple[Goal, ...] = ()
        while True:
            known = self._cache.get(tree.ids[i])
            if known is not None:
                found = known
                break
            walked.append(tree.ids[i])
            up = parent[i]
            if up < 0 or parent[up] < 0:  # the top steers only itself
                break
            i = up
        for u in reversed(walked):
            own = [*self.held.get(u, ()), *self.owned.get(u, ())]
            if own:
                by_id: dict[str, Goal] = {}
                for g in (*own, *found):  # the unit's own first, as on the walk up
                    by_id.setdefault(g.id, g)
                found = tuple(by_id[k] for k in sorted(by_id))
            self._cache[u] = found
        return found

    def steers_through_journey(self, unit: str, journey: Journey) -> bool:
        """True when the goals of ``journey`` steer ``unit``: its owner is the unit or a unit
        above it below the top."""
        owner = journey.owner
        if owner is None:
            return False
        tree = self.ent.tree
        return owner == unit or (tree.parent[tree.index[owner]] >= 0 and tree.is_under(unit, owner))


def _holder_goals(holder: str, goals: Sequence[Goal]) -> HolderGoals:
    """The :class:`HolderGoals` of ``holder``, which holds ``goals``."""
    return _HOLDER_GOALS(
        id=holder, goals=sorted(g.id for g in goals), customer_goals=_customer(goals)
    )


def _customer(goals: Sequence[Goal]) -> list[str]:
    return sorted(g.id for g in goals if g.orientation == Orientation.CUSTOMER)


def compute(ent: Enterprise, journeys: Sequence[str] | None = None) -> GoalSection:
    """The goal figures of ``ent`` (journey figures limited to ``journeys``).

    The profile reads the result (it gets it as an argument).
    """
    return _compute(ent, journeys)[0]


def _compute(ent: Enterprise, journeys: Sequence[str] | None) -> tuple[GoalSection, _Found]:
    """The goal figures, and the conflicts as computed, column by column, for the messages."""
    doc = ent.document
    steering = Steering(ent)
    chosen = sorted((j for _, j in selected_journeys(ent, journeys)), key=_ID)
    goals = doc.goals
    customer = [g for g in goals if g.orientation == Orientation.CUSTOMER]
    # The rows are built without validation (unchecked): their fields are of their types.
    by_holder = steering.by_holder
    journey_goals = [_holder_goals(j.id, by_holder.get(j.id, ())) for j in chosen]
    segment_goals = sorted(
        (_holder_goals(s.id, by_holder.get(s.id, ())) for s in doc.segments), key=_ID
    )
    touch: dict[str, int] = defaultdict(int)
    for journey in chosen:
        for step in journey.steps:
            if step.touchpoint:
                touch[step.unit] += 1
    touch_units = []
    # Units without goals of their own share the answer of the unit above them: its lists
    # are made once.
    listed: dict[int, tuple[tuple[Goal, ...], list[str], list[str]]] = {}
    for unit in sorted(touch):
        steered = steering.goals_of(unit)
        known = listed.get(id(steered))
        if known is None:
            known = listed[id(steered)] = (
                steered,
                list(map(_ID, steered)),
                _customer(steered),
            )
        touch_units.append(
            _TOUCHPOINT_UNIT(
                unit=unit,
                touchpoints=touch[unit],
                goals=known[1],
                customer_goals=known[2],
            )
        )
    found = _Found([], [])
    for journey in chosen:
        rows = _conflicts(journey, steering)
        if rows:
            found.journeys.extend(itertools.repeat(journey.id, len(rows)))
            found.rows.extend(rows)
    conflicts = found.conflicts()
    with_goals = [u for u in touch_units if u.goals]
    totals = _GOAL_TOTALS(
        goals=len(goals),
        customer_goals=len(customer),
        customer_share=ratio(len(customer), len(goals)),
        customer_kinds={k: n for k in GoalKind if (n := sum(1 for g in customer if g.kind == k))},
        customer_holders=sorted({g.holder for g in customer}),
        loyalty_goals=sum(1 for g in customer if g.kind in LOYALTY_KINDS),
        satisfaction_goals=sum(1 for g in customer if g.kind == GoalKind.SATISFACTION),
        journeys=len(journey_goals),
        journeys_with_customer_goal=sum(1 for h in journey_goals if h.customer_goals),
        segments=len(segment_goals),
        segments_with_customer_goal=sum(1 for h in segment_goals if h.customer_goals),
        touchpoint_units=len(with_goals),
        touchpoint_units_with_customer_goal=sum(1 for u in with_goals if u.customer_goals),
        touchpoint_units_without_goals=len(touch_units) - len(with_goals),
        conflicts=len(conflicts),
        journeys_with_conflicts=len(set(found.journeys)),
    )
    section = _GOAL_SECTION(
        totals=totals,
        journeys=journey_goals,
        segments=segment_goals,
        touchpoint_units=touch_units,
        conflicts=conflicts,
    )
    return section, found


class _Answer(NamedTuple):
    """The customer goals a functional goal pulls against, and the units they steer; with
    both lists joined for the message. Shared by the goals that get the same answer."""

    ids: list[str]
    units: list[str]
    ids_text: str
    units_text: str


#: A conflict as computed: functional goal id, kind, the units it steers (and those joined
#: for the message), the answer.
_Row = tuple[str, GoalKind, list[str], str, _Answer]


@dataclass
class _Found:
    """The conflicts as computed: the journey of each, and its row (in the same order)."""

    journeys: list[str]
    rows: list[_Row]

    def column(self, place: int) -> list:
        """The values at ``place`` of the rows."""
        return list(map(operator.itemgetter(place), self.rows))

    def conflicts(self) -> list[Conflict]:
        """The :class:`Conflict` of each row, built column by column."""
        answers = self.column(4)
        return unchecked_rows(
            Conflict,
            len(self.rows),
            journey=self.journeys,
            goal=self.column(0),
            kind=self.column(1),
            units=self.column(2),
            against=list(map(_ANSWER_IDS, answers)),
            against_units=list(map(_ANSWER_UNITS, answers)),
        )

    def messages(self) -> Iterator[str]:
        """The message of each conflict, made as it is read."""
        for jid, (gid, kind, _, units_text, answer) in zip(self.journeys, self.rows, strict=True):
            yield (
                f"journey '{jid}': functional {_KIND_TEXT[kind]} goal '{gid}' "
                f"(steering {units_text}) pulls against customer goal(s) "
                f"{answer.ids_text} (steering {answer.units_text})"
            )


_ANSWER_IDS = operator.attrgetter("ids")
_ANSWER_UNITS = operator.attrgetter("units")


def _conflicts(journey: Journey, steering: Steering) -> list[_Row]:
    """The goal conflicts on ``journey``, by functional goal id."""
    on = set(map(_UNIT, journey.steps))
    if journey.owner is not None:
        on.add(journey.owner)
    units = sorted(on)
    # The goals of one holder steer the same units of the journey: those at or below it.
    steered: dict[str, list[str]] = {}
    above = steering.above()
    index = steering.ent.tree.index
    for unit in units:
        for holder in above[index[unit]]:
            steered.setdefault(holder, []).append(unit)
    holders = [(steering.split(h), tuple(us)) for h, us in steered.items()]
    own = steering.by_holder.get(journey.id)
    if own:
        mine = tuple(u for u in units if steering.steers_through_journey(u, journey))
        if mine:
            holders.append((_Split.of(own), mine))
    # A functional goal pulls against the customer goals of conflicting kinds of every
    # holder whose units (sorted, so equal sets are equal tuples) differ from its own: one
    # answer for the functional goals of a kind that steer the same units.
    answers: dict[tuple[GoalKind, tuple[str, ...]], _Answer | None] = {}
    texts: dict[tuple[str, ...], tuple[list[str], str]] = {}
    out: list[_Row] = []
    for split, mine in holders:
        for gid, kind in zip(split.ids, split.kinds, strict=True):
            key = (kind, mine)
            if key in answers:
                answer = answers[key]
            else:
                other: list[str] = []
                other_units: set[str] = set()
                for their, units_steered in holders:
                    if units_steered != mine:
                        ids = their.against.get(kind)
                        if ids:
                            other += ids
                            other_units.update(units_steered)
                answer = None
                if other:
                    other.sort()
                    units_sorted = sorted(other_units)
                    answer = _Answer(other, units_sorted, ", ".join(other), ", ".join(units_sorted))
                answers[key] = answer
            if answer is not None:
                named = texts.get(mine)
                if named is None:  # one list for the conflicts of the same units
                    named = texts[mine] = (list(mine), ", ".join(mine))
                out.append((gid, kind, named[0], named[1], answer))
    # By goal id, then kind and units (the order of the functional goals as listed).
    out.sort(key=_ROW_ORDER)
    return out


_ROW_ORDER = operator.itemgetter(0, 1, 2)


@dataclass(frozen=True)
class _Split:
    """Goals as the conflict search needs them: the functional goals of a kind that can
    conflict (their ids, and their kinds in the same order), and for each such kind the ids
    of the customer goals it pulls against."""

    ids: tuple[str, ...]
    kinds: tuple[GoalKind, ...]
    against: dict[GoalKind, tuple[str, ...]]

    @classmethod
    def of(cls, goals: Sequence[Goal]) -> _Split:
        customer: dict[GoalKind, list[str]] = defaultdict(list)
        ids: list[str] = []
        kinds: list[GoalKind] = []
        for g in goals:
            if g.orientation == Orientation.CUSTOMER:
                customer[g.kind].append(g.id)
            elif g.kind in _CONFLICT_KINDS:
                ids.append(g.id)
                kinds.append(g.kind)
        against = {
            kind: found
            for kind, pulled in _CONFLICT_KINDS.items()
            if (found := tuple(i for k in pulled for i in customer.get(k, ())))
        }
        return cls(tuple(ids), tuple(kinds), against)


def run(ctx: AnalysisContext) -> GoalSection:
    """Compute the goal figures and report the goal findings."""
    ent = ctx.enterprise
    doc = ent.document
    result, found = _compute(ent, ctx.journeys)
    journey_index = {j.id: i for i, j in enumerate(doc.journeys)}
    segment_index = {s.id: i for i, s in enumerate(doc.segments)}
    ctx.report_all(
        JOURNEY_GOAL,
        (
            (
                f"journey '{h.id}' holds no customer goal"
                + (f" (only {', '.join(h.goals)})" if h.goals else ""),
                ("journeys", journey_index[h.id]),
                (h.id,),
            )
            for h in result.journeys
            if not h.customer_goals
        ),
    )
    for h in result.segments:
        if not h.customer_goals:
            have = f" (only {', '.join(h.goals)})" if h.goals else ""
            ctx.report(
                SEGMENT_GOAL,
                f"segment '{h.id}' holds no customer goal{have}",
                ("segments", segment_index[h.id]),
                (h.id,),
            )
    unit_index = ent.tree.index
    ctx.report_all(
        TOUCHPOINT_FUNCTIONAL,
        (
            (
                f"unit '{u.unit}' performs {u.touchpoints} touchpoint step(s) but is "
                f"steered by functional goals only ({', '.join(u.goals)})",
                ("units", unit_index[u.unit]),
                (u.unit,),
            )
            for u in result.touchpoint_units
            if u.goals and not u.customer_goals
        ),
    )
    t = result.totals
    goal_index = {g.id: i for i, g in enumerate(doc.goals)}
    if t.satisfaction_goals and not t.loyalty_goals:
        first = min(
            g.id
            for g in doc.goals
            if g.orientation == Orientation.CUSTOMER and g.kind == GoalKind.SATISFACTION
        )
        ctx.report(
            SATISFACTION_ONLY,
            f"{t.satisfaction_goals} customer goal(s) measure satisfaction (e.g. "
            f"'{first}'), none measures loyalty, retention or customer value",
            ("goals", goal_index[first]),
            (),
        )
    if len(t.customer_holders) <= 1:
        if t.customer_holders:
            holder = t.customer_holders[0]
            where = _holder_path(ent, holder, unit_index, journey_index, segment_index)
            ctx.report(
                ONE_HOLDER,
                f"all {t.customer_goals} customer goal(s) are held by '{holder}' alone",
                where,
                (holder,),
            )
        else:
            what = (
                f"none of the {t.goals} goal(s) is a customer goal"
                if t.goals
                else "the document has no goals, so no customer goal"
            )
            ctx.report(ONE_HOLDER, what, ("goals",), ())
    gids = found.column(0)
    ctx.report_all(
        CONFLICT,
        zip(
            found.messages(),
            zip(itertools.repeat("goals"), map(goal_index.__getitem__, gids), strict=False),
            zip(found.journeys, gids, strict=True),
            strict=True,
        ),
    )
    return result


def _holder_path(
    ent: Enterprise,
    holder: str,
    units: dict[str, int],
    journeys: dict[str, int],
    segments: dict[str, int],
) -> tuple[str | int, ...]:
    if holder in units:
        return ("units", units[holder])
    if holder in journeys:
        return ("journeys", journeys[holder])
    return ("segments", segments[holder])
