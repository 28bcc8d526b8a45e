"""Three-layer structure: who on the board answers for which layer, whether the customer and
market layer really own the journeys, and whether the functional departments serve them as
declared internal providers (the three-dimensional enterprise of docs/concepts.md).

Definitions (worked examples in docs/metrics.md):

- **board**: the top unit(s) of the reporting tree and the units directly below a top unit
  whose kind is `board` or `executive`;
- **area** of the three-dimensional enterprise (:class:`orgmodel.model.Accountability`):
  customer, market, innovation, business-support, manufacturing; an area is **covered**
  when a board unit lists it in `accountable_for`;
- **in the overlay** (:meth:`orgmodel.graph.Enterprise.in_overlay`, the same rule as for
  covered silo crossings): a unit of the customer or market layer none of whose ancestors,
  apart from the top unit, is in the functional layer (a "customer team" inside the
  customer-service department is not in the overlay);
- **covers**: an owner covers a unit that is in the owner's subtree, or under (or equal to)
  a unit that provides a declared internal service to the owner;
- **missing internal service**: a functional-layer unit performs steps of a journey whose
  owner is in the overlay, and the owner does not cover it;
- **overlay-owned step**: a step of a journey whose owner is in the overlay, performed by a
  unit the owner covers. **Step share** = overlay-owned steps / steps; **volume share** =
  sum of volume x overlay-owned steps / sum of volume x steps over journeys with a volume;
  **touchpoint share** = touchpoint steps performed by units in the overlay / touchpoint steps.
"""

from __future__ import annotations

import itertools
import operator
from collections import defaultdict
from collections.abc import Iterator, Sequence
from operator import attrgetter
from typing import Literal

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
from orgmodel.graph import Enterprise
from orgmodel.jsonpos import JsonPath
from orgmodel.model import Accountability, Journey, Layer, Severity, UnitKind

__all__ = [
    "AREAS",
    "LayerSection",
    "board_units",
    "compute",
    "name",
    "rules",
    "run",
    "selected_journeys",
]

name: str = "layers"
title: str = "Three-layer structure"

#: The five areas of the chief officers of the management team of six, in report order.
AREAS: tuple[Accountability, ...] = tuple(Accountability)
#: The areas of the dominant (overlay) structure.
OVERLAY_AREAS = (Accountability.CUSTOMER, Accountability.MARKET)

