"""The value-stream figures in `orgmodel diff` and in the ratchet of `orgmodel check`, on the
mobile-app example (as-is against the cross-functional to-be)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import ROOT, run_cli

AS_IS = ROOT / "examples" / "mobile-app" / "value-stream.json"
TO_BE = ROOT / "examples" / "mobile-app" / "to-be.json"
NEW = [
    "rolled_complete_accurate",
    "value_added_ratio",
    "rework_crossings",
    "expected_handoffs",
    "expected_crossings",
    "expected_waiting",
    "direct_ping_pong",
    "problem_weight",
]


def test_diff_shows_the_value_stream_figures_before_and_after() -> None:
    result = run_cli("diff", AS_IS, TO_BE, "--format", "json")
    assert result.returncode == 0, result.stderr
    figures = {f["figure"]: f for f in json.loads(result.stdout)["journeys"][0]["figures"]}
    rolled = figures["rolled_complete_accurate"]
    assert rolled["before"] == pytest.approx(0.0208413, abs=1e-6)
    assert rolled["after"] == pytest.approx(0.5497462, abs=1e-6)
    assert rolled["direction"] == "better"
    assert (figures["rework_crossings"]["before"], figures["rework_crossings"]["after"]) == (2, 0)
    assert figures["expected_handoffs"]["before"] == pytest.approx(12.4166667)
    assert figures["expected_handoffs"]["after"] == pytest.approx(2 / 0.9)
    for name in ("text", "markdown"):
        out = run_cli("diff", AS_IS, TO_BE, "--format", name).stdout
        assert "rolled %C&A" in out and "handoffs with rework" in out


def _config(tmp_path: Path) -> Path:
    config = tmp_path / "orgmodel.toml"
    config.write_text(
        "[ratchet]\nfigures = [" + ", ".join(f'"{f}"' for f in NEW) + "]\n", encoding="utf-8"
    )
    return config


def test_to_be_passes_a_ratchet_on_the_value_stream_figures(tmp_path: Path) -> None:
    result = run_cli("check", TO_BE, "--baseline", AS_IS, "--config", _config(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "rolled_complete_accurate" in result.stdout


def test_the_ratchet_names_the_value_stream_figure_that_got_worse(tmp_path: Path) -> None:
    result = run_cli(
        "check", AS_IS, "--baseline", TO_BE, "--config", _config(tmp_path), "--format", "json"
    )
    assert result.returncode == 1, result.stderr
    assert "rolled_complete_accurate" in result.stdout
    assert "rework_crossings" in result.stdout
