"""`orgmodel import eventlog`: journeys, volumes, work and waits of a generated log, the
handover matrix, the shared real logs, and every kind of bad input."""

from __future__ import annotations

import csv
import gzip
import json
from collections import Counter, defaultdict
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, run_main
from eventlog_gen import VARIANTS, rows, write_csv

from orgmodel import load_text
from orgmodel.durations import parse_duration
from orgmodel.eventlog.variants import PERIOD_SECONDS

SHARED = ROOT.parent / "shared" / "data" / "eventlogs"
SHARED_COLUMNS = [
    "--case",
    "case_id",
    "--activity",
    "Activity",
    "--start",
    "start_time",
    "--end",
    "end_time",
    "--unit",
    "Resource",
]


def _import(log: Path, out: Path, *args: str) -> tuple[Any, dict[str, Any]]:
    result = run_main("import", "eventlog", log, "-o", out, "--format", "json", *args)
    assert result.returncode == 0, result.stderr
    return json.loads(out.read_text(encoding="utf-8")), json.loads(result.stdout)


@pytest.fixture
def generated(tmp_path: Path) -> tuple[Path, float]:
    data, span = rows()
    return write_csv(tmp_path / "log.csv", data), span


def test_generated_log_gives_the_variants_volumes_work_and_waits(
    generated: tuple[Path, float], tmp_path: Path
) -> None:
    log, span = generated
    document, summary = _import(log, tmp_path / "out.json")
    load_text(json.dumps(document))
    assert summary["variants"] == 3 and summary["cases"] == 20
    journeys = document["journeys"]
    assert [j["id"] for j in journeys] == ["variant-1", "variant-2", "variant-3"]
    for journey, (steps, count) in zip(journeys, VARIANTS, strict=True):
        assert journey["volume"] == pytest.approx(
            count / (span / PERIOD_SECONDS["month"]), abs=1e-4
        )
        assert [s["name"] for s in journey["steps"]] == [s.activity for s in steps]
        assert [s["unit"] for s in journey["steps"]] == [s.unit for s in steps]
        assert [parse_duration(s.get("work", "0")) for s in journey["steps"]] == [
            s.work for s in steps
        ]
        assert [parse_duration(s.get("wait", "0")) for s in journey["steps"]] == [
            s.wait for s in steps
        ]
        assert "p90" in journey["description"] and "mean" in journey["description"]
    units = {u["id"]: u.get("parent") for u in document["units"]}
    assert units == {
        "organization": None,
        "front-office": "organization",
        "back-office": "organization",
        "legal": "organization",
    }


def test_handover_matrix_equals_a_direct_count(
    generated: tuple[Path, float], tmp_path: Path
) -> None:
    log, _ = generated
    _, summary = _import(log, tmp_path / "out.json")
    expected: Counter[tuple[str, str]] = Counter()
    for steps, count in VARIANTS:
        for a, b in pairwise(steps):
            expected[a.unit, b.unit] += count
    got = {(p["from"], p["to"]): p["count"] for p in summary["handover"]["pairs"]}
    got.update({(p["unit"], p["unit"]): p["count"] for p in summary["handover"]["self"]})
    assert got == dict(expected)
    assert summary["handover"]["total_pairs"] == sum(expected.values())
    assert summary["handover"]["handoffs"] == sum(n for (a, b), n in expected.items() if a != b)


def test_top_and_coverage_and_per_case(generated: tuple[Path, float], tmp_path: Path) -> None:
    log, _ = generated
    document, _ = _import(log, tmp_path / "a.json", "--top", "2")
    assert len(document["journeys"]) == 2
    document, summary = _import(log, tmp_path / "b.json", "--coverage", "60%")
    assert len(document["journeys"]) == 1 and summary["covered_cases"] == 12
    document, _ = _import(log, tmp_path / "c.json", "--per-case")
    assert len(document["journeys"]) == 20
    assert document["journeys"][0]["id"] == "case-c000"


