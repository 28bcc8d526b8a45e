"""``orgmodel validate``: check documents against the format and its rules."""

from __future__ import annotations

import click

from orgmodel.cli.common import EXIT_OK, EXIT_USAGE, diagnostics_format, print_diagnostics
from orgmodel.loader import validate_file


@click.command("validate")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=True))
@diagnostics_format
@click.option("-q", "--quiet", is_flag=True, help="Print problems only, no summary.")
def command(files: tuple[str, ...], fmt: str, quiet: bool) -> int:
    """Validate FILES: shape, unique ids, references, reporting cycles.

    Every problem of every file is reported, each as file:line:col: $.json.path: message.
    Exit 0 when all files are valid, 2 when any is invalid or unreadable.
    """
    diagnostics = []
    invalid = 0
    for name in files:
        found = validate_file(name)
        diagnostics.extend(found)
        invalid += bool(found)
    print_diagnostics(diagnostics, fmt)
    if not quiet:
        total = len(files)
        if invalid:
            click.echo(
                f"{invalid} of {total} file(s) invalid, {len(diagnostics)} problem(s).", err=True
            )
        else:
            click.echo(f"{total} file(s) valid.", err=True)
    return EXIT_USAGE if invalid else EXIT_OK
