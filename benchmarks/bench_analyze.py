"""Benchmark `orgmodel analyze` on a large synthetic enterprise, beside parsing alone.

Each measurement runs in a fresh process (as a user runs the command), and its wall time
and peak resident memory (from ``os.wait4``: the process or its largest child) are taken;
the table shows the median of ``--repeat`` runs. One more run per case samples the memory
of the whole process tree, which slows it down, so it is not timed. Target (issue 3): at
most 10 s and 2.5 GB for 100,000 units, 1,000,000 positions and 5,000 journeys of 12 steps
on the 2-core development machine.

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
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import synthetic

TARGET_SECONDS = 10.0
TARGET_BYTES = 2.5e9

PARSE_JSON = "import json,sys; json.load(open(sys.argv[1], encoding='utf-8'))"
PARSE_ORJSON = "import orjson,sys; orjson.loads(open(sys.argv[1], 'rb').read())"


def run(argv: list[str], sample_memory: bool = False) -> tuple[float, int, int]:
    """Wall seconds, peak RSS bytes (of the process or its largest child, as ``wait4``
    reports it) and, with ``sample_memory``, the peak total memory of the whole process
    tree (sum of proportional set sizes, sampled; 0 otherwise) of one run; fails loudly on
    error. Sampling slows the process down, so timed runs do not sample."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    sampler = _TreeMemory(proc.pid) if sample_memory else None
    if sampler:
        sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if sampler:
        sampler.stop()
    stderr = proc.stderr.read().decode() if proc.stderr else ""
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise SystemExit(f"{' '.join(argv)} failed with exit {code}:\n{stderr}")
    return elapsed, usage.ru_maxrss * 1024, sampler.peak if sampler else 0


class _TreeMemory(threading.Thread):
    """Samples the memory of a process and its descendants every ``interval`` seconds.

    Proportional set sizes (Pss) count a page shared by two processes half in each, so
    their sum is what the tree really occupies, also after a fork (copy-on-write)."""

    def __init__(self, pid: int, interval: float = 0.1) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval, self.peak = pid, interval, 0
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.wait(self.interval):
            self.peak = max(self.peak, sum(map(_pss, self._tree())))

    def stop(self) -> None:
        self._done.set()
        self.join()

    def _tree(self) -> list[int]:
        parents: dict[int, int] = {}
        for entry in Path("/proc").glob("[0-9]*/stat"):
            try:
                stat = entry.read_text()
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2 :].split()
            parents[int(entry.parent.name)] = int(fields[1])
        tree = [self.pid]
        for pid in tree:
            tree.extend(p for p, parent in parents.items() if parent == pid)
        return tree


def _pss(pid: int) -> int:
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0
    for line in text.splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1]) * 1024
    return 0


def _mb(size: int) -> str:
    """Megabytes, or "-" where the process ended before it could be sampled."""
    return f"{size / 1e6:.0f}" if size else "-"


def has_orjson() -> bool:
    return subprocess.call([sys.executable, "-c", "import orjson"], stderr=subprocess.DEVNULL) == 0


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
        synthetic.write(
            synthetic.generate(
                units=args.units,
                positions=args.positions,
                journeys=args.journeys,
                steps=args.steps,
                seed=1,
            ),
            path,
        )
    out = Path(tempfile.mkdtemp()) / "report.json"
    cases = {
        "parse only (json)": [sys.executable, "-c", PARSE_JSON, str(path)],
        "orgmodel validate": [sys.executable, "-m", "orgmodel", "validate", "-q", str(path)],
        "orgmodel analyze --format json": [
            sys.executable,
            "-m",
            "orgmodel",
            "analyze",
            str(path),
            "--format",
            "json",
            "-o",
            str(out),
        ],
        "orgmodel analyze (text)": [
            sys.executable,
            "-m",
            "orgmodel",
            "analyze",
            str(path),
            "-o",
            str(out),
        ],
    }
    if has_orjson():
        cases["parse only (orjson)"] = [sys.executable, "-c", PARSE_ORJSON, str(path)]
    results = {}
    for name, command in cases.items():
        runs = [run(command) for _ in range(args.repeat)]
        results[name] = {
            "median_seconds": statistics.median(t for t, _, _ in runs),
            "median_peak_rss_bytes": statistics.median(m for _, m, _ in runs),
            "peak_tree_pss_bytes": run(command, sample_memory=True)[2],
            "seconds": [round(t, 2) for t, _, _ in runs],
            "runs": len(runs),
        }
    machine = {
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "processor": platform.processor(),
    }
    size = {
        "units": args.units,
        "positions": args.positions,
        "journeys": args.journeys,
        "steps": args.steps,
        "file_bytes": path.stat().st_size,
    }
    if args.json:
        print(json.dumps({"machine": machine, "size": size, "results": results}, indent=2))
        return 0
    print(f"machine: {machine['cpus']} CPUs, {machine['platform']}, Python {machine['python']}")
    print(
        f"document: {size['units']:,} units, {size['positions']:,} positions, "
        f"{size['journeys']:,} journeys x {size['steps']} steps, "
        f"{size['file_bytes'] / 1e6:,.0f} MB"
    )
    print(
        f"{'case':40} {'median s':>9} {'peak RSS MB':>12} {'all procs MB':>13}   "
        f"(median of {args.repeat}; runs in s; all procs: one extra, sampled run)"
    )
    for name, r in results.items():
        print(
            f"{name:40} {r['median_seconds']:9.2f} {r['median_peak_rss_bytes'] / 1e6:12.0f} "
            f"{_mb(r['peak_tree_pss_bytes']):>13}   "
            f"{' '.join(f'{t:.1f}' for t in r['seconds'])}"
        )
    analyze = [results["orgmodel analyze (text)"], results["orgmodel analyze --format json"]]
    ok = all(
        r["median_seconds"] <= TARGET_SECONDS
        and max(r["median_peak_rss_bytes"], r["peak_tree_pss_bytes"]) <= TARGET_BYTES
        for r in analyze
    )
    print(
        f"target {TARGET_SECONDS:.0f} s and {TARGET_BYTES / 1e9:.1f} GB: "
        f"{'met' if ok else 'NOT met'}" + (" (quick size)" if args.quick else "")
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
