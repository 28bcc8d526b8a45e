"""The SVG of the journey swimlanes, from the built-in grid layout.

Step names, units and roles are wrapped, never cut: a PNG, a PDF or an image on GitHub
has no tooltips, so the picture shows whole what the designer wrote. Every step box of a
journey has the height of its tallest one, and the lanes grow with it. Rework loops leave
the sending step at its bottom and enter the target step at its bottom, routed through the
gaps between the boxes (:mod:`orgmodel.views.route`), never under a box they do not join.
"""

from __future__ import annotations

import itertools

from orgmodel.analysis.valuestream import ReworkLoop
from orgmodel.durations import format_duration
from orgmodel.model import Layer, Step
from orgmodel.views.journey import CUSTOMER, Handoff, JourneyView, problems
from orgmodel.views.journey_rework import REWORK, complete_accurate, rework_label, rework_text
from orgmodel.views.route import CLEAR, Point, Rect, Router, crosses, polyline
from orgmodel.views.style import CROSSING, LAYER, crossing_legend
from orgmodel.views.svg import Svg, num, text_width, wrap

__all__ = ["write_svg"]

LABEL_W, COL_W, STEP_W, STEP_H = 176.0, 188.0, 134.0, 86.0
LANE_PAD, CUSTOMER_H = 26.0, 70.0
MARGIN, HEADER = 24.0, 104.0
NAME, SMALL = 13.1, 11.5  # line heights of the step name and of the smaller lines


def write_svg(view: JourneyView) -> str:
    """The swimlanes of ``view`` as SVG."""
    return _Drawing(view).source()


