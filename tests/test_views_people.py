"""The people chart: ``render --view orgchart --people`` draws one box per position."""

from __future__ import annotations

import sys
from pathlib import Path

from conftest import DATA, ROOT, run_main

from orgmodel.graph import build_enterprise
from orgmodel.importers import document_json
from orgmodel.importers.hris import import_hris
from orgmodel.loader import load_text
from orgmodel.views import ViewContext, ViewOptions, render

sys.path.insert(0, str(ROOT / "benchmarks"))
import people_csv


def _svg(document_text: str, people: bool | None) -> str:
    ent = build_enterprise(load_text(document_text))
    return render(
        ViewContext(ent), "orgchart", "svg", ViewOptions(people=people), engine="builtin"
    ).data.decode("utf-8")


def test_people_chart_of_a_generated_1500_person_csv(tmp_path: Path) -> None:
    csv_path = tmp_path / "people.csv"
    people_csv.write(1500, str(csv_path))
    data = import_hris(str(csv_path)).data
    positions = data["positions"]
    assert isinstance(positions, list) and len(positions) == 1500
    svg = _svg(document_json(data), True)
    staff = sum(1 for p in positions if p.get("staff"))
    assert svg.count('<g class="unit"') == 1500 - staff
    assert svg.count('<g class="staff"') == staff > 0
    assert "People chart:" in svg and f"{1500 - staff} of {1500 - staff} people" in svg


def test_people_boxes_show_holder_and_title() -> None:
    text = (DATA / "import" / "org-current.json").read_text(encoding="utf-8")
    svg = _svg(text, True)
    assert "Felix Roth" in svg and "Team lead billing" in svg
    assert 'class="staff" data-id="p2"' in svg  # the CEO's assistant beside her
    unit_chart = _svg(text, None)  # several units: the unit chart unless asked
    assert "People chart" not in unit_chart


def test_a_people_list_gets_the_people_chart_without_asking(tmp_path: Path) -> None:
    text = (
        '{"orgmodel": "1", "name": "List", "units": [{"id": "all", "name": "All"}], '
        '"positions": [{"id": "a", "title": "Boss", "unit": "all", "holder": "Ann"}, '
        '{"id": "b", "title": "Dev", "unit": "all", "reports_to": "a"}]}'
    )
    svg = _svg(text, None)
    assert "People chart" in svg and "vacant" in svg
    assert "People chart" not in _svg(text, False)


def test_render_people_option(tmp_path: Path) -> None:
    out = tmp_path / "people.mmd"
    done = run_main(
        "render", DATA / "import" / "org-current.json", "--view", "orgchart", "--people", "-o", out
    )
    assert done.returncode == 0, done.stderr
    assert "<b>Katrin Vogel</b><br><i>CEO</i>" in out.read_text(encoding="utf-8")
