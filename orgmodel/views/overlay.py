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
from orgmodel.views.route import CLEAR, Point, Router, polyline
from orgmodel.views.scene import Cluster, Edge, Item, Line, Node, Run, Scene, Text, Verbatim
from orgmodel.views.style import LAYER, LINE, line_legend
from orgmodel.views.svg import Svg, fit, fit_one

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
        owners = {s.team for s in doc.segments} | {j.owner for j in doc.journeys} | {
            s.owner for s in doc.stakeholders}
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
            found = next((u for u in self.ent.tree.path_to_root(unit) if u in self.boxes),
                         unit)
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
            notes = [*notes[:MAX_NOTES - 1], ("note", f"+{len(notes) - MAX_NOTES + 1} more")]
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
                Node(f"empty:{band}", Verbatim("(no units)"), ("empty", band),
                     attrs=(("shape", "plaintext"),)),)
            clusters.append(Cluster(
                f"cluster_{band}", items, label,
                (("style", "rounded,filled"), ("fillcolor", fill), ("color", "#cbd2d9"),
                 ("fontsize", "11")), ("band", band), "LR"))
        # The overlay bands side by side in an invisible frame, and an invisible point
        # between them and the functional band that keeps the departments below the
        # segment teams and stakeholder owners.
        out: list[Item] = [clusters[0], Cluster("cluster_overlay", (clusters[1], clusters[2]),
                                                "", (("style", "invis"),)), clusters[3]]
        out.append(Node("rank:functional", attrs=(("shape", "point"), ("style", "invis"),
                                                  ("width", "0"))))
        invisible = (("style", "invis"),)
        for box in self.boxes.values():
            if box.band in ("customer", "market"):
                out.append(Edge(f"unit:{box.unit}", "rank:functional", invisible,
                                mermaid=False))
            elif box.band == "functional":
                out.append(Edge("rank:functional", f"unit:{box.unit}", invisible,
                                mermaid=False))
        for parent, child in self.reports:
            out.append(Edge(f"unit:{parent}", f"unit:{child}", (
                ("constraint", "false" if self.boxes[child].band == "functional" else None),),
                arrow=False))
        line = LINE["service"]
        for s in self.services:
            out.append(Edge(
                f"unit:{s.provider}", f"unit:{s.consumer}",
                (("arrowtail", "normal"), ("color", line.color), ("penwidth", str(line.width)),
                 ("tooltip", "; ".join(s.names)), ("id", f"service:{s.provider}->{s.consumer}"),
                 ("class", "service")),
                "thick", True, "; ".join(s.names), f"stroke:{line.color},stroke-width:2px",
                backward=True))
        return Scene(
            "overlay", tuple(out),
            (("rankdir", "TB"), ("newrank", "true"), ("nodesep", "0.3"), ("ranksep", "0.6"),
             ("fontname", "DejaVu Sans"), ("labelloc", "t"), ("labeljust", "l"),
             ("label", Text.of(Line.of(Run(self._title(), bold=True))))),
            (("shape", "box"), ("style", "rounded,filled"), ("fontname", "DejaVu Sans"),
             ("fontsize", "10")),
            (("color", LINE["solid"].color), ("arrowhead", "none")),
            ("orgmodel three-layer overlay; render with `dot`",), "flowchart TB",
            (self._title(),),
            tuple((layer.value, f"fill:{style.fill},stroke:{style.stroke},color:#1f2933")
                  for layer, style in LAYER.items()))

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
            f"unit:{box.unit}", Text(tuple(lines)), ("u", box.unit), f"unit {box.band}", True,
            (("fillcolor", style.fill), ("color", style.stroke),
             ("penwidth", "2" if unit.kind in (UnitKind.BOARD, UnitKind.EXECUTIVE) else None)),
            mermaid_class=unit.layer.value)

    # -- SVG ---------------------------------------------------------------------------

    def _box_height(self, box: Box) -> float:
        return 16 + sum(15 if k == "name" else 13 if k == "head" else 12
                        for k, _ in self._wrapped(box))

    def _wrapped(self, box: Box) -> list[tuple[str, str]]:
        out = []
        for kind, text in self._lines(box):
            if kind == "name":
                out += [(kind, t) for t in fit(text, BOX_W - 14, 12, 2, bold=True)]
            elif kind == "head":
                out += [(kind, t) for t in fit(text, BOX_W - 14, 10.5, 1)]
            else:
                out += [(kind, t) for t in fit(text, BOX_W - 14, 9.5, 2)]
        return out

    def _layout_band(self, band: str) -> tuple[list[list[Box]], float, list[float]]:
        members = [b for b in self.boxes.values() if b.band == band]
        if band == "functional":  # providers first: their arrows then cross no other box
            providers = {s.provider for s in self.services}
            members.sort(key=lambda b: b.unit not in providers)
        rows: list[list[Box]] = []
        if members:
            base = min(b.depth for b in members)
            by_depth: dict[int, list[Box]] = {}
            for b in members:
                by_depth.setdefault(b.depth - base, []).append(b)
            for d in sorted(by_depth):
                row = by_depth[d]
                rows += [row[i:i + PER_ROW] for i in range(0, len(row), PER_ROW)]
        width = max((len(r) * (BOX_W + GAP) - GAP for r in rows), default=BOX_W) + 2 * PAD
        heights = [max(self._box_height(b) for b in r) for r in rows]
        return rows, width, heights

    def to_svg(self) -> str:
        """SVG from the built-in banded layout."""
        layouts = {band: self._layout_band(band) for band, _, _ in BANDS}
        overlay_w = layouts["customer"][1] + GAP * 2 + layouts["market"][1]
        width = max(layouts["board"][1], overlay_w, layouts["functional"][1], 640.0)
        place: dict[str, tuple[float, float, float]] = {}   # unit -> x, y, height
        frames: list[tuple[str, float, float, float, float]] = []
        y = HEADER

        def band_frame(band: str, x0: float, y0: float, w: float) -> float:
            rows, _bw, heights = layouts[band]
            yy = y0 + 30
            for row, h in zip(rows, heights, strict=True):
                rw = len(row) * (BOX_W + GAP) - GAP
                xx = x0 + (w - rw) / 2
                for b in row:
                    place[b.unit] = (xx, yy, self._box_height(b))
                    xx += BOX_W + GAP
                yy += h + 34
            bottom = yy - 34 + PAD if rows else y0 + 30 + 40
            frames.append((band, x0, y0, w, bottom - y0))
            return bottom

        bottom = band_frame("board", MARGIN, y, width)
        y = bottom + BAND_GAP / 2
        cw = layouts["customer"][1] * (width - GAP * 2) / overlay_w
        b1 = band_frame("customer", MARGIN, y, cw)
        b2 = band_frame("market", MARGIN + cw + GAP * 2, y, width - cw - GAP * 2)
        y = max(b1, b2) + BAND_GAP
        for band, x0, y0, w, _h in list(frames):  # equal heights for the overlay bands
            if band in ("customer", "market"):
                frames[frames.index((band, x0, y0, w, _h))] = (band, x0, y0, w,
                                                               max(b1, b2) - y0)
        bottom = band_frame("functional", MARGIN, y, width)
        svg = Svg(width + 2 * MARGIN, bottom + 56, self._title())
        svg.text(MARGIN, 30, self._title(), 18, "start", "bold")
        svg.text(MARGIN, 50, "Boxes: what a unit owns and the internal services it draws on; "
                 "arrows: internal services from the providing department.", 11, "start",
                 fill="#3e4c59")
        line_legend(svg, MARGIN, 60, ("solid", "service"))
        for band, x0, y0, w, h in frames:
            fill = next(f for b, _, f in BANDS if b == band)
            label = next(t for b, t, _ in BANDS if b == band)
            svg.open("band", band)
            svg.rect(x0, y0, w, h, fill, "#cbd2d9", 1, rx=10)
            svg.text(x0 + 12, y0 + 19, fit_one(label, w - 24, 12, bold=True), 12, "start",
                     "bold", fill="#3e4c59")
            if not any(b.band == band for b in self.boxes.values()):
                svg.text(x0 + w / 2, y0 + 58, "no units in this layer", 11, italic=True,
                         fill="#7b8794")
            svg.close()
        self._svg_lines(svg, place)
        for unit, box in self.boxes.items():
            x, y0, h = place[unit]
            self._svg_box(svg, box, x, y0, h)
        return svg.source()

    def _svg_lines(self, svg: Svg, place: dict[str, tuple[float, float, float]]) -> None:
        """Reporting lines and service arrows, routed around the boxes they do not join."""
        out = CLEAR + 1
        lines: list[tuple[Point, Point, Point, Point]] = []   # box side, start, end, side
        for parent, child in self.reports:
            if self.boxes[child].band == "functional" and self.boxes[parent].band != \
                    "functional":
                continue  # said in the box ("under: ..."); a line would cross the overlay
            px, py, ph = place[parent]
            cx, cy, _ = place[child]
            a, b = px + BOX_W / 2, cx + BOX_W / 2
            lines.append(((a, py + ph), (a, py + ph + out), (b, cy - out), (b, cy)))
        for s in self.services:
            px, py, _ = place[s.provider]
            cx, cy, ch = place[s.consumer]
            a, b = px + BOX_W / 2, cx + BOX_W / 2
            lines.append(((a, py), (a, py - out), (b, cy + ch + out), (b, cy + ch + 3)))
        router = Router([(x, y, BOX_W, h) for x, y, h in place.values()],
                        [(start, end) for _, start, end, _ in lines], GAP)
        paths = [polyline([side, *router.route(start, end), head])
                 for side, start, end, head in lines]
        solid, line = LINE["solid"], LINE["service"]
        svg.open("reports")
        for d in paths[:len(lines) - len(self.services)]:
            svg.path(d, solid.color, 1, opacity=0.7)
        svg.close()
        for s, d in zip(self.services, paths[len(lines) - len(self.services):], strict=True):
            svg.open("service", f"{s.provider}->{s.consumer}",
                     title=f"{self._name(s.provider)} serves {self._name(s.consumer)}: "
                     + "; ".join(s.names))
            svg.path(d, line.color, line.width, arrow=True, opacity=0.85)
            svg.close()

    def _svg_box(self, svg: Svg, box: Box, x: float, y: float, h: float) -> None:
        unit = self.ent.units[box.unit]
        style = LAYER[unit.layer]
        svg.open("unit", box.unit, title="\n".join(t for _, t in self._lines(box)),
                 band=box.band, layer=unit.layer.value)
        strong = unit.kind in (UnitKind.BOARD, UnitKind.EXECUTIVE)
        svg.rect(x, y, BOX_W, h, style.fill, style.stroke, 2.2 if strong else 1.2, rx=6)
        yy = y + 18
        for kind, text in self._wrapped(box):
            if kind == "name":
                svg.text(x + BOX_W / 2, yy, text, 12, weight="bold")
                yy += 15
            elif kind == "head":
                svg.text(x + BOX_W / 2, yy, text, 10.5, italic=True, fill="#3e4c59")
                yy += 13
            else:
                svg.text(x + 8, yy, text, 9.5, "start",
                         fill=LINE["service"].color if kind == "service" else "#3e4c59")
                yy += 12
        svg.close()


def build(ctx: ViewContext, options: ViewOptions) -> Overlay:
    """The overlay picture of ``ctx``'s enterprise."""
    return Overlay(ctx.enterprise)
