"""Reading tables of people: CSV in any common encoding and delimiter, and XLSX.

A table is its header and its rows as lists of strings, each with its row number as a
spreadsheet shows it (the header is row 1). Problems raise
:class:`~orgmodel.diagnostics.DocumentInvalid` with a located message.

A *plain* CSV text (no quote character, no NUL, line breaks ``\n`` or ``\r\n``) is read
without the ``csv`` module: there each line is a row, its fields are the line split at the
delimiter and a blank line is an empty row, which is what ``csv.reader`` reads. Its rows
then come as columns, a batch of lines at a time (:meth:`Table.column_batches`), without a
list per row.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeAlias

from orgmodel.diagnostics import Diagnostic, DocumentInvalid

__all__ = ["DELIMITERS", "Table", "decode", "read_table"]

#: Delimiters recognised in a CSV file's header line, most likely first.
DELIMITERS = ",;\t|"

#: A plain text is read this many characters at a time (to the end of a line): a batch of a
#: few hundred rows, whose fields are made and used while they are in the processor's cache
#: (at 100,000 people 0.84 times the import time of 256 KiB pieces, at 1,000,000 0.87).
PLAIN_CHUNK = 1 << 14

#: Each batch of :meth:`Table.column_batches`: its first row number, and either its columns
#: (one sequence of values per header field) or, when its rows do not all have as many
#: fields as the header, its rows.
Batch: TypeAlias = tuple[int, list[Sequence[str]] | None, list[list[str]] | None]


@dataclass
class Table:
    """The header and the rows of one sheet or CSV file."""

    header: list[str]
    records: Iterator[list[str]]
    """The fields of each row below the header (row 2 on), read as they are asked for; none
    for a plain CSV text, whose rows are in ``plain``."""
    encoding: str = ""
    delimiter: str = ""
    path: str = ""
    plain: Iterator[Batch] | None = None
    """The rows of a plain CSV text, as :meth:`column_batches` gives them (:meth:`batches`
    and :attr:`rows` read them from it)."""

    def column_batches(self, size: int) -> Iterator[Batch]:
        """The rows a batch at a time: of a plain text a chunk of lines, as columns where
        every line has as many fields as the header; else ``size`` rows, as rows."""
        if self.plain is not None:
            yield from self.plain
            return
        for number, batch in self.batches(size):
            yield number, None, batch

    def batches(self, size: int) -> Iterator[tuple[int, list[list[str]]]]:
        """The rows ``size`` at a time, each batch with the number of its first row."""
        if self.plain is not None:
            yield from _as_rows(self.plain, size)
            return
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


def is_plain(text: str) -> bool:
    """True when ``csv.reader`` reads ``text`` as its lines split at the delimiter: no
    quote character, no NUL (an error before Python 3.11), and every CR begins a CRLF."""
    if '"' in text or "\0" in text:
        return False
    return "\r" not in text or text.count("\r") == text.count("\r\n")


def plain_table(text: str, encoding: str, sep: str, path: str, chunk: int = PLAIN_CHUNK) -> Table:
    """The table of the plain (:func:`is_plain`) CSV ``text``; ``chunk``: how many
    characters are split at once (to the end of a line)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text:
        raise _fail(path, "the file is empty; expected a header line and one row per person", 1, 1)
    end = text.find("\n")
    first = (text if end < 0 else text[:end]).removesuffix("\r")
    header = first.split(sep) if first else []
    rows = _plain_batches(text, len(text) if end < 0 else end + 1, sep, len(header), path, chunk)
    return Table([h.strip() for h in header], iter(()), encoding, sep, path, rows)


def _as_rows(batches: Iterator[Batch], size: int) -> Iterator[tuple[int, list[list[str]]]]:
    """The rows of ``batches``, ``size`` at a time, each with the number of its first row."""
    for number, columns, rows in batches:
        if rows is None:
            assert columns is not None
            rows = list(map(list, zip(*columns, strict=True)))
        for at in range(0, len(rows), size):
            yield number + at, rows[at : at + size]


def _plain_batches(
    text: str, start: int, sep: str, width: int, path: str, chunk: int
) -> Iterator[Batch]:
    """The batches of the plain ``text`` from ``start`` (row 2): a chunk of lines each."""
    number = 2
    limit = csv.field_size_limit()
    crlf = "\r" in text
    while start < len(text):
        end = text.find("\n", start + chunk)
        end = len(text) if end < 0 else end + 1
        piece = text[start:end]
        start = end
        if crlf:
            piece = piece.replace("\r\n", "\n")
        lines = piece.removesuffix("\n").split("\n")
        size = len(piece)
        del piece
        # what csv says of a field beyond its limit (only a piece longer than it can hold one)
        if size > limit and max(map(len, lines)) > limit:
            for at, line in enumerate(lines):
                try:
                    list(csv.reader([line], delimiter=sep))
                except csv.Error as exc:
                    raise _fail(path, f"not CSV: {exc}", number + at) from None
        counts = list(map(str.count, lines, itertools.repeat(sep)))
        if counts.count(width - 1) == len(lines) and (width > 1 or "" not in lines):
            fields = sep.join(lines).split(sep) if width > 1 else lines
            del lines
            yield number, [fields[c::width] for c in range(width)], None
            number += len(counts)
        else:
            rows = [line.split(sep) if line else [] for line in lines]
            yield number, None, rows
            number += len(rows)


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
    if len(sep) == 1 and sep not in '\0\r\n"' and is_plain(text):
        return plain_table(text, used, sep, path)
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
