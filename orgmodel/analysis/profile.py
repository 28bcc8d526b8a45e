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

from collections.abc import Sequence
from typing import Literal

from orgmodel.analysis import goals, layers, segments
from orgmodel.analysis.base import AnalysisContext, Frozen, Section, Table
from orgmodel.analysis.figures import AREAS, SIGNALS, SignalInputs
from orgmodel.analysis.findings import Rule
from orgmodel.analysis.goals import GoalSection
from orgmodel.analysis.layers import LayerSection
from orgmodel.analysis.segments import SegmentSection
from orgmodel.graph import Enterprise

__all__ = [
    "AreaVerdict",
    "ProfileSection",
    "Signal",
    "Verdict",
    "compute",
    "name",
    "profile_of",
    "rules",
    "run",
]

name: str = "profile"
title: str = "Customer-centricity profile"

#: The profile has no rules of its own: its signals are reported by the families it reads.
rules: tuple[Rule, ...] = ()

Verdict = Literal["met", "partly met", "not met", "not modelled"]


class Signal(Frozen):
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
    figures: list[Signal]
    """Every signal, in report order (by area)."""

    def headline(self) -> list[str]:
        return [f"{a.title}: {a.verdict} ({a.met} of {a.defined} signals met)" for a in self.areas]

    def tables(self) -> list[Table]:
        return [
            Table(
                "Signals",
                ("area", "signal", "value", "target", "met", "definition"),
                tuple(
                    (
                        f.area,
                        f.id,
                        _show(f),
                        f.target,
                        "-" if f.met is None else ("yes" if f.met else "NO"),
                        f.definition,
                    )
                    for f in self.figures
                ),
            )
        ]


section: type[Section] = ProfileSection


def _show(f: Signal) -> str:
    if f.value is None:
        return "-"
    if f.unit == "share":
        return (
            f"{f.value * 100:.1f} % ({f.part} of {f.whole})"
            if f.whole is not None
            else (f"{f.value * 100:.1f} %")
        )
    return f"{f.value:g}"


def _verdict(figures: Sequence[Signal]) -> tuple[Verdict, int, int]:
    defined = [f for f in figures if f.met is not None]
    met = sum(1 for f in defined if f.met)
    if not defined:
        return "not modelled", 0, 0
    if met == len(defined):
        return "met", met, len(defined)
    return ("not met" if met == 0 else "partly met"), met, len(defined)


def profile_of(layer: LayerSection, segment: SegmentSection, goal: GoalSection) -> ProfileSection:
    """The profile from the three families' results."""
    inputs = SignalInputs(layer, segment, goal)
    figures = []
    for spec in SIGNALS:
        value, part, whole = spec.value(inputs)
        figures.append(
            Signal(
                id=spec.id,
                area=spec.area,
                label=spec.label,
                unit=spec.unit,
                better=spec.better,
                value=value,
                part=part,
                whole=whole,
                target=spec.target,
                met=None if value is None else spec.meets(value),
                definition=spec.definition,
            )
        )
    areas = []
    for area, area_title in AREAS:
        mine = [f for f in figures if f.area == area]
        verdict, met, defined = _verdict(mine)
        areas.append(
            AreaVerdict(
                area=area,
                title=area_title,
                verdict=verdict,
                met=met,
                defined=defined,
                signals=len(mine),
            )
        )
    return ProfileSection(areas=areas, figures=figures)


def compute(ent: Enterprise, journeys: Sequence[str] | None = None) -> ProfileSection:
    """The customer-centricity profile of ``ent`` (journey signals limited to ``journeys``),
    computing the layer, segment and goal figures it reads."""
    return profile_of(
        layers.compute(ent, journeys), segments.compute(ent), goals.compute(ent, journeys)
    )


def run(
    ctx: AnalysisContext, *, layers: LayerSection, segments: SegmentSection, goals: GoalSection
) -> ProfileSection:
    """The profile from the sections of the layer, segment and goal families (computed for
    the same context); it reports no findings of its own."""
    del ctx
    return profile_of(layers, segments, goals)
