"""Bad input never breaks orgmodel: one test per reproducer of issue 12 (crashes, messages
that cannot be printed, loader and schema disagreeing, silently accepted or unlocated
problems, hostile names, interrupted runs, slow input, files)."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from orgmodel import DocumentInvalid, load_text
from orgmodel.config import load_config
from orgmodel.durations import parse_duration
from tests.conftest import ROOT, doc, only_diagnostic, run_cli, run_main, unit

SCHEMA = json.loads((ROOT / "schemas" / "orgmodel.schema.json").read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)
EXAMPLE = ROOT / "examples" / "telecom" / "current.json"


def example() -> dict[str, Any]:
    return json.loads(EXAMPLE.read_text(encoding="utf-8"))


def write(tmp_path: Path, name: str, data: object) -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def loads(text: str) -> bool:
    try:
        load_text(text)
    except DocumentInvalid:
        return False
    return True


# ------------------------------------------------------------------ crashes (exit 3)


def test_a_duration_with_40_digits_is_a_located_problem(tmp_path: Path) -> None:
    data = example()
    data["journeys"][0]["steps"][0]["wait"] = "1" + "0" * 39 + "m"
    path = write(tmp_path, "doc.json", data)
    for args in (("analyze", path), ("diff", EXAMPLE, path), ("check", path)):
        result = run_main(*args)
        assert result.returncode == 2, result.stderr
        assert "$.journeys[0].steps[0].wait" in result.stderr
        assert "at most 9 digits" in result.stderr


def test_durations_are_exact() -> None:
    assert parse_duration("999999999.999999999w") == 999999999 * 7 * 86400 + 604800
    assert parse_duration("0.5s") == 1
    assert parse_duration("0.4999s") == 0
    assert parse_duration("1.1h") == 3960


def test_a_ratchet_tolerance_with_many_digits_is_a_problem(tmp_path: Path) -> None:
    config = tmp_path / "orgmodel.toml"
    config.write_text('[ratchet.tolerances]\nlead_time = "' + "9" * 40 + 'd"\n', encoding="utf-8")
    with pytest.raises(DocumentInvalid) as info:
        load_config(config)
    assert "at most 9 digits" in str(info.value)
    result = run_main("check", EXAMPLE, "--baseline", EXAMPLE, "--config", config)
    assert result.returncode == 2, result.stderr


# ------------------------------------------------------------------ messages that print


@pytest.mark.parametrize("fmt", ["text", "json", "markdown", "github", "sarif", "junit"])
@pytest.mark.parametrize("side", ["proposal", "baseline"])
def test_a_lone_surrogate_is_printed_escaped(tmp_path: Path, fmt: str, side: str) -> None:
    data = example()
    data["units"][1]["parent"] = "\ud800x"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data), encoding="utf-8")  # ASCII JSON with a \ud800 escape
    args = ["check", bad] if side == "proposal" else ["check", EXAMPLE, "--baseline", bad]
    result = run_cli(*args, "--format", fmt)
    assert result.returncode == 2, result.stderr
    assert "\\ud800x" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_lone_surrogate_in_a_diff_and_a_written_report(tmp_path: Path) -> None:
    data = example()
    data["name"] = "Sales \ud800"
    bad = write(tmp_path, "bad.json", data)
    assert run_cli("diff", EXAMPLE, bad).returncode == 0
    out = tmp_path / "report.md"
    result = run_cli("analyze", bad, "--format", "markdown", "-o", out)
    assert result.returncode == 0, result.stderr
    assert "Sales \\\\ud800" in out.read_text(encoding="utf-8")  # Markdown for \\ud800


# ------------------------------------------------------------------ ranges


@pytest.mark.parametrize(
    ("field", "value"),
    [("cost", 10**400), ("headcount", 10**400), ("cost", 10**16), ("headcount", 10**10)],
)
def test_numbers_beyond_the_range_are_problems(tmp_path: Path, field: str, value: int) -> None:
    data = example()
    data["units"][1][field] = value
    path = write(tmp_path, "doc.json", data)
    for args in (("diff", EXAMPLE, path), ("check", path, "--baseline", EXAMPLE)):
        result = run_main(*args)
        assert result.returncode == 2, result.stderr
        assert f"$.units[1].{field}" in result.stderr
    assert not VALIDATOR.is_valid(data)


def test_the_largest_numbers_compute(tmp_path: Path) -> None:
    from orgmodel.model import MAX_AMOUNT, MAX_COUNT

    data = example()
    for item in data["units"]:
        item["cost"] = MAX_AMOUNT
        item["headcount"] = MAX_COUNT
    path = write(tmp_path, "doc.json", data)
    assert VALIDATOR.is_valid(data)
    assert run_main("diff", EXAMPLE, path).returncode == 0
    assert run_main("check", path, "--baseline", EXAMPLE).returncode in (0, 1)


def _agree(text: str) -> tuple[bool, bool]:
    return loads(text), VALIDATOR.is_valid(json.loads(text))


_EDGES: list[tuple[str, object]] = [
    *[
        ("wait", v)
        for v in [
            "12m",
            "１２m",
            "٣d",
            "1.5h",
            "999999999w",
            "1000000000w",
            "1.999999999s",
            "1.1234567891s",
            "1d12h",
            "12h1d",
            " 3m ",
            "0",
            "0m",
            "m",
            "1.m",
            "٣",
            "3\u00a0m",
            0,
            1,
            "1h 30m",
        ]
    ],
    *[("headcount", v) for v in [0, 1, 1.0, 1e3, 1.5, -1, 10**9, 10**9 + 1, 10**400, True, "1"]],
    *[("cost", v) for v in [0, 0.5, 10**15, 10**15 + 1, 1e15, 1.0000001e15, 10**400, -1, "1"]],
    *[("volume", v) for v in [0, 10**15, 10**15 + 1, 10**401]],
    *[("weight", v) for v in [1, 10, 11, 0, 5.0, 5.5]],
]


@pytest.mark.parametrize(("field", "value"), _EDGES)
def test_the_loader_and_the_schema_agree(field: str, value: object) -> None:
    data = doc(
        units=[unit("board", cost=1), unit("ops", "board")],
        journeys=[{"id": "j", "name": "J", "steps": [{"name": "s", "unit": "ops"}]}],
    )
    if field == "wait":
        data["journeys"][0]["steps"][0]["wait"] = value
    elif field == "volume":
        data["journeys"][0]["volume"] = value
    elif field == "weight":
        data["journeys"][0]["weight"] = value
    else:
        data["units"][1][field] = value
    text = json.dumps(data, ensure_ascii=False)
    loader, schema = _agree(text)
    assert loader == schema, (field, value, loader, schema)


def test_an_integer_may_be_written_with_a_fraction_of_zero() -> None:
    document = load_text(json.dumps(doc(units=[unit("board", headcount=3.0)])))
    assert document.units[0].headcount == 3
    assert type(document.units[0].headcount) is int


# ------------------------------------------------------------------ validate = analyze


def test_validate_refuses_what_analyze_refuses(tmp_path: Path) -> None:
    data = doc(settings={"rules": {"X99": {"severity": "error"}}})
    path = write(tmp_path, "doc.json", data)
    assert run_main("analyze", path).returncode == 2
    assert run_main("validate", path).returncode == 2


# ------------------------------------------------------------------ slow input


def test_a_waiver_glob_with_many_stars_is_fast() -> None:
    from orgmodel.config import _glob_match

    pattern = "$" + "*a" * 10 + "*b"
    start = time.perf_counter()
    assert not _glob_match(pattern, "$" + "a" * 60)
    assert _glob_match(pattern, "$" + "a" * 60 + "b")
    assert time.perf_counter() - start < 0.5


@pytest.mark.parametrize(
    ("pattern", "text", "expected"),
    [
        ("*", "", True),
        ("*", "abc", True),
        ("a*c", "abc", True),
        ("a*c", "abcd", False),
        ("a?c", "abc", True),
        ("a?c", "ac", False),
        ("$.units[*].parent", "$.units[3].parent", True),
        ("*b*b", "abab", True),
        ("a**", "a", True),
        ("?*?", "a", False),
        ("*.x", "a.x.x", True),
        ("a.c", "abc", False),
        ("[1]", "[1]", True),
        ("a*b*c", "acb", False),
    ],
)
def test_the_glob_matcher(pattern: str, text: str, expected: bool) -> None:
    from orgmodel.config import _glob_match

    assert _glob_match(pattern, text) is expected


def test_did_you_mean_is_bounded_for_many_dangling_references() -> None:
    units = [unit("board")] + [unit(f"u{n}", "board") for n in range(1, 20000)]
    for n in range(1000):
        units[n + 1]["lines"] = [{"to": f"x-missing-{n}"}]
    start = time.perf_counter()
    with pytest.raises(DocumentInvalid) as info:
        load_text(json.dumps(doc(units=units)))
    assert len(info.value.diagnostics) == 1000
    assert time.perf_counter() - start < 10  # about 1 s; generous on a loaded machine


# ------------------------------------------------------------------ more


def test_a_config_nested_500_levels_deep_is_a_problem(tmp_path: Path) -> None:
    config = tmp_path / "orgmodel.toml"
    config.write_text("x = " + "[" * 500 + "]" * 500 + "\n", encoding="utf-8")
    with pytest.raises(DocumentInvalid):
        load_config(config)
    result = run_main("analyze", EXAMPLE, "--config", config)
    assert result.returncode == 2, result.stderr


def test_invalid_json_nesting_is_located() -> None:
    d = only_diagnostic(
        '{"orgmodel": "1", "name": "x", "units": [{"head": ' + "[" * 100000 + "]" * 100000 + "}]}"
    )
    assert d.line == 1 and d.column is not None
    assert d.path is not None and d.path[:3] == ("units", 0, "head")


def test_a_number_of_more_than_4300_digits_is_located() -> None:
    d = only_diagnostic(
        '{"orgmodel": "1", "name": "x",\n "units": [{"id": "b", "name": "B", '
        '"cost": ' + "9" * 5000 + "}]}"
    )
    assert (d.line, d.column, d.path) == (2, 45, ("units", 0, "cost"))
    assert "4,300 digits" in d.message


def test_invalid_utf8_is_located_at_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "doc.json"
    path.write_bytes(b'{"orgmodel": "1",\n  "name": "caf\xc3\xa9 \xff"}')
    result = run_main("validate", path)
    assert result.returncode == 2
    assert f"{path}:2:17: not UTF-8 text" in result.stdout + result.stderr


def test_an_unreadable_input_among_several_does_not_stop_the_others(tmp_path: Path) -> None:
    broken = write(tmp_path, "broken.json", doc(units=[unit("b", "nowhere")]))
    result = run_main("check", broken, "--baseline", tmp_path / "missing.json")
    assert result.returncode == 2
    assert "missing.json: file not found" in result.stderr
    assert "unknown unit 'nowhere'" in result.stderr


@pytest.mark.parametrize("spacing", ["", " ", "\n  "])
def test_a_duplicate_key_is_located_at_its_second_occurrence(spacing: str) -> None:
    text = (
        '{"orgmodel": "1", "name": "x",\n "units": [{"id": "b", "name"'
        + spacing
        + ': "B", "name": "C"}]}'
    )
    d = only_diagnostic(text)
    assert d.path == ("units", 0, "name")
    assert "duplicate key 'name'" in d.message
    assert d.line == text[: text.rindex('"name"')].count("\n") + 1


def test_a_duplicate_key_in_a_position_or_a_setting_is_found() -> None:
    data = doc(
        units=[unit("b")],
        positions=[{"id": "p", "title": "P", "unit": "b"}],
        settings={"rules": {"J01": {"severity": "info"}}},
    )
    text = json.dumps(data)
    assert loads(text)
    for bad in (
        text.replace('"unit": "b"}', '"unit": "b", "unit": "b"}'),
        text.replace('"severity": "info"', '"severity": "info", "severity": "info"'),
        text.replace('"orgmodel": "1"', '"orgmodel": "1", "orgmodel": "1"'),
    ):
        assert not loads(bad), bad


# ------------------------------------------------------------------ hostile names

HOSTILE_NAME = '%%{init: {"theme":"dark"}}%%'


def _hostile(tmp_path: Path) -> Path:
    data = example()
    data["name"] = "Doc\n%%{init: x}%%\rflowchart LR\nA-->B \x1b[31mred"
    data["units"][1]["name"] = HOSTILE_NAME
    data["units"][2]["name"] = "\n# heading\r\x1b]0;title\x07"
    data["units"][3]["id"] = "x<script>"
    for item in data["units"]:
        if item.get("parent") == data["units"][3]["id"]:
            item["parent"] = "x<script>"
    text = json.dumps(data).replace('"' + example()["units"][3]["id"] + '"', '"x<script>"')
    path = tmp_path / "hostile.json"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("view", ["orgchart", "overlay", "journey", "matrix"])
def test_hostile_names_in_mermaid_and_dot(tmp_path: Path, view: str) -> None:
    path = _hostile(tmp_path)
    journey = () if view != "journey" else ("--journey", example()["journeys"][0]["id"])
    texts = {}
    for fmt in ("mmd", "dot"):
        out = tmp_path / f"view.{fmt}"
        result = run_main("render", path, "--view", view, "--format", fmt, *journey, "-o", out)
        assert result.returncode == 0, result.stderr
        texts[fmt] = out.read_text(encoding="utf-8")
    assert "%%{" not in texts["mmd"]
    lines = texts["mmd"].splitlines()
    assert not any(line.startswith("A-->B") for line in lines)
    assert sum(line.startswith(("flowchart", "block-beta")) for line in lines) == 1
    assert not any(line.lstrip().startswith("#") for line in texts["dot"].splitlines())
    assert "\x1b" not in texts["mmd"] + texts["dot"]


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_hostile_names_in_reports(tmp_path: Path, fmt: str) -> None:
    path = _hostile(tmp_path)
    plain = write(tmp_path, "plain.json", example())
    outputs = [
        run_main("analyze", path, "--format", fmt),
        run_main("diff", plain, path, "--format", fmt),
        run_main("check", path, "--baseline", plain, "--format", fmt),
    ]
    if fmt == "text":
        outputs.append(run_main("check", path, "--format", "github"))
    for result in outputs:
        assert result.returncode in (0, 1), result.stderr
        assert "\x1b" not in result.stdout and "\r" not in result.stdout
        assert "\x07" not in result.stdout
        if fmt == "markdown":  # as raw HTML (escaped as "\\<script>" it is text)
            assert not re.search(r"(?<!\\)<script>", result.stdout)
        assert not any(
            line.startswith(("%%{init", "flowchart LR", "A-->B", "# heading"))
            for line in result.stdout.splitlines()
        )
    first = outputs[0].stdout.splitlines()[0]
    assert "Doc" in first and "red" in first
    out = tmp_path / "report.txt"
    assert run_main("analyze", path, "--format", fmt, "-o", out).returncode == 0
    assert "\x1b" not in out.read_text(encoding="utf-8")


def test_render_all_writes_nothing_when_a_view_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from orgmodel.cli import render as render_cli
    from orgmodel.views import RenderError

    calls = []
    real = render_cli.render

    def failing(ctx: object, name: str, *args: object, **kwargs: object) -> object:
        calls.append(name)
        if len(calls) > 2:
            raise RenderError("the third view fails")
        return real(ctx, name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(render_cli, "render", failing)
    folder = tmp_path / "out"
    result = run_main("render", EXAMPLE, "--all", "-o", folder, "--format", "dot")
    assert result.returncode == 2
    assert not folder.exists() or not any(folder.iterdir())
