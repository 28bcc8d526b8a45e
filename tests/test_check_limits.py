"""The review outputs keep within what GitHub shows: ten annotations per level and step,
65,536 characters per comment, 1 MiB per job summary; and one ``check`` run writes every
output from one analysis, all of them or none."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import ROOT, run_main
from test_check_scenario import scenario_check

from orgmodel.output import github
from orgmodel.output.budget import COMMENT_LIMIT, Budget, size
from orgmodel.output.check_markdown import MARKER as CHECK_MARKER
from orgmodel.output.diff_markdown import MARKER as DIFF_MARKER

EXAMPLES = ROOT / "examples" / "telecom"


# --------------------------------------------------------------------------- annotations


def test_github_annotations_keep_within_what_github_shows() -> None:
    result = scenario_check()
    uncapped = [a for a in github.render(result, cap=1000).splitlines() if a.startswith("::")]
    text = github.render(result)
    annotations = [a for a in text.splitlines() if a.startswith("::")]
    for level in ("error", "warning", "notice"):
        everything = [a for a in uncapped if a.startswith(f"::{level} ")]
        mine = [a for a in annotations if a.startswith(f"::{level} ")]
        assert len(mine) == min(len(everything), github.ANNOTATION_CAP)
        if len(everything) > github.ANNOTATION_CAP:
            # The first nine as they were, the tenth counts the rest.
            assert mine[:-1] == everything[: github.ANNOTATION_CAP - 1]
            more = len(everything) - github.ANNOTATION_CAP + 1
            assert mine[-1].startswith(f"::{level} title=orgmodel%3A {more} more {level}s::")
            assert "see the log of this step" in mine[-1]
    assert sum(a.startswith("::error ") for a in uncapped) > github.ANNOTATION_CAP
    # The full list follows in the log, as the last annotation says.
    listed = text.split("Annotated findings (all of them):\n", 1)[1].splitlines()
    assert len(listed) == sum(1 for c in result.findings if github._annotated(c))


def test_github_annotations_put_regressions_first() -> None:
    text = github.render(scenario_check())
    errors = [a for a in text.splitlines() if a.startswith("::error ")]
    regressions = [i for i, a in enumerate(errors) if "title=P01 " in a or "title=P02 " in a]
    assert regressions == list(range(len(regressions))) and regressions


def test_tidy_check_annotates_ten_warnings_of_twenty_six() -> None:
    text = run_main(
        "check",
        EXAMPLES / "tidy.json",
        "--baseline",
        EXAMPLES / "current.json",
        "--format",
        "github",
    ).stdout
    warnings = [a for a in text.splitlines() if a.startswith("::warning ")]
    assert len(warnings) == 10
    assert warnings[-1].startswith("::warning title=orgmodel%3A 17 more warnings::")


# --------------------------------------------------------------------------- Markdown size


def many_journeys(source: Path, count: int) -> dict:
    """The document at ``source`` with its journeys repeated under new ids up to ``count``."""
    data = json.loads(source.read_text(encoding="utf-8"))
    base = data["journeys"]
    data["journeys"] = [
        {**base[i % len(base)], "id": f"{base[i % len(base)]['id']}-{i}"} for i in range(count)
    ]
    return data


@pytest.fixture(scope="module")
def big_pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A generated 50-journey pair: the current organization and the tidy proposal."""
    folder = tmp_path_factory.mktemp("big")
    current, tidy = folder / "current.json", folder / "tidy.json"
    current.write_text(json.dumps(many_journeys(EXAMPLES / "current.json", 50)), "utf-8")
    tidy.write_text(json.dumps(many_journeys(EXAMPLES / "tidy.json", 50)), "utf-8")
    return current, tidy


def well_formed(text: str) -> None:
    assert text.count("<details") == text.count("</details>")
    assert text.count("<summary>") == text.count("</summary>")


@pytest.mark.parametrize("command", ["diff", "check"])
def test_markdown_of_a_50_journey_pair_fits_a_comment(
    big_pair: tuple[Path, Path], command: str
) -> None:
    current, tidy = big_pair
    args = [command, current, tidy] if command == "diff" else [command, tidy, "--baseline", current]
    full = run_main(*args, "--format", "markdown", "--markdown-limit", "0").stdout
    assert len(full.encode()) > 2 * COMMENT_LIMIT  # the cut below is real
    result = run_main(*args, "--format", "markdown")
    text = result.stdout
    assert len(text.encode()) <= COMMENT_LIMIT
    well_formed(text)
    assert text.startswith(DIFF_MARKER if command == "diff" else CHECK_MARKER)
    assert "not shown (size limit)" in text
    assert "_Shortened to fit 65,536 bytes: not shown are " in text.splitlines()[-1]
    if command == "check":
        assert result.returncode == 1
        assert "**Why it fails**" in text
        # Every regressed journey is in the reasons, ahead of any detail.
        reasons = [line for line in full.splitlines() if line.startswith("- journey ")]
        assert reasons and all(line in text for line in reasons)
        assert text.index("**Why it fails**") < text.index("<details")


