"""``orgmodel render``: draw the views of a document (org chart, overlay, journey, matrix)."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import click

from orgmodel import app
from orgmodel.app import LoadRequest
from orgmodel.cli.common import (
    EXIT_OK,
    EXIT_USAGE,
    STDIO,
    load_or_report,
    say,
    verbosity_options,
    write_all_reported,
    write_reported,
)
from orgmodel.textsafe import one_line
from orgmodel.views import (
    ENGINES,
    FORMATS,
    VIEWS,
    RenderError,
    ViewContext,
    ViewError,
    ViewOptions,
    format_for,
    output_name,
    render,
)
from orgmodel.views.backend import BUILTIN_FORMATS, DEFAULT_TIMEOUT, SUFFIXES

_VIEW_HELP = "; ".join(f"{name}: {module.title.lower()}" for name, module in VIEWS.items())


@click.command("render")
@click.argument("file", metavar="FILE")
@click.option("--view", type=click.Choice(list(VIEWS)), help=f"The view to draw ({_VIEW_HELP}).")
@click.option(
    "--all",
    "all_views",
    is_flag=True,
    help="Draw every view, and the journey view of every journey, into the folder "
    "given with -o (orgchart.svg, overlay.svg, journey-ID.svg, matrix.svg).",
)
@click.option(
    "-o",
    "--output",
    metavar="PATH",
    help="Output file (with --all: a folder). Without it, or with '-', the view goes "
    "to standard output.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(FORMATS)),
    help=f"Output format; default: from the suffix of -o ({', '.join(SUFFIXES)}), else svg.",
)
@click.option(
    "--journey",
    metavar="ID",
    help="journey view: the journey to draw (may be left out when there is only "
    "one); with --all: draw only this journey.",
)
@click.option(
    "--lanes",
    type=click.Choice(["silo", "unit"]),
    default="silo",
    show_default=True,
    help="journey view: one swimlane per silo or per unit.",
)
@click.option(
    "--top",
    type=click.IntRange(min=1),
    default=50,
    show_default=True,
    metavar="N",
    help="matrix: one row for each of the N journeys of the highest volume; the others "
    "summed in one row.",
)
@click.option("--root", metavar="UNIT", help="orgchart: draw only this unit and its branch.")
@click.option(
    "--depth",
    type=click.IntRange(min=0),
    metavar="N",
    help="orgchart: draw N levels below the root; collapsed boxes say how many units they hide.",
)
@click.option(
    "--people/--units",
    "people",
    default=None,
    help="orgchart: one box per position (holder and title, staff beside their "
    "manager) or per unit; default: people only for a document with one unit "
    "and many positions.",
)
@click.option(
    "--engine",
    type=click.Choice(list(ENGINES)),
    default="auto",
    show_default=True,
    help="SVG from orgmodel's own layout (builtin) or from Graphviz (graphviz); auto "
    "picks the view's preference. PNG and PDF are made from the built-in SVG "
    "(the same picture), from Graphviz's layout with --engine graphviz.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=DEFAULT_TIMEOUT,
    show_default=True,
    metavar="SECONDS",
    help="Time limit of each Graphviz run.",
)
@click.option(
    "--silo-level",
    type=click.IntRange(min=0),
    help="Silos are the units at this depth (0 = top); overrides the document.",
)
@verbosity_options
def command(
    file: str,
    view: str | None,
    all_views: bool,
    output: str | None,
    fmt: str | None,
    journey: str | None,
    lanes: str,
    top: int,
    root: str | None,
    depth: int | None,
    people: bool | None,
    engine: str,
    timeout: float,
    silo_level: int | None,
) -> int:
    """Draw a view of FILE ('-': standard input) as DOT, Mermaid, SVG, PNG or PDF.

    \b
    orgmodel render org.json --view orgchart -o org.svg
    orgmodel render org.json --view journey --journey invoice -o invoice.mmd
    orgmodel render org.json --all -o diagrams/ --format svg

    DOT, Mermaid and SVG need nothing else; PNG and PDF need the images extra
    (pip install 'orgmodel[images]'), or Graphviz with --engine graphviz. Exit 0 when
    written, 2 for invalid input, unknown ids, or a format that cannot be made here.
    """
    if all_views == (view is not None):
        return _usage("give either --view VIEW or --all")
    if all_views and output in (None, STDIO):
        return _usage("--all needs -o DIR, the folder to write into")
    if output == STDIO:
        output = None
    if fmt is None:
        if output is not None and not all_views:
            fmt = format_for(output)
            if fmt is None:
                return _usage(
                    f"-o {output}: cannot tell the format from the suffix; use "
                    f"--format ({', '.join(FORMATS)}) or one of "
                    f"{', '.join(SUFFIXES)}"
                )
        else:
            fmt = "svg"
    if fmt not in BUILTIN_FORMATS and output is None and sys.stdout.isatty():
        return _usage(f"{fmt.upper()} is binary: write it to a file with -o")
    loaded = load_or_report(LoadRequest((file,), with_config=False), "render")
    if loaded is None:
        return EXIT_USAGE
    source = loaded.sources[0]
    ctx = ViewContext(app.build(source.document, silo_level))
    options = ViewOptions(
        journey=journey,
        root=root,
        depth=depth,
        lanes="unit" if lanes == "unit" else "silo",
        people=people,
        top=top,
    )
    try:
        if all_views:
            assert output is not None
            return _render_all(ctx, Path(output), fmt, options, engine, timeout)
        assert view is not None
        result = render(ctx, view, fmt, options, engine, timeout)
    except (ViewError, RenderError) as exc:
        click.echo(one_line(f"{source.name}: {exc}"), err=True)
        return EXIT_USAGE
    for note in result.notes:
        say(f"{source.name}: note: {note}")
    if output is None:
        sys.stdout.buffer.write(result.data)
        sys.stdout.flush()
        return EXIT_OK
    return EXIT_OK if _write(Path(output), result.data, result.backend) else EXIT_USAGE


def _render_all(
    ctx: ViewContext, folder: Path, fmt: str, options: ViewOptions, engine: str, timeout: float
) -> int:
    journeys = list(ctx.enterprise.journeys)
    if options.journey is not None:
        if options.journey not in ctx.enterprise.journeys:
            from orgmodel.suggest import unknown

            raise ViewError(unknown("--journey", "journey", options.journey, journeys))
        journeys = [options.journey]
    # Everything is drawn before anything is written: a view that fails (no Graphviz, no image
    # library) leaves no file and no folder.
    files: list[tuple[str, str | bytes]] = []
    notes: dict[str, str] = {}
    for name, module in VIEWS.items():
        targets: list[str | None] = list(journeys) if module.per_journey else [None]
        for ident in targets:
            result = render(
                ctx,
                name,
                fmt,
                dataclasses.replace(options, journey=ident),
                engine,
                timeout,
            )
            for note in result.notes:
                say(f"note: {note}")
            target = str(folder / output_name(name, fmt, ident))
            files.append((target, result.data))
            notes[target] = f" ({result.backend})"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        click.echo(one_line(f"{folder}: cannot create the folder: {exc.strerror or exc}"), err=True)
        return EXIT_USAGE
    return EXIT_OK if write_all_reported(files, notes) else EXIT_USAGE


def _write(path: Path, data: bytes, backend: str) -> bool:
    return write_reported(str(path), data, f" ({backend})")


def _usage(message: str) -> int:
    click.echo(one_line(f"orgmodel render: {message}"), err=True)
    return EXIT_USAGE
