"""The enterprise graph: the document as typed nodes and edges, plus a fast tree index.

:class:`Enterprise` is what analyzers and views work on. Questions about the
solid reporting tree (silo of a unit, first common manager, subtree, path to the
root) are answered by :class:`UnitTree`, which keeps parent, depth and ancestor
tables in flat lists: built in linear time, each query O(log n) or better, so
they stay fast for 100,000 units. The full networkx graph, with every node and
edge type, is built on first use by :attr:`Enterprise.graph`.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import operator
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from functools import cached_property
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:  # networkx is imported when the graph is first built, not on every run
    import networkx as nx
from orgmodel.model import Document, Journey, Layer, Position, Step, Unit

__all__ = [
    "CommonManager",
    "EdgeType",
    "Enterprise",
    "NodeType",
    "UnitTree",
    "build_enterprise",
    "step_node_id",
]

_V = TypeVar("_V")
_LAYER = operator.attrgetter("layer")


class NodeType(str, Enum):
    """The kinds of node in the enterprise graph."""

    UNIT = "unit"
    POSITION = "position"
    SERVICE = "service"
    SEGMENT = "segment"
    PERSONA = "persona"
    STAKEHOLDER = "stakeholder"
    JOURNEY = "journey"
    STEP = "step"
    GOAL = "goal"


class EdgeType(str, Enum):
    """The kinds of edge in the enterprise graph, with their direction."""

    REPORTS_TO = "reports-to"
    """unit -> parent unit; position -> position it reports to."""
    DOTTED_LINE = "dotted-line"
    """unit -> further unit (attribute ``line``: dotted or matrix)."""
    PROVIDES_SERVICE = "provides-service"
    """provider unit -> consumer unit (attribute ``service``: the service id)."""
    OWNS = "owns"
    """unit -> journey, segment or stakeholder it owns."""
    SERVES = "serves"
    """journey -> segment or persona whose customers it serves."""
    PERFORMS = "performs"
    """unit -> step it performs."""
    NEXT_STEP = "next-step"
    """step -> following step of the same journey."""
    HOLDS_GOAL = "holds-goal"
    """unit, journey or segment -> goal."""
    IN_UNIT = "in-unit"
    """position -> its unit."""
    PART_OF = "part-of"
    """step -> its journey."""
    REPRESENTS = "represents"
    """persona -> the segment it stands for."""


def step_node_id(journey: Journey, index: int) -> str:
    """The graph node id of step ``index`` (0-based) of ``journey``: ``journey#step``."""
    step = journey.steps[index]
    return f"{journey.id}#{step.id or index + 1}"


@dataclass(frozen=True)
class CommonManager:
    """The first common manager of two units and how far up it sits."""

    unit: str
    """Id of the lowest unit that both units report to (directly or not, or are)."""
    levels: int
    """Levels from the lower (deeper) of the two units up to ``unit``."""


