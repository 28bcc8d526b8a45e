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
from collections import Counter
from collections.abc import Iterator
from operator import attrgetter

from orgmodel.analysis.base import AnalysisContext, Section, Table, unchecked
from orgmodel.analysis.findings import Rule
from orgmodel.jsonpos import JsonPath
from orgmodel.model import Severity

__all__ = ["StructureSection", "name", "rules", "run"]

name: str = "structure"
title: str = "Structure health"

SPAN = Rule(
    "S01",
    "span-of-control",
    Severity.INFO,
    "A manager's span of control is outside the configured range.",
    finds=(
        "A manager whose span of control (direct reports) is below `thresholds.span_min` "
        "(default 3) or above `thresholds.span_max` (default 12). With positions, managers "
        "are positions and staff positions do not count; otherwise managers are units and "
        "their reports their child units."
    ),
    why=(
        "Too few direct reports make a tall, slow hierarchy; too many leave the manager no time "
        "for each."
    ),
    fix=(
        "Merge small units or give the manager more reports, split large ones; or set the range "
        "that fits the organization."
    ),
    example=(
        '{"units": [{"id": "board", "name": "Board", "kind": "board"}, {"id": "sales", '
        '"name": "Sales", "parent": "board"}]}'
    ),
)
LAYERS = Rule(
    "S02",
    "too-many-layers",
    Severity.WARNING,
    "More management layers than the threshold between the top and the front line.",
    finds=(
        "More management layers on the longest reporting chain from the top to the front line "
        "than `thresholds.layers_max` (default 6). Staff positions are not a layer. One "
        "finding, at the deepest unit or position."
    ),
    why="Every layer is a hop for decisions and escalations.",
    fix=(
        "Flatten the chain (fewer levels between the top and the front line), or raise the "
        "threshold."
    ),
    example=(
        '{"settings": {"thresholds": {"layers_max": 2}}, "units": [{"id": "board", "name": '
        '"Board", "kind": "board"}, {"id": "sales", "name": "Sales", "parent": "board"}, '
        '{"id": "sales-desk", "name": "Sales desk", "parent": "sales"}]}'
    ),
)

rules: tuple[Rule, ...] = (SPAN, LAYERS)


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
        return [
            Table(
                "Span of control",
                ("span", "managers"),
                tuple((str(k), str(v)) for k, v in sorted(self.span_histogram.items())),
                numeric=frozenset({0, 1}),
            )
        ]


section: type[Section] = StructureSection


# The section is built without validation (unchecked): its fields are of their types.
_STRUCTURE_SECTION = unchecked(StructureSection)

_ID = attrgetter("id")
_PARENT = attrgetter("parent")
_REPORTS_TO = attrgetter("reports_to")
_STAFF = attrgetter("staff")


def _median(histogram: dict[int, int]) -> float | None:
    """Median of the values counted in ``histogram`` (value -> how many, by value).

    >>> _median({1: 2, 4: 1}), _median({1: 1, 4: 1}), _median({})
    (1.0, 2.5, None)
    """
    size = sum(histogram.values())
    if not size:
        return None
    mid = size // 2
    # The values at sorted positions mid - 1 and mid.
    lower = upper = None
    seen = 0
    for value, times in histogram.items():
        seen += times
        if lower is None and seen > mid - 1:
            lower = value
        if seen > mid:
            upper = value
            break
    assert lower is not None and upper is not None
    return float(upper) if size % 2 else (lower + upper) / 2


def _internal_depths(parent_of: dict[str, str | None], staff: set[str]) -> dict[str, int]:
    """Layer of each node that has reports: counted (not ``staff``) nodes on its chain to the
    top. Each chain is walked once (any listing order)."""
    depth: dict[str, int] = {}
    for start, manager in parent_of.items():
        if start in depth:
            continue
        known = depth.get(manager) if manager is not None else 0
        if known is not None:  # the usual case: the manager is listed (and done) first
            depth[start] = known + (start not in staff)
            continue
        chain = []
        node: str | None = start
        while node is not None and node not in depth:
            chain.append(node)
            node = parent_of.get(node)
        base = depth[node] if node is not None else 0
        for m in reversed(chain):
            base += m not in staff
            depth[m] = base
    return depth


