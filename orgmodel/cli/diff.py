"""``orgmodel diff``: what a proposed organization changes against the current one."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

import click

from orgmodel.cli.common import EXIT_OK, EXIT_USAGE, emit
from orgmodel.compare.diff import analyze_document, diff_documents
from orgmodel.compare.policy import known_codes
from orgmodel.config import Config, find_config, load_config
from orgmodel.diagnostics import Diagnostic, DocumentInvalid
from orgmodel.loader import load_document
from orgmodel.model import Document
from orgmodel.output import DIFF_FORMATS

__all__ = ["Loaded", "command", "load_documents", "resolve_config"]


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
            document = load_document(path)
        except DocumentInvalid as exc:
            problems.extend(exc.diagnostics)
            continue
        text = Path(path).read_text(encoding="utf-8-sig")
        loaded.append(Loaded(path, document, text))
    return loaded, problems


def resolve_config(path: str | None, documents: list[Loaded]
                   ) -> tuple[Config | None, str | None, list[Diagnostic]]:
    """The config of ``--config``, else the one found in the working directory; with the
    problems of the file and unknown rule codes in it and in the documents' settings."""
    found = path or (str(find_config()) if find_config() else None)
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
    """Print every problem and say that nothing was compared."""
    for d in problems:
        click.echo(str(d), err=True)
    click.echo(f"orgmodel {what}: not run: {len(problems)} problem(s) in the input; fix them "
               "and run again (nothing was compared, so this is no verdict).", err=True)


@click.command("diff")
@click.argument("current", type=click.Path(dir_okay=False))
@click.argument("proposed", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(list(DIFF_FORMATS)), default="text",
              show_default=True, help="markdown is ready to post as a pull-request comment.")
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Write the diff to this file instead of standard output.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False),
              help="TOML config (default: orgmodel.toml or [tool.orgmodel] in pyproject.toml "
                   "in the working directory, if there is one).")
def command(current: str, proposed: str, fmt: str, output: str | None,
            config_path: str | None) -> int:
    """Compare CURRENT with PROPOSED: structural changes by id, journey figures before and
    after, findings introduced and resolved.

    Exit 0 when the comparison ran (differences do not fail it: use `orgmodel check` for a
    gate), 2 when a document or the config is invalid or unreadable.
    """
    loaded, problems = load_documents(current, proposed)
    config, _, config_problems = resolve_config(config_path, loaded)
    problems += config_problems
    if problems:
        report_problems(problems, "diff")
        return EXIT_USAGE
    before, after = loaded
    reports = [analyze_document(x.document, config=config, source=x.path, text=x.text,
                                policy_from=before.document) for x in loaded]
    diff = diff_documents(before.document, reports[0], after.document, reports[1])
    return EXIT_OK if emit(DIFF_FORMATS[fmt](diff), output) else EXIT_USAGE
