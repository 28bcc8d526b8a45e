"""The customer-centricity profile: every signal of the layer, segment and goal analyses as a
figure of its own, with its definition and target, and a verdict per area.

There is deliberately no overall score: an area's verdict says how many of its signals meet
their target, and every figure stays visible. Signals whose value is undefined are left out
of the verdict: a share of nothing (segment shares without segments), or a count of
something that cannot occur (missing internal services when no journey is owned from the
overlay; shared teams when no segment has a team; goal conflicts without customer goals).

Verdict of an area: **met** (every defined signal meets its target), **partly met** (some
do), **not met** (none does), **not modelled** (no signal is defined).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from orgmodel.analysis import goals, layers, segments
from orgmodel.analysis.base import AnalysisContext, Frozen, Section, Table
from orgmodel.analysis.findings import Rule
from orgmodel.graph import Enterprise
from orgmodel.model import Accountability

__all__ = ["AREAS", "FIGURES", "ProfileSection", "compute", "name", "rules", "run"]

name = "profile"
title = "Customer-centricity profile"

#: The profile has no rules of its own: its signals are reported by the families it reads.
rules: tuple[Rule, ...] = ()

Verdict = Literal["met", "partly met", "not met", "not modelled"]

#: The areas of the profile: id and title, in report order.
AREAS: tuple[tuple[str, str], ...] = (
    ("board", "Board accountability"),
    ("overlay", "Customer and market layer own the journeys"),
    ("segments", "Segments in use"),
    ("goals", "Goals follow the customer"),
)


@dataclass(frozen=True)
class _Inputs:
    layers: layers.LayerSection
    segments: segments.SegmentSection
    goals: goals.GoalSection


@dataclass(frozen=True)
class FigureSpec:
    """How one figure is computed and judged."""

    id: str
    area: str
    label: str
    unit: Literal["share", "count", "flag"]
    better: Literal["higher", "lower"]
    target: str
    definition: str
    value: Callable[[_Inputs], tuple[float | None, int | None, int | None]]
    """Returns (value, part, whole); part and whole only for shares."""
    meets: Callable[[float], bool]


def _share(part: int, whole: int) -> tuple[float | None, int | None, int | None]:
    return (None if whole == 0 else part / whole), part, whole


def _count(n: int, defined: bool = True) -> tuple[float | None, int | None, int | None]:
    """A count; undefined (None) when what it counts cannot occur in the document."""
    return (float(n) if defined else None), None, None


def _flag(on: bool) -> tuple[float | None, int | None, int | None]:
    return (1.0 if on else 0.0), None, None


def _board_has(area: Accountability) -> Callable[[_Inputs], tuple]:
    return lambda x: _flag(area not in x.layers.missing_areas)


def _all(v: float) -> bool:
    return v >= 1.0


def _none(v: float) -> bool:
    return v == 0


def _full_share(ident: str, area: str, label: str, definition: str,
                value: Callable[[_Inputs], tuple]) -> FigureSpec:
    """A share whose target is 100 %."""
    return FigureSpec(ident, area, label, "share", "higher", "100 %", definition, value, _all)


def _zero_count(ident: str, area: str, label: str, definition: str,
                value: Callable[[_Inputs], tuple]) -> FigureSpec:
    """A count whose target is 0."""
    return FigureSpec(ident, area, label, "count", "lower", "0", definition, value, _none)


def _yes_flag(ident: str, area: str, label: str, definition: str,
              value: Callable[[_Inputs], tuple]) -> FigureSpec:
    """A flag whose target is 1."""
    return FigureSpec(ident, area, label, "flag", "higher", "1", definition, value, _all)


#: Every figure of the profile, in report order.
FIGURES: tuple[FigureSpec, ...] = (
    _yes_flag(
        "board-customer", "board", "Board accountable for the customer layer",
        "1 when a board unit (top unit, or a board/executive unit directly below it) lists "
        "`customer` in `accountable_for`, else 0 (rule L01).",
        _board_has(Accountability.CUSTOMER)),
    _yes_flag(
        "board-market", "board", "Board accountable for the market layer",
        "1 when a board unit lists `market` in `accountable_for`, else 0 (rule L01).",
        _board_has(Accountability.MARKET)),
    _full_share(
        "board-areas", "board", "Areas with an accountable board unit",
        "Areas (customer, market, innovation, business-support, manufacturing) that a board "
        "unit is accountable for / 5 (rules L01, L02).",
        lambda x: _share(len(layers.AREAS) - len(x.layers.missing_areas), len(layers.AREAS))),
    _full_share(
        "journeys-overlay-owned", "overlay", "Journeys owned from the overlay",
        "Journeys whose owner is in the overlay (customer or market layer, no functional unit "
        "above it below the top) / journeys.",
        lambda x: _share(x.layers.ownership.journeys_overlay_owned,
                         x.layers.ownership.journeys)),
    _full_share(
        "steps-overlay-owned", "overlay", "Steps owned from the overlay",
        "Steps of overlay-owned journeys performed by a unit the owner covers (its subtree or "
        "a declared internal service) / all steps.",
        lambda x: _share(x.layers.ownership.owned_steps, x.layers.ownership.steps)),
    _full_share(
        "volume-overlay-owned", "overlay", "Volume-weighted steps owned from the overlay",
        "Sum of volume x overlay-owned steps / sum of volume x steps, over journeys with a "
        "volume: the share of the steps customers' cases go through per period that are owned "
        "from the overlay.",
        lambda x: (x.layers.ownership.volume_share, None, None)),
    _zero_count(
        "owners-outside-overlay", "overlay",
        "Journey owners and segment teams outside the overlay",
        "Journey owners and segment teams in the functional layer or inside a functional unit "
        "(rule L03); undefined when no journey has an owner and no segment a team.",
        lambda x: _count(sum(1 for p in x.layers.placements if not p.in_overlay),
                         bool(x.layers.placements))),
    _zero_count(
        "missing-services", "overlay", "Missing internal services",
        "Pairs (journey, functional unit) where the unit performs steps of an overlay-owned "
        "journey without serving its owner (rule L04); undefined when no journey is owned from "
        "the overlay.",
        lambda x: _count(len(x.layers.missing_services),
                         x.layers.ownership.journeys_overlay_owned > 0)),
    _full_share(
        "segments-with-team", "segments", "Segments with a team",
        "Segments with `team` / segments (rule M01).",
        lambda x: _share(x.segments.totals.with_team, x.segments.totals.segments)),
    _zero_count(
        "shared-teams", "segments", "Teams of several segments",
        "Units that are the team of more than one segment (rule M02); undefined when no "
        "segment has a team.",
        lambda x: _count(x.segments.totals.shared_teams, x.segments.totals.with_team > 0)),
    _full_share(
        "segments-with-value-tier", "segments", "Segments with a customer-value tier",
        "Segments with `value_tier` / segments (rule M03).",
        lambda x: _share(x.segments.totals.with_value_tier, x.segments.totals.segments)),
    _full_share(
        "segments-used", "segments", "Segments used by a journey or goal",
        "Segments with a journey (directly or through its persona) or a goal / segments "
        "(rule M04).",
        lambda x: _share(x.segments.totals.used, x.segments.totals.segments)),
    _zero_count(
        "journeys-owned-elsewhere", "segments", "Journeys owned outside the segment's team",
        "Journeys of a segment with a team whose owner is neither the team nor under it "
        "(rule M05); undefined when no segment has a team.",
        lambda x: _count(x.segments.totals.journeys_owned_elsewhere,
                         x.segments.totals.with_team > 0)),
    FigureSpec(
        "customer-goal-share", "goals", "Goals that are customer goals", "share", "higher",
        ">= 50 %",
        "Goals with orientation customer / all goals: goals that follow the customer's success "
        "rather than the function's. Target: at least half.",
        lambda x: _share(x.goals.totals.customer_goals, x.goals.totals.goals),
        lambda v: v >= 0.5),
    FigureSpec(
        "customer-goal-holders", "goals", "Holders of customer goals", "count", "higher", ">= 2",
        "Distinct units, journeys and segments that hold a customer goal; 0 or 1 means customer "
        "orientation is reduced to customer management (rule G05).",
        lambda x: _count(len(x.goals.totals.customer_holders)), lambda v: v >= 2),
    _full_share(
        "journeys-with-customer-goal", "goals", "Journeys with a customer goal",
        "Journeys that hold a customer goal / journeys (rule G01).",
        lambda x: _share(x.goals.totals.journeys_with_customer_goal, x.goals.totals.journeys)),
    _full_share(
        "segments-with-customer-goal", "goals", "Segments with a customer goal",
        "Segments that hold a customer goal / segments (rule G02).",
        lambda x: _share(x.goals.totals.segments_with_customer_goal,
                         x.goals.totals.segments)),
    _full_share(
        "touchpoint-units-with-customer-goal", "goals",
        "Touchpoint units steered by a customer goal",
        "Units performing touchpoint steps that a customer goal steers / units performing "
        "touchpoint steps that any goal steers (rule G03).",
        lambda x: _share(x.goals.totals.touchpoint_units_with_customer_goal,
                         x.goals.totals.touchpoint_units)),
    _yes_flag(
        "loyalty-goals", "goals", "Customer goals beyond satisfaction",
        "1 when a customer goal measures loyalty, retention or value, else 0 (satisfaction "
        "mistaken for loyalty, rule G04).",
        lambda x: _flag(x.goals.totals.loyalty_goals > 0)),
    _zero_count(
        "goal-conflicts", "goals", "Goal conflicts on journeys",
        "Pairs (journey, functional goal) where the goal pulls against a customer goal of "
        "another unit on the journey (aspects optimized in isolation, rule G06); undefined "
        "without journeys or without customer goals.",
        lambda x: _count(x.goals.totals.conflicts,
                         x.goals.totals.journeys > 0 and x.goals.totals.customer_goals > 0)),
)



class Figure(Frozen):
    """One signal of the profile."""

    id: str
    """Stable id, e.g. `board-customer`."""
    area: str
    """Area id: board, overlay, segments or goals."""
    label: str
    """What it shows."""
    unit: Literal["share", "count", "flag"]
    """share (0 to 1), count, or flag (1 yes, 0 no)."""
    better: Literal["higher", "lower"]
    """Which direction of change is an improvement."""
    value: float | None
    """The value; None when undefined (a share of nothing)."""
    part: int | None
    """For shares: the numerator."""
    whole: int | None
    """For shares: the denominator."""
    target: str
    """The target the value is judged against."""
    met: bool | None
    """Whether the value meets the target; None when the value is undefined."""
    definition: str
    """Exact definition."""


class AreaVerdict(Frozen):
    """The verdict on one area."""

    area: str
    """Area id."""
    title: str
    """Area title."""
    verdict: Verdict
    """met, partly met, not met, or not modelled."""
    met: int
    """Signals meeting their target."""
    defined: int
    """Signals with a defined value."""
    signals: int
    """Signals of the area."""


class ProfileSection(Section):
    """The customer-centricity profile."""

    areas: list[AreaVerdict]
    """One verdict per area, in report order."""
    figures: list[Figure]
    """Every signal, in report order (by area)."""

    def headline(self) -> list[str]:
        return [f"{a.title}: {a.verdict} ({a.met} of {a.defined} signals met)"
                for a in self.areas]

    def tables(self) -> list[Table]:
        return [Table(
            "Signals",
            ("area", "signal", "value", "target", "met", "definition"),
            tuple((f.area, f.id, _show(f), f.target,
                   "-" if f.met is None else ("yes" if f.met else "NO"), f.definition)
                  for f in self.figures),
        )]


section = ProfileSection


def _show(f: Figure) -> str:
    if f.value is None:
        return "-"
    if f.unit == "share":
        return f"{f.value * 100:.1f} % ({f.part} of {f.whole})" if f.whole is not None else (
            f"{f.value * 100:.1f} %")
    return f"{f.value:g}"


def _verdict(figures: Sequence[Figure]) -> tuple[Verdict, int, int]:
    defined = [f for f in figures if f.met is not None]
    met = sum(1 for f in defined if f.met)
    if not defined:
        return "not modelled", 0, 0
    if met == len(defined):
        return "met", met, len(defined)
    return ("not met" if met == 0 else "partly met"), met, len(defined)


def profile_of(layer: layers.LayerSection, segment: segments.SegmentSection,
               goal: goals.GoalSection) -> ProfileSection:
    """The profile from the three families' results."""
    inputs = _Inputs(layer, segment, goal)
    figures = []
    for spec in FIGURES:
        value, part, whole = spec.value(inputs)
        figures.append(Figure(
            id=spec.id, area=spec.area, label=spec.label, unit=spec.unit, better=spec.better,
            value=value,
            part=part, whole=whole, target=spec.target,
            met=None if value is None else spec.meets(value), definition=spec.definition,
        ))
    areas = []
    for area, area_title in AREAS:
        mine = [f for f in figures if f.area == area]
        verdict, met, defined = _verdict(mine)
        areas.append(AreaVerdict(area=area, title=area_title, verdict=verdict, met=met,
                                 defined=defined, signals=len(mine)))
    return ProfileSection(areas=areas, figures=figures)


def compute(ent: Enterprise, journeys: Sequence[str] | None = None) -> ProfileSection:
    """The customer-centricity profile of ``ent`` (journey signals limited to ``journeys``)."""
    return profile_of(layers.compute(ent, journeys), segments.compute(ent),
                      goals.compute(ent, journeys))


def run(ctx: AnalysisContext) -> ProfileSection:
    """Compute the profile; it reports no findings of its own."""
    return compute(ctx.enterprise, ctx.journeys)
