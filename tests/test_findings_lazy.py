"""Findings: the analysis' findings made when read. Whatever is read of them (the whole
sequence, the first of each rule, chosen ones, the fingerprints) equals what making, sorting
and locating all of them gives; a text report makes only the findings it shows."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from conftest import doc, unit
from hypothesis import given, settings
from hypothesis import strategies as st

from orgmodel import diagnostics as diagnostics_module
from orgmodel.analysis import findings as findings_module
from orgmodel.analysis.findings import Batch, Finding, Findings, Item, Rule
from orgmodel.analysis.report import Report
from orgmodel.app import AnalyzeRequest, Source, analyze
from orgmodel.compare import diff as diff_module
from orgmodel.diagnostics import Places
from orgmodel.loader import load_text
from orgmodel.output import analysis_text
from orgmodel.output.grouped import PER_RULE, grouped

SEVERITIES = list(findings_module._SEVERITY_RANK)
CODES = ["A01", "A02", "B01", "J01"]


def _rule(code: str) -> Rule:
    return Rule(code, f"rule-{code.lower()}", SEVERITIES[0], "s")


paths = st.one_of(
    st.tuples(st.sampled_from(["units", "journeys"]), st.integers(0, 30)),
    st.tuples(st.just("journeys"), st.integers(0, 12), st.just("steps"), st.integers(0, 12)),
    st.tuples(st.sampled_from(["goals", "a b", "settings"])),
)
items = st.tuples(st.sampled_from(["m", "n"]), paths, st.tuples(st.sampled_from("abc")))
batches = st.lists(
    st.tuples(st.sampled_from(CODES), st.sampled_from(SEVERITIES), st.lists(items, max_size=25)),
    max_size=6,
)


def _made(spec: list) -> tuple[list[Batch], list[Finding]]:
    """The batches of ``spec`` (code, severity, items) with one severity per code, and their
    findings made in the order reported."""
    severity_of: dict[str, object] = {}
    out, made = [], []
    for code, severity, found in spec:
        severity = severity_of.setdefault(code, severity)
        batch = Batch(_rule(code), severity, list(found))
        out.append(batch)
        made += Finding.many(batch.rule, batch.severity, batch.items)
    return out, made


@settings(max_examples=150, deadline=None)
@given(batches, st.integers(0, 4))
def test_every_reading_equals_making_them_all(spec: list, first: int) -> None:
    reported, made = _made(spec)
    expected = Finding.sorted(made)
    found = Findings(reported)
    assert len(found) == len(made)
    assert found.fingerprints() == [f.fingerprint for f in made]
    assert found.counts() == {s: sum(f.severity is s for f in made) for s in SEVERITIES}
    shown = Findings(reported).first_per_rule(first)
    assert shown == findings_module._first_of_made(expected, first)
    chosen = list(range(0, len(made), 3))
    assert Findings(reported).chosen(chosen) == Finding.sorted([made[i] for i in chosen])
    assert list(found) == expected and found == expected and found[:2] == expected[:2]
    # Once made, the readings are those of the sequence as made.
    assert found.first_per_rule(first) == shown
    assert found.fingerprints() == [f.fingerprint for f in made]  # still in the order reported
    assert found.chosen(chosen) == Finding.sorted([made[i] for i in chosen])


def test_the_first_per_rule_are_located_as_when_all_are() -> None:
    text = json.dumps({"units": [{"id": f"u{i}"} for i in range(30)]}, indent=1)
    rule = _rule("A01")
    reported = [Batch(rule, SEVERITIES[1], [("m", ("units", i), (str(i),)) for i in range(30)])]
    places = Findings.places(reported, "org.json", text)
    ((_, _, total, shown),) = Findings(reported, places).first_per_rule(3)
    every = list(Findings(reported, places))
    assert total == 30 and shown == every[:3]
    assert [f.json_path for f in shown] == ["$.units[0]", "$.units[10]", "$.units[11]"]
    assert [f.line for f in shown] == [3, 33, 36] and all(f.column == 3 for f in shown)
    assert Places.scan("org.json", text, [("units", 10)]).at(("units", 10)).line == 33


def test_a_list_of_findings_reads_as_it_is() -> None:
    rule = _rule("A01")
    made = Finding.many(rule, SEVERITIES[2], [("m", ("units", i), (str(i),)) for i in (2, 1)])
    found = Findings.of(made)  # taken as made: not sorted again
    assert list(found) == made and found.fingerprints() == [f.fingerprint for f in made]
    assert [g.total for g in grouped(made)] == [2]


def test_in_json_the_findings_are_an_array(tmp_path: Path) -> None:
    document = doc(
        units=[unit("board", kind="board"), unit("desk", "board")],
        journeys=[
            {"id": f"j{i}", "name": f"J {i}", "steps": [{"name": "Asks", "unit": "desk"}]}
            for i in range(3)
        ],
    )
    text = json.dumps(document)
    report = analyze(AnalyzeRequest(Source("org.json", load_text(text), text)))
    dumped = json.loads(report.model_dump_json())
    assert [f["code"] for f in dumped["findings"]] == [f.code for f in report.findings]
    assert dumped["findings"][0]["path"] == report.findings[0].json_path
    again = Report.model_validate_json(report.model_dump_json())
    assert isinstance(again.findings, Findings) and list(again.findings) == list(report.findings)


def test_a_text_report_makes_only_the_findings_it_shows(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    count = 700
    document = doc(
        units=[unit("board", kind="board"), unit("desk", "board")],
        journeys=[
            {"id": f"j{i:04d}", "name": f"J {i}", "steps": [{"name": "Asks", "unit": "desk"}]}
            for i in range(count)
        ],
    )
    report = analyze(AnalyzeRequest(Source("org.json", load_text(json.dumps(document)))))
    made: Counter[str] = Counter()
    many = Finding.many.__func__  # type: ignore[attr-defined]

    def counting(cls: type[Finding], rule: Rule, severity: object, found: list[Item]) -> list:
        out = many(cls, rule, severity, found)
        made[rule.code] += len(out)
        return out

    monkeypatch.setattr(Finding, "many", classmethod(counting))
    text = analysis_text.render(report)
    assert f"-- J02 journey-without-owner: {count} findings, the first {PER_RULE}:" in text
    assert 0 < made["J02"] <= PER_RULE
    assert len(report.findings) == sum(report.counts.values()) > count
    assert sum(made.values()) < 100


@settings(max_examples=100, deadline=None)
@given(batches, batches)
def test_the_diff_matches_findings_as_making_them_all_does(before: list, after: list) -> None:
    old, old_made = _made(before)
    new, new_made = _made(after)
    delta = diff_module._findings(Findings(old), Findings(new))
    expected = _reference(Finding.sorted(old_made), Finding.sorted(new_made))
    assert (delta.introduced, delta.resolved, delta.unchanged) == expected


def _reference(before: list[Finding], after: list[Finding]) -> tuple[list, list, int]:
    """The diff of findings made and sorted: of several with one fingerprint, the first in
    report order match."""
    old = Counter(f.fingerprint for f in before)
    new = Counter(f.fingerprint for f in after)

    def beyond(found: list[Finding], other: Counter[str]) -> list[Finding]:
        seen: Counter[str] = Counter()
        out = []
        for f in found:
            seen[f.fingerprint] += 1
            if seen[f.fingerprint] > other[f.fingerprint]:
                out.append(f)
        return out

    introduced = beyond(after, old)
    return introduced, beyond(before, new), len(after) - len(introduced)


def test_places_scan_the_text_again_only_for_paths_not_located(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = json.dumps({"journeys": [{"id": f"j{i}", "steps": [{"unit": "a"}]} for i in range(5)]})
    text = text.replace("}, {", "},\n{")
    scanned = Places.scan("org.json", text, [("journeys", 3, "steps", 0, "unit")])
    calls: list[set] = []
    real = diagnostics_module.locate
    monkeypatch.setattr(
        diagnostics_module, "locate", lambda t, wanted: calls.append(wanted) or real(t, wanted)
    )
    # An ancestor of a located path is located: no scan.
    assert scanned.including(text, [("journeys", 3)]) is scanned and calls == []
    more = scanned.including(text, [("journeys", 3), ("journeys", 1)])
    assert calls == [{("journeys", 1)}]
    for path in [("journeys", 1), ("journeys", 3), ("journeys", 3, "steps", 0, "unit")]:
        assert more.at(path) == Places.scan("org.json", text, [path]).at(path)
    assert more.at(("journeys", 1)).line == 2


def test_indexes_of_the_fingerprints_hold_after_the_sequence_is_made() -> None:
    rule = _rule("A01")
    found = Findings(
        [Batch(rule, SEVERITIES[1], [("m", ("u", 2), ("b",)), ("m", ("u", 1), ("a",))])]
    )
    prints = found.fingerprints()
    before = found.chosen([0])
    list(found)  # an output reads the sequence (report order: $.u[1] first) in between
    assert found.fingerprints() == prints
    assert found.chosen([0]) == before and before[0].fingerprint == prints[0]
    assert found.unlocated([0, 1])[0].fingerprint == prints[0]


def test_a_diff_makes_the_findings_of_repeated_fingerprints_at_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each fingerprint once before and twice after: one call per side, not one per
    fingerprint (which made a diff of 10,000 such units take 14 s)."""
    rule = _rule("J01")
    before = [Batch(rule, SEVERITIES[1], [("m", ("j", i), (str(i),)) for i in range(300)])]
    after = [
        Batch(
            rule,
            SEVERITIES[1],
            [("m", ("j", i, "s", k), (str(i),)) for i in range(300) for k in (0, 1)],
        )
    ]
    calls: list[int] = []
    real = Findings.unlocated
    monkeypatch.setattr(
        Findings,
        "unlocated",
        lambda self, indexes: calls.append(len(indexes)) or real(self, indexes),
    )
    delta = diff_module._findings(Findings(before), Findings(after))
    assert calls[0] == 600 and len(calls) == 3  # the repeated ones, then chosen per side
    assert len(delta.introduced) == 300 and delta.unchanged == 300
    # Of the two with one fingerprint, the first in report order ($.j[i].s[0]) matches.
    assert {f.path for f in delta.introduced} == {("j", i, "s", 1) for i in range(300)}
    assert delta.introduced == Finding.sorted(delta.introduced)


def test_include_and_exclude_reach_the_findings_in_a_dump() -> None:
    document = load_text(json.dumps(doc(units=[unit("a"), unit("b")])), "org.json")
    report = analyze(AnalyzeRequest(Source("org.json", document, None)))
    assert len(report.findings) > 1
    one = report.model_dump(mode="json", include={"findings": {0}})
    assert len(one["findings"]) == 1
    lean = report.model_dump(mode="json", exclude={"findings": {"__all__": {"message", "line"}}})
    assert "message" not in lean["findings"][0] and "code" in lean["findings"][0]
