"""The columnar engine: variants, waits and handovers of a CSV or Parquet log in DuckDB.

Used when DuckDB is installed (``pip install 'orgmodel[logs]'``). It reads, orders and groups
the events in DuckDB and hands only the per-step durations to Python, which computes the
same :class:`~orgmodel.eventlog.variants.Stats` as the standard-library engine, so the output
is byte-identical. It takes the logs whose reading needs no judgement: ISO timestamps of one
kind (all with a zone or all without), no ``--time-format`` or ``--timezone``, every event
complete, no row with a problem. For any other log :func:`measure_file` returns None and the
standard-library engine reads it (and words its problems, located).
"""

from __future__ import annotations

import csv
import importlib.util
import os
import tempfile
from collections import Counter
from collections.abc import Callable
from typing import Any

from orgmodel.eventlog.handover import Handover
from orgmodel.eventlog.log import UNASSIGNED, UnitResolver
from orgmodel.eventlog.measure import Measured
from orgmodel.eventlog.reader import Columns, log_format, open_text
from orgmodel.eventlog.variants import Stats, StepMeasure, Variant, summarize

__all__ = ["available", "measure_file"]

#: ISO timestamps both engines read alike (Python 3.10's fromisoformat included).
_ISO = (
    r"^[12][0-9]{3}-[01][0-9]-[0-3][0-9][T ]([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]"
    r"(\.[0-9]{3}|\.[0-9]{6})?"
)
_ZONE = r"([Zz]|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$"
_TEXT_TYPES = ("VARCHAR",)
#: DuckDB's memory; beyond it, it spills to a temporary folder.
MEMORY_LIMIT = "2GB"
_TIME_TYPES = {"TIMESTAMP": False, "TIMESTAMP WITH TIME ZONE": True}


def available() -> bool:
    """Whether DuckDB is installed."""
    return importlib.util.find_spec("duckdb") is not None


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _csv_header(path: str, delimiter: str) -> list[str] | None:
    try:
        with open_text(path) as handle:
            return [name.strip() for name in next(csv.reader(handle, delimiter=delimiter))]
    except (OSError, EOFError, StopIteration, UnicodeDecodeError, csv.Error):
        return None


def _source(
    con: Any, path: str, fmt: str, delimiter: str | None
) -> tuple[str, list[str], dict[str, str]] | None:
    """The SQL of the log's rows (columns named by position c0, c1, ...), the column names
    and DuckDB's type of each."""
    if fmt == "csv":
        delimiter = delimiter or ("\t" if path.lower().endswith(".tsv") else ",")
        names = _csv_header(path, delimiter)
        if names is None or len(names) < 2 or len(set(names)) != len(names):
            return None
        types = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(len(names)))
        sql = (
            f"read_csv({_literal(path)}, delim={_literal(delimiter)}, quote='\"', "
            f"escape='\"', header=true, auto_detect=false, columns={{{types}}}, "
            "strict_mode=true, null_padding=false)"
        )
        return sql, names, {n: "VARCHAR" for n in names}
    described = con.execute(f"DESCRIBE SELECT * FROM read_parquet({_literal(path)})").fetchall()
    names = [row[0] for row in described]
    inner = ", ".join(f"{_quote(n)} AS c{i}" for i, n in enumerate(names))
    return (
        f"(SELECT {inner} FROM read_parquet({_literal(path)}))",
        names,
        {row[0]: row[1] for row in described},
    )


def measure_file(
    path: str,
    columns: Columns,
    fmt: str | None,
    delimiter: str | None,
    make_resolver: Callable[[str | None], UnitResolver],
    *,
    plain_times: bool = True,
) -> Measured | None:
    """The figures of the log at ``path``, or None when this engine does not take it (the
    standard-library engine then does). ``make_resolver`` gets the unit attribute found."""
    import duckdb

    fmt = fmt or log_format(path)
    if fmt not in ("csv", "parquet") or not plain_times or not os.path.isfile(path):
        return None
    with tempfile.TemporaryDirectory(prefix="orgmodel-duckdb-") as spill:
        con = duckdb.connect(
            config={
                "threads": os.cpu_count() or 1,
                "memory_limit": MEMORY_LIMIT,
                "temp_directory": spill,
            }
        )
        try:
            return _measure(con, path, columns, fmt, delimiter, make_resolver)
        except duckdb.Error:
            return None  # the standard-library engine reads it, or words why it cannot
        finally:
            con.close()