def test_lifecycle_events_pair_and_complete_only_waits(tmp_path: Path) -> None:
    log = tmp_path / "life.csv"
    log.write_text(
        "case:concept:name,concept:name,org:group,time:timestamp,lifecycle:transition\n"
        "1,B,u2,2024-01-01T10:00:00,start\n"
        "1,A,u1,2024-01-01T09:10:00,complete\n"
        "1,A,u1,2024-01-01T09:00:00,start\n"
        "1,B,u2,2024-01-01T10:30:00,complete\n"
        "1,C,u2,2024-01-01T12:30:00,complete\n"
        "1,C,u2,2024-01-01T12:00:00,schedule\n",
        encoding="utf-8",
    )
    document, summary = _import(log, tmp_path / "out.json")
    steps = document["journeys"][0]["steps"]
    assert [(s["name"], s.get("work"), s.get("wait")) for s in steps] == [
        ("A", "10m", None),
        ("B", "30m", "50m"),
        ("C", None, "2h"),
    ]
    assert summary["skipped_lifecycle"] == {"schedule": 1}


def test_equal_timestamps_keep_file_order_and_single_event_cases(tmp_path: Path) -> None:
    log = tmp_path / "eq.csv"
    log.write_text(
        "case:concept:name,concept:name,org:group,time:timestamp\n"
        "1,Y,u1,2024-01-01T10:00:00Z\n"
        "1,X,u2,2024-01-01T10:00:00Z\n"
        "2,Z,u1,2024-01-02T10:00:00Z\n",
        encoding="utf-8",
    )
    document, summary = _import(log, tmp_path / "out.json")
    names = sorted([s["name"] for s in j["steps"]] for j in document["journeys"])
    assert names == [["Y", "X"], ["Z"]]
    assert summary["handover"]["pairs"] == [{"from": "u1", "to": "u2", "count": 1}]


def test_time_zones_are_honoured(tmp_path: Path) -> None:
    log = tmp_path / "tz.csv"
    log.write_text(
        "case:concept:name,concept:name,org:group,time:timestamp\n"
        "1,A,u1,2024-01-01T10:00:00+01:00\n"
        "1,B,u2,2024-01-01T09:30:00Z\n",
        encoding="utf-8",
    )
    document, _ = _import(log, tmp_path / "out.json")
    assert document["journeys"][0]["steps"][1]["wait"] == "30m"
    mixed = tmp_path / "mixed.csv"
    mixed.write_text(
        "case:concept:name,concept:name,org:group,time:timestamp\n"
        "1,A,u1,2024-01-01T10:00:00+01:00\n"
        "1,B,u2,2024-01-01T10:30:00\n",
        encoding="utf-8",
    )
    out = tmp_path / "mixed.json"
    result = run_main("import", "eventlog", mixed, "-o", out)
    assert result.returncode == 2 and "--timezone" in result.stderr and not out.exists()
    document, _ = _import(mixed, out, "--timezone", "Europe/Berlin")
    assert document["journeys"][0]["steps"][1]["wait"] == "30m"


def test_missing_resources_are_reported_not_dropped(tmp_path: Path) -> None:
    log = tmp_path / "res.csv"
    log.write_text(
        "case:concept:name,concept:name,org:resource,time:timestamp\n"
        "1,A,ann,2024-01-01T10:00:00\n"
        "1,B,,2024-01-01T11:00:00\n"
        "1,C,zed,2024-01-01T12:00:00\n",
        encoding="utf-8",
    )
    mapping = tmp_path / "map.json"
    mapping.write_text('{"ann": "Sales"}', encoding="utf-8")
    out = tmp_path / "out.json"
    result = run_main("import", "eventlog", log, "-o", out, "--mapping", mapping)
    assert result.returncode == 0, result.stderr
    assert "Events without a unit: 2" in result.stdout
    assert "(no resource) 1" in result.stdout and "zed 1" in result.stdout
    steps = json.loads(out.read_text())["journeys"][0]["steps"]
    assert [s["unit"] for s in steps] == ["sales", "unassigned", "unassigned"]


def test_resources_mapped_through_a_model(tmp_path: Path) -> None:
    model = tmp_path / "model.json"
    model.write_text(
        json.dumps(
            {
                "orgmodel": "1",
                "name": "M",
                "settings": {"volume_period": "week"},
                "units": [
                    {"id": "board", "name": "Board", "kind": "board"},
                    {"id": "sales", "name": "Sales", "parent": "board"},
                    {"id": "billing", "name": "Billing", "parent": "board"},
                ],
                "positions": [
                    {"id": "p1", "title": "Clerk", "unit": "sales", "holder": "Ann"},
                    {"id": "p2", "title": "Clerk", "unit": "billing"},
                ],
            }
        ),
        encoding="utf-8",
    )
    log = tmp_path / "log.csv"
    log.write_text(
        "case:concept:name,concept:name,org:resource,time:timestamp\n"
        "1,A,Ann,2024-01-01T10:00:00\n1,B,p2,2024-01-01T11:00:00\n"
        "1,C,nobody,2024-01-01T12:00:00\n",
        encoding="utf-8",
    )
    document, summary = _import(log, tmp_path / "out.json", "--model", model)
    assert [s["unit"] for s in document["journeys"][0]["steps"]] == [
        "sales",
        "billing",
        "unassigned",
    ]
    assert document["settings"]["volume_period"] == "week"
    assert summary["unassigned_by_resource"] == {"nobody": 1}
    assert {u["id"] for u in document["units"]} == {"board", "sales", "billing", "unassigned"}


