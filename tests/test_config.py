"""The config file: defaults, TOML and pyproject.toml, tolerances, waivers, the published
schema, discovery."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from conftest import ROOT
from jsonschema import Draft202012Validator

from orgmodel.analysis.figures import Figure
from orgmodel.config import (
    DEFAULT_RATCHET_FIGURES,
    Config,
    FailOn,
    FindingsScope,
    Waiver,
    find_config,
    load_config,
    parse_tolerance,
)
from orgmodel.diagnostics import DocumentInvalid
from orgmodel.model import Severity
from orgmodel.schema import SCHEMAS

FULL = """
fail_on = "warning"

[thresholds]
flow_efficiency_min = 0.1

[rules.S01]
enabled = false

[rules.P04]
severity = "error"

[ratchet]
figures = ["crossings", "lead_time", "flow_efficiency"]
findings = "all"
allow_removed_journeys = true

[ratchet.tolerances]
lead_time = "10%"
crossings = 1
flow_efficiency = 0.02

[[waivers]]
fingerprint = "3f2a9c0d11e4b7a8"
reason = "Billing moves to the segment teams in phase 2"
expires = 2025-06-30

[[waivers]]
code = "J06"
path = "$.journeys[*]"
reason = "Escalation to the board is accepted"
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(tmp_path: Path, text: str, name: str = "orgmodel.toml") -> list[str]:
    with pytest.raises(DocumentInvalid) as info:
        load_config(write(tmp_path, name, text))
    return [str(d) for d in info.value.diagnostics]


# --------------------------------------------------------------------------- defaults


def test_defaults_are_a_complete_policy() -> None:
    config = Config()
    assert config.fail_on is FailOn.ERROR
    assert config.thresholds is None and config.rules == {} and config.waivers == []
    assert (
        config.ratchet.figures
        == list(DEFAULT_RATCHET_FIGURES)
        == [
            Figure.HANDOFFS,
            Figure.CROSSINGS,
            Figure.UNCOVERED_CROSSINGS,
            Figure.CUSTOMER_HANDOFFS,
            Figure.WAITING_AT_HANDOFFS,
            Figure.LEAD_TIME,
        ]
    )
    assert config.ratchet.tolerances == {}
    assert config.ratchet.findings is FindingsScope.INTRODUCED
    assert config.ratchet.allow_removed_journeys is False


def test_empty_file_is_the_default(tmp_path: Path) -> None:
    assert load_config(write(tmp_path, "orgmodel.toml", "")) == Config()


@pytest.mark.parametrize(
    ("fail_on", "fails"),
    [
        (FailOn.ERROR, [Severity.ERROR]),
        (FailOn.WARNING, [Severity.ERROR, Severity.WARNING]),
        (FailOn.INFO, [Severity.ERROR, Severity.WARNING, Severity.INFO]),
        (FailOn.NEVER, []),
    ],
)
def test_fail_on(fail_on: FailOn, fails: list[Severity]) -> None:
    assert [s for s in Severity if fail_on.fails(s)] == fails


# --------------------------------------------------------------------------- reading


def test_full_file(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, "orgmodel.toml", FULL))
    assert config.fail_on is FailOn.WARNING
    assert config.thresholds is not None and config.thresholds.flow_efficiency_min == 0.1
    assert config.thresholds.model_fields_set == {"flow_efficiency_min"}
    assert config.rules["S01"].enabled is False
    assert config.rules["P04"].severity is Severity.ERROR
    assert config.ratchet.figures == [Figure.CROSSINGS, Figure.LEAD_TIME, Figure.FLOW_EFFICIENCY]
    assert config.ratchet.findings is FindingsScope.ALL
    assert config.ratchet.allow_removed_journeys is True
    assert config.ratchet.tolerance(Figure.LEAD_TIME).relative == pytest.approx(0.1)
    assert config.ratchet.tolerance(Figure.CROSSINGS).absolute == 1
    assert config.ratchet.tolerance(Figure.HANDOFFS).allows(5) == 0
    first, second = config.waivers
    assert first.fingerprint == "3f2a9c0d11e4b7a8" and first.expires == date(2025, 6, 30)
    assert second.code == "J06" and second.path == "$.journeys[*]" and second.expires is None


def test_pyproject_table(tmp_path: Path) -> None:
    text = (
        "[project]\nname = 'org'\n\n[tool.orgmodel]\nfail_on = 'info'\n\n"
        "[tool.orgmodel.ratchet]\nfigures = ['crossings']\n"
    )
    config = load_config(write(tmp_path, "pyproject.toml", text))
    assert config.fail_on is FailOn.INFO
    assert config.ratchet.figures == [Figure.CROSSINGS]


