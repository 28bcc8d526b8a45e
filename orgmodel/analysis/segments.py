"""Segments: whether the customer segments of a customer-value analysis are used to organize
the enterprise: one team per segment, goals per segment, journeys per segment (see
"Customer-value segments" in docs/concepts.md).

Definitions (worked examples in docs/metrics.md):

- the **journeys of a segment**: journeys with `segment` set to it, and journeys without a
  segment whose persona stands for it;
- a segment is **used** when it has a journey or holds a goal (the deficit "segments
  unused": segments developed but not used);
- the units that **serve** a segment: its team, the owners of its journeys and the units that
  perform their steps;
- a **shared team** is the team of more than one segment;
- a journey is **owned outside the segment team** when its segment has a team and its owner
  is neither that team nor a unit under it.

The segment analysis always covers the whole document (``--journey`` does not limit it).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from pydantic.dataclasses import dataclass as pydantic_dataclass

from orgmodel.analysis.base import (
    AnalysisContext,
    Frozen,
    Rows,
    Section,
    Table,
    unchecked,
)
from orgmodel.analysis.findings import Rule
from orgmodel.graph import Enterprise
from orgmodel.model import Journey, Severity, ValueTier

__all__ = ["SegmentSection", "compute", "journeys_by_segment", "name", "rules", "run"]

name: str = "segments"
title: str = "Segments"

NO_TEAM = Rule(
    "M01",
    "segment-without-team",
    Severity.WARNING,
    "A segment has no owning team.",
    finds="A segment without `team`.",
    why=(
        "After a [customer-value analysis](concepts.md#customer-value-segments) every segment "
        "gets a team of its own, with its own strategy and goals, that takes care of that "
        "segment's customers and no others. Without a team nobody manages the relationship with "
        "these customers, and the segment stays [unused](concepts.md#segments-unused)."
    ),
    fix="Set `team` to the unit in the customer layer that owns the segment.",
    example=(
        '{"segments": [{"id": "private", "name": "Private customers", "value_tier": "high"}]}'
    ),
)
SHARED_TEAM = Rule(
    "M02",
    "team-serves-several-segments",
    Severity.WARNING,
    "One unit is the team of several segments.",
    finds="A unit that is the `team` of more than one segment. One finding per unit.",
    why=(
        "A [segment team](concepts.md#customer-value-segments) serves only its own segment, "
        "with a strategy and goals for those customers; a team that owns several segments "
        "serves them all alike, which is what segmentation is meant to end."
    ),
    fix="Give each segment its own team, or merge the segments if they really are served alike.",
    example=(
        '{"units": [{"id": "board", "name": "Board", "kind": "board"}, {"id": "care", '
        '"name": "Customer care", "parent": "board", "layer": "customer"}], "segments": '
        '[{"id": "private", "name": "Private customers", "value_tier": "high", "team": '
        '"care"}, {"id": "business", "name": "Business customers", "value_tier": "high", '
        '"team": "care"}]}'
    ),
)
NO_TIER = Rule(
    "M03",
    "segment-without-value-tier",
    Severity.INFO,
    "A segment has no customer-value tier.",
    finds="A segment without `value_tier` (high, potential or low).",
    why=(
        "Segments come from a customer-value analysis: which customers matter (high), which to "
        "develop (potential), which do not (low). A segment without a tier cannot be steered by "
        "value (for example, letting field service visit only customers of above-average "
        "value), a sign of [no customer value method](concepts.md#no-customer-value-method)."
    ),
    fix="Set `value_tier`.",
    example='{"segments": [{"id": "private", "name": "Private customers"}]}',
)
NOT_USED = Rule(
    "M04",
    "segment-not-used",
    Severity.WARNING,
    "A segment has no journey and no goal: developed but not used.",
    finds=(
        "A segment that no journey serves (directly through `segment` or through its persona) "
        "and no goal is held by."
    ),
    why=(
        "[Segments unused](concepts.md#segments-unused): customer segments were worked out and "
        "then not used, so the segmentation changes nothing in how customers are served."
    ),
    fix="Model the journeys of its customers and give it a goal, or remove it.",
    example=(
        '{"segments": [{"id": "private", "name": "Private customers", "value_tier": "high"}]}'
    ),
)
OWNED_ELSEWHERE = Rule(
    "M05",
    "journey-outside-segment-team",
    Severity.WARNING,
    "A journey of a segment is owned by a unit other than the segment's team.",
    finds=(
        "A journey of a segment (directly or through its persona) whose owner is neither the "
        "segment's team nor a unit under it. Segments without a team are left out (see M01)."
    ),
    why=(
        "The [segment team](concepts.md#customer-value-segments) takes care of its customers "
        "exclusively and end to end; when another unit owns one of their journeys, the customer "
        "has two owners and the team's strategy and goals stop at that journey."
    ),
    fix="Make the segment's team (or a unit under it) the journey's owner.",
    example=(
        '{"units": [{"id": "board", "name": "Board", "kind": "board"}, {"id": '
        '"private-team", "name": "Private customers team", "parent": "board", "layer": '
        '"customer"}, {"id": "care", "name": "Customer care", "parent": "board", "layer": '
        '"customer"}], "segments": [{"id": "private", "name": "Private customers", '
        '"value_tier": "high", "team": "private-team"}], "journeys": [{"id": "complaint", '
        '"name": "Complaint", "segment": "private", "owner": "care", "steps": [{"name": '
        '"Take complaint", "unit": "care"}]}]}'
    ),
)

rules: tuple[Rule, ...] = (NO_TEAM, SHARED_TEAM, NO_TIER, NOT_USED, OWNED_ELSEWHERE)


class SegmentFigures(Frozen):
    """One segment: its team, tier, journeys, goals and who serves it."""

    segment: str
    """Segment id."""
    name: str
    """Segment name."""
    value_tier: ValueTier | None
    """high, potential or low."""
    customers: int | None
    """Number of customers, if given."""
    team: str | None
    """The owning team."""
    journeys: list[str]
    """Ids of its journeys, sorted."""
    goals: list[str]
    """Ids of the goals it holds, sorted."""
    used: bool
    """True when it has a journey or a goal."""
    serving_units: list[str]
    """Units that serve it, sorted."""
    owned_elsewhere: list[str]
    """Ids of its journeys owned outside its team, sorted."""


class SharedTeam(Frozen):
    """A unit that is the team of several segments."""

    unit: str
    """Unit id."""
    segments: list[str]
    """The segments it owns, sorted."""


# Slotted pydantic dataclasses rather than models, as Finding is: a large organization has
# 10,000s of them, and each model instance brings its own set of given fields (and
# __dict__), which every full garbage collection walks again.
@pydantic_dataclass(frozen=True, slots=True, kw_only=True)
class UnitSegments:
    """Which segments one unit serves."""

    unit: str
    """Unit id."""
    segments: list[str]
    """Segments it serves, sorted."""


class SegmentTotals(Frozen):
    """Counts over all segments."""

    segments: int
    """Segments."""
    with_team: int
    """Segments with a team."""
    with_value_tier: int
    """Segments with a value tier."""
    used: int
    """Segments with a journey or a goal."""
    customers: int
    """Customers in the segments that give a number."""
    shared_teams: int
    """Units that are the team of several segments."""
    journeys_owned_elsewhere: int
    """Journeys of a segment owned outside the segment's team."""


