"""Analyzers: figures and findings about an enterprise, one module per family."""

from orgmodel.analysis.findings import Finding, Rule
from orgmodel.analysis.report import Report, analyze

__all__ = ["Finding", "Report", "Rule", "analyze"]
