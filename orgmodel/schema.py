"""The published JSON Schema of the document format, generated from :mod:`orgmodel.model`."""

from __future__ import annotations

import json
from pathlib import Path

from orgmodel.model import FORMAT_VERSION, Document

__all__ = ["SCHEMA_ID", "SCHEMA_PATH", "document_schema", "schema_text"]

SCHEMA_ID = f"urn:orgmodel:schema:document:{FORMAT_VERSION}"
#: Where the committed schema lives, relative to the project root.
SCHEMA_PATH = Path("schemas") / "orgmodel.schema.json"


def document_schema() -> dict:
    """The JSON Schema (draft 2020-12) of an orgmodel document."""
    body = Document.model_json_schema(by_alias=True, mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **body,
    }


def schema_text() -> str:
    """The schema as the exact text committed under ``schemas/`` (stable key order)."""
    return json.dumps(document_schema(), indent=2, ensure_ascii=False) + "\n"
