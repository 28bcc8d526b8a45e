"""Options and helpers shared by the commands."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from typing import TypeVar

import click

from orgmodel import app
from orgmodel.app import STDIN, Loaded, LoadRequest
from orgmodel.diagnostics import Diagnostic, DocumentInvalid
from orgmodel.fileio import write_all_atomic, write_atomic
from orgmodel.textsafe import one_line

_F = TypeVar("_F", bound=Callable[..., object])

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3

#: The file name that means standard input (as FILE) or standard output (as ``-o``).
STDIO = STDIN

#: ``--format`` for commands that print diagnostics.
diagnostics_format = click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: one line per problem, file:line:col: $.path: message; json: a list of objects.",
)


#: ``-o/--output`` of the commands that write one report. A plain string, not ``click.Path``:
#: click would reject an existing folder or an unreadable file with a usage banner before the
#: command could report it as a located message.
output_option = click.option(
    "-o",
    "--output",
    metavar="FILE",
    help="Write to this file (atomically) instead of standard output; '-' is standard output.",
)

#: ``--config`` of the commands that analyze.
config_option = click.option(
    "--config",
    "config_path",
    metavar="FILE",
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
        "-v",
        "--verbose",
        is_flag=True,
        expose_value=False,
        callback=_set_verbosity,
        help="Also name the config file used and every file read.",
    )(command)
    return click.option(
        "-q",
        "--quiet",
        is_flag=True,
        expose_value=False,
        callback=_set_verbosity,
        help="Print only problems and the result: no summary, no 'wrote ...' lines.",
    )(command)


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
    """A summary or progress line on standard error; left out under ``-q``. Control
    characters (from names, ids, file names in it) are escapes: it stays one line."""
    if not quiet():
        click.echo(one_line(message), err=True)


def detail(message: str) -> None:
    """A line on standard error only under ``-v`` (escaped as :func:`say`)."""
    if verbose():
        click.echo(one_line(message), err=True)


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
            click.echo(one_line(str(d)))


def emit(text: str, output: str | None) -> bool:
    """Print ``text``, or write it atomically to ``output`` (``-``: standard output); False
    (with a message) on failure."""
    if output is None or output == STDIO:
        click.echo(text, nl=False)
        return True
    return write_reported(output, text)


def write_reported(path: str, data: str | bytes, note: str = "") -> bool:
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


def write_all_reported(
    items: list[tuple[str, str | bytes]], notes: dict[str, str] | None = None
) -> bool:
    """Write every ``(path, data)`` so that all files or none are replaced (``-``, standard
    output, after them), and say so on standard error (not under ``-q``), with the note of
    ``notes`` for a path; False (with a message) on failure."""
    files = [(path, data) for path, data in items if path != STDIO]
    try:
        write_all_atomic(files)
    except OSError as exc:
        name = exc.filename or ", ".join(path for path, _ in files)
        click.echo(f"{name}: cannot write: {exc.strerror or exc}; nothing was written", err=True)
        return False
    for path, data in items:
        if path == STDIO:
            write_reported(path, data)
        else:
            say(f"wrote {path}{(notes or {}).get(path, '')}")
    return True


def load_or_report(
    request: LoadRequest, what: str, also: Callable[[list[Diagnostic]], None] | None = None
) -> Loaded | None:
    """:func:`orgmodel.app.load`, saying under ``-v`` what was read and which config is in
    force; None after printing every problem (and passing them to ``also``, e.g. for
    annotations): the command then exits 2."""
    try:
        loaded = app.load(request)
    except DocumentInvalid as exc:
        if also is not None:
            also(exc.diagnostics)
        report_problems(exc.diagnostics, what)
        return None
    for source in loaded.sources:
        detail(f"read {source.name}")
    if request.with_config:
        found = loaded.config
        if found.file is not None:
            detail(f"config: {found.file}" + (" (from --config)" if found.given else ""))
        else:
            detail(
                "config: no config file found (from the working directory up to the "
                "repository root); using the defaults"
            )
    keep_until_exit(loaded)
    return loaded


def report_problems(problems: list[Diagnostic], what: str) -> None:
    """Print every problem and say that the command did not run (so gave no verdict)."""
    for d in problems:
        click.echo(one_line(str(d)), err=True)
    say(
        f"orgmodel {what}: not run: {len(problems)} problem(s) in the input; fix them and run "
        "again (nothing was analyzed, so this is no verdict)."
    )
