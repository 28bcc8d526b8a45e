"""Finding.sorted: the order of Finding.sort_key (severity, code, place as JSONPath text,
fingerprint), stable for equal keys, also where a key or code holds a NUL character."""

from __future__ import annotations

from orgmodel.analysis.findings import Finding, Rule
from orgmodel.model import Severity

RULES = [Rule(code, f"rule-{code.lower()}", Severity.WARNING, "s") for code in ("J01", "J010")]


def finding(code: str, severity: Severity, path: tuple, key: str, message: str = "m") -> Finding:
    rule = next(r for r in RULES if r.code == code) if code in ("J01", "J010") else None
    rule = rule or Rule(code, "odd", Severity.INFO, "s")
    return Finding.of(rule, severity, message, path, (key,))


def cases() -> list[Finding]:
    w, e, i = Severity.WARNING, Severity.ERROR, Severity.INFO
    return [
        finding("J01", w, ("units", 2), "a"),
        finding("J01", w, ("units", 10), "a"),  # "$.units[10]" before "$.units[2]"
        finding("J01", w, ("units", 1), "a"),
        finding("J01", w, ("units", 1, "parent"), "a"),  # a longer place after its prefix
        finding("J01", w, ("unitsZ",), "a"),  # "$.unitsZ" before "$.units[1]"
        finding("J01", w, ("units", 1), "b", "same place, other fingerprint"),
        finding("J01", w, ("units", 1), "a", "equal key: stays after its twin"),
        finding("J010", w, ("units", 0), "a"),  # code J01 before J010
        finding("J01", e, ("units", 9), "a"),  # errors first
        finding("J01", i, ("units", 0), "a"),  # info last
        finding("J01", w, ("a b",), "a"),  # a quoted member: '[' after '.'
    ]


def test_sorted_is_the_order_of_the_key_tuples() -> None:
    findings = cases()
    expected = sorted(findings, key=Finding.sort_key)
    got = Finding.sorted(findings)
    assert [id(f) for f in got] == [id(f) for f in expected]
    assert [f.json_path for f in got[:5]] == [
        "$.units[9]",
        "$.unitsZ",
        "$.units[10]",
        "$.units[1]",
        "$.units[1]",
    ]
    # Equal keys keep their order: the two findings with key "a" at $.units[1], then "b".
    ones = [f.message for f in got if f.path == ("units", 1)]
    fingerprints = [f.fingerprint for f in got if f.path == ("units", 1)]
    assert fingerprints == sorted(fingerprints)
    assert ones.index("m") < ones.index("equal key: stays after its twin")


def test_sorted_with_nul_in_a_key_or_code() -> None:
    w = Severity.WARNING
    findings = [
        finding("J01", w, ("rules", "a\x00"), "a"),
        finding("J01", w, ("rules", "a"), "b"),
        finding("J01", w, ("rules", "a", 0), "c"),
        finding("X\x00", w, ("units", 0), "d"),
        finding("X", w, ("units", 0), "e"),
    ]
    for order in (findings, findings[::-1]):
        expected = sorted(order, key=Finding.sort_key)
        assert [id(f) for f in Finding.sorted(order)] == [id(f) for f in expected]


def test_sorted_empty() -> None:
    assert Finding.sorted([]) == []


def test_sorted_in_groups_of_one_form() -> None:
    # Runs of one code interleaved with another, one code at two severities, places of one
    # form (indexes written as text: [10] before [1]), a member name and a code with braces
    # (the keys are written by format strings) and the empty place.
    w, i = Severity.WARNING, Severity.INFO
    findings = [
        finding("J01", w, ("journeys", 1, "steps", 2, "unit"), "a"),
        finding("J010", w, ("units", 3), "b"),
        finding("J01", w, ("journeys", 10, "steps", 0, "unit"), "c"),
        finding("J01", i, ("journeys", 0, "steps", 0, "unit"), "d"),
        finding("J01", w, ("journeys", 1, "steps", 10, "unit"), "e"),
        finding("J010", w, ("units", 30), "f"),
        finding("J01", w, ("journeys", 1, "steps", 2, "unit"), "a", "twin"),
        finding("{x}", w, ("rules", "{a}", 2), "g"),
        finding("{x}", w, ("rules", "{a}", 11), "h"),
        finding("{y}", w, (), "i"),
        finding("{y}", w, (), "j"),
    ]
    for order in (findings, findings[::-1], findings[3:] + findings[:3]):
        expected = sorted(order, key=Finding.sort_key)
        assert [id(f) for f in Finding.sorted(order)] == [id(f) for f in expected]
    got = Finding.sorted(findings)
    assert [f.json_path for f in got[:5]] == [
        "$.journeys[10].steps[0].unit",
        "$.journeys[1].steps[10].unit",
        "$.journeys[1].steps[2].unit",
        "$.journeys[1].steps[2].unit",
        "$.units[30]",
    ]
    assert [f.message for f in got[2:4]] == ["m", "twin"]
    assert got[-1].severity == Severity.INFO
