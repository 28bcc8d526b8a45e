"""Notes, summaries and problems on the terminal: text from the input is escaped.

A name, an id or a file name with an ANSI escape sequence (or a carriage return, a newline)
would recolour or rewrite the terminal, or add lines to the output. Everything the commands
print about their input goes through :func:`orgmodel.textsafe.one_line`.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.conftest import run_main

DATA = Path(__file__).parent / "data"
ESC = "\x1b[2J\x1b[31m\x07"


def _no_raw_controls(text: str) -> None:
    """No control character but newline (click drops ANSI sequences when the output is not
    a terminal, so the escaped form is looked for too)."""
    assert not [c for c in text if c != "\n" and (c < " " or "\x7f" <= c <= "\x9f")], repr(text)
    assert "\\x1b[2J" in text, repr(text)


def test_say_escapes_control_characters(capsys) -> None:  # type: ignore[no-untyped-def]
    from orgmodel.cli.common import detail, say

    say(f"file.csv: note: unit 'a{ESC}b'\rX\nY")
    detail(f"x{ESC}")  # not shown without -v, and no context: nothing
    err = capsys.readouterr().err
    assert err == "file.csv: note: unit 'a\\x1b[2J\\x1b[31m\\x07b'\\rX\\nY\n"


def test_import_summary_escapes_the_file_name(tmp_path: Path) -> None:
    source = tmp_path / f"people{ESC}.csv"
    shutil.copy(DATA / "import" / "people.csv", source)
    result = run_main("import", "hris", source, "-o", tmp_path / "org.json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    _no_raw_controls(result.stderr)
    assert "people\\x1b[2J\\x1b[31m\\x07.csv: " in result.stderr


def test_import_problems_are_escaped(tmp_path: Path) -> None:
    source = tmp_path / "people.csv"
    source.write_text(f"id,name,manager_id,fte\np1,A{ESC},,1\np2,B,p1,x{ESC}\n", encoding="utf-8")
    out = tmp_path / "org.json"
    result = run_main("import", "hris", source, "-o", out, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    _no_raw_controls(result.stderr)
    assert "people.csv:3:" in result.stderr
    assert not out.exists()


def test_reimport_changes_are_escaped(tmp_path: Path) -> None:
    into = tmp_path / "org.json"
    first = run_main("import", "hris", DATA / "import" / "people.csv", "-o", into, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    lines = (DATA / "import" / "people.csv").read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace("Board", f'"Board{ESC}\rNew"')
    source = tmp_path / "next.csv"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_main("import", "hris", source, "--into", into, "--check", cwd=tmp_path)
    assert result.returncode in (0, 1), result.stderr
    assert "structural change(s)" in result.stdout
    _no_raw_controls(result.stdout + result.stderr)


def test_render_unknown_journey_note_is_escaped(tmp_path: Path) -> None:
    result = run_main(
        "render", DATA / "valid.json", "--view", "journey", "--journey", f"invoice{ESC}"
    )
    assert result.returncode == 2
    _no_raw_controls(result.stderr)


def test_eventlog_summary_escapes_names(tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    rows = ["case_id,Activity,start_time,end_time,Resource"]
    for case in range(3):
        rows += [
            f"c{case},Order{ESC},2024-01-0{case + 1}T08:00:00,2024-01-0{case + 1}T09:00:00,"
            f"Ann{ESC}",
            f"c{case},Ship,2024-01-0{case + 1}T10:00:00,2024-01-0{case + 1}T11:00:00,Bob",
        ]
    log.write_text("\n".join(rows) + "\n", encoding="utf-8")
    mapping = tmp_path / "units.json"
    mapping.write_text(json.dumps({f"Ann{ESC}": f"sales{ESC}", "Bob": "ops"}))
    result = run_main(
        "import",
        "eventlog",
        log,
        "--start",
        "start_time",
        "--end",
        "end_time",
        "--activity",
        "Activity",
        "--resource",
        "Resource",
        "--case",
        "case_id",
        "--mapping",
        mapping,
        "-o",
        tmp_path / "org.json",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "Handover matrix" in result.stdout + result.stderr
    _no_raw_controls(result.stdout + result.stderr)
