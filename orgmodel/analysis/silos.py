"""Silo analysis: where customer journeys cross department boundaries, and what it costs.

Definitions (see docs/metrics.md for worked examples):

- **silo** of a unit: :meth:`orgmodel.graph.UnitTree.silo`; a unit above the silo
  level (the board itself) counts as a silo of its own;
- **handoff**: two consecutive steps performed by different units;
- **silo crossing**: a handoff between units of different silos;
- **escalation height** of a crossing: levels from the deeper of the two units up
  to their first common manager;
- **covered crossing**: the journey's owner is in the overlay (customer or market layer, no
  functional unit above it below the top: :meth:`orgmodel.graph.Enterprise.in_overlay`) and
  each of the two units is in the owner's subtree or under a unit that provides a
  declared internal service to the owner; otherwise **uncovered**;
- **customer-visible handoff**: two consecutive touchpoint steps (back-office
  steps may lie between them) performed by different units;
- **ping-pong**: the journey enters a silo it has already left (counted per re-entry);
- **work**, **wait**, **lead time** = work + wait; **flow efficiency** = work / lead
  time (undefined when the lead time is 0); **waiting at handoffs**: the waits
  before steps that start after a handoff, and their share of the lead time;
- **volume-weighted** figures: a journey's volume per period times its figure.
"""

from __future__ import annotations

import functools
import itertools
import operator
from collections import Counter
from collections.abc import Mapping
from operator import attrgetter

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
from orgmodel.durations import format_duration
from orgmodel.graph import Enterprise
from orgmodel.jsonpos import JsonPath
from orgmodel.model import Journey, Layer, Severity, Step

__all__ = [
    "Crossing",
    "JourneyFigures",
    "SiloSection",
    "journey_figures",
    "name",
    "rules",
    "run",
]

name: str = "silos"
title: str = "Silo analysis"

