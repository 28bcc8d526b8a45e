"""``orgmodel calibrate``: a model's journeys against the measured ones of an event log."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from typing import Any

import click

from orgmodel import app
from orgmodel.app import LoadRequest
from orgmodel.cli.common import (
    EXIT_OK,
    EXIT_USAGE,
    emit,
    output_option,
    report_problems,
    say,
    verbosity_options,
    write_reported,
)
from orgmodel.cli.eventlog_options import LOG_OPTION_NAMES, LogRequest, log_options, open_log
from orgmodel.diagnostics import Diagnostic, DocumentInvalid
from orgmodel.durations import format_duration
from orgmodel.eventlog.calibrate import (
    JourneyCalibration,
    MatchInvalid,
    calibrate,
    edit_document,
)
from orgmodel.eventlog.reader import LogInvalid
from orgmodel.eventlog.variants import Stats
from orgmodel.loader import excess_problem, load_text


def _read_text(path: str) -> tuple[str | None, list[Diagnostic]]:
    """The text of a file given to an option, or the problem of reading it."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            return handle.read(), []
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Diagnostic(path, None, None, None, "io", f"cannot be read: {exc}")]


def _read_json(
    path: str, text: str, valid: Callable[[dict[str, Any]], bool], shape: str
) -> tuple[dict[str, Any], list[Diagnostic]]:
    """The JSON object in ``text`` if ``valid`` accepts it; else a problem located at the
    syntax error or naming the ``shape`` it must have."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return {}, [
            Diagnostic(path, exc.lineno, exc.colno, None, "json", f"not valid JSON: {exc.msg}")
        ]
    except (ValueError, RecursionError) as exc:  # too many digits, or nested too deeply
        message = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
        return {}, [excess_problem(text, path, f"not valid JSON: {message}", depth_hint="")]
    if not isinstance(data, dict) or not valid(data):
        return {}, [Diagnostic(path, None, None, None, "shape", shape)]
    return data, []


def _read_steps(path: str) -> tuple[dict[str, dict[str, str]], list[Diagnostic]]:
    text, problems = _read_text(path)
    if text is None:
        return {}, problems
    return _read_json(
        path,
        text,
        lambda data: all(
            isinstance(v, dict) and all(isinstance(a, str) for a in v.values())
            for v in data.values()
        ),
        'a step mapping is {"journey-id": {"step id or name": "activity", ...}, ...}',
    )


def _read_matches(
    given: tuple[str, ...], path: str | None
) -> tuple[dict[str, str], list[Diagnostic]]:
    """Journey id -> variant id from ``--match JOURNEY=VARIANT`` and ``--match-file``."""
    out: dict[str, str] = {}
    problems: list[Diagnostic] = []
    if path is not None:
        text, problems = _read_text(path)
        if text is None:
            return {}, problems
        if path.lower().endswith(".json"):
            data, problems = _read_json(
                path,
                text,
                lambda data: all(
                    isinstance(v, str | int) and not isinstance(v, bool) for v in data.values()
                ),
                'a match file is {"journey-id": "variant-N", ...}',
            )
            if problems:
                return {}, problems
            out.update({k: str(v) for k, v in data.items()})
        else:
            for line, row in enumerate(csv.reader(text.splitlines()), start=1):
                if not row or (line == 1 and [c.strip() for c in row] == ["journey", "variant"]):
                    continue
                if len(row) != 2 or not row[0].strip() or not row[1].strip():
                    problems.append(
                        Diagnostic(path, line, 1, None, "shape", "each row is journey,variant")
                    )
                    continue
                out[row[0].strip()] = row[1].strip()
    for item in given:
        journey, sep, variant = item.partition("=")
        if not sep or not journey.strip() or not variant.strip():
            problems.append(
                Diagnostic(
                    "--match",
                    None,
                    None,
                    None,
                    "usage",
                    f"{item!r}: write JOURNEY=VARIANT, e.g. claim=variant-2",
                )
            )
            continue
        out[journey.strip()] = variant.strip()
    return out, problems


@click.command("calibrate")
@click.argument("model_path", metavar="MODEL")
@click.argument("log_path", metavar="LOG")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
    help="Report format.",
)
@output_option
@click.option(
    "--steps",
    "steps_path",
    metavar="FILE",
    help='Activities of the steps: {"journey-id": {"step id or name": "activity"}} '
    "(default: a step's name, else its id, as the activity).",
)
@click.option(
    "--match",
    "match_items",
    multiple=True,
    metavar="JOURNEY=VARIANT",
    help="Match the journey JOURNEY to the log's variant VARIANT (variant-N or N, numbered "
    "as orgmodel import eventlog numbers them); repeatable. A journey whose id is a variant "
    "id with that variant's activities is matched so without it.",
)
@click.option(
    "--match-file",
    "match_path",
    metavar="FILE",
    help='Matches as a JSON object {"journey-id": "variant-N"} or a CSV file journey,variant.',
)
@click.option(
    "--tolerance",
    type=click.FloatRange(min=0),
    default=0.1,
    show_default=True,
    help="A figure differs when it is off by more than this share of the measured "
    "one (and by more than a minute).",
)
@click.option(
    "--min-similarity",
    type=click.FloatRange(min=0, max=1),
    default=0.5,
    show_default=True,
    help="A case matches a journey when their sets of activities are at least this "
    "alike (Jaccard).",
)
@click.option(
    "--write",
    is_flag=True,
    help="Set the differing waits and volumes of MODEL to the measured medians, "
    "in place (atomically; the rest of the file stays as it is).",
)
@log_options
@verbosity_options
def command(
    model_path: str,
    log_path: str,
    fmt: str,
    output: str | None,
    steps_path: str | None,
    match_items: tuple[str, ...],
    match_path: str | None,
    tolerance: float,
    min_similarity: float,
    write: bool,
    **options: Any,
) -> int:
    """Compare every journey of MODEL with the cases of the event log LOG that match it:
    waits, work, volume, the units and the order of the steps, and the handoffs the log shows
    that the model does not.

    Exit 0 when the comparison ran (differences do not fail it), 2 when MODEL, LOG or an
    option is invalid (nothing is written). Conventions: docs/eventlogs.md.
    """
    problems: list[Diagnostic] = []
    source = None
    try:
        source = app.load(LoadRequest((model_path,), with_config=False, keep_text=True)).sources[0]
    except DocumentInvalid as exc:
        problems += exc.diagnostics
    steps: dict[str, dict[str, str]] = {}
    if steps_path is not None:
        steps, found = _read_steps(steps_path)
        problems += found
    matches, found = _read_matches(match_items, match_path)
    problems += found
    if problems or source is None:
        report_problems(problems, "calibrate")
        return EXIT_USAGE
    document = source.document
    request = LogRequest.from_options(log_path, {k: options[k] for k in LOG_OPTION_NAMES})
    try:
        log = open_log(request, document)
    except LogInvalid as exc:
        report_problems(exc.diagnostics, "calibrate")
        return EXIT_USAGE
    period = document.settings.volume_period.value
    try:
        results = calibrate(
            document,
            log,
            period,
            mapping=steps,
            matches=matches,
            tolerance=tolerance,
            min_similarity=min_similarity,
        )
    except MatchInvalid as exc:
        where = match_path if match_path is not None and not match_items else "--match"
        report_problems([Diagnostic(where, None, None, None, "usage", str(exc))], "calibrate")
        return EXIT_USAGE
    if fmt == "json":
        report = (
            json.dumps(
                {
                    "model": source.name,
                    "log": log_path,
                    "volume_period": period,
                    "journeys": [r.to_dict() for r in results],
                },
                indent=2,
                ensure_ascii=False,
            )
            + "\n"
        )
    else:
        report = render(results, source.name, log_path, period, fmt == "markdown")
    if write:
        text, notes = edit_document(source.text or "", results)
        if notes:
            load_text(text, source.name)  # still a valid document, or this is a bug
            if not write_reported(source.name, text, f" ({len(notes)} value(s) changed)"):
                return EXIT_USAGE
            for note in notes:
                say(f"  {note}")
        else:
            say(f"{source.name}: nothing to change")
    return EXIT_OK if emit(report, output) else EXIT_USAGE


def _matched(r: JourneyCalibration) -> str:
    """How the journey's cases were found, in words."""
    parts = []
    for way, n in r.matched.items():
        if way == "id":
            source = "--match" if r.variant_given else "its id"
            parts.append(f"by id: {n} case(s) of {r.variant} of the log ({source})")
        elif way == "steps":
            parts.append(f"by steps: {n} case(s) whose activities are the steps in order")
        else:
            parts.append(f"by similarity: {n} case(s)")
    return "; ".join(parts)


