"""The handover network: who hands the customer's matter to whom, as a graph of units.

Definitions (see docs/metrics.md, "The handover network", for worked examples):

- **weight** of a journey: its volume per period when every analyzed journey gives one
  (``weighting = "volume"``), otherwise 1 for each journey (``weighting = "count"``);
- **handover matrix**: cell (a, b) = the sum over journeys of weight x handoffs from unit a to
  unit b on the straight path; ``count`` is the unweighted number. Four forms: ``value``
  (absolute), ``share`` (of all handoffs), ``row_share`` (of a's handoffs out) and
  ``column_share`` (of b's handoffs in);
- **E-I index** (Krackhardt and Stern) of a silo: (E - I) / (E + I), with E the weighted
  handoffs with exactly one end in the silo and I those between two different units of the
  silo; overall: E = weighted silo crossings, I = weighted handoffs inside a silo. From -1
  (all handoffs stay inside) to +1 (all cross the wall); None when E + I = 0;
- **brokerage** (Gould and Fernandez) of unit b: on each journey's unit path (consecutive
  steps of one unit collapsed), every triple a, b, c of three different units, classified by
  their silos: coordinator (all one silo), itinerant broker (a and c share a silo, b not),
  gatekeeper (b and c share one, a not), representative (a and b share one, c not), liaison
  (three silos). Counted per triple, unweighted;
- **betweenness** of a unit: normalized betweenness centrality (as networkx computes it) in
  the directed graph of units with an edge a -> b when some journey hands from a to b
  (unweighted: the designed graph, not its traffic); in a graph too large to search from
  every unit (:data:`BETWEENNESS_WORK`), estimated from evenly spread sources.
"""

from __future__ import annotations

import itertools
import operator
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from typing import Literal, TypeVar

from pydantic.dataclasses import dataclass as pydantic_dataclass

from orgmodel.analysis.base import (
    AnalysisContext,
    Frozen,
    Rows,
    Section,
    Table,
    ratio,
    unchecked,
    unchecked_rows,
)
from orgmodel.analysis.figures import format_number
from orgmodel.analysis.findings import Rule
from orgmodel.graph import Enterprise
from orgmodel.model import Journey, Severity

__all__ = [
    "BrokerRoles",
    "HandoverCell",
    "NetworkSection",
    "SiloNetwork",
    "brokerage",
    "ei_index",
    "name",
    "rules",
    "run",
]

name: str = "network"
title: str = "Handover network"

HANDS_OFF_ALL = Rule(
    "N01",
    "silo-hands-off-everything",
    Severity.INFO,
    "A silo hands off almost every matter across its wall.",
    finds=(
        "A [silo](concepts.md#silos) with two or more units performing journey steps whose "
        "E-I index of handoffs ((external - internal) / (external + internal), weighted by "
        "volume) is above `thresholds.ei_index_max` (default 0.8). Silos with one performing "
        "unit are left out: they cannot hand off inside."
    ),
    why=(
        "The silo's units work together on paper only: nearly every handoff of theirs goes "
        "to or comes from another silo, so the wall runs through the work."
    ),
    fix=(
        "Draw the silo around the units that actually work together (move units, or mark "
        "other silos with `silo: true`), or move the work to a team that does it end to end."
    ),
    example=(
        '{"units": [{"id": "board", "name": "Board", "kind": "board"}, {"id": "sales", '
        '"name": "Sales", "parent": "board"}, {"id": "field", "name": "Field", "parent": '
        '"sales"}, {"id": "inside", "name": "Inside", "parent": "sales"}, {"id": '
        '"billing", "name": "Billing", "parent": "board"}], "journeys": [{"id": "order", '
        '"name": "Order", "owner": "sales", "steps": [{"name": "Visit", "unit": "field"}, '
        '{"name": "Invoice", "unit": "billing"}, {"name": "Call", "unit": "inside"}]}]}'
    ),
)

rules: tuple[Rule, ...] = (HANDS_OFF_ALL,)

_U = TypeVar("_U")


