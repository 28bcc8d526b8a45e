"""orgmodel: validate an organization design, build the enterprise graph, and analyze how
customer journeys cross its silo walls."""

from orgmodel.diagnostics import Diagnostic, DocumentInvalid
from orgmodel.graph import Enterprise, build_enterprise
from orgmodel.loader import load_document, load_text, validate_file
from orgmodel.model import Document

__version__ = "0.1.0"

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
