"""A journey as swimlanes, service-blueprint style.

One lane per silo (or per unit with ``lanes="unit"``), in the order the journey first
enters them, and a customer lane on top that marks the touchpoints with their channel.
Steps stand in their columns, first to last; each handoff is an arrow with the waiting
time before the next step. Silo crossings are drawn boldly, green when the journey's
owner covers them and red when nobody does. Each declared rework loop is a dashed back edge
from the sending step to its target, labelled with its share, and each step that gives a
percent complete and accurate shows it in its box. The silo of each step and every crossing
come from the analysis report (:class:`orgmodel.analysis.silos.JourneyFigures`): this
view does not decide what a silo or a covered crossing is.
"""

from __future__ import annotations

from dataclasses import dataclass

from orgmodel.analysis.silos import Crossing, JourneyFigures
from orgmodel.analysis.valuestream import stream_figures
from orgmodel.durations import format_duration
from orgmodel.graph import Enterprise
from orgmodel.model import Journey, Layer, Step
from orgmodel.suggest import unknown
from orgmodel.views.base import ViewContext, ViewError, ViewOptions
from orgmodel.views.dot import write_dot
from orgmodel.views.journey_rework import REWORK, complete_accurate, rework_label, rework_text
from orgmodel.views.mermaid import write_mermaid
from orgmodel.views.scene import Cluster, Edge, Item, Line, Node, Rank, Run, Scene, Text
from orgmodel.views.style import CROSSING, LAYER

__all__ = ["JourneyView", "build", "name", "per_journey", "title"]

