"""The columnar engine: variants, waits and handovers of a CSV, Parquet or XES log in DuckDB.

Used when DuckDB is installed (``pip install 'orgmodel[logs]'``). It reads, orders and groups
the events in DuckDB and hands only the per-step durations to Python, which computes the
same :class:`~orgmodel.eventlog.variants.Stats` as the standard-library engine, so the output
is byte-identical. It takes the logs whose reading needs no judgement: ISO timestamps of one
kind (all with a zone or all without), no ``--time-format`` or ``--timezone``, every event
complete, no row with a problem. For any other log :func:`measure_file` returns None and the
standard-library engine reads it (and words its problems, located). XES is read in Python
(:func:`~orgmodel.eventlog.reader.read_xes_text`) and handed to DuckDB as a file of values.
"""

from __future__ import annotations

import csv
import dataclasses
import importlib.util
import math
import os
import tempfile
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta, tzinfo
from typing import Any

from orgmodel.eventlog.handover import Handover
from orgmodel.eventlog.log import UNASSIGNED, UnitResolver
from orgmodel.eventlog.measure import Measured
from orgmodel.eventlog.reader import (
    READ_ERRORS,
    SEPARATOR,
    Columns,
    Row,
    log_format,
    open_text,
    read_xes_text,
)
from orgmodel.eventlog.variants import Stats, StepMeasure, Variant

__all__ = ["available", "measure_file"]

#: ISO timestamps both engines read alike (Python 3.10's fromisoformat included).
_ISO = (
    r"^[12][0-9]{3}-[01][0-9]-[0-3][0-9][T ]([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]"
    r"(\.[0-9]{3}|\.[0-9]{6})?"
)
_ZONE_OPTIONAL = r"([Zz]|[+-]([01][0-9]|2[0-3]):[0-5][0-9])?"
_TEXT_TYPES = ("VARCHAR",)
#: DuckDB's memory; beyond it, it spills to a temporary folder.
MEMORY_LIMIT = "2GB"
_TIME_TYPES = {"TIMESTAMP": False, "TIMESTAMP WITH TIME ZONE": True}


#: The layout of a textual timestamp, as a SQL literal.
_PATTERN = "'" + _ISO[1:] + _ZONE_OPTIONAL + "'"


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
    except (*READ_ERRORS, StopIteration, UnicodeDecodeError, csv.Error):
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


#: The columns of :func:`_text_source`: the fields of a :class:`Row` after ``line``, named
#: as themselves (the lines of :func:`~orgmodel.eventlog.reader.values_text`).
_TEXT_NAMES = list(Row._fields[1:])
#: Those names as the columns read, with a unit column or none.
_ROW_COLUMNS_UNIT = Columns(**{name: name for name in _TEXT_NAMES})
_ROW_COLUMNS = dataclasses.replace(_ROW_COLUMNS_UNIT, unit=None)


def _text_source(folder: str, text: str) -> tuple[str, list[str], dict[str, str]]:
    """The events read from an XES log (:func:`~orgmodel.eventlog.reader.read_xes_text`)
    as a file in ``folder`` that DuckDB reads in parallel, as :func:`_source` gives a log's."""
    names = _TEXT_NAMES
    path = os.path.join(folder, "events.txt")
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(text)  # not text + "\n": a copy of all the text
        handle.write("\n")
    types = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(len(names)))
    sql = (
        f"read_csv({_literal(path)}, delim={_literal(SEPARATOR)}, quote='', escape='', "
        f"header=false, auto_detect=false, columns={{{types}}}, strict_mode=true, "
        "null_padding=false)"
    )
    return sql, names, dict.fromkeys(names, "VARCHAR")


def _named(
    make_resolver: Callable[[str | None], UnitResolver], unit_column: str | None
) -> Callable[[str | None], UnitResolver]:
    """``make_resolver`` told the unit attribute of the log, not of :func:`_text_source`."""
    return lambda _: make_resolver(unit_column)


