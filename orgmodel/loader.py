"""Read an orgmodel document from a file or text, and report every problem at once.

Loading has two passes over the parsed JSON:

1. **shape**: pydantic checks fields, types and values against :mod:`orgmodel.model`;
2. **meaning**: ids are unique, every reference resolves to an entity of the
   right kind (with a "did you mean" suggestion), and reporting lines have no
   cycles.

The meaning pass reads the raw JSON, so it runs even where the shape pass
failed, and a document's problems are all reported together. Line and column
are looked up only when there is something to report.
"""

from __future__ import annotations

import difflib
import json
import types
import typing
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ValidationError

from orgmodel.diagnostics import Diagnostic, DocumentInvalid
from orgmodel.jsonpos import JsonPath, format_path, locate
from orgmodel.model import COLLECTIONS, FORMAT_VERSION, Document, Ref

__all__ = ["load_document", "load_text", "parse_json", "validate_file"]

_MAX_SUGGESTION_POOL = 20_000

#: A problem before it is located: path, code, message, and whether to point at the key.
_Found = tuple[JsonPath, str, str, bool]


def load_document(path: str | Path) -> Document:
    """Load and validate the document at ``path``; raise :class:`DocumentInvalid`."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise DocumentInvalid(
            [_io(path, "file not found; check the path")]
        ) from None
    except IsADirectoryError:
        raise DocumentInvalid([_io(path, "is a directory; give a JSON file")]) from None
    except PermissionError:
        raise DocumentInvalid([_io(path, "permission denied; check the file's access rights")]
                              ) from None
    except UnicodeDecodeError as exc:
        raise DocumentInvalid(
            [_io(path, f"not UTF-8 text (byte {exc.start}); save the file as UTF-8")]
        ) from None
    except OSError as exc:
        raise DocumentInvalid([_io(path, f"cannot be read: {exc.strerror or exc}")]) from None
    return load_text(text, str(path))


def validate_file(path: str | Path) -> list[Diagnostic]:
    """Return the problems of the document at ``path`` (empty when it is valid)."""
    try:
        load_document(path)
    except DocumentInvalid as exc:
        return exc.diagnostics
    return []


def load_text(text: str, source: str = "<string>") -> Document:
    """Load and validate a document from JSON ``text``; ``source`` names it in messages."""
    data = parse_json(text, source)
    problems: list[_Found] = []
    document: Document | None = None
    try:
        document = Document.model_validate(data)
    except ValidationError as exc:
        problems.extend(_shape_problems(exc, data))
    problems.extend(_meaning_problems(data))
    if not problems:
        assert document is not None
        return document
    raise DocumentInvalid(_located(problems, text, source))


def parse_json(text: str, source: str = "<string>") -> dict:
    """Parse JSON text that must hold an object; raise :class:`DocumentInvalid` otherwise."""
    if text.startswith("\ufeff"):
        text = text[1:]

    def reject_constant(name: str) -> None:
        raise ValueError(f"{name} is not allowed in JSON; write a number or null")

    try:
        data = json.loads(text, parse_constant=reject_constant)
    except json.JSONDecodeError as exc:
        message = exc.msg[0].lower() + exc.msg[1:]
        if exc.pos >= len(text.rstrip()):
            message += " (the file ends too early: is it truncated?)"
        raise DocumentInvalid(
            [Diagnostic(source, exc.lineno, exc.colno, None, "json", f"invalid JSON: {message}")]
        ) from None
    except ValueError as exc:
        raise DocumentInvalid([Diagnostic(source, None, None, None, "json", str(exc))]) from None
    except RecursionError:
        raise DocumentInvalid(
            [Diagnostic(source, None, None, None, "json", "JSON nested too deeply")]
        ) from None
    if not isinstance(data, dict):
        raise DocumentInvalid(
            [
                Diagnostic(
                    source, 1, 1, (), "shape",
                    "a document must be a JSON object with the fields orgmodel, name and units",
                )
            ]
        )
    return data


def _io(path: Path, message: str) -> Diagnostic:
    return Diagnostic(str(path), None, None, None, "io", message)


# --------------------------------------------------------------------------- shape


def _unwrap(annotation: object) -> list[object]:
    """The concrete types inside Optional, Union, list and Annotated."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType, list):
        return [t for arg in typing.get_args(annotation) for t in _unwrap(arg)]
    return [annotation]


def _model_at(loc: tuple) -> type[BaseModel] | None:
    """The model class of the object at ``loc`` inside a document."""
    current: type[BaseModel] | None = Document
    for part in loc:
        if current is None:
            return None
        if isinstance(part, int):
            continue
        field = _field(current, part)
        if field is None:
            return None
        models = [t for t in _unwrap(field.annotation) if isinstance(t, type)
                  and issubclass(t, BaseModel)]
        current = models[0] if models else None
    return current


def _field(model: type[BaseModel], key: str):
    for name, info in model.model_fields.items():
        if key in (name, info.alias):
            return info
    return None


