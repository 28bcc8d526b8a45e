"""``orgmodel check``: a proposed organization judged by a policy, as a CI gate."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date, datetime

import click

from orgmodel import app
from orgmodel.app import CheckRequest, LoadRequest
from orgmodel.cli.common import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    config_option,
    emit,
    keep_until_exit,
    load_or_report,
    output_option,
    verbosity_options,
    write_all_reported,
)
from orgmodel.compare.policy import Verdict
from orgmodel.config import FailOn
from orgmodel.diagnostics import Diagnostic
from orgmodel.output import CHECK_FORMATS, check_markdown
from orgmodel.output.budget import COMMENT_LIMIT
from orgmodel.output.github import annotation, capped

__all__ = ["FILE_FORMATS", "command", "pick_format"]


#: The formats that ``--FORMAT-file PATH`` writes beside the log, from the same analysis.
FILE_FORMATS: tuple[str, ...] = tuple(f for f in CHECK_FORMATS if f != "github")


def _file_options(function: Callable[..., int]) -> Callable[..., int]:
    """``--markdown-file``, ``--sarif-file`` ...: one per format in :data:`FILE_FORMATS`."""
    for name in reversed(FILE_FORMATS):
        function = click.option(
            f"--{name}-file",
            metavar="PATH",
            help=f"Also write the {name} report to PATH (from the same run).",
        )(function)
    return function


def _annotate(problems: list[Diagnostic]) -> None:
    """The problems of the input as error annotations (at most what GitHub shows)."""
    commands = [
        (
            "error",
            annotation(
                "error",
                f"{d.json_path}: {d.message}" if d.json_path else d.message,
                file=d.file,
                line=d.line,
                col=d.column,
                title="orgmodel: invalid input, not checked",
            ),
        )
        for d in problems
    ]
    for line in capped(commands, where="the log of this step"):
        click.echo(line)


def pick_format(fmt: str) -> str:
    """``auto``: GitHub annotations inside GitHub Actions (GITHUB_ACTIONS=true), else text."""
    if fmt != "auto":
        return fmt
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


@click.command("check")
@click.argument("proposed", metavar="PROPOSED")
@click.option(
    "--baseline",
    metavar="FILE",
    help="The current organization: fail when a journey gets worse than in it, "
    "and count only findings it does not have.",
)
@config_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["auto", *CHECK_FORMATS]),
    default="auto",
    show_default=True,
    help="auto: github inside GitHub Actions, else text.",
)
@click.option(
    "--fail-on",
    type=click.Choice([f.value for f in FailOn]),
    help="Lowest severity that fails the check (overrides the config; default error).",
)
@output_option
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Judge waiver expiry as of this date (default: today).",
)
@click.option(
    "--markdown-limit",
    type=click.IntRange(min=0),
    default=COMMENT_LIMIT,
    show_default=True,
    metavar="BYTES",
    help="Largest Markdown report: what does not fit is left out, most important "
    "first, and counted (default: a GitHub comment; 1048576 for a job summary; "
    "0: no limit).",
)
@_file_options
@verbosity_options
def command(
    proposed: str,
    baseline: str | None,
    config_path: str | None,
    fmt: str,
    fail_on: str | None,
    output: str | None,
    today: datetime | None,
    markdown_limit: int,
    **files: str | None,
) -> int:
    """Check PROPOSED against the policy, and against --baseline when given. One of them
    may be '-' (standard input).

    \b
    Exit codes:
      0  the check passed
      1  the check failed: a blocking finding, a journey got worse, an expired waiver
      2  a document or the config is invalid or unreadable, or a usage error
         (no verdict is given then)
    """
    fmt = pick_format(fmt)
    extra = [
        (name, path)
        for name, path in ((name, files[f"{name}_file"]) for name in FILE_FORMATS)
        if path is not None
    ]
    paths = (proposed,) if baseline is None else (proposed, baseline)
    # The policy's own findings (regressions, waivers) are located at any size.
    loaded = load_or_report(
        LoadRequest(paths, config_path, keep_text=True),
        "check",
        also=_annotate if fmt == "github" else None,
    )
    if loaded is None:
        return EXIT_USAGE
    result = app.check(
        CheckRequest(
            proposal=loaded.sources[0],
            baseline=loaded.sources[1] if baseline is not None else None,
            config=loaded.config,
            fail_on=FailOn(fail_on) if fail_on else None,
            today=today.date() if today is not None else date.today(),
        )
    )
    keep_until_exit(result)
    limit = markdown_limit or None

    def render(name: str) -> str:
        if name == "markdown":
            return check_markdown.render(result, limit=limit)
        return CHECK_FORMATS[name](result)

    # Every file first, each complete, then the log: a failed write changes none of them.
    if extra and not write_all_reported([(path, render(name)) for name, path in extra]):
        return EXIT_USAGE
    if not emit(render(fmt), output):
        return EXIT_USAGE
    return EXIT_OK if result.verdict is Verdict.PASS else EXIT_FAILED
