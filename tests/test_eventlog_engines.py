"""The columnar engine (DuckDB, ``orgmodel[logs]``) gives byte-identical output to the
standard-library engine, on generated logs and on the shared ones; skipped without DuckDB."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from conftest import run_main
from eventlog_gen import rows, write_csv, write_xes
from test_eventlog_import import SHARED_COLUMNS, _shared_logs

from orgmodel.cli.eventlog_options import LogRequest, measure_log
from orgmodel.eventlog.reader import Columns
from orgmodel.eventlog.xes import read_fast_text

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


def _lifecycle_rows(zone: str = "+00:00") -> list[dict[str, str]]:
    """The generated log as start and complete events, with what the pairing must handle:
    other transitions, capitals, a start without a complete, a complete without a start, a
    complete that names no unit nor resource (its start's are taken), an activity repeated
    in a case (first in, first out) and a complete that has a start timestamp of its own."""
    data, _ = rows()
    out: list[dict[str, str]] = []
    for n, row in enumerate(sorted(data, key=lambda r: r["start_timestamp"])):
        base = {k: row[k] for k in ("case:concept:name", "concept:name", "org:group")}
        base["org:resource"] = row["org:resource"]
        start = row["start_timestamp"].replace("+00:00", zone)
        end = row["time:timestamp"].replace("+00:00", zone)
        begin = {**base, "time:timestamp": start, "lifecycle:transition": "start"}
        done = {**base, "time:timestamp": end, "lifecycle:transition": "complete"}
        done["start_timestamp"] = ""
        begin["start_timestamp"] = ""
        if n % 5 == 0:
            done["lifecycle:transition"] = "Complete"
            out.append({**begin, "lifecycle:transition": "schedule"})
        if n % 7 == 0:
            done["org:group"] = done["org:resource"] = ""
        if n % 11 == 0:
            begin["concept:name"] += " (started only)"
        if n % 13 == 0:
            begin["lifecycle:transition"] = "suspend"  # the complete has no start
        if n % 17 == 0:
            done["start_timestamp"] = start  # takes no open start: that one stays open
        out += [begin, done]
    # an activity twice in one case, overlapping: starts paired first in, first out
    twice = [
        ("c900", "Check", "2024-03-01T09:00:00", "start"),
        ("c900", "Check", "2024-03-01T09:05:00", "start"),
        ("c900", "Check", "2024-03-01T09:20:00", "complete"),
        ("c900", "Check", "2024-03-01T09:30:00", "complete"),
        ("c900", "Check", "2024-03-01T09:40:00", "complete"),  # none open: a complete alone
        ("c901", "Check", "2024-03-01T10:00:00", ""),  # no transition: a complete
        ("c901", "Check", "2024-03-01T09:00:00", "start"),
    ]
    for case, activity, stamp, transition in twice:
        out.append(
            {
                "case:concept:name": case,
                "concept:name": activity,
                "org:group": "back-office",
                "org:resource": "back-office-clerk",
                "time:timestamp": stamp + (zone if zone != "Z" else "Z"),
                "lifecycle:transition": transition,
                "start_timestamp": "",
            }
        )
    random.Random(14).shuffle(out)
    return out


@pytest.mark.parametrize("zone", ["+00:00", "", "+02:00"])
def test_lifecycle_pairs_are_identical(tmp_path: Path, zone: str) -> None:
    log = write_csv(tmp_path / "life.csv", _lifecycle_rows(zone))
    assert _engine(log) == "duckdb"
    _same(log, tmp_path)
    _same(log, tmp_path, "--top", "3")
    summary = json.loads(
        run_main("import", "eventlog", log, "-o", tmp_path / "o.json", "--format", "json").stdout
    )
    assert set(summary["skipped_lifecycle"]) == {"schedule", "suspend"}


def test_lifecycle_pairing_by_hand(tmp_path: Path) -> None:
    # case 1: A starts 9:00 and 9:05, completes 9:20, 9:30, 9:40: (9:00-9:20), (9:05-9:30)
    # and a complete alone at 9:40; B is scheduled (left out) and completes at 10:00
    log = tmp_path / "hand.csv"
    log.write_text(
        "case:concept:name,concept:name,org:group,time:timestamp,lifecycle:transition\n"
        "1,A,u1,2024-01-01T09:00:00,start\n1,A,u1,2024-01-01T09:05:00,start\n"
        "1,A,u1,2024-01-01T09:20:00,complete\n1,A,u1,2024-01-01T09:30:00,complete\n"
        "1,A,u2,2024-01-01T09:40:00,complete\n1,B,u2,2024-01-01T09:50:00,schedule\n"
        "1,B,u2,2024-01-01T10:00:00,complete\n",
        encoding="utf-8",
    )
    request = LogRequest(str(log), Columns(), None, None, None, None, None)
    for engine in ("python", "duckdb"):
        measured = measure_log(request, None, engine=engine)
        assert measured.engine == engine
        assert (measured.events, measured.cases) == (7, 1)
        assert dict(measured.skipped_lifecycle) == {"schedule": 1}
        (variant,) = measured.variants
        assert variant.key == (("A", "u1"), ("A", "u1"), ("A", "u2"), ("B", "u2"))
        assert [s.work.median if s.work else None for s in variant.steps] == [
            1200.0,
            1500.0,
            None,
            None,
        ]
        # waits: 0; 9:05 - 9:20 < 0 -> 0 (an overlap); 9:40 - 9:30; 10:00 - 9:40
        assert [s.wait.median for s in variant.steps] == [0.0, 0.0, 600.0, 1200.0]
        assert measured.overlaps == 1


def _dst_rows(zoned_share: int = 0) -> list[dict[str, str]]:
    """Naive timestamps around Berlin's clock changes of 2024 (31 March 02:00-03:00 does not
    exist, 27 October 02:00-03:00 happens twice), every ``zoned_share``-th with a zone."""
    stamps = [
        ("spring", "2024-03-31T01:30:00", "2024-03-31T01:59:59"),
        ("spring", "2024-03-31T02:30:00", "2024-03-31T03:10:00"),
        ("spring", "2024-03-31T03:30:00", "2024-03-31T04:00:00.500"),
        ("autumn", "2024-10-27T01:30:00", "2024-10-27T02:15:00"),
        ("autumn", "2024-10-27T02:45:00", "2024-10-27T02:59:59.999999"),
        ("autumn", "2024-10-27T03:00:00", "2024-10-27T03:30:00"),
        ("plain", "2024-06-01T12:00:00", "2024-06-01T13:00:00"),
        ("plain", "2024-06-01T23:30:00", "2024-06-02T00:30:00"),
        ("winter", "1969-12-31T23:00:00", "1970-01-01T00:30:00"),
    ]
    out = []
    for n, (case, start, end) in enumerate(stamps):
        if zoned_share and n % zoned_share == 0:
            start, end = start + "+01:00", end + "Z"
        out.append(
            {
                "case:concept:name": case,
                "concept:name": f"A{n}",
                "org:group": f"u{n % 3}",
                "start_timestamp": start,
                "time:timestamp": end,
            }
        )
    return out


@pytest.mark.parametrize("zone", ["Europe/Berlin", "America/New_York", "UTC", "Asia/Kolkata"])
@pytest.mark.parametrize("zoned_share", [0, 3])
def test_timezone_is_identical(tmp_path: Path, zone: str, zoned_share: int) -> None:
    log = write_csv(tmp_path / "dst.csv", _dst_rows(zoned_share))
    request = LogRequest(str(log), Columns(), None, None, None, None, zone)
    assert measure_log(request, None, engine="duckdb").engine == "duckdb"
    _same(log, tmp_path, "--timezone", zone)
    lifecycle = write_csv(tmp_path / "life.csv", _lifecycle_rows(""))
    _same(lifecycle, tmp_path, "--timezone", zone)


def test_timezone_by_hand(tmp_path: Path) -> None:
    # In Berlin, 02:30 on 31 March 2024 does not exist: Python (fold 0) reads it with the
    # offset before the change (+01:00), 01:30 UTC; 03:10 is +02:00, 01:10 UTC: a work of
    # -20 minutes (work is end - start, as measured)
    log = write_csv(tmp_path / "dst.csv", _dst_rows())
    request = LogRequest(str(log), Columns(), None, None, None, None, "Europe/Berlin")
    for engine in ("python", "duckdb"):
        measured = measure_log(request, None, engine=engine)
        works = {s.activity: s.work.median for v in measured.variants for s in v.steps if s.work}
        assert works["A0"] == 29 * 60 + 59
        assert works["A1"] == -20 * 60  # 02:30 (+01:00) to 03:10 (+02:00)
        assert works["A2"] == 30 * 60 + 0.5
        # 27 October, 01:30 (+02:00) to 02:15, read as +02:00 (fold 0): 45 min
        assert works["A3"] == 45 * 60
        assert works["A4"] == pytest.approx(15 * 60 - 0.000001, abs=1e-7)
        assert works["A5"] == 30 * 60
    mixed = write_csv(tmp_path / "mixed.csv", _dst_rows(3))
    result = run_main("import", "eventlog", mixed, "-o", tmp_path / "x.json", "--engine", "duckdb")
    assert result.returncode == 2 and "--timezone" in result.stderr


def test_logs_it_does_not_take_fall_back_to_the_standard_library(tmp_path: Path) -> None:
    odd = tmp_path / "odd.csv"  # a layout only Python's fromisoformat reads
    odd.write_text(
        "case:concept:name,concept:name,org:group,time:timestamp\n"
        "1,A,u1,2024-01-01T09:00\n1,B,u2,2024-01-01T10:00\n",
        encoding="utf-8",
    )
    for log in (odd,):
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
    no_day = tmp_path / "no_day.csv"  # the layout, not a date: only one of the two is bad
    no_day.write_text(
        "case:concept:name,concept:name,org:group,start_timestamp,time:timestamp\n"
        "1,A,u1,2024-02-28T09:00:00,2024-02-30T09:00:00\n",
        encoding="utf-8",
    )
    result = run_main("import", "eventlog", no_day, "-o", tmp_path / "x.json", "--engine", "duckdb")
    assert result.returncode == 2 and "no_day.csv:2:5" in result.stderr, result.stderr
    assert not (tmp_path / "x.json").exists()


def test_xes_logs_are_identical(tmp_path: Path) -> None:
    data, _ = rows()
    for n, row in enumerate(data):
        if n % 5 == 0:
            del row["start_timestamp"]
    log = write_xes(tmp_path / "log.xes", data)
    assert _engine(log) == "duckdb"
    _same(log, tmp_path)
    _same(log, tmp_path, "--unit", "org:resource")
    _same(log, tmp_path, "--top", "2", "--period", "week")


def test_xes_with_an_empty_value_is_left_to_the_standard_library(tmp_path: Path) -> None:
    data, _ = rows()
    log = write_xes(tmp_path / "log.xes", data)
    text = log.read_text(encoding="utf-8")
    empty = '<event><string key="lifecycle:transition" value=""/>'
    log.write_text(text.replace("<event>", empty, 1), encoding="utf-8")
    assert _engine(log) == "python"
    _same(log, tmp_path)


def test_xes_read_tag_by_tag_or_by_expat_is_identical(tmp_path: Path) -> None:
    data, _ = rows()
    log = write_xes(tmp_path / "log.xes", data)
    text = log.read_text(encoding="utf-8")
    # every third trace read tag by tag (the fast reader takes "<event>" only in bulk)
    traces = text.split("<trace>")
    for n in range(1, len(traces), 3):
        traces[n] = traces[n].replace("\n<event>", "\n<event >")
    mixed = "<trace>".join(traces).replace('value="A', 'value="&#65;', 1)
    assert mixed != text
    log.write_text(mixed, encoding="utf-8")
    assert read_fast_text(str(log), Columns()) is not None
    assert _engine(log) == "duckdb"
    _same(log, tmp_path)
    # a comment among the events: expat reads the whole file
    log.write_text(mixed.replace("<event>", "<!-- c --><event>", 1), encoding="utf-8")
    assert read_fast_text(str(log), Columns()) is None
    assert _engine(log) == "duckdb"
    _same(log, tmp_path)
    _same(log, tmp_path, "--unit", "org:resource")


def test_variant_keys_cases_and_handovers_by_hand(tmp_path: Path) -> None:
    """Steps in another order, a kind repeated and a longer case are other variants; the
    cases, the overlaps and the handovers are counted as worked out by hand."""
    steps = {
        "c1": [("A", "u1"), ("B", "u2")],
        "c2": [("B", "u2"), ("A", "u1")],
        "c3": [("A", "u1"), ("B", "u2")],
        "c4": [("A", "u1"), ("A", "u1"), ("B", "u2")],
        "c5": [("A", "u1"), ("B", "u2"), ("A", "u1")],
    }
    data = [
        {
            "case:concept:name": case,
            "concept:name": activity,
            "org:group": unit,
            "start_timestamp": f"2024-01-01T{9 + n:02d}:00:00",
            "time:timestamp": f"2024-01-01T{9 + n:02d}:30:00",
        }
        for case, kinds in steps.items()
        for n, (activity, unit) in enumerate(kinds)
    ]
    # c5's last step starts before its previous one ends: one overlap
    data[-1]["start_timestamp"] = "2024-01-01T10:15:00"
    data[-1]["time:timestamp"] = "2024-01-01T11:30:00"
    log = write_csv(tmp_path / "log.csv", data)
    request = LogRequest(str(log), Columns(), None, None, None, None, None)
    measured = measure_log(request, None, engine="duckdb")
    assert measured.engine == "duckdb"
    assert (measured.cases, measured.events, measured.overlaps) == (5, 12, 1)
    assert measured.units == ["u1", "u2"]
    found = {v.key: v.cases for v in measured.variants}
    assert found == {
        (("A", "u1"), ("B", "u2")): ("c1", "c3"),
        (("B", "u2"), ("A", "u1")): ("c2",),
        (("A", "u1"), ("A", "u1"), ("B", "u2")): ("c4",),
        (("A", "u1"), ("B", "u2"), ("A", "u1")): ("c5",),
    }
    # pairs: c1, c3 u1>u2; c2 u2>u1; c4 u1>u1, u1>u2; c5 u1>u2, u2>u1
    assert measured.handover.pairs == {("u1", "u1"): 1, ("u1", "u2"): 4, ("u2", "u1"): 2}
    _same(log, tmp_path)
