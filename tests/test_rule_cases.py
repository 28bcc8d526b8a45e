"""Rule cases: one YAML file per rule code under ``tests/rule_cases/`` (in the manner of
sqlfluff's ``test/fixtures/rules/std_rule_cases``), each with failing and passing documents.

A case file::

    rule: J01                     # the code; the file is named after it (J01.yml)
    cases:
      - name: crossing-without-owner
        example: true             # the rules reference shows this case (Rule.example)
        document: {...}           # top-level members added to the minimal document
        baseline: {...}           # optional: run as `orgmodel check --baseline` (same merge)
        config: {...}             # optional: an orgmodel.toml as a mapping (thresholds,
                                  # rules, ratchet, waivers ...)
        today: 2025-06-01         # optional: the check's date (default 2025-01-01)
        fail:                     # the findings of this code, exactly (in any order)
          - path: $.journeys[0].steps[1].unit
            severity: warning     # optional
            message: uncovered    # optional: a substring of the message
      - name: crossing-covered-by-overlay-owner
        document: {...}
        pass: true                # no finding of this code

The document's own `settings` (thresholds, `rules` severity or `enabled`) go in `document`.
"""

from __future__ import annotations

import copy
import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import MINIMAL

from orgmodel import load_text
from orgmodel.analysis.findings import Finding, Rule
from orgmodel.analysis.registry import RULES
from orgmodel.app import CheckRequest, ConfigFile, Source, check
from orgmodel.compare.policy import POLICY_RULES
from orgmodel.config import Config
from orgmodel.rulesref import EXAMPLE_BASE, example_document

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

CASES_DIR = Path(__file__).resolve().parent / "rule_cases"

#: Every rule code: the analyzers' and the review policy's.
ALL_RULES: dict[str, Rule] = {**RULES, **{r.code: r for r in POLICY_RULES}}

#: The date of a check when the case gives none.
DEFAULT_TODAY = date(2025, 1, 1)

_CASE_KEYS = {"name", "example", "document", "baseline", "config", "today", "fail", "pass"}
_EXPECTED_KEYS = {"path", "severity", "message"}


@dataclass(frozen=True)
class Case:
    """One case of a rule's case file."""

    code: str
    name: str
    document: dict[str, Any]
    fail: tuple[dict[str, str], ...] | None
    baseline: dict[str, Any] | None = None
    config: dict[str, Any] = field(default_factory=dict)
    today: date = DEFAULT_TODAY
    example: bool = False

    @property
    def id(self) -> str:
        """Test id: code, name and whether the case fails or passes."""
        return f"{self.code}-{self.name}-{'fails' if self.fail is not None else 'passes'}"


def full_document(members: dict[str, Any] | None) -> dict[str, Any]:
    """The minimal document with ``members`` (top-level keys) replaced or added."""
    out = copy.deepcopy(MINIMAL)
    out.update(copy.deepcopy(members or {}))
    return out


def run_case(
    document: dict[str, Any],
    *,
    baseline: dict[str, Any] | None = None,
    config: dict[str, Any] | None = None,
    today: date = DEFAULT_TODAY,
) -> list[Finding]:
    """Every finding of ``orgmodel check`` on the full ``document`` (against ``baseline``,
    with ``config``): the analysis findings and the policy's. The one place that calls the
    engine, so that a change of its signatures is adapted here."""
    conf = Config.model_validate(config or {})
    proposal = Source(
        "proposal.json", load_text(json.dumps(full_document(document)), "proposal.json")
    )
    old = (
        Source("baseline.json", load_text(json.dumps(full_document(baseline)), "baseline.json"))
        if baseline is not None
        else None
    )
    result = check(CheckRequest(proposal, old, ConfigFile(conf, "orgmodel.toml"), today=today))
    return [c.finding for c in result.findings]


