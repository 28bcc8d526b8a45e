"""What the org chart shows: the drawn units, and the lines that leave them.

``--root`` draws one branch and ``--depth`` collapses the levels below it; a dotted or
matrix line with one end not drawn is kept as an :class:`Away` line (DOT and Mermaid draw
it to a stub box ``outside: NAME`` or ``hidden: NAME``, the SVG as a numbered tag and an
entry in the key under the chart), and the root's parent outside is named.
"""

from __future__ import annotations

from orgmodel.graph import Enterprise, UnitTree
from orgmodel.suggest import unknown
from orgmodel.views.base import ViewError, ViewOptions
from orgmodel.views.orgchart_layout import Away, Chart, Staff
from orgmodel.views.scene import Edge, Item, Line, Node, Run, Text
from orgmodel.views.style import LINE

__all__ = ["select", "stub_items"]


def select(ent: Enterprise, options: ViewOptions) -> Chart:
    """The units, staff positions and lines the chart draws."""
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
    order = {v: i for i, v in enumerate(units)}
    staff: dict[int, list[Staff]] = {}
    positions = ent.positions
    for position in ent.document.positions:
        if not position.staff:
            continue
        boss = positions.get(position.reports_to) if position.reports_to else None
        at = tree.index[boss.unit if boss is not None else position.unit]
        if at in visible:
            staff.setdefault(at, []).append(Staff(position.id, position.title, position.holder))
    lines = []
    away: list[Away] = []
    for v, unit in enumerate(ent.units[i] for i in tree.ids):
        for line in unit.lines:
            target = tree.index[line.to]
            if target == v or (v not in visible and target not in visible):
                continue
            if v in visible and target in visible:
                lines.append((v, target, line.kind, line.note))
            elif v in visible:
                away.append(
                    Away(v, target, line.kind, line.note, True, _under(tree, target, visible))
                )
            else:
                away.append(Away(target, v, line.kind, line.note, False, _under(tree, v, visible)))
    away.sort(key=lambda a: (order[a.unit], order.get(a.other, n + a.other)))
    above = tree.parent[roots[0]] if options.root is not None else -1
    shown = f"{len(units)} of {n} units"
    if options.root is not None:
        shown += f", from {ent.units[options.root].name}"
        if above >= 0:
            shown += f" (reports to {ent.units[tree.ids[above]].name})"
    if limit is not None:
        shown += f", {limit} level{'s' if limit != 1 else ''} deep"
    return Chart(
        units,
        children,
        roots,
        hidden,
        {v: heads[v] for v in units},
        {v for v in units if tree.children[v]},
        staff,
        lines,
        n,
        shown,
        away,
        above if above >= 0 else None,
    )


def _under(tree: UnitTree, v: int, visible: set[int]) -> int | None:
    """The drawn (collapsed) box that hides unit ``v``; None when ``v`` is outside the
    drawn branch."""
    p = tree.parent[v]
    while p >= 0 and p not in visible:
        p = tree.parent[p]
    return p if p >= 0 else None


def stub_items(ent: Enterprise, chart: Chart) -> list[Item]:
    """A box per unit outside the drawn branch (or hidden in a collapsed box) at the other
    end of a dotted or matrix line, and the line to it; and the root's parent."""
    units, ids = ent.units, ent.tree.ids
    out: list[Item] = []
    stubs: dict[int, str] = {}

    def stub(v: int, under: int | None, text: str) -> str:
        sid = stubs.get(v)
        if sid is None:
            where = "outside" if under is None else "hidden"
            sid = stubs[v] = f"{where}:{ids[v]}"
            lines = [Line.of(Run(text))]
            if under is not None:
                lines.append(Line.of(Run(f"under {units[ids[under]].name}", size=9)))
            out.append(
                Node(
                    sid,
                    Text(tuple(lines)),
                    (where[0], ids[v]),
                    "stub",
                    attrs=(
                        ("style", "rounded,dashed"),
                        ("color", "#9aa5b1"),
                        ("fontcolor", "#52606d"),
                        ("fontsize", "9"),
                    ),
                    shape="round",
                    group="stub",
                )
            )
        return sid

    if chart.above is not None:
        above = units[ids[chart.above]].name
        sid = stub(chart.above, None, f"reports to: {above}")
        out.append(Edge(sid, f"unit:{ids[chart.roots[0]]}", (("style", "dashed"),), arrow=False))
    for a in chart.away:
        name = units[ids[a.other]].name
        sid = stub(a.other, a.under, f"{'outside' if a.under is None else 'hidden'}: {name}")
        line = LINE[a.kind.value]
        dash = (line.dash or "").replace(",", " ")
        unit = f"unit:{ids[a.unit]}"
        out.append(
            Edge(
                unit if a.outgoing else sid,
                sid if a.outgoing else unit,
                (
                    ("style", line.dot_style),
                    ("color", line.color),
                    ("penwidth", str(line.width)),
                    ("arrowhead", "normal"),
                    ("constraint", "false"),
                    ("tooltip", a.note),
                ),
                "dotted",
                True,
                a.kind.value,
                f"stroke:{line.color},stroke-width:{line.width}px,stroke-dasharray:{dash}",
            )
        )
    return out
