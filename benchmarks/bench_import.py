"""Benchmark ``orgmodel import hris``: importing a generated id/parentId CSV, as a ratio to
reading the same file with Python's ``csv`` module; peak memory; and the re-import
``--into`` of a 100,000-person export into a model with 5,000 journeys.

Each size is generated once (:mod:`people_csv`, with a department path column), then
timed, the median of ``--runs`` runs each:

- ``csv``: decode the bytes and run ``csv.reader`` over every row (the baseline; its runs
  and the ``import`` runs alternate, and both are given in wall and CPU seconds);
- ``import``: ``import_hris`` and the document's JSON text (what ``orgmodel import hris -o``
  writes: ``HrisImport.text``, the positions written from the import's columns without
  their dicts, as the command does; less the validation and the write), in this process;
- ``cli``: the whole command, ``orgmodel import hris FILE -o OUT`` in a child process,
  with the validation of the written document and the interpreter's start; its peak
  memory is the child's maximum resident set (``resource.getrusage``);
- ``into``: ``orgmodel import hris FILE --into MODEL -o OUT`` in a child process, where
  MODEL is the 100,000-person import plus 5,000 journeys of 6 steps over its units (so
  the merge, the validation of the merged document and the structural diff are timed).

Target (issue 13): ``import`` at most 4 times ``csv``. The machine this runs on matters:
on a shared one, read the medians and the ratios, not single runs.

Usage::

    python benchmarks/bench_import.py                    # 100,000 and 1,000,000 people
    python benchmarks/bench_import.py --sizes 100000 --runs 5
    python benchmarks/bench_import.py --sizes 100000 --no-into
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import people_csv

from orgmodel.importers import document_json
from orgmodel.importers.hris import import_hris


def _csv_read(path: str) -> int:
    text = Path(path).read_bytes().decode("utf-8")
    return sum(1 for _ in csv.reader(io.StringIO(text)))


def _import(path: str) -> int:
    return len(import_hris(path).text())


def _medians(
    runs: int, jobs: list[Callable[[str], object]], path: str
) -> list[tuple[float, float]]:
    """The median wall and CPU seconds of each job, the jobs run in turn ``runs`` times
    (alternated, so that a busy spell of the machine slows each of them alike)."""
    times: list[list[tuple[float, float]]] = [[] for _ in jobs]
    for _ in range(runs):
        for job, taken in zip(jobs, times, strict=True):
            wall, cpu = time.perf_counter(), time.process_time()
            job(path)
            taken.append((time.perf_counter() - wall, time.process_time() - cpu))
    return [
        (statistics.median(w for w, _ in taken), statistics.median(c for _, c in taken))
        for taken in times
    ]


def _child(args: list[str]) -> tuple[float, float]:
    """Seconds and peak resident MB of ``python -m orgmodel ARGS`` in a fresh process."""
    code = (
        "import resource, subprocess, sys, time; t = time.perf_counter(); "
        "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, "
        "stderr=subprocess.DEVNULL); t = time.perf_counter() - t; "
        "print(r.returncode, t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, sys.executable, "-m", "orgmodel", *args],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    if out[0] not in ("0", "1"):
        raise SystemExit(f"orgmodel {' '.join(args)}: exit {out[0]}")
    return float(out[1]), int(out[2]) / 1024


def _model_with_journeys(export: str, out: str, journeys: int, steps: int = 6) -> None:
    """The import ``export`` plus ``journeys`` journeys whose steps are performed by its
    units (deterministic)."""
    doc = json.loads(Path(export).read_text(encoding="utf-8"))
    units = [u["id"] for u in doc["units"]]
    rnd = random.Random(13)
    doc["journeys"] = [
        {
            "id": f"journey-{j}",
            "name": f"Journey {j}",
            "owner": rnd.choice(units),
            "steps": [{"name": f"Step {k}", "unit": rnd.choice(units)} for k in range(steps)],
        }
        for j in range(journeys)
    ]
    Path(out).write_text(document_json(doc), encoding="utf-8")


def main() -> None:
    """Run the benchmark (see the module docstring)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (the median)")
    parser.add_argument("--journeys", type=int, default=5_000)
    parser.add_argument("--no-into", action="store_true", help="skip the --into re-import")
    args = parser.parse_args()
    print(f"median of {args.runs} run(s); {os.cpu_count()} CPU(s); the ratio is import / csv")
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            path = os.path.join(tmp, f"people-{size}.csv")
            out = os.path.join(tmp, f"org-{size}.json")
            people_csv.write(size, path, departments=True)
            (base, base_cpu), (took, took_cpu) = _medians(args.runs, [_csv_read, _import], path)
            cli = [_child(["import", "hris", path, "-o", out]) for _ in range(args.runs)]
            cli_s = statistics.median(t for t, _ in cli)
            peak = max(m for _, m in cli)
            mb = Path(path).stat().st_size / 1e6
            print(
                f"{size:>9,} people ({mb:.0f} MB): csv {base:.2f} s, import {took:.2f} s, "
                f"ratio {took / base:.1f} (target <= 4; CPU {base_cpu:.2f} and "
                f"{took_cpu:.2f} s, ratio {took_cpu / base_cpu:.1f}); cli {cli_s:.2f} s "
                f"(ratio {cli_s / base:.1f}), peak {peak:.0f} MB"
            )
            if args.no_into or size != 100_000:
                continue
            model = os.path.join(tmp, "model.json")
            _model_with_journeys(out, model, args.journeys)
            merged = os.path.join(tmp, "merged.json")
            into = [
                _child(["import", "hris", path, "--into", model, "-o", merged])
                for _ in range(args.runs)
            ]
            into_s = statistics.median(t for t, _ in into)
            print(
                f"{'':>9}  --into a model with {args.journeys:,} journeys: "
                f"{into_s:.2f} s (ratio {into_s / base:.1f}), peak "
                f"{max(m for _, m in into):.0f} MB"
            )


if __name__ == "__main__":
    main()
