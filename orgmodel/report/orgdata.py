"""The org chart of the HTML report as data: a compact layout the page draws lazily.

The page draws only the boxes in view (on a canvas), so the layout is computed here once,
in linear time, and shipped as compact JSON: one array per unit and per person. Children
that are all leaves are stacked in a column under their parent (how org charts are drawn on
paper); other children sit side by side, their parent centred above them. This keeps a
flat organization of 100,000 units some thousand boxes wide instead of 100,000.
"""

from __future__ import annotations

from typing import Any

from orgmodel.graph import Enterprise
from orgmodel.model import Layer

__all__ = ["BOX_H", "BOX_W", "org_data"]

#: Box size and gaps, in the page's model coordinates (pixels at zoom 1).
BOX_W = 180
BOX_H = 52
GAP_X = 24
GAP_Y = 40
STACK_INDENT = 24
STACK_GAP = 10


def org_data(ent: Enterprise) -> dict[str, Any]:
    """Units (id, name, head, parent index, x, y, people, layer index into
    ``layers``), people (name, title, unit
    index) and dotted lines (from index, to index), in document order."""
    doc = ent.document
    index = {u.id: i for i, u in enumerate(doc.units)}
    children: list[list[int]] = [[] for _ in doc.units]
    roots: list[int] = []
    parents: list[int] = []
    for i, unit in enumerate(doc.units):
        p = index.get(unit.parent) if unit.parent is not None else None
        if p is None or p == i:
            roots.append(i)
            parents.append(-1)
        else:
            children[p].append(i)
            parents.append(p)
    people = [0] * len(doc.units)
    persons: list[list[Any]] = []
    for pos in doc.positions:
        u = index.get(pos.unit)
        if u is None:
            continue
        if pos.holder:
            people[u] += 1
            persons.append([pos.holder, pos.title, u])
    x, y = _layout(children, roots)
    layers = [layer.value for layer in Layer]
    code = {layer: i for i, layer in enumerate(Layer)}
    units = [
        [u.id, u.name, u.head or "", parents[i], x[i], y[i], people[i], code[u.layer]]
        for i, u in enumerate(doc.units)
    ]
    lines = [
        [i, index[line.to]] for i, u in enumerate(doc.units) for line in u.lines if line.to in index
    ]
    width = max((v + BOX_W for v in x), default=BOX_W)
    height = max((v + BOX_H for v in y), default=BOX_H)
    return {
        "units": units,
        "people": persons,
        "lines": lines,
        "layers": layers,
        "box": [BOX_W, BOX_H],
        "size": [width, height],
    }


def _layout(children: list[list[int]], roots: list[int]) -> tuple[list[int], list[int]]:
    """Top-left corners of every box (iterative: deep trees need no recursion)."""
    n = len(children)
    width = [0] * n  # width of the subtree's block
    stacked = [False] * n
    order: list[int] = []  # pre-order
    stack = list(reversed(roots))
    depth = [0] * n
    while stack:
        v = stack.pop()
        order.append(v)
        for c in reversed(children[v]):
            depth[c] = depth[v] + 1
            stack.append(c)
    for v in reversed(order):  # children before parents
        kids = children[v]
        if not kids:
            width[v] = BOX_W
        elif len(kids) > 2 and all(not children[c] for c in kids):
            stacked[v] = True
            width[v] = BOX_W + STACK_INDENT
        else:
            width[v] = max(BOX_W, sum(width[c] for c in kids) + GAP_X * (len(kids) - 1))
    x = [0] * n
    y = [0] * n
    left = [0] * n  # left edge of each subtree's block
    cursor = 0
    for r in roots:
        left[r] = cursor
        cursor += width[r] + GAP_X
    fixed = [False] * n  # placed in a parent's column
    for v in order:  # parents before children
        if fixed[v]:
            continue
        kids = children[v]
        if stacked[v]:
            x[v] = left[v]
            for k, c in enumerate(kids):
                x[c] = left[v] + STACK_INDENT
                fixed[c] = True
                y[c] = y[v] + BOX_H + STACK_GAP + k * (BOX_H + STACK_GAP)
            continue
        inner = sum(width[c] for c in kids) + GAP_X * (len(kids) - 1) if kids else BOX_W
        x[v] = left[v] + (width[v] - BOX_W) // 2
        start = left[v] + (width[v] - inner) // 2
        for c in kids:
            left[c] = start
            y[c] = y[v] + BOX_H + GAP_Y
            start += width[c] + GAP_X
    return x, y
