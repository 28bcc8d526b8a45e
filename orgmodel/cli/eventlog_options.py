"""Options shared by the commands that read an event log (``import eventlog``, ``calibrate``),
and the one way they open it."""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import click

from orgmodel.diagnostics import Diagnostic
from orgmodel.eventlog.document import model_resolver
from orgmodel.eventlog.log import EventLog, UnitResolver, build_log
from orgmodel.eventlog.measure import Measured, measure
from orgmodel.eventlog.reader import Columns, LogInvalid, problem, read_rows
from orgmodel.model import Document

_F = TypeVar("_F", bound=Callable[..., Any])

_DEFAULTS = Columns()


def _column(field: str, help: str) -> Callable[[_F], _F]:
    """The option ``--FIELD COLUMN`` naming the attribute of ``field`` of :class:`Columns`."""
    return click.option(
        f"--{field}",
        f"{field}_column",
        default=getattr(_DEFAULTS, field),
        show_default=True,
        metavar="COLUMN",
        help=help,
    )


_OPTIONS = [
    _column("case", "Attribute of the case id."),
    _column("activity", "Attribute of the activity."),
    _column("resource", "Attribute of the resource."),
    click.option(
        "--unit",
        "unit_column",
        metavar="COLUMN",
        help="Attribute naming the unit of an event (default: org:group when the log "
        "has it; with --model, resources are mapped to units instead).",
    ),
    _column("start", "Attribute of the start timestamp (optional)."),
    _column("end", "Attribute of the (complete) timestamp."),
    _column("lifecycle", "Attribute of the lifecycle transition (start/complete; optional)."),
    click.option(
        "--mapping",
        "mapping_path",
        metavar="FILE",
        help="Units of resources: a JSON object {resource: unit} or a CSV file with "
        "the columns resource,unit.",
    ),
    click.option(
        "--delimiter",
        metavar="CHAR",
        help="CSV delimiter (default ',').",
    ),
    click.option(
        "--log-format",
        type=click.Choice(["csv", "xes", "parquet"]),
        help="Kind of log (default: from the file name).",
    ),
    click.option(
        "--time-format",
        metavar="STRPTIME",
        help="Format of the timestamps, e.g. '%d.%m.%Y %H:%M' (default: ISO 8601).",
    ),
    click.option(
        "--timezone",
        metavar="ZONE",
        help="Time zone of timestamps that name none, e.g. UTC or Europe/Berlin "
        "(needed when a log mixes both kinds).",
    ),
]


def log_options(command: _F) -> _F:
    """Add the options that say how to read a log."""
    for option in reversed(_OPTIONS):
        command = option(command)
    return command


@dataclass(frozen=True)
class LogRequest:
    """How to read one log, as the options gave it."""

    path: str
    columns: Columns
    mapping_path: str | None
    delimiter: str | None
    log_format: str | None
    time_format: str | None
    timezone: str | None

    @classmethod
    def from_options(cls, path: str, options: dict[str, Any]) -> LogRequest:
        """From the keyword arguments of a command with :func:`log_options`."""
        columns = Columns(
            options["case_column"],
            options["activity_column"],
            options["resource_column"],
            options["unit_column"],
            options["end_column"],
            options["start_column"],
            options["lifecycle_column"],
        )
        return cls(
            path,
            columns,
            options["mapping_path"],
            options["delimiter"],
            options["log_format"],
            options["time_format"],
            options["timezone"],
        )


LOG_OPTION_NAMES = (
    "case_column",
    "activity_column",
    "resource_column",
    "unit_column",
    "start_column",
    "end_column",
    "lifecycle_column",
    "mapping_path",
    "delimiter",
    "log_format",
    "time_format",
    "timezone",
)


