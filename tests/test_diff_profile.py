"""The customer-centricity profile in ``orgmodel diff``: verdicts per area and every signal
before and after, with delta and direction, in the model and the three formats.

Telco Nord, current -> proposed, by hand (see tests/test_examples_centricity.py for the
figures of each document):

- board: accountable for 2 of 5 areas, neither customer nor market -> all 5: not met (0 of 3)
  -> met (3 of 3);
- overlay: no journey owned from the overlay (missing services undefined), owners sales and
  customer-service functional -> all 4 journeys owned by segment teams with services: not met
  (0 of 4) -> met (5 of 5);
- segments: no team (shared teams, journeys owned elsewhere undefined), value tiers and use
  met -> a team each: partly met (2 of 3) -> met (5 of 5);
- goals: 1 customer goal of 14 held by one unit, 11 conflicts -> 13 of 20, 13 holders,
  touchpoint units 6 of 7 and 3 conflicts still open: not met (0 of 7) -> partly met (5 of 7).
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from conftest import ROOT, analyze_document, doc, run_main, unit

from orgmodel import load_text
from orgmodel.compare.diff import Diff, Direction, diff_documents
from orgmodel.compare.profile import format_delta, format_value
from orgmodel.output import DIFF_FORMATS

TELECOM = ROOT / "examples" / "telecom"
AREAS = ["customer", "market", "innovation", "business-support", "manufacturing"]


def diff_of(before: dict[str, Any], after: dict[str, Any]) -> Diff:
    b = load_text(json.dumps(before), "before.json")
    a = load_text(json.dumps(after), "after.json")
    return diff_documents(
        b, analyze_document(b, source="before.json"), a, analyze_document(a, source="after.json")
    )


@pytest.fixture(scope="module")
def telecom() -> dict[str, Any]:
    result = run_main(
        "diff", TELECOM / "current.json", TELECOM / "proposed.json", "--format", "json"
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["profile"]


def test_telecom_verdicts_before_and_after(telecom: dict[str, Any]) -> None:
    areas = {
        a["area"]: (
            a["before"],
            a["met_before"],
            a["defined_before"],
            a["after"],
            a["met_after"],
            a["defined_after"],
            a["direction"],
        )
        for a in telecom["areas"]
    }
    assert list(areas) == ["board", "overlay", "segments", "goals"]
    assert areas == {
        "board": ("not met", 0, 3, "met", 3, 3, "better"),
        "overlay": ("not met", 0, 4, "met", 5, 5, "better"),
        "segments": ("partly met", 2, 3, "met", 5, 5, "better"),
        "goals": ("not met", 0, 7, "partly met", 5, 7, "better"),
    }


def test_telecom_signals_before_and_after(telecom: dict[str, Any]) -> None:
    signals = {s["id"]: s for s in telecom["signals"]}
    # Every signal once, in the profile's order: by area, 3 + 5 + 5 + 7.
    assert [s["area"] for s in telecom["signals"]] == (
        ["board"] * 3 + ["overlay"] * 5 + ["segments"] * 5 + ["goals"] * 7
    )
    assert list(signals)[:3] == ["board-customer", "board-market", "board-areas"]

    def row(ident: str) -> tuple:
        s = signals[ident]
        return (s["before"], s["after"], s["delta"], s["direction"])

    assert row("board-areas") == (0.4, 1.0, 0.6, "better")  # 2 of 5 -> 5 of 5
    assert row("board-customer") == (0.0, 1.0, 1.0, "better")
    assert row("journeys-overlay-owned") == (0.0, 1.0, 1.0, "better")  # 0 of 4 -> 4 of 4
    assert row("owners-outside-overlay") == (2.0, 0.0, -2.0, "better")  # lower is better
    assert row("goal-conflicts") == (11.0, 3.0, -8.0, "better")
    assert row("customer-goal-holders") == (1.0, 13.0, 12.0, "better")
    assert row("segments-with-value-tier") == (1.0, 1.0, 0.0, "same")
    # Undefined in the current organization: no delta, no direction.
    assert row("missing-services") == (None, 0.0, None, "n/a")
    assert row("shared-teams") == (None, 0.0, None, "n/a")
    share = signals["customer-goal-share"]
    assert share["before"] == pytest.approx(1 / 14) and share["after"] == pytest.approx(13 / 20)
    assert share["delta"] == pytest.approx(13 / 20 - 1 / 14)
    assert (share["met_before"], share["met_after"], share["target"]) == (False, True, ">= 50 %")
    touch = signals["touchpoint-units-with-customer-goal"]
    assert (touch["met_before"], touch["met_after"], touch["direction"]) == (False, False, "better")
    assert signals["goal-conflicts"]["better"] == "lower"
    assert [
        d
        for d in ("better", "worse", "same", "n/a")
        if any(s["direction"] == d for s in telecom["signals"])
    ] == ["better", "same", "n/a"]
    assert sum(s["direction"] == "better" for s in telecom["signals"]) == 15


def test_telecom_profile_in_text_and_markdown() -> None:
    args = ("diff", TELECOM / "current.json", TELECOM / "proposed.json")
    text = run_main(*args).stdout
    summary = (
        "Customer-centricity: board not met -> met, overlay not met -> met, "
        "segments partly met -> met, goals not met -> partly met"
    )
    assert summary + "\n" in text
    lines = text.splitlines()
    # The profile comes right after the journey totals, before the first journey.
    start = lines.index("Customer-centricity profile, baseline -> proposal")
    assert (
        lines.index("Totals over all journeys")
        < start
        < next(i for i, line in enumerate(lines) if line.startswith("Journey "))
    )
    assert lines[start + 3].split() == [
        "board",
        "not",
        "met",
        "(0",
        "of",
        "3)",
        "met",
        "(3",
        "of",
        "3)",
        "better",
    ]
    assert "Customer-centricity signals (15 better, 0 worse, 2 same, 3 n/a)" in lines
    rows = {line.split()[1]: line.split()[2:] for line in lines[start + 11 : start + 31]}
    assert rows["board-areas"] == [
        "40.0",
        "%",
        "100.0",
        "%",
        "+60.0",
        "pp",
        "better",
        "100",
        "%",
        "no",
        "->",
        "yes",
    ]
    assert rows["journeys-overlay-owned"][:7] == [
        "0.0",
        "%",
        "100.0",
        "%",
        "+100.0",
        "pp",
        "better",
    ]
    assert rows["goal-conflicts"] == ["11", "3", "-8", "better", "0", "no", "->", "no"]
    assert rows["missing-services"] == ["-", "0", "-", "n/a", "0", "-", "->", "yes"]

    markdown = run_main(*args, "--format", "markdown").stdout
    head = markdown.split("<details>")[0]
    assert summary.replace("->", "→") + "\n" in head
    assert (
        "<summary>Customer-centricity profile (signals: 15 better, 0 worse, 2 same, "
        "3 n/a)</summary>"
    ) in markdown
    assert (
        "| board | Areas with an accountable board unit (board-areas) | 40.0 % | 100.0 % | "
        "+60.0 pp | better | 100 % | no → yes |"
    ) in markdown
    assert "| goals | not met (0 of 7) | partly met (5 of 7) | better |" in markdown


# --------------------------------------------------------------------------- getting worse


def _board_and_journey() -> tuple[dict[str, Any], dict[str, Any]]:
    """Before: the board is accountable for every area, journey j is owned by the customer
    unit care, which ops serves. After: the board drops the customer layer, and the
    functional unit ops owns j."""
    before = doc(
        units=[
            unit("board", kind="board", accountable_for=AREAS),
            unit("care", "board", layer="customer"),
            unit("ops", "board"),
        ],
        services=[{"id": "s", "name": "S", "provider": "ops", "consumer": "care"}],
        journeys=[
            {
                "id": "j",
                "name": "J",
                "owner": "care",
                "steps": [
                    {"name": "ask", "unit": "care", "touchpoint": True},
                    {"name": "do", "unit": "ops"},
                ],
            }
        ],
    )
    after = copy.deepcopy(before)
    after["units"][0]["accountable_for"] = AREAS[1:]
    after["journeys"][0]["owner"] = "ops"
    return before, after


def test_a_proposal_that_makes_the_profile_worse() -> None:
    diff = diff_of(*_board_and_journey())
    areas = {
        a.area: (
            a.before,
            a.met_before,
            a.defined_before,
            a.after,
            a.met_after,
            a.defined_after,
            a.direction,
        )
        for a in diff.profile.areas
    }
    assert areas == {
        "board": ("met", 3, 3, "partly met", 1, 3, Direction.WORSE),
        "overlay": ("met", 4, 4, "not met", 0, 3, Direction.WORSE),
        "segments": ("not modelled", 0, 0, "not modelled", 0, 0, Direction.SAME),
        "goals": ("not met", 0, 3, "not met", 0, 3, Direction.SAME),
    }
    signals = {s.id: (s.before, s.after, s.delta, s.direction) for s in diff.profile.signals}
    assert signals["board-customer"] == (1, 0, -1, Direction.WORSE)
    assert signals["board-market"] == (1, 1, 0, Direction.SAME)
    assert signals["board-areas"] == (1, 0.8, -0.2, Direction.WORSE)  # rounded, exact
    assert signals["journeys-overlay-owned"] == (1, 0, -1, Direction.WORSE)
    # A count whose target is 0: up is worse.
    assert signals["owners-outside-overlay"] == (0, 1, 1, Direction.WORSE)
    # Defined before, undefined after (no journey owned from the overlay any more).
    assert signals["missing-services"] == (0, None, None, Direction.UNDEFINED)
    # Undefined on both sides: no volume, no segments.
    assert signals["volume-overlay-owned"] == (None, None, None, Direction.UNDEFINED)
    assert signals["segments-with-team"] == (None, None, None, Direction.UNDEFINED)
    assert [diff.profile.count(d) for d in Direction] == [0, 5, 4, 11]
    assert diff.profile.changed and not diff.unchanged


def test_worse_in_every_format() -> None:
    diff = diff_of(*_board_and_journey())
    text = DIFF_FORMATS["text"](diff)
    assert (
        "Customer-centricity: board met -> partly met, overlay met -> not met, "
        "segments not modelled -> not modelled, goals not met -> not met\n"
    ) in text
    assert "Customer-centricity signals (0 better, 5 worse, 4 same, 11 n/a)" in text
    board_areas = next(
        line for line in text.splitlines() if line.startswith("board     board-areas")
    )
    assert board_areas.split()[2:] == [
        "100.0",
        "%",
        "80.0",
        "%",
        "-20.0",
        "pp",
        "worse",
        "100",
        "%",
        "yes",
        "->",
        "no",
    ]
    undefined = next(
        line for line in text.splitlines() if line.startswith("segments  segments-with-team")
    )
    assert undefined.split()[2:] == ["-", "-", "-", "n/a", "100", "%", "-", "->", "-"]

    markdown = DIFF_FORMATS["markdown"](diff)
    assert (
        "Customer-centricity: **board met → partly met**, **overlay met → not met**, "
        "segments not modelled → not modelled, goals not met → not met\n"
    ) in markdown
    assert "| overlay | met (4 of 4) | not met (0 of 3) | worse |" in markdown

    data = json.loads(DIFF_FORMATS["json"](diff))["profile"]
    missing = next(s for s in data["signals"] if s["id"] == "missing-services")
    assert missing == {
        "id": "missing-services",
        "area": "overlay",
        "label": "Missing internal services",
        "unit": "count",
        "better": "lower",
        "target": "0",
        "before": 0.0,
        "after": None,
        "delta": None,
        "direction": "n/a",
        "met_before": True,
        "met_after": None,
    }


def test_the_same_document_leaves_the_profile_unchanged() -> None:
    before, _ = _board_and_journey()
    diff = diff_of(before, before)
    assert not diff.profile.changed and diff.unchanged
    assert {a.direction for a in diff.profile.areas} == {Direction.SAME}
    assert {s.direction for s in diff.profile.signals} == {Direction.SAME, Direction.UNDEFINED}


def test_value_and_delta_formats() -> None:
    assert format_value("share", 0.4) == "40.0 %"
    assert format_value("count", 11.0) == "11"
    assert format_value("flag", 1.0) == "1"
    assert format_value("share", None) == "-"
    assert format_delta("share", 0.6) == "+60.0 pp"
    assert format_delta("share", -0.0004) == "-0.04 pp"
    assert format_delta("count", -8.0) == "-8"
    assert format_delta("flag", 1.0) == "+1"
    assert format_delta("count", 0.0) == "0"
    assert format_delta("count", None) == "-"
