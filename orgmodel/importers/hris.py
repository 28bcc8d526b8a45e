"""Import an HR export (CSV or XLSX, one row per person or position) as units and positions.

Columns are recognised by common header names (case, spaces and punctuation ignored, see
:data:`ALIASES`), so the ``id,parentId,name,...`` CSV of org-chart tools needs no mapping;
anything else is mapped with ``FIELD=COLUMN``. Every row becomes a position (its id is the
source id, made a valid id when it is not one); its ``reports_to`` is the manager column.

Units come from the unit columns: one column that holds a name, an id or a path
(``Division / Department / Team``), or several level columns (division, department, team).
A row without a unit belongs to its manager's unit. Without any unit column the manager
tree gives the units: every manager (a position with direct reports) leads a unit named
after their title. A unit's head is the holder of its top position; its headcount and cost
are those of its own positions. Ids are derived from the source's ids and names, never from
row order, so a second import of next month's export gives the same ids.

Every bad row is reported at once, as ``file:row:column: message`` (the header is row 1).
"""

from __future__ import annotations

import operator
import re
from array import array
from collections import Counter, deque
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import accumulate, compress, repeat
from pathlib import Path
from typing import Any, cast

from orgmodel.diagnostics import Diagnostic, DocumentInvalid
from orgmodel.importers import document_json, json_scalar, json_strings
from orgmodel.importers.ids import digest, make_id, slug
from orgmodel.importers.tables import Table, read_table
from orgmodel.model import MAX_AMOUNT, MAX_FTE

__all__ = ["ALIASES", "FIELDS", "HrisImport", "HrisOptions", "import_hris", "import_table"]

#: The fields a column can be mapped to.
FIELDS = (
    "id",
    "holder",
    "first_name",
    "last_name",
    "title",
    "reports_to",
    "unit",
    "fte",
    "cost",
    "staff",
    "location",
)

#: Header names recognised per field, normalised (lower case, letters and digits only).
ALIASES: dict[str, tuple[str, ...]] = {
    "id": (
        "id",
        "employeeid",
        "empid",
        "personid",
        "positionid",
        "staffid",
        "workerid",
        "employeenumber",
        "employeeno",
        "personnelnumber",
        "nodeid",
        "userid",
    ),
    "reports_to": (
        "parentid",
        "parent",
        "managerid",
        "manager",
        "reportsto",
        "reportstoid",
        "supervisor",
        "supervisorid",
        "bossid",
        "linemanagerid",
        "linemanager",
        "managerempid",
        "pid",
    ),
    "holder": (
        "name",
        "fullname",
        "holder",
        "employeename",
        "employee",
        "personname",
        "displayname",
    ),
    "first_name": ("firstname", "givenname", "forename"),
    "last_name": ("lastname", "surname", "familyname"),
    "title": (
        "title",
        "jobtitle",
        "positionname",
        "position",
        "positiontitle",
        "role",
        "jobrole",
        "designation",
        "job",
    ),
    "unit": (
        "unit",
        "orgunit",
        "organizationalunit",
        "organisationalunit",
        "unitpath",
        "departmentpath",
        "orgpath",
        "area",
        "costcenter",
        "costcentre",
    ),
    "fte": ("fte", "ftes", "fulltimeequivalent"),
    "cost": ("cost", "salary", "annualcost", "annualsalary", "costperyear"),
    "staff": ("staff", "assistant", "isassistant", "isstaff", "staffposition"),
    "location": ("location", "office", "site", "city", "worklocation"),
}

#: Level columns, top first: when a file has some of them (and no single unit column),
#: they form each row's unit path; the unit's kind is the level's.
LEVELS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("division", ("division", "businessunit", "divisionname")),
    ("department", ("department", "dept", "departmentname", "deptname")),
    ("team", ("team", "teamname", "subdepartment")),
)

#: How the parts of a unit path are separated in one column.
PATH_SEPARATOR = re.compile(r"\s*(?:/|>|\\)\s*")

_TRUE = frozenset({"1", "true", "yes", "y", "x", "t", "staff", "assistant", "ja", "wahr"})
_FALSE = frozenset({"", "0", "false", "no", "n", "f", "nein", "falsch"})
_NO_MANAGER = frozenset({"", "null", "none", "nan", "-", "n/a"})
_MARKER_LENGTH = max(map(len, _NO_MANAGER))
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_NOT_ID = re.compile(r"[\x00-\x20\x7f/#]")  # what no id may hold (see ids.is_valid_id)
_ESCAPED = re.compile(r'["\\\x00-\x1f]')  # what JSON writes escaped in a string
_CURRENCY = re.compile(r"[\s\u00a0'€$£¥]|EUR|USD|GBP|CHF")


def _norm(header: str) -> str:
    return re.sub(r"[^0-9a-z]", "", header.casefold())


