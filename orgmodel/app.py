"""The application layer: what each command does, as functions of typed requests.

The CLI parses options, calls one of these functions and prints what it returns; other
programs call them directly. Every function returns a typed result or raises
:class:`~orgmodel.diagnostics.DocumentInvalid` with every located problem of the input:

- :func:`load` reads and validates the documents (``-`` is standard input), finds and
  reads the config, and checks the rule codes and journey ids they name;
- :func:`analyze`, :func:`diff` and :func:`check` analyze, compare and judge loaded
  documents;
- :func:`render` draws a view.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, BinaryIO

from orgmodel.diagnostics import LOCATE_LIMIT, Diagnostic, DocumentInvalid
from orgmodel.loader import FILE_ADVICE, decode, load_text, read_bytes
from orgmodel.model import Document, RuleSetting
from orgmodel.suggest import Suggester, did_you_mean

# The analyzers, the comparison and the config are imported by the functions that use them:
# `orgmodel validate` needs only the model and the loader, and starts faster without them.
if TYPE_CHECKING:
    from orgmodel.analysis.report import Report
    from orgmodel.compare.diff import Diff
    from orgmodel.compare.policy import Analyzed, CheckResult
    from orgmodel.config import Config, FailOn
    from orgmodel.graph import Enterprise

__all__ = [
    "STDIN",
    "STDIN_NAME",
    "AnalyzeRequest",
    "CheckRequest",
    "ConfigFile",
    "DiffRequest",
    "LoadRequest",
    "Loaded",
    "Source",
    "analyze",
    "build",
    "check",
    "diff",
    "load",
]

#: The file name that means standard input.
STDIN = "-"
#: How standard input is named in messages.
STDIN_NAME = "<stdin>"


@dataclass(frozen=True)
class Source:
    """A document read from a file, with its text and the name it goes by in messages."""

    name: str
    document: Document
    text: str | None = None
    """Its text, to locate findings in it (None: findings have no line and column). A file
    larger than :data:`~orgmodel.diagnostics.LOCATE_LIMIT` keeps none unless it was loaded
    with ``keep_text``."""


@dataclass(frozen=True)
class ConfigFile:
    """The config in force and where it came from."""

    config: Config | None
    """The config, or None when there is none (the defaults apply)."""
    file: str | None = None
    """Its file, as given or as found."""
    given: bool = False
    """True when the file was given (``--config``), False when it was found."""


@dataclass(frozen=True)
class LoadRequest:
    """What to load: documents (``-``: standard input, at most once), the config file (None:
    look for one from the working directory up), journey ids the command will ask for."""

    paths: tuple[str, ...]
    config_path: str | None = None
    journeys: tuple[str, ...] = ()
    with_config: bool = True
    stdin: BinaryIO | None = None
    keep_text: bool = False
    """Keep the text of a document too large to locate findings in (a command that edits
    the file); otherwise it is let go once the document is loaded."""


@dataclass(frozen=True)
class Loaded:
    """Documents and config, all valid."""

    sources: tuple[Source, ...]
    config: ConfigFile = field(default_factory=lambda: ConfigFile(None))


def _read(path: str, stdin: BinaryIO | None) -> tuple[str, bytes, str]:
    """The name and bytes of a document, and what to do if they are not UTF-8; unreadable
    input raises :class:`DocumentInvalid`."""
    if path != STDIN:
        return path, read_bytes(path), FILE_ADVICE
    try:
        data = (stdin or sys.stdin.buffer).read()
    except (OSError, AttributeError, ValueError) as exc:
        raise DocumentInvalid(
            [Diagnostic(STDIN_NAME, None, None, None, "io", f"cannot be read: {exc}")]
        ) from None
    return STDIN_NAME, data, "give UTF-8 on standard input"


def load(request: LoadRequest) -> Loaded:
    """Read and validate every document and the config; every problem of all of them is
    raised together as :class:`DocumentInvalid`."""
    if request.paths.count(STDIN) > 1:
        raise DocumentInvalid(
            [
                Diagnostic(
                    STDIN_NAME,
                    None,
                    None,
                    None,
                    "usage",
                    "standard input ('-') can be read only once; give at most one document as '-'",
                )
            ]
        )
    sources, problems = [], []
    for path in request.paths:
        try:
            name, data, advice = _read(path, request.stdin)
            document = load_text(data, name, advice)
            # The bytes were valid UTF-8: pydantic's parser refuses any other.
            keep = request.keep_text or len(data) <= LOCATE_LIMIT
            sources.append(Source(name, document, decode(data, name, advice) if keep else None))
        except DocumentInvalid as exc:
            problems.extend(exc.diagnostics)
    config = ConfigFile(None)
    if request.with_config:
        config, found = _config(request.config_path)
        problems += found
    problems += _unknown_codes(sources, config)
    problems += _unknown_journeys(sources, request.journeys)
    if problems:
        raise DocumentInvalid(problems)
    return Loaded(tuple(sources), config)


def _config(path: str | None) -> tuple[ConfigFile, list[Diagnostic]]:
    from orgmodel.config import find_config, load_config

    found = path or (str(discovered) if (discovered := find_config()) else None)
    if found is None:
        return ConfigFile(None), []
    try:
        return ConfigFile(load_config(found), found, given=path is not None), []
    except DocumentInvalid as exc:
        return ConfigFile(None, found, given=path is not None), exc.diagnostics


def _unknown_codes(sources: Sequence[Source], config: ConfigFile) -> list[Diagnostic]:
    if not (
        any(s.document.settings.rules for s in sources)
        or (config.config is not None and (config.config.rules or config.config.waivers))
    ):
        return []  # nothing to check: do not load the rule registry
    from orgmodel.compare.policy import known_codes

    known = known_codes()
    codes = Suggester(known)
    out = []

    def check(file: str, code: str, where: tuple[str | int, ...]) -> None:
        if code not in known:
            out.append(
                Diagnostic(
                    file,
                    None,
                    None,
                    where,
                    "shape",
                    f"unknown rule code '{code}'{codes.hint(code)}",
                )
            )

    for source in sources:
        for code in source.document.settings.rules:
            check(source.name, code, ("settings", "rules", code))
    if config.config is not None and config.file is not None:
        for code in config.config.rules:
            check(config.file, code, ("rules", code))
        for i, waiver in enumerate(config.config.waivers):
            if waiver.code is not None:
                check(config.file, waiver.code, ("waivers", i, "code"))
    return out


def _unknown_journeys(sources: Sequence[Source], journeys: Sequence[str]) -> list[Diagnostic]:
    if not sources:
        return []
    known = {j.id for s in sources for j in s.document.journeys}
    return [
        Diagnostic(
            sources[0].name,
            None,
            None,
            None,
            "usage",
            f"--journey: unknown journey '{ident}'{did_you_mean(ident, known)}",
        )
        for ident in journeys
        if ident not in known
    ]


def build(document: Document, silo_level: int | None = None) -> Enterprise:
    """The enterprise index of ``document`` (silos at ``silo_level``, default the
    document's)."""
    from orgmodel.graph import build_enterprise

    return build_enterprise(document, silo_level)


@dataclass(frozen=True)
class AnalyzeRequest:
    """One document to analyze, with the config over its own settings; ``policy_from``
    analyzes it with another document's thresholds and rule settings instead (a proposal
    judged by its baseline's policy); ``journeys`` limits the journey analysis."""

    source: Source
    config: Config | None = None
    silo_level: int | None = None
    journeys: tuple[str, ...] | None = None
    policy_from: Document | None = None


_DEFAULT_RULE = RuleSetting()


def analyze(request: AnalyzeRequest) -> Report:
    """The analysis report of one document, as `orgmodel analyze` makes it."""
    from orgmodel.analysis.report import analyze as analyze_enterprise
    from orgmodel.config import merge_rules, merge_thresholds

    document, config = request.source.document, request.config
    settings = (request.policy_from or document).settings
    rules = merge_rules(settings.rules, config)
    return analyze_enterprise(
        build(document, request.silo_level),
        thresholds=merge_thresholds(settings.thresholds, config.thresholds if config else None),
        rules={code: rules.get(code, _DEFAULT_RULE) for code in {*rules, *document.settings.rules}},
        journeys=request.journeys,
        source=request.source.name,
        source_text=request.source.text,
    )


@dataclass(frozen=True)
class DiffRequest:
    """Two documents to compare, both analyzed by the baseline's policy and the config."""

    baseline: Source
    proposal: Source
    config: Config | None = None


def _pair(baseline: Source, proposal: Source, config: Config | None) -> tuple[Analyzed, Analyzed]:
    from orgmodel.compare.policy import Analyzed

    reports = [
        analyze(AnalyzeRequest(s, config, policy_from=baseline.document))
        for s in (baseline, proposal)
    ]
    return (
        Analyzed(baseline.name, baseline.document, reports[0], baseline.text),
        Analyzed(proposal.name, proposal.document, reports[1], proposal.text),
    )


def diff(request: DiffRequest) -> Diff:
    """What the proposal changes against the baseline, as `orgmodel diff` shows it."""
    from orgmodel.compare.diff import diff_documents

    old, new = _pair(request.baseline, request.proposal, request.config)
    return diff_documents(old.document, old.report, new.document, new.report)


@dataclass(frozen=True)
class CheckRequest:
    """A proposal to judge by the config's policy (``fail_on`` overrides it), against a
    baseline when given; ``today`` decides which waivers have expired."""

    proposal: Source
    baseline: Source | None = None
    config: ConfigFile = field(default_factory=lambda: ConfigFile(None))
    fail_on: FailOn | None = None
    today: date = field(default_factory=date.today)


def check(request: CheckRequest) -> CheckResult:
    """The verdict of `orgmodel check`."""
    from orgmodel.compare.policy import Analyzed, evaluate

    config = request.config.config
    if request.baseline is None:
        p = request.proposal
        new, old = Analyzed(p.name, p.document, analyze(AnalyzeRequest(p, config)), p.text), None
    else:
        old, new = _pair(request.baseline, request.proposal, config)
    return evaluate(
        new,
        old,
        config=config,
        config_file=request.config.file,
        fail_on=request.fail_on,
        today=request.today,
    )
