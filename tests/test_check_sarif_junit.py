"""SARIF and JUnit of ``orgmodel check`` as their consumers read them: the telecom example and
the shared scenario against the SARIF 2.1.0 schema and GitHub code scanning's rules, and JUnit
against the Jenkins xUnit plugin's ``junit-10.xsd``."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
import xmlschema
from conftest import DATA, run_main
from test_check_scenario import policy, scenario_check

from orgmodel.compare.policy import Verdict
from orgmodel.output import CHECK_FORMATS

BASELINE = "examples/telecom/current.json"
CONFIG = "examples/ci/orgmodel.toml"
#: The example config's waiver expires on 2026-12-31: judge it as of a day before.
TODAY = "2026-06-01"


@pytest.fixture(autouse=True)
def _no_ci_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Outputs as on a developer's machine, also when the tests run in GitHub Actions."""
    for name in ("ORGMODEL_RULES_URL", "GITHUB_WORKSPACE", "GITHUB_SERVER_URL",
                 "GITHUB_ACTION_REPOSITORY", "GITHUB_ACTION_REF"):
        monkeypatch.delenv(name, raising=False)


def telecom(fmt: str, proposal: str, *, config: bool, today: str = TODAY,
            expect: int | None = None) -> str:
    """`orgmodel check` of a telecom proposal against the current organization in ``fmt``."""
    args = ["check", f"examples/telecom/{proposal}.json", "--baseline", BASELINE,
            "--format", fmt, "--today", today]
    if config:
        args += ["--config", CONFIG]
    got = run_main(*args)
    assert got.returncode in (0, 1), got.stderr
    if expect is not None:
        assert got.returncode == expect, got.stdout
    return got.stdout


#: (proposal, with the example config, expected exit code)
TELECOM_CHECKS = [("tidy", False, 1), ("tidy", True, 1), ("proposed", False, 0),
                  ("proposed", True, 0)]


# --------------------------------------------------------------------------- JUnit


@pytest.fixture(scope="module")
def junit_schema() -> xmlschema.XMLSchema:
    schema = xmlschema.XMLSchema(str(DATA / "junit-10.xsd"))
    assert schema.elements["testsuites"] is not None
    return schema


def junit_errors(schema: xmlschema.XMLSchema, text: str) -> list[str]:
    """Every reason why ``text`` is not valid against ``schema``."""
    return [str(e.reason) for e in schema.iter_errors(text.encode("utf-8"))]


@pytest.mark.parametrize(("proposal", "config", "code"), TELECOM_CHECKS)
def test_junit_of_the_telecom_check_is_valid(junit_schema: xmlschema.XMLSchema,
                                             proposal: str, config: bool, code: int) -> None:
    text = telecom("junit", proposal, config=config, expect=code)
    assert junit_errors(junit_schema, text) == []
    suite = ET.fromstring(text).find("testsuite")
    assert suite is not None
    assert (int(suite.get("failures", "")) > 0) == (code == 1)
    # The example config switches S01 off: a skipped test case.
    skipped = [c.get("name") for c in suite.iter("testcase") if c.find("skipped") is not None]
    assert skipped == (["S01 span-of-control"] if config else [])
    assert suite.get("skipped") == str(len(skipped))


@pytest.mark.parametrize("case", ["failing", "passing", "skipped rule"])
def test_junit_of_the_scenario_is_valid(junit_schema: xmlschema.XMLSchema, case: str) -> None:
    config = {"failing": None, "passing": policy(fail_on="never"),
              "skipped rule": policy(rules={"S01": {"enabled": False}})}[case]
    result = scenario_check(config)
    assert result.verdict is (Verdict.PASS if case == "passing" else Verdict.FAIL)
    text = CHECK_FORMATS["junit"](result)
    assert junit_errors(junit_schema, text) == []
    if case == "skipped rule":
        assert ET.fromstring(text).find("testsuite").get("skipped") == "1"  # type: ignore[union-attr]


def test_junit_schema_catches_mistakes(junit_schema: xmlschema.XMLSchema) -> None:
    text = CHECK_FORMATS["junit"](scenario_check())
    root = ET.fromstring(text)
    root.set("skipped", "1")  # what orgmodel wrote before: not in the schema
    del root.find("testsuite").attrib["tests"]  # type: ignore[union-attr]
    assert len(junit_errors(junit_schema, ET.tostring(root, "unicode"))) == 2