def _field_names(model: type[BaseModel]) -> list[str]:
    return [info.alias or name for name, info in model.model_fields.items()]


_FRIENDLY = {
    ("journeys", "steps"): "a journey needs at least one step",
    ((), "units"): "a document needs at least one unit",
}


def _shape_problems(exc: ValidationError, data: dict) -> Iterator[_Found]:
    merged: dict[JsonPath, list[str]] = {}
    on_key: set[JsonPath] = set()
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        kind = error["type"]
        # Drop union-member tags that pydantic appends (e.g. "str", "float").
        path = _existing_prefix(data, loc) if kind != "missing" else loc
        message = _shape_message(kind, loc, error, path)
        merged.setdefault(path, [])
        if message not in merged[path]:
            merged[path].append(message)
        if kind == "extra_forbidden":
            on_key.add(path)
    for path, messages in merged.items():
        if len(messages) > 1 and all(m.startswith("input should be") for m in messages):
            text = "input should be " + " or ".join(m.removeprefix("input should be ")
                                                   for m in messages)
        else:
            text = "; ".join(messages)
        yield path, "shape", text, path in on_key


def _existing_prefix(data: object, loc: tuple) -> JsonPath:
    node = data
    out: list[str | int] = []
    for part in loc:
        in_dict = isinstance(node, dict) and isinstance(part, str) and part in node
        in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if not (in_dict or in_list):
            break
        node = node[part]
        out.append(part)
    return tuple(out)


def _shape_message(kind: str, loc: tuple, error: dict, path: JsonPath) -> str:
    field = loc[-1] if loc else ""
    if kind == "missing":
        return f"missing required field '{field}'"
    if kind == "extra_forbidden":
        model = _model_at(loc[:-1])
        message = f"unknown field '{field}'"
        if model is not None:
            match = difflib.get_close_matches(str(field), _field_names(model), n=1)
            if match:
                return f"{message} (did you mean '{match[0]}'?)"
            return f"{message}; allowed here: {', '.join(_field_names(model))}"
        return message
    if loc == ("orgmodel",):
        return (
            f"unsupported format version {error.get('input')!r}; "
            f"this orgmodel reads \"orgmodel\": \"{FORMAT_VERSION}\""
        )
    if kind == "too_short":
        named = tuple(p for p in loc if isinstance(p, str))
        for (parent, name), text in _FRIENDLY.items():
            if named[-1:] == (name,) and ((parent == () and len(named) == 1) or parent in named):
                return text
    if kind == "string_pattern_mismatch" and field == "id":
        return "an id must not contain white space, '/' or '#'"
    message = error["msg"]
    message = message.removeprefix("Value error, ")
    return message[:1].lower() + message[1:]


# --------------------------------------------------------------------------- meaning


@cache
def _plan(model: type[BaseModel]) -> tuple[tuple[str, tuple[str, ...] | None, type | None, bool],
                                           ...]:
    """For a model: the keys that hold references or nested models to walk."""
    plan = []
    for name, info in model.model_fields.items():
        key = info.alias or name
        kinds = None
        for meta in info.metadata:
            if isinstance(meta, Ref):
                kinds = meta.kinds
        for arg in _annotated_parts(info.annotation):
            if isinstance(arg, Ref):
                kinds = arg.kinds
        many = typing.get_origin(info.annotation) is list
        models = [t for t in _unwrap(info.annotation) if isinstance(t, type)
                  and issubclass(t, BaseModel)]
        if kinds or models:
            plan.append((key, kinds, models[0] if models else None, many))
    return tuple(plan)


def _annotated_parts(annotation: object) -> Iterator[object]:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        yield from typing.get_args(annotation)[1:]
    for arg in typing.get_args(annotation) if origin is not typing.Annotated else ():
        yield from _annotated_parts(arg)


def _meaning_problems(data: dict) -> list[_Found]:
    problems: list[_Found] = []
    ids: dict[str, tuple[str, JsonPath]] = {}
    for key, model in COLLECTIONS:
        items = data.get(key)
        if not isinstance(items, list):
            continue
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                continue
            ident = item.get("id")
            if not isinstance(ident, str):
                continue
            here = (key, index)
            if ident in ids:
                other_kind, other = ids[ident]
                problems.append((
                    (*here, "id"), "duplicate-id",
                    f"duplicate id '{ident}': already used by the {other_kind} at "
                    f"{format_path(other)}; ids must be unique in the document",
                    False,
                ))
            else:
                ids[ident] = (model.KIND, here)
    problems.extend(_step_id_problems(data))
    checker = _RefChecker(ids, problems)
    for key, model in COLLECTIONS:
        items = data.get(key)
        if isinstance(items, list):
            for index, item in enumerate(items):
                checker.walk(item, model, (key, index))
    for key, field in (("units", "parent"), ("positions", "reports_to")):
        problems.extend(_cycle_problems(data, key, field, ids))
    return problems


