"""A small builder for Graphviz DOT source with stable, document-derived ids.

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

from dataclasses import dataclass, field

from orgmodel.views.escape import clean, dot_quote

__all__ = ["DotGraph", "Html", "attrs"]


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
        self.lines.append("  " * self._indent + f"{dot_quote(tail)} {arrow} {dot_quote(head)}"
                          + attrs(values))

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
