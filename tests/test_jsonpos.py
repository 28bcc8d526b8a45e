"""Positions of values in JSON text, and JSONPath formatting."""

from __future__ import annotations

import json

import pytest

from orgmodel.jsonpos import format_path, locate, parse_path

NESTED = """{
  "a": {"b": [1, {"c": "x"}, [true, null]]},
  "list": [
    {"id": "u1"},
    {"id": "u2", "tags": ["p", "q"]}
  ]
}"""


def test_locate_nested_objects_and_arrays() -> None:
    pos = locate(NESTED)
    assert pos[()] == (1, 1)
    # line 2: `  "a": {"b": [1, {"c": "x"}, [true, null]]},`
    assert pos[("a",)] == (2, 8)
    assert pos[("a", "b")] == (2, 14)
    assert pos[("a", "b", 0)] == (2, 15)
    assert pos[("a", "b", 1)] == (2, 18)
    assert pos[("a", "b", 1, "c")] == (2, 24)
    assert pos[("a", "b", 2)] == (2, 30)
    assert pos[("a", "b", 2, 0)] == (2, 31)
    assert pos[("a", "b", 2, 1)] == (2, 37)
    # line 3: `  "list": [` and the items on lines 4 and 5
    assert pos[("list",)] == (3, 11)
    assert pos[("list", 0)] == (4, 5)
    assert pos[("list", 0, "id")] == (4, 12)
    assert pos[("list", 1)] == (5, 5)
    assert pos[("list", 1, "id")] == (5, 12)
    assert pos[("list", 1, "tags")] == (5, 26)
    assert pos[("list", 1, "tags", 1)] == (5, 32)


def test_locate_records_key_positions() -> None:
    pos = locate(NESTED)
    assert pos[("#key", "a")] == (2, 3)
    assert pos[("#key", "a", "b")] == (2, 9)
    assert pos[("#key", "a", "b", 1, "c")] == (2, 19)
    assert pos[("#key", "list")] == (3, 3)
    assert pos[("#key", "list", 1, "tags")] == (5, 18)


def test_locate_every_path_of_the_document() -> None:
    """Without ``wanted``, every value of the document is recorded (and nothing else)."""

    def paths(value: object, prefix: tuple = ()) -> set[tuple]:
        out = {prefix}
        if isinstance(value, dict):
            for key, item in value.items():
                out |= paths(item, (*prefix, key))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                out |= paths(item, (*prefix, index))
        return out

    pos = locate(NESTED)
    values = {p for p in pos if not (p and p[0] == "#key")}
    assert values == paths(json.loads(NESTED))


def test_locate_wanted_keeps_paths_and_their_ancestors_only() -> None:
    pos = locate(NESTED, {("list", 1, "tags", 0)})
    assert pos == {
        (): (1, 1),
        ("#key", "list"): (3, 3),
        ("list",): (3, 11),
        ("list", 1): (5, 5),
        ("#key", "list", 1, "tags"): (5, 18),
        ("list", 1, "tags"): (5, 26),
        ("list", 1, "tags", 0): (5, 27),
    }


def test_columns_count_characters_not_bytes() -> None:
    text = '{"ä": "ü", "straße": "日本語", "x": 1, "😀": 2}'
    pos = locate(text)
    assert pos[("#key", "ä")] == (1, 2)
    assert pos[("ä",)] == (1, 7)
    assert pos[("#key", "straße")] == (1, 12)
    assert pos[("straße",)] == (1, 22)
    assert pos[("x",)] == (1, 34)
    assert pos[("#key", "😀")] == (1, 37)
    assert pos[("😀",)] == (1, 42)


def test_unicode_escapes_in_keys_are_decoded() -> None:
    pos = locate('{"\\u00e4": 1, "a\\"b": 2}')
    assert pos[("ä",)] == (1, 12)
    assert pos[("#key", 'a"b')] == (1, 15)
    assert pos[('a"b',)] == (1, 23)


def test_strings_may_hold_structural_characters() -> None:
    text = '{"a": "{[,:]}\\"", "b": 2}'
    pos = locate(text)
    assert pos[("a",)] == (1, 7)
    assert pos[("b",)] == (1, 24)
    assert ("a", 0) not in pos


def test_bom_is_not_counted() -> None:
    text = '\ufeff{"a": [10,\n 20]}'
    pos = locate(text)
    assert pos[()] == (1, 1)
    assert pos[("#key", "a")] == (1, 2)
    assert pos[("a",)] == (1, 7)
    assert pos[("a", 0)] == (1, 8)
    assert pos[("a", 1)] == (2, 2)


def test_windows_line_endings() -> None:
    text = '{\r\n  "a": 1,\r\n  "b": [\r\n    2\r\n  ]\r\n}\r\n'
    pos = locate(text)
    assert pos[("a",)] == (2, 8)
    assert pos[("b",)] == (3, 8)
    assert pos[("b", 0)] == (4, 5)


def test_repeated_key_is_located_at_its_last_occurrence() -> None:
    # json.loads keeps the last value of a repeated key; locate points at that one
    pos = locate('{"a": 1,\n "a": {"b": 2}}')
    assert pos[("#key", "a")] == (2, 2)
    assert pos[("a",)] == (2, 7)
    assert pos[("a", "b")] == (2, 13)


def test_top_level_array() -> None:
    pos = locate('[\n  {"x": 1},\n  [2]\n]')
    assert pos[(0,)] == (2, 3)
    assert pos[(0, "x")] == (2, 9)
    assert pos[(1,)] == (3, 3)
    assert pos[(1, 0)] == (3, 4)


def test_truncated_text_is_scanned_as_far_as_it_goes() -> None:
    pos = locate('{"units": [{"id": "a"}, {"id": "b", "na')
    assert pos[("units", 0, "id")] == (1, 19)
    assert pos[("units", 1)] == (1, 25)
    assert pos[("units", 1, "id")] == (1, 32)


def test_garbage_does_not_raise() -> None:
    for text in ["", "}}}", "]", ",", ":::", '{"a" "b"}', "{[}]", '"unterminated', "\x00\x01"]:
        assert isinstance(locate(text), dict)


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ((), "$"),
        (("units",), "$.units"),
        (("journeys", 2, "steps", 4, "unit"), "$.journeys[2].steps[4].unit"),
        (("_private", "a1"), "$._private.a1"),
        ((0, 1), "$[0][1]"),
        (("$schema",), '$["$schema"]'),
        (("field-sales",), '$["field-sales"]'),
        (("1a",), '$["1a"]'),
        (("a b",), '$["a b"]'),
        (("",), '$[""]'),
        (('say "hi"',), '$["say \\"hi\\""]'),
        (("back\\slash",), '$["back\\\\slash"]'),
        (("ä",), '$["ä"]'),
        (("rules", "J01", "severity"), "$.rules.J01.severity"),
    ],
)
def test_format_path(path: tuple, text: str) -> None:
    assert format_path(path) == text


def test_format_path_accepts_any_iterable() -> None:
    assert format_path(iter(["a", 0])) == "$.a[0]"


def test_parse_path_inverts_format_path() -> None:
    path = ("journeys", 12, "steps", 0, "unit")
    assert parse_path(format_path(path)) == path
    assert parse_path("$") == ()
