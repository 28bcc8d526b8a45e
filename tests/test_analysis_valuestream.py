"""Value-stream analysis against hand-computed figures (definitions: docs/metrics.md, "Value
streams"). The organization is the one of test_analysis_silos (silos at depth 1: sales,
service, finance, cco)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from orgmodel.analysis import analyze
from orgmodel.analysis.valuestream import StreamFigures, ValueStreamSection, stream_figures, visits
from orgmodel.graph import build_enterprise
from orgmodel.loader import load_text
from orgmodel.output import ANALYSIS_FORMATS
from tests.test_analysis_silos import UNITS, enterprise, journey

H = 3600


def step(unit: str, *, wait: str = "0", work: str = "0", **fields: object) -> dict:
    return {"name": f"step at {unit}", "unit": unit, "wait": wait, "work": work, **fields}


def stream(*steps: dict, **fields: object) -> StreamFigures:
    ent = enterprise(journey(list(steps), **fields))
    return stream_figures(ent, ent.document.journeys[0])


def test_one_step_journey() -> None:
    f = stream(step("hotline", wait="1h", work="1h", complete_accurate=0.8))
    assert f.rolled_complete_accurate == pytest.approx(0.8)
    assert (f.handoffs, f.expected_handoffs, f.crossings, f.expected_crossings) == (0, 0, 0, 0)
    assert [s.expected_visits for s in f.step_figures] == [1.0]
    assert (f.value_added_ratio, f.activity_ratio, f.non_value_added_time) == (0.5, 0.5, H)
    assert (f.channel_switches, f.direct_ping_pong, f.rework_loops) == (0, 0, [])


def test_rework_loop_that_crosses_a_silo() -> None:
    # field (sales) -> billing (finance); billing sends 20 % back to field.
    # Visits of both steps: 1 / (1 - 0.2) = 1.25. Transitions: field -> billing 1.25 x 1,
    # billing -> field 1.25 x 0.2 = 0.25; both cross the silo wall: 1.5 expected.
    f = stream(
        step("field", work="1h"),
        step("billing", wait="2h", work="1h", rework=[{"to": "1", "share": 0.2}]),
    )
    assert [s.expected_visits for s in f.step_figures] == pytest.approx([1.25, 1.25])
    assert (f.handoffs, f.crossings) == (1, 1)
    assert f.expected_handoffs == pytest.approx(1.5)
    assert f.expected_crossings == pytest.approx(1.5)
    assert f.expected_waiting == pytest.approx(2.5 * H)
    assert f.expected_work == pytest.approx(2.5 * H)
    assert f.expected_lead_time == pytest.approx(5 * H)
    assert f.max_expected_visits == pytest.approx(1.25)
    assert f.rework_crossings == 1
    loop = f.rework_loops[0]
    assert (loop.step, loop.to_step, loop.from_unit, loop.to_unit, loop.crosses_silo) == (
        2,
        1,
        "billing",
        "field",
        True,
    )


def test_two_nested_loops() -> None:
    # Step 4 sends 50 % back to step 1, step 3 sends 50 % back to step 2 (inside the outer
    # loop): step 1 and 4 are visited 1 / (1 - 0.5) = 2 times, steps 2 and 3 2 x 2 = 4 times.
    # Every transition is a handoff (the units alternate), and there are 12 visits, so 11
    # transitions: 2 (1->2) + 4 (2->3) + 2 (3->2) + 2 (3->4) + 1 (4->1). No silo is crossed.
    f = stream(
        step("hotline", wait="1h"),
        step("complaints"),
        step("hotline", rework=[{"to": "2", "share": 0.5}]),
        step("complaints", rework=[{"to": "1", "share": 0.5}]),
    )
    assert [s.expected_visits for s in f.step_figures] == pytest.approx([2, 4, 4, 2])
    assert f.expected_step_visits == pytest.approx(12)
    assert (f.handoffs, f.expected_handoffs) == (3, pytest.approx(11))
    assert f.expected_crossings == 0
    assert f.rework_crossings == 0
    assert f.expected_waiting == pytest.approx(2 * H)


def test_visits_of_separate_and_overlapping_loops() -> None:
    assert visits(3, {}) == [1.0, 1.0, 1.0]
    assert visits(5, {1: [(0, 0.5)], 4: [(3, 0.75)]}) == pytest.approx([2, 2, 1, 4, 4])
    # Overlapping loops 3->1 and 4->2 (0-based 2->0, 3->1), shares 0.5 each: solving
    # v1 = 1 + 0.5 v3, v2 = v1 + 0.5 v4, v3 = v2, v4 = 0.5 v3 gives v3 = 4, v4 = 2, v1 = 3.
    assert visits(4, {2: [(0, 0.5)], 3: [(1, 0.5)]}) == pytest.approx([3, 4, 4, 2])
    # Two loops from one step: 0.25 back to step 1 and 0.25 to step 2.
    # v1 = 1 + 0.25 v3, v2 = v1 + 0.25 v3, v3 = v2 -> v3 = 1 / 0.5 = 2, v1 = 1.5.
    assert visits(3, {2: [(0, 0.25), (1, 0.25)]}) == pytest.approx([1.5, 2, 2])


def test_rolled_complete_accurate_leaves_out_steps_without_one() -> None:
    f = stream(
        step("hotline", complete_accurate=0.9),
        step("hotline"),
        step("billing", complete_accurate=0.5),
    )
    assert f.rolled_complete_accurate == pytest.approx(0.45)
    assert (f.complete_accurate_steps, f.lowest_complete_accurate) == (2, 0.5)
    g = stream(step("hotline"), step("billing"))
    assert (g.rolled_complete_accurate, g.lowest_complete_accurate) == (None, None)


def test_value_added_ratio_activity_ratio_and_non_value_added_time() -> None:
    # Value-adding work 2h, non-value-adding work 1h, waiting 5h: lead time 8h.
    f = stream(
        step("hotline", wait="1h", work="2h"),
        step("billing", wait="4h", work="1h", value_adding=False),
    )
    assert f.lead_time == 8 * H
    assert f.activity_ratio == pytest.approx(3 / 8)
    assert f.value_added_ratio == pytest.approx(2 / 8)
    assert f.non_value_added_time == 6 * H
    assert f.value_added_ratio_with_rework == pytest.approx(2 / 8)
    assert stream(step("hotline")).value_added_ratio is None


def test_channel_switches_skip_back_office_steps_and_touchpoints_without_channel() -> None:
    f = stream(
        step("hotline", touchpoint=True, channel="phone"),
        step("billing"),
        step("hotline", touchpoint=True, channel="web"),
        step("hotline", touchpoint=True, channel="web"),
        step("hotline", touchpoint=True),
        step("field", touchpoint=True, channel="phone"),
    )
    assert f.channel_path == ["phone", "web", "web", "phone"]
    assert f.channel_switches == 2


def test_direct_ping_pong_beside_silo_reentries() -> None:
    # Unit path hotline, billing, hotline, billing, field: hotline and billing come back
    # right after the unit they handed to.
    assert (
        stream(
            step("hotline"),
            step("billing"),
            step("hotline"),
            step("hotline"),
            step("billing"),
            step("field"),
        ).direct_ping_pong
        == 2
    )
    # Within one silo: a direct return, no silo re-entry.
    ent = enterprise(journey([step("hotline"), step("complaints"), step("hotline")]))
    report = analyze(ent)
    vs = report.section("valuestream")
    assert isinstance(vs, ValueStreamSection)
    assert (vs.journeys[0].direct_ping_pong, vs.journeys[0].silo_reentries) == (1, 0)
    # A detour over two silos: a silo re-entry, no direct return.
    ent = enterprise(journey([step("hotline"), step("billing"), step("field"), step("hotline")]))
    vs = analyze(ent).section("valuestream")
    assert isinstance(vs, ValueStreamSection)
    assert (vs.journeys[0].direct_ping_pong, vs.journeys[0].silo_reentries) == (0, 1)


def test_problems_per_step_unit_silo_and_journey() -> None:
    ent = enterprise(
        journey(
            [
                step("hotline", problems=[{"text": "a", "weight": 3}, {"text": "b"}]),
                step("billing", problems=[{"text": "c", "weight": 7}]),
                step("dunning", problems=[{"text": "d", "weight": 2}]),
            ],
            jid="j1",
        ),
        journey([step("complaints", problems=[{"text": "e", "weight": 7}])], jid="j2"),
    )
    vs = analyze(ent).section("valuestream")
    assert isinstance(vs, ValueStreamSection)
    assert [j.problem_weight for j in vs.journeys] == [13, 7]
    assert [s.problem_weight for s in vs.journeys[0].step_figures] == [4, 7, 2]
    assert [(p.weight, p.journey, p.text) for p in vs.top_problems] == [
        (7, "j1", "c"),
        (7, "j2", "e"),
        (3, "j1", "a"),
        (2, "j1", "d"),
        (1, "j1", "b"),
    ]
    assert [(u.id, u.problems, u.weight) for u in vs.units] == [
        ("billing", 1, 7),
        ("complaints", 1, 7),
        ("hotline", 2, 4),
        ("dunning", 1, 2),
    ]
    assert [(s.id, s.problems, s.weight) for s in vs.silos] == [
        ("service", 3, 11),
        ("finance", 2, 9),
    ]


def test_rework_target_by_id_and_validation() -> None:
    f = stream(step("hotline", id="take"), step("billing", rework=[{"to": "take", "share": 0.5}]))
    assert f.rework_loops[0].to_step == 1
    base = {"orgmodel": "1", "name": "T", "units": UNITS}
    for rework, words in (
        ([{"to": "2", "share": 0.5}], "not an earlier step"),
        ([{"to": "1", "share": 0.5}, {"to": "1", "share": 0.5}], "below 1"),
    ):
        doc = {**base, "journeys": [journey([step("hotline"), step("billing", rework=rework)])]}
        with pytest.raises(Exception, match=words):
            load_text(json.dumps(doc))


@pytest.mark.parametrize("fmt", ["text", "json", "markdown"])
def test_every_report_format_shows_the_value_stream(fmt: str) -> None:
    ent = enterprise(
        journey(
            [
                step("field", work="1h", complete_accurate=0.5),
                step("billing", wait="2h", work="1h", rework=[{"to": "1", "share": 0.2}]),
            ]
        )
    )
    out = ANALYSIS_FORMATS[fmt](analyze(ent))
    if fmt == "json":
        vs = json.loads(out)["sections"]["valuestream"]["journeys"][0]
        assert vs["rolled_complete_accurate"] == 0.5
        assert vs["expected_handoffs"] == pytest.approx(1.5)
    else:
        assert "Value streams" in out and "Rework loops" in out and "50.0 %" in out


# ----------------------------------------------------------------------------- properties

_UNITS = ["hotline", "complaints", "billing", "field"]


@st.composite
def _journeys(draw: st.DrawFn) -> dict:
    n = draw(st.integers(1, 7))
    steps = []
    for i in range(n):
        s = step(draw(st.sampled_from(_UNITS)), wait=f"{draw(st.integers(0, 9))}h")
        ca = draw(st.none() | st.floats(0, 1))
        if ca is not None:
            s["complete_accurate"] = ca
        if i and draw(st.booleans()):
            s["rework"] = [
                {"to": str(draw(st.integers(1, i))), "share": draw(st.floats(0.01, 0.9))}
            ]
        steps.append(s)
    return journey(steps)


@settings(max_examples=60, deadline=None)
@given(_journeys())
def test_properties_of_the_value_stream_figures(j: dict) -> None:
    ent = build_enterprise(
        load_text(json.dumps({"orgmodel": "1", "name": "T", "units": UNITS, "journeys": [j]}))
    )
    f = stream_figures(ent, ent.document.journeys[0])
    if f.rolled_complete_accurate is not None:
        assert 0 <= f.rolled_complete_accurate <= 1
        assert f.lowest_complete_accurate is not None
        assert f.rolled_complete_accurate <= f.lowest_complete_accurate + 1e-12
    assert f.expected_handoffs >= f.handoffs - 1e-9
    assert f.expected_crossings >= f.crossings - 1e-9
    assert f.expected_waiting >= f.wait - 1e-6
    assert all(s.expected_visits >= 1 - 1e-9 for s in f.step_figures)
    # Each visit but the first is entered by one transition.
    assert f.expected_handoffs <= f.expected_step_visits - 1 + 1e-9


def test_without_rework_the_expected_figures_are_the_counts() -> None:
    # field -> inside: a handoff in sales; inside -> hotline: a crossing; hotline -> hotline:
    # none; hotline -> billing -> dunning: a crossing, then a handoff in finance.
    f = stream(
        step("field", work="1h"),
        step("inside", work="2h"),
        step("hotline", wait="1h"),
        step("hotline"),
        step("billing", work="3h"),
        step("dunning"),
    )
    assert (f.handoffs, f.crossings) == (4, 2)
    assert (f.expected_handoffs, f.expected_crossings) == (4.0, 2.0)
    assert type(f.expected_handoffs) is float and type(f.expected_crossings) is float
    assert (f.expected_step_visits, f.expected_work, f.expected_lead_time) == (6.0, 6 * H, 7 * H)
