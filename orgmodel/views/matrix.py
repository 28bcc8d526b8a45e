"""The silo matrix: journeys x silos as a heat map.

Each cell counts the steps a journey takes in a silo and the silo crossings into it; the
colour tells uncovered crossings (red, deeper with more) from crossings that the journey's
owner covers (amber). Rows are the journeys worst first, as the analysis
orders them (most uncovered crossings, crossings, waiting at handoffs); columns are the
silos in the order of the reporting tree. Every number comes from the report's silo
section (:class:`orgmodel.analysis.silos.MatrixCell`).

A large document (an imported service-desk log has hundreds of silos and thousands of
variants) would give millions of cells, so the matrix shows the ``top`` journeys of the
highest volume (default :data:`TOP`; without volumes, the worst ones) and the
:data:`SILOS` silos with the most crossings into them (then steps); the other journeys are
summed in one row ``other journeys (K)`` and the other silos in one column
``other silos (K)``, drawn uncoloured (the heat colours compare single journeys), and the
subtitle says what was summed. Documents within both limits are drawn whole.
"""

from __future__ import annotations

from orgmodel.analysis.silos import JourneyFigures, MatrixCell
from orgmodel.graph import Enterprise
from orgmodel.views.base import ViewContext, ViewOptions
from orgmodel.views.dot import write_dot
from orgmodel.views.mermaid import write_mermaid
from orgmodel.views.scene import Cell, Line, Run, Scene, Table, Text
from orgmodel.views.style import COVERED, EMPTY, STEPS_ONLY, crossing_fill, ink
from orgmodel.views.svg import Svg, fit, wrap

__all__ = ["MatrixView", "build", "name", "per_journey", "title"]

name = "matrix"
title = "Silo matrix"
per_journey = False

ROW_HEAD, COL_W, ROW_H, COL_HEAD, TAIL_W = 240.0, 108.0, 46.0, 74.0, 128.0
MARGIN, HEADER = 24.0, 78.0
TOP = 50
"""Journeys drawn one per row by default (``orgmodel render --top N``)."""
SILOS = 40
"""Silos drawn one per column; the others are summed in one column."""
SUMMED = "#eceff3"  # the fill of the summed row and column
ALL = "#"  # the id of the summed row and column in element ids (no document id has a "#")

Tally = tuple[int, int, int]
"""Steps, crossings in and uncovered crossings in, of a cell (one or summed)."""


