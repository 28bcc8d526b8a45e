"""Every orgmodel command shown in README.md, docs/ and examples/ runs as documented, today
and one and two years from now: nothing in the documented policy (a waiver's expiry) turns a
documented result into another one over time.

A command counts when all its file arguments exist in the repository (templates such as
``orgmodel check PROPOSED`` or ``org/proposed.json`` are skipped). Where the docs show its
output (a ``$ orgmodel ...`` line in a code block), the output down to the first ``...`` must
be what the command prints; where they show ``$ echo $?``, the exit code must be that one.
"""

from __future__ import annotations

import re
import shlex
import subprocess
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from conftest import ROOT, run_cli

DOCS = sorted(
    [ROOT / "README.md", *(ROOT / "docs").glob("*.md"), *(ROOT / "examples").glob("**/README.md")]
)
POLICY = ROOT / "examples" / "ci" / "orgmodel.toml"
_INLINE = re.compile(r"`(orgmodel [^`\n]+)`")
_FENCE = re.compile(r"^```[^\n]*\n(.*?)^```", re.S | re.M)


@dataclass(frozen=True)
class Shown:
    """A command of the docs, with what they say it prints and returns."""

    where: str
    args: tuple[str, ...]
    output: tuple[str, ...] | None = None
    code: int | None = None


def _runnable(args: list[str]) -> bool:
    files = [a for a in args[1:] if not a.startswith("-") and ("/" in a or a.endswith(".json"))]
    return bool(files) and all((ROOT / f).exists() for f in files) and ">" not in args


def shown_commands() -> list[Shown]:
    found: dict[tuple[str, ...], Shown] = {}
    for path in DOCS:
        text = path.read_text(encoding="utf-8")
        name = path.relative_to(ROOT).as_posix()
        for block in _FENCE.findall(text):
            lines = block.splitlines()
            for i, line in enumerate(lines):
                if not line.startswith(("$ orgmodel ", "orgmodel ")):
                    continue
                args = shlex.split(line.removeprefix("$ "), comments=True)
                if not _runnable(args):
                    continue
                output, code = None, None
                if line.startswith("$ "):
                    rest = []
                    for following in lines[i + 1 :]:
                        if following.startswith("$ "):
                            break
                        rest.append(following)
                    output = tuple(rest[: rest.index("...")] if "..." in rest else rest)
                    after = lines[i + 1 + len(rest) :]
                    if len(after) > 1 and after[0] == "$ echo $?":
                        code = int(after[1])
                key = tuple(args[1:])
                if key not in found or found[key].output is None:
                    found[key] = Shown(name, key, output, code)
        for inline in _INLINE.findall(text):
            args = shlex.split(inline)
            if _runnable(args) and tuple(args[1:]) not in found:
                found[tuple(args[1:])] = Shown(name, tuple(args[1:]))
    return list(found.values())


SHOWN = shown_commands()
AHEAD = [0, 365, 730]


def test_the_docs_show_the_gate_on_the_examples() -> None:
    checks = [s for s in SHOWN if s.args[0] == "check"]
    assert any("tidy.json" in " ".join(s.args) and _expected_code(s) == 1 for s in checks)
    assert any("proposed.json" in " ".join(s.args) and _expected_code(s) == 0 for s in checks)


def _run(
    args: tuple[str, ...], days: int, policy: bool = False
) -> subprocess.CompletedProcess[str]:
    extra: list[str] = []
    if args[0] == "check":
        extra += ["--today", (date.today() + timedelta(days=days)).isoformat()]
        if policy:
            extra += ["--config", str(POLICY)]
    result = run_cli(*args, *extra)
    return subprocess.CompletedProcess(
        result.args, result.returncode, result.stdout + result.stderr, ""
    )


def _expected_code(shown: Shown) -> int | None:
    if shown.code is not None:
        return shown.code
    if shown.output and shown.output[0].startswith(("PASS: ", "FAIL: ")):
        return 0 if shown.output[0].startswith("PASS") else 1
    return None


@pytest.mark.parametrize("days", AHEAD, ids=lambda d: f"today+{d}d")
@pytest.mark.parametrize("shown", SHOWN, ids=lambda s: " ".join(s.args)[:70])
def test_documented_command_gives_the_documented_result(shown: Shown, days: int) -> None:
    if days and shown.args[0] != "check":
        pytest.skip("only check depends on the date")
    result = _run(shown.args, days)
    assert result.returncode in (0, 1, 2), result.stdout
    expected = _expected_code(shown)
    if expected is not None:
        assert result.returncode == expected, f"{shown.where}: {result.stdout}"
    elif shown.args[0] != "validate" or "broken" not in " ".join(shown.args):
        assert result.returncode in (0, 1), f"{shown.where}: {result.stdout}"
    if shown.output is not None:
        got = tuple(result.stdout.splitlines()[: len(shown.output)])
        assert got == shown.output, f"{shown.where} shows another output"


@pytest.mark.parametrize("days", AHEAD, ids=lambda d: f"today+{d}d")
@pytest.mark.parametrize(
    "shown", [s for s in SHOWN if s.args[0] == "check"], ids=lambda s: " ".join(s.args)[:70]
)
def test_documented_check_under_the_example_policy(shown: Shown, days: int) -> None:
    """The example policy (examples/ci/orgmodel.toml) gives the same verdict, and its
    waivers neither expire (P03) nor go unused (P04) on the examples."""
    result = _run(shown.args, days, policy=True)
    expected = _expected_code(shown)
    assert result.returncode == (expected if expected is not None else result.returncode)
    assert result.returncode in (0, 1), result.stdout
    assert " P03 " not in result.stdout and " P04 " not in result.stdout, result.stdout


def test_the_example_policy_waives_something_real() -> None:
    result = _run(
        ("check", "examples/telecom/proposed.json", "--baseline", "examples/telecom/current.json"),
        0,
        policy=True,
    )
    assert re.search(r"\b[1-9]\d* waived\b", result.stdout), result.stdout
