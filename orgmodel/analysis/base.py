"""What every analyzer family shares: its context, its result, and presentation tables."""

from __future__ import annotations

import dataclasses
import inspect
import itertools
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, ParamSpec, Protocol, TypeVar, overload

from pydantic import BaseModel, ConfigDict

from orgmodel.analysis.findings import Batch, Finding, Item, Rule, effective_severity
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
    "unchecked",
    "unchecked_rows",
]

_T = TypeVar("_T")
_P = ParamSpec("_P")


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

    model_config = ConfigDict(frozen=True)


class Section(Frozen):
    """The figures of one analyzer family; ``tables`` says how to show them to a person."""

    def headline(self) -> list[str]:
        """A few sentences for the top of a report."""
        return []

    def tables(self) -> list[Table]:
        """Tables for text and Markdown reports."""
        return []


def unchecked(cls: Callable[_P, _T]) -> Callable[_P, _T]:
    """The constructor of the result type ``cls`` (a :class:`Frozen` model or a slotted
    pydantic dataclass) with its signature, that sets the fields without validating them.

    For results the analysis computes itself, of the declared types already (the document
    they come from was validated by the loader): validating 100,000s of rows a second time
    took a good part of the analysis of a large organization. The fields are set as given, so
    lists are not copied, and an ``int`` stays an ``int`` where a ``float`` is declared (JSON
    writes it as a float all the same). Fields left out take their defaults.

    >>> from orgmodel.analysis.silos import Weighted
    >>> w = unchecked(Weighted)(handoffs=1.0, crossings=0.0, uncovered_crossings=0.0,
    ...     customer_handoffs=0.0, waiting_at_handoffs=2.0, lead_time=3.0)
    >>> w == Weighted.model_validate(w.model_dump()), w.model_dump_json()[:31]
    (True, '{"handoffs":1.0,"crossings":0.0')
    """
    if not isinstance(cls, type):
        raise TypeError(f"not a class: {cls!r}")
    if issubclass(cls, BaseModel):
        if cls.__private_attributes__ or cls.model_config.get("extra") not in (None, "ignore"):
            raise TypeError(f"{cls.__name__} has private attributes or extra fields")
        names = list(cls.model_fields)
        defaults = {n for n, f in cls.model_fields.items() if not f.is_required()}
        # The instance as pydantic's model_construct makes it, the fields in declared order
        # (the order of the JSON members); with a default left out, model_construct fills it.
        body = [
            f"if {' or '.join(f'{n} is _NOT_GIVEN' for n in sorted(defaults))}:\n"
            f"        return cls.model_construct(**{{k: v for k, v in "
            f"dict({', '.join(f'{n}={n}' for n in names)}).items() if v is not _NOT_GIVEN}})"
            if defaults
            else "pass",
            "obj = new(cls)",
            f"set_(obj, '__dict__', {{{', '.join(f'{n!r}: {n}' for n in names)}}})",
            f"set_(obj, '__pydantic_fields_set__', {{{', '.join(map(repr, names))}}})",
            "set_(obj, '__pydantic_extra__', None)",
            "set_(obj, '__pydantic_private__', None)",
        ]
        return _compiled(cls, names, defaults, body, {})
    if not dataclasses.is_dataclass(cls) or "__slots__" not in cls.__dict__:
        raise TypeError(f"{cls.__name__} is neither a result model nor a slotted dataclass")
    declared = dataclasses.fields(cls)
    names = [f.name for f in declared]
    if any(
        f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING
        for f in declared
    ):
        raise TypeError(f"{cls.__name__}: a result dataclass's fields have no defaults")
    # Past the frozen dataclass's __setattr__: each slot's own setter.
    setters = {f"set_{n}": cls.__dict__[n].__set__ for n in names}
    body = ["obj = new(cls)", *(f"set_{n}(obj, {n})" for n in names)]
    return _compiled(cls, names, set(), body, setters)


