"""Finding.of builds well-typed findings without pydantic validation: same value as the
validating constructor; other values still go through it."""

from __future__ import annotations

from orgmodel.analysis.findings import Finding, Rule
from orgmodel.model import Severity

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
