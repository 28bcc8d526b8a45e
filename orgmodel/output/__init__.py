"""Output formats: pure functions from a report to text. One module per format."""

from __future__ import annotations

from collections.abc import Callable

from orgmodel.analysis.report import Report
from orgmodel.compare.diff import Diff
from orgmodel.compare.policy import CheckResult
from orgmodel.output import (
    analysis_json,
    analysis_markdown,
    analysis_text,
    check_json,
    check_markdown,
    check_text,
    diff_json,
    diff_markdown,
    diff_text,
    github,
    junit,
    sarif,
)
from orgmodel.textsafe import terminal

__all__ = ["ANALYSIS_FORMATS", "CHECK_FORMATS", "DIFF_FORMATS"]

#: ``orgmodel analyze --format`` choices.
ANALYSIS_FORMATS: dict[str, Callable[[Report], str]] = {
    "text": analysis_text.render,
    "json": analysis_json.render,
    "markdown": analysis_markdown.render,
}

#: ``orgmodel diff --format`` choices.
DIFF_FORMATS: dict[str, Callable[[Diff], str]] = {
    "text": diff_text.render,
    "json": diff_json.render,
    "markdown": diff_markdown.render,
}

#: ``orgmodel check --format`` choices (besides ``auto``).
CHECK_FORMATS: dict[str, Callable[[CheckResult], str]] = {
    "text": check_text.render,
    "json": check_json.render,
    "markdown": check_markdown.render,
    "github": lambda result: terminal(github.render(result)),
    "sarif": sarif.render,
    "junit": junit.render,
}
