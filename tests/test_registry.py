"""The analyzer registry is complete, codes are unique, and the rules reference is current."""

from __future__ import annotations

import dataclasses
import hashlib
import importlib
import pkgutil
import random
from pathlib import Path

import orgmodel.analysis
from orgmodel.analysis.findings import Finding
from orgmodel.analysis.registry import ANALYZERS, RULES
from orgmodel.model import Severity
from orgmodel.rulesref import rule_families, rules_markdown

ROOT = Path(__file__).resolve().parent.parent


def test_every_analyzer_module_is_registered() -> None:
    modules = []
    for info in pkgutil.iter_modules(orgmodel.analysis.__path__):
        module = importlib.import_module(f"orgmodel.analysis.{info.name}")
        if hasattr(module, "rules") and hasattr(module, "run"):
            modules.append(module)
    assert modules, "no analyzer modules found"
    missing = [m.__name__ for m in modules if m not in ANALYZERS]
    assert not missing, f"analyzer modules not in registry.ANALYZERS: {missing}"


def test_rule_codes_and_names_are_unique() -> None:
    rules = [r for a in ANALYZERS for r in a.rules]
    assert len({r.code for r in rules}) == len(rules) == len(RULES)
    assert len({r.name for r in rules}) == len(rules)
    assert len({a.name for a in ANALYZERS}) == len(ANALYZERS)


def test_policy_codes_do_not_clash_with_analyzer_codes() -> None:
    codes = [r.code for _, rules in rule_families() for r in rules]
    assert len(codes) == len(set(codes))
    assert {"P01", "P02", "P03", "P04"} <= set(codes)


def test_rules_reference_is_current() -> None:
    current = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert current == rules_markdown(), (
        "docs/rules.md is stale; regenerate with: orgmodel rules --write"
    )


def test_finding_of_sets_every_field_as_the_validating_constructor_does() -> None:
    """`Finding.of` fills the slots without validation; it must agree with `Finding(...)`."""
    rule = RULES["J01"]
    made = Finding.of(rule, Severity.ERROR, "m", ("journeys", 2, "steps", 0, "unit"), ("a", "b"))
    expected = Finding(
        code="J01",
        rule=rule.name,
        severity=Severity.ERROR,
        message="m",
        path="$.journeys[2].steps[0].unit",
        fingerprint=hashlib.sha256(b"J01\x1fa\x1fb").hexdigest()[:16],
    )
    assert made == expected
    assert made.located(3, 4) == dataclasses.replace(expected, line=3, column=4)


def test_finding_sorted_orders_as_sort_key_does() -> None:
    findings = [
        Finding.of(RULES[code], severity, f"m{i}", ("units", i % 7), (str(i % 5),))
        for i, (code, severity) in enumerate(
            [(c, s) for c in ("J01", "S01", "G06") for s in Severity] * 9
        )
    ]
    random.Random(3).shuffle(findings)
    assert Finding.sorted(findings) == sorted(findings, key=Finding.sort_key)