def _step_id_problems(data: dict) -> Iterator[_Found]:
    journeys = data.get("journeys")
    if not isinstance(journeys, list):
        return
    for j, journey in enumerate(journeys):
        steps = journey.get("steps") if isinstance(journey, dict) else None
        if not isinstance(steps, list):
            continue
        seen: dict[str, int] = {}
        for s, step in enumerate(steps):
            if not isinstance(step, dict):
                continue
            ident = step.get("id", str(s + 1))
            if not isinstance(ident, str):
                continue
            if ident in seen:
                yield (
                    ("journeys", j, "steps", s, *(("id",) if "id" in step else ())),
                    "duplicate-id",
                    f"duplicate step id '{ident}' in this journey (also step {seen[ident] + 1}); "
                    "step ids must be unique within their journey",
                    False,
                )
            else:
                seen[ident] = s


class _RefChecker:
    """Checks every reference in the raw document against the collected ids."""

    def __init__(self, ids: dict[str, tuple[str, JsonPath]],
                 problems: list[_Found]) -> None:
        self.ids = ids
        self.problems = problems
        self._pools: dict[tuple[str, ...], list[str]] = {}

    def walk(self, obj: object, model: type[BaseModel], path: JsonPath) -> None:
        if not isinstance(obj, dict):
            return
        ids = self.ids
        for key, kinds, child, many in _plan(model):
            value = obj.get(key)
            if value is None:
                continue
            if kinds is not None:
                if isinstance(value, str):
                    found = ids.get(value)
                    if found is None or found[0] not in kinds:
                        self._report((*path, key), value, kinds, found)
            elif many:
                if isinstance(value, list):
                    for index, item in enumerate(value):
                        self.walk(item, child, (*path, key, index))
            else:
                self.walk(value, child, (*path, key))

    def _report(self, path: JsonPath, value: str, kinds: tuple[str, ...],
                found: tuple[str, JsonPath] | None) -> None:
        wanted = " or ".join(kinds)
        if found is not None:
            message = f"'{value}' is a {found[0]}, not a {wanted}"
        else:
            message = f"unknown {wanted} '{value}'"
            match = difflib.get_close_matches(value, self._pool(kinds), n=1, cutoff=0.6)
            if match:
                message += f" (did you mean '{match[0]}'?)"
            else:
                message += f"; declare it under {_collection_of(kinds[0])} or fix the id"
        self.problems.append((path, "reference", message, False))

    def _pool(self, kinds: tuple[str, ...]) -> list[str]:
        if kinds not in self._pools:
            pool = sorted(i for i, (k, _) in self.ids.items() if k in kinds)
            self._pools[kinds] = pool[:_MAX_SUGGESTION_POOL]
        return self._pools[kinds]


def _collection_of(kind: str) -> str:
    for key, model in COLLECTIONS:
        if kind == model.KIND:
            return f"'{key}'"
    return "the document"


def _cycle_problems(data: dict, key: str, field: str,
                    ids: dict[str, tuple[str, JsonPath]]) -> Iterator[_Found]:
    """Reporting cycles along ``field`` among the items of ``data[key]``, each reported once."""
    items = data.get(key)
    if not isinstance(items, list):
        return
    parent: dict[str, str] = {}
    index_of: dict[str, int] = {}
    for index, item in enumerate(items):
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            ident = item["id"]
            index_of.setdefault(ident, index)
            target = item.get(field)
            if isinstance(target, str) and ident not in parent:
                parent[ident] = target
    state: dict[str, int] = {}  # 1 = on the current chain, 2 = done
    for start in index_of:
        chain: list[str] = []
        node: str | None = start
        while node is not None and node in index_of and state.get(node) is None:
            state[node] = 1
            chain.append(node)
            node = parent.get(node)
        if node is not None and state.get(node) == 1:
            cycle = chain[chain.index(node):]
            first = min(cycle, key=index_of.__getitem__)
            rotated = cycle[cycle.index(first):] + cycle[: cycle.index(first)]
            names = " -> ".join([*rotated, first])
            yield (
                (key, index_of[first], field), "cycle",
                f"reporting cycle: {names}; one of them must report outside the cycle "
                "(the top unit has no parent)" if key == "units" else
                f"reporting cycle: {names}; one of them must report outside the cycle",
                False,
            )
        for member in chain:
            state[member] = 2


# --------------------------------------------------------------------------- locating


def _located(problems: list[_Found], text: str, source: str) -> list[Diagnostic]:
    wanted = {path for path, *_ in problems}
    positions = locate(text, wanted)
    out = set()
    for path, code, message, on_key in problems:
        place = None
        if on_key:
            place = positions.get(("#key", *path))
        probe = path
        while place is None:
            place = positions.get(probe)
            if not probe:
                break
            probe = probe[:-1]
        line, column = place if place else (None, None)
        out.add(Diagnostic(source, line, column, path, code, message))
    return sorted(out, key=lambda d: (d.line or 0, d.column or 0, d.json_path or "", d.message))