def _d(seconds: float | None) -> str:
    return "-" if seconds is None else format_duration(seconds)


def _m(stats: Stats | None) -> str:
    return (
        "-"
        if stats is None
        else f"{format_duration(stats.median)} (p90 {format_duration(stats.p90)})"
    )


def render(
    results: list[JourneyCalibration], model: str, log: str, period: str, markdown: bool
) -> str:
    """The calibration as text or Markdown."""
    h1, h2, mark = ("# ", "## ", "**") if markdown else ("", "== ", "")
    out = [f"{h1}Calibration of {model} against {log}", ""]
    for r in results:
        title = f"{h2}{r.id}: {r.cases} matching case(s), {r.differences()} difference(s)"
        out += [title + ("" if markdown else " =="), ""]
        out += [f"- {note}" for note in r.notes]
        if not r.cases:
            out += ["No case of the log matches this journey.", ""]
            continue
        out.append(f"- matched {_matched(r)}")
        flag = f" {mark}differs{mark}" if r.volume_differs else ""
        out.append(
            f"- volume per {period}: model {r.volume if r.volume is not None else '-'}, "
            f"measured {r.measured_volume}{flag}"
        )
        if r.order_differs:
            out.append(
                f"- order of the steps {mark}differs{mark}: model "
                f"{' > '.join(r.model_order)}; log {' > '.join(r.measured_order)}"
            )
        if r.units_differ:
            out.append(
                f"- order of the units {mark}differs{mark}: model "
                f"{' > '.join(r.model_units)}; log {' > '.join(r.measured_units)}"
            )
        if r.extra_handoffs:
            out.append(
                "- handoffs in the log, not in the model: "
                + ", ".join(f"{a} -> {b} ({n})" for (a, b), n in r.extra_handoffs.items())
            )
        out.append("")
        rows = [
            [
                "step",
                "activity",
                "unit",
                "log unit",
                "wait",
                "log wait",
                "work",
                "log work",
                "differs",
            ]
        ]
        for s in r.steps:
            what = [
                w
                for w, d in (
                    ("unit", s.unit_differs),
                    ("wait", s.wait_differs),
                    ("work", s.work_differs),
                )
                if d
            ]
            rows.append(
                [
                    f"{s.index + 1} {s.name}",
                    s.activity,
                    s.unit,
                    s.measured_unit or "-",
                    _d(s.wait),
                    _m(s.measured_wait),
                    _d(s.work),
                    _m(s.measured_work),
                    ", ".join(what) or "-",
                ]
            )
        out += [*_table(rows, markdown), ""]
    return "\n".join(out).rstrip("\n") + "\n"


def _table(rows: list[list[str]], markdown: bool) -> list[str]:
    if markdown:
        lines = ["| " + " | ".join(rows[0]) + " |", "|" + " --- |" * len(rows[0])]
        return lines + [
            "| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in rows[1:]
        ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows
    ]
    return [lines[0], "  ".join("-" * w for w in widths), *lines[1:]]
