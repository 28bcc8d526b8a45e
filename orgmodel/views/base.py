"""What every view shares: its input (enterprise, analysis report, options) and its output."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Literal, Protocol

from orgmodel.analysis import silos as silo_family
from orgmodel.analysis.base import AnalysisContext
from orgmodel.analysis.report import Report
from orgmodel.analysis.silos import SiloSection
from orgmodel.graph import Enterprise

__all__ = ["Drawing", "ViewContext", "ViewError", "ViewModule", "ViewOptions"]


class ViewError(ValueError):
    """The options do not fit the document (unknown journey or unit, missing --journey)."""


@dataclass(frozen=True)
class ViewOptions:
    """Options of the views; each view reads the ones that concern it."""

    journey: str | None = None
    """journey view: the journey to draw."""
    root: str | None = None
    """orgchart: draw only this unit and the units under it."""
    depth: int | None = None
    """orgchart: draw this many levels below the root (collapsed branches say what they hide)."""
    lanes: Literal["silo", "unit"] = "silo"
    """journey view: one swimlane per silo or per unit."""
    top: int = 50
    """matrix: journeys drawn one per row, those of the highest volume; the others are
    summed in one row."""
    people: bool | None = None
    """orgchart: one box per position (holder and title) instead of per unit; None: only for
    a document that is a people list (one unit, many positions)."""


class ViewContext:
    """The enterprise and, computed on first use, the silo analysis the views draw from."""

    def __init__(self, enterprise: Enterprise, report: Report | None = None) -> None:
        self.enterprise = enterprise
        self._report = report

    @cached_property
    def silos(self) -> SiloSection:
        """The silo section: of the given report, or of the silo family alone (the views read
        no other family, so the rest of the analysis is not run)."""
        if self._report is not None:
            section = self._report.section("silos")
        else:
            settings = self.enterprise.document.settings
            section = silo_family.run(
                AnalysisContext(
                    enterprise=self.enterprise,
                    thresholds=settings.thresholds,
                    rule_settings=dict(settings.rules),
                )
            )
        assert isinstance(section, SiloSection)
        return section


class Drawing(Protocol):
    """One view of one document, ready to be written in every format."""

    #: True when Graphviz, if installed, should draw the SVG; False when the built-in
    #: layout is the better (or the only fast) picture.
    prefer_graphviz: bool

    def to_dot(self) -> str:
        """Graphviz DOT source."""
        ...

    def to_mermaid(self) -> str:
        """Mermaid source."""
        ...

    def to_svg(self) -> str:
        """SVG from orgmodel's own layout (no Graphviz needed)."""
        ...

    def graphviz_input(self) -> tuple[str, tuple[str, ...]]:
        """The DOT that Graphviz draws (SVG, PNG, PDF) and the command that lays it out,
        e.g. ``("dot",)`` or ``("neato", "-n2")`` for fixed positions."""
        ...


class ViewModule(Protocol):
    """A view: a module with a name, a title, and a function that draws a document."""

    name: str
    title: str
    #: True for views drawn once per journey (``--journey``; ``--all`` draws every journey).
    per_journey: bool

    def build(self, ctx: ViewContext, options: ViewOptions) -> Drawing: ...
