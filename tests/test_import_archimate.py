"""``orgmodel import archimate`` and ``orgmodel export archimate``: the exchange format."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest
from conftest import DATA, ROOT, run_main

from orgmodel.loader import load_text

SMALL = DATA / "import" / "small-archimate.xml"
SHARED = ROOT.parent / "shared" / "data" / "archimate"
ARCHISURANCE = SHARED / "archisurance.xml"
needs_archisurance = pytest.mark.skipif(
    not ARCHISURANCE.exists(),
    reason=f"Archisurance not found at {SHARED} (the shared data folder beside the repository)",
)

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<model xmlns="http://www.opengroup.org/xsd/archimate/3.0/"><name>&lol9;</name></model>
"""


def _import(path: Path, tmp_path: Path, *args: str) -> tuple[dict, str]:
    out = tmp_path / "org.json"
    done = run_main("import", "archimate", path, *args, "-o", out)
    assert done.returncode == 0, done.stderr
    load_text(out.read_text(encoding="utf-8"))
    return json.loads(out.read_text(encoding="utf-8")), done.stderr


def test_small_model_units_lines_roles_and_journeys(tmp_path: Path) -> None:
    data, stderr = _import(SMALL, tmp_path)
    units = {u["id"]: u for u in data["units"]}
    assert units["a-claims"]["parent"] == "a-board"
    assert units["a-claims"]["lines"] == [{"to": "a-finance", "kind": "matrix"}]
    # two parents: the first is the solid line, the second a dotted line
    assert units["a-ssc"]["parent"] == "a-claims"
    assert units["a-ssc"]["lines"] == [{"to": "a-finance", "note": "further parent in the source"}]
    [journey] = data["journeys"]
    assert [(s["name"], s["unit"], s.get("role")) for s in journey["steps"]] == [
        ("Register claim", "a-claims", "Claim handler"),
        ("Assess claim", "a-claims", "Claim handler"),
        ("Pay claim", "a-finance", None),
    ]
    assert "not mapped (no counterpart in orgmodel): 1 ApplicationComponent" in stderr
    assert "relationships not mapped: 1 Serving" in stderr


