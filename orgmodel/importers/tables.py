"""Reading tables of people: CSV in any common encoding and delimiter, and XLSX.

A table is its header and its rows as lists of strings, each with its row number as a
spreadsheet shows it (the header is row 1). Problems raise
:class:`~orgmodel.diagnostics.DocumentInvalid` with a located message.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from orgmodel.diagnostics import Diagnostic, DocumentInvalid

__all__ = ["DELIMITERS", "Table", "decode", "read_table"]

#: Delimiters recognised in a CSV file's header line, most likely first.
DELIMITERS = ",;\t|"


@dataclass
class Table:
    """The header and the rows of one sheet or CSV file."""

    header: list[str]
    records: Iterator[list[str]]
    """The fields of each row below the header (row 2 on), read as they are asked for."""
    encoding: str = ""
    delimiter: str = ""
    path: str = ""

    def batches(self, size: int) -> Iterator[tuple[int, list[list[str]]]]:
        """The rows ``size`` at a time, each batch with the number of its first row."""
        number = 2
        while True:
            batch: list[list[str]] = []
            try:
                batch.extend(itertools.islice(self.records, size))  # no Python code per row
            except csv.Error as exc:  # the rows before the failing one are in the batch
                raise _fail(self.path, f"not CSV: {exc}", number + len(batch)) from None
            if not batch:
                return
            yield number, batch
            number += len(batch)

    @property
    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """Each row with its number (the header is row 1)."""
        for number, batch in self.batches(1_000):
            yield from zip(itertools.count(number), batch)


def _fail(
    path: str, message: str, row: int | None = None, column: int | None = None
) -> DocumentInvalid:
    return DocumentInvalid([Diagnostic(path, row, column, None, "io", message)])


def decode(data: bytes, path: str = "<bytes>", encoding: str | None = None) -> tuple[str, str]:
    """The text of ``data`` and the encoding it was read in: the given one, else UTF-8 or
    UTF-16 by their byte-order mark, UTF-16 without one (by its zero bytes), UTF-8, and
    cp1252 (the Windows default of Excel's "CSV" export) when it is not UTF-8."""
    if encoding:
        try:
            return data.decode(encoding), encoding
        except LookupError:
            raise _fail(path, f"unknown encoding '{encoding}'") from None
        except UnicodeDecodeError as exc:
            raise _fail(path, f"not {encoding} text (byte {exc.start})") from None
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = ["utf-8-sig"]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    else:
        sample = data[:4096]
        if len(sample) >= 4 and sample[1::2].count(0) > len(sample) // 4:
            candidates = ["utf-16-le"]
        elif len(sample) >= 4 and sample[0::2].count(0) > len(sample) // 4:
            candidates = ["utf-16-be"]
        else:
            candidates = ["utf-8", "cp1252", "latin-1"]
    for name in candidates:
        try:
            return data.decode(name), name
        except UnicodeDecodeError as exc:
            last = exc
    raise _fail(
        path, f"cannot tell the encoding (byte {last.start}); give it with --encoding"
    ) from None


_FIRST_LINE = re.compile(r"[^\r\n]*")


def _delimiter(first_line: str) -> str:
    """The delimiter that splits the header line into the most fields (outside quotes)."""
    best, count = ",", 0
    for candidate in DELIMITERS:
        try:
            n = len(next(csv.reader([first_line], delimiter=candidate), []))
        except csv.Error:  # e.g. a line break in an unquoted field
            continue
        if n > count:
            best, count = candidate, n
    return best


def read_table(path: str, encoding: str | None = None, delimiter: str | None = None) -> Table:
    """The table in the CSV or XLSX file ``path`` (by its suffix, or its first bytes)."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise _fail(path, "file not found; check the path") from None
    except IsADirectoryError:
        raise _fail(path, "is a directory; give a CSV or XLSX file") from None
    except OSError as exc:
        raise _fail(path, f"cannot be read: {exc.strerror or exc}") from None
    if data.startswith(b"PK\x03\x04") or path.lower().endswith((".xlsx", ".xlsm")):
        return _read_xlsx(path, data)
    text, used = decode(data, path, encoding)
    first = _FIRST_LINE.match(text).group()  # type: ignore[union-attr]  # CSV ends a line at CR too
    sep = delimiter or _delimiter(first)
    bom = text.startswith("\ufeff")
    del text  # read again as a stream, decoded piece by piece (a StringIO of the whole text
    # holds four bytes per character)
    stream = io.TextIOWrapper(io.BytesIO(data), encoding=used, newline="")
    if bom:  # a byte-order mark the encoding given does not remove
        stream.read(1)
    reader = csv.reader(stream, delimiter=sep)
    try:
        header = next(reader)
    except StopIteration:
        raise _fail(
            path, "the file is empty; expected a header line and one row per person", 1, 1
        ) from None
    except csv.Error as exc:
        raise _fail(path, f"not CSV: {exc}", 1) from None
    return Table([h.strip() for h in header], reader, used, sep, path)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_xlsx(path: str, data: bytes) -> Table:
    """The first sheet of an XLSX workbook (through openpyxl, the ``xlsx`` extra)."""
    try:
        import openpyxl
    except ImportError:
        raise _fail(
            path,
            "reading XLSX needs openpyxl: pip install 'orgmodel[xlsx]' (or save the sheet as CSV)",
        ) from None
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise _fail(path, f"not a readable XLSX workbook: {exc}") from None
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    try:
        header = [_cell(v).strip() for v in next(rows)]
    except StopIteration:
        raise _fail(
            path, "the first sheet is empty; expected a header row and one row per person"
        ) from None

    def body() -> Iterator[list[str]]:
        for values in rows:
            yield [_cell(v) for v in values]
        book.close()

    return Table(header, body(), "xlsx", "", path)
