"""``orgmodel check``: ratchet, waivers, fail-on, every exit code, broken input, auto format,
and the telecom examples."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import ROOT, run_cli, run_main
from test_check_scenario import (
    BASELINE_FILE,
    CONFIG_FILE,
    PROPOSAL_FILE,
    TODAY,
    analyzed,
    baseline_data,
    policy,
    proposal_data,
    scenario_check,
    text_of,
    write_scenario,
)

from orgmodel.analysis.figures import Figure
from orgmodel.app import AnalyzeRequest, Source, analyze
from orgmodel.compare.policy import (
    POLICY_CODES,
    POLICY_RULES,
    Analyzed,
    BaselineState,
    CheckedFinding,
    CheckResult,
    Verdict,
    evaluate,
    known_codes,
)
from orgmodel.config import Config
from orgmodel.loader import load_text
from orgmodel.model import Severity

TELECOM = ROOT / "examples" / "telecom"

POLICY_TOML = """\
fail_on = "error"

[ratchet.tolerances]
lead_time = "10%"

[[waivers]]
code = "J06"
path = "$.journeys[*]"
reason = "Escalation to the board is accepted for now"
"""


def codes(result: CheckResult, *, blocking: bool | None = None) -> list[str]:
    return [c.finding.code for c in result.findings if blocking is None or c.blocking == blocking]


def by_code(result: CheckResult, code: str) -> list[CheckedFinding]:
    return [c for c in result.findings if c.finding.code == code]


# --------------------------------------------------------------------------- policy


def test_policy_codes_are_new_and_documented() -> None:
    analysis = set(known_codes()) - {r.code for r in POLICY_RULES}
    assert {r.code for r in POLICY_RULES} == {"P01", "P02", "P03", "P04", "P05"}
    assert not analysis & {r.code for r in POLICY_RULES}
    for rule in POLICY_RULES:
        assert rule.summary and rule.doc


def test_regressions_are_one_finding_per_journey_and_figure() -> None:
    result = scenario_check()
    regressions = [(c.journey, c.figure) for c in by_code(result, "P01")]
    assert regressions == [
        ("invoice", Figure.HANDOFFS),
        ("invoice", Figure.WAITING_AT_HANDOFFS),
        ("invoice", Figure.LEAD_TIME),
        ("order", Figure.HANDOFFS),
        ("order", Figure.CROSSINGS),
        ("order", Figure.UNCOVERED_CROSSINGS),
        ("order", Figure.CUSTOMER_HANDOFFS),
        ("order", Figure.WAITING_AT_HANDOFFS),
    ]
    invoice = by_code(result, "P01")[0]
    assert invoice.file == PROPOSAL_FILE and invoice.finding.line is not None
    assert invoice.finding.json_path == "$.journeys[0]" and invoice.subject == "Invoice question"
    assert all(c.blocking and c.finding.severity is Severity.ERROR for c in by_code(result, "P01"))


def test_tolerance_absorbs_a_small_regression() -> None:
    # order's lead time grows by 1h5m on 1d15m (4.3 %): within the 10 % tolerance.
    result = scenario_check()
    assert not any(
        c.journey == "order" and c.figure is Figure.LEAD_TIME for c in by_code(result, "P01")
    )
    strict = scenario_check(policy(ratchet={"tolerances": {}}))
    assert any(
        c.journey == "order" and c.figure is Figure.LEAD_TIME for c in by_code(strict, "P01")
    )


def test_ratchet_figures_are_configurable() -> None:
    result = scenario_check(policy(ratchet={"figures": ["crossings"]}))
    assert [(c.journey, c.figure) for c in by_code(result, "P01")] == [("order", Figure.CROSSINGS)]
    off = scenario_check(policy(ratchet={"figures": []}))
    assert by_code(off, "P01") == []


def test_removed_journey_fails_unless_allowed() -> None:
    result = scenario_check()
    [removed] = by_code(result, "P02")
    assert removed.blocking and removed.file == "org/current.json"
    assert removed.finding.json_path == "$.journeys[2]" and removed.journey == "returns"
    allowed = scenario_check(policy(ratchet={"allow_removed_journeys": True}))
    assert by_code(allowed, "P02") == []


def test_policy_findings_are_located_in_their_own_document_under_one_file_name() -> None:
    """Two versions of one file (the main branch's org.json against a pull request's): P02
    points into the baseline's text, P01 into the proposal's."""
    name = "org.json"
    texts = {"baseline": text_of(baseline_data()), "proposal": text_of(proposal_data())}
    docs = {side: load_text(text, name) for side, text in texts.items()}
    b_report = analyze(AnalyzeRequest(Source(name, docs["baseline"], texts["baseline"])))
    p_report = analyze(
        AnalyzeRequest(
            Source(name, docs["proposal"], texts["proposal"]), policy_from=docs["baseline"]
        )
    )
    result = evaluate(
        Analyzed(name, docs["proposal"], p_report, texts["proposal"]),
        Analyzed(name, docs["baseline"], b_report, texts["baseline"]),
        config=policy(),
        today=TODAY,
    )
    for code, side, journey in [("P02", "baseline", "returns"), ("P01", "proposal", "order")]:
        found = next(c.finding for c in by_code(result, code) if c.journey == journey)
        lines = texts[side].splitlines()
        assert lines[found.line].strip() == f'"id": "{journey}",', (code, found.line)


def test_a_report_whose_findings_are_a_list_is_checked() -> None:
    """A Report copied with a plain list of findings (model_copy does not validate)."""
    baseline, b_report, proposal, p_report = analyzed(policy(), pinned=False)
    listed = p_report.model_copy(update={"findings": list(p_report.findings)})
    texts = text_of(proposal_data()), text_of(baseline_data())
    judged = [
        evaluate(
            Analyzed(PROPOSAL_FILE, proposal, report, texts[0]),
            Analyzed(BASELINE_FILE, baseline, b_report, texts[1]),
            config=policy(),
            today=TODAY,
        )
        for report in (p_report, listed)
    ]
    assert judged[0] == judged[1] and by_code(judged[1], "P01")


def test_findings_are_new_or_unchanged_by_fingerprint() -> None:
    result = scenario_check()
    states = {
        c.finding.fingerprint: c.baseline_state
        for c in result.findings
        if c.finding.code not in POLICY_CODES
    }
    assert set(states.values()) == {BaselineState.NEW, BaselineState.UNCHANGED}
    assert all(c.baseline_state is None for c in result.findings if c.finding.code in POLICY_CODES)
    diff = result.diff
    assert diff is not None
    assert {f.fingerprint for f in diff.findings.introduced} == {
        fp for fp, state in states.items() if state is BaselineState.NEW
    }
    assert result.resolved == diff.findings.resolved and result.resolved


def test_only_new_findings_block_with_a_baseline() -> None:
    result = scenario_check()  # fail_on = warning
    warnings = [
        c
        for c in result.findings
        if c.finding.severity is Severity.WARNING
        and c.finding.code not in POLICY_CODES
        and c.waiver is None
    ]
    assert {c.blocking for c in warnings if c.baseline_state is BaselineState.NEW} == {True}
    assert {c.blocking for c in warnings if c.baseline_state is BaselineState.UNCHANGED} == {False}
    everything = scenario_check(
        policy(ratchet={"findings": "all", "tolerances": {"lead_time": "10%"}})
    )
    assert all(
        c.blocking
        for c in everything.findings
        if c.finding.severity is not Severity.INFO and c.waiver is None
    )


def test_without_a_baseline_every_finding_counts() -> None:
    result = scenario_check(with_baseline=False)
    assert result.baseline is None and result.diff is None and result.ratchet is None
    assert not by_code(result, "P01") and not by_code(result, "P02")
    assert all(c.baseline_state is None for c in result.findings)
    assert all(
        c.blocking
        for c in result.findings
        if c.finding.severity is not Severity.INFO and c.waiver is None
    )


def test_fail_on_levels() -> None:
    never = scenario_check(policy(fail_on="never"))
    assert never.verdict is Verdict.PASS and never.reasons == [] and never.blocking == []
    errors = scenario_check(policy(fail_on="error"))
    assert set(codes(errors, blocking=True)) == {"P01", "P02", "P03"}
    assert "J06" not in codes(scenario_check(policy(fail_on="info")), blocking=True)  # waived
    assert "J06" not in codes(scenario_check(policy(fail_on="warning", waivers=[])), blocking=True)
    assert "J06" in codes(scenario_check(policy(fail_on="info", waivers=[])), blocking=True)


def test_waivers() -> None:
    result = scenario_check()
    first, second, third, fourth = result.waivers
    assert (first.matched, first.expired) == (1, False)
    assert (second.matched, second.expired) == (2, False)
    assert (third.matched, third.expired) == (1, True)
    assert (fourth.matched, fourth.expired) == (0, False)
    [waived_owner] = by_code(result, "J02")
    assert waived_owner.waiver is not None and waived_owner.waiver.index == 1
    assert waived_owner.baseline_state is BaselineState.NEW and not waived_owner.blocking
    assert all(c.waiver is not None and c.waiver.index == 2 for c in by_code(result, "J06"))
    # The expired waiver waives nothing and fails the check.
    assert all(c.waiver is None for c in by_code(result, "S01"))
    [expired] = by_code(result, "P03")
    assert expired.blocking and expired.file == CONFIG_FILE
    assert expired.finding.json_path == "$.waivers[2]"
    assert "expired on 2024-12-31" in expired.finding.message
    # The unused waiver is reported; it blocks here only because fail_on is warning.
    [unused] = by_code(result, "P04")
    assert unused.finding.severity is Severity.WARNING and unused.blocking
    assert not by_code(scenario_check(policy(fail_on="error")), "P04")[0].blocking


def test_a_regression_can_be_waived() -> None:
    base = scenario_check(policy(fail_on="error", waivers=[]))
    fingerprints = [c.finding.fingerprint for c in by_code(base, "P01")]
    waivers = [
        {"fingerprint": fp, "reason": "accepted during the transition"} for fp in fingerprints
    ]
    waived = scenario_check(
        policy(
            fail_on="error",
            waivers=waivers,
            ratchet={"allow_removed_journeys": True, "tolerances": {"lead_time": "10%"}},
        )
    )
    assert waived.verdict is Verdict.PASS
    assert all(c.waiver is not None for c in by_code(waived, "P01"))


def test_policy_rules_can_be_configured() -> None:
    stricter = scenario_check(policy(fail_on="error", rules={"P04": {"severity": "error"}}))
    assert [c.blocking for c in by_code(stricter, "P04")] == [True]
    off = scenario_check(policy(rules={"P02": {"enabled": False}}))
    assert by_code(off, "P02") == []
    assert next(r for r in off.rules if r.code == "P02").enabled is False


def test_reasons_explain_the_failure() -> None:
    reasons = scenario_check().reasons
    assert reasons[0].startswith("journey 'invoice' got worse than the baseline: handoffs 2 -> 3")
    assert reasons[1].startswith("journey 'order' got worse than the baseline: handoffs 0 -> 2")
    assert any("journey 'returns'" in r and "missing from the proposal" in r for r in reasons)
    assert any("expired on 2024-12-31" in r for r in reasons)
    assert reasons[-1] == (
        "8 new findings at warning or above (3 x J01, 2 x J03, 2 x J04, 1 x J05)"
    )


def test_every_rule_is_listed() -> None:
    result = scenario_check(pinned=False)
    assert [r.code for r in result.rules] == sorted(known_codes())


def test_a_proposal_cannot_relax_the_gate_through_its_own_settings(tmp_path: Path) -> None:
    import json

    _, proposal = write_scenario(tmp_path)
    data = json.loads(proposal.read_text(encoding="utf-8"))
    data["settings"] = {
        "rules": {"J04": {"enabled": False}, "J01": {"severity": "info"}},
        "thresholds": {"flow_efficiency_min": 0.0},
    }
    proposal.write_text(json.dumps(data, indent=2), encoding="utf-8")
    args = ("check", "org/proposed.json", "--format", "json", "--fail-on", "warning")
    judged = json.loads(run_main(*args, "--baseline", "org/current.json", cwd=tmp_path).stdout)
    found = {(f["finding"]["code"], f["finding"]["severity"]) for f in judged["findings"]}
    assert ("J04", "warning") in found and ("J01", "warning") in found
    assert ("J07", "warning") in found
    # Without a baseline the document's own settings apply, as in `orgmodel analyze`.
    alone = json.loads(run_main(*args, cwd=tmp_path).stdout)
    codes_alone = {f["finding"]["code"] for f in alone["findings"]}
    assert "J04" not in codes_alone and "J07" not in codes_alone
    # The diff shows the setting changes to the reviewers.
    diff = run_main("diff", "org/current.json", "org/proposed.json", cwd=tmp_path).stdout
    assert "setting-changed: settings.rules.J04.enabled: (unset) -> False" in diff


# --------------------------------------------------------------------------- exit codes


@pytest.fixture
def org(tmp_path: Path) -> Path:
    """A working directory with the scenario's documents and policy."""
    write_scenario(tmp_path)
    (tmp_path / "orgmodel.toml").write_text(POLICY_TOML, encoding="utf-8")
    return tmp_path