class SegmentSection(Section):
    """Result of the segment analysis."""

    totals: SegmentTotals
    """Counts."""
    segments: list[SegmentFigures]
    """Per segment, by id."""
    shared_teams: list[SharedTeam]
    """Teams of several segments, by unit."""
    units: list[UnitSegments]
    """Units serving at least one segment, by id."""

    def headline(self) -> list[str]:
        t = self.totals
        if not t.segments:
            return ["No segments."]
        return [
            f"{t.segments} segments ({t.customers:,} customers): {t.with_team} with a team, "
            f"{t.with_value_tier} with a value tier, {t.used} used by a journey or goal; "
            f"{t.shared_teams} shared team(s), {t.journeys_owned_elsewhere} journey(s) owned "
            "outside the segment's team.",
        ]

    def tables(self) -> list[Table]:
        segments = Table(
            "Segments",
            ("segment", "tier", "customers", "team", "journeys", "goals", "served by"),
            Rows(
                self.segments,
                lambda s: (
                    s.segment,
                    s.value_tier.value if s.value_tier else "-",
                    "-" if s.customers is None else f"{s.customers:,}",
                    s.team or "NONE",
                    ", ".join(s.journeys) or "-",
                    ", ".join(s.goals) or "-",
                    ", ".join(s.serving_units) or "-",
                ),
            ),
            numeric=frozenset({2}),
        )
        units = Table(
            "Units serving several segments",
            ("unit", "segments"),
            Rows(
                [u for u in self.units if len(u.segments) > 1],
                lambda u: (u.unit, ", ".join(u.segments)),
            ),
        )
        return [segments, units]


section: type[Section] = SegmentSection

# The rows are built without validation (unchecked): their fields are of their types.
_UNIT_SEGMENTS = unchecked(UnitSegments)
_SEGMENT_SECTION = unchecked(SegmentSection)


