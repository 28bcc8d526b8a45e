"""The command line.

``run_cli`` runs ``python -m orgmodel ...`` in a subprocess, as a user does; ``run_main`` calls
``orgmodel.cli.main`` in this process with the same arguments, which is much faster. The
central cases go through the subprocess, the rest in process.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import ROOT, run_cli, run_main

import orgmodel
from orgmodel import cli as cli_module
from orgmodel.schema import SCHEMA_PATH, schema_text

BROKEN = "tests/data/broken.json"
VALID = "tests/data/valid.json"

BROKEN_LINES = [
    f"{BROKEN}:9:76: $.units[4].headcount: input should be a valid integer",
    f"{BROKEN}:10:52: $.units[5].parent: reporting cycle: billing -> collections -> billing; "
    "one of them must report outside the cycle (the top unit has no parent)",
    f"{BROKEN}:12:12: $.units[7].id: duplicate id 'sales': already used by the unit at "
    "$.units[1]; ids must be unique in the document",
    f"{BROKEN}:25:59: $.journeys[0].steps[2].unit: unknown unit 'acounting' "
    "(did you mean 'accounting'?)",
    f"{BROKEN}:31:5: $.goals[0].orientation: missing required field 'orientation'",
]


# --------------------------------------------------------------------------- validate


def test_validate_valid_file() -> None:
    result = run_cli("validate", VALID)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr.strip() == "1 file(s) valid."


def test_validate_broken_file_prints_every_problem() -> None:
    result = run_cli("validate", BROKEN)
    assert result.returncode == 2
    assert result.stdout.splitlines() == BROKEN_LINES
    assert result.stderr.strip() == "1 of 1 file(s) invalid, 5 problem(s)."


def test_validate_several_files() -> None:
    result = run_main("validate", VALID, BROKEN, "tests/data/truncated.json")
    assert result.returncode == 2
    lines = result.stdout.splitlines()
    assert lines[:5] == BROKEN_LINES
    assert lines[5].startswith("tests/data/truncated.json:6:39: invalid JSON: ")
    assert len(lines) == 6
    assert result.stderr.strip() == "2 of 3 file(s) invalid, 6 problem(s)."


def test_validate_quiet() -> None:
    result = run_main("validate", "-q", BROKEN)
    assert result.returncode == 2
    assert result.stdout.splitlines() == BROKEN_LINES
    assert result.stderr == ""
    assert run_main("validate", "--quiet", VALID).stderr == ""


def test_validate_json_format() -> None:
    result = run_cli("validate", "--format", "json", BROKEN)
    assert result.returncode == 2
    problems = json.loads(result.stdout)
    assert isinstance(problems, list) and len(problems) == 5
    for item in problems:
        assert set(item) == {"file", "line", "column", "path", "code", "message"}
        assert item["file"] == BROKEN
    assert [(p["line"], p["column"], p["path"], p["code"]) for p in problems] == [
        (9, 76, "$.units[4].headcount", "shape"),
        (10, 52, "$.units[5].parent", "cycle"),
        (12, 12, "$.units[7].id", "duplicate-id"),
        (25, 59, "$.journeys[0].steps[2].unit", "reference"),
        (31, 5, "$.goals[0].orientation", "shape"),
    ]
    assert problems[3]["message"] == "unknown unit 'acounting' (did you mean 'accounting'?)"


def test_validate_json_format_for_valid_and_unreadable_files(tmp_path: Path) -> None:
    result = run_main("validate", "--format", "json", VALID)
    assert (result.returncode, json.loads(result.stdout)) == (0, [])
    missing = tmp_path / "missing.json"
    result = run_main("validate", "--format", "json", missing)
    assert result.returncode == 2
    assert json.loads(result.stdout) == [
        {
            "file": str(missing),
            "line": None,
            "column": None,
            "path": None,
            "code": "io",
            "message": "file not found; check the path",
        }
    ]


def test_validate_missing_file() -> None:
    result = run_main("validate", "no-such-file.json")
    assert result.returncode == 2
    assert result.stdout.strip() == "no-such-file.json: file not found; check the path"


def test_validate_directory_without_documents(tmp_path: Path) -> None:
    (tmp_path / "package.json").write_text('{"name": "x"}', encoding="utf-8")
    result = run_main("validate", tmp_path)
    assert result.returncode == 2
    assert result.stdout.strip() == (
        f"{tmp_path}: no orgmodel documents below this folder "
        '(JSON files with a top-level "orgmodel" key)'
    )


def test_validate_without_arguments_is_a_usage_error() -> None:
    result = run_cli("validate")
    assert result.returncode == 2
    assert "Missing argument" in result.stderr
    assert "Usage: orgmodel validate" in result.stderr


def test_unknown_format_is_a_usage_error() -> None:
    result = run_main("validate", "--format", "xml", VALID)
    assert result.returncode == 2
    assert "Invalid value for '--format'" in result.stderr


def test_unknown_command_is_a_usage_error() -> None:
    result = run_main("frobnicate")
    assert result.returncode == 2
    assert "No such command 'frobnicate'" in result.stderr


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"\xff\xfe{}",
        b'{"orgmodel": "1", "name": ',
        b"[1, 2, 3]",
        b'{"orgmodel": "1", "name": "x", "units": [{"id": "a", "name": "A", "cost": NaN}]}',
        b'{"orgmodel": "1", "name": "x", "units": [{"id": "a", "parent": "a", "x": [[[]]]}]}',
        b'{"description": ' + b"[" * 50_000 + b"]" * 50_000 + b"}",
    ],
    ids=["empty", "not-utf8", "truncated", "list", "nan", "mixed", "deep"],
)
def test_no_traceback_for_bad_input(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    result = run_main("validate", path)
    assert result.returncode == 2
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stdout.startswith(str(path) + ":")


def test_no_traceback_for_the_broken_fixture() -> None:
    result = run_cli("validate", BROKEN)
    assert result.returncode == 2
    assert "Traceback" not in result.stdout + result.stderr
    result = run_main("validate", "--format", "json", BROKEN)
    assert result.returncode == 2
    assert "Traceback" not in result.stdout + result.stderr


# --------------------------------------------------------------------------- schema


def test_schema_prints_the_schema() -> None:
    result = run_main("schema")
    assert result.returncode == 0
    assert result.stdout == schema_text()


def test_schema_document_prints_the_same() -> None:
    result = run_main("schema", "document")
    assert result.returncode == 0
    assert result.stdout == schema_text()


def test_schema_check_of_the_committed_files() -> None:
    result = run_cli("schema", "--check")
    assert result.returncode == 0, (
        f"{result.stderr}\nthe committed schema is stale; regenerate with: orgmodel schema --write"
    )
    assert f"{SCHEMA_PATH} is up to date." in result.stderr.splitlines()


def test_path_needs_a_schema_name(tmp_path: Path) -> None:
    result = run_main("schema", "--check", "--path", tmp_path / "x.json")
    assert result.returncode == 2
    assert "--path needs a schema NAME" in result.stderr


def test_unknown_schema_name() -> None:
    result = run_main("schema", "nonsense")
    assert result.returncode == 2
    assert "Invalid value" in result.stderr


def test_schema_check_of_a_stale_file(tmp_path: Path) -> None:
    stale = tmp_path / "stale.schema.json"
    stale.write_text(schema_text().replace("Display name.", "Old name."), encoding="utf-8")
    result = run_main("schema", "document", "--check", "--path", stale)
    assert result.returncode == 1
    assert "is stale or missing" in result.stderr
    assert "orgmodel schema --write" in result.stderr


def test_schema_check_of_a_missing_file(tmp_path: Path) -> None:
    result = run_main("schema", "document", "--check", "--path", tmp_path / "none.json")
    assert result.returncode == 1
    assert "orgmodel schema --write" in result.stderr


def test_schema_write_then_check(tmp_path: Path) -> None:
    target = tmp_path / "out.schema.json"
    target.write_text("old", encoding="utf-8")
    result = run_main("schema", "document", "--write", "--path", target)
    assert result.returncode == 0
    assert result.stderr.strip() == f"wrote {target}"
    assert target.read_text(encoding="utf-8") == schema_text()
    assert [p.name for p in tmp_path.iterdir()] == ["out.schema.json"]  # no temporary left
    assert run_main("schema", "document", "--check", "--path", target).returncode == 0


def test_schema_write_into_a_missing_folder(tmp_path: Path) -> None:
    target = tmp_path / "no" / "such" / "s.json"
    result = run_main("schema", "document", "--write", "--path", target)
    assert result.returncode == 2
    assert "cannot write" in result.stderr
    assert "Traceback" not in result.stderr


def test_schema_check_from_another_folder_with_an_explicit_path(tmp_path: Path) -> None:
    committed = ROOT / "schemas" / "orgmodel.schema.json"
    result = run_main("schema", "document", "--check", "--path", committed, cwd=tmp_path)
    assert result.returncode == 0


# --------------------------------------------------------------------------- the program


def test_version() -> None:
    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"orgmodel, version {orgmodel.__version__}"
    assert orgmodel.__version__ == "0.1.0"


def test_help_lists_the_commands() -> None:
    result = run_main("--help")
    assert result.returncode == 0
    assert "validate" in result.stdout and "schema" in result.stdout
    assert "internal error" in result.stdout  # the exit codes are documented


def test_internal_error_is_exit_3_without_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def boom(*args: object) -> list:
        raise RuntimeError("kaputt")

    monkeypatch.setattr("orgmodel.app.load_text", boom)
    with pytest.raises(SystemExit) as info:
        cli_module.main(["validate", VALID])
    assert info.value.code == 3
    err = capsys.readouterr().err
    assert "orgmodel: internal error: RuntimeError: kaputt" in err
    assert "--debug" in err
    assert "Traceback" not in err


def test_debug_shows_the_original_exception(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args: object) -> list:
        raise RuntimeError("kaputt")

    monkeypatch.setattr("orgmodel.app.load_text", boom)
    with pytest.raises(RuntimeError, match="kaputt"):
        cli_module.main(["--debug", "validate", VALID])


def test_main_in_process_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    for args, code in (
        (["validate", str(ROOT / VALID)], 0),
        (["validate", str(ROOT / BROKEN)], 2),
        (["validate"], 2),
        (["--version"], 0),
    ):
        with pytest.raises(SystemExit) as info:
            cli_module.main(args)
        assert info.value.code == code, args
    capsys.readouterr()


@pytest.mark.parametrize("args", [["rules", "--write"], ["schema", "--write", "report"]])
def test_write_into_a_missing_folder_is_a_clear_error(tmp_path: Path, args: list[str]) -> None:
    target = tmp_path / "missing" / "out.md"
    result = run_main(*args, "--path", target)
    assert result.returncode == 2
    assert result.stderr.strip() == f"{target}: cannot write: No such file or directory"
    assert not target.parent.exists()