def _deepest(
    ids: list[str],
    parent_ids: list[str | None],
    is_staff: list[bool],
    managers: list[str],
    manager_at: list[int],
    depth: dict[str, int],
    layers: int,
) -> int | None:
    """Index of the counted node at layer ``layers`` with the smallest id, if any."""
    if layers == 0:
        return None
    # Nodes with reports at that layer (if any is), and nodes without whose manager is one
    # layer up.
    found: list[int] = []
    if layers == max(depth.values(), default=0):
        on_layer = map(layers.__eq__, map(depth.__getitem__, managers))
        found = [i for i in itertools.compress(manager_at, on_layer) if not is_staff[i]]
    above: set[str | None] = set(
        itertools.compress(depth.keys(), map((layers - 1).__eq__, depth.values()))
    )
    if layers == 1:
        above.add(None)
    for i in itertools.compress(itertools.count(), map(above.__contains__, parent_ids)):
        if not is_staff[i] and ids[i] not in depth:
            found.append(i)
    return min(found, key=ids.__getitem__) if found else None


def run(ctx: AnalysisContext) -> StructureSection:
    """Compute spans and layers, and report the structure findings.

    Linear, and light on large organizations: only the nodes with reports (a tenth of the
    positions, typically) get dictionary entries; the front line is read in bulk, column by
    column, and only the staff (a few) are looked at one by one.
    """
    doc = ctx.enterprise.document
    if doc.positions:
        basis = "positions"
        items: list = doc.positions
        ids = list(map(_ID, items))
        parent_ids = list(map(_REPORTS_TO, items))
        is_staff = list(map(_STAFF, items))
    else:
        basis = "units"
        ids = ctx.enterprise.tree.ids
        parent_ids = list(map(_PARENT, doc.units))
        is_staff = [False] * len(ids)
    staff_at = list(itertools.compress(itertools.count(), is_staff))
    # Every report first: its keys are the nodes with reports (staff or not).
    reports = Counter(parent_ids)
    tops = reports.pop(None, 0)
    # Index, id and manager of every node with reports, in document order.
    has_reports = list(map(reports.__contains__, ids))
    manager_at = list(itertools.compress(range(len(ids)), has_reports))
    managers = list(itertools.compress(ids, has_reports))
    parent_of = dict(zip(managers, map(parent_ids.__getitem__, manager_at), strict=True))
    staff_managers = {ids[i] for i in staff_at if has_reports[i]}
    # Staff are not counted: a manager with staff reports only has no span.
    staff_reports = Counter(map(parent_ids.__getitem__, staff_at))
    staff_tops = staff_reports.pop(None, 0)
    for manager, count in staff_reports.items():
        left = reports[manager] - count
        if left:
            reports[manager] = left
        else:
            del reports[manager]
    depth = _internal_depths(parent_of, staff_managers)
    # A node without reports is one layer below its manager if counted (or alone at the top).
    layers = max(depth.values(), default=0)
    if reports and len(reports) == len(depth):  # every node with reports has counted ones
        layers += 1
    elif reports:
        layers = max(layers, max(map(depth.__getitem__, reports)) + 1)
    if tops > staff_tops:  # a top node that is not staff
        layers = max(layers, 1)
    deepest = _deepest(ids, parent_ids, is_staff, managers, manager_at, depth, layers)
    chain_ids: list[str] = []
    if deepest is not None:
        chain_ids.append(ids[deepest])
        node = parent_ids[deepest]
        while node is not None:
            chain_ids.append(node)
            node = parent_of[node]
        chain_ids.reverse()
    spans = {m: reports[m] for m in sorted(reports)}
    histogram = dict(sorted(Counter(reports.values()).items()))
    t = ctx.thresholds

    def outside_span() -> Iterator[tuple[str, JsonPath, tuple[str, ...]]]:
        low, high = t.span_min, t.span_max
        below, above = f"below the minimum {low}", f"above the maximum {high}"
        kind = basis[:-1]
        # In document order: the managers' spans (None for staff reports only) out of range.
        wrong = {r for r in histogram if r < low or r > high}
        outside = map(wrong.__contains__, map(reports.get, managers))
        for i in itertools.compress(manager_at, outside):
            m = ids[i]
            r = reports[m]
            message = f"{kind} '{m}' has a span of control of {r}, {below if r < low else above}"
            yield message, (basis, i), (m,)

    ctx.report_all(SPAN, outside_span())  # a generator: nothing is built when SPAN is off
    if layers > t.layers_max and deepest is not None:
        ctx.report(
            LAYERS,
            f"{layers} layers from '{chain_ids[0]}' to '{chain_ids[-1]}', more than {t.layers_max}",
            (basis, deepest),
            (chain_ids[0], chain_ids[-1]),
        )
    return _STRUCTURE_SECTION(
        basis=basis,
        layers=layers,
        deepest_chain=chain_ids,
        managers=len(spans),
        span_min=min(histogram, default=None),
        span_median=_median(histogram),
        span_max=max(histogram, default=None),
        spans=spans,
        span_histogram=histogram,
    )
