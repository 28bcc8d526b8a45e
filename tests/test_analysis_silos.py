"""Silo analysis against hand-computed figures (definitions: docs/metrics.md).

The organization used by most tests (depth in brackets; silos at depth 1):

    board [0]
    ├── sales [1]     ── field [2], inside [2]
    ├── service [1]   ── hotline [2], complaints [2]
    ├── finance [1]   ── billing [2] ── dunning [3]
    └── cco [1] (customer layer) ── seg [2] (customer), seg-b [2] (customer)

finance provides the service "invoice clarification" to seg.
"""

from __future__ import annotations

import json

import pytest

from orgmodel.analysis import analyze
from orgmodel.analysis.silos import journey_figures
from orgmodel.graph import build_enterprise
from orgmodel.loader import load_text

UNITS = [
    {"id": "board", "name": "Board", "kind": "board"},
    {"id": "sales", "name": "Sales", "parent": "board"},
    {"id": "field", "name": "Field sales", "parent": "sales", "kind": "team"},
    {"id": "inside", "name": "Inside sales", "parent": "sales", "kind": "team"},
    {"id": "service", "name": "Customer service", "parent": "board"},
    {"id": "hotline", "name": "Hotline", "parent": "service", "kind": "team"},
    {"id": "complaints", "name": "Complaints", "parent": "service", "kind": "team"},
    {"id": "finance", "name": "Finance", "parent": "board"},
    {"id": "billing", "name": "Billing", "parent": "finance", "kind": "team"},
    {"id": "dunning", "name": "Dunning", "parent": "billing", "kind": "team"},
    {
        "id": "cco",
        "name": "Chief Customer Officer",
        "parent": "board",
        "layer": "customer",
        "kind": "executive",
    },
    {"id": "seg", "name": "Business team", "parent": "cco", "layer": "customer", "kind": "team"},
    {"id": "seg-b", "name": "Family team", "parent": "cco", "layer": "customer", "kind": "team"},
]
SERVICES = [
    {"id": "svc-invoice", "name": "Invoice clarification", "provider": "finance", "consumer": "seg"}
]


def step(unit: str, *, wait: str = "0", work: str = "0", touch: bool = False) -> dict:
    return {
        "name": f"step at {unit}",
        "unit": unit,
        "wait": wait,
        "work": work,
        "touchpoint": touch,
    }


def enterprise(
    *journeys: dict, settings: dict | None = None, units: list | None = None, **extra: object
):
    doc = {
        "orgmodel": "1",
        "name": "Test",
        "units": units or UNITS,
        "services": SERVICES,
        "journeys": list(journeys),
        **extra,
    }
    if settings:
        doc["settings"] = settings
    return build_enterprise(load_text(json.dumps(doc)))


def journey(steps: list[dict], jid: str = "j", **fields: object) -> dict:
    return {"id": jid, "name": jid.upper(), "steps": steps, **fields}


def figures(*steps: dict, **fields: object):
    ent = enterprise(journey(list(steps), **fields))
    return journey_figures(ent, ent.document.journeys[0])


def test_one_step_journey_has_no_handoff_and_full_flow_efficiency() -> None:
    f = figures(step("hotline", work="10m"))
    assert (f.steps, f.handoffs, f.crossings, f.customer_handoffs, f.ping_pong) == (1, 0, 0, 0, 0)
    assert (f.work, f.wait, f.lead_time) == (600, 0, 600)
    assert f.flow_efficiency == 1.0
    assert f.max_height is None
    assert f.silo_path == ["service"]


def test_all_steps_in_one_unit_are_no_handoffs_even_at_touchpoints() -> None:
    f = figures(
        step("hotline", touch=True, work="5m"),
        step("hotline", wait="1h", work="5m"),
        step("hotline", touch=True, wait="2h", work="5m"),
    )
    assert (f.handoffs, f.crossings, f.customer_handoffs) == (0, 0, 0)
    assert f.waiting_at_handoffs == 0
    assert f.wait == 3 * 3600
    assert f.lead_time == 3 * 3600 + 15 * 60
    assert f.flow_efficiency == pytest.approx(900 / 11700)


