"""The SVG of the three-layer overlay, from the built-in banded layout.

Bands are laid out top to bottom (board, customer beside market, functional); reporting
lines and service arrows are routed around the boxes they do not join.
"""

from __future__ import annotations

from orgmodel.model import UnitKind
from orgmodel.views.overlay import (
    BAND_GAP,
    BANDS,
    BOX_W,
    GAP,
    HEADER,
    MARGIN,
    PAD,
    PER_ROW,
    Box,
    Overlay,
    Service,
)
from orgmodel.views.route import CLEAR, Point, Router, polyline
from orgmodel.views.style import LAYER, LINE, line_legend
from orgmodel.views.svg import Svg, fit_one, wrap

__all__ = ["write_svg"]


def write_svg(view: Overlay) -> str:
    """The overlay picture of ``view`` as SVG."""
    return _Drawing(view).source()


class _Drawing:
    """The banded picture: bands, boxes, reporting lines and service arrows."""

    def __init__(self, view: Overlay) -> None:
        self.v = view

    def _box_height(self, box: Box) -> float:
        return 16 + sum(
            15 if k == "name" else 13 if k == "head" else 12 for k, _ in self._wrapped(box)
        )

    def _wrapped(self, box: Box) -> list[tuple[str, str]]:
        """The lines of a box, every text wrapped to the box's width, none cut."""
        sizes = {"name": (12.0, True), "head": (10.5, False)}
        out = []
        for kind, text in self.v._lines(box):
            size, bold = sizes.get(kind, (9.5, False))
            out += [
                (kind, t) for t in wrap(text, BOX_W - 14 if size > 10 else BOX_W - 16, size, bold)
            ]
        return out

    def _layout_band(self, band: str) -> tuple[list[list[Box]], float, list[float]]:
        members = [b for b in self.v.boxes.values() if b.band == band]
        if band == "functional":  # providers first: their arrows then cross no other box
            providers = {s.provider for s in self.v.services}
            members.sort(key=lambda b: b.unit not in providers)
        rows: list[list[Box]] = []
        if members:
            base = min(b.depth for b in members)
            by_depth: dict[int, list[Box]] = {}
            for b in members:
                by_depth.setdefault(b.depth - base, []).append(b)
            for d in sorted(by_depth):
                row = by_depth[d]
                rows += [row[i : i + PER_ROW] for i in range(0, len(row), PER_ROW)]
        width = max((len(r) * (BOX_W + GAP) - GAP for r in rows), default=BOX_W) + 2 * PAD
        heights = [max(self._box_height(b) for b in r) for r in rows]
        return rows, width, heights

    def source(self) -> str:
        """The SVG text."""
        layouts = {band: self._layout_band(band) for band, _, _ in BANDS}
        overlay_w = layouts["customer"][1] + GAP * 2 + layouts["market"][1]
        width = max(layouts["board"][1], overlay_w, layouts["functional"][1], 640.0)
        place: dict[str, tuple[float, float, float]] = {}  # unit -> x, y, height
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
                frames[frames.index((band, x0, y0, w, _h))] = (band, x0, y0, w, max(b1, b2) - y0)
        bottom = band_frame("functional", MARGIN, y, width)
        svg = Svg(width + 2 * MARGIN, bottom + 56, self.v._title())
        svg.text(MARGIN, 30, self.v._title(), 18, "start", "bold")
        svg.text(
            MARGIN,
            50,
            "Boxes: what a unit owns and the internal services it draws on; "
            "arrows: internal services from the providing department.",
            11,
            "start",
            fill="#3e4c59",
        )
        line_legend(svg, MARGIN, 60, ("solid", "service"))
        for band, x0, y0, w, h in frames:
            fill = next(f for b, _, f in BANDS if b == band)
            label = next(t for b, t, _ in BANDS if b == band)
            svg.open("band", band)
            svg.rect(x0, y0, w, h, fill, "#cbd2d9", 1, rx=10)
            svg.text(
                x0 + 12,
                y0 + 19,
                fit_one(label, w - 24, 12, bold=True),
                12,
                "start",
                "bold",
                fill="#3e4c59",
            )
            if not any(b.band == band for b in self.v.boxes.values()):
                svg.text(
                    x0 + w / 2, y0 + 58, "no units in this layer", 11, italic=True, fill="#7b8794"
                )
            svg.close()
        self._svg_lines(svg, place)
        for unit, box in self.v.boxes.items():
            x, y0, h = place[unit]
            self._svg_box(svg, box, x, y0, h)
        return svg.source()

    def _svg_lines(self, svg: Svg, place: dict[str, tuple[float, float, float]]) -> None:
        """Reporting lines and service arrows, routed around the boxes they do not join."""
        out = CLEAR + 1
        lines: list[tuple[Point, Point, Point, Point]] = []  # box side, start, end, side
        for parent, child in self.v.reports:
            if (
                self.v.boxes[child].band == "functional"
                and self.v.boxes[parent].band != "functional"
            ):
                continue  # said in the box ("under: ..."); a line would cross the overlay
            px, py, ph = place[parent]
            cx, cy, _ = place[child]
            a, b = px + BOX_W / 2, cx + BOX_W / 2
            lines.append(((a, py + ph), (a, py + ph + out), (b, cy - out), (b, cy)))
        exits, entries = _slots(self.v.services, place)
        for s in self.v.services:
            _, py, _ = place[s.provider]
            _, cy, ch = place[s.consumer]
            a, b = exits[s.provider, s.consumer], entries[s.provider, s.consumer]
            lines.append(((a, py), (a, py - out), (b, cy + ch + out), (b, cy + ch + 3)))
        router = Router(
            [(x, y, BOX_W, h) for x, y, h in place.values()],
            [(start, end) for _, start, end, _ in lines],
            GAP,
        )
        paths = [
            polyline([side, *router.route(start, end), head]) for side, start, end, head in lines
        ]
        solid, line = LINE["solid"], LINE["service"]
        svg.open("reports")
        for d in paths[: len(lines) - len(self.v.services)]:
            svg.path(d, solid.color, 1, opacity=0.7)
        svg.close()
        for s, d in zip(self.v.services, paths[len(lines) - len(self.v.services) :], strict=True):
            svg.open(
                "service",
                f"{s.provider}->{s.consumer}",
                title=f"{self.v._name(s.provider)} serves {self.v._name(s.consumer)}: "
                + "; ".join(s.names),
            )
            svg.path(d, line.color, line.width, arrow=True, opacity=0.85)
            svg.close()

    def _svg_box(self, svg: Svg, box: Box, x: float, y: float, h: float) -> None:
        unit = self.v.ent.units[box.unit]
        style = LAYER[unit.layer]
        svg.open(
            "unit",
            box.unit,
            title="\n".join(t for _, t in self.v._lines(box)),
            band=box.band,
            layer=unit.layer.value,
        )
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
                svg.text(
                    x + 8,
                    yy,
                    text,
                    9.5,
                    "start",
                    fill=LINE["service"].color if kind == "service" else "#3e4c59",
                )
                yy += 12
        svg.close()


