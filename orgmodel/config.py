"""The orgmodel config file: analysis settings and the policy of ``orgmodel check``.

One TOML file, ``orgmodel.toml`` (or the ``[tool.orgmodel]`` table of ``pyproject.toml``),
read into one model, :class:`Config`. Every field has a documented default, so an empty
file (or none at all) is a complete policy. Its JSON Schema is published as
``schemas/config.schema.json``. Example::

    fail_on = "error"                  # error | warning | info | never

    [thresholds]
    flow_efficiency_min = 0.1

    [rules.S01]
    enabled = false

    [ratchet]
    figures = ["crossings", "uncovered_crossings", "waiting_at_handoffs", "lead_time"]
    findings = "introduced"            # introduced | all

    [ratchet.tolerances]
    lead_time = "10%"                  # relative to the baseline
    waiting_at_handoffs = "4h"         # absolute, in the figure's unit

    [[waivers]]
    fingerprint = "3f2a9c0d11e4b7a8"
    reason = "Billing moves to the segment teams in phase 2"
    expires = 2025-06-30
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from datetime import date
from enum import Enum
from functools import lru_cache
from pathlib import Path

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

from orgmodel.analysis.figures import FIGURES, NETWORK_FIGURES, Figure, FigureKind, NetworkFigure
from orgmodel.diagnostics import Diagnostic, DocumentInvalid
from orgmodel.durations import parse_duration
from orgmodel.loader import shape_problems
from orgmodel.model import RuleSetting, Severity, Thresholds
from orgmodel.suggest import did_you_mean

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

__all__ = [
    "CONFIG_NAMES",
    "DEFAULT_RATCHET_FIGURES",
    "Config",
    "FailOn",
    "FindingsScope",
    "Ratchet",
    "Tolerance",
    "Waiver",
    "find_config",
    "load_config",
    "merge_rules",
    "merge_thresholds",
    "parse_tolerance",
    "waiver_places",
]

#: Files looked for in each folder from the working directory up to the repository root when
#: no ``--config`` is given, in this order (see :func:`find_config`).
CONFIG_NAMES = ("orgmodel.toml", ".orgmodel.toml", "pyproject.toml")

#: The figures the ratchet holds by default: the customer's view of a journey.
DEFAULT_RATCHET_FIGURES = (
    Figure.HANDOFFS,
    Figure.CROSSINGS,
    Figure.UNCOVERED_CROSSINGS,
    Figure.CUSTOMER_HANDOFFS,
    Figure.WAITING_AT_HANDOFFS,
    Figure.LEAD_TIME,
)


#: The network figures a ratchet can hold (and give a tolerance).
_NETWORK_TOLERANCES = [f.value for f, d in NETWORK_FIGURES.items() if d.better is not None]


def _figure(name: str) -> Figure | NetworkFigure:
    return NetworkFigure(name) if name in _NETWORK_TOLERANCES else Figure(name)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class FailOn(str, Enum):
    """The lowest severity that fails a check; `never` makes the check report only."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"
    NEVER = "never"

    def fails(self, severity: Severity) -> bool:
        """True when a blocking finding of ``severity`` fails the check."""
        order = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
        limit = {FailOn.ERROR: 0, FailOn.WARNING: 1, FailOn.INFO: 2, FailOn.NEVER: -1}[self]
        return order[severity] <= limit


class FindingsScope(str, Enum):
    """Which findings of the proposal count against `fail_on` when there is a baseline."""

    INTRODUCED = "introduced"
    """Only findings the baseline did not have (matched by fingerprint)."""
    ALL = "all"
    """Every finding of the proposal, old or new."""


@dataclass(frozen=True)
class Tolerance:
    """How much worse a figure may get before it counts as a regression."""

    absolute: float = 0.0
    """Allowed worsening in the figure's unit (seconds for durations)."""
    relative: float = 0.0
    """Allowed worsening as a fraction of the baseline value."""
    text: str = "0"
    """As written in the config."""

    def allows(self, before: float) -> float:
        """The allowed worsening from ``before``."""
        return max(self.absolute, self.relative * abs(before))


