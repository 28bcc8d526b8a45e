"""Colours and line styles shared by the views, so that every picture reads the same way."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from orgmodel.model import Layer, LineKind
from orgmodel.views.svg import Svg, num, text_width

__all__ = [
    "COVERED",
    "CROSSING",
    "EMPTY",
    "LAYER",
    "LINE",
    "STEPS_ONLY",
    "LayerStyle",
    "LineStyle",
    "crossing_fill",
    "crossing_legend",
    "heat",
    "ink",
    "layer_legend",
    "line_legend",
]


@dataclass(frozen=True)
class LayerStyle:
    """Fill, border and legend text of a layer."""

    fill: str
    stroke: str
    label: str


LAYER: dict[Layer, LayerStyle] = {
    Layer.FUNCTIONAL: LayerStyle("#e8eef7", "#4a6fa5", "functional layer"),
    Layer.CUSTOMER: LayerStyle("#fdebd3", "#c96f12", "customer layer"),
    Layer.MARKET: LayerStyle("#e3f2e1", "#3d8b37", "market layer"),
}


@dataclass(frozen=True)
class LineStyle:
    """How a kind of line is drawn: colour, width, SVG dash pattern, DOT style."""

    color: str
    width: float
    dash: str | None
    dot_style: str
    label: str


#: Reporting lines: solid, dotted, matrix, and the line to a staff position.
LINE: dict[str, LineStyle] = {
    "solid": LineStyle("#52606d", 1.2, None, "solid", "reports to"),
    LineKind.DOTTED.value: LineStyle("#7b5ea7", 1.4, "2,4", "dotted", "dotted line"),
    LineKind.MATRIX.value: LineStyle("#b83280", 1.6, "8,4", "dashed", "matrix line"),
    "staff": LineStyle("#52606d", 1.2, "4,3", "dashed", "staff position"),
    "service": LineStyle("#2b7a78", 1.8, None, "solid", "internal service"),
}

#: Steps and handoffs in a journey.
CROSSING: dict[str, LineStyle] = {
    "same": LineStyle("#9aa5b1", 1.2, None, "solid", "same unit continues"),
    "handoff": LineStyle("#52606d", 1.6, "5,3", "dashed", "handoff inside a silo"),
    "covered": LineStyle("#2f855a", 2.6, None, "bold", "silo crossing, covered by the owner"),
    "uncovered": LineStyle(
        "#d0312d", 3.2, None, "bold", "silo crossing, uncovered (nobody owns it)"
    ),
}


def heat(value: float, most: float) -> str:
    """A colour from pale yellow (0) to deep red (``most``) for heat-map cells."""
    if most <= 0 or value <= 0:
        return "#fbfaf5"
    t = min(1.0, value / most)
    stops = ((0.0, (254, 240, 217)), (0.5, (252, 141, 89)), (1.0, (200, 30, 30)))
    for (t0, c0), (t1, c1) in itertools.pairwise(stops):
        if t <= t1:
            f = (t - t0) / (t1 - t0)
            r, g, b = (round(a + (b_ - a) * f) for a, b_ in zip(c0, c1, strict=True))
            return f"#{r:02x}{g:02x}{b:02x}"
    return "#c81e1e"


#: Heat-map fills: a silo the journey does not enter, steps without a crossing into the
#: silo, crossings into it that the journey's owner covers (amber).
EMPTY, STEPS_ONLY, COVERED = "#ffffff", "#f5f7fa", "#f6c453"


def crossing_fill(uncovered: int, crossings: int, most_uncovered: int) -> str:
    """The heat-map fill of a cell: red for uncovered crossings (deeper with more), amber
    when all its crossings are covered, pale when it has none."""
    if uncovered > 0:
        t = min(1.0, uncovered / max(1, most_uncovered))
        lo, hi = (248, 180, 170), (176, 24, 24)
        r, g, b = (round(a + (z - a) * t) for a, z in zip(lo, hi, strict=True))
        return f"#{r:02x}{g:02x}{b:02x}"
    return COVERED if crossings > 0 else STEPS_ONLY


def ink(fill: str) -> str:
    """Dark text on a light ``fill`` (#rrggbb), white text on a dark one."""
    r, g, b = (int(fill[i : i + 2], 16) for i in (1, 3, 5))
    return "#ffffff" if 0.299 * r + 0.587 * g + 0.114 * b < 150 else "#1f2933"


def layer_legend(svg: Svg, x: float, y: float) -> float:
    """Draw the legend entries of the three layers at (x, y); return the x after them."""
    for layer in Layer:
        style = LAYER[layer]
        svg.rect(x, y, 22, 14, style.fill, style.stroke, 1.2, rx=3)
        svg.text(x + 28, y + 11, style.label, 10, "start")
        x += 40 + len(style.label) * 6
    return x


def line_legend(svg: Svg, x: float, y: float, keys: tuple[str, ...], boost: float = 0.0) -> float:
    """The layers, then the lines ``keys`` of :data:`LINE` (the internal service with an
    arrow), as one legend group at (x, y); return the x after it."""
    svg.open("legend")
    x = layer_legend(svg, x, y)
    for key in keys:
        line = LINE[key]
        svg.path(
            f"M{num(x)},{num(y + 7)}h30",
            line.color,
            line.width + boost,
            line.dash,
            arrow=key == "service",
        )
        svg.text(x + 36, y + 11, line.label, 10, "start")
        x += 48 + text_width(line.label, 10)
    svg.close()
    return x - 12


def crossing_legend(svg: Svg, x: float, y: float) -> None:
    """The legend of the journey view: crossings, waiting times, touchpoints, steps."""
    svg.open("legend")
    svg.text(x, y, "Legend", 11, "start", "bold")
    y += 20
    cx = x
    for key in ("uncovered", "covered", "handoff", "same"):
        line = CROSSING[key]
        svg.path(f"M{num(cx)},{num(y)}h34", line.color, line.width, line.dash, arrow=True)
        svg.text(cx + 42, y + 4, line.label, 10, "start")
        cx += 60 + len(line.label) * 5.9
    y += 24
    cx = x
    svg.rect(cx, y - 9, 30, 16, "#ffffff", "#9aa5b1", 1, rx=8)
    svg.text(cx + 15, y + 3, "2d", 9.5)
    svg.text(cx + 38, y + 3, "waiting time before the next step", 10, "start")
    cx += 250
    svg.rect(cx, y - 9, 44, 16, "#ffe7a3", "#d9a441", 1, rx=8)
    svg.text(cx + 52, y + 3, "touchpoint (channel)", 10, "start")
    cx += 190
    svg.rect(cx, y - 9, 30, 16, "#eef0f2", "#7b8794", 1, rx=4, dash="4,3")
    svg.text(cx + 38, y + 3, "not value-adding step", 10, "start")
    cx += 190
    svg.rect(cx, y - 9, 30, 16, "#ffffff", "#1f2933", 2, rx=4)
    svg.text(cx + 38, y + 3, "step with the customer", 10, "start")
    svg.close()
