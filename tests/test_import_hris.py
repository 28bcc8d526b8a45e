"""``orgmodel import hris``: HR exports to documents, bad rows located, re-import --into."""

from __future__ import annotations

import csv
import json
import random
import shutil
from pathlib import Path

import pytest
from conftest import DATA, run_main

from orgmodel.diagnostics import DocumentInvalid
from orgmodel.importers import hris
from orgmodel.importers.hris import (
    HrisOptions,
    import_hris,
)
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


def test_reimport_into_a_document_too_large_to_locate_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The document re-imported into is merged from its text, whatever its size."""
    from orgmodel import app

    monkeypatch.setattr(app, "LOCATE_LIMIT", 100)
    doc = tmp_path / "current.json"
    shutil.copy(IMPORT / "org-current.json", doc)
    done = run_main("import", "hris", IMPORT / "people-next.csv", "--into", doc, "--check")
    assert done.returncode == 1, done.stderr
    assert "unit 'billing' moved" in done.stdout


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


def _big_export(rows: int) -> list[list[str]]:
    """``rows`` people in three levels (id, manager, name, title, fte), managers first."""
    out = [["id", "manager", "name", "title", "fte"], ["e1", "", "Boss", "CEO", "1"]]
    for k in range(2, rows + 1):
        out.append([f"e{k}", f"e{(k - 2) // 50 + 1}", f"Person {k}", "Clerk", "0.5"])
    return out


def _csv_text(rows: list[list[str]]) -> str:
    return "".join(",".join(row) + "\n" for row in rows)


def test_bad_rows_in_later_batches_are_each_located(tmp_path: Path) -> None:
    """Rows are checked 1,000 at a time: a duplicate of an id from the first batch in the
    third, an empty id and a short row in the second, an unknown manager and an FTE that
    is not a number: every one is reported at its row (the header is row 1)."""
    rows = _big_export(2600)
    rows[2400][0] = "e7"  # row 2401: a duplicate of row 8
    rows[1500][0] = ""  # row 1501
    rows[1700] = rows[1700][:3]  # row 1701: short, its title and FTE are empty
    rows[1900][1] = "e9999"  # row 1901
    rows[2500][4] = "lots"  # row 2501
    path = tmp_path / "people.csv"
    path.write_text(_csv_text(rows), encoding="utf-8")
    with pytest.raises(DocumentInvalid) as caught:
        import_hris(str(path))
    assert [str(d) for d in caught.value.diagnostics] == [
        f"{path}:1501:1: empty id; every row needs one (column 'id')",
        f"{path}:1901:2: unknown manager 'e9999': no row has this id (column 'manager')",
        f"{path}:2401:1: duplicate id 'e7' (first on row 8) (column 'id')",
        f"{path}:2501:5: FTE 'lots' is not a number from 0 to 1,000,000 (column 'fte')",
    ]


def test_a_csv_error_in_a_later_batch_is_located_at_its_row(tmp_path: Path) -> None:
    rows = _big_export(2600)
    rows[1234][2] = "x" * (csv.field_size_limit() + 1)  # row 1235
    path = tmp_path / "people.csv"
    path.write_text(_csv_text(rows), encoding="utf-8")
    with pytest.raises(DocumentInvalid) as caught:
        import_hris(str(path))
    [problem] = caught.value.diagnostics
    assert str(problem).startswith(f"{path}:1235: not CSV: field larger than field limit")


def test_managers_on_later_rows_and_no_manager_markers_across_batches(tmp_path: Path) -> None:
    """A manager may come after their reports, in another batch; 'NULL' is no manager even
    where a row has the id 'null'."""
    rows = _big_export(2500)
    rows[1][1] = "e2400"  # e1 reports to a person 2,400 rows below
    rows[2400][1] = ""  # ... who has no manager
    rows[2450][0] = "null"  # row 2451: a person whose id is 'null'
    rows[2460][1] = "NULL"  # row 2461: no manager, not the person 'null'
    path = tmp_path / "people.csv"
    path.write_text(_csv_text(rows), encoding="utf-8")
    positions = {p["id"]: p for p in import_hris(str(path)).data["positions"]}  # type: ignore[union-attr]
    assert positions["e1"]["reports_to"] == "e2400"
    assert "reports_to" not in positions["e2400"]
    assert "reports_to" not in positions["e2460"]
    assert positions["e2462"]["reports_to"] == "e50"
    assert len(positions) == 2500


def test_two_fields_read_from_one_column_are_each_parsed_as_their_field(tmp_path: Path) -> None:
    """--map fte=X --map cost=X: a blank cell is an FTE of 1 and no cost (each field parses
    the column itself; they used to share what one of them had parsed)."""
    data = _imported(
        tmp_path,
        "id,manager,dept,amount\n1,,Board,\n2,1,Board,0.5\n",
        mapping={"fte": "amount", "cost": "amount"},
    )
    assert [p.get("fte") for p in data["positions"]] == [None, 0.5]
    assert data["units"][0]["cost"] == 0.5


def _reference_preorder(boss: list[int]) -> list[int]:
    """Depth first from the top rows, reports in row order (recursion-free)."""
    children: dict[int, list[int]] = {}
    for i, b in enumerate(boss):
        children.setdefault(b, []).append(i)
    out: list[int] = []
    stack = children.get(-1, [])[::-1]
    while stack:
        v = stack.pop()
        out.append(v)
        stack.extend(reversed(children.get(v, [])))
    return out


def test_the_preorder_is_depth_first_with_reports_in_row_order() -> None:
    """Random forests in any row order, with cycles (whose rows it leaves out), deep
    chains and wide teams: the order of a plain depth-first walk."""
    rnd = random.Random(5)
    for case in range(300):
        n = rnd.randint(0, 60)
        boss = [rnd.randrange(-1, i) if i and rnd.random() < 0.9 else -1 for i in range(n)]
        if n and rnd.random() < 0.5:
            perm = list(range(n))
            rnd.shuffle(perm)
            where = {old: new for new, old in enumerate(perm)}
            boss = [-1 if boss[old] < 0 else where[boss[old]] for old in perm]
        if n > 2 and rnd.random() < 0.3:  # a cycle
            a, b = rnd.sample(range(n), 2)
            boss[a], boss[b] = b, a
        assert list(hris._preorder(boss)) == _reference_preorder(boss), case
    chain = [-1, *range(9_999)]
    assert list(hris._preorder(chain)) == list(range(10_000))
    assert list(hris._preorder([-1] + [0] * 5000)) == list(range(5001))


def test_a_no_manager_marker_is_no_manager_in_any_case_even_as_an_id(tmp_path: Path) -> None:
    """Only an id as short as the longest marker can fold to one (case folding never makes
    a text shorter), so only those are looked at: 'N/A' and 'NULL' are no manager although
    rows have them as ids; 'n/a2' is a manager."""
    text = "id,manager,title\nn/a,,Boss\nnull,,Boss\nn/a2,N/A,Head\n4,NULL,Dev\n5,n/a2,Dev\n"
    positions = _imported(tmp_path, text)["positions"]
    made = positions[2]["id"]  # 'n/a2' made a valid id
    assert [p.get("reports_to") for p in positions] == [None, None, None, None, made]


@pytest.mark.parametrize("costs", [["0.1", "0.2", "0.7", "1e-3", "3.3"], ["52000", "61000", "0"]])
def test_a_units_cost_is_the_sum_of_its_positions_costs_in_preorder(
    tmp_path: Path, costs: list[str]
) -> None:
    """Decimals are summed in preorder (their sum depends on the order); whole amounts are
    counted per value (their sum does not): either way the bits of the preorder sum."""
    rnd = random.Random(len(costs))
    n = 400
    boss = [-1] + [rnd.randrange(0, i) for i in range(1, n)]
    cost = [rnd.choice(costs) for _ in range(n)]
    unit = [rnd.choice(["A", "B", "A / C"]) for _ in range(n)]
    lines = [
        f"{i},{'' if b < 0 else b},{c},{u}"
        for i, (b, c, u) in enumerate(zip(boss, cost, unit, strict=True))
    ]
    path = tmp_path / "people.csv"
    path.write_text("id,manager,cost,unit\n" + "\n".join(lines) + "\n", encoding="utf-8")
    data = import_hris(str(path)).data
    expected: dict[str, float] = {}
    for i in _reference_preorder(boss):
        expected[unit[i]] = expected.get(unit[i], 0.0) + float(cost[i])
    names = {u["id"]: u["name"] for u in data["units"]}  # type: ignore[union-attr]
    got = {names[u["id"]]: u["cost"] for u in data["units"]}  # type: ignore[union-attr]
    assert got == {u.rsplit(" / ", 1)[-1]: c for u, c in expected.items()}
    assert all(str(got[k]) == str(expected[k]).removesuffix(".0") for k in ("A", "B"))


@pytest.mark.parametrize("quoted", [False, True], ids=["plain", "quoted"])
def test_a_top_row_without_a_unit_path_heads_the_top_unit(tmp_path: Path, quoted: bool) -> None:
    # Rows without a unit path belong to their manager's unit; the top row (no manager, no
    # path) to the top unit, named after the file. Plain text and quoted (read by the csv
    # module) give the same document.
    rows = ["1,Ada,CEO,,", "2,Bo,CFO,1,Finance", "3,Cy,Clerk,2,Finance / Accounting"]
    rows += ["4,Di,CTO,1,", "5,Ed,Dev,4,Tech"]
    if quoted:
        rows = [",".join(f'"{cell}"' for cell in row.split(",")) for row in rows]
    text = "id,name,title,parentId,department\n" + "\n".join(rows) + "\n"
    data = _imported(tmp_path, text, name="acme.csv")
    units = {u["id"]: u for u in data["units"]}
    assert list(units) == ["acme", "finance", "accounting", "tech"]
    assert units["acme"] == {"id": "acme", "name": "acme", "head": "Ada", "headcount": 2}
    assert units["finance"]["parent"] == "acme" and units["tech"]["parent"] == "acme"
    assert units["accounting"]["parent"] == "finance"
    unit_of = {p["id"]: p["unit"] for p in data["positions"]}
    assert unit_of == {"1": "acme", "2": "finance", "3": "accounting", "4": "acme", "5": "tech"}
    load_text(json.dumps(data))
