"""``orgmodel schema``: print, write or check the published JSON Schemas."""

from __future__ import annotations

from pathlib import Path

import click

from orgmodel.cli.common import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    detail,
    say,
    verbosity_options,
    write_reported,
)
from orgmodel.schema import SCHEMAS


@click.command("schema")
@click.argument("name", type=click.Choice(sorted(SCHEMAS)), required=False)
@click.option(
    "--check",
    "mode",
    flag_value="check",
    help="Exit 1 when a schema file differs from the one the models generate.",
)
@click.option("--write", "mode", flag_value="write", help="Write the schema file(s).")
@click.option(
    "--path",
    "path",
    type=click.Path(path_type=Path, readable=False),
    help="With NAME: the file to check or write instead of the default.",
)
@verbosity_options
def command(name: str | None, mode: str | None, path: Path | None) -> int:
    """Print the JSON Schema NAME (default: document), or --write / --check the files.

    Without NAME, --write and --check cover every published schema under schemas/.
    """
    if path is not None and name is None:
        raise click.UsageError("--path needs a schema NAME")
    if mode is None:
        click.echo(SCHEMAS[name or "document"].text(), nl=False)
        return EXIT_OK
    targets = [SCHEMAS[name]] if name else list(SCHEMAS.values())
    status = EXIT_OK
    for schema in targets:
        target = path or schema.path
        text = schema.text()
        if mode == "write":
            if not write_reported(str(target), text):
                return EXIT_USAGE
            continue
        try:
            current = target.read_text(encoding="utf-8")
            detail(f"read {target}")
        except (OSError, UnicodeDecodeError):
            current = None
        if current != text:
            click.echo(
                f"{target} is stale or missing: it differs from the schema the models "
                "generate.\nRegenerate it with: orgmodel schema --write",
                err=True,
            )
            status = EXIT_FAILED
        else:
            say(f"{target} is up to date.")
    return status
