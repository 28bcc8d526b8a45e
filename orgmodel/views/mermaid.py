"""Mermaid: the writer of every scene (:func:`write_mermaid`), its builder and stable ids.

Mermaid ids must be plain words, so document ids are turned into ``prefix_word`` ids
(every run of other characters becomes ``_``); a clash gets a numbered suffix in the
order ids are first asked for, which is document order. Labels always go through
:func:`orgmodel.views.escape.mermaid_text`.

>>> ids = IdMap()
>>> ids.get("u", "customer-service"), ids.get("u", "customer service?"), ids.get("u", "end")
('u_customer_service', 'u_customer_service_2', 'u_end')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from orgmodel.views.escape import clean, mermaid_text
from orgmodel.views.scene import (
    Cluster,
    Edge,
    Item,
    Label,
    MermaidId,
    Node,
    Scene,
    Table,
    Verbatim,
)

__all__ = ["IdMap", "Mermaid", "edge_arrow", "text_mermaid", "write_mermaid"]

_WORD = re.compile(r"[^A-Za-z0-9]+")


class IdMap:
    """Deterministic Mermaid ids for (prefix, document id) pairs."""

    def __init__(self) -> None:
        self._ids: dict[tuple[str, str], str] = {}
        self._taken: set[str] = set()

    def get(self, prefix: str, ident: str) -> str:
        """The Mermaid id of ``ident`` under ``prefix``; the same pair gives the same id."""
        key = (prefix, ident)
        found = self._ids.get(key)
        if found is not None:
            return found
        base = f"{prefix}_{_WORD.sub('_', ident).strip('_') or 'x'}"
        out, n = base, 1
        while out in self._taken:
            n += 1
            out = f"{base}_{n}"
        self._taken.add(out)
        self._ids[key] = out
        return out


_ARROWS = {
    ("solid", True): "-->",
    ("solid", False): "---",
    ("dotted", True): "-.->",
    ("dotted", False): "-.-",
    ("thick", True): "==>",
    ("thick", False): "===",
}


def edge_arrow(style: str = "solid", arrow: bool = True) -> str:
    """The Mermaid link for ``style`` (solid, dotted or thick), with or without an arrowhead."""
    return _ARROWS[(style, arrow)]


@dataclass
class Mermaid:
    """A Mermaid diagram as lines; edges are counted so that ``linkStyle`` can address them."""

    header: str
    comments: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    tail: list[str] = field(default_factory=list)
    edges: int = 0
    _indent: int = 1

    def add(self, statement: str) -> None:
        """Add a statement built (and escaped) by the caller."""
        self.lines.append("  " * self._indent + statement)

    def node(self, ident: str, label: str, shape: str = '["{}"]') -> None:
        """Add a node; ``label`` must already be escaped; ``shape`` wraps it."""
        self.add(ident + shape.format(label))

    def link(
        self,
        tail: str,
        head: str,
        style: str = "solid",
        arrow: bool = True,
        label: str | None = None,
    ) -> int:
        """Add an edge and return its number (for ``linkStyle``)."""
        text = f'|"{label}"|' if label else ""
        self.add(f"{tail} {edge_arrow(style, arrow)}{text} {head}")
        self.edges += 1
        return self.edges - 1

    def open(self, ident: str, title: str, direction: str | None = None) -> None:
        """Open a subgraph with an escaped ``title``; close it with :meth:`close`."""
        self.add(f'subgraph {ident} ["{title}"]')
        self._indent += 1
        if direction:
            self.add(f"direction {direction}")

    def close(self) -> None:
        """Close the innermost subgraph."""
        self._indent -= 1
        self.add("end")

    def source(self) -> str:
        """The Mermaid text, ending in a newline."""
        # One line each, and no brace (Mermaid finds a %%{...}%% directive even in a comment;
        # labels escape braces already).
        out = [
            f"%% {clean(c).replace(chr(10), ' ').replace('{', '#123;').replace('}', '#125;')}"
            for c in self.comments
        ]
        out.append(self.header)
        out += self.lines
        out += ["  " + t for t in self.tail]
        return "\n".join(out) + "\n"


# -- the Mermaid writer of every scene -------------------------------------------------------

_SHAPES = {"box": '["{}"]', "round": '("{}")', "stadium": '(["{}"])'}


def text_mermaid(label: Label) -> str:
    """A label for the inside of a double-quoted Mermaid label."""
    if isinstance(label, Verbatim):
        return str(label)
    if isinstance(label, str):
        return mermaid_text(label)
    lines = []
    for line in label.shown("mmd"):
        parts = []
        for run in line.runs:
            body = mermaid_text(run.text)
            if run.italic:
                body = f"<i>{body}</i>"
            if run.bold:
                body = f"<b>{body}</b>"
            if run.small:
                body = f"<small>{body}</small>"
            parts.append(body)
        lines.append("".join(parts))
    return "<br>".join(lines)


def write_mermaid(scene: Scene) -> str:
    """The Mermaid source of ``scene`` (a flowchart, or a block diagram for a table)."""
    m = Mermaid(scene.mermaid_header, list(scene.mermaid_comments))
    ids = IdMap()
    known: dict[str, str] = {}  # scene id -> Mermaid id
    groups: dict[str, list[str]] = {}

    def mid(key: MermaidId) -> str:
        return key if isinstance(key, str) else ids.get(*key)

    def walk(items: tuple[Item, ...]) -> None:
        for item in items:
            if isinstance(item, Node):
                if item.key is None:
                    continue
                node = known[item.id] = mid(item.key)
                m.node(node, text_mermaid(item.label or ""), _SHAPES[item.shape])
                if item.mermaid_class:
                    m.tail.append(f"class {node} {item.mermaid_class}")
                if item.group:
                    groups.setdefault(item.group, []).append(node)
            elif isinstance(item, Edge):
                if not item.mermaid:
                    continue
                number = m.link(
                    known[item.tail],
                    known[item.head],
                    item.line,
                    item.arrow,
                    label=mermaid_text(item.label) if item.label else None,
                )
                if item.css:
                    m.tail.append(f"linkStyle {number} {item.css}")
            elif isinstance(item, Cluster):
                if item.key is None:
                    walk(item.items)
                    continue
                m.open(mid(item.key), text_mermaid(item.label or ""), item.direction)
                walk(item.items)
                m.close()
            elif isinstance(item, Table):
                m.add(f"columns {len(item.rows[0]) if item.rows else 0}")
                for row in item.rows:
                    for cell in row:
                        node = mid(cell.key)
                        m.add(f'{node}["{text_mermaid(cell.text)}"]')
                        if cell.fill and not cell.header:
                            m.tail.append(
                                f"style {node} fill:{cell.fill},stroke:{item.stroke}"
                                + (f",color:{cell.color}" if cell.color else "")
                            )

    walk(scene.items)
    m.tail += [f"classDef {name} {css}" for name, css in scene.class_defs]
    for group, nodes in groups.items():
        m.tail += [f"class {','.join(nodes[i : i + 40])} {group}" for i in range(0, len(nodes), 40)]
    return m.source()
