"""The JSON text of imported documents: the same as ``json.dumps(indent=2)``, written fast."""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

import pytest
from conftest import DATA, ROOT, run_main

from orgmodel.importers import document_json, hris, json_scalar, json_strings
from orgmodel.importers.hris import HrisImport, import_hris
from orgmodel.importers.units import import_units

sys.path.insert(0, str(ROOT / "benchmarks"))
import people_csv


def _same(data: dict) -> None:
    assert document_json(data) == json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _same_written(result: HrisImport) -> None:
    """The document with the positions the import wrote from its columns is the text of
    json.dumps; the columns are let go after the first call."""
    expected = json.dumps(result.data, indent=2, ensure_ascii=False) + "\n"
    written = result.written()
    assert set(written) == {"positions"}
    assert document_json(result.data, written) == expected
    assert result.written() == {}


def _same_text(path: Path) -> None:
    """The document's text, written from the columns without the positions' dicts, is the
    text of json.dumps of its data (the dicts, from a second import)."""
    expected = json.dumps(import_hris(str(path)).data, indent=2, ensure_ascii=False) + "\n"
    result = import_hris(str(path))
    assert result.positions == expected.count('"title": ')
    built = hris._Positions.dicts
    try:
        hris._Positions.dicts = None  # type: ignore[assignment,method-assign]
        assert result.text() == expected
    finally:
        hris._Positions.dicts = built  # type: ignore[method-assign]
    assert result.written() == {}  # text() lets the columns go too
    with pytest.raises(RuntimeError, match="ask for it first"):
        result.data  # noqa: B018  # the dicts can no longer be built: said, not left out


HOSTILE = [
    "",
    "plain",
    'quo"te',
    "back\\slash",
    "\\",
    '"',
    "line\nbreak\r\n",
    "tab\there",
    "\x00nul",
    "\x1b[31mred",
    "\x7f",
    "\x1f\x01\x08\x0c",
    "Zoë ☃ 😀",
    "\u2028\u2029",
    "\u202eevil",
    "\ud800",
    "lone \udfff surrogate",
    "\ufeff",
    "a/b<script>",
    "".join(map(chr, range(128))),
]


def test_json_strings_write_each_string_as_json_dumps() -> None:
    assert json_strings(HOSTILE) == [json.dumps(v, ensure_ascii=False) for v in HOSTILE]
    assert json_strings([]) == []


def test_json_scalar_writes_each_value_as_json_dumps() -> None:
    values = [
        *HOSTILE,
        0.0,
        -0.0,
        0.5,
        2.0,
        1e-05,
        1e16,
        0.1 + 0.2,
        5e-324,
        1.7976931348623157e308,
        123456789.125,
        0,
        -7,
        2**70,
        True,
        False,
        None,
        float("nan"),
        float("inf"),
        float("-inf"),
    ]
    assert [json_scalar(v) for v in values] == [json.dumps(v, ensure_ascii=False) for v in values]


@pytest.mark.parametrize("name", ["people.csv", "people-next.csv"])
def test_an_import_is_written_as_json_dumps_writes_it(name: str) -> None:
    _same(import_hris(str(DATA / "import" / name)).data)
    _same_written(import_hris(str(DATA / "import" / name)))
    _same_text(DATA / "import" / name)


def test_positions_written_from_the_columns_escape_as_json_dumps(tmp_path: Path) -> None:
    """Quotes, backslashes, control characters and non-ASCII in ids, titles, names, units
    and managers; FTEs that are not 1 (0.5, 2.0, 1e-05, -0.0 beside 0.0); staff; rows
    without a name, a title or a manager."""
    path = tmp_path / "people.csv"
    path.write_text(
        "id,manager,name,title,fte,staff,unit\n"
        '1,,"Ann ""the Boss"" Lee",CEO,2,no,Board\n'
        '2,1,Zoë ☃,"Head\\of\\IT",0.5,no,"Tech / Ops"\n'
        '3,2,"Tab\there",Dev,0.00001,yes,"Tech / ""Q"""\n'
        "4,2,,,1,no,\n"
        '5,3,Bo,"Line\nbreak",1.0,no,Tech\n'
        '"q""x",5,"\x1b[31m\x7f",Dev,-0,no,Tech\n'
        '7,"q""x",Di,Dev,0,no,"\u2028"\n',
        encoding="utf-8",
    )
    result = import_hris(str(path))
    positions = result.data["positions"]
    assert isinstance(positions, list)
    assert [p.get("fte") for p in positions] == [2.0, 0.5, 1e-05, None, None, -0.0, 0.0]
    assert [str(p.get("fte")) for p in positions[5:]] == ["-0.0", "0.0"]
    assert positions[6]["reports_to"] == 'q"x'
    assert positions[1]["title"] == "Head\\of\\IT"
    assert positions[2]["holder"] == "Tab\there"
    assert "holder" not in positions[3]
    assert positions[3]["title"] == "(no title)"
    assert "reports_to" not in positions[0]
    assert [p.get("staff") for p in positions] == [None, None, True, None, None, None, None]
    _same_written(result)
    _same_text(path)