def unchecked_rows(cls: type[_T], size: int, **columns: list[Any]) -> list[_T]:
    """``size`` rows of the slotted result dataclass ``cls``, its fields set from ``columns``
    (one list per field) without validation, as :func:`unchecked` sets them, but column by
    column: for results of 10,000s of rows (a large organization's handover network).

    >>> from orgmodel.analysis.network import HandoverCell
    >>> cells = unchecked_rows(HandoverCell, 2, from_unit=["a", "b"], to_unit=["b", "a"],
    ...     count=[3, 1], value=[3.0, 1.0], share=[0.75, 0.25], row_share=[1.0, 1.0],
    ...     column_share=[1.0, 1.0])
    >>> [(c.from_unit, c.to_unit, c.count) for c in cells]
    [('a', 'b', 3), ('b', 'a', 1)]
    """
    fields = [f.name for f in dataclasses.fields(cls)]  # type: ignore[arg-type]
    if "__slots__" not in cls.__dict__:
        raise TypeError(f"{cls.__name__} is not a slotted dataclass")
    if sorted(columns) != sorted(fields) or any(len(c) != size for c in columns.values()):
        raise ValueError(f"one column of {size} values for each field of {cls.__name__}")
    rows = list(map(cls.__new__, itertools.repeat(cls, size)))
    for name in fields:  # past the frozen dataclass's __setattr__: each slot's own setter
        _consume(map(cls.__dict__[name].__set__, rows, columns[name]))
    return rows


_consume: Callable[[Iterable[object]], None] = deque[object](maxlen=0).extend


def _compiled(
    cls: type, names: list[str], defaults: set[str], body: list[str], scope: dict[str, Any]
) -> Any:
    """The keyword-only constructor ``make`` of ``cls`` with the statements ``body``: its code
    is written out once per class, as dataclasses writes a dataclass's ``__init__``."""
    if not all(n.isidentifier() and not n.startswith("_") for n in names):
        raise TypeError(f"{cls.__name__}: field names that are not plain identifiers")
    params = ", ".join(f"{n}=_NOT_GIVEN" if n in defaults else n for n in names)
    lines = [f"def make(*, {params}):", *(f"    {line}" for line in body), "    return obj"]
    namespace: dict[str, Any] = {
        "cls": cls,
        "new": object.__new__,
        "set_": object.__setattr__,
        "_NOT_GIVEN": _NOT_GIVEN,
        **scope,
    }
    exec("\n".join(lines), namespace)  # the field names are checked above
    make = namespace["make"]
    make.__qualname__ = f"unchecked({cls.__qualname__})"
    return make


_NOT_GIVEN: Any = object()


@dataclass
class AnalysisContext:
    """Everything an analyzer may read, and the place it reports findings to."""

    enterprise: Enterprise
    thresholds: Thresholds
    rule_settings: dict[str, RuleSetting]
    journeys: Sequence[str] | None = None
    batches: list[Batch] = field(default_factory=list)
    """The findings reported, rule by rule, as reported (:class:`Findings` makes them)."""
    _severities: dict[str, Severity | None] = field(default_factory=dict, init=False, repr=False)

    def report(self, rule: Rule, message: str, path: JsonPath, key: tuple[str, ...]) -> None:
        """Record a finding of ``rule`` unless the rule is switched off."""
        severity = self.severity(rule)
        if severity is not None:
            self.batches.append(Batch(rule, severity, [(message, path, key)]))

    def report_all(self, rule: Rule, items: Iterable[Item]) -> None:
        """Record a finding of ``rule`` for each (message, path, key) of ``items`` unless the
        rule is switched off; then ``items`` is not iterated (a generator builds no text)."""
        severity = self.severity(rule)
        if severity is not None:
            self.batches.append(Batch(rule, severity, list(items)))

    @property
    def findings(self) -> list[Finding]:
        """The findings reported so far, made, in the order they were reported."""
        return [f for b in self.batches for f in Finding.many(b.rule, b.severity, b.items)]

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
