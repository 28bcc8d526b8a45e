"""``orgmodel diff``: structural changes by id, figures before and after, findings matched by
fingerprint, the three formats (goldens) and the command."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, analyze_document, assert_golden, run_cli, run_main
from test_check_scenario import (
    BASELINE_FILE,
    PROPOSAL_FILE,
    SSC_NAME,
    proposal_data,
    scenario_diff,
    text_of,
    write_scenario,
)

from orgmodel import load_text
from orgmodel.analysis.figures import FIGURES, Figure
from orgmodel.compare.diff import (
    ChangeKind,
    Direction,
    JourneyStatus,
    diff_documents,
    structural_changes,
)
from orgmodel.output import DIFF_FORMATS
from orgmodel.output.diff_markdown import MARKER

GOLDENS = Path(__file__).resolve().parent / "goldens" / "diff"
TELECOM = ROOT / "examples" / "telecom"


def diff_of(before: dict[str, Any], after: dict[str, Any]):  # type: ignore[no-untyped-def]
    b_text, a_text = text_of(before), text_of(after)
    b, a = load_text(b_text, "before.json"), load_text(a_text, "after.json")
    return diff_documents(
        b,
        analyze_document(b, source="before.json", text=b_text),
        a,
        analyze_document(a, source="after.json", text=a_text),
    )


# --------------------------------------------------------------------------- structure


def test_structural_changes_of_the_scenario() -> None:
    changes = [(c.kind, c.entity, c.id, c.before, c.after) for c in scenario_diff().changes]
    assert changes == [
        (ChangeKind.UNIT_ADDED, "unit", "ssc", None, SSC_NAME),
        (ChangeKind.UNIT_RENAMED, "unit", "hotline", "Hotline", "Hotline (first level)"),
        (ChangeKind.UNIT_MOVED, "unit", "shop", "sales", "care"),
        (ChangeKind.UNIT_LAYER_CHANGED, "unit", "shop", "functional", "customer"),
        (ChangeKind.POSITION_MOVED, "position", "head-service", "service", "care"),
        (ChangeKind.OWNER_CHANGED, "journey", "invoice", None, "care"),
        (ChangeKind.JOURNEY_ADDED, "journey", "upgrade", None, "Upgrade"),
        (ChangeKind.JOURNEY_REMOVED, "journey", "returns", "Returns", None),
        (ChangeKind.STEP_REASSIGNED, "step", "invoice#check", "billing", "ssc"),
        (ChangeKind.STEP_ADDED, "step", "invoice#escalate", None, "billing"),
        (ChangeKind.STEP_ADDED, "step", "order#confirm", None, "hotline"),
        (ChangeKind.SETTING_CHANGED, "settings", "settings.thresholds.span_max", "12", "10"),
    ]


def test_the_other_change_kinds() -> None:
    before = {
        "orgmodel": "1",
        "name": "Before",
        "units": [
            {"id": "board", "name": "Board"},
            {"id": "a", "name": "A", "parent": "board"},
            {"id": "b", "name": "B", "parent": "board"},
            {"id": "team", "name": "Team", "parent": "a", "layer": "customer"},
        ],
        "positions": [
            {"id": "boss", "title": "Boss", "unit": "board"},
            {"id": "lead", "title": "Lead", "unit": "a", "reports_to": "boss"},
            {"id": "old", "title": "Old", "unit": "b"},
        ],
        "services": [
            {"id": "s1", "name": "S1", "provider": "a", "consumer": "team"},
            {"id": "s2", "name": "S2", "provider": "b", "consumer": "team"},
        ],
        "segments": [{"id": "seg", "name": "Seg"}],
        "stakeholders": [{"id": "bank", "name": "Bank", "kind": "investor", "owner": "a"}],
        "journeys": [
            {
                "id": "j",
                "name": "J",
                "steps": [{"name": "one", "unit": "a"}, {"name": "two", "unit": "b"}],
            }
        ],
    }
    after = copy.deepcopy(before)
    after["units"] = [u for u in after["units"] if u["id"] != "b"]
    after["units"][-1]["name"] = "Team 2"
    after["positions"][1]["reports_to"] = None
    after["positions"][2:] = [{"id": "new", "title": "New", "unit": "a"}]
    after["services"] = [
        {"id": "s1", "name": "S1", "provider": "board", "consumer": "team"},
        {"id": "s3", "name": "S3", "provider": "a", "consumer": "team"},
    ]
    after["segments"][0]["team"] = "team"
    after["stakeholders"][0]["owner"] = "team"
    after["journeys"][0]["steps"] = [{"name": "one", "unit": "a"}]
    messages = [(c.kind.value, c.message) for c in diff_of(before, after).changes]
    assert messages == [
        ("unit-removed", "unit 'b' (B) removed; it was under 'board'"),
        ("unit-renamed", "unit 'team' renamed: 'Team' -> 'Team 2'"),
        ("position-added", "position 'new' (New) added in unit 'a'"),
        ("position-removed", "position 'old' (Old) removed from unit 'b'"),
        (
            "position-reports-to-changed",
            "position 'lead' (Lead) reports to (none) instead of 'boss'",
        ),
        ("owner-changed", "segment 'seg' team: (none) -> 'team'"),
        ("owner-changed", "stakeholder 'bank' owner: 'a' -> 'team'"),
        ("step-removed", "journey 'j' step '2' removed (was performed by 'b')"),
        ("service-added", "service 's3' (S3) added: 'a' serves 'team'"),
        ("service-removed", "service 's2' (S2) removed: 'b' no longer serves 'team'"),
        ("service-changed", "service 's1' (S1) now board -> team (was a -> team)"),
    ]


def test_a_document_against_itself_has_no_changes() -> None:
    data = proposal_data()
    diff = diff_of(data, data)
    assert diff.unchanged
    assert diff.changes == [] and diff.findings.introduced == diff.findings.resolved == []
    assert {j.status for j in diff.journeys} == {JourneyStatus.COMMON}
    text = DIFF_FORMATS["text"](diff)
    assert "The two documents are the same for orgmodel" in text
    assert "no differences" in DIFF_FORMATS["markdown"](diff).lower()


def test_findings_match_by_fingerprint_not_by_line() -> None:
    data = proposal_data()
    moved = copy.deepcopy(data)
    moved["units"].reverse()
    moved["positions"].reverse()
    moved_text = "\n\n" + json.dumps(moved, indent=7, ensure_ascii=False)
    original = load_text(text_of(data), "a.json")
    shifted = load_text(moved_text, "b.json")
    before = analyze_document(original, source="a.json", text=text_of(data))
    after = analyze_document(shifted, source="b.json", text=moved_text)
    assert [f.line for f in before.findings] != [f.line for f in after.findings]
    diff = diff_documents(original, before, shifted, after)
    assert diff.findings.introduced == [] and diff.findings.resolved == []
    assert diff.findings.unchanged == len(after.findings)
    assert structural_changes(original, shifted) == []


# --------------------------------------------------------------------------- figures


def test_journey_figures_before_and_after() -> None:
    diff = scenario_diff()
    invoice = next(j for j in diff.journeys if j.journey == "invoice")
    assert invoice.status is JourneyStatus.COMMON
    handoffs = invoice.delta(Figure.HANDOFFS)
    assert (handoffs.before, handoffs.after, handoffs.delta) == (2, 3, 1)
    assert handoffs.direction is Direction.WORSE
    waiting = invoice.delta(Figure.WAITING_AT_HANDOFFS)
    assert (waiting.before, waiting.after) == (86400 + 4 * 3600, 4 * 86400)
    lead = invoice.delta(Figure.LEAD_TIME)
    assert (lead.before, lead.after) == (40 * 60 + 86400 + 4 * 3600, 50 * 60 + 4 * 86400)
    flow = invoice.delta(Figure.FLOW_EFFICIENCY)
    assert flow.before == pytest.approx(2400 / 103200)
    assert flow.direction is Direction.WORSE
    weighted = invoice.delta(Figure.WEIGHTED_HANDOFFS)
    assert (weighted.before, weighted.after) == (200, 300)
    crossings = invoice.delta(Figure.CROSSINGS)
    assert crossings.direction is Direction.SAME and crossings.delta == 0


def test_added_and_removed_journeys_and_undefined_figures() -> None:
    diff = scenario_diff()
    assert [(j.journey, j.status) for j in diff.journeys] == [
        ("invoice", JourneyStatus.COMMON),
        ("order", JourneyStatus.COMMON),
        ("upgrade", JourneyStatus.ADDED),
        ("returns", JourneyStatus.REMOVED),
    ]
    upgrade = diff.journeys[2].delta(Figure.HANDOFFS)
    assert (upgrade.before, upgrade.after, upgrade.direction) == (None, 0, Direction.UNDEFINED)
    order = diff.journeys[1]
    assert order.delta(Figure.WEIGHTED_HANDOFFS).direction is Direction.UNDEFINED  # no volume
    assert order.delta(Figure.MAX_HEIGHT).before == 0  # no crossings: height 0


def test_totals() -> None:
    totals = {d.figure: d for d in scenario_diff().totals}
    assert (totals[Figure.HANDOFFS].before, totals[Figure.HANDOFFS].after) == (3, 5)
    assert totals[Figure.MAX_HEIGHT].after == 2
    flow = totals[Figure.FLOW_EFFICIENCY]
    assert flow.after == pytest.approx((50 + 20 + 5) * 60 / (348600 + 91200 + 300))
    # Only `invoice` has a volume.
    assert totals[Figure.WEIGHTED_HANDOFFS].after == 300


def test_figure_formats() -> None:
    assert FIGURES[Figure.LEAD_TIME].format_delta(-86400) == "-1d"
    assert FIGURES[Figure.CROSSINGS].format_delta(0) == "0"
    assert FIGURES[Figure.CROSSINGS].format(None) == "-"
    assert FIGURES[Figure.WEIGHTED_LEAD_TIME].format(7200 * 1000) == "2,000 h"
    assert FIGURES[Figure.WEIGHTED_HANDOFFS].format(2.5) == "2.5"
    assert FIGURES[Figure.FLOW_EFFICIENCY].format(0.125) == "12.5 %"


# --------------------------------------------------------------------------- formats


@pytest.mark.parametrize(
    ("fmt", "name"), [("text", "text.txt"), ("json", "json.json"), ("markdown", "markdown.md")]
)
def test_golden(fmt: str, name: str, request: pytest.FixtureRequest) -> None:
    got = DIFF_FORMATS[fmt](scenario_diff())
    golden = GOLDENS / name
    assert_golden(request, golden, got)


def test_no_stale_diff_goldens() -> None:
    assert {p.name for p in GOLDENS.glob("*")} == {"text.txt", "json.json", "markdown.md"}


def test_markdown_is_a_pull_request_comment() -> None:
    text = DIFF_FORMATS["markdown"](scenario_diff())
    assert text.startswith(MARKER + "\n## orgmodel diff: ")
    summary = text.split("<details>")[0]
    assert "**12** structural changes" in summary and "Totals over all journeys" in summary
    assert "Customer-centricity: board not met → not met, " in summary
    assert text.count("<details>") == text.count("</details>") == 7
    assert "Ops, Billing: 100% team" in text  # the newline does not break the bullet


def test_json_round_trips() -> None:
    data = json.loads(DIFF_FORMATS["json"](scenario_diff()))
    assert data["orgmodel_diff"] == "1"
    assert data["baseline"]["source"] == BASELINE_FILE
    assert data["proposal"]["source"] == PROPOSAL_FILE
    assert [c["kind"] for c in data["changes"]][:2] == ["unit-added", "unit-renamed"]
    assert list(data) == [
        "orgmodel_diff",
        "baseline",
        "proposal",
        "changes",
        "journeys",
        "totals",
        "network",
        "profile",
        "findings",
    ]
    assert [a["area"] for a in data["profile"]["areas"]] == [
        "board",
        "overlay",
        "segments",
        "goals",
    ]


# --------------------------------------------------------------------------- command


def test_command_formats_and_exit_code(tmp_path: Path) -> None:
    write_scenario(tmp_path)
    for fmt in ("text", "json", "markdown"):
        result = run_main(
            "diff", "org/current.json", "org/proposed.json", "--format", fmt, cwd=tmp_path
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout == DIFF_FORMATS[fmt](scenario_diff(pinned=False))


def test_command_writes_a_file(tmp_path: Path) -> None:
    write_scenario(tmp_path)
    result = run_main(
        "diff",
        "org/current.json",
        "org/proposed.json",
        "--format",
        "markdown",
        "-o",
        "diff.md",
        cwd=tmp_path,
    )
    assert result.returncode == 0 and result.stdout == ""
    assert (tmp_path / "diff.md").read_text(encoding="utf-8").startswith(MARKER)


@pytest.mark.parametrize("broken", ["current", "proposed"])
def test_a_broken_document_is_never_no_changes(tmp_path: Path, broken: str) -> None:
    write_scenario(tmp_path)
    (tmp_path / "org" / f"{broken}.json").write_text(
        '{"orgmodel": "1", "name": "x", "units": [{"id": "a", "name": "A", "parent": "b"}]}',
        encoding="utf-8",
    )
    result = run_cli("diff", "org/current.json", "org/proposed.json", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert f"org/{broken}.json:1:" in result.stderr and "unknown unit 'b'" in result.stderr
    assert "not run" in result.stderr and "no verdict" in result.stderr


def test_missing_file_and_bad_format(tmp_path: Path) -> None:
    write_scenario(tmp_path)
    missing = run_main("diff", "org/current.json", "org/nope.json", cwd=tmp_path)
    assert missing.returncode == 2 and "file not found" in missing.stderr
    assert missing.stdout == ""
    bad = run_main(
        "diff", "org/current.json", "org/proposed.json", "--format", "sarif", cwd=tmp_path
    )
    assert bad.returncode == 2 and "Invalid value for '--format'" in bad.stderr


def test_telecom_current_to_proposed() -> None:
    result = run_main(
        "diff", TELECOM / "current.json", TELECOM / "proposed.json", "--format", "json"
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    kinds = {(c["kind"], c["id"]) for c in data["changes"]}
    assert ("unit-added", "customer-division") in kinds
    assert ("unit-removed", "hotline") in kinds
    assert ("owner-changed", "invoice-question") in kinds
    verdicts = {
        j["journey"]: {d["figure"]: d["direction"] for d in j["figures"]} for j in data["journeys"]
    }
    for journey in ("prospect-inquiry", "spare-part-order", "usage-question", "invoice-question"):
        assert verdicts[journey]["uncovered_crossings"] == "better"
        assert verdicts[journey]["lead_time"] == "better"


def test_telecom_current_to_tidy() -> None:
    result = run_main("diff", TELECOM / "current.json", TELECOM / "tidy.json", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    changes = {(c["kind"], c["id"]): c for c in data["changes"]}
    assert ("unit-removed", "customer-service") in changes
    assert ("unit-added", "shared-service-center") in changes
    step = changes[("step-reassigned", "invoice-question#call")]
    assert (step["before"], step["after"]) == ("hotline", "shared-service-center")
    journeys = {j["journey"]: {d["figure"]: d for d in j["figures"]} for j in data["journeys"]}
    assert journeys["usage-question"]["crossings"]["direction"] == "worse"
    assert journeys["invoice-question"]["waiting_at_handoffs"]["direction"] == "worse"
    assert journeys["invoice-question"]["crossings"]["direction"] == "better"
