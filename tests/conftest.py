"""Shared helpers for the orgmodel test suite."""

from __future__ import annotations

import contextlib
import copy
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from orgmodel import Diagnostic, DocumentInvalid, load_text

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"

#: The smallest valid document; tests copy it and add what they need.
MINIMAL: dict[str, Any] = {
    "orgmodel": "1",
    "name": "Minimal Ltd",
    "units": [{"id": "board", "name": "Board", "kind": "board"}],
}


def doc(**fields: Any) -> dict[str, Any]:
    """A deep copy of the minimal document with ``fields`` replaced or added."""
    out = copy.deepcopy(MINIMAL)
    out.update(copy.deepcopy(fields))
    return out


def unit(ident: str, parent: str | None = None, **fields: Any) -> dict[str, Any]:
    """A unit object named after its id."""
    out: dict[str, Any] = {"id": ident, "name": ident.replace("-", " ").title()}
    if parent is not None:
        out["parent"] = parent
    out.update(fields)
    return out


def diagnostics_of(text: str, source: str = "doc.json") -> list[Diagnostic]:
    """The diagnostics ``load_text`` raises for ``text``; fails the test if it loads."""
    with pytest.raises(DocumentInvalid) as info:
        load_text(text, source)
    assert info.value.diagnostics, "DocumentInvalid without diagnostics"
    return info.value.diagnostics


def only_diagnostic(text: str, source: str = "doc.json") -> Diagnostic:
    """The single diagnostic for ``text``."""
    found = diagnostics_of(text, source)
    assert len(found) == 1, "\n".join(str(d) for d in found)
    return found[0]


def run_cli(*args: str | os.PathLike, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """Run ``python -m orgmodel ARGS`` as a user would, with this checkout importable."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env.pop("PYTHONWARNINGS", None)
    return subprocess.run(
        [sys.executable, "-m", "orgmodel", *map(str, args)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def run_main(*args: str | os.PathLike, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """Run ``orgmodel.cli.main(ARGS)`` in this process (fast); same result shape as run_cli."""
    from orgmodel.cli import main

    out, err = io.StringIO(), io.StringIO()
    previous = Path.cwd()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                main([str(a) for a in args])
            except SystemExit as exc:
                code = exc.code
            else:  # pragma: no cover - main always exits
                code = None
    finally:
        os.chdir(previous)
    returncode = code if isinstance(code, int) else (0 if code is None else 1)
    return subprocess.CompletedProcess(
        ["orgmodel", *map(str, args)], returncode, out.getvalue(), err.getvalue()
    )


def assert_golden(request: pytest.FixtureRequest, golden: Path, got: str) -> None:
    """Compare ``got`` with the golden file, or rewrite it under ``--update-goldens``."""
    if request.config.getoption("--update-goldens"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(got, encoding="utf-8")
        return
    assert golden.exists(), f"no golden file {golden}; run pytest --update-goldens"
    assert got == golden.read_text(encoding="utf-8"), (
        f"{golden.relative_to(ROOT)} differs; if the change is intended, run "
        "pytest --update-goldens and review the diff"
    )


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        default=False,
        help="Rewrite the golden files under tests/goldens/ instead of comparing.",
    )


@pytest.fixture
def valid_path() -> Path:
    return DATA / "valid.json"


@pytest.fixture
def broken_path() -> Path:
    return DATA / "broken.json"


@pytest.fixture
def valid_data(valid_path: Path) -> dict[str, Any]:
    return json.loads(valid_path.read_text(encoding="utf-8"))


def analyze_document(
    document: Any,
    *,
    config: Any = None,
    source: str | None = None,
    text: str | None = None,
    silo_level: int | None = None,
    policy_from: Any = None,
    journeys: Any = None,
) -> Any:
    """The report of ``document`` through :func:`orgmodel.app.analyze`."""
    from orgmodel.app import AnalyzeRequest, Source
    from orgmodel.app import analyze as analyze_request

    return analyze_request(
        AnalyzeRequest(
            Source(source or "<document>", document, text),
            config,
            silo_level,
            tuple(journeys) if journeys is not None else None,
            policy_from,
        )
    )
