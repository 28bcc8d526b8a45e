"""Views: registry, goldens of every view of every example, escaping, SVG structure, layout.

Regenerate the golden files after an intended change with ``pytest --update-goldens`` and
review the diff under ``tests/goldens/views/``.
"""

from __future__ import annotations

import dataclasses
import importlib
import itertools
import json
import pkgutil
import random
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import assert_golden

import orgmodel.views
from orgmodel.analysis import analyze
from orgmodel.graph import build_enterprise
from orgmodel.loader import load_document, load_text
from orgmodel.views import VIEWS, ViewContext, ViewError, ViewOptions, output_name, render
from orgmodel.views.escape import dot_html, dot_quote, mermaid_text, xml_attr
from orgmodel.views.layout import tidy_tree
from orgmodel.views.svg import fit, text_width

ROOT = Path(__file__).resolve().parent.parent
GOLDENS = Path(__file__).resolve().parent / "goldens" / "views"
EXAMPLES = sorted((ROOT / "examples").glob("*/*.json"))
SVG = "{http://www.w3.org/2000/svg}"
requires_graphviz = pytest.mark.skipif(
    shutil.which("dot") is None, reason="Graphviz (dot) is not installed"
)


def context(path: Path | str) -> ViewContext:
    return ViewContext(build_enterprise(load_document(path)))


def targets(ctx: ViewContext) -> list[tuple[str, str | None]]:
    """Every (view, journey) pair that ``--all`` draws."""
    out: list[tuple[str, str | None]] = []
    for name, module in VIEWS.items():
        journeys = list(ctx.enterprise.journeys) if module.per_journey else [None]
        out += [(name, j) for j in journeys]
    return out


def text_of(
    ctx: ViewContext, view: str, fmt: str, journey: str | None = None, **options: object
) -> str:
    result = render(
        ctx,
        view,
        fmt,
        ViewOptions(journey=journey, **options),  # type: ignore[arg-type]
        engine="builtin",
    )
    return result.data.decode("utf-8")


# -- registry ---------------------------------------------------------------------------


def test_every_view_module_is_registered() -> None:
    """A module under orgmodel/views with ``build`` and ``name`` is a view: it must be in
    VIEWS under its name."""
    found = {}
    for info in pkgutil.iter_modules(orgmodel.views.__path__):
        module = importlib.import_module(f"orgmodel.views.{info.name}")
        if callable(getattr(module, "build", None)) and isinstance(
            getattr(module, "name", None), str
        ):
            found[module.name] = module
    assert found == VIEWS
    for name, module in VIEWS.items():
        assert module.name == name
        assert module.title and module.__doc__
        assert isinstance(module.per_journey, bool)


def test_output_names_are_safe_and_distinct() -> None:
    assert output_name("orgchart", "svg") == "orgchart.svg"
    assert output_name("journey", "mmd", "invoice-question") == "journey-invoice-question.mmd"
    weird = [output_name("journey", "svg", j) for j in ("a:b", "a_b", "..", "ä", "x\\y")]
    assert len(set(weird)) == len(weird)
    for name in weird:
        assert "/" not in name and "\\" not in name and ":" not in name
        assert name.startswith("journey-")


# -- goldens ----------------------------------------------------------------------------


def golden_cases() -> list[tuple[Path, str, str | None]]:
    cases = []
    for path in EXAMPLES:
        ctx = context(path)
        cases += [(path, view, journey) for view, journey in targets(ctx)]
    return cases


@pytest.mark.parametrize(
    ("path", "view", "journey"),
    golden_cases(),
    ids=lambda v: v.parent.name + "-" + v.stem if isinstance(v, Path) else str(v),
)
@pytest.mark.parametrize("fmt", ["dot", "mmd"])
def test_golden(
    path: Path, view: str, journey: str | None, fmt: str, request: pytest.FixtureRequest
) -> None:
    ctx = context(path)
    got = text_of(ctx, view, fmt, journey)
    golden = GOLDENS / f"{path.parent.name}-{path.stem}" / output_name(view, fmt, journey)
    assert_golden(request, golden, got)