BOARD_OVERLAY = Rule(
    "L01",
    "board-without-overlay-owner",
    Severity.WARNING,
    "Nobody on the board is accountable for the customer layer or for the market layer.",
    finds=(
        "No board unit lists `customer` (or `market`) in `accountable_for`. The board is the "
        "top unit and the `board` or `executive` units directly below it. One finding per "
        "missing area."
    ),
    why=(
        "In the [three-dimensional enterprise](concepts.md#the-three-dimensional-enterprise) "
        "the customer- and market-centric layers are the dominant structure, so they need an "
        "owner at the top: a Chief Customer Officer and a Chief Market Officer beside the CEO. "
        "Without one the customer is everybody's and nobody's business and the functional "
        "departments decide by default; customer orientation is then [reduced to customer "
        "management](concepts.md#reduced-to-customer-management)."
    ),
    fix=(
        "Give a board member, or an executive unit directly below the top, the accountability "
        "and the units of that layer."
    ),
    example="{}",
)
BOARD_FUNCTION = Rule(
    "L02",
    "board-without-function-owner",
    Severity.INFO,
    "Nobody on the board is accountable for innovation, business support or manufacturing.",
    finds=(
        "No board unit lists `innovation`, `business-support` or `manufacturing` in "
        "`accountable_for`. One finding per missing area."
    ),
    why=(
        "The [management team of six](concepts.md#the-management-team-of-six) also has a Chief "
        "Innovation Officer, a Chief Business Support Officer (the functional departments as "
        "internal service providers) and a Chief Manufacturing Officer (production and "
        "operations). Without a named owner at the top the area either competes with the "
        "overlay for the departments or is left to the CEO alone."
    ),
    fix="Declare the area in `accountable_for` of the board unit that answers for it.",
    example=(
        '{"units": [{"id": "board", "name": "Board", "kind": "board", "accountable_for": '
        '["customer", "market"]}]}'
    ),
)
OUTSIDE_OVERLAY = Rule(
    "L03",
    "owner-outside-overlay",
    Severity.WARNING,
    "A journey owner or a segment team sits in the functional layer or inside a functional "
    "department.",
    finds=(
        "A journey owner or a segment team in the functional layer, or in the customer or "
        "market layer but inside a functional department (below the top)."
    ),
    why=(
        "Journey owners and segment teams are the customer-centric layer of the "
        "[three-dimensional enterprise](concepts.md#the-three-dimensional-enterprise). Inside a "
        "functional department, the department's priorities and goals wear them down and they "
        "end up steering by its goals."
    ),
    fix=(
        "Move the unit below the Chief Customer Officer (layer `customer`), or give the journey "
        "or segment to a unit that is there."
    ),
    example=(
        '{"units": [{"id": "board", "name": "Board", "kind": "board"}, {"id": "billing", '
        '"name": "Billing", "parent": "board"}], "journeys": [{"id": "invoice-question", '
        '"name": "Invoice question", "owner": "billing", "steps": [{"name": "Answer '
        'question", "unit": "billing"}]}]}'
    ),
)
MISSING_SERVICE = Rule(
    "L04",
    "missing-internal-service",
    Severity.WARNING,
    "A functional unit performs steps of a journey without a declared internal service to the "
    "journey's owner.",
    finds=(
        "A functional-layer unit that performs steps of a journey whose owner is in the "
        "overlay, without being covered by the owner: it is neither in the owner's subtree "
        "nor under a unit that provides a declared internal service to the owner. Only "
        "journeys whose owner is in the overlay are checked. One finding per journey and "
        "unit, at its first step."
    ),
    why=(
        "In the three-dimensional enterprise the functional departments stay, but as [internal "
        "service providers](concepts.md#internal-services) to the overlay: the customer-facing "
        "owner answers for the customer's matter (an invoice question, say) and draws on the "
        "department (accounting) as a resource. A department that works on the journey without "
        "such a service agreement follows its own priorities, and the owner cannot count on it."
    ),
    fix=(
        "Declare a `services` entry with the unit (or its department) as provider and the "
        "journey's owner as consumer, or move the work into the owner's team."
    ),
    example=(
        '{"units": [{"id": "board", "name": "Board", "kind": "board"}, {"id": "care", '
        '"name": "Customer care", "parent": "board", "layer": "customer"}, {"id": '
        '"billing", "name": "Billing", "parent": "board"}], "journeys": [{"id": '
        '"invoice-question", "name": "Invoice question", "owner": "care", "steps": '
        '[{"name": "Take question", "unit": "care", "touchpoint": true}, {"name": "Correct '
        'invoice", "unit": "billing"}]}]}'
    ),
)

rules: tuple[Rule, ...] = (BOARD_OVERLAY, BOARD_FUNCTION, OUTSIDE_OVERLAY, MISSING_SERVICE)


class BoardSeat(Frozen):
    """A unit of the board and what it is accountable for."""

    unit: str
    """Unit id."""
    kind: str
    """The unit's kind (board, executive ...)."""
    accountable_for: list[Accountability]
    """The areas it declares, in area order."""


class AreaCover(Frozen):
    """Who answers for one area of the three-dimensional enterprise."""

    area: Accountability
    """customer, market, innovation, business-support or manufacturing."""
    board: list[str]
    """Board units accountable for it, by id."""
    below_board: list[str]
    """Units below the board that declare it (they do not cover it), by id."""


# Slotted pydantic dataclasses rather than models, as Finding is: a large organization has
# 10,000s of them, and each model instance brings its own set of given fields (and
# __dict__), which every full garbage collection walks again.
@pydantic_dataclass(frozen=True, slots=True, kw_only=True)
class Placement:
    """Where a journey owner or a segment team sits in the three layers."""

    kind: Literal["journey", "segment"]
    """What is owned."""
    id: str
    """Id of the journey or segment."""
    owner: str
    """The owning unit (journey owner or segment team)."""
    layer: Layer
    """The owner's layer."""
    in_overlay: bool
    """True when the owner is in the overlay (customer or market layer, no functional unit
    above it below the top)."""
    inside: str | None
    """The nearest functional unit above the owner (below the top), if any."""


@pydantic_dataclass(frozen=True, slots=True, kw_only=True)
class MissingService:
    """A functional unit working on a journey without serving the journey's owner."""

    journey: str
    """Journey id."""
    owner: str
    """The journey's owner."""
    unit: str
    """The functional unit performing steps."""
    steps: list[int]
    """1-based numbers of the steps it performs."""