def test_exit_0_when_the_check_passes(org: Path) -> None:
    result = run_cli(
        "check", "org/proposed.json", "--baseline", "org/proposed.json", "--format", "text", cwd=org
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("PASS: orgmodel check of org/proposed.json")
    assert "config orgmodel.toml" in result.stdout


def test_exit_1_when_a_journey_gets_worse(org: Path) -> None:
    result = run_cli(
        "check", "org/proposed.json", "--baseline", "org/current.json", "--format", "text", cwd=org
    )
    assert result.returncode == 1, result.stderr
    assert result.stdout.startswith("FAIL: orgmodel check of org/proposed.json")
    assert "Why it fails:\n  - journey 'invoice' got worse than the baseline" in result.stdout


def test_exit_1_for_new_findings_at_fail_on(org: Path) -> None:
    args = ("check", "org/proposed.json", "--format", "text", "--today", "2025-01-15")
    assert run_main(*args, cwd=org).returncode == 0  # only warnings, fail on error
    failed = run_main(*args, "--fail-on", "warning", cwd=org)
    assert failed.returncode == 1
    assert "findings at warning or above" in failed.stdout
    assert run_main(*args, "--fail-on", "never", cwd=org).returncode == 0


def test_exit_1_for_an_expired_waiver(org: Path) -> None:
    (org / "orgmodel.toml").write_text(
        POLICY_TOML + '\n[[waivers]]\ncode = "S01"\n'
        'reason = "yearly review"\nexpires = 2025-01-14\n',
        encoding="utf-8",
    )
    args = ("check", "org/proposed.json", "--format", "text")
    assert run_main(*args, "--today", "2025-01-14", cwd=org).returncode == 0
    late = run_main(*args, "--today", "2025-01-15", cwd=org)
    assert late.returncode == 1
    assert "waiver #2 (S01) expired on 2025-01-14" in late.stdout


def test_explicit_config_wins_over_discovery(org: Path, tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    other = tmp_path_factory.mktemp("cfg") / "strict.toml"
    other.write_text('fail_on = "warning"\n', encoding="utf-8")
    result = run_main("check", "org/proposed.json", "--format", "text", "--config", other, cwd=org)
    assert result.returncode == 1
    assert f"config {other}" in result.stdout


def test_pyproject_config_is_discovered(tmp_path: Path) -> None:
    write_scenario(tmp_path)
    (tmp_path / "pyproject.toml").write_text(
        '[tool.orgmodel]\nfail_on = "warning"\n', encoding="utf-8"
    )
    result = run_main("check", "org/proposed.json", "--format", "text", cwd=tmp_path)
    assert result.returncode == 1 and "(config pyproject.toml)" in result.stdout


@pytest.mark.parametrize("broken", ["proposed", "current"])
def test_exit_2_for_a_broken_document_with_the_load_errors_and_no_verdict(
    org: Path, broken: str
) -> None:
    (org / "org" / f"{broken}.json").write_text(
        '{\n  "orgmodel": "1",\n  "name": "Broken",\n  "units": [\n'
        '    {"id": "a", "name": "A", "parent": "nobody"}\n  ]\n}\n',
        encoding="utf-8",
    )
    for fmt in ("text", "json", "sarif", "junit", "markdown"):
        result = run_cli(
            "check", "org/proposed.json", "--baseline", "org/current.json", "--format", fmt, cwd=org
        )
        assert result.returncode == 2, (fmt, result.stdout, result.stderr)
        assert result.stdout == "", fmt
        assert f"org/{broken}.json:5:40: $.units[0].parent: unknown unit 'nobody'" in result.stderr
        assert "no verdict" in result.stderr
        assert "PASS" not in result.stderr and "FAIL" not in result.stderr


def test_exit_2_lists_the_problems_of_both_documents(org: Path) -> None:
    for name in ("proposed", "current"):
        (org / "org" / f"{name}.json").write_text("{", encoding="utf-8")
    result = run_main(
        "check", "org/proposed.json", "--baseline", "org/current.json", "--format", "text", cwd=org
    )
    assert result.returncode == 2
    assert "org/proposed.json:1:2: invalid JSON" in result.stderr
    assert "org/current.json:1:2: invalid JSON" in result.stderr


def test_the_policy_locates_its_findings_in_a_document_of_any_size(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The analysis' findings are located only in documents up to LOCATE_LIMIT; the
    policy's own (here P01, a journey that got worse) at any size, as check keeps the text."""
    from orgmodel import app

    args = ("check", TELECOM / "current.json", "--baseline", TELECOM / "proposed.json")
    args += ("--config", ROOT / "examples" / "ci" / "orgmodel.toml", "--format", "github")

    def annotations() -> list[str]:
        out = run_main(*args).stdout.splitlines()
        return [x for x in out if x.startswith("::error") and "title=P01" in x]

    small = annotations()
    monkeypatch.setattr(app, "LOCATE_LIMIT", 100)
    large = annotations()
    assert small and large == small
    assert all(",line=" in x for x in large)


def test_exit_2_in_github_format_annotates_the_load_errors(org: Path) -> None:
    (org / "org" / "proposed.json").write_text(
        '{"orgmodel": "1", "name": "x", "units": []}', encoding="utf-8"
    )
    result = run_main("check", "org/proposed.json", "--format", "github", cwd=org)
    assert result.returncode == 2
    assert result.stdout.startswith(
        "::error file=org/proposed.json,line=1,col=41,title=orgmodel%3A invalid input%2C not "
        "checked::$.units: a document needs at least one unit"
    )
    assert "orgmodel check: PASS" not in result.stdout
    assert "orgmodel check: FAIL" not in result.stdout


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ('fail_on = "sometimes"\n', "$.fail_on: input should be"),
        ("[rules.J99]\nenabled = false\n", "$.rules.J99: unknown rule code 'J99'"),
        ('[[waivers]]\ncode = "P9"\nreason = "x"\n', "$.waivers[0].code: unknown rule code 'P9'"),
        ("fail_on = \n", "invalid TOML"),
    ],
)
def test_exit_2_for_a_bad_config(org: Path, config: str, message: str) -> None:
    (org / "orgmodel.toml").write_text(config, encoding="utf-8")
    result = run_main("check", "org/proposed.json", "--format", "json", cwd=org)
    assert result.returncode == 2 and result.stdout == ""
    assert message in result.stderr


def test_exit_2_for_usage_errors(org: Path) -> None:
    assert run_main("check", "org/proposed.json", "--format", "xml", cwd=org).returncode == 2
    assert run_main("check", "org/proposed.json", "--fail-on", "always", cwd=org).returncode == 2
    assert run_main("check", cwd=org).returncode == 2
    missing = run_main("check", "org/proposed.json", "--config", "nope.toml", cwd=org)
    assert missing.returncode == 2 and "cannot read config" in missing.stderr
    nothing = run_main("check", "org/nope.json", cwd=org)
    assert nothing.returncode == 2 and "file not found" in nothing.stderr


def test_unknown_rule_code_in_the_document_settings(org: Path) -> None:
    path = org / "org" / "proposed.json"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            '"settings": {', '"settings": {"rules": {"X01": {"enabled": false}}, '
        ),
        encoding="utf-8",
    )
    result = run_main("check", "org/proposed.json", cwd=org)
    assert result.returncode == 2
    assert "$.settings.rules.X01: unknown rule code 'X01'" in result.stderr