UNCOVERED = Rule(
    "J01",
    "uncovered-silo-crossing",
    Severity.WARNING,
    "A journey crosses a silo wall that no end-to-end owner covers.",
    finds=(
        "A handoff of a journey from one [silo](concepts.md#silos) to another that the "
        "journey's owner does not cover: the journey has no owner, or its owner is not in the "
        "customer or market layer, or one of the two units is neither in the owner's subtree "
        "nor under a unit that provides a declared internal service to the owner. One finding "
        "per uncovered crossing, at the step the matter is handed to."
    ),
    why=(
        "At the silo wall the customer's matter changes hands, and nobody is responsible for "
        "the whole: each department optimizes its part, and when they disagree the conflict "
        "climbs the hierarchy (see J06)."
    ),
    fix=(
        "Give the journey an owner in the customer layer and declare the departments it draws "
        "on as internal services (`services`) to that owner, or move the work into the owner's "
        "team."
    ),
    example=(
        '{"units": [{"id": "board", "name": "Board", "kind": "board"}, {"id": "sales", '
        '"name": "Sales", "parent": "board"}, {"id": "billing", "name": "Billing", '
        '"parent": "board"}], "journeys": [{"id": "order", "name": "Order", "steps": '
        '[{"name": "Take order", "unit": "sales"}, {"name": "Send invoice", "unit": '
        '"billing"}]}]}'
    ),
)
NO_OWNER = Rule(
    "J02",
    "journey-without-owner",
    Severity.WARNING,
    "A journey has no owner.",
    finds="A journey without `owner`.",
    why=(
        "Nobody is responsible for the journey end to end: every unit on it answers for its own "
        "steps only."
    ),
    fix=(
        "Set `owner` to the unit that is responsible for the journey end to end, preferably a "
        "unit of the customer layer."
    ),
    example=(
        '{"units": [{"id": "board", "name": "Board", "kind": "board"}, {"id": "sales", '
        '"name": "Sales", "parent": "board"}], "journeys": [{"id": "order", "name": '
        '"Order", "steps": [{"name": "Take order", "unit": "sales"}]}]}'
    ),
)
OWNER_NO_AUTHORITY = Rule(
    "J03",
    "owner-without-authority",
    Severity.WARNING,
    "A journey's owner has no authority over any unit that performs its steps.",
    finds=(
        "A journey whose owner has no authority over any unit that performs its steps: none "
        "of them is in the owner's subtree or provides a declared internal service to the "
        "owner."
    ),
    why="The ownership is on paper only: the owner cannot change how any step is done.",
    fix=(
        "Declare the performing departments' internal services (`services`) to the owner, give "
        "the journey to a unit that leads the work, or move steps into the owner's team."
    ),
    example=(
        '{"units": [{"id": "board", "name": "Board", "kind": "board"}, {"id": "care", '
        '"name": "Customer care", "parent": "board", "layer": "customer"}, {"id": '
        '"billing", "name": "Billing", "parent": "board"}], "journeys": [{"id": '
        '"invoice-question", "name": "Invoice question", "owner": "care", "steps": '
        '[{"name": "Answer question", "unit": "billing", "touchpoint": true}]}]}'
    ),
)
PASSED_ON = Rule(
    "J04",
    "customer-passed-on",
    Severity.WARNING,
    "The customer is passed on from one unit to another.",
    finds=(
        "Two consecutive touchpoint steps of a journey (back-office steps may lie between "
        "them) performed by different units. One finding per change, at the later touchpoint."
    ),
    why=(
        "The customer is passed on: each time, the customer has to explain the matter again to "
        "somebody new."
    ),
    fix=(
        "Let one unit (a case owner in the customer layer) keep the contact with the customer "
        "and draw on the others behind the scenes."
    ),
    example=(
        '{"units": [{"id": "board", "name": "Board", "kind": "board"}, {"id": "hotline", '
        '"name": "Hotline", "parent": "board"}, {"id": "billing", "name": "Billing", '
        '"parent": "board"}], "journeys": [{"id": "invoice-question", "name": "Invoice '
        'question", "owner": "hotline", "steps": [{"name": "Take call", "unit": "hotline", '
        '"touchpoint": true}, {"name": "Call back", "unit": "billing", "touchpoint": '
        "true}]}]}"
    ),
)
PING_PONG = Rule(
    "J05",
    "ping-pong",
    Severity.WARNING,
    "A journey re-enters a silo it has already left.",
    finds=(
        "A journey that enters a silo it has already left. One finding per re-entry, at the "
        "step where the journey comes back."
    ),
    why=(
        "The matter goes back and forth between silos (ping-pong), each time with a handoff and "
        "a wait."
    ),
    fix=(
        "Reorder the steps so that each silo does its part at once, or give the work back and "
        "forth to one team."
    ),
    example=(
        '{"units": [{"id": "board", "name": "Board", "kind": "board"}, {"id": "sales", '
        '"name": "Sales", "parent": "board"}, {"id": "billing", "name": "Billing", '
        '"parent": "board"}], "journeys": [{"id": "order", "name": "Order", "owner": '
        '"sales", "steps": [{"name": "Take order", "unit": "sales"}, {"name": "Check '
        'credit", "unit": "billing"}, {"name": "Confirm order", "unit": "sales"}]}]}'
    ),
)
TOP_ESCALATION = Rule(
    "J06",
    "escalation-only-at-top",
    Severity.INFO,
    "Uncovered silo crossings whose first common manager is the top of the organization.",
    finds=(
        "A journey with uncovered silo crossings whose first common manager is the top of the "
        "organization. Covered crossings are left out: their owner decides. One finding per "
        "journey."
    ),
    why=(
        "No owner covers the crossing, so when the two units disagree only the top (the board) "
        "can decide: conflicts climb the whole hierarchy."
    ),
    fix=(
        "Cover the crossing: an owner in the customer layer with declared internal services "
        "from both units (see J01)."
    ),
    example=(
        '{"units": [{"id": "board", "name": "Board", "kind": "board"}, {"id": "sales", '
        '"name": "Sales", "parent": "board"}, {"id": "billing", "name": "Billing", '
        '"parent": "board"}], "journeys": [{"id": "order", "name": "Order", "steps": '
        '[{"name": "Take order", "unit": "sales"}, {"name": "Send invoice", "unit": '
        '"billing"}]}]}'
    ),
)
LOW_FLOW = Rule(
    "J07",
    "low-flow-efficiency",
    Severity.WARNING,
    "A journey's flow efficiency is below the threshold.",
    finds=(
        "A journey whose flow efficiency (work / lead time, with lead time = work + wait) is "
        "below `thresholds.flow_efficiency_min` (default 15 %). Journeys without lead time "
        "are left out."
    ),
    why=(
        "Most of the lead time is waiting: the customer waits for queues and handoffs, not for "
        "work."
    ),
    fix=(
        "Remove waits, above all those at handoffs (see J01, J04), or lower the threshold in "
        "the document's `settings.thresholds` or the config."
    ),
    example=(
        '{"units": [{"id": "board", "name": "Board", "kind": "board"}, {"id": "sales", '
        '"name": "Sales", "parent": "board"}], "journeys": [{"id": "order", "name": '
        '"Order", "owner": "sales", "steps": [{"name": "Take order", "unit": "sales", '
        '"work": "1h", "wait": "9h"}]}]}'
    ),
)

