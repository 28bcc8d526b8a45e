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

Usage::

    python benchmarks/bench_render.py                 # 5,000, 20,000 and 50,000 units
    python benchmarks/bench_render.py --sizes 1000 --repeat 3 --dot-max 1000   # quick
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[5_000, 20_000, 50_000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--dot-max", type=int, default=5_000)
    parser.add_argument("--timeout", type=float, default=300.0)
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    args = parser.parse_args(argv)
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
