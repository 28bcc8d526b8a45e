"""``orgmodel report``: one self-contained HTML page to share an analysis."""

from __future__ import annotations

import click

from orgmodel.app import LoadRequest
from orgmodel.cli.common import (
    EXIT_OK,
    EXIT_USAGE,
    config_option,
    load_or_report,
    verbosity_options,
    write_reported,
)
from orgmodel.report import ReportRequest, build

__all__ = ["command"]


@click.command("report")
@click.argument("file", metavar="FILE")
@click.option(
    "--baseline",
    metavar="CURRENT",
    help="Compare FILE with this document (the current organization): structural "
    "changes, every journey before and after, and the verdict of "
    "`orgmodel check`.",
)
@click.option(
    "-o",
    "--output",
    metavar="PATH",
    required=True,
    help="The HTML file to write ('-': standard output).",
)
@config_option
@click.option(
    "--silo-level",
    type=click.IntRange(min=0),
    help="Silos are the units at this depth (0 = top); overrides the document.",
)
@verbosity_options
def command(
    file: str, baseline: str | None, output: str, config_path: str | None, silo_level: int | None
) -> int:
    """Write one self-contained HTML page about FILE ('-': standard input) to share.

    For people who do not run orgmodel: an overview, the three-layer overlay, a searchable
    org chart, every journey as swimlanes, the heat map, the findings with filters and, with
    --baseline, the comparison.

    \b
    orgmodel report org.json -o report.html
    orgmodel report proposed.json --baseline current.json -o report.html

    The page is self-contained (no network) and the same input gives the same bytes.
    Exit 0 when written (also when the comparison fails the check: use `orgmodel check`
    for a gate), 2 for invalid input.
    """
    paths = (file,) if baseline is None else (baseline, file)
    loaded = load_or_report(LoadRequest(paths, config_path), "report")
    if loaded is None:
        return EXIT_USAGE
    sources = loaded.sources
    request = ReportRequest(
        sources[-1], sources[0] if baseline is not None else None, loaded.config, silo_level
    )
    page = build(request)
    return EXIT_OK if write_reported(output, page.encode("utf-8")) else EXIT_USAGE
