"""Optional cross-check: the handover matrix equals pm4py's handover-of-work network.

pm4py is AGPL-licensed, so orgmodel never depends on it; this test runs only where it is
installed (``pip install pm4py``) and is skipped otherwise.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import run_main
from eventlog_gen import rows, write_csv

pm4py = pytest.importorskip("pm4py", reason="pm4py is not installed (optional cross-check)")
pd = pytest.importorskip("pandas")


def test_handover_equals_pm4py(tmp_path: Path) -> None:
    data, _ = rows()
    for row in data:  # complete events only: one event per activity instance, as pm4py sees
        del row["start_timestamp"]
    log = write_csv(tmp_path / "log.csv", data)
    result = run_main("import", "eventlog", log, "-o", tmp_path / "out.json", "--format", "json")
    assert result.returncode == 0, result.stderr
    handover = json.loads(result.stdout)["handover"]
    ours = {(p["from"], p["to"]): p["count"] for p in handover["pairs"]}
    ours.update({(p["unit"], p["unit"]): p["count"] for p in handover["self"]})
    frame = pd.read_csv(log)
    frame["time:timestamp"] = pd.to_datetime(frame["time:timestamp"], utc=True)
    frame = pm4py.format_dataframe(frame)
    network = pm4py.discover_handover_of_work_network(frame, resource_key="org:group")
    theirs = {k: v * handover["total_pairs"] for k, v in network.connections.items() if v}
    assert set(theirs) == set(ours)
    for key, value in ours.items():
        assert theirs[key] == pytest.approx(value)