rules: tuple[Rule, ...] = (
    UNCOVERED,
    NO_OWNER,
    OWNER_NO_AUTHORITY,
    PASSED_ON,
    PING_PONG,
    TOP_ESCALATION,
    LOW_FLOW,
)


# The rows below are slotted pydantic dataclasses rather than models (as Finding is): a large
# organization has 10,000s of them, and each model instance brings its own __dict__ and set
# of given fields, which every full garbage collection walks again.
@pydantic_dataclass(frozen=True, slots=True, kw_only=True)
class Crossing:
    """A silo crossing: the handoff into step ``step`` of a journey."""

    step: int
    """1-based number of the step the matter is handed to."""
    step_id: str
    """Id of that step (its number when it has none)."""
    from_unit: str
    """Unit of the step before the crossing."""
    to_unit: str
    """Unit of the step after the crossing."""
    from_silo: str
    """Silo of ``from_unit``."""
    to_silo: str
    """Silo of ``to_unit``."""
    manager: str | None
    """First common manager of the two units (None when they are in separate trees)."""
    height: int | None
    """Escalation height: levels from the deeper unit up to the manager."""
    covered: bool
    """True when the journey's owner covers both units."""
    wait: int
    """Seconds of waiting before the step."""


class Weighted(Frozen):
    """A journey's figures times its volume per period."""

    handoffs: float
    """Handoffs per period."""
    crossings: float
    """Silo crossings per period."""
    uncovered_crossings: float
    """Uncovered silo crossings per period."""
    customer_handoffs: float
    """Customer-visible handoffs per period."""
    waiting_at_handoffs: float
    """Seconds of customers' waiting at handoffs per period."""
    lead_time: float
    """Seconds of customers' lead time per period."""


class JourneyFigures(Frozen):
    """The silo figures of one journey."""

    journey: str
    """Journey id."""
    name: str
    """Journey name."""
    owner: str | None
    """Id of the owning unit, if any."""
    volume: float | None
    """Customer cases per period, if given."""
    steps: int
    """Number of steps."""
    units: int
    """Distinct units performing steps."""
    silos: int
    """Distinct silos touched."""
    handoffs: int
    """Consecutive steps performed by different units."""
    crossings: int
    """Handoffs between different silos."""
    uncovered_crossings: int
    """Crossings that the journey's owner does not cover."""
    customer_handoffs: int
    """Consecutive touchpoint steps performed by different units."""
    ping_pong: int
    """Re-entries into a silo the journey has left before."""
    max_height: int | None
    """Highest escalation height of its crossings (None without crossings)."""
    work: int
    """Seconds of work."""
    wait: int
    """Seconds of waiting."""
    lead_time: int
    """Seconds: work + wait."""
    flow_efficiency: float | None
    """work / lead time; None when the lead time is 0."""
    waiting_at_handoffs: int
    """Seconds of waiting before steps that follow a handoff."""
    handoff_wait_share: float | None
    """waiting_at_handoffs / lead time; None when the lead time is 0."""
    passed_on_steps: list[int]
    """1-based numbers of the touchpoint steps at which the customer is passed on."""
    reentry_steps: list[int]
    """1-based numbers of the steps at which the journey re-enters a silo (ping-pong)."""
    silo_path: list[str]
    """The silos in the order the journey visits them (consecutive repeats collapsed)."""
    crossing_list: list[Crossing]
    """Every silo crossing, in step order."""
    weighted: Weighted | None
    """Volume-weighted figures; None when the journey has no volume."""


@pydantic_dataclass(frozen=True, slots=True, kw_only=True)
class UnitFigures:
    """How journeys pass through one unit (or one silo)."""

    id: str
    """Unit (or silo) id."""
    journeys: int
    """Journeys with at least one step here."""
    steps: int
    """Steps performed here."""
    handoffs_in: int
    """Steps of this unit (silo) that start after a handoff (crossing) from elsewhere."""
    handoffs_out: int
    """Steps of this unit (silo) followed by a handoff (crossing) to elsewhere."""
    wait_before: int
    """Seconds of waiting before its steps."""
    wait_after_handoff: int
    """Seconds of waiting before its steps that start after a handoff (crossing)."""