_PERCENT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*%\s*$")


def parse_tolerance(figure: Figure | NetworkFigure, value: float | str) -> Tolerance:
    """Read a tolerance: a number in the figure's unit, a duration for duration figures
    (`4h`), or a percentage of the baseline value (`10%`). Raise ValueError otherwise."""
    kind = FIGURES[figure].kind if isinstance(figure, Figure) else FigureKind.COUNT
    if isinstance(value, bool):
        raise ValueError(f"{figure.value}: a tolerance is a number or a string, not {value}")
    if isinstance(value, str):
        match = _PERCENT.match(value)
        if match:
            return Tolerance(relative=float(match.group(1)) / 100, text=value.strip())
        if kind in (FigureKind.DURATION, FigureKind.HOURS_PER_PERIOD):
            return Tolerance(absolute=float(parse_duration(value)), text=value.strip())
        raise ValueError(
            f"{figure.value}: {value!r} is not a tolerance; write a number"
            f"{' or a duration' if kind is FigureKind.DURATION else ''} "
            "or a percentage such as '10%'"
        )
    if value < 0:
        raise ValueError(f"{figure.value}: a tolerance cannot be negative")
    if kind is FigureKind.RATIO and value > 1:
        raise ValueError(
            f"{figure.value}: a ratio tolerance is a fraction, e.g. 0.02 for 2 percentage points"
        )
    return Tolerance(absolute=float(value), text=f"{value:g}")


class Ratchet(_Model):
    """What `orgmodel check --baseline` holds fixed: no journey may get worse."""

    figures: list[Figure] = Field(
        default_factory=lambda: list(DEFAULT_RATCHET_FIGURES),
        json_schema_extra={"default": [f.value for f in DEFAULT_RATCHET_FIGURES]},
    )
    """Figures compared per journey between baseline and proposal; a journey that gets worse
    on one of them beyond its tolerance fails the check (P01). Default: handoffs, crossings,
    uncovered_crossings, customer_handoffs, waiting_at_handoffs, lead_time. `[]` turns the
    figure ratchet off."""
    network: list[NetworkFigure] = Field(default_factory=list)
    """Figures of the handover network that may not get worse (P05): `ei_index` (over all
    handoffs) and `silo_ei_index` (of each silo in both documents); higher is worse. Default
    `[]`: off, since removing handoffs inside a silo raises its E-I index too (see
    docs/metrics.md). `top_betweenness` has no direction of worse and cannot be held."""
    tolerances: dict[str, float | str] = Field(
        default_factory=dict,
        json_schema_extra={
            "propertyNames": {"enum": [*(f.value for f in Figure), *_NETWORK_TOLERANCES]}
        },
    )
    """Per figure, how much worse it may get: a number in the figure's unit (`1` crossing,
    `0.02` = 2 percentage points of flow efficiency, `0.1` of an E-I index), a duration for
    durations (`"4h"`), or a percentage of the baseline value (`"10%"`). Default: 0 for every
    figure."""

    @field_validator("network")
    @classmethod
    def _check_network(cls, network: list[NetworkFigure]) -> list[NetworkFigure]:
        for figure in network:
            if NETWORK_FIGURES[figure].better is None:
                raise ValueError(
                    f"'{figure.value}' has no direction of worse and cannot be held; "
                    f"network figures: {', '.join(_NETWORK_TOLERANCES)}"
                )
        return network

    findings: FindingsScope = FindingsScope.INTRODUCED
    """With a baseline, which findings count against `fail_on`: `introduced` (only those the
    baseline did not have) or `all`. Without a baseline every finding counts."""
    allow_removed_journeys: bool = False
    """`false`: a journey of the baseline that is missing from the proposal fails the check
    (P02), so a journey cannot escape the ratchet by being deleted."""

    @field_validator("tolerances")
    @classmethod
    def _check_tolerances(cls, tolerances: dict[str, float | str]) -> dict[str, float | str]:
        names = [f.value for f in Figure] + _NETWORK_TOLERANCES
        problems = []
        for name, value in tolerances.items():
            if name not in names:
                hint = did_you_mean(name, names)
                problems.append(
                    f"unknown figure '{name}'" + (hint or f"; figures: {', '.join(names)}")
                )
                continue
            try:
                parse_tolerance(_figure(name), value)
            except ValueError as exc:
                problems.append(str(exc))
        if problems:
            raise ValueError("; ".join(problems))
        return tolerances

    def tolerance(self, figure: Figure | NetworkFigure) -> Tolerance:
        """The tolerance of ``figure`` (0 when none is configured)."""
        value = self.tolerances.get(figure.value)
        return Tolerance() if value is None else parse_tolerance(figure, value)