@pytest.mark.parametrize("departments", [False, True])
def test_a_generated_export_is_written_as_json_dumps_writes_it(
    tmp_path: Path, departments: bool
) -> None:
    path = tmp_path / "people.csv"
    people_csv.write(3000, str(path), departments=departments)
    _same(import_hris(str(path)).data)
    _same_written(import_hris(str(path)))
    _same_text(path)


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


def test_the_data_holds_the_positions_once_asked_for() -> None:
    """The positions' dicts are built on the first use of ``data`` (and kept); the count
    and the units are there without them; after ``data``, ``text`` is the same text."""
    result = import_hris(str(DATA / "import" / "people.csv"))
    assert result.positions == 11
    units = result.units
    assert units and "positions" not in result._data  # not built for the count and units
    positions = result.data["positions"]
    assert result.data["units"] is units
    assert isinstance(positions, list) and len(positions) == 11
    assert result.data["positions"] is positions
    assert result.text() == json.dumps(result.data, indent=2, ensure_ascii=False) + "\n"
    units = import_units(str(DATA / "import" / "gov-organisations.csv"))
    assert units.positions == 0
    assert units.text() == document_json(units.data)


def test_import_o_does_not_build_the_positions_dicts_but_into_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``-o`` writes the document from the columns; ``--into`` merges the dicts (the merged
    document is the same as with the dicts built for ``-o``)."""
    people = DATA / "import" / "people.csv"
    expected = run_main("import", "hris", people, "-o", "-").stdout
    built: list[int] = []
    dicts = hris._Positions.dicts

    def counted(self: hris._Positions) -> list[dict[str, object]]:
        built.append(self.count)
        return dicts(self)

    monkeypatch.setattr(hris._Positions, "dicts", counted)
    done = run_main("import", "hris", people, "-o", "-")
    assert (done.returncode, done.stdout, built) == (0, expected, [])
    model = tmp_path / "org.json"
    model.write_text(expected, encoding="utf-8")
    done = run_main("import", "hris", people, "--into", model)
    assert (done.returncode, built) == (0, [11])
    assert model.read_text(encoding="utf-8") == expected


def test_positions_without_managers_names_or_ftes_are_written_as_json_dumps(
    tmp_path: Path,
) -> None:
    """The pieces of a field no position has (a manager, a name, an FTE other than 1) are
    left out of the text's columns; ids JSON writes as they are and ids it escapes."""
    for ids in (["1", "2", "x-3"], ['q"1', "b\\2", "3"]):
        path = tmp_path / "people.csv"
        rows = [f'"{i.replace(chr(34), chr(34) * 2)}",Dev,Board' for i in ids]
        path.write_text("id,title,unit\n" + "\n".join(rows) + "\n", encoding="utf-8")
        _same_text(path)
        data = import_hris(str(path)).data
        assert [p["id"] for p in data["positions"]] == ids  # type: ignore[index,union-attr]


@pytest.mark.parametrize(
    "names",
    [["Ann", "Bo", "Cy"], ["Ann", "", "Cy"], ["Ann", 'B"o', "Cy"], ["Ann", "B\\o", "Zoë"]],
)
@pytest.mark.parametrize("ftes", [None, ["1", "0.5", "1"], ["-0", "0", "1"]])
def test_names_are_written_as_json_dumps_with_and_without_ftes(
    tmp_path: Path, names: list[str], ftes: list[str] | None
) -> None:
    """Names JSON writes as they are, when every position has one, are placed between the
    pieces beside them (which close the quote: the FTE's piece, or the staff flag's)."""
    header = "id,manager,name,staff" + (",fte" if ftes else "")
    rows = [
        f'{i},{"" if i == 0 else 0},"{n.replace(chr(34), chr(34) * 2)}",{"yes" if i == 2 else "no"}'
        + (f",{ftes[i]}" if ftes else "")
        for i, n in enumerate(names)
    ]
    path = tmp_path / "people.csv"
    path.write_text(header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    _same_text(path)
