"""The built-in layout of the org chart: a tidy tree, or the compact layout of large charts.

Up to :data:`DOT_LAYOUT_LIMIT` visible units a tidy tree (:mod:`orgmodel.views.layout`)
where groups of leaf teams are stacked in columns under their parent; above it only the
big units stand as a tidy tree and every smaller subtree is an indented list, packed into
columns (:mod:`orgmodel.views.compact`), about :data:`COMPACT_ASPECT` times as wide as high.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from orgmodel.graph import Enterprise
from orgmodel.model import LineKind
from orgmodel.views.compact import Geometry, compact_tree
from orgmodel.views.layout import tidy_tree
from orgmodel.views.svg import Row, fit_block

__all__ = [
    "BOX_H",
    "BOX_W",
    "DOT_LAYOUT_LIMIT",
    "NEAR",
    "STAFF_H",
    "STAFF_W",
    "Away",
    "Chart",
    "Placed",
    "Ref",
    "Staff",
    "box_rows",
    "headcount",
    "place",
    "references",
    "staff_rows",
]

#: Up to this many visible units Graphviz's ``dot`` lays the chart out (when it draws the
#: SVG, PNG or PDF); above it orgmodel's own layout is used everywhere.
DOT_LAYOUT_LIMIT = 300

BOX_W, BOX_H = 176.0, 70.0
ROW = 108.0  # distance between the tops of two levels
GAP, COUSIN_GAP = 14.0, 30.0
STACK_MIN, STACK_TWO_COLUMNS = 3, 7
STACK_INDENT = 16.0
STAFF_W, STAFF_H, STAFF_GAP = 124.0, 30.0, 6.0
MARGIN, HEADER = 24.0, 92.0
BADGE_H = 18.0  # the "+N units" badge below a collapsed box
#: A dotted or matrix line between boxes whose centres are farther apart than this is not
#: drawn across the chart: both boxes carry a numbered tag, explained under the chart.
NEAR = 420.0
#: Sizes of the compact layout of large charts (indented lists under a tidy tree).
COMPACT = Geometry(box_w=BOX_W, box_h=BOX_H, row=ROW, gap=GAP, cousin_gap=COUSIN_GAP)
COMPACT_ASPECT = 1.6  # width / height the compact layout aims at


@dataclass(frozen=True)
class Staff:
    """A staff position drawn beside a unit."""

    id: str
    title: str
    holder: str | None


@dataclass(frozen=True)
class Away:
    """A dotted or matrix line of a drawn unit whose other end is not drawn."""

    unit: int  # the drawn unit
    other: int  # the unit at the other end
    kind: LineKind
    note: str | None
    outgoing: bool  # the line leads from ``unit`` to ``other``
    under: int | None  # the collapsed drawn box that hides ``other``; None: outside


@dataclass
class Chart:
    """The visible part of the tree, with what each box shows."""

    units: list[int]  # visible unit indices, pre-order
    children: dict[int, list[int]]  # visible children
    roots: list[int]
    hidden: dict[int, int]  # units hidden under a collapsed box
    total_headcount: dict[int, int]
    has_descendants: set[int]
    staff: dict[int, list[Staff]]
    lines: list[tuple[int, int, LineKind, str | None]]
    total_units: int
    subtitle: str
    away: list[Away] = field(default_factory=list)
    above: int | None = None  # the parent of the root of a --root chart


@dataclass
class Placed:
    """Positions from the built-in layout (top-left corners)."""

    boxes: dict[int, tuple[float, float]] = field(default_factory=dict)
    staff: list[tuple[int, Staff, float, float]] = field(default_factory=list)
    routes: list[tuple[int, list[tuple[float, float]]]] = field(default_factory=list)
    width: float = 0.0
    height: float = 0.0
    rows: int = 0  # rows of a column of the compact layout (0: tidy tree only)


@dataclass(frozen=True)
class Ref:
    """A dotted or matrix line shown as a numbered tag on its drawn end(s), not as a line."""

    number: int
    tail: int
    head: int
    kind: LineKind
    note: str | None
    away: Away | None  # the line leads out of the drawn units; None: drawn, far apart


def references(
    chart: Chart, placed: Placed
) -> tuple[list[tuple[int, int, LineKind, str | None]], list[Ref]]:
    """The dotted and matrix lines drawn as lines (both ends near), and the numbered
    references: lines between far-apart boxes and lines to units not drawn, in the order
    of the boxes that carry them."""
    order = {v: i for i, v in enumerate(chart.units)}
    boxes = placed.boxes
    near = []
    found: list[tuple[int, int, int, LineKind, str | None, Away | None]] = []
    for a, b, kind, note in chart.lines:
        (ax, ay), (bx, by) = boxes[a], boxes[b]
        if math.hypot(ax - bx, ay - by) <= NEAR:
            near.append((a, b, kind, note))
        else:
            found.append((min(order[a], order[b]), a, b, kind, note, None))
    for away in chart.away:
        tail, head = (away.unit, away.other) if away.outgoing else (away.other, away.unit)
        found.append((order[away.unit], tail, head, away.kind, away.note, away))
    found.sort(key=lambda f: f[0])  # stable: lines of one box keep their order
    refs = [Ref(i, *f[1:]) for i, f in enumerate(found, 1)]
    return near, refs


def headcount(chart: Chart, ent: Enterprise, v: int) -> str | None:
    """The headcount line of a unit's box, or None."""
    own = ent.units[ent.tree.ids[v]].headcount
    total = chart.total_headcount[v]
    if v in chart.has_descendants and total and total != (own or 0):
        return f"{_people(own)}, {total:,} in all" if own is not None else f"{total:,} in all"
    return None if own is None else _people(own)


