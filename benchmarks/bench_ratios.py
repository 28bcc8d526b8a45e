"""The speed targets of orgmodel as ratios against a reference measured in the same run.

The development machine is shared and noisy, so absolute seconds say little; a ratio of two
CPU times (user + system, of the process and every process it waited for, from
``os.wait4``) measured alternately in the same run is stable. Each line is the median of
``--repeat`` runs of each command, run in fresh processes, taken in turn.

- **start-up**: ``orgmodel validate`` of the telecom example against
  ``python -c "import pydantic, click"`` (target: at most 2.5 times); ``--version`` and
  ``--help`` beside it;
- **scale**: ``orgmodel analyze`` of the benchmark document (100,000 units, 1,000,000
  positions, 5,000 journeys of 12 steps) against ``orjson.loads`` of the same file (target:
  at most 5 times the CPU time and 2 times the peak memory);
- **compare**: ``orgmodel diff`` and ``orgmodel check`` of a 100,000-position document
  against a proposal that moves one unit in twenty, against one ``analyze`` of the document
  (target: at most 2.2 times).

    python benchmarks/bench_ratios.py                 # all three, 5 runs each
    python benchmarks/bench_ratios.py startup compare # some of them
    python benchmarks/bench_ratios.py --quick         # small documents, a smoke test

orjson is needed for the scale case (``pip install -e '.[bench]'``). orgmodel's bytecode is
compiled first, as an installed package has it: an editable install run with
``PYTHONDONTWRITEBYTECODE`` set would otherwise compile every module it imports in every run.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import synthetic

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "telecom" / "current.json"
ORGMODEL = [sys.executable, "-m", "orgmodel"]
PARSE_ORJSON = "import orjson,sys; orjson.loads(open(sys.argv[1], 'rb').read())"

#: Targets: (CPU ratio, memory ratio or None) per case.
TARGETS = {"startup": 2.5, "scale": 5.0, "scale memory": 2.0, "compare": 2.2}


def run(argv: Sequence[str]) -> tuple[float, int]:
    """CPU seconds (user + system, children included) and peak RSS bytes of one run."""
    proc = subprocess.Popen(list(argv), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    stderr = proc.stderr.read().decode() if proc.stderr else ""
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):  # check exits 1 when the proposal fails it
        raise SystemExit(f"{' '.join(argv)} failed with exit {code}:\n{stderr}")
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024


def measure(cases: dict[str, list[str]], repeat: int) -> dict[str, tuple[float, float]]:
    """Median CPU seconds and median peak RSS of each case, the cases run in turn."""
    runs: dict[str, list[tuple[float, int]]] = {name: [] for name in cases}
    for _ in range(repeat):
        for name, argv in cases.items():
            runs[name].append(run(argv))
    return {
        name: (statistics.median(c for c, _ in r), statistics.median(m for _, m in r))
        for name, r in runs.items()
    }


def document(units: int, positions: int, journeys: int, steps: int = 12) -> Path:
    """The synthetic document of that size (generated into benchmarks/data when missing)."""
    path = synthetic.default_path(units, positions, journeys, steps, 1)
    if not path.exists():
        print(f"generating {path.name} ...", file=sys.stderr)
        synthetic.write(
            synthetic.generate(
                units=units, positions=positions, journeys=journeys, steps=steps, seed=1
            ),
            path,
        )
    return path


def proposal(path: Path) -> Path:
    """``path`` with one unit in twenty moved up one level (to its grandparent)."""
    out = path.with_name(path.stem + "-moved.json")
    if out.exists() and out.stat().st_mtime >= path.stat().st_mtime:
        return out
    doc = json.loads(path.read_text(encoding="utf-8"))
    parent = {u["id"]: u.get("parent") for u in doc["units"]}
    for n, unit in enumerate(doc["units"]):
        up = parent[unit["id"]]
        if n % 20 == 19 and up is not None and parent[up] is not None:
            unit["parent"] = parent[up]
    return synthetic.write(doc, out)


def report(name: str, value: float, target: float, detail: str) -> None:
    verdict = "met" if value <= target else "NOT met"
    print(f"{name:34} {value:6.2f} x   (target <= {target:g} x: {verdict})   {detail}")


def startup(repeat: int) -> None:
    cases = {
        "reference": [sys.executable, "-c", "import pydantic, click"],
        "validate": [*ORGMODEL, "validate", "-q", str(EXAMPLE)],
        "--version": [*ORGMODEL, "--version"],
        "--help": [*ORGMODEL, "--help"],
    }
    r = measure(cases, repeat)
    ref = r["reference"][0]
    report(
        "start-up: validate / import",
        r["validate"][0] / ref,
        TARGETS["startup"],
        f"{r['validate'][0]:.3f} s / {ref:.3f} s",
    )
    for name in ("--version", "--help"):
        print(f"{'  ' + name + ' / import':34} {r[name][0] / ref:6.2f} x   {r[name][0]:.3f} s")


def scale(repeat: int, quick: bool) -> None:
    path = document(5_000, 50_000, 250) if quick else document(100_000, 1_000_000, 5_000)
    out = Path(tempfile.mkdtemp()) / "report.txt"
    cases = {
        "orjson": [sys.executable, "-c", PARSE_ORJSON, str(path)],
        "analyze": [*ORGMODEL, "analyze", str(path), "-o", str(out)],
    }
    r = measure(cases, repeat)
    (ref, ref_mem), (cpu, mem) = r["orjson"], r["analyze"]
    report(
        "scale: analyze / orjson.loads", cpu / ref, TARGETS["scale"], f"{cpu:.2f} s / {ref:.2f} s"
    )
    report(
        "  peak memory",
        mem / ref_mem,
        TARGETS["scale memory"],
        f"{mem / 1e6:,.0f} MB / {ref_mem / 1e6:,.0f} MB",
    )


def compare(repeat: int, quick: bool) -> None:
    path = document(1_000, 10_000, 50) if quick else document(10_000, 100_000, 500)
    moved = proposal(path)
    out = Path(tempfile.mkdtemp()) / "out.txt"
    cases = {
        "analyze": [*ORGMODEL, "analyze", str(path), "-o", str(out)],
        "diff": [*ORGMODEL, "diff", str(path), str(moved), "-o", str(out)],
        "check": [*ORGMODEL, "check", str(moved), "--baseline", str(path), "-o", str(out)],
    }
    r = measure(cases, repeat)
    ref = r["analyze"][0]
    for name in ("diff", "check"):
        report(
            f"compare: {name} / analyze",
            r[name][0] / ref,
            TARGETS["compare"],
            f"{r[name][0]:.2f} s / {ref:.2f} s",
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("which", nargs="*", help="startup, scale, compare (default: all)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="small documents, 3 runs")
    args = parser.parse_args(argv)
    which = args.which or ["startup", "scale", "compare"]
    unknown = set(which) - {"startup", "scale", "compare"}
    if unknown:
        parser.error(f"unknown case(s): {', '.join(sorted(unknown))}")
    repeat = 3 if args.quick and args.repeat == 5 else args.repeat
    compileall.compile_dir(ROOT / "orgmodel", quiet=1)
    print(f"CPU time ratios, median of {repeat} runs each ({os.cpu_count()} CPUs)")
    if "startup" in which:
        startup(repeat)
    if "scale" in which:
        scale(repeat, args.quick)
    if "compare" in which:
        compare(repeat, args.quick)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
