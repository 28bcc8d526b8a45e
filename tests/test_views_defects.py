"""Defects found by looking at the gallery, kept fixed."""

from __future__ import annotations

import json

from conftest import doc, unit

from orgmodel import load_text
from orgmodel.graph import build_enterprise
from orgmodel.views import ViewContext, render


def test_a_unit_of_one_says_one_person() -> None:
    text = json.dumps(
        doc(
            units=[
                unit("board", kind="board", headcount=1),
                unit("sales", "board", headcount=12),
                unit("team", "sales", headcount=1),
            ]
        )
    )
    ctx = ViewContext(build_enterprise(load_text(text)))
    for fmt in ("svg", "dot", "mmd"):
        out = render(ctx, "orgchart", fmt).data.decode()
        assert "1 people" not in out
        assert "1 person" in out and "12 people" in out