def mapped_columns(
    path: str,
    header: Sequence[str],
    mapping: Mapping[str, str],
    fields: Sequence[str],
    several: str,
    rows: str = "",
) -> tuple[dict[str, list[int]], dict[str, int], list[Diagnostic]]:
    """The columns ``mapping`` (field -> header name; for the field ``several``, names
    separated by commas) names, by field; the normalized header names (:func:`_norm`, the
    first column of each); and a located problem for each unknown field (``rows``: which
    rows the fields are of, e.g. ``--rows units``) and each name no column has. A name is
    looked up as written, then normalized."""
    problems: list[Diagnostic] = []
    exact = {h: i for i, h in reversed(list(enumerate(header)))}
    normal = {_norm(h): i for i, h in reversed(list(enumerate(header)))}
    found: dict[str, list[int]] = {}
    scope = f" for {rows}" if rows else ""
    for key, column in mapping.items():
        if key not in fields:
            problems.append(
                usage_problem(
                    path,
                    f"--map {key}=...: unknown field{scope}; fields: {', '.join(fields)}",
                    None,
                )
            )
            continue
        parts = [c.strip() for c in column.split(",")] if key == several else [column]
        at = [exact.get(c, normal.get(_norm(c))) for c in parts]
        missing = [c for c, i in zip(parts, at, strict=True) if i is None]
        if missing:
            problems.append(
                usage_problem(
                    path,
                    f"--map {key}={column}: no column "
                    f"{', '.join(repr(m) for m in missing)}; the columns "
                    f"are {', '.join(repr(h) for h in header)}",
                )
            )
            continue
        found[key] = [i for i in at if i is not None]
    return found, normal, problems


def usage_problem(path: str, message: str, line: int | None = 1) -> Diagnostic:
    """A problem of the mapping of the columns: at the header (line 1), or of the options
    alone (``line`` None)."""
    return Diagnostic(path, line, None, None, "usage", message)


def import_name(options: HrisOptions, path: str) -> str:
    """The name of an imported document: the one given, else from the file's name."""
    return options.name or Path(path).stem.replace("_", " ").replace("-", " ").strip() or "Import"


@dataclass(frozen=True)
class HrisOptions:
    """How to read an export."""

    mapping: Mapping[str, str] = field(default_factory=dict)
    """FIELD -> COLUMN (a header name; for ``unit`` several, comma-separated, top first)."""
    name: str | None = None
    """The document's name; default: from the file name."""
    encoding: str | None = None
    """The file's encoding; default: detected."""
    delimiter: str | None = None
    """The CSV delimiter; default: detected from the header line."""


class HrisImport:
    """The imported document as JSON data, and what the import noticed on the way.

    The positions are held as the import's columns: their dicts (``data["positions"]``) are
    built on the first use of :attr:`data`, and :meth:`text` writes the document from the
    columns without them (what ``orgmodel import hris -o`` needs)."""

    def __init__(
        self,
        data: dict[str, object],
        notes: list[str],
        encoding: str,
        delimiter: str,
        columns: dict[str, str],
        units_from: str,
        positions: _Positions | None = None,
    ) -> None:
        self._data = data
        self.notes = notes
        self.encoding = encoding
        self.delimiter = delimiter
        self.columns = columns
        """Field -> the column it was read from."""
        self.units_from = units_from
        """``columns`` (unit columns), ``managers`` (the manager tree) or ``units``."""
        self._positions = positions
        self._let_go = False  # the columns were let go before the dicts were built

    @property
    def data(self) -> dict[str, object]:
        """The document as JSON data; ``positions`` last (its dicts built on first use)."""
        if self._positions is not None and "positions" not in self._data:
            self._data["positions"] = self._positions.dicts()
        elif self._let_go and "positions" not in self._data:
            raise RuntimeError("HrisImport.data after text() or written(): ask for it first")
        return self._data

    @property
    def units(self) -> list[dict[str, Any]]:
        """``data["units"]``, without building the positions."""
        units = self._data.get("units", [])
        assert isinstance(units, list)
        return units

    @property
    def positions(self) -> int:
        """How many positions the document has."""
        if self._positions is not None:
            return self._positions.count
        held = self._data.get("positions", [])
        assert isinstance(held, list)
        return len(held)

    def written(self) -> dict[str, str]:
        """The text of ``data["positions"]`` as :func:`~orgmodel.importers.document_json`
        writes it there (its ``written``), made from the import's columns in a fraction of
        the encoder's time; once: the columns are let go (``{}`` after the first call), so
        that they are not held while the document is checked. Use :attr:`data` first, if
        at all, and do not change the positions."""
        made, self._positions = self._positions, None
        self._let_go = self._let_go or made is not None
        return {} if made is None else {"positions": made.text()}

    def text(self) -> str:
        """The document's text, as ``document_json(self.data)`` writes it, the positions
        from the columns (their dicts are not built for it); once, like :meth:`written`."""
        if self._positions is None or "positions" in self._data:
            return document_json(self.data, self.written())
        shape = dict(self._data, positions=[])  # the place of the positions' text
        return document_json(shape, self.written())


def import_hris(path: str, options: HrisOptions | None = None) -> HrisImport:
    """Import the CSV or XLSX export at ``path``; raise :class:`DocumentInvalid`."""
    options = options or HrisOptions()
    table = read_table(path, options.encoding, options.delimiter)
    return import_table(path, table, options, import_name(options, path))