def test_no_stale_goldens() -> None:
    expected = {
        GOLDENS / f"{p.parent.name}-{p.stem}" / output_name(v, fmt, j)
        for p, v, j in golden_cases()
        for fmt in ("dot", "mmd")
    }
    present = set(GOLDENS.glob("*/*.*"))
    assert present <= expected, f"stale goldens: {sorted(map(str, present - expected))}"


# -- SVG structure ----------------------------------------------------------------------


def svg_root(text: str) -> ET.Element:
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == f"{SVG}svg"
    return root


def data_ids(root: ET.Element, cls: str) -> list[str]:
    return [
        g.get("data-id", "") for g in root.iter(f"{SVG}g") if cls in (g.get("class") or "").split()
    ]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: f"{p.parent.name}-{p.stem}")
def test_orgchart_svg_shows_every_unit(path: Path) -> None:
    ctx = context(path)
    root = svg_root(text_of(ctx, "orgchart", "svg"))
    assert data_ids(root, "unit") == [
        ctx.enterprise.tree.ids[v] for v in ctx.enterprise.tree.preorder
    ]
    staff = {p.id for p in ctx.enterprise.document.positions if p.staff}
    assert set(data_ids(root, "staff")) == staff


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: f"{p.parent.name}-{p.stem}")
def test_journey_svg_shows_every_step_and_crossing(path: Path) -> None:
    ctx = context(path)
    figures = {f.journey: f for f in ctx.silos.journeys}
    for ident, journey in ctx.enterprise.journeys.items():
        root = svg_root(text_of(ctx, "journey", "svg", ident))
        steps = [g for g in root.iter(f"{SVG}g") if "step" in (g.get("class") or "").split()]
        assert [g.get("data-number") for g in steps] == [
            str(i + 1) for i in range(len(journey.steps))
        ]
        assert [g.get("data-unit") for g in steps] == [s.unit for s in journey.steps]
        crossings = {int(n) for n in data_ids(root, "covered") + data_ids(root, "uncovered")}
        assert crossings == {c.step for c in figures[ident].crossing_list}
        assert {int(n) for n in data_ids(root, "uncovered")} == {
            c.step for c in figures[ident].crossing_list if not c.covered
        }


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: f"{p.parent.name}-{p.stem}")
def test_overlay_and_matrix_svg(path: Path) -> None:
    ctx = context(path)
    overlay = svg_root(text_of(ctx, "overlay", "svg"))
    assert set(data_ids(overlay, "band")) == {"board", "customer", "market", "functional"}
    units = set(data_ids(overlay, "unit"))
    ent = ctx.enterprise
    for service in ent.document.services:  # every service's ends are shown or represented
        assert any(u in units for u in ent.tree.path_to_root(service.provider))
        assert any(u in units for u in ent.tree.path_to_root(service.consumer))
    matrix = svg_root(text_of(ctx, "matrix", "svg"))
    cells = set(data_ids(matrix, "cell"))
    assert cells == {f"{c.journey}/{c.silo}" for c in ctx.silos.matrix}


def test_journey_takes_crossings_from_the_report() -> None:
    """The view draws what the report says; flipping a crossing's coverage in the report
    flips its style in the picture."""
    doc = load_text(json.dumps(nasty_document()))
    ent = build_enterprise(doc)
    report = analyze(ent)
    section = report.section("silos")
    figures = section.journeys[0]  # type: ignore[attr-defined]
    assert figures.crossing_list, "the test document needs a crossing"
    flipped = [dataclasses.replace(c, covered=not c.covered) for c in figures.crossing_list]
    new_figures = figures.model_copy(update={"crossing_list": flipped})
    new_section = section.model_copy(update={"journeys": [new_figures]})
    new_sections = report.sections.model_copy(update={"silos": new_section})
    fake = report.model_copy(update={"sections": new_sections})
    ctx = ViewContext(ent, fake)
    root = svg_root(text_of(ctx, "journey", "svg", figures.journey))
    assert {int(n) for n in data_ids(root, "covered")} == {
        c.step for c in figures.crossing_list if not c.covered
    }


