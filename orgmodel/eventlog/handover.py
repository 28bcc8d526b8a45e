"""The handover matrix of a log: how often work passes from one unit to the next.

Counted per occurrence over directly-following activity instances of each case, self-pairs
(a unit to itself) included in the total and shown apart. pm4py's handover-of-work network
(beta 0) is this count divided by :attr:`Handover.total`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from itertools import pairwise

from orgmodel.eventlog.log import EventLog

__all__ = ["Handover", "handover"]


@dataclass(frozen=True)
class Handover:
    """Counts of unit-to-unit successions; ``total`` counts every pair, self-pairs too."""

    pairs: dict[tuple[str, str], int]
    total: int

    @property
    def between(self) -> dict[tuple[str, str], int]:
        """The pairs of two different units (handoffs), sorted."""
        return {k: v for k, v in self.pairs.items() if k[0] != k[1]}

    @property
    def self_pairs(self) -> dict[str, int]:
        """How often a unit followed itself, sorted by unit."""
        return {k[0]: v for k, v in self.pairs.items() if k[0] == k[1]}

    def normalized(self) -> dict[tuple[str, str], float]:
        """Each count divided by the total (pm4py's value)."""
        return {k: v / self.total for k, v in self.pairs.items()} if self.total else {}

    def to_dict(self) -> dict[str, object]:
        """Plain data: the handoffs, the self-pairs and the total."""
        return {
            "total_pairs": self.total,
            "handoffs": sum(self.between.values()),
            "pairs": [{"from": a, "to": b, "count": n} for (a, b), n in self.between.items()],
            "self": [{"unit": u, "count": n} for u, n in self.self_pairs.items()],
        }


def handover(log: EventLog) -> Handover:
    """The handover matrix of ``log``."""
    counts: Counter[tuple[str, str]] = Counter()
    for case in log.cases.values():
        units = [i.unit for i in case]
        counts.update(pairwise(units))
    return Handover(dict(sorted(counts.items())), sum(counts.values()))
