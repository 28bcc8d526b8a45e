"""The org chart: the solid reporting tree of units.

Boxes show name, head and headcount, coloured by layer. Dotted and matrix lines are drawn
in their own styles on top of the tree; staff positions (assistants) sit beside the unit
of the manager they report to, not below it. ``--root`` draws one branch, ``--depth``
cuts the tree and each collapsed box says how many units it hides; a line to a unit not
drawn is kept (:mod:`orgmodel.views.orgchart_select`): a stub box in DOT and Mermaid, a
numbered tag and key entry in the SVG, where lines between far-apart boxes are numbered
too instead of crossing the chart. Names are wrapped, never cut, in the SVG's boxes.

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

from functools import cached_property

from orgmodel.graph import Enterprise
from orgmodel.model import UnitKind
from orgmodel.views.base import ViewContext, ViewOptions
from orgmodel.views.dot import write_dot
from orgmodel.views.mermaid import write_mermaid
from orgmodel.views.orgchart_layout import (
    BOX_H,
    BOX_W,
    DOT_LAYOUT_LIMIT,
    STAFF_H,
    STAFF_W,
    Placed,
    Staff,
    box_rows,
    headcount,
    place,
    staff_rows,
)
from orgmodel.views.orgchart_people import people_enterprise, wants_people
from orgmodel.views.orgchart_select import select, stub_items
from orgmodel.views.orgchart_svg import write_svg
from orgmodel.views.scene import Edge, Item, Line, Node, Rank, Run, Scene, Text
from orgmodel.views.style import LAYER, LINE

__all__ = [
    "BOX_H",
    "BOX_W",
    "DOT_LAYOUT_LIMIT",
    "STAFF_H",
    "STAFF_W",
    "OrgChart",
    "Placed",
    "build",
    "name",
    "per_journey",
    "title",
]

name = "orgchart"
title = "Org chart"
per_journey = False

_place = place  # the name the benchmark times


class OrgChart:
    """The org chart of one enterprise (see the module docstring)."""

    def __init__(self, ent: Enterprise, options: ViewOptions) -> None:
        people = options.people if options.people is not None else wants_people(ent)
        self.people = people and bool(ent.document.positions)
        if self.people:
            ent = people_enterprise(ent)
        self.ent = ent
        self.chart = select(ent, options)
        if self.people:
            staff = sum(len(s) for s in self.chart.staff.values())
            self.chart.subtitle = self.chart.subtitle.replace(" units", " people") + (
                f", {staff:,} staff beside their manager" if staff else ""
            )
        self.large = len(self.chart.units) > DOT_LAYOUT_LIMIT
        # The built-in layout is compact (leaf teams stacked) and has a legend; dot draws
        # one row per level, which grows wide. Graphviz draws the built-in positions.
        self.prefer_graphviz = False

    @cached_property
    def placed(self) -> Placed:
        """The built-in layout, computed on first use."""
        return place(self.chart)

    def _title(self) -> str:
        if self.people:
            return f"People chart: {self.ent.document.name}"
        return f"Org chart: {self.ent.document.name}"

    def graphviz_input(self) -> tuple[str, tuple[str, ...]]:
        """DOT with the built-in layout's positions and ``neato -n2``, so that PNG and PDF
        look like the SVG."""
        return self._dot(pinned=True), ("neato", "-n2")

    def to_dot(self) -> str:
        """DOT source: ``dot`` layout, or fixed positions for ``neato -n2`` when large."""
        return self._dot(pinned=self.large)

    def _dot(self, pinned: bool) -> str:
        return write_dot(self.scene(pinned))

    def to_mermaid(self) -> str:
        """Mermaid flowchart source."""
        return write_mermaid(self.scene(pinned=False))

    def to_svg(self) -> str:
        """SVG from the built-in layout."""
        return write_svg(self.ent, self.chart, self.placed, self._title())

    def scene(self, pinned: bool) -> Scene:
        """The chart as a scene; ``pinned`` fixes every box and line where the built-in
        layout put it (and wraps long names of a large chart's fixed-size boxes)."""
        chart = self.chart
        placed = self.placed if pinned else None
        graph: list[tuple[str, str | Text | None]] = [
            ("rankdir", "TB"),
            ("splines", "line" if pinned else "ortho"),
            ("nodesep", "0.25"),
            ("ranksep", "0.45"),
            ("fontname", "DejaVu Sans"),
            ("labelloc", "t"),
            ("labeljust", "l"),
            (
                "label",
                None
                if pinned
                else Text.of(
                    Line.of(Run(self._title(), bold=True)), Line.of(Run(chart.subtitle, size=10))
                ),
            ),
        ]
        comments = [f"orgmodel org chart; render with `{'neato -n2' if pinned else 'dot'}`"]
        if pinned:
            kind = "compact" if self.large else "tidy-tree"
            comments.append(f"positions from orgmodel's {kind} layout (points, y up)")
        return Scene(
            "orgchart",
            tuple(self._items(placed)),
            tuple(graph),
            (
                ("shape", "box"),
                ("style", "rounded,filled"),
                ("fontname", "DejaVu Sans"),
                ("fontsize", "10"),
                ("margin", "0.12,0.06"),
            ),
            (("arrowhead", "none"), ("color", LINE["solid"].color)),
            tuple(comments),
            "flowchart TB",
            (f"orgmodel org chart: {self.ent.document.name}", chart.subtitle),
            (
                *(
                    (layer.value, f"fill:{style.fill},stroke:{style.stroke},color:#1f2933")
                    for layer, style in LAYER.items()
                ),
                ("staff", "fill:#ffffff,stroke:#52606d,stroke-dasharray:4 3"),
                *(
                    (("stub", "fill:#ffffff,stroke:#9aa5b1,stroke-dasharray:4 3,color:#52606d"),)
                    if self.chart.away or self.chart.above is not None
                    else ()
                ),
            ),
            placed.height if placed else 0.0,
        )

    def _items(self, placed: Placed | None) -> list[Item]:
        chart = self.chart
        ids = self.ent.tree.ids
        # Fixed-size boxes of a large chart: long names are wrapped and cut as in the SVG
        # (they would run into the lines of the indented lists).
        wrap = placed is not None and self.large
        items: list[Item] = []
        for v in chart.units:
            unit = self.ent.units[ids[v]]
            style = LAYER[unit.layer]
            box = None
            if placed is not None:
                x, y = placed.boxes[v]
                box = (x, y, BOX_W, BOX_H)
            items.append(
                Node(
                    f"unit:{ids[v]}",
                    self._label(v, wrap),
                    ("u", ids[v]),
                    "unit",
                    True,
                    (
                        ("fillcolor", style.fill),
                        ("color", style.stroke),
                        (
                            "penwidth",
                            "2" if unit.kind in (UnitKind.BOARD, UnitKind.EXECUTIVE) else None,
                        ),
                        ("tooltip", unit.description),
                    ),
                    group=unit.layer.value,
                    box=box,
                )
            )
        routes = dict(placed.routes) if placed is not None else {}
        for v in chart.units:
            for c in chart.children[v]:
                route = routes.get(c)
                items.append(
                    Edge(
                        f"unit:{ids[v]}",
                        f"unit:{ids[c]}",
                        arrow=False,
                        route=tuple(route) if route is not None else None,
                    )
                )
        staff_at = {s.id: (x, y) for _, s, x, y in placed.staff} if placed is not None else {}
        for v, members in chart.staff.items():
            for s in members:
                sid = f"staff:{s.id}"
                box = None
                if placed is not None:
                    box = (*staff_at[s.id], STAFF_W, STAFF_H)
                items.append(
                    Node(
                        sid,
                        _staff_label(s, wrap),
                        ("p", s.id),
                        "staff",
                        True,
                        (
                            ("style", "rounded,dashed,filled"),
                            ("fillcolor", "#ffffff"),
                            ("fontsize", "9"),
                        ),
                        "round",
                        "staff",
                        box=box,
                    )
                )
                items.append(
                    Edge(
                        f"unit:{ids[v]}",
                        sid,
                        (("style", "dashed"), ("constraint", "false")),
                        "dotted",
                        arrow=False,
                    )
                )
                if placed is None:
                    items.append(Rank((f"unit:{ids[v]}", sid)))
        for a, b, kind, note in chart.lines:
            line = LINE[kind.value]
            dash = (line.dash or "").replace(",", " ")
            items.append(
                Edge(
                    f"unit:{ids[a]}",
                    f"unit:{ids[b]}",
                    (
                        ("style", line.dot_style),
                        ("color", line.color),
                        ("penwidth", str(line.width)),
                        ("arrowhead", "normal"),
                        ("constraint", "false"),
                        ("tooltip", note),
                    ),
                    "dotted",
                    True,
                    kind.value,
                    f"stroke:{line.color},stroke-width:{line.width}px,stroke-dasharray:{dash}",
                )
            )
        if placed is None:
            items += stub_items(self.ent, self.chart)
        return items

    def _label(self, v: int, wrap: bool) -> Text:
        """What a unit's box says; with ``wrap`` the text is wrapped (and made smaller where
        needed) to fit the fixed-size box, as in the SVG."""
        if wrap:
            lines = [
                Line.of(Run(t, bold=bold, italic=italic, size=_dot_size(size)))
                for t, size, bold, italic in box_rows(self.chart, self.ent, v)
            ]
        else:
            unit = self.ent.units[self.ent.tree.ids[v]]
            lines = [Line.of(Run(unit.name, bold=True))]
            if unit.head:
                lines.append(Line.of(Run(unit.head, italic=True)))
            count = headcount(self.chart, self.ent, v)
            if count:
                lines.append(Line.of(Run(count, size=9)))
        hidden = self.chart.hidden.get(v)
        if hidden:
            lines.append(Line.of(Run(f"+{hidden:,} units", bold=True, size=9, color="#9b2c2c")))
        return Text(tuple(lines))


def _dot_size(size: float) -> float | None:
    """The point size in DOT of SVG text of ``size`` pixels (None: DOT's 10 points)."""
    points = round(size * 10 / 12, 1)
    return None if points == 10 else points


def _staff_label(s: Staff, wrap: bool) -> Text:
    """Title and holder of a staff position (wrapped to fit a fixed-size box with
    ``wrap``)."""
    if wrap:
        rows = staff_rows(s)
        return Text(tuple(Line.of(Run(t, italic=i, size=_dot_size(z))) for t, z, _, i in rows))
    lines = [Line.of(Run(s.title))]
    if s.holder:
        lines.append(Line.of(Run(s.holder, italic=True)))
    return Text(tuple(lines))


def build(ctx: ViewContext, options: ViewOptions) -> OrgChart:
    """The org chart of ``ctx``'s enterprise."""
    return OrgChart(ctx.enterprise, options)