def measure_file(
    path: str,
    columns: Columns,
    fmt: str | None,
    delimiter: str | None,
    make_resolver: Callable[[str | None], UnitResolver],
    *,
    plain_times: bool = True,
    naive: tzinfo | None = None,
) -> Measured | None:
    """The figures of the log at ``path``, or None when this engine does not take it (the
    standard-library engine then does). ``make_resolver`` gets the unit attribute found;
    ``naive`` is the zone of the timestamps that name none (``--timezone``; None: UTC);
    ``plain_times`` is False under ``--time-format``, which only the standard library reads."""
    import duckdb

    fmt = fmt or log_format(path)
    if fmt not in ("csv", "parquet", "xes") or not plain_times or not os.path.isfile(path):
        return None
    with tempfile.TemporaryDirectory(prefix="orgmodel-duckdb-") as spill:
        source = None
        if fmt == "xes":
            # the reader raises the problems the standard-library engine would word
            text, unit_column = read_xes_text(path, columns)
            if text is None:
                return None  # a value DuckDB would read otherwise
            source = _text_source(spill, text)
            columns = _ROW_COLUMNS if unit_column is None else _ROW_COLUMNS_UNIT
            make_resolver = _named(make_resolver, unit_column)
        con = duckdb.connect(
            config={
                "threads": os.cpu_count() or 1,
                "memory_limit": MEMORY_LIMIT,
                "temp_directory": spill,
            }
        )
        try:
            return _measure(con, path, columns, fmt, delimiter, make_resolver, naive, source)
        except duckdb.Error:
            return None  # the standard-library engine reads it, or words why it cannot
        finally:
            con.close()


#: The state of a timestamp: absent (NULL), without a zone, with one, or unreadable.
_PLAIN, _ZONED, _BAD = 0, 1, 2
_HOUR_US = 3_600_000_000


def _measure(
    con: Any,
    path: str,
    columns: Columns,
    fmt: str,
    delimiter: str | None,
    make_resolver: Callable[[str | None], UnitResolver],
    naive: tzinfo | None,
    source: tuple[str, list[str], dict[str, str]] | None = None,
) -> Measured | None:
    con.execute("SET TimeZone = 'UTC'")
    if source is None:
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
    end_us, end_state = _time_sql(types, columns.end, "end_text")
    start_us, start_state = _time_sql(types, columns.start, "start_text")

    def time_text(name: str) -> str:
        if name not in position:
            return "NULL::VARCHAR"
        return position[name] if types[name] in _TIME_TYPES else f"nullif({position[name]}, '')"

    # one pass over the file: the attributes, and each timestamp as microseconds since the
    # epoch (those without a zone read as UTC for now) with its state
    con.execute(f"""CREATE TEMP TABLE raw AS SELECT case_id, activity, unit, resource,
        lifecycle, {end_us} AS end_us, {end_state} AS end_state,
        {start_us} AS start_us, {start_state} AS start_state
        FROM (SELECT {text(columns.case)} AS case_id, {text(columns.activity)} AS activity,
            {text(unit_column)} AS unit, {text(columns.resource)} AS resource,
            {text(columns.lifecycle)} AS lifecycle, {time_text(columns.end)} AS end_text,
            {time_text(columns.start)} AS start_text FROM {sql})""")
    # every event must have a case, an activity and readable timestamps (of the layout, and
    # a date that exists: 2024-02-30 has the layout), and no end before its start as written
    # (before --timezone localizes them): the standard-library engine locates each of those
    bad, total, zoned, plain = con.execute(f"""SELECT count(*) FILTER (WHERE case_id IS NULL
        OR activity IS NULL OR (end_state IS NULL AND start_state IS NULL)
        OR end_state = {_BAD} OR start_state = {_BAD}
        OR (end_state IS NOT NULL AND end_us IS NULL)
        OR (start_state IS NOT NULL AND start_us IS NULL)
        OR end_us < start_us), count(*),
        count(*) FILTER (WHERE end_state = {_ZONED})
            + count(*) FILTER (WHERE start_state = {_ZONED}),
        count(*) FILTER (WHERE end_state = {_PLAIN})
            + count(*) FILTER (WHERE start_state = {_PLAIN})
        FROM raw""").fetchone()
    if bad or not total:
        return None
    if zoned and plain and naive is None:
        return None  # refused by the standard-library engine, which says why
    if plain and naive is not None:
        _localize(con, naive)
    skipped = _instances(con)
    if skipped is None:
        return None  # every event left out by its lifecycle: the standard library says so
    events, first_us, last_us = con.execute("""SELECT count(*), least(min(start_us),
        min(end_us)), greatest(max(start_us), max(end_us)) FROM raw""").fetchone()
    con.execute("DROP TABLE raw")
    unresolved = _resolve_units(con, resolve)
    con.execute("""CREATE TEMP VIEW ev AS SELECT case_id, activity, units.unit, ord,
        end_us / 1000000.0 AS end_s, start_us / 1000000.0 AS start_s
        FROM inst JOIN units ON inst.unit IS NOT DISTINCT FROM units.attribute
        AND inst.resource IS NOT DISTINCT FROM units.resource""")
    return _figures(
        con,
        path,
        resolve,
        unresolved,
        skipped,
        events,
        first_us / 1_000_000,
        last_us / 1_000_000,
    )


