"""A journey as swimlanes, service-blueprint style.

One lane per silo (or per unit with ``lanes="unit"``), in the order the journey first
enters them, and a customer lane on top that marks the touchpoints with their channel.
Steps stand in their columns, first to last; each handoff is an arrow with the waiting
time before the next step. Silo crossings are drawn boldly, green when the journey's
owner covers them and red when nobody does. The silo of each step and every crossing
come from the analysis report (:class:`orgmodel.analysis.silos.JourneyFigures`): this
view does not decide what a silo or a covered crossing is.
"""

from __future__ import annotations

from dataclasses import dataclass

from orgmodel.analysis.silos import Crossing, JourneyFigures
from orgmodel.durations import format_duration
from orgmodel.graph import Enterprise
from orgmodel.model import Journey, Layer, Step
from orgmodel.views.base import ViewContext, ViewError, ViewOptions
from orgmodel.views.dot import write_dot
from orgmodel.views.mermaid import write_mermaid
from orgmodel.views.scene import Cluster, Edge, Item, Line, Node, Rank, Run, Scene, Text
from orgmodel.views.style import CROSSING, LAYER, crossing_legend
from orgmodel.views.suggest import unknown
from orgmodel.views.svg import Svg, fit, fit_one, num

__all__ = ["JourneyView", "build", "name", "per_journey", "title"]

name = "journey"
title = "Journey swimlanes"
per_journey = True

LABEL_W, COL_W, STEP_W, STEP_H = 176.0, 188.0, 134.0, 86.0
LANE_H, CUSTOMER_H = 112.0, 70.0
MARGIN, HEADER = 24.0, 104.0
CUSTOMER = "customer"


@dataclass(frozen=True)
class Lane:
    """A swimlane: its key (silo or unit id), title and subtitle."""

    key: str
    title: str
    subtitle: str
    layer: str


@dataclass(frozen=True)
class Handoff:
    """The line from step ``number - 1`` to step ``number`` (1-based)."""

    number: int
    kind: str            # same, handoff, covered, uncovered (keys of style.CROSSING)
    wait: int
    crossing: Crossing | None


def step_silos(figures: JourneyFigures) -> list[str]:
    """The silo of every step, read from the report: the journey starts in the first silo of
    ``silo_path`` and moves to ``to_silo`` at each crossing."""
    at = {c.step: c.to_silo for c in figures.crossing_list}
    current = figures.silo_path[0] if figures.silo_path else ""
    out = []
    for number in range(1, figures.steps + 1):
        current = at.get(number, current)
        out.append(current)
    return out


