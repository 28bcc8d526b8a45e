"""Markdown reports keep document text inside its code spans and out of raw HTML.

A value with backticks (an id ``a`b``, a key ``````, a file name) used to close the code
span it was put in, and what followed became Markdown, HTML included. The reports are
parsed here with a CommonMark parser (markdown-it-py, with GitHub's tables), which says what
a reader of the pull-request comment gets.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

from orgmodel.analysis.findings import Findings
from orgmodel.output import check_markdown, diff_markdown
from orgmodel.textsafe import markdown_code, one_line
from tests.conftest import run_main

DATA = Path(__file__).parent / "data"
PARSER = MarkdownIt("commonmark").enable("table")

HOSTILE = ["a`b", "``", "`", "x<script>", "`<script>alert(1)</script>`", " a ", "a|b", "a\\|b"]
#: The only raw HTML the writers use themselves: the folded sections.
OWN_HTML = {"<details>", "<details open>", "</details>", "<summary>", "</summary>"} | {
    check_markdown.MARKER,
    diff_markdown.MARKER,
}


def _tokens(tokens: list[Token]) -> list[Token]:
    out = []
    for token in tokens:
        out.append(token)
        out += _tokens(token.children or [])
    return out


def _raw_html(markdown: str) -> list[str]:
    """The raw HTML a CommonMark reader gets from ``markdown`` that the writers did not
    write themselves (``<summary>`` blocks split into their tags and text)."""
    found = []
    for token in _tokens(PARSER.parse(markdown)):
        if token.type not in ("html_inline", "html_block"):
            continue
        for line in token.content.splitlines():
            line = line.strip()
            for tag in ("<details open>", "<details>", "</details>", "<summary>", "</summary>"):
                line = line.replace(tag, "\n")
            found += [
                part for part in line.split("\n") if "<" in part and part.strip() not in OWN_HTML
            ]
    return found


def _codes(markdown: str) -> list[str]:
    return [t.content for t in _tokens(PARSER.parse(markdown)) if t.type == "code_inline"]


# --------------------------------------------------------------------------- the helper


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("abc", "`abc`"),
        ("a`b", "``a`b``"),
        ("``", "``` `` ```"),
        ("`x", "`` `x ``"),
        ("x`", "`` x` ``"),
        ("a``b`c", "```a``b`c```"),
        ("x<script>", "`x<script>`"),
        (" a ", "`  a  `"),
        (" a", "` a`"),
        ("", "` `"),
        ("a\nb", "`a\\nb`"),
        ("\x1b[31m", "`\\x1b[31m`"),
    ],
)
def test_code_span_fence_is_longer_than_any_backtick_run(text: str, expected: str) -> None:
    assert markdown_code(text) == expected


@pytest.mark.parametrize("text", [*HOSTILE, "a\nb", "\x1b[31mred", "x` <b>y</b> `z"])
def test_code_span_holds_the_text_exactly(text: str) -> None:
    span = markdown_code(text)
    assert _codes(span) == [one_line(text) or " "]
    assert _raw_html(f"before {span} after") == []


@pytest.mark.parametrize("text", HOSTILE)
def test_code_span_in_a_table_cell_keeps_the_row(text: str) -> None:
    table = f"| a | b |\n| --- | --- |\n| {markdown_code(text, in_table=True)} | end |\n"
    cells = [t for t in PARSER.parse(table) if t.type == "td_open"]
    assert len(cells) == 2
    assert _codes(table) == [one_line(text) or " "]
    assert _raw_html(table) == []


# --------------------------------------------------------------------------- the reports


def _hostile_document(folder: Path) -> tuple[Path, Path]:
    """A document and its baseline, with backticks and HTML in file names, ids and names."""
    data = json.loads((DATA / "valid.json").read_text(encoding="utf-8"))
    data["name"] = "Telecom `<script>alert(1)</script>` Ltd"
    for unit in data["units"]:
        unit["name"] = f"{unit['name']} `<img src=x onerror=alert(1)>`"
    data["journeys"][0]["name"] = "a``b<script>x</script>"
    baseline = folder / "``base<b>line``.json"
    baseline.write_text(json.dumps(data), encoding="utf-8")
    text = json.dumps(data).replace('"sales"', json.dumps("sa`les<i>"))
    data = json.loads(text)
    proposal = folder / "a`b<script>alert(1)<x>.json"
    proposal.write_text(json.dumps(data), encoding="utf-8")
    return baseline, proposal


@pytest.fixture
def hostile(tmp_path: Path) -> tuple[Path, Path]:
    return _hostile_document(tmp_path)


@pytest.mark.parametrize("command", ["analyze", "check", "diff"])
def test_markdown_reports_keep_hostile_text_out_of_html(
    hostile: tuple[Path, Path], command: str
) -> None:
    baseline, proposal = hostile
    args: list[str | Path]
    if command == "analyze":
        args = ["analyze", proposal, "--format", "markdown"]
    elif command == "check":
        args = ["check", proposal, "--baseline", baseline, "--format", "markdown"]
    else:
        args = ["diff", baseline, proposal, "--format", "markdown"]
    result = run_main(*args, cwd=proposal.parent)
    assert result.returncode in (0, 1), result.stderr
    assert result.stdout
    assert _raw_html(result.stdout) == []
    html = PARSER.render(result.stdout)
    assert "<script" not in html and "<img" not in html and "<b>" not in html
    if command != "analyze":
        assert any(proposal.name in code for code in _codes(result.stdout))


def test_analysis_markdown_keeps_a_hostile_key_in_its_cell(tmp_path: Path) -> None:
    from orgmodel.app import AnalyzeRequest, LoadRequest, analyze, load
    from orgmodel.output import analysis_markdown

    source = load(LoadRequest((str(DATA / "valid.json"),), with_config=False)).sources[0]
    report = analyze(AnalyzeRequest(source))
    assert report.findings
    key = "a`b<script>|c"
    finding = dataclasses.replace(report.findings[0], path=("settings", "rules", key))
    text = analysis_markdown.render(report.model_copy(update={"findings": Findings.of([finding])}))
    assert _raw_html(text) == []
    assert '$.settings.rules["a`b<script>|c"] (line 11)' in _codes(text)
