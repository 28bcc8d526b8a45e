"""Dotted and matrix lines: the secondary reporting lines of units, and the suspicious ones.

A unit has one solid line (``parent``) and any number of dotted or matrix lines
(``lines``). Importers turn the further parents of a source with several (ArchiMate, the UK
government's organisations list, ``orgmodel import hris --rows units``) into dotted lines;
a line that leads back to the unit itself, along its own solid line, or a second time to
the same unit is then not dropped or drawn twice silently but reported here, for every
document, however it was made.

These are findings, not validation errors: every reference of such a line resolves, and
the structure, the journeys and the analysis stay meaningful; the finding says where the
line is and what to do, and it can be switched off or waived like any other.
"""

from __future__ import annotations

from orgmodel.analysis.base import AnalysisContext, Section, Table
from orgmodel.analysis.findings import Rule
from orgmodel.model import LineKind, Severity

__all__ = ["LinesSection", "name", "rules", "run"]

name: str = "lines"
title: str = "Dotted and matrix lines"

SELF_LINE = Rule(
    "S10",
    "line-to-itself",
    Severity.WARNING,
    "A unit has a dotted or matrix line to itself.",
    finds="A dotted or matrix line whose `to` is the unit that holds it.",
    why=(
        "A line to itself says nothing about who the unit works with; it is usually a slip "
        "of an import (a source that lists a unit among its own parents) or of an edit."
    ),
    fix="Remove the line, or point it to the unit that was meant.",
    example=(
        '{"units": [{"id": "board", "name": "Board", "kind": "board"}, {"id": "sales", '
        '"name": "Sales", "parent": "board", "lines": [{"to": "sales"}]}]}'
    ),
)
SOLID_LINE = Rule(
    "S11",
    "line-along-solid-line",
    Severity.WARNING,
    "A dotted or matrix line runs along the solid line: to the unit's own parent or child.",
    finds=(
        "A dotted or matrix line to the unit's own `parent` (it repeats the solid line) or "
        "to one of the unit's own child units (it runs against the solid line)."
    ),
    why=(
        "The solid line already ties the two units together; a second line between them is "
        "drawn on top of it and counts twice, or makes a child the superior of its own parent."
    ),
    fix=(
        "Remove the line; or, when the line is the relation that matters, move the unit so "
        "that the solid line goes where the authority is."
    ),
    example=(
        '{"units": [{"id": "board", "name": "Board", "kind": "board"}, {"id": "sales", '
        '"name": "Sales", "parent": "board", "lines": [{"to": "board"}]}]}'
    ),
)
DUPLICATE_LINE = Rule(
    "S12",
    "duplicate-line",
    Severity.WARNING,
    "A unit has two lines to the same unit.",
    finds=(
        "A unit with more than one dotted or matrix line to the same unit (of the same kind "
        "or not); one finding per repeated line."
    ),
    why=(
        "The same relation twice is drawn twice and counted twice; with different kinds it "
        "is unclear whether the line is advisory (dotted) or shared authority (matrix)."
    ),
    fix="Keep one line per pair of units, with the kind that holds.",
    example=(
        '{"units": [{"id": "board", "name": "Board", "kind": "board"}, {"id": "sales", '
        '"name": "Sales", "parent": "board"}, {"id": "it", "name": "IT", "parent": '
        '"board", "lines": [{"to": "sales"}, {"to": "sales", "kind": "matrix"}]}]}'
    ),
)

rules: tuple[Rule, ...] = (SELF_LINE, SOLID_LINE, DUPLICATE_LINE)


class LinesSection(Section):
    """Result of the lines analysis."""

    dotted: int
    """Dotted lines between units."""
    matrix: int
    """Matrix lines between units."""
    units_with_lines: int
    """Units that hold at least one dotted or matrix line."""
    suspicious: int
    """Lines to the unit itself, along its solid line, or repeated."""

    def headline(self) -> list[str]:
        if not self.dotted and not self.matrix:
            return []
        return [
            f"{self.dotted} dotted and {self.matrix} matrix line(s) on "
            f"{self.units_with_lines} unit(s); {self.suspicious} suspicious."
        ]

    def tables(self) -> list[Table]:
        return []


section: type[Section] = LinesSection


def run(ctx: AnalysisContext) -> LinesSection:
    """Count the lines and report the suspicious ones (linear in units and lines)."""
    units = ctx.enterprise.document.units
    holders = {u.id for u in units if u.lines}
    children: dict[str, set[str]] = {}  # of the units that hold lines (they may point there)
    if holders:
        for u in units:
            if u.parent in holders:
                children.setdefault(u.parent, set()).add(u.id)
    dotted = matrix = suspicious = 0
    for i, u in enumerate(units):
        if not u.lines:
            continue
        seen: dict[str, int] = {}
        below = children.get(u.id, set())
        for k, line in enumerate(u.lines):
            if line.kind is LineKind.MATRIX:
                matrix += 1
            else:
                dotted += 1
            path = ("units", i, "lines", k)
            kind = line.kind.value
            if line.to == u.id:
                suspicious += 1
                ctx.report(SELF_LINE, f"unit '{u.id}' has a {kind} line to itself", path, (u.id,))
            elif line.to == u.parent:
                suspicious += 1
                ctx.report(
                    SOLID_LINE,
                    f"unit '{u.id}' has a {kind} line to '{line.to}', its "
                    "own parent: the solid line already leads there",
                    path,
                    (u.id, line.to),
                )
            elif line.to in below:
                suspicious += 1
                ctx.report(
                    SOLID_LINE,
                    f"unit '{u.id}' has a {kind} line to '{line.to}', its own child unit",
                    path,
                    (u.id, line.to),
                )
            if line.to in seen:
                suspicious += line.to != u.id and line.to != u.parent and line.to not in below
                ctx.report(
                    DUPLICATE_LINE,
                    f"unit '{u.id}' has a second line to '{line.to}' "
                    f"(the first is lines[{seen[line.to]}])",
                    path,
                    (u.id, line.to),
                )
            else:
                seen[line.to] = k
    return LinesSection(
        dotted=dotted, matrix=matrix, units_with_lines=len(holders), suspicious=suspicious
    )
