"""The published JSON Schemas, generated from the models: the document format and the
analysis report. ``orgmodel schema --write`` regenerates the files under ``schemas/``;
``--check`` (run by the tests) fails when a committed file is stale."""

from __future__ import annotations

import ast
import inspect
import itertools
import json
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

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


@cache
def _docstrings(cls: type) -> dict[str, str]:
    """The docstrings of the fields declared in ``cls``'s own body: the string right below a
    field's annotation (nested classes and functions not looked into)."""
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(cls)))
    except (OSError, TypeError, SyntaxError):
        return {}
    body = tree.body[0].body if tree.body and isinstance(tree.body[0], ast.ClassDef) else []
    return {
        field.target.id: inspect.cleandoc(doc.value.value)
        for field, doc in itertools.pairwise(body)
        if isinstance(field, ast.AnnAssign)
        and isinstance(field.target, ast.Name)
        and isinstance(doc, ast.Expr)
        and isinstance(doc.value, ast.Constant)
        and isinstance(doc.value.value, str)
    }


def _docstring(cls: type, name: str) -> str | None:
    """The docstring of field ``name`` in the class that declares it (``cls`` or a base)."""
    for owner in cls.__mro__:
        if name in vars(owner).get("__annotations__", {}):
            return _docstrings(owner).get(name)
    return None


class _Described(GenerateJsonSchema):
    """pydantic's schema, with each field's docstring as its description.

    The models are built without reading their docstrings (pydantic's
    ``use_attribute_docstrings`` reads the source of every class as it is defined; without
    it ``orgmodel analyze`` starts about a fifth faster); only the published schemas need
    them. As with that option, a description given in ``Field(...)`` wins, and the docstring
    wins over a description that comes with the field's type."""

    def _describe(
        self, json_schema: JsonSchemaValue, cls: type, fields: dict[str, FieldInfo]
    ) -> JsonSchemaValue:
        properties = json_schema.get("properties", {})
        for name, info in fields.items():
            doc = None if info.description is not None else _docstring(cls, name)
            key = info.validation_alias if isinstance(info.validation_alias, str) else name
            if doc is not None and key in properties:
                properties[key]["description"] = doc
        return json_schema

    def model_schema(self, schema: core_schema.ModelSchema) -> JsonSchemaValue:
        cls: Any = schema["cls"]
        return self._describe(super().model_schema(schema), cls, cls.model_fields)

    def dataclass_schema(self, schema: core_schema.DataclassSchema) -> JsonSchemaValue:
        cls: Any = schema["cls"]
        return self._describe(super().dataclass_schema(schema), cls, cls.__pydantic_fields__)


def _json_schema(model: type[BaseModel], schema_id: str) -> dict:
    body = model.model_json_schema(by_alias=True, mode="validation", schema_generator=_Described)
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
