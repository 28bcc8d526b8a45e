"""``orgmodel analyze``: the silo analysis and structure health of a document."""

from __future__ import annotations

import difflib

import click

from orgmodel.analysis.report import LOCATE_LIMIT, analyze
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
)
from orgmodel.config import merge_thresholds
from orgmodel.diagnostics import Diagnostic
from orgmodel.graph import build_enterprise
from orgmodel.output import ANALYSIS_FORMATS


@click.command("analyze")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--journey", "journeys", multiple=True, metavar="ID",
              help="Analyze only this journey (repeatable).")
@click.option("--format", "fmt", type=click.Choice(list(ANALYSIS_FORMATS)), default="text",
              show_default=True, help="Report format.")
@output_option
@config_option
@click.option("--silo-level", type=click.IntRange(min=0),
              help="Silos are the units at this depth (0 = top); overrides the document.")
def command(file: str, journeys: tuple[str, ...], fmt: str, output: str | None,
            config_path: str | None, silo_level: int | None) -> int:
    """Analyze FILE: where journeys cross silo walls, what it costs, structure health.

    Exit 0 when the analysis ran (findings do not fail it: use `orgmodel check` for a gate),
    2 when FILE or the config is invalid or unreadable.
    """
    loaded, problems = load_documents(file)
    config, _, config_problems = resolve_config(config_path, loaded)
    problems += config_problems
    known = {j.id for x in loaded for j in x.document.journeys}
    for ident in journeys if loaded else ():
        if ident not in known:
            hint = difflib.get_close_matches(ident, sorted(known), n=1)
            problems.append(Diagnostic(file, None, None, None, "usage",
                                       f"--journey: unknown journey '{ident}'"
                                       + (f" (did you mean '{hint[0]}'?)" if hint else "")))
    if problems:
        report_problems(problems, "analyze")
        return EXIT_USAGE
    document, text = loaded[0].document, loaded[0].text
    if len(text) > LOCATE_LIMIT:
        text = ""  # too large to locate findings in; let the memory go
    enterprise = build_enterprise(document, silo_level)
    report = analyze(
        enterprise,
        thresholds=merge_thresholds(document.settings.thresholds,
                                    config.thresholds if config else None),
        rules=config.rules if config else None,
        journeys=list(journeys) or None,
        source=file,
        source_text=text or None,
    )
    keep_until_exit(enterprise, report)
    return EXIT_OK if emit(ANALYSIS_FORMATS[fmt](report), output) else EXIT_USAGE

