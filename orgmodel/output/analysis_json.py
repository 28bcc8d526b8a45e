"""The analysis report as JSON (schema: ``schemas/report.schema.json``)."""

from __future__ import annotations

from orgmodel.analysis.report import Report

__all__ = ["render"]


def render(report: Report) -> str:
    """Render ``report`` as stable, indented JSON."""
    return report.model_dump_json(indent=2) + "\n"
