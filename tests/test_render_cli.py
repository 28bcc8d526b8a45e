"""``orgmodel render``: formats, --all, exit codes, stdout discipline, Graphviz handling."""

from __future__ import annotations

import json
import os
import shutil
import stat
import struct
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_views import requires_graphviz, targets

from orgmodel.graph import build_enterprise
from orgmodel.loader import load_text
from orgmodel.views import VIEWS, ViewContext, ViewOptions, render
from orgmodel.views.backend import GraphvizFailed, GraphvizMissing, run_graphviz

ROOT = Path(__file__).resolve().parent.parent
CURRENT = ROOT / "examples" / "telecom" / "current.json"


def run_without_graphviz(*args: str | os.PathLike, tmp_path: Path) -> subprocess.CompletedProcess:
    """Run the CLI with a PATH that holds no Graphviz program (the real fallback path)."""
    empty = tmp_path / "empty-bin"
    empty.mkdir(exist_ok=True)
    env = {"PATH": str(empty), "PYTHONPATH": str(ROOT), "HOME": str(tmp_path)}
    return subprocess.run(
        [sys.executable, "-m", "orgmodel", *map(str, args)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_render_writes_the_format_of_the_suffix(tmp_path: Path) -> None:
    for suffix, start in (
        (".dot", "// orgmodel"),
        (".gv", "// orgmodel"),
        (".mmd", "%% orgmodel"),
        (".svg", "<?xml"),
    ):
        out = tmp_path / f"chart{suffix}"
        done = run_cli("render", CURRENT, "--view", "orgchart", "-o", out)
        assert done.returncode == 0, done.stderr
        assert done.stdout == ""  # nothing on stdout when writing a file
        assert out.read_text(encoding="utf-8").startswith(start)
        assert f"wrote {out}" in done.stderr


def test_render_to_stdout_and_format_option(tmp_path: Path) -> None:
    done = run_cli("render", CURRENT, "--view", "matrix", "--format", "mmd")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("%% Silo matrix")
    svg = run_cli("render", CURRENT, "--view", "overlay")  # svg by default
    ET.fromstring(svg.stdout.encode())
    out = tmp_path / "x.txt"
    assert (
        run_cli("render", CURRENT, "--view", "orgchart", "-o", out, "--format", "dot").returncode
        == 0
    )
    assert out.read_text().startswith("// orgmodel")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--view", "orgchart", "-o", "x.unknown"], "cannot tell the format"),
        ([], "either --view VIEW or --all"),
        (["--view", "orgchart", "--all", "-o", "d"], "either --view VIEW or --all"),
        (["--all"], "--all needs -o DIR"),
        (["--view", "journey"], "needs --journey"),
        (["--view", "journey", "--journey", "invoice-questoin"], "did you mean 'invoice-question'"),
        (["--view", "orgchart", "--root", "salse"], "did you mean 'sales'"),
        (["--view", "nope"], "Invalid value for '--view'"),
    ],
)
def test_usage_errors_exit_2(args: list[str], message: str, tmp_path: Path) -> None:
    done = run_cli("render", CURRENT, *args, cwd=tmp_path)
    assert done.returncode == 2
    assert message in done.stderr
    assert done.stdout == ""
    assert not list(tmp_path.iterdir())


def test_invalid_document_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"orgmodel": "1", "name": "x", "units": []}')
    done = run_cli("render", bad, "--view", "orgchart", "-o", tmp_path / "o.svg")
    assert done.returncode == 2
    assert not (tmp_path / "o.svg").exists()


def test_all_writes_one_file_per_view_and_journey(tmp_path: Path) -> None:
    out = tmp_path / "diagrams"
    done = run_cli("render", CURRENT, "--all", "-o", out, "--format", "mmd")
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    ctx = ViewContext(build_enterprise(load_text(CURRENT.read_text())))
    expected = {"orgchart.mmd", "overlay.mmd", "matrix.mmd"} | {
        f"journey-{j}.mmd" for j in ctx.enterprise.journeys
    }
    assert {p.name for p in out.iterdir()} == expected


