"""Property-based tests of the analysis: any generated valid document analyzes, its figures
obey their invariants, every output format renders it, and nothing depends on the order in
which units or goals are listed."""

from __future__ import annotations

import json
import warnings
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from test_properties import split, valid_documents

from orgmodel import build_enterprise, load_text
from orgmodel.analysis import analyze
from orgmodel.analysis.report import Report
from orgmodel.output import ANALYSIS_FORMATS

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@cache
def report_validator() -> Draft202012Validator:
    schema = json.loads((ROOT / "schemas" / "report.schema.json").read_text(encoding="utf-8"))
    return Draft202012Validator(schema)


@st.composite
def analyzable(draw: st.DrawFn) -> dict[str, Any]:
    """A valid document with touchpoints, volumes and overlay layers sprinkled in."""
    document, _ = split(draw(valid_documents()))
    for unit in document["units"]:
        unit["layer"] = draw(st.sampled_from(["functional", "functional", "customer", "market"]))
    for journey in document.get("journeys", []):
        if draw(st.booleans()):
            journey["volume"] = draw(st.integers(min_value=0, max_value=10_000))
        for step in journey["steps"]:
            step["touchpoint"] = draw(st.booleans())
    return document


def load(document: dict[str, Any]):
    return build_enterprise(load_text(json.dumps(document)))


@SETTINGS
@given(analyzable())
def test_figures_obey_their_invariants(document: dict[str, Any]) -> None:
    ent = load(document)
    report = analyze(ent)
    section = report.section("silos")
    by_id = {j.id: j for j in ent.document.journeys}
    for f in section.journeys:
        journey = by_id[f.journey]
        touchpoints = sum(s.touchpoint for s in journey.steps)
        assert 0 <= f.uncovered_crossings <= f.crossings <= f.handoffs <= f.steps - 1
        assert f.crossings == len(f.crossing_list)
        assert f.ping_pong <= f.crossings
        assert 0 <= f.customer_handoffs <= max(touchpoints - 1, 0)
        assert f.lead_time == f.work + f.wait
        assert 0 <= f.waiting_at_handoffs <= f.wait
        if f.lead_time:
            assert 0 <= f.flow_efficiency <= 1 and 0 <= f.handoff_wait_share <= 1
        else:
            assert f.flow_efficiency is None and f.handoff_wait_share is None
        assert f.silos <= f.units <= f.steps
        assert len(f.silo_path) == f.crossings + 1
        for c in f.crossing_list:
            assert c.from_silo != c.to_silo and c.from_unit != c.to_unit
            assert c.height is None or c.height >= 1
        if journey.volume is not None:
            assert f.weighted.crossings == journey.volume * f.crossings
        else:
            assert f.weighted is None
    t = section.totals
    assert t.steps == sum(f.steps for f in section.journeys)
    assert t.crossings == sum(f.crossings for f in section.journeys)
    assert sum(c.steps for c in section.matrix) == t.steps
    assert sum(c.crossings_in for c in section.matrix) == t.crossings
    assert sum(s.steps for s in section.silos) == t.steps
    assert sum(s.handoffs_in for s in section.silos) == t.crossings
    assert sum(u.handoffs_in for u in section.units) == t.handoffs
    assert len({f.fingerprint for f in report.findings}) == len(report.findings)
    report_validator().validate(json.loads(report.model_dump_json()))


@SETTINGS
@given(analyzable(), st.randoms(use_true_random=False))
def test_figures_do_not_depend_on_the_order_of_units_and_goals(
    document: dict[str, Any], rnd: Any
) -> None:
    shuffled = dict(document)
    shuffled["units"] = list(document["units"])
    rnd.shuffle(shuffled["units"])
    if document.get("goals"):
        shuffled["goals"] = list(document["goals"])
        rnd.shuffle(shuffled["goals"])
    a, b = analyze(load(document)), analyze(load(shuffled))
    assert a.sections.model_dump() == b.sections.model_dump()
    assert sorted(f.fingerprint for f in a.findings) == sorted(f.fingerprint for f in b.findings)


@SETTINGS
@given(analyzable())
def test_every_format_renders_deterministically(document: dict[str, Any]) -> None:
    first = analyze(load(document))
    second = analyze(load(document))
    for name, render in ANALYSIS_FORMATS.items():
        text = render(first)
        assert text == render(second), name
        assert text.endswith("\n")


@SETTINGS
@given(analyzable())
def test_the_report_survives_a_round_trip_through_json(document: dict[str, Any]) -> None:
    """The report's values are exactly what validation of its JSON form gives back."""
    assert_round_trip(analyze(load(document)))


@pytest.mark.parametrize(
    "path", sorted((ROOT / "examples").glob("*/*.json")), ids=lambda p: f"{p.parent.name}/{p.stem}"
)
def test_example_reports_survive_a_round_trip_through_json(path: Path) -> None:
    """The examples have goal conflicts, which the generated documents do not reach (all but
    the mobile-app to-be, a design that resolves them)."""
    report = analyze(build_enterprise(load_text(path.read_text(encoding="utf-8"))))
    if path.parent.name != "mobile-app" or path.stem != "to-be":
        assert report.section("goals").conflicts  # type: ignore[attr-defined]
    assert_round_trip(report)


def assert_round_trip(report: Report) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # pydantic warns when a value is not of its field's type
        text = report.model_dump_json()
    assert Report.model_validate_json(text) == report
