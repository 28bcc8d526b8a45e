"""The journey view draws rework loops (a back edge with its share) and each step's %C&A
(issue 15), in DOT, Mermaid and the built-in SVG."""

from __future__ import annotations

import itertools
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import doc, unit
from test_views_pictures import points_of

from orgmodel import load_text
from orgmodel.graph import build_enterprise
from orgmodel.loader import load_document
from orgmodel.views import ViewContext, ViewOptions, render

ROOT = Path(__file__).resolve().parent.parent
AS_IS = ROOT / "examples" / "mobile-app" / "value-stream.json"
TO_BE = ROOT / "examples" / "mobile-app" / "to-be.json"
NS = "{http://www.w3.org/2000/svg}"


def _out(ctx: ViewContext, fmt: str, journey: str) -> str:
    return render(ctx, "journey", fmt, ViewOptions(journey=journey), engine="builtin").data.decode()


def _ctx(path: Path) -> ViewContext:
    return ViewContext(build_enterprise(load_document(path)))


def _loops() -> ViewContext:
    """Five steps in three silos; step 5 sends 20 % back to step 1 across every lane, step 4
    sends 12.5 % back to step 3 (same lane)."""
    text = json.dumps(
        doc(
            units=[
                unit("board", kind="board"),
                unit("a", "board"),
                unit("b", "board"),
                unit("c", "board"),
            ],
            journeys=[
                {
                    "id": "j",
                    "name": "J",
                    "steps": [
                        {"name": "One", "unit": "a", "complete_accurate": 0.8},
                        {"name": "Two", "unit": "b"},
                        {"id": "three", "name": "Three", "unit": "c", "complete_accurate": 0.975},
                        {
                            "name": "Four",
                            "unit": "c",
                            "rework": [{"to": "three", "share": 0.125}],
                        },
                        {
                            "name": "Five",
                            "unit": "b",
                            "touchpoint": True,
                            "rework": [{"to": "1", "share": 0.2}],
                        },
                    ],
                }
            ],
        )
    )
    return ViewContext(build_enterprise(load_text(text)))


def test_dot_draws_each_rework_as_a_back_edge_with_its_share() -> None:
    dot = _out(_ctx(AS_IS), "dot", "bike-ticket")
    # design-approval (5) -> design (4) 30 %, build (8) -> handover (6) 20 %,
    # retest (12) -> fix (11) 25 %
    for tail, head, share in ((5, 4, 30), (8, 6, 20), (12, 11, 25)):
        line = next(
            x for x in dot.splitlines() if x.strip().startswith(f'"step:{tail}" -> "step:{head}"')
        )
        assert f'label="rework {share} %"' in line
        assert 'constraint="false"' in line and f'id="rework:{tail}:{head}"' in line
    assert dot.count('class="rework"') == 3


def test_dot_and_mermaid_show_each_steps_complete_accurate() -> None:
    ctx = _ctx(AS_IS)
    dot = _out(ctx, "dot", "bike-ticket")
    mmd = _out(ctx, "mmd", "bike-ticket")
    # 15 steps, each with a %C&A: 0.5, 0.8, 0.9, 0.7, 0.8, 0.6, 0.8, 0.6, 0.9, 0.7, 0.8,
    # 0.85, 0.95, 0.98, 0.9
    for out in (dot, mmd):
        assert out.count("%C&amp;A" if out is dot else "%C#38;A") == 15
    assert "%C&amp;A 85 %" in dot and "%C&amp;A 98 %" in dot


def test_mermaid_draws_rework_links_with_their_share() -> None:
    lines = [x.strip() for x in _out(_ctx(AS_IS), "mmd", "bike-ticket").splitlines()]
    links = [
        x for x in lines if re.fullmatch(r'\S+ (-->|---|-\.->|-\.-|==>|===)(\|"[^"]*"\|)? \S+', x)
    ]
    rework = [i for i, x in enumerate(links) if '|"rework ' in x]
    assert [links[i].split("|")[1] for i in rework] == [
        '"rework 30 %"',
        '"rework 20 %"',
        '"rework 25 %"',
    ]
    assert all(links[i].split()[1].startswith("-.->") for i in rework)
    for i in rework:  # styled like the SVG's back edges
        assert any(x.startswith(f"linkStyle {i} stroke:#6b46c1") for x in lines)


