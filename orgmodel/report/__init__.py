"""The HTML report: one self-contained page to share an analysis (``orgmodel report``).

:func:`build` analyzes a document (and, with a baseline, checks it as ``orgmodel check``
would) and returns the page: an overview, the three-layer overlay, a searchable org chart
drawn lazily, every journey as swimlanes, the heat map, the findings with filters, and the
comparison with the baseline. The page needs no network: its script and style are inline
and its Content-Security-Policy forbids every request. The same input gives the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from orgmodel import app
from orgmodel.app import AnalyzeRequest, CheckRequest, ConfigFile, Source
from orgmodel.report.page import build_page

__all__ = ["ReportRequest", "build"]


@dataclass(frozen=True)
class ReportRequest:
    """A document to report on, an optional baseline to compare it with, and the config."""

    source: Source
    baseline: Source | None = None
    config: ConfigFile = field(default_factory=lambda: ConfigFile(None))
    silo_level: int | None = None


def build(request: ReportRequest) -> str:
    """The report page of ``request`` as HTML text."""
    config = request.config.config
    ent = app.build(request.source.document, request.silo_level)
    report = app.analyze(
        AnalyzeRequest(
            request.source,
            config,
            request.silo_level,
            policy_from=request.baseline.document if request.baseline else None,
        )
    )
    check = None
    if request.baseline is not None:
        check = app.check(CheckRequest(request.source, request.baseline, request.config))
    return build_page(ent, report, check, request.source.name)
