"""The handover network against hand-computed figures and independent counts (definitions:
docs/metrics.md, "The handover network"). Organization of test_analysis_silos: field and
inside in silo sales, billing in finance, hotline and complaints in service."""

from __future__ import annotations

import json

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from orgmodel.analysis import analyze
from orgmodel.analysis.network import NetworkSection, betweenness, brokerage
from orgmodel.analysis.silos import SiloSection
from orgmodel.graph import build_enterprise
from orgmodel.loader import load_text
from tests.test_analysis_silos import UNITS, enterprise, journey


def step(unit: str) -> dict:
    return {"name": f"step at {unit}", "unit": unit}


def network(*journeys: dict) -> NetworkSection:
    section = analyze(enterprise(*journeys)).section("network")
    assert isinstance(section, NetworkSection)
    return section


def two_journeys() -> NetworkSection:
    return network(
        journey(
            [step("field"), step("inside"), step("billing"), step("hotline")], jid="j1", volume=2.0
        ),
        journey([step("hotline"), step("billing")], jid="j2", volume=1.0),
    )


def test_handover_matrix_in_four_forms() -> None:
    n = two_journeys()
    assert n.weighting == "volume"
    assert (n.handoffs, n.weighted_handoffs) == (4, 7)
    cells = {(c.from_unit, c.to_unit): c for c in n.matrix}
    assert {k: (c.count, c.value) for k, c in cells.items()} == {
        ("field", "inside"): (1, 2),
        ("inside", "billing"): (1, 2),
        ("billing", "hotline"): (1, 2),
        ("hotline", "billing"): (1, 1),
    }
    ib = cells[("inside", "billing")]
    assert (ib.share, ib.row_share, ib.column_share) == pytest.approx((2 / 7, 1, 2 / 3))
    hb = cells[("hotline", "billing")]
    assert (hb.share, hb.row_share, hb.column_share) == pytest.approx((1 / 7, 1, 1 / 3))


def test_weighting_falls_back_to_counts_when_a_journey_has_no_volume() -> None:
    n = network(
        journey([step("field"), step("billing")], jid="j1", volume=5.0),
        journey([step("billing"), step("hotline")], jid="j2"),
    )
    assert n.weighting == "count"
    assert [c.value for c in n.matrix] == [1, 1]


def test_ei_index_per_silo_and_overall() -> None:
    silos = {s.silo: s for s in two_journeys().silos}
    # sales: inside 2 (field -> inside), out 2 (inside -> billing): (2 - 2) / 4 = 0.
    assert (
        silos["sales"].internal,
        silos["sales"].external_out,
        silos["sales"].external_in,
        silos["sales"].ei_index,
    ) == (2, 2, 0, 0)
    # finance: out 2 (billing -> hotline), in 2 + 1: all external.
    assert silos["finance"].ei_index == 1
    assert silos["service"].ei_index == 1
    # Overall: crossings 2 + 2 + 1 = 5, inside 2: (5 - 2) / 7.
    assert two_journeys().ei_index == pytest.approx(3 / 7)


def test_brokerage_roles() -> None:
    units = {u.unit: u for u in two_journeys().units}
    # field, inside, billing: sales, sales, finance -> inside is a representative;
    # inside, billing, hotline: three silos -> billing is a liaison.
    assert units["inside"].representative == 1 and units["inside"].total == 1
    assert units["billing"].liaison == 1 and units["billing"].total == 1
    assert units["field"].total == units["hotline"].total == 0
    silo = {"a": "x", "b": "x", "c": "x", "d": "y", "e": "y"}
    assert brokerage(silo, ["a", "b", "c"]) == {"b": {"coordinator": 1}}
    assert brokerage(silo, ["a", "d", "b"]) == {"d": {"itinerant": 1}}
    assert brokerage(silo, ["a", "d", "e"]) == {"d": {"gatekeeper": 1}}
    assert brokerage(silo, ["a", "b", "d"]) == {"b": {"representative": 1}}
    assert brokerage({**silo, "f": "z"}, ["a", "d", "f"]) == {"d": {"liaison": 1}}
    assert brokerage(silo, ["a", "b", "a"]) == {}  # direct ping-pong, no brokerage


def test_betweenness_against_a_naive_count() -> None:
    # Edges field -> inside -> billing <-> hotline. Shortest paths through inside: field ->
    # billing, field -> hotline; through billing: field -> hotline, inside -> hotline.
    # Normalized for a directed graph of 4 nodes: / ((4 - 1)(4 - 2)) = / 6.
    units = {u.unit: u.betweenness for u in two_journeys().units}
    assert units == pytest.approx({"field": 0, "inside": 2 / 6, "billing": 2 / 6, "hotline": 0})


