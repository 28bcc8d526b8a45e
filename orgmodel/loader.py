"""Read an orgmodel document from a file or text, and report every problem at once.

Loading has two passes over the parsed JSON:

1. **shape**: pydantic checks fields, types and values against :mod:`orgmodel.model`;
2. **meaning**: ids are unique, every reference resolves to an entity of the
   right kind (with a "did you mean" suggestion), and reporting lines have no
   cycles.

A valid document is parsed and shape-checked in one pass by pydantic's own JSON
parser, and the meaning pass runs on the models. When that fails, the text is
parsed again with :func:`json.loads`; the meaning pass then reads the raw JSON,
so it runs even where the shape pass failed, and a document's problems are all
reported together. Line and column are looked up only when there is something
to report.
"""

from __future__ import annotations

import itertools
import json
import re
import types
import typing
from collections.abc import Iterable, Iterator, Mapping
from functools import cache, cached_property
from operator import attrgetter, countOf
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic.dataclasses import is_pydantic_dataclass

from orgmodel.diagnostics import Diagnostic, DocumentInvalid, Places, byte_place
from orgmodel.jsonpos import JsonPath, duplicate_keys, find_excess, find_scalar, format_path
from orgmodel.model import COLLECTIONS, FORMAT_VERSION, Document, Ref
from orgmodel.suggest import Suggester, did_you_mean

__all__ = [
    "FILE_ADVICE",
    "decode",
    "load_document",
    "load_text",
    "parse_json",
    "read_bytes",
    "read_source",
    "shape_problems",
    "validate_file",
]

_CONSTANTS = frozenset({"NaN", "Infinity", "-Infinity"})

#: The reporting lines: the collection, and the field that names an item's superior.
_REPORTING = (("units", "parent"), ("positions", "reports_to"))

#: A problem before it is located: path, code, message, and whether to point at the key.
_Found = tuple[JsonPath, str, str, bool]


def load_document(path: str | Path) -> Document:
    """Load and validate the document at ``path``; raise :class:`DocumentInvalid`."""
    return load_text(read_bytes(path), str(path))


def read_bytes(path: str | Path) -> bytes:
    """The bytes of a document file; unreadable files raise :class:`DocumentInvalid`."""
    path = Path(path)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise DocumentInvalid([_io(path, "file not found; check the path")]) from None
    except IsADirectoryError:
        raise DocumentInvalid([_io(path, "is a directory; give a JSON file")]) from None
    except PermissionError:
        raise DocumentInvalid(
            [_io(path, "permission denied; check the file's access rights")]
        ) from None
    except OSError as exc:
        raise DocumentInvalid([_io(path, f"cannot be read: {exc.strerror or exc}")]) from None


def read_source(path: str | Path) -> str:
    """The text of a document file; unreadable files raise :class:`DocumentInvalid`."""
    return decode(read_bytes(path), str(path), FILE_ADVICE)


#: What to do about a file that is not UTF-8.
FILE_ADVICE = "save the file as UTF-8"