@pydantic_dataclass(frozen=True, slots=True, kw_only=True)
class MatrixCell:
    """Steps of a journey in a silo, and crossings into that silo."""

    journey: str
    """Journey id."""
    silo: str
    """Silo id."""
    steps: int
    """Steps of the journey performed in the silo."""
    crossings_in: int
    """Crossings of the journey into the silo."""


class Totals(Frozen):
    """Organization-wide sums over the analyzed journeys."""

    journeys: int
    """Journeys analyzed."""
    steps: int
    """Their steps."""
    handoffs: int
    """Sum of their handoffs."""
    crossings: int
    """Sum of their silo crossings."""
    uncovered_crossings: int
    """Sum of their uncovered crossings."""
    customer_handoffs: int
    """Sum of their customer-visible handoffs."""
    ping_pong: int
    """Sum of their silo re-entries."""
    lead_time: int
    """Seconds: sum of their lead times."""
    waiting_at_handoffs: int
    """Seconds: sum of their waiting at handoffs."""
    handoff_wait_share: float | None
    """waiting_at_handoffs / lead_time."""
    journeys_without_volume: int
    """Journeys that give no volume (left out of the weighted sums)."""
    weighted: Weighted
    """Sums of the volume-weighted figures of the journeys that have a volume."""


class SiloSection(Section):
    """Result of the silo analysis."""

    silo_rule: str
    """How silos were determined."""
    totals: Totals
    """Organization-wide sums."""
    journeys: list[JourneyFigures]
    """Worst first: most uncovered crossings, crossings, waiting at handoffs; then id."""
    units: list[UnitFigures]
    """Per unit that performs steps, by id."""
    silos: list[UnitFigures]
    """Per silo, by id (handoffs here are silo crossings)."""
    matrix: list[MatrixCell]
    """Non-empty cells of the journey x silo matrix."""

    def headline(self) -> list[str]:
        t = self.totals
        share = pct(t.handoff_wait_share)
        return [
            f"{t.journeys} journeys, {t.steps} steps: {t.handoffs} handoffs, "
            f"{t.crossings} silo crossings ({t.uncovered_crossings} uncovered), "
            f"{t.customer_handoffs} times the customer is passed on, "
            f"{t.ping_pong} ping-pong re-entries.",
            f"Waiting at handoffs: {format_duration(t.waiting_at_handoffs)} "
            f"({share} of the lead time of {format_duration(t.lead_time)}).",
        ]

    def tables(self) -> list[Table]:
        journeys = Table(
            "Journeys (worst first)",
            (
                "journey",
                "owner",
                "steps",
                "handoffs",
                "crossings",
                "uncovered",
                "passed on",
                "ping-pong",
                "max height",
                "lead time",
                "wait at handoffs",
                "flow eff.",
            ),
            Rows(
                self.journeys,
                lambda j: (
                    j.journey,
                    j.owner or "-",
                    str(j.steps),
                    str(j.handoffs),
                    str(j.crossings),
                    str(j.uncovered_crossings),
                    str(j.customer_handoffs),
                    str(j.ping_pong),
                    "-" if j.max_height is None else str(j.max_height),
                    format_duration(j.lead_time),
                    format_duration(j.waiting_at_handoffs),
                    pct(j.flow_efficiency),
                ),
            ),
            numeric=frozenset(range(2, 12)),
        )
        crossings = Table(
            "Silo crossings",
            (
                "journey",
                "step",
                "from",
                "to",
                "from silo",
                "to silo",
                "manager",
                "height",
                "covered",
                "wait",
            ),
            Rows(
                [(j.journey, c) for j in self.journeys for c in j.crossing_list],
                lambda jc: (
                    jc[0],
                    str(jc[1].step),
                    jc[1].from_unit,
                    jc[1].to_unit,
                    jc[1].from_silo,
                    jc[1].to_silo,
                    jc[1].manager or "-",
                    "-" if jc[1].height is None else str(jc[1].height),
                    "yes" if jc[1].covered else "NO",
                    format_duration(jc[1].wait),
                ),
            ),
            numeric=frozenset({1, 7, 9}),
        )
        silos = Table(
            "Silos",
            (
                "silo",
                "journeys",
                "steps",
                "crossings in",
                "crossings out",
                "wait before",
                "wait after crossing",
            ),
            Rows(
                self.silos,
                lambda s: (
                    s.id,
                    str(s.journeys),
                    str(s.steps),
                    str(s.handoffs_in),
                    str(s.handoffs_out),
                    format_duration(s.wait_before),
                    format_duration(s.wait_after_handoff),
                ),
            ),
            numeric=frozenset(range(1, 7)),
        )
        weighted = [j for j in self.journeys if j.weighted is not None]
        tables = [journeys, crossings, silos]
        if weighted:
            tables.append(
                Table(
                    "Per period (volume-weighted)",
                    (
                        "journey",
                        "volume",
                        "handoffs",
                        "crossings",
                        "uncovered",
                        "passed on",
                        "wait at handoffs (h)",
                    ),
                    Rows(
                        [
                            (j.journey, j.volume, j.weighted)
                            for j in weighted
                            if j.weighted is not None
                        ],
                        lambda jw: (
                            jw[0],
                            _num(jw[1]),
                            _num(jw[2].handoffs),
                            _num(jw[2].crossings),
                            _num(jw[2].uncovered_crossings),
                            _num(jw[2].customer_handoffs),
                            _num(jw[2].waiting_at_handoffs / 3600),
                        ),
                    ),
                    numeric=frozenset(range(1, 7)),
                )
            )
        return tables