class UnitTree:
    """The solid reporting tree of units as flat arrays, indexed in document order."""

    def __init__(
        self, units: Sequence[Unit], silo_level: int = 1, use_markers: bool = True
    ) -> None:
        self.ids: list[str] = [u.id for u in units]
        n = len(self.ids)
        self.index: dict[str, int] = dict(zip(self.ids, range(n), strict=True))
        index = self.index
        parent = [-1 if u.parent is None else index[u.parent] for u in units]
        children: list[list[int]] = [[] for _ in range(n)]
        for i in itertools.compress(range(n), map((-1).__ne__, parent)):
            children[parent[i]].append(i)
        self.parent = parent
        self.children = children
        self.roots = [i for i in range(n) if parent[i] < 0]
        # Pre-order walk (children in document order) gives depth and entry/exit numbers. A
        # unit with children leaves its exit marker (~unit, negative) below them on the stack.
        depth = [0] * n
        enter = [0] * n
        leave = [0] * n
        order: list[int] = []
        visit = order.append
        for root in self.roots:
            stack = [root]
            while stack:
                node = stack.pop()
                if node < 0:
                    leave[~node] = len(order)
                    continue
                enter[node] = len(order)
                visit(node)
                kids = children[node]
                if kids:
                    below = depth[node] + 1
                    for child in kids:
                        depth[child] = below
                    stack.append(~node)
                    stack += reversed(kids)
                else:
                    leave[node] = len(order)
        self.depth = depth
        self.preorder = order
        self._enter = enter
        self._leave = leave
        self.silo_level = silo_level
        marked = [i for i, u in enumerate(units) if u.silo] if use_markers else []
        silo = [-1] * n
        if marked:
            is_marked = [False] * n
            for i in marked:
                is_marked[i] = True
            for node in order:
                silo[node] = (
                    node if is_marked[node] else (silo[parent[node]] if parent[node] >= 0 else -1)
                )
        else:
            for node in order:
                if depth[node] == silo_level:
                    silo[node] = node
                elif depth[node] > silo_level:
                    silo[node] = silo[parent[node]]
        self.silo_index = silo
        self.silos_marked = bool(marked)

    def __len__(self) -> int:
        return len(self.ids)

    @cached_property
    def _up(self) -> list[list[int]]:
        """Binary-lifting table: ``_up[k][v]`` is the 2**k-th ancestor of v (roots map to
        themselves)."""
        first = [p if p >= 0 else v for v, p in enumerate(self.parent)]
        table = [first]
        height = max(self.depth, default=0)
        while (1 << len(table)) <= height:
            prev = table[-1]
            table.append(list(map(prev.__getitem__, prev)))
        return table

    def _i(self, unit: str) -> int:
        try:
            return self.index[unit]
        except KeyError:
            raise KeyError(f"unknown unit {unit!r}") from None

    def parent_of(self, unit: str) -> str | None:
        """The unit ``unit`` reports to, or None at the top."""
        p = self.parent[self._i(unit)]
        return None if p < 0 else self.ids[p]

    def depth_of(self, unit: str) -> int:
        """Levels below the top of its tree (the top unit has depth 0)."""
        return self.depth[self._i(unit)]

    def silo(self, unit: str) -> str | None:
        """The silo the unit belongs to, or None for units above the silo level.

        When units are marked ``silo: true``, it is the nearest marked unit on the
        path from the unit to the top (the unit itself included); otherwise the
        unit's ancestor (or itself) at depth ``settings.silo_level``.
        """
        s = self.silo_index[self._i(unit)]
        return None if s < 0 else self.ids[s]

    @cached_property
    def silo_or_self(self) -> dict[str, str]:
        """Each unit's silo, or the unit itself above the silo level: the lane its steps are
        counted and drawn in. Filled as units are asked for (``map(silo_or_self.__getitem__,
        units)`` looks up a journey's steps in bulk)."""
        return _SiloOrSelf(self)

    def is_under(self, unit: str, ancestor: str) -> bool:
        """True when ``unit`` is ``ancestor`` or reports to it, directly or not. O(1)."""
        u, a = self._i(unit), self._i(ancestor)
        return self._enter[a] <= self._enter[u] and self._leave[u] <= self._leave[a]

    def first_common_manager(self, a: str, b: str) -> CommonManager | None:
        """The lowest unit that both ``a`` and ``b`` are under, or None in separate trees.

        Example: with board > sales > field-sales and board > service, the first
        common manager of field-sales and service is board, 2 levels up from
        field-sales. O(log n) per query.
        """
        u, v = self._i(a), self._i(b)
        m = self.common_index(u, v)
        if m < 0:
            return None
        depth = self.depth
        return CommonManager(self.ids[m], max(depth[u], depth[v]) - depth[m])

    def common_index(self, u: int, v: int) -> int:
        """:meth:`first_common_manager` of the units with tree indexes ``u`` and ``v``: the
        index of the lowest unit both are under, or -1 in separate trees. O(log n)."""
        depth = self.depth
        if depth[u] < depth[v]:
            u, v = v, u
        up = self._up
        diff = depth[u] - depth[v]
        k = 0
        while diff:
            if diff & 1:
                u = up[k][u]
            diff >>= 1
            k += 1
        if u != v:
            for k in range(len(up) - 1, -1, -1):
                if up[k][u] != up[k][v]:
                    u, v = up[k][u], up[k][v]
            u, v = self.parent[u], self.parent[v]
            if u < 0 or u != v:
                return -1
        return u

    def path_to_root(self, unit: str) -> list[str]:
        """The unit, its parent, and so on up to the top unit."""
        out = []
        i = self._i(unit)
        while i >= 0:
            out.append(self.ids[i])
            i = self.parent[i]
        return out

    def subtree(self, unit: str) -> list[str]:
        """The unit and every unit under it, in pre-order (children in document order)."""
        i = self._i(unit)
        return [self.ids[j] for j in self.preorder[self._enter[i] : self._leave[i]]]

    def children_of(self, unit: str) -> list[str]:
        """Units reporting directly to ``unit``, in document order."""
        return [self.ids[j] for j in self.children[self._i(unit)]]