def _measure(
    con: Any,
    path: str,
    columns: Columns,
    fmt: str,
    delimiter: str | None,
    make_resolver: Callable[[str | None], UnitResolver],
) -> Measured | None:
    con.execute("SET TimeZone = 'UTC'")
    source = _source(con, path, fmt, delimiter)
    if source is None:
        return None
    sql, names, types = source
    unit_column = (
        columns.unit if columns.unit is not None else "org:group" if "org:group" in names else None
    )
    position = {n: f"c{i}" for i, n in enumerate(names)}
    if (
        columns.case not in position
        or columns.activity not in position
        or (unit_column is not None and unit_column not in position)
    ):
        return None
    resolve = make_resolver(unit_column)
    for name in (columns.case, columns.activity, unit_column, columns.resource, columns.lifecycle):
        if name is not None and name in types and types[name] not in _TEXT_TYPES:
            return None

    def text(name: str | None) -> str:
        return f"nullif({position[name]}, '')" if name in position else "NULL::VARCHAR"

    times = [n for n in (columns.end, columns.start) if n in position]
    if not times:
        return None
    if any(types[n] not in _TEXT_TYPES and types[n] not in _TIME_TYPES for n in times):
        return None
    con.execute(f"""CREATE TEMP TABLE raw AS SELECT {text(columns.case)} AS case_id,
        {text(columns.activity)} AS activity, {text(unit_column)} AS unit,
        {text(columns.resource)} AS resource,
        {_time_raw(position, types, columns.end)} AS end_raw,
        {_time_raw(position, types, columns.start)} AS start_raw,
        {text(columns.lifecycle)} AS lifecycle FROM {sql}""")
    aware = _aware(con, times, types, columns)
    if aware is None:
        return None
    # every event must have a case, an activity and a timestamp; lifecycles must be complete
    bad = con.execute("""SELECT count(*) FILTER (WHERE case_id IS NULL OR activity IS NULL
        OR (end_raw IS NULL AND start_raw IS NULL)), count(*) FROM raw""").fetchone()
    if bad[0] or not bad[1]:
        return None
    lifecycles = [
        row[0]
        for row in con.execute(
            "SELECT DISTINCT lifecycle FROM raw WHERE lifecycle IS NOT NULL"
        ).fetchall()
    ]
    if any(value.lower() != "complete" for value in lifecycles):
        return None
    unresolved = _resolve_units(con, resolve)
    typed = {
        field: name in types and types[name] in _TIME_TYPES
        for field, name in (("end_raw", columns.end), ("start_raw", columns.start))
    }
    con.execute(f"""CREATE TEMP TABLE ev AS SELECT case_id, activity, units.unit, raw.rowid AS ord,
        {_epoch("end_raw", aware, typed["end_raw"])} AS end_s,
        {_epoch("start_raw", aware, typed["start_raw"])} AS start_s
        FROM raw JOIN units ON raw.unit IS NOT DISTINCT FROM units.attribute
        AND raw.resource IS NOT DISTINCT FROM units.resource""")
    con.execute("DROP TABLE raw")
    bad = con.execute(
        "SELECT count(*) FILTER (WHERE end_s IS NULL AND start_s IS NULL), "
        "count(*) FILTER (WHERE end_s < start_s) FROM ev"
    ).fetchone()
    if bad[0] or bad[1]:
        return None  # a timestamp DuckDB cannot read (e.g. 2024-02-30), an end before its start
    return _figures(con, path, resolve, unresolved)


def _time_raw(position: dict[str, str], types: dict[str, str], name: str) -> str:
    if name not in position:
        return "NULL::VARCHAR"
    if types[name] in _TIME_TYPES:
        return position[name]
    return f"nullif({position[name]}, '')"


def _aware(con: Any, times: list[str], types: dict[str, str], columns: Columns) -> bool | None:
    """Whether the timestamps name their zone (all of them), False when none does, None
    when they mix or some are not ISO timestamps both engines read alike."""
    kinds = {_TIME_TYPES[types[n]] for n in times if types[n] in _TIME_TYPES}
    textual = [
        f
        for f, n in zip(("end_raw", "start_raw"), (columns.end, columns.start), strict=True)
        if n in types and types[n] in _TEXT_TYPES
    ]
    for field in textual:
        total, zoned, plain = con.execute(f"""SELECT count({field}),
            count(*) FILTER (WHERE regexp_matches({field}, {_literal(_ISO + _ZONE)})),
            count(*) FILTER (WHERE regexp_matches({field}, {_literal(_ISO + "$")}))
            FROM raw""").fetchone()
        if zoned + plain != total:
            return None
        if zoned:
            kinds.add(True)
        if plain:
            kinds.add(False)
    if len(kinds) > 1:
        return None
    return kinds.pop() if kinds else False


def _epoch(field: str, aware: bool, typed: bool) -> str:
    """Seconds since the epoch as Python computes them (microseconds / 10**6)."""
    if typed:
        return f"epoch_us({field}) / 1000000.0"
    kind = "TIMESTAMPTZ" if aware else "TIMESTAMP"
    return f"epoch_us(try_cast(regexp_replace({field}, '[Zz]$', '+00:00') AS {kind})) / 1000000.0"