section: type[Section] = SiloSection


def _num(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:,.0f}" if abs(value) >= 100 or value == int(value) else f"{value:,.1f}"


# The rows are built without validation (unchecked): their fields are of their types.
_CROSSING = unchecked(Crossing)
_WEIGHTED = unchecked(Weighted)
_JOURNEY_FIGURES = unchecked(JourneyFigures)
_UNIT_FIGURES = unchecked(UnitFigures)
_MATRIX_CELL = unchecked(MatrixCell)
_SILO_SECTION = unchecked(SiloSection)

_UNIT = attrgetter("unit")
_WAIT = attrgetter("wait")
_WORK = attrgetter("work")
_TOUCHPOINT = attrgetter("touchpoint")
_TO_SILO = attrgetter("to_silo")


def journey_figures(ent: Enterprise, journey: Journey) -> JourneyFigures:
    """Compute the silo figures of one journey (see the module docstring for definitions)."""
    units = list(map(_UNIT, journey.steps))
    silos = list(map(ent.tree.silo_or_self.__getitem__, units))
    owner = journey.owner
    cover = ent.covers_of(owner) if owner is not None and ent.in_overlay(owner) else None
    return _figures(ent, journey, units, silos, list(map(_WAIT, journey.steps)), cover, {})


def _figures(
    ent: Enterprise,
    journey: Journey,
    units: list[str],
    silos: list[str],
    waits: list[int],
    cover: Mapping[str, bool] | None,
    silo_managers: dict[tuple[str, str], int],
) -> JourneyFigures:
    """:func:`journey_figures` from the unit, silo and wait of each of the journey's steps;
    ``cover``: what the owner covers when it is in the overlay (None: it covers nothing);
    ``silo_managers``: the first common manager (tree index) of pairs of silos, filled as
    asked."""
    tree = ent.tree
    steps = journey.steps
    owner = journey.owner
    after = range(1, len(units))
    moved = list(itertools.compress(after, map(operator.ne, units[1:], units)))
    handoffs = len(moved)
    waiting_at_handoffs = sum(map(waits.__getitem__, moved))
    uncovered = 0
    max_height: int | None = None
    crossings: list[Crossing] = []
    # A change of silo is a change of unit too: a handoff that crosses a silo wall.
    index = tree.index
    depth = tree.depth
    for i in itertools.compress(after, map(operator.ne, silos[1:], silos)):
        before, unit = units[i - 1], units[i]
        a, b = index[before], index[unit]
        # The two units are under their silos (or are them). When neither silo is the
        # silos' first common manager, the units lie in different branches below it, so it
        # is theirs too; else (a silo inside the other) it is asked for the units.
        pair = (silos[i - 1], silos[i])
        common = silo_managers.get(pair, -2)
        if common == -2:
            common = silo_managers[pair] = tree.common_index(index[pair[0]], index[pair[1]])
        if common >= 0 and (common == index[pair[0]] or common == index[pair[1]]):
            common = tree.common_index(a, b)
        covered = cover is not None and cover[before] and cover[unit]
        if not covered:
            uncovered += 1
        height = None
        if common >= 0:
            height = max(depth[a], depth[b]) - depth[common]
            if max_height is None or height > max_height:
                max_height = height
        crossings.append(
            _CROSSING(
                step=i + 1,
                step_id=steps[i].id or str(i + 1),
                from_unit=before,
                to_unit=unit,
                from_silo=silos[i - 1],
                to_silo=silos[i],
                manager=tree.ids[common] if common >= 0 else None,
                height=height,
                covered=covered,
                wait=waits[i],
            )
        )
    touch = list(itertools.compress(range(len(steps)), map(_TOUCHPOINT, steps)))
    passed_on = [b + 1 for a, b in itertools.pairwise(touch) if units[a] != units[b]]
    silo_path: list[str] = []
    reentries: list[int] = []
    for i, silo in enumerate(silos):
        if silo_path and silo_path[-1] == silo:
            continue
        if silo in silo_path:
            reentries.append(i + 1)
        silo_path.append(silo)
    work = sum(map(_WORK, steps))
    wait = sum(waits)
    lead = work + wait
    weighted = None
    if journey.volume is not None:
        v = journey.volume
        weighted = _WEIGHTED(
            handoffs=v * handoffs,
            crossings=v * len(crossings),
            uncovered_crossings=v * uncovered,
            customer_handoffs=v * len(passed_on),
            waiting_at_handoffs=v * waiting_at_handoffs,
            lead_time=v * lead,
        )
    return _JOURNEY_FIGURES(
        journey=journey.id,
        name=journey.name,
        owner=owner,
        volume=journey.volume,
        steps=len(steps),
        units=len(set(units)),
        silos=len(set(silos)),
        handoffs=handoffs,
        crossings=len(crossings),
        uncovered_crossings=uncovered,
        customer_handoffs=len(passed_on),
        ping_pong=len(reentries),
        passed_on_steps=passed_on,
        reentry_steps=reentries,
        max_height=max_height,
        work=work,
        wait=wait,
        lead_time=lead,
        flow_efficiency=ratio(work, lead),
        waiting_at_handoffs=waiting_at_handoffs,
        handoff_wait_share=ratio(waiting_at_handoffs, lead),
        silo_path=silo_path,
        crossing_list=crossings,
        weighted=weighted,
    )