def test_svg_without_graphviz_for_real(tmp_path: Path) -> None:
    """On a machine without Graphviz every view still renders to SVG."""
    out = tmp_path / "all"
    done = run_without_graphviz("render", CURRENT, "--all", "-o", out, tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    files = sorted(out.glob("*.svg"))
    assert len(files) == 3 + 4
    for f in files:
        ET.fromstring(f.read_bytes())
    assert "(builtin)" in done.stderr
    forced = run_without_graphviz(
        "render",
        CURRENT,
        "--view",
        "orgchart",
        "--engine",
        "graphviz",
        "-o",
        tmp_path / "g.svg",
        tmp_path=tmp_path,
    )
    assert forced.returncode == 2 and "graphviz" in forced.stderr.lower()


@pytest.mark.parametrize("fmt", ["png", "pdf"])
def test_png_pdf_come_from_the_builtin_svg_without_graphviz(fmt: str, tmp_path: Path) -> None:
    target = tmp_path / f"chart.{fmt}"
    done = run_without_graphviz(
        "render", CURRENT, "--view", "overlay", "-o", target, tmp_path=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert "(builtin)" in done.stderr
    assert target.read_bytes().startswith({"png": b"\x89PNG", "pdf": b"%PDF"}[fmt])


def test_png_is_the_picture_of_the_svg(tmp_path: Path) -> None:
    ctx = ViewContext(build_enterprise(load_text(CURRENT.read_text())))
    svg = ET.fromstring(render(ctx, "overlay", "svg").data)
    png = render(ctx, "overlay", "png").data
    width, height = struct.unpack(">II", png[16:24])
    assert (width, height) == (
        round(float(svg.get("width", 0))),
        round(float(svg.get("height", 0))),
    )


@pytest.mark.parametrize("fmt", ["png", "pdf"])
def test_graphviz_engine_without_graphviz_names_the_package_and_exit_2(
    fmt: str, tmp_path: Path
) -> None:
    target = tmp_path / f"chart.{fmt}"
    target.write_bytes(b"previous")
    done = run_without_graphviz(
        "render",
        CURRENT,
        "--view",
        "orgchart",
        "-o",
        target,
        "--engine",
        "graphviz",
        tmp_path=tmp_path,
    )
    assert done.returncode == 2
    assert "graphviz" in done.stderr and "apt-get install graphviz" in done.stderr
    assert "--engine builtin" in done.stderr and "--format svg" not in done.stderr
    assert target.read_bytes() == b"previous"  # a failed render leaves the old file alone
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".chart")] == []


@requires_graphviz
@pytest.mark.parametrize("view", ["orgchart", "overlay", "journey", "matrix"])
@pytest.mark.parametrize("fmt", ["png", "pdf", "svg"])
def test_graphviz_formats(view: str, fmt: str, tmp_path: Path) -> None:
    out = tmp_path / f"v.{fmt}"
    args = ["--journey", "invoice-question"] if view == "journey" else []
    done = run_cli("render", CURRENT, "--view", view, *args, "-o", out, "--engine", "graphviz")
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    data = out.read_bytes()
    magic = {"png": b"\x89PNG", "pdf": b"%PDF", "svg": b"<?xml"}[fmt]
    assert data.startswith(magic)
    if fmt == "svg":
        root = ET.fromstring(data)
        titles = {t.text for t in root.iter("{http://www.w3.org/2000/svg}title")}
        if view == "orgchart":
            ctx = ViewContext(build_enterprise(load_text(CURRENT.read_text())))
            assert {f"unit:{u}" for u in ctx.enterprise.units} <= titles


def fake_graphviz(tmp_path: Path, script: str) -> Path:
    folder = tmp_path / "bin"
    folder.mkdir(exist_ok=True)
    for name in ("dot", "neato"):
        exe = folder / name
        exe.write_text(f"#!/bin/sh\n{script}\n")
        exe.chmod(exe.stat().st_mode | stat.S_IXUSR)
    return folder


def test_graphviz_runs_with_a_timeout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sleep = shutil.which("sleep")
    pid = tmp_path / "pid"
    monkeypatch.setenv("PATH", str(fake_graphviz(tmp_path, f"echo $$ > {pid}; exec {sleep} 30")))
    started = time.monotonic()
    with pytest.raises(GraphvizFailed, match=r"did not finish within 0\.5 s"):
        run_graphviz("digraph {}", ("dot",), "svg", timeout=0.5)
    assert time.monotonic() - started < 10
    with pytest.raises(ProcessLookupError):  # ended and reaped
        os.kill(int(pid.read_text()), 0)


def test_graphviz_runs_through_the_graphviz_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The package's command line: ``dot -K<engine> -T<format> [-n2]``, DOT on stdin."""
    cat = shutil.which("cat")
    monkeypatch.setenv("PATH", str(fake_graphviz(tmp_path, f'echo "$0 $@"; {cat}')))
    out = run_graphviz("digraph { a }", ("neato", "-n2"), "png").decode()
    assert out.splitlines()[0].endswith("/dot -Kneato -Tpng -n2")
    assert out.splitlines()[1] == "digraph { a }"
    assert (
        run_graphviz("graph {}", ("dot",), "svg")
        .decode()
        .split("\n")[0]
        .endswith("/dot -Kdot -Tsvg")
    )
    monkeypatch.setenv("PATH", str(tmp_path / "nowhere"))
    with pytest.raises(GraphvizMissing, match="`neato` program"):
        run_graphviz("digraph {}", ("neato", "-n2"), "pdf")


