"""Where values stand in JSON text, and how to write a path into a document.

The fast path of the loader parses with :func:`json.loads`, which forgets
positions. Only when a document has problems does :func:`locate` scan the text
once more to find the line and column of each offending value.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["JsonPath", "format_path", "locate"]

JsonPath = tuple[str | int, ...]

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_TOKEN = re.compile(
    r"""
    (?P<ws>[ \t\r\n]+)
  | (?P<string>"(?:[^"\\\n]|\\.)*")
  | (?P<punct>[{}\[\]:,])
  | (?P<scalar>[^\s{}\[\]:,"]+)
    """,
    re.VERBOSE,
)


def format_path(path: Iterable[str | int]) -> str:
    """Write ``path`` as a JSONPath: ``$.journeys[2].steps[4].unit``."""
    out = ["$"]
    for part in path:
        if isinstance(part, int):
            out.append(f"[{part}]")
        elif _IDENTIFIER.match(part):
            out.append(f".{part}")
        else:
            escaped = part.replace("\\", "\\\\").replace('"', '\\"')
            out.append(f'["{escaped}"]')
    return "".join(out)


def _decode_key(token: str) -> str:
    import json

    try:
        return json.loads(token)
    except ValueError:
        return token[1:-1]


def find_scalar(text: str, tokens: frozenset[str]) -> tuple[JsonPath, int, int] | None:
    """The path, line and column of the first bare scalar (e.g. ``NaN``) in ``tokens``."""
    found = locate(text, stop_at=tokens)
    hit = found.get(("#found",))
    if hit is None:
        return None
    path = next(p for p, place in found.items() if place == hit and p[:1] != ("#found",)
                and p[:1] != ("#key",))
    return path, hit[0], hit[1]


def locate(text: str, wanted: set[JsonPath] | None = None,
           stop_at: frozenset[str] | None = None) -> dict[JsonPath, tuple[int, int]]:
    """Map JSON paths to the (line, column) where their value starts, both 1-based.

    With ``wanted``, only those paths (and their ancestors) are recorded. The
    position of an object member's key is recorded too, under ``("#key", *path)``.
    Text that is not valid JSON is scanned as far as it goes. With ``stop_at``, the scan
    ends at the first bare scalar among those tokens, recorded under ``("#found",)``.
    """
    if wanted is not None:
        keep: set[JsonPath] = set()
        for path in wanted:
            for i in range(len(path) + 1):
                keep.add(tuple(path[:i]))
    positions: dict[JsonPath, tuple[int, int]] = {}
    # Stack frames: [container path, kind ('{' or '['), next index, pending key, expecting key]
    stack: list[list] = []
    line, line_start = 1, 0
    pos = 0
    length = len(text)
    if text.startswith("\ufeff"):
        pos = 1
        line_start = 1

    def record(path: JsonPath, at: int) -> None:
        if wanted is None or path in keep:
            # A repeated key overrides, as in json.loads: point at the value that counts.
            positions[path] = (line, at - line_start + 1)

    def value_path() -> JsonPath | None:
        if not stack:
            return ()
        frame = stack[-1]
        if frame[1] == "[":
            return (*frame[0], frame[2])
        if frame[3] is None:
            return None
        return (*frame[0], frame[3])

    while pos < length:
        match = _TOKEN.match(text, pos)
        if match is None:
            break
        kind = match.lastgroup
        token = match.group()
        start = pos
        pos = match.end()
        if kind == "ws":
            newlines = token.count("\n")
            if newlines:
                line += newlines
                line_start = start + token.rindex("\n") + 1
            continue
        if kind == "punct":
            if token in "{[":
                path = value_path()
                if path is None:
                    break
                record(path, start)
                stack.append([path, token, 0, None, token == "{"])
            elif token in "}]":
                if not stack:
                    break
                stack.pop()
                if stack and stack[-1][1] == "[":
                    stack[-1][2] += 1
            elif token == ",":
                if not stack:
                    break
                frame = stack[-1]
                if frame[1] == "{":
                    frame[3] = None
                    frame[4] = True
            # ":" needs no action: the key was taken when the string was read.
            continue
        # strings and scalars
        if stack and stack[-1][1] == "{" and stack[-1][4]:
            frame = stack[-1]
            frame[3] = _decode_key(token) if kind == "string" else token
            frame[4] = False
            key_path = ("#key", *frame[0], frame[3])
            if wanted is None or (*frame[0], frame[3]) in keep:
                positions[key_path] = (line, start - line_start + 1)
            continue
        path = value_path()
        if path is None:
            break
        record(path, start)
        if stop_at is not None and kind == "scalar" and token in stop_at:
            positions[path] = positions[("#found",)] = (line, start - line_start + 1)
            break
        if stack and stack[-1][1] == "[":
            stack[-1][2] += 1
    return positions