def test_unset_complete_accurate_is_not_shown_and_shares_keep_decimals() -> None:
    ctx = _loops()
    dot = _out(ctx, "dot", "j")
    assert dot.count("%C&amp;A") == 2
    assert "%C&amp;A 80 %" in dot and "%C&amp;A 97.5 %" in dot
    assert 'label="rework 12.5 %"' in dot and 'label="rework 20 %"' in dot
    steps = [g for g in _svg(ctx, "j").iter(f"{NS}g") if g.get("class") == "step"]
    shown = [t.text for g in steps for t in g.iter(f"{NS}text") if "%C&A" in (t.text or "")]
    assert shown == ["%C&A 80 %", "%C&A 97.5 %"]


def _svg(ctx: ViewContext, journey: str) -> ET.Element:
    return ET.fromstring(_out(ctx, "svg", journey))


def _boxes(root: ET.Element, cls: str) -> dict[str, tuple[float, float, float, float]]:
    out = {}
    for g in root.iter(f"{NS}g"):
        if g.get("class") == cls:
            r = g.find(f"{NS}rect")
            assert r is not None
            key = g.get("data-number") or g.get("data-id") or ""
            out[key] = tuple(float(r.get(k, 0)) for k in ("x", "y", "width", "height"))
    return out  # type: ignore[return-value]


def _inside(a: tuple[float, float], b: tuple[float, float], box: tuple[float, ...]) -> bool:
    x, y, w, h = box
    x0, x1 = sorted((a[0], b[0]))
    y0, y1 = sorted((a[1], b[1]))
    return x0 < x + w - 0.5 and x1 > x + 0.5 and y0 < y + h - 0.5 and y1 > y + 0.5


@pytest.mark.parametrize(
    ("ctx", "journey", "loops"),
    [
        (_ctx(AS_IS), "bike-ticket", {"5:4": 30, "8:6": 20, "12:11": 25}),
        (_ctx(TO_BE), "bike-ticket", {"5:3": 10}),
        (_loops(), "j", {"4:3": 12.5, "5:1": 20}),
    ],
    ids=["as-is", "to-be", "across-lanes"],
)
def test_svg_rework_lines_run_around_the_boxes_they_do_not_join(
    ctx: ViewContext, journey: str, loops: dict[str, float]
) -> None:
    root = _svg(ctx, journey)
    steps = _boxes(root, "step")
    touch = _boxes(root, "touchpoint")
    found = {}
    for g in root.iter(f"{NS}g"):
        if g.get("class") != "rework":
            continue
        ident = g.get("data-id", "")
        texts = [t.text for t in g.iter(f"{NS}text")]
        found[ident] = texts
        tail, head = ident.split(":")
        path = g.find(f"{NS}path")
        assert path is not None and path.get("marker-end")
        pts = points_of(path.get("d", ""))
        # from the sending step's bottom back to the target's bottom
        tx, ty, tw, th = steps[tail]
        hx, hy, hw, hh = steps[head]
        assert tx <= pts[0][0] <= tx + tw and abs(pts[0][1] - (ty + th)) < 0.6
        assert hx <= pts[-1][0] <= hx + hw and abs(pts[-1][1] - (hy + hh)) < 6
        for a, b in itertools.pairwise(pts):
            assert a[0] == b[0] or a[1] == b[1], f"not orthogonal: {a} {b}"
            for number, box in steps.items():
                if number not in (tail, head):
                    assert not _inside(a, b, box), f"rework {ident} passes under step {number}"
            for number, box in touch.items():
                assert not _inside(a, b, box), f"rework {ident} passes under touchpoint {number}"
    assert {k: v for k, v in found.items()} == {k: [f"rework {v:g} %"] for k, v in loops.items()}


def test_svg_shows_complete_accurate_in_the_step_box_and_a_legend_entry() -> None:
    root = _svg(_ctx(AS_IS), "bike-ticket")
    texts = {
        g.get("data-number"): [t.text for t in g.iter(f"{NS}text")]
        for g in root.iter(f"{NS}g")
        if g.get("class") == "step"
    }
    assert "%C&A 80 %" in texts["5"] and "%C&A 50 %" in texts["1"]
    legends = [g for g in root.iter(f"{NS}g") if g.get("class", "").startswith("legend")]
    words = " ".join(t.text or "" for g in legends for t in g.iter(f"{NS}text"))
    assert "rework" in words and "%C&A" in words


def test_journey_without_rework_has_no_rework_legend() -> None:
    ctx = ViewContext(
        build_enterprise(
            load_text(
                json.dumps(
                    doc(
                        units=[unit("board", kind="board"), unit("a", "board")],
                        journeys=[{"id": "j", "name": "J", "steps": [{"name": "x", "unit": "a"}]}],
                    )
                )
            )
        )
    )
    svg = _out(ctx, "svg", "j")
    assert "rework" not in svg and "%C&amp;A" not in svg