def _flow(
    keys: list[str], waits: list[int], moved: list[bool], distinct: list[str]
) -> list[UnitFigures]:
    """The :class:`UnitFigures` fields per key (unit or silo), by key, from columns over the
    steps of all journeys: ``moved[i]`` is true when step ``i + 1`` starts after a handoff
    from step ``i`` (a step of the same journey with another key); ``distinct`` holds the
    keys of each journey once."""
    steps = Counter(keys)
    journeys = Counter(distinct)
    after = keys[1:]
    into = Counter(itertools.compress(after, moved)).get
    out = Counter(itertools.compress(keys, moved)).get
    wait_before = dict.fromkeys(steps, 0)
    for k, wait in itertools.compress(zip(keys, waits, strict=True), waits):  # 0 adds nothing
        wait_before[k] += wait
    wait_after = dict.fromkeys(steps, 0)
    for k, wait in itertools.compress(zip(after, waits[1:], strict=True), moved):
        wait_after[k] += wait
    return [
        _UNIT_FIGURES(
            id=k,
            journeys=journeys[k],
            steps=steps[k],
            handoffs_in=into(k, 0),
            handoffs_out=out(k, 0),
            wait_before=wait_before[k],
            wait_after_handoff=wait_after[k],
        )
        for k in sorted(steps)
    ]


def _moves(keys: list[str], starts: list[int]) -> list[bool]:
    """``moved`` of :func:`_flow`: where the key changes between consecutive steps of a journey
    (``starts``: the index of each journey's first step in the columns)."""
    moved = list(map(operator.ne, keys[1:], keys))
    for start in starts:
        if 0 < start <= len(moved):
            moved[start - 1] = False
    return moved


def _silo_rule(ent: Enterprise) -> str:
    tree = ent.tree
    if tree.silos_marked:
        return "units marked with silo: true (each unit's nearest marked unit upwards)"
    return (
        f"units at depth {tree.silo_level} of the reporting tree (0 = top); "
        "units above that level count as silos of their own"
    )


def _sum_weighted(figures: list[JourneyFigures]) -> Weighted:
    weighted = [j.weighted for j in figures if j.weighted is not None]
    # Added one after the other, in journey order (reduce, not sum: the same float sums).
    return Weighted(
        **{
            f: functools.reduce(operator.add, map(attrgetter(f), weighted), 0.0)
            for f in Weighted.model_fields
        }
    )


