"""``orgmodel import`` and ``orgmodel export``: documents from HR exports and ArchiMate models,
and ArchiMate models from documents.

``import`` is a group: one subcommand per source (``hris``, ``archimate``). To add one,
write a ``click.Command`` that imports the document (an
:class:`~orgmodel.importers.Imported`: its JSON data and its text) and hands it to
:func:`finish_import` (which validates it, merges it ``--into`` a document, prints the
changes and writes atomically), then register it with ``import_group.add_command(...)``
(see the end of this module).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from orgmodel.cli.common import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    STDIO,
    detail,
    load_or_report,
    output_option,
    say,
    verbosity_options,
    write_reported,
)
from orgmodel.cli.import_ import eventlog as eventlog_command
from orgmodel.diagnostics import Diagnostic, DocumentInvalid
from orgmodel.importers import Imported, document_json
from orgmodel.importers.reimport import merge
from orgmodel.model import Document
from orgmodel.textsafe import one_line

__all__ = ["export_group", "finish_import", "import_group", "into_options"]

_F = TypeVar("_F", bound=Callable[..., Any])


@click.group("import")
@verbosity_options
def import_group() -> None:
    """Import an organization or its journeys from the files designers already have.

    An HR export (hris), an ArchiMate model (archimate) or an event log (eventlog);
    `orgmodel import SOURCE --help` describes each.

    With --into DOC the structure of DOC (units, positions, reporting and dotted lines) is
    replaced by the import and everything designed on top of it is kept: journeys,
    segments, personas, stakeholders, goals, services, overlay units and their layers,
    settings. The changes are printed, and every reference the update broke is reported
    where it is in the new document.
    """


@click.group("export")
@verbosity_options
def export_group() -> None:
    """Write a document in another tool's format: `orgmodel export archimate`."""


def into_options(command: _F) -> _F:
    """``-o``, ``--into`` and ``--check`` of every import subcommand."""
    command = click.option(
        "--check",
        is_flag=True,
        help="With --into: print the changes and the broken references, write nothing.",
    )(command)
    command = click.option(
        "--into",
        metavar="DOC",
        help="Re-import: replace the structure of this document and keep its design; writes "
        "DOC itself unless -o names another file.",
    )(command)
    return output_option(command)


def _report(problems: list[Diagnostic], what: str) -> None:
    """Print every problem of the input and say that nothing was written."""
    for d in problems:
        click.echo(one_line(str(d)), err=True)
    say(f"orgmodel {what}: {len(problems)} problem(s) in the input; nothing was written")


def finish_import(
    imported: Imported, output: str | None, into: str | None, check: bool, what: str
) -> int:
    """Validate the ``imported`` document; merge it into ``into`` when given; print the
    changes; write atomically (nothing under ``check``). The exit code: 0 written and valid,
    1 when the merged document has broken references (written all the same, so that the
    design is not lost, or not written under ``--check``), 2 for bad input. Without
    ``--into`` the document is written from its text (an importer may write it without
    building all of its data); the data is asked for only to merge it."""
    from orgmodel.loader import load_text

    if check and into is None:
        click.echo(f"orgmodel {what}: --check needs --into DOC", err=True)
        return EXIT_USAGE
    if into is None:
        out = imported.text()
        target = output or STDIO
        try:
            load_text(out, target if target != STDIO else "<stdout>")
        except DocumentInvalid as exc:  # a bug of the importer: say so, write nothing
            _report(exc.diagnostics, what)
            return EXIT_USAGE
        return EXIT_OK if write_reported(target, out) else EXIT_USAGE
    from orgmodel.app import LoadRequest

    # Its text is merged into, whatever its size.
    loaded = load_or_report(LoadRequest((into,), with_config=False, keep_text=True), what)
    if loaded is None:
        return EXIT_USAGE
    before = loaded.sources[0].document
    assert loaded.sources[0].text is not None
    current = json.loads(loaded.sources[0].text.removeprefix("\ufeff"))
    merged = merge(current, imported.data)
    merged_text = document_json(merged.data, imported.written())  # the positions are kept
    target = output or into
    shown = target if target != STDIO else "<stdout>"
    broken: list[Diagnostic] = []
    try:
        after = load_text(merged_text, shown)
    except DocumentInvalid as exc:
        broken = exc.diagnostics
        try:
            after = Document.model_validate(merged.data)
        except Exception:
            _report(broken, what)
            return EXIT_USAGE
    from orgmodel.compare.diff import structural_changes  # only --into needs the analyzers

    changes = structural_changes(before, after)

    lines = [f"{len(changes)} structural change(s) from {into}:"]
    lines += [f"  {change.message}" for change in changes]
    if merged.overlay_units:
        lines.append(
            f"kept {len(merged.overlay_units)} overlay unit(s): {', '.join(merged.overlay_units)}"
        )
    # one write each: click.echo per line took 1.6 s for 200,000 changes
    click.echo("".join(one_line(line) + "\n" for line in lines), nl=False, err=target == STDIO)
    if broken:
        click.echo("".join(one_line(str(d)) + "\n" for d in broken), nl=False, err=True)
        say(
            f"orgmodel {what}: {len(broken)} reference(s) broken by the update; fix them in "
            f"{shown} (the design was kept)"
        )
    if check:
        say(f"orgmodel {what}: --check: nothing written")
        return EXIT_FAILED if broken else EXIT_OK
    if not write_reported(target, merged_text):
        return EXIT_USAGE
    return EXIT_FAILED if broken else EXIT_OK


