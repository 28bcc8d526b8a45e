"""Benchmark `orgmodel import eventlog` on generated logs of the size of BPI Challenge 2012.

Generates a CSV log (``--events`` events in cases of about 20, 24 activities, 8 units, start
and complete timestamps), then runs the import (variants and handover matrix included) in a
fresh process ``--repeat`` times and prints the median wall time and peak memory. Targets
(issue 14): 262,000 events in at most 3 s; 10,000,000 events in at most 60 s and 4 GB.

    python benchmarks/bench_eventlog.py                    # 262,000 events, 5 runs
    python benchmarks/bench_eventlog.py --events 10000000 --repeat 1
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path


def generate(path: Path, events: int, seed: int = 2012) -> None:
    """A deterministic log of about ``events`` events."""
    rng = random.Random(seed)
    activities = [f"A{i:02d}" for i in range(24)]
    units = [f"unit-{i}" for i in range(8)]
    paths = [rng.sample(activities, rng.randint(8, 24)) for _ in range(300)]
    t0 = datetime(2011, 10, 1, tzinfo=timezone.utc)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["case:concept:name", "concept:name", "org:group", "org:resource",
                         "start_timestamp", "time:timestamp"])
        written, case = 0, 0
        while written < events:
            steps = paths[min(int(rng.paretovariate(1.2)) - 1, len(paths) - 1)]
            t = t0 + timedelta(seconds=case * 600)
            for activity in steps[: events - written]:
                t += timedelta(seconds=rng.randint(0, 7200))
                end = t + timedelta(seconds=rng.randint(60, 3600))
                unit = units[hash(activity) % len(units)]
                writer.writerow([f"case-{case}", activity, unit, f"{unit}-r{rng.randint(1, 5)}",
                                 t.strftime("%Y-%m-%dT%H:%M:%S"),
                                 end.strftime("%Y-%m-%dT%H:%M:%S")])
                t = end
                written += 1
            case += 1


def run(argv: list[str]) -> tuple[float, int]:
    """Wall seconds and peak RSS bytes of one run."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(argv)} failed:\n{proc.stderr.read().decode()}")
    return elapsed, usage.ru_maxrss * 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=262_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder) / "log.csv"
        generate(log, args.events)
        argv = [sys.executable, "-m", "orgmodel", "import", "eventlog", str(log), "-o",
                str(Path(folder) / "out.json"), "--top", "50", "-q"]
        runs = [run(argv) for _ in range(args.repeat)]
        seconds = statistics.median(r[0] for r in runs)
        peak = max(r[1] for r in runs)
        print(f"import eventlog, {args.events:,} events (CSV, stdlib engine): "
              f"median {seconds:.2f} s of {args.repeat}, peak {peak / 1e6:.0f} MB")


if __name__ == "__main__":
    main()
