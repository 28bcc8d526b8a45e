"""Read event logs (CSV, XES, Parquet) into rows of the few attributes orgmodel needs.

Every reader yields :class:`Row` tuples in file order and raises :class:`LogInvalid` with
located messages (``file:row:column: message`` for CSV, ``file:line: message`` for XES) on
input it cannot read. The standard library reads CSV and XES; Parquet needs ``pyarrow``
(``pip install orgmodel[logs]``).
"""

from __future__ import annotations

import csv
import gzip
import io
import os
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import repeat
from typing import NamedTuple, Protocol, TypeVar
from xml.parsers import expat

from orgmodel.diagnostics import Diagnostic

__all__ = ["Columns", "LogInvalid", "Row", "log_format", "read_rows", "read_xes_text"]

#: How many problems of one file are reported before reading stops.
MAX_PROBLEMS = 20

#: What reading a log file can raise besides bad text: the file system, and a damaged
#: or cut gzip stream.
READ_ERRORS = (OSError, EOFError, zlib.error)


class LogInvalid(Exception):
    """An event log that cannot be read; carries every located problem."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = diagnostics
        super().__init__("\n".join(str(d) for d in diagnostics))


def problem(
    file: str, message: str, line: int | None = None, column: int | None = None
) -> Diagnostic:
    """A located problem of an event log."""
    return Diagnostic(file, line, column if line is not None else None, None, "eventlog", message)


@dataclass(frozen=True)
class Columns:
    """The names of the attributes read from a log (pm4py's names by default)."""

    case: str = "case:concept:name"
    activity: str = "concept:name"
    resource: str = "org:resource"
    #: The attribute that names the unit of an event; None: ``org:group`` when the log has it.
    unit: str | None = None
    end: str = "time:timestamp"
    start: str = "start_timestamp"
    lifecycle: str = "lifecycle:transition"


class Row(NamedTuple):
    """One event as read: where it stands, and its raw values (None when absent or empty)."""

    line: int
    case: str
    activity: str
    unit: str | None
    resource: str | None
    start: str | datetime | None
    end: str | datetime | None
    lifecycle: str | None


#: Separates the values of an event in the text of events handed to DuckDB (XML 1.0 text
#: cannot hold it).
SEPARATOR = "\x01"


def values_text(fields: Sequence[Sequence[str | None] | None]) -> str | None:
    """Events as lines of values separated by :data:`SEPARATOR`, one line per event, from a
    column per field of :class:`Row` after ``line`` (None: absent in every event); an
    absent value is written as nothing, which DuckDB reads as NULL. None when a value is
    empty or holds a line break: the standard library keeps those, DuckDB would not."""
    if not fields[0]:
        return ""
    written: list[Iterable[str]] = []
    for field in fields:
        if field is None or (field and field[0] is None and field.count(None) == len(field)):
            written.append(repeat(""))
        elif "" in field:
            return None
        else:
            written.append(field if None not in field else [v or "" for v in field])  # type: ignore[arg-type]
    text = "\n".join(map(SEPARATOR.join, zip(*written, strict=False)))
    if "\r" in text or text.count("\n") != len(fields[0]) - 1:
        return None
    return text


def log_format(path: str) -> str | None:
    """``csv``, ``xes`` or ``parquet`` from the file name; None when unknown."""
    name = path.lower()
    if name.endswith((".csv", ".csv.gz", ".tsv")):
        return "csv"
    if name.endswith((".xes", ".xes.gz")):
        return "xes"
    if name.endswith((".parquet", ".pq")):
        return "parquet"
    return None


#: Where the timestamps stand in a CSV row: 1-based columns of "end" and "start".
TimeColumns = dict[str, int]


def read_rows(
    path: str, columns: Columns, fmt: str | None = None, delimiter: str | None = None
) -> tuple[list[Row], str | None, TimeColumns]:
    """Every event of the log at ``path``, the unit attribute used (None: none found), and
    the columns of the timestamps (for CSV messages; empty for other kinds)."""
    fmt = fmt or log_format(path)
    if fmt is None:
        raise LogInvalid(
            [
                problem(
                    path,
                    "unknown kind of event log; name it .csv, .xes, "
                    ".xes.gz or .parquet, or give --log-format",
                )
            ]
        )
    _check_file(path)
    if fmt == "csv":
        return _read_csv(path, columns, delimiter)
    if fmt == "xes":
        return (*_read_xes(path, columns), {})
    return (*_read_parquet(path, columns), {})


def read_xes_text(path: str, columns: Columns) -> tuple[str | None, str | None]:
    """Every event of the XES log at ``path`` as lines of values (:func:`values_text`, in
    file order; None when a value is one DuckDB would read otherwise) and the unit attribute
    used; raises as :func:`read_rows` does."""
    from orgmodel.eventlog.xes import read_fast_text  # it builds on this module

    _check_file(path)
    fast = _fast(read_fast_text, path, columns)
    if fast is None:
        rows, units_seen = _read_xes_expat(path, columns)
        events = bool(rows)
        text = values_text([*zip(*rows, strict=True)][1:]) if rows else ""
    else:
        text, events, units_seen = fast
    return text, _xes_unit_column(path, columns, events, units_seen)


def _check_file(path: str) -> None:
    """Raise :class:`LogInvalid` unless ``path`` is a file with something in it."""
    if not os.path.isfile(path):
        what = "is a folder" if os.path.isdir(path) else "no such file"
        raise LogInvalid([problem(path, f"cannot be read: {what}")])
    if os.path.getsize(path) == 0:
        raise LogInvalid([problem(path, "empty file (0 bytes): no header and no events", 1, 1)])


def open_text(path: str) -> io.TextIOBase:
    """The text of a (possibly gzipped) UTF-8 file, a BOM skipped."""
    if path.lower().endswith(".gz"):
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8-sig", newline="")
    return open(path, encoding="utf-8-sig", newline="")


def _bad_utf8(path: str) -> tuple[int, int, int]:
    """Offset, line and column of the first byte of ``path`` that is not UTF-8 (the
    decoder's own offset counts from its last buffer, not from the start of the file)."""
    opener = gzip.open if path.lower().endswith(".gz") else open
    offset, line, column = 0, 1, 1
    with opener(path, "rb") as handle:
        data = handle.read(1 << 20)
        if data.startswith(b"\xef\xbb\xbf"):
            offset, data = 3, data[3:]
        while data:
            more = handle.read(1 << 20)
            try:
                data.decode("utf-8")
                good, bad = len(data), False
            except UnicodeDecodeError as exc:
                good = exc.start
                # a character cut at the end of this buffer continues in the next one
                bad = not (more and exc.reason == "unexpected end of data")
            text = data[:good].decode("utf-8")
            newlines = text.count("\n")
            line += newlines
            column = len(text) - text.rfind("\n") if newlines else column + len(text)
            if bad:
                return offset + good, line, column
            offset += good
            data = data[good:] + more
    return offset, line, column


def _unit_column(columns: Columns, names: list[str]) -> str | None:
    if columns.unit is not None:
        return columns.unit
    return "org:group" if "org:group" in names else None


def _read_csv(
    path: str, columns: Columns, delimiter: str | None
) -> tuple[list[Row], str | None, TimeColumns]:
    delimiter = delimiter or ("\t" if path.lower().endswith(".tsv") else ",")
    try:
        with open_text(path) as handle:
            reader = csv.reader(handle, delimiter=delimiter, strict=True)
            try:
                header = next(reader)
            except StopIteration:
                raise LogInvalid([problem(path, "no header line", 1, 1)]) from None
            names = [name.strip() for name in header]
            unit_column = _unit_column(columns, names)
            index = _csv_indexes(path, names, columns, unit_column, delimiter)
            rows = list(_csv_rows(path, reader, index, len(names)))
    except csv.Error as exc:
        raise LogInvalid(
            [problem(path, f"not a valid CSV file: {exc}", reader.line_num, 1)]
        ) from None
    except UnicodeDecodeError:
        offset, line, column = _bad_utf8(path)
        raise LogInvalid(
            [problem(path, f"not UTF-8 text (byte {offset}); save the log as UTF-8", line, column)]
        ) from None
    except READ_ERRORS as exc:
        raise LogInvalid([problem(path, f"cannot be read: {exc}")]) from None
    if not rows:
        raise LogInvalid([problem(path, "no events: the file has a header and no rows", 1, 1)])
    times = {key: i + 1 for key in ("end", "start") if (i := index[key]) is not None}
    return rows, unit_column, times


def _csv_indexes(
    path: str, names: list[str], columns: Columns, unit_column: str | None, delimiter: str
) -> dict[str, int | None]:
    """Column index of every attribute (None: optional and absent); raises on missing ones."""
    position = {name: i for i, name in enumerate(names)}
    required = {"case": columns.case, "activity": columns.activity}
    optional = {
        "resource": columns.resource,
        "start": columns.start,
        "end": columns.end,
        "lifecycle": columns.lifecycle,
        "unit": unit_column,
    }
    problems = []
    if len(names) == 1:
        for other in (";", "\t", "|", ","):
            if other != delimiter and other in names[0]:
                shown = "\\t" if other == "\t" else other
                raise LogInvalid(
                    [
                        problem(
                            path,
                            f"the header has a single column; the file seems delimited by "
                            f"'{shown}', not '{delimiter}': give --delimiter '{shown}'",
                            1,
                            1,
                        )
                    ]
                )
    for option, name in required.items():
        if name not in position:
            problems.append(
                problem(
                    path,
                    f"no column '{name}' for the {option} (give --{option} COLUMN); "
                    f"the columns are: {', '.join(names)}",
                    1,
                    1,
                )
            )
    if columns.unit is not None and columns.unit not in position:
        problems.append(
            problem(
                path,
                f"no column '{columns.unit}' for the unit (--unit); "
                f"the columns are: {', '.join(names)}",
                1,
                1,
            )
        )
    if columns.start not in position and columns.end not in position:
        problems.append(
            problem(
                path,
                f"no timestamp column: neither '{columns.end}' (--end) nor "
                f"'{columns.start}' (--start); the columns are: {', '.join(names)}",
                1,
                1,
            )
        )
    if problems:
        raise LogInvalid(problems)
    out: dict[str, int | None] = {key: position[name] for key, name in required.items()}
    for key, optional_name in optional.items():
        out[key] = None if optional_name is None else position.get(optional_name)
    return out


def _csv_rows(
    path: str, reader: Iterator[list[str]], index: dict[str, int | None], width: int
) -> Iterator[Row]:
    case_i, activity_i = index["case"], index["activity"]
    assert case_i is not None and activity_i is not None
    optional = [index[key] for key in ("unit", "resource", "start", "end", "lifecycle")]
    problems: list[Diagnostic] = []
    line = 1
    for line, values in enumerate(reader, start=2):
        if not values:
            continue  # a blank line
        if len(values) != width:
            problems.append(problem(path, f"{len(values)} fields, the header has {width}", line, 1))
        else:
            case, activity = values[case_i], values[activity_i]
            if not case:
                problems.append(problem(path, "empty case id", line, case_i + 1))
            elif not activity:
                problems.append(problem(path, "empty activity", line, activity_i + 1))
            else:
                unit, resource, start, end, lifecycle = (
                    (values[i] or None) if i is not None else None for i in optional
                )
                if start is None and end is None:
                    problems.append(
                        problem(
                            path,
                            "no timestamp (neither start nor end)",
                            line,
                            1 + (index["end"] or index["start"] or 0),
                        )
                    )
                else:
                    yield Row(line, case, activity, unit, resource, start, end, lifecycle)
        if len(problems) >= MAX_PROBLEMS:
            break
    if problems:
        raise LogInvalid(problems)


def _read_parquet(path: str, columns: Columns) -> tuple[list[Row], str | None]:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise LogInvalid(
            [problem(path, "reading Parquet needs pyarrow: pip install 'orgmodel[logs]'")]
        ) from None
    try:
        table = pq.read_table(path)
    except Exception as exc:  # pyarrow raises its own error kinds for broken files
        raise LogInvalid([problem(path, f"not a readable Parquet file: {exc}")]) from None
    names = list(table.column_names)
    unit_column = _unit_column(columns, names)
    index = _csv_indexes(path, names, columns, unit_column, ",")

    def column(key: str) -> list[object]:
        i = index[key]
        return [None] * table.num_rows if i is None else table.column(i).to_pylist()

    data = [
        column(key) for key in ("case", "activity", "unit", "resource", "start", "end", "lifecycle")
    ]
    rows: list[Row] = []
    problems: list[Diagnostic] = []
    for n, (case, activity, unit, resource, start, end, lifecycle) in enumerate(
        zip(*data, strict=True), start=1
    ):
        if case is None or activity is None or (start is None and end is None):
            what = "case id" if case is None else "activity" if activity is None else "timestamp"
            problems.append(problem(path, f"row {n}: no {what}"))
            if len(problems) >= MAX_PROBLEMS:
                break
            continue
        rows.append(
            Row(
                n,
                str(case),
                str(activity),
                _text(unit),
                _text(resource),
                _time(start),
                _time(end),
                _text(lifecycle),
            )
        )
    if problems:
        raise LogInvalid(problems)
    if not rows:
        raise LogInvalid([problem(path, "no events")])
    return rows, unit_column


def _text(value: object) -> str | None:
    return None if value is None or value == "" else str(value)


def _time(value: object) -> str | datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return str(value)


_XES_VALUES = ("string", "date", "int", "float", "boolean", "id")


class Position(Protocol):
    """Where a parser stands: expat's parser, or :mod:`orgmodel.eventlog.xes`'s reader."""

    CurrentLineNumber: int


class XesHandler:
    """Collects the events of an XES stream, one trace at a time (nothing else is kept)."""

    def __init__(self, path: str, columns: Columns, parser: Position) -> None:
        self.path = path
        self.columns = columns
        self.parser = parser
        self.rows: list[Row] = []
        self.depth: list[str] = []
        self.trace: dict[str, str] = {}
        self.event: dict[str, str] | None = None
        self.event_line = 0
        self.pending: list[tuple[int, dict[str, str]]] = []
        self.units_seen = False
        self.problems: list[Diagnostic] = []

    def start(self, name: str, attributes: dict[str, str]) -> None:
        tag = name.rsplit(":", 1)[-1]
        parent = self.depth[-1] if self.depth else ""
        self.depth.append(tag)
        if tag == "trace":
            self.trace = {}
            self.pending = []
        elif tag == "event" and parent == "trace":
            self.event = {}
            self.event_line = self.parser.CurrentLineNumber
        elif tag in _XES_VALUES and parent in ("trace", "event"):
            key, value = attributes.get("key"), attributes.get("value")
            if key is None or value is None:
                return
            if parent == "event" and self.event is not None:
                self.event[key] = value
            elif parent == "trace":
                self.trace[key] = value

    def end(self, name: str) -> None:
        tag = self.depth.pop()
        if tag == "event" and self.event is not None:
            self.pending.append((self.event_line, self.event))
            self.event = None
        elif tag == "trace":
            self._flush()

    def _flush(self) -> None:
        columns = self.columns
        case = self.trace.get("concept:name") or self.trace.get(columns.case)
        unit_key = columns.unit or "org:group"
        for line, event in self.pending:
            case_id = event.get(columns.case) or case
            activity = event.get(columns.activity)
            start, end = event.get(columns.start), event.get(columns.end)
            if not case_id:
                self.problems.append(
                    problem(self.path, "trace without concept:name (case id)", line)
                )
            elif not activity:
                self.problems.append(
                    problem(self.path, f"event without '{columns.activity}'", line)
                )
            elif start is None and end is None:
                self.problems.append(problem(self.path, f"event without '{columns.end}'", line))
            else:
                unit = event.get(unit_key) or self.trace.get(unit_key)
                self.units_seen = self.units_seen or unit is not None
                self.rows.append(
                    Row(
                        line,
                        case_id,
                        activity,
                        unit,
                        event.get(columns.resource),
                        start,
                        end,
                        event.get(columns.lifecycle),
                    )
                )
            if len(self.problems) >= MAX_PROBLEMS:
                raise LogInvalid(self.problems)
        self.pending = []


def _forbid(*_: object) -> int:
    raise ValueError(
        "the file declares a DTD or entities, which orgmodel does not read (XES needs none)"
    )


def _read_xes(path: str, columns: Columns) -> tuple[list[Row], str | None]:
    """Stream the XES file (the fast reader of :mod:`orgmodel.eventlog.xes`, else expat):
    no tree is built, DTDs and entities are refused."""
    from orgmodel.eventlog.xes import read_fast  # it builds on this module

    fast = _fast(read_fast, path, columns)
    rows, units_seen = _read_xes_expat(path, columns) if fast is None else fast
    return rows, _xes_unit_column(path, columns, bool(rows), units_seen)


_Read = TypeVar("_Read")


def _fast(
    read: Callable[[str, Columns], _Read | None], path: str, columns: Columns
) -> _Read | None:
    """What the fast XES reader ``read`` gives (None: left to expat), read errors located."""
    try:
        return read(path, columns)
    except READ_ERRORS as exc:
        raise LogInvalid([problem(path, f"cannot be read: {exc}")]) from None


def _xes_unit_column(path: str, columns: Columns, events: bool, units_seen: bool) -> str | None:
    """The unit attribute of an XES log read (None: none); raises when it has no event."""
    if not events:
        raise LogInvalid([problem(path, "no events: the file holds no <trace> with <event>")])
    if columns.unit is not None and not units_seen:
        raise LogInvalid([problem(path, f"no event has the attribute '{columns.unit}' (--unit)")])
    return columns.unit or ("org:group" if units_seen else None)


def _read_xes_expat(path: str, columns: Columns) -> tuple[list[Row], bool]:
    """The rows of the XES file and whether an event had a unit, streamed by expat."""
    parser = expat.ParserCreate(namespace_separator=None)
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = _forbid
    parser.EntityDeclHandler = _forbid
    parser.ExternalEntityRefHandler = _forbid
    handler = XesHandler(path, columns, parser)
    parser.StartElementHandler = handler.start
    parser.EndElementHandler = handler.end
    opener = gzip.open if path.lower().endswith(".gz") else open
    try:
        with opener(path, "rb") as handle:
            while chunk := handle.read(1 << 20):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise LogInvalid(
            [
                problem(
                    path,
                    f"not well-formed XML: {expat.errors.messages[exc.code]}",
                    exc.lineno,
                    exc.offset + 1,
                )
            ]
        ) from None
    except ValueError as exc:
        raise LogInvalid(
            [problem(path, str(exc), parser.CurrentLineNumber, parser.CurrentColumnNumber + 1)]
        ) from None
    except READ_ERRORS as exc:
        raise LogInvalid([problem(path, f"cannot be read: {exc}")]) from None
    if handler.problems:
        raise LogInvalid(handler.problems)
    return handler.rows, handler.units_seen
