"""Where values stand in JSON text, and how to write a path into a document.

The loader parses with pydantic's JSON parser or :func:`json.loads`, which both
forget positions. Only when a document has problems (or findings are to be
located) does :func:`locate` scan the text once more to find the line and column
of each place.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterable
from functools import lru_cache

__all__ = [
    "JsonPath",
    "duplicate_keys",
    "find_excess",
    "find_scalar",
    "format_path",
    "locate",
    "parse_path",
]

JsonPath = tuple[str | int, ...]

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_WS = re.compile(r"[ \t\r\n]*")
_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"')
_SCALAR = re.compile(r'[^\s{}\[\]:,"]+')
_DECODER = json.JSONDecoder()


def format_path(path: Iterable[str | int]) -> str:
    """Write ``path`` as a JSONPath: ``$.journeys[2].steps[4].unit``."""
    out = "$"
    for part in path:  # a loop is faster here than join over a generator
        out += f"[{part}]" if type(part) is int else _member(part)
    return out


_PATH_PART = re.compile(r'\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]')


_ESCAPE = re.compile(r"\\(.)")


def parse_path(path: str) -> JsonPath:
    """Inverse of :func:`format_path`: ``$.journeys[2].unit`` -> ``("journeys", 2, "unit")``.

    >>> parse_path(format_path(("settings", "rules", "a b", 3)))
    ('settings', 'rules', 'a b', 3)
    """
    return tuple(
        name if name else int(index) if index else _ESCAPE.sub(r"\1", quoted)
        for name, index, quoted in _PATH_PART.findall(path)
    )


@lru_cache(maxsize=4096)  # paths repeat the same few keys ("journeys", "steps", "unit" ...)
def _member(key: str) -> str:
    if _IDENTIFIER.match(key):
        return f".{key}"
    escaped = key.replace("\\", "\\\\").replace('"', '\\"')
    return f'["{escaped}"]'


class _Stop(Exception):
    """Ends a scan early: malformed text, or the scalar that was searched for."""


class _Locator:
    """A recursive-descent scan that walks only towards the wanted paths.

    Containers off the way are skipped by the C JSON decoder, so locating a few
    findings in a large document costs little more than parsing it once.
    """

    def __init__(
        self, text: str, keep: set[JsonPath] | None, stop_at: frozenset[str] | None
    ) -> None:
        self.text = text
        self.keep = keep
        self.stop_at = stop_at
        self.positions: dict[JsonPath, tuple[int, int]] = {}
        #: With ``find_duplicates``: (path of the repeated member, its place, the first's).
        self.duplicates: list[tuple[JsonPath, tuple[int, int], tuple[int, int]]] | None = None
        self._line = 1
        self._line_start = 0
        self._counted = 0

    def _where(self, pos: int) -> tuple[int, int]:
        """1-based line and column of ``pos``; positions are asked in increasing order."""
        text = self.text
        newlines = text.count("\n", self._counted, pos)
        if newlines:
            self._line += newlines
            self._line_start = text.rindex("\n", self._counted, pos) + 1
        self._counted = pos
        return self._line, pos - self._line_start + 1

    def _ws(self, pos: int) -> int:
        return _WS.match(self.text, pos).end()  # type: ignore[union-attr]

    def _record(self, path: JsonPath, pos: int) -> None:
        if self.keep is None or path in self.keep:
            # A repeated key overrides, as in json.loads: point at the value that counts.
            self.positions[path] = self._where(pos)

    def value(self, pos: int, path: JsonPath) -> int:
        """Scan the value at ``pos`` (after white space); return the position after it."""
        text = self.text
        pos = self._ws(pos)
        if pos >= len(text):
            raise _Stop
        self._record(path, pos)
        char = text[pos]
        if char in "{[":
            if self.keep is not None and path not in self.keep:
                try:
                    return _DECODER.raw_decode(text, pos)[1]
                except ValueError:
                    raise _Stop from None
            return self._object(pos, path) if char == "{" else self._array(pos, path)
        match = (_STRING if char == '"' else _SCALAR).match(text, pos)
        if match is None:
            raise _Stop
        if self.stop_at is not None and char != '"' and match.group() in self.stop_at:
            self.positions[("#found",)] = self._where(pos)
            raise _Stop
        return match.end()

    def _object(self, pos: int, path: JsonPath) -> int:
        text = self.text
        pos = self._ws(pos + 1)
        if text.startswith("}", pos):
            return pos + 1
        seen: dict[str, tuple[int, int]] | None = None if self.duplicates is None else {}
        while True:
            match = _STRING.match(text, pos)
            if match is None:
                raise _Stop
            token = match.group()
            key = token[1:-1] if "\\" not in token else json.loads(token)
            member = (*path, key)
            if seen is not None and self.duplicates is not None:
                if key in seen:
                    self.duplicates.append((member, self._where(pos), seen[key]))
                else:
                    seen[key] = self._where(pos)
            if self.keep is None or member in self.keep:
                at_key: JsonPath = ("#key", *member)
                self.positions[at_key] = self._where(pos)
            pos = self._ws(match.end())
            if not text.startswith(":", pos):
                raise _Stop
            pos = self._ws(self.value(pos + 1, member))
            if text.startswith(",", pos):
                pos = self._ws(pos + 1)
            elif text.startswith("}", pos):
                return pos + 1
            else:
                raise _Stop

    def _array(self, pos: int, path: JsonPath) -> int:
        text = self.text
        pos = self._ws(pos + 1)
        if text.startswith("]", pos):
            return pos + 1
        index = 0
        while True:
            pos = self._ws(self.value(pos, (*path, index)))
            index += 1
            if text.startswith(",", pos):
                pos += 1
            elif text.startswith("]", pos):
                return pos + 1
            else:
                raise _Stop


def locate(
    text: str, wanted: set[JsonPath] | None = None, stop_at: frozenset[str] | None = None
) -> dict[JsonPath, tuple[int, int]]:
    """Map JSON paths to the (line, column) where their value starts, both 1-based.

    With ``wanted``, only those paths (and their ancestors) are recorded. The
    position of an object member's key is recorded too, under ``("#key", *path)``.
    Text that is not valid JSON is scanned as far as it goes. With ``stop_at``, the scan
    ends at the first bare scalar among those tokens, recorded under ``("#found",)``.
    """
    keep: set[JsonPath] | None = None
    if wanted is not None:
        keep = {tuple(path[:i]) for path in wanted for i in range(len(path) + 1)}
    locator = _Locator(text, keep, stop_at)
    start = 1 if text.startswith("\ufeff") else 0
    if start:
        locator._line_start = locator._counted = 1
    with contextlib.suppress(_Stop, RecursionError):
        locator.value(start, ())
    return locator.positions


def duplicate_keys(text: str) -> list[tuple[JsonPath, tuple[int, int], tuple[int, int]]]:
    """Every key repeated in its object: the member's path, the (line, column) of the
    repetition and of the first occurrence."""
    locator = _Locator(text, set(), None)
    locator.keep = None
    locator.duplicates = []
    start = 1 if text.startswith("\ufeff") else 0
    if start:
        locator._line_start = locator._counted = 1
    with contextlib.suppress(_Stop, RecursionError):
        locator.value(start, ())
    return locator.duplicates


def find_scalar(text: str, tokens: frozenset[str]) -> tuple[JsonPath, int, int] | None:
    """The path, line and column of the first bare scalar (e.g. ``NaN``) in ``tokens``."""
    found = locate(text, stop_at=tokens)
    hit = found.get(("#found",))
    if hit is None:
        return None
    path = next(
        p for p, place in found.items() if place == hit and p[:1] not in (("#found",), ("#key",))
    )
    return path, hit[0], hit[1]


#: Nesting deeper than this is reported at its first bracket (json.loads takes about 1,000).
_DEEP = 512
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]:,]|[^\s{}\[\]:,"]+')


def find_excess(text: str, max_digits: int) -> tuple[str, JsonPath, int, int] | None:
    """Where JSON text goes beyond what a parser takes: ``("digits", path, line, column)``
    of the first number of more than ``max_digits`` digits, or ``("depth", path, line,
    column)`` of the first bracket at the greatest depth or deeper than 512 levels (``path``
    then names an ancestor,
    at most 16 levels deep, so that the message stays short). None for empty text.

    A flat scan without recursion, for text that :func:`json.loads` refused.
    """
    frames: list[list[str | int | None]] = []  # per open container: its key or index
    want_key: list[bool] = []
    deepest: tuple[int, JsonPath, int] | None = None
    for match in _TOKEN.finditer(text):
        token = match.group()
        char = token[0]
        if char in "{[":
            frames.append([None] if char == "{" else [0])
            want_key.append(char == "{")
            if deepest is None or len(frames) > deepest[0]:
                deepest = (
                    len(frames),
                    _frames_path(frames[: min(len(frames) - 1, 16)]),
                    match.start(),
                )
                if len(frames) > _DEEP:  # deeper than any parser takes: report here
                    break
        elif char in "}]":
            if frames:
                frames.pop()
                want_key.pop()
        elif char == ",":
            if frames:
                top = frames[-1][0]
                if isinstance(top, int):  # an array: the next index
                    frames[-1][0] = top + 1
                else:  # an object: a key comes next
                    want_key[-1] = True
        elif char == '"':
            if frames and want_key[-1]:
                try:
                    frames[-1][0] = json.loads(token)
                except ValueError:
                    frames[-1][0] = token[1:-1]
                want_key[-1] = False
        elif char != ":" and sum(c.isdigit() for c in token) > max_digits:
            line, column = _line_column(text, match.start())
            return "digits", _frames_path(frames), line, column
    if deepest is None:
        return None
    line, column = _line_column(text, deepest[2])
    return "depth", deepest[1], line, column


def _frames_path(frames: list[list[str | int | None]]) -> JsonPath:
    return tuple(f[0] for f in frames if f[0] is not None)


def _line_column(text: str, pos: int) -> tuple[int, int]:
    return text.count("\n", 0, pos) + 1, pos - text.rfind("\n", 0, pos)
