"""Goal analysis against hand-computed figures (definitions: docs/metrics.md).

    board
    ├── service ── hotline, complaints
    ├── finance ── billing
    └── cco (customer) ── seg-team (customer)

The conflict example (journey "inv": hotline* -> billing -> complaints*, * = touchpoint):

    goal       holder      orientation  kind          steers on "inv"
    aht        hotline     functional   speed         hotline
    cpc        service     functional   cost          hotline, complaints
    csat       service     customer     satisfaction  hotline, complaints
    bill-cost  billing     functional   cost          billing
    fcr        complaints  customer     resolution    complaints

aht pulls against csat and fcr (it steers hotline only); bill-cost against csat and fcr;
cpc only against fcr: cpc and csat steer the same two units, a trade-off inside them.
"""

from __future__ import annotations

import hashlib
import json

from orgmodel.analysis import analyze
from orgmodel.analysis.goals import CONFLICTS, Steering, compute
from orgmodel.graph import build_enterprise
from orgmodel.loader import load_text
from orgmodel.model import GoalKind

UNITS = [
    {"id": "board", "name": "Board", "kind": "board"},
    {"id": "service", "name": "Service", "parent": "board"},
    {"id": "hotline", "name": "Hotline", "kind": "team", "parent": "service"},
    {"id": "complaints", "name": "Complaints", "kind": "team", "parent": "service"},
    {"id": "finance", "name": "Finance", "parent": "board"},
    {"id": "billing", "name": "Billing", "kind": "team", "parent": "finance"},
    {"id": "cco", "name": "CCO", "kind": "executive", "layer": "customer", "parent": "board"},
    {
        "id": "seg-team",
        "name": "Segment team",
        "kind": "team",
        "layer": "customer",
        "parent": "cco",
    },
]


def goal(gid: str, holder: str, orientation: str, kind: str) -> dict:
    return {"id": gid, "metric": gid, "holder": holder, "orientation": orientation, "kind": kind}


GOALS = [
    goal("aht", "hotline", "functional", "speed"),
    goal("cpc", "service", "functional", "cost"),
    goal("csat", "service", "customer", "satisfaction"),
    goal("bill-cost", "billing", "functional", "cost"),
    goal("fcr", "complaints", "customer", "resolution"),
]
INV = {
    "id": "inv",
    "name": "Invoice question",
    "steps": [
        {"name": "a", "unit": "hotline", "touchpoint": True},
        {"name": "b", "unit": "billing"},
        {"name": "c", "unit": "complaints", "touchpoint": True},
    ],
}


def enterprise(*journeys: dict, goals: list | None = None, **extra: object):
    doc = {
        "orgmodel": "1",
        "name": "T",
        "units": extra.pop("units", UNITS),
        "journeys": list(journeys),
        "goals": GOALS if goals is None else goals,
        **extra,
    }
    return build_enterprise(load_text(json.dumps(doc)))


def codes(ent, prefix: str = "G") -> list[str]:
    return sorted(f.code for f in analyze(ent).findings if f.code.startswith(prefix))


def test_steering_inherits_from_departments_but_not_from_the_top() -> None:
    goals = [
        *GOALS,
        goal("company", "board", "customer", "value"),
        goal("seg-value", "s", "customer", "value"),
        goal("j-fcr", "j", "customer", "resolution"),
    ]
    journey = {
        "id": "j",
        "name": "J",
        "owner": "seg-team",
        "steps": [{"name": "a", "unit": "seg-team"}],
    }
    ent = enterprise(journey, goals=goals, segments=[{"id": "s", "name": "S", "team": "seg-team"}])
    steering = Steering(ent)
    assert [g.id for g in steering.goals_of("hotline")] == ["aht", "cpc", "csat"]
    assert [g.id for g in steering.goals_of("service")] == ["cpc", "csat"]
    assert [g.id for g in steering.goals_of("board")] == ["company"]
    assert [g.id for g in steering.goals_of("seg-team")] == ["j-fcr", "seg-value"]
    assert [g.id for g in steering.goals_of("cco")] == []
    # The holders whose goals steer a unit: itself and those above it below the top, those
    # that hold goals; the top holds only for itself. Asked bottom up and top down alike.
    expected = {
        "hotline": ("hotline", "service"),
        "service": ("service",),
        "board": ("board",),
        "seg-team": ("seg-team",),
        "cco": (),
    }
    assert {u: Steering(ent).holders_above(u) for u in expected} == expected
    assert {u: Steering(ent).holders_above(u) for u in reversed(expected)} == expected
    both = Steering(ent)
    assert [both.holders_above(u) for u in ("service", "hotline", "board")] == [
        expected["service"],
        expected["hotline"],
        expected["board"],
    ]


