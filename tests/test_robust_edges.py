"""Valid documents at the edges (empty collections, one unit, deep chains, wide units, long
journeys, zero durations and volumes, the largest numbers) through analyze, diff, check and
every view and format, each output parsed back. The big sizes are ``slow`` and run from
``./dev fuzz`` (``ORGMODEL_BIG=1``)."""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orgmodel.model import MAX_AMOUNT, MAX_COUNT
from tests.conftest import DATA, run_main

SARIF = jsonschema.Draft7Validator(
    json.loads((DATA / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
)
BIG = os.environ.get("ORGMODEL_BIG") == "1"

names = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=12)
durations = st.sampled_from(["0", "1s", "15m", "999999999w", "1d12h", "0.5s", 0])
volumes = st.sampled_from([None, 0, 1, 0.5, MAX_AMOUNT])


@st.composite
def documents(
    draw: st.DrawFn, units: int = 30, chain: bool = False, steps: int = 20
) -> dict[str, Any]:
    """A valid document: a tree (or a chain) of units, positions, and journeys."""
    count = draw(st.integers(1, units))
    out = []
    for n in range(count):
        item: dict[str, Any] = {"id": f"u{n}", "name": draw(names)}
        if n:
            item["parent"] = f"u{n - 1}" if chain else f"u{draw(st.integers(0, n - 1))}"
        if draw(st.booleans()):
            item["headcount"] = draw(st.sampled_from([0, 1, MAX_COUNT]))
            item["cost"] = draw(st.sampled_from([0, 1.5, MAX_AMOUNT]))
        if n and draw(st.integers(0, 9)) == 0:
            item["silo"] = True
        out.append(item)
    journeys = []
    for j in range(draw(st.integers(0, 3))):
        length = draw(st.integers(1, steps))
        journeys.append(
            {
                "id": f"j{j}",
                "name": draw(names),
                "volume": draw(volumes),
                "steps": [
                    {
                        "name": f"s{s}",
                        "unit": f"u{draw(st.integers(0, count - 1))}",
                        "wait": draw(durations),
                        "work": draw(durations),
                    }
                    for s in range(length)
                ],
            }
        )
    return {"orgmodel": "1", "name": draw(names), "units": out, "journeys": journeys}


def _through_everything(tmp_path: Path, data: dict[str, Any], views: bool = True) -> None:
    current = tmp_path / "current.json"
    current.write_text(json.dumps(data), encoding="utf-8")
    out = tmp_path / "out"
    for args, parse in [
        (("analyze", current, "--format", "json"), json.loads),
        (("analyze", current, "--format", "text"), str),
        (("analyze", current, "--format", "markdown"), str),
        (("diff", current, current, "--format", "json"), json.loads),
        (("diff", current, current, "--format", "markdown"), str),
        (("check", current, "--baseline", current, "--format", "json"), json.loads),
        (("check", current, "--format", "sarif"), lambda t: SARIF.validate(json.loads(t))),
        (("check", current, "--format", "junit"), ET.fromstring),
        (("check", current, "--format", "github"), str),
    ]:
        result = run_main(*args, "-o", out)
        assert result.returncode in (0, 1), (args, result.stderr)
        parse(out.read_text(encoding="utf-8"))
    if not views:
        return
    journeys = [j["id"] for j in data.get("journeys", [])]
    for view in ("orgchart", "overlay", "matrix", *(["journey"] if journeys else [])):
        extra = ("--journey", journeys[0]) if view == "journey" else ()
        for fmt in ("svg", "dot", "mmd"):
            target = tmp_path / f"{view}.{fmt}"
            result = run_main(
                "render", current, "--view", view, "--format", fmt, *extra, "-o", target
            )
            assert result.returncode == 0, (view, fmt, result.stderr)
            if fmt == "svg":
                ET.fromstring(target.read_bytes())


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=documents())
def test_valid_documents_at_the_edges(tmp_path: Path, data: dict[str, Any]) -> None:
    _through_everything(tmp_path, data)


def test_one_unit_and_empty_collections(tmp_path: Path) -> None:
    _through_everything(
        tmp_path,
        {
            "orgmodel": "1",
            "name": "x",
            "units": [{"id": "a", "name": "A"}],
            "journeys": [],
            "positions": [],
            "segments": [],
            "goals": [],
        },
    )


@pytest.mark.parametrize(("shape", "size"), [("chain", 300), ("wide", 1000), ("steps", 300)])
def test_modest_sizes(tmp_path: Path, shape: str, size: int) -> None:
    _through_everything(tmp_path, _sized(shape, size))


def _sized(shape: str, size: int) -> dict[str, Any]:
    if shape == "chain":
        units = [
            {"id": f"u{n}", "name": f"U{n}", **({"parent": f"u{n - 1}"} if n else {})}
            for n in range(size)
        ]
        return {"orgmodel": "1", "name": "chain", "units": units}
    if shape == "wide":
        units = [{"id": "top", "name": "Top"}] + [
            {"id": f"u{n}", "name": f"U{n}", "parent": "top"} for n in range(size)
        ]
        return {"orgmodel": "1", "name": "wide", "units": units}
    units = [
        {"id": "top", "name": "Top"},
        {"id": "a", "name": "A", "parent": "top", "silo": True},
        {"id": "b", "name": "B", "parent": "top", "silo": True},
    ]
    steps = [{"name": f"s{n}", "unit": "ab"[n % 2], "wait": "0", "work": "0"} for n in range(size)]
    return {
        "orgmodel": "1",
        "name": "long",
        "units": units,
        "journeys": [{"id": "j", "name": "J", "volume": 0, "steps": steps}],
    }


@pytest.mark.slow
@pytest.mark.skipif(not BIG, reason="big sizes run from ./dev fuzz (ORGMODEL_BIG=1)")
@pytest.mark.parametrize(("shape", "size"), [("chain", 10000), ("wide", 50000), ("steps", 5000)])
def test_big_sizes(tmp_path: Path, shape: str, size: int) -> None:
    _through_everything(tmp_path, _sized(shape, size))