def journeys_by_segment(ent: Enterprise) -> dict[str, list[Journey]]:
    """The journeys of each segment (directly or through the persona), in document order."""
    persona_segment = {p.id: p.segment for p in ent.document.personas}
    out: dict[str, list[Journey]] = defaultdict(list)
    for journey in ent.document.journeys:
        seg = journey.segment
        if seg is None and journey.persona is not None:
            seg = persona_segment.get(journey.persona)
        if seg is not None:
            out[seg].append(journey)
    return out


def compute(ent: Enterprise, journeys: Sequence[str] | None = None) -> SegmentSection:
    """The segment figures of ``ent`` (always the whole document; ``journeys`` is ignored).

    The profile reads the result (it gets it as an argument).
    """
    doc = ent.document
    tree = ent.tree
    by_segment = journeys_by_segment(ent)
    goals: dict[str, list[str]] = defaultdict(list)
    for goal in doc.goals:
        goals[goal.holder].append(goal.id)
    teams: dict[str, list[str]] = defaultdict(list)
    serves: dict[str, set[str]] = defaultdict(set)
    figures = []
    for seg in doc.segments:
        mine = by_segment.get(seg.id, [])
        serving: set[str] = set()
        if seg.team is not None:
            teams[seg.team].append(seg.id)
            serving.add(seg.team)
        elsewhere = []
        for journey in mine:
            serving.update(s.unit for s in journey.steps)
            if journey.owner is not None:
                serving.add(journey.owner)
                if seg.team is not None and not tree.is_under(journey.owner, seg.team):
                    elsewhere.append(journey.id)
        for unit in serving:
            serves[unit].add(seg.id)
        own_goals = sorted(goals.get(seg.id, ()))
        figures.append(
            SegmentFigures(
                segment=seg.id,
                name=seg.name,
                value_tier=seg.value_tier,
                customers=seg.customers,
                team=seg.team,
                journeys=sorted(j.id for j in mine),
                goals=own_goals,
                used=bool(mine or own_goals),
                serving_units=sorted(serving),
                owned_elsewhere=sorted(elsewhere),
            )
        )
    figures.sort(key=lambda s: s.segment)
    shared = [
        SharedTeam(unit=u, segments=sorted(s)) for u, s in sorted(teams.items()) if len(s) > 1
    ]
    totals = SegmentTotals(
        segments=len(figures),
        with_team=sum(1 for s in figures if s.team),
        with_value_tier=sum(1 for s in figures if s.value_tier is not None),
        used=sum(1 for s in figures if s.used),
        customers=sum(s.customers or 0 for s in figures),
        shared_teams=len(shared),
        journeys_owned_elsewhere=sum(len(s.owned_elsewhere) for s in figures),
    )
    return _SEGMENT_SECTION(
        totals=totals,
        segments=figures,
        shared_teams=shared,
        units=[_UNIT_SEGMENTS(unit=u, segments=sorted(s)) for u, s in sorted(serves.items())],
    )


def run(ctx: AnalysisContext) -> SegmentSection:
    """Compute the segment figures and report the segment findings."""
    ent = ctx.enterprise
    doc = ent.document
    result = compute(ent)
    index = {s.id: i for i, s in enumerate(doc.segments)}
    journey_index = {j.id: i for i, j in enumerate(doc.journeys)}
    owners = {j.id: j.owner for j in doc.journeys}
    for s in result.segments:
        here = ("segments", index[s.segment])
        if s.team is None:
            ctx.report(
                NO_TEAM,
                f"segment '{s.segment}' has no team: nobody manages the "
                "relationship with its customers",
                here,
                (s.segment,),
            )
        if s.value_tier is None:
            ctx.report(
                NO_TIER, f"segment '{s.segment}' has no customer-value tier", here, (s.segment,)
            )
        if not s.used:
            ctx.report(
                NOT_USED,
                f"segment '{s.segment}' has no journey and no goal: developed but not used",
                here,
                (s.segment,),
            )
        for jid in s.owned_elsewhere:
            ctx.report(
                OWNED_ELSEWHERE,
                f"journey '{jid}' of segment '{s.segment}' is owned by "
                f"'{owners[jid]}', not by the segment's team '{s.team}'",
                ("journeys", journey_index[jid], "owner"),
                (jid, s.segment),
            )
    unit_index = ent.tree.index
    for t in result.shared_teams:
        ctx.report(
            SHARED_TEAM,
            f"unit '{t.unit}' is the team of {len(t.segments)} segments ({', '.join(t.segments)})",
            ("units", unit_index[t.unit]),
            (t.unit,),
        )
    return result