def _slots(
    services: list[Service], place: dict[str, tuple[float, float, float]]
) -> tuple[dict[tuple[str, str], float], dict[tuple[str, str], float]]:
    """Where each service arrow leaves its provider's top side and enters its consumer's
    bottom side: the arrows of one box spread along the side, ordered by where their other
    end is, so that they neither share an arrowhead nor cross on the way (the middle of a
    provider's top side is left to its reporting line)."""
    out: dict[str, list[tuple[float, str, str]]] = {}
    into: dict[str, list[tuple[float, str, str]]] = {}
    for s in services:
        out.setdefault(s.provider, []).append((place[s.consumer][0], s.provider, s.consumer))
        into.setdefault(s.consumer, []).append((place[s.provider][0], s.provider, s.consumer))
    exits: dict[tuple[str, str], float] = {}
    entries: dict[tuple[str, str], float] = {}
    for found, at, middle in ((out, exits, False), (into, entries, True)):
        for unit, arrows in found.items():
            arrows.sort()
            x = place[unit][0]
            n = len(arrows)
            for k, (_, provider, consumer) in enumerate(arrows):
                if middle:  # spread over the side, one in the middle
                    offset = BOX_W * (k + 1) / (n + 1)
                else:  # spread over the right part of the side
                    offset = BOX_W * (0.62 + 0.28 * (k / (n - 1) if n > 1 else 0.0))
                at[provider, consumer] = round(x + offset, 1)
    return exits, entries
