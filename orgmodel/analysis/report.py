"""The analysis report: every family's section and all findings, as one typed value.

Formatters (text, JSON, Markdown ...) are pure functions of a :class:`Report`.
Its JSON form has a published schema under ``schemas/report.schema.json``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final, Literal

from pydantic import ConfigDict, create_model

from orgmodel.analysis.base import AnalysisContext, Frozen, Section, reads
from orgmodel.analysis.findings import Findings
from orgmodel.analysis.registry import ANALYZERS
from orgmodel.diagnostics import LOCATE_LIMIT
from orgmodel.graph import Enterprise
from orgmodel.model import RuleSetting, Severity, Thresholds

__all__ = ["REPORT_VERSION", "DocumentInfo", "Report", "analyze"]

REPORT_VERSION: Final = "1"

Sections = create_model(  # type: ignore[call-overload]
    "Sections",
    __config__=ConfigDict(frozen=True),
    **{a.name: (a.section, ...) for a in ANALYZERS},
)


class DocumentInfo(Frozen):
    """What was analyzed."""

    name: str
    """The document's name."""
    source: str | None
    """The file it was read from."""
    units: int
    """Number of units."""
    positions: int
    """Number of positions."""
    journeys: int
    """Number of journeys."""


class Report(Frozen):
    """Everything `orgmodel analyze` found about one document."""

    model_config = ConfigDict(title="orgmodel analysis report")

    orgmodel_report: Literal["1"] = REPORT_VERSION
    """Version of this report format."""
    document: DocumentInfo
    thresholds: Thresholds
    """The thresholds in force."""
    sections: Sections  # type: ignore[valid-type]
    """One section per analyzer family."""
    findings: Findings
    """All findings, ordered by severity, code and place."""
    counts: dict[Severity, int]
    """Number of findings per severity."""

    def section(self, name: str) -> Section:
        """The section of the analyzer family ``name``."""
        found: Section = getattr(self.sections, name)
        return found


def analyze(
    enterprise: Enterprise,
    *,
    thresholds: Thresholds | None = None,
    rules: dict[str, RuleSetting] | None = None,
    journeys: Sequence[str] | None = None,
    source: str | None = None,
    source_text: str | None = None,
) -> Report:
    """Run every analyzer family on ``enterprise``.

    ``thresholds`` and ``rules`` override the document's own settings; ``journeys``
    limits the journey analysis to those ids; with ``source_text`` findings get the
    line and column of their place in it.
    """
    settings = enterprise.document.settings
    ctx = AnalysisContext(
        enterprise=enterprise,
        thresholds=thresholds or settings.thresholds,
        rule_settings={**settings.rules, **(rules or {})},
        journeys=journeys,
    )
    sections: dict[str, Section] = {}
    for family in ANALYZERS:  # in registry order: what a family reads is computed before it
        sections[family.name] = family.run(ctx, **{name: sections[name] for name in reads(family)})
    places = None
    if source_text is not None and len(source_text) <= LOCATE_LIMIT:
        places = Findings.places(ctx.batches, source or "", source_text)
    findings = Findings(ctx.batches, places)
    doc = enterprise.document
    return Report(
        document=DocumentInfo(
            name=doc.name,
            source=source,
            units=len(doc.units),
            positions=len(doc.positions),
            journeys=len(doc.journeys),
        ),
        thresholds=ctx.thresholds,
        sections=Sections(**sections),
        findings=findings,
        counts=findings.counts(),
    )
