"""Benchmark `orgmodel import eventlog` on generated logs of the size of BPI Challenge 2012.

Generates a CSV log (``--events`` events in cases of about 20 (262,000 events: about 13,000
cases), 24 activities, 8 units, start and complete timestamps) and, where pyarrow is
installed, the same log as Parquet; then runs the import (variants and handover matrix
included) in a fresh process ``--repeat`` times per engine and format and prints the median
wall time, the CPU time and the peak memory (``getrusage`` of the child). ``--candidates``
also runs the core of the columnar work (read, order, variant keys, waits, handover pairs)
in DuckDB and in polars side by side; where pm4py is installed, its ``read_xes`` is timed on
the same log as XES (pm4py is AGPL: never a dependency). ``--xes`` also imports the log as
XES with each engine (read by the fast XES reader). The start-up share is measured too: a
fresh ``python -c 'import orgmodel.cli'`` and ``import duckdb``. Targets (issue 14): 262,000 events
in at most 3 s; 10,000,000 events in at most 60 s and 4 GB.

    python benchmarks/bench_eventlog.py                    # 262,000 events, 5 runs
    python benchmarks/bench_eventlog.py --events 10000000 --repeat 1 --engines duckdb
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

HEADER = [
    "case:concept:name",
    "concept:name",
    "org:group",
    "org:resource",
    "start_timestamp",
    "time:timestamp",
]


def generate(path: Path, events: int, seed: int = 2012) -> None:
    """A deterministic log of ``events`` events in cases of 12 to 24 events."""
    rng = random.Random(seed)
    activities = [f"A{i:02d}" for i in range(24)]
    units = [f"unit-{i}" for i in range(8)]
    unit_of = {a: units[i * 5 % len(units)] for i, a in enumerate(activities)}
    paths = [rng.sample(activities, 24)[: rng.randint(12, 24)] for _ in range(300)]
    t0 = int(datetime(2011, 10, 1, tzinfo=timezone.utc).timestamp())
    days: dict[int, str] = {}
    clocks = [f"T{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in range(86400)]

    def stamp(t: int) -> str:
        day = days.get(t // 86400)
        if day is None:
            day = days[t // 86400] = datetime.fromtimestamp(t - t % 86400, timezone.utc).strftime(
                "%Y-%m-%d"
            )
        return day + clocks[t % 86400]

    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(",".join(HEADER) + "\n")
        written, case = 0, 0
        randint, lines = rng.randint, []
        while written < events:
            steps = paths[min(int(rng.paretovariate(1.2)) - 1, len(paths) - 1)]
            t = t0 + case * 600
            for activity in steps[: events - written]:
                t += randint(0, 7200)
                end = t + randint(60, 3600)
                unit = unit_of[activity]
                lines.append(
                    f"case-{case},{activity},{unit},{unit}-r{randint(1, 5)},"
                    f"{stamp(t)},{stamp(end)}\n"
                )
                t = end
                written += 1
            case += 1
            if len(lines) > 100_000:
                handle.writelines(lines)
                lines = []
        handle.writelines(lines)


def to_parquet(csv_path: Path) -> Path | None:
    """The log as Parquet (timestamps typed, without a zone), where pyarrow is installed."""
    if importlib.util.find_spec("pyarrow") is None:
        return None
    import pyarrow as pa
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    types = {name: pa.string() for name in HEADER[:4]}
    types.update({name: pa.timestamp("us") for name in HEADER[4:]})
    table = pacsv.read_csv(csv_path, convert_options=pacsv.ConvertOptions(column_types=types))
    out = csv_path.with_suffix(".parquet")
    pq.write_table(table, out)
    return out


def run(argv: list[str]) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds and peak RSS bytes of one run in a child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        assert proc.stderr is not None
        raise SystemExit(f"{' '.join(argv)} failed:\n{proc.stderr.read().decode()}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024


def report(what: str, argv: list[str], repeat: int) -> None:
    """Run ``argv`` ``repeat`` times; print the median wall and CPU time and the peak."""
    runs = [run(argv) for _ in range(repeat)]
    wall = statistics.median(r[0] for r in runs)
    cpu = statistics.median(r[1] for r in runs)
    peak = max(r[2] for r in runs)
    print(
        f"{what:<44} wall {wall:7.2f} s  cpu {cpu:7.2f} s  peak {peak / 1e6:6.0f} MB "
        f"(median of {repeat})",
        flush=True,
    )


_DUCKDB_CORE = """
import duckdb, sys
con = duckdb.connect()
con.execute(f'''CREATE TABLE ev AS SELECT "case:concept:name" AS c, "concept:name" AS a,
    "org:group" AS u, epoch_us(start_timestamp::TIMESTAMP) / 1e6 AS s,
    epoch_us("time:timestamp"::TIMESTAMP) / 1e6 AS e FROM read_csv('{sys.argv[1]}',
    all_varchar=true)''')
con.execute('''CREATE TABLE st AS SELECT c, a, u, e - s AS work,
    greatest(s - lag(e) OVER w, 0) AS wait, lag(u) OVER w AS pu
    FROM ev WINDOW w AS (PARTITION BY c ORDER BY s, rowid)''')