def test_pyproject_without_table_is_the_default(tmp_path: Path) -> None:
    assert load_config(write(tmp_path, "pyproject.toml", "[project]\nname = 'x'\n")) == Config()


def test_every_problem_is_reported_with_its_place(tmp_path: Path) -> None:
    found = problems(tmp_path, 'fail_on = "sometimes"\nfail_onn = 1\n\n[[waivers]]\ncode = "J01"\n')
    assert len(found) == 3, found
    assert any(
        "$.fail_on: input should be 'error', 'warning', 'info' or 'never'" in p for p in found
    )
    assert any("$.fail_onn: unknown field 'fail_onn' (did you mean 'fail_on'?)" in p for p in found)
    assert any("$.waivers[0].reason: missing required field 'reason'" in p for p in found)


def test_pyproject_problems_point_into_the_tool_table(tmp_path: Path) -> None:
    found = problems(tmp_path, "[tool.orgmodel]\nfail_on = 3\n", name="pyproject.toml")
    assert found == [
        f"{tmp_path / 'pyproject.toml'}: $.tool.orgmodel.fail_on: input should be "
        "'error', 'warning', 'info' or 'never'"
    ]


def test_invalid_toml_and_missing_file(tmp_path: Path) -> None:
    assert "invalid TOML" in problems(tmp_path, "fail_on = \n")[0]
    with pytest.raises(DocumentInvalid) as info:
        load_config(tmp_path / "missing.toml")
    assert "cannot read config" in str(info.value)


# --------------------------------------------------------------------------- tolerances


@pytest.mark.parametrize(
    ("figure", "value", "absolute", "relative"),
    [
        (Figure.CROSSINGS, 1, 1.0, 0.0),
        (Figure.LEAD_TIME, "4h", 14400.0, 0.0),
        (Figure.LEAD_TIME, "10%", 0.0, 0.1),
        (Figure.LEAD_TIME, 3600, 3600.0, 0.0),
        (Figure.FLOW_EFFICIENCY, 0.02, 0.02, 0.0),
        (Figure.WEIGHTED_LEAD_TIME, "1d", 86400.0, 0.0),
        (Figure.HANDOFFS, " 5 % ", 0.0, 0.05),
    ],
)
def test_tolerance_forms(
    figure: Figure, value: float | str, absolute: float, relative: float
) -> None:
    tolerance = parse_tolerance(figure, value)
    assert (tolerance.absolute, tolerance.relative) == pytest.approx((absolute, relative))


def test_tolerance_allows_the_larger_of_absolute_and_relative() -> None:
    assert parse_tolerance(Figure.LEAD_TIME, "10%").allows(36000) == pytest.approx(3600)
    assert parse_tolerance(Figure.CROSSINGS, 2).allows(100) == 2


