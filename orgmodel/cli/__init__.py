"""orgmodel: organization design as code. Validate an org document, analyze where customer
journeys cross silo walls, draw it, and gate a reorganization in CI.

Start with `orgmodel validate FILE`, then `orgmodel analyze FILE`; `orgmodel COMMAND --help`
describes each command.

Exit codes (the same for every command):

\b
  0  success: the documents are valid, the analysis ran, the check passed
  1  a check failed: blocking findings or a regression (check), a stale file (--check)
  2  invalid or unreadable input, or a usage error; nothing is written
  3  internal error: a bug in orgmodel (run with --debug for the traceback)
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import os
import signal
import sys
import threading
from typing import Any

import click

from orgmodel import __version__

__all__ = ["COMMANDS", "cli", "main"]

EXIT_USAGE = 2  # as orgmodel.cli.common (not imported before a command runs)
EXIT_INTERNAL = 3

#: Every command: its name and the first sentences of its help (`--help` lists them by name). A
#: command's
#: module is imported only when it runs (or its own help is shown), so that `--version`
#: and `--help` load neither the document model nor the analyzers (a test compares the texts).
SUMMARIES: dict[str, str] = {
    "validate": "Validate documents: shape, unique ids, references, reporting cycles.",
    "analyze": "Analyze FILE ('-': standard input): where journeys cross silo walls, what it "
    "costs, structure health.",
    "diff": "Compare CURRENT with PROPOSED: structural changes by id, journey figures before "
    "and after, findings introduced and resolved.",
    "check": "Check PROPOSED against the policy, and against --baseline when given.",
    "rules": "Print the rules reference (Markdown): code, name, default severity, meaning.",
    "schema": "Print the JSON Schema NAME (default: document), or --write / --check the files.",
    "render": "Draw a view of FILE ('-': standard input) as DOT, Mermaid, SVG, PNG or PDF.",
    "report": "Write one self-contained HTML page about FILE ('-': standard input) to share.",
    "import": "Import an organization or its journeys from the files designers already have.",
    "export": "Write a document in another tool's format: `orgmodel export archimate`.",
    "calibrate": "Compare every journey of MODEL with the cases of the event log LOG that "
    "match it: waits, work, volume, the units and the order of the steps, and the "
    "handoffs the log shows that the model does not.",
}

#: The module and attribute of a command whose name is not a module name.
_MODULES = {"import": ("importers", "import_group"), "export": ("importers", "export_group")}


class _LazyGroup(click.Group):
    """A group that imports a command's module only when the command is used."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(SUMMARIES)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return command(cmd_name) if cmd_name in SUMMARIES else None

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        limit = formatter.width - 6 - max(map(len, SUMMARIES))
        rows = [
            (name, click.Command(name, help=text).get_short_help_str(limit))
            for name, text in sorted(SUMMARIES.items())
        ]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


def command(name: str) -> click.Command:
    """The command ``name`` (its module ``orgmodel.cli.<name>`` is imported on first use)."""
    module, attribute = _MODULES.get(name, (name, "command"))
    found: click.Command = getattr(importlib.import_module(f"orgmodel.cli.{module}"), attribute)
    return found


def __getattr__(name: str) -> tuple[click.Command, ...]:
    if name == "COMMANDS":  # every command, imported on first use
        return tuple(command(n) for n in SUMMARIES)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@click.group(cls=_LazyGroup, help=__doc__, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="orgmodel")
@click.option("--debug", is_flag=True, help="Show a traceback when orgmodel itself fails.")
def cli(debug: bool) -> None:
    # --debug is read by main() from the arguments, as it must work for any failure.
    del debug


class Terminated(BaseException):
    """Raised by SIGTERM, so that temporary files are removed on the way out."""


def _terminate(signum: int, frame: object) -> None:
    raise Terminated


def _on_sigterm() -> Any:
    """Turn SIGTERM into :class:`Terminated` (in the main thread); the previous handler."""
    if threading.current_thread() is not threading.main_thread():
        return None
    return signal.signal(signal.SIGTERM, _terminate)


def printable_streams() -> None:
    """Let standard output and error print any text: what their encoding cannot carry (a lone
    surrogate from a JSON escape, or any non-ASCII character on an ASCII terminal) is written
    as a backslash escape such as ``\\ud800`` instead of failing the command."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="backslashreplace")


def main(argv: list[str] | None = None) -> None:
    """Run the CLI and turn every failure into a message and a documented exit code."""
    args = sys.argv[1:] if argv is None else argv
    debug = "--debug" in args
    # One short run over data without reference cycles: the cyclic garbage collector would
    # only rescan the loaded document again and again (seconds for a million positions).
    gc_was_enabled = gc.isenabled()
    gc.disable()
    printable_streams()
    previous = _on_sigterm()
    try:
        code = cli.main(args=args, prog_name="orgmodel", standalone_mode=False)
    except click.exceptions.Exit as exc:
        code = exc.exit_code
    except click.ClickException as exc:
        exc.show()
        code = EXIT_USAGE if exc.exit_code == 2 else exc.exit_code
    except click.Abort:
        click.echo("Aborted.", err=True)
        code = 130
    except KeyboardInterrupt:
        click.echo("orgmodel: interrupted; no file was changed", err=True)
        code = 130
    except Terminated:
        code = 128 + signal.SIGTERM
    except BrokenPipeError:
        code = 0
    except Exception as exc:
        if debug:
            raise
        click.echo(
            f"orgmodel: internal error: {type(exc).__name__}: {exc}\n"
            "This is a bug in orgmodel; run again with --debug and report the traceback.",
            err=True,
        )
        code = EXIT_INTERNAL
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
        if gc_was_enabled:
            gc.enable()
    if argv is None:
        # As a program: leave without freeing a possibly huge document object by object.
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except (BrokenPipeError, ValueError):
            pass
        else:
            os._exit(code or 0)
    if "orgmodel.cli.common" in sys.modules:
        sys.modules["orgmodel.cli.common"].release_kept()
    sys.exit(code or 0)
