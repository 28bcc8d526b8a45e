"""Conventions users bring from ruff, check-jsonschema and sqlfluff: '-' for standard input
and output, validate DIR, config discovery up to the repository root, -q/-v everywhere."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest
from conftest import ROOT, doc, run_cli, run_main

from orgmodel.cli import COMMANDS

CURRENT = "examples/telecom/current.json"
PROPOSED = "examples/telecom/proposed.json"
TIDY = "examples/telecom/tidy.json"
EXAMPLE_DOCUMENTS = [
    "examples/mobile-app/to-be.json",
    "examples/mobile-app/value-stream.json",
    "examples/segments/after.json",
    "examples/segments/before.json",
    "examples/telecom/current.json",
    "examples/telecom/proposed.json",
    "examples/telecom/tidy.json",
]


def stdin(monkeypatch: pytest.MonkeyPatch, data: bytes | str) -> None:
    """Give the in-process CLI ``data`` on standard input."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8"))


def pipe(
    *args: str | os.PathLike, data: bytes, cwd: Path = ROOT
) -> subprocess.CompletedProcess[bytes]:
    """Run ``python -m orgmodel ARGS`` as a program with ``data`` on standard input."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return subprocess.run(
        [sys.executable, "-m", "orgmodel", *map(str, args)],
        cwd=cwd,
        env=env,
        input=data,
        capture_output=True,
        timeout=60,
    )


def text_of(path: str) -> str:
    return (ROOT / path).read_text(encoding="utf-8")


# --------------------------------------------------------------------------- standard input


def test_cat_into_validate_dash_exits_0() -> None:
    result = pipe("validate", "-", data=(ROOT / CURRENT).read_bytes())
    assert result.returncode == 0, result.stderr
    assert result.stderr.decode() == "1 file(s) valid.\n"


@pytest.mark.parametrize(
    ("args", "data", "named"),
    [
        (["analyze", "-"], CURRENT, "Telco Nord, current organization  (<stdin>)"),
        (["analyze", "-", "--format", "json"], CURRENT, '"source": "<stdin>"'),
        (["diff", "-", PROPOSED], CURRENT, "current organization (<stdin>) -> "),
        (["diff", CURRENT, "-"], PROPOSED, "proposed three-dimensional organization (<stdin>)"),
        (
            ["check", "-", "--baseline", CURRENT, "--format", "text"],
            PROPOSED,
            "PASS: orgmodel check of <stdin> (Telco Nord, proposed",
        ),
        (
            ["check", PROPOSED, "--baseline", "-", "--format", "text"],
            CURRENT,
            "against baseline <stdin> (Telco Nord, current organization)",
        ),
    ],
)
def test_dash_reads_standard_input(
    monkeypatch: pytest.MonkeyPatch, args: list[str], data: str, named: str
) -> None:
    stdin(monkeypatch, text_of(data))
    result = run_main(*args)
    assert result.returncode == 0, result.stderr
    assert named in result.stdout


def test_render_reads_standard_input() -> None:
    result = pipe(
        "render", "-", "--view", "orgchart", "--format", "mmd", data=(ROOT / CURRENT).read_bytes()
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(b"%% orgmodel org chart: Telco Nord, current organization")


def test_invalid_standard_input_is_located_as_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    stdin(monkeypatch, '{"orgmodel": "1",\n "name": 3,\n "units": []}')
    result = run_main("validate", "-")
    assert result.returncode == 2
    assert result.stdout.splitlines()[0] == "<stdin>:2:10: $.name: input should be a valid string"


def test_analyze_of_invalid_standard_input_writes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    stdin(monkeypatch, '{"orgmodel": "1",\n "name": 3,\n "units": []}')
    result = run_main("analyze", "-")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith("<stdin>:2:10: $.name: input should be a valid string\n")


def test_standard_input_that_is_not_utf8(monkeypatch: pytest.MonkeyPatch) -> None:
    stdin(monkeypatch, b'{"orgmodel": "1", "name": "\xff"}')
    result = run_main("validate", "-")
    assert result.returncode == 2
    assert result.stdout.strip() == (
        "<stdin>:1:28: not UTF-8 text (byte 27); give UTF-8 on standard input"
    )


@pytest.mark.parametrize(
    "args",
    [
        ["diff", "-", "-"],
        ["check", "-", "--baseline", "-"],
    ],
)
def test_standard_input_only_once(monkeypatch: pytest.MonkeyPatch, args: list[str]) -> None:
    stdin(monkeypatch, text_of(CURRENT))
    result = run_main(*args)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith("<stdin>: standard input ('-') can be read only once")


def test_validate_standard_input_only_once(monkeypatch: pytest.MonkeyPatch) -> None:
    stdin(monkeypatch, text_of(CURRENT))
    result = run_main("validate", "-", "-")
    assert result.returncode == 2
    assert "<stdin>: standard input ('-') can be read only once" in result.stdout


# --------------------------------------------------------------------------- -o -


@pytest.mark.parametrize(
    "args",
    [
        ["analyze", CURRENT],
        ["diff", CURRENT, PROPOSED],
        ["check", PROPOSED, "--baseline", CURRENT, "--format", "text"],
    ],
)
def test_dash_output_is_standard_output(args: list[str]) -> None:
    to_file = run_main(*args)
    result = run_main(*args, "-o", "-")
    assert result.returncode == 0
    assert result.stdout == to_file.stdout
    assert result.stdout.strip()
    assert "wrote" not in result.stderr
    assert not (ROOT / "-").exists()


def test_analyze_dash_output_as_a_program() -> None:
    result = run_cli("analyze", CURRENT, "-o", "-")
    assert result.returncode == 0
    assert result.stdout.startswith("Telco Nord, current organization  (" + CURRENT + ")")
    assert result.stderr == ""


def test_render_dash_output() -> None:
    result = pipe("render", CURRENT, "--view", "orgchart", "--format", "dot", "-o", "-", data=b"")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[1] == b'digraph "orgchart" {'
    assert result.stderr == b""
    assert not (ROOT / "-").exists()


def test_render_all_into_standard_output_is_refused() -> None:
    result = run_main("render", CURRENT, "--all", "-o", "-")
    assert result.returncode == 2
    assert result.stderr.strip() == "orgmodel render: --all needs -o DIR, the folder to write into"


# --------------------------------------------------------------------------- validate DIR


def test_validate_examples_names_every_document() -> None:
    result = run_main("validate", "examples/")
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stderr.splitlines()
    assert lines[0] == f"{len(EXAMPLE_DOCUMENTS)} file(s) valid."
    assert [line.split()[-1] for line in lines[1:]] == EXAMPLE_DOCUMENTS
    assert all(line.split()[0] == "valid" for line in lines[1:])


def write_json(path: Path, value: object) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(value), encoding="utf-8")
    return path


def test_validate_dir_takes_only_orgmodel_documents(tmp_path: Path) -> None:
    org = tmp_path / "org"
    write_json(org / "b.json", doc(name="B"))
    write_json(org / "a" / "z.json", doc(name="AZ"))
    write_json(org / "a.json", doc(name="A"))
    write_json(org / "package.json", {"name": "x", "dependencies": {"orgmodel": "1"}})
    write_json(org / "list.json", [{"orgmodel": "1"}])
    write_json(org / "settings.json", {"editor": {"tab": 4}})
    (org / "notes.txt").write_text('{"orgmodel": "1"}', encoding="utf-8")
    for skipped in (".git", ".venv", "node_modules", ".hidden"):
        write_json(org / skipped / "doc.json", {"orgmodel": "1"})  # invalid, never read
    result = run_main("validate", "-v", "org", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stderr.splitlines()[-4:] == [
        "3 file(s) valid.",
        "  valid    org/a/z.json",  # sorted by path parts: folder a before a.json
        "  valid    org/a.json",
        "  valid    org/b.json",
    ]
    assert 'skipped org/package.json: no top-level "orgmodel" key' in result.stderr
    assert 'skipped org/settings.json: no "orgmodel" key' in result.stderr
    assert "node_modules" not in result.stderr and ".git" not in result.stderr


def test_validate_dir_reports_broken_documents_it_finds(tmp_path: Path) -> None:
    write_json(tmp_path / "good.json", doc())
    (tmp_path / "broken.json").write_text('{"orgmodel": "1",\n  "name": }', encoding="utf-8")
    result = run_main("validate", ".", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout.startswith("broken.json:2:11: ")
    assert result.stderr.splitlines() == [
        "1 of 2 file(s) invalid, 1 problem(s).",
        "  invalid  broken.json",
        "  valid    good.json",
    ]


def test_unreadable_files_among_readable_ones(tmp_path: Path) -> None:
    write_json(tmp_path / "a-good.json", doc(name="A"))
    (tmp_path / "b-latin1.json").write_bytes(
        '{"orgmodel": "1", "name": "Müller"}'.encode("latin-1")
    )
    (tmp_path / "c-dangling.json").symlink_to(tmp_path / "nowhere.json")
    write_json(tmp_path / "d-good.json", doc(name="D"))
    result = run_main("validate", tmp_path.name, cwd=tmp_path.parent)
    name = tmp_path.name
    assert result.returncode == 2
    assert result.stdout.splitlines() == [
        f"{name}/b-latin1.json:1:29: not UTF-8 text (byte 28); save the file as UTF-8",
        f"{name}/c-dangling.json: file not found; check the path",
    ]
    assert "Usage:" not in result.stderr
    assert result.stderr.splitlines() == [
        "2 of 4 file(s) invalid, 2 problem(s).",
        f"  valid    {name}/a-good.json",
        f"  invalid  {name}/b-latin1.json",
        f"  invalid  {name}/c-dangling.json",
        f"  valid    {name}/d-good.json",
    ]


def test_missing_file_among_given_files() -> None:
    result = run_main("validate", CURRENT, "no-such.json", PROPOSED, "-v")
    assert result.returncode == 2
    assert result.stdout.strip() == "no-such.json: file not found; check the path"
    assert f"valid: {CURRENT}" in result.stderr
    assert f"valid: {PROPOSED}" in result.stderr
    assert "Usage:" not in result.stderr


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads files whatever their mode"
)
def test_permission_denied_is_a_located_message(tmp_path: Path) -> None:
    locked = write_json(tmp_path / "locked.json", doc())
    locked.chmod(0)
    try:
        for args in (
            ["validate", locked, CURRENT],
            ["analyze", locked],
            ["check", locked, "--baseline", CURRENT],
        ):
            result = run_main(*args)
            assert result.returncode == 2, args
            assert "Usage:" not in result.stderr
            assert (
                f"{locked}: permission denied; check the file's access rights"
                in result.stdout + result.stderr
            )
    finally:
        locked.chmod(0o644)


@pytest.mark.parametrize(
    "args",
    [
        ["analyze", "examples"],
        ["diff", "examples", CURRENT],
        ["check", "examples"],
        ["check", PROPOSED, "--baseline", "examples"],
        ["render", "examples", "--view", "orgchart"],
    ],
)
def test_a_folder_where_a_document_belongs_is_a_located_message(args: list[str]) -> None:
    result = run_main(*args)
    assert result.returncode == 2
    assert "Usage:" not in result.stderr
    assert "examples: is a directory; give a JSON file" in result.stdout + result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["analyze", CURRENT, "-o", "examples"],
        ["diff", CURRENT, PROPOSED, "-o", "examples"],
        ["check", PROPOSED, "-o", "examples"],
        ["rules", "--write", "--path", "examples"],
        ["schema", "report", "--write", "--path", "examples"],
    ],
)
def test_a_folder_as_output_is_a_located_message(args: list[str]) -> None:
    result = run_main(*args)
    assert result.returncode == 2
    assert "Usage:" not in result.stderr
    assert result.stderr.strip().endswith("examples: cannot write: Is a directory")


def test_a_folder_as_config_is_a_located_message() -> None:
    result = run_main("analyze", CURRENT, "--config", "examples")
    assert result.returncode == 2
    assert "Usage:" not in result.stderr
    assert result.stderr.startswith("examples: cannot read config: Is a directory")


# --------------------------------------------------------------------------- config discovery


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """outer/ (with a config that must never be used) holding repo/ (a git root) holding
    org/team/ with a document."""
    outer = tmp_path / "outer"
    root = outer / "repo"
    (root / ".git").mkdir(parents=True)
    (outer / "orgmodel.toml").write_text('fail_on = "outside the repository"\n', encoding="utf-8")
    shutil.copy(ROOT / TIDY, root / "tidy.json")
    shutil.copy(ROOT / CURRENT, root / "current.json")
    (root / "org" / "team").mkdir(parents=True)
    return root


def test_no_config_in_the_repository_stops_at_its_root(repo: Path) -> None:
    result = run_main(
        "check",
        "../../tidy.json",
        "--baseline",
        "../../current.json",
        "-v",
        "--format",
        "text",
        cwd=repo / "org" / "team",
    )
    assert result.returncode == 1, result.stderr  # the default policy: two journeys regress
    assert (
        "config: no config file found (from the working directory up to the repository "
        "root); using the defaults"
    ) in result.stderr


def test_config_found_from_a_subfolder(repo: Path) -> None:
    (repo / "orgmodel.toml").write_text(
        'fail_on = "never"\n[ratchet]\nfigures = []\n', encoding="utf-8"
    )
    # a pyproject.toml without [tool.orgmodel] on the way does not stop the search
    (repo / "org" / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    result = run_main(
        "check",
        "../../tidy.json",
        "--baseline",
        "../../current.json",
        "-v",
        "--format",
        "text",
        cwd=repo / "org" / "team",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "config: ../../orgmodel.toml\n" in result.stderr
    assert "policy: fail on never" in result.stdout


def test_config_problems_are_named_relative_to_the_working_directory(repo: Path) -> None:
    (repo / "org" / ".orgmodel.toml").write_text('fail_on = "sometimes"\n', encoding="utf-8")
    (repo / "org" / "pyproject.toml").write_text(
        '[tool.orgmodel]\nfail_on = "never"\n', encoding="utf-8"
    )
    result = run_main("analyze", "../../current.json", cwd=repo / "org" / "team")
    assert result.returncode == 2
    assert result.stderr.startswith("../.orgmodel.toml: $.fail_on: ")


def test_nearest_folder_wins_and_orgmodel_toml_first(repo: Path) -> None:
    (repo / "orgmodel.toml").write_text('fail_on = "sometimes"\n', encoding="utf-8")
    (repo / "org" / ".orgmodel.toml").write_text('fail_on = "never"\n', encoding="utf-8")
    (repo / "org" / "orgmodel.toml").write_text('fail_on = "info"\n', encoding="utf-8")
    result = run_main("check", "../tidy.json", "-v", "--format", "text", cwd=repo / "org")
    assert "config: orgmodel.toml\n" in result.stderr
    assert "policy: fail on info" in result.stdout


def test_config_option_overrides_discovery(repo: Path) -> None:
    (repo / "orgmodel.toml").write_text('fail_on = "sometimes"\n', encoding="utf-8")
    (repo / "org" / "policy.toml").write_text(
        'fail_on = "never"\n[ratchet]\nfigures = []\n', encoding="utf-8"
    )
    result = run_main(
        "check",
        "../tidy.json",
        "--baseline",
        "../current.json",
        "-v",
        "--format",
        "text",
        "--config",
        "policy.toml",
        cwd=repo / "org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "config: policy.toml (from --config)" in result.stderr
    assert "orgmodel.toml" not in result.stderr


# --------------------------------------------------------------------------- -q and -v


def test_every_command_has_quiet_and_verbose() -> None:
    for command in COMMANDS:
        options = {opt for param in command.params for opt in param.opts}
        assert {"-q", "--quiet", "-v", "--verbose"} <= options, command.name


@pytest.mark.parametrize(
    "args",
    [
        ["validate", CURRENT],
        ["analyze", CURRENT],
        ["diff", CURRENT, PROPOSED],
        ["check", PROPOSED, "--baseline", CURRENT, "--format", "text"],
        ["rules", "--check"],
        ["schema", "--check"],
    ],
)
def test_quiet_prints_nothing_on_standard_error(args: list[str]) -> None:
    normal = run_main(*args)
    result = run_main(*args, "-q")
    assert result.returncode == normal.returncode == 0
    assert result.stderr == ""
    assert result.stdout == normal.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["analyze", CURRENT],
        ["diff", CURRENT, PROPOSED],
        ["check", PROPOSED, "--format", "text"],
        ["render", CURRENT, "--view", "orgchart", "--format", "mmd"],
        ["rules", "--write"],
        ["schema", "report", "--write"],
    ],
)
def test_quiet_leaves_out_wrote(tmp_path: Path, args: list[str]) -> None:
    target = tmp_path / "out"
    flag = "--path" if args[0] in ("rules", "schema") else "-o"
    normal = run_main(*args, flag, target)
    assert normal.returncode == 0, normal.stderr
    assert f"wrote {target}" in normal.stderr
    target.unlink()
    result = run_main(*args, flag, target, "-q")
    assert result.returncode == 0
    assert result.stderr == ""
    assert target.is_file()


def test_quiet_still_prints_the_problems() -> None:
    result = run_main("analyze", "tests/data/broken.json", "-q")
    assert result.returncode == 2
    assert result.stderr.startswith("tests/data/broken.json:9:76: $.units[4].headcount: ")
    assert "not run" not in result.stderr
    validate = run_main("validate", "tests/data/broken.json", "-q")
    assert validate.returncode == 2
    assert validate.stdout.count("tests/data/broken.json:") == 5
    assert validate.stderr == ""


@pytest.mark.parametrize(
    ("args", "read", "config"),
    [
        (["validate", CURRENT], [CURRENT], False),
        (["analyze", CURRENT], [CURRENT], True),
        (["diff", CURRENT, PROPOSED], [CURRENT, PROPOSED], True),
        (["check", PROPOSED, "--baseline", CURRENT, "--format", "text"], [PROPOSED, CURRENT], True),
        (["render", CURRENT, "--view", "orgchart", "--format", "mmd"], [CURRENT], False),
        (["rules", "--check"], ["docs/rules.md"], False),
        (["schema", "report", "--check"], ["schemas/report.schema.json"], False),
    ],
)
def test_verbose_names_the_files_read_and_the_config(
    tmp_path: Path, args: list[str], read: list[str], config: bool
) -> None:
    if args[0] == "render":
        args = [*args, "-o", str(tmp_path / "out.mmd")]
    result = run_main(*args, "-v")
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert [line for line in lines if line.startswith("read ")] == [f"read {x}" for x in read]
    configs = [line for line in lines if line.startswith("config: ")]
    # the checkout has no orgmodel.toml, .orgmodel.toml or [tool.orgmodel] in pyproject.toml
    assert configs == (
        [
            "config: no config file found (from the working directory up to the "
            "repository root); using the defaults"
        ]
        if config
        else []
    )


def test_quiet_and_verbose_together_is_a_usage_error() -> None:
    result = run_main("analyze", CURRENT, "-q", "-v")
    assert result.returncode == 2
    assert "-q/--quiet and -v/--verbose cannot be used together" in result.stderr
    assert result.stdout == ""


# --------------------------------------------------------------------------- exit codes


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["check", PROPOSED, "--baseline", CURRENT], 0),
        (["check", TIDY, "--baseline", CURRENT], 1),
        (["check", "tests/data/broken.json", "--baseline", CURRENT], 2),
        (["check", PROPOSED, "--baseline", "no-such.json"], 2),
        (["validate", "examples"], 0),
        (["validate", "tests/data"], 2),
    ],
)
def test_exit_codes(args: list[str], code: int) -> None:
    result = run_main(*args, "-q", "--format", "text") if args[0] == "check" else run_main(*args)
    assert result.returncode == code, result.stdout + result.stderr


def test_the_command_summaries_of_help_are_those_of_the_commands() -> None:
    """`orgmodel --help` lists the commands from `cli.SUMMARIES`, without importing them."""
    from orgmodel.cli import SUMMARIES

    assert [c.name for c in COMMANDS] == list(SUMMARIES)
    for command in COMMANDS:
        assert command.name is not None
        summary = click.Command(command.name, help=SUMMARIES[command.name])
        assert summary.get_short_help_str(1000) == command.get_short_help_str(1000), command.name


def test_version_and_help_import_neither_the_model_nor_the_analyzers() -> None:
    code = (
        "import sys; from orgmodel.cli import main\n"
        "for args in (['--version'], ['--help']):\n"
        "    try:\n        main(args)\n    except SystemExit:\n        pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('orgmodel.')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.splitlines()[-1] == "['orgmodel.cli']"
