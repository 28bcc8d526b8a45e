"""Repeated JSON keys: the valid path's cheap check must never miss one, in any object of
any kind, whatever the layout of the text; and it must not send valid documents the slow
way (that is what makes it cheap)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from conftest import diagnostics_of

from orgmodel import load_text, loader
from orgmodel.diagnostics import DocumentInvalid
from orgmodel.loader import _keys_given, _may_repeat_keys
from orgmodel.model import Document

#: A valid document with an object of every model and every field that nests models.
RICH: dict[str, Any] = {
    "$schema": "x.json",
    "orgmodel": "1",
    "name": "Rich: a colon in a string",
    "description": 'quote " and colon: here',
    "settings": {
        "silo_level": 1,
        "volume_period": "week",
        "thresholds": {"span_min": 2, "span_max": 9, "flow_efficiency_min": 0.2},
        "rules": {"J01": {"severity": "info"}, "S01": {"enabled": False}},
    },
    "units": [
        {"id": "board", "name": "Board", "kind": "board", "accountable_for": ["customer"]},
        {
            "id": "sales",
            "name": "Sales",
            "parent": "board",
            "headcount": 4,
            "cost": 10.5,
            "silo": True,
            "lines": [{"to": "board", "kind": "matrix", "note": "n"}, {"to": "board"}],
        },
        {"id": "team", "name": "Team", "parent": "sales", "layer": "customer"},
    ],
    "positions": [
        {"id": "p1", "title": "Chair", "unit": "board", "holder": "Ann"},
        {"id": "p2", "title": "Rep", "unit": "sales", "reports_to": "p1", "fte": 0.5},
        {"id": "p3", "title": "Aide", "unit": "sales", "reports_to": "p1", "staff": True},
    ],
    "services": [{"id": "svc", "name": "Help", "provider": "sales", "consumer": "team"}],
    "segments": [{"id": "seg", "name": "Seg", "value_tier": "high", "customers": 5}],
    "personas": [{"id": "per", "name": "Per", "segment": "seg"}],
    "stakeholders": [{"id": "sh", "name": "Sh", "kind": "supplier", "owner": "sales"}],
    "journeys": [
        {
            "id": "j",
            "name": "J",
            "segment": "seg",
            "volume": 3.0,
            "steps": [
                {"id": "a", "name": "A", "unit": "team", "work": "5m", "problems": []},
                {
                    "name": "B",
                    "unit": "sales",
                    "wait": "1h",
                    "problems": [{"text": "t", "weight": 2}, {"text": "u"}],
                    "rework": [{"to": "a", "share": 0.25}],
                },
            ],
        }
    ],
    "goals": [
        {"id": "g", "metric": "M", "holder": "j", "orientation": "customer", "target": 1.5},
        {"id": "h", "metric": "N", "holder": "seg", "orientation": "functional", "target": "+1"},
    ],
}

#: (item separator, key separator, indent) of the layouts a document may come in.
LAYOUTS = {
    "compact": (",", ":", None),
    "default": (", ", ": ", None),
    "indented": (",", ": ", 2),
    "spaced colon": (", ", " : ", None),
    "newline colon": (",", "\n:", 1),
    "tab colon": (",", "\t:\t", None),
}


def dump(value: Any, layout: str, repeat: int | None = None) -> str:
    """``value`` as JSON text in ``layout``; the ``repeat``-th object (in document order)
    gets its first member written twice, with the same value."""
    item_sep, key_sep, indent = LAYOUTS[layout]
    counter = [0]

    def write(v: Any, depth: int) -> str:
        pad = "" if indent is None else "\n" + " " * (indent * (depth + 1))
        end = "" if indent is None else "\n" + " " * (indent * depth)
        if isinstance(v, dict):
            members = [(json.dumps(k), write(x, depth + 1)) for k, x in v.items()]
            if counter[0] == repeat and members:
                members.insert(1, members[0])
            counter[0] += 1
            parts = [k + key_sep + x for k, x in members]
            return "{" + item_sep.join(pad + p for p in parts) + (end if parts else "") + "}"
        if isinstance(v, list):
            parts = [write(x, depth + 1) for x in v]
            return "[" + item_sep.join(pad + p for p in parts) + (end if parts else "") + "]"
        return json.dumps(v)

    return write(value, 0)


def objects_in(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + sum(objects_in(v) for v in value.values())
    if isinstance(value, list):
        return sum(objects_in(v) for v in value)
    return 0


def test_the_rich_document_is_valid_in_every_layout() -> None:
    for layout in LAYOUTS:
        assert load_text(dump(RICH, layout)).name == RICH["name"]


def test_keys_given_counts_every_member_of_the_rich_document() -> None:
    document = Document.model_validate_json(json.dumps(RICH))
    assert _keys_given(document) == json.dumps(RICH).count('":')


@pytest.mark.parametrize("layout", ["compact", "default", "indented"])
def test_a_valid_document_takes_the_fast_path(layout: str) -> None:
    text = dump(RICH, layout)
    assert ":" in RICH["name"]  # so the keys are counted by their ends
    assert not _may_repeat_keys(text, Document.model_validate_json(text))


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_without_colons_in_strings_any_layout_takes_the_fast_path(layout: str) -> None:
    data = RICH | {"name": "Rich", "description": "no colon"}
    text = dump(data, layout)
    assert text.count(":") == _keys_given(Document.model_validate_json(text)) == 102
    assert not _may_repeat_keys(text, Document.model_validate_json(text))


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_a_key_repeated_in_any_object_is_reported(layout: str) -> None:
    count = objects_in(RICH)
    assert count == 26
    for data in RICH, RICH | {"name": "Rich", "description": "no colon"}:
        for n in range(count):
            text = dump(data, layout, repeat=n)
            found = diagnostics_of(text)
            assert [d.code for d in found] == ["json"], (n, text)
            assert found[0].message.startswith("duplicate key "), (n, found[0].message)


@pytest.mark.parametrize("layout", ["default", "newline colon"])
def test_the_bytes_of_a_document_are_checked_as_its_text(layout: str) -> None:
    """The loader reads files as bytes and decodes them only to locate a problem; characters
    of several bytes (here before colons) change nothing."""

    def utf8(text: str) -> str:
        return text.replace("\\u00ef", "\u00ef").replace("\\u00fc", "\u00fc")

    data = RICH | {"name": "R\u00efch: \u00fcn\u00efcode before a colon"}
    text = utf8(dump(data, layout))
    assert "\u00fc" in text and len(text.encode()) > len(text)
    document = Document.model_validate_json(text)
    assert _may_repeat_keys(text.encode(), document) == _may_repeat_keys(text, document)
    assert load_text(text.encode()) == load_text(text)
    assert load_text(b"\xef\xbb\xbf" + text.encode()) == load_text(text)
    for n in (0, 5, 25):
        repeated = utf8(dump(data, layout, repeat=n))
        with pytest.raises(DocumentInvalid) as info:
            load_text(repeated.encode(), "doc.json")
        assert info.value.diagnostics == diagnostics_of(repeated)
        assert info.value.diagnostics[0].message.startswith("duplicate key ")


def test_a_key_ending_in_a_quote_or_backslash_is_still_checked() -> None:
    """Keys that end in an escaped quote or a backslash end in ``\\":`` in the text."""
    for key in ['a"', "a\\"]:
        rules = {key: {"enabled": False}}
        text = json.dumps(RICH | {"settings": {"rules": rules}})
        assert load_text(text).settings.rules[key].enabled is False
        repeated = text.replace(
            json.dumps(key) + ":", json.dumps(key) + ': {}, "x": {}, ' + json.dumps(key) + ":"
        )
        found = diagnostics_of(repeated)
        assert found[0].message.startswith("duplicate key "), found


