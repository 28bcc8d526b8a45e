"""Loading documents: parsed values, and every problem reported at once with its place."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import DATA, diagnostics_of, doc, only_diagnostic, unit

from orgmodel import Diagnostic, Document, DocumentInvalid, load_document, load_text, validate_file
from orgmodel.model import Layer, LineKind, Orientation, UnitKind, ValueTier, VolumePeriod

# --------------------------------------------------------------------------- valid documents


def test_valid_fixture_loads_with_parsed_values(valid_path: Path) -> None:
    d = load_document(valid_path)
    assert isinstance(d, Document)
    assert d.schema_ == "../../schemas/orgmodel.schema.json"
    assert d.orgmodel == "1"
    assert [u.id for u in d.units] == [
        "board",
        "sales",
        "field-sales",
        "service",
        "hotline",
        "accounting",
        "smb-team",
    ]
    hotline = d.units[4]
    assert hotline.kind is UnitKind.TEAM
    assert hotline.headcount == 40
    assert hotline.cost == 2400000.5
    assert hotline.lines[0].to == "sales"
    assert hotline.lines[0].kind is LineKind.MATRIX
    assert d.units[6].layer is Layer.CUSTOMER
    assert d.segments[0].value_tier is ValueTier.POTENTIAL
    assert d.positions[2].fte == 0.5 and d.positions[2].staff is True
    assert d.goals[0].target == 4.5
    assert d.goals[1].target == "+10 %"
    assert d.goals[2].orientation is Orientation.CUSTOMER

    steps = d.journeys[0].steps
    # durations are whole seconds
    assert [s.work for s in steps] == [600, 0, 5400, 0]
    assert [s.wait for s in steps] == [0, 86400, 2 * 86400, 5400]
    assert [s.id for s in steps] == [None, "forward", None, None]
    assert steps[1].value_adding is False
    assert [(p.text, p.weight) for p in steps[2].problems] == [
        ("Nobody calls back", 8),
        ("Letter is unclear", 1),
    ]


def test_defaults_are_filled_in() -> None:
    d = load_text(
        json.dumps(
            doc(
                units=[unit("board")],
                positions=[{"id": "ceo", "title": "CEO", "unit": "board"}],
                journeys=[{"id": "j", "name": "J", "steps": [{"name": "s", "unit": "board"}]}],
                goals=[{"id": "g", "metric": "m", "holder": "j", "orientation": "functional"}],
            )
        )
    )
    u = d.units[0]
    assert (u.kind, u.layer, u.parent, u.lines, u.silo, u.headcount, u.cost) == (
        UnitKind.DEPARTMENT,
        Layer.FUNCTIONAL,
        None,
        [],
        False,
        None,
        None,
    )
    assert (d.settings.silo_level, d.settings.volume_period, d.settings.currency) == (
        1,
        VolumePeriod.MONTH,
        "EUR",
    )
    assert d.positions[0].fte == 1.0
    assert d.positions[0].staff is False
    assert d.positions[0].reports_to is None
    j = d.journeys[0]
    assert j.state == "as-is"
    s = j.steps[0]
    assert (s.id, s.work, s.wait, s.value_adding, s.touchpoint, s.problems) == (
        None,
        0,
        0,
        True,
        False,
        [],
    )
    assert d.goals[0].kind.value == "other"
    assert d.schema_ is None
    assert d.services == d.segments == d.personas == d.stakeholders == []


def test_zero_duration_may_be_the_number_zero() -> None:
    d = load_text(
        json.dumps(
            doc(
                journeys=[
                    {
                        "id": "j",
                        "name": "J",
                        "steps": [{"name": "s", "unit": "board", "work": 0, "wait": "0"}],
                    }
                ]
            )
        )
    )
    assert (d.journeys[0].steps[0].work, d.journeys[0].steps[0].wait) == (0, 0)


def test_validate_file(valid_path: Path, broken_path: Path) -> None:
    assert validate_file(valid_path) == []
    assert len(validate_file(broken_path)) == 5


def test_bom_file_loads(tmp_path: Path, valid_path: Path) -> None:
    target = tmp_path / "bom.json"
    target.write_bytes(b"\xef\xbb\xbf" + valid_path.read_bytes())
    assert load_document(target).name == "Telecom Ltd, current organization"


# --------------------------------------------------------------------------- the must-show case


def test_broken_fixture_reports_all_five_problems_at_once(broken_path: Path) -> None:
    with pytest.raises(DocumentInvalid) as info:
        load_document(broken_path)
    found = info.value.diagnostics
    f = str(broken_path)
    # Hand-checked against tests/data/broken.json (lines and columns are 1-based).
    expected = [
        # line 9, `"headcount": "twelve"`: the value starts in column 76
        (9, 76, "$.units[4].headcount", "shape", "input should be a valid integer"),
        # line 10, billing -> collections -> billing, reported at billing's parent
        (
            10,
            52,
            "$.units[5].parent",
            "cycle",
            "reporting cycle: billing -> collections -> billing",
        ),
        # line 12, the second unit with id "sales"
        (
            12,
            12,
            "$.units[7].id",
            "duplicate-id",
            "duplicate id 'sales': already used by the unit at $.units[1]",
        ),
        # line 25, step 3 names "acounting"
        (
            25,
            59,
            "$.journeys[0].steps[2].unit",
            "reference",
            "unknown unit 'acounting' (did you mean 'accounting'?)",
        ),
        # line 31, the goal object without "orientation"
        (31, 5, "$.goals[0].orientation", "shape", "missing required field 'orientation'"),
    ]
    assert [(d.line, d.column, d.json_path, d.code) for d in found] == [e[:4] for e in expected]
    for d, (line, col, path, _code, text) in zip(found, expected, strict=True):
        assert d.file == f
        assert text in d.message
        assert str(d).startswith(f"{f}:{line}:{col}: {path}: ")
    # All of it is in the exception's text too, one line per problem.
    assert str(info.value).splitlines() == [str(d) for d in found]
    assert "did you mean 'accounting'" in str(info.value)


def test_broken_fixture_with_windows_line_endings_has_the_same_places(
    tmp_path: Path, broken_path: Path
) -> None:
    crlf = tmp_path / "crlf.json"
    crlf.write_bytes(broken_path.read_bytes().replace(b"\n", b"\r\n"))
    places = [(d.line, d.column, d.json_path) for d in validate_file(crlf)]
    assert places == [(d.line, d.column, d.json_path) for d in validate_file(broken_path)]


def test_broken_fixture_with_bom_has_the_same_places(tmp_path: Path, broken_path: Path) -> None:
    bom = tmp_path / "bom.json"
    bom.write_bytes(b"\xef\xbb\xbf" + broken_path.read_bytes())
    places = [(d.line, d.column, d.json_path) for d in validate_file(bom)]
    assert places == [(d.line, d.column, d.json_path) for d in validate_file(broken_path)]
    # load_text with the BOM still in the text agrees
    text = bom.read_bytes().decode("utf-8")
    assert text.startswith("\ufeff")
    places_text = [(d.line, d.column, d.json_path) for d in diagnostics_of(text)]
    assert places_text == places


def test_diagnostic_to_dict_and_str() -> None:
    d = Diagnostic("a.json", 3, 7, ("units", 0, "parent"), "reference", "unknown unit 'x'")
    assert d.to_dict() == {
        "file": "a.json",
        "line": 3,
        "column": 7,
        "path": "$.units[0].parent",
        "code": "reference",
        "message": "unknown unit 'x'",
    }
    assert str(d) == "a.json:3:7: $.units[0].parent: unknown unit 'x'"
    assert str(Diagnostic("a.json", None, None, None, "io", "file not found")) == (
        "a.json: file not found"
    )


# --------------------------------------------------------------------------- JSON syntax


def test_truncated_json(tmp_path: Path) -> None:
    path = DATA / "truncated.json"
    with pytest.raises(DocumentInvalid) as info:
        load_document(path)
    [d] = info.value.diagnostics
    # The file stops after `    {"id": "sales", "parent": "board",` (38 characters) on line 6.
    assert (d.file, d.line, d.column, d.path, d.code) == (str(path), 6, 39, None, "json")
    assert d.message.startswith("invalid JSON: ")
    assert "truncated" in d.message


def test_json_syntax_error_in_the_middle_is_not_called_truncated() -> None:
    d = only_diagnostic('{\n  "orgmodel": "1",\n  "name" "x",\n  "units": []\n}')
    assert (d.line, d.column, d.code) == (3, 10, "json")
    assert "delimiter" in d.message
    assert "truncated" not in d.message


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.json"
    path.write_text("", encoding="utf-8")
    [d] = validate_file(path)
    assert (d.line, d.column, d.code) == (1, 1, "json")
    assert d.message.startswith("the file is empty")


def test_whitespace_only_text() -> None:
    d = only_diagnostic("\n\n   ")
    assert (d.line, d.column, d.code) == (1, 1, "json")
    assert d.message.startswith("the file is empty")


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_non_finite_constants_are_rejected(constant: str) -> None:
    text = json.dumps(doc(units=[unit("board", cost="@")])).replace('"@"', constant)
    assert constant in text
    d = only_diagnostic(text)
    assert d.code == "json"
    assert constant.lstrip("-") in d.message
    assert "not allowed" in d.message


def test_nan_diagnostic_is_located() -> None:
    d = only_diagnostic('{\n  "orgmodel": "1",\n  "cost": NaN\n}')
    assert (d.line, d.column, d.json_path) == (3, 11, "$.cost")


def test_overflowing_number_is_rejected() -> None:
    # json.loads reads 1e999 as float("inf"), which no field may hold
    text = json.dumps(doc(units=[unit("board", cost="@")])).replace('"@"', "1e999")
    d = only_diagnostic(text)
    assert (d.json_path, d.code) == ("$.units[0].cost", "shape")
    assert text[d.column - 1 :].startswith("1e999")
    assert "finite" in d.message


def test_deeply_nested_json_is_a_diagnostic_not_a_crash() -> None:
    d = only_diagnostic('{"description": ' + "[" * 100_000 + "]" * 100_000 + "}")
    assert d.code == "json"
    assert "nested too deeply" in d.message


@pytest.mark.parametrize("text", ["[]", '[{"orgmodel": "1"}]', '"orgmodel"', "42", "null"])
def test_document_must_be_an_object(text: str) -> None:
    d = only_diagnostic(text)
    assert (d.line, d.column, d.path, d.code) == (1, 1, (), "shape")
    assert d.json_path == "$"
    assert "must be a JSON object" in d.message


# --------------------------------------------------------------------------- files


def test_file_not_found(tmp_path: Path) -> None:
    path = tmp_path / "missing.json"
    with pytest.raises(DocumentInvalid) as info:
        load_document(path)
    [d] = info.value.diagnostics
    assert (d.file, d.line, d.column, d.path, d.code) == (str(path), None, None, None, "io")
    assert "file not found" in d.message
    assert str(d) == f"{path}: file not found; check the path"


def test_directory(tmp_path: Path) -> None:
    [d] = validate_file(tmp_path)
    assert (d.file, d.code, d.line) == (str(tmp_path), "io", None)
    assert "is a directory" in d.message


def test_non_utf8_file(tmp_path: Path) -> None:
    path = tmp_path / "latin1.json"
    path.write_bytes('{"name": "Müller"}'.encode("latin-1"))
    [d] = validate_file(path)
    assert d.code == "io"
    # b'{"name": "M' is 11 bytes, then the Latin-1 byte 0xFC
    assert "not UTF-8 text (byte 11)" in d.message
    assert "save the file as UTF-8" in d.message


def test_repeated_values_are_one_string_object() -> None:
    """A large document repeats titles, names and references; the parser keeps one object
    for each (a fifth of the memory of the 1,000,000-position benchmark document)."""
    positions = [
        {"id": f"p{n}", "title": "Specialist", "unit": "u", "holder": "Ann Olsen"} for n in range(3)
    ]
    text = json.dumps(
        {"orgmodel": "1", "name": "n", "units": [{"id": "u", "name": "U"}], "positions": positions}
    )
    first, *others = load_text(text.encode()).positions
    for other in others:
        assert other.title is first.title and other.holder is first.holder
        assert other.unit is first.unit


def test_source_names_the_text() -> None:
    d = only_diagnostic("[]", source="proposal/to-be.json")
    assert d.file == "proposal/to-be.json"
    assert str(d) == (
        "proposal/to-be.json:1:1: $: a document must be a JSON object with the fields "
        "orgmodel, name and units"
    )


# --------------------------------------------------------------------------- shape


def test_unknown_field_with_did_you_mean_points_at_the_key() -> None:
    text = (
        "{\n"
        '  "orgmodel": "1",\n'
        '  "name": "x",\n'
        '  "units": [\n'
        '    {"id": "a", "name": "A", "parnet": "a"}\n'
        "  ]\n"
        "}"
    )
    d = only_diagnostic(text)
    # line 5: `    {"id": "a", "name": "A", "parnet": "a"}` -> the key "parnet" is at column 30
    assert (d.line, d.column, d.json_path, d.code) == (5, 30, "$.units[0].parnet", "shape")
    assert d.message == "unknown field 'parnet' (did you mean 'parent'?)"


def test_unknown_top_level_field_and_the_missing_one() -> None:
    found = diagnostics_of('{"orgmodel": "1", "name": "x", "unit": [{"id": "a", "name": "A"}]}')
    assert [(d.line, d.column, d.json_path, d.message) for d in found] == [
        (1, 1, "$.units", "missing required field 'units'"),
        (1, 32, "$.unit", "unknown field 'unit' (did you mean 'units'?)"),
    ]


def test_unknown_field_without_close_match_lists_the_allowed_fields() -> None:
    d = only_diagnostic(json.dumps(doc(units=[unit("a", wibble=1)])))
    assert d.json_path == "$.units[0].wibble"
    assert d.message.startswith(
        "unknown field 'wibble'; allowed here: id, name, kind, layer, parent"
    )


def test_unknown_field_in_settings() -> None:
    d = only_diagnostic(json.dumps(doc(settings={"silo_levl": 2})))
    assert d.json_path == "$.settings.silo_levl"
    assert d.message == "unknown field 'silo_levl' (did you mean 'silo_level'?)"


@pytest.mark.parametrize(("version", "shown"), [("2", "'2'"), (1, "1"), ("1.0", "'1.0'")])
def test_wrong_format_version(version: object, shown: str) -> None:
    text = (
        '{"orgmodel": '
        + json.dumps(version)
        + ', "name": "x", "units": [{"id": "a", "name": "A"}]}'
    )
    d = only_diagnostic(text)
    assert (d.line, d.column, d.json_path, d.code) == (1, 14, "$.orgmodel", "shape")
    assert d.message == f'unsupported format version {shown}; this orgmodel reads "orgmodel": "1"'


def test_missing_format_version() -> None:
    d = only_diagnostic('{"name": "x", "units": [{"id": "a", "name": "A"}]}')
    assert (d.line, d.column, d.json_path) == (1, 1, "$.orgmodel")
    assert d.message == "missing required field 'orgmodel'"


def test_wrong_types_each_reported() -> None:
    text = json.dumps(doc(units=[unit("a", headcount=-1, kind="squad", layer=3, silo=[])]))
    found = diagnostics_of(text)
    by_path = {d.json_path: d.message for d in found}
    assert set(by_path) == {
        "$.units[0].headcount",
        "$.units[0].kind",
        "$.units[0].layer",
        "$.units[0].silo",
    }
    assert by_path["$.units[0].silo"] == "input should be a valid boolean"
    assert by_path["$.units[0].headcount"] == "input should be greater than or equal to 0"
    assert by_path["$.units[0].kind"].startswith("input should be 'board', 'executive'")
    assert by_path["$.units[0].layer"] == "input should be 'functional', 'customer' or 'market'"
    assert all(d.code == "shape" for d in found)
    # sorted by place in the text
    assert [d.column for d in found] == sorted(d.column for d in found)


def test_union_alternatives_are_merged_into_one_message() -> None:
    goal = {"id": "g", "metric": "m", "holder": "board", "orientation": "customer", "target": [1]}
    d = only_diagnostic(json.dumps(doc(goals=[goal])))
    assert d.json_path == "$.goals[0].target"
    assert d.message == "input should be a valid string or a valid number"


def test_bad_ids() -> None:
    text = json.dumps(doc(units=[unit("board"), {"id": "a b", "name": "A", "parent": "board"}]))
    d = only_diagnostic(text)
    assert d.json_path == "$.units[1].id"
    assert d.message == "an id must not contain spaces, control characters, '/' or '#'"


def test_bad_durations() -> None:
    step = {"name": "s", "unit": "board", "wait": "2 days", "work": 30}
    found = diagnostics_of(json.dumps(doc(journeys=[{"id": "j", "name": "J", "steps": [step]}])))
    assert [(d.json_path, d.code) for d in found] == [
        ("$.journeys[0].steps[0].wait", "shape"),
        ("$.journeys[0].steps[0].work", "shape"),
    ]
    assert found[0].message.startswith("'2 days' is not a duration")
    assert found[1].message.startswith("30 is not a duration")


def test_order_of_duration_parts_is_reported() -> None:
    step = {"name": "s", "unit": "board", "wait": "1m1h"}
    d = only_diagnostic(json.dumps(doc(journeys=[{"id": "j", "name": "J", "steps": [step]}])))
    assert d.json_path == "$.journeys[0].steps[0].wait"
    assert "from the largest unit to the smallest" in d.message


def test_missing_required_fields_are_located_at_their_object() -> None:
    text = '{"orgmodel": "1", "name": "", "units": [{"name": "A"}]}'
    found = diagnostics_of(text)
    assert [(d.line, d.column, d.json_path, d.message) for d in found] == [
        (1, 27, "$.name", "string should have at least 1 character"),
        (1, 41, "$.units[0].id", "missing required field 'id'"),
    ]


def test_document_needs_a_unit() -> None:
    d = only_diagnostic('{"orgmodel": "1", "name": "x", "units": []}')
    assert (d.column, d.json_path, d.message) == (
        41,
        "$.units",
        "a document needs at least one unit",
    )


def test_journey_with_no_steps() -> None:
    text = json.dumps(doc(journeys=[{"id": "j", "name": "J", "steps": []}]), indent=2)
    d = only_diagnostic(text)
    assert d.json_path == "$.journeys[0].steps"
    assert d.message == "a journey needs at least one step"
    assert d.code == "shape"
    line = text.splitlines()[d.line - 1]
    assert line[d.column - 1 :] == "[]"


def test_journey_without_steps_field() -> None:
    d = only_diagnostic(json.dumps(doc(journeys=[{"id": "j", "name": "J"}])))
    assert (d.json_path, d.message) == ("$.journeys[0].steps", "missing required field 'steps'")


def test_collections_of_the_wrong_type() -> None:
    found = diagnostics_of('{"orgmodel": "1", "name": "x", "units": [5, "a", null]}')
    assert [(d.column, d.json_path) for d in found] == [
        (42, "$.units[0]"),
        (45, "$.units[1]"),
        (50, "$.units[2]"),
    ]
    d = only_diagnostic('{"orgmodel": "1", "name": "x", "units": {"id": "a"}}')
    assert (d.json_path, d.message) == ("$.units", "input should be a valid list")


# --------------------------------------------------------------------------- meaning


def test_kind_mismatch() -> None:
    text = json.dumps(
        doc(
            segments=[{"id": "smb", "name": "SMB"}],
            journeys=[{"id": "j", "name": "J", "steps": [{"name": "s", "unit": "smb"}]}],
        )
    )
    d = only_diagnostic(text)
    assert (d.json_path, d.code) == ("$.journeys[0].steps[0].unit", "reference")
    assert d.message == "'smb' is a segment, not a unit"


def test_goal_holder_of_the_wrong_kind() -> None:
    goal = {"id": "g", "metric": "m", "holder": "g", "orientation": "customer"}
    d = only_diagnostic(json.dumps(doc(goals=[goal])))
    assert d.json_path == "$.goals[0].holder"
    assert d.message == "'g' is a goal, not a unit or journey or segment"


def test_unknown_reference_without_close_match() -> None:
    d = only_diagnostic(json.dumps(doc(segments=[{"id": "s", "name": "S", "team": "qqqqqq"}])))
    assert d.json_path == "$.segments[0].team"
    assert d.message == "unknown unit 'qqqqqq'; declare it under 'units' or fix the id"


def test_reference_inside_nested_list() -> None:
    text = json.dumps(doc(units=[unit("board", lines=[{"to": "bord"}])]))
    d = only_diagnostic(text)
    assert d.json_path == "$.units[0].lines[0].to"
    assert d.message == "unknown unit 'bord' (did you mean 'board'?)"


def test_suggestions_come_from_the_right_kind() -> None:
    text = json.dumps(
        doc(
            units=[unit("board"), unit("sales", "board")],
            segments=[{"id": "sale", "name": "S"}],
            journeys=[{"id": "j", "name": "J", "steps": [{"name": "s", "unit": "salez"}]}],
        )
    )
    d = only_diagnostic(text)
    assert d.message == "unknown unit 'salez' (did you mean 'sales'?)"


def test_duplicate_ids_across_collections() -> None:
    text = json.dumps(doc(positions=[{"id": "board", "title": "P", "unit": "board"}]))
    d = only_diagnostic(text)
    assert (d.json_path, d.code) == ("$.positions[0].id", "duplicate-id")
    assert d.message == (
        "duplicate id 'board': already used by the unit at $.units[0]; "
        "ids must be unique in the document"
    )


def test_duplicate_id_in_positions_listed_top_down() -> None:
    # Every superior listed before its reports: the fast path that skips the separate
    # reference and cycle checks must still see the repeated id.
    positions = [
        {"id": "p1", "title": "Chair", "unit": "board"},
        {"id": "p2", "title": "Rep", "unit": "board", "reports_to": "p1"},
        {"id": "p2", "title": "Rep", "unit": "board", "reports_to": "p1"},
    ]
    d = only_diagnostic(json.dumps(doc(positions=positions)))
    assert (d.json_path, d.code) == ("$.positions[2].id", "duplicate-id")
    assert d.message.startswith("duplicate id 'p2': already used by the position at $.positions[1]")


def test_duplicate_step_ids_inside_a_journey() -> None:
    steps = [
        {"id": "x", "name": "a", "unit": "board"},
        {"id": "x", "name": "b", "unit": "board"},
        {"name": "c", "unit": "board"},  # default id "3"
        {"id": "3", "name": "d", "unit": "board"},
    ]
    found = diagnostics_of(json.dumps(doc(journeys=[{"id": "j", "name": "J", "steps": steps}])))
    assert [(d.json_path, d.code) for d in found] == [
        ("$.journeys[0].steps[1].id", "duplicate-id"),
        ("$.journeys[0].steps[3].id", "duplicate-id"),
    ]
    assert found[0].message.startswith("duplicate step id 'x' in this journey (also step 1)")
    assert found[1].message.startswith("duplicate step id '3' in this journey (also step 3)")


def test_default_step_id_clashing_with_an_earlier_explicit_one() -> None:
    steps = [{"id": "2", "name": "a", "unit": "board"}, {"name": "b", "unit": "board"}]
    d = only_diagnostic(json.dumps(doc(journeys=[{"id": "j", "name": "J", "steps": steps}])))
    assert d.json_path == "$.journeys[0].steps[1]"
    assert "duplicate step id '2'" in d.message


def test_same_step_ids_in_different_journeys_are_fine() -> None:
    steps = [{"id": "start", "name": "a", "unit": "board"}]
    d = load_text(
        json.dumps(
            doc(
                journeys=[
                    {"id": "j1", "name": "J1", "steps": steps},
                    {"id": "j2", "name": "J2", "steps": steps},
                ]
            )
        )
    )
    assert [j.steps[0].id for j in d.journeys] == ["start", "start"]


def test_explicit_null_step_id_clashing_with_a_default_id() -> None:
    steps = [{"id": None, "name": "a", "unit": "board"}, {"id": "1", "name": "b", "unit": "board"}]
    d = only_diagnostic(json.dumps(doc(journeys=[{"id": "j", "name": "J", "steps": steps}])))
    assert d.code == "duplicate-id"


def test_reporting_cycle_is_reported_once_at_its_first_unit() -> None:
    text = json.dumps(
        doc(
            units=[
                unit("a", "b"),
                unit("b", "a"),
                unit("c", "c"),
                unit("d", "a"),
            ]
        )
    )
    found = diagnostics_of(text)
    assert [(d.json_path, d.code) for d in found] == [
        ("$.units[0].parent", "cycle"),
        ("$.units[2].parent", "cycle"),
    ]
    assert found[0].message.startswith("reporting cycle: a -> b -> a; ")
    assert found[1].message.startswith("reporting cycle: c -> c; ")


def test_self_parent_cycle() -> None:
    text = (
        "{\n"
        '  "orgmodel": "1", "name": "x",\n'
        '  "units": [{"id": "board", "name": "Board", "parent": "board"}]\n'
        "}"
    )
    d = only_diagnostic(text)
    assert (d.line, d.column, d.json_path, d.code) == (3, 56, "$.units[0].parent", "cycle")
    assert d.message == (
        "reporting cycle: board -> board; one of them must report outside the cycle "
        "(the top unit has no parent)"
    )


def test_cycle_entered_from_outside_is_named_from_its_first_unit() -> None:
    # x -> c -> b -> c: the cycle is b, c; the first of them in the document is c (index 1)
    text = json.dumps(doc(units=[unit("x", "c"), unit("c", "b"), unit("b", "c")]))
    d = only_diagnostic(text)
    assert d.json_path == "$.units[1].parent"
    assert d.message.startswith("reporting cycle: c -> b -> c;")


def test_position_reporting_cycle() -> None:
    text = json.dumps(
        doc(
            positions=[
                {"id": "p", "title": "P", "unit": "board", "reports_to": "q"},
                {"id": "q", "title": "Q", "unit": "board", "reports_to": "r"},
                {"id": "r", "title": "R", "unit": "board", "reports_to": "p"},
            ]
        )
    )
    d = only_diagnostic(text)
    assert (d.json_path, d.code) == ("$.positions[0].reports_to", "cycle")
    assert d.message == (
        "reporting cycle: p -> q -> r -> p; one of them must report outside the cycle"
    )


def test_position_reporting_to_a_unit() -> None:
    text = json.dumps(
        doc(
            positions=[
                {"id": "p", "title": "P", "unit": "board", "reports_to": "board"},
            ]
        )
    )
    d = only_diagnostic(text)
    assert (d.json_path, d.message) == (
        "$.positions[0].reports_to",
        "'board' is a unit, not a position",
    )


def test_meaning_checks_run_even_when_the_shape_is_broken() -> None:
    text = json.dumps(doc(units=[unit("a", "b", headcount="many"), unit("b", "a")]))
    found = diagnostics_of(text)
    assert {(d.json_path, d.code) for d in found} == {
        ("$.units[0].headcount", "shape"),
        ("$.units[0].parent", "cycle"),
    }


def test_duplicate_json_key_is_located_at_its_second_occurrence() -> None:
    # JSON parsers keep the last value of a repeated key silently: a problem of its own
    text = '{"orgmodel": "1", "name": "x", "name": 5, "units": [{"id": "a", "name": "A"}]}'
    d = only_diagnostic(text)
    assert (d.line, d.column, d.json_path) == (1, 32, "$.name")
    assert d.message.startswith("duplicate key 'name': already at line 1, column 19")


def test_python_field_name_is_not_a_document_key() -> None:
    # "schema_" is the Python name of "$schema"; the published schema rejects it, so must we
    d = only_diagnostic(json.dumps(doc(schema_="x")))
    assert (d.json_path, d.code) == ("$.schema_", "shape")
    assert d.message == "unknown field 'schema_' (did you mean '$schema'?)"


def test_a_number_too_long_for_python_is_a_clear_json_problem() -> None:
    d = only_diagnostic(json.dumps(doc()).replace('"Minimal Ltd"', "9" * 5000))
    assert (d.code, d.message) == (
        "json",
        "invalid JSON: a number has more than 4,300 digits; no figure needs that many",
    )


def test_rework_checks_across_steps_are_meaning_problems_not_shape() -> None:
    """Found by the fuzzer (seed 11): a dangling rework target was a 'shape' problem, though
    the published schema cannot express it; it is a located reference problem, and shares
    that sum to 1 or more are a 'meaning' problem."""
    steps = [
        {"name": "Asks", "unit": "board"},
        {"name": "Answered", "unit": "board", "rework": [{"to": "nowhere", "share": 0.2}]},
    ]
    text = json.dumps(doc(journeys=[{"id": "j", "name": "J", "steps": steps}]), indent=1)
    d = only_diagnostic(text)
    assert d.code == "reference" and d.line is not None and d.json_path == "$.journeys[0]"
    assert "rework target 'nowhere' is not an earlier step" in d.message
    steps[1]["rework"] = [{"to": "1", "share": 0.6}, {"to": "1", "share": 0.5}]
    text = json.dumps(doc(journeys=[{"id": "j", "name": "J", "steps": steps}]), indent=1)
    d = only_diagnostic(text)
    assert d.code == "meaning" and "rework shares sum to 1.1" in d.message