class MatrixView:
    """The journeys x silos heat map (see the module docstring)."""

    prefer_graphviz = False

    def __init__(
        self,
        ent: Enterprise,
        journeys: list[JourneyFigures],
        cells: list[MatrixCell],
        top: int = TOP,
        silos: int = SILOS,
    ) -> None:
        self.ent = ent
        self.journeys = len(journeys)
        uncovered: dict[tuple[str, str], int] = {}
        for j in journeys:
            for c in j.crossing_list:
                if not c.covered:
                    key = (j.journey, c.to_silo)
                    uncovered[key] = uncovered.get(key, 0) + 1
        by_volume = sorted(range(len(journeys)), key=lambda i: -(journeys[i].volume or -1.0))
        shown = set(by_volume[:top])
        self.rows = [j for i, j in enumerate(journeys) if i in shown]
        self.other_rows = [j for i, j in enumerate(journeys) if i not in shown]
        rank = {ident: i for i, ident in enumerate(ent.tree.ids[v] for v in ent.tree.preorder)}
        weight: dict[str, tuple[int, int]] = {}
        for cell in cells:
            n, k = weight.get(cell.silo, (0, 0))
            weight[cell.silo] = (n + cell.crossings_in, k + cell.steps)
        busiest = sorted(weight, key=lambda s: (-weight[s][0], -weight[s][1], rank.get(s, -1), s))
        order = {s: (rank.get(s, -1), s) for s in weight}
        self.columns = sorted(busiest[:silos], key=order.__getitem__)
        self.other_columns = sorted(busiest[silos:], key=order.__getitem__)
        column = {s: s for s in self.columns}
        row = {j.journey: j.journey for j in self.rows}
        # (journey or None for the summed row, silo or None for the summed column) -> tally
        self.tallies: dict[tuple[str | None, str | None], Tally] = {}
        for cell in cells:
            at = (row.get(cell.journey), column.get(cell.silo))
            n, k, u = self.tallies.get(at, (0, 0, 0))
            open_ = uncovered.get((cell.journey, cell.silo), 0)
            self.tallies[at] = (n + cell.steps, k + cell.crossings_in, u + open_)
        self.most = max(
            (u for (j, s), (_, _, u) in self.tallies.items() if j is not None and s is not None),
            default=0,
        )

    def tally(self, journey: str | None, silo: str | None) -> Tally | None:
        """Steps, crossings in and uncovered crossings in of a cell; None: no step there.
        ``journey`` None is the row of the other journeys, ``silo`` None the column of the
        other silos."""
        return self.tallies.get((journey, silo))

    def _fill(self, journey: str | None, silo: str | None, t: Tally) -> str:
        if journey is None or silo is None:
            return SUMMED
        return crossing_fill(t[2], t[1], self.most)

    def _keys(self) -> list[str | None]:
        return [*self.columns, *([None] if self.other_columns else [])]

    def _rows(self) -> list[tuple[str | None, str, int, int]]:
        """Every row: journey id (None: the others), name, crossings and uncovered ones."""
        out: list[tuple[str | None, str, int, int]] = [
            (j.journey, j.name, j.crossings, j.uncovered_crossings) for j in self.rows
        ]
        if self.other_rows:
            out.append(
                (
                    None,
                    f"other journeys ({len(self.other_rows):,})",
                    sum(j.crossings for j in self.other_rows),
                    sum(j.uncovered_crossings for j in self.other_rows),
                )
            )
        return out

    def _column_name(self, silo: str | None) -> str:
        return f"other silos ({len(self.other_columns):,})" if silo is None else self._name(silo)

    def _name(self, unit: str) -> str:
        found = self.ent.units.get(unit)
        return found.name if found else unit

    def _title(self) -> str:
        return f"Silo matrix: {self.ent.document.name}"

    def _subtitle(self) -> str:
        every = [*self.rows, *self.other_rows]
        crossings = sum(j.crossings for j in every)
        uncovered = sum(j.uncovered_crossings for j in every)
        silos = len(self.columns) + len(self.other_columns)
        out = (
            f"{self.journeys} journey{'' if self.journeys == 1 else 's'} x {silos} "
            f"silo{'' if silos == 1 else 's'}; {crossings} silo crossing"
            f"{'' if crossings == 1 else 's'} ({uncovered} uncovered). Cell: steps in the "
            "silo / crossings into it; red: uncovered crossings, amber: covered only."
        )
        summed = []
        if self.other_rows:
            with_volume = any(j.volume is not None for j in every)
            summed.append(
                f"the {len(self.rows)} of {self.journeys:,} journeys with the highest "
                f"volume{'' if with_volume else ' (none gives one: the worst)'}"
            )
        if self.other_columns:
            summed.append(f"the {len(self.columns)} of {silos:,} silos with the most crossings in")
        if summed:
            out += f" Shown: {' and '.join(summed)}; the others summed in grey."
        return out

    @staticmethod
    def _cell_text(t: Tally) -> tuple[str, str]:
        steps = f"{t[0]:,} step{'s' if t[0] != 1 else ''}"
        n, open_ = t[1], t[2]
        if not n:
            return steps, ""
        if open_ in (0, n):
            return steps, f"{n:,} {'uncovered' if open_ else 'covered'}"
        return steps, f"{open_:,} of {n:,} uncovered"

    @staticmethod
    def _row_total(crossings: int, uncovered: int) -> str:
        return f"{crossings:,} crossings, {uncovered:,} uncovered"

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
        keys = self._keys()
        rows = [
            (
                Cell(corner, "corner", head, True),
                *(Cell(_plain(self._column_name(s)), ("silo", s or ALL), head, True) for s in keys),
                Cell(_plain("crossings"), "total", head, True),
            )
        ]
        for ident, name_, crossings, uncovered in self._rows():
            j = ident or ALL
            row = [Cell(_plain(name_), ("j", j), align="left")]
            for s in keys:
                t = self.tally(ident, s)
                key = ("c", f"{j}/{s or ALL}")
                if t is None:
                    row.append(Cell(_plain(" "), key, EMPTY))
                    continue
                steps, cross = self._cell_text(t)
                fill = self._fill(ident, s, t)
                color = ink(fill) if ink(fill) != ink(EMPTY) else None  # light on dark
                lines = [Line.of(Run(steps, color=color))]
                if cross:
                    lines.append(Line.of(Run(cross, bold=True, color=color)))
                row.append(
                    Cell(Text(tuple(lines)), key, fill, dom_id=f"cell:{j}:{s or ALL}", color=color)
                )
            row.append(Cell(_plain(self._row_total(crossings, uncovered)), ("t", j)))
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
        """SVG heat map from the built-in grid layout; names are wrapped, never cut."""
        keys = self._keys()
        rows = self._rows()
        width = MARGIN * 2 + ROW_HEAD + len(keys) * COL_W + TAIL_W
        heads = [wrap(self._column_name(s), COL_W - 10, 11, bold=True) for s in keys]
        col_head = max([COL_HEAD, *(len(n) * 13.5 + 20 for n in heads)])
        names = [wrap(name_, ROW_HEAD - 16, 11.5, bold=True) for _, name_, _, _ in rows]
        heights = [max(ROW_H, len(n) * 13.8 + 12) for n in names]
        top = HEADER + col_head
        height = top + sum(heights) + 80
        svg = Svg(max(width, 720.0), height, self._title())
        svg.text(MARGIN, 30, self._title(), 18, "start", "bold")
        subtitle = fit(self._subtitle(), max(width, 720.0) - 2 * MARGIN, 11, 2)
        svg.lines(MARGIN, 50, subtitle, 11, 1.3, anchor="start", fill="#3e4c59")
        left = MARGIN + ROW_HEAD
        for k, s in enumerate(keys):
            x = left + k * COL_W
            svg.open("silo", s or ALL, title=self._column_name(s))
            svg.rect(x, HEADER, COL_W, col_head, "#f0f2f5" if s else SUMMED, "#cbd2d9", 1)
            y = HEADER + col_head - 10 - (len(heads[k]) - 1) * 13.5
            svg.lines(x + COL_W / 2, y, heads[k], 11, 1.23, weight="bold")
            svg.close()
        tail = left + len(keys) * COL_W
        svg.rect(tail, HEADER, TAIL_W, col_head, "#f0f2f5", "#cbd2d9", 1)
        svg.text(tail + TAIL_W / 2, HEADER + col_head - 10, "silo crossings", 11, weight="bold")
        y = top
        for (ident, name_, crossings, uncovered), lines, row_h in zip(
            rows, names, heights, strict=True
        ):
            j = ident or ALL
            mid = y + row_h / 2
            svg.open("journey", j, title=name_)
            svg.rect(MARGIN, y, ROW_HEAD, row_h, "#f7f9fb" if ident else SUMMED, "#cbd2d9", 1)
            svg.lines(
                MARGIN + 8,
                mid + 4 - (len(lines) - 1) * 7,
                lines,
                11.5,
                1.2,
                anchor="start",
                weight="bold",
            )
            svg.close()
            for k, s in enumerate(keys):
                x = left + k * COL_W
                t = self.tally(ident, s)
                if t is None:
                    svg.rect(x, y, COL_W, row_h, EMPTY, "#e4e7eb", 1)
                    continue
                steps, cross = self._cell_text(t)
                svg.open(
                    "cell",
                    f"{j}/{s or ALL}",
                    title=f"{name_} in {self._column_name(s)}: {steps}"
                    + (f"; crossings into the silo: {cross}" if cross else ""),
                    journey=j,
                    silo=s or ALL,
                )
                fill = self._fill(ident, s, t)
                svg.rect(x, y, COL_W, row_h, fill, "#cbd2d9", 1)
                color = ink(fill)
                svg.text(x + COL_W / 2, mid + (-4 if cross else 4), steps, 10.5, fill=color)
                if cross:
                    svg.text(x + COL_W / 2, mid + 11, cross, 10.5, weight="bold", fill=color)
                svg.close()
            svg.rect(tail, y, TAIL_W, row_h, "#ffffff", "#cbd2d9", 1)
            svg.text(tail + TAIL_W / 2, mid - 3, f"{crossings:,} crossings", 10.5, weight="bold")
            svg.text(
                tail + TAIL_W / 2,
                mid + 12,
                f"{uncovered:,} uncovered",
                10,
                fill="#d0312d" if uncovered else "#52606d",
            )
            y += row_h
        self._legend(svg, MARGIN, y + 30)
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
    """The journeys x silos heat map of ``ctx``'s report: the ``options.top`` journeys of the
    highest volume, the others summed."""
    section = ctx.silos
    return MatrixView(ctx.enterprise, list(section.journeys), list(section.matrix), options.top)
