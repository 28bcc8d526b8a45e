"""``orgmodel analyze``: the silo analysis and structure health of a document."""

from __future__ import annotations

import click

from orgmodel.cli.common import (
    EXIT_OK,
    EXIT_USAGE,
    config_option,
    emit,
    keep_until_exit,
    load_documents,
    output_option,
    report_problems,
    resolve_config,
    verbosity_options,
)
from orgmodel.compare.diff import analyze_document
from orgmodel.diagnostics import Diagnostic
from orgmodel.output import ANALYSIS_FORMATS
from orgmodel.views.suggest import unknown


@click.command("analyze")
@click.argument("file", metavar="FILE")
@click.option("--journey", "journeys", multiple=True, metavar="ID",
              help="Analyze only this journey (repeatable).")
@click.option("--format", "fmt", type=click.Choice(list(ANALYSIS_FORMATS)), default="text",
              show_default=True, help="Report format.")
@output_option
@config_option
@click.option("--silo-level", type=click.IntRange(min=0),
              help="Silos are the units at this depth (0 = top); overrides the document.")
@verbosity_options
def command(file: str, journeys: tuple[str, ...], fmt: str, output: str | None,
            config_path: str | None, silo_level: int | None) -> int:
    """Analyze FILE ('-': standard input): where journeys cross silo walls, what it costs,
    structure health.

    Exit 0 when the analysis ran (findings do not fail it: use `orgmodel check` for a gate),
    2 when FILE or the config is invalid or unreadable.
    """
    loaded, problems = load_documents(file)
    config, _, config_problems = resolve_config(config_path, loaded)
    problems += config_problems
    known = {j.id for x in loaded for j in x.document.journeys}
    for ident in journeys if loaded else ():
        if ident not in known:
            problems.append(Diagnostic(loaded[0].path, None, None, None, "usage",
                                       unknown("--journey", "journey", ident, known)))
    if problems:
        report_problems(problems, "analyze")
        return EXIT_USAGE
    report = analyze_document(loaded[0].document, config=config, source=loaded[0].path,
                              text=loaded[0].text, silo_level=silo_level,
                              journeys=list(journeys) or None)
    keep_until_exit(report)
    return EXIT_OK if emit(ANALYSIS_FORMATS[fmt](report), output) else EXIT_USAGE