def test_output_file(org: Path) -> None:
    result = run_main(
        "check",
        "org/proposed.json",
        "--baseline",
        "org/current.json",
        "--format",
        "sarif",
        "-o",
        "check.sarif",
        cwd=org,
    )
    assert result.returncode == 1 and result.stdout == ""
    assert (org / "check.sarif").read_text(encoding="utf-8").startswith("{")


# --------------------------------------------------------------------------- auto format


def test_auto_format_is_github_inside_github_actions(
    org: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    args = ("check", "org/proposed.json", "--baseline", "org/current.json")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    inside = run_main(*args, cwd=org)
    assert inside.stdout.startswith("::error file=org/proposed.json,line=")
    monkeypatch.setenv("GITHUB_ACTIONS", "false")
    outside = run_main(*args, cwd=org)
    assert outside.stdout.startswith("FAIL: orgmodel check of org/proposed.json")
    monkeypatch.delenv("GITHUB_ACTIONS")
    assert run_main(*args, cwd=org).stdout == outside.stdout
    assert inside.returncode == outside.returncode == 1


# --------------------------------------------------------------------------- examples


def test_example_proposed_passes_against_current() -> None:
    result = run_cli(
        "check",
        TELECOM / "proposed.json",
        "--baseline",
        TELECOM / "current.json",
        "--format",
        "text",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("PASS: ")
    assert "No blocking finding, no journey got worse than the baseline." in result.stdout


def test_example_tidy_fails_on_two_journeys() -> None:
    result = run_cli(
        "check", TELECOM / "tidy.json", "--baseline", TELECOM / "current.json", "--format", "text"
    )
    assert result.returncode == 1, result.stdout + result.stderr
    why = result.stdout.split("Why it fails:\n")[1].split("\n\n")[0].splitlines()
    assert len(why) == 2, why
    assert why[0].startswith(
        "  - journey 'usage-question' got worse than the baseline: "
        "handoffs 6 -> 7 (+1); crossings 5 -> 6 (+1)"
    )
    assert why[1].startswith(
        "  - journey 'invoice-question' got worse than the baseline: "
        "wait at handoffs 23d -> 25d (+2d)"
    )


def test_example_tidy_looks_tidier() -> None:
    from conftest import analyze_document

    from orgmodel import load_document

    current = analyze_document(load_document(TELECOM / "current.json"))
    tidy = analyze_document(load_document(TELECOM / "tidy.json"))
    assert tidy.document.units < current.document.units
    assert tidy.section("structure").layers < current.section("structure").layers  # type: ignore[attr-defined]


def test_today_is_the_default_date() -> None:
    result = scenario_check(Config())
    assert result.fail_on.value == "error" and TODAY.year == 2025


def test_a_journey_named_with_the_phrase_does_not_garble_the_reasons(tmp_path: Path) -> None:
    data = json.loads((TELECOM / "tidy.json").read_text(encoding="utf-8"))
    journey = next(j for j in data["journeys"] if j["id"] == "usage-question")
    journey["name"] = "Usage got worse: a question"
    proposal = tmp_path / "tidy.json"
    proposal.write_text(json.dumps(data), encoding="utf-8")
    result = run_main("check", proposal, "--baseline", TELECOM / "current.json", "--format", "text")
    why = result.stdout.split("Why it fails:\n")[1].split("\n\n")[0].splitlines()
    assert why[0].startswith(
        "  - journey 'usage-question' got worse than the baseline: "
        "handoffs 6 -> 7 (+1); crossings 5 -> 6 (+1)"
    )
    assert "a question" not in why[0]
    github = run_main(
        "check", proposal, "--baseline", TELECOM / "current.json", "--format", "github"
    ).stdout
    line = next(x for x in github.splitlines() if "usage-question" in x and "P01" in x)
    assert "(Usage got worse: a question) got worse: handoffs 6 -> 7 (+1); crossings" in line
