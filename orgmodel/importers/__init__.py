"""Importers: organizations from the files designers already have.

- :mod:`orgmodel.importers.hris` reads CSV and XLSX exports of people (one row per person
  or position, or one row per unit) into units and positions;
- :mod:`orgmodel.importers.archimate` reads and writes The Open Group ArchiMate Exchange
  Format;
- :mod:`orgmodel.importers.reimport` replaces the structure of an existing document with a
  fresh import and keeps what was designed on top of it.

Every importer returns an :class:`Imported` (the document as plain JSON data, and its
text), never a half-built one: bad input raises
:class:`~orgmodel.diagnostics.DocumentInvalid` with every located problem.
"""

from __future__ import annotations

import json
import json.encoder
import math
from collections.abc import Callable, Iterable, Mapping
from itertools import chain, repeat
from typing import Any, Protocol

from orgmodel.importers.ids import make_id, slug

__all__ = ["Imported", "document_json", "json_scalar", "json_strings", "make_id", "slug"]


class Imported(Protocol):
    """What an importer returns: the document as JSON data, and its text.

    An importer may hold part of the document in its own form and build the JSON data of
    that part only when :attr:`data` is asked for (the HR import's positions): then ask for
    :attr:`data` first, if at all, and for :meth:`written` or :meth:`text` once (each may let
    that part go)."""

    @property
    def data(self) -> dict[str, Any]:
        """The document as JSON data (the re-import ``--into`` merges it)."""
        ...

    def written(self) -> Mapping[str, str]:
        """The text of some top-level values of :attr:`data`, as :func:`document_json`
        writes them (its ``written``), where the importer writes them faster; ``{}`` for
        none."""
        ...

    def text(self) -> str:
        """The document's text, as ``document_json(data)`` writes it."""
        ...


_SCALARS = (str, int, float, bool, type(None))

try:  # the C encoder, called once per flat object (the encoder class would set it up per call)
    from json.encoder import c_make_encoder as _c_make_encoder  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - only without CPython's _json
    _c_make_encoder = None
_encode_string = json.encoder.encode_basestring  # the C one when _json is there

_Flat = Callable[[Any], str]


def json_strings(values: Iterable[str]) -> list[str]:
    """The JSON text of each string, as ``json.dumps(value, ensure_ascii=False)`` writes it
    (json's own escaper, called once per value)."""
    return list(map(_encode_string, values))


def json_scalar(value: str | float | bool | None) -> str:
    """The JSON text of one scalar, as ``json.dumps(value, ensure_ascii=False)`` writes it.

    >>> [json_scalar(v) for v in ("Zoë", 0.5, 2.0, 1e-05, -0.0, 7, True, None)]
    ['"Zoë"', '0.5', '2.0', '1e-05', '-0.0', '7', 'true', 'null']
    """
    if isinstance(value, str):
        return _encode_string(value)
    if isinstance(value, float) and math.isfinite(value):
        return float.__repr__(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return int.__repr__(value)
    return json.dumps(value)  # true, false, null, NaN, Infinity


def _flat_encoder(indent: str) -> _Flat:
    """Compact JSON whose item separator breaks the line and indents by ``indent``:
    ``{"a": 1,\n<indent>"b": 2}``. A raw line break only ever comes from a separator
    (strings escape theirs), which is what lets :func:`_write` place the braces."""
    item = ",\n" + indent
    if _c_make_encoder is not None:
        encoder = _c_make_encoder(None, None, _encode_string, None, ": ", item, False, False, True)
        return lambda value: "".join(encoder(value, 0))
    slow = json.JSONEncoder(ensure_ascii=False, separators=(item, ": "))
    return slow.encode


def _flat(values: Any) -> bool:
    return all(map(isinstance, values, repeat(_SCALARS)))


def _write(
    value: Any,
    level: int,
    out: list[str],
    flat: dict[int, _Flat],
    written: Mapping[str, str] | None = None,
) -> None:
    """Append the two-space indented JSON of ``value`` (at nesting ``level``) to ``out``.

    A dict of scalars, and a list of such dicts (the positions, the units), are encoded
    by the C encoder at once; only the brackets are placed here. ``written``: the text of
    some of the values of ``value`` (a dict), by key, already written."""
    pad = "  " * level
    inner = pad + "  "
    if isinstance(value, dict):
        if not value:
            out.append("{}")
        elif _flat(value.values()):
            encode = flat.get(level) or flat.setdefault(level, _flat_encoder(inner))
            out.append("{\n" + inner + encode(value)[1:-1] + "\n" + pad + "}")
        else:
            sep = "{\n"
            for key, item in value.items():
                out.append(sep + inner + json.dumps(key, ensure_ascii=False) + ": ")
                sep = ",\n"
                if written is not None and key in written:
                    out.append(written[key])
                else:
                    _write(item, level + 1, out, flat)
            out.append("\n" + pad + "}")
    elif isinstance(value, (list, tuple)):
        if not value:
            out.append("[]")
        elif (
            all(map(isinstance, value, repeat(dict)))
            and all(value)
            and _flat(chain.from_iterable(map(dict.values, value)))
        ):
            deeper = inner + "  "
            encode = flat.get(level + 1) or flat.setdefault(level + 1, _flat_encoder(deeper))
            text = encode(value)[2:-2]  # '{"a": 1,\n<deeper>"b": 2},\n<deeper>{"a": ...'
            text = text.replace(
                "},\n" + deeper + "{", "\n" + inner + "},\n" + inner + "{\n" + deeper
            )
            out.append("[\n" + inner + "{\n" + deeper + text + "\n" + inner + "}\n" + pad + "]")
        else:
            sep = "[\n"
            for item in value:
                out.append(sep + inner)
                sep = ",\n"
                _write(item, level + 1, out, flat)
            out.append("\n" + pad + "]")
    else:
        out.append(json.dumps(value, ensure_ascii=False))


def document_json(data: dict[str, object], written: Mapping[str, str] | None = None) -> str:
    """The text of a document: two-space indented JSON, keys in the order given, one final
    newline; deterministic for the same data, and the same text as ``json.dumps(data,
    indent=2, ensure_ascii=False)``. Written in linear time with the C encoder doing each
    flat object (a position, most units) at once: the pure-Python indenting encoder took
    most of an import of 100,000 people.

    ``written`` holds the text of some top-level values, already written as this function
    would write them (the HR import writes its positions from its columns, faster)."""
    out: list[str] = []
    _write(data, 0, out, {}, written)
    out.append("\n")
    return "".join(out)
