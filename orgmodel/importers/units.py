"""Import a list of units, one row per unit, where a unit may have several parents.

The shape of the UK government's list of organisations (and of many registers): an id, a
name and the parent organisations, either in one column separated by ``;`` or ``|``, or in
repeated columns (``parent``, ``parent2``, ``parent 3`` ...). A parent is named by its id
or, when no row has that id, by its name (when exactly one row has it).

The first parent is the solid line (``parent``); every further parent becomes a dotted line
(``lines``), in the order of the source. Suspicious parents are kept as lines, never
dropped or drawn twice silently: the unit itself, a parent listed twice, a parent that is
also the unit's own child; the ``lines`` analyzer family reports them (S10-S12) and the
import notes how many there are. When the first parent would make the solid lines a cycle
(including a unit that lists itself first), the next parent that does not is taken as the
solid line, and the import notes it; a cycle that no choice avoids is a bad row.

Every bad row is reported at once, as ``file:row:column: message``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from orgmodel.diagnostics import Diagnostic, DocumentInvalid
from orgmodel.importers.hris import (
    HrisImport,
    HrisOptions,
    _norm,
    import_name,
    mapped_columns,
    usage_problem,
)
from orgmodel.importers.ids import digest, make_id
from orgmodel.importers.tables import read_table
from orgmodel.model import MAX_COUNT

__all__ = ["UNIT_ALIASES", "UNIT_FIELDS", "import_units"]

#: The fields a column can be mapped to in a unit list.
UNIT_FIELDS = ("id", "name", "parent", "head", "headcount")

#: Header names recognised per field, normalised (lower case, letters and digits only).
UNIT_ALIASES: dict[str, tuple[str, ...]] = {
    "id": (
        "id",
        "organisationid",
        "organizationid",
        "orgid",
        "unitid",
        "departmentid",
        "code",
        "slug",
        "contentid",
    ),
    "name": (
        "name",
        "title",
        "organisationname",
        "organizationname",
        "orgname",
        "unitname",
        "departmentname",
    ),
    "parent": (
        "parents",
        "parent",
        "parentid",
        "parentids",
        "parentorganisations",
        "parentorganisation",
        "parentorganizations",
        "parentorganization",
        "parentunit",
        "parentunits",
        "reportsto",
    ),
    "head": ("head", "leader", "headname", "lead"),
    "headcount": ("headcount", "staff", "employees", "people"),
}

#: How several parents are separated in one cell.
PARENT_SEPARATOR = re.compile(r"\s*[;|]\s*")
_REPEATED = re.compile(r"^(.*?)(\d+)$")


def _parent_columns(header: Sequence[str], first: int) -> list[int]:
    """The parent column and its repetitions (``parent2``, ``Parent organisation 3`` ...)."""
    base = _REPEATED.sub(r"\1", _norm(header[first])) or _norm(header[first])
    found = [first]
    numbered: list[tuple[int, int]] = []
    for i, h in enumerate(header):
        m = _REPEATED.match(_norm(h))
        if i != first and m and m.group(1) in (base, base.removesuffix("s")):
            numbered.append((int(m.group(2)), i))
    found.extend(i for _, i in sorted(numbered))
    return found


def _columns(
    path: str, header: Sequence[str], mapping: Mapping[str, str]
) -> tuple[dict[str, int], list[int], list[Diagnostic]]:
    mapped, normal, problems = mapped_columns(
        path, header, mapping, UNIT_FIELDS, "parent", "--rows units"
    )
    parents = mapped.pop("parent", [])
    columns = {key: found[0] for key, found in mapped.items()}
    taken = set(columns.values()) | set(parents)
    for key in UNIT_FIELDS:
        if key in mapping:
            continue
        for alias in UNIT_ALIASES[key]:
            i = normal.get(alias)
            if i is None and key == "parent":
                i = normal.get(alias + "1")
            if i is not None and i not in taken:
                if key == "parent":
                    parents = _parent_columns(header, i)
                    taken.update(parents)
                else:
                    columns[key] = i
                    taken.add(i)
                break
    if not problems:
        for key in ("id", "name"):
            if key not in columns:
                problems.append(
                    usage_problem(
                        path,
                        f"no {key} column for --rows units; the columns are "
                        f"{', '.join(repr(h) for h in header)}; map one with --map {key}=COLUMN",
                    )
                )
    return columns, parents, problems


def import_units(path: str, options: HrisOptions | None = None) -> HrisImport:
    """Import the unit list at ``path`` (CSV or XLSX); raise :class:`DocumentInvalid`."""
    options = options or HrisOptions()
    table = read_table(path, options.encoding, options.delimiter)
    name = import_name(options, path)
    header = table.header
    columns, parent_cols, problems = _columns(path, header, options.mapping)
    if problems:
        raise DocumentInvalid(problems)

    def bad(row: int, col: int, message: str) -> None:
        problems.append(
            Diagnostic(path, row, col + 1, None, "import", f"{message} (column '{header[col]}')")
        )

    c_id, c_name = columns["id"], columns["name"]
    c_head, c_count = columns.get("head"), columns.get("headcount")
    width = len(header)
    ids: list[str] = []
    rows: list[int] = []
    names: list[str] = []
    heads: list[str] = []
    counts: list[int | None] = []
    refs: list[list[tuple[str, int]]] = []  # (parent as written, its column) per unit
    first_row: dict[str, int] = {}
    for row, fields in table.rows:
        if not any(f.strip() for f in fields):
            continue
        fields = fields + [""] * (width - len(fields))
        ident = fields[c_id].strip()
        if not ident:
            bad(row, c_id, "empty id; every row needs one")
            continue
        if ident in first_row:
            bad(row, c_id, f"duplicate id '{ident}' (first on row {first_row[ident]})")
            continue
        first_row[ident] = row
        label = fields[c_name].strip()
        if not label:
            bad(row, c_name, "empty name; every unit needs one")
        count = None
        if c_count is not None and fields[c_count].strip():
            text = fields[c_count].strip().replace(",", "")
            try:
                count = round(float(text))
                if not 0 <= count <= MAX_COUNT:
                    raise ValueError
            except (ValueError, OverflowError):
                bad(
                    row,
                    c_count,
                    f"headcount '{fields[c_count].strip()}' is not a whole number from 0 to "
                    f"{MAX_COUNT:,}",
                )
        ids.append(ident)
        rows.append(row)
        names.append(label or ident)
        heads.append(fields[c_head].strip() if c_head is not None else "")
        counts.append(count)
        refs.append(
            [(p, c) for c in parent_cols for p in PARENT_SEPARATOR.split(fields[c]) if p.strip()]
        )
    if not ids and not problems:
        raise DocumentInvalid(
            [Diagnostic(path, 2, None, None, "import", "no rows: expected one row per unit")]
        )
    index = {ident: i for i, ident in enumerate(ids)}
    by_name: dict[str, list[int]] = {}
    for i, label in enumerate(names):
        by_name.setdefault(label.casefold(), []).append(i)
    parents: list[list[int]] = []
    for i, written in enumerate(refs):
        found: list[int] = []
        for ref, col in written:
            ref = ref.strip()
            j = index.get(ref)
            if j is None:
                named = by_name.get(ref.casefold(), [])
                if len(named) == 1:
                    j = named[0]
                else:
                    bad(
                        rows[i],
                        col,
                        f"unknown parent '{ref}': no row has this id"
                        + (" and several have this name" if named else " or name"),
                    )
                    continue
            found.append(j)
        parents.append(found)
    notes: list[str] = []
    solid = _solid_lines(parents, notes, ids)
    for i, s in enumerate(solid):
        if s == -2:
            col = refs[i][0][1] if refs[i] else c_id
            bad(
                rows[i],
                col,
                f"parent cycle through '{ids[i]}': every parent it lists leads back to it",
            )
    if problems:
        problems.sort(key=lambda d: (d.line or 0, d.column or 0))
        raise DocumentInvalid(problems)
    unit_ids = [make_id(i) for i in ids]
    if len(set(unit_ids)) != len(unit_ids):
        unit_ids = [
            u if u == i else f"{u}-{digest('#' + i)}" for u, i in zip(unit_ids, ids, strict=True)
        ]
    units: list[dict[str, object]] = []
    suspicious = 0
    for i in range(len(ids)):
        unit: dict[str, object] = {"id": unit_ids[i], "name": names[i]}
        if solid[i] >= 0:
            unit["parent"] = unit_ids[solid[i]]
        further = list(parents[i])
        if solid[i] >= 0:
            further.remove(solid[i])
        if further:
            unit["lines"] = [
                {"to": unit_ids[j], "note": "further parent in the source"} for j in further
            ]
            seen: set[int] = set()
            for j in further:
                suspicious += j == i or j == solid[i] or j in seen or solid[j] == i
                seen.add(j)
        if heads[i]:
            unit["head"] = heads[i]
        if counts[i] is not None:
            unit["headcount"] = counts[i]
        units.append(unit)
    multi = sum(1 for p in parents if len(p) > 1)
    if multi:
        notes.append(
            f"{multi} unit(s) with several parents: the first is the solid line, "
            "the others dotted lines"
        )
    if suspicious:
        notes.append(
            f"{suspicious} suspicious line(s) kept (to the unit itself, to its own "
            "parent or child, or repeated); `orgmodel analyze` reports them (S10-S12)"
        )
    data: dict[str, object] = {"orgmodel": "1", "name": name, "units": units}
    used = {"id": header[c_id], "name": header[c_name]}
    if parent_cols:
        used["parent"] = ", ".join(header[c] for c in parent_cols)
    for key, c in (("head", c_head), ("headcount", c_count)):
        if c is not None:
            used[key] = header[c]
    return HrisImport(data, notes, table.encoding, table.delimiter, used, "units")


def _solid_lines(parents: list[list[int]], notes: list[str], ids: list[str]) -> list[int]:
    """The solid parent of each unit: its first parent unless that closes a cycle of solid
    lines, then the next one that does not (-1: none, or only itself; -2: every one closes
    a cycle)."""
    solid = [p[0] if p else -1 for p in parents]

    def cycles_back(i: int) -> bool:
        seen = {i}
        v = solid[i]
        while v >= 0:
            if v in seen:
                return True
            seen.add(v)
            v = solid[v]
        return False

    state = [0] * len(solid)  # 0 new, 1 on the walk, 2 done
    for start in range(len(solid)):
        walk: list[int] = []
        v = start
        while v >= 0 and state[v] == 0:
            state[v] = 1
            walk.append(v)
            v = solid[v]
        if v >= 0 and state[v] == 1:  # a cycle: re-parent its first unit in source order
            cycle = walk[walk.index(v) :]
            i = min(cycle)
            for j in parents[i][1:]:
                solid[i] = j
                if not cycles_back(i):
                    notes.append(
                        f"unit '{ids[i]}': its first parent closes a cycle of solid "
                        f"lines; '{ids[j]}' (a further parent) is the solid line"
                    )
                    break
            else:  # no further parent helps: a unit that only lists itself is a top unit
                solid[i] = -1 if all(j == i for j in parents[i]) else -2
        for w in walk:
            state[w] = 2
    return solid
