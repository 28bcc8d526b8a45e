"""The shared scenario of the diff and check tests: a small current and proposed organization
and a policy that exercises every part of the check at once.

The proposal (against the current organization):

- adds the unit ``ssc`` (its name holds ``,`` ``:`` ``%`` and a newline), renames ``hotline``,
  moves ``shop`` under ``care`` and into the customer layer, moves a position;
- makes journey ``invoice`` worse (a new step through ``ssc``, longer waits) and journey
  ``order`` worse (the customer is passed to the hotline and back); the name of ``order``
  holds ``%`` and a newline;
- removes journey ``returns`` (P02) and adds journey ``upgrade``;
- changes a threshold in its settings.

The policy fails on warnings, tolerates 10 % more lead time, and has four waivers: one by
fingerprint (matches), one by code and path (matches), one expired (P03), one unused (P04).

The format goldens test the formats, not the analyzers, so by default the scenario keeps only
the findings and rules of :data:`PINNED` (the silo and structure families) and the policy's
rules: a new analyzer family elsewhere does not change the goldens.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from conftest import analyze_document

from orgmodel import load_text
from orgmodel.analysis.findings import Findings
from orgmodel.analysis.report import Report
from orgmodel.compare.diff import Diff, diff_documents
from orgmodel.compare.policy import POLICY_CODES, Analyzed, CheckResult, evaluate
from orgmodel.config import Config

TODAY = date(2025, 1, 15)
BASELINE_FILE = "org/current.json"
PROPOSAL_FILE = "org/proposed.json"
CONFIG_FILE = "orgmodel.toml"
SSC_NAME = "Ops, Billing: 100%\nteam"
#: The analysis rules the scenario keeps by default.
PINNED = ("J01", "J02", "J03", "J04", "J05", "J06", "J07", "S01", "S02")
ORDER_NAME = "Order 100%\nfast"


def _unit(ident: str, parent: str | None, name: str, **fields: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"id": ident, "name": name}
    if parent:
        out["parent"] = parent
    out.update(fields)
    return out


def baseline_data() -> dict[str, Any]:
    """The current organization."""
    return {
        "orgmodel": "1",
        "name": "Acme, current",
        "units": [
            _unit("board", None, "Board", kind="board"),
            _unit("sales", "board", "Sales"),
            _unit("shop", "sales", "Shop", kind="team"),
            _unit("service", "board", "Customer service"),
            _unit("hotline", "service", "Hotline", kind="team"),
            _unit("finance", "board", "Finance"),
            _unit("billing", "finance", "Billing", kind="team"),
            _unit("care", "board", "Customer care", layer="customer"),
        ],
        "positions": [
            {"id": "ceo", "title": "CEO", "unit": "board"},
            {
                "id": "head-service",
                "title": "Head of service",
                "unit": "service",
                "reports_to": "ceo",
            },
        ],
        "journeys": [
            {
                "id": "invoice",
                "name": "Invoice question",
                "volume": 100,
                "steps": [
                    {
                        "id": "ask",
                        "name": "Customer asks",
                        "unit": "hotline",
                        "touchpoint": True,
                        "work": "10m",
                    },
                    {
                        "id": "check",
                        "name": "Invoice is checked",
                        "unit": "billing",
                        "wait": "1d",
                        "work": "20m",
                    },
                    {
                        "id": "answer",
                        "name": "Customer gets the answer",
                        "unit": "hotline",
                        "touchpoint": True,
                        "wait": "4h",
                        "work": "10m",
                    },
                ],
            },
            {
                "id": "order",
                "name": ORDER_NAME,
                "owner": "sales",
                "steps": [
                    {
                        "id": "order",
                        "name": "Customer orders",
                        "unit": "shop",
                        "touchpoint": True,
                        "work": "5m",
                    },
                    {
                        "id": "deliver",
                        "name": "Customer gets the goods",
                        "unit": "shop",
                        "touchpoint": True,
                        "wait": "1d",
                        "work": "10m",
                    },
                ],
            },
            {
                "id": "returns",
                "name": "Returns",
                "steps": [
                    {
                        "id": "send",
                        "name": "Customer sends it back",
                        "unit": "shop",
                        "touchpoint": True,
                        "work": "5m",
                    },
                    {
                        "id": "refund",
                        "name": "Customer is refunded",
                        "unit": "billing",
                        "wait": "2d",
                        "work": "5m",
                    },
                ],
            },
        ],
    }


def proposal_data() -> dict[str, Any]:
    """The proposed organization."""
    return {
        "orgmodel": "1",
        "name": "Acme, proposed",
        "settings": {"thresholds": {"span_max": 10}},
        "units": [
            _unit("board", None, "Board", kind="board"),
            _unit("sales", "board", "Sales"),
            _unit("care", "board", "Customer care", layer="customer"),
            _unit("shop", "care", "Shop", kind="team", layer="customer"),
            _unit("service", "board", "Customer service"),
            _unit("hotline", "service", "Hotline (first level)", kind="team"),
            _unit("finance", "board", "Finance"),
            _unit("billing", "finance", "Billing", kind="team"),
            _unit("ssc", "finance", SSC_NAME, kind="team"),
        ],
        "positions": [
            {"id": "ceo", "title": "CEO", "unit": "board"},
            {"id": "head-service", "title": "Head of service", "unit": "care", "reports_to": "ceo"},
        ],
        "journeys": [
            {
                "id": "invoice",
                "name": "Invoice question",
                "owner": "care",
                "volume": 100,
                "steps": [
                    {
                        "id": "ask",
                        "name": "Customer asks",
                        "unit": "hotline",
                        "touchpoint": True,
                        "work": "10m",
                    },
                    {
                        "id": "check",
                        "name": "Invoice is checked",
                        "unit": "ssc",
                        "wait": "1d",
                        "work": "20m",
                    },
                    {
                        "id": "escalate",
                        "name": "Billing explains the item",
                        "unit": "billing",
                        "wait": "1d",
                        "work": "10m",
                    },
                    {
                        "id": "answer",
                        "name": "Customer gets the answer",
                        "unit": "hotline",
                        "touchpoint": True,
                        "wait": "2d",
                        "work": "10m",
                    },
                ],
            },
            {
                "id": "order",
                "name": ORDER_NAME,
                "owner": "sales",
                "steps": [
                    {
                        "id": "order",
                        "name": "Customer orders",
                        "unit": "shop",
                        "touchpoint": True,
                        "work": "5m",
                    },
                    {
                        "id": "confirm",
                        "name": "Hotline confirms the order",
                        "unit": "hotline",
                        "touchpoint": True,
                        "wait": "1h",
                        "work": "5m",
                    },
                    {
                        "id": "deliver",
                        "name": "Customer gets the goods",
                        "unit": "shop",
                        "touchpoint": True,
                        "wait": "1d",
                        "work": "10m",
                    },
                ],
            },
            {
                "id": "upgrade",
                "name": "Upgrade",
                "steps": [
                    {
                        "id": "ask",
                        "name": "Customer asks for more",
                        "unit": "shop",
                        "touchpoint": True,
                        "work": "5m",
                    },
                ],
            },
        ],
    }


def text_of(data: dict[str, Any]) -> str:
    """The document as a file would hold it."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def policy(**overrides: Any) -> Config:
    """The scenario's policy; ``overrides`` replace top-level fields."""
    base = analyzed()
    upgrade_owner = next(
        f for f in base[3].findings if f.code == "J02" and "'upgrade'" in f.message
    )
    raw: dict[str, Any] = {
        "fail_on": "warning",
        "ratchet": {"tolerances": {"lead_time": "10%"}},
        "waivers": [
            {
                "fingerprint": upgrade_owner.fingerprint,
                "reason": "The upgrade journey gets an owner in phase 2",
                "expires": "2999-12-31",
            },
            {
                "code": "J06",
                "path": "$.journeys[*]",
                "reason": "Escalation to the board is accepted for now",
            },
            {"code": "S01", "reason": "Spans are reviewed yearly", "expires": "2024-12-31"},
            {"fingerprint": "0123456789abcdef", "reason": "An old exception"},
        ],
    }
    raw.update(overrides)
    return Config.model_validate(raw)