@pytest.mark.parametrize("limit", [3_000, 10_000, 40_000, 200_000])
def test_markdown_never_exceeds_the_limit(big_pair: tuple[Path, Path], limit: int) -> None:
    current, tidy = big_pair
    for args in (["diff", current, tidy], ["check", tidy, "--baseline", current]):
        text = run_main(*args, "--format", "markdown", "--markdown-limit", str(limit)).stdout
        assert len(text.encode()) <= limit, (args[0], limit)
        well_formed(text)


def test_small_reports_are_not_cut() -> None:
    text = run_main(
        "diff", EXAMPLES / "current.json", EXAMPLES / "proposed.json", "--format", "markdown"
    ).stdout
    assert "not shown" not in text and "Shortened" not in text


def test_budget_counts_bytes_and_keeps_required_blocks() -> None:
    budget = Budget(500, "the log")
    budget.add(["é" * 100], required=True)  # 200 bytes
    budget.add_rows(["| x |", "| --- |"], [f"| {'ü' * 30} |" for _ in range(10)], what="rows")
    text = budget.text()
    assert len(text.encode()) <= 500 + 400  # the closing note has room of its own
    assert size(["é"]) == 3
    assert "more rows not shown" in text or "not shown are 10 rows" in text


# --------------------------------------------------------------------------- one run


def test_one_check_run_writes_every_output(tmp_path: Path) -> None:
    result = run_main(
        "check",
        EXAMPLES / "tidy.json",
        "--baseline",
        EXAMPLES / "current.json",
        "--format",
        "github",
        "--markdown-file",
        tmp_path / "summary.md",
        "--sarif-file",
        tmp_path / "out.sarif",
        "--junit-file",
        tmp_path / "out.xml",
        "--json-file",
        tmp_path / "out.json",
        "--text-file",
        tmp_path / "out.txt",
    )
    assert result.returncode == 1
    assert result.stdout.startswith("::error ")
    assert (tmp_path / "summary.md").read_text("utf-8").startswith(CHECK_MARKER)
    assert json.loads((tmp_path / "out.sarif").read_text("utf-8"))["version"] == "2.1.0"
    assert json.loads((tmp_path / "out.json").read_text("utf-8"))["verdict"] == "fail"
    assert (tmp_path / "out.xml").read_text("utf-8").startswith("<?xml")
    assert (tmp_path / "out.txt").read_text("utf-8").startswith("FAIL: orgmodel check")
    for name in ("summary.md", "out.sarif", "out.xml", "out.json", "out.txt"):
        assert f"wrote {tmp_path / name}" in result.stderr


def test_one_output_that_cannot_be_written_writes_none(tmp_path: Path) -> None:
    (tmp_path / "old.sarif").write_text("old", "utf-8")
    result = run_main(
        "check",
        EXAMPLES / "proposed.json",
        "--sarif-file",
        tmp_path / "old.sarif",
        "--junit-file",
        tmp_path / "missing" / "x.xml",
    )
    assert result.returncode == 2
    assert "cannot write" in result.stderr and "nothing was written" in result.stderr
    assert (tmp_path / "old.sarif").read_text("utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.sarif"]


def test_invalid_input_writes_no_output_and_prints_problems_once(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"orgmodel": "1", "name": 3}', "utf-8")
    result = run_main("check", broken, "--format", "github", "--sarif-file", tmp_path / "out.sarif")
    assert result.returncode == 2
    assert result.stdout.count("::error ") == 2
    assert not (tmp_path / "out.sarif").exists()


def test_load_error_annotations_are_capped(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    units = [{"id": f"u{i}", "name": f"U{i}", "parent": f"missing{i}"} for i in range(25)]
    broken.write_text(json.dumps({"orgmodel": "1", "name": "n", "units": units}), "utf-8")
    result = run_main("check", broken, "--format", "github")
    assert result.returncode == 2
    errors = [line for line in result.stdout.splitlines() if line.startswith("::error")]
    assert len(errors) == 10
    assert errors[-1].startswith("::error title=orgmodel%3A 16 more errors::")
    assert result.stderr.count(f"{broken}:") == 25