# -- nasty names ------------------------------------------------------------------------

NASTY = [
    'Say "hello" & <goodbye>',
    "back\\slash \\n \\\\ end\\",
    "line one\nline two\r\nthree",
    "emoji 😀🏢👩‍💻 team",
    "שירות לקוחות",  # Hebrew, right to left
    "خدمة العملاء",  # Arabic
    "\u202eoverride\u202c and ]]> -- <!-- x -->",
    "tab\tand \x07bell and \x00nul",
    "end",  # a Mermaid keyword
    "#35; %% {init} `tick` |pipe| ;semi",
]


def nasty_document() -> dict:
    units = [{"id": "board", "name": NASTY[0], "kind": "board", "head": NASTY[1], "headcount": 3}]
    for i, name in enumerate(NASTY[1:], 1):
        units.append(
            {"id": f"u{i}<&\"'>", "name": name, "parent": "board", "head": name, "headcount": i}
        )
    units.append(
        {
            "id": "end",
            "name": "end",
            "parent": "u1<&\"'>",
            "layer": "customer",
            "lines": [{"to": "u2<&\"'>", "kind": "matrix", "note": NASTY[0]}],
        }
    )
    units.append(
        {
            "id": "x%y",
            "name": NASTY[3],
            "parent": "board",
            "layer": "market",
            "lines": [{"to": "board", "note": NASTY[6]}],
        }
    )
    steps = [
        {
            "id": f's{i}"',
            "name": name,
            "unit": u["id"],
            "touchpoint": i % 2 == 0,
            "channel": NASTY[(i + 3) % len(NASTY)],
            "wait": "1h",
            "role": name,
            "value_adding": i % 3 != 0,
            "problems": [{"text": name, "weight": 2}],
        }
        for i, (name, u) in enumerate(zip(NASTY, units[1:], strict=False))
    ]
    return {
        "orgmodel": "1",
        "name": NASTY[0] + NASTY[4],
        "units": units,
        "positions": [
            {"id": "p<1>", "title": NASTY[0], "unit": "board"},
            {
                "id": "p&2",
                "title": NASTY[2],
                "unit": "board",
                "reports_to": "p<1>",
                "staff": True,
                "holder": NASTY[4],
            },
        ],
        "services": [{"id": 'svc"', "name": NASTY[5], "provider": "u3<&\"'>", "consumer": "end"}],
        "segments": [{"id": "seg'", "name": NASTY[7], "team": "end"}],
        "stakeholders": [{"id": "st&", "name": NASTY[8], "kind": "regulator", "owner": "x%y"}],
        "journeys": [{"id": 'j<"1">', "name": NASTY[9], "owner": "end", "steps": steps}],
    }


@pytest.fixture(scope="module")
def nasty_ctx() -> ViewContext:
    return ViewContext(build_enterprise(load_text(json.dumps(nasty_document()))))


def test_nasty_names_keep_svg_well_formed(nasty_ctx: ViewContext) -> None:
    for view, journey in targets(nasty_ctx):
        for lanes in ("silo", "unit"):
            root = svg_root(text_of(nasty_ctx, view, "svg", journey, lanes=lanes))
            texts = "".join(root.itertext())
            if view == "orgchart":
                assert set(data_ids(root, "unit")) == set(nasty_ctx.enterprise.units)
                assert 'Say "hello" & <goodbye>' in texts
            if view == "journey":
                assert "\x00" not in texts and "\x07" not in texts


