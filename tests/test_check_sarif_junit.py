"""SARIF and JUnit of ``orgmodel check`` as their consumers read them: the telecom example and
the shared scenario against the SARIF 2.1.0 schema and GitHub code scanning's rules, and JUnit
against the Jenkins xUnit plugin's ``junit-10.xsd``."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import xmlschema
from conftest import DATA, ROOT, run_main
from jsonschema import FormatChecker
from jsonschema.validators import validator_for
from test_check_scenario import policy, scenario_check, write_scenario

from orgmodel.analysis.registry import ANALYZERS, RULES
from orgmodel.compare.policy import Verdict
from orgmodel.output import CHECK_FORMATS
from orgmodel.output.sarif import artifact_location, rules_url, source_root
from orgmodel.rulesref import rules_markdown

BASELINE = "examples/telecom/current.json"
CONFIG = "examples/ci/orgmodel.toml"
TODAY = "2026-06-01"
#: Two more waivers after the example config's own: one that matches nothing, one that
#: expires on 2026-12-31.
EXTRA_WAIVERS = """
[[waivers]]
fingerprint = "0123456789abcdef"
reason = "An old exception"

[[waivers]]
code = "J04"
reason = "Until the segment teams are staffed"
expires = 2026-12-31
"""
FAMILIES = {a.name for a in ANALYZERS} | {"policy"}


@pytest.fixture(autouse=True)
def _no_ci_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Outputs as on a developer's machine, also when the tests run in GitHub Actions."""
    for name in (
        "ORGMODEL_RULES_URL",
        "GITHUB_WORKSPACE",
        "GITHUB_SERVER_URL",
        "GITHUB_ACTION_REPOSITORY",
        "GITHUB_ACTION_REF",
    ):
        monkeypatch.delenv(name, raising=False)


def telecom(
    fmt: str, proposal: str, *, config: bool, today: str = TODAY, expect: int | None = None
) -> str:
    """`orgmodel check` of a telecom proposal against the current organization in ``fmt``."""
    args = [
        "check",
        f"examples/telecom/{proposal}.json",
        "--baseline",
        BASELINE,
        "--format",
        fmt,
        "--today",
        today,
    ]
    if config:
        args += ["--config", CONFIG]
    got = run_main(*args)
    assert got.returncode in (0, 1), got.stderr
    if expect is not None:
        assert got.returncode == expect, got.stdout
    return got.stdout


#: (proposal, with the example config, expected exit code)
TELECOM_CHECKS = [
    ("tidy", False, 1),
    ("tidy", True, 1),
    ("proposed", False, 0),
    ("proposed", True, 0),
]


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
def test_junit_of_the_telecom_check_is_valid(
    junit_schema: xmlschema.XMLSchema, proposal: str, config: bool, code: int
) -> None:
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
    config = {
        "failing": None,
        "passing": policy(fail_on="never"),
        "skipped rule": policy(rules={"S01": {"enabled": False}}),
    }[case]
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


# --------------------------------------------------------------------------- SARIF

RULES_URL = "https://git.example.org/acme/orgmodel/blob/v1/docs/rules.md"


def anchors() -> set[str]:
    """The anchors of the rules reference: GitHub's slugs of its `### CODE name` headings."""
    return {
        line[4:].lower().replace(" ", "-")
        for line in rules_markdown().splitlines()
        if line.startswith("### ")
    }


def assert_ready_for_code_scanning(log: dict, *, rules_url: str | None) -> None:
    """What GitHub code scanning needs beyond the schema (and what it reads)."""
    run = log["runs"][0]
    assert set(run["originalUriBaseIds"]) == {"%SRCROOT%"}
    rules = run["tool"]["driver"]["rules"]
    for rule in rules:
        assert 0 < len(rule["shortDescription"]["text"]) <= 1000, rule["id"]
        assert 0 < len(rule["fullDescription"]["text"]) <= 1000, rule["id"]
        assert rule["help"]["text"] and rule["help"]["markdown"], rule["id"]
        tags = rule["properties"]["tags"]
        assert tags[0] == "orgmodel" and len(tags) == 2 and tags[1] in FAMILIES, rule["id"]
        assert rule["properties"]["problem.severity"] in ("error", "warning", "recommendation")
        anchor = f"{rule['id'].lower()}-{rule['name']}"
        assert anchor in anchors()
        if rules_url is None:
            assert "helpUri" not in rule
        else:
            assert rule["helpUri"] == f"{rules_url}#{anchor}"
            assert urlsplit(rule["helpUri"]).scheme in ("http", "https")
    for result in run["results"]:
        location = result["locations"][0]["physicalLocation"]
        assert location["region"]["startLine"] >= 1, result
        artifact = location["artifactLocation"]
        assert artifact["uriBaseId"] == "%SRCROOT%", artifact
        assert not urlsplit(artifact["uri"]).scheme and not artifact["uri"].startswith("/")
        fingerprints = result["partialFingerprints"]
        assert fingerprints["primaryLocationLineHash"] == fingerprints["orgmodel/v1"]


