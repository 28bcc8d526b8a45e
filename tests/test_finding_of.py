"""Finding.of builds well-typed findings without pydantic validation: same value as the
validating constructor; other values still go through it."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

from orgmodel.analysis.base import AnalysisContext
from orgmodel.analysis.findings import Finding, Rule
from orgmodel.jsonpos import JsonPath
from orgmodel.model import RuleSetting, Severity, Thresholds

RULE = Rule("X01", "example-rule", Severity.WARNING, "An example.")


def test_of_equals_the_validated_finding() -> None:
    fast = Finding.of(RULE, Severity.ERROR, "message", ("units", 3, "parent"), ("a", "b"))
    slow = Finding(
        code="X01",
        rule="example-rule",
        severity=Severity.ERROR,
        message="message",
        path=("units", 3, "parent"),
        fingerprint=fast.fingerprint,
    )
    assert fast == slow and hash(fast) == hash(slow) and repr(fast) == repr(slow)
    assert fast.located(4, 5).line == 4


def test_of_validates_other_values() -> None:
    finding = Finding.of(RULE, "error", "message", "$.units[3].parent", ("a", "b"))  # type: ignore[arg-type]
    assert finding.severity is Severity.ERROR and finding.path == ("units", 3, "parent")


def test_many_fingerprints_are_those_of_the_code_and_key_joined() -> None:
    keys: list[tuple[str, ...]] = [(), ("a",), ("a", "b", "c"), ("", "")]
    found = Finding.many(RULE, Severity.INFO, [("m", ("units", i), k) for i, k in enumerate(keys)])
    expected = [hashlib.sha256("\x1f".join(("X01", *k)).encode()).hexdigest()[:16] for k in keys]
    assert [f.fingerprint for f in found] == expected
    assert found[2] == Finding.of(RULE, Severity.INFO, "m", ("units", 2), ("a", "b", "c"))
    assert found[0].fingerprint == hashlib.sha256(b"X01").hexdigest()[:16]


def _context(settings: dict[str, RuleSetting]) -> AnalysisContext:
    return AnalysisContext(
        enterprise=None,  # type: ignore[arg-type]
        thresholds=Thresholds(),
        rule_settings=settings,
    )


def test_report_all_of_a_disabled_rule_builds_nothing() -> None:
    ctx = _context({"X01": RuleSetting(enabled=False)})

    def items() -> Iterator[tuple[str, JsonPath, tuple[str, ...]]]:
        raise AssertionError("iterated")
        yield ("m", (), ())

    ctx.report_all(RULE, items())
    assert ctx.findings == []
    ctx = _context({})
    ctx.report_all(RULE, [("m", ("units", 0), ("a",)), ("n", ("units", 1), ("b",))])
    assert [(f.message, f.severity) for f in ctx.findings] == [
        ("m", Severity.WARNING),
        ("n", Severity.WARNING),
    ]


def test_many_with_places_gives_each_finding_the_place_of_its_path() -> None:
    places = {("units", 3): (7, 5), ("units", 3, "parent"): (8, 17)}
    items: list = [
        ("a", ("units", 3), ("a",)),
        ("b", ["units", 3, "parent"], ("b",)),  # a list: made by the validating constructor
        ("c", ("units", 4), ("c",)),
    ]
    made = Finding.many(RULE, Severity.INFO, items, places)
    assert [(f.path, f.line, f.column) for f in made] == [
        (("units", 3), 7, 5),
        (("units", 3, "parent"), 8, 17),
        (("units", 4), None, None),
    ]
    assert made == [
        f.located(*places[f.path]) if f.path in places else f
        for f in Finding.many(RULE, Severity.INFO, items)
    ]