class _SiloOrSelf(dict[str, str]):
    """:attr:`UnitTree.silo_or_self`: the silo of each unit asked for, computed once."""

    def __init__(self, tree: UnitTree) -> None:
        super().__init__()
        self._tree = tree

    def __missing__(self, unit: str) -> str:
        silo = self[unit] = self._tree.silo(unit) or unit
        return silo


class Enterprise:
    """A loaded document with its reporting-tree index and its networkx graph."""

    def __init__(self, document: Document, silo_level: int | None = None) -> None:
        """``silo_level``, when given, overrides the document's silo level and markers."""
        self.document = document
        self.tree = UnitTree(
            document.units,
            document.settings.silo_level if silo_level is None else silo_level,
            use_markers=silo_level is None,
        )
        self.units: dict[str, Unit] = dict(zip(self.tree.ids, document.units, strict=True))
        self.journeys: dict[str, Journey] = {j.id: j for j in document.journeys}
        self._covers: dict[str, _Memo[bool]] = {}  # owner -> unit -> covers

    @cached_property
    def positions(self) -> dict[str, Position]:
        """Positions by id."""
        return {p.id: p for p in self.document.positions}

    @cached_property
    def _providers(self) -> dict[int, set[int]]:
        """For each unit (by tree index), the units that provide it an internal service."""
        index = self.tree.index
        providers: dict[int, set[int]] = {}
        for service in self.document.services:
            providers.setdefault(index[service.consumer], set()).add(index[service.provider])
        return providers

    def covers(self, owner: str, unit: str) -> bool:
        """True when ``unit`` is ``owner`` or under it, or is or is under a unit that provides
        a declared internal service to ``owner``. O(log providers), memoized."""
        return self.covers_of(owner)[unit]

    def covers_of(self, owner: str) -> Mapping[str, bool]:
        """:meth:`covers` of ``owner`` for each unit asked for, computed once per unit
        (``map(covers_of(owner).__getitem__, units)`` looks up a journey's steps in bulk); an
        owner or a unit that is no unit of the document raises :class:`KeyError`."""
        known = self._covers.get(owner)
        if known is None:
            spans = self._cover_spans(owner)
            known = self._covers[owner] = _Memo(functools.partial(self._in_spans, spans))
        return known

    def _in_spans(self, spans: tuple[list[int], list[int]], unit: str) -> bool:
        """Whether ``unit`` is in one of the subtrees whose pre-order ``spans`` (entry and
        exit numbers, disjoint, in order) are given: its entry number falls in one of them.
        O(log spans)."""
        starts, ends = spans
        tree = self.tree
        entry = tree._enter[tree.index[unit]]
        k = bisect.bisect_right(starts, entry) - 1
        return k >= 0 and entry < ends[k]

    def _cover_spans(self, owner: str) -> tuple[list[int], list[int]]:
        """The pre-order spans (entry, exit) of ``owner``'s subtree and its providers'
        subtrees, the ones inside another left out: disjoint, in order."""
        tree = self.tree
        target = tree.index[owner]
        enter, leave = tree._enter, tree._leave
        starts: list[int] = []
        ends: list[int] = []
        # Subtrees are nested or disjoint: a span that starts inside the last one is in it.
        for node in sorted({target, *self._providers.get(target, ())}, key=enter.__getitem__):
            if not ends or enter[node] >= ends[-1]:
                starts.append(enter[node])
                ends.append(leave[node])
        return starts, ends

    @cached_property
    def _functional_above(self) -> list[int]:
        """For each unit (by tree index), the nearest functional-layer unit above it, not
        counting a top unit; -1 for none. Linear time, in one pre-order walk."""
        tree = self.tree
        functional = list(
            map(operator.is_, map(_LAYER, self.document.units), itertools.repeat(Layer.FUNCTIONAL))
        )
        parent = tree.parent
        above = [-1] * len(tree)
        for node in tree.preorder:
            p = parent[node]
            if p >= 0 and parent[p] >= 0:
                above[node] = p if functional[p] else above[p]
        return above

    def functional_above(self, unit: str) -> str | None:
        """The nearest unit of the functional layer above ``unit``, not counting the top unit
        of its tree; None when there is none. O(1)."""
        i = self._functional_above[self.tree.index[unit]]
        return None if i < 0 else self.tree.ids[i]

    @cached_property
    def overlay_of(self) -> Mapping[str, bool]:
        """:meth:`in_overlay` of each unit asked for, computed once (``map(overlay_of.__getitem__,
        units)`` looks up a journey's steps in bulk)."""
        return _Memo(self.in_overlay)

    def in_overlay(self, unit: str | None) -> bool:
        """True when ``unit`` is in the overlay: in the customer or market layer with no unit
        of the functional layer above it below the top (a customer team inside a functional
        department is part of that department). The one rule for silo crossings (J01), the
        layer analysis (L03, L04) and the overlay view; docs/metrics.md. O(1)."""
        if unit is None:
            return False
        i = self.tree.index[unit]
        return (
            self.document.units[i].layer in (Layer.CUSTOMER, Layer.MARKET)
            and self._functional_above[i] < 0
        )

    def steps(self, journey: Journey) -> Iterator[tuple[str, Step]]:
        """The steps of ``journey`` with their graph node ids, in order."""
        for index, step in enumerate(journey.steps):
            yield step_node_id(journey, index), step

    @cached_property
    def graph(self) -> nx.MultiDiGraph:
        """The whole enterprise as a typed networkx multigraph (built on first use).

        Every node has ``type`` (a :class:`NodeType` value) and ``label``; every
        edge has ``type`` (an :class:`EdgeType` value). Nodes and edges are added
        in document order, so iteration order is stable.
        """
        return _build_graph(self)


