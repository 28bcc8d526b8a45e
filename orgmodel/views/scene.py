"""The neutral scene: what a view draws, independent of the format that writes it.

A view selects what to show and lays it out; it returns a :class:`Scene` of nodes, edges,
clusters, rank groups and tables, in document order, with rich labels (:class:`Text`),
optional positions (top-left corners and sizes, in pixels, y down) and routes. One writer
per format turns any scene into text: :func:`orgmodel.views.dot.write_dot` and
:func:`orgmodel.views.mermaid.write_mermaid`.

Styling uses Graphviz's attribute vocabulary (``fillcolor``, ``penwidth``, ``style``, ...)
as ordered pairs (:data:`Attrs`), so that output is deterministic; writers of other formats
read the fields they understand (Mermaid: shapes, link styles, classes). A label line can
be limited to one format (:attr:`Line.only`) where the formats show different detail.

>>> t = Text.of(Line.of(Run("Sales", bold=True)), Line.of(Run("12 people", size=9)))
>>> [r.text for line in t.lines for r in line.runs]
['Sales', '12 people']
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = [
    "Attrs",
    "Box",
    "Cell",
    "Cluster",
    "Edge",
    "Item",
    "Label",
    "Line",
    "MermaidId",
    "Node",
    "Point",
    "Rank",
    "Run",
    "Scene",
    "Table",
    "Text",
    "Verbatim",
]

Point = tuple[float, float]
Box = tuple[float, float, float, float]
"""``(x, y, width, height)`` of a box, top-left corner, in pixels with y growing down."""


@dataclass(frozen=True)
class Run:
    """A piece of a label line in one font."""

    text: str
    bold: bool = False
    italic: bool = False
    size: float | None = None
    """Point size where the format has one (DOT); None: the default size."""
    color: str | None = None
    small: bool = False
    """Smaller text in formats without point sizes (Mermaid's ``<small>``)."""


@dataclass(frozen=True)
class Line:
    """One line of a label; ``only`` names the one format that shows it (None: all)."""

    runs: tuple[Run, ...]
    only: str | None = None

    @classmethod
    def of(cls, *runs: Run, only: str | None = None) -> Line:
        """A line of ``runs``."""
        return cls(runs, only)


@dataclass(frozen=True)
class Text:
    """A rich label: lines of runs."""

    lines: tuple[Line, ...]

    @classmethod
    def of(cls, *lines: Line) -> Text:
        """A label of ``lines``."""
        return cls(lines)

    def shown(self, fmt: str) -> tuple[Line, ...]:
        """The lines that format ``fmt`` shows."""
        return tuple(line for line in self.lines if line.only in (None, fmt))


class Verbatim(str):
    """A plain label made of characters that need no escaping in any format."""


Label = str | Text
"""A plain string (a quoted string in DOT) or rich text (an HTML-like label in DOT)."""
AttrValue = str | float | bool | Text | None
Attrs = tuple[tuple[str, AttrValue], ...]
"""Graphviz attributes in the order they are written; None values are left out."""
MermaidId = tuple[str, str] | str
"""A Mermaid id: ``(prefix, document id)`` made a plain word, or a literal id."""


@dataclass(frozen=True)
class Node:
    """A box, point or shape."""

    id: str
    """The node's scene id (``unit:sales``), the DOT id."""
    label: Label | None = None
    key: MermaidId | None = None
    """Its Mermaid id; None: Mermaid does not draw it (e.g. a layout helper)."""
    classes: str = ""
    """Space-separated classes (DOT ``class``, SVG ``class``); empty for none."""
    dom_id: bool = False
    """Write the scene id as the output's element id (DOT ``id``)."""
    attrs: Attrs = ()
    shape: Literal["box", "round", "stadium"] = "box"
    """The Mermaid shape."""
    mermaid_class: str | None = None
    """A Mermaid class assigned to this node alone."""
    group: str | None = None
    """A Mermaid class assigned with other nodes of the same group, after the definitions."""
    box: Box | None = None
    """Fixed position and size, when the view laid the scene out."""


@dataclass(frozen=True)
class Edge:
    """A line between two nodes."""

    tail: str
    head: str
    attrs: Attrs = ()
    line: Literal["solid", "dotted", "thick"] = "solid"
    """The Mermaid link style."""
    arrow: bool = True
    """An arrowhead in Mermaid."""
    label: str | None = None
    """The Mermaid link label."""
    css: str | None = None
    """The Mermaid ``linkStyle`` of this link."""
    mermaid: bool = True
    """False for lines Mermaid does not draw (layout helpers)."""
    backward: bool = False
    """Laid out from head to tail with the arrow at the tail (keeps ranks in layered layouts,
    DOT ``dir=back``)."""
    route: tuple[Point, ...] | None = None
    """Fixed route as a polyline, when the view laid the scene out."""


@dataclass(frozen=True)
class Rank:
    """Nodes kept on one rank by layout engines that rank (Graphviz ``dot``)."""

    ids: tuple[str, ...]


@dataclass(frozen=True)
class Cell:
    """A cell of a :class:`Table`."""

    text: Text
    key: MermaidId
    fill: str | None = None
    header: bool = False
    align: Literal["left"] | None = None
    dom_id: str | None = None
    color: str | None = None
    """Text colour where the format styles cells one by one (Mermaid: light on dark)."""


@dataclass(frozen=True)
class Table:
    """A grid of cells, drawn as one node (DOT: an HTML-like table)."""

    id: str
    rows: tuple[tuple[Cell, ...], ...]
    attrs: Attrs = ()
    stroke: str = "#9aa5b1"
    """The border of filled cells where the format styles cells one by one (Mermaid)."""


@dataclass(frozen=True)
class Cluster:
    """A group of items drawn in a frame (DOT ``subgraph cluster_...``)."""

    id: str
    items: tuple[Item, ...]
    label: Label | None = None
    attrs: Attrs = ()
    key: MermaidId | None = None
    """The Mermaid subgraph id; None: Mermaid draws the items without a frame."""
    direction: str | None = None
    """The Mermaid subgraph's direction."""


Item = Node | Edge | Rank | Cluster | Table


@dataclass(frozen=True)
class Scene:
    """One view of one document, ready for every writer."""

    name: str
    items: tuple[Item, ...]
    graph: Attrs = ()
    node_defaults: Attrs = ()
    edge_defaults: Attrs = ()
    dot_comments: tuple[str, ...] = ()
    mermaid_header: str = "flowchart TB"
    mermaid_comments: tuple[str, ...] = ()
    class_defs: tuple[tuple[str, str], ...] = ()
    """Mermaid ``classDef`` name and style, in order."""
    height: float = 0.0
    """The picture's height in pixels when the scene is laid out (positions flip y)."""
