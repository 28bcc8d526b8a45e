"""Output formats: pure functions from a report to text. One module per format."""

from __future__ import annotations

from collections.abc import Callable

from orgmodel.analysis.report import Report
from orgmodel.output import analysis_json, analysis_markdown, analysis_text

__all__ = ["ANALYSIS_FORMATS"]

#: ``orgmodel analyze --format`` choices.
ANALYSIS_FORMATS: dict[str, Callable[[Report], str]] = {
    "text": analysis_text.render,
    "json": analysis_json.render,
    "markdown": analysis_markdown.render,
}
