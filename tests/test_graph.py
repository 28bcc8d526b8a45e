"""The enterprise graph and the reporting-tree queries of UnitTree."""

from __future__ import annotations

import json
import random
from collections import Counter
from pathlib import Path

import pytest
from conftest import doc, unit

from orgmodel import Enterprise, build_enterprise, load_document, load_text
from orgmodel.graph import CommonManager, EdgeType, NodeType, UnitTree, step_node_id

# The hand-drawn tree, listed in a deliberately mixed document order
# (key-accounts comes before its parent field-sales):
#
#   board                       holding
#   ├── service                 └── subsidiary
#   │   └── hotline
#   │       └── complaints
#   ├── sales
#   │   ├── field-sales
#   │   │   └── key-accounts
#   │   └── inside-sales
#   └── accounting
TREE_UNITS = [
    unit("board"),
    unit("service", "board"),
    unit("sales", "board"),
    unit("hotline", "service"),
    unit("key-accounts", "field-sales"),
    unit("field-sales", "sales"),
    unit("accounting", "board"),
    unit("inside-sales", "sales"),
    unit("complaints", "hotline"),
    unit("holding"),
    unit("subsidiary", "holding"),
]
ALL_IDS = [u["id"] for u in TREE_UNITS]


def make_tree(
    units: list[dict] = TREE_UNITS, silo_level: int | None = None, marked: tuple[str, ...] = ()
) -> UnitTree:
    units = [dict(u, silo=True) if u["id"] in marked else u for u in units]
    fields: dict = {"units": units}
    if silo_level is not None:
        fields["settings"] = {"silo_level": silo_level}
    return Enterprise(load_text(json.dumps(doc(**fields)))).tree


@pytest.fixture(scope="module")
def tree() -> UnitTree:
    return make_tree()


# --------------------------------------------------------------------------- structure


def test_basic_tables(tree: UnitTree) -> None:
    assert len(tree) == 11
    assert tree.ids == ALL_IDS
    assert [tree.ids[i] for i in tree.roots] == ["board", "holding"]
    depths = {u: tree.depth_of(u) for u in ALL_IDS}
    assert depths == {
        "board": 0,
        "service": 1,
        "sales": 1,
        "hotline": 2,
        "key-accounts": 3,
        "field-sales": 2,
        "accounting": 1,
        "inside-sales": 2,
        "complaints": 3,
        "holding": 0,
        "subsidiary": 1,
    }
    assert tree.parent_of("key-accounts") == "field-sales"
    assert tree.parent_of("board") is None
    assert tree.parent_of("holding") is None


def test_children_of_in_document_order(tree: UnitTree) -> None:
    assert tree.children_of("board") == ["service", "sales", "accounting"]
    assert tree.children_of("sales") == ["field-sales", "inside-sales"]
    assert tree.children_of("field-sales") == ["key-accounts"]
    assert tree.children_of("complaints") == []
    assert tree.children_of("holding") == ["subsidiary"]


def test_subtree_is_pre_order_in_document_order(tree: UnitTree) -> None:
    assert tree.subtree("board") == [
        "board",
        "service",
        "hotline",
        "complaints",
        "sales",
        "field-sales",
        "key-accounts",
        "inside-sales",
        "accounting",
    ]
    assert tree.subtree("sales") == ["sales", "field-sales", "key-accounts", "inside-sales"]
    assert tree.subtree("accounting") == ["accounting"]
    assert tree.subtree("holding") == ["holding", "subsidiary"]
    assert [tree.ids[i] for i in tree.preorder] == [
        *tree.subtree("board"),
        *tree.subtree("holding"),
    ]


def test_path_to_root(tree: UnitTree) -> None:
    assert tree.path_to_root("key-accounts") == ["key-accounts", "field-sales", "sales", "board"]
    assert tree.path_to_root("complaints") == ["complaints", "hotline", "service", "board"]
    assert tree.path_to_root("board") == ["board"]
    assert tree.path_to_root("subsidiary") == ["subsidiary", "holding"]


