"""The published JSON Schemas, generated from the models: the document format and the
analysis report. ``orgmodel schema --write`` regenerates the files under ``schemas/``;
``--check`` (run by the tests) fails when a committed file is stale."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel

from orgmodel.model import FORMAT_VERSION, Document

__all__ = [
    "SCHEMAS",
    "SCHEMA_ID",
    "SCHEMA_PATH",
    "PublishedSchema",
    "document_schema",
    "schema_text",
]

SCHEMA_ID = f"urn:orgmodel:schema:document:{FORMAT_VERSION}"
#: Where the document schema lives, relative to the project root.
SCHEMA_PATH = Path("schemas") / "orgmodel.schema.json"


def _json_schema(model: type[BaseModel], schema_id: str) -> dict:
    body = model.model_json_schema(by_alias=True, mode="validation")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": schema_id, **body}


def document_schema() -> dict:
    """The JSON Schema (draft 2020-12) of an orgmodel document."""
    return _json_schema(Document, SCHEMA_ID)


def _report_schema() -> dict:
    from orgmodel.analysis.report import REPORT_VERSION, Report

    return _json_schema(Report, f"urn:orgmodel:schema:report:{REPORT_VERSION}")


def _config_schema() -> dict:
    from orgmodel.config import Config

    return _json_schema(Config, "urn:orgmodel:schema:config:1")


@dataclass(frozen=True)
class PublishedSchema:
    """A schema file under ``schemas/`` and the function that generates it."""

    name: str
    path: Path
    generate: Callable[[], dict]

    def text(self) -> str:
        """The exact committed text (stable key order, trailing newline)."""
        return json.dumps(self.generate(), indent=2, ensure_ascii=False) + "\n"


#: Every published schema, by name.
SCHEMAS: dict[str, PublishedSchema] = {
    s.name: s
    for s in (
        PublishedSchema("document", SCHEMA_PATH, document_schema),
        PublishedSchema("report", Path("schemas") / "report.schema.json", _report_schema),
        PublishedSchema("config", Path("schemas") / "config.schema.json", _config_schema),
    )
}


def schema_text(name: str = "document") -> str:
    """The text of the schema ``name`` as committed under ``schemas/``."""
    return SCHEMAS[name].text()
