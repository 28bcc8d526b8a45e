"""Graphviz DOT: the writer of every scene (:func:`write_dot`) and its statement builder.

Node ids are the document's ids with a kind prefix (``unit:sales``, ``step:3``), always
quoted, so any id is safe and the same document gives the same DOT byte for byte.
Statements are emitted in the order they were added; callers add them in document order.

>>> g = DotGraph("orgchart", {"rankdir": "TB"})
>>> g.node("unit:a", label="A")
>>> g.edge("unit:a", "unit:b", style="dotted")
>>> print(g.source(), end="")
digraph "orgchart" {
  rankdir="TB"
  "unit:a" [label="A"]
  "unit:a" -> "unit:b" [style="dotted"]
}
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from orgmodel.views.escape import clean, dot_html, dot_quote
from orgmodel.views.scene import (
    Attrs,
    Cluster,
    Edge,
    Item,
    Label,
    Node,
    Point,
    Rank,
    Scene,
    Table,
    Text,
)
from orgmodel.views.svg import num

__all__ = ["DotGraph", "Html", "attrs", "text_html", "write_dot"]


class Html(str):
    """An attribute value that is a Graphviz HTML-like label (already escaped)."""


def _value(value: object) -> str:
    if isinstance(value, Html):
        return f"<{value}>"
    if isinstance(value, bool):
        return '"true"' if value else '"false"'
    if isinstance(value, float):
        return dot_quote(f"{value:.2f}".rstrip("0").rstrip("."))
    return dot_quote(str(value))


def attrs(values: dict[str, object]) -> str:
    """``[key="value", ...]`` for the values that are not None, in the given order."""
    items = [f"{k}={_value(v)}" for k, v in values.items() if v is not None]
    return f" [{', '.join(items)}]" if items else ""


@dataclass
class DotGraph:
    """A directed graph with attributes, nodes, edges and nested subgraphs."""

    name: str
    graph_attrs: dict[str, object] = field(default_factory=dict)
    node_defaults: dict[str, object] = field(default_factory=dict)
    edge_defaults: dict[str, object] = field(default_factory=dict)
    comments: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    directed: bool = True
    _indent: int = 1

    def node(self, ident: str, **values: object) -> None:
        """Add a node statement."""
        self.lines.append("  " * self._indent + dot_quote(ident) + attrs(values))

    def edge(self, tail: str, head: str, **values: object) -> None:
        """Add an edge statement."""
        arrow = "->" if self.directed else "--"
        self.lines.append(
            "  " * self._indent + f"{dot_quote(tail)} {arrow} {dot_quote(head)}" + attrs(values)
        )

    def raw(self, statement: str) -> None:
        """Add a statement that the caller built (and escaped) itself."""
        self.lines.append("  " * self._indent + statement)

    def open(self, ident: str, **values: object) -> None:
        """Open a subgraph (``cluster_...`` for a box around it); close it with :meth:`close`."""
        pad = "  " * self._indent
        self.lines.append(f"{pad}subgraph {dot_quote(ident)} {{")
        self._indent += 1
        for key, value in values.items():
            if value is not None:
                self.lines.append("  " * self._indent + f"{key}={_value(value)}")

    def close(self) -> None:
        """Close the innermost open subgraph."""
        self._indent -= 1
        self.lines.append("  " * self._indent + "}")

    def source(self) -> str:
        """The DOT text, ending in a newline."""
        kind = "digraph" if self.directed else "graph"
        out = [f"// {clean(c).replace(chr(10), ' ')}" for c in self.comments]
        out.append(f"{kind} {dot_quote(self.name)} {{")
        out += [f"  {k}={_value(v)}" for k, v in self.graph_attrs.items() if v is not None]
        if self.node_defaults:
            out.append("  node" + attrs(self.node_defaults))
        if self.edge_defaults:
            out.append("  edge" + attrs(self.edge_defaults))
        out += self.lines
        out.append("}")
        return "\n".join(out) + "\n"


# -- the DOT writer of every scene ---------------------------------------------------------


def text_html(text: Text) -> str:
    """A rich label as the inside of a Graphviz HTML-like label."""
    lines = []
    for line in text.shown("dot"):
        parts = []
        for run in line.runs:
            body = dot_html(run.text)
            if run.italic:
                body = f"<I>{body}</I>"
            if run.bold:
                body = f"<B>{body}</B>"
            if run.size is not None or run.color is not None:
                font = "" if run.size is None else f' POINT-SIZE="{run.size:g}"'
                font += "" if run.color is None else f' COLOR="{run.color}"'
                body = f"<FONT{font}>{body}</FONT>"
            parts.append(body)
        lines.append("".join(parts))
    return "<BR/>".join(lines)


def _values(attrs: Attrs) -> dict[str, object]:
    return {k: Html(text_html(v)) if isinstance(v, Text) else v for k, v in attrs}


def _label(label: Label | None) -> object:
    return Html(text_html(label)) if isinstance(label, Text) else label


def _table_html(table: Table) -> str:
    rows = ['<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="5">']
    for row in table.rows:
        cells = []
        for cell in row:
            at = "" if cell.fill is None else f' BGCOLOR="{cell.fill}"'
            at += ' ALIGN="LEFT"' if cell.align == "left" else ""
            at += "" if cell.dom_id is None else f' ID="{dot_html(cell.dom_id)}"'
            body = text_html(cell.text)
            cells.append(f"<TD{at}>{f'<B>{body}</B>' if cell.header else body}</TD>")
        rows.append("<TR>" + "".join(cells) + "</TR>")
    rows.append("</TABLE>")
    return "\n".join(rows)


def write_dot(scene: Scene) -> str:
    """The DOT source of ``scene``: fixed positions (``pos``) where the scene has them."""
    g = DotGraph(
        scene.name,
        _values(scene.graph),
        _values(scene.node_defaults),
        _values(scene.edge_defaults),
        list(scene.dot_comments),
    )
    height = scene.height

    def walk(items: tuple[Item, ...]) -> None:
        for item in items:
            if isinstance(item, Node):
                values: dict[str, object] = {}
                if item.dom_id:
                    values["id"] = item.id
                if item.classes:
                    values["class"] = item.classes
                values["label"] = _label(item.label)
                values.update(_values(item.attrs))
                if item.box is not None:
                    x, y, w, h = item.box
                    values.update(
                        pos=f"{num(x + w / 2)},{num(height - y - h / 2)}!",
                        width=num(w / 72),
                        height=num(h / 72),
                        fixedsize="true",
                    )
                g.node(item.id, **values)
            elif isinstance(item, Edge):
                values = {"dir": "back"} if item.backward else {}
                values.update(_values(item.attrs))
                if item.route is not None:
                    values["pos"] = _spline(item.route, height)
                tail, head = (item.head, item.tail) if item.backward else (item.tail, item.head)
                g.edge(tail, head, **values)
            elif isinstance(item, Rank):
                g.raw('{rank="same"; ' + "; ".join(dot_quote(i) for i in item.ids) + "}")
            elif isinstance(item, Cluster):
                g.open(item.id, label=_label(item.label), **_values(item.attrs))
                walk(item.items)
                g.close()
            else:
                g.node(item.id, label=Html(_table_html(item)), **_values(item.attrs))

    walk(scene.items)
    return g.source()


def _spline(points: tuple[Point, ...], height: float) -> str:
    """A polyline as a Graphviz spline of straight pieces (y flipped)."""
    out: list[Point] = [points[0]]
    for a, b in itertools.pairwise(points):
        out += [a, b, b]
    return " ".join(f"{num(x)},{num(height - y)}" for x, y in out)
