"""Every output is the same bytes in two processes with different hash seeds.

Set and dict order of strings depends on ``PYTHONHASHSEED``; an output that iterates a set
somewhere would differ between runs although it looks stable within one process. So each
output is made in two fresh interpreters with different seeds, and compared.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys

import pytest
from conftest import ROOT

#: Runs in a fresh interpreter: every output of the examples, as {name: sha256}.
SCRIPT = r"""
import hashlib, json, sys
from datetime import date
from pathlib import Path
sys.path.insert(0, "tests")
from orgmodel import app
from orgmodel.app import AnalyzeRequest, CheckRequest, DiffRequest, LoadRequest
from orgmodel.output import ANALYSIS_FORMATS, CHECK_FORMATS, DIFF_FORMATS
from orgmodel.views import VIEWS, ViewContext, ViewOptions, render
from test_check_scenario import scenario_check, scenario_diff

out = {}
def put(name, text):
    data = text if isinstance(text, bytes) else text.encode()
    out[name] = hashlib.sha256(data).hexdigest()

examples = sorted(Path("examples").glob("*/*.json"))
loaded = app.load(LoadRequest(tuple(map(str, examples)), with_config=False))
for source in loaded.sources:
    report = app.analyze(AnalyzeRequest(source))
    for fmt, fn in ANALYSIS_FORMATS.items():
        put(f"analyze {source.name} {fmt}", fn(report))
    ctx = ViewContext(app.build(source.document))
    for view, module in VIEWS.items():
        journeys = [j.id for j in source.document.journeys] if module.per_journey else [None]
        for journey in journeys:
            for fmt in ("dot", "mmd", "svg"):
                result = render(ctx, view, fmt, ViewOptions(journey=journey), "builtin", 10)
                put(f"render {source.name} {view} {journey} {fmt}", result.data)
    graph = app.build(source.document).graph
    put(f"graph {source.name}", json.dumps([list(graph.nodes), [list(e) for e in graph.edges]]))
by_name = {s.name: s for s in loaded.sources}
current = by_name["examples/telecom/current.json"]
for name in ("proposed", "tidy"):
    proposal = by_name[f"examples/telecom/{name}.json"]
    diff = app.diff(DiffRequest(current, proposal))
    for fmt, fn in DIFF_FORMATS.items():
        put(f"diff {name} {fmt}", fn(diff))
    result = app.check(CheckRequest(proposal, current, today=date(2030, 1, 1)))
    for fmt, fn in CHECK_FORMATS.items():
        put(f"check {name} {fmt}", fn(result))
for fmt, fn in CHECK_FORMATS.items():
    put(f"check scenario {fmt}", fn(scenario_check()))
for fmt, fn in DIFF_FORMATS.items():
    put(f"diff scenario {fmt}", fn(scenario_diff()))
print(json.dumps(out))
"""


def outputs(seed: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "ORGMODEL_"))}
    env["PYTHONHASHSEED"] = seed
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, str] = json.loads(done.stdout)
    return result


@pytest.fixture(scope="module")
def two_runs() -> tuple[dict[str, str], dict[str, str]]:
    return outputs("1"), outputs("2718281")


def test_the_runs_cover_every_kind_of_output(
    two_runs: tuple[dict[str, str], dict[str, str]],
) -> None:
    first, _ = two_runs
    kinds = {name.split()[0] for name in first}
    assert kinds == {"analyze", "render", "graph", "diff", "check"}
    assert len(first) > 100


def test_every_output_is_the_same_under_another_hash_seed(
    two_runs: tuple[dict[str, str], dict[str, str]],
) -> None:
    first, second = two_runs
    assert first.keys() == second.keys()
    differ = sorted(name for name in first if first[name] != second[name])
    assert not differ, f"outputs that depend on the hash seed: {differ}"
    assert hashlib.sha256(json.dumps(first, sort_keys=True).encode()).hexdigest() == (
        hashlib.sha256(json.dumps(second, sort_keys=True).encode()).hexdigest()
    )
