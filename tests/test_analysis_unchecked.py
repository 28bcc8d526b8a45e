"""The analysis builds its results without validating them (``base.unchecked``): every section
must be exactly what validation would make of the same fields (same types, same values, same
JSON), on the examples and on a generated organization with positions, volumes and rework."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from pydantic import BaseModel
from pydantic.dataclasses import dataclass as pydantic_dataclass

from orgmodel import load_text
from orgmodel.analysis.base import Section, unchecked, unchecked_rows
from orgmodel.analysis.report import analyze
from orgmodel.analysis.silos import Crossing, Weighted
from orgmodel.graph import build_enterprise

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from synthetic import generate

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*/*.json"))


def _sections(text: str) -> list[tuple[str, Section]]:
    report = analyze(build_enterprise(load_text(text)))
    return [(name, report.section(name)) for name in type(report.sections).model_fields]


def _assert_as_validated(name: str, section: Section) -> None:
    again = type(section).model_validate(section.model_dump())
    # repr shows the types: an int where a float is declared, a tuple for a list.
    assert repr(again) == repr(section), name
    assert again.model_dump_json() == section.model_dump_json(), name
    assert again == section, name


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_sections_of_the_examples_are_as_validated(path: Path) -> None:
    for name, section in _sections(path.read_text(encoding="utf-8")):
        _assert_as_validated(name, section)


def test_sections_of_a_generated_organization_are_as_validated() -> None:
    text = json.dumps(generate(units=400, positions=3_000, journeys=80, seed=3))
    for name, section in _sections(text):
        _assert_as_validated(name, section)


def test_a_lone_unit_gives_sections_as_validated() -> None:
    # No journeys, no positions, no goals: the empty sums and lists.
    units = [{"id": "board", "name": "Board", "kind": "board"}]
    text = json.dumps({"orgmodel": "1", "name": "Lone", "units": units})
    for name, section in _sections(text):
        _assert_as_validated(name, section)


def test_unchecked_sets_the_fields_as_given_and_fills_defaults() -> None:
    make = unchecked(Crossing)
    fields = dict(step=2, step_id="b", from_unit="x", to_unit="y", from_silo="x", to_silo="y")
    c = make(**fields, manager=None, height=None, covered=False, wait=0)
    assert c == Crossing(**fields, manager=None, height=None, covered=False, wait=0)
    w = unchecked(Weighted)(
        lead_time=3.0,  # out of order: the JSON members keep the declared order
        handoffs=1.0,
        crossings=0.0,
        uncovered_crossings=0.0,
        customer_handoffs=0.0,
        waiting_at_handoffs=2.0,
    )
    assert w.model_dump_json() == Weighted.model_validate(w.model_dump()).model_dump_json()
    assert list(w.model_dump()) == list(Weighted.model_fields)

    class WithDefault(BaseModel):
        a: int
        b: list[int] = []

    first, second = unchecked(WithDefault)(a=1), unchecked(WithDefault)(a=2)
    assert (first.b, first.model_fields_set) == ([], {"a"})
    first.b.append(1)  # each instance has its own default list
    assert second.b == []


def test_unchecked_refuses_classes_it_cannot_build() -> None:
    @pydantic_dataclass(frozen=True, slots=True, kw_only=True)
    class WithDefault:
        a: int = 0

    @pydantic_dataclass(frozen=True, kw_only=True)
    class NotSlotted:
        a: int

    with pytest.raises(TypeError, match="no defaults"):
        unchecked(WithDefault)
    with pytest.raises(TypeError, match="neither a result model nor a slotted dataclass"):
        unchecked(NotSlotted)


def test_unchecked_rows_sets_each_column_and_refuses_a_wrong_shape() -> None:
    @pydantic_dataclass(frozen=True, slots=True, kw_only=True)
    class Pair:
        a: int
        b: str

    @pydantic_dataclass(frozen=True, kw_only=True)
    class NotSlotted:
        a: int

    rows = unchecked_rows(Pair, 3, a=[1, 2, 3], b=["x", "y", "z"])
    assert rows == [Pair(a=1, b="x"), Pair(a=2, b="y"), Pair(a=3, b="z")]
    assert unchecked_rows(Pair, 0, a=[], b=[]) == []
    with pytest.raises(ValueError, match="one column of 2 values for each field of Pair"):
        unchecked_rows(Pair, 2, a=[1, 2])  # a field without its column
    with pytest.raises(ValueError, match="one column of 2 values"):
        unchecked_rows(Pair, 2, a=[1, 2], b=["x"])  # a short column
    with pytest.raises(TypeError, match="not a slotted dataclass"):
        unchecked_rows(NotSlotted, 1, a=[1])