@pytest.fixture(scope="module")
def sarif_validator():  # type: ignore[no-untyped-def]
    schema = json.loads((DATA / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    cls = validator_for(schema)
    return cls(schema, format_checker=FormatChecker())


def sarif_errors(validator, log: dict) -> list[str]:  # type: ignore[no-untyped-def]
    return [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(log)]


@pytest.mark.parametrize(("proposal", "config", "code"), TELECOM_CHECKS)
def test_sarif_of_the_telecom_check_is_ready_for_code_scanning(
    sarif_validator, proposal: str, config: bool, code: int
) -> None:  # type: ignore[no-untyped-def]
    log = json.loads(telecom("sarif", proposal, config=config, expect=code))
    assert sarif_errors(sarif_validator, log) == []
    assert_ready_for_code_scanning(log, rules_url=None)
    results = log["runs"][0]["results"]
    files = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert f"examples/telecom/{proposal}.json" in files
    assert files <= {f"examples/telecom/{proposal}.json", BASELINE, CONFIG}
    # The example policy's waiver matches findings of both proposals: no P04.
    assert not [r for r in results if r["ruleId"] == "P04"]


def test_sarif_help_links_to_the_rules_reference(
    sarif_validator, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("ORGMODEL_RULES_URL", RULES_URL)
    log = json.loads(telecom("sarif", "tidy", config=True))
    assert sarif_errors(sarif_validator, log) == []
    assert_ready_for_code_scanning(log, rules_url=RULES_URL)
    g06 = next(r for r in log["runs"][0]["tool"]["driver"]["rules"] if r["id"] == "G06")
    rule = RULES["G06"]
    assert len(rule.doc) > 1000  # the full text is in the help, the description is cut short
    plain = re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", rule.doc)  # links as their words
    assert rule.summary in g06["help"]["text"]
    docs = RULES_URL.rsplit("/", 1)[0]
    for title, part in rule.sections():  # What it finds / Why it matters / How to fix
        words = re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", part)
        assert f"{title}: {words}" in g06["help"]["text"]
        linked = part.replace("](concepts.md", f"]({docs}/concepts.md")
        assert f"**{title}.** {linked}" in g06["help"]["markdown"]
    assert '"kind": "resolution"' in g06["help"]["text"]  # the example
    assert "**Example.**" in g06["help"]["markdown"] and "```json" in g06["help"]["markdown"]
    assert f"]({RULES_URL}#g06-conflicting-goals)" in g06["help"]["markdown"]
    assert g06["fullDescription"]["text"].endswith(". …")
    assert plain.startswith(g06["fullDescription"]["text"].removesuffix(" …"))


def test_sarif_help_uri_from_the_action(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_SERVER_URL", "https://github.example.com")
    monkeypatch.setenv("GITHUB_ACTION_REPOSITORY", "acme/orgmodel")
    monkeypatch.setenv("GITHUB_ACTION_REF", "v1.2")
    assert rules_url() == "https://github.example.com/acme/orgmodel/blob/v1.2/docs/rules.md"
    monkeypatch.setenv("ORGMODEL_RULES_URL", RULES_URL)
    assert rules_url() == RULES_URL
    monkeypatch.setenv("ORGMODEL_RULES_URL", "docs/rules.md")  # not absolute: ignored
    assert rules_url() == "https://github.example.com/acme/orgmodel/blob/v1.2/docs/rules.md"
    monkeypatch.delenv("GITHUB_ACTION_REF")  # empty in composite actions' steps
    assert rules_url() is None


@pytest.fixture
def waiver_repo(tmp_path: Path) -> Path:
    """A repository with the telecom pair and the example config plus :data:`EXTRA_WAIVERS`
    as its orgmodel.toml."""
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "examples" / "telecom").mkdir(parents=True)
    for name in ("current.json", "proposed.json"):
        (repo / "examples" / "telecom" / name).write_bytes(
            (ROOT / "examples" / "telecom" / name).read_bytes()
        )
    text = (ROOT / CONFIG).read_text(encoding="utf-8") + EXTRA_WAIVERS
    (repo / "orgmodel.toml").write_text(text, encoding="utf-8")
    return repo


def waiver_lines(repo: Path) -> list[int]:
    lines = (repo / "orgmodel.toml").read_text(encoding="utf-8").splitlines()
    return [i + 1 for i, line in enumerate(lines) if line == "[[waivers]]"]


@pytest.mark.parametrize(("today", "codes"), [(TODAY, ["P04"]), ("2027-01-01", ["P03", "P04"])])
def test_sarif_locates_waiver_findings_in_the_config(
    sarif_validator, waiver_repo: Path, today: str, codes: list[str]
) -> None:  # type: ignore[no-untyped-def]
    got = run_main(
        "check",
        "examples/telecom/proposed.json",
        "--baseline",
        BASELINE,
        "--format",
        "sarif",
        "--today",
        today,
        cwd=waiver_repo,
    )
    assert got.returncode == (1 if "P03" in codes else 0), got.stderr
    log = json.loads(got.stdout)
    assert sarif_errors(sarif_validator, log) == []
    assert_ready_for_code_scanning(log, rules_url=None)
    found = {
        r["ruleId"]: r["locations"][0]["physicalLocation"]
        for r in log["runs"][0]["results"]
        if r["ruleId"] in ("P03", "P04")
    }
    assert sorted(found) == codes
    unused, expiring = waiver_lines(waiver_repo)[1:]
    expected = {"P04": unused, "P03": expiring}
    for code, place in found.items():
        assert place == {
            "artifactLocation": {"uri": "orgmodel.toml", "uriBaseId": "%SRCROOT%"},
            "region": {"startLine": expected[code], "startColumn": 1},
        }


def test_sarif_findings_without_a_line_are_on_line_1(sarif_validator) -> None:  # type: ignore[no-untyped-def]
    result = scenario_check()  # its config is not read from a file: P03, P04 have no line
    log = json.loads(CHECK_FORMATS["sarif"](result))
    assert sarif_errors(sarif_validator, log) == []
    assert_ready_for_code_scanning(log, rules_url=None)
    waivers = [r for r in log["runs"][0]["results"] if r["ruleId"] in ("P03", "P04")]
    assert len(waivers) == 2
    for r in waivers:
        assert r["locations"][0]["physicalLocation"]["region"] == {"startLine": 1}


def test_sarif_uris_are_relative_to_the_repository_root(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    _, proposal = write_scenario(repo)
    outside, _ = write_scenario(tmp_path / "elsewhere")
    # From a subdirectory, with an absolute path inside and one outside the repository.
    got = run_main(
        "check",
        "proposed.json",
        "--baseline",
        outside,
        "--format",
        "sarif",
        "--fail-on",
        "never",
        cwd=proposal.parent,
    )
    assert got.returncode == 0, got.stderr
    run = json.loads(got.stdout)["runs"][0]
    places = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]: r["locations"][0][
            "physicalLocation"
        ]["artifactLocation"].get("uriBaseId")
        for r in run["results"]
    }
    assert places == {"org/proposed.json": "%SRCROOT%", outside.as_uri(): None}
    assert artifact_location(str(proposal), root=repo, cwd=tmp_path) == {
        "uri": "org/proposed.json",
        "uriBaseId": "%SRCROOT%",
    }
    assert artifact_location("org/my plan #2.json", root=repo, cwd=repo) == {
        "uri": "org/my%20plan%20%232.json",
        "uriBaseId": "%SRCROOT%",
    }


def test_source_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = tmp_path / "repo"
    (repo / "org" / "deep").mkdir(parents=True)
    (repo / ".git").write_text("gitdir: elsewhere\n", encoding="utf-8")  # a worktree
    assert source_root(repo / "org" / "deep") == repo
    plain = tmp_path / "plain"
    plain.mkdir()
    if source_root(plain) != plain:  # pragma: no cover - a repository around the tmp dir
        pytest.skip("the temporary directory is inside a git repository")
    monkeypatch.setenv("GITHUB_WORKSPACE", str(tmp_path))
    assert source_root(plain) == tmp_path


def test_sarif_rule_texts_have_no_relative_links(monkeypatch: pytest.MonkeyPatch) -> None:
    """The docs' links (``concepts.md#silos``) would break in code scanning: plain words in
    the text fields, absolute links in Markdown when the rules reference has an address."""
    for url in (None, RULES_URL):
        if url is None:
            monkeypatch.delenv("ORGMODEL_RULES_URL", raising=False)
        else:
            monkeypatch.setenv("ORGMODEL_RULES_URL", url)
        log = json.loads(telecom("sarif", "tidy", config=False))
        j01 = next(r for r in log["runs"][0]["tool"]["driver"]["rules"] if r["id"] == "J01")
        for field in (j01["fullDescription"]["text"], j01["help"]["text"]):
            assert "](" not in field and "concepts.md" not in field
        if url is None:
            assert "](" not in j01["help"]["markdown"]
        else:
            base = url.rsplit("/", 1)[0]
            assert f"[silo]({base}/concepts.md#silos)" in j01["help"]["markdown"]