def test_handoff_between_two_teams_of_one_department_is_not_a_crossing() -> None:
    f = figures(step("hotline"), step("complaints", wait="1d"))
    assert (f.handoffs, f.crossings) == (1, 0)
    assert f.waiting_at_handoffs == 86400
    assert f.units == 2 and f.silos == 1


def test_crossing_height_and_first_common_manager() -> None:
    # dunning is at depth 3, hotline at depth 2: they meet at the board, 3 levels up.
    f = figures(step("hotline"), step("dunning", wait="2d"))
    (c,) = f.crossing_list
    assert (c.from_silo, c.to_silo, c.manager, c.height) == ("service", "finance", "board", 3)
    assert c.step == 2 and c.wait == 2 * 86400
    assert f.max_height == 3


def test_unit_above_the_silo_level_is_a_silo_of_its_own() -> None:
    f = figures(step("hotline"), step("board", wait="1d"), step("hotline", wait="1h"))
    assert f.silo_path == ["service", "board", "service"]
    assert (f.handoffs, f.crossings, f.ping_pong) == (2, 2, 1)
    assert [(c.manager, c.height) for c in f.crossing_list] == [("board", 2), ("board", 2)]
    assert f.reentry_steps == [3]


def test_crossings_inside_the_owners_subtree_are_covered() -> None:
    # With silos at depth 2, the two segment teams are separate silos under the owner cco.
    ent = enterprise(
        journey([step("seg"), step("seg-b", wait="1h")], owner="cco"), settings={"silo_level": 2}
    )
    f = journey_figures(ent, ent.document.journeys[0])
    (c,) = f.crossing_list
    assert (c.from_silo, c.to_silo, c.manager, c.height, c.covered) == (
        "seg",
        "seg-b",
        "cco",
        1,
        True,
    )
    assert f.uncovered_crossings == 0


def test_declared_service_covers_the_provider_and_its_subtree() -> None:
    f = figures(
        step("seg", touch=True),
        step("billing", wait="1d"),
        step("dunning"),
        step("seg", touch=True, wait="4h"),
        owner="seg",
    )
    # seg -> billing (crossing, covered by service of finance), billing -> dunning (handoff in
    # one silo), dunning -> seg (crossing, covered).
    assert (f.handoffs, f.crossings, f.uncovered_crossings) == (3, 2, 0)
    assert f.customer_handoffs == 0


def test_unit_outside_owner_and_services_makes_the_crossing_uncovered() -> None:
    f = figures(step("hotline", touch=True), step("seg", touch=True, wait="1h"), owner="seg")
    (c,) = f.crossing_list
    assert not c.covered
    assert f.uncovered_crossings == 1
    assert f.customer_handoffs == 1 and f.passed_on_steps == [2]


def test_functional_owner_covers_nothing() -> None:
    f = figures(step("hotline"), step("billing"), owner="service")
    assert f.uncovered_crossings == 1


def test_customer_visible_handoffs_skip_back_office_steps() -> None:
    f = figures(
        step("hotline", touch=True),
        step("billing"),
        step("complaints", touch=True),
        step("complaints", touch=True),
        step("hotline", touch=True),
    )
    # touchpoints: hotline, complaints, complaints, hotline -> passed on twice (steps 3 and 5)
    assert f.customer_handoffs == 2
    assert f.passed_on_steps == [3, 5]


def test_waiting_at_handoffs_counts_only_waits_after_a_handoff() -> None:
    f = figures(
        step("hotline", wait="5m", work="10m"),
        step("hotline", wait="1h", work="10m"),
        step("billing", wait="1d", work="30m"),
        step("hotline", wait="4h", work="10m"),
    )
    assert f.waiting_at_handoffs == 86400 + 4 * 3600
    assert f.wait == 300 + 3600 + 86400 + 14400
    assert f.lead_time == f.wait + 60 * 60
    assert f.handoff_wait_share == pytest.approx((86400 + 14400) / f.lead_time)


def test_zero_lead_time_leaves_ratios_undefined() -> None:
    f = figures(step("hotline"), step("billing"))
    assert f.lead_time == 0
    assert f.flow_efficiency is None and f.handoff_wait_share is None


