"""``orgmodel import hris``: HR exports to documents, bad rows located, re-import --into."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pytest
from conftest import DATA, run_main

from orgmodel.importers.hris import HrisOptions, import_hris
from orgmodel.loader import load_text

IMPORT = DATA / "import"

D3_CSV = """id,parentId,name,positionName,imageUrl,office,area,tags
1,,Ian Devling,Chief Executive Officer,,CEO office,Corporate,
2,1,Davolio Nancy,CTO,,CEO office,Corporate,
3,1,Fuller Andrew,CFO,,Finance,Corporate,
4,2,Leverling Janet,Lead developer,,R&D,Tech,
5,4,Peacock Margaret,Developer,,R&D,Tech,
6,4,Buchanan Steven,Developer,,R&D,Tech,
7,3,Suyama Michael,Accountant,,Finance,Corporate,
"""


def _imported(tmp_path: Path, text: str, name: str = "people.csv", **options: object) -> dict:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = import_hris(str(path), HrisOptions(**options))  # type: ignore[arg-type]
    return result.data


def test_the_id_parent_id_csv_of_org_chart_tools_needs_no_mapping(tmp_path: Path) -> None:
    out = tmp_path / "org.json"
    (tmp_path / "d3.csv").write_text(D3_CSV, encoding="utf-8")
    done = run_main("import", "hris", tmp_path / "d3.csv", "-o", out)
    assert done.returncode == 0, done.stderr
    document = load_text(out.read_text(encoding="utf-8"))
    assert len(document.positions) == 7
    by_id = {p.id: p for p in document.positions}
    assert by_id["5"].reports_to == "4" and by_id["5"].holder == "Peacock Margaret"
    assert by_id["5"].title == "Developer"
    # "area" is read as the unit column: Corporate and Tech
    assert {u.name for u in document.units} == {"Corporate", "Tech"}
    tech = next(u for u in document.units if u.name == "Tech")
    assert tech.parent == "corporate" and tech.head == "Leverling Janet" and tech.headcount == 3


def test_without_unit_columns_the_manager_tree_gives_the_units(tmp_path: Path) -> None:
    text = "\n".join(",".join(line.split(",")[:4]) for line in D3_CSV.splitlines()) + "\n"
    data = _imported(tmp_path, text)
    units = {u["id"]: u for u in data["units"]}
    # every manager leads a unit named after their title; the others sit in their
    # manager's unit
    assert set(units) == {"chief-executive-officer", "cto", "cfo", "lead-developer"}
    assert units["lead-developer"]["parent"] == "cto"
    assert units["lead-developer"]["headcount"] == 3
    load_text(json.dumps(data))


def test_department_paths_heads_headcount_and_cost(tmp_path: Path) -> None:
    data = import_hris(str(IMPORT / "people.csv")).data
    units = {u["id"]: u for u in data["units"]}
    assert list(units) == [
        "board",
        "customer-service",
        "billing",
        "hotline",
        "sales",
        "business",
        "shops",
    ]
    assert units["billing"] == {
        "id": "billing",
        "name": "Billing",
        "parent": "customer-service",
        "head": "Felix Roth",
        "headcount": 3,
        "cost": 162000,
        "description": "Locations: Bremen, Hamburg",
    }
    assert units["board"]["headcount"] == 2 and units["board"]["head"] == "Katrin Vogel"
    positions = {p["id"]: p for p in data["positions"]}
    assert positions["p2"]["staff"] is True and positions["p5"]["fte"] == 0.5
    load_text(json.dumps(data))


def test_the_same_name_in_two_places_gets_qualified_ids(tmp_path: Path) -> None:
    data = _imported(
        tmp_path,
        "id,manager,department\n1,,Top\n2,1,Top/North\n3,1,Top/South\n"
        "4,2,Top/North/Field\n5,3,Top/South/Field\n",
    )
    ids = [u["id"] for u in data["units"]]
    assert ids == ["top", "north", "top.north.field", "south", "top.south.field"]


def test_ids_do_not_depend_on_row_order(tmp_path: Path) -> None:
    lines = (IMPORT / "people.csv").read_text(encoding="utf-8").splitlines()
    first = _imported(tmp_path, "\n".join(lines) + "\n", "a.csv")
    body = lines[1:]
    random.Random(4).shuffle(body)
    second = _imported(tmp_path, "\n".join([lines[0], *body]) + "\n", "a.csv")
    assert sorted(first["units"], key=lambda u: u["id"]) == sorted(
        second["units"], key=lambda u: u["id"]
    )
    assert sorted(first["positions"], key=lambda p: p["id"]) == sorted(
        second["positions"], key=lambda p: p["id"]
    )


@pytest.mark.parametrize(
    ("name", "encoding", "delimiter"),
    [
        ("people-cp1252.csv", "cp1252", ";"),
        ("people-utf16.csv", "utf-16", "\t"),
        ("people-bom.csv", "utf-8-sig", ","),
    ],
)
def test_encodings_and_delimiters_are_detected(
    name: str, encoding: str, delimiter: str, tmp_path: Path
) -> None:
    out = tmp_path / "org.json"
    done = run_main(
        "import", "hris", IMPORT / name, "--mapping", IMPORT / "mapping.toml", "-o", out, "-v"
    )
    assert done.returncode == 0, done.stderr
    assert f"({encoding}, delimiter {delimiter!r})" in done.stderr
    document = load_text(out.read_text(encoding="utf-8"))
    assert {u.name for u in document.units} == {"Geschäftsführung", "Kundenservice & Vertrieb"}
    by_id = {p.id: p for p in document.positions}
    assert by_id["m3"].holder == "André Müller" and by_id["m3"].fte == 0.75


def test_map_option_names_a_column(tmp_path: Path) -> None:
    text = "Nr,Boss,Wer,Was\na,,Ann,CEO\nb,a,Ben,CTO\n"
    data = _imported(
        tmp_path, text, mapping={"id": "Nr", "reports_to": "Boss", "holder": "Wer", "title": "Was"}
    )
    assert data["positions"][1] == {
        "id": "b",
        "title": "CTO",
        "unit": "ceo",
        "reports_to": "a",
        "holder": "Ben",
    }


def test_xlsx_level_columns(tmp_path: Path) -> None:
    pytest.importorskip("openpyxl")
    data = import_hris(str(IMPORT / "people.xlsx")).data
    units = {u["id"]: u for u in data["units"]}
    assert [(u["id"], u.get("kind"), u.get("parent")) for u in units.values()] == [
        ("executive", "division", None),
        ("operations", "division", "executive"),
        ("network", "department", "operations"),
        ("field", "team", "network"),
    ]
    assert units["field"]["headcount"] == 2 and units["field"]["cost"] == 90000
    assert data["positions"][3]["reports_to"] == "102"


def test_every_bad_row_is_reported_at_once_and_nothing_is_written(tmp_path: Path) -> None:
    out = tmp_path / "org.json"
    done = run_main("import", "hris", IMPORT / "bad-rows.csv", "-o", out)
    assert done.returncode == 2
    assert not out.exists()
    name = str(IMPORT / "bad-rows.csv")
    lines = [line.removeprefix(name) for line in done.stderr.splitlines() if line.startswith(name)]
    assert lines == [
        ":4:1: duplicate id '2' (first on row 3) (column 'id')",
        ":5:2: unknown manager '99': no row has this id (column 'parentId')",
        ":6:2: manager cycle: 4 -> 5 -> 4 (column 'parentId')",
        ":8:5: FTE 'one' is not a number from 0 to 1,000,000 (column 'fte')",
        ":9:6: cost 'lots' is not an amount from 0 to 10^15 (column 'cost')",
        ":10:7: staff flag 'maybe' is not yes/no, true/false or 1/0 (column 'staff')",
        ":11:2: manager cycle: 9 -> 9 (column 'parentId')",
        ":12:7: 8 fields, but the header has 7: a delimiter inside a value that is not "
        "quoted? (column 'staff')",
    ]
    assert "8 problem(s) in the input; nothing was written" in done.stderr


@pytest.mark.parametrize(
    ("text", "args", "message"),
    [
        ("name,title\nAnn,CEO\n", (), "no id column"),
        ("id,name\n1,Ann\n", ("--map", "reports_to=Boss"), "no column 'Boss'"),
        ("id,name\n1,Ann\n", ("--map", "colour=name"), "unknown field"),
        ("id,name\n1,Ann\n", ("--map", "oops"), "write FIELD=COLUMN"),
        ("", (), "the file is empty"),
    ],
)
def test_unusable_files_and_options_exit_2(
    tmp_path: Path, text: str, args: tuple[str, ...], message: str
) -> None:
    (tmp_path / "in.csv").write_text(text, encoding="utf-8")
    done = run_main("import", "hris", tmp_path / "in.csv", *args, "-o", tmp_path / "o.json")
    assert done.returncode == 2
    assert message in done.stderr
    assert not (tmp_path / "o.json").exists()


def test_missing_file_is_a_located_message(tmp_path: Path) -> None:
    done = run_main("import", "hris", tmp_path / "nope.csv")
    assert done.returncode == 2
    assert "nope.csv: file not found" in done.stderr
    assert "Traceback" not in done.stderr


def test_reimport_keeps_the_design_and_locates_broken_references(tmp_path: Path) -> None:
    """Next month's export moves the billing team to sales, removes the hotline (which a
    journey step uses) and adds a person."""
    doc = tmp_path / "current.json"
    shutil.copy(IMPORT / "org-current.json", doc)
    done = run_main("import", "hris", IMPORT / "people-next.csv", "--into", doc)
    assert done.returncode == 1, done.stderr
    assert "unit 'billing' moved: parent 'customer-service' -> 'sales'" in done.stdout
    assert "unit 'hotline' (Hotline) removed" in done.stdout
    assert "position 'p12' (Agent) added in unit 'customer-service'" in done.stdout
    assert "kept 1 overlay unit(s): business-customers" in done.stdout
    text = doc.read_text(encoding="utf-8")
    line = next(i for i, t in enumerate(text.splitlines(), 1) if '"unit": "hotline"' in t)
    assert f"{doc}:{line}:19: $.journeys[0].steps[0].unit: unknown unit 'hotline'" in done.stderr
    data = json.loads(text)
    assert [j["id"] for j in data["journeys"]] == ["invoice-question"]
    assert len(data["journeys"][0]["steps"]) == 3
    assert data["segments"][0]["team"] == "business-customers"
    assert data["goals"] and data["settings"] == {"silo_level": 1, "currency": "EUR"}
    units = {u["id"]: u for u in data["units"]}
    assert units["board"]["kind"] == "board"  # designed, kept
    assert units["customer-service"]["lines"][0]["to"] == "sales"  # designed dotted line
    assert units["business-customers"]["layer"] == "customer"
    assert "hotline" not in units


def test_reimport_check_writes_nothing(tmp_path: Path) -> None:
    doc = tmp_path / "current.json"
    shutil.copy(IMPORT / "org-current.json", doc)
    before = doc.read_bytes()
    done = run_main("import", "hris", IMPORT / "people-next.csv", "--into", doc, "--check")
    assert done.returncode == 1
    assert "unit 'billing' moved" in done.stdout
    assert "nothing written" in done.stderr
    assert doc.read_bytes() == before


def test_reimport_of_the_same_export_changes_nothing(tmp_path: Path) -> None:
    doc = tmp_path / "current.json"
    shutil.copy(IMPORT / "org-current.json", doc)
    done = run_main(
        "import", "hris", IMPORT / "people.csv", "--into", doc, "-o", tmp_path / "new.json"
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("0 structural change(s)")
    assert json.loads((tmp_path / "new.json").read_text()) == json.loads(doc.read_text())


def test_reimport_into_an_invalid_document_exits_2(tmp_path: Path) -> None:
    doc = tmp_path / "current.json"
    doc.write_text('{"orgmodel": "1"}', encoding="utf-8")
    done = run_main("import", "hris", IMPORT / "people.csv", "--into", doc)
    assert done.returncode == 2
    assert doc.read_text() == '{"orgmodel": "1"}'
