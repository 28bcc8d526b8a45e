"""Every output format of ``orgmodel check`` from one shared set of findings (the scenario):
goldens, SARIF 2.1.0 against the official schema, JUnit structure, GitHub escaping."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import DATA, assert_golden
from jsonschema import FormatChecker
from jsonschema.validators import validator_for
from test_check_scenario import ORDER_NAME, SSC_NAME, scenario_check

import orgmodel
from orgmodel.compare.policy import Verdict
from orgmodel.output import CHECK_FORMATS, github
from orgmodel.output.check_markdown import MARKER
from orgmodel.output.github import annotation, escape_data, escape_property
from orgmodel.output.sarif import artifact_uri

GOLDENS = Path(__file__).resolve().parent / "goldens" / "check"
NAMES = {
    "text": "text.txt",
    "json": "json.json",
    "markdown": "markdown.md",
    "github": "github.txt",
    "sarif": "sarif.json",
    "junit": "junit.xml",
}
VERSION = "<orgmodel version>"


@pytest.fixture(autouse=True)
def _outside_ci(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """SARIF as on a developer's machine, from a directory outside any repository, so that
    the scenario's relative file names stay as they are, wherever the tests run."""
    for name in (
        "ORGMODEL_RULES_URL",
        "GITHUB_WORKSPACE",
        "GITHUB_SERVER_URL",
        "GITHUB_ACTION_REPOSITORY",
        "GITHUB_ACTION_REF",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


def rendered(fmt: str) -> str:
    """The scenario in ``fmt``, with the orgmodel version replaced so goldens survive a bump."""
    text = CHECK_FORMATS[fmt](scenario_check())
    return text.replace(f'"version": "{orgmodel.__version__}"', f'"version": "{VERSION}"')


def test_every_format_has_a_golden() -> None:
    assert set(NAMES) == set(CHECK_FORMATS)
    assert {p.name for p in GOLDENS.glob("*")} == set(NAMES.values())


@pytest.mark.parametrize("fmt", sorted(NAMES))
def test_golden(fmt: str, request: pytest.FixtureRequest) -> None:
    got = rendered(fmt)
    golden = GOLDENS / NAMES[fmt]
    assert_golden(request, golden, got)


# --------------------------------------------------------------------------- SARIF


@pytest.fixture(scope="module")
def sarif_validator():  # type: ignore[no-untyped-def]
    schema = json.loads((DATA / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    assert schema["title"] == "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    cls = validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=FormatChecker())


@pytest.mark.parametrize("with_baseline", [True, False])
def test_sarif_is_valid_against_the_official_schema(
    sarif_validator,  # type: ignore[no-untyped-def]
    with_baseline: bool,
) -> None:
    log = json.loads(CHECK_FORMATS["sarif"](scenario_check(with_baseline=with_baseline)))
    errors = sorted(sarif_validator.iter_errors(log), key=lambda e: list(e.path))
    assert errors == [], "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


def test_sarif_validator_catches_mistakes(sarif_validator) -> None:  # type: ignore[no-untyped-def]
    log = json.loads(CHECK_FORMATS["sarif"](scenario_check()))
    log["runs"][0]["results"][0]["level"] = "fatal"
    del log["runs"][0]["tool"]["driver"]["name"]
    assert len(list(sarif_validator.iter_errors(log))) == 2


def test_sarif_content() -> None:
    result = scenario_check()
    run = json.loads(CHECK_FORMATS["sarif"](result))["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [r.code for r in result.rules]
    assert len(run["results"]) == len(result.findings)
    first = run["results"][0]
    assert first["ruleId"] == "P01" and rules[first["ruleIndex"]]["id"] == "P01"
    assert first["level"] == "error" and first["baselineState"] == "new"
    location = first["locations"][0]
    assert location["physicalLocation"]["artifactLocation"]["uri"] == "org/proposed.json"
    assert location["physicalLocation"]["region"]["startLine"] == result.findings[0].finding.line
    assert location["logicalLocations"][0]["fullyQualifiedName"] == "$.journeys[0]"
    fingerprint = result.findings[0].finding.fingerprint
    assert first["partialFingerprints"] == {
        "primaryLocationLineHash": fingerprint,
        "orgmodel/v1": fingerprint,
    }
    waived = [r for r in run["results"] if "suppressions" in r]
    assert {r["ruleId"] for r in waived} == {"J02", "J06"}
    assert waived[0]["suppressions"][0]["kind"] == "external"
    states = {r["baselineState"] for r in run["results"]}
    assert states == {"new", "unchanged"}
    assert run["properties"]["verdict"] == "fail"


@pytest.mark.parametrize(
    ("file", "uri"),
    [
        ("org/proposed.json", "org/proposed.json"),
        ("my org/plan #2.json", "my%20org/plan%20%232.json"),
        ("/srv/org/a.json", "file:///srv/org/a.json"),
        ("C:\\org\\a.json", "file:///C%3A/org/a.json"),
    ],
)
def test_sarif_artifact_uris(file: str, uri: str) -> None:
    assert artifact_uri(file) == uri


# --------------------------------------------------------------------------- JUnit


def test_junit_has_one_test_case_per_rule() -> None:
    result = scenario_check()
    root = ET.fromstring(CHECK_FORMATS["junit"](result))
    suite = root.find("testsuite")
    assert suite is not None
    cases = suite.findall("testcase")
    assert [c.get("name").split()[0] for c in cases] == [r.code for r in result.rules]  # type: ignore[union-attr]
    failed = {c.get("name").split()[0] for c in cases if c.find("failure") is not None}  # type: ignore[union-attr]
    assert failed == {c.finding.code for c in result.blocking}
    assert root.get("tests") == suite.get("tests") == str(len(cases))
    assert root.get("failures") == str(len(failed))
    p01 = next(c for c in cases if c.get("name") == "P01 journey-regressed")
    failure = p01.find("failure")
    assert failure is not None and failure.get("message", "").startswith("8 blocking findings")
    assert (failure.text or "").count("\n") == 7
    properties = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert properties["verdict"] == "fail" and properties["baseline"] == "org/current.json"


def test_junit_skips_switched_off_rules_and_cleans_control_characters() -> None:
    from test_check_scenario import policy

    result = scenario_check(policy(rules={"S01": {"enabled": False}}))
    root = ET.fromstring(CHECK_FORMATS["junit"](result))
    s01 = next(c for c in root.iter("testcase") if c.get("name", "").startswith("S01"))
    assert s01.find("skipped") is not None
    assert root.find("testsuite").get("skipped") == "1"  # type: ignore[union-attr]


# --------------------------------------------------------------------------- GitHub


def test_toolkit_escaping() -> None:
    assert escape_data("a%b\r\nc:d,e") == "a%25b%0D%0Ac:d,e"
    assert escape_property("a%b\r\nc:d,e") == "a%25b%0D%0Ac%3Ad%2Ce"
    assert annotation(
        "warning", "50% done\nnext", file="a,b:c.json", line=3, col=7, title="T: x, y"
    ) == ("::warning file=a%2Cb%3Ac.json,line=3,col=7,title=T%3A x%2C y::50%25 done%0Anext")
    assert annotation("notice", "m") == "::notice::m"
    assert annotation("error", "m", file="f", col=4) == "::error file=f::m"


def test_unit_name_with_comma_colon_percent_and_newline_is_escaped() -> None:
    assert SSC_NAME == "Ops, Billing: 100%\nteam"
    lines = CHECK_FORMATS["github"](scenario_check()).splitlines()
    ssc = [line for line in lines if "title=J01 uncovered-silo-crossing%3A Ops" in line]
    assert ssc == [
        "::error file=org/proposed.json,line=92,col=19,"
        "title=J01 uncovered-silo-crossing%3A Ops%2C Billing%3A 100%25%0Ateam::"
        "journey 'invoice' step 2: silo crossing service -> finance (hotline -> ssc) is "
        "uncovered: owner 'care' covers neither unit by subtree nor service "
        "[$.journeys[0].steps[1].unit; fingerprint 55b138bb79c79750]"
    ]
    for line in lines:
        assert "\r" not in line
        if line.startswith("::"):
            head, _, _ = line[2:].partition("::")
            properties = head.partition(" ")[2]
            for prop in properties.split(","):
                key, _, value = prop.partition("=")
                assert key in {"file", "line", "col", "title"}
                assert ":" not in value and "%" not in value.replace("%25", "").replace(
                    "%0A", ""
                ).replace("%0D", "").replace("%3A", "").replace("%2C", "")


def test_journey_name_with_percent_and_newline_is_escaped_in_the_message() -> None:
    assert ORDER_NAME == "Order 100%\nfast"
    text = CHECK_FORMATS["github"](scenario_check())
    order = [line for line in text.splitlines() if "journey 'order' (Order" in line]
    assert order[0].startswith(
        "::error file=org/proposed.json,line=113,col=5,"
        "title=P01 journey-regressed%3A Order 100%25%0Afast::journey 'order' (Order 100%25%0Afast) "
        "got worse: handoffs 0 -> 2 (+2); crossings 0 -> 2 (+2)"
    )


def test_github_annotates_what_matters_on_the_pull_request() -> None:
    result = scenario_check()
    text = github.render(result, cap=1000)
    annotations = [line for line in text.splitlines() if line.startswith("::")]
    # One annotation per regressed journey, one per other blocking finding, one per new
    # non-blocking unwaived finding; none for unchanged or waived findings.
    blocking_groups = 2 + sum(1 for c in result.blocking if c.finding.code != "P01")
    assert sum(1 for a in annotations if a.startswith("::error ")) == blocking_groups
    assert not any("J02 journey-without-owner" in a for a in annotations)  # waived
    assert not any("J07 low-flow-efficiency" in a for a in annotations)  # unchanged
    assert text.splitlines()[len(annotations)] == (
        f"orgmodel check: FAIL ({len(result.blocking)} blocking of {len(result.findings)} "
        "findings, fail on warning)"
    )


# --------------------------------------------------------------------------- Markdown, text


def test_markdown_puts_the_verdict_first() -> None:
    text = CHECK_FORMATS["markdown"](scenario_check())
    lines = text.splitlines()
    assert lines[0] == MARKER
    assert lines[1] == "## ❌ orgmodel check failed: Acme, proposed"
    assert text.index("**Why it fails**") < text.index("<details")
    assert text.count("<details") == text.count("</details>")
    assert "Ops, Billing: 100% team" in text


def test_text_keeps_one_finding_per_line() -> None:
    text = CHECK_FORMATS["text"](scenario_check())
    assert "(Order 100%\\nfast)" in text
    assert all(not line.startswith("fast") for line in text.splitlines())


def test_passing_result_in_every_format() -> None:
    from test_check_scenario import policy

    result = scenario_check(policy(fail_on="never"))
    assert result.verdict is Verdict.PASS
    assert CHECK_FORMATS["text"](result).startswith("PASS: ")
    assert "✅ orgmodel check passed" in CHECK_FORMATS["markdown"](result)
    assert "orgmodel check: PASS" in CHECK_FORMATS["github"](result)
    assert json.loads(CHECK_FORMATS["json"](result))["verdict"] == "pass"
    assert json.loads(CHECK_FORMATS["sarif"](result))["runs"][0]["properties"]["verdict"] == (
        "pass"
    )
    assert ET.fromstring(CHECK_FORMATS["junit"](result)).get("failures") == "0"