def test_ping_pong_counts_every_reentry() -> None:
    f = figures(
        step("hotline"), step("billing"), step("complaints"), step("dunning"), step("hotline")
    )
    assert f.silo_path == ["service", "finance", "service", "finance", "service"]
    assert f.ping_pong == 3 and f.reentry_steps == [3, 4, 5]


def test_volume_weighting() -> None:
    f = figures(
        step("hotline", touch=True),
        step("billing", wait="1h"),
        step("hotline", touch=True, wait="30m"),
        volume=250,
    )
    assert f.weighted is not None
    assert f.weighted.handoffs == 500 and f.weighted.crossings == 500
    assert f.weighted.uncovered_crossings == 500
    assert f.weighted.customer_handoffs == 0
    assert f.weighted.waiting_at_handoffs == 250 * 5400


def test_totals_matrix_and_silo_flows() -> None:
    ent = enterprise(
        journey(
            [
                step("hotline", touch=True),
                step("billing", wait="1d"),
                step("hotline", touch=True, wait="2h"),
            ],
            "invoice",
            volume=10,
        ),
        journey([step("field", touch=True), step("inside", wait="1h")], "sale"),
    )
    report = analyze(ent)
    section = report.section("silos")
    t = section.totals
    assert (t.journeys, t.steps, t.handoffs, t.crossings, t.uncovered_crossings) == (2, 5, 3, 2, 2)
    assert t.waiting_at_handoffs == 86400 + 7200 + 3600
    assert t.journeys_without_volume == 1
    assert t.weighted.crossings == 20
    assert [j.journey for j in section.journeys] == ["invoice", "sale"]
    cells = {(c.journey, c.silo): (c.steps, c.crossings_in) for c in section.matrix}
    assert cells == {
        ("invoice", "finance"): (1, 1),
        ("invoice", "service"): (2, 1),
        ("sale", "sales"): (2, 0),
    }
    silos = {s.id: s for s in section.silos}
    assert (silos["finance"].handoffs_in, silos["finance"].handoffs_out) == (1, 1)
    assert silos["finance"].wait_after_handoff == 86400
    assert (silos["service"].handoffs_in, silos["service"].handoffs_out) == (1, 1)
    units = {u.id: u for u in section.units}
    assert (units["inside"].handoffs_in, units["field"].handoffs_out) == (1, 1)


def test_unit_and_silo_flows_do_not_hand_off_between_journeys() -> None:
    # j1 ends at billing and j2 starts at hotline: that is no handoff, no crossing.
    ent = enterprise(
        journey([step("hotline"), step("billing", wait="1d")], "j1"),
        journey([step("hotline", wait="1h"), step("billing", wait="2h")], "j2"),
    )
    section = analyze(ent).section("silos")
    fields = ("journeys", "steps", "handoffs_in", "handoffs_out", "wait_before")
    rows = {u.id: (*(getattr(u, f) for f in fields), u.wait_after_handoff) for u in section.units}
    assert rows == {
        "billing": (2, 2, 2, 0, 86400 + 7200, 86400 + 7200),
        "hotline": (2, 2, 0, 2, 3600, 0),
    }
    silos = {s.id: (*(getattr(s, f) for f in fields), s.wait_after_handoff) for s in section.silos}
    assert silos == {
        "finance": (2, 2, 2, 0, 86400 + 7200, 86400 + 7200),
        "service": (2, 2, 0, 2, 3600, 0),
    }
    assert [(c.journey, c.silo, c.steps, c.crossings_in) for c in section.matrix] == [
        ("j1", "finance", 1, 1),
        ("j1", "service", 1, 0),
        ("j2", "finance", 1, 1),
        ("j2", "service", 1, 0),
    ]


def test_marked_silos_take_precedence_over_the_level() -> None:
    units = [dict(u) for u in UNITS]
    for u in units:
        if u["id"] in ("hotline", "complaints", "finance"):
            u["silo"] = True
    ent = enterprise(
        journey([step("hotline"), step("complaints"), step("dunning"), step("sales")]), units=units
    )
    f = journey_figures(ent, ent.document.journeys[0])
    # sales has no marked unit above it: it is a silo of its own.
    assert f.silo_path == ["hotline", "complaints", "finance", "sales"]
    assert f.crossings == 3