# Slotted pydantic dataclasses rather than models, as Finding is: a large organization has
# 10,000s of them, and each model instance brings its own set of given fields (and
# __dict__), which every full garbage collection walks again.
@pydantic_dataclass(frozen=True, slots=True, kw_only=True)
class HandoverCell:
    """Handoffs from one unit to another."""

    from_unit: str
    """Unit that hands over."""
    to_unit: str
    """Unit that takes over."""
    count: int
    """Handoffs, unweighted."""
    value: float
    """Weighted handoffs (see ``weighting``)."""
    share: float
    """value / all weighted handoffs."""
    row_share: float
    """value / weighted handoffs out of ``from_unit``."""
    column_share: float
    """value / weighted handoffs into ``to_unit``."""


@pydantic_dataclass(frozen=True, slots=True, kw_only=True)
class BrokerRoles:
    """The brokerage of one unit (Gould and Fernandez)."""

    unit: str
    """Unit id."""
    coordinator: int
    """Triples a, b, c all in b's silo."""
    itinerant: int
    """a and c in one silo, b in another."""
    gatekeeper: int
    """b and c in one silo, a in another."""
    representative: int
    """a and b in one silo, c in another."""
    liaison: int
    """Three different silos."""
    total: int
    """All brokered triples."""
    betweenness: float
    """Normalized betweenness centrality in the handoff graph (estimated in a large one)."""


class SiloNetwork(Frozen):
    """The handoffs of one silo, weighted."""

    silo: str
    """Silo id."""
    units: int
    """Units of the silo that perform steps."""
    internal: float
    """Weighted handoffs between two units of the silo."""
    external_out: float
    """Weighted handoffs from the silo to another."""
    external_in: float
    """Weighted handoffs from another silo into it."""
    ei_index: float | None
    """(E - I) / (E + I) with E = external_out + external_in; None when E + I = 0."""


class NetworkSection(Section):
    """Result of the handover-network analysis."""

    weighting: Literal["volume", "count"]
    """volume when every analyzed journey gives a volume, otherwise count (weight 1)."""
    handoffs: int
    """All handoffs, unweighted (the sum of the matrix's counts)."""
    weighted_handoffs: float
    """All handoffs, weighted (the sum of the matrix's values)."""
    ei_index: float | None
    """E-I index over all handoffs: (crossings - inside) / handoffs, weighted."""
    matrix: list[HandoverCell]
    """Non-empty cells, by from unit, then to unit."""
    silos: list[SiloNetwork]
    """Per silo with handoffs, by id."""
    units: list[BrokerRoles]
    """Per unit in the handoff graph, by id."""

    def headline(self) -> list[str]:
        ei = "-" if self.ei_index is None else f"{self.ei_index:+.2f}"
        return [
            f"{self.handoffs} handoffs between {len(self.units)} units "
            f"(weighted by {self.weighting}); E-I index {ei}."
        ]

    def tables(self) -> list[Table]:
        return [
            Table(
                "Handover matrix",
                ("from", "to", "count", "weighted", "share", "of row", "of column"),
                Rows(
                    self.matrix,
                    lambda c: (
                        c.from_unit,
                        c.to_unit,
                        str(c.count),
                        format_number(c.value),
                        _p(c.share),
                        _p(c.row_share),
                        _p(c.column_share),
                    ),
                ),
                numeric=frozenset(range(2, 7)),
            ),
            Table(
                "Silos: E-I index",
                ("silo", "units", "internal", "out", "in", "E-I index"),
                Rows(
                    self.silos,
                    lambda s: (
                        s.silo,
                        str(s.units),
                        format_number(s.internal),
                        format_number(s.external_out),
                        format_number(s.external_in),
                        "-" if s.ei_index is None else f"{s.ei_index:+.2f}",
                    ),
                ),
                numeric=frozenset(range(1, 6)),
            ),
            Table(
                "Units: brokerage and betweenness",
                (
                    "unit",
                    "coordinator",
                    "itinerant",
                    "gatekeeper",
                    "representative",
                    "liaison",
                    "betweenness",
                ),
                Rows(
                    self.units,
                    lambda u: (
                        u.unit,
                        str(u.coordinator),
                        str(u.itinerant),
                        str(u.gatekeeper),
                        str(u.representative),
                        str(u.liaison),
                        f"{u.betweenness:.3f}",
                    ),
                ),
                numeric=frozenset(range(1, 7)),
            ),
        ]