def _columns(
    path: str, header: Sequence[str], mapping: Mapping[str, str]
) -> tuple[dict[str, int], list[tuple[int, str | None]], list[Diagnostic]]:
    """Field -> column index, the unit columns (index, level kind), and mapping problems."""
    mapped, normal, problems = mapped_columns(path, header, mapping, FIELDS, "unit")
    units: list[tuple[int, str | None]] = [(i, None) for i in mapped.pop("unit", [])]
    columns = {key: found[0] for key, found in mapped.items()}
    taken = set(columns.values()) | {i for i, _ in units}
    for key in FIELDS:
        if key in columns or key in mapping or (key == "unit" and units):
            continue
        for alias in ALIASES[key]:
            i = normal.get(alias)
            if i is not None and i not in taken:
                if key == "unit":
                    units = [(i, None)]
                else:
                    columns[key] = i
                taken.add(i)
                break
    if not units and "unit" not in mapping:
        for kind, aliases in LEVELS:
            for alias in aliases:
                i = normal.get(alias)
                if i is not None and i not in taken:
                    units.append((i, kind))
                    taken.add(i)
                    break
    if "id" not in columns and not problems:
        problems.append(
            usage_problem(
                path,
                "no id column (looked for id, employee_id, person_id, position_id ...); the "
                f"columns are {', '.join(repr(h) for h in header)}; map one with --map "
                "id=COLUMN",
            )
        )
    return columns, units, problems


def _number(text: str) -> float:
    """A number as HR exports write it: ``1,000.50``, ``1000,5``, ``€ 52 000``."""
    cleaned = _CURRENCY.sub("", text)
    if _THOUSANDS.match(cleaned):
        cleaned = cleaned.replace(",", "")
    elif cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    value = float(cleaned)
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(text)
    return value


def _plain(value: float) -> float | int:
    return int(value) if value.is_integer() and abs(value) < 2**53 else value


#: Rows are read and checked in batches of this many: the columns of a batch are then built
#: in bulk, and no more than one batch of raw rows is held at once. Small on purpose: the
#: raw rows of a batch of 50,000 outlived the young generation of the garbage collector and
#: made reading the file cost 2.8 times what ``csv`` alone does (1,000: 1.2 times).
_BATCH = 1_000

_ERROR = object()  # a cell that does not parse (memoised like the values that do)


def _split_path(values: Sequence[str]) -> tuple[str, ...]:
    """The unit path of a row from the values of its unit columns, top first."""
    parts: list[str] = []
    for value in values:
        value = value.strip()
        if value:
            parts.extend(p for p in PATH_SEPARATOR.split(value) if p)
    return tuple(parts)


def _fte(text: str) -> object:
    text = text.strip()
    if not text:
        return 1.0
    try:
        value = _number(text)
    except ValueError:
        return _ERROR
    return value if 0 <= value <= MAX_FTE else _ERROR


def _cost(text: str) -> object:
    text = text.strip()
    if not text:
        return None
    try:
        value = _number(text)
    except ValueError:
        return _ERROR
    return value if 0 <= value <= MAX_AMOUNT else _ERROR


def _title(text: str) -> str:
    return text.strip() or "(no title)"


def _flag(text: str) -> object:
    text = text.strip().casefold()
    return True if text in _TRUE else False if text in _FALSE else _ERROR


