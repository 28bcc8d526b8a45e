"""Three-layer structure against hand-computed figures (definitions: docs/metrics.md).

The organization used by most tests (depth in brackets):

    board [0] (board; accountable for business-support)
    ├── cco [1] (executive, customer layer; accountable for customer)
    │   ├── seg-a [2] (customer)
    │   └── seg-b [2] (customer)
    ├── service [1] (functional)
    │   ├── hotline [2]
    │   └── cx-team [2] (customer layer, but inside the functional department)
    ├── finance [1] ── billing [2]
    └── ops [1] (department; declares manufacturing, but is not on the board)

finance provides the service "invoice clarification" to seg-a.
"""

from __future__ import annotations

import json

from orgmodel.analysis import analyze
from orgmodel.analysis.layers import board_units, compute
from orgmodel.graph import build_enterprise
from orgmodel.loader import load_text
from orgmodel.model import Accountability

UNITS = [
    {"id": "board", "name": "Board", "kind": "board", "accountable_for": ["business-support"]},
    {
        "id": "cco",
        "name": "CCO",
        "kind": "executive",
        "layer": "customer",
        "parent": "board",
        "accountable_for": ["customer"],
    },
    {"id": "seg-a", "name": "Segment A", "kind": "team", "layer": "customer", "parent": "cco"},
    {"id": "seg-b", "name": "Segment B", "kind": "team", "layer": "customer", "parent": "cco"},
    {"id": "service", "name": "Service", "parent": "board"},
    {"id": "hotline", "name": "Hotline", "kind": "team", "parent": "service"},
    {"id": "cx-team", "name": "CX team", "kind": "team", "layer": "customer", "parent": "service"},
    {"id": "finance", "name": "Finance", "parent": "board"},
    {"id": "billing", "name": "Billing", "kind": "team", "parent": "finance"},
    {"id": "ops", "name": "Operations", "parent": "board", "accountable_for": ["manufacturing"]},
]
SERVICES = [
    {"id": "svc", "name": "Invoice clarification", "provider": "finance", "consumer": "seg-a"}
]


def step(unit: str, touch: bool = False) -> dict:
    return {"name": f"at {unit}", "unit": unit, "touchpoint": touch}


# j1: owner seg-a (overlay), 6 steps: seg-a*, billing, hotline*, seg-b, hotline, seg-a*
#     (* touchpoint). Owned: seg-a, billing (service of finance), seg-a = 3 of 6.
#     hotline (functional, steps 3 and 5) is not covered: missing internal service.
#     seg-b (customer layer) is not covered either, but is no functional unit.
J1 = {
    "id": "j1",
    "name": "J1",
    "owner": "seg-a",
    "volume": 100,
    "steps": [
        step("seg-a", True),
        step("billing"),
        step("hotline", True),
        step("seg-b"),
        step("hotline"),
        step("seg-a", True),
    ],
}
# j2: owner hotline (functional): nothing owned from the overlay.
J2 = {
    "id": "j2",
    "name": "J2",
    "owner": "hotline",
    "volume": 300,
    "steps": [step("hotline", True), step("billing"), step("hotline"), step("hotline")],
}
# j3: owner cco, no volume: both steps are in cco's subtree.
J3 = {"id": "j3", "name": "J3", "owner": "cco", "steps": [step("seg-b", True), step("seg-b")]}


def enterprise(
    *journeys: dict, units: list | None = None, services: list | None = None, **extra: object
):
    doc = {
        "orgmodel": "1",
        "name": "T",
        "units": units if units is not None else UNITS,
        "services": SERVICES if services is None else services,
        "journeys": list(journeys),
        **extra,
    }
    return build_enterprise(load_text(json.dumps(doc)))


def findings(ent, prefix: str = "L") -> list:
    return [f for f in analyze(ent).findings if f.code.startswith(prefix)]


def test_board_is_the_top_and_executives_directly_below() -> None:
    ent = enterprise()
    assert board_units(ent) == ["board", "cco"]


