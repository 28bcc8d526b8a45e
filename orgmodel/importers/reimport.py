"""Re-import: replace the structure of a document with a fresh import, keep the design.

The structure is what an export describes: the units, their reporting lines and the
positions. Everything designed on top of it stays as it is: journeys, segments, personas,
stakeholders, goals, services, settings, the name and description, the overlay units (units
of the customer or market layer that the export does not hold) and, on every unit the export
does hold, what the designer set: layer, kind, silo, accountable_for and description. An
export without dotted lines (an HR export has none) keeps the designed dotted lines of the
units it holds; an export without positions (a unit list, ``--rows units``, or an ArchiMate
model) keeps the positions of the current document; and an export with no column for head,
headcount or cost (a unit list without those columns) keeps the current ones (a blank cell in
a column it has clears the value).

The result is JSON data, never checked here: a step whose unit the export no longer holds
is a broken reference that :func:`orgmodel.loader.load_text` then reports, located.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["DESIGNED_UNIT_FIELDS", "Merged", "merge"]

#: Fields of a unit that are design, kept from the current document when the export holds
#: the unit too (the export only guesses them).
DESIGNED_UNIT_FIELDS = ("kind", "layer", "silo", "accountable_for", "description")

#: Fields of a unit the export may leave out (a unit list without those columns): kept from
#: the current document for a unit the export gives none of them for.
FIGURE_UNIT_FIELDS = ("head", "headcount", "cost")

#: Collections replaced by the import; every other top-level key is kept.
STRUCTURE = ("units", "positions")


@dataclass
class Merged:
    """The merged document and what was kept."""

    data: dict[str, Any]
    overlay_units: list[str]
    """Ids of the current units kept because they are designed overlay units."""
    kept_lines: list[str]
    """Ids of imported units that kept their designed dotted lines."""


def merge(current: Mapping[str, Any], imported: Mapping[str, Any]) -> Merged:
    """``current`` with the units and positions of ``imported`` (see the module docstring);
    the keys of ``current`` keep their order."""
    old_units = {u["id"]: u for u in current.get("units", [])}
    new_ids = {u["id"] for u in imported.get("units", [])}
    units: list[dict[str, Any]] = []
    kept_lines: list[str] = []
    # A figure is kept from the current document only when the export has no column for it:
    # a blank cell in a column it has (a vacant head) is the export's word.
    lacking = [
        key
        for key in FIGURE_UNIT_FIELDS
        if not any(key in unit for unit in imported.get("units", []))
    ]
    for unit in imported.get("units", []):
        merged = dict(unit)
        was = old_units.get(unit["id"])
        if was is not None:
            for key in DESIGNED_UNIT_FIELDS:
                if key in was:
                    merged[key] = was[key]
            for key in lacking:
                if key in was:
                    merged[key] = was[key]
            if not unit.get("lines") and was.get("lines"):
                merged["lines"] = was["lines"]
                kept_lines.append(unit["id"])
        units.append(_ordered(merged))
    overlay: list[str] = []
    for ident, was in old_units.items():
        if ident not in new_ids and was.get("layer", "functional") != "functional":
            units.append(dict(was))
            overlay.append(ident)
    data: dict[str, Any] = {}
    for key, value in current.items():
        if key == "units":
            data[key] = units
        elif key == "positions" and "positions" in imported:
            data[key] = list(imported["positions"])
        else:
            data[key] = value
    if "units" not in data:
        data["units"] = units
    if "positions" not in data and "positions" in imported:
        data["positions"] = list(imported["positions"])
    return Merged(data, overlay, kept_lines)


_UNIT_ORDER = (
    "id",
    "name",
    "kind",
    "layer",
    "parent",
    "lines",
    "head",
    "headcount",
    "cost",
    "accountable_for",
    "silo",
    "description",
)


def _ordered(unit: dict[str, Any]) -> dict[str, Any]:
    """The unit's keys in the order of the format (unknown keys last)."""
    out = {key: unit[key] for key in _UNIT_ORDER if key in unit}
    out.update((k, v) for k, v in unit.items() if k not in out)
    return out
