"""Finding the orgmodel documents below a folder (``orgmodel validate DIR``)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass

__all__ = ["SKIPPED_DIRS", "Candidate", "declares_format", "find_documents"]

#: Folders never searched (besides every hidden folder, whose name starts with a dot).
SKIPPED_DIRS = frozenset({".git", ".venv", "node_modules", "__pycache__"})

#: The key every orgmodel document has at its top level.
_MARKER = b'"orgmodel"'


@dataclass(frozen=True)
class Candidate:
    """A JSON file below the folder, and whether it is taken as an orgmodel document."""

    path: str
    document: bool
    reason: str


def find_documents(folder: str) -> Iterator[Candidate]:
    """Every ``*.json`` file below ``folder`` (recursively, symlinked folders not followed,
    hidden folders and :data:`SKIPPED_DIRS` skipped), in sorted order of their path parts, each
    with whether it declares the format (see :func:`declares_format`). Paths start with
    ``folder`` as given."""
    found: list[tuple[tuple[str, ...], str]] = []
    for here, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if d not in SKIPPED_DIRS and not d.startswith(".")]
        for name in files:
            if name.lower().endswith(".json") and not name.startswith("."):
                path = os.path.normpath(os.path.join(here, name))
                found.append((tuple(os.path.relpath(path, folder).split(os.sep)), path))
    for _, path in sorted(found):
        document, reason = declares_format(path)
        yield Candidate(path, document, reason)


def declares_format(path: str) -> tuple[bool, str]:
    """Whether the JSON file at ``path`` is an orgmodel document, with the reason.

    Cheap first: a file whose bytes do not contain ``"orgmodel"`` is not one. A file that
    does is parsed, and counts when it is an object with that key at its top level. A file
    that cannot be read or parsed but mentions the key counts too, and so does a file that
    cannot be read at all: validating it reports the problem, where skipping it would hide a
    broken document.
    """
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        return True, "cannot be read"
    if _MARKER not in data:
        return False, 'no "orgmodel" key'
    try:
        value = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return True, 'mentions "orgmodel" but is not valid JSON'
    if isinstance(value, dict) and "orgmodel" in value:
        return True, 'top-level "orgmodel" key'
    return False, 'no top-level "orgmodel" key'