def _resolve_units(con: Any, resolve: UnitResolver) -> Counter[str]:
    """Resolve each distinct (unit attribute, resource) once, in Python, into a table
    ``units`` (attribute, resource, unit); the events without a unit by resource."""
    attributes: list[str | None] = []
    resources: list[str | None] = []
    resolved: list[str] = []
    unresolved: Counter[str] = Counter()
    for unit, resource, n in con.execute(
        "SELECT unit, resource, count(*) FROM raw GROUP BY ALL"
    ).fetchall():
        found = resolve(unit, resource)
        if found is None:
            unresolved[resource or ""] += n
            found = UNASSIGNED
        attributes.append(unit)
        resources.append(resource)
        resolved.append(found)
    con.execute("CREATE TEMP TABLE units (attribute VARCHAR, resource VARCHAR, unit VARCHAR)")
    con.execute(
        "INSERT INTO units SELECT unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), unnest(?::VARCHAR[])",
        [attributes, resources, resolved],
    )
    return unresolved


def _figures(con: Any, path: str, resolve: UnitResolver, unresolved: Counter[str]) -> Measured:
    con.execute("""CREATE TEMP TABLE steps AS SELECT case_id, activity, unit, start_s, end_s,
        row_number() OVER w - 1 AS j,
        end_s - start_s AS work,
        CASE WHEN lag(ord) OVER w IS NULL THEN 0.0
             WHEN start_s IS NOT NULL AND lag(end_s) OVER w IS NOT NULL
                THEN start_s - lag(end_s) OVER w
             ELSE coalesce(end_s, start_s) - coalesce(lag(end_s) OVER w, lag(start_s) OVER w)
        END AS raw_wait,
        lag(unit) OVER w AS previous_unit
        FROM ev WINDOW w AS (PARTITION BY case_id ORDER BY coalesce(start_s, end_s), ord)""")
    con.execute("DROP TABLE ev")
    events, cases, first, last, overlaps = con.execute("""SELECT count(*),
        count(DISTINCT case_id), least(min(start_s), min(end_s)),
        greatest(max(start_s), max(end_s)), count(*) FILTER (WHERE raw_wait < 0)
        FROM steps""").fetchone()
    units = sorted(row[0] for row in con.execute("SELECT DISTINCT unit FROM steps").fetchall())
    pairs = {
        (a, b): n
        for a, b, n in con.execute(
            """SELECT previous_unit, unit, count(*) FROM steps WHERE previous_unit IS NOT NULL
        GROUP BY ALL"""
        ).fetchall()
    }
    matrix = Handover(dict(sorted(pairs.items())), sum(pairs.values()))
    # a variant is the list of step kinds (activity, unit) of a case, in order
    con.execute("""CREATE TEMP TABLE kinds AS SELECT row_number() OVER () AS kind, activity,
        unit FROM (SELECT DISTINCT activity, unit FROM steps)""")
    con.execute("""CREATE TEMP TABLE case_keys AS SELECT case_id,
        list(kind ORDER BY j) AS key FROM steps JOIN kinds USING (activity, unit)
        GROUP BY case_id""")
    con.execute("""CREATE TEMP TABLE variant_ids AS SELECT row_number() OVER () AS variant,
        key FROM (SELECT DISTINCT key FROM case_keys)""")
    con.execute("""CREATE TEMP TABLE case_variant AS SELECT case_id, variant
        FROM case_keys JOIN variant_ids USING (key)""")
    kinds = {
        kind: (activity, unit)
        for kind, activity, unit in con.execute("SELECT * FROM kinds").fetchall()
    }
    found: dict[int, tuple[tuple[tuple[str, str], ...], list[str]]] = {}
    keys = dict(con.execute("SELECT variant, key FROM variant_ids").fetchall())
    for variant, case_ids in con.execute(
        "SELECT variant, list(case_id) FROM case_variant GROUP BY variant"
    ).fetchall():
        found[variant] = (tuple(kinds[k] for k in keys[variant]), sorted(case_ids))
    measures: dict[int, list[tuple[Stats | None, Stats]]] = {v: [] for v in found}
    rows = con.execute("""SELECT variant, j,
        list(work ORDER BY work) FILTER (WHERE work IS NOT NULL),
        list(greatest(raw_wait, 0.0) ORDER BY raw_wait)
        FROM steps JOIN case_variant USING (case_id)
        GROUP BY variant, j ORDER BY variant, j""")
    while batch := rows.fetchmany(4096):
        for variant, _, works, waits in batch:
            measures[variant].append(
                (summarize(works or []), summarize(waits) or Stats(0, 0, 0, 0))
            )
    out = []
    for variant, (key, case_ids) in found.items():
        steps = tuple(
            StepMeasure(activity, unit, work, wait)
            for (activity, unit), (work, wait) in zip(key, measures[variant], strict=True)
        )
        out.append(Variant(key, tuple(case_ids), steps))
    out.sort(key=lambda v: (-len(v.cases), v.key))
    return Measured(
        path,
        events,
        cases,
        first,
        last,
        unresolved,
        Counter(),
        resolve.describe,
        units,
        overlaps,
        out,
        matrix,
        engine="duckdb",
    )