def import_table(path: str, table: Table, options: HrisOptions, name: str) -> HrisImport:
    """Import the rows of ``table`` (read from ``path``); raise :class:`DocumentInvalid`.

    Linear in the rows, and column by column: each batch of rows is checked at once (the
    row-by-row checks run only for a batch with a short, long, empty or duplicate row), each
    column is built by one comprehension, and a value that repeats (a department, an FTE,
    a cost, a staff flag) is parsed once."""
    header = table.header
    columns, unit_columns, problems = _columns(path, header, options.mapping)
    if problems:
        raise DocumentInvalid(problems)

    def bad(row: int, col: int, message: str) -> None:
        problems.append(
            Diagnostic(path, row, col + 1, None, "import", f"{message} (column '{header[col]}')")
        )

    c_id = columns["id"]
    c_manager = columns.get("reports_to")
    c_holder = columns.get("holder")
    c_first = columns.get("first_name")
    c_last = columns.get("last_name")
    c_title = columns.get("title")
    c_fte = columns.get("fte")
    c_cost = columns.get("cost")
    c_staff = columns.get("staff")
    c_location = columns.get("location")
    width = len(header)

    ids: list[str] = []
    rows = array("q")  # the row number of each position
    boss: list[int] = []  # the index of each row's manager; -1 for none
    # rows whose manager no earlier row has (a later row, a marker or no row): their text
    later: list[int] = []
    later_texts: list[str] = []
    holders: list[str] = []  # "" for no name
    titles: list[str] = []
    paths: list[int] = []  # the number of each row's unit path in path_list; 0: none
    ftes: list[float] = []
    costs: list[float | None] = []
    staff: list[bool] = []
    locations: list[str] = []
    index: dict[str, int] = {}
    memo_path: dict[object, int] = {}  # unit column text(s) -> their path's number
    path_number: dict[tuple[str, ...], int] = {(): 0}
    # (column, parse) -> text -> parsed or cleaned value; and the texts that do not parse
    memo: dict[tuple[int, Callable[[str], object]], dict[str, Any]] = {}
    failed: dict[tuple[int, Callable[[str], object]], set[str]] = {}

    def parsed(
        into: list[Any],
        c: int | None,
        cols: Sequence[Sequence[str]],
        numbers: Sequence[int],
        parse: Callable[[str], object],
        message: str,
        default: object,
    ) -> None:
        """Add the values of column ``c`` (``default`` without one) to ``into``, each
        distinct text parsed once (and the same text given the same value, held once);
        every cell that does not parse is reported."""
        if c is None:
            into.extend(repeat(default, len(numbers)))
            return
        seen = memo.setdefault((c, parse), {})
        wrong = failed.setdefault((c, parse), set())
        texts = cols[c]
        before = len(into)
        try:  # commonly every text was met in an earlier batch
            into.extend(map(seen.__getitem__, texts))
        except KeyError:
            del into[before:]
            for text in set(texts).difference(seen):
                value = seen[text] = parse(text)
                if value is _ERROR:
                    wrong.add(text)
            into.extend(map(seen.__getitem__, texts))
        if wrong and not wrong.isdisjoint(texts):
            for k in [k for k, text in enumerate(texts) if text in wrong]:
                bad(numbers[k], c, message.format(texts[k].strip()))

    one_by_one = False  # after a duplicate id: the rest row by row (the import fails anyway)
    cols: Sequence[Sequence[str]] | None
    for start, cols, recs in table.column_batches(_BATCH):
        if recs is not None:
            count = len(recs)
            if not one_by_one and all(map(width.__eq__, map(len, recs))):
                cols = list(zip(*recs, strict=True))
        else:
            assert cols is not None
            count = len(cols[c_id])
        numbers: Sequence[int] = range(start, start + count)
        cids: list[str] = []
        if cols is not None and not one_by_one:
            cids = list(map(str.strip, cols[c_id]))
        first = len(ids)
        fast = bool(cids) and all(cids)
        if fast:
            index.update(zip(cids, range(first, first + len(cids)), strict=True))
            if len(index) != first + len(cids):  # a duplicate id: take the batch back
                index = dict(zip(ids, range(first), strict=True))
                fast = False
                one_by_one = True
        if not fast:  # row by row: the first of each id is kept, every bad row is reported
            if recs is None:
                assert cols is not None
                recs = list(map(list, zip(*cols, strict=True)))
            batch = recs
            numbers, recs, cids = [], [], []
            for row, fields in enumerate(batch, start):
                if len(fields) < width:
                    if not any(f.strip() for f in fields):
                        continue
                    fields = fields + [""] * (width - len(fields))
                elif len(fields) > width and any(f.strip() for f in fields[width:]):
                    bad(
                        row,
                        width - 1,
                        f"{len(fields)} fields, but the header has {width}: "
                        "a delimiter inside a value that is not quoted?",
                    )
                    continue
                ident = fields[c_id].strip()
                if not ident:
                    if not any(f.strip() for f in fields):
                        continue
                    bad(row, c_id, "empty id; every row needs one")
                    continue
                if ident in index:
                    was = index[ident]
                    at = rows[was] if was < first else numbers[was - first]
                    bad(row, c_id, f"duplicate id '{ident}' (first on row {at})")
                    continue
                index[ident] = first + len(cids)
                numbers.append(row)
                recs.append(fields)
                cids.append(ident)
            del batch
            # (a row longer than the header is cut: its further fields are blank)
            cols = list(zip(*recs, strict=False)) or [()] * width
        del recs
        assert cols is not None
        ids.extend(cids)
        rows.extend(numbers)
        if c_manager is not None:
            # looked up while the batch's texts are at hand (not kept for all rows)
            texts = list(map(str.strip, cols[c_manager]))
            got = list(map(index.get, texts, repeat(-1)))
            if -1 in got:
                ahead = list(compress(range(len(got)), map(operator.lt, got, repeat(0))))
                later.extend(map(first.__add__, ahead))
                later_texts.extend(map(texts.__getitem__, ahead))
            boss.extend(got)
            del texts
        else:
            boss.extend(repeat(-1, len(cids)))
        names = list(map(str.strip, cols[c_holder])) if c_holder is not None else [""] * len(cids)
        if c_first is not None or c_last is not None:
            parts = [cols[c] for c in (c_first, c_last) if c is not None]
            for k in [k for k, h in enumerate(names) if not h]:
                names[k] = " ".join(p[k].strip() for p in parts if p[k].strip())
        holders.extend(names)
        parsed(titles, c_title, cols, numbers, _title, "", "(no title)")
        if len(unit_columns) == 1:
            keys: list[Any] = list(cols[unit_columns[0][0]])
        elif unit_columns:
            keys = list(zip(*[cols[c] for c, _ in unit_columns], strict=True))
        else:
            keys = []
        for key in set(keys).difference(memo_path):
            split = _split_path((key,) if isinstance(key, str) else key)
            memo_path[key] = path_number.setdefault(split, len(path_number))
        paths.extend(map(memo_path.__getitem__, keys) if keys else repeat(0, len(cids)))
        fte_message = "FTE '{}' is not a number from 0 to 1,000,000"
        parsed(ftes, c_fte, cols, numbers, _fte, fte_message, 1.0)
        cost_message = "cost '{}' is not an amount from 0 to 10^15"
        parsed(costs, c_cost, cols, numbers, _cost, cost_message, None)
        flag_message = "staff flag '{}' is not yes/no, true/false or 1/0"
        parsed(staff, c_staff, cols, numbers, _flag, flag_message, False)
        parsed(locations, c_location, cols, numbers, str.strip, "", "")
        del cols

    n = len(ids)
    found = list(map(index.get, later_texts, repeat(-1)))  # managers on later rows
    deque(map(boss.__setitem__, later, found), maxlen=0)
    # A no-manager marker ('', 'null', 'n/a' ...) is no manager, even where a row has it as
    # id. Case folding never shortens a text, so only a short id can fold to a marker.
    lengths = list(map(len, ids))  # one pass over the ids' texts, for this and their check
    short = compress(ids, map(operator.ge, repeat(_MARKER_LENGTH), lengths))
    marked = {index[m] for m in short if m.casefold() in _NO_MANAGER}
    if marked:
        for i in [i for i, b in enumerate(boss) if b in marked]:
            boss[i] = -1
    for i, manager, b in zip(later, later_texts, found, strict=True):
        if b >= 0 or manager.casefold() in _NO_MANAGER or manager == "0":
            continue  # "0": a common "no manager" marker where no row has id 0
        assert c_manager is not None
        bad(rows[i], c_manager, f"unknown manager '{manager}': no row has this id")
    del later, later_texts, found
    order = _preorder(boss)  # every row that no cycle holds: all of them, commonly
    for cycle in _cycles(boss) if len(order) < n else ():
        assert c_manager is not None
        first = min(cycle, key=lambda k: rows[k])
        chain = " -> ".join(ids[k] for k in _rotate(cycle, first)) + f" -> {ids[first]}"
        bad(rows[first], c_manager, f"manager cycle: {chain}")
        for k in cycle:
            boss[k] = -1
    if problems:
        problems.sort(key=lambda d: (d.line or 0, d.column or 0))
        raise DocumentInvalid(problems)
    if n == 0:
        raise DocumentInvalid(
            [
                Diagnostic(
                    path,
                    2,
                    None,
                    None,
                    "import",
                    "no rows: expected one row per person or position",
                )
            ]
        )

    pos_ids, bare = _position_ids(ids, max(lengths, default=0))
    del lengths
    builder = _Units(index.keys() if pos_ids is ids else set(pos_ids))
    unit_of = [""] * n
    notes: list[str] = []
    if unit_columns:
        kinds = [k for _, k in unit_columns]
        path_list = list(path_number)  # by number
        # A row's path number, 0 (no path) for the top unit when the row has no manager, -1
        # for its manager's unit when it has one; the units are made in the order preorder
        # first meets them.
        keyed = paths
        inherit = []
        if 0 in paths:
            inherit = [i for i in compress(range(n), map(operator.not_, paths)) if boss[i] >= 0]
        for i in inherit:
            keyed[i] = -1
        unit_at: dict[int, str | None] = {-1: None}
        met = [key for key in dict.fromkeys(map(keyed.__getitem__, order)) if key >= 0]
        for key in met:
            unit_at[key] = builder.path(path_list[key], kinds) if key else builder.top(name)
        final = builder.final_ids()  # every unit is made: their rows get the final ids
        unit_at = {key: None if u is None else final[u] for key, u in unit_at.items()}
        # the units in the order preorder first meets them (a row that takes its manager's
        # unit meets it after the manager)
        first_met: Iterable[str] | None = dict.fromkeys(map(unit_at.__getitem__, met))  # type: ignore[arg-type]
        units = list(map(unit_at.__getitem__, keyed))
        if inherit:
            for i in compress(order, map(operator.eq, map(keyed.__getitem__, order), repeat(-1))):
                units[i] = units[boss[i]]
        unit_of = cast(list[str], units)  # no None left: every top row has a unit
        units_from = "columns"
    else:
        reports = [0] * n
        for i in range(n):
            if boss[i] >= 0 and not staff[i]:
                reports[boss[i]] += 1
        for i in order:
            leads = reports[i] > 0 or (boss[i] < 0 and not staff[i])
            if leads:
                up = unit_of[boss[i]] if boss[i] >= 0 else None
                unit_of[i] = builder.team(ids[i], titles[i], up)
            else:
                unit_of[i] = unit_of[boss[i]] if boss[i] >= 0 else builder.top(name)
        unit_of[:] = map(builder.final_ids().__getitem__, unit_of)
        first_met = None
        units_from = "managers"
    cost_values = None if c_cost is None else set(memo.get((c_cost, _cost), {}).values())
    top = builder.finish(
        unit_of, boss, order, holders, staff, costs, locations, notes, cost_values, first_met
    )
    data: dict[str, object] = {"orgmodel": "1", "name": name, "units": builder.out()}
    mapped = {key: header[i] for key, i in columns.items()}
    if unit_columns:
        mapped["unit"] = ", ".join(header[i] for i, _ in unit_columns)
    held = _Positions(pos_ids, titles, unit_of, boss, holders, ftes, staff, top, bare)
    return HrisImport(data, notes, table.encoding, table.delimiter, mapped, units_from, held)


