"""A compact layout for large trees: a tidy tree on top, indented lists below.

A tidy tree grows as wide as its leaves: 40,000 leaf teams side by side are a picture
millions of pixels wide. Here only the *upper* tree, the units with more than ``rows``
units in their subtree, stands as a tidy tree (:func:`~orgmodel.views.layout.tidy_tree`).
Every smaller subtree hanging from it is drawn as an indented list, as in a file
explorer: each unit one row below the previous one, indented by ``indent`` under its
parent, linked by an elbow from a line that drops from the parent's left side. The small
children of one upper unit fill *columns* of at most ``rows`` rows (next fit, in their
order); a column hangs from its parent's bus like a stack of leaf teams.

To the tidy tree a column is one node per level it reaches into (a chain, down to the
level whose lines below it the column's last row reaches), so nothing else at those levels
comes near it. Chains stop at the deepest level where an upper unit or a column starts:
below it there are only columns, already apart. The layout graph thus
has a few nodes per column, and trying a capacity costs little; the capacity is chosen
(by a few Newton steps on ``log rows``) so that width / height comes close to
``aspect``. Everything is linear in the number of units, and deterministic.

>>> lay = compact_tree([[1, 2, 3], [], [], []], [0], [0.0] * 4, [0.0] * 4, rows=2)
>>> [(round(x), round(y)) for x, y in zip(lay.x, lay.y, strict=True)]
[(27, 0), (24, 108), (24, 190), (238, 108)]
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from orgmodel.views.layout import tidy_tree

__all__ = ["Compact", "Geometry", "compact_tree", "find_overlap"]

Point = tuple[float, float]


@dataclass(frozen=True)
class Geometry:
    """Sizes of the drawing, in pixels."""

    box_w: float = 176.0
    box_h: float = 70.0
    row: float = 108.0  # distance between the tops of two levels of the tidy tree
    gap: float = 14.0  # between siblings in the tidy tree
    cousin_gap: float = 30.0  # between units of different parents
    row_gap: float = 12.0  # between two rows of an indented list
    indent: float = 26.0  # indentation of a child in an indented list
    elbow: float = 12.0  # where the line to the children drops, from the box's left
    entry: float = 16.0  # a column's first level, right of the column's spine
    spine_left: float = 8.0  # room left of a column's spine


@dataclass
class Compact:
    """Positions (top-left corners of the boxes) and connector polylines."""

    x: list[float]
    y: list[float]
    routes: list[list[Point]]  # routes[c]: the line from c's parent to c ([] for roots)
    width: float  # right edge of the rightmost box or staff extent
    height: float  # bottom of the lowest box, badge included
    rows: int  # the capacity of a column that was chosen
    columns: int  # how many columns
    tried: list[tuple[int, float, float]] = field(default_factory=list)  # (rows, w, h)


@dataclass
class _Arrangement:
    rows: int
    width: float
    height: float
    xs: list[float]
    node: dict[int, int]  # upper unit -> layout node
    columns: list[tuple[int, int, list[int]]]  # (parent unit, head layout node, entries)


def compact_tree(
    children: Sequence[Sequence[int]],
    roots: Sequence[int],
    right_extra: Sequence[float],
    below_extra: Sequence[float],
    geometry: Geometry | None = None,
    aspect: float = 1.6,
    rows: int | None = None,
    left: float = 0.0,
    top: float = 0.0,
    frame: tuple[float, float] = (0.0, 0.0),
) -> Compact:
    """Lay out the forest ``children`` / ``roots`` compactly.

    ``right_extra[i]`` is room right of node ``i``'s box (staff beside it),
    ``below_extra[i]`` room below it (a badge). ``rows`` fixes the column capacity instead
    of choosing it for ``aspect`` (width / height of the picture, which adds ``frame`` =
    (horizontal, vertical) pixels of margins and header to the boxes). The picture's
    boxes start at ``left`` and ``top``.
    """
    g = geometry or Geometry()
    n = len(children)
    if n == 0:
        return Compact([], [], [], 0.0, 0.0, rows or 1, 0)
    order: list[int] = []  # pre-order of the forest
    level = [0] * n
    parent = [-1] * n
    stack = list(reversed(roots))
    while stack:
        v = stack.pop()
        order.append(v)
        for c in children[v]:
            level[c] = level[v] + 1
            parent[c] = v
        stack.extend(reversed(children[v]))
    size = [1] * n
    pixels = [0.0] * n  # height of v's subtree as an indented list, with trailing gap
    reach = [0.0] * n  # right edge of v's subtree as an indented list, from v's left
    for v in reversed(order):
        s, h = 1, g.box_h + below_extra[v] + g.row_gap
        r = g.box_w + right_extra[v]
        for c in children[v]:
            s += size[c]
            h += pixels[c]
            r = max(r, g.indent + reach[c])
        size[v], pixels[v], reach[v] = s, h, r

    def arrange(capacity: int) -> _Arrangement:
        kids: list[list[int]] = []
        lext: list[float] = []
        rext: list[float] = []
        node: dict[int, int] = {}
        columns: list[tuple[int, int, list[int]]] = []
        uppers: list[int] = []
        stack = list(reversed(roots))
        while stack:  # the upper tree, pre-order
            u = stack.pop()
            uppers.append(u)
            node[u] = len(kids)
            kids.append([])
            lext.append(g.box_w / 2)
            rext.append(g.box_w / 2 + right_extra[u])
            stack.extend(c for c in reversed(children[u]) if size[c] > capacity)
        deepest = 0
        packed: list[list[list[int]]] = []
        for u in uppers:
            cols: list[list[int]] = []
            used = capacity
            for c in children[u]:
                if size[c] > capacity:
                    continue
                if used + size[c] > capacity:
                    cols.append([])
                    used = 0
                cols[-1].append(c)
                used += size[c]
            packed.append(cols)
            deepest = max(deepest, level[u] + (1 if cols else 0))
        height = 0.0
        for u, cols in zip(uppers, packed, strict=True):
            own = node[u]
            height = max(height, level[u] * g.row + g.box_h + below_extra[u])
            for entries in cols:
                tall = sum(pixels[e] for e in entries) - g.row_gap
                height = max(height, (level[u] + 1) * g.row + tall)
                wide = g.entry + max(reach[e] for e in entries)
                last = level[u] + 1 + math.ceil(max(0.0, tall - g.box_h) / g.row)
                prev = own
                for _ in range(level[u] + 1, min(last, deepest) + 1):
                    kids.append([])
                    lext.append(g.spine_left)
                    rext.append(wide)
                    kids[prev].append(len(kids) - 1)
                    if prev == own:
                        columns.append((u, len(kids) - 1, entries))
                    prev = len(kids) - 1
            kids[own].extend(node[c] for c in children[u] if size[c] > capacity)
        xs = tidy_tree(kids, [node[r] for r in roots], lext, rext, g.gap, g.cousin_gap)
        width = max(x + r for x, r in zip(xs, rext, strict=True))
        return _Arrangement(capacity, width, height, xs, node, columns)

    tried: list[_Arrangement] = []
    if rows is not None:
        best = arrange(max(1, rows))
        tried.append(best)
    else:
        guess = math.sqrt(
            n * (g.entry + g.box_w + 3 * g.indent + g.gap) / (0.7 * (g.box_h + g.row_gap) * aspect)
        )
        capacity = min(n, max(4, round(guess)))
        seen: set[int] = set()
        scored: tuple[float, _Arrangement] | None = None
        for _ in range(6):
            seen.add(capacity)
            arr = arrange(capacity)
            tried.append(arr)
            ratio = (arr.width + frame[0]) / (arr.height + frame[1]) / aspect
            score = abs(math.log(ratio))
            if scored is None or score < scored[0]:
                scored = (score, arr)
            # width ~ 1 / capacity, height ~ capacity: the ratio goes with 1 / capacity^2
            capacity = min(n, max(4, round(capacity * math.sqrt(ratio))))
            if capacity in seen:
                break
        assert scored is not None
        best = scored[1]
    return _place(children, parent, level, below_extra, g, best, left, top, tried)


def _place(
    children: Sequence[Sequence[int]],
    parent: list[int],
    level: list[int],
    below_extra: Sequence[float],
    g: Geometry,
    arr: _Arrangement,
    left: float,
    top: float,
    tried: list[_Arrangement],
) -> Compact:
    """Box positions and connector lines of the chosen arrangement."""
    n = len(children)
    x = [0.0] * n
    y = [0.0] * n
    routes: list[list[Point]] = [[] for _ in range(n)]
    xs = arr.xs
    for u, i in arr.node.items():
        x[u] = left + xs[i] - g.box_w / 2
        y[u] = top + level[u] * g.row
    for u in arr.node:  # lines from an upper unit to its upper children
        px, py = x[u] + g.box_w / 2, y[u] + g.box_h
        bus = py + (g.row - g.box_h) / 2
        for c in children[u]:
            if c in arr.node:
                cx = x[c] + g.box_w / 2
                routes[c] = [(px, py), (px, bus), (cx, bus), (cx, y[c])]
    box_h, half, elbow, indent = g.box_h, g.box_h / 2, g.elbow, g.indent
    pitch = [box_h + b + g.row_gap for b in below_extra]
    for u, head, entries in arr.columns:
        spine = left + xs[head]
        px, py = x[u] + g.box_w / 2, y[u] + box_h
        bus = py + (g.row - box_h) / 2
        row_y = top + (level[u] + 1) * g.row
        base = level[u] + 1
        start = spine + g.entry - base * indent
        stack = list(reversed(entries))
        while stack:  # pre-order: one row per unit
            v = stack.pop()
            xv = x[v] = start + level[v] * indent
            y[v] = row_y
            mid = row_y + half
            if level[v] == base:
                routes[v] = [(px, py), (px, bus), (spine, bus), (spine, mid), (xv, mid)]
            else:  # an elbow from the parent's left side
                p = parent[v]
                drop = x[p] + elbow
                routes[v] = [(drop, y[p] + box_h), (drop, mid), (xv, mid)]
            row_y += pitch[v]
            kids = children[v]
            if kids:
                stack.extend(reversed(kids))
    return Compact(
        x,
        y,
        routes,
        left + arr.width,
        top + arr.height,
        arr.rows,
        len(arr.columns),
        [(a.rows, a.width, a.height) for a in tried],
    )


def find_overlap(
    rects: Sequence[tuple[float, float, float, float]], clearance: float = 0.0
) -> tuple[int, int] | None:
    """Two rectangles ``(x, y, width, height)`` that overlap or come closer than
    ``clearance``, or None; in linear time for rectangles that do not pile up (a grid of
    cells as large as the largest rectangle)."""
    if not rects:
        return None
    cw = max(r[2] for r in rects) + clearance
    ch = max(r[3] for r in rects) + clearance
    cells: dict[tuple[int, int], list[int]] = {}
    for i, (x, y, _, _) in enumerate(rects):
        cells.setdefault((int(x // cw), int(y // ch)), []).append(i)
    for (cx, cy), members in cells.items():
        near = [
            j for dx in (-1, 0, 1) for dy in (-1, 0, 1) for j in cells.get((cx + dx, cy + dy), ())
        ]
        for i in members:
            xi, yi, wi, hi = rects[i]
            for j in near:
                if j <= i:
                    continue
                xj, yj, wj, hj = rects[j]
                if (
                    xi < xj + wj + clearance
                    and xj < xi + wi + clearance
                    and yi < yj + hj + clearance
                    and yj < yi + hi + clearance
                ):
                    return (i, j)
    return None