con.execute("SELECT pu, u, count(*) FROM st GROUP BY ALL").fetchall()
con.execute("SELECT k, count(*) FROM (SELECT c, list(a || '|' || u) AS k FROM st "
            "GROUP BY c) GROUP BY k").fetchall()
"""

_POLARS_CORE = """
import polars as pl, sys
ev = pl.read_csv(sys.argv[1], infer_schema=False).with_row_index("o").select(
    pl.col("case:concept:name").alias("c"), pl.col("concept:name").alias("a"),
    pl.col("org:group").alias("u"), pl.col("o"),
    pl.col("start_timestamp").str.to_datetime("%Y-%m-%dT%H:%M:%S").dt.epoch("us") / 1e6,
    pl.col("time:timestamp").str.to_datetime("%Y-%m-%dT%H:%M:%S").dt.epoch("us").alias("e")
    / 1e6).sort("c", "start_timestamp", "o")
st = ev.with_columns((pl.col("e") - pl.col("start_timestamp")).alias("work"),
    (pl.col("start_timestamp") - pl.col("e").shift(1).over("c")).clip(0).alias("wait"),
    pl.col("u").shift(1).over("c").alias("pu"))
st.group_by("pu", "u").len()
st.group_by("c", maintain_order=True).agg((pl.col("a") + "|" + pl.col("u")).alias("k")
    ).group_by("k").len()
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--events", type=int, default=262_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--engines", default="python,duckdb", help="comma-separated: python, duckdb"
    )
    parser.add_argument("--xes", action="store_true", help="also import the log as XES")
    parser.add_argument("--formats", default="csv,parquet", help="comma-separated: csv, parquet")
    parser.add_argument(
        "--candidates",
        action="store_true",
        help="also time the core columnar work in DuckDB and polars",
    )
    args = parser.parse_args()
    engines = [
        e
        for e in args.engines.split(",")
        if e == "python" or importlib.util.find_spec(e) is not None
    ]
    print(f"{os.cpu_count()} CPU(s); Python {sys.version.split()[0]}", flush=True)
    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder) / "log.csv"
        start = time.perf_counter()
        generate(log, args.events)
        formats = args.formats.split(",")
        parquet = to_parquet(log) if "parquet" in formats else None
        print(
            f"generated {args.events:,} events in {time.perf_counter() - start:.0f} s "
            f"(CSV {log.stat().st_size / 1e6:.0f} MB)",
            flush=True,
        )
        start_up = [("import orgmodel.cli", "import orgmodel.cli")]
        if importlib.util.find_spec("duckdb") is not None:
            start_up.append(("import duckdb", "import duckdb"))
        for what, code in start_up:
            report(f"start-up: {what}", [sys.executable, "-c", code], args.repeat)
        paths = [p for p in (log if "csv" in formats else None, parquet) if p is not None]
        if args.xes:
            xes = Path(folder) / "log.xes"
            write_xes(log, xes)
            for engine in engines:
                report(
                    f"import {args.events:,} events, xes, {engine}",
                    _import_argv(xes, Path(folder), engine),
                    args.repeat,
                )
        for engine in engines:
            for path in paths:
                report(
                    f"import {args.events:,} events, {path.suffix[1:]}, {engine}",
                    _import_argv(path, Path(folder), engine),
                    args.repeat,
                )
        if args.candidates:
            for name, code in (("duckdb", _DUCKDB_CORE), ("polars", _POLARS_CORE)):
                if importlib.util.find_spec(name) is not None:
                    report(
                        f"core work, CSV, {name}",
                        [sys.executable, "-c", code, str(log)],
                        args.repeat,
                    )
        if importlib.util.find_spec("pm4py") is not None:
            xes = Path(folder) / "log.xes"
            if not xes.exists():
                write_xes(log, xes)
            report(
                f"pm4py read_xes, {args.events:,} events",
                [sys.executable, "-c", "import pm4py, sys; pm4py.read_xes(sys.argv[1])", str(xes)],
                args.repeat,
            )


def _import_argv(path: Path, folder: Path, engine: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "orgmodel",
        "import",
        "eventlog",
        str(path),
        "-o",
        str(folder / "out.json"),
        "--top",
        "50",
        "-q",
        "--engine",
        engine,
    ]


def write_xes(csv_path: Path, out: Path) -> None:
    """The log as XES (for pm4py's read_xes)."""
    from xml.sax.saxutils import quoteattr

    with csv_path.open(encoding="utf-8") as src, out.open("w", encoding="utf-8") as handle:
        next(src)
        handle.write('<?xml version="1.0" encoding="UTF-8"?>\n<log xes.version="1.0">\n')
        current = None
        for line in src:
            case, activity, unit, resource, start, end = line.rstrip("\n").split(",")
            if case != current:
                if current is not None:
                    handle.write("</trace>\n")
                handle.write(f'<trace><string key="concept:name" value={quoteattr(case)}/>\n')
                current = case
            handle.write(
                f'<event><string key="concept:name" value="{activity}"/>'
                f'<string key="org:group" value="{unit}"/>'
                f'<string key="org:resource" value="{resource}"/>'
                f'<date key="start_timestamp" value="{start}"/>'
                f'<date key="time:timestamp" value="{end}"/></event>\n'
            )
        if current is not None:
            handle.write("</trace>\n")
        handle.write("</log>\n")


if __name__ == "__main__":
    main()