BAD: list[tuple[str, str, list[str], str]] = [
    ("empty.csv", "", [], "empty file (0 bytes)"),
    (
        "header.csv",
        "case:concept:name,concept:name,org:group,time:timestamp\n",
        [],
        "header.csv:1:1: no events",
    ),
    (
        "semi.csv",
        "case:concept:name;concept:name;org:group;time:timestamp\n1;A;u;2024-01-01\n",
        [],
        "semi.csv:1:1: the header has a single column; the file seems delimited by ';'",
    ),
    (
        "cols.csv",
        "case,act,time:timestamp\n1,A,2024-01-01\n",
        [],
        "cols.csv:1:1: no column 'case:concept:name' for the case",
    ),
    (
        "time.csv",
        "case:concept:name,concept:name,org:group,time:timestamp\n1,A,u,yesterday\n",
        [],
        "time.csv:2:4: 'yesterday' is not an end timestamp",
    ),
    (
        "width.csv",
        "case:concept:name,concept:name,org:group,time:timestamp\n1,A,u\n",
        [],
        "width.csv:2:1: 3 fields, the header has 4",
    ),
    (
        "nocase.csv",
        "case:concept:name,concept:name,org:group,time:timestamp\n,A,u,2024-01-01\n",
        [],
        "nocase.csv:2:1: empty case id",
    ),
    (
        "nounit.csv",
        "case:concept:name,concept:name,time:timestamp\n1,A,2024-01-01\n",
        [],
        "no unit for the events",
    ),
    ("log.txt", "x", [], "unknown kind of event log"),
    ("missing.csv", None, [], "no such file"),  # type: ignore[list-item]
    ("bad.xes", "<log><trace><event>", [], "bad.xes:1:20: not well-formed XML"),
    (
        "dtd.xes",
        '<?xml version="1.0"?><!DOCTYPE log [<!ENTITY x SYSTEM "file:///etc/passwd">]><log/>',
        [],
        "declares a DTD or entities",
    ),
]


@pytest.mark.parametrize(("name", "text", "args", "message"), BAD, ids=[b[0] for b in BAD])
def test_bad_input_is_located_exit_2_nothing_written(
    tmp_path: Path, name: str, text: str | None, args: list[str], message: str
) -> None:
    log = tmp_path / name
    if text is not None:
        log.write_text(text, encoding="utf-8")
    out = tmp_path / "out.json"
    result = run_main("import", "eventlog", log, "-o", out, *args)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_xes_plain_and_gzipped(tmp_path: Path) -> None:
    data, _ = rows()
    events: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in data:
        events[row["case:concept:name"]].append(row)
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n<log xes.version="1.0" '
        'xmlns="http://www.xes-standard.org/">'
    ]
    for case, found in events.items():
        parts.append(f'<trace><string key="concept:name" value="{case}"/>')
        for row in found:
            parts.append(
                "<event>"
                + "".join(
                    f'<{"date" if "time" in k else "string"} key="{k}" value="{v}"/>'
                    for k, v in row.items()
                    if k != "case:concept:name"
                )
                + "</event>"
            )
        parts.append("</trace>")
    parts.append("</log>\n")
    xes = tmp_path / "log.xes"
    xes.write_text("\n".join(parts), encoding="utf-8")
    from_csv, _ = _import(write_csv(tmp_path / "log.csv", data), tmp_path / "csv.json")
    from_xes, _ = _import(xes, tmp_path / "xes.json")
    assert from_xes["journeys"] == [
        {**j, "description": j["description"].replace("log.csv", "log.xes")}
        for j in from_csv["journeys"]
    ]
    gz = tmp_path / "log.xes.gz"
    gz.write_bytes(gzip.compress(xes.read_bytes()))
    from_gz, _ = _import(gz, tmp_path / "gz.json")
    assert [j["steps"] for j in from_gz["journeys"]] == [j["steps"] for j in from_csv["journeys"]]


