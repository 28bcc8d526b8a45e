"""Property-based tests: generated valid documents load and agree with naive tree queries;
mutated documents fail with located diagnostics and never with another exception."""

from __future__ import annotations

import copy
import json
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from orgmodel import Diagnostic, Document, DocumentInvalid, build_enterprise, load_text
from orgmodel.graph import CommonManager, NodeType
from orgmodel.loader import _MODELS, _RAW, _meaning_problems
from orgmodel.model import COLLECTIONS

SETTINGS = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
UNIT_SECONDS = {"w": 604800, "d": 86400, "h": 3600, "m": 60, "s": 1}
CODES = {"io", "json", "shape", "duplicate-id", "reference", "cycle"}

# Ids: no white space, "/" or "#"; some non-ASCII characters so that columns count characters.
ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789-_.äéø日本😀"
ids_strategy = st.text(alphabet=ID_ALPHABET, min_size=1, max_size=8)
names = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), max_codepoint=0x1F600),
    min_size=1,
    max_size=12,
)


@cache
def schema_validator() -> Draft202012Validator:
    schema = json.loads((ROOT / "schemas" / "orgmodel.schema.json").read_text(encoding="utf-8"))
    return Draft202012Validator(schema)


@st.composite
def durations(draw: st.DrawFn) -> tuple[str, int]:
    """A duration string and its number of seconds."""
    parts, total = [], 0
    for unit in "wdhms":
        if draw(st.booleans()):
            count = draw(st.integers(min_value=0, max_value=40))
            half = unit != "s" and draw(st.booleans())
            parts.append(f"{count}.5{unit}" if half else f"{count}{unit}")
            total += count * UNIT_SECONDS[unit] + (UNIT_SECONDS[unit] // 2 if half else 0)
    sep = draw(st.sampled_from(["", " "]))
    return (sep.join(parts) or "0"), total


@st.composite
def valid_documents(draw: st.DrawFn) -> dict[str, Any]:
    """A valid document together with what the test expects (under the key ``_expect``)."""
    n_units = draw(st.integers(min_value=1, max_value=20))
    n_pos = draw(st.integers(min_value=0, max_value=5))
    n_svc = draw(st.integers(min_value=0, max_value=3))
    n_seg = draw(st.integers(min_value=0, max_value=3))
    n_per = draw(st.integers(min_value=0, max_value=3))
    n_stk = draw(st.integers(min_value=0, max_value=2))
    n_jny = draw(st.integers(min_value=0, max_value=3))
    n_goal = draw(st.integers(min_value=0, max_value=4))
    total = n_units + n_pos + n_svc + n_seg + n_per + n_stk + n_jny + n_goal
    pool = draw(st.lists(ids_strategy, min_size=total, max_size=total, unique=True))
    take = iter(pool)
    unit_ids = [next(take) for _ in range(n_units)]

    # A random forest: each unit reports to an earlier one (or is a top unit), then the
    # document order is shuffled so that parents may come after their children.
    parents: dict[str, str | None] = {unit_ids[0]: None}
    for i in range(1, n_units):
        top = draw(st.integers(min_value=0, max_value=9)) == 0
        parents[unit_ids[i]] = None if top else unit_ids[draw(st.integers(0, i - 1))]
    order = draw(st.permutations(unit_ids))
    pick_unit = st.sampled_from(unit_ids)
    units = []
    for ident in order:
        u: dict[str, Any] = {"id": ident, "name": draw(names)}
        if parents[ident] is not None:
            u["parent"] = parents[ident]
        if draw(st.integers(0, 5)) == 0:
            u["silo"] = True
        if draw(st.integers(0, 4)) == 0:
            line_kind = draw(st.sampled_from(["dotted", "matrix"]))
            u["lines"] = [{"to": draw(pick_unit), "kind": line_kind}]
        if draw(st.booleans()):
            u["kind"] = draw(st.sampled_from(["board", "division", "department", "team"]))
        if draw(st.booleans()):
            u["headcount"] = draw(st.integers(min_value=0, max_value=500))
        units.append(u)

    positions = []
    for k in range(n_pos):
        p: dict[str, Any] = {"id": next(take), "title": draw(names), "unit": draw(pick_unit)}
        if k and draw(st.booleans()):  # reports to an earlier position: no cycles
            p["reports_to"] = positions[draw(st.integers(0, k - 1))]["id"]
        positions.append(p)
    services = [
        {
            "id": next(take),
            "name": draw(names),
            "provider": draw(pick_unit),
            "consumer": draw(pick_unit),
        }
        for _ in range(n_svc)
    ]
    segments = []
    for _ in range(n_seg):
        s: dict[str, Any] = {"id": next(take), "name": draw(names)}
        if draw(st.booleans()):
            s["team"] = draw(pick_unit)
        segments.append(s)
    segment_ids = [s["id"] for s in segments]
    personas = []
    for _ in range(n_per):
        p = {"id": next(take), "name": draw(names)}
        if segment_ids and draw(st.booleans()):
            p["segment"] = draw(st.sampled_from(segment_ids))
        personas.append(p)
    stakeholders = []
    for _ in range(n_stk):
        s = {
            "id": next(take),
            "name": draw(names),
            "kind": draw(st.sampled_from(["supplier", "partner", "regulator"])),
        }
        if draw(st.booleans()):
            s["owner"] = draw(pick_unit)
        stakeholders.append(s)

    journeys, seconds = [], []
    for _ in range(n_jny):
        n_steps = draw(st.integers(min_value=1, max_value=5))
        step_ids = draw(
            st.lists(
                ids_strategy.filter(lambda s: not s.isdigit()),
                min_size=n_steps,
                max_size=n_steps,
                unique=True,
            )
        )
        steps, journey_seconds = [], []
        for index in range(n_steps):
            step: dict[str, Any] = {"name": draw(names), "unit": draw(pick_unit)}
            if draw(st.booleans()):
                step["id"] = step_ids[index]
            work, work_s = draw(durations())
            wait, wait_s = draw(durations())
            if draw(st.booleans()):
                step["work"] = work
            else:
                work_s = 0
            if draw(st.booleans()):
                step["wait"] = wait
            else:
                wait_s = 0
            steps.append(step)
            journey_seconds.append((work_s, wait_s))
        j: dict[str, Any] = {"id": next(take), "name": draw(names), "steps": steps}
        if segment_ids and draw(st.booleans()):
            j["segment"] = draw(st.sampled_from(segment_ids))
        if personas and draw(st.booleans()):
            j["persona"] = draw(st.sampled_from([p["id"] for p in personas]))
        if draw(st.booleans()):
            j["owner"] = draw(pick_unit)
        journeys.append(j)
        seconds.append(journey_seconds)

    holders = unit_ids + segment_ids + [j["id"] for j in journeys]
    goals = [
        {
            "id": next(take),
            "metric": draw(names),
            "holder": draw(st.sampled_from(holders)),
            "orientation": draw(st.sampled_from(["functional", "customer"])),
        }
        for _ in range(n_goal)
    ]

    document: dict[str, Any] = {"orgmodel": "1", "name": draw(names)}
    silo_level = draw(st.none() | st.integers(min_value=0, max_value=3))
    if silo_level is not None:
        document["settings"] = {"silo_level": silo_level}
    document["units"] = units
    for key, items in (
        ("positions", positions),
        ("services", services),
        ("segments", segments),
        ("personas", personas),
        ("stakeholders", stakeholders),
        ("journeys", journeys),
        ("goals", goals),
    ):
        if items or draw(st.booleans()):
            document[key] = items
    document["_expect"] = {"parents": parents, "seconds": seconds}
    return document


def split(document: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    document = dict(document)
    expect = document.pop("_expect")
    return document, expect


def dumps(document: dict[str, Any], style: int) -> str:
    if style == 0:
        return json.dumps(document)
    if style == 1:
        return json.dumps(document, indent=2, ensure_ascii=False)
    return json.dumps(document, indent="\t", ensure_ascii=False).replace("\n", "\r\n")


# --------------------------------------------------------------------------- naive tree


def naive_chain(parents: dict[str, str | None], u: str) -> list[str]:
    out = [u]
    while parents[out[-1]] is not None:
        out.append(parents[out[-1]])
    return out


def naive_fcm(parents: dict[str, str | None], a: str, b: str) -> CommonManager | None:
    ca, cb = naive_chain(parents, a), naive_chain(parents, b)
    for m in ca:
        if m in cb:
            return CommonManager(m, max(ca.index(m), cb.index(m)))
    return None


def naive_subtree(order: list[str], parents: dict[str, str | None], u: str) -> list[str]:
    out = [u]
    for child in (c for c in order if parents[c] == u):
        out += naive_subtree(order, parents, child)
    return out


def naive_silo(parents: dict[str, str | None], marked: set[str], level: int, u: str) -> str | None:
    chain = naive_chain(parents, u)
    if marked:
        return next((m for m in chain if m in marked), None)
    top_down = chain[::-1]
    return top_down[level] if len(top_down) > level else None


# --------------------------------------------------------------------------- valid documents


@SETTINGS
@given(valid_documents(), st.integers(min_value=0, max_value=2))
def test_generated_documents_load_and_agree_with_naive_queries(
    generated: dict[str, Any], style: int
) -> None:
    data, expect = split(generated)
    text = dumps(data, style)
    document = load_text(text)
    assert isinstance(document, Document)
    assert list(schema_validator().iter_errors(data)) == []  # the published schema agrees

    # durations are the hand-summed seconds
    for journey, seconds in zip(document.journeys, expect["seconds"], strict=True):
        assert [(s.work, s.wait) for s in journey.steps] == seconds

    ent = build_enterprise(document)
    g = ent.graph
    counts = {key: len(data.get(key, [])) for key, _ in COLLECTIONS}
    n_steps = sum(len(j["steps"]) for j in data.get("journeys", []))
    assert g.number_of_nodes() == sum(counts.values()) + n_steps
    kinds = Counter(attrs["type"] for _, attrs in g.nodes(data=True))
    expected_kinds = {model.KIND: counts[key] for key, model in COLLECTIONS if counts[key]}
    if n_steps:
        expected_kinds[NodeType.STEP.value] = n_steps
    assert kinds == expected_kinds
    expected_edges = (
        sum("parent" in u for u in data["units"])
        + sum(len(u.get("lines", [])) for u in data["units"])
        + sum(1 + ("reports_to" in p) for p in data.get("positions", []))
        + counts["services"]
        + sum("team" in s for s in data.get("segments", []))
        + sum("segment" in p for p in data.get("personas", []))
        + sum("owner" in s for s in data.get("stakeholders", []))
        + sum(
            ("owner" in j) + ("segment" in j) + ("persona" in j) + 3 * len(j["steps"]) - 1
            for j in data.get("journeys", [])
        )
        + counts["goals"]
    )
    assert g.number_of_edges() == expected_edges
    for journey in data.get("journeys", []):
        for index, step in enumerate(journey["steps"]):
            node = f"{journey['id']}#{step.get('id', index + 1)}"
            assert g.nodes[node]["type"] == "step"
            assert g.has_edge(step["unit"], node)

    # the tree index agrees with naive walks over the parent table
    parents = expect["parents"]
    order = [u["id"] for u in data["units"]]
    marked = {u["id"] for u in data["units"] if u.get("silo")}
    level = data.get("settings", {}).get("silo_level", 1)
    tree = ent.tree
    assert tree.ids == order
    for u in order:
        chain = naive_chain(parents, u)
        assert tree.path_to_root(u) == chain
        assert tree.depth_of(u) == len(chain) - 1
        assert tree.parent_of(u) == parents[u]
        assert tree.children_of(u) == [c for c in order if parents[c] == u]
        assert tree.subtree(u) == naive_subtree(order, parents, u)
        assert tree.silo(u) == naive_silo(parents, marked, level, u)
        for v in order:
            assert tree.first_common_manager(u, v) == naive_fcm(parents, u, v)
            assert tree.is_under(u, v) is (v in chain)


@SETTINGS
@given(valid_documents())
def test_dump_and_reload_gives_the_same_document(generated: dict[str, Any]) -> None:
    data, _ = split(generated)
    document = load_text(json.dumps(data))
    dumped = document.model_dump(mode="json", by_alias=True)
    assert load_text(json.dumps(dumped)) == document


# --------------------------------------------------------------------------- mutations

REQUIRED = {
    "units": ["id", "name"],
    "positions": ["id", "title", "unit"],
    "services": ["id", "name", "provider", "consumer"],
    "segments": ["id", "name"],
    "personas": ["id", "name"],
    "stakeholders": ["id", "name", "kind"],
    "journeys": ["id", "name", "steps"],
    "goals": ["id", "metric", "holder", "orientation"],
}
REFERENCES = {
    "units": ["parent"],
    "positions": ["unit", "reports_to"],
    "services": ["provider", "consumer"],
    "segments": ["team"],
    "personas": ["segment"],
    "stakeholders": ["owner"],
    "journeys": ["segment", "persona", "owner"],
    "goals": ["holder"],
}
TEXT_FIELD = {"positions": "title", "goals": "metric"}
VALUE_STARTS = set('{["-0123456789tfn')


def entities(data: dict[str, Any]) -> list[tuple[str, int, dict[str, Any]]]:
    return [(key, i, item) for key, _ in COLLECTIONS for i, item in enumerate(data.get(key, []))]


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, str, bool]:
    """(mutation name, text, whether the text must be invalid)."""
    data, _ = split(draw(valid_documents()))
    data = copy.deepcopy(data)
    kind = draw(
        st.sampled_from(
            [
                "delete",
                "reference",
                "type",
                "duplicate",
                "duration",
                "truncate",
                "garbage",
                "cycle",
                "wrong-kind",
            ]
        )
    )
    style = draw(st.integers(min_value=0, max_value=2))
    all_entities = entities(data)
    if kind == "delete":
        target = draw(
            st.sampled_from(
                [(data, k) for k in ("orgmodel", "name", "units")]
                + [(item, f) for key, _, item in all_entities for f in REQUIRED[key]]
                + [
                    (step, f)
                    for j in data.get("journeys", [])
                    for step in j["steps"]
                    for f in ("name", "unit")
                ]
            )
        )
        del target[0][target[1]]
    elif kind == "reference":
        target = draw(
            st.sampled_from(
                [(item, f) for key, _, item in all_entities for f in REFERENCES[key]]
                + [(step, "unit") for j in data.get("journeys", []) for step in j["steps"]]
            )
        )
        target[0][target[1]] = "no~such~id"  # "~" is not in ID_ALPHABET
    elif kind == "type":
        key, _, item = draw(st.sampled_from(all_entities))
        item[TEXT_FIELD.get(key, "name")] = draw(st.sampled_from([123, 1.5, [], {}, True, None]))
    elif kind == "duplicate":
        if len(all_entities) < 2:
            data["units"].append(dict(data["units"][0]))
        else:
            first, second = draw(
                st.lists(
                    st.sampled_from(all_entities),
                    min_size=2,
                    max_size=2,
                    unique_by=lambda e: (e[0], e[1]),
                )
            )
            second[2]["id"] = first[2]["id"]
    elif kind == "duration":
        steps = [s for j in data.get("journeys", []) for s in j["steps"]]
        if steps:
            step = draw(st.sampled_from(steps))
            step[draw(st.sampled_from(["work", "wait"]))] = draw(
                st.sampled_from(["2 days", "30", "m5", "1m1h", "", 5, -1, None])
            )
        else:
            data["units"][0]["headcount"] = -1
    elif kind == "cycle":  # a unit or position that reports to itself
        item, field = draw(
            st.sampled_from(
                [(u, "parent") for u in data["units"]]
                + [(p, "reports_to") for p in data.get("positions", [])]
            )
        )
        item[field] = item["id"]
    elif kind == "wrong-kind":  # a position reporting to a unit, or a unit to a position
        positions = data.get("positions", [])
        if not positions:
            data["units"][0]["parent"] = "no~such~id"
        elif draw(st.booleans()):
            draw(st.sampled_from(positions))["reports_to"] = data["units"][0]["id"]
        else:
            draw(st.sampled_from(data["units"]))["parent"] = positions[0]["id"]
    text = dumps(data, style)
    if kind == "truncate":
        cut = draw(st.integers(min_value=0, max_value=len(text) - 1))
        return kind, text[:cut], True
    if kind == "garbage":
        at = draw(st.integers(min_value=0, max_value=len(text)))
        junk = draw(st.text(alphabet='{}[],:"\\ @x0\x00\x01\n', min_size=1, max_size=4))
        return kind, text[:at] + junk + text[at:], False
    return kind, text, True


def check_diagnostics(found: list[Diagnostic], text: str) -> None:
    assert found
    lines = text.removeprefix("\ufeff").split("\n")
    for d in found:
        assert isinstance(d.message, str) and d.message.strip()
        assert d.file == "mutated.json"
        assert d.code in CODES
        if d.path is not None:
            assert isinstance(d.line, int) and isinstance(d.column, int), str(d)
            assert 1 <= d.line <= len(lines), str(d)
            line = lines[d.line - 1]
            assert 1 <= d.column <= len(line), str(d)
            # the place is the start of a value, or of the key of an unknown field
            assert line[d.column - 1] in VALUE_STARTS | {'"'}, str(d)
        if d.line is not None:
            assert d.line >= 1 and d.column is not None and d.column >= 1
    keys = [(d.line or 0, d.column or 0) for d in found]
    assert keys == sorted(keys)


@SETTINGS
@given(mutated())
def test_mutated_documents_fail_with_located_diagnostics(case: tuple[str, str, bool]) -> None:
    kind, text, must_fail = case
    try:
        load_text(text, "mutated.json")
    except DocumentInvalid as exc:
        check_diagnostics(exc.diagnostics, text)
        if kind == "truncate":
            [d] = exc.diagnostics
            assert d.code == "json" and d.line is not None and d.column is not None
        return
    assert not must_fail, f"{kind}: a broken document loaded"
    json.loads(text)  # garbage that left the JSON valid (e.g. a space between tokens)


def test_every_prefix_of_a_document_is_a_json_diagnostic(valid_path: Path) -> None:
    text = valid_path.read_text(encoding="utf-8")
    for end in range(len(text.rstrip())):
        with pytest.raises(DocumentInvalid) as info:
            load_text(text[:end], "mutated.json")
        [d] = info.value.diagnostics
        assert d.code == "json"
        assert (d.line, d.column) != (None, None)


def _both_paths(text: str) -> tuple[Document | None, Document | None]:
    """The document the one-pass parse (pydantic's JSON parser) and the full path (json.loads,
    then validation) make of ``text``, None where one rejects it."""
    try:
        fast: Document | None = Document.model_validate_json(text.removeprefix("\ufeff"))
    except ValueError:
        fast = None
    try:
        data = json.loads(text.removeprefix("\ufeff"))
        slow: Document | None = Document.model_validate(data)
    except (ValueError, RecursionError):
        slow = None
    return fast, slow


@SETTINGS
@given(mutated())
def test_the_one_pass_parse_agrees_with_the_full_path(case: tuple[str, str, bool]) -> None:
    """The loader's fast path must accept exactly what the full path accepts, and build the
    same document: it takes the full path only when the fast one fails."""
    _, text, _ = case
    fast, slow = _both_paths(text)
    assert (fast is None) == (slow is None)
    assert fast == slow


@SETTINGS
@given(valid_documents(), st.integers(min_value=0, max_value=2))
def test_the_one_pass_parse_agrees_on_valid_documents(
    generated: dict[str, Any], style: int
) -> None:
    data, _ = split(generated)
    fast, slow = _both_paths(dumps(data, style))
    assert fast is not None and fast == slow


@SETTINGS
@given(mutated())
def test_the_meaning_pass_agrees_on_models_and_raw_json(case: tuple[str, str, bool]) -> None:
    """The meaning pass takes shortcuts on validated models (reporting lines listed top
    down); where the shape is valid it must find exactly what it finds on the raw JSON."""
    _, text, _ = case
    try:
        document = Document.model_validate_json(text.removeprefix("\ufeff"))
    except ValueError:
        return
    raw = json.loads(text.removeprefix("\ufeff"))
    assert sorted(_meaning_problems(document, _MODELS)) == sorted(_meaning_problems(raw, _RAW))
