"""The CI integration around ``orgmodel check``: the composite GitHub Action (its script run
for real in a scratch git repository), the pre-commit hooks, the example workflow and policy,
and the documentation of every config field."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from test_check_scenario import baseline_data, proposal_data, text_of

from orgmodel.analysis.figures import Figure
from orgmodel.config import Config, Ratchet, Waiver, load_config
from orgmodel.output.check_markdown import MARKER

yaml = pytest.importorskip("yaml")

requires_git = pytest.mark.skipif(
    shutil.which("git") is None or shutil.which("bash") is None, reason="needs git and bash"
)


def action() -> dict:
    return yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))


def check_step() -> dict:
    return next(s for s in action()["runs"]["steps"] if s.get("id") == "check")


# --------------------------------------------------------------------------- action.yml


def test_action_is_composite_and_installs_from_its_path() -> None:
    spec = action()
    assert spec["runs"]["using"] == "composite"
    steps = spec["runs"]["steps"]
    assert steps[0]["uses"].startswith("actions/setup-python@")
    assert '"$GITHUB_ACTION_PATH"' in steps[1]["run"] and "pip install" in steps[1]["run"]
    assert "orgmodel check" in check_step()["run"]
    assert spec["inputs"]["proposed"]["required"] is True


def test_action_passes_every_input_through_the_environment() -> None:
    spec = action()
    env = check_step()["env"]
    used = {value.removeprefix("${{ inputs.").removesuffix(" }}") for value in env.values()}
    assert used == set(spec["inputs"]) - {"python-version"}
    # Inputs never go into the script text itself (no injection through a file name).
    assert "${{" not in check_step()["run"]


@pytest.fixture
def bin_dir(tmp_path: Path) -> Path:
    """A directory with an `orgmodel` command that runs this checkout."""
    path = tmp_path / "bin"
    path.mkdir()
    shim = path / "orgmodel"
    shim.write_text(
        f'#!/bin/sh\nPYTHONPATH="{ROOT}" exec "{sys.executable}" -m orgmodel "$@"\n',
        encoding="utf-8",
    )
    shim.chmod(0o755)
    return path


def run_action(repo: Path, bin_dir: Path, **inputs: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("INPUT_", "GITHUB_"))}
    env["PATH"] = f"{bin_dir}{os.pathsep}{env['PATH']}"
    env["RUNNER_TEMP"] = str(repo.parent / "runner-temp")
    env["GITHUB_STEP_SUMMARY"] = str(repo.parent / "summary.md")
    env["GITHUB_OUTPUT"] = str(repo.parent / "output.txt")
    Path(env["RUNNER_TEMP"]).mkdir(exist_ok=True)
    for name in check_step()["env"]:
        env[name] = ""
    env.update({"INPUT_FORMAT": "github", "INPUT_SUMMARY": "true"})
    env.update({f"INPUT_{k.upper()}": v for k, v in inputs.items()})
    return subprocess.run(
        ["bash", "-c", check_step()["run"]],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository whose last commit holds the current organization in org/org.json,
    and whose work tree holds the proposal."""
    path = tmp_path / "designs"
    (path / "org").mkdir(parents=True)
    git = [
        "git",
        "-c",
        "user.name=t",
        "-c",
        "user.email=t@example.org",
        "-c",
        "commit.gpgsign=false",
    ]
    subprocess.run([*git, "init", "-q"], cwd=path, check=True)
    (path / "org" / "org.json").write_text(text_of(baseline_data()), encoding="utf-8")
    subprocess.run([*git, "add", "."], cwd=path, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "current"], cwd=path, check=True)
    (path / "org" / "org.json").write_text(text_of(proposal_data()), encoding="utf-8")
    return path


