"""Segment analysis against hand-computed figures (definitions: docs/metrics.md).

    board
    ├── cco (customer) ── team-a (customer) ── team-a-sub (customer)
    │                 └── team-b (customer)
    └── service ── hotline

Segments:
    s1  high       team-a   10 customers   journey j1 (owner hotline: owned elsewhere)
    s2  potential  team-a   20 customers   goal g2 only            -> team-a is shared
    s3  (no tier)  (none)   -              journey j2 via persona p3
    s4  low        team-b   5 customers    nothing                 -> not used
"""

from __future__ import annotations

import json

from orgmodel.analysis import analyze
from orgmodel.analysis.segments import compute, journeys_by_segment
from orgmodel.graph import build_enterprise
from orgmodel.loader import load_text

UNITS = [
    {"id": "board", "name": "Board", "kind": "board"},
    {"id": "cco", "name": "CCO", "kind": "executive", "layer": "customer", "parent": "board"},
    {"id": "team-a", "name": "Team A", "kind": "team", "layer": "customer", "parent": "cco"},
    {
        "id": "team-a-sub",
        "name": "Team A sub",
        "kind": "team",
        "layer": "customer",
        "parent": "team-a",
    },
    {"id": "team-b", "name": "Team B", "kind": "team", "layer": "customer", "parent": "cco"},
    {"id": "service", "name": "Service", "parent": "board"},
    {"id": "hotline", "name": "Hotline", "kind": "team", "parent": "service"},
]
SEGMENTS = [
    {"id": "s1", "name": "S1", "value_tier": "high", "team": "team-a", "customers": 10},
    {"id": "s2", "name": "S2", "value_tier": "potential", "team": "team-a", "customers": 20},
    {"id": "s3", "name": "S3"},
    {"id": "s4", "name": "S4", "value_tier": "low", "team": "team-b", "customers": 5},
]
PERSONAS = [{"id": "p3", "name": "P3", "segment": "s3"}]
JOURNEYS = [
    {
        "id": "j1",
        "name": "J1",
        "segment": "s1",
        "owner": "hotline",
        "steps": [{"name": "a", "unit": "team-a"}, {"name": "b", "unit": "hotline"}],
    },
    {
        "id": "j2",
        "name": "J2",
        "persona": "p3",
        "owner": "team-b",
        "steps": [{"name": "a", "unit": "hotline"}],
    },
]
GOALS = [
    {"id": "g2", "metric": "Value", "holder": "s2", "orientation": "customer", "kind": "value"}
]


def enterprise(
    segments: list | None = None,
    journeys: list | None = None,
    units: list | None = None,
    goals: list | None = None,
    personas: list | None = None,
):
    doc = {
        "orgmodel": "1",
        "name": "T",
        "units": units or UNITS,
        "segments": SEGMENTS if segments is None else segments,
        "personas": PERSONAS if personas is None else personas,
        "journeys": JOURNEYS if journeys is None else journeys,
        "goals": GOALS if goals is None else goals,
    }
    return build_enterprise(load_text(json.dumps(doc)))


def test_journeys_of_a_segment_include_those_of_its_persona() -> None:
    found = {s: [j.id for j in js] for s, js in journeys_by_segment(enterprise()).items()}
    assert found == {"s1": ["j1"], "s3": ["j2"]}


def test_segment_figures() -> None:
    section = compute(enterprise())
    rows = {
        s.segment: (s.team, s.journeys, s.goals, s.used, s.serving_units, s.owned_elsewhere)
        for s in section.segments
    }
    assert rows == {
        "s1": ("team-a", ["j1"], [], True, ["hotline", "team-a"], ["j1"]),
        "s2": ("team-a", [], ["g2"], True, ["team-a"], []),
        "s3": (None, ["j2"], [], True, ["hotline", "team-b"], []),
        "s4": ("team-b", [], [], False, ["team-b"], []),
    }
    t = section.totals
    assert (
        t.segments,
        t.with_team,
        t.with_value_tier,
        t.used,
        t.customers,
        t.shared_teams,
        t.journeys_owned_elsewhere,
    ) == (4, 3, 3, 3, 35, 1, 1)
    assert [(s.unit, s.segments) for s in section.shared_teams] == [("team-a", ["s1", "s2"])]
    assert [(u.unit, u.segments) for u in section.units] == [
        ("hotline", ["s1", "s3"]),
        ("team-a", ["s1", "s2"]),
        ("team-b", ["s3", "s4"]),
    ]


def test_segment_findings() -> None:
    report = analyze(enterprise())
    found = sorted(
        (f.code, f.json_path, f.message) for f in report.findings if f.code.startswith("M")
    )
    assert found == [
        (
            "M01",
            "$.segments[2]",
            "segment 's3' has no team: nobody manages the relationship with its customers",
        ),
        ("M02", "$.units[2]", "unit 'team-a' is the team of 2 segments (s1, s2)"),
        ("M03", "$.segments[2]", "segment 's3' has no customer-value tier"),
        ("M04", "$.segments[3]", "segment 's4' has no journey and no goal: developed but not used"),
        (
            "M05",
            "$.journeys[0].owner",
            "journey 'j1' of segment 's1' is owned by 'hotline', "
            "not by the segment's team 'team-a'",
        ),
    ]


def test_a_unit_under_the_team_may_own_the_segments_journey() -> None:
    journeys = [{**JOURNEYS[0], "owner": "team-a-sub"}, JOURNEYS[1]]
    section = compute(enterprise(journeys=journeys))
    assert section.totals.journeys_owned_elsewhere == 0


def test_a_goal_alone_makes_a_segment_used() -> None:
    goals = [
        *GOALS,
        {"id": "g4", "metric": "Cost", "holder": "s4", "orientation": "functional", "kind": "cost"},
    ]
    section = compute(enterprise(goals=goals))
    assert section.totals.used == 4


def test_no_segments() -> None:
    section = compute(enterprise(segments=[], journeys=[], goals=[], personas=[]))
    assert section.totals.segments == 0
    assert section.headline() == ["No segments."]


def test_section_does_not_depend_on_document_order() -> None:
    a = compute(enterprise())
    b = compute(
        enterprise(
            segments=list(reversed(SEGMENTS)),
            journeys=list(reversed(JOURNEYS)),
            units=list(reversed(UNITS)),
        )
    )
    assert a.model_dump() == b.model_dump()
