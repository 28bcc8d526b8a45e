"""Benchmark ``orgmodel import hris``: importing a generated id/parentId CSV, as a ratio to
reading the same file with Python's ``csv`` module, and the peak memory of the import.

Each size is generated once (:mod:`people_csv`, with a department path column), then
timed: ``csv`` (decode and ``csv.reader`` over every row) and ``import`` (``import_hris``
and the document's JSON text, what ``orgmodel import hris -o`` writes less the
validation). Peak memory is the process's maximum resident set after the import, measured
in a fresh child process per size. Target (issue 13): the import at most 4 times the csv
read.

Usage::

    python benchmarks/bench_import.py                    # 100,000 and 1,000,000 people
    python benchmarks/bench_import.py --sizes 100000
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import resource
import subprocess
import sys
import tempfile
import time
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
    return len(document_json(import_hris(path).data))


def main() -> None:
    """Run the benchmark (see the module docstring)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--child", nargs=1, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _import(args.child[0])
        print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
        return
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            path = os.path.join(tmp, f"people-{size}.csv")
            people_csv.write(size, path, departments=True)
            start = time.perf_counter()
            _csv_read(path)
            base = time.perf_counter() - start
            start = time.perf_counter()
            _import(path)
            took = time.perf_counter() - start
            peak = subprocess.run([sys.executable, __file__, "--child", path],
                                  capture_output=True, text=True, check=True).stdout.strip()
            mb = Path(path).stat().st_size / 1e6
            print(f"{size:>9,} people ({mb:.0f} MB): csv {base:.2f} s, import {took:.2f} s, "
                  f"ratio {took / base:.1f} (target <= 4), peak {int(peak) / 1024:.0f} MB")


if __name__ == "__main__":
    main()
