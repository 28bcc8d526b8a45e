"""What every analyzer family shares: its context, its result, and presentation tables."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar, overload
from weakref import WeakKeyDictionary

from pydantic import BaseModel, ConfigDict

from orgmodel.analysis.findings import Finding, Rule
from orgmodel.graph import Enterprise
from orgmodel.jsonpos import JsonPath
from orgmodel.model import RuleSetting, Severity, Thresholds

__all__ = ["AnalysisContext", "Analyzer", "Frozen", "Rows", "Section", "Table", "adopt_memoized",
           "memoized", "pct", "per_enterprise", "ratio", "trusted"]

_R = TypeVar("_R")
_M = TypeVar("_M", bound=BaseModel)
_T = TypeVar("_T")

#: The cache of every function memoized with :func:`per_enterprise`, by qualified name.
_MEMOS: dict[str, WeakKeyDictionary[Enterprise, dict]] = {}


def per_enterprise(compute: Callable[..., _R]) -> Callable[..., _R]:
    """Memoize ``compute(enterprise, journeys=None)`` per enterprise and journey selection.

    Families that read each other's figures (the profile reads the layer, segment and goal
    figures) then compute them once. Results are frozen values, so sharing them is safe;
    the cache holds the enterprise weakly.
    """
    cache: WeakKeyDictionary[Enterprise, dict[tuple[str, ...] | None, _R]] = WeakKeyDictionary()
    _MEMOS[f"{compute.__module__}.{compute.__qualname__}"] = cache

    @functools.wraps(compute)
    def cached(ent: Enterprise, journeys: Sequence[str] | None = None) -> _R:
        key = None if journeys is None else tuple(journeys)
        results = cache.setdefault(ent, {})
        if key not in results:
            results[key] = compute(ent, journeys)
        return results[key]

    return cached


def ratio(part: float, whole: float) -> float | None:
    """``part / whole``; None (undefined) when ``whole`` is 0."""
    return None if whole == 0 else part / whole


def pct(value: float | None) -> str:
    """A ratio as a percentage with one decimal, or ``-`` when undefined."""
    return "-" if value is None else f"{value * 100:.1f} %"


def trusted(cls: type[_M], **values: Any) -> _M:
    """An instance of the result model ``cls`` made without validation, from a value of the
    declared type for every field (as the analyzers compute them).

    For the 100,000s of result objects of a large organization, where validation would
    cost several times the computation; a property test checks that reports serialize
    without type warnings and survive a round trip through their JSON form unchanged.
    """
    if len(values) != len(cls.__pydantic_fields__):
        raise TypeError(f"{cls.__name__}: every field needs a value")
    model = _new(cls)
    _set(model, "__dict__", values)
    _set(model, "__pydantic_fields_set__", set(values))
    _set(model, "__pydantic_extra__", None)
    _set(model, "__pydantic_private__", None)
    return model


_new = object.__new__
_set = object.__setattr__


def memoized(ent: Enterprise) -> dict[str, dict]:
    """Everything computed and memoized for ``ent`` so far (to hand to another process)."""
    return {name: dict(cache[ent]) for name, cache in _MEMOS.items() if ent in cache}


def adopt_memoized(ent: Enterprise, entries: dict[str, dict]) -> None:
    """Take over results that :func:`memoized` gave for the same enterprise elsewhere."""
    for name, results in entries.items():
        _MEMOS[name].setdefault(ent, {}).update(results)


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

    def enabled(self, rule: Rule) -> bool:
        """False when the rule is switched off by the settings."""
        setting = self.rule_settings.get(rule.code)
        return setting is None or setting.enabled

    def report(self, rule: Rule, message: str, path: JsonPath, key: tuple[str, ...]) -> None:
        """Record a finding of ``rule`` unless the rule is switched off."""
        try:
            severity = self._severities[rule.code]
        except KeyError:
            severity = self._severities[rule.code] = self._severity(rule)
        if severity is not None:
            self.findings.append(Finding.of(rule, severity, message, path, key))

    def _severity(self, rule: Rule) -> Severity | None:
        """The effective severity of ``rule``; None when it is switched off."""
        setting = self.rule_settings.get(rule.code)
        if setting is not None and not setting.enabled:
            return None
        return Severity(setting.severity if setting and setting.severity else rule.severity)


class Analyzer(Protocol):
    """An analyzer family: a section name, its rules, and a function that computes both."""

    name: str
    title: str
    rules: tuple[Rule, ...]
    section: type[Section]

    def run(self, ctx: AnalysisContext) -> Section: ...