def test_first_common_manager_of_a_crossing_into_a_silo_inside_another() -> None:
    # finance (silo) > accounts > ledger, and accounts > billing (silo) > dunning: the
    # managers of the two silos meet at finance, the two units already at accounts.
    units = [dict(u) for u in UNITS] + [
        {"id": "accounts", "name": "Accounts", "parent": "finance"},
        {"id": "ledger", "name": "Ledger", "parent": "accounts", "kind": "team"},
    ]
    for u in units:
        if u["id"] in ("finance", "billing"):
            u["silo"] = True
        if u["id"] == "billing":
            u["parent"] = "accounts"
    ent = enterprise(
        journey([step("ledger"), step("dunning"), step("hotline")], jid="a"),
        journey([step("finance"), step("billing"), step("ledger"), step("dunning")], jid="b"),
        units=units,
    )
    expected = {
        # ledger [3] -> dunning [4] meet at accounts [2]; dunning -> hotline at the board.
        "a": [("accounts", 2), ("board", 4)],
        # finance [1] -> billing [3] at finance; billing -> ledger [3] and ledger -> dunning
        # [4] at accounts [2].
        "b": [("finance", 2), ("accounts", 1), ("accounts", 2)],
    }
    section = analyze(ent).section("silos")
    for j, ours in zip(ent.document.journeys, ("a", "b"), strict=True):
        alone = [(c.manager, c.height) for c in journey_figures(ent, j).crossing_list]
        assert alone == expected[ours]
    got = {j.journey: [(c.manager, c.height) for c in j.crossing_list] for j in section.journeys}
    assert got == expected


def codes(report) -> list[str]:
    return [f.code for f in report.findings]


def test_findings_of_a_functional_journey() -> None:
    ent = enterprise(
        journey(
            [
                step("hotline", touch=True, work="5m"),
                step("billing", wait="2d", work="10m"),
                step("hotline", touch=True, wait="1d", work="5m"),
                step("complaints", touch=True, work="5m"),
            ]
        )
    )
    report = analyze(ent)
    found = sorted(f.code for f in report.findings if f.code.startswith("J"))
    assert found == ["J01", "J01", "J02", "J04", "J05", "J06", "J07"]
    j01 = [f for f in report.findings if f.code == "J01"]
    assert [f.json_path for f in j01] == [
        "$.journeys[0].steps[1].unit",
        "$.journeys[0].steps[2].unit",
    ]
    assert len({f.fingerprint for f in report.findings}) == len(report.findings)


def test_owner_without_authority() -> None:
    ent = enterprise(journey([step("hotline"), step("complaints")], owner="seg-b"))
    report = analyze(ent)
    (f,) = [f for f in report.findings if f.code == "J03"]
    assert f.json_path == "$.journeys[0].owner"
    assert "seg-b" in f.message


def test_rule_settings_disable_and_override_severity() -> None:
    ent = enterprise(
        journey([step("hotline"), step("billing", wait="1d", work="1m")]),
        settings={"rules": {"J02": {"enabled": False}, "J01": {"severity": "error"}}},
    )
    report = analyze(ent)
    assert "J02" not in codes(report)
    assert {f.severity.value for f in report.findings if f.code == "J01"} == {"error"}
    assert report.findings[0].code == "J01"  # errors come first


def test_flow_efficiency_threshold_is_configurable() -> None:
    steps = [step("hotline", work="1h"), step("hotline", wait="3h", work="0")]
    # flow efficiency 1h / 4h = 25 %
    assert "J07" not in codes(analyze(enterprise(journey(steps))))
    strict = enterprise(journey(steps), settings={"thresholds": {"flow_efficiency_min": 0.3}})
    assert "J07" in codes(analyze(strict))


def test_journey_filter_limits_the_analysis() -> None:
    ent = enterprise(journey([step("hotline")], "a"), journey([step("billing")], "b"))
    report = analyze(ent, journeys=["b"])
    assert [j.journey for j in report.section("silos").journeys] == ["b"]