name = "journey"
title = "Journey swimlanes"
per_journey = True

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
    kind: str  # same, handoff, covered, uncovered (keys of style.CROSSING)
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

    def __init__(
        self, ent: Enterprise, journey: Journey, figures: JourneyFigures, lanes: str
    ) -> None:
        self.ent = ent
        self.journey = journey
        self.figures = figures
        self.silo_of = step_silos(figures)
        self.by_unit = lanes == "unit"
        keys = [s.unit for s in journey.steps] if self.by_unit else self.silo_of
        order: list[str] = []
        if self.by_unit:  # units grouped by the silo they belong to, silos in visit order
            first_silo = {s: i for i, s in reversed(list(enumerate(self.silo_of)))}
            seen = sorted(
                dict.fromkeys(keys),
                key=lambda u: (first_silo[self.silo_of[keys.index(u)]], keys.index(u)),
            )
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
        self.loops = stream_figures(ent, journey).rework_loops

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
        second = (
            f"{f.steps} steps, {f.handoffs} handoffs, {f.crossings} silo crossings "
            f"({f.uncovered_crossings} uncovered), customer passed on "
            f"{f.customer_handoffs}×"
        )
        third = (
            f"lead time {format_duration(f.lead_time)}: work {format_duration(f.work)}, "
            f"waiting {format_duration(f.wait)}; flow efficiency {eff}"
        )
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
            items.append(
                Cluster(
                    "cluster_lane:customer",
                    tuple(
                        Node(
                            f"touch:{number}",
                            step.channel or "touchpoint",
                            ("t", str(number)),
                            dom_id=True,
                            attrs=(
                                ("shape", "box"),
                                ("style", "rounded,filled"),
                                ("fillcolor", "#ffe7a3"),
                                ("fontsize", "9"),
                                ("width", "0.9"),
                            ),
                            shape="stadium",
                        )
                        for number, step in touch
                    ),
                    "Customer",
                    (("style", "filled"), ("fillcolor", "#fff8e6"), ("color", "#d9a441")),
                    "lane_customer",
                    "LR",
                )
            )
        for lane in self.lanes:
            style = LAYER[Layer(lane.layer)]
            label = [Line.of(Run(lane.title))]
            if lane.subtitle:
                label.append(Line.of(Run(lane.subtitle, size=9), only="dot"))
            items.append(
                Cluster(
                    f"cluster_lane:{lane.key}",
                    tuple(
                        self._step_node(i + 1, step)
                        for i, step in enumerate(j.steps)
                        if self.lane_of[i] == lane.key
                    ),
                    Text(tuple(label)),
                    (("style", "filled"), ("fillcolor", style.fill), ("color", style.stroke)),
                    ("lane", lane.key),
                    "LR",
                )
            )
        for number, _step in touch:
            items.append(
                Edge(
                    f"touch:{number}",
                    f"step:{number}",
                    (("style", "dotted"), ("arrowhead", "none"), ("color", "#d9a441")),
                    "dotted",
                    arrow=False,
                )
            )
            items.append(Rank((f"touch:{number}", f"step:{number}")))
        for h in self.handoffs:
            line = CROSSING[h.kind]
            wait = f"wait {format_duration(h.wait)}" if h.wait else None
            css = f"stroke:{line.color},stroke-width:{line.width}px"
            if line.dash:
                css += f",stroke-dasharray:{line.dash.replace(',', ' ')}"
            items.append(
                Edge(
                    f"step:{h.number - 1}",
                    f"step:{h.number}",
                    (
                        ("color", line.color),
                        ("penwidth", str(line.width)),
                        ("style", line.dot_style),
                        ("label", wait),
                        ("fontcolor", line.color if h.crossing else None),
                        ("tooltip", self._crossing_text(h)),
                        ("id", f"handoff:{h.number}"),
                        ("class", f"handoff {h.kind}"),
                    ),
                    "thick" if h.crossing else "solid",
                    True,
                    wait,
                    css,
                )
            )
        for loop in self.loops:
            share = rework_label(loop)
            items.append(
                Edge(
                    f"step:{loop.step}",
                    f"step:{loop.to_step}",
                    (
                        ("color", REWORK),
                        ("style", "dashed"),
                        ("penwidth", "1.4"),
                        ("constraint", "false"),
                        ("label", share),
                        ("fontcolor", REWORK),
                        ("tooltip", rework_text(loop)),
                        ("id", f"rework:{loop.step}:{loop.to_step}"),
                        ("class", "rework"),
                    ),
                    "dotted",
                    True,
                    share,
                    f"stroke:{REWORK},stroke-width:1.4px",
                )
            )
        title = Line.of(Run(self._title(), bold=True))
        return Scene(
            f"journey:{j.id}",
            tuple(items),
            (
                ("rankdir", "LR"),
                ("newrank", "true"),
                ("nodesep", "0.35"),
                ("ranksep", "0.45"),
                ("fontname", "DejaVu Sans"),
                ("labelloc", "t"),
                ("labeljust", "l"),
                ("label", Text((title, *(Line.of(Run(t, size=10)) for t in self._facts())))),
            ),
            (
                ("shape", "box"),
                ("style", "rounded,filled"),
                ("fillcolor", "#ffffff"),
                ("fontname", "DejaVu Sans"),
                ("fontsize", "10"),
                ("width", "1.7"),
            ),
            (("fontname", "DejaVu Sans"), ("fontsize", "9")),
            (f"orgmodel journey swimlanes of '{j.id}'; render with `dot`",),
            "flowchart LR",
            (self._title(), *self._facts()),
            (("waste", "fill:#eef0f2,stroke:#7b8794,stroke-dasharray:4 3"),),
        )

    def _step_node(self, number: int, step: Step) -> Node:
        lines = [Line.of(Run(str(number), bold=True), Run(f" {step.name}"))]
        lines += [Line.of(Run(t, italic=True, size=8)) for t in self._step_lines(number, step)]
        if step.complete_accurate is not None:
            lines.append(Line.of(Run(complete_accurate(step.complete_accurate), size=8)))
        if not step.value_adding:
            lines.append(Line.of(Run("not value-adding", size=8, color="#7b8794"), only="dot"))
        if step.problems:
            lines.append(Line.of(Run(problems(step), size=8, color="#9b2c2c")))
        return Node(
            f"step:{number}",
            Text(tuple(lines)),
            ("s", str(number)),
            "step",
            True,
            (
                ("style", "rounded,filled" + ("" if step.value_adding else ",dashed")),
                ("fillcolor", "#ffffff" if step.value_adding else "#eef0f2"),
                ("penwidth", "2" if step.touchpoint else None),
            ),
            mermaid_class=None if step.value_adding else "waste",
        )

    def _crossing_text(self, h: Handoff) -> str:
        c = h.crossing
        if c is None:
            return f"step {h.number - 1} -> {h.number}: {CROSSING[h.kind].label}"
        manager = (
            f"; first common manager {self._name(c.manager)}, {c.height} level(s) up"
            if c.manager
            else "; no common manager"
        )
        return (
            f"silo crossing {self._name(c.from_silo)} -> {self._name(c.to_silo)} "
            f"({'covered' if c.covered else 'uncovered'}){manager}; "
            f"wait {format_duration(c.wait)}"
        )

    # -- SVG ---------------------------------------------------------------------------

    def to_svg(self) -> str:
        """SVG swimlanes from the built-in grid layout (:mod:`orgmodel.views.journey_svg`)."""
        from orgmodel.views.journey_svg import write_svg

        return write_svg(self)


def problems(step: Step) -> str:
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
            raise ViewError(
                "the journey view needs --journey ID; journeys: "
                + (", ".join(journeys) or "none in this document")
            )
        ident = next(iter(journeys))
    if ident not in journeys:
        raise ViewError(unknown("--journey", "journey", ident, journeys))
    figures = next((f for f in ctx.silos.journeys if f.journey == ident), None)
    if figures is None:
        raise ViewError(f"--journey: journey '{ident}' is not in the analysis report")
    return JourneyView(ent, journeys[ident], figures, options.lanes)
