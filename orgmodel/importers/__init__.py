"""Importers: organizations from the files designers already have.

- :mod:`orgmodel.importers.hris` reads CSV and XLSX exports of people (one row per person
  or position) into units and positions;
- :mod:`orgmodel.importers.archimate` reads and writes The Open Group ArchiMate Exchange
  Format;
- :mod:`orgmodel.importers.reimport` replaces the structure of an existing document with a
  fresh import and keeps what was designed on top of it.

Every importer returns plain JSON data (a document as ``dict``), never a half-built one:
bad input raises :class:`~orgmodel.diagnostics.DocumentInvalid` with every located problem.
"""

from __future__ import annotations

import json

from orgmodel.importers.ids import make_id, slug

__all__ = ["document_json", "make_id", "slug"]


def document_json(data: dict[str, object]) -> str:
    """The text of a document: two-space indented JSON, keys in the order given, one final
    newline; deterministic for the same data."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
