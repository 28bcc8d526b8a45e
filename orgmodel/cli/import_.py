"""``orgmodel import eventlog``: journeys measured in a process-mining event log."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

import click

from orgmodel import app
from orgmodel.app import LoadRequest
from orgmodel.cli.common import (
    EXIT_OK,
    EXIT_USAGE,
    STDIO,
    report_problems,
    verbosity_options,
    write_reported,
)
from orgmodel.cli.eventlog_options import LOG_OPTION_NAMES, LogRequest, log_options, measure_log
from orgmodel.diagnostics import Diagnostic, DocumentInvalid
from orgmodel.durations import format_duration
from orgmodel.eventlog.document import build_document
from orgmodel.eventlog.handover import Handover
from orgmodel.eventlog.log import UNASSIGNED
from orgmodel.eventlog.measure import Measured
from orgmodel.eventlog.reader import LogInvalid
from orgmodel.eventlog.variants import PERIOD_SECONDS, Variant, keep
from orgmodel.loader import load_text
from orgmodel.textsafe import one_line


def _share(value: str) -> float:
    try:
        share = float(value.rstrip("%")) / (100 if value.endswith("%") else 1)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a share (e.g. 0.8 or 80%)") from None
    if not 0 < share <= 1:
        raise click.BadParameter(f"{value!r}: a share is above 0 and at most 1 (100%)")
    return share


@click.command("eventlog")
@click.argument("file", metavar="FILE")
@click.option(
    "-o",
    "--output",
    required=True,
    metavar="FILE",
    help="Write the document here (atomically); '-': standard output (the summary "
    "then goes to standard error).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Format of the summary (variants, handover matrix).",
)
@click.option(
    "--model",
    "model_path",
    metavar="FILE",
    help="Map org:resource to positions (by id or holder) and their units in this "
    "document; its units are taken into the output.",
)
@click.option(
    "--period",
    type=click.Choice(list(PERIOD_SECONDS)),
    help="Period of the volumes (default: the model's volume_period, else month).",
)
@click.option(
    "--top",
    type=click.IntRange(min=1),
    metavar="N",
    help="Keep at most the N most frequent variants.",
)
@click.option(
    "--coverage",
    metavar="SHARE",
    help="Keep the most frequent variants until they cover this share of the cases (0.8 or 80%).",
)
@click.option("--per-case", is_flag=True, help="One journey per case instead of per variant.")
@click.option("--name", metavar="TEXT", help="Name of the document.")
@click.option(
    "--engine",
    type=click.Choice(["auto", "python", "duckdb"]),
    default="auto",
    show_default=True,
    help="How to compute: duckdb (the optional extra orgmodel[logs]; CSV and "
    "Parquet), python (the standard library), auto: duckdb where installed "
    "and the log allows it. Both give the same output.",
)
@log_options
@verbosity_options
def eventlog(
    file: str,
    output: str,
    fmt: str,
    model_path: str | None,
    period: str | None,
    top: int | None,
    coverage: str | None,
    per_case: bool,
    name: str | None,
    engine: str,
    **options: Any,
) -> int:
    """Turn the event log FILE (CSV, XES, .xes.gz or Parquet) into an orgmodel document: one
    journey per variant (the sequence of activity and unit), with its volume per period and
    the median work and wait of each step; the 90th percentile and mean are in the
    journey's description.

    The summary shows the variants, the events without a unit, and the handover matrix
    (unit to unit, per occurrence). Exit 0 when written, 2 when the log, the model or an
    option is invalid (nothing is written). Conventions: docs/eventlogs.md.
    """
    problems: list[Diagnostic] = []
    share = None
    if coverage is not None:
        try:
            share = _share(coverage)
        except click.BadParameter as exc:
            problems.append(Diagnostic("--coverage", None, None, None, "usage", exc.message))
    model = None
    model_text = None
    if model_path is not None:
        try:
            source = app.load(
                LoadRequest((model_path,), with_config=False, keep_text=True)
            ).sources[0]
            model, model_text = source.document, source.text
        except DocumentInvalid as exc:
            problems += exc.diagnostics
    if problems:
        report_problems(problems, "import eventlog")
        return EXIT_USAGE
    request = LogRequest.from_options(file, {k: options[k] for k in LOG_OPTION_NAMES})
    try:
        log = measure_log(request, model, per_case=per_case, engine=engine)
    except LogInvalid as exc:
        report_problems(exc.diagnostics, "import eventlog")
        return EXIT_USAGE
    period = period or (model.settings.volume_period.value if model else "month")
    found_variants = log.variants
    kept = found_variants if per_case else keep(found_variants, top, share)
    matrix = log.handover
    data = build_document(log, kept, period, name=name, per_case=per_case, model_text=model_text)
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    load_text(text, output)  # the output is a valid document, or this is a bug
    summary = summary_data(log, found_variants, kept, matrix, period, output)
    report = (
        json.dumps(summary, indent=2, ensure_ascii=False) + "\n"
        if fmt == "json"
        else summary_text(summary, log, matrix)
    )
    if not write_reported(output, text, f" ({len(kept)} journey(s))"):
        return EXIT_USAGE
    click.echo(report, nl=False, err=output == STDIO)
    return EXIT_OK


def _iso(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, timezone.utc).isoformat().replace("+00:00", "Z")


def summary_data(
    log: Measured,
    found: list[Variant],
    kept: list[Variant],
    matrix: Handover,
    period: str,
    output: str,
) -> dict[str, Any]:
    """The import's figures as plain data (the ``--format json`` summary)."""
    cases = log.cases
    covered = sum(len(v.cases) for v in kept)
    return {
        "source": log.source,
        "output": output,
        "events": log.events,
        "cases": cases,
        "first": _iso(log.first),
        "last": _iso(log.last),
        "span_seconds": round(log.span),
        "volume_period": period,
        "units_from": log.unit_source,
        "units": log.units,
        "unassigned_events": sum(log.unresolved.values()),
        "unassigned_by_resource": dict(sorted(log.unresolved.items())),
        "skipped_lifecycle": dict(sorted(log.skipped_lifecycle.items())),
        "overlapping_instances": log.overlaps,
        "variants": len(found),
        "journeys": len(kept),
        "covered_cases": covered,
        "coverage": round(covered / cases, 4) if cases else 0,
        "kept": [{"journey": f"variant-{n}", **v.to_dict()} for n, v in enumerate(kept, start=1)]
        if len(kept) <= 1000
        else [],
        "handover": matrix.to_dict(),
    }