def _time_sql(types: dict[str, str], name: str, value: str) -> tuple[str, str]:
    """SQL of the microseconds since the epoch and of the state of the timestamp ``value``
    (the column ``name``, its text with '' as NULL, or its typed value)."""
    if name not in types:
        return "NULL::BIGINT", "NULL::TINYINT"
    if types[name] in _TIME_TYPES:
        kind = _ZONED if _TIME_TYPES[types[name]] else _PLAIN
        return f"epoch_us({value})", f"CASE WHEN {value} IS NOT NULL THEN {kind} END"
    # a zone is 'Z' or '+HH:MM' at the end (the layout checked by the pattern)
    zoned = f"({value}[-1] IN ('Z', 'z') OR {value}[-6] IN ('+', '-'))"
    micros = (
        f"CASE WHEN NOT {zoned} THEN epoch_us(try_cast({value} AS TIMESTAMP)) "
        f"WHEN {value}[-1] = 'z' THEN epoch_us(try_cast({value}[:-1] || 'Z' AS TIMESTAMPTZ)) "
        f"ELSE epoch_us(try_cast({value} AS TIMESTAMPTZ)) END"
    )
    state = (
        f"CASE WHEN {value} IS NULL THEN NULL "
        f"WHEN NOT regexp_full_match({value}, {_PATTERN}) THEN {_BAD} "
        f"WHEN {zoned} THEN {_ZONED} ELSE {_PLAIN} END"
    )
    return micros, state


