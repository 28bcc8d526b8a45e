"""The SVG of the org chart, drawn at the positions of the built-in layout.

Each unit is a ``<g class="unit">`` with its document id in ``data-id``; the tree's lines
come first, then the boxes, staff positions and the dotted and matrix lines on top.
"""

from __future__ import annotations

from orgmodel.graph import Enterprise
from orgmodel.model import UnitKind
from orgmodel.views.orgchart_layout import (
    BOX_H,
    BOX_W,
    MARGIN,
    STAFF_H,
    STAFF_W,
    Chart,
    Placed,
    headcount,
)
from orgmodel.views.style import LAYER, LINE, line_legend
from orgmodel.views.svg import Svg, fit, num, text_width

__all__ = ["write_svg"]


def write_svg(ent: Enterprise, chart: Chart, placed: Placed, title: str) -> str:
    """The SVG of the org chart at the built-in layout's positions."""
    ids = ent.tree.ids
    svg = Svg(placed.width, placed.height, title)
    svg.text(MARGIN, 30, title, 18, "start", "bold")
    svg.text(MARGIN, 50, chart.subtitle, 11, "start", fill="#52606d")
    right = line_legend(svg, MARGIN, 64, ("solid", "dotted", "matrix", "staff"), 0.4)
    # a narrow tree must not clip its own legend, title or subtitle
    svg.width = max(
        svg.width,
        right + MARGIN,
        MARGIN * 2 + text_width(title, 18, True),
        MARGIN * 2 + text_width(chart.subtitle, 11),
    )
    solid = LINE["solid"]
    svg.open("tree-lines")
    for _child, points in placed.routes:
        svg.path(_polyline(points), solid.color, solid.width)
    svg.close()
    for v in chart.units:
        x, y = placed.boxes[v]
        _box(svg, ent, chart, v, x, y)
        hidden = chart.hidden.get(v)
        if hidden:
            label = f"+{hidden:,} units"
            svg.rect(x + BOX_W / 2 - 42, y + BOX_H - 1, 84, 17, "#fff5f5", "#9b2c2c", 1, rx=8)
            svg.text(x + BOX_W / 2, y + BOX_H + 12, label, 10, weight="bold", fill="#9b2c2c")
        svg.close()
    staff_line = LINE["staff"]
    for v, s, sx, sy in placed.staff:
        x, y = placed.boxes[v]
        svg.open("staff", s.id, title=s.title + (f" ({s.holder})" if s.holder else ""))
        svg.path(
            f"M{num(x + BOX_W)},{num(sy + STAFF_H / 2)}H{num(sx)}",
            staff_line.color,
            staff_line.width,
            staff_line.dash,
        )
        svg.rect(sx, sy, STAFF_W, STAFF_H, "#ffffff", "#52606d", 1, rx=5, dash="4,3")
        lines = fit(s.title, STAFF_W - 10, 10, 1)
        if s.holder:
            lines += fit(s.holder, STAFF_W - 10, 9, 1)
        first = sy + (12 if len(lines) > 1 else 19)
        for i, line in enumerate(lines):
            svg.text(sx + STAFF_W / 2, first + i * 12, line, 10 if i == 0 else 9, italic=i > 0)
        svg.close()
    for a, b, kind, note in chart.lines:
        style = LINE[kind.value]
        svg.open(
            f"line {kind.value}",
            f"{ids[a]}->{ids[b]}",
            title=f"{kind.value} line: {ent.units[ids[a]].name} -> {ent.units[ids[b]].name}"
            + (f" ({note})" if note else ""),
        )
        svg.path(
            _curve(placed.boxes[a], placed.boxes[b]),
            style.color,
            style.width,
            style.dash,
            arrow=True,
        )
        svg.close()
    return svg.source()


def _box(svg: Svg, ent: Enterprise, chart: Chart, v: int, x: float, y: float) -> None:
    unit = ent.units[ent.tree.ids[v]]
    style = LAYER[unit.layer]
    count = headcount(chart, ent, v)
    tip = unit.name + (f"\n{unit.head}" if unit.head else "") + (f"\n{count}" if count else "")
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
        svg.text(
            x + BOX_W / 2,
            baseline,
            text,
            size,
            weight="bold" if bold else None,
            italic=italic,
            fill="#1f2933" if bold else "#3e4c59",
        )
        baseline += size * 1.3


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
        return (
            f"M{num(x0)},{num(y0)}C{num(x0 + bend)},{num(y0)} {num(x1 + bend)},{num(y1)} "
            f"{num(x1 + 2)},{num(y1)}"
        )
    if bx > ax:
        x0, x1 = ax + BOX_W, bx
    else:
        x0, x1 = ax, bx + BOX_W
    y0, y1 = ay + BOX_H / 2, by + BOX_H / 2
    mid = (x0 + x1) / 2
    return f"M{num(x0)},{num(y0)}C{num(mid)},{num(y0)} {num(mid)},{num(y1)} {num(x1)},{num(y1)}"
