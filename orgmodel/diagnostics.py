"""Problems found while loading a document: located, comparable, printable."""

from __future__ import annotations

from dataclasses import dataclass

from orgmodel.jsonpos import JsonPath, format_path

__all__ = ["Diagnostic", "DocumentInvalid"]


@dataclass(frozen=True)
class Diagnostic:
    """One problem of a document: where it is and what to do about it.

    ``code`` is one of ``io`` (unreadable file), ``json`` (not valid JSON),
    ``toml`` (a config file that is not valid TOML), ``shape`` (wrong field, type or
    value), ``duplicate-id``, ``reference`` (an id that does not resolve), ``cycle`` (a
    reporting cycle) and ``usage`` (a command-line argument, e.g. an unknown journey).
    """

    file: str
    line: int | None
    column: int | None
    path: JsonPath | None
    code: str
    message: str

    @property
    def json_path(self) -> str | None:
        """The JSONPath of the offending value, e.g. ``$.units[3].parent``."""
        return None if self.path is None else format_path(self.path)

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}:{self.column}"
        if self.path is not None:
            return f"{where}: {self.json_path}: {self.message}"
        return f"{where}: {self.message}"

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