def _localize(con: Any, zone: tzinfo) -> None:
    """Read the timestamps without a zone in ``zone`` as Python does (``fold=0``): the UTC
    offset of each distinct hour, and of each distinct value in the hours where it changes."""
    floor_hour = "(({v}) - ((({v}) % {h}) + {h}) % {h}) // {h}"
    hours = [
        row[0]
        for row in con.execute(f"""SELECT DISTINCT hour FROM (
            SELECT {floor_hour.format(v="end_us", h=_HOUR_US)} AS hour FROM raw
                WHERE end_state = {_PLAIN}
            UNION ALL SELECT {floor_hour.format(v="start_us", h=_HOUR_US)} FROM raw
                WHERE start_state = {_PLAIN})""").fetchall()
    ]
    steady: list[int] = []
    offsets: list[int] = []
    changing: list[int] = []
    for hour in hours:
        begin = _offset_us(zone, hour * _HOUR_US)
        if begin == _offset_us(zone, (hour + 1) * _HOUR_US - 1):
            steady.append(hour)
            offsets.append(begin)
        else:
            changing.append(hour)
    exact_values: list[int] = []
    exact_offsets: list[int] = []
    if changing:
        for (value,) in con.execute(
            f"""SELECT DISTINCT value FROM (SELECT end_us AS value FROM raw
                WHERE end_state = {_PLAIN} UNION ALL SELECT start_us FROM raw
                WHERE start_state = {_PLAIN}) WHERE {floor_hour.format(v="value", h=_HOUR_US)}
                IN (SELECT unnest(?::BIGINT[]))""",
            [changing],
        ).fetchall():
            exact_values.append(value)
            exact_offsets.append(_offset_us(zone, value))
    con.execute("CREATE TEMP TABLE zone_hours (hour BIGINT PRIMARY KEY, offset_us BIGINT)")
    con.execute(
        "INSERT INTO zone_hours SELECT unnest(?::BIGINT[]), unnest(?::BIGINT[])",
        [steady, offsets],
    )
    con.execute("CREATE TEMP TABLE zone_exact (value BIGINT PRIMARY KEY, offset_us BIGINT)")
    con.execute(
        "INSERT INTO zone_exact SELECT unnest(?::BIGINT[]), unnest(?::BIGINT[])",
        [exact_values, exact_offsets],
    )
    for field, state in (("end_us", "end_state"), ("start_us", "start_state")):
        hour = floor_hour.format(v=field, h=_HOUR_US)
        con.execute(f"""UPDATE raw SET {field} = {field} - coalesce(
            (SELECT offset_us FROM zone_exact WHERE value = {field}),
            (SELECT offset_us FROM zone_hours WHERE zone_hours.hour = {hour}))
            WHERE {state} = {_PLAIN}""")


def _offset_us(zone: tzinfo, local_us: int) -> int:
    """The UTC offset, in microseconds, of the local time ``local_us`` in ``zone``."""
    moment = (_EPOCH + timedelta(microseconds=local_us)).replace(tzinfo=zone)
    offset = moment.utcoffset()
    return 0 if offset is None else offset // timedelta(microseconds=1)


_EPOCH = datetime(1970, 1, 1)


