"""Findings of a large organization, grouped per rule for people to read.

A document of a million positions has 100,000s of findings; a text or Markdown report lists
them all only up to :data:`LIST_ALL`. Beyond it, each rule gets a line with its count and
its first :data:`PER_RULE` findings (in report order: most severe first, then by place), and
a line on how to see the rest. JSON and SARIF always hold every finding.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from orgmodel.analysis.findings import Finding

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
    """One group per rule, in the order the rules first appear in ``findings``."""
    groups: dict[str, list[Finding]] = {}
    for f in findings:
        groups.setdefault(f.code, []).append(f)
    return [
        RuleGroup(code, mine[0].rule, len(mine), tuple(mine[:per_rule]))
        for code, mine in groups.items()
    ]
