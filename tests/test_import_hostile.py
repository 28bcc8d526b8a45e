"""The defects the importer fuzzer (tests/fuzz_import.py) found, one test each.

Every problem names the file and a place in it, the command exits 2 and writes nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from orgmodel.eventlog import columnar
from tests.conftest import run_main

DATA = Path(__file__).parent / "data" / "import"
ARCHIMATE = (DATA / "small-archimate.xml").read_text(encoding="utf-8")
LOG = ("import", "eventlog", "--case", "case", "--activity", "activity", "--start", "start",
       "--end", "end", "--resource", "resource", "--unit", "resource")  # fmt: skip


def _problems(result_stderr: str, source: Path) -> list[str]:
    return [
        line.removeprefix(str(source))
        for line in result_stderr.splitlines()
        if line.startswith(str(source))
    ]


def _refused(tmp_path: Path, *args: str | Path) -> str:
    out = tmp_path / "org.json"
    result = run_main(*args, "-o", out, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert not out.exists()
    return result.stderr


def test_a_problem_of_a_whole_row_has_no_column_written_as_none(tmp_path: Path) -> None:
    source = tmp_path / "people.csv"
    source.write_text("name;title\nAnn;CEO\n", encoding="utf-8")
    err = _refused(tmp_path, "import", "hris", source)
    [line] = _problems(err, source)
    assert line.startswith(":1: no id column"), line  # was ':1:None: no id column'


@pytest.mark.parametrize(
    ("cell", "column", "message"),
    [
        ("99999999999999999999", 7, "cost '99999999999999999999' is not an amount from 0 to 10^15"),
        ("2000000", 6, "FTE '2000000' is not a number from 0 to 1,000,000"),
    ],
)
def test_an_amount_beyond_the_document_range_is_a_row_problem(
    tmp_path: Path, cell: str, column: int, message: str
) -> None:
    # Was accepted, and then the imported document was refused at a line of the output file
    # that was never written.
    rows = (DATA / "people.csv").read_text(encoding="utf-8").splitlines()
    fields = rows[5].split(",")
    fields[column - 1] = cell
    rows[5] = ",".join(fields)
    source = tmp_path / "people.csv"
    source.write_text("\n".join(rows) + "\n", encoding="utf-8")
    err = _refused(tmp_path, "import", "hris", source)
    assert _problems(err, source) == [
        f":6:{column}: {message} (column '{rows[0].split(',')[column - 1]}')"
    ]


def _log(tmp_path: Path, body: str, raw: bytes = b"") -> Path:
    source = tmp_path / "log.csv"
    source.write_bytes(("case,activity,start,end,resource\n" + body).encode("utf-8") + raw)
    return source


@pytest.mark.parametrize(
    "engine", ["python", pytest.param("duckdb", marks=pytest.mark.skipif(
        not columnar.available(), reason="duckdb is not installed"))]
)  # fmt: skip
def test_an_end_before_its_start_is_located(tmp_path: Path, engine: str) -> None:
    # Was measured as negative work, and the document written was invalid (exit 3).
    source = _log(
        tmp_path,
        "c1,A,2024-01-01T08:00:00,2024-01-01T08:30:00,ann\n"
        "c1,B,2024-01-01T09:15:34,2024-01-01T08:30:00,bob\n",
    )
    err = _refused(tmp_path, *LOG, source, "--engine", engine)
    assert _problems(err, source) == [
        ":3:4: the end '2024-01-01T08:30:00' is before the start '2024-01-01T09:15:34'"
    ]


def test_bad_utf8_in_an_event_log_is_located_by_line_and_column(tmp_path: Path) -> None:
    # Was 'not UTF-8 text (byte N)' without a place, N counted from the decoder's buffer.
    body = "".join(f"c{i},A,2024-01-01T08:00:00,2024-01-01T08:30:00,ann\n" for i in range(20000))
    source = _log(tmp_path, body, b"c9,\xc3\xa4\xff,x,y,z\n")
    err = _refused(tmp_path, *LOG, source)
    offset = len(("case,activity,start,end,resource\n" + body).encode()) + 5
    assert _problems(err, source) == [
        f":20002:5: not UTF-8 text (byte {offset}); save the log as UTF-8"
    ]


@pytest.mark.parametrize(
    ("data", "message"), [(b"", "empty file (0 bytes)"), (b"\xef\xbb\xbf", "no header line")]
)
def test_an_empty_event_log_is_located_at_its_start(
    tmp_path: Path, data: bytes, message: str
) -> None:
    source = tmp_path / "log.csv"
    source.write_bytes(data)
    err = _refused(tmp_path, *LOG, source)
    [line] = _problems(err, source)
    assert line.startswith(f":1:1: {message}"), line


def _xml(tmp_path: Path, text: str) -> Path:
    source = tmp_path / "model.xml"
    source.write_text(text, encoding="utf-8")
    return source


def test_a_dtd_in_an_archimate_file_is_located(tmp_path: Path) -> None:
    source = _xml(tmp_path, ARCHIMATE.replace("?>", '?>\n<!DOCTYPE model [<!ENTITY x "boom">]>', 1))
    err = _refused(tmp_path, "import", "archimate", source)
    [line] = _problems(err, source)
    assert line.startswith(":2:1: refused: the file declares a DTD or entities"), line


def test_a_wrong_namespace_is_located_at_the_root_element(tmp_path: Path) -> None:
    source = _xml(tmp_path, ARCHIMATE.replace("archimate/3.0/", "archimate/2.1/", 1))
    err = _refused(tmp_path, "import", "archimate", source)
    [line] = _problems(err, source)
    assert line.startswith(":2:1: not an ArchiMate exchange file (3.x)"), line


def test_an_unknown_xml_encoding_is_a_located_problem(tmp_path: Path) -> None:
    # Was an internal error (LookupError: unknown encoding: UTG-8).
    source = _xml(tmp_path, ARCHIMATE.replace('encoding="UTF-8"', 'encoding="UTG-8"', 1))
    err = _refused(tmp_path, "import", "archimate", source)
    [line] = _problems(err, source)
    assert line.startswith(":1:21: not readable XML: unknown encoding: UTG-8"), line


def test_a_carriage_return_in_the_header_line_is_no_internal_error(tmp_path: Path) -> None:
    # Was an internal error: the delimiter was guessed from the text up to the first LF, and
    # the csv module refuses a line break inside an unquoted field (fuzz seed 12, case 770).
    source = tmp_path / "people.csv"
    source.write_bytes(b"id,name,manager_id\rdepartment\np1,A,\np2,B,p1\n")
    out = tmp_path / "org.json"
    result = run_main("import", "hris", source, "-o", out, cwd=tmp_path)
    assert result.returncode in (0, 2), result.stderr
    assert "internal error" not in result.stderr
    assert out.exists() == (result.returncode == 0)


def test_an_empty_hr_export_is_located_at_its_start(tmp_path: Path) -> None:
    source = tmp_path / "people.csv"
    source.write_bytes(b"")
    err = _refused(tmp_path, "import", "hris", source)
    assert _problems(err, source) == [
        ":1:1: the file is empty; expected a header line and one row per person"
    ]
