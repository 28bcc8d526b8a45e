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
