"""Span of control and layers against hand-computed figures."""

from __future__ import annotations

import json

from orgmodel.analysis import analyze
from orgmodel.graph import build_enterprise
from orgmodel.loader import load_text


def report_of(
    units: list[dict], positions: list[dict] | None = None, thresholds: dict | None = None
):
    doc = {"orgmodel": "1", "name": "T", "units": units, "positions": positions or []}
    if thresholds:
        doc["settings"] = {"thresholds": thresholds}
    return analyze(build_enterprise(load_text(json.dumps(doc))))


def unit(ident: str, parent: str | None = None) -> dict:
    return {"id": ident, "name": ident.title(), **({"parent": parent} if parent else {})}


CHAIN = [unit("a"), unit("b", "a"), unit("c", "b"), unit("d", "c")]


def test_unit_spans_and_layers_without_positions() -> None:
    units = [
        unit("top"),
        *(unit(f"d{i}", "top") for i in range(5)),
        unit("t1", "d0"),
        unit("t2", "d0"),
    ]
    s = report_of(units).section("structure")
    assert s.basis == "units"
    assert s.spans == {"d0": 2, "top": 5}
    assert (s.layers, s.span_min, s.span_max, s.span_median) == (3, 2, 5, 3.5)
    assert s.span_histogram == {2: 1, 5: 1}
    assert s.deepest_chain == ["top", "d0", "t1"]


def test_span_findings_use_the_thresholds() -> None:
    units = [unit("top"), *(unit(f"d{i}", "top") for i in range(5)), unit("t1", "d0")]
    report = report_of(units, thresholds={"span_min": 2, "span_max": 4})
    spans = [(f.json_path, f.message) for f in report.findings if f.code == "S01"]
    assert spans == [
        ("$.units[0]", "unit 'top' has a span of control of 5, above the maximum 4"),
        ("$.units[1]", "unit 'd0' has a span of control of 1, below the minimum 2"),
    ]


def test_staff_positions_are_neither_reports_nor_a_layer() -> None:
    positions = [
        {"id": "ceo", "title": "CEO", "unit": "a"},
        {"id": "assistant", "title": "Assistant", "unit": "a", "reports_to": "ceo", "staff": True},
        {"id": "cfo", "title": "CFO", "unit": "b", "reports_to": "ceo"},
        {"id": "clerk", "title": "Clerk", "unit": "c", "reports_to": "cfo"},
        {"id": "clerk2", "title": "Clerk", "unit": "c", "reports_to": "cfo"},
    ]
    s = report_of(CHAIN, positions).section("structure")
    assert s.basis == "positions"
    assert s.spans == {"ceo": 1, "cfo": 2}
    assert s.layers == 3
    assert s.deepest_chain == ["ceo", "cfo", "clerk"]


def test_too_many_layers() -> None:
    report = report_of(CHAIN, thresholds={"layers_max": 3})
    (f,) = [f for f in report.findings if f.code == "S02"]
    assert f.message == "4 layers from 'a' to 'd', more than 3"
    assert f.json_path == "$.units[3]"
    assert "S02" not in [f.code for f in report_of(CHAIN).findings]


def test_staff_only_reports_and_staff_at_the_top() -> None:
    # coo has only a staff report: a node with reports (a layer) but no span of control. The
    # secretary is staff at the top, listed before everybody: not a layer either.
    positions = [
        {"id": "secretary", "title": "Secretary", "unit": "a", "staff": True},
        {"id": "clerk", "title": "Clerk", "unit": "c", "reports_to": "cfo"},
        {"id": "coo-assistant", "title": "A", "unit": "a", "reports_to": "coo", "staff": True},
        {"id": "cfo", "title": "CFO", "unit": "b", "reports_to": "ceo"},
        {"id": "coo", "title": "COO", "unit": "b", "reports_to": "ceo"},
        {"id": "ceo", "title": "CEO", "unit": "a"},
        {"id": "aide", "title": "Aide", "unit": "c", "reports_to": "cfo", "staff": True},
    ]
    report = report_of(CHAIN, positions, thresholds={"span_min": 2, "span_max": 12})
    s = report.section("structure")
    assert s.spans == {"ceo": 2, "cfo": 1}
    assert (s.managers, s.layers, s.span_min, s.span_max, s.span_median) == (2, 3, 1, 2, 1.5)
    assert s.deepest_chain == ["ceo", "cfo", "clerk"]
    assert s.span_histogram == {1: 1, 2: 1}
    spans = [(f.json_path, f.message) for f in report.findings if f.code == "S01"]
    assert spans == [
        ("$.positions[3]", "position 'cfo' has a span of control of 1, below the minimum 2")
    ]


def test_only_staff_at_the_top_is_no_layer() -> None:
    positions = [{"id": "secretary", "title": "Secretary", "unit": "a", "staff": True}]
    s = report_of(CHAIN, positions).section("structure")
    assert (s.layers, s.managers, s.deepest_chain, s.spans) == (0, 0, [], {})


def test_a_staff_position_with_reports_is_a_manager_but_no_layer() -> None:
    # The assistant (staff) has a report of its own: a manager with a span of 1, on the
    # CEO's layer, so temp is on layer 2 and temp2 on layer 3, as the clerk; the chain ends
    # at the smaller id of the two.
    positions = [
        {"id": "ceo", "title": "CEO", "unit": "a"},
        {"id": "temp", "title": "Temp", "unit": "a", "reports_to": "assistant"},
        {"id": "assistant", "title": "A", "unit": "a", "reports_to": "ceo", "staff": True},
        {"id": "temp2", "title": "Temp", "unit": "a", "reports_to": "temp"},
        {"id": "cfo", "title": "CFO", "unit": "b", "reports_to": "ceo"},
        {"id": "clerk", "title": "Clerk", "unit": "c", "reports_to": "cfo"},
    ]
    report = report_of(CHAIN, positions, thresholds={"span_min": 2, "span_max": 12})
    s = report.section("structure")
    assert s.spans == {"assistant": 1, "ceo": 1, "cfo": 1, "temp": 1}
    assert (s.managers, s.layers, s.span_min, s.span_max, s.span_median) == (4, 3, 1, 1, 1.0)
    assert s.deepest_chain == ["ceo", "cfo", "clerk"]
    assert s.span_histogram == {1: 4}
    spans = [f.json_path for f in report.findings if f.code == "S01"]
    assert spans == ["$.positions[0]", "$.positions[1]", "$.positions[2]", "$.positions[4]"]


def test_the_deepest_node_can_have_staff_reports_only() -> None:
    # coo's only report is staff: coo is on the last layer, and ends the deepest chain.
    positions = [
        {"id": "ceo", "title": "CEO", "unit": "a"},
        {"id": "coo", "title": "COO", "unit": "a", "reports_to": "ceo"},
        {"id": "aide", "title": "Aide", "unit": "a", "reports_to": "coo", "staff": True},
    ]
    s = report_of(CHAIN, positions).section("structure")
    assert (s.layers, s.managers, s.deepest_chain, s.spans) == (2, 1, ["ceo", "coo"], {"ceo": 1})
