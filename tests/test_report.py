"""The HTML report: self-contained, deterministic, escaped, small enough."""

from __future__ import annotations

import json
import re
from pathlib import Path

from conftest import doc, run_cli, unit

from orgmodel import load_text
from orgmodel.app import Source
from orgmodel.report import ReportRequest, build

ROOT = Path(__file__).resolve().parent.parent
TELECOM = ROOT / "examples" / "telecom"

HOSTILE = "<script>alert('x')</script>"


def _page(path: Path, baseline: Path | None = None) -> str:
    def source(p: Path) -> Source:
        text = p.read_text("utf-8")
        return Source(str(p.relative_to(ROOT)), load_text(text, str(p)), text)

    return build(ReportRequest(source(path), source(baseline) if baseline else None))


def _hostile_document() -> str:
    return json.dumps(
        doc(
            name=HOSTILE,
            units=[
                unit("board", name=HOSTILE, kind="board", head="</script><b>x</b>"),
                unit("sales", "board", name="Sales & <Service>", silo=True),
                unit("ops", "board", name='Ops "quoted"', silo=True),
            ],
            positions=[
                {
                    "id": "p1",
                    "title": "<img src=x onerror=alert(1)>",
                    "unit": "sales",
                    "holder": "</script>",
                }
            ],
            journeys=[
                {
                    "id": "j",
                    "name": HOSTILE,
                    "owner": "sales",
                    "steps": [
                        {"name": HOSTILE, "unit": "sales", "problems": [{"text": "<i>bad</i>"}]},
                        {"name": "Then <b>ops</b>", "unit": "ops", "wait": "1d"},
                    ],
                }
            ],
        )
    )


def test_report_is_deterministic() -> None:
    first = _page(TELECOM / "tidy.json", TELECOM / "current.json")
    second = _page(TELECOM / "tidy.json", TELECOM / "current.json")
    assert first == second


def test_telecom_report_is_at_most_one_megabyte() -> None:
    for name in ("current.json", "proposed.json", "tidy.json"):
        size = len(_page(TELECOM / name, TELECOM / "current.json").encode("utf-8"))
        assert size <= 1_000_000, (name, size)


def test_report_is_self_contained() -> None:
    page = _page(TELECOM / "proposed.json", TELECOM / "current.json")
    assert "default-src 'none'" in page
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", page)
    assert "@import" not in page and not re.search(r"url\((?!#)", page)
    for section in (
        "overview",
        "overlay",
        "orgchart",
        "journeys",
        "heatmap",
        "findings",
        "comparison",
    ):
        assert f'<section id="{section}"' in page


def test_every_text_of_the_document_is_escaped() -> None:
    text = _hostile_document()
    page = build(ReportRequest(Source("hostile.json", load_text(text, "x"), text)))
    # Only the page's own script element and its JSON data block.
    assert page.count("<script") == 2
    assert "<img" not in page and "<b>" not in page and "<i>bad" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    data = re.search(r'<script type="application/json" id="org-data">(.*?)</script>', page, re.S)
    assert data is not None
    assert json.loads(data.group(1))["units"][0][1] == HOSTILE


def test_report_command_writes_the_page(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    done = run_cli(
        "report", TELECOM / "tidy.json", "--baseline", TELECOM / "current.json", "-o", out
    )
    assert done.returncode == 0, done.stderr
    page = out.read_text("utf-8")
    assert 'id="regression-table"' in page and "orgmodel check: FAIL" in page
    done = run_cli("report", tmp_path / "missing.json", "-o", tmp_path / "x.html")
    assert done.returncode == 2 and not (tmp_path / "x.html").exists()