@requires_git
def test_action_script_against_the_base_ref(repo: Path, bin_dir: Path) -> None:
    result = run_action(
        repo,
        bin_dir,
        proposed="org/org.json",
        baseline_ref="HEAD",
        sarif="out.sarif",
        junit="out.xml",
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stdout.startswith("::error file=org/org.json,line=")
    assert "orgmodel check: FAIL" in result.stdout
    assert "exit-code=1" in (repo.parent / "output.txt").read_text(encoding="utf-8")
    summary = (repo.parent / "summary.md").read_text(encoding="utf-8")
    assert summary.startswith(MARKER + "\n## ❌ orgmodel check failed")
    sarif = json.loads((repo / "out.sarif").read_text(encoding="utf-8"))
    assert sarif["runs"][0]["properties"]["verdict"] == "fail"
    assert (repo / "out.xml").read_text(encoding="utf-8").startswith("<?xml")


@requires_git
def test_action_script_without_the_file_at_the_base_ref(repo: Path, bin_dir: Path) -> None:
    (repo / "org" / "new.json").write_text(text_of(baseline_data()), encoding="utf-8")
    result = run_action(
        repo, bin_dir, proposed="org/new.json", baseline_ref="HEAD", summary="false"
    )
    assert "::notice file=org/new.json" in result.stdout
    assert "does not exist at HEAD (" in result.stdout
    assert "checked without a baseline (no ratchet)" in result.stdout
    assert result.returncode == 0, result.stdout + result.stderr
    assert "exit-code=0" in (repo.parent / "output.txt").read_text(encoding="utf-8")
    assert not (repo.parent / "summary.md").exists()


@requires_git
def test_action_script_with_a_baseline_file_and_a_broken_proposal(
    repo: Path, bin_dir: Path
) -> None:
    (repo / "org" / "base.json").write_text(text_of(baseline_data()), encoding="utf-8")
    (repo / "org" / "org.json").write_text("{", encoding="utf-8")
    result = run_action(
        repo, bin_dir, proposed="org/org.json", baseline="org/base.json", fail_on="never"
    )
    assert result.returncode == 2
    assert result.stdout.startswith("::error file=org/org.json,line=1,col=2,")
    assert "orgmodel check: PASS" not in result.stdout
    assert "exit-code=2" in (repo.parent / "output.txt").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- pre-commit


def test_pre_commit_hooks() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert [h["id"] for h in hooks] == ["orgmodel-validate", "orgmodel-check"]
    for hook in hooks:
        assert hook["language"] == "python" and hook["entry"].startswith("orgmodel ")
        assert {"id", "name", "description", "entry", "language"} <= set(hook)
    assert hooks[1]["pass_filenames"] is False


# --------------------------------------------------------------------------- examples, docs


def test_example_workflow_uses_the_action_inputs() -> None:
    workflow = yaml.safe_load(
        (ROOT / "examples" / "ci" / "workflow.yml").read_text(encoding="utf-8")
    )
    steps = workflow["jobs"]["orgmodel"]["steps"]
    check = next(s for s in steps if s.get("id") == "check")
    assert set(check["with"]) <= set(action()["inputs"])
    # The default shallow checkout: the action fetches the base itself.
    assert "fetch-depth" not in steps[0].get("with", {})
    assert any("orgmodel diff" in s.get("run", "") for s in steps)


def test_example_policy_is_valid() -> None:
    config = load_config(ROOT / "examples" / "ci" / "orgmodel.toml")
    assert config.ratchet.figures == Config().ratchet.figures
    assert config.waivers[0].code == "J05"


def test_docs_describe_every_config_field() -> None:
    text = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    for model, prefix in ((Config, ""), (Ratchet, "ratchet."), (Waiver, "")):
        for name in model.model_fields:
            documented = f"`{prefix}{name}`" in text or f"`{prefix}{name}." in text
            assert documented, f"docs/ci.md does not describe `{prefix}{name}`"
    for code in ("P01", "P02", "P03", "P04", "P05"):
        assert code in text
    (row,) = [line for line in text.splitlines() if line.startswith("| `ratchet.figures` |")]
    missing = [f.value for f in Figure if f"`{f.value}`" not in row]
    assert not missing, f"the ratchet.figures row of docs/ci.md omits {missing}"
    for fmt in ("auto", "text", "json", "markdown", "github", "sarif", "junit"):
        assert f"`{fmt}`" in text