class _Drawing:
    """The swimlane picture: lanes, steps, handoffs and the legend."""

    def __init__(self, view: JourneyView) -> None:
        self.v = view
        self.texts = [self._texts(i + 1, s) for i, s in enumerate(view.journey.steps)]
        self.step_h = max([STEP_H, *(self._height(t) for t in self.texts)])
        self.lane_h = self.step_h + LANE_PAD
        steps = view.journey.steps
        self.quality = bool(view.loops) or any(s.complete_accurate is not None for s in steps)

    def _texts(self, number: int, step: Step) -> tuple[list[str], list[str], list[str]]:
        """The wrapped name, the unit and role lines, and the flags of a step."""
        name = list(wrap(step.name, STEP_W - 12, 10.5, bold=True))
        extra = [t for e in self.v._step_lines(number, step) for t in wrap(e, STEP_W - 12, 9)]
        flags = (
            [] if step.complete_accurate is None else [complete_accurate(step.complete_accurate)]
        )
        if not step.value_adding:
            flags.append("not value-adding")
        if step.problems:
            flags.append(problems(step))
        return name, extra, [t for f in flags for t in wrap(f, STEP_W - 12, 9)]

    @staticmethod
    def _height(texts: tuple[list[str], list[str], list[str]]) -> float:
        name, extra, flags = texts
        return 29 + len(name) * NAME + (len(extra) + len(flags)) * SMALL

    def _lane_top(self, index: int) -> float:
        return HEADER + CUSTOMER_H + index * self.lane_h

    def _step_box(self, number: int) -> tuple[float, float]:
        lane = self.v.lane_index[self.v.lane_of[number - 1]]
        x = MARGIN + LABEL_W + (number - 1) * COL_W + (COL_W - STEP_W) / 2
        y = self._lane_top(lane) + (self.lane_h - self.step_h) / 2
        return x, y

    def source(self) -> str:
        """SVG swimlanes from the built-in grid layout."""
        v = self.v
        steps = v.journey.steps
        width = max(MARGIN * 2 + LABEL_W + len(steps) * COL_W, 900.0)
        lanes_bottom = self._lane_top(len(v.lanes))
        svg = Svg(width, lanes_bottom + (120 if self.quality else 96), v._title())
        svg.text(MARGIN, 30, v._title(), 18, "start", "bold")
        for i, line in enumerate(v._facts()):
            svg.text(MARGIN, 52 + i * 16, line, 11, "start", fill="#3e4c59")
        full = width - MARGIN
        top = HEADER
        svg.open("lane customer", CUSTOMER, title="Customer: touchpoints")
        svg.rect(MARGIN, top, full - MARGIN, CUSTOMER_H, "#fff8e6", "#d9a441", 1)
        svg.text(MARGIN + 10, top + CUSTOMER_H / 2 + 4, "Customer", 12, "start", "bold")
        svg.close()
        for index, lane in enumerate(v.lanes):
            y = self._lane_top(index)
            style = LAYER[Layer(lane.layer)]
            svg.open(
                "lane",
                lane.key,
                title=f"{lane.title} ({lane.subtitle})" if lane.subtitle else lane.title,
            )
            svg.rect(
                MARGIN,
                y,
                full - MARGIN,
                self.lane_h,
                "#f7f9fb" if index % 2 else "#ffffff",
                "#cbd2d9",
                1,
            )
            svg.rect(MARGIN, y, LABEL_W - 8, self.lane_h, style.fill, style.stroke, 1)
            names = wrap(lane.title, LABEL_W - 24, 12, bold=True)
            subs = wrap(lane.subtitle, LABEL_W - 24, 10) if lane.subtitle else ()
            base = y + self.lane_h / 2 - (len(names) - 1) * 8 - len(subs) * 6
            svg.lines(MARGIN + 10, base, names, 12, 1.3, anchor="start", weight="bold")
            svg.lines(
                MARGIN + 10,
                base + len(names) * 15.6,
                subs,
                10,
                1.25,
                anchor="start",
                italic=True,
                fill="#52606d",
            )
            svg.close()
        svg.path(f"M{num(MARGIN)},{num(top + CUSTOMER_H)}H{num(full)}", "#d9a441", 1.5, "6,3")
        svg.text(
            full - 4,
            top + CUSTOMER_H - 5,
            "line of interaction",
            9,
            "end",
            fill="#b7791f",
            italic=True,
        )
        routes = self._routes()
        runs = [ab for _, points in routes for ab in itertools.pairwise(points)]
        for h in v.handoffs:
            self._handoff(svg, h, runs)
        for i, step in enumerate(steps):
            self._step(svg, i + 1, step, top)
        self._rework(svg, routes)
        crossing_legend(svg, MARGIN, lanes_bottom + 26)
        if self.quality:
            self._quality_legend(svg, MARGIN, lanes_bottom + 94)
        return svg.source()

    def _touch(self, number: int, step: Step) -> tuple[Rect, tuple[str, ...]]:
        """The box of a step's touchpoint in the customer lane, and its wrapped label."""
        x, _ = self._step_box(number)
        label = wrap(step.channel or "touchpoint", STEP_W - 30, 10) or ("",)
        w = max([96.0, *(text_width(t, 10) + 16 for t in label)])
        h = 24 + (len(label) - 1) * 12
        return (x + STEP_W / 2 - w / 2, HEADER + 34 - h / 2, w, h), label

    def _routes(self) -> list[tuple[ReworkLoop, list[Point]]]:
        """The rework loops, each from the bottom of the sending step back to the bottom of
        its target, around every other box (steps and touchpoints)."""
        loops = self.v.loops
        if not loops:
            return []
        out = CLEAR + 1
        sent: dict[int, int] = {}
        taken: dict[int, int] = {}
        lines: list[tuple[Point, Point, Point, Point]] = []
        for loop in loops:
            (ax, ay), (bx, by) = self._step_box(loop.step), self._step_box(loop.to_step)
            k, m = sent.get(loop.step, 0), taken.get(loop.to_step, 0)
            sent[loop.step], taken[loop.to_step] = k + 1, m + 1
            a = ax + STEP_W / 2 + 16 + 10 * k
            b = bx + STEP_W / 2 - 16 - 10 * m
            ya, yb = ay + self.step_h, by + self.step_h
            lines.append(((a, ya), (a, ya + out), (b, yb + out), (b, yb + 3)))
        steps = self.v.journey.steps
        boxes: list[Rect] = [
            (*self._step_box(n), STEP_W, self.step_h) for n in range(1, len(steps) + 1)
        ]
        boxes += [self._touch(n, s)[0] for n, s in enumerate(steps, 1) if s.touchpoint]
        router = Router(boxes, [(start, end) for _, start, end, _ in lines], LANE_PAD)
        return [
            (loop, [side, *router.route(start, end), head])
            for loop, (side, start, end, head) in zip(loops, lines, strict=True)
        ]

    def _rework(self, svg: Svg, routes: list[tuple[ReworkLoop, list[Point]]]) -> None:
        """The rework loops, dashed, labelled with the share on their longest run."""
        for loop, points in routes:
            svg.open("rework", f"{loop.step}:{loop.to_step}", title=rework_text(loop))
            svg.path(polyline(points), REWORK, 1.4, "5,3", arrow=True)
            p, q = max(
                itertools.pairwise(points),
                key=lambda pq: abs(pq[1][0] - pq[0][0]) if pq[0][1] == pq[1][1] else -1.0,
            )
            text_ = rework_label(loop)
            w = text_width(text_, 9.5) + 14
            cx, cy = (p[0] + q[0]) / 2, (p[1] + q[1]) / 2
            svg.rect(cx - w / 2, cy - 8, w, 16, "#ffffff", REWORK, 1, rx=8)
            svg.text(cx, cy + 3.5, text_, 9.5, fill=REWORK)
            svg.close()

    @staticmethod
    def _quality_legend(svg: Svg, x: float, y: float) -> None:
        svg.open("legend quality")
        svg.path(f"M{num(x)},{num(y)}h34", REWORK, 1.4, "5,3", arrow=True)
        svg.text(x + 42, y + 4, "rework loop: share of the step's cases sent back", 10, "start")
        x += 330
        svg.text(x, y + 4, "%C&A 80 %", 9, "start", fill="#3e4c59")
        svg.text(
            x + 58,
            y + 4,
            "percent complete and accurate: output the next step can use as it is",
            10,
            "start",
        )
        svg.close()

    def _step(self, svg: Svg, number: int, step: Step, customer_top: float) -> None:
        x, y = self._step_box(number)
        if step.touchpoint:
            cx = x + STEP_W / 2
            touch, label = self._touch(number, step)
            svg.open(
                "touchpoint",
                str(number),
                title=f"step {number}: the customer takes part"
                + (f" ({step.channel})" if step.channel else ""),
            )
            svg.path(f"M{num(cx)},{num(customer_top + 46)}V{num(y)}", "#d9a441", 1.2, "3,3")
            svg.rect(*touch, "#ffe7a3", "#d9a441", 1.2, rx=12)
            svg.lines(cx, customer_top + 38 - (len(label) - 1) * 6, label, 10, 1.2)
            svg.close()
        tip = f"{number}. {step.name}\nunit: {self.v._name(step.unit)}"
        if step.role:
            tip += f" ({step.role})"
        if step.work:
            tip += f"\nwork {format_duration(step.work)}"
        for p in step.problems:
            tip += f"\nproblem (weight {p.weight}): {p.text}"
        svg.open("step", step.id or str(number), title=tip, number=str(number), unit=step.unit)
        svg.rect(
            x,
            y,
            STEP_W,
            self.step_h,
            "#ffffff" if step.value_adding else "#eef0f2",
            "#1f2933" if step.touchpoint else "#7b8794",
            2 if step.touchpoint else 1.2,
            rx=6,
            dash=None if step.value_adding else "4,3",
        )
        svg.rect(x, y, 22, 16, "#1f2933", rx=4)
        svg.text(x + 11, y + 12, str(number), 10, weight="bold", fill="#ffffff")
        name, extra, flags = self.texts[number - 1]
        y0 = y + 29
        svg.lines(x + 6, y0, name, 10.5, 1.25, anchor="start", weight="bold")
        y0 += len(name) * NAME
        for text_ in extra:
            svg.text(x + 6, y0, text_, 9, "start", italic=True, fill="#52606d")
            y0 += SMALL
        for flag in flags:
            svg.text(
                x + 6,
                y0,
                flag,
                9,
                "start",
                fill="#9b2c2c"
                if "problem" in flag or "weight" in flag
                else "#3e4c59"
                if flag.startswith("%C&A")
                else "#7b8794",
            )
            y0 += SMALL
        svg.close()

    def _handoff(self, svg: Svg, h: Handoff, runs: list[tuple[Point, Point]]) -> None:
        """The handoff arrow; its waiting time where no rework line (``runs``) passes."""
        ax, ay = self._step_box(h.number - 1)
        bx, by = self._step_box(h.number)
        x0, y0 = ax + STEP_W, ay + self.step_h / 2
        x1, y1 = bx, by + self.step_h / 2
        mid = (x0 + x1) / 2
        line = CROSSING[h.kind]
        svg.open(f"handoff {h.kind}", str(h.number), title=self.v._crossing_text(h))
        if abs(y0 - y1) < 0.5:
            d = f"M{num(x0)},{num(y0)}H{num(x1 - 2)}"
        else:
            d = f"M{num(x0)},{num(y0)}H{num(mid)}V{num(y1)}H{num(x1 - 2)}"
        svg.path(d, line.color, line.width, line.dash, arrow=True)
        if h.wait:
            text_ = format_duration(h.wait)
            w = max(30.0, len(text_) * 6.4 + 10)
            if abs(y0 - y1) >= 0.5:
                places = [(y0 + y1) / 2, y0 + (y1 - y0) / 4, y0 + (y1 - y0) * 3 / 4]
            else:
                places = [y0 - 14, y0 + 14]
            cy = next(
                (
                    c
                    for c in places
                    if not any(
                        crosses(a, b, (mid - w / 2 - 4, c - 12, mid + w / 2 + 4, c + 12))
                        for a, b in runs
                    )
                ),
                places[0],
            )
            svg.rect(mid - w / 2, cy - 8, w, 16, "#ffffff", line.color, 1, rx=8)
            svg.text(
                mid,
                cy + 4,
                text_,
                9.5,
                weight="bold" if h.crossing else None,
                fill=line.color if h.crossing else "#3e4c59",
            )
        svg.close()
