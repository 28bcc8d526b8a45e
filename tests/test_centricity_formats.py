"""The findings of the centricity families (L, M, G) reach every output format of `analyze`
and `check`, with their codes."""

from __future__ import annotations

import pytest
from conftest import ROOT, run_main

CURRENT = ROOT / "examples" / "telecom" / "current.json"
# Findings the current telecom organization must show, one per family and a shared one.
EXPECTED = ("L01", "L03", "M01", "G01", "G03", "G06", "J01")


@pytest.mark.parametrize("fmt", ["text", "json", "markdown"])
def test_analyze_formats_carry_every_family(fmt: str) -> None:
    result = run_main("analyze", CURRENT, "--format", fmt)
    assert result.returncode == 0, result.stderr
    for code in EXPECTED:
        assert code in result.stdout, (fmt, code)


@pytest.mark.parametrize("fmt", ["text", "json", "markdown", "github", "sarif", "junit"])
def test_check_formats_carry_every_family(fmt: str) -> None:
    # --fail-on info: every finding blocks, so every format must list every one of them.
    result = run_main("check", CURRENT, "--format", fmt, "--fail-on", "info")
    assert result.returncode == 1, result.stderr
    for code in EXPECTED:
        assert code in result.stdout, (fmt, code)
