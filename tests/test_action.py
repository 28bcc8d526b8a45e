"""The GitHub Action fails closed: its own check step (the script of ``action.yml``, not a
copy) run in scratch git repositories cloned as ``actions/checkout`` clones them.

The origin holds the current organization (``examples/telecom/current.json``) on ``main``
and a pull request on top of it; the clone is shallow (depth 1, the checkout default) or
deep. A regression must fail (exit 1) or stop the step (exit 2), never pass because the
baseline could not be found.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT
from test_check_ci import bin_dir, check_step, requires_git  # noqa: F401

from orgmodel.output.check_markdown import MARKER

pytestmark = requires_git

_GIT = [
    "git",
    "-c",
    "user.name=t",
    "-c",
    "user.email=t@example.org",
    "-c",
    "commit.gpgsign=false",
    "-c",
    "init.defaultBranch=main",
    "-c",
    "advice.detachedHead=false",
]
EXAMPLES = ROOT / "examples" / "telecom"


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        [*_GIT, *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout.strip()


def origin_with(tmp_path: Path, proposal: str) -> tuple[Path, str]:
    """A bare origin whose ``main`` holds the current organization and whose ``pr`` branch
    replaces it with ``proposal`` (a file of examples/telecom) and adds a new document;
    the origin and the base commit."""
    work = tmp_path / "work"
    (work / "org").mkdir(parents=True)
    git(work, "init", "-q")
    (work / "org" / "org.json").write_bytes((EXAMPLES / "current.json").read_bytes())
    git(work, "add", ".")
    git(work, "commit", "-q", "-m", "current organization")
    base = git(work, "rev-parse", "HEAD")
    git(work, "checkout", "-q", "-b", "pr")
    (work / "org" / "org.json").write_bytes((EXAMPLES / proposal).read_bytes())
    (work / "org" / "new.json").write_bytes((EXAMPLES / "proposed.json").read_bytes())
    git(work, "add", ".")
    git(work, "commit", "-q", "-m", f"propose {proposal}")
    origin = tmp_path / "origin.git"
    git(tmp_path, "clone", "-q", "--bare", str(work), str(origin))
    return origin, base


def clone(origin: Path, target: Path, *, shallow: bool) -> Path:
    depth = ["--depth=1"] if shallow else []
    git(origin.parent, "clone", "-q", *depth, "--branch", "pr", f"file://{origin}", str(target))
    return target


def run_step(
    repo: Path,
    bin_dir: Path,  # noqa: F811
    env_extra: dict[str, str] | None = None,
    **inputs: str,
) -> subprocess.CompletedProcess[str]:
    """The Action's check step in ``repo``, as the runner runs it (bash, inputs in env)."""
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("INPUT_", "GITHUB_", "ORGMODEL_"))
    }
    env.update(env_extra or {})
    env["PATH"] = f"{bin_dir}{os.pathsep}{env['PATH']}"
    runner = repo.parent / "runner"
    runner.mkdir(exist_ok=True)
    env["RUNNER_TEMP"] = str(runner)
    env["GITHUB_STEP_SUMMARY"] = str(runner / "summary.md")
    env["GITHUB_OUTPUT"] = str(runner / "output.txt")
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
        timeout=300,
    )


def output_of(repo: Path) -> str:
    return (repo.parent / "runner" / "output.txt").read_text(encoding="utf-8")