@pytest.mark.parametrize(
    ("figure", "value", "message"),
    [
        (Figure.CROSSINGS, "4h", "crossings: '4h' is not a tolerance"),
        (Figure.CROSSINGS, -1, "cannot be negative"),
        (Figure.FLOW_EFFICIENCY, 2, "a ratio tolerance is a fraction"),
        (Figure.LEAD_TIME, "soon", "'soon' is not a duration"),
        (Figure.LEAD_TIME, True, "a tolerance is a number or a string"),
    ],
)
def test_bad_tolerances(figure: Figure, value: object, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        parse_tolerance(figure, value)  # type: ignore[arg-type]


def test_bad_tolerance_in_a_file(tmp_path: Path) -> None:
    found = problems(tmp_path, '[ratchet.tolerances]\ncrossings = "4h"\nlead_tme = 1\n')
    assert any("crossings: '4h' is not a tolerance" in p for p in found), found
    assert any("lead_tme" in p for p in found), found


# --------------------------------------------------------------------------- waivers


def test_waiver_by_fingerprint() -> None:
    waiver = Waiver(fingerprint="3f2a9c0d11e4b7a8", reason="r")
    assert waiver.matches("J01", "$.journeys[0]", "3f2a9c0d11e4b7a8")
    assert not waiver.matches("J01", "$.journeys[0]", "0000000000000000")
    assert waiver.target() == "fingerprint 3f2a9c0d11e4b7a8"


def test_waiver_by_code_and_path_glob() -> None:
    waiver = Waiver(code="J01", path="$.journeys[2].steps*", reason="r")
    assert waiver.matches("J01", "$.journeys[2].steps[4].unit", "x")
    assert not waiver.matches("J01", "$.journeys[3].steps[4].unit", "x")
    assert not waiver.matches("J04", "$.journeys[2].steps[4].unit", "x")
    # Brackets are literal, `*` any characters, `?` one character.
    assert Waiver(code="J06", path="$.journeys[*]", reason="r").matches(
        "J06", "$.journeys[12]", "x"
    )
    assert Waiver(code="J06", path="$.journeys[?]", reason="r").matches("J06", "$.journeys[1]", "x")
    assert not Waiver(code="J06", path="$.journeys[?]", reason="r").matches(
        "J06", "$.journeys[10]", "x"
    )
    assert Waiver(code="S01", reason="r").matches("S01", "$.positions[3]", "x")


def test_waiver_expiry_is_inclusive() -> None:
    waiver = Waiver(code="S01", reason="r", expires=date(2025, 6, 30))
    assert not waiver.expired(date(2025, 6, 30))
    assert waiver.expired(date(2025, 7, 1))
    assert not Waiver(code="S01", reason="r").expired(date(9999, 1, 1))


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"reason": "r"}, "exactly one of 'fingerprint' or 'code'"),
        ({"fingerprint": "3f2a9c0d11e4b7a8", "code": "J01", "reason": "r"}, "exactly one of"),
        ({"fingerprint": "3f2a9c0d11e4b7a8", "path": "$*", "reason": "r"}, "'path' narrows"),
        ({"fingerprint": "XYZ", "reason": "r"}, "should match pattern"),
        ({"code": "J01", "reason": ""}, "at least 1 character"),
    ],
)
def test_bad_waivers(fields: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Waiver.model_validate(fields)


# --------------------------------------------------------------------------- discovery


def test_find_config_order(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()  # the repository root: the search stops here
    assert find_config(tmp_path) is None
    write(tmp_path, "pyproject.toml", "[project]\nname = 'x'\n")
    assert find_config(tmp_path) is None
    write(tmp_path, "pyproject.toml", "[tool.orgmodel]\nfail_on = 'never'\n")
    assert find_config(tmp_path) == tmp_path / "pyproject.toml"
    write(tmp_path, ".orgmodel.toml", "")
    assert find_config(tmp_path) == tmp_path / ".orgmodel.toml"
    write(tmp_path, "orgmodel.toml", "")
    assert find_config(tmp_path) == tmp_path / "orgmodel.toml"


# --------------------------------------------------------------------------- schema


def test_config_schema_is_published_and_current() -> None:
    published = SCHEMAS["config"]
    assert published.path == Path("schemas") / "config.schema.json"
    committed = (ROOT / published.path).read_text(encoding="utf-8")
    assert committed == published.text(), (
        "schemas/config.schema.json is stale; regenerate with: orgmodel schema --write"
    )
    schema = json.loads(committed)
    Draft202012Validator.check_schema(schema)
    assert schema["$id"] == "urn:orgmodel:schema:config:1"
    assert schema["title"] == "orgmodel config"


def _properties(node: object) -> list[tuple[str, dict]]:
    out = []
    if isinstance(node, dict):
        for name, sub in (node.get("properties") or {}).items():
            out.append((name, sub))
        for value in node.values():
            out += _properties(value)
    elif isinstance(node, list):
        for value in node:
            out += _properties(value)
    return out


def test_config_schema_documents_every_field() -> None:
    schema = json.loads(SCHEMAS["config"].text())
    undocumented = [name for name, sub in _properties(schema) if not sub.get("description")]
    assert undocumented == []
    ratchet = schema["$defs"]["Ratchet"]["properties"]
    assert ratchet["figures"]["default"] == [f.value for f in DEFAULT_RATCHET_FIGURES]
    assert schema["properties"]["fail_on"]["default"] == "error"


def test_config_schema_accepts_the_full_example_and_rejects_typos() -> None:
    from orgmodel.config import tomllib

    validator = Draft202012Validator(json.loads(SCHEMAS["config"].text()))
    data = json.loads(json.dumps(tomllib.loads(FULL), default=str))
    assert list(validator.iter_errors(data)) == []
    assert list(validator.iter_errors({"fail_onn": "error"}))
    assert list(validator.iter_errors({"ratchet": {"figures": ["crosings"]}}))


def test_a_pyproject_whose_tool_is_not_a_table_is_the_default(tmp_path: Path) -> None:
    assert load_config(write(tmp_path, "pyproject.toml", 'tool = "x"\n')) == Config()


def test_nan_is_no_tolerance(tmp_path: Path) -> None:
    found = problems(tmp_path, "[ratchet.tolerances]\ncrossings = nan\n")
    assert found == [
        f"{tmp_path / 'orgmodel.toml'}: $.ratchet.tolerances.crossings: input "
        "should be a finite number or a valid string"
    ]