def _instances(con: Any) -> Counter[str] | None:
    """The activity instances of the events, in a table ``inst``; the events left out by
    their lifecycle transition (None when no event is left). The pairing of
    ``orgmodel.eventlog.log``: in a case with lifecycle transitions, a start is paired with
    the next complete of its activity that has no start of its own, first in first out."""
    transitions = [
        row[0]
        for row in con.execute(
            "SELECT DISTINCT lifecycle FROM raw WHERE lifecycle IS NOT NULL"
        ).fetchall()
    ]
    plain = """SELECT case_id, activity, unit, resource, start_us, end_us, rowid AS ord
        FROM raw"""
    if not transitions:
        con.execute(f"CREATE TEMP TABLE inst AS {plain}")
        return Counter()
    con.execute("CREATE TEMP TABLE transitions (lifecycle VARCHAR, kind VARCHAR)")
    con.execute(
        "INSERT INTO transitions SELECT unnest(?::VARCHAR[]), unnest(?::VARCHAR[])",
        [transitions, [t.lower() for t in transitions]],
    )
    # x: +1 a start, -1 a complete that can take one; the open starts before an event are
    # the running sum held at 0 from below (the sum minus its running minimum, if negative)
    con.execute("""CREATE TEMP TABLE life AS
        WITH kinds AS (
            SELECT raw.*, raw.rowid AS ord, coalesce(start_us, end_us) AS when_us,
                coalesce(transitions.kind, 'complete') AS kind,
                bool_or(raw.lifecycle IS NOT NULL) OVER (PARTITION BY case_id) AS paired
            FROM raw LEFT JOIN transitions USING (lifecycle)),
        walk AS (
            SELECT *, sum(CASE WHEN kind = 'start' THEN 1
                    WHEN start_us IS NULL THEN -1 ELSE 0 END) OVER w AS x
            FROM kinds WHERE paired AND kind IN ('start', 'complete')
            WINDOW w AS (PARTITION BY case_id, activity ORDER BY when_us, ord
                ROWS UNBOUNDED PRECEDING)),
        held AS (
            SELECT *, x - least(min(x) OVER w, 0) AS open
            FROM walk WINDOW w AS (PARTITION BY case_id, activity ORDER BY when_us, ord
                ROWS UNBOUNDED PRECEDING))
        SELECT *, kind = 'complete' AND start_us IS NULL
                AND coalesce(lag(open) OVER w, 0) > 0 AS takes
        FROM held WINDOW w AS (PARTITION BY case_id, activity ORDER BY when_us, ord)""")
    skipped: Counter[str] = Counter(
        dict(
            con.execute("""SELECT transitions.kind, count(*) FROM raw
            JOIN (SELECT DISTINCT case_id FROM raw WHERE lifecycle IS NOT NULL) USING (case_id)
            JOIN transitions USING (lifecycle)
            WHERE transitions.kind NOT IN ('start', 'complete') GROUP BY ALL""").fetchall()
        )
    )
    con.execute(f"""CREATE TEMP TABLE inst AS
        WITH starts AS (
            SELECT *, row_number() OVER (PARTITION BY case_id, activity
                ORDER BY when_us, ord) AS k FROM life WHERE kind = 'start'),
        takers AS (
            SELECT *, row_number() OVER (PARTITION BY case_id, activity
                ORDER BY when_us, ord) AS k FROM life WHERE takes)
        SELECT c.case_id, c.activity,
            CASE WHEN s.ord IS NOT NULL AND c.unit IS NULL AND c.resource IS NULL
                THEN s.unit ELSE c.unit END AS unit,
            CASE WHEN s.ord IS NOT NULL AND c.unit IS NULL AND c.resource IS NULL
                THEN s.resource ELSE c.resource END AS resource,
            CASE WHEN s.ord IS NOT NULL THEN s.when_us ELSE c.start_us END AS start_us,
            c.end_us, coalesce(s.ord, c.ord) AS ord
        FROM life c LEFT JOIN takers t ON t.ord = c.ord
        LEFT JOIN starts s ON s.case_id = t.case_id AND s.activity = t.activity AND s.k = t.k
        WHERE c.kind = 'complete'
        UNION ALL
        SELECT case_id, activity, unit, resource, when_us, NULL, ord FROM starts
        WHERE (case_id, activity, k) NOT IN (SELECT (case_id, activity, k) FROM takers)
        UNION ALL
        SELECT case_id, activity, unit, resource, start_us, end_us, ord FROM ({plain})
        WHERE case_id NOT IN (SELECT case_id FROM raw WHERE lifecycle IS NOT NULL)""")
    con.execute("DROP TABLE life")
    if not con.execute("SELECT count(*) FROM inst").fetchone()[0]:
        return None
    return skipped


