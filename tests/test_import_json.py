"""The JSON text of imported documents: the same as ``json.dumps(indent=2)``, written fast."""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

import pytest
from conftest import DATA, ROOT

from orgmodel.importers import document_json
from orgmodel.importers.hris import import_hris
from orgmodel.importers.units import import_units

sys.path.insert(0, str(ROOT / "benchmarks"))
import people_csv


def _same(data: dict) -> None:
    assert document_json(data) == json.dumps(data, indent=2, ensure_ascii=False) + "\n"


@pytest.mark.parametrize("name", ["people.csv", "people-next.csv"])
def test_an_import_is_written_as_json_dumps_writes_it(name: str) -> None:
    _same(import_hris(str(DATA / "import" / name)).data)


@pytest.mark.parametrize("departments", [False, True])
def test_a_generated_export_is_written_as_json_dumps_writes_it(
    tmp_path: Path, departments: bool
) -> None:
    path = tmp_path / "people.csv"
    people_csv.write(3000, str(path), departments=departments)
    _same(import_hris(str(path)).data)


def test_a_unit_list_is_written_as_json_dumps_writes_it() -> None:
    _same(import_units(str(DATA / "import" / "gov-organisations.csv")).data)


def test_the_examples_are_written_as_json_dumps_writes_them() -> None:
    for path in sorted((ROOT / "examples").glob("*/*.json")):
        _same(json.loads(path.read_text(encoding="utf-8")))


def test_lists_of_flat_dicts_of_any_shape_and_type() -> None:
    """Keys missing here and there, in one order or in several, mixed and odd types (bool
    beside int, None, NaN, int beside float), escapes and non-ASCII: each must give the text
    of json.dumps, whichever way it is written."""
    rnd = random.Random(13)
    values = [
        "a",
        'quo"te',
        "line\nbreak",
        "Zoë ☃",
        "\u2028",
        0,
        -7,
        2**70,
        1.5,
        1e-07,
        2.0,
        True,
        False,
        None,
        float("nan"),
        float("inf"),
    ]
    keys = ["id", "name", "unit", "fte", "staff", "x"]
    for _ in range(300):
        rows = []
        for _ in range(rnd.randint(1, 6)):
            chosen = [k for k in keys if rnd.random() < 0.7] or ["id"]
            if rnd.random() < 0.2:
                rnd.shuffle(chosen)
            typed = rnd.random() < 0.5
            rows.append(
                {k: (values[keys.index(k)] if typed else rnd.choice(values)) for k in chosen}
            )
        _same({"orgmodel": "1", "units": rows, "nested": {"list": rows, "empty": []}})