def decode(data: bytes, source: str, advice: str) -> str:
    """``data`` as UTF-8 text (a byte order mark dropped); invalid UTF-8 raises
    :class:`DocumentInvalid` located at the line and column of the first bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        start = exc.start + (3 if data.startswith(b"\xef\xbb\xbf") else 0)
        line, column = byte_place(data, start)
        raise DocumentInvalid(
            [
                Diagnostic(
                    source, line, column, None, "io", f"not UTF-8 text (byte {start}); {advice}"
                )
            ]
        ) from None


def validate_file(path: str | Path) -> list[Diagnostic]:
    """Return the problems of the document at ``path`` (empty when it is valid)."""
    try:
        load_document(path)
    except DocumentInvalid as exc:
        return exc.diagnostics
    return []


def load_text(
    text: str | bytes, source: str = "<string>", utf8_advice: str = FILE_ADVICE
) -> Document:
    """Load and validate a document from JSON ``text``, or from its UTF-8 bytes (which are
    decoded only when there is a problem to locate); ``source`` names it in messages and
    ``utf8_advice`` says what to do about bytes that are not UTF-8."""
    # Fast path: pydantic parses and validates in one pass, without building the raw JSON
    # objects first (half the time and memory of json.loads + validation); its parser
    # refuses bytes that are not UTF-8. Any error takes the full path below, which explains
    # and locates every problem.
    body = _without_bom(text)
    try:
        document = Document.model_validate_json(body)
    except ValidationError:
        pass
    else:
        if _may_repeat_keys(body, document) and _repeats_keys(body):
            parse_json(_as_text(text, source, utf8_advice), source)  # reports the repeated keys
        problems = _meaning_problems(document, _MODELS)
        if problems:
            raise DocumentInvalid(_located(problems, _as_text(text, source, utf8_advice), source))
        return document
    del body
    text = _as_text(text, source, utf8_advice)
    data = parse_json(text, source)
    try:
        document = Document.model_validate(data)
    except ValidationError as exc:
        problems = list(shape_problems(exc, data))
        problems.extend(_meaning_problems(data, _RAW))
        raise DocumentInvalid(_located(problems, text, source)) from None
    # Once the shape is valid, the meaning is checked on the models; the raw JSON can go.
    del data
    problems = _meaning_problems(document, _MODELS)
    if problems:
        raise DocumentInvalid(_located(problems, text, source))
    return document


def _without_bom(text: str | bytes) -> str | bytes:
    if isinstance(text, bytes):
        return text.removeprefix(b"\xef\xbb\xbf")
    return text.removeprefix("\ufeff")


def _as_text(text: str | bytes, source: str, advice: str) -> str:
    return decode(text, source, advice) if isinstance(text, bytes) else text


class _Access:
    """Reads fields of raw JSON objects; anything malformed reads as None."""

    @staticmethod
    def get(obj: object, key: str) -> object:
        return obj.get(key) if type(obj) is dict else None

    @staticmethod
    def column(items: list, key: str) -> list:
        """The field ``key`` of every item, in bulk (much faster than item by item)."""
        return [obj.get(key) if type(obj) is dict else None for obj in items]

    def values(self, items: list, key: str) -> Iterable:
        """The field ``key`` of every item, to be read once: no list is built where the
        access can do without."""
        return self.column(items, key)


class _ModelAccess(_Access):
    """Reads fields of validated models."""

    @staticmethod
    def get(obj: object, key: str) -> object:
        return getattr(obj, key, None)

    @staticmethod
    def column(items: list, key: str) -> list:
        return list(map(attrgetter(key), items))

    def values(self, items: list, key: str) -> Iterable:
        return map(attrgetter(key), items)


_RAW = _Access()
_MODELS = _ModelAccess()


class _Remembered(_Access):
    """Another access that reads each column once (the checks of a pass share columns)."""

    def __init__(self, access: _Access) -> None:
        self.access = access
        #: By identity of the list and key: the list (held, so that its id is not reused)
        #: and the column.
        self.columns: dict[tuple[int, str], tuple[list, list]] = {}

    def get(self, obj: object, key: str) -> object:  # type: ignore[override]
        return self.access.get(obj, key)

    def column(self, items: list, key: str) -> list:  # type: ignore[override]
        found = self.columns.get((id(items), key))
        if found is None:
            found = self.columns[(id(items), key)] = (items, self.access.column(items, key))
        return found[1]

    def values(self, items: list, key: str) -> Iterable:
        found = self.columns.get((id(items), key))
        return found[1] if found is not None else self.access.values(items, key)


class _Constant(ValueError):
    """NaN or Infinity, which JSON does not have."""


def parse_json(text: str, source: str = "<string>") -> dict:
    """Parse JSON text that must hold an object; raise :class:`DocumentInvalid` otherwise."""
    if text.startswith("\ufeff"):
        text = text[1:]

    def reject_constant(name: str) -> None:
        raise _Constant(f"{name} is not allowed in JSON; write a number or null")

    if not text.strip():
        raise DocumentInvalid(
            [
                Diagnostic(
                    source,
                    1,
                    1,
                    None,
                    "json",
                    "the file is empty; a document is a JSON object with the fields orgmodel, name "
                    "and units",
                )
            ]
        )
    repeated: list[bool] = []

    def pairs(items: list[tuple[str, object]]) -> dict:
        obj = dict(items)
        if len(obj) < len(items):
            repeated.append(True)
        return obj

    try:
        data = json.loads(text, parse_constant=reject_constant, object_pairs_hook=pairs)
    except json.JSONDecodeError as exc:
        message = exc.msg[0].lower() + exc.msg[1:]
        if exc.pos >= len(text.rstrip()):
            message += " (the file ends too early: is it truncated?)"
        raise DocumentInvalid(
            [Diagnostic(source, exc.lineno, exc.colno, None, "json", f"invalid JSON: {message}")]
        ) from None
    except _Constant as exc:
        hit = find_scalar(text, _CONSTANTS)
        path, line, column = hit if hit else (None, None, None)
        raise DocumentInvalid([Diagnostic(source, line, column, path, "json", str(exc))]) from None
    except ValueError:  # json.loads refuses integers of more than 4,300 digits
        raise DocumentInvalid(
            [
                excess_problem(
                    text,
                    source,
                    "invalid JSON: a number has more than 4,300 digits; no figure needs that many",
                )
            ]
        ) from None
    except RecursionError:
        raise DocumentInvalid([excess_problem(text, source, "JSON nested too deeply")]) from None
    if _SURROGATE.search(text) or "\\ud" in text or "\\uD" in text:
        data = _without_surrogates(data)
    if repeated:
        raise DocumentInvalid(
            [
                Diagnostic(
                    source,
                    line,
                    column,
                    path,
                    "json",
                    f"duplicate key {path[-1]!r}: already at line {first[0]}, column "
                    f"{first[1]}; JSON keeps only the last value: remove one",
                )
                for path, (line, column), first in duplicate_keys(text)
            ]
        )
    if not isinstance(data, dict):
        raise DocumentInvalid(
            [
                Diagnostic(
                    source,
                    1,
                    1,
                    (),
                    "shape",
                    "a document must be a JSON object with the fields orgmodel, name and units",
                )
            ]
        )
    return data


_SURROGATE = re.compile("[\ud800-\udfff]")


def _without_surrogates(value: object) -> object:
    """``value`` with each lone surrogate (a ``\\ud800`` escape that JSON allows but that is
    no character) written as its escape, so that it can be validated, compared and
    printed; the published schema accepts such strings too."""
    if type(value) is str:
        return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", value)
    if type(value) is list:
        return [_without_surrogates(v) for v in value]
    if type(value) is dict:
        return {_without_surrogates(k): _without_surrogates(v) for k, v in value.items()}
    return value


def _may_repeat_keys(text: str | bytes, document: Document) -> bool:
    """Whether the text of a valid ``document`` may hold a key twice (pydantic's parser
    keeps the last value silently). Any doubt answers True (:func:`_repeats_keys` then
    decides).

    Cheap: each object member has its colon, and all other colons are inside strings, so
    the text's colons are at least its members, which are at least the fields the models
    were given (:func:`_keys_given`), and a repeated key makes the members more than the
    fields. The colons equal the fields exactly when no string holds a colon and no key is
    repeated. Where strings hold colons, the keys are counted by their ends instead: every
    key ends in ``":`` when no colon follows white space, and inside a
    string a quote is escaped, so there ``":`` can only be ``\\":``."""
    colon, backslash, escaped_key_end, key_end, spaced_colons = _MARKS[
        bytes if isinstance(text, bytes) else str
    ]
    given = _keys_given(document)
    colons = text.count(colon)  # one character: several times faster than text.count('":')
    if colons == given:
        return False
    if backslash in text and escaped_key_end in text:
        return True
    keys = text.count(key_end)
    # When every colon follows a quote, none follows white space.
    if colons != keys and any(spaced in text for spaced in spaced_colons):
        return True
    return keys != given


#: The characters :func:`_may_repeat_keys` counts, in text and as UTF-8 bytes (where no
#: other character's bytes hold an ASCII one): colon, backslash, the end of a key inside a
#: string, the end of a key, a colon after white space.
_MARKS: dict[type, tuple[Any, Any, Any, Any, tuple[Any, ...]]] = {
    str: (":", "\\", '\\":', '":', (" :", "\n:", "\t:", "\r:")),
    bytes: (b":", b"\\", b'\\":', b'":', (b" :", b"\n:", b"\t:", b"\r:")),
}


def _repeats_keys(body: str | bytes) -> bool:
    """Whether an object of the JSON ``body`` (which pydantic's parser read) holds a key
    twice, when :func:`_may_repeat_keys` cannot rule it out: jiter, pydantic's parser on its
    own, reads it again with a check for repeated keys, three times as fast as the full parse
    that then locates them. Anything else it refuses answers True too."""
    import jiter

    try:
        data = body.encode() if isinstance(body, str) else body
        jiter.from_json(data, catch_duplicate_keys=True, cache_mode="all")
    except (ValueError, UnicodeError):
        return True
    return False


def _keys_given(value: object) -> int:
    """At most the number of JSON object members that made ``value`` (a validated model,
    a list or dict of them); exactly that number for pydantic models and dicts. A field of a
    pydantic dataclass (``Position``, which keeps no record of the fields given) counts when
    its value is not its default. Column by column, as the loader's other passes."""
    items: list[Any] = value if type(value) is list else [value]
    if not items:
        return 0
    kinds = set(map(type, items))
    if len(kinds) > 1:
        return sum(_keys_given(item) for item in items)
    kind = kinds.pop()
    if kind is dict:
        return sum(map(len, items)) + _keys_given([v for d in items for v in d.values()])
    if not _is_model(kind):
        return 0
    dataclass = hasattr(kind, "__dataclass_fields__")
    count = 0 if dataclass else sum(map(len, map(attrgetter("__pydantic_fields_set__"), items)))
    for name, default, nested in _field_plan(kind):
        if dataclass:  # a required field is always given, another where not its default
            count += len(items)
            if default is not _REQUIRED:  # without building the column: a third faster
                count -= countOf(map(attrgetter(name), items), default)
        if not nested:
            continue  # a model's fields are counted in its fields set
        column = list(map(attrgetter(name), items))
        flat = [v for v in column if v is not None and v != [] and v != {}]
        if flat and type(flat[0]) is list:
            flat = [x for v in flat for x in v]
        count += _keys_given(flat) if flat else 0
    return count


_REQUIRED = object()


@cache
def _field_plan(model: type) -> tuple[tuple[str, object, bool], ...]:
    """Per field of ``model``: its name, default (``_REQUIRED`` if none) and whether it may
    hold models or dicts."""
    plan = []
    fields: dict[str, typing.Any] = model.__pydantic_fields__  # type: ignore[attr-defined]
    for name, info in fields.items():
        parts = _unwrap(info.annotation)
        nested = any(_is_model(t) or typing.get_origin(t) is dict or t is dict for t in parts)
        if info.is_required():
            default: object = _REQUIRED
        elif info.default_factory is not None:
            default = info.default_factory()
        else:
            default = info.default
        plan.append((name, default, nested))
    return tuple(plan)


_DEPTH_HINT = " (an orgmodel document needs a few levels; is it generated by mistake?)"


def excess_problem(
    text: str, source: str, message: str, depth_hint: str = _DEPTH_HINT
) -> Diagnostic:
    """The problem of a number too long or JSON nested too deeply in ``text`` (which the
    JSON parser refused), located; ``depth_hint`` follows the message of a depth."""
    found = find_excess(text, 4300)
    if found is None:
        return Diagnostic(source, None, None, None, "json", message)
    kind, path, line, column = found
    if kind == "depth":
        message += depth_hint
    return Diagnostic(source, line, column, path, "json", message)


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


def _is_model(t: object) -> bool:
    """A pydantic model or pydantic dataclass (both hold ``__pydantic_fields__``)."""
    return isinstance(t, type) and (issubclass(t, BaseModel) or is_pydantic_dataclass(t))


def _model_at(loc: tuple, root: type[BaseModel]) -> type[BaseModel] | None:
    """The model class of the object at ``loc`` inside a ``root`` object."""
    current: Any = root  # a model class, found by introspection
    for part in loc:
        if current is None:
            return None
        if isinstance(part, int):
            continue
        field = _field(current, part)
        if field is None:
            return None
        models = [t for t in _unwrap(field.annotation) if _is_model(t)]
        current = models[0] if models else None
    return current


def _field(model: type[BaseModel], key: str):
    for name, info in model.__pydantic_fields__.items():
        if key in (name, info.alias):
            return info
    return None


def _field_names(model: type[BaseModel]) -> list[str]:
    return [info.alias or name for name, info in model.__pydantic_fields__.items()]


_FRIENDLY = {
    ("journeys", "steps"): "a journey needs at least one step",
    ((), "units"): "a document needs at least one unit",
}


def shape_problems(
    exc: ValidationError, data: object, root: type[BaseModel] = Document
) -> Iterator[_Found]:
    """The problems pydantic found validating ``data`` as ``root``, one per place, at the
    deepest place that exists in ``data`` (union members merged), with friendly messages."""
    merged: dict[JsonPath, list[str]] = {}
    on_key: set[JsonPath] = set()
    codes: dict[JsonPath, str] = {}
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        kind = error["type"]
        # Drop union-member tags that pydantic appends (e.g. "str", "float").
        path = _existing_prefix(data, loc) if kind != "missing" else loc
        message = _shape_message(kind, loc, error, root)
        merged.setdefault(path, [])
        if message not in merged[path]:
            merged[path].append(message)
        # Checks across items that the JSON Schema cannot express keep their own code.
        if kind in _MEANING_KINDS:
            codes[path] = kind
        if kind == "extra_forbidden":
            on_key.add(path)
    for path, messages in merged.items():
        if len(messages) > 1 and all(m.startswith("input should be") for m in messages):
            text = "input should be " + " or ".join(
                m.removeprefix("input should be ") for m in messages
            )
        else:
            text = "; ".join(messages)
        yield path, codes.get(path, "shape"), text, path in on_key


#: Error types of the model validators that check across items (see ``model.Journey``).
_MEANING_KINDS = frozenset({"reference", "meaning"})


def _existing_prefix(data: object, loc: tuple) -> JsonPath:
    node: Any = data
    out: list[str | int] = []
    for part in loc:
        in_dict = isinstance(node, dict) and isinstance(part, str) and part in node
        in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if not (in_dict or in_list):
            break
        node = node[part]
        out.append(part)
    return tuple(out)


def _shape_message(kind: str, loc: tuple, error: Mapping[str, Any], root: type[BaseModel]) -> str:
    field = loc[-1] if loc else ""
    if kind == "missing":
        return f"missing required field '{field}'"
    if kind == "extra_forbidden":
        model = _model_at(loc[:-1], root)
        message = f"unknown field '{field}'"
        if model is not None:
            hint = did_you_mean(str(field), _field_names(model))
            if hint:
                return message + hint
            return f"{message}; allowed here: {', '.join(_field_names(model))}"
        return message
    if root is Document and loc == ("orgmodel",):
        return (
            f"unsupported format version {error.get('input')!r}; "
            f'this orgmodel reads "orgmodel": "{FORMAT_VERSION}"'
        )
    if kind == "too_short":
        named = tuple(p for p in loc if isinstance(p, str))
        for (parent, name), text in _FRIENDLY.items():
            if named[-1:] == (name,) and ((parent == () and len(named) == 1) or parent in named):
                return text
    if kind == "string_pattern_mismatch" and field == "id":
        return "an id must not contain spaces, control characters, '/' or '#'"
    message = error["msg"]
    message = message.removeprefix("Value error, ")
    return message[:1].lower() + message[1:]


# --------------------------------------------------------------------------- meaning


@cache
def _plan(model: type[BaseModel]) -> tuple[tuple[str, tuple[str, ...] | None, Any, bool], ...]:
    """For a model: the keys that hold references or nested models to walk."""
    plan: list[tuple[str, tuple[str, ...] | None, Any, bool]] = []
    for name, info in model.__pydantic_fields__.items():
        key = info.alias or name
        kinds = None
        for meta in info.metadata:
            if isinstance(meta, Ref):
                kinds = meta.kinds
        for arg in _annotated_parts(info.annotation):
            if isinstance(arg, Ref):
                kinds = arg.kinds
        many = typing.get_origin(info.annotation) is list
        models = [t for t in _unwrap(info.annotation) if _is_model(t)]
        if kinds or models:
            plan.append((key, kinds, models[0] if models else None, many))
    return tuple(plan)


def _annotated_parts(annotation: object) -> Iterator[object]:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        yield from typing.get_args(annotation)[1:]
    for arg in typing.get_args(annotation) if origin is not typing.Annotated else ():
        yield from _annotated_parts(arg)


def _meaning_problems(data: object, access: _Access) -> list[_Found]:
    """Duplicate ids, unresolved references and reporting cycles.

    ``data`` is the validated document (``access`` = ``_MODELS``) or, when its shape is
    broken, the raw JSON (``_RAW``, which reads anything malformed as None). Written for
    speed on large documents: fields are read column by column, and the slow work of
    locating and explaining happens only where there is a problem.
    """
    raw = access is _RAW
    access = _Remembered(access)
    problems: list[_Found] = []
    collections: list[tuple[str, Any, list]] = []
    for key, model in COLLECTIONS:
        items = access.get(data, key)
        if type(items) is list:
            collections.append((key, model, items))
    # Where every superior is listed before its reports (the usual case), a reporting line
    # has no cycle and each of its references resolves, and the ids seen are the id set.
    # Read without building columns: a million positions take a tenth of a second less.
    ordered: dict[str, set[str]] = {}
    for key, field in _REPORTING if not raw else ():
        items = access.get(data, key)
        if type(items) is list:
            seen = _ids_if_parents_listed_first(
                access.values(items, "id"), access.values(items, field)
            )
            if seen is not None:
                ordered[key] = seen
    ids_of_kind: dict[str, set[str]] = {}
    duplicated = False
    for key, model, items in collections:
        if key in ordered:  # validated models: one string id per item
            found, given = ordered[key], len(items)
        else:
            ids = _ids(items, access, raw)
            found, given = set(ids), len(ids)
        ids_of_kind[model.KIND] = found
        duplicated = duplicated or len(found) < given
    duplicated = duplicated or any(
        not a.isdisjoint(b) for a, b in itertools.combinations(ids_of_kind.values(), 2)
    )
    if duplicated:
        problems.extend(_duplicate_problems(collections, access))
        ordered.clear()  # an id used twice may stand for another kind: check every reference
    problems.extend(_step_id_problems(access.get(data, "journeys"), access))
    checker = _RefChecker(collections, raw, ids_of_kind, problems, access)
    lines = dict(_REPORTING)
    for key, model, items in collections:
        checker.check(items, model, (key,), skip=(lines[key],) if key in ordered else ())
    for key, field in _REPORTING:
        items = access.get(data, key)
        if type(items) is list and key not in ordered:
            problems.extend(_cycle_problems(items, key, field, access))
    return problems


def _ids(items: list, access: _Access, raw: bool) -> list[str]:
    """The ids of ``items`` in order; raw JSON's ids that are not strings left out."""
    ids = access.column(items, "id")
    return [i for i in ids if type(i) is str] if raw else ids


def _duplicate_problems(collections: list[tuple[str, Any, list]], access: _Access) -> list[_Found]:
    problems: list[_Found] = []
    first: dict[str, tuple[str, JsonPath]] = {}
    for key, model, items in collections:
        for index, item in enumerate(items):
            ident = access.get(item, "id")
            if type(ident) is not str:
                continue
            if ident in first:
                other_kind, other = first[ident]
                problems.append(
                    (
                        (key, index, "id"),
                        "duplicate-id",
                        f"duplicate id '{ident}': already used by the {other_kind} at "
                        f"{format_path(other)}; ids must be unique in the document",
                        False,
                    )
                )
            else:
                first[ident] = (model.KIND, (key, index))
    return problems


def _step_id_problems(journeys: object, access: _Access) -> Iterator[_Found]:
    if type(journeys) is not list:
        return
    for j, steps in enumerate(access.column(journeys, "steps")):
        if type(steps) is not list:
            continue
        given_ids = access.column(steps, "id")
        if countOf(given_ids, None) == len(given_ids):
            continue  # no step has an id: they are numbered 1, 2, ...
        seen: dict[str, int] = {}
        for s, given in enumerate(given_ids):
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
    """Checks every reference of the document (models or raw JSON) against the collected
    ids."""

    def __init__(
        self,
        collections: list[tuple[str, Any, list]],
        raw: bool,
        ids_of_kind: dict[str, set[str]],
        problems: list[_Found],
        access: _Access,
    ) -> None:
        self.collections = collections
        self.raw = raw
        self.ids_of_kind = ids_of_kind
        self.problems = problems
        self.access = access
        self._suggesters: dict[tuple[str, ...], Suggester] = {}
        self._allowed: dict[tuple[str, ...], set[str]] = {}

    @cached_property
    def kind_of(self) -> dict[str, str]:
        """The kind of every id (the first one listed wins); built only when needed."""
        kind_of: dict[str, str] = {}
        for _, model, items in reversed(self.collections):
            kind_of.update(dict.fromkeys(_ids(items, self.access, self.raw), model.KIND))
        return kind_of

    def check(self, items: list, model: Any, prefix: JsonPath, skip: tuple[str, ...] = ()) -> None:
        """Check the items of one list of ``model`` objects found at ``prefix`` (except the
        fields in ``skip``)."""
        for key, kinds, child, many in _plan(model):
            if key in skip:
                continue
            if kinds is not None:
                if self._all_known(self.access.values(items, key), kinds):
                    continue
                values = self.access.column(items, key)
                kind_of = self.kind_of
                bad = [
                    i
                    for i, v in enumerate(values)
                    if type(v) is str and kind_of.get(v) not in kinds
                ]
                for index in bad:
                    self._report((*prefix, index, key), values[index], kinds)
                continue
            values = self.access.column(items, key)
            if self._known(values, child, many):
                continue
            for index, value in enumerate(values):
                if not value:
                    continue
                if many and type(value) is list:
                    self.check(value, child, (*prefix, index, key))
                elif not many:
                    self.check([value], child, (*prefix, index, key, 0))

    def _known(self, values: list, model: Any, many: bool) -> bool:
        """Fast path: every reference inside ``values`` (the models, or lists of them, of
        one field of many items) is known; checked in bulk, as one list of all of them."""
        items = [v for v in values if v and (not many or type(v) is list)]
        if many:
            items = list(itertools.chain.from_iterable(items))
        if not items:
            return True
        for key, kinds, child, child_many in _plan(model):
            if not (
                self._all_known(self.access.values(items, key), kinds)
                if kinds is not None
                else self._known(self.access.column(items, key), child, child_many)
            ):
                return False
        return True

    def _all_known(self, values: Iterable, kinds: tuple[str, ...]) -> bool:
        """Fast path: every value is None or the id of an entity of one of ``kinds``."""
        allowed = self._allowed.get(kinds)
        if allowed is None:
            sets = [self.ids_of_kind.get(k, set()) for k in kinds]
            allowed = self._allowed[kinds] = sets[0] if len(sets) == 1 else set().union(*sets)
        try:
            distinct = set(values)
        except TypeError:  # something unhashable in malformed raw JSON: take the slow path
            return False
        distinct.discard(None)
        return distinct <= allowed

    def _report(self, path: JsonPath, value: str, kinds: tuple[str, ...]) -> None:
        wanted = " or ".join(kinds)
        found = self.kind_of.get(value)
        if found is not None:
            message = f"'{value}' is a {found}, not a {wanted}"
        else:
            message = f"unknown {wanted} '{value}'"
            hint = self._suggester(kinds).hint(value)
            if hint:
                message += hint
            else:
                message += f"; declare it under {_collection_of(kinds[0])} or fix the id"
        self.problems.append((path, "reference", message, False))

    def _suggester(self, kinds: tuple[str, ...]) -> Suggester:
        if kinds not in self._suggesters:
            self._suggesters[kinds] = Suggester(i for i, k in self.kind_of.items() if k in kinds)
        return self._suggesters[kinds]


def _collection_of(kind: str) -> str:
    for key, model in COLLECTIONS:
        if kind == model.KIND:
            return f"'{key}'"
    return "the document"


def _ids_if_parents_listed_first(ids: Iterable, parents: Iterable) -> set | None:
    """Fast path: when every parent is listed before its children (so there can be no
    cycle), the set of the ids; else None."""
    # A set of the ids seen so far, not a dict from id to index: a million positions take a
    # third of the time.
    seen: set = set()
    add = seen.add
    try:
        for ident, parent in zip(ids, parents, strict=True):
            if parent is not None and parent not in seen:
                return None
            add(ident)
    except TypeError:  # something unhashable in malformed raw JSON: take the slow path
        return None
    return seen


def _cycle_problems(items: list, key: str, field: str, access: _Access) -> list[_Found]:
    """Reporting cycles along ``field`` among ``items``, each reported once, at its member
    listed first in the document. Linear: each item is walked once, on integer arrays."""
    ids = access.column(items, "id")
    parents = access.column(items, field)
    if _ids_if_parents_listed_first(ids, parents) is not None:
        return []
    index: dict[str, int] = {}
    for n in range(len(ids) - 1, -1, -1):  # the first occurrence of an id wins
        if type(ids[n]) is str:
            index[ids[n]] = n
    parent = [index.get(p, -1) if type(p) is str else -1 for p in parents]
    state = bytearray(len(ids))  # 0 unseen, 1 on the current chain, 2 done
    cycles: list[list[int]] = []
    for start in range(len(ids)):
        if state[start]:
            continue
        chain = []
        node = start
        while node >= 0 and not state[node]:
            state[node] = 1
            chain.append(node)
            node = parent[node]
        if node >= 0 and state[node] == 1:
            cycles.append(chain[chain.index(node) :])
        for member in chain:
            state[member] = 2
    problems: list[_Found] = []
    hint = " (the top unit has no parent)" if key == "units" else ""
    for cycle in sorted(cycles, key=min):
        at = cycle.index(min(cycle))
        names = " -> ".join(ids[n] for n in [*cycle[at:], *cycle[:at], cycle[at]])
        problems.append(
            (
                (key, cycle[at], field),
                "cycle",
                f"reporting cycle: {names}; one of them must report outside the cycle{hint}",
                False,
            )
        )
    return problems


# --------------------------------------------------------------------------- locating


def _located(problems: list[_Found], text: str, source: str) -> list[Diagnostic]:
    places = Places.scan(source, text, (path for path, *_ in problems))
    out = {
        Diagnostic.at(places.at(path, key=on_key, nearest=True), code, message)
        for path, code, message, on_key in problems
    }
    return sorted(out, key=lambda d: (d.line or 0, d.column or 0, d.json_path or "", d.message))