section: type[Section] = NetworkSection

# The rows are built without validation (unchecked): their fields are of their types.
_CELL = unchecked(HandoverCell)
_BROKER_ROLES = unchecked(BrokerRoles)
_SILO_NETWORK = unchecked(SiloNetwork)
_NETWORK_SECTION = unchecked(NetworkSection)


def _p(value: float) -> str:
    return f"{value * 100:.1f} %"


def _shares(values: list[float], totals: list[float]) -> list[float]:
    """value / total of each pair, 0.0 where the total is 0."""
    if all(totals):
        return list(map(operator.truediv, values, totals))
    return [v / t if t else 0.0 for v, t in zip(values, totals, strict=True)]


def ei_index(external: float, internal: float) -> float | None:
    """(external - internal) / (external + internal); None when both are 0.

    >>> ei_index(3, 1)
    0.5
    """
    return ratio(external - internal, external + internal)


_ROLES = ("coordinator", "itinerant", "gatekeeper", "representative", "liaison")


def _triples(silo: Callable[[_U], object], path: Sequence[_U]) -> Iterator[tuple[_U, int]]:
    """The middle unit and its role (an index into :data:`_ROLES`) of each triple of three
    different units on ``path``, with the group of a unit ``silo(unit)``."""
    for a, b, c in zip(path, path[1:], path[2:], strict=False):
        if a in (b, c) or b == c:
            continue
        ga, gb, gc = silo(a), silo(b), silo(c)
        if ga == gb == gc:
            yield b, 0
        elif ga == gc:
            yield b, 1
        elif gb == gc:
            yield b, 2
        elif ga == gb:
            yield b, 3
        else:
            yield b, 4


def brokerage(silo: dict[str, str], path: list[str]) -> dict[str, dict[str, int]]:
    """Gould-Fernandez roles of the middle unit of each triple of three different units on
    the collapsed unit ``path``, with groups ``silo``.

    >>> brokerage({"a": "x", "b": "y", "c": "x"}, ["a", "b", "c"])
    {'b': {'itinerant': 1}}
    """
    out: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for b, role in _triples(silo.__getitem__, path):
        out[b][_ROLES[role]] += 1
    return {k: dict(v) for k, v in out.items()}


def _paths(journeys: list[Journey]) -> list[list[str]]:
    return [[u for u, _ in itertools.groupby(s.unit for s in j.steps)] for j in journeys]