class _Memo(dict[str, _V]):
    """The values of ``compute`` for each key asked for, each computed once."""

    __slots__ = ("_compute",)

    def __init__(self, compute: Callable[[str], _V]) -> None:
        super().__init__()
        self._compute = compute

    def __missing__(self, key: str) -> _V:
        found = self[key] = self._compute(key)
        return found


def _build_graph(ent: Enterprise) -> nx.MultiDiGraph:
    import networkx as nx

    doc = ent.document
    g: nx.MultiDiGraph = nx.MultiDiGraph(name=doc.name)
    add_node = g.add_node
    add_edge = g.add_edge
    for u in doc.units:
        add_node(
            u.id, type=NodeType.UNIT.value, label=u.name, layer=u.layer.value, kind=u.kind.value
        )
    for u in doc.units:
        if u.parent is not None:
            add_edge(u.id, u.parent, type=EdgeType.REPORTS_TO.value)
        for line in u.lines:
            add_edge(u.id, line.to, type=EdgeType.DOTTED_LINE.value, line=line.kind.value)
    for p in doc.positions:
        add_node(p.id, type=NodeType.POSITION.value, label=p.title, staff=p.staff)
    for p in doc.positions:
        add_edge(p.id, p.unit, type=EdgeType.IN_UNIT.value)
        if p.reports_to is not None:
            add_edge(p.id, p.reports_to, type=EdgeType.REPORTS_TO.value)
    for s in doc.services:
        add_node(s.id, type=NodeType.SERVICE.value, label=s.name)
        add_edge(s.provider, s.consumer, type=EdgeType.PROVIDES_SERVICE.value, service=s.id)
    for seg in doc.segments:
        add_node(seg.id, type=NodeType.SEGMENT.value, label=seg.name)
        if seg.team is not None:
            add_edge(seg.team, seg.id, type=EdgeType.OWNS.value)
    for per in doc.personas:
        add_node(per.id, type=NodeType.PERSONA.value, label=per.name)
        if per.segment is not None:
            add_edge(per.id, per.segment, type=EdgeType.REPRESENTS.value)
    for st in doc.stakeholders:
        add_node(st.id, type=NodeType.STAKEHOLDER.value, label=st.name, kind=st.kind.value)
        if st.owner is not None:
            add_edge(st.owner, st.id, type=EdgeType.OWNS.value)
    for j in doc.journeys:
        add_node(j.id, type=NodeType.JOURNEY.value, label=j.name)
        if j.owner is not None:
            add_edge(j.owner, j.id, type=EdgeType.OWNS.value)
        for target in (j.segment, j.persona):
            if target is not None:
                add_edge(j.id, target, type=EdgeType.SERVES.value)
        previous = None
        for node, step in ent.steps(j):
            add_node(node, type=NodeType.STEP.value, label=step.name, journey=j.id)
            add_edge(node, j.id, type=EdgeType.PART_OF.value)
            add_edge(step.unit, node, type=EdgeType.PERFORMS.value)
            if previous is not None:
                add_edge(previous, node, type=EdgeType.NEXT_STEP.value)
            previous = node
    for goal in doc.goals:
        add_node(
            goal.id, type=NodeType.GOAL.value, label=goal.metric, orientation=goal.orientation.value
        )
        add_edge(goal.holder, goal.id, type=EdgeType.HOLDS_GOAL.value)
    return g


def build_enterprise(document: Document, silo_level: int | None = None) -> Enterprise:
    """Build the enterprise (tree index now, networkx graph on first use) from a document.

    ``silo_level`` overrides the document's silo rule (level and ``silo`` markers).
    """
    return Enterprise(document, silo_level)