def run(ctx: AnalysisContext) -> SiloSection:
    """Analyze the journeys of the context and report the journey findings."""
    ent = ctx.enterprise
    wanted = set(ctx.journeys) if ctx.journeys is not None else None
    indexed = [
        (i, j) for i, j in enumerate(ent.document.journeys) if wanted is None or j.id in wanted
    ]
    silo_of = ent.tree.silo_or_self
    roots = {ent.tree.ids[r] for r in ent.tree.roots}
    found: dict[str, list[_Item]] = {r.code: [] for r in rules if ctx.severity(r) is not None}
    figures: dict[str, JourneyFigures] = {}
    silo_managers: dict[tuple[str, str], int] = {}
    # Columns over the steps of all journeys: each step's unit and silo are looked up once,
    # and the per-unit and per-silo figures are counted from them in bulk.
    unit_col: list[str] = []
    silo_col: list[str] = []
    wait_col: list[int] = []
    starts: list[int] = []
    unit_sets: list[str] = []
    silo_sets: list[str] = []
    # Per journey: its steps and the crossings into each silo (the matrix's cells).
    cells: dict[str, tuple[Counter[str], Counter[str]]] = {}
    for index, journey in indexed:
        jid = journey.id
        units = list(map(_UNIT, journey.steps))
        silos = list(map(silo_of.__getitem__, units))
        waits = list(map(_WAIT, journey.steps))
        owner = journey.owner
        # What the owner covers (memoized per owner); crossings only when it is in the overlay.
        covers = ent.covers_of(owner) if owner is not None else None
        cover = covers if ent.in_overlay(owner) else None
        f = figures[jid] = _figures(ent, journey, units, silos, waits, cover, silo_managers)
        _journey_findings(ctx, found, index, journey, f, silos, roots, covers)
        unit_sets += set(units)
        silo_sets += set(silos)
        cells[jid] = (Counter(silos), Counter(map(_TO_SILO, f.crossing_list)))
        starts.append(len(unit_col))
        unit_col += units
        silo_col += silos
        wait_col += waits
    crossed = _moves(silo_col, starts)  # a change of silo is a crossing (and a handoff)
    for rule in rules:
        if rule.code in found:
            ctx.report_all(rule, found[rule.code])
    ordered = sorted(
        figures.values(),
        key=lambda f: (-f.uncovered_crossings, -f.crossings, -f.waiting_at_handoffs, f.journey),
    )

    def total(field: str) -> int:
        return sum(map(attrgetter(field), ordered))

    lead = total("lead_time")
    waiting = total("waiting_at_handoffs")
    totals = Totals(
        journeys=len(ordered),
        steps=total("steps"),
        handoffs=total("handoffs"),
        crossings=total("crossings"),
        uncovered_crossings=total("uncovered_crossings"),
        customer_handoffs=total("customer_handoffs"),
        ping_pong=total("ping_pong"),
        lead_time=lead,
        waiting_at_handoffs=waiting,
        handoff_wait_share=ratio(waiting, lead),
        journeys_without_volume=sum(f.volume is None for f in ordered),
        weighted=_sum_weighted(ordered),
    )
    return _SILO_SECTION(
        silo_rule=_silo_rule(ent),
        totals=totals,
        journeys=ordered,
        units=_flow(unit_col, wait_col, _moves(unit_col, starts), unit_sets),
        silos=_flow(silo_col, wait_col, crossed, silo_sets),
        matrix=[
            _MATRIX_CELL(journey=j, silo=s, steps=n, crossings_in=into.get(s, 0))
            for j, (steps_in, into) in sorted(cells.items())
            for s, n in sorted(steps_in.items())
        ],
    )


def _owner_reason(ent: Enterprise, owner: str | None) -> str | None:
    """Why no crossing of a journey with this owner is covered; None for an owner in the
    overlay (then it depends on the two units)."""
    if owner is None:
        return "the journey has no owner"
    if not ent.in_overlay(owner):
        inside = ent.functional_above(owner)
        if inside is not None and ent.units[owner].layer is not Layer.FUNCTIONAL:
            return (
                f"owner '{owner}' is in the {ent.units[owner].layer.value} layer but "
                f"inside functional unit '{inside}'"
            )
        return f"owner '{owner}' is not in the customer or market layer"
    return None


def _uncovered_reason(owner: str, covers: Mapping[str, bool], c: Crossing) -> str:
    """Why crossing ``c`` is uncovered though ``owner`` is in the overlay (``covers``: what
    it covers)."""
    if covers[c.from_unit] or covers[c.to_unit]:
        missing = c.to_unit if covers[c.from_unit] else c.from_unit
        return (
            f"owner '{owner}' has neither '{missing}' in its subtree nor a declared service from it"
        )
    return f"owner '{owner}' covers neither unit by subtree nor service"