@pydantic_dataclass(frozen=True, slots=True, kw_only=True)
class JourneyOwnership:
    """How much of one journey is owned from the overlay."""

    journey: str
    """Journey id."""
    owner: str | None
    """The journey's owner."""
    owner_in_overlay: bool
    """True when the owner is in the overlay."""
    volume: float | None
    """Customer cases per period."""
    steps: int
    """Number of steps."""
    owned_steps: int
    """Steps owned from the overlay (0 unless the owner is in the overlay)."""
    touchpoints: int
    """Touchpoint steps."""
    touchpoints_in_overlay: int
    """Touchpoint steps performed by units in the overlay."""


class Ownership(Frozen):
    """Organization-wide ownership figures over the analyzed journeys."""

    journeys: int
    """Journeys analyzed."""
    journeys_overlay_owned: int
    """Journeys whose owner is in the overlay."""
    journey_share: float | None
    """journeys_overlay_owned / journeys."""
    steps: int
    """Their steps."""
    owned_steps: int
    """Steps owned from the overlay."""
    step_share: float | None
    """owned_steps / steps."""
    volume_steps: float
    """Sum of volume x steps over journeys with a volume (steps per period)."""
    owned_volume_steps: float
    """Sum of volume x overlay-owned steps over the same journeys."""
    volume_share: float | None
    """owned_volume_steps / volume_steps."""
    touchpoints: int
    """Touchpoint steps."""
    touchpoints_in_overlay: int
    """Touchpoint steps performed by units in the overlay."""
    touchpoint_share: float | None
    """touchpoints_in_overlay / touchpoints."""


class LayerSection(Section):
    """Result of the three-layer analysis."""

    board: list[BoardSeat]
    """The board units, by id."""
    areas: list[AreaCover]
    """Every area, in the order customer, market, innovation, business-support,
    manufacturing."""
    missing_areas: list[Accountability]
    """Areas no board unit is accountable for."""
    placements: list[Placement]
    """Every journey owner and segment team, by kind and id."""
    missing_services: list[MissingService]
    """Functional units on overlay-owned journeys that do not serve the owner, by journey and
    unit."""
    ownership: Ownership
    """Organization-wide ownership figures."""
    journeys: list[JourneyOwnership]
    """Per journey, by id."""

    def headline(self) -> list[str]:
        covered = len(AREAS) - len(self.missing_areas)
        missing = ", ".join(a.value for a in self.missing_areas) or "none"
        o = self.ownership
        outside = sum(1 for p in self.placements if not p.in_overlay)
        return [
            f"Board of {len(self.board)} unit(s): {covered} of {len(AREAS)} areas have an "
            f"accountable member (missing: {missing}).",
            f"{o.journeys_overlay_owned} of {o.journeys} journeys owned from the customer or "
            f"market layer; {pct(o.step_share)} of the steps and {pct(o.volume_share)} of the "
            f"volume-weighted steps owned from there; {pct(o.touchpoint_share)} of the "
            f"touchpoints in the overlay.",
            f"{outside} owner(s) outside the overlay, {len(self.missing_services)} missing "
            "internal service(s).",
        ]

    def tables(self) -> list[Table]:
        areas = Table(
            "Board accountability",
            ("area", "board", "below the board"),
            tuple(
                (a.area.value, ", ".join(a.board) or "NOBODY", ", ".join(a.below_board) or "-")
                for a in self.areas
            ),
        )
        placements = Table(
            "Journey owners and segment teams",
            ("kind", "id", "owner", "layer", "in overlay", "inside"),
            Rows(
                self.placements,
                lambda p: (
                    p.kind,
                    p.id,
                    p.owner,
                    p.layer.value,
                    "yes" if p.in_overlay else "NO",
                    p.inside or "-",
                ),
            ),
        )
        journeys = Table(
            "Ownership from the overlay",
            ("journey", "owner", "in overlay", "steps", "owned", "touchpoints", "in overlay"),
            Rows(
                self.journeys,
                lambda j: (
                    j.journey,
                    j.owner or "-",
                    "yes" if j.owner_in_overlay else "no",
                    str(j.steps),
                    str(j.owned_steps),
                    str(j.touchpoints),
                    str(j.touchpoints_in_overlay),
                ),
            ),
            numeric=frozenset({3, 4, 5, 6}),
        )
        tables = [areas, placements, journeys]
        if self.missing_services:
            tables.append(
                Table(
                    "Missing internal services",
                    ("journey", "owner", "unit", "steps"),
                    Rows(
                        self.missing_services,
                        lambda m: (m.journey, m.owner, m.unit, ", ".join(map(str, m.steps))),
                    ),
                )
            )
        return tables


