"""The silo matrix scales (issue 15): beyond the top journeys by volume and the busiest silos
the rest is summed in one row and one column, so a service-desk-sized document gives a
picture of a few hundred kilobytes, not hundreds of megabytes."""

from __future__ import annotations

import json
import random
import xml.etree.ElementTree as ET

from conftest import doc, run_main, unit

from orgmodel import load_text
from orgmodel.graph import build_enterprise
from orgmodel.views import ViewContext, ViewOptions, render
from orgmodel.views.matrix import SILOS, TOP, MatrixView

NS = "{http://www.w3.org/2000/svg}"


def _small() -> ViewContext:
    """Silos a, b, c, d under the board; four journeys with volumes 10, 40, 30, 20.

    j1 (10): a a b        -> a: 2 steps; b: 1 step, 1 crossing in (uncovered)
    j2 (40): a b          -> a: 1; b: 1, 1 in (uncovered)
    j3 (30): b c b        -> b: 2, 1 in (the return, uncovered); c: 1, 1 in (uncovered)
    j4 (20): c d          -> c: 1; d: 1, 1 in (uncovered)
    """

    def journey(ident: str, volume: float, units: list[str]) -> dict:
        return {
            "id": ident,
            "name": ident.upper(),
            "volume": volume,
            "steps": [{"name": f"s{i}", "unit": u} for i, u in enumerate(units)],
        }

    text = json.dumps(
        doc(
            units=[unit("board", kind="board"), *(unit(u, "board") for u in "abcd")],
            journeys=[
                journey("j1", 10, ["a", "a", "b"]),
                journey("j2", 40, ["a", "b"]),
                journey("j3", 30, ["b", "c", "b"]),
                journey("j4", 20, ["c", "d"]),
            ],
        )
    )
    return ViewContext(build_enterprise(load_text(text)))


def _view(ctx: ViewContext, rows: int, columns: int) -> MatrixView:
    section = ctx.silos
    return MatrixView(ctx.enterprise, list(section.journeys), list(section.matrix), rows, columns)


def test_defaults_are_documented_and_small_documents_are_drawn_whole() -> None:
    assert (TOP, SILOS) == (50, 40)
    view = _view(_small(), TOP, SILOS)
    assert [j.journey for j in view.rows] == ["j3", "j1", "j2", "j4"]  # worst first
    assert view.columns == ["a", "b", "c", "d"] and not view.other_rows
    assert "other" not in view.to_dot()


def test_top_journeys_by_volume_and_the_rest_in_one_row() -> None:
    view = _view(_small(), 2, SILOS)
    # j2 (40) and j3 (30) have the highest volumes; shown worst first (j3 has 2 crossings)
    assert [j.journey for j in view.rows] == ["j3", "j2"]
    assert [j.journey for j in view.other_rows] == ["j1", "j4"]
    # the other row sums j1 and j4: a 2 steps; b 1 step, 1 uncovered; c 1; d 1, 1 uncovered
    other = {s: view.tally(None, s) for s in view.columns}
    assert other == {"a": (2, 0, 0), "b": (1, 1, 1), "c": (1, 0, 0), "d": (1, 1, 1)}
    dot = view.to_dot()
    assert "other journeys (2)" in dot
    assert "2 crossings, 2 uncovered" in dot  # the row total of the other row
    assert "the 2 of 4 journeys with the highest volume" in dot
    svg = ET.fromstring(view.to_svg())
    ids = [g.get("data-id") for g in svg.iter(f"{NS}g") if g.get("class") == "cell"]
    assert "#/b" in ids and not any(i and i.startswith("j1/") for i in ids)
    mmd = view.to_mermaid()
    assert "other journeys #40;2#41;" in mmd  # Mermaid escapes the parentheses


def test_busiest_silos_and_the_rest_in_one_column() -> None:
    view = _view(_small(), TOP, 2)
    # crossings into a 0, b 3, c 1, d 1; steps a 3, b 4, c 2, d 1: b, then c (more steps)
    assert view.columns == ["b", "c"] and view.other_columns == ["a", "d"]
    assert view.tally("j1", None) == (2, 0, 0)  # j1 in a: 2 steps
    assert view.tally("j4", None) == (1, 1, 1)  # j4 in d: 1 step, 1 uncovered in
    assert view.tally("j3", None) is None  # j3 is in neither a nor d
    dot = view.to_dot()
    assert "other silos (2)" in dot and "2 of 4 silos" in dot


def _desk(units: int = 649, journeys: int = 3369, seed: int = 3) -> str:
    """A flat service desk: every resolver group its own silo, variants of 2-5 steps, a
    long tail of volumes (the shape of an imported service-desk log)."""
    rng = random.Random(seed)
    groups = [f"g{i}" for i in range(1, units)]
    weights = [1 / i**0.9 for i in range(1, units)]
    return json.dumps(
        doc(
            units=[unit("board", kind="board"), *(unit(g, "board") for g in groups)],
            journeys=[
                {
                    "id": f"v{k}",
                    "name": f"Variant {k}",
                    "volume": round(1000 / (k + 1) ** 1.1, 3),
                    "steps": [
                        {"name": "x", "unit": u}
                        for u in rng.choices(groups, weights, k=rng.randint(2, 5))
                    ],
                }
                for k in range(journeys)
            ],
        )
    )


def test_a_service_desk_sized_matrix_stays_small_in_every_format(tmp_path) -> None:
    path = tmp_path / "desk.json"
    path.write_text(_desk(), encoding="utf-8")
    ctx = ViewContext(build_enterprise(load_text(path.read_text(encoding="utf-8"))))
    assert len(ctx.silos.journeys) == 3369
    sizes = {}
    for fmt in ("svg", "dot", "mmd"):
        data = render(ctx, "matrix", fmt, ViewOptions(), engine="builtin").data
        sizes[fmt] = len(data)
        assert b"other journeys (3,319)" in data or b"other journeys #40;3,319#41;" in data
    # before: 231 MB of SVG, 62 MB of DOT, 151 MB of Mermaid for this size
    assert sizes["svg"] < 2_000_000 and sizes["dot"] < 1_000_000 and sizes["mmd"] < 1_000_000
    out = tmp_path / "m.svg"
    result = run_main("render", path, "--view", "matrix", "--top", "10", "-o", out)
    assert result.returncode == 0, result.stderr
    assert "other journeys (3,359)" in out.read_text(encoding="utf-8")


def test_top_must_be_positive(tmp_path) -> None:
    path = tmp_path / "s.json"
    path.write_text(json.dumps(doc(units=[unit("board", kind="board")])), encoding="utf-8")
    result = run_main("render", path, "--view", "matrix", "--top", "0", "-o", tmp_path / "m.svg")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert not (tmp_path / "m.svg").exists()
