"""The three-dimensional enterprise (docs/concepts.md) as one picture.

Bands from top to bottom: the board and the executives above the silo level; the
customer layer (segment teams, journey owners) beside the market layer (stakeholder
owners); and the functional departments, the internal service providers, at the bottom.
Boxes list what a unit owns (segments, journeys, stakeholders) and which internal
services it draws on; teal arrows run from each providing department up to the unit it
serves. A unit below the shown level is represented by the nearest shown unit above it
(a team by its department), so the picture stays readable for large organizations.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from orgmodel.graph import Enterprise
from orgmodel.model import Layer, UnitKind
from orgmodel.views.base import ViewContext, ViewOptions
from orgmodel.views.dot import write_dot
from orgmodel.views.mermaid import write_mermaid
from orgmodel.views.scene import Cluster, Edge, Item, Line, Node, Run, Scene, Text, Verbatim
from orgmodel.views.style import LAYER, LINE

__all__ = ["Overlay", "build", "name", "per_journey", "title"]

name = "overlay"
title = "Three-layer overlay"
per_journey = False

BOX_W, GAP, BAND_GAP, PAD = 184.0, 18.0, 96.0, 16.0
PER_ROW = 7
MARGIN, HEADER = 24.0, 84.0
MAX_NOTES = 5

BANDS: tuple[tuple[str, str, str], ...] = (
    ("board", "Board and executives", "#f4f1fb"),
    ("customer", "Customer layer: segment teams, journey owners", "#fff8ef"),
    ("market", "Market layer: stakeholder owners", "#f3faf2"),
    ("functional", "Functional layer: departments as internal service providers", "#f3f6fb"),
)


@dataclass
class Box:
    """A shown unit with the notes it carries."""

    unit: str
    band: str
    depth: int
    notes: list[str] = field(default_factory=list)
    services: list[str] = field(default_factory=list)


@dataclass
class Service:
    """Internal services between two shown units (names joined)."""

    provider: str
    consumer: str
    names: list[str]


def _band(ent: Enterprise, unit: str) -> str | None:
    u = ent.units[unit]
    tree = ent.tree
    if ent.in_overlay(unit):
        return "customer" if u.layer is Layer.CUSTOMER else "market"
    silo = tree.silo(unit)
    if silo is None:
        return "board"
    return "functional" if silo == unit else None


class Overlay:
    """The overlay picture of one enterprise (see the module docstring)."""

    prefer_graphviz = False

    def __init__(self, ent: Enterprise) -> None:
        self.ent = ent
        doc = ent.document
        tree = ent.tree
        owners = (
            {s.team for s in doc.segments}
            | {j.owner for j in doc.journeys}
            | {s.owner for s in doc.stakeholders}
        )
        consumers = {s.consumer for s in doc.services}
        self.boxes: dict[str, Box] = {}
        for v in tree.preorder:
            unit = tree.ids[v]
            band = _band(ent, unit)
            if band is None:
                continue
            if band in ("customer", "market"):
                parent = tree.parent_of(unit)
                top = parent is None or ent.units[parent].layer is not ent.units[unit].layer
                if not (top or unit in owners or unit in consumers):
                    continue
            self.boxes[unit] = Box(unit, band, tree.depth[v])
        self._shown: dict[str, str] = {}
        for seg in doc.segments:
            if seg.team:
                self._note(seg.team, f"segment: {seg.name}")
        for j in doc.journeys:
            if j.owner:
                self._note(j.owner, f"journey: {j.name}")
        for s in doc.stakeholders:
            if s.owner:
                self._note(s.owner, f"{s.kind.value}: {s.name}")
        pairs: dict[tuple[str, str], Service] = {}
        for service in doc.services:
            a, b = self.shown(service.provider), self.shown(service.consumer)
            provider = ent.units[service.provider].name
            self.boxes[b].services.append(f"{service.name} ({provider})")
            if a != b:
                pairs.setdefault((a, b), Service(a, b, [])).names.append(service.name)
        self.services = list(pairs.values())
        self.reports: list[tuple[str, str]] = []
        for unit in self.boxes:
            parent = tree.parent_of(unit)
            if parent is not None:
                self.reports.append((self.shown(parent), unit))

    def shown(self, unit: str) -> str:
        """The shown unit that stands for ``unit`` (itself or its nearest shown ancestor)."""
        found = self._shown.get(unit)
        if found is None:
            found = next((u for u in self.ent.tree.path_to_root(unit) if u in self.boxes), unit)
            if found not in self.boxes:  # a forest whose top is not shown
                self.boxes[found] = Box(found, "board", 0)
            self._shown[unit] = found
        return found

    def _note(self, unit: str, text: str) -> None:
        self.boxes[self.shown(unit)].notes.append(text)

    def _name(self, unit: str) -> str:
        return self.ent.units[unit].name

    def _title(self) -> str:
        return f"Three-layer overlay: {self.ent.document.name}"

    def _lines(self, box: Box) -> list[tuple[str, str]]:
        """(kind, text) lines of a box: name, head, notes, services (shortened)."""
        unit = self.ent.units[box.unit]
        out = [("name", unit.name)]
        if unit.head:
            out.append(("head", unit.head))
        if box.band == "functional":
            parent = self.ent.tree.parent_of(box.unit)
            if parent is not None:
                out.append(("note", f"under: {self._name(parent)}"))
        notes = [("note", n) for n in box.notes]
        notes += [("service", f"draws on {s}") for s in box.services]
        if len(notes) > MAX_NOTES:
            notes = [*notes[: MAX_NOTES - 1], ("note", f"+{len(notes) - MAX_NOTES + 1} more")]
        return out + notes

    # -- DOT and Mermaid ------------------------------------------------------------------

    def graphviz_input(self) -> tuple[str, tuple[str, ...]]:
        """The DOT source, laid out by ``dot``."""
        return self.to_dot(), ("dot",)

    def to_dot(self) -> str:
        """DOT source: one cluster per band, services as teal edges."""
        return write_dot(self.scene())

    def to_mermaid(self) -> str:
        """Mermaid flowchart: one subgraph per band."""
        return write_mermaid(self.scene())

    def scene(self) -> Scene:
        """The overlay as a scene for Graphviz's ``dot``: one cluster per band."""
        clusters: list[Cluster] = []
        for band, label, fill in BANDS:
            members = [b for b in self.boxes.values() if b.band == band]
            items: tuple[Item, ...] = tuple(self._node(box) for box in members) or (
                Node(
                    f"empty:{band}",
                    Verbatim("(no units)"),
                    ("empty", band),
                    attrs=(("shape", "plaintext"),),
                ),
            )
            clusters.append(
                Cluster(
                    f"cluster_{band}",
                    items,
                    label,
                    (
                        ("style", "rounded,filled"),
                        ("fillcolor", fill),
                        ("color", "#cbd2d9"),
                        ("fontsize", "11"),
                    ),
                    ("band", band),
                    "LR",
                )
            )
        # The overlay bands side by side in an invisible frame, and an invisible point
        # between them and the functional band that keeps the departments below the
        # segment teams and stakeholder owners.
        out: list[Item] = [
            clusters[0],
            Cluster("cluster_overlay", (clusters[1], clusters[2]), "", (("style", "invis"),)),
            clusters[3],
        ]
        out.append(
            Node("rank:functional", attrs=(("shape", "point"), ("style", "invis"), ("width", "0")))
        )
        invisible = (("style", "invis"),)
        for box in self.boxes.values():
            if box.band in ("customer", "market"):
                out.append(Edge(f"unit:{box.unit}", "rank:functional", invisible, mermaid=False))
            elif box.band == "functional":
                out.append(Edge("rank:functional", f"unit:{box.unit}", invisible, mermaid=False))
        for parent, child in self.reports:
            out.append(
                Edge(
                    f"unit:{parent}",
                    f"unit:{child}",
                    (("constraint", "false" if self.boxes[child].band == "functional" else None),),
                    arrow=False,
                )
            )
        line = LINE["service"]
        for s in self.services:
            out.append(
                Edge(
                    f"unit:{s.provider}",
                    f"unit:{s.consumer}",
                    (
                        ("arrowtail", "normal"),
                        ("color", line.color),
                        ("penwidth", str(line.width)),
                        ("tooltip", "; ".join(s.names)),
                        ("id", f"service:{s.provider}->{s.consumer}"),
                        ("class", "service"),
                    ),
                    "thick",
                    True,
                    "; ".join(s.names),
                    f"stroke:{line.color},stroke-width:2px",
                    backward=True,
                )
            )
        return Scene(
            "overlay",
            tuple(out),
            (
                ("rankdir", "TB"),
                ("newrank", "true"),
                ("nodesep", "0.3"),
                ("ranksep", "0.6"),
                ("fontname", "DejaVu Sans"),
                ("labelloc", "t"),
                ("labeljust", "l"),
                ("label", Text.of(Line.of(Run(self._title(), bold=True)))),
            ),
            (
                ("shape", "box"),
                ("style", "rounded,filled"),
                ("fontname", "DejaVu Sans"),
                ("fontsize", "10"),
            ),
            (("color", LINE["solid"].color), ("arrowhead", "none")),
            ("orgmodel three-layer overlay; render with `dot`",),
            "flowchart TB",
            (self._title(),),
            tuple(
                (layer.value, f"fill:{style.fill},stroke:{style.stroke},color:#1f2933")
                for layer, style in LAYER.items()
            ),
        )

    def _node(self, box: Box) -> Node:
        unit = self.ent.units[box.unit]
        lines = []
        for kind, text in self._lines(box):
            if kind == "name":
                lines.append(Line.of(Run(text, bold=True)))
            elif kind == "head":
                lines.append(Line.of(Run(text, italic=True)))
            else:
                color = LINE["service"].color if kind == "service" else "#3e4c59"
                lines.append(Line.of(Run(text, size=8, color=color, small=True)))
        style = LAYER[unit.layer]
        return Node(
            f"unit:{box.unit}",
            Text(tuple(lines)),
            ("u", box.unit),
            f"unit {box.band}",
            True,
            (
                ("fillcolor", style.fill),
                ("color", style.stroke),
                ("penwidth", "2" if unit.kind in (UnitKind.BOARD, UnitKind.EXECUTIVE) else None),
            ),
            mermaid_class=unit.layer.value,
        )

    def to_svg(self) -> str:
        """SVG from the built-in banded layout (:mod:`orgmodel.views.overlay_svg`)."""
        from orgmodel.views.overlay_svg import write_svg

        return write_svg(self)


def build(ctx: ViewContext, options: ViewOptions) -> Overlay:
    """The overlay picture of ``ctx``'s enterprise."""
    return Overlay(ctx.enterprise)
