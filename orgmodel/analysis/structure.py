"""Structure health: span of control and management layers.

- **span of control** of a manager: the number of its direct reports. When the
  document lists positions, managers are positions and staff positions
  (assistants) do not count; otherwise managers are units and their direct
  reports are their child units.
- **layers**: the number of levels on the longest reporting chain from the top to
  the front line (a lone top unit is 1 layer). Staff positions are not a layer.
"""

from __future__ import annotations

import itertools
import operator
from collections import Counter
from operator import attrgetter

from orgmodel.analysis.base import AnalysisContext, Section, Table
from orgmodel.analysis.findings import Rule
from orgmodel.model import Severity

__all__ = ["StructureSection", "name", "rules", "run"]

name = "structure"
title = "Structure health"

SPAN = Rule(
    "S01", "span-of-control", Severity.INFO,
    "A manager's span of control is outside the configured range.",
    "Too few direct reports make a tall, slow hierarchy; too many leave no time for each. "
    "Range: `thresholds.span_min` to `thresholds.span_max`.",
)
LAYERS = Rule(
    "S02", "too-many-layers", Severity.WARNING,
    "More management layers than the threshold between the top and the front line.",
    "Every layer is a hop for decisions and escalations. Threshold: `thresholds.layers_max`.",
)

rules = (SPAN, LAYERS)


class StructureSection(Section):
    """Result of the structure analysis."""

    basis: str
    """`positions` when the document lists positions, else `units`."""
    layers: int
    """Levels on the longest chain from the top to the front line."""
    deepest_chain: list[str]
    """That chain, top first."""
    managers: int
    """Positions (or units) with at least one direct report."""
    span_min: int | None
    """Smallest span of control."""
    span_median: float | None
    """Median span of control."""
    span_max: int | None
    """Largest span of control."""
    spans: dict[str, int]
    """Every manager's span of control (direct reports, staff not counted), by manager id."""
    span_histogram: dict[int, int]
    """How many managers have each span."""

    def headline(self) -> list[str]:
        if not self.managers:
            return [f"{self.layers} layer(s); no managers."]
        return [
            f"{self.layers} layers from the top to the front line; {self.managers} managers "
            f"({self.basis}) with spans of control {self.span_min} to {self.span_max} "
            f"(median {self.span_median:g})."
        ]

    def tables(self) -> list[Table]:
        return [Table(
            "Span of control",
            ("span", "managers"),
            tuple((str(k), str(v)) for k, v in sorted(self.span_histogram.items())),
            numeric=frozenset({0, 1}),
        )]


section = StructureSection


def _median(values: list[int]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    mid = len(ordered) // 2
    return float(ordered[mid]) if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def _depths(parent: list[int], counted: list[bool]) -> list[int]:
    """Layer of each node: counted nodes on its chain to the top (staff are not a layer)."""
    n = len(parent)
    depth = [0] * n
    if not any(map(operator.ge, parent, range(n))):
        # Every parent is listed before its children: one pass in document order.
        for i, p in enumerate(parent):
            depth[i] = (depth[p] if p >= 0 else 0) + counted[i]
        return depth
    # Otherwise resolve each chain once, with a memo.
    known = [False] * n
    for start in range(n):
        if known[start]:
            continue
        chain = []
        node = start
        while node >= 0 and not known[node]:
            chain.append(node)
            node = parent[node]
        base = depth[node] if node >= 0 else 0
        for m in reversed(chain):
            base += counted[m]
            depth[m] = base
            known[m] = True
    return depth


def run(ctx: AnalysisContext) -> StructureSection:
    """Compute spans and layers, and report the structure findings."""
    doc = ctx.enterprise.document
    if doc.positions:
        basis = "positions"
        collection = "positions"
        items: list = doc.positions
        ids = list(map(attrgetter("id"), items))
        parent_ids = list(map(attrgetter("reports_to"), items))
        counted = [not staff for staff in map(attrgetter("staff"), items)]
    else:
        basis = "units"
        collection = "units"
        ids = [u.id for u in doc.units]
        parent_ids = [u.parent for u in doc.units]
        counted = [True] * len(ids)
    n = len(ids)
    index = dict(zip(ids, range(n), strict=True))
    parent = list(map(index.get, parent_ids, itertools.repeat(-1)))  # None is no id: -1
    reports = [0] * n
    for p, r in Counter(itertools.compress(parent, counted)).items():
        if p >= 0:
            reports[p] = r
    depth = _depths(parent, counted)
    layers = max(depth, default=0)
    candidates = [i for i, d in enumerate(depth) if d == layers and counted[i]]
    deepest = min(candidates, key=ids.__getitem__) if candidates else None
    chain_ids: list[str] = []
    node = deepest if deepest is not None else -1
    while node >= 0:
        chain_ids.append(ids[node])
        node = parent[node]
    chain_ids.reverse()
    managers = list(itertools.compress(range(n), reports))
    spans = dict(sorted((ids[i], reports[i]) for i in managers))
    values = list(spans.values())
    t = ctx.thresholds
    if ctx.enabled(SPAN):
        for i in managers:
            r = reports[i]
            if r < t.span_min or r > t.span_max:
                bound = (f"below the minimum {t.span_min}" if r < t.span_min
                         else f"above the maximum {t.span_max}")
                ctx.report(SPAN, f"{basis[:-1]} '{ids[i]}' has a span of control of {r}, {bound}",
                           (collection, i), (ids[i],))
    if layers > t.layers_max and deepest is not None:
        ctx.report(LAYERS,
                   f"{layers} layers from '{chain_ids[0]}' to '{chain_ids[-1]}', more than "
                   f"{t.layers_max}", (collection, deepest), (chain_ids[0], chain_ids[-1]))
    return StructureSection(
        basis=basis, layers=layers, deepest_chain=chain_ids, managers=len(spans),
        span_min=min(values, default=None), span_median=_median(values),
        span_max=max(values, default=None), spans=spans,
        span_histogram=dict(sorted(Counter(values).items())),
    )