def summary_text(summary: dict[str, Any], log: Measured, matrix: Handover) -> str:
    """The import's figures for people."""
    out = [
        f"Imported {summary['source']}: {summary['events']} events, {summary['cases']} cases, "
        f"{summary['first']} to {summary['last']} ({format_duration(summary['span_seconds'])})",
        f"Units from {summary['units_from']}: {len(summary['units'])} unit(s).",
        f"{summary['variants']} variant(s); {summary['journeys']} journey(s) written, covering "
        f"{summary['covered_cases']} case(s) ({100 * summary['coverage']:.1f} %); volumes per "
        f"{summary['volume_period']}.",
    ]
    if summary["unassigned_events"]:
        by = ", ".join(
            f"{r or '(no resource)'} {n}"
            for r, n in sorted(log.unresolved.items(), key=lambda kv: (-kv[1], kv[0]))[:10]
        )
        out.append(
            f"Events without a unit: {summary['unassigned_events']} (given the unit "
            f"'{UNASSIGNED}'); by resource: {by}"
        )
    if summary["skipped_lifecycle"]:
        out.append(
            "Events left out by their lifecycle transition: "
            + ", ".join(f"{k} {v}" for k, v in summary["skipped_lifecycle"].items())
        )
    if summary["overlapping_instances"]:
        out.append(
            f"Overlapping activity instances (negative waits, counted as 0): "
            f"{summary['overlapping_instances']}"
        )
    out += [
        "",
        f"Handover matrix (unit to unit, per occurrence): {matrix.total} pair(s), "
        f"{sum(matrix.between.values())} handoff(s) between units",
    ]
    between = sorted(matrix.between.items(), key=lambda kv: (-kv[1], kv[0]))
    if between:
        width = max(len(f"{a} -> {b}") for (a, b), _ in between)
        out += [f"  {f'{a} -> {b}':<{width}}  {n:>8}" for (a, b), n in between]
    if matrix.self_pairs:
        out.append("Self-pairs (a unit after itself, no handoff):")
        width = max(len(u) for u in matrix.self_pairs)
        out += [f"  {u:<{width}}  {n:>8}" for u, n in matrix.self_pairs.items()]
    return "".join(one_line(line) + "\n" for line in out)
