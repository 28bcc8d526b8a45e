"""The compact layout of large org charts: tidy tree on top, indented lists below.

Properties on generated trees (no two boxes overlap, each child below its parent, no line
through a box, every line inside the picture), the width / height of a synthetic 20,000-unit
enterprise, determinism, and the Graphviz path (``neato -n2``) with the new lines.
"""

from __future__ import annotations

import itertools
import json
import math
import random
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from orgmodel.graph import build_enterprise
from orgmodel.loader import load_text
from orgmodel.views import ViewContext, ViewOptions, render
from orgmodel.views.compact import Geometry, compact_tree, find_overlap
from orgmodel.views.orgchart import (
    BOX_H,
    BOX_W,
    DOT_LAYOUT_LIMIT,
    STAFF_H,
    STAFF_W,
    OrgChart,
    Placed,
)

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from synthetic import generate

Rect = tuple[float, float, float, float]
Point = tuple[float, float]
G = Geometry()
BADGE: Rect = (BOX_W / 2 - 42, BOX_H, 84, 16)  # the "+N units" badge, box-relative


def random_forest(rng: random.Random, n: int) -> tuple[list[list[int]], list[int]]:
    """A random forest in pre-order: broad, deep or mixed, with one or a few roots."""
    style = rng.choice(["broad", "deep", "mixed", "star"])
    parent = [-1] * n
    roots = [0]
    for i in range(1, n):
        if rng.random() < 0.01 and style != "star":
            roots.append(i)
            continue
        if style == "broad":
            parent[i] = rng.randrange(max(1, i // 3) or 1) if i > 1 else 0
        elif style == "deep":
            parent[i] = max(0, i - 1 - rng.randrange(4))
        elif style == "star":
            parent[i] = 0 if rng.random() < 0.7 else rng.randrange(i)
        else:
            parent[i] = rng.randrange(i) if rng.random() < 0.5 else max(0, i - 1 - rng.randrange(3))
        if parent[i] < roots[-1]:  # keep the trees apart: a parent in the current tree
            parent[i] = roots[-1] + (parent[i] % (i - roots[-1]))
    children: list[list[int]] = [[] for _ in range(n)]
    for i, p in enumerate(parent):
        if p >= 0:
            children[p].append(i)
    return children, roots


def line_crossings(
    rects: Sequence[tuple[int, Rect]], routes: Sequence[tuple[int, int, Sequence[Point]]]
) -> list[str]:
    """Lines that pass through a rectangle of a unit other than their two ends."""
    cell_w, cell_h = 256.0, 128.0
    grid: dict[tuple[int, int], list[int]] = {}
    for k, (_, (x, y, w, h)) in enumerate(rects):
        for cx in range(int(x // cell_w), int((x + w) // cell_w) + 1):
            for cy in range(int(y // cell_h), int((y + h) // cell_h) + 1):
                grid.setdefault((cx, cy), []).append(k)
    found = []
    for a, b, points in routes:
        for (x1, y1), (x2, y2) in itertools.pairwise(points):
            assert x1 == x2 or y1 == y2, "lines are horizontal or vertical"
            lo_x, hi_x, lo_y, hi_y = min(x1, x2), max(x1, x2), min(y1, y2), max(y1, y2)
            seen: set[int] = set()
            for cx in range(int(lo_x // cell_w), int(hi_x // cell_w) + 1):
                for cy in range(int(lo_y // cell_h), int(hi_y // cell_h) + 1):
                    seen.update(grid.get((cx, cy), ()))
            for k in seen:
                owner, (x, y, w, h) = rects[k]
                if owner in (a, b):
                    continue
                if lo_x == hi_x:  # vertical: strictly inside the box's x range
                    hit = x < lo_x < x + w and lo_y < y + h and y < hi_y
                else:  # horizontal: strictly inside the box's y range
                    hit = y < lo_y < y + h and lo_x < x + w and x < hi_x
                if hit:
                    found.append(f"line {a}->{b} ({x1},{y1})-({x2},{y2}) crosses {owner}")
    return found


# -- the layout on generated trees -------------------------------------------------------


@pytest.mark.parametrize("seed", range(40))
def test_compact_layout_never_overlaps(seed: int) -> None:
    rng = random.Random(seed)
    n = rng.randrange(1, 1500)
    children, roots = random_forest(rng, n)
    right = [rng.choice([0.0, 0.0, 0.0, 144.0, 274.0]) for _ in range(n)]
    below = [18.0 if not children[i] and rng.random() < 0.2 else 0.0 for i in range(n)]
    rows = rng.choice([None, None, rng.randrange(1, 80)])
    left, top = 24.0, 92.0
    lay = compact_tree(children, roots, right, below, rows=rows, left=left, top=top)
    parent = [-1] * n
    for p in range(n):
        for c in children[p]:
            parent[c] = p

    rects: list[tuple[int, Rect]] = []
    for i in range(n):
        rects.append((i, (lay.x[i], lay.y[i], G.box_w + right[i], G.box_h)))
        if below[i]:
            bx, by, bw, bh = BADGE
            rects.append((i, (lay.x[i] + bx, lay.y[i] + by, bw, bh)))
    boxes = [r for _, r in rects if r[2] >= G.box_w]
    assert find_overlap(boxes, clearance=G.row_gap - 1) is None, "boxes too close"
    assert find_overlap([r for _, r in rects]) is None, "a badge overlaps a box"

    for i in range(n):
        assert lay.x[i] >= left and lay.y[i] >= top
        assert lay.x[i] + G.box_w + right[i] <= lay.width + 1e-6
        assert lay.y[i] + G.box_h + below[i] <= lay.height + 1e-6
        p = parent[i]
        if p < 0:
            assert lay.routes[i] == []
            continue
        assert lay.y[i] >= lay.y[p] + G.box_h + G.row_gap - 1e-6, "a child is below its parent"
        route = lay.routes[i]
        (sx, sy), (ex, ey) = route[0], route[-1]
        assert sy == lay.y[p] + G.box_h and lay.x[p] <= sx <= lay.x[p] + G.box_w
        assert (ex, ey) in ((lay.x[i], lay.y[i] + G.box_h / 2), (lay.x[i] + G.box_w / 2, lay.y[i]))
        for x, y in route:
            assert 0 <= x <= lay.width and 0 <= y <= lay.height
    routes = [(parent[i], i, lay.routes[i]) for i in range(n) if parent[i] >= 0]
    assert line_crossings(rects, routes) == []


def test_compact_layout_is_deterministic_and_aims_at_the_aspect() -> None:
    rng = random.Random(7)
    children, roots = random_forest(rng, 3000)
    zero = [0.0] * 3000
    one = compact_tree(children, roots, zero, zero)
    two = compact_tree(children, roots, zero, zero)
    assert (one.x, one.y, one.routes, one.rows) == (two.x, two.y, two.routes, two.rows)
    star = [list(range(1, 5000))] + [[] for _ in range(4999)]  # 4,999 leaf teams
    lay = compact_tree(star, [0], [0.0] * 5000, [0.0] * 5000, aspect=1.6)
    assert 1.0 <= lay.width / lay.height <= 2.6
    chain = [[i + 1] for i in range(20_000 - 1)] + [[]]  # no recursion limit
    lay = compact_tree(chain, [0], [0.0] * 20_000, [0.0] * 20_000)
    assert all(a < b for a, b in zip(lay.y, lay.y[1:], strict=False))


# -- the org chart -----------------------------------------------------------------------


def synthetic(units: int, positions: int = 0, seed: int = 1) -> ViewContext:
    doc = generate(units=units, positions=positions, journeys=0, seed=seed)
    return ViewContext(build_enterprise(load_text(json.dumps(doc))))


def chart_problems(chart: OrgChart) -> list[str]:
    """Overlapping boxes, children not below their parent, lines through boxes or outside
    the picture."""
    placed: Placed = chart.placed
    rects: list[tuple[int, Rect]] = [
        (v, (x, y, BOX_W, BOX_H)) for v, (x, y) in placed.boxes.items()
    ]
    rects += [(v, (x, y, STAFF_W, STAFF_H)) for v, _, x, y in placed.staff]
    rects += [
        (v, (placed.boxes[v][0] + BADGE[0], placed.boxes[v][1] + BADGE[1], *BADGE[2:]))
        for v in chart.chart.hidden
    ]
    problems = []
    clash = find_overlap([r for _, r in rects])
    if clash is not None:
        problems.append(f"overlap: {rects[clash[0]]} and {rects[clash[1]]}")
    parent = {c: v for v in chart.chart.units for c in chart.chart.children[v]}
    routes = []
    for c, points in placed.routes:
        v = parent[c]
        if placed.boxes[c][1] < placed.boxes[v][1] + BOX_H:
            problems.append(f"{c} is not below {v}")
        for x, y in points:
            if not (0 <= x <= placed.width and 0 <= y <= placed.height):
                problems.append(f"line to {c} leaves the picture at {x},{y}")
        routes.append((v, c, points))
    return problems + line_crossings(rects, routes)


@pytest.mark.parametrize(
    ("units", "positions", "depth"),
    [(DOT_LAYOUT_LIMIT + 1, 0, None), (1500, 4000, None), (6000, 0, 4)],
)
def test_large_org_chart_is_compact_and_clean(
    units: int, positions: int, depth: int | None
) -> None:
    ctx = synthetic(units, positions, seed=3)
    chart = OrgChart(ctx.enterprise, ViewOptions(depth=depth))
    assert len(chart.chart.units) > DOT_LAYOUT_LIMIT and chart.placed.rows > 0
    if depth is not None:
        assert chart.chart.hidden
    if positions:
        assert chart.placed.staff
    assert chart_problems(chart) == []
    assert chart.placed.width <= 4 * chart.placed.height


def test_small_org_charts_keep_the_tidy_tree() -> None:
    ctx = synthetic(DOT_LAYOUT_LIMIT)
    chart = OrgChart(ctx.enterprise, ViewOptions())
    assert len(chart.chart.units) == DOT_LAYOUT_LIMIT
    assert chart.placed.rows == 0


def test_synthetic_20000_units_is_compact() -> None:
    ctx = synthetic(20_000, seed=2)
    placed = OrgChart(ctx.enterprise, ViewOptions()).placed
    width, height = placed.width, placed.height
    assert 1.0 <= width / height <= 3.0, (width, height)
    # About 20,000 boxes of 176 x 70 px with their gaps: a tidy tree is ~900,000 px wide.
    assert width * height <= 20_000 * 176 * 70 * 8
    assert width <= 3 * math.sqrt(20_000 * 176 * 70 * 8)


def test_large_org_chart_svg_is_deterministic() -> None:
    one = render(synthetic(800, 1000), "orgchart", "svg", engine="builtin").data
    two = render(synthetic(800, 1000), "orgchart", "svg", engine="builtin").data
    assert one == two
    assert one.count(b'<g class="unit"') == 800


@pytest.mark.skipif(shutil.which("neato") is None, reason="Graphviz is not installed")
def test_large_org_chart_draws_with_graphviz_at_the_same_places() -> None:
    ctx = synthetic(DOT_LAYOUT_LIMIT + 60, 500)
    dot = render(ctx, "orgchart", "dot").data.decode()
    assert "neato -n2" in dot
    for line in dot.splitlines():
        if " -> " in line and "pos=" in line:
            points = line.split('pos="')[1].split('"')[0].split()
            assert len(points) % 3 == 1
    png = render(ctx, "orgchart", "png").data
    assert png.startswith(b"\x89PNG")
    svg = render(ctx, "orgchart", "svg", engine="graphviz").data
    assert svg.count(b'<g id="unit:') == DOT_LAYOUT_LIMIT + 60