def _shared_logs() -> list[Path]:
    if not SHARED.is_dir():
        return []
    return sorted(p for p in SHARED.glob("*.csv") if not p.name.endswith("_expected.csv"))


def _sequential(log: Path) -> bool:
    """Whether no two events of a case overlap (there the definitions agree)."""
    by_case: dict[str, list[tuple[str, str]]] = defaultdict(list)
    with log.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            by_case[row["case_id"]].append((row["start_time"], row["end_time"]))
    for events in by_case.values():
        events.sort()
        if any(b[0] < a[1] for a, b in pairwise(events)):
            return False
    return True


@pytest.mark.skipif(
    not _shared_logs(),
    reason=f"the shared event logs are not at {SHARED} (clone the repo with shared/ beside it)",
)
@pytest.mark.parametrize("log", _shared_logs() or [Path("none")], ids=lambda p: p.name)
def test_shared_logs_waits_equal_the_expected_tables(log: Path, tmp_path: Path) -> None:
    """Per pair of consecutive events (source/target activity and resource), the waits
    summed over the cases equal the other tool's ``wt_total_seconds``, for the logs whose
    cases have no overlapping events (the definitions differ for overlapping ones)."""
    _, summary = _import(log, tmp_path / "out.json", *SHARED_COLUMNS)
    assert summary["cases"] > 0
    if not _sequential(log):
        pytest.skip(
            "overlapping events: the other tool's concurrency oracle pairs them "
            "differently (docs/eventlogs.md)"
        )
    from orgmodel.cli.eventlog_options import LogRequest, open_log
    from orgmodel.eventlog.reader import Columns
    from orgmodel.eventlog.variants import step_times

    columns = Columns("case_id", "Activity", "Resource", "Resource", "end_time", "start_time")
    eventlog = open_log(LogRequest(str(log), columns, None, None, None, None, None), None)
    measured: dict[tuple[str, str, str, str], list[float]] = defaultdict(list)
    for case in eventlog.cases.values():
        for (a, b), (_, wait, _) in zip(pairwise(case), step_times(case)[1:], strict=True):
            measured[a.activity, a.unit, b.activity, b.unit].append(wait)
    expected = {}
    with log.with_name(log.stem + "_expected.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            key = (
                row["source_activity"],
                row["source_resource"],
                row["target_activity"],
                row["target_resource"],
            )
            expected[key] = (float(row["frequency"]), float(row["wt_total_seconds"]))
    agreeing = {k: v for k, v in measured.items() if k[0] != k[2]}
    assert {k: (float(len(v)), sum(v)) for k, v in agreeing.items()} == expected


def test_parquet_equals_csv(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow", reason="pyarrow is not installed (orgmodel[logs])")
    import pyarrow.parquet as pq

    data, _ = rows()
    table = pa.table({k: [r[k] for r in data] for k in data[0]})
    pq.write_table(table, tmp_path / "log.parquet")
    from_csv, _ = _import(write_csv(tmp_path / "log.csv", data), tmp_path / "csv.json")
    from_pq, _ = _import(tmp_path / "log.parquet", tmp_path / "pq.json")
    assert [j["steps"] for j in from_pq["journeys"]] == [j["steps"] for j in from_csv["journeys"]]
    assert [j["volume"] for j in from_pq["journeys"]] == [j["volume"] for j in from_csv["journeys"]]


def test_a_damaged_gzip_log_is_a_clean_error(tmp_path: Path) -> None:
    """A gzip stream damaged in the middle raises zlib's own error, not an OSError: it is
    reported as an unreadable file (exit 2, nothing written), not as an internal error."""
    data, _ = rows()
    text = write_csv(tmp_path / "log.csv", data * 20).read_bytes()
    damaged = bytearray(gzip.compress(text))
    for i in range(len(damaged) // 2, len(damaged) // 2 + 64):
        damaged[i] ^= 0x55
    log = tmp_path / "log.csv.gz"
    log.write_bytes(bytes(damaged))
    out = tmp_path / "out.json"
    result = run_main("import", "eventlog", log, "-o", out, "--engine", "python")
    assert result.returncode == 2, result.stderr
    assert "log.csv.gz: cannot be read:" in result.stderr
    assert "internal error" not in result.stderr and not out.exists()