_FIELD = ",\n      "  # between two fields of a position in a document's text


def _written_once(values: Sequence[str]) -> dict[str, str]:
    """Each distinct string -> its JSON text."""
    distinct = list(dict.fromkeys(values))
    return dict(zip(distinct, json_strings(distinct), strict=True))


@dataclass(frozen=True)
class _Positions:
    """The positions of an import, as columns (one entry per position)."""

    ids: list[str]
    titles: list[str]
    unit_of: list[str]
    boss: Sequence[int]
    """The index of each position's manager; -1 for none."""
    holders: list[str]
    ftes: list[float]
    staff: list[bool]
    top: list[bool]
    """Whether each position is a top position of its unit (no manager in the unit)."""
    bare: bool | None = None
    """Whether JSON writes every id as it is (None: not known)."""

    @property
    def count(self) -> int:
        return len(self.ids)

    def dicts(self) -> list[dict[str, object]]:
        """The positions as the document's JSON data."""
        pos_ids = self.ids
        positions: list[dict[str, object]] = []
        append = positions.append
        for pid, title, unit, b, holder, fte, flag in zip(
            pos_ids,
            self.titles,
            self.unit_of,
            self.boss,
            self.holders,
            self.ftes,
            self.staff,
            strict=True,
        ):
            p: dict[str, object] = {"id": pid, "title": title, "unit": unit}
            if b >= 0:
                p["reports_to"] = pos_ids[b]
            if holder:
                p["holder"] = holder
            if fte != 1.0:
                p["fte"] = fte
            if flag:
                p["staff"] = True
            append(p)
        return positions

    def text(self) -> str:
        """The text of :meth:`dicts` at the top level of a document, as the encoder writes
        it; column by column, and each distinct title, unit (with manager), manager and
        FTE written once (ids and names JSON writes as they are are not written again).
        The pieces of each column are placed into one list of every piece in text order
        (a slice assignment per column), which is joined once."""
        pos_ids, titles, unit_of, boss = self.ids, self.titles, self.unit_of, self.boss
        holders, ftes, staff = self.holders, self.ftes, self.staff
        # Ids that JSON writes as they are (the common case) are written between the quotes
        # that end the piece before them and begin the piece after them.
        bare = self.bare
        if bare is None:
            bare = _ESCAPED.search("".join(pos_ids)) is None
        q = '"' if bare else ""
        ids = pos_ids if bare else json_strings(pos_ids)
        title = {t: f'{q}{_FIELD}"title": {j}' for t, j in _written_once(titles).items()}
        unit = {u: f'{_FIELD}"unit": {j}' for u, j in _written_once(unit_of).items()}
        reports = {b: f'{_FIELD}"reports_to": {q}{ids[b]}{q}' for b in set(boss) if b >= 0}
        # Names JSON writes as they are, when every position has one (the common case), are
        # written as they are too: the piece before them opens the field, the one after
        # them closes its quote.
        named = "" not in holders and _ESCAPED.search("".join(holders)) is None
        opened = f'{_FIELD}"holder": "' if named else ""
        closed = '"' if named else ""
        # A position in its manager's unit (most are): the pieces of its unit and of its
        # manager in one, written once per manager; a top position of its unit: its own.
        under = {b: unit[unit_of[b]] + piece + opened for b, piece in reports.items()}
        under[-1] = ""
        placed = list(map(under.__getitem__, boss))
        for i in compress(range(len(placed)), self.top):
            b = boss[i]
            placed[i] = unit[unit_of[i]] + (reports[b] if b >= 0 else "") + opened
        fte = {f: f'{closed}{_FIELD}"fte": {json_scalar(f)}' for f in set(ftes) if f != 1.0}
        fte[1.0] = closed
        fte_of: Iterable[str] = map(fte.__getitem__, ftes)
        if 0.0 in fte and len({json_scalar(f) for f in ftes if f == 0.0}) > 1:
            # -0.0 and 0.0 are one key of a dict
            fte_of = [fte[f] if f else f'{closed}{_FIELD}"fte": {json_scalar(f)}' for f in ftes]
        with_fte = len(fte) > 1 or not isinstance(fte_of, map)
        # the staff flag's piece also ends the position and begins the next one (and closes
        # the name's quote when no FTE piece does)
        next_one = '\n    },\n    {\n      "id": ' + q
        ends = "" if with_fte else closed
        flag = {True: f'{ends}{_FIELD}"staff": true{next_one}', False: ends + next_one}
        # each column: its values, and what each value is written as (None: as it is)
        columns: list[tuple[Sequence[Any], Mapping[Any, str] | None]] = [(ids, None)]
        columns += [(titles, title), (placed, None)]
        if named:
            columns.append((holders, None))
        else:
            written = _written_once(holders)
            held = {h: f'{_FIELD}"holder": {j}' for h, j in written.items() if h}
            held[""] = ""
            if len(held) > 1:
                columns.append((holders, held))
        if isinstance(fte_of, list):
            columns.append((fte_of, None))
        elif with_fte:
            columns.append((ftes, fte))
        columns.append((staff, flag))
        width = len(columns)
        # Written a block of positions at a time: the pieces of a block (in text order, a
        # slice assignment per column) fit the processor's caches, which a list of every
        # piece of a million positions does not.
        out = ['[\n    {\n      "id": ' + q]
        n = len(pos_ids)
        for start in range(0, n, _BLOCK):
            end = min(start + _BLOCK, n)
            parts = [""] * (width * (end - start))
            for k, (values, text_of) in enumerate(columns):
                block = values[start:end]
                parts[k::width] = (
                    block if text_of is None else list(map(text_of.__getitem__, block))
                )
            if end == n:  # the last position
                parts[-1] = parts[-1].removesuffix(next_one) + "\n    }\n  ]"
            out.append("".join(parts))
        return "".join(out)


