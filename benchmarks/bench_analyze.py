"""Benchmark `orgmodel analyze` on a large synthetic enterprise, beside parsing alone.

Each measurement runs in a fresh process (as a user runs the command), and its wall time
and peak resident memory (from ``os.wait4``) are taken; the table shows the median of
``--repeat`` runs. Target (issue 3): at most 10 s and 2.5 GB for 100,000 units,
1,000,000 positions and 5,000 journeys of 12 steps on the 2-core development machine.

    python benchmarks/bench_analyze.py               # full size, 5 runs each
    python benchmarks/bench_analyze.py --quick       # 5,000 units, for a smoke test
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import synthetic

TARGET_SECONDS = 10.0
TARGET_BYTES = 2.5e9

PARSE_JSON = "import json,sys; json.load(open(sys.argv[1], encoding='utf-8'))"
PARSE_ORJSON = "import orjson,sys; orjson.loads(open(sys.argv[1], 'rb').read())"


def run(argv: list[str]) -> tuple[float, int]:
    """Wall seconds and peak RSS bytes of one child process; fails loudly on error."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    stderr = proc.stderr.read().decode() if proc.stderr else ""
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise SystemExit(f"{' '.join(argv)} failed with exit {code}:\n{stderr}")
    return elapsed, usage.ru_maxrss * 1024


def has_orjson() -> bool:
    return subprocess.call([sys.executable, "-c", "import orjson"],
                           stderr=subprocess.DEVNULL) == 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=100_000)
    parser.add_argument("--positions", type=int, default=1_000_000)
    parser.add_argument("--journeys", type=int, default=5_000)
    parser.add_argument("--steps", type=int, default=12)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="5,000 units, 50,000 positions")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)
    if args.quick:
        args.units, args.positions, args.journeys, args.repeat = 5_000, 50_000, 250, 3
    path = synthetic.default_path(args.units, args.positions, args.journeys, args.steps, 1)
    if not path.exists():
        print(f"generating {path} ...", file=sys.stderr)
        synthetic.write(synthetic.generate(units=args.units, positions=args.positions,
                                           journeys=args.journeys, steps=args.steps, seed=1),
                        path)
    out = Path(tempfile.mkdtemp()) / "report.json"
    cases = {
        "parse only (json)": [sys.executable, "-c", PARSE_JSON, str(path)],
        "orgmodel validate": [sys.executable, "-m", "orgmodel", "validate", "-q", str(path)],
        "orgmodel analyze --format json": [
            sys.executable, "-m", "orgmodel", "analyze", str(path), "--format", "json",
            "-o", str(out)],
        "orgmodel analyze (text)": [
            sys.executable, "-m", "orgmodel", "analyze", str(path), "-o", str(out)],
    }
    if has_orjson():
        cases["parse only (orjson)"] = [sys.executable, "-c", PARSE_ORJSON, str(path)]
    results = {}
    for name, command in cases.items():
        runs = [run(command) for _ in range(args.repeat)]
        results[name] = {
            "median_seconds": statistics.median(t for t, _ in runs),
            "median_peak_rss_bytes": statistics.median(m for _, m in runs),
            "runs": len(runs),
        }
    machine = {"cpus": os.cpu_count(), "platform": platform.platform(),
               "python": platform.python_version(), "processor": platform.processor()}
    size = {"units": args.units, "positions": args.positions, "journeys": args.journeys,
            "steps": args.steps, "file_bytes": path.stat().st_size}
    if args.json:
        print(json.dumps({"machine": machine, "size": size, "results": results}, indent=2))
        return 0
    print(f"machine: {machine['cpus']} CPUs, {machine['platform']}, Python {machine['python']}")
    print(f"document: {size['units']:,} units, {size['positions']:,} positions, "
          f"{size['journeys']:,} journeys x {size['steps']} steps, "
          f"{size['file_bytes'] / 1e6:,.0f} MB")
    print(f"{'case':34} {'median s':>9} {'peak RSS MB':>12}   (median of {args.repeat})")
    for name, r in results.items():
        print(f"{name:34} {r['median_seconds']:9.2f} {r['median_peak_rss_bytes'] / 1e6:12.0f}")
    analyze = results["orgmodel analyze --format json"]
    ok = (analyze["median_seconds"] <= TARGET_SECONDS
          and analyze["median_peak_rss_bytes"] <= TARGET_BYTES)
    print(f"target {TARGET_SECONDS:.0f} s and {TARGET_BYTES / 1e9:.1f} GB: "
          f"{'met' if ok else 'NOT met'}" + (" (quick size)" if args.quick else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