@pytest.mark.parametrize(
    ("u", "ancestor", "expected"),
    [
        ("key-accounts", "sales", True),
        ("key-accounts", "board", True),
        ("key-accounts", "key-accounts", True),
        ("sales", "key-accounts", False),
        ("inside-sales", "field-sales", False),  # next in pre-order, but a sibling
        ("field-sales", "inside-sales", False),
        ("accounting", "sales", False),
        ("hotline", "sales", False),
        ("subsidiary", "board", False),
        ("board", "holding", False),
        ("subsidiary", "holding", True),
    ],
)
def test_is_under(tree: UnitTree, u: str, ancestor: str, expected: bool) -> None:
    assert tree.is_under(u, ancestor) is expected


def test_unknown_unit_raises_key_error(tree: UnitTree) -> None:
    for query in (
        tree.parent_of,
        tree.depth_of,
        tree.silo,
        tree.path_to_root,
        tree.subtree,
        tree.children_of,
    ):
        with pytest.raises(KeyError, match="unknown unit 'nope'"):
            query("nope")
    with pytest.raises(KeyError, match="unknown unit 'nope'"):
        tree.first_common_manager("board", "nope")
    with pytest.raises(KeyError, match="unknown unit 'nope'"):
        tree.is_under("nope", "board")


# --------------------------------------------------------------------------- silos


def test_silo_default_level_1(tree: UnitTree) -> None:
    assert tree.silo_level == 1
    assert not tree.silos_marked
    assert {u: tree.silo(u) for u in ALL_IDS} == {
        "board": None,
        "service": "service",
        "hotline": "service",
        "complaints": "service",
        "sales": "sales",
        "field-sales": "sales",
        "key-accounts": "sales",
        "inside-sales": "sales",
        "accounting": "accounting",
        "holding": None,
        "subsidiary": "subsidiary",
    }


def test_silo_level_2() -> None:
    tree = make_tree(silo_level=2)
    assert tree.silo_level == 2
    assert {u: tree.silo(u) for u in ALL_IDS} == {
        "board": None,
        "service": None,
        "sales": None,
        "accounting": None,
        "hotline": "hotline",
        "complaints": "hotline",
        "field-sales": "field-sales",
        "key-accounts": "field-sales",
        "inside-sales": "inside-sales",
        "holding": None,
        "subsidiary": None,
    }


def test_silo_level_0_is_the_top_unit() -> None:
    tree = make_tree(silo_level=0)
    assert {u: tree.silo(u) for u in ALL_IDS} == {
        u: ("holding" if u in ("holding", "subsidiary") else "board") for u in ALL_IDS
    }


def test_silo_markers_win_over_the_level() -> None:
    tree = make_tree(silo_level=2, marked=("sales", "field-sales", "hotline"))
    assert tree.silos_marked
    assert {u: tree.silo(u) for u in ALL_IDS} == {
        # units above any marked unit, and unmarked branches, have no silo
        "board": None,
        "service": None,
        "accounting": None,
        "holding": None,
        "subsidiary": None,
        # the nearest marked unit on the way up, the unit itself included
        "sales": "sales",
        "inside-sales": "sales",
        "field-sales": "field-sales",
        "key-accounts": "field-sales",
        "hotline": "hotline",
        "complaints": "hotline",
    }


def test_silo_level_override_ignores_level_setting_and_markers() -> None:
    units = [dict(u, silo=True) if u["id"] == "field-sales" else u for u in TREE_UNITS]
    d = load_text(json.dumps(doc(units=units, settings={"silo_level": 1})))
    assert build_enterprise(d).tree.silo("key-accounts") == "field-sales"  # the marker
    tree = build_enterprise(d, silo_level=1).tree
    assert not tree.silos_marked
    assert tree.silo("key-accounts") == "sales"
    assert tree.silo("hotline") == "service"
    tree = build_enterprise(d, silo_level=3).tree
    assert [u for u in ALL_IDS if tree.silo(u) is not None] == ["key-accounts", "complaints"]


def test_enterprise_reads_silo_level_from_settings() -> None:
    d = load_text(json.dumps(doc(units=TREE_UNITS, settings={"silo_level": 2})))
    assert build_enterprise(d).tree.silo("key-accounts") == "field-sales"