#: How many positions' text :meth:`_Positions.text` writes at a time.
_BLOCK = 1 << 10


def _rotate(cycle: list[int], first: int) -> list[int]:
    at = cycle.index(first)
    return cycle[at:] + cycle[:at]


def _cycles(boss: Sequence[int]) -> list[list[int]]:
    """Every cycle of the manager pointers, each in the order of the pointers."""
    state = [0] * len(boss)  # 0 new, 1 on the current walk, 2 done
    found: list[list[int]] = []
    for start in range(len(boss)):
        if state[start]:
            continue
        walk: list[int] = []
        v = start
        while v >= 0 and state[v] == 0:
            state[v] = 1
            walk.append(v)
            v = boss[v]
        if v >= 0 and state[v] == 1:
            found.append(walk[walk.index(v) :])
        for w in walk:
            state[w] = 2
    return found


def _preorder(boss: Sequence[int]) -> list[int]:
    """Rows ordered so that every manager comes before their reports (no cycles left):
    depth first, reports in row order. The rows are sorted by their manager once (a
    stable sort: each manager's reports are a slice, in row order), so that no list is
    made per manager; the reports of a manager who has no report with reports of their
    own are taken at once."""
    grouped = sorted(range(len(boss)), key=boss.__getitem__)
    count = Counter(boss)
    heads = sorted(count)  # the managers, and -1 for the top rows
    start = dict(zip(heads, accumulate(map(count.__getitem__, heads), initial=0), strict=False))
    deep = set(map(boss.__getitem__, compress(heads, map(operator.ge, heads, repeat(0)))))
    out: list[int] = []
    append = out.append
    take = out.extend
    first = start.get
    stack = grouped[: count[-1]][::-1]  # the top rows, -1 sorting first
    pop = stack.pop
    extend = stack.extend
    while stack:
        v = pop()
        append(v)
        at = first(v)
        if at is not None:
            if v in deep:
                extend(reversed(grouped[at : at + count[v]]))
            else:
                take(grouped[at : at + count[v]])
    return out