def box_rows(chart: Chart, ent: Enterprise, v: int) -> list[Row]:
    """The lines of a unit's box: name, head and headcount wrapped (smaller where needed)
    to fit the fixed-size box, not cut."""
    unit = ent.units[ent.tree.ids[v]]
    parts: list[Row] = [(unit.name, 12, True, False)]
    if unit.head:
        parts.append((unit.head, 10.5, False, True))
    count = headcount(chart, ent, v)
    if count:
        parts.append((count, 10, False, False))
    return fit_block(parts, BOX_W - 14, BOX_H - 10, leading=1.2)


def staff_rows(s: Staff) -> list[Row]:
    """The lines of a staff position's box: title and holder, wrapped to fit."""
    parts: list[Row] = [(s.title, 10, False, False)]
    if s.holder:
        parts.append((s.holder, 9, False, True))
    return fit_block(parts, STAFF_W - 10, STAFF_H - 4, leading=1.2)


def _people(count: int) -> str:
    """``1 person``, ``12 people``."""
    return f"{count} person" if count == 1 else f"{count} people"


def _stacked(chart: Chart, v: int) -> list[int]:
    """The children of ``v`` drawn as a column: its leaf teams (without staff), when there
    are enough of them; the other children stand side by side."""
    leaves = [c for c in chart.children[v] if not chart.children[c] and c not in chart.staff]
    return leaves if len(leaves) >= STACK_MIN else []


def _staff_extent(count: int) -> float:
    return 0.0 if count == 0 else 14 + math.ceil(count / 2) * (STAFF_W + STAFF_GAP)


def place(chart: Chart) -> Placed:
    """The built-in layout: compact above :data:`DOT_LAYOUT_LIMIT` units, else tidy."""
    if len(chart.units) > DOT_LAYOUT_LIMIT:
        return _place_compact(chart)
    return _place_tidy(chart)


def _place_compact(chart: Chart) -> Placed:
    """Tidy tree of the big units, indented lists of the small subtrees below them
    (:mod:`orgmodel.views.compact`), the width balanced against the height."""
    units = chart.units
    dense = {v: i for i, v in enumerate(units)}
    kids = [[dense[c] for c in chart.children[v]] for v in units]
    right = [_staff_extent(len(chart.staff.get(v, ()))) for v in units]
    below = [BADGE_H if v in chart.hidden else 0.0 for v in units]
    lay = compact_tree(
        kids,
        [dense[r] for r in chart.roots],
        right,
        below,
        COMPACT,
        aspect=COMPACT_ASPECT,
        left=MARGIN,
        top=HEADER,
        frame=(2 * MARGIN, HEADER + MARGIN),
    )
    placed = Placed()
    boxes = placed.boxes
    for i, v in enumerate(units):
        boxes[v] = (lay.x[i], lay.y[i])
    _place_staff(chart, placed)
    for v in units:
        for c in chart.children[v]:
            placed.routes.append((c, lay.routes[dense[c]]))
    placed.width = max(lay.width + MARGIN, 560.0)
    placed.height = lay.height + MARGIN
    placed.rows = lay.rows
    return placed


