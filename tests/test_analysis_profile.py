"""The customer-centricity profile: figures with definitions, verdicts per area.

The small organization:

    board (accountable for market, innovation, business-support, manufacturing)
    ├── cco (executive, customer; accountable for customer) ── seg (customer)
    └── service ── hotline

One segment s (tier high, team seg), one journey j (segment s, owner seg):
seg* -> hotline* (* touchpoint). Goals: s-ret (s, customer retention),
aht (hotline, functional speed).
"""

from __future__ import annotations

import json

from orgmodel.analysis import analyze
from orgmodel.analysis.figures import AREAS, SIGNALS
from orgmodel.analysis.profile import compute
from orgmodel.graph import build_enterprise
from orgmodel.loader import load_text

UNITS = [
    {
        "id": "board",
        "name": "Board",
        "kind": "board",
        "accountable_for": ["market", "innovation", "business-support", "manufacturing"],
    },
    {
        "id": "cco",
        "name": "CCO",
        "kind": "executive",
        "layer": "customer",
        "parent": "board",
        "accountable_for": ["customer"],
    },
    {"id": "seg", "name": "Segment team", "kind": "team", "layer": "customer", "parent": "cco"},
    {"id": "service", "name": "Service", "parent": "board"},
    {"id": "hotline", "name": "Hotline", "kind": "team", "parent": "service"},
]
JOURNEY = {
    "id": "j",
    "name": "J",
    "segment": "s",
    "owner": "seg",
    "volume": 10,
    "steps": [
        {"name": "a", "unit": "seg", "touchpoint": True},
        {"name": "b", "unit": "hotline", "touchpoint": True},
    ],
}
GOALS = [
    {
        "id": "s-ret",
        "metric": "Retention",
        "holder": "s",
        "orientation": "customer",
        "kind": "retention",
    },
    {
        "id": "aht",
        "metric": "Handle time",
        "holder": "hotline",
        "orientation": "functional",
        "kind": "speed",
    },
]


def enterprise(**fields: object):
    doc = {
        "orgmodel": "1",
        "name": "T",
        "units": UNITS,
        "segments": [{"id": "s", "name": "S", "value_tier": "high", "team": "seg"}],
        "journeys": [JOURNEY],
        "goals": GOALS,
    }
    doc.update(fields)
    return build_enterprise(load_text(json.dumps(doc)))


def values(section) -> dict[str, float | None]:
    return {f.id: f.value for f in section.figures}


def test_every_figure_has_an_area_a_definition_and_a_unique_id() -> None:
    ids = [f.id for f in SIGNALS]
    assert len(ids) == len(set(ids))
    areas = [a for a, _ in AREAS]
    assert all(f.area in areas and f.definition and f.target for f in SIGNALS)
    assert all(any(f.area == a for f in SIGNALS) for a in areas)


def test_figures_of_the_small_organization() -> None:
    section = compute(enterprise())
    assert values(section) == {
        "board-customer": 1.0,
        "board-market": 1.0,
        "board-areas": 1.0,
        "journeys-overlay-owned": 1.0,
        # hotline is functional and does not serve seg: 1 of 2 steps owned (L04).
        "steps-overlay-owned": 0.5,
        "volume-overlay-owned": 0.5,
        "owners-outside-overlay": 0.0,
        "missing-services": 1.0,
        "segments-with-team": 1.0,
        "shared-teams": 0.0,
        "segments-with-value-tier": 1.0,
        "segments-used": 1.0,
        "journeys-owned-elsewhere": 0.0,
        "customer-goal-share": 0.5,
        "customer-goal-holders": 1.0,
        "journeys-with-customer-goal": 0.0,
        "segments-with-customer-goal": 1.0,
        # seg is steered by s-ret (segment goal), hotline by aht only.
        "touchpoint-units-with-customer-goal": 0.5,
        "loyalty-goals": 1.0,
        # aht (speed) against s-ret (retention): retention is not in the speed row.
        "goal-conflicts": 0.0,
    }
    steps = next(f for f in section.figures if f.id == "steps-overlay-owned")
    assert (steps.part, steps.whole, steps.met, steps.better) == (1, 2, False, "higher")
    verdicts = {a.area: (a.verdict, a.met, a.defined, a.signals) for a in section.areas}
    assert verdicts == {
        "board": ("met", 3, 3, 3),
        "overlay": ("partly met", 2, 5, 5),
        "segments": ("met", 5, 5, 5),
        "goals": ("partly met", 4, 7, 7),
    }


def test_undefined_shares_are_left_out_of_the_verdict() -> None:
    section = compute(enterprise(segments=[], journeys=[], goals=[]))
    v = values(section)
    assert v["segments-with-team"] is None and v["journeys-overlay-owned"] is None
    assert v["customer-goal-share"] is None
    # Counts of what cannot occur are undefined too: no team, no overlay-owned journey.
    assert v["shared-teams"] is None and v["missing-services"] is None
    assert v["goal-conflicts"] is None
    verdicts = {a.area: (a.verdict, a.met, a.defined) for a in section.areas}
    assert verdicts["segments"] == ("not modelled", 0, 0)
    # Still defined without goals: no holders (not met), no loyalty goal (not met).
    assert verdicts["goals"] == ("not met", 0, 2)
    # Board accountability does not depend on journeys: met.
    assert verdicts["board"] == ("met", 3, 3)


def test_counts_are_defined_once_what_they_count_can_occur() -> None:
    v = values(compute(enterprise(segments=[{"id": "s", "name": "S"}], journeys=[])))
    assert v["segments-with-team"] == 0.0
    assert v["shared-teams"] is None and v["journeys-owned-elsewhere"] is None
    j = {**JOURNEY, "owner": "hotline", "segment": None}
    v = values(compute(enterprise(journeys=[j])))
    assert v["owners-outside-overlay"] == 1.0
    assert v["missing-services"] is None  # no journey owned from the overlay


def test_profile_agrees_with_the_findings() -> None:
    report = analyze(enterprise())
    section = report.section("profile")
    found = {f.code for f in report.findings}
    met = {f.id: f.met for f in section.figures}
    assert met["missing-services"] is False and "L04" in found
    assert met["journeys-with-customer-goal"] is False and "G01" in found
    assert met["touchpoint-units-with-customer-goal"] is False and "G03" in found
    assert met["customer-goal-holders"] is False and "G05" in found
    assert "L01" not in found and "M01" not in found


def test_profile_in_every_report_format() -> None:
    from orgmodel.output import ANALYSIS_FORMATS

    report = analyze(enterprise())
    for fmt, render in ANALYSIS_FORMATS.items():
        text = render(report)
        assert "steps-overlay-owned" in text, fmt
        assert "partly met" in text, fmt


def test_profile_does_not_depend_on_document_order() -> None:
    a = compute(enterprise())
    b = compute(enterprise(units=list(reversed(UNITS)), goals=list(reversed(GOALS))))
    assert a.model_dump() == b.model_dump()
