"""Findings at scale: text and Markdown reports group them per rule beyond LIST_ALL; JSON
keeps every one."""

from __future__ import annotations

import json

from conftest import doc, run_main, unit

from orgmodel.output.grouped import LIST_ALL, PER_RULE


def many_unowned_journeys(count: int) -> dict:
    journeys = [
        {
            "id": f"j{i:04d}",
            "name": f"Journey {i}",
            "steps": [{"name": "Asks", "unit": "desk", "touchpoint": True}],
        }
        for i in range(count)
    ]
    return doc(units=[unit("board", kind="board"), unit("desk", "board")], journeys=journeys)


def test_text_and_markdown_group_findings_per_rule_beyond_the_limit(tmp_path) -> None:  # type: ignore[no-untyped-def]
    count = LIST_ALL + 100
    path = tmp_path / "big.json"
    path.write_text(json.dumps(many_unowned_journeys(count)), encoding="utf-8")
    report = json.loads(run_main("analyze", path, "--format", "json").stdout)
    j02 = [f for f in report["findings"] if f["code"] == "J02"]
    assert len(j02) == count  # JSON keeps all
    text = run_main("analyze", path).stdout
    assert f"-- J02 journey-without-owner: {count} findings, the first {PER_RULE}:" in text
    assert f"... {count - PER_RULE} more J02 findings (--format json lists every finding)" in text
    assert text.count("J02 warning [journey-without-owner]") == PER_RULE
    markdown = run_main("analyze", path, "--format", "markdown").stdout
    assert (
        f"<summary>J02 journey-without-owner: {count} findings; the first {PER_RULE}, "
        f"{count - PER_RULE} more in `--format json`</summary>"
    ) in markdown
    check = run_main("check", path, "--format", "text", "--fail-on", "never").stdout
    assert f"-- J02 journey-without-owner: {count} non-blocking findings" in check


def test_small_reports_list_every_finding(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "small.json"
    path.write_text(json.dumps(many_unowned_journeys(30)), encoding="utf-8")
    text = run_main("analyze", path).stdout
    assert text.count("J02 warning [journey-without-owner]") == 30
    assert "-- J02" not in text