# --------------------------------------------------------------------------- first common manager


@pytest.mark.parametrize(
    ("a", "b", "manager", "levels"),
    [
        ("field-sales", "service", "board", 2),  # the docstring's example
        ("key-accounts", "hotline", "board", 3),  # counted from the deeper unit
        ("hotline", "key-accounts", "board", 3),
        ("key-accounts", "inside-sales", "sales", 2),
        ("field-sales", "inside-sales", "sales", 1),
        ("complaints", "accounting", "board", 3),
        ("hotline", "hotline", "hotline", 0),  # same unit
        ("board", "board", "board", 0),
        ("sales", "key-accounts", "sales", 2),  # ancestor and descendant
        ("key-accounts", "sales", "sales", 2),
        ("board", "complaints", "board", 3),
        ("subsidiary", "holding", "holding", 1),
    ],
)
def test_first_common_manager(tree: UnitTree, a: str, b: str, manager: str, levels: int) -> None:
    assert tree.first_common_manager(a, b) == CommonManager(manager, levels)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("hotline", "subsidiary"),
        ("holding", "board"),
        ("key-accounts", "holding"),
        ("subsidiary", "complaints"),
    ],
)
def test_first_common_manager_in_separate_trees(tree: UnitTree, a: str, b: str) -> None:
    assert tree.first_common_manager(a, b) is None


def naive_parent_map(units: list[dict]) -> dict[str, str | None]:
    return {u["id"]: u.get("parent") for u in units}


def naive_fcm(parents: dict[str, str | None], a: str, b: str) -> CommonManager | None:
    def chain(u: str) -> list[str]:
        out = [u]
        while parents[out[-1]] is not None:
            out.append(parents[out[-1]])
        return out

    ca, cb = chain(a), chain(b)
    above_b = set(cb)
    for manager in ca:
        if manager in above_b:
            levels = max(ca.index(manager), cb.index(manager))
            return CommonManager(manager, levels)
    return None


def test_all_pairs_of_the_hand_drawn_tree_agree_with_naive(tree: UnitTree) -> None:
    parents = naive_parent_map(TREE_UNITS)
    for a in ALL_IDS:
        for b in ALL_IDS:
            assert tree.first_common_manager(a, b) == naive_fcm(parents, a, b), (a, b)


def test_deep_chain_of_1000_units_against_naive() -> None:
    rng = random.Random(20240501)
    units = [unit("c0")]
    units += [unit(f"c{i}", f"c{i - 1}") for i in range(1, 1000)]
    # side branches hanging off random chain units and off each other
    for i in range(300):
        parent = rng.choice([u["id"] for u in units])
        units.append(unit(f"b{i}", parent))
    rng.shuffle(units)  # document order must not matter
    d = load_text(json.dumps(doc(units=units)))
    tree = build_enterprise(d).tree
    parents = naive_parent_map(units)
    assert tree.depth_of("c999") == 999
    assert tree.path_to_root("c999") == [f"c{i}" for i in range(999, -1, -1)]
    assert tree.first_common_manager("c999", "c0") == CommonManager("c0", 999)
    assert tree.first_common_manager("c500", "c999") == CommonManager("c500", 499)
    assert tree.silo("c999") == "c1"
    ids = [u["id"] for u in units]
    for _ in range(2000):
        a, b = rng.choice(ids), rng.choice(ids)
        assert tree.first_common_manager(a, b) == naive_fcm(parents, a, b), (a, b)
    for _ in range(500):
        a, b = rng.choice(ids), rng.choice(ids)
        fcm = naive_fcm(parents, a, b)
        assert tree.is_under(a, b) is (fcm is not None and fcm.unit == b), (a, b)


# --------------------------------------------------------------------------- the enterprise graph


@pytest.fixture(scope="module")
def enterprise() -> Enterprise:
    return build_enterprise(load_document(Path(__file__).parent / "data" / "valid.json"))


