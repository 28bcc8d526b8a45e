"""Options and helpers shared by the commands."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import click

from orgmodel.compare.policy import known_codes
from orgmodel.config import Config, find_config, load_config
from orgmodel.diagnostics import Diagnostic, DocumentInvalid
from orgmodel.fileio import write_all_atomic, write_atomic
from orgmodel.loader import load_text, read_source
from orgmodel.model import Document
from orgmodel.suggest import did_you_mean

_F = TypeVar("_F", bound=Callable[..., object])

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3

#: The file name that means standard input (as FILE) or standard output (as ``-o``).
STDIO = "-"
#: How standard input is named in messages.
STDIN_NAME = "<stdin>"

#: ``--format`` for commands that print diagnostics.
diagnostics_format = click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
    help="text: one line per problem, file:line:col: $.path: message; json: a list of objects.",
)


#: ``-o/--output`` of the commands that write one report. A plain string, not ``click.Path``:
#: click would reject an existing folder or an unreadable file with a usage banner before the
#: command could report it as a located message.
output_option = click.option(
    "-o", "--output", metavar="FILE",
    help="Write to this file (atomically) instead of standard output; '-' is standard output.",
)

#: ``--config`` of the commands that analyze.
config_option = click.option(
    "--config", "config_path", metavar="FILE",
    help="TOML config: thresholds, rule settings and the check policy (default: the first "
         "orgmodel.toml, .orgmodel.toml or pyproject.toml with [tool.orgmodel] in the working "
         "directory or a parent, up to the repository root).",
)

_VERBOSITY = "orgmodel.verbosity"


def _set_verbosity(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if not value:
        return
    level = -1 if param.name == "quiet" else 1
    if ctx.meta.get(_VERBOSITY, level) != level:
        raise click.UsageError("-q/--quiet and -v/--verbose cannot be used together", ctx)
    ctx.meta[_VERBOSITY] = level


def verbosity_options(command: _F) -> _F:
    """``-q/--quiet`` and ``-v/--verbose``, the same on every command.

    Quiet prints only problems and the result (no "wrote ..." and no summary lines); verbose
    also names the config file used and the files read. Read with :func:`quiet` and
    :func:`verbose`; the command function does not receive them.
    """
    command = click.option(
        "-v", "--verbose", is_flag=True, expose_value=False, callback=_set_verbosity,
        help="Also name the config file used and every file read.")(command)
    return click.option(
        "-q", "--quiet", is_flag=True, expose_value=False, callback=_set_verbosity,
        help="Print only problems and the result: no summary, no 'wrote ...' lines.")(command)


def _verbosity() -> int:
    ctx = click.get_current_context(silent=True)
    return 0 if ctx is None else int(ctx.meta.get(_VERBOSITY, 0))


def quiet() -> bool:
    """True under ``-q``."""
    return _verbosity() < 0


def verbose() -> bool:
    """True under ``-v``."""
    return _verbosity() > 0


def say(message: str) -> None:
    """A summary or progress line on standard error; left out under ``-q``."""
    if not quiet():
        click.echo(message, err=True)


def detail(message: str) -> None:
    """A line on standard error only under ``-v``."""
    if verbose():
        click.echo(message, err=True)


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
    """Print ``text``, or write it atomically to ``output`` (``-``: standard output); False
    (with a message) on failure."""
    if output is None or output == STDIO:
        click.echo(text, nl=False)
        return True
    return write_reported(output, text)


def write_reported(path: str | os.PathLike[str], data: str | bytes, note: str = "") -> bool:
    """Write ``data`` atomically and say so on standard error (not under ``-q``); ``-`` is
    standard output. False (with a message) on failure."""
    if os.fspath(path) == STDIO:
        if isinstance(data, bytes):
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
        else:
            click.echo(data, nl=False)
        return True
    try:
        write_atomic(path, data)
    except OSError as exc:
        click.echo(f"{path}: cannot write: {exc.strerror or exc}", err=True)
        return False
    say(f"wrote {path}{note}")
    return True


def write_all_reported(items: list[tuple[str, str | bytes]]) -> bool:
    """Write every ``(path, data)`` so that all files or none are replaced (``-``, standard
    output, after them), and say so on standard error (not under ``-q``); False (with a
    message) on failure."""
    files = [(path, data) for path, data in items if path != STDIO]
    try:
        write_all_atomic(files)
    except OSError as exc:
        name = exc.filename or ", ".join(path for path, _ in files)
        click.echo(f"{name}: cannot write: {exc.strerror or exc}; nothing was written",
                   err=True)
        return False
    for path, data in items:
        if path == STDIO:
            write_reported(path, data)
        else:
            say(f"wrote {path}")
    return True


@dataclass(frozen=True)
class Loaded:
    """A document read from a file, with its text and the name it was given by."""

    path: str
    document: Document
    text: str


def read_input(path: str) -> tuple[str, str]:
    """The name (``<stdin>`` for ``-``) and text of a document; unreadable input raises
    :class:`DocumentInvalid` with a located message."""
    if path != STDIO:
        text = read_source(path)
        detail(f"read {path}")
        return path, text
    try:
        data = sys.stdin.buffer.read()
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentInvalid([Diagnostic(
            STDIN_NAME, None, None, None, "io",
            f"not UTF-8 text (byte {exc.start}); give UTF-8 on standard input")]) from None
    except (OSError, AttributeError, ValueError) as exc:
        raise DocumentInvalid([Diagnostic(STDIN_NAME, None, None, None, "io",
                                          f"cannot be read: {exc}")]) from None
    detail(f"read {STDIN_NAME}")
    return STDIN_NAME, text


def load_documents(*paths: str) -> tuple[list[Loaded], list[Diagnostic]]:
    """Load every file (``-``: standard input, at most once); return the documents and the
    problems of all of them together."""
    loaded, problems = [], []
    if paths.count(STDIO) > 1:
        return [], [Diagnostic(STDIN_NAME, None, None, None, "usage",
                               "standard input ('-') can be read only once; give at most one "
                               "document as '-'")]
    for path in paths:
        try:
            name, text = read_input(path)
            document = load_text(text, name)
        except DocumentInvalid as exc:
            problems.extend(exc.diagnostics)
            continue
        loaded.append(Loaded(name, document, text))
    keep_until_exit(*loaded)
    return loaded, problems


def resolve_config(path: str | None, documents: list[Loaded]
                   ) -> tuple[Config | None, str | None, list[Diagnostic]]:
    """The config of ``--config``, else the one :func:`find_config` finds from the working
    directory up; with the problems of the file and unknown rule codes in it and in the
    documents' settings. Under ``-v`` says which file it is."""
    discovered = None if path else find_config()
    found = path or (str(discovered) if discovered else None)
    if path:
        detail(f"config: {path} (from --config)")
    elif found:
        detail(f"config: {found}")
    else:
        detail("config: no config file found (from the working directory up to the "
               "repository root); using the defaults")
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
            out.append(Diagnostic(source, None, None, (*where, code) if keyed else where,
                                  "shape", f"unknown rule code '{code}'"
                                  + did_you_mean(code, codes)))
    return out


def report_problems(problems: list[Diagnostic], what: str) -> None:
    """Print every problem and say that the command did not run (so gave no verdict)."""
    for d in problems:
        click.echo(str(d), err=True)
    say(f"orgmodel {what}: not run: {len(problems)} problem(s) in the input; fix them and run "
        "again (nothing was analyzed, so this is no verdict).")