def test_findings_are_located_in_the_source_text() -> None:
    doc = {
        "orgmodel": "1",
        "name": "T",
        "units": UNITS,
        "journeys": [journey([step("hotline"), step("billing")])],
    }
    text = json.dumps(doc, indent=2)
    ent = build_enterprise(load_text(text))
    report = analyze(ent, source_text=text)
    (f,) = [f for f in report.findings if f.code == "J01"]
    lines = text.splitlines()
    assert lines[f.line - 1][f.column - 1 :].startswith('"billing"')


def test_report_is_identical_when_units_and_goals_are_reordered() -> None:
    goals = [
        {
            "id": "g1",
            "metric": "Cost per call",
            "holder": "hotline",
            "orientation": "functional",
            "kind": "cost",
        },
        {
            "id": "g2",
            "metric": "NPS",
            "holder": "seg",
            "orientation": "customer",
            "kind": "loyalty",
        },
    ]
    j = journey(
        [
            step("hotline", touch=True),
            step("billing", wait="1d"),
            step("seg", touch=True, wait="1h"),
        ],
        owner="seg",
        volume=3,
    )
    a = analyze(enterprise(j, goals=goals))
    b = analyze(enterprise(j, goals=list(reversed(goals)), units=list(reversed(UNITS))))
    assert a.sections.model_dump() == b.sections.model_dump()
    # Findings are listed in document order, so only their set is independent of it.
    assert sorted(f.fingerprint for f in a.findings) == sorted(f.fingerprint for f in b.findings)


def test_top_escalation_counts_only_uncovered_crossings() -> None:
    covered = enterprise(
        journey([step("seg"), step("billing", wait="1d"), step("seg")], owner="seg")
    )
    assert "J06" not in codes(analyze(covered))
    mixed = enterprise(journey([step("seg"), step("billing"), step("hotline")], owner="seg"))
    (f,) = [f for f in analyze(mixed).findings if f.code == "J06"]
    assert f.message == (
        "journey 'j': 1 of 1 uncovered silo crossings can only be escalated to the top ('board')"
    )


def test_a_customer_team_inside_a_functional_department_covers_nothing() -> None:
    """The disputed case of the one overlay rule (`Enterprise.in_overlay`): cx is in the
    customer layer but inside the functional department service. finance serves cx, so by
    subtree and service cx would cover cx -> billing; but cx is not in the overlay, so the
    crossing is uncovered (J01), and cx as the owner is outside the overlay (L03): both
    families agree."""
    units = [
        *UNITS,
        {
            "id": "cx",
            "name": "Customer team",
            "parent": "service",
            "layer": "customer",
            "kind": "team",
        },
    ]
    services = [{"id": "svc-cx", "name": "Billing for cx", "provider": "finance", "consumer": "cx"}]
    doc = {
        "orgmodel": "1",
        "name": "Test",
        "units": units,
        "services": services,
        "journeys": [journey([step("cx"), step("billing")], owner="cx")],
    }
    ent = build_enterprise(load_text(json.dumps(doc)))
    assert not ent.in_overlay("cx") and ent.functional_above("cx") == "service"
    assert ent.in_overlay("seg") and ent.functional_above("seg") is None
    assert ent.covers("cx", "billing")  # by the service: covering alone is not enough
    f = journey_figures(ent, ent.document.journeys[0])
    (c,) = f.crossing_list
    assert (c.from_silo, c.to_silo, c.covered) == ("service", "finance", False)
    assert f.uncovered_crossings == 1
    report = analyze(ent)
    (j01,) = [x for x in report.findings if x.code == "J01"]
    assert j01.json_path == "$.journeys[0].steps[1].unit"
    assert "owner 'cx' is in the customer layer but inside functional unit 'service'" in (
        j01.message
    )
    (l03,) = [x for x in report.findings if x.code == "L03"]
    assert l03.message == (
        "owner 'cx' of journey 'j' is in the customer layer but inside functional unit 'service'"
    )
    ownership = report.section("layers").ownership
    assert (ownership.journeys_overlay_owned, ownership.owned_steps) == (0, 0)