def compute(ent: Enterprise, journeys: list[Journey]) -> NetworkSection:
    tree = ent.tree
    by_volume = bool(journeys) and all(j.volume is not None for j in journeys)
    weights = [(j.volume or 0.0) if by_volume else 1.0 for j in journeys]
    # The graph with integer nodes and edges in networkx's orders: nodes and each node's
    # successors and predecessors as first seen, so sums and the betweenness are the same
    # floats.
    unit_paths = _paths(journeys)
    names = list(dict.fromkeys(itertools.chain.from_iterable(unit_paths)))
    n = len(names)
    number = dict(zip(names, range(n), strict=True))
    paths = [list(map(number.__getitem__, path)) for path in unit_paths]
    # Edge a -> b as the number a * n + b; its weighted handoffs added in journey order.
    weighted: dict[int, float] = {}
    counts: Counter[int] = Counter()
    for path, w in zip(paths, weights, strict=True):
        pairs = list(map(operator.add, map(n.__mul__, path), path[1:]))
        counts.update(pairs)
        for pair in pairs:
            v = weighted.get(pair)
            weighted[pair] = w if v is None else v + w
    pair_of = list(weighted)  # edge number -> a * n + b, in first-seen order
    count = list(map(counts.__getitem__, pair_of))  # per edge
    value = list(weighted.values())  # per edge: weighted handoffs
    succ: list[list[int]] = [[] for _ in range(n)]  # per node: successor nodes
    out_edges: list[list[int]] = [[] for _ in range(n)]  # per node: edge numbers, as succ
    in_edges: list[list[int]] = [[] for _ in range(n)]  # per node: edge numbers, as first seen
    for e, (a, b) in enumerate(map(divmod, pair_of, itertools.repeat(n))):
        succ[a].append(b)
        out_edges[a].append(e)
        in_edges[b].append(e)
    silo_names = list(map(tree.silo_or_self.__getitem__, names))
    silo_ids: dict[str, int] = {}
    silo = [silo_ids.setdefault(s, len(silo_ids)) for s in silo_names]
    get_value = value.__getitem__
    total = sum(map(get_value, itertools.chain.from_iterable(out_edges)), 0.0)
    out_w = [sum(map(get_value, row)) for row in out_edges]
    in_w = [sum(map(get_value, row)) for row in in_edges]
    by_name = sorted(range(n), key=names.__getitem__)
    rank = [0] * n
    for r, a in enumerate(by_name):
        rank[a] = r
    # The cells by from unit, then to unit (by the ranks of their names), column by column.
    from_node = list(map(operator.floordiv, pair_of, itertools.repeat(n)))
    to_node = list(map(operator.mod, pair_of, itertools.repeat(n)))
    place = list(
        map(
            operator.add,
            map(n.__mul__, map(rank.__getitem__, from_node)),
            map(rank.__getitem__, to_node),
        )
    )
    cells = sorted(range(len(pair_of)), key=place.__getitem__)
    froms = list(map(from_node.__getitem__, cells))
    tos = list(map(to_node.__getitem__, cells))
    values = list(map(value.__getitem__, cells))
    matrix = unchecked_rows(
        HandoverCell,
        len(cells),
        from_unit=list(map(names.__getitem__, froms)),
        to_unit=list(map(names.__getitem__, tos)),
        count=list(map(count.__getitem__, cells)),
        value=values,
        share=_shares(values, [total] * len(cells)),
        row_share=_shares(values, list(map(out_w.__getitem__, froms))),
        column_share=_shares(values, list(map(in_w.__getitem__, tos))),
    )
    # Per silo, keyed as first added to (the overall sums add them in that order).
    internal: dict[int, float] = defaultdict(float)
    ext_out: dict[int, float] = defaultdict(float)
    ext_in: dict[int, float] = defaultdict(float)
    for a in range(n):
        sa = silo[a]
        for b, e in zip(succ[a], out_edges[a], strict=True):
            sb = silo[b]
            if sa == sb:
                internal[sa] += value[e]
            else:
                ext_out[sa] += value[e]
                ext_in[sb] += value[e]
    members = [0] * len(silo_ids)
    for sa in silo:
        members[sa] += 1
    silos = [
        _SILO_NETWORK(
            silo=name,
            units=members[i],
            internal=internal.get(i, 0.0),
            external_out=ext_out.get(i, 0.0),
            external_in=ext_in.get(i, 0.0),
            ei_index=ei_index(ext_out.get(i, 0.0) + ext_in.get(i, 0.0), internal.get(i, 0.0)),
        )
        for name, i in sorted(silo_ids.items())
    ]
    crossing = sum(ext_out.values())
    inside = sum(internal.values())
    # Brokerage: the triples of three different units on each path, by role.
    roles = [[0] * n for _ in _ROLES]  # per role, per node
    for path in paths:
        for b, role in _triples(silo.__getitem__, path):
            roles[role][b] += 1
    between, _ = betweenness(succ)
    per_role = [list(map(row.__getitem__, by_name)) for row in roles]
    units = unchecked_rows(
        BrokerRoles,
        n,
        unit=list(map(names.__getitem__, by_name)),
        **dict(zip(_ROLES, per_role, strict=True)),
        total=list(map(sum, zip(*per_role, strict=True))),
        betweenness=list(map(between.__getitem__, by_name)),
    )
    return _NETWORK_SECTION(
        weighting="volume" if by_volume else "count",
        handoffs=sum(count),
        weighted_handoffs=total,
        ei_index=ei_index(crossing, inside),
        matrix=matrix,
        silos=silos,
        units=units,
    )


