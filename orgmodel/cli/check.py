"""``orgmodel check``: a proposed organization judged by a policy, as a CI gate."""

from __future__ import annotations

import os
from datetime import date, datetime

import click

from orgmodel.cli.common import (
    EXIT_FAILED,
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
from orgmodel.compare.policy import Verdict, evaluate
from orgmodel.config import FailOn
from orgmodel.output import CHECK_FORMATS
from orgmodel.output.github import annotation

__all__ = ["command", "pick_format"]


def pick_format(fmt: str) -> str:
    """``auto``: GitHub annotations inside GitHub Actions (GITHUB_ACTIONS=true), else text."""
    if fmt != "auto":
        return fmt
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


@click.command("check")
@click.argument("proposed", metavar="PROPOSED")
@click.option("--baseline", metavar="FILE",
              help="The current organization: fail when a journey gets worse than in it, "
                   "and count only findings it does not have.")
@config_option
@click.option("--format", "fmt", type=click.Choice(["auto", *CHECK_FORMATS]), default="auto",
              show_default=True,
              help="auto: github inside GitHub Actions, else text.")
@click.option("--fail-on", type=click.Choice([f.value for f in FailOn]),
              help="Lowest severity that fails the check (overrides the config; default "
                   "error).")
@output_option
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="Judge waiver expiry as of this date (default: today).")
@verbosity_options
def command(proposed: str, baseline: str | None, config_path: str | None, fmt: str,
            fail_on: str | None, output: str | None, today: datetime | None) -> int:
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
    paths = [proposed] if baseline is None else [proposed, baseline]
    loaded, problems = load_documents(*paths)
    config, config_file, config_problems = resolve_config(config_path, loaded)
    problems += config_problems
    if problems:
        if fmt == "github":
            for d in problems:
                click.echo(annotation("error", f"{d.json_path + ': ' if d.path else ''}"
                                      f"{d.message}", file=d.file, line=d.line, col=d.column,
                                      title="orgmodel: invalid input, not checked"))
        report_problems(problems, "check")
        return EXIT_USAGE
    new = loaded[0]
    old = loaded[1] if baseline is not None else None
    result = evaluate(
        new.document,
        analyze_document(new.document, config=config, source=new.path, text=new.text,
                         policy_from=old.document if old else None),
        proposal_file=new.path,
        proposal_text=new.text,
        baseline=old.document if old else None,
        baseline_report=(analyze_document(old.document, config=config, source=old.path,
                                          text=old.text) if old else None),
        baseline_file=old.path if old else None,
        baseline_text=old.text if old else None,
        config=config,
        config_file=config_file,
        fail_on=FailOn(fail_on) if fail_on else None,
        today=today.date() if today is not None else date.today(),
    )
    keep_until_exit(result)
    if not emit(CHECK_FORMATS[fmt](result), output):
        return EXIT_USAGE
    return EXIT_OK if result.verdict is Verdict.PASS else EXIT_FAILED
