"""Options and helpers shared by the commands."""

from __future__ import annotations

import json

import click

from orgmodel.diagnostics import Diagnostic

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3

#: ``--format`` for commands that print diagnostics.
diagnostics_format = click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
    help="text: one line per problem, file:line:col: $.path: message; json: a list of objects.",
)


def print_diagnostics(diagnostics: list[Diagnostic], fmt: str) -> None:
    """Print problems in the chosen format on standard output."""
    if fmt == "json":
        click.echo(json.dumps([d.to_dict() for d in diagnostics], indent=2))
    else:
        for d in diagnostics:
            click.echo(str(d))