#: Exact betweenness takes one search per unit, each over the whole graph: about
#: units x (units + edges) steps. Above this many steps it is estimated from as many
#: sources as fit in them (at 100,000 units and 5,000 journeys: 18,000 units, 40 sources).
BETWEENNESS_WORK = 2_000_000


def betweenness(succ: list[list[int]], work: int = BETWEENNESS_WORK) -> tuple[list[float], int]:
    """Normalized betweenness centrality (endpoints excluded) of the directed graph with the
    successor lists ``succ``, and the number of sources it was computed from.

    Brandes' algorithm with the operations of networkx's ``betweenness_centrality`` in its
    order, so exact results are the same floats. When ``n (n + m)`` exceeds ``work``, only
    ``k = work // (n + m)`` (at least 2) sources are searched, spread evenly over the nodes,
    and the sums are scaled as networkx scales a sample of ``k`` sources.

    >>> betweenness([[1], [2], []])
    ([0.0, 0.5, 0.0], 3)
    """
    n = len(succ)
    size = n + sum(map(len, succ))
    k = n if n * size <= work else min(n, max(2, work // size))
    sources = range(n) if k == n else [i * n // k for i in range(k)]
    bc = [0.0] * n
    sigma = [0.0] * n
    # The predecessor that found a node first; the further ones (ties) in ``ties``. Written
    # when a node is reached, so entries left from an earlier source are never read.
    first = [0] * n
    for s in sources:
        dist = [-1] * n
        delta = [0.0] * n
        dist[s] = 0
        sigma[s] = 1.0
        order = [s]
        reach = order.append
        ties: dict[int, list[int]] = {}
        for v in order:  # breadth first: the list grows while it is read
            step = dist[v] + 1
            sv = sigma[v]
            for w in succ[v]:
                dw = dist[w]
                if dw < 0:
                    dist[w] = step
                    reach(w)
                    sigma[w] = sv
                    first[w] = v
                elif dw == step:
                    sigma[w] += sv
                    more = ties.get(w)
                    if more is None:
                        ties[w] = [v]
                    else:
                        more.append(v)
        # Each delta[v] takes its terms in the same order as in networkx (w in reverse
        # breadth-first order); the source (order[0]) has no predecessors and no score.
        for w in order[:0:-1]:
            coeff = (1 + delta[w]) / sigma[w]
            v = first[w]
            delta[v] += sigma[v] * coeff
            if w in ties:
                for v in ties[w]:
                    delta[v] += sigma[v] * coeff
        delta[s] = 0.0
        bc = list(map(operator.add, bc, delta))
    big_n = n - 1  # networkx's N: pairs (s, t) with t != v
    if big_n < 2:
        return bc, k
    if k == n:
        scale = 1 / (big_n * (big_n - 1))
        return [b * scale for b in bc], k
    on_source = 1 / ((k - 1) * (big_n - 1))
    other = 1 / (k * (big_n - 1))
    chosen = set(sources)
    return [b * (on_source if i in chosen else other) for i, b in enumerate(bc)], k


def run(ctx: AnalysisContext) -> NetworkSection:
    """The handover network of the context's journeys, and its findings."""
    ent = ctx.enterprise
    wanted = set(ctx.journeys) if ctx.journeys is not None else None
    journeys = [j for j in ent.document.journeys if wanted is None or j.id in wanted]
    result = compute(ent, journeys)
    threshold = ctx.thresholds.ei_index_max
    index = ent.tree.index
    for s in result.silos:
        if s.units >= 2 and s.ei_index is not None and s.ei_index > threshold:
            ctx.report(
                HANDS_OFF_ALL,
                f"silo '{s.silo}': E-I index {s.ei_index:+.2f} is above "
                f"{threshold:+.2f} ({format_number(s.external_out + s.external_in)} "
                f"handoffs across its wall, {format_number(s.internal)} inside)",
                ("units", index[s.silo]) if s.silo in index else (),
                (s.silo,),
            )
    return result