def summary_of(repo: Path) -> str:
    return (repo.parent / "runner" / "summary.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("ref_kind", ["sha", "branch"])
def test_shallow_clone_fetches_the_baseline_and_the_regression_fails(
    tmp_path: Path,
    bin_dir: Path,  # noqa: F811
    ref_kind: str,
) -> None:
    origin, base = origin_with(tmp_path, "tidy.json")
    repo = clone(origin, tmp_path / "clone", shallow=True)
    with pytest.raises(subprocess.CalledProcessError):
        git(repo, "cat-file", "-e", f"{base}^{{commit}}")  # really not in the clone
    ref = base if ref_kind == "sha" else "main"
    result = run_step(repo, bin_dir, proposed="org/org.json", baseline_ref=ref)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "exit-code=1" in output_of(repo)
    assert "orgmodel check: FAIL" in result.stdout
    assert "::error file=org/org.json" in result.stdout
    assert "checking without a baseline" not in result.stdout
    assert summary_of(repo).startswith(MARKER + "\n## ❌ orgmodel check failed")


def test_shallow_clone_that_cannot_fetch_stops_with_exit_2(tmp_path: Path, bin_dir: Path) -> None:  # noqa: F811
    origin, base = origin_with(tmp_path, "tidy.json")
    repo = clone(origin, tmp_path / "clone", shallow=True)
    git(repo, "remote", "set-url", "origin", str(tmp_path / "gone.git"))
    result = run_step(repo, bin_dir, proposed="org/org.json", baseline_ref=base)
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stdout.startswith("::error title=orgmodel%3A no baseline%2C not checked::")
    assert base in result.stdout and "could not be fetched" in result.stdout
    assert "exit-code=2" in output_of(repo)


@pytest.mark.parametrize("shallow", [True, False])
def test_a_mistyped_ref_stops_with_exit_2(
    tmp_path: Path,
    bin_dir: Path,  # noqa: F811
    shallow: bool,
) -> None:
    origin, _ = origin_with(tmp_path, "tidy.json")
    repo = clone(origin, tmp_path / "clone", shallow=shallow)
    result = run_step(repo, bin_dir, proposed="org/org.json", baseline_ref="mian")
    assert result.returncode == 2, result.stdout + result.stderr
    assert "baseline-ref 'mian' is not in the clone" in result.stdout
    assert "orgmodel check:" not in result.stdout
    assert "exit-code=2" in output_of(repo)


@pytest.mark.parametrize(("proposal", "code"), [("tidy.json", 1), ("proposed.json", 0)])
def test_deep_clone(
    tmp_path: Path,
    bin_dir: Path,  # noqa: F811
    proposal: str,
    code: int,
) -> None:
    origin, base = origin_with(tmp_path, proposal)
    repo = clone(origin, tmp_path / "clone", shallow=False)
    result = run_step(
        repo,
        bin_dir,
        proposed="org/org.json",
        baseline_ref=base,
        sarif="out.sarif",
        junit="out.xml",
    )
    assert result.returncode == code, result.stdout + result.stderr
    assert f"exit-code={code}" in output_of(repo)
    assert (repo / "out.sarif").is_file() and (repo / "out.xml").is_file()
    assert summary_of(repo).startswith(MARKER)


def test_a_new_document_is_checked_without_a_baseline_with_a_notice(
    tmp_path: Path,
    bin_dir: Path,  # noqa: F811
) -> None:
    origin, base = origin_with(tmp_path, "tidy.json")
    repo = clone(origin, tmp_path / "clone", shallow=True)
    result = run_step(repo, bin_dir, proposed="org/new.json", baseline_ref=base)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith(
        "::notice file=org/new.json,title=orgmodel%3A new document::org/new.json does not exist at "
    )
    assert "checked without a baseline (no ratchet)" in result.stdout
    assert "exit-code=0" in output_of(repo)


def test_one_run_prints_load_errors_once_and_says_so_in_the_summary(
    tmp_path: Path,
    bin_dir: Path,  # noqa: F811
) -> None:
    origin, base = origin_with(tmp_path, "tidy.json")
    repo = clone(origin, tmp_path / "clone", shallow=True)
    (repo / "org" / "org.json").write_text('{"orgmodel": "1", "name": 3}', encoding="utf-8")
    result = run_step(
        repo,
        bin_dir,
        proposed="org/org.json",
        baseline_ref=base,
        sarif="out.sarif",
        junit="out.xml",
    )
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stdout.count("::error file=org/org.json") == 2  # name and units, once each
    assert result.stderr.count("org/org.json:1:") == 2
    assert not (repo / "out.sarif").exists() and not (repo / "out.xml").exists()
    assert "orgmodel check: not run" in summary_of(repo)


def test_baseline_and_baseline_ref_together_are_refused(tmp_path: Path, bin_dir: Path) -> None:  # noqa: F811
    origin, base = origin_with(tmp_path, "tidy.json")
    repo = clone(origin, tmp_path / "clone", shallow=True)
    result = run_step(
        repo, bin_dir, proposed="org/org.json", baseline="org/new.json", baseline_ref=base
    )
    assert result.returncode == 2
    assert "not both" in result.stdout


def test_sarif_help_links_to_the_rules_of_the_action_that_runs(
    tmp_path: Path,
    bin_dir: Path,  # noqa: F811
) -> None:
    origin, base = origin_with(tmp_path, "tidy.json")
    repo = clone(origin, tmp_path / "clone", shallow=True)
    env = {
        "GITHUB_SERVER_URL": "https://github.example",
        "GITHUB_ACTION_PATH": "/home/runner/work/_actions/acme/orgmodel/release/2",
    }
    result = run_step(
        repo, bin_dir, env, proposed="org/org.json", baseline_ref=base, sarif="out.sarif"
    )
    assert result.returncode == 1
    rules = json.loads((repo / "out.sarif").read_text("utf-8"))["runs"][0]["tool"]["driver"]
    uri = rules["rules"][0]["helpUri"]
    assert uri.startswith("https://github.example/acme/orgmodel/blob/release/2/docs/rules.md#")