section: type[Section] = LayerSection

# The rows are built without validation (unchecked): their fields are of their types.
_PLACEMENT = unchecked(Placement)
_MISSING_SERVICE = unchecked(MissingService)
_JOURNEY_OWNERSHIP = unchecked(JourneyOwnership)
_LAYER_SECTION = unchecked(LayerSection)

_UNIT = attrgetter("unit")
_ACCOUNTABLE_FOR = attrgetter("accountable_for")
_TOUCHPOINT = attrgetter("touchpoint")


def board_units(ent: Enterprise) -> list[str]:
    """The board: top units and `board`/`executive` units directly below a top unit, by id."""
    tree = ent.tree
    out = [tree.ids[r] for r in tree.roots]
    for root in tree.roots:
        for child in tree.children[root]:
            if ent.units[tree.ids[child]].kind in (UnitKind.BOARD, UnitKind.EXECUTIVE):
                out.append(tree.ids[child])
    return sorted(out)


def selected_journeys(ent: Enterprise, wanted: Sequence[str] | None) -> list[tuple[int, Journey]]:
    """The journeys to analyze with their document index: all, or those with ids in
    ``wanted``."""
    keep = None if wanted is None else set(wanted)
    return [(i, j) for i, j in enumerate(ent.document.journeys) if keep is None or j.id in keep]


def compute(ent: Enterprise, journeys: Sequence[str] | None = None) -> LayerSection:
    """The three-layer figures of ``ent`` (journey figures limited to ``journeys``).

    The profile reads the result (it gets it as an argument).
    """
    board = board_units(ent)
    on_board = set(board)
    seats = [
        BoardSeat(
            unit=u,
            kind=ent.units[u].kind.value,
            accountable_for=[a for a in AREAS if a in ent.units[u].accountable_for],
        )
        for u in board
    ]
    below: dict[Accountability, list[str]] = defaultdict(list)
    units = ent.document.units
    for unit in itertools.compress(units, map(_ACCOUNTABLE_FOR, units)):  # the few that declare
        if unit.id not in on_board:
            for area in set(unit.accountable_for):
                below[area].append(unit.id)
    areas = [
        AreaCover(
            area=a,
            board=[s.unit for s in seats if a in s.accountable_for],
            below_board=sorted(below[a]),
        )
        for a in AREAS
    ]
    placements: list[Placement] = []
    for seg in ent.document.segments:
        if seg.team is not None:
            placements.append(_placement(ent, "segment", seg.id, seg.team))
    chosen = selected_journeys(ent, journeys)
    missing: list[MissingService] = []
    per_journey: list[JourneyOwnership] = []
    # Each journey's steps are looked up in bulk: their units, which of them the owner covers
    # and which touchpoints are in the overlay.
    overlay_of = ent.overlay_of
    for _, journey in chosen:
        owner = journey.owner
        if owner is not None:
            placements.append(_placement(ent, "journey", journey.id, owner))
        owner_ok = ent.in_overlay(owner)
        steps = journey.steps
        step_units = list(map(_UNIT, steps))
        owned = 0
        if owner is not None and owner_ok:
            covered = list(map(ent.covers_of(owner).__getitem__, step_units))
            owned = sum(covered)
            if owned < len(step_units):
                uncovered: dict[str, list[int]] = {}
                for number in itertools.compress(itertools.count(1), map(operator.not_, covered)):
                    unit = step_units[number - 1]
                    if ent.units[unit].layer == Layer.FUNCTIONAL:
                        uncovered.setdefault(unit, []).append(number)
                missing += [
                    _MISSING_SERVICE(journey=journey.id, owner=owner, unit=u, steps=s)
                    for u, s in uncovered.items()
                ]
        touch = list(itertools.compress(step_units, map(_TOUCHPOINT, steps)))
        per_journey.append(
            _JOURNEY_OWNERSHIP(
                journey=journey.id,
                owner=owner,
                owner_in_overlay=owner_ok,
                volume=journey.volume,
                steps=len(steps),
                owned_steps=owned,
                touchpoints=len(touch),
                touchpoints_in_overlay=sum(map(overlay_of.__getitem__, touch)),
            )
        )
    per_journey.sort(key=lambda j: j.journey)
    placements.sort(key=lambda p: (p.kind, p.id))
    missing.sort(key=attrgetter("journey", "unit"))
    return _LAYER_SECTION(
        board=seats,
        areas=areas,
        missing_areas=[a.area for a in areas if not a.board],
        placements=placements,
        missing_services=missing,
        ownership=_ownership(per_journey),
        journeys=per_journey,
    )


