"""Problems found while loading a document: located, comparable, printable."""

from __future__ import annotations

from dataclasses import dataclass

from orgmodel.jsonpos import JsonPath, format_path

__all__ = ["Diagnostic", "DocumentInvalid", "Location"]


@dataclass(frozen=True, slots=True)
class Location:
    """Where something is: a file, and in it a JSON path, line and column when known.

    The one place value of load problems and findings, so that every output writes places
    the same way.

    >>> str(Location("org.json", ("units", 3, "parent"), 12, 5))
    'org.json:12:5: $.units[3].parent'
    >>> Location("org.json").where()
    'org.json'
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
        """``file:line:col``, or just the file when the line is unknown."""
        return f"{self.file}:{self.line}:{self.column}" if self.line is not None else self.file

    def __str__(self) -> str:
        return self.where() + (f": {self.json_path}" if self.path is not None else "")


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
