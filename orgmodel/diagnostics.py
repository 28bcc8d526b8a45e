"""Problems found while loading a document: located, comparable, printable."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from orgmodel.jsonpos import JsonPath, format_path, locate

__all__ = ["LOCATE_LIMIT", "Diagnostic", "DocumentInvalid", "Location", "Places", "byte_place"]

#: Findings are located (line, column) only in source files up to this size (in bytes; as
#: text, in characters), as that needs a second scan of the text; a larger file's text is
#: not kept once it is loaded, unless a command asks for it (``LoadRequest.keep_text``).
LOCATE_LIMIT = 64 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Location:
    """Where something is: a file, and in it a JSON path, line and column when known.

    The one place value of load problems and findings, so that every output writes places
    the same way.

    >>> str(Location("org.json", ("units", 3, "parent"), 12, 5))
    'org.json:12:5: $.units[3].parent'
    >>> Location("org.json").where()
    'org.json'
    >>> Location("people.csv", line=1).where()  # a whole row (a CSV header) has no column
    'people.csv:1'
    """

    file: str
    path: JsonPath | None = None
    line: int | None = None
    column: int | None = None

    @property
    def json_path(self) -> str | None:
        """The JSONPath, e.g. ``$.units[3].parent``; None when there is no path."""
        return None if self.path is None else format_path(self.path)

    def where(self) -> str:
        """``file:line:col``, ``file:line`` without a column, or just the file when the line
        is unknown."""
        if self.line is None:
            return self.file
        return f"{self.file}:{self.line}" + (f":{self.column}" if self.column is not None else "")

    def __str__(self) -> str:
        return self.where() + (f": {self.json_path}" if self.path is not None else "")


@dataclass(frozen=True)
class Places:
    """Where JSON paths are in one file: the one place that turns a path into a
    :class:`Location` with line and column (the loader's problems, the analysis' findings and
    the policy's findings all are located here).

    >>> places = Places.scan("org.json", '{"units": [\\n  {"id": "a"}]}', [("units", 0, "id")])
    >>> str(places.at(("units", 0, "id")))
    'org.json:2:10: $.units[0].id'
    >>> places.at(("units", 0, "id"), key=True).where()
    'org.json:2:4'
    >>> missing = ("units", 0, "parent")
    >>> places.at(missing).where(), places.at(missing, nearest=True).where()
    ('org.json', 'org.json:2:3')
    """

    file: str
    positions: Mapping[JsonPath, tuple[int, int]] = field(default_factory=dict)

    @classmethod
    def scan(cls, file: str, text: str | None, paths: Iterable[JsonPath]) -> Places:
        """Scan ``text`` (None: no text, nothing is located) once for ``paths``."""
        wanted = set(paths)
        return cls(file, locate(text, wanted) if text is not None and wanted else {})

    def including(self, text: str | None, paths: Iterable[JsonPath]) -> Places:
        """These places and those of ``paths``: ``text`` is scanned again only when some of
        them are not located yet (a scan for findings also locates every ancestor of their
        paths)."""
        missing = {path for path in paths if path not in self.positions}
        if text is None or not missing:
            return self
        return Places(self.file, {**self.positions, **locate(text, missing)})

    def at(self, path: JsonPath, *, key: bool = False, nearest: bool = False) -> Location:
        """The location of ``path``: of its member's key with ``key``; with ``nearest``, of
        its closest located ancestor when the path itself is not in the text (a missing
        field is where its object is). Without a place, the location has no line."""
        positions = self.positions
        place = positions.get(("#key", *path)) if key else None
        if place is None:
            place = positions.get(path)
        probe = path
        while place is None and nearest and probe:
            probe = probe[:-1]
            place = positions.get(probe)
        if place is None:
            return Location(self.file, path)
        return Location(self.file, path, place[0], place[1])


@dataclass(frozen=True)
class Diagnostic:
    """One problem of a document: where it is and what to do about it.

    ``code`` is one of ``io`` (unreadable file), ``json`` (not valid JSON),
    ``toml`` (a config file that is not valid TOML), ``shape`` (wrong field, type or
    value), ``duplicate-id``, ``reference`` (an id that does not resolve), ``cycle`` (a
    reporting cycle), ``meaning`` (a rule across items, such as rework shares that sum to 1
    or more) and ``usage`` (a command-line argument, e.g. an unknown journey).
    """

    file: str
    line: int | None
    column: int | None
    path: JsonPath | None
    code: str
    message: str

    @classmethod
    def at(cls, location: Location, code: str, message: str) -> Diagnostic:
        """A problem at ``location``."""
        return cls(location.file, location.line, location.column, location.path, code, message)

    @property
    def location(self) -> Location:
        """Where the problem is."""
        return Location(self.file, self.path, self.line, self.column)

    @property
    def json_path(self) -> str | None:
        """The JSONPath of the offending value, e.g. ``$.units[3].parent``."""
        return None if self.path is None else format_path(self.path)

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"

    def to_dict(self) -> dict[str, object]:
        """Plain data for JSON output."""
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "path": self.json_path,
            "code": self.code,
            "message": self.message,
        }


class DocumentInvalid(Exception):
    """Raised when a document cannot be loaded; carries every problem found."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = diagnostics
        super().__init__("\n".join(str(d) for d in diagnostics))


def byte_place(data: bytes, offset: int) -> tuple[int, int]:
    """The 1-based line and column (in characters of the UTF-8 text) of the byte at
    ``offset`` of ``data``, for problems found in undecoded bytes.

    >>> byte_place("ab\\nçd!".encode(), 6)
    (2, 3)
    """
    line_start = data.rfind(b"\n", 0, offset) + 1
    column = len(data[line_start:offset].decode("utf-8", "replace")) + 1
    return data.count(b"\n", 0, offset) + 1, column