def test_nasty_names_keep_dot_and_mermaid_intact(nasty_ctx: ViewContext) -> None:
    for view, journey in targets(nasty_ctx):
        dot = text_of(nasty_ctx, view, "dot", journey)
        mmd = text_of(nasty_ctx, view, "mmd", journey)
        for line in dot.splitlines():  # every quoted string is closed on its line
            stripped = line.replace("\\\\", "").replace('\\"', "")
            assert stripped.count('"') % 2 == 0, line
        assert "\x00" not in dot and "\x07" not in dot and "\r" not in dot
        for line in mmd.splitlines():
            assert "\x00" not in line and "\r" not in line
            if not line.lstrip().startswith("%%"):
                body = line.split('"')
                assert len(body) % 2 == 1, line  # quotes come in pairs
                for inner in body[1::2]:  # labels carry no raw syntax characters
                    if inner == "(no units)":  # the view's own placeholder, quoted
                        continue
                    assert not set(re.sub(r"#\d+;", "", inner)) & set("`|;{}[]()"), line
        assert "\nend\n" not in mmd.replace("  end\n", "")  # "end" is never a bare node id


@requires_graphviz
def test_nasty_names_render_with_graphviz(nasty_ctx: ViewContext) -> None:
    for view, journey in targets(nasty_ctx):
        dot = text_of(nasty_ctx, view, "dot", journey)
        done = subprocess.run(
            ["dot", "-Tsvg"], input=dot.encode(), capture_output=True, timeout=60, check=False
        )
        assert done.returncode == 0, done.stderr.decode()
        svg_root(done.stdout.decode("utf-8"))
        assert b"Error" not in done.stderr


def test_escape_functions() -> None:
    assert dot_quote('a"b\\c\nd') == '"a\\"b\\\\c\\nd"'
    assert dot_html("<&>\"'\n") == "&lt;&amp;&gt;&quot;&#39;<BR/>"
    assert mermaid_text('a"b#c<d>&e\nf') == "a#34;b#35;c#60;d#62;#38;e<br>f"
    assert xml_attr('a"<&\n') == "a&quot;&lt;&amp;&#10;"
    assert dot_quote("\ud800") == '"\ufffd"'  # a lone surrogate cannot break UTF-8 output
    ET.fromstring(f'<a b="{xml_attr(NASTY[7])}">x</a>')


# -- org chart options ------------------------------------------------------------------


def test_orgchart_root_and_depth_collapse_branches() -> None:
    ctx = context(ROOT / "examples" / "telecom" / "current.json")
    ent = ctx.enterprise
    top = ent.tree.ids[ent.tree.roots[0]]
    first = ent.tree.children_of(top)[0]
    root = svg_root(text_of(ctx, "orgchart", "svg", depth=1))
    shown = data_ids(root, "unit")
    assert shown == [top, *ent.tree.children_of(top)]
    hidden = len(ent.tree.subtree(first)) - 1
    assert f"+{hidden} units" in "".join(root.itertext())
    branch = svg_root(text_of(ctx, "orgchart", "svg", root=first))
    assert data_ids(branch, "unit") == ent.tree.subtree(first)
    assert f"+{hidden} units" in text_of(ctx, "orgchart", "dot", depth=1)
    with pytest.raises(ViewError, match="did you mean"):
        text_of(ctx, "orgchart", "svg", root=first[:-1] + "x")


def test_staff_position_sits_beside_its_manager(nasty_ctx: ViewContext) -> None:
    root = svg_root(text_of(nasty_ctx, "orgchart", "svg"))
    groups = {g.get("data-id"): g for g in root.iter(f"{SVG}g")}
    board = groups["board"].find(f"{SVG}rect")
    staff = groups["p&2"].find(f"{SVG}rect")
    assert board is not None and staff is not None
    bx, by, bw, bh = (float(board.get(k, 0)) for k in ("x", "y", "width", "height"))
    sx, sy = float(staff.get("x", 0)), float(staff.get("y", 0))
    assert sx > bx + bw and by <= sy <= by + bh  # to the right, on the same level
    dot = text_of(nasty_ctx, "orgchart", "dot")
    assert 'rank="same"' in dot and '"staff:p&2"' in dot


