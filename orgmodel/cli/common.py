"""Options and helpers shared by the commands."""

from __future__ import annotations

import difflib
import json
import os
from dataclasses import dataclass

import click

from orgmodel.compare.policy import known_codes
from orgmodel.config import Config, find_config, load_config
from orgmodel.diagnostics import Diagnostic, DocumentInvalid
from orgmodel.fileio import write_all_atomic, write_atomic
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


#: ``-o/--output`` of the commands that write one report.
output_option = click.option(
    "-o", "--output", type=click.Path(dir_okay=False),
    help="Write to this file (atomically) instead of standard output.",
)

#: ``--config`` of the commands that analyze.
config_option = click.option(
    "--config", "config_path", type=click.Path(dir_okay=False),
    help="TOML config: thresholds, rule settings and the check policy (default: orgmodel.toml, "
         ".orgmodel.toml or [tool.orgmodel] in pyproject.toml in the working directory).",
)


#: Large values the commands made, left for the end of the process (see :func:`keep_until_exit`).
_KEPT: list[object] = []


def keep_until_exit(*values: object) -> None:
    """Keep ``values`` referenced after the command returns.

    Run as a program, orgmodel leaves without freeing memory object by object (half a second
    for a million positions); run in-process (tests, other programs), ``main`` lets go of them
    when the command is done.
    """
    _KEPT.extend(values)


def release_kept() -> None:
    """Drop what :func:`keep_until_exit` kept."""
    _KEPT.clear()


def print_diagnostics(diagnostics: list[Diagnostic], fmt: str) -> None:
    """Print problems in the chosen format on standard output."""
    if fmt == "json":
        click.echo(json.dumps([d.to_dict() for d in diagnostics], indent=2))
    else:
        for d in diagnostics:
            click.echo(str(d))


def emit(text: str, output: str | None) -> bool:
    """Print ``text`` or write it atomically to ``output``; False (with a message) on failure."""
    if output is None:
        click.echo(text, nl=False)
        return True
    return write_reported(output, text)


def write_reported(path: str | os.PathLike[str], data: str | bytes, note: str = "") -> bool:
    """Write ``data`` atomically and say so on standard error; False (with a message) on
    failure."""
    try:
        write_atomic(path, data)
    except OSError as exc:
        click.echo(f"{path}: cannot write: {exc.strerror or exc}", err=True)
        return False
    click.echo(f"wrote {path}{note}", err=True)
    return True


def write_all_reported(items: list[tuple[str, str | bytes]]) -> bool:
    """Write every ``(path, data)`` so that all or none are replaced, and say so on standard
    error; False (with a message) on failure."""
    try:
        write_all_atomic(items)
    except OSError as exc:
        name = exc.filename or ", ".join(path for path, _ in items)
        click.echo(f"{name}: cannot write: {exc.strerror or exc}; nothing was written",
                   err=True)
        return False
    for path, _ in items:
        click.echo(f"wrote {path}", err=True)
    return True


@dataclass(frozen=True)
class Loaded:
    """A document read from a file, with its text and the name it was given by."""

    path: str
    document: Document
    text: str


def load_documents(*paths: str) -> tuple[list[Loaded], list[Diagnostic]]:
    """Load every file; return the documents and the problems of all of them together."""
    loaded, problems = [], []
    for path in paths:
        try:
            text = read_source(path)
            document = load_text(text, path)
        except DocumentInvalid as exc:
            problems.extend(exc.diagnostics)
            continue
        loaded.append(Loaded(path, document, text))
    keep_until_exit(*loaded)
    return loaded, problems


def resolve_config(path: str | None, documents: list[Loaded]
                   ) -> tuple[Config | None, str | None, list[Diagnostic]]:
    """The config of ``--config``, else the one found in the working directory; with the
    problems of the file and unknown rule codes in it and in the documents' settings."""
    discovered = None if path else find_config()
    found = path or (str(discovered) if discovered else None)
    if found is None:
        config = None
        problems: list[Diagnostic] = []
    else:
        try:
            config = load_config(found)
            problems = []
        except DocumentInvalid as exc:
            return None, found, exc.diagnostics
    codes = known_codes()
    for loaded in documents:
        problems += _unknown(loaded.path, loaded.document.settings.rules, ("settings", "rules"),
                             codes)
    if config is not None and found is not None:
        problems += _unknown(found, config.rules, ("rules",), codes)
        for i, waiver in enumerate(config.waivers):
            if waiver.code is not None:
                problems += _unknown(found, {waiver.code: None}, ("waivers", i, "code"), codes,
                                     keyed=False)
    return config, found, problems


def _unknown(source: str, rules: dict, where: tuple, codes: dict, keyed: bool = True
             ) -> list[Diagnostic]:
    out = []
    for code in rules:
        if code not in codes:
            hint = difflib.get_close_matches(code, sorted(codes), n=1)
            out.append(Diagnostic(source, None, None, (*where, code) if keyed else where,
                                  "shape", f"unknown rule code '{code}'"
                                  + (f" (did you mean '{hint[0]}'?)" if hint else "")))
    return out


def report_problems(problems: list[Diagnostic], what: str) -> None:
    """Print every problem and say that the command did not run (so gave no verdict)."""
    for d in problems:
        click.echo(str(d), err=True)
    click.echo(f"orgmodel {what}: not run: {len(problems)} problem(s) in the input; fix them "
               "and run again (nothing was analyzed, so this is no verdict).", err=True)