class Waiver(_Model):
    """Accepts a finding for a reason, optionally until a date.

    A waiver names either one finding by its `fingerprint` (shown in every check output), or
    a rule `code` with an optional `path` glob over the finding's JSONPath. A waived finding is
    still reported but never fails the check. A waiver that matches nothing is reported (P04);
    an expired one fails the check (P03) and waives nothing.
    """

    fingerprint: str | None = Field(default=None, pattern=r"^[0-9a-f]{16}$")
    """The finding's fingerprint (16 hex digits), e.g. `3f2a9c0d11e4b7a8`."""
    code: str | None = Field(default=None, pattern=r"^[A-Z]+[0-9]+$")
    """A rule code, e.g. `J06`: waives every finding of that rule (narrowed by `path`)."""
    path: str | None = None
    """With `code`: a glob over the finding's JSONPath, where `*` matches any characters, `?`
    one character, and everything else itself (brackets too), e.g. `$.journeys[*]` or
    `$.journeys[2].steps*`. Default: any path."""
    reason: str = Field(min_length=1)
    """Why the finding is accepted; shown next to it in every output."""
    expires: date | None = None
    """Last day the waiver applies (`2025-06-30`); after it the check fails until the waiver
    is renewed or removed. Default: never expires."""

    _place: tuple[int, int] | None = PrivateAttr(default=None)

    @property
    def place(self) -> tuple[int, int] | None:
        """(line, column) of the waiver in its config file, when read from one: its
        `[[waivers]]` header, or the `waivers` key of an inline array."""
        return self._place

    @model_validator(mode="after")
    def _one_target(self) -> Waiver:
        if (self.fingerprint is None) == (self.code is None):
            raise ValueError("a waiver needs exactly one of 'fingerprint' or 'code'")
        if self.path is not None and self.code is None:
            raise ValueError("'path' narrows a 'code' waiver; a fingerprint names one finding")
        return self

    def matches(self, code: str, path: str, fingerprint: str) -> bool:
        """True when this waiver names the finding."""
        if self.fingerprint is not None:
            return self.fingerprint == fingerprint
        return self.code == code and (self.path is None or _glob_match(self.path, path))

    def expired(self, today: date) -> bool:
        """True after the expiry day."""
        return self.expires is not None and today > self.expires

    def target(self) -> str:
        """What the waiver names, for messages: `fingerprint 3f2a...` or `J06 at $.x*`."""
        if self.fingerprint is not None:
            return f"fingerprint {self.fingerprint}"
        return f"{self.code}" + (f" at {self.path}" if self.path else "")


