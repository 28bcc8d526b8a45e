"""The silo matrix: journeys x silos as a heat map.

Each cell counts the steps a journey takes in a silo and the silo crossings into it; the
colour tells uncovered crossings (red, deeper with more) from crossings that the journey's
owner covers (amber). Rows are the journeys worst first, as the analysis
orders them (most uncovered crossings, crossings, waiting at handoffs); columns are the
silos in the order of the reporting tree. Every number comes from the report's silo
section (:class:`orgmodel.analysis.silos.MatrixCell`).
"""

from __future__ import annotations

from orgmodel.analysis.silos import JourneyFigures, MatrixCell
from orgmodel.graph import Enterprise
from orgmodel.views.base import ViewContext, ViewOptions
from orgmodel.views.dot import write_dot
from orgmodel.views.mermaid import write_mermaid
from orgmodel.views.scene import Cell, Line, Run, Scene, Table, Text
from orgmodel.views.style import COVERED, EMPTY, STEPS_ONLY, crossing_fill, ink
from orgmodel.views.svg import Svg, fit

__all__ = ["MatrixView", "build", "name", "per_journey", "title"]

name = "matrix"
title = "Silo matrix"
per_journey = False

ROW_HEAD, COL_W, ROW_H, COL_HEAD, TAIL_W = 240.0, 108.0, 46.0, 74.0, 128.0
MARGIN, HEADER = 24.0, 78.0


