"""Benchmark the org chart of a large enterprise: orgmodel's own layout and SVG writer.

For each size a synthetic enterprise (:mod:`synthetic`, no journeys needed) is generated
in memory and loaded once; then each phase is timed ``--repeat`` times and the median is
shown with the spread:

=================  ========================================================================
layout             the built-in layout of the visible tree, as ``OrgChart.placed`` runs it
svg                ``render(ctx, "orgchart", "svg", engine="builtin")`` end to end: a fresh
                   view, the layout and the SVG text (the figure the targets refer to)
dot (Graphviz)     ``dot -Tsvg`` on the chart's plain DOT, for comparison (only up to
                   ``--dot-max`` units, default 5,000: it takes about a minute at 20,000)
=================  ========================================================================

It also checks the result: every unit is in the SVG, and no two boxes (units and staff)
overlap; and it shows the size of the picture, width x height in pixels and width / height
(charts of more than 300 units use the compact layout, :mod:`orgmodel.views.compact`:
a tidy tree of the big units, indented lists of the small subtrees, the width balanced
against the height).
Targets (issue "Diagrams"): 20,000 units in at most 3 s, 50,000 in at most 6 s, compact.

``--matrix`` benchmarks the silo matrix instead (issue 15): a flat service desk of 649 units
(every resolver group its own silo) and 3,369 journeys, the size of a real service-desk log,
drawn as SVG, DOT and Mermaid the way ``orgmodel render --view matrix`` draws it (the 50
journeys of the highest volume and the 40 busiest silos, the rest summed), against the
reference measured in the same run: the same matrix drawn whole, every journey and silo
(what ``render`` drew before; once per format, it takes minutes). The silo analysis is
computed once before and not timed.

Usage::

    python benchmarks/bench_render.py                 # 5,000, 20,000 and 50,000 units
    python benchmarks/bench_render.py --sizes 1000 --repeat 3 --dot-max 1000   # quick
    python benchmarks/bench_render.py --matrix        # the silo matrix
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import generate

from orgmodel.graph import build_enterprise
from orgmodel.loader import load_text
from orgmodel.views import ViewContext, ViewOptions, render
from orgmodel.views.compact import find_overlap
from orgmodel.views.matrix import MatrixView
from orgmodel.views.orgchart import BOX_H, BOX_W, STAFF_H, STAFF_W, OrgChart, _place

TARGETS = {20_000: 3.0, 50_000: 6.0}


def timed(fn, repeat: int) -> tuple[float, float, float, object]:
    times = []
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times), max(times), result


def check(chart: OrgChart) -> tuple[float, float]:
    """The picture's width and height; fails when two boxes overlap."""
    placed = chart.placed
    rects = [(x, y, BOX_W, BOX_H) for x, y in placed.boxes.values()]
    rects += [(x, y, STAFF_W, STAFF_H) for _, _, x, y in placed.staff]
    clash = find_overlap(rects)
    if clash is not None:
        raise AssertionError(f"boxes overlap: {rects[clash[0]]} and {rects[clash[1]]}")
    return placed.width, placed.height


def service_desk(units: int = 649, journeys: int = 3369, seed: int = 1) -> dict:
    """A flat service desk: resolver groups under a board (each its own silo, as in an
    imported event log), variants of 2-12 steps over groups of Zipf-like workload, and a
    long tail of volumes."""
    import random

    rng = random.Random(seed)
    groups = [f"g{i:03d}" for i in range(1, units)]
    weights = [1 / i**0.9 for i in range(1, units)]
    return {
        "orgmodel": "1",
        "name": "Service desk",
        "units": [{"id": "board", "name": "Service desk", "kind": "board"}]
        + [{"id": g, "name": f"Resolver group {g[1:]}", "parent": "board"} for g in groups],
        "journeys": [
            {
                "id": f"v{k:04d}",
                "name": f"Variant {k}",
                "volume": round(1000 / (k + 1) ** 1.1, 3),
                "steps": [
                    {"name": f"Activity {i}", "unit": u, "work": "10m", "wait": "1h"}
                    for i, u in enumerate(rng.choices(groups, weights, k=rng.randint(2, 12)))
                ],
            }
            for k in range(journeys)
        ],
    }