def test_conflicts_of_the_worked_example() -> None:
    section = compute(enterprise(INV))
    got = [
        (c.journey, c.goal, c.kind, c.units, c.against, c.against_units) for c in section.conflicts
    ]
    assert got == [
        ("inv", "aht", GoalKind.SPEED, ["hotline"], ["csat", "fcr"], ["complaints", "hotline"]),
        (
            "inv",
            "bill-cost",
            GoalKind.COST,
            ["billing"],
            ["csat", "fcr"],
            ["complaints", "hotline"],
        ),
        ("inv", "cpc", GoalKind.COST, ["complaints", "hotline"], ["fcr"], ["complaints"]),
    ]
    assert (section.totals.conflicts, section.totals.journeys_with_conflicts) == (3, 1)
    found = [f for f in analyze(enterprise(INV)).findings if f.code == "G06"]
    assert sorted(f.json_path for f in found) == ["$.goals[0]", "$.goals[1]", "$.goals[3]"]
    aht = next(f for f in found if f.json_path == "$.goals[0]")
    assert aht.message == (
        "journey 'inv': functional speed goal 'aht' (steering hotline) pulls "
        "against customer goal(s) csat, fcr (steering complaints, hotline)"
    )


def test_conflicts_of_several_journeys_keep_journey_goal_and_message_together() -> None:
    # "bill": billing -> complaints. bill-cost (billing) pulls against fcr (complaints) and
    # csat (service, steering complaints here); cpc steers complaints only, as csat and fcr
    # do: no conflict. Journeys by id: bill before inv.
    bill = {
        "id": "bill",
        "name": "Bill",
        "steps": [{"name": "a", "unit": "billing"}, {"name": "b", "unit": "complaints"}],
    }
    ent = enterprise(INV, bill)
    section = compute(ent)
    assert [(c.journey, c.goal) for c in section.conflicts] == [
        ("bill", "bill-cost"),
        ("inv", "aht"),
        ("inv", "bill-cost"),
        ("inv", "cpc"),
    ]
    first = section.conflicts[0]
    assert (first.units, first.against, first.against_units) == (
        ["billing"],
        ["csat", "fcr"],
        ["complaints"],
    )
    assert (section.totals.conflicts, section.totals.journeys_with_conflicts) == (4, 2)
    found = {f.fingerprint: f for f in analyze(ent).findings if f.code == "G06"}
    key = hashlib.sha256(b"G06\x1fbill\x1fbill-cost").hexdigest()[:16]
    assert len(found) == 4 and found[key].json_path == "$.goals[3]"
    assert found[key].message == (
        "journey 'bill': functional cost goal 'bill-cost' (steering billing) pulls against "
        "customer goal(s) csat, fcr (steering complaints)"
    )


def test_goals_steering_the_same_units_do_not_conflict() -> None:
    goals = [
        goal("cpc", "service", "functional", "cost"),
        goal("csat", "service", "customer", "satisfaction"),
    ]
    assert compute(enterprise(INV, goals=goals)).conflicts == []


def test_kinds_outside_the_table_do_not_conflict() -> None:
    goals = [
        goal("rev", "hotline", "functional", "revenue"),
        goal("qual", "billing", "functional", "quality"),
        goal("util", "billing", "functional", "utilization"),
        goal("val", "complaints", "customer", "value"),
    ]
    # utilization pulls against speed, resolution and satisfaction, not against value.
    assert compute(enterprise(INV, goals=goals)).conflicts == []
    assert {row.functional for row in CONFLICTS} == {
        GoalKind.COST,
        GoalKind.SPEED,
        GoalKind.UTILIZATION,
    }


def test_a_customer_speed_goal_is_no_functional_goal() -> None:
    goals = [
        goal("fast", "hotline", "customer", "speed"),
        goal("fcr", "complaints", "customer", "resolution"),
    ]
    assert compute(enterprise(INV, goals=goals)).conflicts == []


def test_the_owner_is_on_the_journey_and_other_journeys_goals_are_left_out() -> None:
    goals = [
        goal("aht", "hotline", "functional", "speed"),
        goal("inv-fcr", "inv", "customer", "resolution"),
        goal("other-sat", "other", "customer", "satisfaction"),
    ]
    inv = {**INV, "owner": "seg-team"}
    other = {
        "id": "other",
        "name": "Other",
        "owner": "seg-team",
        "steps": [{"name": "x", "unit": "seg-team"}],
    }
    (c,) = compute(enterprise(inv, other, goals=goals)).conflicts
    # seg-team does not perform a step of inv, but owns it: steered there by inv-fcr only.
    assert (c.journey, c.goal, c.against, c.against_units) == (
        "inv",
        "aht",
        ["inv-fcr"],
        ["seg-team"],
    )


def test_journey_and_segment_without_customer_goal() -> None:
    goals = [
        goal("cost", "inv", "functional", "cost"),
        goal("csat", "service", "customer", "satisfaction"),
    ]
    ent = enterprise(INV, goals=goals, segments=[{"id": "s", "name": "S"}])
    report = analyze(ent)
    found = sorted(
        (f.code, f.json_path, f.message) for f in report.findings if f.code in ("G01", "G02")
    )
    assert found == [
        ("G01", "$.journeys[0]", "journey 'inv' holds no customer goal (only cost)"),
        ("G02", "$.segments[0]", "segment 's' holds no customer goal"),
    ]


