"""``orgmodel rules``: the reference of every rule, from the registry."""

from __future__ import annotations

from pathlib import Path

import click

from orgmodel.cli.common import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    detail,
    emit,
    say,
    verbosity_options,
)
from orgmodel.rulesref import RULES_DOC_PATH, rules_markdown


@click.command("rules")
@click.option("--write", "mode", flag_value="write", help="Write docs/rules.md.")
@click.option(
    "--check",
    "mode",
    flag_value="check",
    help="Exit 1 when docs/rules.md differs from the registry.",
)
@click.option(
    "--path",
    type=click.Path(path_type=Path, readable=False),
    default=RULES_DOC_PATH,
    show_default=True,
    help="The reference file for --write and --check.",
)
@verbosity_options
def command(mode: str | None, path: Path) -> int:
    """Print the rules reference (Markdown): code, name, default severity, meaning."""
    text = rules_markdown()
    if mode is None:
        emit(text, None)
        return EXIT_OK
    if mode == "write":
        return EXIT_OK if emit(text, str(path)) else EXIT_USAGE
    try:
        current = path.read_text(encoding="utf-8")
        detail(f"read {path}")
    except (OSError, UnicodeDecodeError):
        current = None
    if current != text:
        click.echo(
            f"{path} is stale or missing; regenerate it with: orgmodel rules --write", err=True
        )
        return EXIT_FAILED
    say(f"{path} is up to date.")
    return EXIT_OK
