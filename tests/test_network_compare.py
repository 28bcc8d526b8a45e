"""Network figures in the diff and the ratchet (issue 15): the E-I index overall and per
silo and the top betweenness, before and after, in every diff format; the E-I indexes can
be held by ``ratchet.network`` (P05). Figures hand-computed in the docstrings."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from conftest import analyze_document, doc, unit
from pydantic import ValidationError

from orgmodel import load_text
from orgmodel.analysis.figures import Direction, NetworkFigure
from orgmodel.compare.diff import Diff, diff_documents
from orgmodel.compare.policy import Analyzed, evaluate
from orgmodel.config import Config
from orgmodel.output import DIFF_FORMATS

UNITS = [
    unit("board", kind="board"),
    unit("sales", "board"),
    unit("field", "sales"),
    unit("inside", "sales"),
    unit("billing", "board"),
]


def _doc(path: list[str]) -> dict[str, Any]:
    return doc(
        units=UNITS,
        journeys=[
            {
                "id": "order",
                "name": "Order",
                "steps": [{"name": f"s{i}", "unit": u} for i, u in enumerate(path)],
            }
        ],
    )


#: field -> inside -> billing: one handoff inside Sales, one across (Sales -> Billing).
#: E-I overall (1 - 1) / 2 = 0; Sales: E 1 (out), I 1 -> 0; Billing: E 1 (in), I 0 -> +1.
#: Betweenness (directed, normalized by (n-1)(n-2) = 2): inside lies on field -> billing: 0.5.
BEFORE = _doc(["field", "inside", "billing"])
#: field -> billing -> inside: both handoffs cross. E-I overall (2 - 0) / 2 = +1; Sales:
#: E 2 (one out, one in), I 0 -> +1; Billing: E 2 -> +1. Betweenness: billing 0.5.
AFTER = _doc(["field", "billing", "inside"])


def _analyzed(data: dict[str, Any], name: str) -> tuple[Any, Any, str]:
    text = json.dumps(data)
    document = load_text(text, name)
    return document, analyze_document(document, source=name, text=text), text


def _diff(before: dict[str, Any], after: dict[str, Any]) -> Diff:
    b, rb, _ = _analyzed(before, "before.json")
    a, ra, _ = _analyzed(after, "after.json")
    return diff_documents(b, rb, a, ra)


def test_the_diff_carries_the_network_before_and_after() -> None:
    rows = {(d.figure, d.silo): d for d in _diff(BEFORE, AFTER).network}
    assert list(rows) == [
        (NetworkFigure.EI_INDEX, None),
        (NetworkFigure.TOP_BETWEENNESS, None),
        (NetworkFigure.SILO_EI_INDEX, "billing"),
        (NetworkFigure.SILO_EI_INDEX, "sales"),
    ]
    ei = rows[(NetworkFigure.EI_INDEX, None)]
    assert (ei.before, ei.after, ei.delta, ei.direction) == (0.0, 1.0, 1.0, Direction.WORSE)
    sales = rows[(NetworkFigure.SILO_EI_INDEX, "sales")]
    assert (sales.before, sales.after, sales.direction) == (0.0, 1.0, Direction.WORSE)
    billing = rows[(NetworkFigure.SILO_EI_INDEX, "billing")]
    assert (billing.before, billing.after, billing.direction) == (1.0, 1.0, Direction.SAME)
    top = rows[(NetworkFigure.TOP_BETWEENNESS, None)]
    assert (top.unit_before, top.before, top.unit_after, top.after) == (
        "inside",
        0.5,
        "billing",
        0.5,
    )
    assert top.direction is Direction.SAME and top.changed  # same value, another unit


def test_the_reverse_is_better_and_a_document_against_itself_is_unchanged() -> None:
    back = {(d.figure, d.silo): d.direction for d in _diff(AFTER, BEFORE).network}
    assert back[(NetworkFigure.EI_INDEX, None)] is Direction.BETTER
    assert back[(NetworkFigure.SILO_EI_INDEX, "sales")] is Direction.BETTER
    same = _diff(BEFORE, BEFORE)
    assert same.unchanged and not any(d.changed for d in same.network)


def test_a_silo_without_handoffs_on_one_side_is_not_comparable() -> None:
    """After: field -> inside only (Billing has no handoff): its E-I index is undefined."""
    rows = {(d.figure, d.silo): d for d in _diff(BEFORE, _doc(["field", "inside"])).network}
    billing = rows[(NetworkFigure.SILO_EI_INDEX, "billing")]
    assert (billing.before, billing.after, billing.direction) == (1.0, None, Direction.UNDEFINED)
    ei = rows[(NetworkFigure.EI_INDEX, None)]
    assert (ei.before, ei.after, ei.direction) == (0.0, -1.0, Direction.BETTER)  # all inside
    top = rows[(NetworkFigure.TOP_BETWEENNESS, None)]
    assert (top.unit_after, top.after) == (None, 0.0)  # two units: nobody lies between


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_text_and_markdown_show_the_network(fmt: str) -> None:
    out = DIFF_FORMATS[fmt](_diff(BEFORE, AFTER))
    lines = [line for line in out.splitlines() if "E-I index" in line or "betweenness" in line]
    assert any("+0.00" in x and "+1.00" in x and "worse" in x for x in lines), lines
    assert any("sales" in x and "+1.00" in x for x in lines), lines
    assert any("inside 0.500" in x and "billing 0.500" in x for x in lines), lines


def test_json_has_the_network() -> None:
    data = json.loads(DIFF_FORMATS["json"](_diff(BEFORE, AFTER)))
    assert data["network"][0] == {
        "figure": "ei_index",
        "silo": None,
        "unit_before": None,
        "unit_after": None,
        "before": 0.0,
        "after": 1.0,
        "delta": 1.0,
        "direction": "worse",
    }


def _check(config: dict[str, Any]) -> list[tuple[str, str, str]]:
    b, rb, tb = _analyzed(BEFORE, "before.json")
    a, ra, ta = _analyzed(AFTER, "after.json")
    result = evaluate(
        Analyzed("after.json", a, ra, ta),
        Analyzed("before.json", b, rb, tb),
        config=Config.model_validate(config),
        today=date(2025, 1, 1),
    )
    return [
        (c.finding.json_path, c.finding.message, str(c.blocking))
        for c in result.findings
        if c.finding.code == "P05"
    ]


def test_the_ratchet_holds_the_e_i_index_when_asked() -> None:
    assert _check({}) == []  # off by default
    found = _check({"ratchet": {"network": ["ei_index", "silo_ei_index"]}})
    assert found == [
        ("$", "the handover network got worse: E-I index +0.00 -> +1.00 (+1.00)", "True"),
        (
            "$.units[1]",
            "the handover network got worse: E-I index of silo 'sales' +0.00 -> +1.00 (+1.00)",
            "True",
        ),
    ]
    only_silos = _check({"ratchet": {"network": ["silo_ei_index"]}})
    assert [p for p, _, _ in only_silos] == ["$.units[1]"]
    tolerated = {"network": ["ei_index", "silo_ei_index"], "tolerances": {"ei_index": 1}}
    assert [p for p, _, _ in _check({"ratchet": tolerated})] == ["$.units[1]"]
    relative = {"network": ["silo_ei_index"], "tolerances": {"silo_ei_index": "50%"}}
    assert _check({"ratchet": relative})[0][1].endswith("(+1.00, tolerance 50%)")


def test_top_betweenness_cannot_be_held() -> None:
    with pytest.raises(ValidationError, match="top_betweenness' has no direction of worse"):
        Config.model_validate({"ratchet": {"network": ["top_betweenness"]}})
    with pytest.raises(ValidationError, match="unknown figure 'top_betweenness'"):
        Config.model_validate({"ratchet": {"tolerances": {"top_betweenness": 0.1}}})
