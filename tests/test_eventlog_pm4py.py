"""Optional cross-check: the handover matrix equals pm4py's handover-of-work network.

pm4py is AGPL-licensed, so orgmodel never depends on it; this test runs only where it is
installed (``pip install pm4py``) and is skipped otherwise.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from conftest import run_main
from eventlog_gen import rows, write_csv, write_xes

pm4py = pytest.importorskip("pm4py", reason="pm4py is not installed (optional cross-check)")
pd = pytest.importorskip("pandas")


ENGINES = ["python"] + (["duckdb"] if importlib.util.find_spec("duckdb") else [])


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("kind", ["csv", "xes"])
def test_handover_equals_pm4py(tmp_path: Path, kind: str, engine: str) -> None:
    """The same log as CSV (read by pandas for pm4py) and as XES (read by pm4py's
    read_xes), imported by each engine."""
    data, _ = rows()
    for row in data:  # complete events only: one event per activity instance, as pm4py sees
        del row["start_timestamp"]
    if kind == "csv":
        log = write_csv(tmp_path / "log.csv", data)
        frame = pd.read_csv(log)
        frame["time:timestamp"] = pd.to_datetime(frame["time:timestamp"], utc=True)
        frame = pm4py.format_dataframe(frame)
    else:
        log = write_xes(tmp_path / "log.xes", data)
        frame = pm4py.format_dataframe(pm4py.read_xes(str(log)))  # ordered by time as ours
    result = run_main(
        "import",
        "eventlog",
        log,
        "-o",
        tmp_path / "out.json",
        "--format",
        "json",
        "--engine",
        engine,
    )
    assert result.returncode == 0, result.stderr
    handover = json.loads(result.stdout)["handover"]
    ours = {(p["from"], p["to"]): p["count"] for p in handover["pairs"]}
    ours.update({(p["unit"], p["unit"]): p["count"] for p in handover["self"]})
    network = pm4py.discover_handover_of_work_network(frame, resource_key="org:group")
    theirs = {k: v * handover["total_pairs"] for k, v in network.connections.items() if v}
    assert set(theirs) == set(ours)
    for key, value in ours.items():
        assert theirs[key] == pytest.approx(value)