def _load_file(path: Path) -> list[Case]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict) and set(data) == {"rule", "cases"}, path.name
    code = data["rule"]
    assert path.stem == code, f"{path.name} is about rule {code}"
    cases = []
    for raw in data["cases"]:
        assert set(raw) <= _CASE_KEYS, (path.name, raw.get("name"), set(raw) - _CASE_KEYS)
        assert ("fail" in raw) != ("pass" in raw), (path.name, raw["name"], "fail or pass")
        fail = None
        if "fail" in raw:
            assert raw["fail"], (path.name, raw["name"], "a failing case expects findings")
            assert all(set(f) <= _EXPECTED_KEYS and "path" in f for f in raw["fail"])
            fail = tuple(raw["fail"])
        else:
            assert raw["pass"] is True, (path.name, raw["name"])
        cases.append(
            Case(
                code=code,
                name=raw["name"],
                document=raw.get("document") or {},
                fail=fail,
                baseline=raw.get("baseline"),
                config=raw.get("config") or {},
                today=raw.get("today", DEFAULT_TODAY),
                example=bool(raw.get("example", False)),
            )
        )
    return cases


def case_files() -> list[Path]:
    """The case files, by name."""
    return sorted(CASES_DIR.glob("*.yml"))


def all_cases() -> list[Case]:
    """Every case of every case file."""
    return [case for path in case_files() for case in _load_file(path)]


CASES = all_cases()


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_rule_case(case: Case) -> None:
    findings = [
        f
        for f in run_case(
            case.document, baseline=case.baseline, config=case.config, today=case.today
        )
        if f.code == case.code
    ]
    shown = "\n".join(f"  {f.json_path} [{f.severity.value}] {f.message}" for f in findings)
    if case.fail is None:
        assert not findings, f"{case.id}: expected no {case.code} finding, got:\n{shown}"
        return
    got = Counter(f.json_path for f in findings)
    want = Counter(e["path"] for e in case.fail)
    assert got == want, f"{case.id}: expected {case.code} at {dict(want)}, got:\n{shown}"
    for expected in case.fail:
        at = [f for f in findings if f.json_path == expected["path"]]
        if "severity" in expected:
            assert any(f.severity.value == expected["severity"] for f in at), (case.id, shown)
        if "message" in expected:
            assert any(expected["message"] in f.message for f in at), (case.id, shown)


def test_every_rule_has_a_case_file() -> None:
    files = {path.stem for path in case_files()}
    missing = sorted(set(ALL_RULES) - files)
    unknown = sorted(files - set(ALL_RULES))
    assert not missing, f"rules without a case file in tests/rule_cases: {missing}"
    assert not unknown, f"case files of unknown rule codes: {unknown}"


@pytest.mark.parametrize("code", sorted(ALL_RULES))
def test_every_rule_has_failing_and_passing_cases(code: str) -> None:
    mine = [c for c in CASES if c.code == code]
    assert any(c.fail is not None for c in mine), f"{code}: no failing case"
    assert any(c.fail is None for c in mine), f"{code}: no passing case"
    assert len({c.name for c in mine}) == len(mine), f"{code}: case names repeat"


@pytest.mark.parametrize("code", sorted(ALL_RULES))
def test_the_documented_example_is_a_failing_case(code: str) -> None:
    """The rules reference's example of a rule is the case marked `example` in its file."""
    rule = ALL_RULES[code]
    examples = [c for c in CASES if c.code == code and c.example]
    assert len(examples) == 1, f"{code}: mark exactly one failing case `example: true`"
    case = examples[0]
    assert case.fail is not None, f"{code}: the example must be a failing case"
    assert case.today == DEFAULT_TODAY, f"{code}: the example cannot depend on the date"
    assert rule.example, f"{code}: the rule has no example"
    assert json.loads(rule.example) == case.document, f"{code}: Rule.example != case {case.name}"
    assert example_document(rule.example) == full_document(case.document)
    baseline = json.loads(rule.example_baseline) if rule.example_baseline else None
    assert baseline == case.baseline, f"{code}: Rule.example_baseline != case {case.name}"
    config = tomllib.loads(rule.example_config) if rule.example_config else {}
    assert config == case.config, f"{code}: Rule.example_config != case {case.name}"


def test_examples_build_on_the_minimal_document() -> None:
    assert EXAMPLE_BASE == MINIMAL