class MatrixView:
    """The journeys x silos heat map (see the module docstring)."""

    prefer_graphviz = False

    def __init__(
        self, ent: Enterprise, journeys: list[JourneyFigures], cells: list[MatrixCell]
    ) -> None:
        self.ent = ent
        self.rows = journeys
        rank = {ident: i for i, ident in enumerate(ent.tree.ids[v] for v in ent.tree.preorder)}
        self.columns = sorted({c.silo for c in cells}, key=lambda s: (rank.get(s, -1), s))
        self.cells = {(c.journey, c.silo): c for c in cells}
        self.uncovered: dict[tuple[str, str], int] = {}
        for j in journeys:
            for c in j.crossing_list:
                if not c.covered:
                    key = (j.journey, c.to_silo)
                    self.uncovered[key] = self.uncovered.get(key, 0) + 1
        self.most = max(self.uncovered.values(), default=0)

    def _fill(self, cell: MatrixCell) -> str:
        return crossing_fill(
            self.uncovered.get((cell.journey, cell.silo), 0), cell.crossings_in, self.most
        )

    def _name(self, unit: str) -> str:
        found = self.ent.units.get(unit)
        return found.name if found else unit

    def _title(self) -> str:
        return f"Silo matrix: {self.ent.document.name}"

    def _subtitle(self) -> str:
        crossings = sum(j.crossings for j in self.rows)
        uncovered = sum(j.uncovered_crossings for j in self.rows)
        return (
            f"{len(self.rows)} journeys x {len(self.columns)} silos; {crossings} silo "
            f"crossings ({uncovered} uncovered). Cell: steps in the silo / crossings into "
            "it; red: uncovered crossings, amber: covered only."
        )

    def _cell_text(self, cell: MatrixCell) -> tuple[str, str]:
        steps = f"{cell.steps} step{'s' if cell.steps != 1 else ''}"
        open_ = self.uncovered.get((cell.journey, cell.silo), 0)
        n = cell.crossings_in
        if not n:
            return steps, ""
        if open_ in (0, n):
            return steps, f"{n} {'uncovered' if open_ else 'covered'}"
        return steps, f"{open_} of {n} uncovered"

    @staticmethod
    def _row_total(j: JourneyFigures) -> str:
        return f"{j.crossings} crossings, {j.uncovered_crossings} uncovered"

    # -- DOT and Mermaid ------------------------------------------------------------------

    def graphviz_input(self) -> tuple[str, tuple[str, ...]]:
        """The DOT source (one HTML table), laid out by ``dot``."""
        return self.to_dot(), ("dot",)

    def to_dot(self) -> str:
        """DOT source: the heat map as one HTML-like table."""
        return write_dot(self.scene())

    def to_mermaid(self) -> str:
        """Mermaid block diagram: a grid of blocks, coloured by crossings."""
        return write_mermaid(self.scene())

    def scene(self) -> Scene:
        """The heat map as a scene of one table."""
        head = "#f0f2f5"
        corner = Text.of(
            Line.of(Run("journey \\ silo"), only="dot"), Line.of(Run("journey / silo"), only="mmd")
        )
        rows = [
            (
                Cell(corner, "corner", head, True),
                *(Cell(_plain(self._name(s)), ("silo", s), head, True) for s in self.columns),
                Cell(_plain("crossings"), "total", head, True),
            )
        ]
        for j in self.rows:
            row = [Cell(_plain(j.name), ("j", j.journey), align="left")]
            for s in self.columns:
                cell = self.cells.get((j.journey, s))
                key = ("c", f"{j.journey}/{s}")
                if cell is None:
                    row.append(Cell(_plain(" "), key, EMPTY))
                    continue
                steps, cross = self._cell_text(cell)
                fill = self._fill(cell)
                color = ink(fill) if ink(fill) != ink(EMPTY) else None  # light on dark
                lines = [Line.of(Run(steps, color=color))]
                if cross:
                    lines.append(Line.of(Run(cross, bold=True, color=color)))
                row.append(
                    Cell(Text(tuple(lines)), key, fill, dom_id=f"cell:{j.journey}:{s}", color=color)
                )
            row.append(Cell(_plain(self._row_total(j)), ("t", j.journey)))
            rows.append(tuple(row))
        return Scene(
            "matrix",
            (Table("matrix", tuple(rows), (("id", "matrix"),)),),
            (
                ("fontname", "DejaVu Sans"),
                ("labelloc", "t"),
                ("labeljust", "l"),
                (
                    "label",
                    Text.of(
                        Line.of(Run(self._title(), bold=True)),
                        Line.of(Run(self._subtitle(), size=10)),
                    ),
                ),
            ),
            (("shape", "plaintext"), ("fontname", "DejaVu Sans"), ("fontsize", "10")),
            dot_comments=("orgmodel silo matrix; render with `dot`",),
            mermaid_header="block-beta",
            mermaid_comments=(self._title(), self._subtitle()),
        )

    # -- SVG ---------------------------------------------------------------------------

    def to_svg(self) -> str:
        """SVG heat map from the built-in grid layout."""
        width = MARGIN * 2 + ROW_HEAD + len(self.columns) * COL_W + TAIL_W
        top = HEADER + COL_HEAD
        height = top + len(self.rows) * ROW_H + 80
        svg = Svg(max(width, 720.0), height, self._title())
        svg.text(MARGIN, 30, self._title(), 18, "start", "bold")
        svg.text(MARGIN, 50, self._subtitle(), 11, "start", fill="#3e4c59")
        left = MARGIN + ROW_HEAD
        for k, s in enumerate(self.columns):
            x = left + k * COL_W
            svg.open("silo", s, title=self._name(s))
            svg.rect(x, HEADER, COL_W, COL_HEAD, "#f0f2f5", "#cbd2d9", 1)
            names = fit(self._name(s), COL_W - 10, 11, 3, bold=True)
            y = HEADER + COL_HEAD - 10 - (len(names) - 1) * 13.5
            svg.lines(x + COL_W / 2, y, names, 11, 1.23, weight="bold")
            svg.close()
        svg.rect(
            left + len(self.columns) * COL_W, HEADER, TAIL_W, COL_HEAD, "#f0f2f5", "#cbd2d9", 1
        )
        svg.text(
            left + len(self.columns) * COL_W + TAIL_W / 2,
            HEADER + COL_HEAD - 10,
            "silo crossings",
            11,
            weight="bold",
        )
        for r, j in enumerate(self.rows):
            y = top + r * ROW_H
            svg.open("journey", j.journey, title=j.name)
            svg.rect(MARGIN, y, ROW_HEAD, ROW_H, "#f7f9fb", "#cbd2d9", 1)
            names = fit(j.name, ROW_HEAD - 16, 11.5, 2, bold=True)
            svg.lines(
                MARGIN + 8,
                y + ROW_H / 2 + 4 - (len(names) - 1) * 7,
                names,
                11.5,
                1.2,
                anchor="start",
                weight="bold",
            )
            svg.close()
            for k, s in enumerate(self.columns):
                x = left + k * COL_W
                cell = self.cells.get((j.journey, s))
                if cell is None:
                    svg.rect(x, y, COL_W, ROW_H, EMPTY, "#e4e7eb", 1)
                    continue
                steps, cross = self._cell_text(cell)
                svg.open(
                    "cell",
                    f"{j.journey}/{s}",
                    title=f"{j.name} in {self._name(s)}: {steps}"
                    + (f"; crossings into the silo: {cross}" if cross else ""),
                    journey=j.journey,
                    silo=s,
                )
                fill = self._fill(cell)
                svg.rect(x, y, COL_W, ROW_H, fill, "#cbd2d9", 1)
                color = ink(fill)
                svg.text(x + COL_W / 2, y + (19 if cross else 27), steps, 10.5, fill=color)
                if cross:
                    svg.text(x + COL_W / 2, y + 34, cross, 10.5, weight="bold", fill=color)
                svg.close()
            tail = left + len(self.columns) * COL_W
            svg.rect(tail, y, TAIL_W, ROW_H, "#ffffff", "#cbd2d9", 1)
            svg.text(tail + TAIL_W / 2, y + 20, f"{j.crossings} crossings", 10.5, weight="bold")
            svg.text(
                tail + TAIL_W / 2,
                y + 35,
                f"{j.uncovered_crossings} uncovered",
                10,
                fill="#d0312d" if j.uncovered_crossings else "#52606d",
            )
        self._legend(svg, MARGIN, top + len(self.rows) * ROW_H + 30)
        return svg.source()

    def _legend(self, svg: Svg, x: float, y: float) -> None:
        svg.open("legend")
        svg.text(x, y + 12, "uncovered crossings into the silo:", 10, "start")
        x += 188
        for value in dict.fromkeys(
            range(1, max(1, self.most) + 1)
            if self.most <= 5
            else [1, *(round(self.most * f / 4) for f in range(2, 5))]
        ):
            svg.rect(x, y, 34, 18, crossing_fill(value, value, self.most), "#cbd2d9", 1)
            svg.text(
                x + 17, y + 13, str(value), 10, fill=ink(crossing_fill(value, value, self.most))
            )
            x += 38
        for fill, label in (
            (COVERED, "covered crossings only"),
            (STEPS_ONLY, "steps, no crossing in"),
            (EMPTY, "not in the silo"),
        ):
            x += 16
            svg.rect(x, y, 34, 18, fill, "#cbd2d9", 1)
            svg.text(x + 42, y + 13, label, 10, "start")
            x += 42 + len(label) * 6.2
        svg.close()


def _plain(text: str) -> Text:
    """A label of one plain line."""
    return Text.of(Line.of(Run(text)))


def build(ctx: ViewContext, options: ViewOptions) -> MatrixView:
    """The journeys x silos heat map of ``ctx``'s report."""
    section = ctx.silos
    return MatrixView(ctx.enterprise, list(section.journeys), list(section.matrix))
