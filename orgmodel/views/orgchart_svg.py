"""The SVG of the org chart, drawn at the positions of the built-in layout.

Each unit is a ``<g class="unit">`` with its document id in ``data-id``; the tree's lines
come first, then the boxes, staff positions and the dotted and matrix lines on top. A
dotted or matrix line whose other end is not drawn (``--root``, ``--depth``) or far away
is a numbered tag on the box (``<g class="line-tag">``), and the key under the chart
(``<g class="line-key">``) says where each numbered line leads.
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
    Ref,
    box_rows,
    headcount,
    references,
    staff_rows,
)
from orgmodel.views.style import LAYER, LINE, line_legend
from orgmodel.views.svg import Svg, num, text_width, wrap

KEY_COLUMN, KEY_SIZE, KEY_LEADING = 380.0, 10.5, 14.0

__all__ = ["write_svg"]


def write_svg(ent: Enterprise, chart: Chart, placed: Placed, title: str) -> str:
    """The SVG of the org chart at the built-in layout's positions."""
    ids = ent.tree.ids
    near, refs = references(chart, placed)
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
        rows = staff_rows(s)
        height = sum(size * 1.2 for _, size, _, _ in rows)
        baseline = sy + (STAFF_H - height) / 2 + (rows[0][1] if rows else 0)
        for text, size, _, italic in rows:
            svg.text(sx + STAFF_W / 2, baseline, text, size, italic=italic)
            baseline += size * 1.2
        svg.close()
    for a, b, kind, note in near:
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
    if refs:
        _tags(svg, ent, placed, refs)
        _key(svg, ent, refs, placed.height)
    return svg.source()


def _tags(svg: Svg, ent: Enterprise, placed: Placed, refs: list[Ref]) -> None:
    """A tag on the top edge of each box that has numbered lines: ``→ 1, 4``."""
    ids = ent.tree.ids
    numbers: dict[int, tuple[list[int], list[int]]] = {}  # box -> numbers out, numbers in
    for r in refs:
        for v, side in ((r.tail, 0), (r.head, 1)):
            if v in placed.boxes and (r.away is None or r.away.unit == v):
                numbers.setdefault(v, ([], []))[side].append(r.number)
    kinds = {r.number: r.kind.value for r in refs}
    for v, (out, into) in numbers.items():
        x, y = placed.boxes[v]
        label = " ".join(
            f"{arrow} {', '.join(map(str, found))}"
            for arrow, found in (("←", into), ("→", out))
            if found
        )
        w = min(text_width(label, 9.5, True) + 12, BOX_W - 12)
        style = LINE[kinds[(into or out)[0]]]
        svg.open(
            "line-tag",
            None,
            unit=ids[v],
            title=f"dotted or matrix lines: see {label} under the chart",
        )
        svg.rect(x + BOX_W - 8 - w, y - 7, w, 14, "#ffffff", style.color, 1, rx=7, dash="3,2")
        svg.text(x + BOX_W - 8 - w / 2, y + 3.5, label, 9.5, fill=style.color, weight="bold")
        svg.close()


def _entry(ent: Enterprise, r: Ref) -> str:
    """What a numbered line is: ``A → B (matrix; outside this branch; note)``."""
    units, ids = ent.units, ent.tree.ids
    where = None
    if r.away is not None:
        under = r.away.under
        where = "outside this branch" if under is None else f"hidden under {units[ids[under]].name}"
    tail, head = units[ids[r.tail]].name, units[ids[r.head]].name
    if where and not r.away.outgoing:  # type: ignore[union-attr]
        tail += f" ({where})"
        where = None
    extra = [t for t in ("matrix" if r.kind.value == "matrix" else None, where, r.note) if t]
    return f"{tail} → {head}" + (f" ({'; '.join(extra)})" if extra else "")


def _key(svg: Svg, ent: Enterprise, refs: list[Ref], top: float) -> None:
    """The numbered lines under the chart, in columns, every text whole."""
    columns = max(1, int((svg.width - MARGIN) // (KEY_COLUMN + MARGIN)))
    entries = [wrap(_entry(ent, r), KEY_COLUMN - 26, KEY_SIZE) for r in refs]
    per_column = -(-sum(len(e) for e in entries) // columns)
    svg.open("line-key")
    heading = "Dotted and matrix lines to units not drawn here or far away"
    svg.text(MARGIN, top + 6, heading, 12, "start", "bold", fill="#3e4c59")
    x, y0 = MARGIN, top + 28
    y = y0
    bottom = y
    for r, lines in zip(refs, entries, strict=True):
        if y > y0 and (y - y0) / KEY_LEADING + len(lines) > per_column + 1:
            x, y = x + KEY_COLUMN + MARGIN, y0
        style = LINE[r.kind.value]
        svg.open("line-entry", str(r.number))
        svg.text(x, y, str(r.number), KEY_SIZE, "start", "bold", fill=style.color)
        for line in lines:
            svg.text(x + 26, y, line, KEY_SIZE, "start")
            y += KEY_LEADING
        svg.close()
        y += 4
        bottom = max(bottom, y)
    svg.close()
    svg.width = max(svg.width, x + KEY_COLUMN + MARGIN)
    svg.height = max(svg.height, bottom + MARGIN)


def _box(svg: Svg, ent: Enterprise, chart: Chart, v: int, x: float, y: float) -> None:
    unit = ent.units[ent.tree.ids[v]]
    style = LAYER[unit.layer]
    count = headcount(chart, ent, v)
    tip = unit.name + (f"\n{unit.head}" if unit.head else "") + (f"\n{count}" if count else "")
    svg.open("unit", unit.id, title=tip, layer=unit.layer.value)
    strong = unit.kind in (UnitKind.BOARD, UnitKind.EXECUTIVE)
    svg.rect(x, y, BOX_W, BOX_H, style.fill, style.stroke, 2.2 if strong else 1.2, rx=6)
    rows = box_rows(chart, ent, v)
    height = sum(size * 1.2 for _, size, _, _ in rows)
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
        baseline += size * 1.2


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