def _pinned(report: Report) -> Report:
    return report.model_copy(
        update={"findings": Findings.of(f for f in report.findings if f.code in PINNED)}
    )


def analyzed(
    config: Config | None = None, *, pinned: bool = True, with_baseline: bool = True
) -> tuple:
    """(baseline document, its report, proposal document, its report); the proposal is
    judged by the baseline's thresholds and rule settings, as `orgmodel check` does."""
    b_text, p_text = text_of(baseline_data()), text_of(proposal_data())
    baseline = load_text(b_text, BASELINE_FILE)
    proposal = load_text(p_text, PROPOSAL_FILE)
    b_report = analyze_document(baseline, config=config, source=BASELINE_FILE, text=b_text)
    p_report = analyze_document(
        proposal,
        config=config,
        source=PROPOSAL_FILE,
        text=p_text,
        policy_from=baseline if with_baseline else None,
    )
    if pinned:
        b_report, p_report = _pinned(b_report), _pinned(p_report)
    return baseline, b_report, proposal, p_report


def scenario_diff(*, pinned: bool = True) -> Diff:
    """The diff of the scenario."""
    baseline, b_report, proposal, p_report = analyzed(pinned=pinned)
    return diff_documents(baseline, b_report, proposal, p_report)


def scenario_check(
    config: Config | None = None, *, with_baseline: bool = True, pinned: bool = True
) -> CheckResult:
    """The check of the scenario under ``config`` (default: :func:`policy`)."""
    config = config or policy()
    baseline, b_report, proposal, p_report = analyzed(
        config, pinned=pinned, with_baseline=with_baseline
    )
    result = evaluate(
        Analyzed(PROPOSAL_FILE, proposal, p_report, text_of(proposal_data())),
        Analyzed(BASELINE_FILE, baseline, b_report, text_of(baseline_data()))
        if with_baseline
        else None,
        config=config,
        config_file=CONFIG_FILE,
        today=TODAY,
    )
    if not pinned:
        return result
    return result.model_copy(
        update={"rules": [r for r in result.rules if r.code in PINNED or r.code in POLICY_CODES]}
    )


def write_scenario(directory: Path) -> tuple[Path, Path]:
    """Write the two documents into ``directory``; return (baseline, proposal) paths."""
    org = directory / "org"
    org.mkdir(parents=True, exist_ok=True)
    baseline, proposal = org / "current.json", org / "proposed.json"
    baseline.write_text(text_of(baseline_data()), encoding="utf-8")
    proposal.write_text(text_of(proposal_data()), encoding="utf-8")
    return baseline, proposal


def test_scenario_documents_load() -> None:
    baseline, _, proposal, _ = analyzed()
    assert [j.id for j in baseline.journeys] == ["invoice", "order", "returns"]
    assert [j.id for j in proposal.journeys] == ["invoice", "order", "upgrade"]


def test_pinned_rules_exist() -> None:
    from orgmodel.analysis.registry import RULES

    assert set(PINNED) <= set(RULES)


def test_unpinned_scenario_sees_every_rule() -> None:
    from orgmodel.compare.policy import known_codes

    result = scenario_check(pinned=False)
    assert [r.code for r in result.rules] == sorted(known_codes())
    assert {c.finding.code for c in result.findings} - set(PINNED) - {"P01", "P02", "P03", "P04"}
