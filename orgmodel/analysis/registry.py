"""The analyzer families, registered once. A new family is a module plus an entry here."""

from __future__ import annotations

from typing import cast

from orgmodel.analysis import (
    goals,
    layers,
    lines,
    network,
    profile,
    segments,
    silos,
    structure,
    valuestream,
)
from orgmodel.analysis.base import Analyzer
from orgmodel.analysis.findings import Rule

__all__ = ["ANALYZERS", "RULES"]

#: Every analyzer family, in report order; a family comes after the families it reads.
# The modules are the families (mypy does not match their attributes to the protocol).
ANALYZERS: tuple[Analyzer, ...] = cast(
    "tuple[Analyzer, ...]",
    (silos, structure, lines, layers, segments, goals, profile, valuestream, network),
)

#: Every rule of every family, by code.
RULES: dict[str, Rule] = {rule.code: rule for a in ANALYZERS for rule in a.rules}