def test_graphviz_failure_falls_back_in_auto_and_fails_when_forced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture
) -> None:
    monkeypatch.setenv(
        "PATH", str(fake_graphviz(tmp_path, "echo '<svg>junk' ; echo boom >&2 ; exit 3"))
    )
    ctx = ViewContext(build_enterprise(load_text(CURRENT.read_text())))
    with pytest.raises(GraphvizFailed, match="boom"):
        render(ctx, "orgchart", "svg", engine="graphviz")
    with pytest.raises(GraphvizFailed):
        render(ctx, "orgchart", "png", engine="graphviz")
    out, err = capfd.readouterr()
    assert out == "" and err == ""  # Graphviz's output never reaches our stdout or stderr
    monkeypatch.setenv("PATH", str(tmp_path / "nowhere"))
    with pytest.raises(GraphvizMissing):
        render(ctx, "matrix", "pdf", engine="graphviz")


def test_rendering_in_process_writes_nothing_to_stdout(capfd: pytest.CaptureFixture) -> None:
    ctx = ViewContext(build_enterprise(load_text(CURRENT.read_text())))
    for view, journey in targets(ctx):
        for fmt in ("dot", "mmd", "svg"):
            render(ctx, view, fmt, ViewOptions(journey=journey))
    out, err = capfd.readouterr()
    assert out == "" and err == ""


# -- property: every valid document renders every view ----------------------------------

NAMES = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=12
).filter(lambda s: s.strip() != "")
IDS = st.text("abcdefghijklmnopqrstuvwxyz0123456789-_.:<>&\"'é😀", min_size=1, max_size=6)


@st.composite
def documents(draw: st.DrawFn) -> dict:
    count = draw(st.integers(1, 14))
    ids = draw(st.lists(IDS, min_size=count, max_size=count, unique=True))
    units = []
    for i, ident in enumerate(ids):
        unit: dict = {
            "id": ident,
            "name": draw(NAMES),
            "layer": draw(st.sampled_from(["functional", "customer", "market"])),
        }
        if i:
            unit["parent"] = ids[draw(st.integers(0, i - 1))]
        if draw(st.booleans()):
            unit["head"] = draw(NAMES)
            unit["headcount"] = draw(st.integers(0, 500))
        if i and draw(st.integers(0, 4)) == 0:
            other = ids[draw(st.integers(0, count - 1))]
            if other != ident:
                unit["lines"] = [{"to": other, "kind": draw(st.sampled_from(["dotted", "matrix"]))}]
        units.append(unit)
    doc: dict = {"orgmodel": "1", "name": draw(NAMES), "units": units}
    taken = set(ids)
    if draw(st.booleans()):
        doc["positions"] = [
            {"id": "pos-a", "title": draw(NAMES), "unit": ids[0]},
            {
                "id": "pos-b",
                "title": draw(NAMES),
                "unit": ids[-1],
                "reports_to": "pos-a",
                "staff": True,
            },
        ]
        taken |= {"pos-a", "pos-b"}
    if count > 1 and draw(st.booleans()):
        doc["services"] = [
            {"id": "svc-1", "name": draw(NAMES), "provider": ids[-1], "consumer": ids[0]}
        ]
    journeys = []
    for k in range(draw(st.integers(0, 3))):
        steps = [
            {
                "name": draw(NAMES),
                "unit": ids[draw(st.integers(0, count - 1))],
                "touchpoint": draw(st.booleans()),
                "wait": draw(st.sampled_from(["0", "15m", "2d"])),
                "value_adding": draw(st.booleans()),
            }
            for _ in range(draw(st.integers(1, 6)))
        ]
        journey = {"id": f"journey-{k}", "name": draw(NAMES), "steps": steps}
        if draw(st.booleans()):
            journey["owner"] = ids[draw(st.integers(0, count - 1))]
        journeys.append(journey)
    if journeys and not taken & {j["id"] for j in journeys}:
        doc["journeys"] = journeys
    return doc


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_every_valid_document_renders_every_view(doc: dict) -> None:
    text = json.dumps(doc)
    first = ViewContext(build_enterprise(load_text(text)))
    second = ViewContext(build_enterprise(load_text(text)))
    for view, journey in targets(first):
        for fmt in ("dot", "mmd"):
            a = render(first, view, fmt, ViewOptions(journey=journey)).data
            b = render(second, view, fmt, ViewOptions(journey=journey)).data
            assert a == b
            a.decode("utf-8")
        ET.fromstring(
            render(first, view, "svg", ViewOptions(journey=journey), engine="builtin").data
        )
    assert set(VIEWS) <= {v for v, _ in targets(first)} | {"journey"}


def test_blank_labels_render(tmp_path: Path) -> None:
    """A role or channel of blanks is valid; every view draws it as empty text."""
    data = json.loads(CURRENT.read_text(encoding="utf-8"))
    for step in data["journeys"][0]["steps"]:
        step["role"] = "   "
        if step.get("touchpoint"):
            step["channel"] = "  "
    doc = tmp_path / "blank.json"
    doc.write_text(json.dumps(data), encoding="utf-8")
    result = run_cli("render", doc, "--all", "-o", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out").is_dir() and any((tmp_path / "out").glob("journey*.svg"))
