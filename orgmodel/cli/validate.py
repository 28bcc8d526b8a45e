"""``orgmodel validate``: check documents against the format and its rules."""

from __future__ import annotations

import os

import click

from orgmodel import app
from orgmodel.app import STDIN_NAME, LoadRequest
from orgmodel.cli.common import (
    EXIT_OK,
    EXIT_USAGE,
    STDIO,
    detail,
    diagnostics_format,
    print_diagnostics,
    quiet,
    verbosity_options,
)
from orgmodel.diagnostics import Diagnostic, DocumentInvalid
from orgmodel.discover import find_documents


@click.command("validate")
@click.argument("files", nargs=-1, required=True, metavar="FILE|DIR...")
@diagnostics_format
@verbosity_options
def command(files: tuple[str, ...], fmt: str) -> int:
    """Validate documents: shape, unique ids, references, reporting cycles.

    Each argument is a JSON file, '-' for standard input, or a folder: every JSON file below
    it with a top-level "orgmodel" key (hidden folders, .git, .venv and node_modules are
    skipped; other JSON files are left alone). Every problem of every document is reported,
    each as file:line:col: $.json.path: message. Exit 0 when all documents are valid, 2 when
    any is invalid or unreadable, or a folder holds none.
    """
    problems: list[Diagnostic] = []
    names, folders = _expand(files, problems)
    diagnostics: list[Diagnostic] = []
    invalid: list[str] = []
    for name in names:
        found = _validate(name)
        diagnostics.extend(found)
        if found:
            invalid.append(name)
        detail(f"{'invalid' if found else 'valid'}: {STDIN_NAME if name == STDIO else name}")
    diagnostics.extend(problems)
    print_diagnostics(diagnostics, fmt)
    if not quiet():
        total = len(names)
        if diagnostics:
            click.echo(
                f"{len(invalid)} of {total} file(s) invalid, {len(diagnostics)} problem(s).",
                err=True,
            )
        else:
            click.echo(f"{total} file(s) valid.", err=True)
        if folders:
            for name in names:
                state = "invalid" if name in invalid else "valid"
                click.echo(f"  {state:7}  {STDIN_NAME if name == STDIO else name}", err=True)
    return EXIT_USAGE if diagnostics else EXIT_OK


def _expand(arguments: tuple[str, ...], problems: list[Diagnostic]) -> tuple[list[str], bool]:
    """The files to validate: the arguments, with every folder replaced by the documents
    below it (a folder without any adds a problem); and whether there was a folder."""
    out: list[str] = []
    folders = False
    for argument in arguments:
        if argument == STDIO or not os.path.isdir(argument):
            out.append(argument)
            continue
        folders = True
        before = len(out)
        for candidate in find_documents(argument):
            if candidate.document:
                out.append(candidate.path)
            else:
                detail(f"skipped {candidate.path}: {candidate.reason}")
        if len(out) == before:
            problems.append(
                Diagnostic(
                    argument,
                    None,
                    None,
                    None,
                    "usage",
                    "no orgmodel documents below this folder (JSON files with a top-level "
                    '"orgmodel" key)',
                )
            )
    if out.count(STDIO) > 1:
        problems.append(
            Diagnostic(
                STDIN_NAME, None, None, None, "usage", "standard input ('-') can be read only once"
            )
        )
        first = out.index(STDIO)
        out = [x for i, x in enumerate(out) if x != STDIO or i == first]
    return out, folders


def _validate(name: str) -> list[Diagnostic]:
    """The problems of one document (empty when it is valid), as every command sees them:
    shape, meaning and the rule codes of its settings."""
    try:
        app.load(LoadRequest((name,), with_config=False))
    except DocumentInvalid as exc:
        if not any(d.code == "io" for d in exc.diagnostics):
            detail(f"read {STDIN_NAME if name == STDIO else name}")
        return exc.diagnostics
    detail(f"read {STDIN_NAME if name == STDIO else name}")
    return []
