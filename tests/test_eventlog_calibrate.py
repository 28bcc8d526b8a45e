"""`orgmodel calibrate`: a model whose journey differs from the log in one wait, one unit
and one step order; all three reported, and `--write` changes only the wait."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import run_main
from eventlog_gen import VARIANTS, rows, write_csv

from orgmodel.eventlog.document import volume


def _model(span: float) -> dict[str, Any]:
    count = VARIANTS[0][1]
    return {
        "orgmodel": "1",
        "name": "Claims",
        "units": [
            {"id": "board", "name": "Board", "kind": "board"},
            {"id": "front-office", "name": "Front office", "parent": "board"},
            {"id": "back-office", "name": "Back office", "parent": "board"},
            {"id": "legal", "name": "Legal", "parent": "board"},
        ],
        "journeys": [
            {
                "id": "claim",
                "name": "Claim",
                "volume": volume(count, span, "month"),
                "steps": [
                    {"name": "Register", "unit": "front-office", "work": "10m"},
                    # order: the log checks before it approves
                    {"name": "Approve", "unit": "legal", "work": "15m", "wait": "20m"},
                    # the wait: modelled 2h, measured 1h
                    {"name": "Check", "unit": "back-office", "work": "30m", "wait": "2h"},
                    {"name": "Notify", "unit": "front-office", "work": "5m", "wait": "2h"},
                ],
            }
        ],
    }


@pytest.fixture
def setup(tmp_path: Path) -> tuple[Path, Path, str]:
    data, span = rows()
    log = write_csv(tmp_path / "log.csv", data)
    model = tmp_path / "model.json"
    text = json.dumps(_model(span), indent=2) + "\n"
    model.write_text(text, encoding="utf-8")
    return model, log, text


def test_the_three_differences_are_reported(setup: tuple[Path, Path, str]) -> None:
    model, log, _ = setup
    result = run_main("calibrate", model, log, "--unit", "org:group", "--format", "json")
    assert result.returncode == 0, result.stderr
    journey = json.loads(result.stdout)["journeys"][0]
    assert journey["cases"] == VARIANTS[0][1]
    assert not journey["volume_differs"]
    assert journey["order_differs"]
    assert journey["measured_order"] == ["Register", "Check", "Approve", "Notify"]
    flagged = {
        (s["name"], k)
        for s in journey["steps"]
        for k in ("unit_differs", "wait_differs", "work_differs")
        if s[k]
    }
    assert flagged == {("Approve", "unit_differs"), ("Check", "wait_differs")}
    check = journey["steps"][2]
    assert check["wait"] == 7200 and check["measured_wait"]["median"] == 3600
    assert journey["steps"][1]["measured_unit"] == "back-office"
    assert {(h["from"], h["to"]) for h in journey["handoffs_not_in_model"]} == {
        ("front-office", "back-office")
    }


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_text_and_markdown_reports(setup: tuple[Path, Path, str], fmt: str) -> None:
    model, log, _ = setup
    result = run_main("calibrate", model, log, "--unit", "org:group", "--format", fmt)
    assert result.returncode == 0, result.stderr
    assert "order of the steps" in result.stdout and "unit, " not in result.stdout
    assert "Check" in result.stdout and "wait" in result.stdout
    if fmt == "markdown":
        assert result.stdout.startswith("# Calibration") and "| step |" in result.stdout


def test_write_changes_only_the_differing_wait(setup: tuple[Path, Path, str]) -> None:
    model, log, before = setup
    result = run_main("calibrate", model, log, "--unit", "org:group", "--write")
    assert result.returncode == 0, result.stderr
    after = model.read_text(encoding="utf-8")
    changed = [
        (a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=True) if a != b
    ]
    assert changed == [('          "wait": "2h"', '          "wait": "1h"')]


def test_write_inserts_an_absent_wait_and_volume(tmp_path: Path) -> None:
    data, span = rows()
    log = write_csv(tmp_path / "log.csv", data)
    model = _model(span)
    journey = model["journeys"][0]
    del journey["volume"]
    del journey["steps"][3]["wait"]
    path = tmp_path / "m.json"
    path.write_text(json.dumps(model, indent=2) + "\n", encoding="utf-8")
    result = run_main("calibrate", path, log, "--unit", "org:group", "--write")
    assert result.returncode == 0, result.stderr
    written = json.loads(path.read_text(encoding="utf-8"))["journeys"][0]
    assert written["volume"] == volume(VARIANTS[0][1], span, "month")
    assert written["steps"][3]["wait"] == "2h"
    assert written["steps"][2]["wait"] == "1h"


def test_bad_log_exit_2_model_untouched(setup: tuple[Path, Path, str], tmp_path: Path) -> None:
    model, _, before = setup
    bad = tmp_path / "bad.csv"
    bad.write_text("a;b;c\n1;2;3\n", encoding="utf-8")
    result = run_main("calibrate", model, bad, "--write")
    assert result.returncode == 2
    assert "bad.csv:1:1: the header has a single column" in result.stderr
    assert model.read_text(encoding="utf-8") == before


# Matching (issue 14): by journey id first, then by the steps' activities, then similarity.
# The generated log's variants, as `import eventlog` numbers them: variant-1 Register > Check
# > Approve > Notify (12 cases), variant-2 Register > Check > Reject (5), variant-3 Register >
# Escalate (3).


def _calibrate_json(model: Path, log: Path, *args: str) -> list[dict[str, Any]]:
    result = run_main("calibrate", model, log, "--unit", "org:group", "--format", "json", *args)
    assert result.returncode == 0, result.stderr
    journeys: list[dict[str, Any]] = json.loads(result.stdout)["journeys"]
    return journeys


def test_an_imported_model_matches_its_variants_by_id(tmp_path: Path) -> None:
    data, _ = rows()
    log = write_csv(tmp_path / "log.csv", data)
    imported = tmp_path / "imported.json"
    result = run_main("import", "eventlog", log, "-o", imported, "-q")
    assert result.returncode == 0, result.stderr
    journeys = _calibrate_json(imported, log)
    assert [(j["journey"], j["cases"]) for j in journeys] == [
        ("variant-1", 12),
        ("variant-2", 5),
        ("variant-3", 3),
    ]
    for j in journeys:
        assert j["match"] == {
            "by": "id",
            "variant": j["journey"],
            "variant_from": "journey id",
            "cases": {"id": j["cases"]},
            "notes": [],
        }
        assert j["differences"] == 0
    text = run_main("calibrate", imported, log, "--unit", "org:group").stdout
    assert "- matched by id: 12 case(s) of variant-1 of the log (its id)" in text


def _two_journeys(tmp_path: Path, second: dict[str, Any]) -> tuple[Path, Path]:
    data, span = rows()
    log = write_csv(tmp_path / "log.csv", data)
    model = _model(span)
    model["journeys"].append(second)
    path = tmp_path / "model.json"
    path.write_text(json.dumps(model, indent=2) + "\n", encoding="utf-8")
    return path, log


def test_match_names_the_variant_and_takes_its_cases_from_similarity(tmp_path: Path) -> None:
    # "reject" is Register > Check > Reject > Notify: by similarity (3/4 = 0.75 against the
    # 5 cases of variant-2; 3/5 = 0.6 against variant-1, where "claim" scores 1.0) it takes
    # variant-2; --match moves variant-1 to it and leaves "claim" the similar rest.
    steps = ["Register", "Check", "Reject", "Notify"]
    second = {
        "id": "reject",
        "name": "Rejection",
        "steps": [{"name": n, "unit": "front-office"} for n in steps],
    }
    model, log = _two_journeys(tmp_path, second)
    claim, reject = _calibrate_json(model, log)
    assert (claim["cases"], claim["match"]["by"], claim["match"]["cases"]) == (
        12,
        "similarity",
        {"similarity": 12},
    )
    assert (reject["cases"], reject["match"]["cases"]) == (5, {"similarity": 5})
    claim, reject = _calibrate_json(model, log, "--match", "reject=variant-1")
    assert reject["match"] == {
        "by": "id",
        "variant": "variant-1",
        "variant_from": "--match",
        "cases": {"id": 12},
        "notes": [],
    }
    # the 5 cases of variant-2 are 2/5 like "claim": below 0.5, so "claim" has none left
    assert claim["cases"] == 0 and claim["match"]["by"] == "none"
    assert reject["measured_order"] == ["Register", "Check", "Notify"]
    file = tmp_path / "matches.json"
    file.write_text('{"reject": 1}', encoding="utf-8")
    assert _calibrate_json(model, log, "--match-file", file)[1]["match"]["variant"] == "variant-1"
    csv_file = tmp_path / "matches.csv"
    csv_file.write_text("journey,variant\nreject,variant-1\n", encoding="utf-8")
    assert _calibrate_json(model, log, "--match-file", csv_file)[1]["cases"] == 12


def test_exact_steps_come_before_similarity(tmp_path: Path) -> None:
    # "escalation" claims id variant-2 but has variant-3's steps: not matched by id (noted),
    # its 3 cases are matched by the steps; "claim" (first, 1/5 like them) keeps its 12.
    second = {
        "id": "variant-2",
        "name": "Escalation",
        "steps": [
            {"name": "Register", "unit": "front-office"},
            {"name": "Escalate", "unit": "legal"},
        ],
    }
    model, log = _two_journeys(tmp_path, second)
    claim, escalation = _calibrate_json(model, log, "--min-similarity", "0.1")
    assert escalation["match"]["by"] == "steps"
    assert escalation["match"]["cases"] == {"steps": 3}
    assert escalation["match"]["notes"] == [
        "variant-2 of the log is Register > Check > Reject, not this journey's steps: not "
        "matched by id (give --match variant-2=variant-2 to match it all the same)"
    ]
    # variant-2's cases: 2/5 like "claim", 1/4 like "escalation": similarity gives them to claim
    assert claim["match"]["cases"] == {"similarity": 17}
    text = run_main("calibrate", model, log, "--unit", "org:group").stdout
    assert "- matched by steps: 3 case(s) whose activities are the steps in order" in text
    assert "- variant-2 of the log is Register > Check > Reject" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--match", "claim"), "--match: 'claim': write JOURNEY=VARIANT"),
        (("--match", "nope=variant-1"), "--match: nope=variant-1: the model has no journey"),
        (("--match", "claim=variant-9"), "the log has no variant 'variant-9'"),
        (("--match", "claim=x"), "the log has no variant 'x'"),
    ],
)
def test_bad_matches_exit_2(
    setup: tuple[Path, Path, str], args: tuple[str, ...], message: str
) -> None:
    model, log, before = setup
    result = run_main("calibrate", model, log, "--unit", "org:group", "--write", *args)
    assert result.returncode == 2 and message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert model.read_text(encoding="utf-8") == before


def test_bad_match_file_exit_2(setup: tuple[Path, Path, str], tmp_path: Path) -> None:
    model, log, _ = setup
    bad = tmp_path / "m.csv"
    bad.write_text("claim,variant-1,extra\n", encoding="utf-8")
    result = run_main("calibrate", model, log, "--match-file", bad)
    assert result.returncode == 2 and "m.csv:1:1: each row is journey,variant" in result.stderr
    bad_json = tmp_path / "m.json"
    bad_json.write_text('{"claim": [1]}', encoding="utf-8")
    result = run_main("calibrate", model, log, "--match-file", bad_json)
    assert result.returncode == 2 and "a match file is" in result.stderr


@pytest.mark.parametrize("option", ["--match-file", "--steps"])
@pytest.mark.parametrize(
    ("text", "place", "message"),
    [
        (
            '{\n  "claim": "variant-1",\n  oops\n}',
            "given.json:3:3: ",
            "not valid JSON: Expecting property name",
        ),
        ("[" * 100_000, "given.json:1:513: $[0]", "not valid JSON: nested too deeply"),
    ],
    ids=["broken", "nested-too-deeply"],
)
def test_bad_json_files_are_clean_located_errors(
    setup: tuple[Path, Path, str],
    tmp_path: Path,
    option: str,
    text: str,
    place: str,
    message: str,
) -> None:
    model, log, before = setup
    given = tmp_path / "given.json"
    given.write_text(text, encoding="utf-8")
    result = run_main("calibrate", model, log, option, given, "--write")
    assert result.returncode == 2, result.stderr
    assert place in result.stderr and message in result.stderr
    assert "Traceback" not in result.stderr
    assert model.read_text(encoding="utf-8") == before


def test_a_match_file_that_is_not_utf8_is_a_clean_error(
    setup: tuple[Path, Path, str], tmp_path: Path
) -> None:
    model, log, _ = setup
    bad = tmp_path / "m.csv"
    bad.write_bytes(b"claim,variant-\xff\n")
    result = run_main("calibrate", model, log, "--match-file", bad)
    assert result.returncode == 2 and "m.csv: cannot be read:" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