class Config(_Model):
    """An orgmodel config file (`orgmodel.toml`, or `[tool.orgmodel]` in `pyproject.toml`)."""

    model_config = ConfigDict(title="orgmodel config")

    thresholds: Thresholds | None = None
    """Threshold overrides; unset ones keep the document's value (see the document schema
    for their defaults)."""
    rules: dict[str, RuleSetting] = Field(default_factory=dict)
    """Per rule code (`J01`, `S01`, `P04` ...): `severity` override or `enabled = false`.
    Overrides the document's `settings.rules`."""
    fail_on: FailOn = FailOn.ERROR
    """`orgmodel check`: the lowest severity of a blocking finding that fails the check:
    `error` (default), `warning`, `info`, or `never` (report only). Ratchet regressions (P01,
    P02) and expired waivers (P03) are errors."""
    ratchet: Ratchet = Field(default_factory=Ratchet)
    """`orgmodel check --baseline`: what may not get worse."""
    waivers: list[Waiver] = Field(default_factory=list)
    """Accepted findings, each with a reason and an optional expiry date."""


@lru_cache(maxsize=256)
def _glob_parts(pattern: str) -> tuple[re.Pattern[str], ...]:
    """The pieces of a path glob between its ``*``, each a regular expression of fixed
    length (``?`` one character, the rest literal)."""
    return tuple(
        re.compile("".join("." if ch == "?" else re.escape(ch) for ch in piece), re.DOTALL)
        for piece in pattern.split("*")
    )


def _glob_match(pattern: str, text: str) -> bool:
    """Whether the path glob ``pattern`` (``*`` any characters, ``?`` one, the rest literal)
    matches all of ``text``.

    Without backtracking: the first piece must match at the start and the last at the end;
    each piece between two ``*`` is taken at its leftmost place after the previous one,
    which is always right, as the ``*`` on both sides absorb the rest.
    """
    pieces = _glob_parts(pattern)
    first, last = pieces[0], pieces[-1]
    if len(pieces) == 1:
        return first.fullmatch(text) is not None
    head = first.match(text)
    if head is None:
        return False
    start = head.end()
    end = len(text) - len(pattern) + 1 + pattern.rindex("*")  # where the last piece starts
    if end < start or last.fullmatch(text, end) is None:
        return False
    for piece in pieces[1:-1]:
        found = piece.search(text, start, end)
        if found is None:
            return False
        start = found.end()
    return True


def find_config(directory: str | Path = ".") -> Path | None:
    """The config file that applies in ``directory``, found as ruff finds its own.

    Look in ``directory``, then in each parent up to the repository root (the first folder
    with a ``.git`` entry; the filesystem root outside a repository), and take in the first
    folder that has one: ``orgmodel.toml``, ``.orgmodel.toml``, or a ``pyproject.toml`` with a
    ``[tool.orgmodel]`` table. None when there is none. The path is relative to the working
    directory when ``directory`` is relative, else absolute.
    """
    start = Path(directory)
    here = start.resolve()
    for folder in (here, *here.parents):
        found = _config_in(folder)
        if found is not None:
            return found if start.is_absolute() else Path(os.path.relpath(found))
        if (folder / ".git").exists():
            return None
    return None


def _config_in(folder: Path) -> Path | None:
    """The config file in ``folder`` itself, in the order of :data:`CONFIG_NAMES`."""
    for name in CONFIG_NAMES:
        path = folder / name
        if not path.is_file():
            continue
        if name != "pyproject.toml":
            return path
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            return path  # let load_config report the problem
        if isinstance(raw.get("tool"), dict) and "orgmodel" in raw["tool"]:
            return path
    return None


