"""Analyzers: figures and findings about an enterprise, one module per family."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from orgmodel.analysis.findings import Finding, Rule
    from orgmodel.analysis.report import Report, analyze

__all__ = ["Finding", "Report", "Rule", "analyze"]

#: Where each public name lives; imported on first use, so that importing one module of the
#: package (the figures, for the configuration) does not load every family.
_EXPORTS = {
    "Finding": "orgmodel.analysis.findings",
    "Rule": "orgmodel.analysis.findings",
    "Report": "orgmodel.analysis.report",
    "analyze": "orgmodel.analysis.report",
}


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
