"""``orgmodel import hris --rows units``: one row per unit, several parents (the first the
solid line, the others dotted lines), suspicious lines kept and reported (S10-S12)."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from conftest import DATA, run_main

from orgmodel.importers import hris
from orgmodel.importers.hris import HrisOptions, import_hris
from orgmodel.importers.units import import_units
from orgmodel.loader import load_text

IMPORT = DATA / "import"


def _units(data: dict) -> dict[str, dict]:
    return {u["id"]: u for u in data["units"]}


def test_the_uk_government_shape_first_parent_solid_others_dotted(tmp_path: Path) -> None:
    out = tmp_path / "org.json"
    done = run_main(
        "import", "hris", IMPORT / "gov-organisations.csv", "--rows", "units", "-o", out
    )
    assert done.returncode == 0, done.stderr
    assert "15 unit(s), 6 dotted line(s)" in done.stderr
    assert "4 unit(s) with several parents" in done.stderr
    units = _units(json.loads(out.read_text(encoding="utf-8")))
    assert "parent" not in units["cabinet-office"]
    assert units["ukhsa"]["parent"] == "dhsc"
    ipa = units["infrastructure-and-projects-authority"]
    assert ipa["parent"] == "hm-treasury"
    assert [line["to"] for line in ipa["lines"]] == ["cabinet-office"]
    jbc = units["joint-biosecurity-centre"]  # "Cabinet Office": a parent named by its name
    assert jbc["parent"] == "ukhsa"
    assert [line["to"] for line in jbc["lines"]] == ["dhsc", "cabinet-office"]
    assert [line["to"] for line in units["government-property-unit"]["lines"]] == [
        "government-property-agency"
    ]
    analyzed = run_main("analyze", out)
    assert "S11" in analyzed.stdout + analyzed.stderr  # dwp; dhsc; dwp: dwp once more


def test_repeated_parent_columns_and_suspicious_lines_are_kept_and_found(tmp_path: Path) -> None:
    src = tmp_path / "units.csv"
    src.write_text(
        "unit_id,unit_name,parent,parent2,parent3\n"
        "top,Top,,,\n"
        "a,A,top,,\n"
        "b,B,top,b,\n"  # a line to itself
        "c,C,a,top,top\n"  # the same further parent twice
        "d,D,c,a,\n"  # a (c's parent): fine, not its own parent
        "e,E,top,f,\n"  # f is e's own child
        "f,F,e,,\n",
        encoding="utf-8",
    )
    result = import_units(str(src))
    units = _units(result.data)
    assert units["b"]["lines"] == [{"to": "b", "note": "further parent in the source"}]
    assert [line["to"] for line in units["c"]["lines"]] == ["top", "top"]
    assert any("suspicious" in note for note in result.notes)
    out = tmp_path / "org.json"
    assert run_main("import", "hris", src, "--rows", "units", "-o", out).returncode == 0
    report = run_main("analyze", out, "--format", "json")
    codes = sorted(
        f["code"] for f in json.loads(report.stdout)["findings"] if f["code"].startswith("S1")
    )
    assert codes == ["S10", "S11", "S12"]


def test_a_first_parent_that_closes_a_cycle_gives_way_to_the_next(tmp_path: Path) -> None:
    src = tmp_path / "units.csv"
    src.write_text("id,name,parents\ntop,Top,\na,A,b|top\nb,B,a\nme,Me,me\n", encoding="utf-8")
    result = import_units(str(src))
    units = _units(result.data)
    assert units["a"]["parent"] == "top" and units["a"]["lines"][0]["to"] == "b"
    assert units["b"]["parent"] == "a"
    assert "parent" not in units["me"] and units["me"]["lines"][0]["to"] == "me"
    assert any("closes a cycle" in note for note in result.notes)
    load_text(json.dumps(result.data), "org.json")  # valid


def test_bad_unit_rows_are_located_and_nothing_is_written(tmp_path: Path) -> None:
    src = tmp_path / "units.csv"
    src.write_text(
        "id,name,parents\ntop,Top,\na,A,nowhere\na,Again,top\n,Nameless,top\nx,X,y\ny,Y,x\n",
        encoding="utf-8",
    )
    out = tmp_path / "org.json"
    done = run_main("import", "hris", src, "--rows", "units", "-o", out)
    assert done.returncode == 2 and not out.exists()
    lines = [
        line.removeprefix(str(src))
        for line in done.stderr.splitlines()
        if line.startswith(str(src))
    ]
    assert lines == [
        ":3:3: unknown parent 'nowhere': no row has this id or name (column 'parents')",
        ":4:1: duplicate id 'a' (first on row 3) (column 'id')",
        ":5:1: empty id; every row needs one (column 'id')",
        ":6:3: parent cycle through 'x': every parent it lists leads back to it (column 'parents')",
    ]


def test_a_generated_register_with_several_parents_imports_valid(tmp_path: Path) -> None:
    rnd = random.Random(13)
    rows = ["Organisation ID,Name,Parent organisations"]
    for k in range(2000):
        parents = sorted({f"org-{rnd.randrange(k)}" for _ in range(rnd.randint(1, 3))}) if k else []
        rows.append(f"org-{k},Organisation {k},{'; '.join(parents)}")
    src = tmp_path / "orgs.csv"
    src.write_text("\n".join(rows) + "\n", encoding="utf-8")
    data = import_units(str(src)).data
    doc = load_text(json.dumps(data), "orgs.json")
    assert len(doc.units) == 2000
    assert sum(len(u.lines) for u in doc.units) == sum(
        max(0, r.split(",")[2].count(";")) for r in rows[1:]
    )


def test_an_unknown_field_for_unit_rows_is_a_usage_error(tmp_path: Path) -> None:
    src = tmp_path / "units.csv"
    src.write_text("id,name\na,A\n", encoding="utf-8")
    done = run_main("import", "hris", src, "--rows", "units", "--map", "cost=name")
    assert done.returncode == 2 and "unknown field for --rows units" in done.stderr


@pytest.mark.parametrize("batch", [1, 2, 3])
def test_small_batches_give_the_same_import_and_the_same_problems(
    monkeypatch: pytest.MonkeyPatch, batch: int
) -> None:
    good = import_hris(str(IMPORT / "people.csv")).data
    with pytest.raises(Exception) as whole:
        import_hris(str(IMPORT / "bad-rows.csv"))
    monkeypatch.setattr(hris, "_BATCH", batch)
    assert import_hris(str(IMPORT / "people.csv"), HrisOptions()).data == good
    with pytest.raises(Exception) as batched:
        import_hris(str(IMPORT / "bad-rows.csv"))
    assert [str(d) for d in batched.value.diagnostics] == [  # type: ignore[attr-defined]
        str(d) for d in whole.value.diagnostics
    ]  # type: ignore[attr-defined]


def test_reimport_of_a_unit_list_keeps_the_positions_of_the_document(tmp_path: Path) -> None:
    """A unit list holds no positions: --into keeps those of the current document (as it
    keeps designed dotted lines when the export has none), and a position whose unit the
    list no longer holds is a located broken reference, not silently dropped."""
    units = tmp_path / "units.csv"
    units.write_text(
        "id,name,parent\nboard,Board,\ncustomer-service,Customer Service,board\n"
        "billing,Billing,customer-service\nhotline,Hotline,customer-service\nsales,Sales,board\n"
        "business,Business,sales\nshops,Shops,sales\n",
        encoding="utf-8",
    )
    current = json.loads((IMPORT / "org-current.json").read_text(encoding="utf-8"))
    out = tmp_path / "new.json"
    done = run_main(
        "import",
        "hris",
        units,
        "--rows",
        "units",
        "--into",
        IMPORT / "org-current.json",
        "-o",
        out,
    )
    assert done.returncode == 0, done.stderr
    assert "removed from unit" not in done.stdout
    merged = json.loads(out.read_text(encoding="utf-8"))
    assert merged["positions"] == current["positions"]
    assert list(merged) == list(current)  # the keys keep their order
    figures = ("head", "headcount", "cost")
    was = {u["id"]: u for u in current["units"]}
    for u in merged["units"]:  # the list has no head, headcount or cost column: kept
        assert {k: u.get(k) for k in figures} == {k: was[u["id"]].get(k) for k in figures}

    units.write_text(units.read_text(encoding="utf-8").replace("shops,Shops,sales\n", ""))
    done = run_main(
        "import",
        "hris",
        units,
        "--rows",
        "units",
        "--into",
        IMPORT / "org-current.json",
        "-o",
        out,
    )
    assert done.returncode == 1, done.stderr
    merged = json.loads(out.read_text(encoding="utf-8"))
    assert merged["positions"] == current["positions"]
    at = next(k for k, p in enumerate(merged["positions"]) if p["unit"] == "shops")
    assert f"$.positions[{at}].unit: unknown unit 'shops'" in done.stderr


def test_reimport_of_people_into_a_document_from_a_unit_list_adds_the_positions(
    tmp_path: Path,
) -> None:
    doc = tmp_path / "org.json"
    done = run_main("import", "hris", IMPORT / "people.csv", "-o", doc)
    assert done.returncode == 0, done.stderr
    imported = json.loads(doc.read_text(encoding="utf-8"))
    without = {k: v for k, v in imported.items() if k != "positions"}
    doc.write_text(json.dumps(without), encoding="utf-8")
    done = run_main("import", "hris", IMPORT / "people.csv", "--into", doc)
    assert done.returncode == 0, done.stderr
    assert json.loads(doc.read_text(encoding="utf-8"))["positions"] == imported["positions"]


def test_reimport_clears_a_head_the_export_leaves_blank(tmp_path: Path) -> None:
    """A figure is kept from the current document only when the export has no column for
    it; a blank cell in a column it has (a vacant head) replaces the current value."""
    current = json.loads((IMPORT / "org-current.json").read_text(encoding="utf-8"))
    ids = [u["id"] for u in current["units"]]
    model = tmp_path / "current.json"
    for u in current["units"]:
        u["head"] = "Bob"
    model.write_text(json.dumps(current, indent=2), encoding="utf-8")
    units = tmp_path / "units.csv"
    parent = {u["id"]: u.get("parent") or "" for u in current["units"]}
    rows = [f"{i},{i.title()},{parent[i]},{'' if i == ids[-1] else 'Ann'}" for i in ids]
    units.write_text("id,name,parent,head\n" + "\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "new.json"
    done = run_main("import", "hris", units, "--rows", "units", "--into", model, "-o", out)
    assert done.returncode in (0, 1), done.stderr
    heads = {u["id"]: u.get("head") for u in json.loads(out.read_text(encoding="utf-8"))["units"]}
    assert heads == {i: (None if i == ids[-1] else "Ann") for i in ids}


def test_a_headcount_beyond_the_documents_limit_is_a_row_problem(tmp_path: Path) -> None:
    units = tmp_path / "units.csv"
    units.write_text("id,name,parent,headcount\nboard,Board,,99999999999\n", encoding="utf-8")
    out = tmp_path / "out.json"
    done = run_main("import", "hris", units, "--rows", "units", "-o", out)
    assert done.returncode == 2
    assert "units.csv:2:4: headcount '99999999999' is not a whole number from 0 to" in done.stderr
    assert "Traceback" not in done.stderr and not out.exists()


def test_mapped_parent_columns_and_a_missing_name_for_unit_rows(tmp_path: Path) -> None:
    src = tmp_path / "units.csv"
    src.write_text("Code,Title,Up,Also\nb,Board,,\nx,X,b,\ny,Y,x,b\n", encoding="utf-8")
    out = tmp_path / "org.json"
    mapped = ("--map", "id=Code", "--map", "name=Title", "--map", "parent=Up, Also")
    done = run_main("import", "hris", src, "--rows", "units", *mapped, "-o", out)
    assert done.returncode == 0, done.stderr
    units = {u["id"]: u for u in json.loads(out.read_text(encoding="utf-8"))["units"]}
    assert units["y"]["parent"] == "x"  # the first parent column is the solid line
    assert units["y"]["lines"] == [{"to": "b", "note": "further parent in the source"}]
    done = run_main("import", "hris", src, "--rows", "units", "--map", "parent=Up,Nope", "-o", out)
    assert done.returncode == 2
    assert f"{src}:1: --map parent=Up,Nope: no column 'Nope'; the columns are" in done.stderr