def load_config(path: str | Path) -> Config:
    """Read a config file; raise :class:`DocumentInvalid` listing every problem."""
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise DocumentInvalid(
            [
                Diagnostic(
                    str(path), None, None, None, "io", f"cannot read config: {exc.strerror or exc}"
                )
            ]
        ) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise DocumentInvalid(
            [Diagnostic(str(path), None, None, None, "toml", f"invalid TOML: {exc}")]
        ) from None
    except RecursionError:
        raise DocumentInvalid(
            [Diagnostic(str(path), None, None, None, "toml", "invalid TOML: nested too deeply")]
        ) from None
    where: tuple[str, ...] = ()
    if path.name == "pyproject.toml":
        tool = raw.get("tool")
        raw = tool.get("orgmodel", {}) if isinstance(tool, dict) else {}
        where = ("tool", "orgmodel")
    try:
        config = Config.model_validate(raw)
    except ValidationError as exc:
        raise DocumentInvalid(
            [
                Diagnostic(str(path), None, None, (*where, *place), code, message)
                for place, code, message, _ in shape_problems(exc, raw, Config)
            ]
        ) from None
    if config.waivers:
        places = waiver_places(path.read_text(encoding="utf-8"), len(config.waivers), table=where)
        for waiver, place in zip(config.waivers, places, strict=True):
            waiver._place = place
    return config


# A key of a TOML header or key/value line: bare, "basic" or 'literal'.
_TOML_KEY = re.compile(r"""\s*(?:([A-Za-z0-9_-]+)|"((?:[^"\\]|\\.)*)"|'([^']*)')\s*""")


def _toml_keys(text: str) -> tuple[str, ...] | None:
    """The dotted key ``text`` (`tool . "orgmodel".waivers`) as its parts; None if it is
    not one. Escapes in quoted keys are kept as written (enough to compare plain names)."""
    parts = []
    for piece in text.split("."):
        match = _TOML_KEY.fullmatch(piece)
        if match is None:
            return None
        parts.append(next(g for g in match.groups() if g is not None))
    return tuple(parts)


def waiver_places(
    text: str, count: int, *, table: tuple[str, ...] = ()
) -> list[tuple[int, int] | None]:
    """(line, column) of each of the first ``count`` waivers in the TOML ``text``, whose
    `waivers` array sits in ``table`` (`("tool", "orgmodel")` in pyproject.toml): the n-th
    `[[waivers]]` header, or the `waivers = [...]` key of an inline array; None for one not
    found. ``tomllib`` keeps no positions, so this scans the lines; text inside multi-line
    strings and comments is skipped (a `.` inside a quoted key is not supported)."""
    target = (*table, "waivers")
    headers: list[tuple[int, int]] = []
    key: tuple[int, int] | None = None
    current: tuple[str, ...] = ()
    in_string: str | None = None
    for number, line in enumerate(text.splitlines(), 1):
        if in_string is not None:
            if line.count(in_string) % 2 == 1:
                in_string = None
            continue
        stripped = line.lstrip()
        column = len(line) - len(stripped) + 1
        if stripped.startswith("[["):
            end = stripped.find("]]")
            keys = _toml_keys(stripped[2:end]) if end > 0 else None
            if keys is not None:
                current = keys
                if keys == target:
                    headers.append((number, column))
            continue
        if stripped.startswith("["):
            end = stripped.find("]")
            keys = _toml_keys(stripped[1:end]) if end > 0 else None
            if keys is not None:
                current = keys
            continue
        name, equals, value = stripped.partition("=")
        if not equals:
            continue
        keys = _toml_keys(name)
        if keys is not None and (*current, *keys) == target and key is None:
            key = (number, column)
        for quotes in ('"""', "'''"):
            if value.count(quotes) % 2 == 1:
                in_string = quotes
                break
    return [headers[i] if i < len(headers) else key for i in range(count)]


def merge_thresholds(base: Thresholds, override: Thresholds | None) -> Thresholds:
    """``base`` with the fields that ``override`` sets explicitly."""
    if override is None:
        return base
    return base.model_copy(update={k: getattr(override, k) for k in override.model_fields_set})


def merge_rules(base: dict[str, RuleSetting], config: Config | None) -> dict[str, RuleSetting]:
    """The rule settings in force: ``base`` (a document's ``settings.rules``) with the
    config's ``[rules.CODE]`` over it. The one merge, used by the analysis and the check."""
    return {**base, **(config.rules if config else {})}