def test_node_and_edge_type_values() -> None:
    assert {t.value for t in NodeType} == {
        "unit",
        "position",
        "service",
        "segment",
        "persona",
        "stakeholder",
        "journey",
        "step",
        "goal",
    }
    assert {t.value for t in EdgeType} == {
        "reports-to",
        "dotted-line",
        "provides-service",
        "owns",
        "serves",
        "performs",
        "next-step",
        "holds-goal",
        "in-unit",
        "part-of",
        "represents",
    }


def test_enterprise_indexes(enterprise: Enterprise) -> None:
    assert list(enterprise.units) == [
        "board",
        "sales",
        "field-sales",
        "service",
        "hotline",
        "accounting",
        "smb-team",
    ]
    assert list(enterprise.journeys) == ["invoice-question"]
    assert list(enterprise.positions) == ["ceo", "head-service", "assistant"]
    journey = enterprise.journeys["invoice-question"]
    assert [node for node, _ in enterprise.steps(journey)] == [
        "invoice-question#1",
        "invoice-question#forward",
        "invoice-question#3",
        "invoice-question#4",
    ]
    assert [step_node_id(journey, i) for i in range(4)] == [
        node for node, _ in enterprise.steps(journey)
    ]
    # marked silos in the fixture: sales and service
    assert enterprise.tree.silo("field-sales") == "sales"
    assert enterprise.tree.silo("hotline") == "service"
    assert enterprise.tree.silo("accounting") is None


def test_graph_nodes(enterprise: Enterprise) -> None:
    g = enterprise.graph
    assert g is enterprise.graph  # built once
    assert g.graph["name"] == "Telecom Ltd, current organization"
    types = {node: data["type"] for node, data in g.nodes(data=True)}
    assert types == {
        "board": "unit",
        "sales": "unit",
        "field-sales": "unit",
        "service": "unit",
        "hotline": "unit",
        "accounting": "unit",
        "smb-team": "unit",
        "ceo": "position",
        "head-service": "position",
        "assistant": "position",
        "invoice-clarification": "service",
        "smb": "segment",
        "petra": "persona",
        "regulator": "stakeholder",
        "invoice-question": "journey",
        "invoice-question#1": "step",
        "invoice-question#forward": "step",
        "invoice-question#3": "step",
        "invoice-question#4": "step",
        "cost-per-call": "goal",
        "smb-value": "goal",
        "invoice-fcr": "goal",
    }
    assert all(data["label"] for _, data in g.nodes(data=True))
    assert g.nodes["hotline"] == {
        "type": "unit",
        "label": "Hotline",
        "layer": "functional",
        "kind": "team",
    }
    assert g.nodes["smb-team"]["layer"] == "customer"
    assert g.nodes["assistant"]["staff"] is True
    assert g.nodes["regulator"]["kind"] == "regulator"
    assert g.nodes["invoice-question#forward"] == {
        "type": "step",
        "label": "Hotline forwards the ticket",
        "journey": "invoice-question",
    }
    assert g.nodes["smb-value"]["orientation"] == "customer"
    assert g.nodes["cost-per-call"]["label"] == "Cost per call"