def _place_staff(chart: Chart, placed: Placed) -> None:
    """Staff positions beside the box of the unit they belong to."""
    for v in chart.units:
        x, y = placed.boxes[v]
        for i, s in enumerate(chart.staff.get(v, ())):
            sx = x + BOX_W + 14 + (i // 2) * (STAFF_W + STAFF_GAP)
            sy = (
                y
                + (i % 2) * (STAFF_H + 10)
                + (0 if len(chart.staff[v]) > 1 else (BOX_H - STAFF_H) / 2)
            )
            placed.staff.append((v, s, sx, sy))


def _place_tidy(chart: Chart) -> Placed:
    """Tidy-tree layout: one layout node per box, one per row of stacked leaves."""
    index: dict[int, int] = {}
    kids: list[list[int]] = []
    lext: list[float] = []
    rext: list[float] = []
    depth: list[int] = []
    rows: list[tuple[int, list[int], int]] = []  # (layout node, leaves, columns)
    spines: dict[int, int] = {}  # first leaf of a row -> its layout node

    def add(left: float, right: float, level: int) -> int:
        kids.append([])
        lext.append(left)
        rext.append(right)
        depth.append(level)
        return len(kids) - 1

    stack = [(r, 0, -1) for r in reversed(chart.roots)]
    roots: list[int] = []
    while stack:
        v, level, up = stack.pop()
        node = add(BOX_W / 2, BOX_W / 2 + _staff_extent(len(chart.staff.get(v, ()))), level)
        index[v] = node
        (kids[up] if up >= 0 else roots).append(node)
        stacked = _stacked(chart, v)
        if stacked:
            columns = 2 if len(stacked) >= STACK_TWO_COLUMNS else 1
            prev = node
            for r in range(0, len(stacked), columns):
                left = STACK_INDENT + BOX_W if columns == 2 else 8.0
                row = add(left, STACK_INDENT + BOX_W, level + 1 + r // columns)
                kids[prev].append(row)
                rows.append((row, stacked[r : r + columns], columns))
                spines[stacked[r]] = row
                prev = row
        in_column = set(stacked)
        stack.extend(
            (c, level + 1, node) for c in reversed(chart.children[v]) if c not in in_column
        )
    xs = tidy_tree(kids, roots, lext, rext, GAP, COUSIN_GAP)
    placed = Placed()
    left_edge = MARGIN

    def top(level: int) -> float:
        return HEADER + level * ROW

    for v, node in index.items():
        placed.boxes[v] = (left_edge + xs[node] - BOX_W / 2, top(depth[node]))
    for row, leaves, columns in rows:
        axis = left_edge + xs[row]
        y = top(depth[row])
        if columns == 1:
            placed.boxes[leaves[0]] = (axis + STACK_INDENT, y)
        else:
            placed.boxes[leaves[0]] = (axis - STACK_INDENT - BOX_W, y)
            if len(leaves) > 1:
                placed.boxes[leaves[1]] = (axis + STACK_INDENT, y)
    _place_staff(chart, placed)
    for v in chart.units:
        x, y = placed.boxes[v]
        children = chart.children[v]
        if not children:
            continue
        px, py = x + BOX_W / 2, y + BOX_H
        bus = py + (ROW - BOX_H) / 2
        in_column = set(_stacked(chart, v))
        spine: float | None = None
        for c in children:
            cx, cy = placed.boxes[c]
            if c in in_column:
                if spine is None:  # the first row's node carries the column's spine
                    first = next(leaf for leaf in children if leaf in in_column)
                    spine = left_edge + xs[spines[first]]
                side = cx if cx > spine else cx + BOX_W
                placed.routes.append(
                    (
                        c,
                        [
                            (px, py),
                            (px, bus),
                            (spine, bus),
                            (spine, cy + BOX_H / 2),
                            (side, cy + BOX_H / 2),
                        ],
                    )
                )
            else:
                placed.routes.append(
                    (c, [(px, py), (px, bus), (cx + BOX_W / 2, bus), (cx + BOX_W / 2, cy)])
                )
    right = max((x + BOX_W for x, _ in placed.boxes.values()), default=0.0)
    right = max([right, *(sx + STAFF_W for _, _, sx, _ in placed.staff)])
    bottom = max((y + BOX_H for _, y in placed.boxes.values()), default=0.0)
    placed.width = max(right + MARGIN, 560.0)
    placed.height = bottom + MARGIN + (16 if chart.hidden else 0)
    return placed
