"""Options and helpers shared by the commands."""

from __future__ import annotations

import json

import click

from orgmodel.diagnostics import Diagnostic, DocumentInvalid
from orgmodel.fileio import write_atomic
from orgmodel.loader import load_text, read_source
from orgmodel.model import Document

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


def load_or_report(path: str) -> tuple[Document, str] | None:
    """Load a document and return it with its text; print its problems and return None."""
    try:
        text = read_source(path)
        document = load_text(text, path)
    except DocumentInvalid as exc:
        for d in exc.diagnostics:
            click.echo(str(d), err=True)
        click.echo(f"{path}: not analyzed: {len(exc.diagnostics)} problem(s); "
                   "fix them and run again (orgmodel validate shows the same list).", err=True)
        return None
    return document, text


def emit(text: str, output: str | None) -> bool:
    """Print ``text`` or write it atomically to ``output``; False (with a message) on failure."""
    if output is None:
        click.echo(text, nl=False)
        return True
    try:
        write_atomic(output, text)
    except OSError as exc:
        click.echo(f"{output}: cannot write: {exc.strerror or exc}", err=True)
        return False
    click.echo(f"wrote {output}", err=True)
    return True
