"""Where each waiver of a config file is written, so that P03 and P04 point at a line."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from test_check_scenario import PROPOSAL_FILE, analyzed, proposal_data, text_of

from orgmodel.compare.policy import Analyzed, evaluate
from orgmodel.config import Config, load_config, waiver_places

TOML = '''\
fail_on = "error"   # [[waivers]] in a comment is no waiver

[rules.S01]
enabled = false

[[waivers]]
code = "J06"
reason = """Several lines,
[[waivers]]
and a header-like line inside the string"""
expires = 2024-12-31

  [[ "waivers" ]]   # indented, quoted, spaced
fingerprint = "0123456789abcdef"
reason = 'it names nothing'
'''


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def test_each_waiver_table_is_found_at_its_header() -> None:
    assert waiver_places(TOML, 2) == [(6, 1), (13, 3)]


def test_pyproject_waivers_are_under_tool_orgmodel() -> None:
    text = (
        '[project]\nname = "x"\n\n[[waivers]]\nreason = "not ours"\n\n'
        '[tool.orgmodel]\nfail_on = "never"\n\n[[tool.orgmodel.waivers]]\ncode = "J06"\n'
        'reason = "r"\n\n[[tool . "orgmodel" . waivers]]\ncode = "J07"\nreason = "r"\n'
    )
    assert waiver_places(text, 2, table=("tool", "orgmodel")) == [(10, 1), (14, 1)]


def test_an_inline_array_of_waivers_is_found_at_its_key() -> None:
    text = (
        'fail_on = "error"\nwaivers = [\n  {code = "J06", reason = "a"},\n'
        '  {code = "J07", reason = "b"},\n]\n'
    )
    assert waiver_places(text, 2) == [(2, 1), (2, 1)]
    pyproject = '[tool.orgmodel]\nwaivers = [{code = "J06", reason = "a"}]\n'
    assert waiver_places(pyproject, 1, table=("tool", "orgmodel")) == [(2, 1)]
    dotted = 'tool.orgmodel.waivers = [{code = "J06", reason = "a"}]\n'
    assert waiver_places(dotted, 1, table=("tool", "orgmodel")) == [(1, 1)]


def test_a_waiver_that_cannot_be_found_has_no_place() -> None:
    assert waiver_places("", 1) == [None]
    assert waiver_places("[[waivers]]\ncode = 'J06'\nreason = 'r'\n", 2) == [(1, 1), None]


def test_load_config_records_where_each_waiver_is(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, "orgmodel.toml", TOML))
    assert [w.place for w in config.waivers] == [(6, 1), (13, 3)]
    pyproject = load_config(
        write(
            tmp_path,
            "pyproject.toml",
            '[tool.orgmodel]\n\n[[tool.orgmodel.waivers]]\ncode = "J06"\nreason = "r"\n',
        )
    )
    assert [w.place for w in pyproject.waivers] == [(3, 1)]
    assert (
        Config.model_validate({"waivers": [{"code": "J06", "reason": "r"}]}).waivers[0].place
        is None
    )


def test_expired_and_unused_waivers_point_at_their_line(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, "orgmodel.toml", TOML))
    _, _, proposal, report = analyzed(config, with_baseline=False)
    result = evaluate(
        Analyzed(PROPOSAL_FILE, proposal, report, text_of(proposal_data())),
        config=config,
        config_file="orgmodel.toml",
        today=date(2025, 1, 15),
    )
    places = {
        c.finding.code: (c.file, c.finding.line, c.finding.column)
        for c in result.findings
        if c.finding.code in ("P03", "P04")
    }
    assert places == {"P03": ("orgmodel.toml", 6, 1), "P04": ("orgmodel.toml", 13, 3)}