def test_board_areas_and_declarations_below_the_board() -> None:
    section = compute(enterprise())
    covers = {a.area: (a.board, a.below_board) for a in section.areas}
    assert covers[Accountability.CUSTOMER] == (["cco"], [])
    assert covers[Accountability.BUSINESS_SUPPORT] == (["board"], [])
    assert covers[Accountability.MANUFACTURING] == ([], ["ops"])
    assert section.missing_areas == [
        Accountability.MARKET,
        Accountability.INNOVATION,
        Accountability.MANUFACTURING,
    ]
    assert [(s.unit, s.kind, s.accountable_for) for s in section.board] == [
        ("board", "board", [Accountability.BUSINESS_SUPPORT]),
        ("cco", "executive", [Accountability.CUSTOMER]),
    ]


def test_board_findings_one_per_missing_area() -> None:
    found = findings(enterprise())
    by_code = sorted((f.code, f.message) for f in found if f.code in ("L01", "L02"))
    assert by_code == [
        ("L01", "nobody on the board (board, cco) is accountable for market"),
        ("L02", "nobody on the board (board, cco) is accountable for innovation"),
        (
            "L02",
            "nobody on the board (board, cco) is accountable for manufacturing "
            "(declared below the board by ops)",
        ),
    ]
    assert {f.json_path for f in found if f.code in ("L01", "L02")} == {"$.units[0]"}


def test_a_document_without_accountabilities_misses_all_five_areas() -> None:
    units = [{k: v for k, v in u.items() if k != "accountable_for"} for u in UNITS]
    codes = sorted(f.code for f in findings(enterprise(units=units)))
    assert codes == ["L01", "L01", "L02", "L02", "L02"]


def test_overlay_membership() -> None:
    ent = enterprise()
    assert [u for u in ent.units if ent.in_overlay(u)] == ["cco", "seg-a", "seg-b"]
    assert ent.functional_above("cx-team") == "service"
    assert ent.functional_above("seg-a") is None  # cco is in the customer layer
    assert ent.functional_above("cco") is None  # the top unit does not count
    assert not ent.in_overlay(None)


def test_coverage_by_subtree_and_by_service() -> None:
    ent = enterprise()
    assert ent.covers("seg-a", "seg-a")
    assert ent.covers("seg-a", "billing")  # under finance, which serves seg-a
    assert ent.covers("seg-a", "finance")
    assert not ent.covers("seg-a", "hotline")
    assert not ent.covers("seg-a", "seg-b")
    assert ent.covers("cco", "seg-b")


def test_coverage_and_overlay_in_bulk() -> None:
    # covers_of and overlay_of give what covers and in_overlay give (hand-checked above),
    # in any order of asking; one memo per owner.
    ent = enterprise()
    units = list(ent.units)
    seg_a = ent.covers_of("seg-a")
    asked = ["hotline", "seg-a", "billing", "seg-b", "finance", "billing"]
    assert list(map(seg_a.__getitem__, asked)) == [False, True, True, False, True, True]
    assert ent.covers_of("seg-a") is seg_a and ent.covers("seg-a", "billing")
    assert ent.covers_of("cco")["seg-b"]
    fresh = enterprise()
    assert [fresh.overlay_of[u] for u in units] == [ent.in_overlay(u) for u in units]
    assert [u for u in units if fresh.overlay_of[u]] == ["cco", "seg-a", "seg-b"]


def test_owners_outside_the_overlay() -> None:
    segments = [
        {"id": "s1", "name": "S1", "team": "hotline"},
        {"id": "s2", "name": "S2", "team": "seg-a"},
    ]
    j = {"id": "j", "name": "J", "owner": "cx-team", "steps": [step("cx-team")]}
    ent = enterprise(j, segments=segments)
    section = compute(ent)
    assert [(p.kind, p.id, p.owner, p.in_overlay, p.inside) for p in section.placements] == [
        ("journey", "j", "cx-team", False, "service"),
        ("segment", "s1", "hotline", False, "service"),
        ("segment", "s2", "seg-a", True, None),
    ]
    found = sorted((f.json_path, f.message) for f in findings(ent) if f.code == "L03")
    assert found == [
        (
            "$.journeys[0].owner",
            "owner 'cx-team' of journey 'j' is in the customer layer but inside functional unit "
            "'service'",
        ),
        ("$.segments[0].team", "team 'hotline' of segment 's1' is in the functional layer"),
    ]