def test_journey_view_needs_a_known_journey() -> None:
    ctx = context(ROOT / "examples" / "telecom" / "current.json")
    with pytest.raises(ViewError, match="needs --journey"):
        text_of(ctx, "journey", "svg")
    with pytest.raises(ViewError, match="unknown journey"):
        text_of(ctx, "journey", "svg", "no-such-journey")


def test_journey_lanes_per_unit() -> None:
    ctx = context(ROOT / "examples" / "telecom" / "current.json")
    ident = next(iter(ctx.enterprise.journeys))
    journey = ctx.enterprise.journeys[ident]
    root = svg_root(text_of(ctx, "journey", "svg", ident, lanes="unit"))
    lanes = [i for i in data_ids(root, "lane") if i != "customer"]
    assert sorted(lanes) == sorted({s.unit for s in journey.steps})


# -- layout -----------------------------------------------------------------------------


def random_tree(n: int, seed: int) -> tuple[list[list[int]], list[int]]:
    rng = random.Random(seed)
    parent = [-1] + [
        rng.randrange(i) if rng.random() < 0.6 else max(0, i - 1 - rng.randrange(3))
        for i in range(1, n)
    ]
    children: list[list[int]] = [[] for _ in range(n)]
    for i, p in enumerate(parent):
        if p >= 0:
            children[p].append(i)
    return children, parent


@pytest.mark.parametrize("seed", range(60))
def test_tidy_tree_never_overlaps(seed: int) -> None:
    rng = random.Random(seed)
    n = rng.randrange(1, 400)
    children, parent = random_tree(n, seed)
    left = [rng.choice([5.0, 20.0, 60.0]) for _ in range(n)]
    right = [rng.choice([5.0, 20.0, 90.0]) for _ in range(n)]
    x = tidy_tree(children, [0], left, right, gap=4)
    depth = [0] * n
    for i in range(1, n):
        depth[i] = depth[parent[i]] + 1
    rows: dict[int, list[int]] = {}
    for i in range(n):
        rows.setdefault(depth[i], []).append(i)
    for row in rows.values():
        row.sort(key=lambda i: x[i])
        for a, b in itertools.pairwise(row):
            assert x[a] + right[a] + 4 <= x[b] - left[b] + 1e-6
    for p in range(n):
        xs = [x[c] for c in children[p]]
        assert xs == sorted(xs)
        if children[p]:  # parents centred over their first and last child
            assert abs(x[p] - (xs[0] + xs[-1]) / 2) < 1e-6
    assert min(x[i] - left[i] for i in range(n)) == pytest.approx(0)


def test_tidy_tree_handles_deep_chains_and_forests() -> None:
    n = 30_000
    chain = [[i + 1] for i in range(n - 1)] + [[]]
    x = tidy_tree(chain, [0], [1.0] * n, [1.0] * n)
    assert len(set(x)) == 1
    assert tidy_tree([[], []], [0, 1], [5.0, 5.0], [5.0, 5.0], gap=2, cousin_gap=2) == [5.0, 17.0]


def test_text_fitting() -> None:
    assert fit("Customer service back office", 1000, 12, 2) == ("Customer service back office",)
    lines = fit("Customer service back office and more", 120, 12, 2)
    assert len(lines) == 2 and all(text_width(t, 12) <= 120 for t in lines)
    assert lines[-1].endswith("…")
    assert fit("", 100, 12) == ()
    assert text_width("😀", 10) > text_width("a", 10)


def test_view_modules_stay_small() -> None:
    """No module under orgmodel/views/ is longer than 400 lines."""
    folder = Path(orgmodel.views.__file__).parent
    long = {
        p.name: n
        for p in sorted(folder.glob("*.py"))
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 400
    }
    assert long == {}, f"modules over 400 lines: {long}"
