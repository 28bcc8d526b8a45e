"""Reading tables: a plain CSV text (no quote, no NUL, CR only in CRLF) is read without the
``csv`` module, and must give exactly the rows ``csv.reader`` gives."""

from __future__ import annotations

import csv
import io
import random
from itertools import chain
from pathlib import Path

import pytest

from orgmodel.diagnostics import DocumentInvalid
from orgmodel.importers.tables import Table, is_plain, plain_table, read_table

# Characters a plain text may hold, line breaks and odd spaces among them (only \n and
# \r\n break a line for csv; \x0b, \x0c, \x1c, \x85 and \u2028 do not).
PIECES = ["a", "Zoë", " ", "\t", "x y", "1.5", "\x0b", "\x0c", "\x1c", "\x85", "\u2028", "'", ""]


def _csv_rows(text: str, sep: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=sep))


def _plain_rows(table: Table) -> list[tuple[int, list[str]]]:
    """Every row of the table's column batches, with its number, as lists."""
    out: list[tuple[int, list[str]]] = []
    for number, columns, rows in table.column_batches(1_000):
        if rows is None:
            assert columns is not None and len(columns) == len(table.header)
            rows = [list(r) for r in zip(*columns, strict=True)]
        out.extend(enumerate(rows, number))
    return out


def _random_text(rnd: random.Random, sep: str) -> str:
    width = rnd.randint(1, 5)
    lines = []
    for _ in range(rnd.randint(0, 40)):
        if rnd.random() < 0.1:
            lines.append("")  # a blank line
            continue
        fields = width + (rnd.choice([-1, 1]) if rnd.random() < 0.1 else 0)
        lines.append(sep.join(rnd.choice(PIECES) for _ in range(max(fields, 1))))
    end = rnd.choice(["\n", "\r\n"])
    return end.join(lines) + rnd.choice(["", end, end + end])


@pytest.mark.parametrize("sep", [",", ";", "\t", "|"])
def test_a_plain_text_gives_the_rows_of_csv_reader(sep: str) -> None:
    """Random plain texts (blank lines, short and long rows, CRLF, odd spaces, no final
    line break or several), split a few characters at a time so that the chunks end
    anywhere: the same header and rows, numbered as csv numbers them."""
    rnd = random.Random(sep)
    for case in range(400):
        text = _random_text(rnd, sep)
        if not text.strip("\r\n"):
            continue
        assert is_plain(text)
        expected = _csv_rows(text, sep)
        table = plain_table(text, "utf-8", sep, "t.csv", chunk=rnd.choice([1, 7, 30, 1 << 18]))
        assert table.header == [h.strip() for h in expected[0]], case
        assert _plain_rows(table) == list(enumerate(expected[1:], 2)), case


def test_rows_and_batches_of_a_plain_table_are_its_rows() -> None:
    text = "id,boss\n1,\n2,1\n\n3,2,x\n"
    table = plain_table(text, "utf-8", ",", "t.csv", chunk=4)
    assert list(table.rows) == [(2, ["1", ""]), (3, ["2", "1"]), (4, []), (5, ["3", "2", "x"])]
    table = plain_table(text, "utf-8", ",", "t.csv", chunk=4)
    assert list(chain.from_iterable(b for _, b in table.batches(2))) == _csv_rows(text, ",")[1:]


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ("id,name\n1,Ann\n", True),
        ("id,name\r\n1,Ann\r\n", True),
        ('id,name\n1,"Ann"\n', False),  # a quote: csv's rules
        ('id,name\n1,An"n\n', False),
        ("id,name\n1,A\x00n\n", False),  # NUL: an error of csv before Python 3.11
        ("id,name\r1,Ann\r", False),  # a CR alone ends a line for csv
        ("id,name\n1,A\rnn\r\n", False),
    ],
)
def test_what_is_plain(text: str, plain: bool) -> None:
    assert is_plain(text) is plain


def test_read_table_reads_a_plain_file_as_csv_does(tmp_path: Path) -> None:
    """Byte-order mark, CRLF, spaces around the header's names, a blank line at the end."""
    path = tmp_path / "people.csv"
    text = "\ufeffid ; name \r\n1;Ann\r\n2;Bo \r\n\r\n"
    path.write_bytes(text.encode("utf-8"))
    table = read_table(str(path))
    assert (table.header, table.delimiter, table.encoding) == (["id", "name"], ";", "utf-8-sig")
    assert list(table.rows) == [(2, ["1", "Ann"]), (3, ["2", "Bo "]), (4, [])]
    path.write_bytes(text.encode("utf-8").replace(b"2;Bo", b'2;"Bo"'))  # not plain: csv
    assert list(read_table(str(path)).rows) == [(2, ["1", "Ann"]), (3, ["2", "Bo "]), (4, [])]


def test_a_field_beyond_the_limit_of_csv_is_located_in_a_plain_text() -> None:
    long = "x" * (csv.field_size_limit() + 1)
    text = f"id,name\n1,a\n2,{long}\n3,c\n"
    with pytest.raises(csv.Error) as expected:
        _csv_rows(text, ",")
    table = plain_table(text, "utf-8", ",", "t.csv", chunk=1)
    with pytest.raises(DocumentInvalid) as caught:
        _plain_rows(table)
    assert [str(d) for d in caught.value.diagnostics] == [f"t.csv:3: not CSV: {expected.value}"]
    fine = f"id,name\n1,{long[:-2]},{long[:-2]}\n"  # a long line, but no field too long
    assert _plain_rows(plain_table(fine, "utf-8", ",", "t.csv")) == [
        (2, ["1", long[:-2], long[:-2]])
    ]


def test_an_empty_plain_file_is_located() -> None:
    with pytest.raises(DocumentInvalid) as caught:
        plain_table("\ufeff", "utf-8", ",", "t.csv")
    assert str(caught.value).startswith("t.csv:1:1: the file is empty")
    assert plain_table("\n", "utf-8", ",", "t.csv").header == []