#: A finding as :meth:`AnalysisContext.report_all` takes it: message, path, key.
_Item = tuple[str, JsonPath, tuple[str, ...]]


def _journey_findings(
    ctx: AnalysisContext,
    out: dict[str, list[_Item]],
    index: int,
    journey: Journey,
    f: JourneyFigures,
    silos: list[str],
    roots: set[str],
    covers: Mapping[str, bool] | None,
) -> None:
    """Add the findings of one journey to ``out``, by rule code (the enabled rules only: a
    rule not in ``out`` builds nothing); ``silos`` holds the silo of each step, ``roots``
    the top units and ``covers`` what the owner covers (None without owner)."""
    ent = ctx.enterprise
    here = ("journeys", index)
    jid = journey.id
    owner = journey.owner
    steps = journey.steps
    if owner is None:
        if NO_OWNER.code in out:
            out[NO_OWNER.code].append(
                (
                    f"journey '{jid}' has no owner: nobody is responsible for it end to end",
                    here,
                    (jid,),
                )
            )
    elif (
        OWNER_NO_AUTHORITY.code in out
        and covers is not None
        and not any(map(covers.__getitem__, {s.unit for s in steps}))
    ):
        out[OWNER_NO_AUTHORITY.code].append(
            (
                f"owner '{owner}' of journey '{jid}' has no authority over any "
                "unit performing its steps (none is in its subtree or serves it)",
                (*here, "owner"),
                (jid, owner),
            )
        )
    uncovered = [c for c in f.crossing_list if not c.covered] if f.uncovered_crossings else []
    if uncovered and UNCOVERED.code in out:
        reason = _owner_reason(ent, owner)
        add = out[UNCOVERED.code].append
        for c in uncovered:
            why = reason
            if why is None and owner is not None and covers is not None:
                why = _uncovered_reason(owner, covers, c)
            add(
                (
                    f"journey '{jid}' step {c.step}: silo crossing {c.from_silo} -> "
                    f"{c.to_silo} ({c.from_unit} -> {c.to_unit}) is uncovered: {why}",
                    (*here, "steps", c.step - 1, "unit"),
                    (jid, c.step_id, c.from_unit, c.to_unit),
                )
            )
    if f.passed_on_steps and PASSED_ON.code in out:
        # The touchpoint before each touchpoint, in one pass (passed_on_steps are a subset).
        previous_touchpoint: dict[int, Step] = {}
        last: Step | None = None
        for number, s in enumerate(steps, 1):
            if s.touchpoint:
                if last is not None:
                    previous_touchpoint[number] = last
                last = s
        add = out[PASSED_ON.code].append
        for number in f.passed_on_steps:
            step = steps[number - 1]
            before = previous_touchpoint[number]
            add(
                (
                    f"journey '{jid}' step {number}: the customer is passed on from "
                    f"'{before.unit}' to '{step.unit}'",
                    (*here, "steps", number - 1, "unit"),
                    (jid, step.id or str(number), before.unit, step.unit),
                )
            )
    if f.reentry_steps and PING_PONG.code in out:
        add = out[PING_PONG.code].append
        for number in f.reentry_steps:
            silo = silos[number - 1]
            add(
                (
                    f"journey '{jid}' step {number}: re-enters silo '{silo}' after leaving it",
                    (*here, "steps", number - 1, "unit"),
                    (jid, steps[number - 1].id or str(number), silo),
                )
            )
    if uncovered and TOP_ESCALATION.code in out:
        top = [c for c in uncovered if c.manager in roots]
        if top:
            out[TOP_ESCALATION.code].append(
                (
                    f"journey '{jid}': {len(top)} of {f.uncovered_crossings} uncovered silo "
                    f"crossings can only be escalated to the top ('{top[0].manager}')",
                    here,
                    (jid,),
                )
            )
    threshold = ctx.thresholds.flow_efficiency_min
    if f.flow_efficiency is not None and f.flow_efficiency < threshold and LOW_FLOW.code in out:
        out[LOW_FLOW.code].append(
            (
                f"journey '{jid}': flow efficiency {pct(f.flow_efficiency)} is below "
                f"{pct(threshold)} (work {format_duration(f.work)} of lead time "
                f"{format_duration(f.lead_time)})",
                here,
                (jid,),
            )
        )
