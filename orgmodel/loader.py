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
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ValidationError

from orgmodel.diagnostics import Diagnostic, DocumentInvalid
from orgmodel.gcpause import paused_gc
from orgmodel.jsonpos import JsonPath, find_scalar, format_path, locate
from orgmodel.model import COLLECTIONS, FORMAT_VERSION, Document, Ref

__all__ = ["load_document", "load_text", "parse_json", "validate_file"]

_MAX_SUGGESTION_POOL = 20_000
_CONSTANTS = frozenset({"NaN", "Infinity", "-Infinity"})

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
    with paused_gc():
        return _load_text(text, source)


def _load_text(text: str, source: str) -> Document:
    text = text.removeprefix("\ufeff")
    # Fast path: validate the text itself in strict JSON mode (no coercion of "12" to 12),
    # then check the meaning on the models. Only a failure pays for a second parse.
    try:
        document = Document.model_validate_json(text, strict=True)
    except ValidationError as exc:
        data = parse_json(text, source)
        problems = list(_shape_problems(exc, data))
        problems.extend(_meaning_problems(data, _dict_get))
        raise DocumentInvalid(_located(problems, text, source)) from None
    problems = _meaning_problems(document, _model_get)
    if problems:
        raise DocumentInvalid(_located(problems, text, source))
    return document


def _dict_get(obj: object, key: str) -> object:
    """A field of a raw JSON object, or None for anything else."""
    return obj.get(key) if type(obj) is dict else None


def _model_get(obj: object, key: str) -> object:
    """A field of a validated model."""
    return getattr(obj, key, None)


Getter = Callable[[object, str], object]


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
        hit = find_scalar(text, _CONSTANTS)
        path, line, column = hit if hit else (None, None, None)
        raise DocumentInvalid([Diagnostic(source, line, column, path, "json", str(exc))]
                              ) from None
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


def _meaning_problems(data: object, get: Getter) -> list[_Found]:
    """Duplicate ids, unresolved references and reporting cycles.

    ``data`` is the validated document (``get`` = :func:`_model_get`) or, when its shape
    is broken, the raw JSON (``get`` = :func:`_dict_get`, which skips what is malformed).
    Written for speed on large documents: tight loops per collection and field, and the
    slow work of locating and explaining only where there is a problem.
    """
    problems: list[_Found] = []
    kind_of: dict[str, str] = {}
    collections: list[tuple[str, type[BaseModel], list]] = []
    expected = 0
    for key, model in COLLECTIONS:
        items = get(data, key)
        if type(items) is not list:
            continue
        collections.append((key, model, items))
        ids = [i for i in (get(item, "id") for item in items) if type(i) is str]
        expected += len(ids)
        kind_of = dict.fromkeys(ids, model.KIND) | kind_of  # the first kind wins
    if len(kind_of) < expected:
        problems.extend(_duplicate_problems(collections, get))
    problems.extend(_step_id_problems(get(data, "journeys"), get))
    checker = _RefChecker(kind_of, problems, get)
    for key, model, items in collections:
        checker.check(items, model, (key,))
    for key, field in (("units", "parent"), ("positions", "reports_to")):
        items = get(data, key)
        if type(items) is list:
            problems.extend(_cycle_problems(items, key, field, get))
    return problems


def _duplicate_problems(collections: list[tuple[str, type[BaseModel], list]],
                        get: Getter) -> list[_Found]:
    problems: list[_Found] = []
    first: dict[str, tuple[str, JsonPath]] = {}
    for key, model, items in collections:
        for index, item in enumerate(items):
            ident = get(item, "id")
            if type(ident) is not str:
                continue
            if ident in first:
                other_kind, other = first[ident]
                problems.append((
                    (key, index, "id"), "duplicate-id",
                    f"duplicate id '{ident}': already used by the {other_kind} at "
                    f"{format_path(other)}; ids must be unique in the document",
                    False,
                ))
            else:
                first[ident] = (model.KIND, (key, index))
    return problems


