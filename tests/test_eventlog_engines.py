"""The columnar engine (DuckDB, ``orgmodel[logs]``) gives byte-identical output to the
standard-library engine, on generated logs and on the shared ones; skipped without DuckDB."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import run_main
from eventlog_gen import rows, write_csv
from test_eventlog_import import SHARED_COLUMNS, _shared_logs

from orgmodel.cli.eventlog_options import LogRequest, measure_log
from orgmodel.eventlog.reader import Columns

pytest.importorskip("duckdb", reason="duckdb is not installed (the extra orgmodel[logs])")


def _outputs(log: Path, out: Path, engine: str, *args: str) -> tuple[str, str, str]:
    """The document, the JSON summary and the text summary of one engine."""
    texts = []
    for fmt in ("json", "text"):
        result = run_main(
            "import", "eventlog", log, "-o", out, "--format", fmt, "--engine", engine, *args
        )
        assert result.returncode == 0, result.stderr
        texts.append(result.stdout)
    return out.read_text(encoding="utf-8"), texts[0], texts[1]


def _same(log: Path, tmp_path: Path, *args: str, engine: str = "duckdb") -> None:
    out = tmp_path / "out.json"
    python = _outputs(log, out, "python", *args)
    columnar = _outputs(log, out, engine, *args)
    assert columnar == python


def _engine(log: Path, columns: Columns | None = None) -> str:
    request = LogRequest(str(log), columns or Columns(), None, None, None, None, None)
    return measure_log(request, None, engine="duckdb").engine


def _variants(tmp_path: Path, zone: str = "+00:00", fraction: bool = False) -> Path:
    data, _ = rows()
    for row in data:
        for key in ("start_timestamp", "time:timestamp"):
            stamp = row[key].replace("+00:00", "")
            row[key] = stamp + (".125" if fraction else "") + zone
    return write_csv(tmp_path / "log.csv", data)


@pytest.mark.parametrize(
    ("zone", "fraction"),
    [("+00:00", False), ("Z", True), ("", False), ("+02:00", True), ("-05:30", False)],
)
def test_generated_logs_are_identical(tmp_path: Path, zone: str, fraction: bool) -> None:
    log = _variants(tmp_path, zone, fraction)
    assert _engine(log) == "duckdb"
    _same(log, tmp_path)
    _same(log, tmp_path, "--top", "2")
    _same(log, tmp_path, "--coverage", "60%", "--period", "week")


def test_complete_only_and_unit_from_resource(tmp_path: Path) -> None:
    data, _ = rows()
    for n, row in enumerate(data):
        del row["start_timestamp"]
        if n % 7 == 0:
            row["org:resource"] = ""
    log = write_csv(tmp_path / "log.csv", data)
    assert _engine(log) == "duckdb"
    _same(log, tmp_path)
    _same(log, tmp_path, "--unit", "org:resource")
    mapping = tmp_path / "map.json"
    mapping.write_text(json.dumps({"front-office-clerk": "Front"}), encoding="utf-8")
    _same(log, tmp_path, "--mapping", str(mapping))


def test_the_benchmark_log_is_identical(tmp_path: Path) -> None:
    import sys

    sys.path.insert(0, str(Path(__file__).parent.parent / "benchmarks"))
    from bench_eventlog import generate

    log = tmp_path / "bench.csv"
    generate(log, 20_000)
    assert _engine(log) == "duckdb"
    _same(log, tmp_path, "--top", "30")


def test_parquet_with_typed_and_textual_timestamps(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    from datetime import datetime

    import pyarrow.parquet as pq

    data, _ = rows()
    textual = pa.table({k: [r[k] for r in data] for k in data[0]})
    pq.write_table(textual, tmp_path / "text.parquet")
    typed = textual.set_column(
        5,
        "time:timestamp",
        pa.array(
            [datetime.fromisoformat(r["time:timestamp"]) for r in data],
            pa.timestamp("us", tz="UTC"),
        ),
    )
    typed = typed.set_column(
        4,
        "start_timestamp",
        pa.array(
            [datetime.fromisoformat(r["start_timestamp"]) for r in data],
            pa.timestamp("us", tz="UTC"),
        ),
    )
    pq.write_table(typed, tmp_path / "typed.parquet")
    for name in ("text.parquet", "typed.parquet"):
        assert _engine(tmp_path / name) == "duckdb"
        _same(tmp_path / name, tmp_path)


@pytest.mark.skipif(not _shared_logs(), reason="the shared event logs are not there")
@pytest.mark.parametrize("log", _shared_logs() or [Path("none")], ids=lambda p: p.name)
def test_shared_logs_are_identical(log: Path, tmp_path: Path) -> None:
    columns = Columns("case_id", "Activity", "Resource", "Resource", "end_time", "start_time")
    assert _engine(log, columns) == "duckdb"
    _same(log, tmp_path, *SHARED_COLUMNS)


def test_logs_it_does_not_take_fall_back_to_the_standard_library(tmp_path: Path) -> None:
    lifecycle = tmp_path / "life.csv"
    lifecycle.write_text(
        "case:concept:name,concept:name,org:group,time:timestamp,lifecycle:transition\n"
        "1,A,u1,2024-01-01T09:00:00,start\n1,A,u1,2024-01-01T09:10:00,complete\n",
        encoding="utf-8",
    )
    odd = tmp_path / "odd.csv"  # a layout only Python's fromisoformat reads
    odd.write_text(
        "case:concept:name,concept:name,org:group,time:timestamp\n"
        "1,A,u1,2024-01-01T09:00\n1,B,u2,2024-01-01T10:00\n",
        encoding="utf-8",
    )
    for log in (lifecycle, odd):
        assert _engine(log) == "python"
        _same(log, tmp_path)
    _same(odd, tmp_path, engine="auto")
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "case:concept:name,concept:name,org:group,time:timestamp\n1,A,u1,yesterday\n",
        encoding="utf-8",
    )
    result = run_main("import", "eventlog", bad, "-o", tmp_path / "x.json", "--engine", "duckdb")
    assert result.returncode == 2 and "bad.csv:2:4" in result.stderr
