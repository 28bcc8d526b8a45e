"""What every analyzer family shares: its context, its result, and presentation tables."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol, TypeVar, overload

from pydantic import BaseModel, ConfigDict

from orgmodel.analysis.findings import Finding, Rule, effective_severity
from orgmodel.graph import Enterprise
from orgmodel.jsonpos import JsonPath
from orgmodel.model import RuleSetting, Severity, Thresholds

__all__ = [
    "AnalysisContext",
    "Analyzer",
    "Frozen",
    "Rows",
    "Section",
    "Table",
    "pct",
    "ratio",
    "reads",
]

_T = TypeVar("_T")


def ratio(part: float, whole: float) -> float | None:
    """``part / whole``; None (undefined) when ``whole`` is 0."""
    return None if whole == 0 else part / whole


def pct(value: float | None) -> str:
    """A ratio as a percentage with one decimal, or ``-`` when undefined."""
    return "-" if value is None else f"{value * 100:.1f} %"


class Rows(Sequence[tuple[str, ...]]):
    """The rows of a table, each made from its item when it is read: text and Markdown
    reports show only the first rows of a long table."""

    def __init__(self, items: Sequence[_T], row: Callable[[_T], tuple[str, ...]]) -> None:
        self._items = items
        self._row = row

    def __len__(self) -> int:
        return len(self._items)

    @overload
    def __getitem__(self, index: int) -> tuple[str, ...]: ...
    @overload
    def __getitem__(self, index: slice) -> list[tuple[str, ...]]: ...

    def __getitem__(self, index: int | slice) -> tuple[str, ...] | list[tuple[str, ...]]:
        if isinstance(index, slice):
            return [self._row(item) for item in self._items[index]]
        return self._row(self._items[index])


@dataclass(frozen=True)
class Table:
    """A presentation-neutral table that text and Markdown formatters render alike."""

    title: str
    columns: tuple[str, ...]
    rows: Sequence[tuple[str, ...]]
    #: Columns (by index) that hold numbers and are right-aligned.
    numeric: frozenset[int] = frozenset()
    note: str = ""


class Frozen(BaseModel):
    """An immutable result value; attribute docstrings become its schema's descriptions."""

    model_config = ConfigDict(frozen=True, use_attribute_docstrings=True)


class Section(Frozen):
    """The figures of one analyzer family; ``tables`` says how to show them to a person."""

    def headline(self) -> list[str]:
        """A few sentences for the top of a report."""
        return []

    def tables(self) -> list[Table]:
        """Tables for text and Markdown reports."""
        return []


@dataclass
class AnalysisContext:
    """Everything an analyzer may read, and the place it reports findings to."""

    enterprise: Enterprise
    thresholds: Thresholds
    rule_settings: dict[str, RuleSetting]
    journeys: Sequence[str] | None = None
    findings: list[Finding] = field(default_factory=list)
    _severities: dict[str, Severity | None] = field(default_factory=dict, init=False, repr=False)

    def report(self, rule: Rule, message: str, path: JsonPath, key: tuple[str, ...]) -> None:
        """Record a finding of ``rule`` unless the rule is switched off."""
        severity = self.severity(rule)
        if severity is not None:
            self.findings += Finding.many(rule, severity, ((message, path, key),))

    def report_all(
        self, rule: Rule, items: Iterable[tuple[str, JsonPath, tuple[str, ...]]]
    ) -> None:
        """Record a finding of ``rule`` for each (message, path, key) of ``items`` unless the
        rule is switched off; then ``items`` is not iterated (a generator builds no text)."""
        severity = self.severity(rule)
        if severity is not None:
            self.findings += Finding.many(rule, severity, items)

    def severity(self, rule: Rule) -> Severity | None:
        """The effective severity of ``rule``; None when it is switched off."""
        try:
            return self._severities[rule.code]
        except KeyError:
            found = effective_severity(rule, self.rule_settings.get(rule.code))
            self._severities[rule.code] = found
            return found


class Analyzer(Protocol):
    """An analyzer family: a section name, its rules, and a function that computes both.

    ``run(ctx)`` computes the family's section and reports its findings to ``ctx``. A family
    that reads the results of others names them as keyword-only parameters, by family name
    (the profile: ``run(ctx, *, layers, segments, goals)``); :func:`reads` lists them and
    the analysis passes them in (see :func:`orgmodel.analysis.report.analyze`).
    """

    name: str
    title: str
    rules: tuple[Rule, ...]
    section: type[Section]

    @property
    def run(self) -> Callable[..., Section]: ...


def reads(family: Analyzer) -> tuple[str, ...]:
    """The families whose sections ``family.run`` takes: its keyword-only parameters."""
    return tuple(
        p.name
        for p in inspect.signature(family.run).parameters.values()
        if p.kind is inspect.Parameter.KEYWORD_ONLY
    )
