"""``orgmodel analyze``: the silo analysis and structure health of a document."""

from __future__ import annotations

import click

from orgmodel import app
from orgmodel.app import AnalyzeRequest, LoadRequest
from orgmodel.cli.common import (
    EXIT_OK,
    EXIT_USAGE,
    config_option,
    emit,
    keep_until_exit,
    load_or_report,
    output_option,
    verbosity_options,
)
from orgmodel.output import ANALYSIS_FORMATS


@click.command("analyze")
@click.argument("file", metavar="FILE")
@click.option(
    "--journey",
    "journeys",
    multiple=True,
    metavar="ID",
    help="Analyze only this journey (repeatable).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(ANALYSIS_FORMATS)),
    default="text",
    show_default=True,
    help="Report format.",
)
@output_option
@config_option
@click.option(
    "--silo-level",
    type=click.IntRange(min=0),
    help="Silos are the units at this depth (0 = top); overrides the document.",
)
@verbosity_options
def command(
    file: str,
    journeys: tuple[str, ...],
    fmt: str,
    output: str | None,
    config_path: str | None,
    silo_level: int | None,
) -> int:
    """Analyze FILE ('-': standard input): where journeys cross silo walls, what it costs,
    structure health.

    Exit 0 when the analysis ran (findings do not fail it: use `orgmodel check` for a gate),
    2 when FILE or the config is invalid or unreadable.
    """
    loaded = load_or_report(LoadRequest((file,), config_path, journeys), "analyze")
    if loaded is None:
        return EXIT_USAGE
    report = app.analyze(
        AnalyzeRequest(loaded.sources[0], loaded.config.config, silo_level, journeys or None)
    )
    keep_until_exit(report)
    return EXIT_OK if emit(ANALYSIS_FORMATS[fmt](report), output) else EXIT_USAGE