def _step_id_problems(journeys: object, get: Getter) -> Iterator[_Found]:
    if type(journeys) is not list:
        return
    for j, journey in enumerate(journeys):
        steps = get(journey, "steps")
        if type(steps) is not list:
            continue
        seen: dict[str, int] = {}
        for s, step in enumerate(steps):
            given = get(step, "id")
            ident = str(s + 1) if given is None else given
            if type(ident) is not str:
                continue
            if ident in seen:
                yield (
                    ("journeys", j, "steps", s, *(("id",) if given is not None else ())),
                    "duplicate-id",
                    f"duplicate step id '{ident}' in this journey (also step {seen[ident] + 1}); "
                    "step ids must be unique within their journey; steps without an id are "
                    "numbered 1, 2, ...",
                    False,
                )
            else:
                seen[ident] = s


class _RefChecker:
    """Checks every reference in the raw document against the collected ids."""

    def __init__(self, kind_of: dict[str, str], problems: list[_Found], get: Getter) -> None:
        self.kind_of = kind_of
        self.problems = problems
        self.get = get
        self._pools: dict[tuple[str, ...], list[str]] = {}

    def check(self, items: list, model: type[BaseModel], prefix: JsonPath) -> None:
        """Check the items of one list of ``model`` objects found at ``prefix``."""
        kind_of = self.kind_of
        get = self.get
        for key, kinds, child, many in _plan(model):
            if kinds is not None:
                for index, item in enumerate(items):
                    value = get(item, key)
                    if type(value) is str and kind_of.get(value) not in kinds:
                        self._report((*prefix, index, key), value, kinds)
                continue
            for index, item in enumerate(items):
                value = get(item, key)
                if value is None:
                    continue
                if many and type(value) is list:
                    self.check(value, child, (*prefix, index, key))
                elif not many:
                    self._check_one(value, child, (*prefix, index, key))

    def _check_one(self, obj: object, model: type[BaseModel], path: JsonPath) -> None:
        for key, kinds, child, many in _plan(model):
            value = self.get(obj, key)
            if kinds is not None:
                if type(value) is str and self.kind_of.get(value) not in kinds:
                    self._report((*path, key), value, kinds)
            elif many and type(value) is list:
                self.check(value, child, (*path, key))
            elif not many and value is not None:
                self._check_one(value, child, (*path, key))

    def _report(self, path: JsonPath, value: str, kinds: tuple[str, ...]) -> None:
        wanted = " or ".join(kinds)
        found = self.kind_of.get(value)
        if found is not None:
            message = f"'{value}' is a {found}, not a {wanted}"
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
            pool = sorted(i for i, k in self.kind_of.items() if k in kinds)
            self._pools[kinds] = pool[:_MAX_SUGGESTION_POOL]
        return self._pools[kinds]


def _collection_of(kind: str) -> str:
    for key, model in COLLECTIONS:
        if kind == model.KIND:
            return f"'{key}'"
    return "the document"


def _cycle_problems(items: list, key: str, field: str, get: Getter) -> list[_Found]:
    """Reporting cycles along ``field`` among ``items``, each reported once, at its member
    listed first in the document."""
    pairs = ((get(item, "id"), get(item, field)) for item in reversed(items))
    parent = {i: p for i, p in pairs if type(i) is str and type(p) is str}
    state: dict[str, bool] = {}  # True while on the current chain, False when done
    cycles: list[list[str]] = []
    for start in parent:
        if start in state:
            continue
        chain = []
        node = start
        while node in parent and node not in state:
            state[node] = True
            chain.append(node)
            node = parent[node]
        if state.get(node):
            cycles.append(chain[chain.index(node):])
        for member in chain:
            state[member] = False
    if not cycles:
        return []
    index_of: dict[str, int] = {}
    for index, item in enumerate(items):
        ident = get(item, "id")
        if type(ident) is str:
            index_of.setdefault(ident, index)
    problems: list[_Found] = []
    hint = " (the top unit has no parent)" if key == "units" else ""
    for cycle in cycles:
        first = min(cycle, key=index_of.__getitem__)
        at = cycle.index(first)
        names = " -> ".join([*cycle[at:], *cycle[:at], first])
        problems.append((
            (key, index_of[first], field), "cycle",
            f"reporting cycle: {names}; one of them must report outside the cycle{hint}",
            False,
        ))
    problems.sort(key=lambda p: p[0][1])
    return problems


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