def test_shares_of_handoffs_without_weight_are_zero() -> None:
    # field -> billing weighs 0: its row (field's handoffs out) sums to 0, its share is 0 of 3.
    n = network(
        journey([step("field"), step("billing")], jid="j1", volume=0.0),
        journey([step("hotline"), step("billing")], jid="j2", volume=3.0),
    )
    assert [
        (c.from_unit, c.to_unit, c.count, c.value, c.share, c.row_share, c.column_share)
        for c in n.matrix
    ] == [
        ("field", "billing", 1, 0.0, 0.0, 0.0, 0.0),
        ("hotline", "billing", 1, 3.0, 1.0, 1.0, 1.0),
    ]
    # Nothing weighs anything: every share is 0.
    n = network(journey([step("field"), step("billing"), step("field")], volume=0.0))
    assert [(c.from_unit, c.share, c.row_share, c.column_share) for c in n.matrix] == [
        ("billing", 0.0, 0.0, 0.0),
        ("field", 0.0, 0.0, 0.0),
    ]
    assert n.weighted_handoffs == 0.0


def test_one_step_journey_has_an_empty_network() -> None:
    n = network(journey([step("hotline")]))
    assert (n.handoffs, n.matrix, n.ei_index) == (0, [], None)
    assert [u.unit for u in n.units] == ["hotline"]


_UNITS = ["field", "inside", "billing", "dunning", "hotline", "complaints"]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.lists(st.sampled_from(_UNITS), min_size=1, max_size=6),
            st.none() | st.floats(0, 1000),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_properties_of_the_network(specs: list) -> None:
    journeys = [
        journey([step(u) for u in units], jid=f"j{i}", **({} if v is None else {"volume": v}))
        for i, (units, v) in enumerate(specs)
    ]
    ent = build_enterprise(
        load_text(json.dumps({"orgmodel": "1", "name": "T", "units": UNITS, "journeys": journeys}))
    )
    report = analyze(ent)
    n = report.section("network")
    s = report.section("silos")
    assert isinstance(n, NetworkSection) and isinstance(s, SiloSection)
    assert sum(c.count for c in n.matrix) == n.handoffs == s.totals.handoffs
    if n.weighting == "volume":
        assert sum(c.value for c in n.matrix) == pytest.approx(s.totals.weighted.handoffs)
    for value in [n.ei_index, *(x.ei_index for x in n.silos)]:
        assert value is None or -1 <= value <= 1
    # Betweenness as networkx computes it on the unweighted graph of distinct handoffs.
    g = nx.DiGraph((c.from_unit, c.to_unit) for c in n.matrix)
    g.add_nodes_from(u.unit for u in n.units)
    assert {u.unit: u.betweenness for u in n.units} == pytest.approx(nx.betweenness_centrality(g))


def _succ(g: nx.DiGraph) -> tuple[list[str], list[list[int]]]:
    names = list(g.nodes)
    index = {u: i for i, u in enumerate(names)}
    return names, [[index[w] for w in g[u]] for u in names]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 9), st.integers(0, 9)), max_size=40))
def test_betweenness_is_networkx_bit_for_bit(edges: list[tuple[int, int]]) -> None:
    g = nx.DiGraph((f"u{a}", f"u{b}") for a, b in edges if a != b)
    names, succ = _succ(g)
    expected = nx.betweenness_centrality(g, normalized=True)
    values, sources = betweenness(succ)
    assert sources == len(names)
    assert dict(zip(names, values, strict=True)) == expected  # ==, not approx: same floats


def test_betweenness_of_a_large_graph_is_estimated_from_evenly_spaced_sources() -> None:
    # a -> b -> c -> d, work bound 2 (4 + 3): two sources, a and c (indexes 0 and 2).
    # From a, b lies on a -> c and a -> d (2), c on a -> d (1); from c nothing. Scaled as
    # networkx scales a sample without endpoints: sources by 1 / ((k - 1)(n - 2)) = 1 / 2,
    # the others by 1 / (k (n - 2)) = 1 / 4.
    values, sources = betweenness([[1], [2], [3], []], work=2 * 7)
    assert sources == 2
    assert values == [0.0, 2 / 4, 1 / 2, 0.0]
    assert betweenness([[1], [2], [3], []], work=4 * 7) == ([0.0, 2 / 6, 2 / 6, 0.0], 4)