def read_mapping(path: str) -> dict[str, str]:
    """Resource -> unit from a JSON object or a two-column CSV file; raises LogInvalid."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            text = handle.read()
    except OSError as exc:
        raise LogInvalid([problem(path, f"cannot be read: {exc.strerror or exc}")]) from None
    if path.lower().endswith(".json"):
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise LogInvalid([problem(path, f"not valid JSON: {exc}")]) from None
        if not isinstance(data, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in data.items()
        ):
            raise LogInvalid(
                [problem(path, 'a mapping is a JSON object of strings: {"resource": "unit", ...}')]
            )
        return data
    rows = list(csv.reader(text.splitlines()))
    out: dict[str, str] = {}
    for line, row in enumerate(rows[1:], start=2):
        if not row:
            continue
        if len(row) != 2 or not row[0] or not row[1]:
            raise LogInvalid([problem(path, "each row is resource,unit", line, 1)])
        out[row[0]] = row[1]
    return out


def _zone(request: LogRequest) -> ZoneInfo | None:
    if not request.timezone:
        return None
    try:
        return ZoneInfo(request.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise LogInvalid(
            [problem(request.path, f"--timezone: unknown time zone {request.timezone!r}")]
        ) from None


def _mapping_resolver(request: LogRequest, model: Document | None) -> UnitResolver | None:
    if request.mapping_path is None:
        return None
    mapping = read_mapping(request.mapping_path)
    if model is not None:
        known = {u.id for u in model.units}
        bad = sorted({v for v in mapping.values() if v not in known})
        if bad:
            raise LogInvalid(
                [problem(request.mapping_path, f"units not in the model: {', '.join(bad)}")]
            )
    return UnitResolver(f"org:resource through {request.mapping_path}", mapping=mapping)


def resolver(
    request: LogRequest,
    model: Document | None,
    mapped: UnitResolver | None,
    unit_column: str | None,
) -> UnitResolver:
    """How the units of the log's events are found (``mapped``: from --mapping); raises
    :class:`LogInvalid` when nothing names them."""
    if mapped is not None:
        return mapped
    if model is not None:
        return model_resolver(model, attribute=request.columns.unit is not None)
    if unit_column is not None:
        return UnitResolver(f"the attribute {unit_column}", attribute=True)
    raise LogInvalid(
        [
            problem(
                request.path,
                "no unit for the events: the log has no org:group; give --unit "
                "COLUMN (e.g. --unit org:resource: each resource a unit), "
                "--model FILE or --mapping FILE",
            )
        ]
    )


def open_log(request: LogRequest, model: Document | None) -> EventLog:
    """Read, resolve and order the log of ``request``; raises :class:`LogInvalid`."""
    naive = _zone(request)
    if not os.path.exists(request.path):
        raise LogInvalid([problem(request.path, "cannot be read: no such file")])
    mapped = _mapping_resolver(request, model)
    rows, unit_column, time_columns = read_rows(
        request.path, request.columns, request.log_format, request.delimiter
    )
    resolve = resolver(request, model, mapped, unit_column)
    return build_log(
        request.path,
        rows,
        resolve,
        naive=naive,
        time_format=request.time_format,
        time_columns=time_columns,
    )


def measure_log(
    request: LogRequest, model: Document | None, *, per_case: bool = False, engine: str = "auto"
) -> Measured:
    """The variants, handover matrix and figures of the log of ``request``, computed by
    ``engine`` (``auto``: the columnar one where installed and the log allows it, else the
    standard library; both give the same result). Raises :class:`LogInvalid`."""
    if engine != "python" and not per_case:
        naive = _zone(request)
        if not os.path.exists(request.path):
            raise LogInvalid([problem(request.path, "cannot be read: no such file")])
        mapped = _mapping_resolver(request, model)
        from orgmodel.eventlog import columnar

        if columnar.available():
            measured = columnar.measure_file(
                request.path,
                request.columns,
                request.log_format,
                request.delimiter,
                lambda unit_column: resolver(request, model, mapped, unit_column),
                plain_times=request.time_format is None,
                naive=naive,
            )
            if measured is not None:
                return measured
        elif engine == "duckdb":
            raise LogInvalid(
                [
                    problem(
                        request.path,
                        "--engine duckdb needs the optional extra: pip install 'orgmodel[logs]'",
                    )
                ]
            )
    return measure(open_log(request, model), per_case=per_case)


def log_problems(exc: LogInvalid) -> list[Diagnostic]:
    """The problems of a log that cannot be read."""
    return exc.diagnostics
