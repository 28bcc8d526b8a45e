"""orgmodel: validate an organization design, build the enterprise graph, and analyze how
customer journeys cross its silo walls."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from orgmodel.diagnostics import Diagnostic, DocumentInvalid
    from orgmodel.graph import Enterprise, build_enterprise
    from orgmodel.loader import load_document, load_text, validate_file
    from orgmodel.model import Document

__version__ = "0.1.0"

#: Where each public name lives; imported on first use (`orgmodel --version` needs none).
_EXPORTS = {
    "Diagnostic": "orgmodel.diagnostics",
    "DocumentInvalid": "orgmodel.diagnostics",
    "Enterprise": "orgmodel.graph",
    "build_enterprise": "orgmodel.graph",
    "load_document": "orgmodel.loader",
    "load_text": "orgmodel.loader",
    "validate_file": "orgmodel.loader",
    "Document": "orgmodel.model",
}


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "Diagnostic",
    "Document",
    "DocumentInvalid",
    "Enterprise",
    "__version__",
    "build_enterprise",
    "load_document",
    "load_text",
    "validate_file",
]
