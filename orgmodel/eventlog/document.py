"""An orgmodel document from the variants of a log: units, and one journey per variant.

The medians go into the steps' ``work`` and ``wait``; the 90th percentiles and means, which
the format has no field for, into the journey's ``description``, one line per step.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from typing import Any

from orgmodel.durations import format_duration
from orgmodel.eventlog.log import UNASSIGNED, UnitResolver
from orgmodel.eventlog.measure import Measured
from orgmodel.eventlog.variants import PERIOD_SECONDS, Stats, Variant
from orgmodel.model import Document

__all__ = ["ROOT_ID", "build_document", "model_resolver", "slug", "volume"]

#: The id of the root unit that every unit seen in the log reports to.
ROOT_ID = "organization"

_NOT_ID = re.compile(r"[^a-z0-9._-]+")


def slug(text: str) -> str:
    """An id for ``text``: lower case, ASCII, words joined by ``-`` ("Back Office" ->
    ``back-office``); ``x`` for text without letters or digits."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _NOT_ID.sub("-", ascii_text.lower()).strip("-")[:200] or "x"


def unit_ids(names: list[str], taken: set[str]) -> dict[str, str]:
    """A distinct id for each unit name, in sorted order of names (``-2`` ... on a clash)."""
    out: dict[str, str] = {}
    used = set(taken)
    for name in sorted(names):
        base = slug(name)
        ident, n = base, 1
        while ident in used:
            n += 1
            ident = f"{base}-{n}"
        used.add(ident)
        out[name] = ident
    return out


def volume(cases: int, span: float, period: str) -> float | None:
    """Cases per ``period`` over a log spanning ``span`` seconds; None for a span of 0."""
    if span <= 0:
        return None
    return round(cases / (span / PERIOD_SECONDS[period]), 4)


def model_resolver(document: Document, attribute: bool) -> UnitResolver:
    """Units of a model: an attribute value names a unit by id or name; a resource names a
    position (by id or holder) whose unit is taken, or a unit by id or name."""
    units = {u.id: u.id for u in document.units}
    names = {u.name: u.id for u in document.units}
    positions = {p.id: p.unit for p in document.positions}
    holders = {p.holder: p.unit for p in document.positions if p.holder}

    def lookup(value: str) -> str | None:
        if attribute:
            return units.get(value) or names.get(value)
        return positions.get(value) or holders.get(value) or units.get(value) or names.get(value)

    what = (
        "the unit attribute, by unit id or name"
        if attribute
        else "org:resource, by position id or holder"
    )
    return UnitResolver(f"{what} of the model", attribute=attribute, lookup=lookup)


def _figures(stats: Stats | None) -> str:
    if stats is None or stats.n == 0:
        return "not measured"
    return (
        f"median {format_duration(stats.median)}, p90 {format_duration(stats.p90)}, "
        f"mean {format_duration(stats.mean)}"
    )


def build_document(
    log: Measured,
    kept: list[Variant],
    period: str,
    *,
    name: str | None = None,
    per_case: bool = False,
    model_text: str | None = None,
) -> dict[str, Any]:
    """The orgmodel document (as plain JSON data) of the ``kept`` variants of ``log``.

    Without a model, every unit seen gets a unit under one root (:data:`ROOT_ID`); with
    ``model_text`` (the model the resources were resolved through), its units are taken as
    they are, with an ``unassigned`` unit under its first root when some events had none.
    """
    seen = sorted({unit for v in kept for _, unit in v.key})
    if model_text is not None:
        model = json.loads(model_text)
        units: list[dict[str, Any]] = list(model["units"])
        ids = {u: u for u in seen}
        if UNASSIGNED in seen and all(u["id"] != UNASSIGNED for u in units):
            root = next(u["id"] for u in units if u.get("parent") is None)
            units.append(
                {"id": UNASSIGNED, "name": "Unassigned (no unit found in the log)", "parent": root}
            )
        settings = dict(model.get("settings", {}))
    else:
        ids = unit_ids(seen, {ROOT_ID})
        units = [{"id": ROOT_ID, "name": "Organization (from the event log)", "kind": "board"}]
        units += [
            {
                "id": ids[u],
                "name": u if u != UNASSIGNED else "Unassigned (no unit found in the log)",
                "parent": ROOT_ID,
            }
            for u in sorted(seen, key=lambda u: ids[u])
        ]
        settings = {}
    settings["volume_period"] = period
    total = sum(len(v.cases) for v in kept)
    journeys = []
    for n, variant in enumerate(kept, start=1):
        cases = len(variant.cases)
        ident = f"case-{slug(variant.cases[0])}" if per_case else f"variant-{n}"
        first, last = variant.key[0][0], variant.key[-1][0]
        title = (
            f"Case {variant.cases[0]}" if per_case else f"Variant {n}"
        ) + f": {first} to {last} ({len(variant.key)} steps)"
        lines = [
            f"Measured in {log.source}: {cases} case(s)"
            + ("" if per_case else f", {100 * cases / max(total, 1):.1f} % of the kept cases")
            + ". Per step (work and wait: median in the "
            "step, p90 and mean here):"
        ]
        steps = []
        for j, step in enumerate(variant.steps, start=1):
            item: dict[str, Any] = {"name": step.activity, "unit": ids[step.unit]}
            if step.work is not None and round(step.work.median) > 0:
                item["work"] = format_duration(step.work.median)
            if round(step.wait.median):
                item["wait"] = format_duration(step.wait.median)
            steps.append(item)
            lines.append(
                f"{j}. {step.activity}: work {_figures(step.work)}; wait {_figures(step.wait)}"
            )
        journey: dict[str, Any] = {"id": ident, "name": title}
        measured = volume(cases, log.span, period)
        if measured is not None:
            journey["volume"] = float(measured)
        journey["steps"] = steps
        journey["description"] = "\n".join(lines)
        journeys.append(journey)
    out: dict[str, Any] = {
        "orgmodel": "1",
        "name": name or f"Journeys measured in {os.path.basename(log.source)}",
        "description": f"Imported by `orgmodel import eventlog` from {log.source}: "
        f"{log.events} events, {log.cases} cases, {len(kept)} journey(s). "
        "Conventions: docs/eventlogs.md.",
        "settings": settings,
        "units": units,
        "journeys": journeys,
    }
    return out