def test_graph_edges(enterprise: Enterprise) -> None:
    g = enterprise.graph
    edges = [(u, v, data["type"]) for u, v, data in g.edges(data=True)]
    assert Counter(t for *_, t in edges) == {
        "reports-to": 8,
        "dotted-line": 1,
        "in-unit": 3,
        "provides-service": 1,
        "owns": 3,
        "represents": 1,
        "serves": 2,
        "part-of": 4,
        "performs": 4,
        "next-step": 3,
        "holds-goal": 3,
    }
    q = "invoice-question"
    assert set(edges) == {
        ("sales", "board", "reports-to"),
        ("field-sales", "sales", "reports-to"),
        ("service", "board", "reports-to"),
        ("hotline", "service", "reports-to"),
        ("accounting", "board", "reports-to"),
        ("smb-team", "board", "reports-to"),
        ("hotline", "sales", "dotted-line"),
        ("ceo", "board", "in-unit"),
        ("head-service", "service", "in-unit"),
        ("assistant", "board", "in-unit"),
        ("head-service", "ceo", "reports-to"),
        ("assistant", "ceo", "reports-to"),
        ("accounting", "smb-team", "provides-service"),
        ("smb-team", "smb", "owns"),
        ("board", "regulator", "owns"),
        ("smb-team", q, "owns"),
        ("petra", "smb", "represents"),
        (q, "smb", "serves"),
        (q, "petra", "serves"),
        (f"{q}#1", q, "part-of"),
        (f"{q}#forward", q, "part-of"),
        (f"{q}#3", q, "part-of"),
        (f"{q}#4", q, "part-of"),
        ("hotline", f"{q}#1", "performs"),
        ("hotline", f"{q}#forward", "performs"),
        ("accounting", f"{q}#3", "performs"),
        ("accounting", f"{q}#4", "performs"),
        (f"{q}#1", f"{q}#forward", "next-step"),
        (f"{q}#forward", f"{q}#3", "next-step"),
        (f"{q}#3", f"{q}#4", "next-step"),
        ("hotline", "cost-per-call", "holds-goal"),
        ("smb", "smb-value", "holds-goal"),
        (q, "invoice-fcr", "holds-goal"),
    }
    assert len(edges) == len(set(edges)) == 33
    [(_, _, line)] = [e for e in g.edges(data=True) if e[2]["type"] == "dotted-line"]
    assert line["line"] == "matrix"
    [(_, _, svc)] = [e for e in g.edges(data=True) if e[2]["type"] == "provides-service"]
    assert svc["service"] == "invoice-clarification"


def test_graph_edge_types_are_enum_values(enterprise: Enterprise) -> None:
    values = {t.value for t in EdgeType}
    assert {data["type"] for *_, data in enterprise.graph.edges(data=True)} <= values
    node_values = {t.value for t in NodeType}
    assert {data["type"] for _, data in enterprise.graph.nodes(data=True)} == node_values


def test_graph_order_is_stable_and_follows_the_document(valid_path: Path) -> None:
    first = build_enterprise(load_document(valid_path)).graph
    second = build_enterprise(load_document(valid_path)).graph
    assert list(first.nodes(data=True)) == list(second.nodes(data=True))
    assert list(first.edges(keys=True, data=True)) == list(second.edges(keys=True, data=True))
    assert list(first.nodes)[:7] == [
        "board",
        "sales",
        "field-sales",
        "service",
        "hotline",
        "accounting",
        "smb-team",
    ]


def test_parallel_edges_are_kept() -> None:
    """Two services between the same two units are two edges of the multigraph."""
    d = load_text(
        json.dumps(
            doc(
                units=[unit("board"), unit("a", "board"), unit("b", "board")],
                services=[
                    {"id": "s1", "name": "S1", "provider": "a", "consumer": "b"},
                    {"id": "s2", "name": "S2", "provider": "a", "consumer": "b"},
                ],
            )
        )
    )
    g = build_enterprise(d).graph
    services = [
        (u, v, data["service"])
        for u, v, data in g.edges("a", data=True)
        if data["type"] == "provides-service"
    ]
    assert services == [("a", "b", "s1"), ("a", "b", "s2")]


def test_covers_the_owners_and_its_providers_subtrees_nested_spans_included() -> None:
    # hotline is served by sales, by field-sales (inside sales), by complaints (inside
    # hotline itself) and by holding (another tree): nested spans count once, the others
    # not at all.
    services = [
        {"id": f"s-{p}", "name": p, "provider": p, "consumer": "hotline"}
        for p in ("field-sales", "sales", "complaints", "holding")
    ]
    ent = Enterprise(load_text(json.dumps(doc(units=TREE_UNITS, services=services))))
    covered = {
        "hotline",
        "complaints",
        "sales",
        "field-sales",
        "key-accounts",
        "inside-sales",
        "holding",
        "subsidiary",
    }
    assert {u for u in ALL_IDS if ent.covers("hotline", u)} == covered
    assert [u for u in ALL_IDS if ent.covers_of("complaints")[u]] == ["complaints"]
    assert {u for u in ALL_IDS if ent.covers("board", u)} == set(ALL_IDS) - {
        "holding",
        "subsidiary",
    }