def _placement(
    ent: Enterprise, kind: Literal["journey", "segment"], ident: str, owner: str
) -> Placement:
    return _PLACEMENT(
        kind=kind,
        id=ident,
        owner=owner,
        layer=ent.units[owner].layer,
        in_overlay=ent.in_overlay(owner),
        inside=ent.functional_above(owner),
    )


def _ownership(per_journey: list[JourneyOwnership]) -> Ownership:
    journeys = len(per_journey)
    owned_journeys = sum(1 for j in per_journey if j.owner_in_overlay)
    steps = sum(j.steps for j in per_journey)
    owned = sum(j.owned_steps for j in per_journey)
    weighted = [j for j in per_journey if j.volume is not None]
    volume_steps = sum((j.volume or 0) * j.steps for j in weighted)
    owned_volume = sum((j.volume or 0) * j.owned_steps for j in weighted)
    touch = sum(j.touchpoints for j in per_journey)
    touch_overlay = sum(j.touchpoints_in_overlay for j in per_journey)
    return Ownership(
        journeys=journeys,
        journeys_overlay_owned=owned_journeys,
        journey_share=ratio(owned_journeys, journeys),
        steps=steps,
        owned_steps=owned,
        step_share=ratio(owned, steps),
        volume_steps=volume_steps,
        owned_volume_steps=owned_volume,
        volume_share=ratio(owned_volume, volume_steps),
        touchpoints=touch,
        touchpoints_in_overlay=touch_overlay,
        touchpoint_share=ratio(touch_overlay, touch),
    )


def run(ctx: AnalysisContext) -> LayerSection:
    """Compute the three-layer figures and report the layer findings."""
    ent = ctx.enterprise
    result = compute(ent, ctx.journeys)
    doc = ent.document
    unit_index = ent.tree.index
    top = min((ent.tree.ids[r] for r in ent.tree.roots), default=None)
    top_path = ("units", unit_index[top]) if top is not None else ("units",)
    board = ", ".join(s.unit for s in result.board)
    for cover in result.areas:
        if cover.board:
            continue
        rule = BOARD_OVERLAY if cover.area in OVERLAY_AREAS else BOARD_FUNCTION
        elsewhere = (
            f" (declared below the board by {', '.join(cover.below_board)})"
            if cover.below_board
            else ""
        )
        ctx.report(
            rule,
            f"nobody on the board ({board}) is accountable for {cover.area.value}{elsewhere}",
            top_path,
            (cover.area.value,),
        )
    journey_index = {j.id: i for i, j in enumerate(doc.journeys)}
    segment_index = {s.id: i for i, s in enumerate(doc.segments)}
    ctx.report_all(OUTSIDE_OVERLAY, _outside(result, journey_index, segment_index))
    ctx.report_all(
        MISSING_SERVICE,
        (
            (
                f"journey '{m.journey}': functional unit '{m.unit}' performs step(s) "
                f"{', '.join(map(str, m.steps))} but provides no declared internal service to "
                f"the owner '{m.owner}'",
                ("journeys", journey_index[m.journey], "steps", m.steps[0] - 1, "unit"),
                (m.journey, m.owner, m.unit),
            )
            for m in result.missing_services
        ),
    )
    return result


def _outside(
    result: LayerSection, journey_index: dict[str, int], segment_index: dict[str, int]
) -> Iterator[tuple[str, JsonPath, tuple[str, ...]]]:
    """The L03 findings: owners and teams outside the overlay (message, path, key)."""
    for p in result.placements:
        if p.in_overlay:
            continue
        why = (
            f"is in the {p.layer.value} layer"
            if p.layer == Layer.FUNCTIONAL
            else f"is in the {p.layer.value} layer but inside functional unit '{p.inside}'"
        )
        if p.kind == "journey":
            yield (
                f"owner '{p.owner}' of journey '{p.id}' {why}",
                ("journeys", journey_index[p.id], "owner"),
                (p.id, p.owner),
            )
        else:
            yield (
                f"team '{p.owner}' of segment '{p.id}' {why}",
                ("segments", segment_index[p.id], "team"),
                (p.id, p.owner),
            )