def test_billion_laughs_exits_2_quickly(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.xml"
    bomb.write_text(BILLION_LAUGHS, encoding="utf-8")
    start = time.perf_counter()
    done = run_main("import", "archimate", bomb, "-o", tmp_path / "out.json")
    assert time.perf_counter() - start < 5
    assert done.returncode == 2
    assert re.search(
        rf"^{re.escape(str(bomb))}:\d+:\d+: refused: the file declares a DTD or entities",
        done.stderr,
        re.M,
    )
    assert not (tmp_path / "out.json").exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("<model", "not well-formed XML"),
        ("<other/>", "not an ArchiMate exchange file"),
        (
            '<model xmlns="http://www.opengroup.org/xsd/archimate/3.0/"><name>x</name></model>',
            "no business actors",
        ),
    ],
)
def test_bad_files_exit_2(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "in.xml"
    path.write_text(text, encoding="utf-8")
    done = run_main("import", "archimate", path)
    assert done.returncode == 2 and message in done.stderr


def _check_xsd(path: Path) -> None:
    xmlschema = pytest.importorskip("xmlschema")
    schema = xmlschema.XMLSchema(str(SHARED / "archimate3_Model.xsd"))
    schema.validate(str(path))


@needs_archisurance
def test_archisurance_counts(tmp_path: Path) -> None:
    data, stderr = _import(ARCHISURANCE, tmp_path, "--association", "parent")
    assert (
        "17 business actor(s) -> 18 unit(s); 5 business role(s); 9 business process(es) "
        "-> 4 journey(s) with 9 step(s)"
    ) in stderr
    units = {u["name"]: u for u in data["units"]}
    assert units["Director of Sales"]["parent"] == units["Board"]["id"]
    assert units["Car"]["parent"] == units["Director of Operations"]["id"]
    assert "unassigned" in {u["id"] for u in data["units"]}  # steps nobody performs
    steps = [s for j in data["journeys"] for s in j["steps"]]
    assert len(steps) == 9
    handle = next(j for j in data["journeys"] if j["name"] == "Handle Claim")
    assert [s["name"] for s in handle["steps"]] == [
        "Handle Claim",
        "Inform Customer",
        "Collect Premium",
    ]
    assert handle["steps"][0]["role"] == "Insurer"


@needs_archisurance
def test_round_trip_keeps_units_lines_and_journeys(tmp_path: Path) -> None:
    for source in (ROOT / "examples" / "telecom" / "proposed.json", None):
        if source is None:
            first, _ = _import(ARCHISURANCE, tmp_path, "--association", "parent")
            source = tmp_path / "first.json"
            source.write_text(json.dumps(first), encoding="utf-8")
        xml = tmp_path / "model.xml"
        done = run_main("export", "archimate", source, "-o", xml)
        assert done.returncode == 0, done.stderr
        _check_xsd(xml)
        back, _ = _import(xml, tmp_path)
        original = load_text(source.read_text(encoding="utf-8"))
        again = load_text(json.dumps(back))
        assert [
            (u.id, u.name, u.parent, [(x.to, x.kind) for x in u.lines]) for u in original.units
        ] == [(u.id, u.name, u.parent, [(x.to, x.kind) for x in u.lines]) for u in again.units]
        assert [
            (j.id, j.name, [(s.name, s.unit, s.role) for s in j.steps]) for j in original.journeys
        ] == [(j.id, j.name, [(s.name, s.unit, s.role) for s in j.steps]) for j in again.journeys]


@needs_archisurance
def test_archisurance_notes_name_what_is_not_mapped_by_its_type(tmp_path: Path) -> None:
    """What the README says: the unmapped elements and relationships are counted by their
    ArchiMate type; views are not read (Archisurance has 17, none is named)."""
    _, stderr = _import(ARCHISURANCE, tmp_path, "--association", "parent")
    assert (
        "note: not mapped (no counterpart in orgmodel): 10 ApplicationComponent, "
        "5 ApplicationFunction,"
    ) in stderr
    assert "note: relationships not mapped: 14 Access, 11 Aggregation," in stderr
    assert "BusinessActor" not in stderr.split("not mapped", 1)[1]
    assert "BusinessRole" not in stderr and "View" not in stderr
    assert stderr.count("performed by 'unassigned'") == 3  # one note per journey


def test_an_association_to_itself_stays_a_dotted_line_for_analyze(tmp_path: Path) -> None:
    ns = "http://www.opengroup.org/xsd/archimate/3.0/"
    xml = tmp_path / "self.xml"
    xml.write_text(
        f'<model xmlns="{ns}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'identifier="m"><name>M</name><elements>'
        '<element identifier="a" xsi:type="BusinessActor"><name>A</name></element>'
        '<element identifier="b" xsi:type="BusinessActor"><name>B</name></element>'
        "</elements><relationships>"
        '<relationship identifier="r1" xsi:type="Association" source="a" target="a"/>'
        '<relationship identifier="r2" xsi:type="Composition" source="a" target="b"/>'
        '<relationship identifier="r3" xsi:type="Composition" source="b" target="b"/>'
        "</relationships></model>",
        encoding="utf-8",
    )
    data, stderr = _import(xml, tmp_path)
    units = {u["id"]: u for u in data["units"]}
    assert units["a"]["lines"] == [{"to": "a"}]  # kept: S10 reports it
    assert units["b"] == {"id": "b", "name": "B", "parent": "a"}
    assert "unit 'b': a relationship to itself; left out" in stderr


def test_the_import_writes_its_data_as_the_document_text() -> None:
    from orgmodel.importers.archimate import import_archimate

    result = import_archimate(str(SMALL))
    assert result.written() == {}
    assert result.text() == json.dumps(result.data, indent=2, ensure_ascii=False) + "\n"