def _exact(values: Collection[float | None], rows: int) -> bool:
    """True when sums of up to ``rows`` of ``values`` (None: none) are exact in floating
    point, whatever their order: whole numbers whose largest total is below 2**53."""
    numbers = [v for v in values if v is not None]
    if not all(map(float.is_integer, numbers)):
        return False
    return max(numbers, default=0.0) * rows < 2.0**53


def _position_ids(ids: list[str], longest: int) -> tuple[list[str], bool | None]:
    """Valid, unique document ids for the source ids (kept as they are when valid), and
    whether JSON writes them as they are (None: not known); ``longest``: the length of the
    longest source id."""
    joined = "".join(ids)
    if longest <= 200:
        if joined.isalnum():  # all valid (none is empty): the common case, checked at once
            return ids, True
        if not _NOT_ID.search(joined):
            return ids, _ESCAPED.search(joined) is None
    out = [make_id(i) for i in ids]
    if len(set(out)) != len(out):  # a made-up id met a real one: qualify the made-up ones
        out = [o if o == i else f"{o}-{digest('#' + i)}" for o, i in zip(out, ids, strict=False)]
    return out, None


class _Units:
    """The units of an import, with ids from their names (qualified only where needed)."""

    def __init__(self, taken: Collection[str]) -> None:
        self.taken = taken
        self.by_key: dict[tuple[str, ...], str] = {}
        self.units: dict[str, dict[str, object]] = {}
        self.parent_key: dict[str, tuple[str, ...] | None] = {}
        self.kind: dict[str, str | None] = {}
        self.pending: list[tuple[tuple[str, ...], str, str | None]] = []
        self.team_up: dict[str, str | None] = {}
        self.final: dict[str, str] | None = None

    def path(self, parts: tuple[str, ...], kinds: list[str | None]) -> str:
        key = ("p", *parts)
        ident = self.by_key.get(key)
        if ident is None:
            if len(parts) > 1:
                self.path(parts[:-1], kinds)
            ident = f"\0{len(self.by_key)}"  # placeholder until every name is known
            self.by_key[key] = ident
            kind = kinds[len(parts) - 1] if len(kinds) > 1 and len(parts) <= len(kinds) else None
            self.pending.append((key, parts[-1], kind))
        return ident

    def top(self, name: str) -> str:
        key = ("top",)
        if key not in self.by_key:
            self.by_key[key] = f"\0{len(self.by_key)}"
            self.pending.append((key, name, None))
        return self.by_key[key]

    def team(self, head_id: str, title: str, up: str | None) -> str:
        key = ("team", head_id)
        ident = f"\0{len(self.by_key)}"
        self.by_key[key] = ident
        self.pending.append((key, title, None))
        self.team_up[ident] = up
        return ident

    def final_ids(self) -> dict[str, str]:
        """Placeholder -> final id: the slug of the name where it is unique, else the slug of
        the path (of the head's id for manager-tree units), else with a short hash; once
        every unit is made."""
        if self.final is None:
            self.final = self._final_ids()
        return self.final

    def _final_ids(self) -> dict[str, str]:
        plain: dict[str, list[tuple[str, ...]]] = {}
        for key, name, _ in self.pending:
            plain.setdefault(slug(name) or "unit", []).append(key)
        final: dict[str, str] = {}
        used: set[str] = set()
        for key, name, _ in sorted(self.pending, key=lambda t: t[0]):
            base = slug(name) or "unit"
            if len(plain[base]) > 1:
                if key[0] == "p":
                    base = ".".join(slug(p) or "unit" for p in key[1:])
                elif key[0] == "team":
                    base = f"{base}.{slug(key[1]) or digest(key[1])}"
            if base in used or base in self.taken:
                base = f"{base}-{digest(repr(key))}"
            used.add(base)
            final[self.by_key[key]] = base
        return final

    def finish(
        self,
        unit_of: list[str],
        boss: Sequence[int],
        order: Sequence[int],
        holders: list[str],
        staff: list[bool],
        costs: list[float | None],
        locations: list[str],
        notes: list[str],
        cost_values: Collection[float | None] | None,
        first_met: Iterable[str] | None = None,
    ) -> list[bool]:
        """Parents, heads, headcount, cost and locations of every unit; ``unit_of`` holds
        the final ids (:meth:`final_ids`); ``cost_values``: the distinct costs (None: no
        cost column); ``first_met``: the units in the order preorder first meets them, when
        known. Returns whether each row is a top position of its unit (no manager in it)."""
        final = self.final_ids()
        names = {final[self.by_key[key]]: (key, name, kind) for key, name, kind in self.pending}
        heads: dict[str, int] = {}
        count: dict[str, int] = {}
        cost: dict[str, float] = {}
        where: dict[str, set[str]] = {}
        count.update(Counter(unit_of))
        with_cost = cost_values is not None
        if cost_values is not None and _exact(cost_values, len(unit_of)):
            # whole numbers whose total is exact: every order of the sums gives its bits, so
            # each unit's costs are gathered in row order (in one pass) and summed at once
            gathered: dict[str, list[float | None]] = {u: [] for u in count}
            deque(map(list.append, map(gathered.__getitem__, unit_of), costs), maxlen=0)
            for u, held in gathered.items():
                if held.count(None) < len(held):  # a unit with a cost (0 too)
                    cost[u] = sum(filter(None, held), 0.0)
        elif with_cost:  # summed in preorder (the order the sums are written for)
            for u, c in zip(
                map(unit_of.__getitem__, order), map(costs.__getitem__, order), strict=True
            ):
                if c is not None:
                    cost[u] = cost.get(u, 0.0) + c
        # a unit's head: its first top position (no manager in the unit) in preorder, not staff
        top = list(map(operator.ne, unit_of, map(unit_of.__getitem__, boss)))
        for i in compress(range(len(boss)), map(operator.lt, boss, repeat(0))):
            top[i] = True
        for i in compress(order, map(top.__getitem__, order)):
            if not staff[i]:
                heads.setdefault(unit_of[i], i)
        if any(locations):
            for u, place in zip(unit_of, locations, strict=True):
                if place:
                    where.setdefault(u, set()).add(place)
        parent: dict[str, str | None] = {}
        for ident, (key, _name, _kind) in names.items():
            if key[0] == "p" and len(key) > 2:
                parent[ident] = final[self.by_key[key[:-1]]]
            elif key[0] == "team":
                up = self.team_up[self.by_key[key]]
                parent[ident] = final[up] if up is not None else None
            else:
                head = heads.get(ident)
                up = unit_of[boss[head]] if head is not None and boss[head] >= 0 else None
                parent[ident] = up if up != ident else None
        for ident in list(parent):  # a top unit placed under its head's manager's unit
            seen = {ident}
            v = parent[ident]
            while v is not None and v not in seen:
                seen.add(v)
                v = parent[v]
            if v is not None:
                notes.append(
                    f"unit '{ident}': its head reports into a unit below it; left at the top"
                )
                parent[ident] = None
        emitted: set[str] = set()
        ordered: list[str] = []

        def emit(ident: str) -> None:
            chain = []
            v: str | None = ident
            while v is not None and v not in emitted:
                chain.append(v)
                v = parent[v]
            for w in reversed(chain):
                emitted.add(w)
                ordered.append(w)

        if first_met is None:
            first_met = dict.fromkeys(map(unit_of.__getitem__, order))
        for u in first_met:  # first met first
            emit(u)
        for ident in ordered:
            key, name, kind = names[ident]
            unit: dict[str, object] = {"id": ident, "name": name}
            if kind is not None:
                unit["kind"] = kind
            if parent[ident] is not None:
                unit["parent"] = parent[ident]
            head = heads.get(ident)
            if head is not None and holders[head]:
                unit["head"] = holders[head]
            unit["headcount"] = count.get(ident, 0)
            if with_cost and ident in cost:
                unit["cost"] = _plain(cost[ident])
            if ident in where:
                places = sorted(where[ident])
                unit["description"] = (
                    "Location: " if len(places) == 1 else "Locations: "
                ) + ", ".join(places)
            self.units[ident] = unit
        return top

    def out(self) -> list[dict[str, object]]:
        return list(self.units.values())