def test_touchpoint_units_with_functional_goals_only() -> None:
    goals = [
        goal("bill-cost", "billing", "functional", "cost"),
        goal("aht", "hotline", "functional", "speed"),
        goal("fcr", "complaints", "customer", "resolution"),
    ]
    steps = [
        {"name": "a", "unit": "hotline", "touchpoint": True},
        {"name": "b", "unit": "billing", "touchpoint": True},
        {"name": "c", "unit": "complaints", "touchpoint": True},
        {"name": "d", "unit": "seg-team", "touchpoint": True},
        {"name": "e", "unit": "hotline", "touchpoint": True},
    ]
    ent = enterprise({"id": "j", "name": "J", "steps": steps}, goals=goals)
    section = compute(ent)
    assert [
        (u.unit, u.touchpoints, u.goals, u.customer_goals) for u in section.touchpoint_units
    ] == [
        ("billing", 1, ["bill-cost"], []),
        ("complaints", 1, ["fcr"], ["fcr"]),
        ("hotline", 2, ["aht"], []),
        ("seg-team", 1, [], []),
    ]
    t = section.totals
    assert (
        t.touchpoint_units,
        t.touchpoint_units_with_customer_goal,
        t.touchpoint_units_without_goals,
    ) == (3, 1, 1)
    found = sorted((f.json_path, f.message) for f in analyze(ent).findings if f.code == "G03")
    assert found == [
        (
            "$.units[2]",
            "unit 'hotline' performs 2 touchpoint step(s) but is steered by "
            "functional goals only (aht)",
        ),
        (
            "$.units[5]",
            "unit 'billing' performs 1 touchpoint step(s) but is steered by "
            "functional goals only (bill-cost)",
        ),
    ]


def test_an_inherited_customer_goal_counts() -> None:
    goals = [
        goal("aht", "hotline", "functional", "speed"),
        goal("csat", "service", "customer", "satisfaction"),
    ]
    assert "G03" not in codes(enterprise(INV, goals=goals))


def test_satisfaction_without_loyalty() -> None:
    sat = [
        goal("csat", "service", "customer", "satisfaction"),
        goal("nps", "complaints", "functional", "loyalty"),
    ]
    found = [f for f in analyze(enterprise(goals=sat)).findings if f.code == "G04"]
    assert [(f.json_path, f.message) for f in found] == [
        (
            "$.goals[0]",
            "1 customer goal(s) measure satisfaction (e.g. 'csat'), none measures "
            "loyalty, retention or customer value",
        )
    ]
    for kind in ("loyalty", "retention", "value"):
        fixed = [*sat, goal("x", "seg-team", "customer", kind)]
        assert "G04" not in codes(enterprise(goals=fixed))
    assert "G04" not in codes(enterprise(goals=[]))


def test_customer_goals_in_one_place() -> None:
    one = [
        goal("csat", "service", "customer", "satisfaction"),
        goal("nps", "service", "customer", "loyalty"),
        goal("aht", "hotline", "functional", "speed"),
    ]
    (f,) = [f for f in analyze(enterprise(goals=one)).findings if f.code == "G05"]
    assert (f.json_path, f.message) == (
        "$.units[1]",
        "all 2 customer goal(s) are held by 'service' alone",
    )
    (f,) = [f for f in analyze(enterprise(goals=one[2:])).findings if f.code == "G05"]
    assert (f.json_path, f.message) == ("$.goals", "none of the 1 goal(s) is a customer goal")
    (f,) = [f for f in analyze(enterprise(goals=[])).findings if f.code == "G05"]
    assert f.message == "the document has no goals, so no customer goal"
    two = [*one, goal("fcr", "inv", "customer", "resolution")]
    assert "G05" not in codes(enterprise(INV, goals=two))


def test_totals() -> None:
    t = compute(enterprise(INV)).totals
    assert (t.goals, t.customer_goals, t.customer_share) == (5, 2, 0.4)
    assert t.customer_kinds == {GoalKind.SATISFACTION: 1, GoalKind.RESOLUTION: 1}
    assert t.customer_holders == ["complaints", "service"]
    assert (t.loyalty_goals, t.satisfaction_goals) == (0, 1)
    assert (t.journeys, t.journeys_with_customer_goal) == (1, 0)


def test_journey_filter_limits_journey_figures_only() -> None:
    other = {
        "id": "other",
        "name": "Other",
        "steps": [{"name": "x", "unit": "billing", "touchpoint": True}],
    }
    section = compute(enterprise(INV, other), ["other"])
    assert [h.id for h in section.journeys] == ["other"]
    assert section.conflicts == []
    assert [u.unit for u in section.touchpoint_units] == ["billing"]
    assert section.totals.goals == 5


def test_section_does_not_depend_on_document_order() -> None:
    other = {
        "id": "other",
        "name": "Other",
        "owner": "seg-team",
        "steps": [
            {"name": "x", "unit": "billing", "touchpoint": True},
            {"name": "y", "unit": "hotline"},
        ],
    }
    a = compute(enterprise(INV, other))
    b = compute(enterprise(other, INV, goals=list(reversed(GOALS)), units=list(reversed(UNITS))))
    assert a.model_dump() == b.model_dump()
