"""`orgmodel analyze` on the command line: formats, options, config, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import ROOT, run_main

CURRENT = ROOT / "examples" / "telecom" / "current.json"


def test_json_report_and_journey_filter(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    result = run_main(
        "analyze", CURRENT, "--journey", "invoice-question", "--format", "json", "-o", out
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    assert [j["journey"] for j in report["sections"]["silos"]["journeys"]] == ["invoice-question"]


def test_unknown_journey_is_a_usage_error_with_a_suggestion() -> None:
    result = run_main("analyze", CURRENT, "--journey", "invoice-questoin")
    assert result.returncode == 2
    assert "did you mean 'invoice-question'" in result.stderr
    assert result.stdout == ""


def test_config_is_found_in_the_working_directory_and_may_name_policy_codes(tmp_path: Path) -> None:
    (tmp_path / "orgmodel.toml").write_text(
        "[thresholds]\nflow_efficiency_min = 0.0\n\n[rules.J06]\nenabled = false\n\n"
        '[rules.P01]\nseverity = "warning"\n',
        encoding="utf-8",
    )
    result = run_main("analyze", CURRENT, "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    codes = {f["code"] for f in json.loads(result.stdout)["findings"]}
    assert "J07" not in codes and "J06" not in codes and "J01" in codes


def test_unknown_rule_code_in_the_config_is_an_input_error(tmp_path: Path) -> None:
    config = tmp_path / "policy.toml"
    config.write_text("[rules.J99]\nenabled = false\n", encoding="utf-8")
    result = run_main("analyze", CURRENT, "--config", config)
    assert result.returncode == 2
    assert "unknown rule code 'J99'" in result.stderr
    assert result.stdout == ""


def test_markdown_report_folds_details() -> None:
    result = run_main("analyze", CURRENT, "--format", "markdown")
    assert result.returncode == 0
    assert result.stdout.startswith("## orgmodel analysis: Telco Nord")
    assert "<details>" in result.stdout and "| J01 | uncovered-silo-crossing |" in result.stdout


def test_markdown_keeps_a_multi_line_name_on_its_heading(tmp_path: Path) -> None:
    data = json.loads((ROOT / "examples" / "telecom" / "current.json").read_text(encoding="utf-8"))
    data["name"] = "Telco\n# injected > quote"
    doc = tmp_path / "doc.json"
    doc.write_text(json.dumps(data), encoding="utf-8")
    lines = run_main("analyze", doc, "--format", "markdown").stdout.splitlines()
    assert lines[0] == "## orgmodel analysis: Telco # injected \\> quote"
    assert not any(line.startswith("# ") for line in lines)