def test_a_default_value_given_explicitly_is_no_repeated_key() -> None:
    """A position's ``fte: 1.0`` leaves no trace in the model; the count is then short, and
    the full check (which finds nothing) decides."""
    data = json.loads(json.dumps(RICH))
    data["positions"][0].update(fte=1.0, staff=False, reports_to=None)
    text = json.dumps(data)
    document = Document.model_validate_json(text)
    assert _may_repeat_keys(text, document)
    assert load_text(text).positions[0].fte == 1.0


def test_a_default_given_explicitly_is_checked_without_the_full_parse(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Where the count is in doubt, jiter reads the text once more with a check for repeated
    keys; the full parse (which locates them) runs only when there is one."""
    data = json.loads(json.dumps(RICH))
    data["positions"][0].update(fte=1.0, staff=False)
    text = json.dumps(data)
    assert _may_repeat_keys(text, Document.model_validate_json(text))

    def no_full_parse(*args: object) -> None:
        raise AssertionError("the full parse ran")

    monkeypatch.setattr(loader, "parse_json", no_full_parse)
    assert load_text(text).positions[0].fte == 1.0
    assert load_text(text.encode()).positions[0].staff is False


def test_a_key_repeated_under_another_spelling_is_reported() -> None:
    """``"\\u0061"`` is the key ``"a"``: JSON keeps the last value, so it is a repeated key."""
    rules = '"J01": {"severity": "info"}, "J\\u0030\\u0031": {"severity": "error"}'
    text = json.dumps(RICH).replace('"J01": {"severity": "info"}', rules)
    [found] = diagnostics_of(text)
    assert found.message.startswith("duplicate key 'J01'"), found.message