def _mapping(pairs: tuple[str, ...], mapping_file: str | None) -> dict[str, str] | str:
    """FIELD -> COLUMN from ``--map`` and the mapping file; a message when malformed."""
    out: dict[str, str] = {}
    if mapping_file is not None:
        from orgmodel.config import tomllib

        try:
            raw = tomllib.loads(Path(mapping_file).read_text(encoding="utf-8-sig"))
        except OSError as exc:
            return f"{mapping_file}: cannot be read: {exc.strerror or exc}"
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            return f"{mapping_file}: not a TOML mapping file: {exc}"
        table = raw.get("columns", raw)
        for key, value in table.items():
            if isinstance(value, list):
                value = ",".join(str(v) for v in value)
            if not isinstance(value, str):
                return f"{mapping_file}: {key}: give the column name as a string"
            out[key] = value
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip() or not value.strip():
            return f"--map {pair}: write FIELD=COLUMN, e.g. --map reports_to='Line Manager'"
        out[key.strip()] = value.strip()
    return out


@click.command("hris")
@click.argument("file", metavar="FILE")
@into_options
@click.option(
    "--map",
    "pairs",
    multiple=True,
    metavar="FIELD=COLUMN",
    help="Read FIELD from COLUMN (fields: id, holder, first_name, last_name, title, "
    "reports_to, unit, fte, cost, staff, location; unit may name several "
    "columns, top first: --map unit=Division,Department,Team).",
)
@click.option(
    "--mapping",
    "mapping_file",
    metavar="FILE",
    help='A TOML file of FIELD = "COLUMN" lines (or a [columns] table).',
)
@click.option("--name", metavar="TEXT", help="The document's name (default: the file's name).")
@click.option(
    "--encoding",
    metavar="NAME",
    help="The file's encoding (default: detected: UTF-8 with or without BOM, UTF-16, cp1252).",
)
@click.option(
    "--delimiter", metavar="CHAR", help="The CSV delimiter (default: detected: , ; tab or |)."
)
@click.option(
    "--rows",
    type=click.Choice(["people", "units"]),
    default="people",
    show_default=True,
    help="One row per person or position (people), or one row per unit with its "
    "parents (units: id, name, parent ids separated by ; or |, or repeated "
    "columns parent, parent2 ...; the first parent is the solid line, the "
    "others dotted lines).",
)
@verbosity_options
def hris_command(
    file: str,
    output: str | None,
    into: str | None,
    check: bool,
    pairs: tuple[str, ...],
    mapping_file: str | None,
    name: str | None,
    encoding: str | None,
    delimiter: str | None,
    rows: str,
) -> int:
    """Import an HR export: CSV or XLSX, one row per person or position.

    \b
    orgmodel import hris people.csv -o org.json
    orgmodel import hris people.csv --map reports_to="Line Manager" -o org.json
    orgmodel import hris next-month.csv --into org/current.json
    orgmodel import hris organisations.csv --rows units -o org.json

    Columns are recognised by their header (id, parentId, manager_id, reports_to,
    supervisor, name, title, department, unit, fte, cost, staff, location ...), so the
    id/parentId CSV of org-chart tools needs no mapping. Units come from the unit or
    department columns (a name or a path such as 'Division / Department / Team'), or, without
    one, from the manager tree (every manager leads a unit). With --rows units each row is a
    unit (id, name, parents; fields id, name, parent, head, headcount): a unit with several
    parents (as the UK government's organisations have) gets the first as its solid line
    and the others as dotted lines; suspicious ones (to itself, to its own parent or child,
    twice) are kept and reported by `orgmodel analyze` (S10-S12). Every bad row is reported
    as file:row:column: message; exit 2 and nothing written.
    """
    from orgmodel.importers.hris import HrisOptions, import_hris
    from orgmodel.importers.units import import_units

    mapping = _mapping(pairs, mapping_file)
    if isinstance(mapping, str):
        click.echo(f"orgmodel import hris: {mapping}", err=True)
        return EXIT_USAGE
    if delimiter is not None and len(delimiter.replace("\\t", "\t")) != 1:
        click.echo("orgmodel import hris: --delimiter takes one character", err=True)
        return EXIT_USAGE
    options = HrisOptions(
        mapping, name, encoding, None if delimiter is None else delimiter.replace("\\t", "\t")
    )
    try:
        result = (import_units if rows == "units" else import_hris)(file, options)
    except DocumentInvalid as exc:
        _report(exc.diagnostics, "import hris")
        return EXIT_USAGE
    detail(
        f"read {file} ({result.encoding}"
        + (f", delimiter {result.delimiter!r}" if result.delimiter else "")
        + ")"
    )
    detail("columns: " + ", ".join(f"{k}={v!r}" for k, v in result.columns.items()))
    units = result.units
    lines = sum(len(u.get("lines", ())) for u in units)
    if result.units_from == "units":
        say(f"{file}: {len(units)} unit(s), {lines} dotted line(s) (one row per unit)")
    else:
        say(
            f"{file}: {result.positions} position(s), {len(units)} unit(s) (units from the "
            f"{'unit columns' if result.units_from == 'columns' else 'manager tree'})"
        )
    for note in result.notes:
        say(f"{file}: note: {note}")
    return finish_import(result, output, into, check, "import hris")


