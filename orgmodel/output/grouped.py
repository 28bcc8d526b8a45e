"""Findings of a large organization, grouped per rule for people to read.

A document of a million positions has 100,000s of findings; a text or Markdown report lists
them all only up to :data:`LIST_ALL`. Beyond it, each rule gets a line with its count and
its first :data:`PER_RULE` findings (in report order: most severe first, then by place), and
a line on how to see the rest. JSON and SARIF always hold every finding.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from orgmodel.analysis.findings import Finding, Findings

__all__ = ["LIST_ALL", "PER_RULE", "RuleGroup", "grouped"]

#: Up to this many findings, reports list every one.
LIST_ALL = 500
#: Beyond it, this many findings of each rule are shown.
PER_RULE = 20


@dataclass(frozen=True)
class RuleGroup:
    """The findings of one rule: how many, and those shown."""

    code: str
    rule: str
    total: int
    shown: tuple[Finding, ...]

    @property
    def hidden(self) -> int:
        """How many are not shown."""
        return self.total - len(self.shown)


def grouped(findings: Sequence[Finding], per_rule: int = PER_RULE) -> list[RuleGroup]:
    """One group per rule, in the order the rules first appear in ``findings``; of an
    analysis' :class:`Findings`, only the findings shown are made.

    >>> from orgmodel.analysis.findings import Rule
    >>> from orgmodel.model import Severity
    >>> a, b = (Rule(c, c.lower(), Severity.INFO, "s") for c in ("A01", "B01"))
    >>> found = [Finding.of(r, Severity.INFO, "m", (), (k,)) for r, k in zip([a, b, a], "xyz")]
    >>> [(g.code, g.total, len(g.shown)) for g in grouped(found, per_rule=1)]
    [('A01', 2, 1), ('B01', 1, 1)]
    """
    found = findings if isinstance(findings, Findings) else Findings.of(findings)
    return [
        RuleGroup(code, rule, total, tuple(shown))
        for code, rule, total, shown in found.first_per_rule(per_rule)
    ]