def bench_matrix(repeat: int) -> int:
    """The silo matrix of :func:`service_desk`: drawn as render draws it against the whole
    matrix (see the module docstring)."""
    ctx = ViewContext(build_enterprise(load_text(json.dumps(service_desk()))))
    section = ctx.silos
    journeys, cells = list(section.journeys), list(section.matrix)
    print(
        f"silo matrix: {len(journeys):,} journeys, {len(ctx.enterprise.units):,} units, "
        f"{len(cells):,} non-empty cells; median of {repeat} runs (whole: 1 run)\n"
    )
    print(f"{'format':<8} {'drawn':<7} {'median s':>9}  {'spread s':>13}  {'bytes':>12}  ratio")
    writers = {"svg": MatrixView.to_svg, "dot": MatrixView.to_dot, "mmd": MatrixView.to_mermaid}
    for fmt, write in writers.items():
        rows = []
        for drawn, runs, size in (("top 50", repeat, None), ("whole", 1, len(cells))):

            def draw(top: int | None = size, fmt: str = fmt, write=write) -> str:
                if top is None:
                    return render(ctx, "matrix", fmt, engine="builtin").data.decode()
                return write(MatrixView(ctx.enterprise, journeys, cells, top, top))

            med, lo, hi, out = timed(draw, runs)
            rows.append((drawn, med, lo, hi, len(str(out).encode())))
        ref_time, ref_bytes = rows[1][1], rows[1][4]
        for drawn, med, lo, hi, n in rows:
            print(
                f"{fmt:<8} {drawn:<7} {med:>9.2f}  {lo:>6.2f}-{hi:<6.2f}  {n:>12,}  "
                f"time {med / ref_time:.3f}, bytes {n / ref_bytes:.4f}"
            )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[5_000, 20_000, 50_000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--dot-max", type=int, default=5_000)
    parser.add_argument("--timeout", type=float, default=300.0)
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    parser.add_argument("--matrix", action="store_true", help="benchmark the silo matrix")
    args = parser.parse_args(argv)
    if args.matrix:
        return bench_matrix(args.repeat)
    print(
        f"machine: {platform.machine()}, {platform.processor() or 'cpu'}, Python "
        f"{platform.python_version()}, {platform.system()}"
    )
    print(f"median of {args.repeat} runs (min-max)\n")
    print(f"{'units':>7}  {'phase':<16} {'median s':>9}  {'spread s':>13}  note")
    rows = []
    pictures: dict[int, dict[str, float]] = {}
    failed = False
    for size in args.sizes:
        doc = generate(units=size, positions=0, journeys=0, seed=1)
        ctx = ViewContext(build_enterprise(load_text(json.dumps(doc))))
        chart = OrgChart(ctx.enterprise, ViewOptions())

        def layout(c: OrgChart = chart) -> object:
            return _place(c.chart)

        med, lo, hi, _ = timed(layout, args.repeat)
        width, height = check(chart)
        rows.append(
            (
                size,
                "layout",
                med,
                lo,
                hi,
                f"{width:,.0f} x {height:,.0f} px, width / height {width / height:.2f}",
            )
        )
        pictures[size] = {"width": width, "height": height}
        med, lo, hi, data = timed(
            lambda c=ctx: render(c, "orgchart", "svg", engine="builtin").data, args.repeat
        )
        svg = data if isinstance(data, bytes) else b""
        if svg.count(b'<g class="unit"') != size:
            raise AssertionError("not every unit is in the SVG")
        note = f"{len(svg) / 1e6:.1f} MB"
        target = TARGETS.get(size)
        if target is not None:
            ok = med <= target
            failed |= not ok
            note += f", target <= {target:g} s: {'met' if ok else 'MISSED'}"
        rows.append((size, "svg", med, lo, hi, note))
        if size <= args.dot_max and shutil.which("dot"):
            source = chart._dot(pinned=False)

            def run_dot(source: str = source) -> None:
                subprocess.run(
                    ["dot", "-Tsvg"],
                    input=source.encode(),
                    capture_output=True,
                    timeout=args.timeout,
                    check=True,
                )

            med, lo, hi, _ = timed(run_dot, max(1, min(args.repeat, 3)))
            rows.append((size, "dot (Graphviz)", med, lo, hi, "for comparison"))
        for row in rows[-3:]:
            if row[0] == size:
                print(
                    f"{row[0]:>7,}  {row[1]:<16} {row[2]:>9.2f}  {row[3]:>6.2f}-{row[4]:<6.2f}"
                    f"  {row[5]}"
                )
    if args.json:
        out = [
            dict(zip(("units", "phase", "median", "min", "max", "note"), r, strict=True))
            for r in rows
        ]
        for row in out:  # the layout rows also carry the size of the picture
            row.update(pictures.get(row["units"], {}) if row["phase"] == "layout" else {})
        args.json.write_text(json.dumps(out, indent=2))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