class JourneyView:
    """Swimlanes of one journey (see the module docstring)."""

    prefer_graphviz = False

    def __init__(self, ent: Enterprise, journey: Journey, figures: JourneyFigures,
                 lanes: str) -> None:
        self.ent = ent
        self.journey = journey
        self.figures = figures
        self.silo_of = step_silos(figures)
        self.by_unit = lanes == "unit"
        keys = [s.unit for s in journey.steps] if self.by_unit else self.silo_of
        order: list[str] = []
        if self.by_unit:  # units grouped by the silo they belong to, silos in visit order
            first_silo = {s: i for i, s in reversed(list(enumerate(self.silo_of)))}
            seen = sorted(dict.fromkeys(keys), key=lambda u: (
                first_silo[self.silo_of[keys.index(u)]], keys.index(u)))
            order = seen
        else:
            order = list(dict.fromkeys(keys))
        self.lane_of = keys
        self.lanes = [self._lane(k) for k in order]
        self.lane_index = {lane.key: i for i, lane in enumerate(self.lanes)}
        crossings = {c.step: c for c in figures.crossing_list}
        steps = journey.steps
        self.handoffs: list[Handoff] = []
        for number in range(2, len(steps) + 1):
            c = crossings.get(number)
            if c is not None:
                kind = "covered" if c.covered else "uncovered"
            elif steps[number - 1].unit != steps[number - 2].unit:
                kind = "handoff"
            else:
                kind = "same"
            self.handoffs.append(Handoff(number, kind, steps[number - 1].wait, c))

    def _lane(self, key: str) -> Lane:
        unit = self.ent.units.get(key)
        if unit is None:
            return Lane(key, key, "", "functional")
        if self.by_unit:
            silo = self.silo_of[self.lane_of.index(key)]
            sub = "" if silo == key else f"in {self.ent.units[silo].name}"
        else:
            count = self.lane_of.count(key)
            sub = f"{count} step{'s' if count != 1 else ''}"
            if self.ent.tree.silo(key) != key:
                sub += ", above the silo level"
        return Lane(key, unit.name, sub, unit.layer.value)

    def _name(self, unit: str | None) -> str:
        return "none" if unit is None else self.ent.units[unit].name

    def _title(self) -> str:
        return f"Journey: {self.journey.name}"

    def _facts(self) -> list[str]:
        j, f = self.journey, self.figures
        persona = next((p.name for p in self.ent.document.personas if p.id == j.persona), None)
        first = f"{j.state} · owner: {self._name(j.owner)}"
        if persona:
            first += f" · persona: {persona}"
        eff = "-" if f.flow_efficiency is None else f"{f.flow_efficiency * 100:.1f} %"
        second = (f"{f.steps} steps, {f.handoffs} handoffs, {f.crossings} silo crossings "
                  f"({f.uncovered_crossings} uncovered), customer passed on "
                  f"{f.customer_handoffs}×")
        third = (f"lead time {format_duration(f.lead_time)}: work {format_duration(f.work)}, "
                 f"waiting {format_duration(f.wait)}; flow efficiency {eff}")
        return [first, second, third]

    def _step_lines(self, number: int, step: Step) -> list[str]:
        extra = []
        if self.by_unit or self.silo_of[number - 1] != step.unit:
            extra.append(self._name(step.unit) if not self.by_unit else "")
        if step.role:
            extra.append(step.role)
        return [e for e in extra if e]

    # -- DOT and Mermaid ------------------------------------------------------------------

    def graphviz_input(self) -> tuple[str, tuple[str, ...]]:
        """The DOT source, laid out by ``dot``."""
        return self.to_dot(), ("dot",)

    def to_dot(self) -> str:
        """DOT source: one cluster per lane, left to right by step."""
        return write_dot(self.scene())

    def to_mermaid(self) -> str:
        """Mermaid flowchart: one subgraph per lane."""
        return write_mermaid(self.scene())

    def scene(self) -> Scene:
        """The swimlanes as a scene for Graphviz's ``dot``: one cluster per lane."""
        j = self.journey
        items: list[Item] = []
        touch = [(i + 1, s) for i, s in enumerate(j.steps) if s.touchpoint]
        if touch:
            items.append(Cluster("cluster_lane:customer", tuple(
                Node(f"touch:{number}", step.channel or "touchpoint", ("t", str(number)),
                     dom_id=True, attrs=(("shape", "box"), ("style", "rounded,filled"),
                                         ("fillcolor", "#ffe7a3"), ("fontsize", "9"),
                                         ("width", "0.9")), shape="stadium")
                for number, step in touch), "Customer",
                (("style", "filled"), ("fillcolor", "#fff8e6"), ("color", "#d9a441")),
                "lane_customer", "LR"))
        for lane in self.lanes:
            style = LAYER[_layer(lane.layer)]
            label = [Line.of(Run(lane.title))]
            if lane.subtitle:
                label.append(Line.of(Run(lane.subtitle, size=9), only="dot"))
            items.append(Cluster(
                f"cluster_lane:{lane.key}",
                tuple(self._step_node(i + 1, step) for i, step in enumerate(j.steps)
                      if self.lane_of[i] == lane.key),
                Text(tuple(label)),
                (("style", "filled"), ("fillcolor", style.fill), ("color", style.stroke)),
                ("lane", lane.key), "LR"))
        for number, _step in touch:
            items.append(Edge(f"touch:{number}", f"step:{number}",
                              (("style", "dotted"), ("arrowhead", "none"),
                               ("color", "#d9a441")), "dotted", arrow=False))
            items.append(Rank((f"touch:{number}", f"step:{number}")))
        for h in self.handoffs:
            line = CROSSING[h.kind]
            wait = f"wait {format_duration(h.wait)}" if h.wait else None
            css = f"stroke:{line.color},stroke-width:{line.width}px"
            if line.dash:
                css += f",stroke-dasharray:{line.dash.replace(',', ' ')}"
            items.append(Edge(
                f"step:{h.number - 1}", f"step:{h.number}",
                (("color", line.color), ("penwidth", str(line.width)),
                 ("style", line.dot_style), ("label", wait),
                 ("fontcolor", line.color if h.crossing else None),
                 ("tooltip", self._crossing_text(h)), ("id", f"handoff:{h.number}"),
                 ("class", f"handoff {h.kind}")),
                "thick" if h.crossing else "solid", True, wait, css))
        title = Line.of(Run(self._title(), bold=True))
        return Scene(
            f"journey:{j.id}", tuple(items),
            (("rankdir", "LR"), ("newrank", "true"), ("nodesep", "0.35"), ("ranksep", "0.45"),
             ("fontname", "DejaVu Sans"), ("labelloc", "t"), ("labeljust", "l"),
             ("label", Text((title, *(Line.of(Run(t, size=10)) for t in self._facts()))))),
            (("shape", "box"), ("style", "rounded,filled"), ("fillcolor", "#ffffff"),
             ("fontname", "DejaVu Sans"), ("fontsize", "10"), ("width", "1.7")),
            (("fontname", "DejaVu Sans"), ("fontsize", "9")),
            (f"orgmodel journey swimlanes of '{j.id}'; render with `dot`",), "flowchart LR",
            (self._title(), *self._facts()),
            (("waste", "fill:#eef0f2,stroke:#7b8794,stroke-dasharray:4 3"),))

    def _step_node(self, number: int, step: Step) -> Node:
        lines = [Line.of(Run(str(number), bold=True), Run(f" {step.name}"))]
        lines += [Line.of(Run(t, italic=True, size=8)) for t in self._step_lines(number, step)]
        if not step.value_adding:
            lines.append(Line.of(Run("not value-adding", size=8, color="#7b8794"), only="dot"))
        if step.problems:
            lines.append(Line.of(Run(_problems(step), size=8, color="#9b2c2c")))
        return Node(
            f"step:{number}", Text(tuple(lines)), ("s", str(number)), "step", True,
            (("style", "rounded,filled" + ("" if step.value_adding else ",dashed")),
             ("fillcolor", "#ffffff" if step.value_adding else "#eef0f2"),
             ("penwidth", "2" if step.touchpoint else None)),
            mermaid_class=None if step.value_adding else "waste")

    def _crossing_text(self, h: Handoff) -> str:
        c = h.crossing
        if c is None:
            return f"step {h.number - 1} -> {h.number}: {CROSSING[h.kind].label}"
        manager = (f"; first common manager {self._name(c.manager)}, {c.height} level(s) up"
                   if c.manager else "; no common manager")
        return (f"silo crossing {self._name(c.from_silo)} -> {self._name(c.to_silo)} "
                f"({'covered' if c.covered else 'uncovered'}){manager}; "
                f"wait {format_duration(c.wait)}")

    # -- SVG ---------------------------------------------------------------------------

    def _lane_top(self, index: int) -> float:
        return HEADER + CUSTOMER_H + index * LANE_H

    def _step_box(self, number: int) -> tuple[float, float]:
        lane = self.lane_index[self.lane_of[number - 1]]
        x = MARGIN + LABEL_W + (number - 1) * COL_W + (COL_W - STEP_W) / 2
        y = self._lane_top(lane) + (LANE_H - STEP_H) / 2
        return x, y

    def to_svg(self) -> str:
        """SVG swimlanes from the built-in grid layout."""
        j = self.journey
        steps = j.steps
        width = MARGIN * 2 + LABEL_W + len(steps) * COL_W
        lanes_bottom = self._lane_top(len(self.lanes))
        height = lanes_bottom + 96
        svg = Svg(max(width, 900.0), height, self._title())
        svg.text(MARGIN, 30, self._title(), 18, "start", "bold")
        for i, line in enumerate(self._facts()):
            svg.text(MARGIN, 52 + i * 16, line, 11, "start", fill="#3e4c59")
        full = max(width, 900.0) - MARGIN
        # customer lane
        top = HEADER
        svg.open("lane customer", CUSTOMER, title="Customer: touchpoints")
        svg.rect(MARGIN, top, full - MARGIN, CUSTOMER_H, "#fff8e6", "#d9a441", 1)
        svg.text(MARGIN + 10, top + CUSTOMER_H / 2 + 4, "Customer", 12, "start", "bold")
        svg.close()
        for index, lane in enumerate(self.lanes):
            y = self._lane_top(index)
            style = LAYER[_layer(lane.layer)]
            svg.open("lane", lane.key, title=f"{lane.title} ({lane.subtitle})"
                     if lane.subtitle else lane.title)
            svg.rect(MARGIN, y, full - MARGIN, LANE_H, "#f7f9fb" if index % 2 else "#ffffff",
                     "#cbd2d9", 1)
            svg.rect(MARGIN, y, LABEL_W - 8, LANE_H, style.fill, style.stroke, 1)
            names = fit(lane.title, LABEL_W - 24, 12, 3, bold=True)
            base = y + LANE_H / 2 - (len(names) - 1) * 8 + (0 if not lane.subtitle else -6)
            svg.lines(MARGIN + 10, base, names, 12, 1.3, anchor="start", weight="bold")
            if lane.subtitle:
                svg.text(MARGIN + 10, base + len(names) * 15.6, fit(
                    lane.subtitle, LABEL_W - 24, 10)[0] if lane.subtitle else "", 10, "start",
                    italic=True, fill="#52606d")
            svg.close()
        svg.path(f"M{num(MARGIN)},{num(top + CUSTOMER_H)}H{num(full)}", "#d9a441", 1.5, "6,3")
        svg.text(full - 4, top + CUSTOMER_H - 5, "line of interaction", 9, "end",
                 fill="#b7791f", italic=True)
        for h in self.handoffs:
            self._svg_handoff(svg, h)
        for i, step in enumerate(steps):
            self._svg_step(svg, i + 1, step, top)
        crossing_legend(svg, MARGIN, lanes_bottom + 26)
        return svg.source()

    def _svg_step(self, svg: Svg, number: int, step: Step, customer_top: float) -> None:
        x, y = self._step_box(number)
        if step.touchpoint:
            cx = x + STEP_W / 2
            label = fit_one(step.channel or "touchpoint", STEP_W - 30, 10)
            svg.open("touchpoint", str(number), title=f"step {number}: the customer takes part"
                     + (f" ({step.channel})" if step.channel else ""))
            svg.path(f"M{num(cx)},{num(customer_top + 46)}V{num(y)}", "#d9a441", 1.2, "3,3")
            svg.rect(cx - 48, customer_top + 22, 96, 24, "#ffe7a3", "#d9a441", 1.2, rx=12)
            svg.text(cx, customer_top + 38, label, 10)
            svg.close()
        tip = f"{number}. {step.name}\nunit: {self._name(step.unit)}"
        if step.role:
            tip += f" ({step.role})"
        if step.work:
            tip += f"\nwork {format_duration(step.work)}"
        for p in step.problems:
            tip += f"\nproblem (weight {p.weight}): {p.text}"
        svg.open("step", step.id or str(number), title=tip, number=str(number),
                 unit=step.unit)
        svg.rect(x, y, STEP_W, STEP_H, "#ffffff" if step.value_adding else "#eef0f2",
                 "#1f2933" if step.touchpoint else "#7b8794", 2 if step.touchpoint else 1.2,
                 rx=6, dash=None if step.value_adding else "4,3")
        svg.rect(x, y, 22, 16, "#1f2933", rx=4)
        svg.text(x + 11, y + 12, str(number), 10, weight="bold", fill="#ffffff")
        extra = self._step_lines(number, step)
        flags = []
        if not step.value_adding:
            flags.append("not value-adding")
        if step.problems:
            flags.append(_problems(step))
        room = min(3, 4 - min(2, len(extra) + len(flags)))
        lines = list(fit(step.name, STEP_W - 12, 10.5, room, bold=True))
        y0 = y + 29
        svg.lines(x + 6, y0, lines, 10.5, 1.25, anchor="start", weight="bold")
        y0 += len(lines) * 13.1
        for text_ in extra[:2]:
            svg.text(x + 6, y0, fit_one(text_, STEP_W - 12, 9), 9, "start", italic=True,
                     fill="#52606d")
            y0 += 11.5
        for flag in flags:
            if y0 > y + STEP_H - 3:
                break
            svg.text(x + 6, y0, fit_one(flag, STEP_W - 12, 9), 9, "start",
                     fill="#9b2c2c" if "problem" in flag else "#7b8794")
            y0 += 11.5
        svg.close()

    def _svg_handoff(self, svg: Svg, h: Handoff) -> None:
        ax, ay = self._step_box(h.number - 1)
        bx, by = self._step_box(h.number)
        x0, y0 = ax + STEP_W, ay + STEP_H / 2
        x1, y1 = bx, by + STEP_H / 2
        mid = (x0 + x1) / 2
        line = CROSSING[h.kind]
        svg.open(f"handoff {h.kind}", str(h.number), title=self._crossing_text(h))
        if abs(y0 - y1) < 0.5:
            d = f"M{num(x0)},{num(y0)}H{num(x1 - 2)}"
        else:
            d = (f"M{num(x0)},{num(y0)}H{num(mid)}V{num(y1)}H{num(x1 - 2)}")
        svg.path(d, line.color, line.width, line.dash, arrow=True)
        if h.wait:
            text_ = format_duration(h.wait)
            w = max(30.0, len(text_) * 6.4 + 10)
            cy = (y0 + y1) / 2 if abs(y0 - y1) >= 0.5 else y0 - 14
            svg.rect(mid - w / 2, cy - 8, w, 16, "#ffffff", line.color, 1, rx=8)
            svg.text(mid, cy + 4, text_, 9.5, weight="bold" if h.crossing else None,
                     fill=line.color if h.crossing else "#3e4c59")
        svg.close()


def _layer(value: str) -> Layer:
    return Layer(value)


def _problems(step: Step) -> str:
    weight = sum(p.weight for p in step.problems)
    count = len(step.problems)
    return f"{count} problem{'s' if count != 1 else ''}, weight {weight}"


def build(ctx: ViewContext, options: ViewOptions) -> JourneyView:
    """The swimlanes of ``options.journey`` (or of the only journey of the document)."""
    ent = ctx.enterprise
    journeys = ent.journeys
    ident = options.journey
    if ident is None:
        if len(journeys) != 1:
            raise ViewError("the journey view needs --journey ID; journeys: "
                            + (", ".join(journeys) or "none in this document"))
        ident = next(iter(journeys))
    if ident not in journeys:
        raise ViewError(unknown("--journey", "journey", ident, journeys))
    figures = next((f for f in ctx.silos.journeys if f.journey == ident), None)
    if figures is None:
        raise ViewError(f"--journey: journey '{ident}' is not in the analysis report")
    return JourneyView(ent, journeys[ident], figures, options.lanes)