def _resolve_units(con: Any, resolve: UnitResolver) -> Counter[str]:
    """Resolve each distinct (unit attribute, resource) of the instances once, in Python,
    into a table ``units`` (attribute, resource, unit); the instances without a unit by
    resource."""
    attributes: list[str | None] = []
    resources: list[str | None] = []
    resolved: list[str] = []
    unresolved: Counter[str] = Counter()
    for unit, resource, n in con.execute(
        "SELECT unit, resource, count(*) FROM inst GROUP BY ALL"
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


def _figures(
    con: Any,
    path: str,
    resolve: UnitResolver,
    unresolved: Counter[str],
    skipped: Counter[str],
    events: int,
    first: float,
    last: float,
) -> Measured:
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
    con.execute("DROP VIEW ev")
    con.execute("DROP TABLE inst")
    # one pass for the handovers, the units, the overlaps and the cases: a unit is never
    # NULL (UNASSIGNED at worst), so a step without a previous unit begins its case
    pairs: dict[tuple[str, str], int] = {}
    unit_set: set[str] = set()
    cases = overlaps = 0
    for previous, unit, n, negative in con.execute("""SELECT previous_unit, unit, count(*),
        count(*) FILTER (WHERE raw_wait < 0) FROM steps GROUP BY ALL""").fetchall():
        unit_set.add(unit)
        overlaps += negative
        if previous is None:
            cases += n
        else:
            pairs[previous, unit] = n
    units = sorted(unit_set)
    matrix = Handover(dict(sorted(pairs.items())), sum(pairs.values()))
    # a variant is the list of step kinds (activity, unit) of a case, in order
    con.execute("""CREATE TEMP TABLE kinds AS SELECT row_number() OVER () AS kind, activity,
        unit FROM (SELECT DISTINCT activity, unit FROM steps)""")
    # the key of a case: the sorted list of j * width + kind, its kinds in step order (j
    # runs 0, 1, ... in every case); faster than an ordered aggregate
    (width,) = con.execute("SELECT count(*) + 1 FROM kinds").fetchone()
    con.execute(f"""CREATE TEMP TABLE case_variant AS SELECT case_id, key,
        dense_rank() OVER (ORDER BY key) AS variant FROM (SELECT case_id,
        list_sort(list(j * {width} + kind)) AS key
        FROM steps JOIN kinds USING (activity, unit) GROUP BY case_id)""")
    kinds = {
        kind: (activity, unit)
        for kind, activity, unit in con.execute("SELECT * FROM kinds").fetchall()
    }
    found: dict[int, tuple[tuple[tuple[str, str], ...], list[str]]] = {}
    for variant, key, case_ids in con.execute(
        "SELECT variant, any_value(key), list(case_id) FROM case_variant GROUP BY variant"
    ).fetchall():
        found[variant] = (tuple(kinds[k % width] for k in key), sorted(case_ids))
    measures: dict[int, list[tuple[Stats | None, Stats]]] = {v: [] for v in found}
    # per step of a variant: the count, the order statistics around the median and the
    # 90th percentile, and the sum; Python interpolates as quantile() does
    picks = ", ".join(
        f"{values}[least(floor({q} * (len({values}) - 1))::BIGINT + {k}, len({values}))]"
        for values in ("works", "waits")
        for q in (0.5, 0.9)
        for k in (1, 2)
    )
    rows = con.execute(f"""SELECT variant, len(works), len(waits), work_sum, wait_sum, {picks}
        FROM (SELECT variant, j,
            list_sort(list(work) FILTER (WHERE work IS NOT NULL), 'ASC', 'NULLS LAST')
                AS works,
            list_sort(list(greatest(raw_wait, 0.0)), 'ASC', 'NULLS LAST') AS waits,
            fsum(work) AS work_sum, fsum(greatest(raw_wait, 0.0)) AS wait_sum
            FROM steps JOIN case_variant USING (case_id) GROUP BY variant, j)
        ORDER BY variant, j""")
    while batch := rows.fetchmany(4096):
        for variant, n_work, n_wait, work_sum, wait_sum, *values in batch:
            measures[variant].append(
                (
                    _stats(n_work or 0, work_sum, values[0:4]),
                    _stats(n_wait, wait_sum, values[4:8]) or Stats(0, 0, 0, 0),
                )
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
        skipped,
        resolve.describe,
        units,
        overlaps,
        out,
        matrix,
        engine="duckdb",
    )


def _stats(n: int, total: float | None, values: list[float]) -> Stats | None:
    """The :class:`Stats` of ``n`` durations summing to ``total``, from the order statistics
    around their median and 90th percentile (as :func:`summarize` computes them)."""
    if not n or total is None:
        return None
    median_low, median_high, p90_low, p90_high = values
    return Stats(
        n,
        _between(median_low, median_high, 0.5 * (n - 1)),
        _between(p90_low, p90_high, 0.9 * (n - 1)),
        total / n,
    )


def _between(low: float, high: float, position: float) -> float:
    return low + (high - low) * (position - math.floor(position))
