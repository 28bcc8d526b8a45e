"""Output formats: pure functions from a report to text. One module per format.

Each command imports only the formats of its own kind: ``orgmodel analyze`` does not load
the comparison (``DIFF_FORMATS`` and ``CHECK_FORMATS`` are imported on first use).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from orgmodel.analysis.report import Report
from orgmodel.output import analysis_json, analysis_markdown, analysis_text

if TYPE_CHECKING:
    from orgmodel.compare.diff import Diff
    from orgmodel.compare.policy import CheckResult

    DIFF_FORMATS: dict[str, Callable[[Diff], str]]
    CHECK_FORMATS: dict[str, Callable[[CheckResult], str]]

__all__ = ["ANALYSIS_FORMATS", "CHECK_FORMATS", "DIFF_FORMATS"]

#: ``orgmodel analyze --format`` choices.
ANALYSIS_FORMATS: dict[str, Callable[[Report], str]] = {
    "text": analysis_text.render,
    "json": analysis_json.render,
    "markdown": analysis_markdown.render,
}


def _diff_formats() -> dict[str, Callable[[Diff], str]]:
    """``orgmodel diff --format`` choices."""
    from orgmodel.output import diff_json, diff_markdown, diff_text

    return {"text": diff_text.render, "json": diff_json.render, "markdown": diff_markdown.render}


def _check_formats() -> dict[str, Callable[[CheckResult], str]]:
    """``orgmodel check --format`` choices (besides ``auto``)."""
    from orgmodel.output import check_json, check_markdown, check_text, github, junit, sarif
    from orgmodel.textsafe import terminal

    return {
        "text": check_text.render,
        "json": check_json.render,
        "markdown": check_markdown.render,
        "github": lambda result: terminal(github.render(result)),
        "sarif": sarif.render,
        "junit": junit.render,
    }


_LAZY: dict[str, Callable[[], dict[str, Any]]] = {
    "DIFF_FORMATS": _diff_formats,
    "CHECK_FORMATS": _check_formats,
}


def __getattr__(name: str) -> Any:
    """The registries of the comparing commands, made (and their modules imported) once,
    on first use."""
    make = _LAZY.get(name)
    if make is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = globals()[name] = make()
    return value
