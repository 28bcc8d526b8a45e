"""The analyzer families, registered once. A new family is a module plus an entry here."""

from __future__ import annotations

from orgmodel.analysis import goals, layers, profile, segments, silos, structure
from orgmodel.analysis.base import Analyzer
from orgmodel.analysis.findings import Rule

__all__ = ["ANALYZERS", "READS", "RULES", "SECOND_PROCESS"]

#: Every analyzer family, in report order.
ANALYZERS: tuple[Analyzer, ...] = (silos, structure, layers, segments, goals, profile)

#: Families that read the figures of others (through their memoized ``compute``).
READS: dict[str, tuple[str, ...]] = {"profile": ("layers", "segments", "goals")}

#: Families that run in a second process on large documents (see `analysis.workers`):
#: together about as costly as the others.
SECOND_PROCESS: tuple[str, ...] = ("structure", "layers", "segments")

#: Every rule of every family, by code.
RULES: dict[str, Rule] = {rule.code: rule for a in ANALYZERS for rule in a.rules}