@click.command("archimate")
@click.argument("file", metavar="FILE.xml")
@into_options
@click.option(
    "--association",
    type=click.Choice(["line", "parent"]),
    default="line",
    show_default=True,
    help="An Association between two business actors is a dotted line (line) or "
    "the solid reporting line, whole -> part (parent; Archisurance needs it).",
)
@verbosity_options
def archimate_import_command(
    file: str, output: str | None, into: str | None, check: bool, association: str
) -> int:
    """Import an ArchiMate model in The Open Group exchange format (3.x).

    \b
    orgmodel import archimate model.xml -o org.json
    orgmodel import archimate archisurance.xml --association parent -o org.json

    Business actors become units (hierarchy from Composition and Aggregation, and from
    Association with --association parent; further parents become dotted lines); business
    processes chained by Triggering and Flow become journeys whose steps are performed by
    the actor assigned to the process, directly or through a business role. What cannot be
    mapped is listed. A DTD or entities in the file are refused (exit 2).
    """
    from orgmodel.importers.archimate import import_archimate, summary

    try:
        result = import_archimate(file, association)
    except DocumentInvalid as exc:
        _report(exc.diagnostics, "import archimate")
        return EXIT_USAGE
    for line in summary(result.counts, result.data):
        say(f"{file}: {line}")
    for note in result.notes:
        say(f"{file}: note: {note}")
    return finish_import(result, output, into, check, "import archimate")


@click.command("archimate")
@click.argument("file", metavar="FILE")
@output_option
@verbosity_options
def archimate_export_command(file: str, output: str | None) -> int:
    """Write FILE ('-': standard input) as an ArchiMate exchange file (3.x) that Archi and
    other tools open: units as business actors (Composition for the reporting line,
    Association for dotted and matrix lines), each journey as a business process composed of
    its steps (Triggering between them, Assignment from the performing unit or role).
    Positions, segments, goals and the other overlays have no counterpart and are left out.

    \b
    orgmodel export archimate org.json -o org.xml
    """
    from orgmodel.app import LoadRequest
    from orgmodel.importers.archimate import export_archimate

    loaded = load_or_report(LoadRequest((file,), with_config=False), "export archimate")
    if loaded is None:
        return EXIT_USAGE
    document = loaded.sources[0].document
    left = [
        f"{len(getattr(document, k))} {k}"
        for k in ("positions", "services", "segments", "personas", "stakeholders", "goals")
        if getattr(document, k)
    ]
    if left:
        say(
            f"{loaded.sources[0].name}: note: not exported (no counterpart in ArchiMate's "
            f"business layer here): {', '.join(left)}"
        )
    text = export_archimate(document)
    return EXIT_OK if write_reported(output or STDIO, text) else EXIT_USAGE


import_group.add_command(hris_command)
import_group.add_command(archimate_import_command)
import_group.add_command(eventlog_command)
export_group.add_command(archimate_export_command)

#: The commands of this module, for the CLI's registry.
command = import_group
