"""Pictures a board can read (issue 16): geometric checks on the built-in SVG.

Each test would fail if its defect came back: lines under boxes they do not join, a
legend outside the canvas, step names cut, heat-map cells that do not tell covered from
uncovered crossings, dotted lines dropped by --root, labels cut in a large chart.
"""

from __future__ import annotations

import itertools
import json
import math
import random
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import doc, run_main
from conftest import unit as unit_of

from orgmodel.graph import build_enterprise
from orgmodel.loader import load_document, load_text
from orgmodel.views import ViewContext, ViewOptions, render
from orgmodel.views.orgchart_layout import NEAR
from orgmodel.views.svg import text_width

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*/*.json"))
NS = "{http://www.w3.org/2000/svg}"
Box = tuple[float, float, float, float]


def svg_of(path: Path | ViewContext, view: str, **options: object) -> ET.Element:
    ctx = (
        path
        if isinstance(path, ViewContext)
        else ViewContext(build_enterprise(load_document(path)))
    )
    data = render(
        ctx,
        view,
        "svg",
        ViewOptions(**options),  # type: ignore[arg-type]
        engine="builtin",
    ).data
    return ET.fromstring(data)


def points_of(d: str) -> list[tuple[float, float]]:
    """The vertices of path data made of M, L, H and V (absolute) commands."""
    out: list[tuple[float, float]] = []
    x = y = 0.0
    for cmd, args in re.findall(r"([MLHV])([^MLHVCQZmlhvcqz]*)", d):
        values = [float(v) for v in re.findall(r"-?[\d.]+", args)]
        if cmd in "ML":
            x, y = values[0], values[1]
        elif cmd == "H":
            x = values[0]
        else:
            y = values[0]
        out.append((x, y))
    assert not re.search(r"[CQASTcqast]", d), f"not a polyline: {d}"
    return out


def crosses(a: tuple[float, float], b: tuple[float, float], box: Box) -> bool:
    """True when segment a-b passes through the inside of ``box`` (x, y, w, h)."""
    x, y, w, h = box
    x0, x1 = sorted((a[0], b[0]))
    y0, y1 = sorted((a[1], b[1]))
    return x0 < x + w - 0.5 and x1 > x + 0.5 and y0 < y + h - 0.5 and y1 > y + 0.5


def unit_boxes(root: ET.Element) -> dict[str, Box]:
    out = {}
    for g in root.iter(f"{NS}g"):
        if g.get("class") == "unit":
            r = g.find(f"{NS}rect")
            assert r is not None
            out[g.get("data-id", "")] = (
                float(r.get("x", 0)),
                float(r.get("y", 0)),
                float(r.get("width", 0)),
                float(r.get("height", 0)),
            )
    return out


# -- 1: no line under a box it does not join --------------------------------------------


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: f"{p.parent.name}-{p.stem}")
def test_overlay_lines_do_not_pass_under_other_boxes(path: Path) -> None:
    root = svg_of(path, "overlay")
    boxes = unit_boxes(root)
    lines: list[tuple[str, str, list[tuple[float, float]]]] = []
    reports = next(g for g in root.iter(f"{NS}g") if g.get("class") == "reports")
    for p in reports.iter(f"{NS}path"):
        pts = points_of(p.get("d", ""))
        ends = [
            u
            for u, (x, y, w, h) in boxes.items()
            for px, py in (pts[0], pts[-1])
            if x <= px <= x + w and y - 1 <= py <= y + h + 1
        ]
        lines.append(("report", " ".join(ends), pts))
    for g in root.iter(f"{NS}g"):
        if g.get("class") == "service":
            provider, consumer = g.get("data-id", "").split("->")
            path_ = g.find(f"{NS}path")
            assert path_ is not None
            lines.append(("service", f"{provider} {consumer}", points_of(path_.get("d", ""))))
    for kind, ends, pts in lines:
        for a, b in itertools.pairwise(pts):
            for unit, box in boxes.items():
                if unit in ends.split():
                    continue
                assert not crosses(a, b, box), f"{kind} line {ends} passes under {unit}"


# -- 2: the canvas holds the legend -----------------------------------------------------


def bbox_of(group: ET.Element) -> Box:
    xs: list[float] = []
    ys: list[float] = []
    for el in group.iter():
        tag = el.tag.removeprefix(NS)
        if tag == "rect":
            x, y = float(el.get("x", 0)), float(el.get("y", 0))
            xs += [x, x + float(el.get("width", 0))]
            ys += [y, y + float(el.get("height", 0))]
        elif tag == "text":
            x, y, size = (
                float(el.get("x", 0)),
                float(el.get("y", 0)),
                float(el.get("font-size", 12)),
            )
            w = text_width(el.text or "", size, el.get("font-weight") == "bold")
            left = {"start": x, "middle": x - w / 2, "end": x - w}[el.get("text-anchor", "start")]
            xs += [left, left + w]
            ys += [y - size, y]
        elif tag == "path":
            m = re.match(r"M(-?[\d.]+),(-?[\d.]+)h(-?[\d.]+)", el.get("d", ""))
            if m:
                x, y, w = (float(v) for v in m.groups())
                xs += [x, x + w]
                ys += [y]
    return min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)


@pytest.mark.parametrize(
    ("path", "root_"),
    [
        (ROOT / "examples/telecom/current.json", "billing"),
        (ROOT / "examples/mobile-app/value-stream.json", None),
    ],
)
def test_a_narrow_org_chart_holds_its_legend(path: Path, root_: str | None) -> None:
    svg = svg_of(path, "orgchart", root=root_)
    width, height = float(svg.get("width", 0)), float(svg.get("height", 0))
    legend = next(g for g in svg.iter(f"{NS}g") if g.get("class") == "legend")
    x, y, w, h = bbox_of(legend)
    assert x >= 0 and y >= 0
    assert x + w <= width and y + h <= height, (x + w, width)


# -- 3: journey step names whole, wrapped -------------------------------------------------


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: f"{p.parent.name}-{p.stem}")
def test_journey_step_names_are_shown_whole(path: Path) -> None:
    ctx = ViewContext(build_enterprise(load_document(path)))
    for ident, journey in ctx.enterprise.journeys.items():
        root = svg_of(ctx, "journey", journey=ident)
        steps = [g for g in root.iter(f"{NS}g") if g.get("class") == "step"]
        assert len(steps) == len(journey.steps)
        for g, step in zip(steps, journey.steps, strict=True):
            texts = [t for t in g.iter(f"{NS}text")]
            assert not any("…" in (t.text or "") for t in texts), step.name
            bold = " ".join(t.text or "" for t in texts[1:] if t.get("font-weight") == "bold")
            assert bold == " ".join(step.name.split()), (bold, step.name)
            rect = g.find(f"{NS}rect")
            assert rect is not None
            last = max(float(t.get("y", 0)) for t in texts)
            assert last <= float(rect.get("y", 0)) + float(rect.get("height", 0)) - 2


# -- 4: the heat map tells uncovered from covered crossings ------------------------------


def test_matrix_tells_uncovered_from_covered_crossings() -> None:
    fills: dict[str, set[str]] = {"uncovered": set(), "covered": set()}
    for path in EXAMPLES:
        ctx = ViewContext(build_enterprise(load_document(path)))
        root = svg_of(ctx, "matrix")
        cells = {g.get("data-id"): g for g in root.iter(f"{NS}g") if g.get("class") == "cell"}
        for j in ctx.silos.journeys:
            for c in j.crossing_list:
                g = cells[f"{j.journey}/{c.to_silo}"]
                rect = g.find(f"{NS}rect")
                assert rect is not None
                open_ = any(not x.covered for x in j.crossing_list if x.to_silo == c.to_silo)
                fills["uncovered" if open_ else "covered"].add(rect.get("fill", ""))
        mmd = render(ctx, "matrix", "mmd").data.decode()
        for line in mmd.splitlines():
            m = re.search(r"fill:#(\w{6})", line)
            if m:
                r, g_, b = (int(m.group(1)[i : i + 2], 16) for i in (0, 2, 4))
                dark = 0.299 * r + 0.587 * g_ + 0.114 * b < 150
                assert ("color:#ffffff" in line) == dark, line
        head = re.findall(r"style (\w+) fill:(#\w+)", mmd)
        assert head, "empty and filled cells have their own fill in Mermaid"
    assert fills["uncovered"] and fills["covered"]
    assert not fills["uncovered"] & fills["covered"], fills


# -- 7: a failed --all leaves no folder; the missing-Graphviz hint fits the request ------


@pytest.mark.skipif(shutil.which("dot") is not None, reason="Graphviz is installed")
def test_failed_render_all_leaves_no_folder(tmp_path: Path) -> None:
    out = tmp_path / "diagrams"
    done = run_main(
        "render",
        ROOT / "examples/telecom/current.json",
        "--all",
        "--engine",
        "graphviz",
        "--format",
        "png",
        "-o",
        out,
    )
    assert done.returncode != 0
    assert not out.exists()
    done = run_main(
        "render",
        ROOT / "examples/telecom/current.json",
        "--view",
        "overlay",
        "--engine",
        "graphviz",
        "--format",
        "svg",
        "-o",
        tmp_path / "o.svg",
    )
    assert done.returncode != 0
    assert "--engine builtin" in done.stderr and "--format svg" not in done.stderr


# -- 5: --root keeps the lines that leave the branch -------------------------------------


def ministries() -> ViewContext:
    """Two ministries; lines of the transport branch lead out of it, into it, within it."""
    units = [
        unit_of("gov", kind="board", name="Government"),
        unit_of("dft", "gov", name="Department for Transport"),
        unit_of("dvsa", "dft", name="Driver and Vehicle Standards Agency"),
        unit_of("mca", "dft", name="Maritime and Coastguard Agency"),
        unit_of("testing", "dvsa", name="Vehicle Testing"),
        unit_of("hmt", "gov", name="HM Treasury"),
        unit_of("ipa", "hmt", name="Infrastructure and Projects Authority"),
    ]
    lines = {
        "dvsa": [{"to": "hmt", "note": "spending controls"}],
        "mca": [{"to": "ipa", "kind": "matrix"}],
        "testing": [{"to": "mca"}],
        "ipa": [{"to": "dft"}],
    }
    for u in units:
        if u["id"] in lines:
            u["lines"] = lines[u["id"]]
    return ViewContext(build_enterprise(load_text(json.dumps(doc(units=units)))))


def drawn_lines(root: ET.Element) -> dict[str, str]:
    return {
        g.get("data-id", ""): g.get("class", "")
        for g in root.iter(f"{NS}g")
        if (g.get("class") or "").startswith("line ")
    }


def key_texts(root: ET.Element) -> list[str]:
    key = [g for g in root.iter(f"{NS}g") if g.get("class") == "line-key"]
    assert len(key) == 1
    return [" ".join((t.text or "") for t in g.iter(f"{NS}text")) for g in key[0]]


def test_root_keeps_lines_that_leave_the_branch_svg() -> None:
    root = svg_of(ministries(), "orgchart", root="dft")
    assert drawn_lines(root) == {"testing->mca": "line dotted"}
    entries = key_texts(root)[1:]  # after the key's heading
    assert entries == [
        "1 Infrastructure and Projects Authority (outside this branch) → Department for Transport",
        "2 Driver and Vehicle Standards Agency → HM Treasury (outside this branch; "
        "spending controls)",
        "3 Maritime and Coastguard Agency → Infrastructure and Projects Authority "
        "(matrix; outside this branch)",
    ]
    tags = {
        g.get("data-unit"): " ".join(t.text or "" for t in g.iter(f"{NS}text"))
        for g in root.iter(f"{NS}g")
        if g.get("class") == "line-tag"
    }
    assert tags == {"dft": "← 1", "dvsa": "→ 2", "mca": "→ 3"}
    subtitle = [t.text for t in root.iter(f"{NS}text")][1]
    assert subtitle == "4 of 7 units, from Department for Transport (reports to Government)"


def test_root_keeps_lines_that_leave_the_branch_dot_and_mermaid() -> None:
    ctx = ministries()
    dot = render(ctx, "orgchart", "dot", ViewOptions(root="dft")).data.decode()
    assert re.search(r'"unit:dvsa" -> "outside:hmt" \[[^]]*style="dotted"', dot)
    assert re.search(r'"unit:mca" -> "outside:ipa" \[[^]]*style="dashed"', dot)
    assert re.search(r'"outside:ipa" -> "unit:dft" \[[^]]*style="dotted"', dot)
    assert re.search(r'"outside:gov" -> "unit:dft"', dot)
    assert "outside: HM Treasury" in dot and "reports to: Government" in dot
    assert len(re.findall(r'^\s*"outside:ipa" \[', dot, re.M)) == 1  # one stub per unit
    mmd = render(ctx, "orgchart", "mmd", ViewOptions(root="dft")).data.decode()
    assert re.search(r'u_dvsa -\.->\|"dotted"\| o_hmt', mmd), mmd
    assert re.search(r'u_mca -\.->\|"matrix"\| o_ipa', mmd), mmd
    assert re.search(r'o_ipa -\.->\|"dotted"\| u_dft', mmd), mmd
    assert 'o_hmt("outside: HM Treasury")' in mmd
    assert 'o_gov("reports to: Government")' in mmd and "o_gov --- u_dft" in mmd


def test_depth_keeps_lines_to_hidden_units() -> None:
    ctx = ministries()
    root = svg_of(ctx, "orgchart", depth=1)
    assert drawn_lines(root) == {}  # every line has an end hidden under a collapsed box
    assert key_texts(root)[1:] == [
        "1 Infrastructure and Projects Authority (hidden under HM Treasury) → Department "
        "for Transport",
        "2 Driver and Vehicle Standards Agency (hidden under Department for Transport) → "
        "HM Treasury (spending controls)",
    ]
    dot = render(ctx, "orgchart", "dot", ViewOptions(depth=1)).data.decode()
    assert re.search(r'"hidden:dvsa" -> "unit:hmt"', dot)


# -- 6: a large chart wraps its labels and draws no line across the canvas ---------------

TOPICS = (
    "Environment",
    "Food and Rural Affairs",
    "Levelling Up, Housing and Communities",
    "Science, Innovation and Technology",
    "Culture, Media and Sport",
    "Energy Security and Net Zero",
    "Children's Services and Skills",
    "International Development",
    "Work and Pensions",
    "Business and Trade",
)


def wide_government(units: int = 664, lines: int = 40, seed: int = 16) -> ViewContext:
    """A government-like organization with long names and dotted lines between far units."""
    rng = random.Random(seed)
    out = [unit_of("u0", kind="board", name="Prime Minister's Office")]
    for i in range(1, units):
        parent = f"u{rng.randrange(max(1, i // 3), i) if i > 24 else 0}"
        a, b = rng.sample(TOPICS, 2)
        kind = rng.choice(("Department for", "Office for", "Agency for", "Directorate of"))
        out.append(unit_of(f"u{i}", parent, name=f"{kind} {a} and {b} ({i})"))
    for _ in range(lines):
        a, b = rng.sample(range(1, units), 2)
        out[a].setdefault("lines", []).append(
            {"to": f"u{b}", "kind": rng.choice(("dotted", "matrix"))}
        )
    return ViewContext(build_enterprise(load_text(json.dumps(doc(units=out)))))


def test_a_large_chart_wraps_names_and_keeps_dotted_lines_short() -> None:
    ctx = wide_government()
    root = svg_of(ctx, "orgchart")
    boxes = unit_boxes(root)
    assert len(boxes) == 664
    for g in root.iter(f"{NS}g"):
        if g.get("class") != "unit":
            continue
        _x, y, w, h = boxes[g.get("data-id", "")]
        texts = list(g.iter(f"{NS}text"))
        name = ctx.enterprise.units[g.get("data-id", "")].name
        shown = " ".join(t.text or "" for t in texts if t.get("font-weight") == "bold")
        assert shown == name, (shown, name)
        for t in texts:
            assert "…" not in (t.text or "")
            size = float(t.get("font-size", 12))
            assert size >= 7
            width = text_width(t.text or "", size, t.get("font-weight") == "bold")
            assert width <= w - 10, (t.text, width)
            assert y + size <= float(t.get("y", 0)) <= y + h - 2, t.text
    drawn = 0
    for g in root.iter(f"{NS}g"):
        if (g.get("class") or "").startswith("line "):
            a, b = g.get("data-id", "").split("->")
            (ax, ay, _, _), (bx, by, _, _) = boxes[a], boxes[b]
            assert math.hypot(ax - bx, ay - by) <= NEAR
            drawn += 1
    entries = key_texts(root)[1:]
    assert drawn + len(entries) == 40  # every line is drawn or listed under the chart
    assert len(entries) > 20  # most random pairs are far apart in a chart this size
    tagged = {g.get("data-unit") for g in root.iter(f"{NS}g") if g.get("class") == "line-tag"}
    assert tagged and tagged <= set(boxes)


# -- 7: every service arrow of the overlay has a track of its own -------------------------


def overlap(a: list[tuple[float, float]], b: list[tuple[float, float]]) -> float:
    """The length that two axis-parallel polylines run on top of each other."""
    total = 0.0
    for (p0, p1), (q0, q1) in itertools.product(itertools.pairwise(a), itertools.pairwise(b)):
        for axis in (0, 1):
            other = 1 - axis
            if p0[other] == p1[other] == q0[other] == q1[other]:
                lo = max(min(p0[axis], p1[axis]), min(q0[axis], q1[axis]))
                hi = min(max(p0[axis], p1[axis]), max(q0[axis], q1[axis]))
                total += max(0.0, hi - lo)
    return total


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: f"{p.parent.name}-{p.stem}")
def test_overlay_service_arrows_do_not_share_a_track(path: Path) -> None:
    root = svg_of(path, "overlay")
    arrows = {}
    for g in root.iter(f"{NS}g"):
        if g.get("class") == "service":
            p = g.find(f"{NS}path")
            assert p is not None
            arrows[g.get("data-id", "")] = points_of(p.get("d", ""))
    for (a, pa), (b, pb) in itertools.combinations(arrows.items(), 2):
        assert overlap(pa, pb) < 1, f"{a} and {b} run on one track"
        assert pa[-1] != pb[-1], f"{a} and {b} end in one arrowhead"


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: f"{p.parent.name}-{p.stem}")
def test_overlay_texts_are_wrapped_not_cut(path: Path) -> None:
    root = svg_of(path, "overlay")
    for g in root.iter(f"{NS}g"):
        if g.get("class") in ("unit", "band"):
            for t in g.iter(f"{NS}text"):
                assert "…" not in (t.text or ""), t.text


def test_matrix_headers_are_wrapped_not_cut() -> None:
    """Journey and silo names of the heat map are shown whole, the rows and the header
    growing with them (a long name was cut with an ellipsis after two lines)."""
    long_journey = "From the customer's first complaint " * 4 + "to the refund"
    long_silo = "Department for Environment, Food and Rural Affairs and Fisheries"
    data = doc(
        units=[
            unit_of("board", kind="board"),
            unit_of("sales", "board", kind="department", name=long_silo),
            unit_of("billing", "board", kind="department"),
        ],
        journeys=[
            {
                "id": "refund",
                "name": long_journey,
                "steps": [
                    {"name": "ask", "unit": "sales"},
                    {"name": "pay", "unit": "billing"},
                ],
            }
        ],
    )
    ctx = ViewContext(build_enterprise(load_text(json.dumps(data), "doc.json")))
    root = svg_of(ctx, "matrix")
    for cls, whole in (("journey", long_journey), ("silo", long_silo)):
        (g,) = [g for g in root.iter(f"{NS}g") if g.get("data-id") and g.get("class") == cls][:1]
        texts = [t.text or "" for t in g.iter(f"{NS}text")]
        assert not any("…" in t for t in texts), texts
        assert " ".join(texts) == " ".join(whole.split()), texts
        rect = g.find(f"{NS}rect")
        assert rect is not None
        bottom = float(rect.get("y", 0)) + float(rect.get("height", 0))
        assert max(float(t.get("y", 0)) for t in g.iter(f"{NS}text")) < bottom
