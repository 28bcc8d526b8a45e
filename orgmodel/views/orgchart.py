"""The org chart: the solid reporting tree of units.

Boxes show name, head and headcount, coloured by layer. Dotted and matrix lines are drawn
in their own styles on top of the tree; staff positions (assistants) sit beside the unit
of the manager they report to, not below it. ``--root`` draws one branch, ``--depth``
cuts the tree and each collapsed box says how many units it hides.

Layout: a tidy tree computed here in linear time, where groups of leaf teams are stacked
in columns under their parent to keep the picture compact. Above :data:`DOT_LAYOUT_LIMIT`
visible units only the big units stand as a tidy tree; every smaller subtree is an
indented list, packed into columns under its parent (:mod:`orgmodel.views.compact`), with
the column length chosen so that the picture is about :data:`COMPACT_ASPECT` times as
wide as high: it grows like the square root of the number of units, not like the number
of leaves. The SVG is written directly and PNG/PDF are drawn by Graphviz (``neato -n2``)
at the same positions and along the same lines. The ``.dot`` file of a
chart up to :data:`DOT_LAYOUT_LIMIT` visible units is plain ``dot`` input, easy to edit;
beyond that it carries the positions, because ``dot`` itself takes minutes for tens of
thousands of nodes.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field

from orgmodel.gcpause import paused_gc
from orgmodel.graph import Enterprise
from orgmodel.model import Layer, LineKind, UnitKind
from orgmodel.views.base import ViewContext, ViewError, ViewOptions
from orgmodel.views.compact import Geometry, compact_tree
from orgmodel.views.dot import DotGraph, Html
from orgmodel.views.escape import dot_html, dot_quote, mermaid_text
from orgmodel.views.layout import tidy_tree
from orgmodel.views.mermaid import IdMap, Mermaid
from orgmodel.views.style import LAYER, LINE, layer_legend
from orgmodel.views.suggest import unknown
from orgmodel.views.svg import Svg, fit, fit_one, num

__all__ = ["DOT_LAYOUT_LIMIT", "OrgChart", "build", "name", "per_journey", "title"]

name = "orgchart"
title = "Org chart"
per_journey = False

#: Up to this many visible units Graphviz's ``dot`` lays the chart out (when it draws the
#: SVG, PNG or PDF); above it orgmodel's own layout is used everywhere.
DOT_LAYOUT_LIMIT = 300

BOX_W, BOX_H = 176.0, 70.0
ROW = 108.0            # distance between the tops of two levels
GAP, COUSIN_GAP = 14.0, 30.0
STACK_MIN, STACK_TWO_COLUMNS = 3, 7
STACK_INDENT = 16.0
STAFF_W, STAFF_H, STAFF_GAP = 124.0, 30.0, 6.0
MARGIN, HEADER = 24.0, 92.0
BADGE_H = 18.0         # the "+N units" badge below a collapsed box
#: Sizes of the compact layout of large charts (indented lists under a tidy tree).
COMPACT = Geometry(box_w=BOX_W, box_h=BOX_H, row=ROW, gap=GAP, cousin_gap=COUSIN_GAP)
COMPACT_ASPECT = 1.6   # width / height the compact layout aims at


@dataclass(frozen=True)
class Staff:
    """A staff position drawn beside a unit."""

    id: str
    title: str
    holder: str | None


@dataclass
class Chart:
    """The visible part of the tree, with what each box shows."""

    units: list[int]                       # visible unit indices, pre-order
    children: dict[int, list[int]]         # visible children
    roots: list[int]
    hidden: dict[int, int]                 # units hidden under a collapsed box
    total_headcount: dict[int, int]
    has_descendants: set[int]
    staff: dict[int, list[Staff]]
    lines: list[tuple[int, int, LineKind, str | None]]
    total_units: int
    subtitle: str


@dataclass
class Placed:
    """Positions from the built-in layout (top-left corners)."""

    boxes: dict[int, tuple[float, float]] = field(default_factory=dict)
    staff: list[tuple[int, Staff, float, float]] = field(default_factory=list)
    routes: list[tuple[int, list[tuple[float, float]]]] = field(default_factory=list)
    width: float = 0.0
    height: float = 0.0
    rows: int = 0          # rows of a column of the compact layout (0: tidy tree only)


def _select(ent: Enterprise, options: ViewOptions) -> Chart:
    tree = ent.tree
    n = len(tree)
    if options.root is not None:
        if options.root not in tree.index:
            raise ViewError(unknown("--root", "unit", options.root, tree.ids))
        roots = [tree.index[options.root]]
    else:
        roots = list(tree.roots)
    size = [1] * n
    heads = [ent.units[i].headcount or 0 for i in tree.ids]
    for v in reversed(tree.preorder):
        p = tree.parent[v]
        if p >= 0:
            size[p] += size[v]
            heads[p] += heads[v]
    limit = options.depth
    units: list[int] = []
    children: dict[int, list[int]] = {}
    hidden: dict[int, int] = {}
    for root in roots:
        stack = [(root, 0)]
        while stack:
            v, level = stack.pop()
            units.append(v)
            kids = tree.children[v]
            if limit is not None and level >= limit:
                children[v] = []
                if kids:
                    hidden[v] = size[v] - 1
                continue
            children[v] = list(kids)
            stack.extend((c, level + 1) for c in reversed(kids))
    visible = set(units)
    staff: dict[int, list[Staff]] = {}
    positions = ent.positions
    for p in ent.document.positions:
        if not p.staff:
            continue
        boss = positions.get(p.reports_to) if p.reports_to else None
        at = tree.index[boss.unit if boss is not None else p.unit]
        if at in visible:
            staff.setdefault(at, []).append(Staff(p.id, p.title, p.holder))
    lines = []
    for v in units:
        for line in ent.units[tree.ids[v]].lines:
            target = tree.index[line.to]
            if target in visible and target != v:
                lines.append((v, target, line.kind, line.note))
    shown = f"{len(units)} of {n} units"
    if options.root is not None:
        shown += f", from {ent.units[options.root].name}"
    if limit is not None:
        shown += f", {limit} level{'s' if limit != 1 else ''} deep"
    return Chart(units, children, roots, hidden, {v: heads[v] for v in units},
                 {v for v in units if tree.children[v]}, staff, lines, n, shown)


def _headcount(chart: Chart, ent: Enterprise, v: int) -> str | None:
    own = ent.units[ent.tree.ids[v]].headcount
    total = chart.total_headcount[v]
    if v in chart.has_descendants and total and total != (own or 0):
        return f"{own} people, {total:,} in all" if own is not None else f"{total:,} in all"
    return None if own is None else f"{own} people"


def _stacked(chart: Chart, v: int) -> list[int]:
    """The children of ``v`` drawn as a column: its leaf teams (without staff), when there
    are enough of them; the other children stand side by side."""
    leaves = [c for c in chart.children[v] if not chart.children[c] and c not in chart.staff]
    return leaves if len(leaves) >= STACK_MIN else []


def _staff_extent(count: int) -> float:
    return 0.0 if count == 0 else 14 + math.ceil(count / 2) * (STAFF_W + STAFF_GAP)


def _place(chart: Chart) -> Placed:
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
    lay = compact_tree(kids, [dense[r] for r in chart.roots], right, below, COMPACT,
                       aspect=COMPACT_ASPECT, left=MARGIN, top=HEADER,
                       frame=(2 * MARGIN, HEADER + MARGIN))
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
            sy = y + (i % 2) * (STAFF_H + 10) + (0 if len(chart.staff[v]) > 1 else
                                                  (BOX_H - STAFF_H) / 2)
            placed.staff.append((v, s, sx, sy))


def _place_tidy(chart: Chart) -> Placed:
    """Tidy-tree layout: one layout node per box, one per row of stacked leaves."""
    index: dict[int, int] = {}
    kids: list[list[int]] = []
    lext: list[float] = []
    rext: list[float] = []
    depth: list[int] = []
    rows: list[tuple[int, list[int], int]] = []   # (layout node, leaves, columns)
    spines: dict[int, int] = {}                    # first leaf of a row -> its layout node

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
                rows.append((row, stacked[r:r + columns], columns))
                spines[stacked[r]] = row
                prev = row
        in_column = set(stacked)
        stack.extend((c, level + 1, node) for c in reversed(chart.children[v])
                     if c not in in_column)
    xs = tidy_tree(kids, roots, lext, rext, GAP, COUSIN_GAP)
    placed = Placed()
    left_edge = MARGIN

    def top(level: int) -> float:
        return HEADER + level * ROW

    for v, node in index.items():
        placed.boxes[v] = (left_edge + xs[node] - BOX_W / 2, top(depth[node]))
    for row, leaves, columns in rows:
        spine = left_edge + xs[row]
        y = top(depth[row])
        if columns == 1:
            placed.boxes[leaves[0]] = (spine + STACK_INDENT, y)
        else:
            placed.boxes[leaves[0]] = (spine - STACK_INDENT - BOX_W, y)
            if len(leaves) > 1:
                placed.boxes[leaves[1]] = (spine + STACK_INDENT, y)
    _place_staff(chart, placed)
    for v in chart.units:
        x, y = placed.boxes[v]
        children = chart.children[v]
        if not children:
            continue
        px, py = x + BOX_W / 2, y + BOX_H
        bus = py + (ROW - BOX_H) / 2
        stacked = set(_stacked(chart, v))
        spine = None
        for c in children:
            cx, cy = placed.boxes[c]
            if c in stacked:
                if spine is None:  # the first row's node carries the column's spine
                    first = next(leaf for leaf in children if leaf in stacked)
                    spine = left_edge + xs[spines[first]]
                side = cx if cx > spine else cx + BOX_W
                placed.routes.append((c, [(px, py), (px, bus), (spine, bus),
                                          (spine, cy + BOX_H / 2), (side, cy + BOX_H / 2)]))
            else:
                placed.routes.append((c, [(px, py), (px, bus), (cx + BOX_W / 2, bus),
                                          (cx + BOX_W / 2, cy)]))
    right = max((x + BOX_W for x, _ in placed.boxes.values()), default=0.0)
    right = max([right, *(sx + STAFF_W for _, _, sx, _ in placed.staff)])
    bottom = max((y + BOX_H for _, y in placed.boxes.values()), default=0.0)
    placed.width = max(right + MARGIN, 560.0)
    placed.height = bottom + MARGIN + (16 if chart.hidden else 0)
    return placed


class OrgChart:
    """The org chart of one enterprise (see the module docstring)."""

    def __init__(self, ent: Enterprise, options: ViewOptions) -> None:
        self.ent = ent
        self.chart = _select(ent, options)
        count = len(self.chart.units)
        self.large = count > DOT_LAYOUT_LIMIT
        # The built-in layout is compact (leaf teams stacked) and has a legend; dot draws
        # one row per level, which grows wide. Graphviz draws the built-in positions.
        self.prefer_graphviz = False
        self._placed: Placed | None = None
        self._route_map: dict[int, list[tuple[float, float]]] | None = None

    @property
    def placed(self) -> Placed:
        """The built-in layout, computed on first use."""
        if self._placed is None:
            with paused_gc():  # tens of thousands of small tuples, no cycles
                self._placed = _place(self.chart)
        return self._placed

    def _unit(self, v: int):
        return self.ent.units[self.ent.tree.ids[v]]

    def _title(self) -> str:
        return f"Org chart: {self.ent.document.name}"

    # -- DOT ---------------------------------------------------------------------------

    def graphviz_input(self) -> tuple[str, tuple[str, ...]]:
        """DOT with the built-in layout's positions and ``neato -n2``, so that PNG and PDF
        look like the SVG."""
        return self._dot(pinned=True), ("neato", "-n2")

    def to_dot(self) -> str:
        """DOT source: ``dot`` layout, or fixed positions for ``neato -n2`` when large."""
        return self._dot(pinned=self.large)

    def _dot(self, pinned: bool) -> str:
        chart = self.chart
        g = DotGraph("orgchart", {
            "rankdir": "TB", "splines": "line" if pinned else "ortho",
            "nodesep": "0.25", "ranksep": "0.45", "fontname": "DejaVu Sans",
            "labelloc": "t", "labeljust": "l",
            "label": Html(f"<B>{dot_html(self._title())}</B><BR/>"
                          f"<FONT POINT-SIZE=\"10\">{dot_html(chart.subtitle)}</FONT>"),
        }, {"shape": "box", "style": "rounded,filled", "fontname": "DejaVu Sans",
            "fontsize": "10", "margin": "0.12,0.06"},
            {"arrowhead": "none", "color": LINE["solid"].color})
        command = "neato -n2" if pinned else "dot"
        g.comments.append(f"orgmodel org chart; render with `{command}`")
        if pinned:
            g.graph_attrs["label"] = None
            kind = "compact" if self.large else "tidy-tree"
            g.comments.append(f"positions from orgmodel's {kind} layout (points, y up)")
        height = self.placed.height if pinned else 0.0
        # Fixed-size boxes of a large chart: long names are wrapped and cut as in the SVG
        # (they would run into the lines of the indented lists).
        wrap = pinned and self.large
        ids = self.ent.tree.ids
        for v in chart.units:
            unit = self._unit(v)
            style = LAYER[unit.layer]
            extra: dict[str, object] = {}
            if pinned:
                x, y = self.placed.boxes[v]
                extra = {"pos": f"{num(x + BOX_W / 2)},{num(height - y - BOX_H / 2)}!",
                         "width": num(BOX_W / 72), "height": num(BOX_H / 72),
                         "fixedsize": "true"}
            g.node(f"unit:{ids[v]}", id=f"unit:{ids[v]}", **{"class": "unit"},
                   label=Html(self._dot_label(v, wrap)), fillcolor=style.fill, color=style.stroke,
                   penwidth="2" if unit.kind in (UnitKind.BOARD, UnitKind.EXECUTIVE) else None,
                   tooltip=unit.description, **extra)
        for v in chart.units:
            for c in chart.children[v]:
                extra = {}
                if pinned:
                    extra = {"pos": self._dot_route(c, height)}
                g.edge(f"unit:{ids[v]}", f"unit:{ids[c]}", **extra)
        staff_at = {s.id: (x, y) for _, s, x, y in self.placed.staff} if pinned else {}
        for v, members in chart.staff.items():
            for s in members:
                sid = f"staff:{s.id}"
                extra = {}
                if pinned:
                    sx, sy = staff_at[s.id]
                    extra = {"pos": f"{num(sx + STAFF_W / 2)},{num(height - sy - STAFF_H / 2)}!",
                             "width": num(STAFF_W / 72), "height": num(STAFF_H / 72),
                             "fixedsize": "true"}
                title_, holder = s.title, s.holder
                if wrap:  # the box has a fixed size: cut what does not fit
                    title_ = fit_one(title_, STAFF_W - 12, 9)
                    holder = holder and fit_one(holder, STAFF_W - 12, 9)
                label = dot_html(title_) + (f"<BR/><I>{dot_html(holder)}</I>"
                                            if holder else "")
                g.node(sid, id=sid, **{"class": "staff"}, label=Html(label),
                       style="rounded,dashed,filled", fillcolor="#ffffff", fontsize="9",
                       **extra)
                g.edge(f"unit:{ids[v]}", sid, style="dashed", constraint="false")
                if not pinned:
                    g.raw(f'{{rank="same"; "unit:{_q(ids[v])}"; "{_q(sid)}"}}')
        for a, b, kind, note in chart.lines:
            line = LINE[kind.value]
            g.edge(f"unit:{ids[a]}", f"unit:{ids[b]}", style=line.dot_style, color=line.color,
                   penwidth=str(line.width), arrowhead="normal", constraint="false",
                   tooltip=note)
        return g.source()

    def _dot_route(self, child: int, height: float) -> str:
        """The route of the line to ``child`` as a Graphviz spline of straight pieces."""
        if self._route_map is None:
            self._route_map = dict(self.placed.routes)
        points = self._route_map[child]
        out: list[tuple[float, float]] = [points[0]]
        for a, b in itertools.pairwise(points):
            out += [a, b, b]
        return " ".join(f"{num(x)},{num(height - y)}" for x, y in out)

    def _dot_label(self, v: int, wrap: bool = False) -> str:
        """The HTML label of a unit; with ``wrap`` the name is wrapped and cut to fit the
        fixed-size box, as in the SVG."""
        unit = self._unit(v)
        if wrap:
            names = fit(unit.name, BOX_W - 16, 10, 2, bold=True)
            parts = ["<BR/>".join(f"<B>{dot_html(t)}</B>" for t in names)]
        else:
            parts = [f"<B>{dot_html(unit.name)}</B>"]
        if unit.head:
            head = fit_one(unit.head, BOX_W - 16, 10) if wrap else unit.head
            parts.append(f"<I>{dot_html(head)}</I>")
        count = _headcount(self.chart, self.ent, v)
        if count:
            parts.append(f'<FONT POINT-SIZE="9">{dot_html(count)}</FONT>')
        hidden = self.chart.hidden.get(v)
        if hidden:
            parts.append(f'<FONT POINT-SIZE="9" COLOR="#9b2c2c"><B>+{hidden:,} units'
                         "</B></FONT>")
        return "<BR/>".join(parts)

    # -- Mermaid -----------------------------------------------------------------------

    def to_mermaid(self) -> str:
        """Mermaid flowchart source."""
        chart = self.chart
        ids = self.ent.tree.ids
        m = Mermaid("flowchart TB")
        m.comments.append(f"orgmodel org chart: {self.ent.document.name}")
        m.comments.append(chart.subtitle)
        names = IdMap()
        by_layer: dict[Layer, list[str]] = {}
        for v in chart.units:
            unit = self._unit(v)
            node = names.get("u", ids[v])
            parts = [f"<b>{mermaid_text(unit.name)}</b>"]
            if unit.head:
                parts.append(f"<i>{mermaid_text(unit.head)}</i>")
            count = _headcount(chart, self.ent, v)
            if count:
                parts.append(mermaid_text(count))
            if chart.hidden.get(v):
                parts.append(f"<b>+{chart.hidden[v]:,} units</b>")
            m.node(node, "<br>".join(parts))
            by_layer.setdefault(unit.layer, []).append(node)
        for v in chart.units:
            for c in chart.children[v]:
                m.link(names.get("u", ids[v]), names.get("u", ids[c]), arrow=False)
        for v, members in chart.staff.items():
            for s in members:
                node = names.get("p", s.id)
                label = mermaid_text(s.title) + (f"<br><i>{mermaid_text(s.holder)}</i>"
                                                 if s.holder else "")
                m.node(node, label, '("{}")')
                m.link(names.get("u", ids[v]), node, style="dotted", arrow=False)
                m.tail.append(f"class {node} staff")
        for a, b, kind, _note in chart.lines:
            number = m.link(names.get("u", ids[a]), names.get("u", ids[b]), style="dotted",
                            label=kind.value)
            line = LINE[kind.value]
            m.tail.append(f"linkStyle {number} stroke:{line.color},stroke-width:"
                          f"{line.width}px,stroke-dasharray:{line.dash.replace(',', ' ')}")
        for layer, style in LAYER.items():
            m.tail.append(f"classDef {layer.value} fill:{style.fill},stroke:{style.stroke},"
                          "color:#1f2933")
        m.tail.append("classDef staff fill:#ffffff,stroke:#52606d,stroke-dasharray:4 3")
        for layer, nodes in by_layer.items():
            for i in range(0, len(nodes), 40):
                if nodes[i:i + 40]:
                    m.tail.append(f"class {','.join(nodes[i:i + 40])} {layer.value}")
        return m.source()

    # -- SVG ---------------------------------------------------------------------------

    def to_svg(self) -> str:
        """SVG from the built-in tidy-tree layout."""
        with paused_gc():  # a few strings per unit, no cycles
            return self._svg()

    def _svg(self) -> str:
        chart, placed = self.chart, self.placed
        ids = self.ent.tree.ids
        svg = Svg(placed.width, placed.height, self._title())
        svg.text(MARGIN, 30, self._title(), 18, "start", "bold")
        svg.text(MARGIN, 50, chart.subtitle, 11, "start", fill="#52606d")
        _legend(svg, MARGIN, 64)
        solid = LINE["solid"]
        svg.open("tree-lines")
        for _child, points in placed.routes:
            svg.path(_polyline(points), solid.color, solid.width)
        svg.close()
        for v in chart.units:
            x, y = placed.boxes[v]
            self._box(svg, v, x, y)
            hidden = chart.hidden.get(v)
            if hidden:
                label = f"+{hidden:,} units"
                svg.rect(x + BOX_W / 2 - 42, y + BOX_H - 1, 84, 17, "#fff5f5", "#9b2c2c", 1,
                         rx=8)
                svg.text(x + BOX_W / 2, y + BOX_H + 12, label, 10, weight="bold",
                         fill="#9b2c2c")
            svg.close()
        staff_line = LINE["staff"]
        for v, s, sx, sy in placed.staff:
            x, y = placed.boxes[v]
            svg.open("staff", s.id, title=s.title + (f" ({s.holder})" if s.holder else ""))
            svg.path(f"M{num(x + BOX_W)},{num(sy + STAFF_H / 2)}H{num(sx)}", staff_line.color,
                     staff_line.width, staff_line.dash)
            svg.rect(sx, sy, STAFF_W, STAFF_H, "#ffffff", "#52606d", 1, rx=5, dash="4,3")
            lines = fit(s.title, STAFF_W - 10, 10, 1)
            if s.holder:
                lines += fit(s.holder, STAFF_W - 10, 9, 1)
            first = sy + (12 if len(lines) > 1 else 19)
            for i, line in enumerate(lines):
                svg.text(sx + STAFF_W / 2, first + i * 12, line, 10 if i == 0 else 9,
                         italic=i > 0)
            svg.close()
        for a, b, kind, note in chart.lines:
            line = LINE[kind.value]
            svg.open(f"line {kind.value}", f"{ids[a]}->{ids[b]}",
                     title=f"{kind.value} line: {self._unit(a).name} -> {self._unit(b).name}"
                     + (f" ({note})" if note else ""))
            svg.path(_curve(placed.boxes[a], placed.boxes[b]), line.color, line.width,
                     line.dash, arrow=True)
            svg.close()
        return svg.source()

    def _box(self, svg: Svg, v: int, x: float, y: float) -> None:
        unit = self._unit(v)
        style = LAYER[unit.layer]
        count = _headcount(self.chart, self.ent, v)
        tip = unit.name + (f"\n{unit.head}" if unit.head else "") + (f"\n{count}"
                                                                    if count else "")
        svg.open("unit", unit.id, title=tip, layer=unit.layer.value)
        strong = unit.kind in (UnitKind.BOARD, UnitKind.EXECUTIVE)
        svg.rect(x, y, BOX_W, BOX_H, style.fill, style.stroke, 2.2 if strong else 1.2, rx=6)
        name_lines = fit(unit.name, BOX_W - 14, 12, 2, bold=True)
        rows: list[tuple[str, float, bool, bool]] = [(t, 12, True, False) for t in name_lines]
        if unit.head:
            rows += [(t, 10.5, False, True) for t in fit(unit.head, BOX_W - 14, 10.5, 1)]
        if count:
            rows += [(t, 10, False, False) for t in fit(count, BOX_W - 14, 10, 1)]
        rows = rows[:4]
        height = sum(size * 1.3 for _, size, _, _ in rows)
        baseline = y + (BOX_H - height) / 2 + rows[0][1] if rows else y
        for text, size, bold, italic in rows:
            svg.text(x + BOX_W / 2, baseline, text, size, weight="bold" if bold else None,
                     italic=italic, fill="#1f2933" if bold else "#3e4c59")
            baseline += size * 1.3


def _q(text: str) -> str:
    return dot_quote(text)[1:-1]


def _polyline(points: list[tuple[float, float]]) -> str:
    (x0, y0), rest = points[0], points[1:]
    out = [f"M{num(x0)},{num(y0)}"]
    for x, y in rest:
        out.append(f"L{num(x)},{num(y)}")
    return "".join(out)


def _curve(a: tuple[float, float], b: tuple[float, float]) -> str:
    """A curve from box ``a`` to box ``b`` (top-left corners), between facing sides."""
    ax, ay = a
    bx, by = b
    if abs(ax - bx) < BOX_W:  # one above the other: leave from the right side, enter right
        x0, y0 = ax + BOX_W, ay + BOX_H / 2
        x1, y1 = bx + BOX_W, by + BOX_H / 2
        bend = 40 + abs(y1 - y0) / 6
        return (f"M{num(x0)},{num(y0)}C{num(x0 + bend)},{num(y0)} {num(x1 + bend)},{num(y1)} "
                f"{num(x1 + 2)},{num(y1)}")
    if bx > ax:
        x0, x1 = ax + BOX_W, bx
    else:
        x0, x1 = ax, bx + BOX_W
    y0, y1 = ay + BOX_H / 2, by + BOX_H / 2
    mid = (x0 + x1) / 2
    return f"M{num(x0)},{num(y0)}C{num(mid)},{num(y0)} {num(mid)},{num(y1)} {num(x1)},{num(y1)}"


def _legend(svg: Svg, x: float, y: float) -> None:
    svg.open("legend")
    x = layer_legend(svg, x, y)
    for key in ("solid", "dotted", "matrix", "staff"):
        line = LINE[key]
        svg.path(f"M{num(x)},{num(y + 7)}h30", line.color, line.width + 0.4, line.dash)
        svg.text(x + 36, y + 11, line.label, 10, "start")
        x += 48 + len(line.label) * 6
    svg.close()


def build(ctx: ViewContext, options: ViewOptions) -> OrgChart:
    """The org chart of ``ctx``'s enterprise."""
    return OrgChart(ctx.enterprise, options)
