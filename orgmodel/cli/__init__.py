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

Environment: ORGMODEL_JOBS=1 keeps the analysis of a large document in one process (on
Linux it otherwise uses a second one; the results are the same).
"""

from __future__ import annotations

import gc
import os
import sys

import click

from orgmodel import __version__
from orgmodel.cli import analyze as analyze_cmd
from orgmodel.cli import check as check_cmd
from orgmodel.cli import diff as diff_cmd
from orgmodel.cli import render as render_cmd
from orgmodel.cli import report as report_cmd
from orgmodel.cli import rules as rules_cmd
from orgmodel.cli import schema as schema_cmd
from orgmodel.cli import validate as validate_cmd
from orgmodel.cli.common import EXIT_INTERNAL, EXIT_USAGE, release_kept

__all__ = ["COMMANDS", "cli", "main"]


@click.group(help=__doc__, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="orgmodel")
@click.option("--debug", is_flag=True, help="Show a traceback when orgmodel itself fails.")
def cli(debug: bool) -> None:
    # --debug is read by main() from the arguments, as it must work for any failure.
    del debug


#: Every command, registered here once.
COMMANDS: tuple[click.Command, ...] = (
    validate_cmd.command,
    analyze_cmd.command,
    diff_cmd.command,
    check_cmd.command,
    rules_cmd.command,
    schema_cmd.command,
    render_cmd.command,
    report_cmd.command,
)
for _command in COMMANDS:
    cli.add_command(_command)


def main(argv: list[str] | None = None) -> None:
    """Run the CLI and turn every failure into a message and a documented exit code."""
    args = sys.argv[1:] if argv is None else argv
    debug = "--debug" in args
    # One short run over data without reference cycles: the cyclic garbage collector would
    # only rescan the loaded document again and again (seconds for a million positions).
    gc_was_enabled = gc.isenabled()
    gc.disable()
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
        code = 130
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
    release_kept()
    sys.exit(code or 0)
