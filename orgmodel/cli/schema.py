"""``orgmodel schema``: print, write or check the published JSON Schema."""

from __future__ import annotations

from pathlib import Path

import click

from orgmodel.cli.common import EXIT_FAILED, EXIT_OK, EXIT_USAGE
from orgmodel.fileio import write_atomic
from orgmodel.schema import SCHEMA_PATH, schema_text


@click.command("schema")
@click.option("--check", "mode", flag_value="check",
              help="Exit 1 when the schema file differs from the one the models generate.")
@click.option("--write", "mode", flag_value="write", help="Write the schema file.")
@click.option("--path", "path", type=click.Path(dir_okay=False, path_type=Path),
              default=SCHEMA_PATH, show_default=True,
              help="The schema file for --check and --write.")
def command(mode: str | None, path: Path) -> int:
    """Print the JSON Schema of the document format (draft 2020-12).

    With --write, write it to the schema file; with --check, compare it with that file.
    """
    text = schema_text()
    if mode is None:
        click.echo(text, nl=False)
        return EXIT_OK
    if mode == "write":
        try:
            write_atomic(path, text)
        except OSError as exc:
            click.echo(f"{path}: cannot write: {exc.strerror or exc}", err=True)
            return EXIT_USAGE
        click.echo(f"wrote {path}", err=True)
        return EXIT_OK
    try:
        current = path.read_text(encoding="utf-8")
    except OSError:
        current = None
    if current != text:
        click.echo(
            f"{path} is stale or missing: it differs from the schema the models generate.\n"
            "Regenerate it with: orgmodel schema --write",
            err=True,
        )
        return EXIT_FAILED
    click.echo(f"{path} is up to date.", err=True)
    return EXIT_OK