def test_missing_internal_service() -> None:
    ent = enterprise(J1)
    (m,) = compute(ent).missing_services
    assert (m.journey, m.owner, m.unit, m.steps) == ("j1", "seg-a", "hotline", [3, 5])
    (f,) = [f for f in findings(ent) if f.code == "L04"]
    assert f.json_path == "$.journeys[0].steps[2].unit"
    assert f.message == (
        "journey 'j1': functional unit 'hotline' performs step(s) 3, 5 but "
        "provides no declared internal service to the owner 'seg-a'"
    )


def test_declaring_the_service_resolves_the_finding() -> None:
    services = [
        *SERVICES,
        {"id": "svc2", "name": "Calls", "provider": "service", "consumer": "seg-a"},
    ]
    ent = enterprise(J1, services=services)
    assert compute(ent).missing_services == []
    assert compute(ent).journeys[0].owned_steps == 5  # all but seg-b


def test_functional_owner_is_not_checked_for_services() -> None:
    assert compute(enterprise(J2)).missing_services == []


def test_ownership_shares() -> None:
    section = compute(enterprise(J1, J2, J3))
    per = {
        j.journey: (
            j.owner_in_overlay,
            j.steps,
            j.owned_steps,
            j.touchpoints,
            j.touchpoints_in_overlay,
        )
        for j in section.journeys
    }
    assert per == {"j1": (True, 6, 3, 3, 2), "j2": (False, 4, 0, 1, 0), "j3": (True, 2, 2, 1, 1)}
    o = section.ownership
    assert (o.journeys, o.journeys_overlay_owned, o.steps, o.owned_steps) == (3, 2, 12, 5)
    assert o.journey_share == 2 / 3
    assert o.step_share == 5 / 12
    # Volume-weighted: j1 100 x 6 steps, 100 x 3 owned; j2 300 x 4 steps, 0 owned; j3 has no
    # volume. 300 / 1800.
    assert (o.volume_steps, o.owned_volume_steps) == (1800, 300)
    assert o.volume_share == 1 / 6
    assert (o.touchpoints, o.touchpoints_in_overlay, o.touchpoint_share) == (5, 3, 0.6)


def test_shares_are_undefined_without_journeys() -> None:
    o = compute(enterprise()).ownership
    assert (o.journey_share, o.step_share, o.volume_share, o.touchpoint_share) == (
        None,
        None,
        None,
        None,
    )


def test_journey_filter() -> None:
    section = compute(enterprise(J1, J2, J3), ["j2"])
    assert [j.journey for j in section.journeys] == ["j2"]
    assert section.ownership.steps == 4


def test_fingerprints_use_ids_only() -> None:
    a = {f.code: f.fingerprint for f in findings(enterprise(J1)) if f.code == "L04"}
    moved = {**J1, "description": "moved"}
    units = [*UNITS[5:], *UNITS[:5]]
    b = {
        f.code: f.fingerprint
        for f in findings(enterprise(J2, moved, units=units))
        if f.code == "L04"
    }
    assert a == b


def test_section_does_not_depend_on_document_order() -> None:
    segments = [
        {"id": "s1", "name": "S1", "team": "hotline"},
        {"id": "s2", "name": "S2", "team": "seg-a"},
    ]
    a = compute(enterprise(J1, J2, J3, segments=segments))
    b = compute(
        enterprise(J3, J2, J1, units=list(reversed(UNITS)), segments=list(reversed(segments)))
    )
    assert a.model_dump() == b.model_dump()
