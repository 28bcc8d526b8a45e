"""``orgmodel diff``: what a proposed organization changes against the current one."""

from __future__ import annotations

import click

from orgmodel import app
from orgmodel.app import DiffRequest, LoadRequest
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
from orgmodel.output import DIFF_FORMATS, diff_markdown
from orgmodel.output.budget import COMMENT_LIMIT

__all__ = ["command"]


@click.command("diff")
@click.argument("current", metavar="CURRENT")
@click.argument("proposed", metavar="PROPOSED")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(DIFF_FORMATS)),
    default="text",
    show_default=True,
    help="markdown is ready to post as a pull-request comment.",
)
@output_option
@config_option
@click.option(
    "--markdown-limit",
    type=click.IntRange(min=0),
    default=COMMENT_LIMIT,
    show_default=True,
    metavar="BYTES",
    help="Largest Markdown report: what does not fit is left out, most important "
    "first, and counted (default: a GitHub comment; 0: no limit).",
)
@verbosity_options
def command(
    current: str,
    proposed: str,
    fmt: str,
    output: str | None,
    config_path: str | None,
    markdown_limit: int,
) -> int:
    """Compare CURRENT with PROPOSED: structural changes by id, journey figures before and
    after, findings introduced and resolved. One of them may be '-' (standard input).

    Exit 0 when the comparison ran (differences do not fail it: use `orgmodel check` for a
    gate), 2 when a document or the config is invalid or unreadable.
    """
    loaded = load_or_report(LoadRequest((current, proposed), config_path), "diff")
    if loaded is None:
        return EXIT_USAGE
    before, after = loaded.sources
    diff = app.diff(DiffRequest(before, after, loaded.config.config))
    keep_until_exit(diff)
    text = (
        diff_markdown.render(diff, limit=markdown_limit or None)
        if fmt == "markdown"
        else DIFF_FORMATS[fmt](diff)
    )
    return EXIT_OK if emit(text, output) else EXIT_USAGE
