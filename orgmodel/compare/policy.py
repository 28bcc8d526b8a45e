"""The verdict of ``orgmodel check``: a proposal judged by a policy, optionally against a
baseline.

The check collects two kinds of findings, both ordinary :class:`Finding` values with a code,
a severity and a fingerprint:

- the **analysis findings** of the proposal (J01 ...), each marked ``new`` or ``unchanged``
  against the baseline by fingerprint;
- **policy findings** (P01-P05, :data:`POLICY_RULES`): a journey that got worse on a ratchet
  figure beyond its tolerance, a journey that disappeared, an expired or an unused waiver
  (located at the waiver's line in the config file when it was read from one), the handover
  network that got worse on a held network figure (``ratchet.network``).

Then waivers are applied, and a finding **blocks** when it is not waived, its severity is at
or above ``fail_on``, and it is a policy finding, or there is no baseline, or it is new (or
``ratchet.findings = "all"``). The check fails when any finding blocks. Every output format
renders the same :class:`CheckResult`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Final, Literal

from pydantic import ConfigDict

from orgmodel.analysis.base import Frozen
from orgmodel.analysis.figures import (
    FIGURES,
    NETWORK_FIGURES,
    Figure,
    FigureDef,
    NetworkFigure,
    NetworkFigureDef,
)
from orgmodel.analysis.findings import Finding, Findings, Rule, effective_severity
from orgmodel.analysis.registry import RULES
from orgmodel.analysis.report import DocumentInfo, Report
from orgmodel.compare.diff import Diff, JourneyComparison, JourneyStatus, diff_documents
from orgmodel.config import Config, FailOn, FindingsScope, Ratchet, Waiver, merge_rules
from orgmodel.diagnostics import Location, Places
from orgmodel.jsonpos import JsonPath
from orgmodel.model import Document, RuleSetting, Severity

__all__ = [
    "CHECK_VERSION",
    "EXPIRED",
    "NETWORK",
    "POLICY_CODES",
    "POLICY_RULES",
    "REGRESSED",
    "REMOVED",
    "UNUSED",
    "Analyzed",
    "AppliedWaiver",
    "BaselineState",
    "CheckResult",
    "CheckedFinding",
    "NetworkRegression",
    "Regression",
    "RuleInfo",
    "Verdict",
    "WaiverStatus",
    "evaluate",
    "known_codes",
]

CHECK_VERSION: Final = "1"

REGRESSED = Rule(
    "P01",
    "journey-regressed",
    Severity.ERROR,
    "A journey got worse than in the baseline on a ratchet figure.",
    finds=(
        "With a baseline: a journey of both documents that got worse on one of the figures "
        "the policy holds (`ratchet.figures`; default handoffs, crossings, uncovered "
        "crossings, customer-visible handoffs, waiting at handoffs, lead time) by more than "
        "the figure's tolerance (`ratchet.tolerances`, default 0). One finding per journey "
        "and figure."
    ),
    why=(
        "The ratchet: a proposal may improve the organization but must not make a customer "
        "journey worse without anybody deciding so."
    ),
    fix="Change the proposal, raise the tolerance, or waive the finding with a reason.",
    example=(
        '{"units": [{"id": "board", "name": "Board", "kind": "board"}, {"id": "sales", '
        '"name": "Sales", "parent": "board"}, {"id": "billing", "name": "Billing", '
        '"parent": "board"}], "journeys": [{"id": "order", "name": "Order", "owner": '
        '"sales", "steps": [{"name": "Take order", "unit": "sales"}, {"name": "Send '
        'invoice", "unit": "billing"}]}]}'
    ),
    example_baseline=(
        '{"units": [{"id": "board", "name": "Board", "kind": "board"}, {"id": '
        '"sales", "name": "Sales", "parent": "board"}, {"id": "billing", "name": '
        '"Billing", "parent": "board"}], "journeys": [{"id": "order", "name": '
        '"Order", "owner": "sales", "steps": [{"name": "Take order", "unit": '
        '"sales"}, {"name": "Send invoice", "unit": "sales"}]}]}'
    ),
)
REMOVED = Rule(
    "P02",
    "journey-removed",
    Severity.ERROR,
    "A journey of the baseline is missing from the proposal.",
    finds=(
        "With a baseline: a journey of the baseline that is missing from the proposal (by "
        "id), unless `ratchet.allow_removed_journeys = true`. The finding points into the "
        "baseline."
    ),
    why=(
        "A journey that is not in the proposal cannot be compared, so deleting it would escape "
        "the ratchet."
    ),
    fix="Keep the journey (with its new steps), or set `ratchet.allow_removed_journeys = true`.",
    example=(
        '{"units": [{"id": "board", "name": "Board", "kind": "board"}, {"id": "sales", '
        '"name": "Sales", "parent": "board"}]}'
    ),
    example_baseline=(
        '{"units": [{"id": "board", "name": "Board", "kind": "board"}, {"id": '
        '"sales", "name": "Sales", "parent": "board"}], "journeys": [{"id": '
        '"order", "name": "Order", "owner": "sales", "steps": [{"name": "Take '
        'order", "unit": "sales"}]}]}'
    ),
)
EXPIRED = Rule(
    "P03",
    "waiver-expired",
    Severity.ERROR,
    "A waiver has expired.",
    finds=(
        "A waiver of the config whose `expires` date is before the day of the check. The "
        "waiver no longer applies."
    ),
    why=(
        "Accepted problems are looked at again: an expired waiver fails the check instead of "
        "silently accepting the finding for ever."
    ),
    fix="Renew the waiver with a new date and reason, or remove it.",
    example="{}",
    example_config=(
        '[[waivers]]\ncode = "G05"\nreason = "Goals are modelled next quarter"\n'
        "expires = 2024-12-31\n"
    ),
)
UNUSED = Rule(
    "P04",
    "waiver-unused",
    Severity.WARNING,
    "A waiver matches no finding.",
    finds=(
        "A waiver of the config that matches no finding (by fingerprint, or by code and path glob)."
    ),
    why=(
        "The finding it was written for is gone (or the fingerprint is mistyped); left in "
        "place, the waiver could hide a future finding."
    ),
    fix="Remove the waiver, or correct its fingerprint or path.",
    example="{}",
    example_config=(
        '[[waivers]]\ncode = "J07"\nreason = "The order journey waits for the warehouse"\n'
    ),
)

NETWORK = Rule(
    "P05",
    "network-regressed",
    Severity.ERROR,
    "The handover network got worse than in the baseline on a held network figure.",
    finds=(
        "With a baseline and `ratchet.network` set (default: off): the E-I index of all "
        "handoffs (`ei_index`), or of a silo in both documents (`silo_ei_index`), rose by "
        "more than its tolerance (`ratchet.tolerances`, default 0). Closer to +1 is worse: "
        "more of the handoffs cross a silo wall instead of staying inside it. One finding "
        "for the whole network and one per silo; a silo's finding points at the silo's unit."
    ),
    why=(
        "A reorganization that moves work so that matters cross more silo walls makes every "
        "customer wait at more walls, even when no single journey's figures say so."
    ),
    fix=(
        "Keep the work that belongs together inside one silo, raise the tolerance, or waive "
        "the finding with a reason. Removing handoffs inside a silo raises its E-I index "
        "too: look at the handoffs themselves (the handover matrix) before you decide."
    ),
    example=(
        '{"units": [{"id": "board", "name": "Board", "kind": "board"}, {"id": "sales", '
        '"name": "Sales", "parent": "board"}, {"id": "field", "name": "Field", "parent": '
        '"sales"}, {"id": "inside", "name": "Inside", "parent": "sales"}, {"id": '
        '"billing", "name": "Billing", "parent": "board"}], "journeys": [{"id": "order", '
        '"name": "Order", "steps": [{"name": "Visit", "unit": "field"}, {"name": '
        '"Invoice", "unit": "billing"}, {"name": "Call", "unit": "inside"}]}]}'
    ),
    example_baseline=(
        '{"units": [{"id": "board", "name": "Board", "kind": "board"}, {"id": "sales", '
        '"name": "Sales", "parent": "board"}, {"id": "field", "name": "Field", "parent": '
        '"sales"}, {"id": "inside", "name": "Inside", "parent": "sales"}, {"id": '
        '"billing", "name": "Billing", "parent": "board"}], "journeys": [{"id": "order", '
        '"name": "Order", "steps": [{"name": "Visit", "unit": "field"}, {"name": "Call", '
        '"unit": "inside"}, {"name": "Invoice", "unit": "billing"}]}]}'
    ),
    example_config='[ratchet]\nnetwork = ["ei_index", "silo_ei_index"]\n',
)

#: The rules of the policy itself, registered next to the analyzers' rules.
POLICY_RULES: tuple[Rule, ...] = (REGRESSED, REMOVED, EXPIRED, UNUSED, NETWORK)

#: Their codes.
POLICY_CODES: frozenset[str] = frozenset(r.code for r in POLICY_RULES)


def known_codes() -> dict[str, Rule]:
    """Every rule code a config may name: the analyzers' and the policy's."""
    return {**RULES, **{r.code: r for r in POLICY_RULES}}


class Verdict(str, Enum):
    """The outcome of a check."""

    PASS = "pass"
    FAIL = "fail"


class BaselineState(str, Enum):
    """A finding of the proposal compared with the baseline's findings."""

    NEW = "new"
    UNCHANGED = "unchanged"


class AppliedWaiver(Frozen):
    """The waiver that accepted a finding."""

    index: int
    """1-based number of the waiver in the config's `waivers` list."""
    reason: str
    """Why the finding is accepted."""
    expires: date | None
    """Last day the waiver applies."""


class Regression(Frozen):
    """How a journey got worse on one ratchet figure (P01)."""

    figure: Figure
    """The figure."""
    before: float
    """Its value in the baseline."""
    after: float
    """Its value in the proposal."""
    delta: float
    """after - before."""
    tolerance: str | None
    """The tolerance it went beyond, as configured (None: none, so any worsening counts)."""

    def detail(self) -> str:
        """`handoffs 6 -> 7 (+1)`, with `, tolerance 10%` when there is one."""
        d = FIGURES[self.figure]
        return _went(d.label, d, self.before, self.after, self.delta, self.tolerance)


class NetworkRegression(Frozen):
    """How the handover network got worse on one held network figure (P05)."""

    figure: NetworkFigure
    """ei_index or silo_ei_index."""
    silo: str | None
    """silo_ei_index: the silo."""
    before: float
    """Its value in the baseline."""
    after: float
    """Its value in the proposal."""
    delta: float
    """after - before."""
    tolerance: str | None
    """The tolerance it went beyond, as configured (None: none)."""

    def detail(self) -> str:
        """`E-I index of silo 'sales' +0.00 -> +1.00 (+1.00)`, with the tolerance if any."""
        d = NETWORK_FIGURES[self.figure]
        what = "E-I index" + (f" of silo '{self.silo}'" if self.silo else "")
        return _went(what, d, self.before, self.after, self.delta, self.tolerance)


def _went(
    what: str,
    d: FigureDef | NetworkFigureDef,
    before: float,
    after: float,
    delta: float,
    tolerance: str | None,
) -> str:
    """``what before -> after (delta)``, each as the figure ``d`` writes it, and the tolerance
    gone beyond if there is one."""
    allowed = f", tolerance {tolerance}" if tolerance is not None else ""
    return f"{what} {d.format(before)} -> {d.format(after)} ({d.format_delta(delta)}{allowed})"


class CheckedFinding(Frozen):
    """A finding as the check judged it."""

    finding: Finding
    """The finding itself."""
    file: str
    """The file the finding points into (the proposal, the baseline, or the config)."""
    subject: str | None
    """Display name of what the finding is about (the unit, journey or position at its
    path), for people; None when there is none."""
    baseline_state: BaselineState | None
    """new or unchanged against the baseline; None without a baseline and for policy
    findings."""
    waiver: AppliedWaiver | None
    """The waiver that accepts it, if any."""
    blocking: bool
    """True when this finding fails the check."""
    journey: str | None = None
    """P01, P02: the journey concerned."""
    regression: Regression | None = None
    """P01: the ratchet figure on which the journey got worse, and by how much."""
    network: NetworkRegression | None = None
    """P05: the network figure that got worse, and by how much."""

    @property
    def location(self) -> Location:
        """Where the finding is: its file, path, line and column."""
        return self.finding.location(self.file)

    @property
    def figure(self) -> Figure | None:
        """P01: the ratchet figure on which the journey got worse."""
        return self.regression.figure if self.regression is not None else None

    def sort_key(self) -> tuple:
        """Order in every output: severity, code, place, ratchet figure, fingerprint."""
        severity, code, path, fingerprint = self.finding.sort_key()
        figure = _FIGURE_ORDER[self.figure] if self.figure is not None else -1
        return (severity, code, path, figure, fingerprint)


_FIGURE_ORDER = {figure: i for i, figure in enumerate(FIGURES)}


class WaiverStatus(Frozen):
    """How one waiver of the config was used."""

    index: int
    """1-based number in the config's `waivers` list."""
    waiver: Waiver
    """The waiver as configured."""
    matched: int
    """Findings it names."""
    expired: bool
    """True when its expiry date has passed (it waives nothing then)."""


class RuleInfo(Frozen):
    """A rule as the check applied it: one JUnit test case, one SARIF rule."""

    code: str
    """e.g. `J01` or `P01`."""
    name: str
    """e.g. `uncovered-silo-crossing`."""
    severity: Severity
    """Effective severity (default or configured)."""
    enabled: bool
    """False when switched off by the settings or the config."""
    summary: str
    """One sentence."""
    doc: str
    """What it means and what to do."""


class CheckResult(Frozen):
    """Everything `orgmodel check` decided, for every output format."""

    model_config = ConfigDict(title="orgmodel check result")

    orgmodel_check: Literal["1"] = CHECK_VERSION
    """Version of this format."""
    verdict: Verdict
    """pass or fail."""
    reasons: list[str]
    """Why the check fails, one sentence each; empty when it passes."""
    proposal: DocumentInfo
    """The document checked."""
    baseline: DocumentInfo | None
    """The document it was compared with, if any."""
    config: str | None
    """The config file used, if any."""
    fail_on: FailOn
    """The lowest severity that fails the check."""
    ratchet: Ratchet | None
    """The ratchet applied (None without a baseline)."""
    findings: list[CheckedFinding]
    """Findings of the proposal and of the policy, ordered by severity, code and place."""
    resolved: list[Finding]
    """Findings of the baseline that the proposal no longer has."""
    waivers: list[WaiverStatus]
    """Every configured waiver and what it matched."""
    rules: list[RuleInfo]
    """Every rule, analysis and policy, by code."""
    diff: Diff | None
    """The full comparison with the baseline, if any."""

    @property
    def blocking(self) -> list[CheckedFinding]:
        """The findings that fail the check."""
        return [f for f in self.findings if f.blocking]


@dataclass(frozen=True)
class Analyzed:
    """A document with its analysis, as the check judges it."""

    file: str
    """The name of its file in messages."""
    document: Document
    report: Report
    text: str | None = None
    """Its text, to locate policy findings in it."""


def evaluate(
    proposal: Analyzed,
    baseline: Analyzed | None = None,
    *,
    config: Config | None = None,
    config_file: str | None = None,
    fail_on: FailOn | None = None,
    today: date,
) -> CheckResult:
    """Judge an analyzed proposal by ``config`` (``fail_on`` overrides the config's), against
    an analyzed baseline when given. ``today`` decides which waivers have expired.

    With a baseline, the proposal should be analyzed with the baseline's thresholds and rule
    settings (:func:`orgmodel.app.check` does), so that it cannot relax the gate by editing
    its own."""
    config = config or Config()
    fail_on = fail_on or config.fail_on
    settings = merge_rules((baseline or proposal).document.settings.rules, config)
    diff = None
    policy: list[CheckedFinding] = []
    if baseline is not None:
        diff = diff_documents(
            baseline.document, baseline.report, proposal.document, proposal.report
        )
        policy = _ratchet_findings(diff, config.ratchet, settings, proposal, baseline)
    introduced = {f.fingerprint for f in diff.findings.introduced} if diff else set()
    names = {u.id: u.name for u in proposal.document.units}
    checked = [
        CheckedFinding(
            finding=f,
            file=proposal.file,
            subject=_subject(proposal.document, names, f.path),
            baseline_state=None
            if diff is None
            else (BaselineState.NEW if f.fingerprint in introduced else BaselineState.UNCHANGED),
            waiver=None,
            blocking=False,
        )
        for f in proposal.report.findings
    ] + policy
    checked, statuses, waiver_findings = _apply_waivers(
        checked, config.waivers, settings, config_file or "<config>", today
    )
    scope_all = config.ratchet.findings is FindingsScope.ALL
    judged = []
    for c in [*checked, *waiver_findings]:
        counts = (
            c.finding.code in POLICY_CODES
            or diff is None
            or scope_all
            or c.baseline_state is BaselineState.NEW
        )
        blocking = c.waiver is None and counts and fail_on.fails(c.finding.severity)
        judged.append(c if c.blocking is blocking else c.model_copy(update={"blocking": blocking}))
    judged.sort(key=CheckedFinding.sort_key)
    return CheckResult(
        verdict=Verdict.FAIL if any(c.blocking for c in judged) else Verdict.PASS,
        reasons=_reasons(judged, fail_on, diff is not None),
        proposal=proposal.report.document,
        baseline=baseline.report.document if baseline else None,
        config=config_file,
        fail_on=fail_on,
        ratchet=config.ratchet if diff else None,
        findings=judged,
        resolved=diff.findings.resolved if diff else [],
        waivers=statuses,
        rules=_rules(settings),
        diff=diff,
    )


# --------------------------------------------------------------------------- ratchet


def _policy_finding(
    rule: Rule, settings: dict[str, RuleSetting], message: str, path: JsonPath, key: tuple[str, ...]
) -> Finding | None:
    severity = effective_severity(rule, settings.get(rule.code))
    return None if severity is None else Finding.of(rule, severity, message, path, key)


def _locate_all(
    checked: list[CheckedFinding], paths: list[JsonPath], origins: list[Analyzed]
) -> list[CheckedFinding]:
    """Give each finding the line and column of its path in the text of its origin (the
    document it points into): from the places that located that document's analysis findings
    where they hold the path, else one scan per document."""
    out = list(checked)
    mine: dict[int, list[int]] = {}
    for i, origin in enumerate(origins):
        mine.setdefault(id(origin), []).append(i)
    for indexes in mine.values():
        analyzed = origins[indexes[0]]
        if analyzed.text is None:
            continue
        wanted = [paths[i] for i in indexes]
        found = analyzed.report.findings
        known = found.located_in if isinstance(found, Findings) else None
        if known is None or known.file != analyzed.file:
            places = Places.scan(analyzed.file, analyzed.text, wanted)
        else:
            places = known.including(analyzed.text, wanted)
        for i in indexes:
            location = places.at(paths[i])
            if location.line is not None:
                finding = checked[i].finding.at(location)
                out[i] = checked[i].model_copy(update={"finding": finding})
    return out


def _ratchet_findings(
    diff: Diff,
    ratchet: Ratchet,
    settings: dict[str, RuleSetting],
    proposal: Analyzed,
    baseline: Analyzed,
) -> list[CheckedFinding]:
    out: list[CheckedFinding] = []
    paths: list[JsonPath] = []
    origins: list[Analyzed] = []  # the document each path is in
    index = {j.id: i for i, j in enumerate(proposal.document.journeys)}
    old_index = {j.id: i for i, j in enumerate(baseline.document.journeys)}
    for comparison in diff.journeys:
        if comparison.status is JourneyStatus.COMMON:
            path: JsonPath = ("journeys", index[comparison.journey])
            for regression in _regressions(comparison, ratchet):
                message = (
                    f"journey '{comparison.journey}' ({comparison.name}) got worse: "
                    f"{regression.detail()}"
                )
                finding = _policy_finding(
                    REGRESSED,
                    settings,
                    message,
                    path,
                    (comparison.journey, regression.figure.value),
                )
                if finding is not None:
                    paths.append(path)
                    origins.append(proposal)
                    out.append(
                        CheckedFinding(
                            finding=finding,
                            file=proposal.file,
                            subject=comparison.name,
                            baseline_state=None,
                            waiver=None,
                            blocking=False,
                            journey=comparison.journey,
                            regression=regression,
                        )
                    )
        elif comparison.status is JourneyStatus.REMOVED and not ratchet.allow_removed_journeys:
            path = ("journeys", old_index[comparison.journey])
            finding = _policy_finding(
                REMOVED,
                settings,
                f"journey '{comparison.journey}' ({comparison.name}) of the baseline is "
                "missing from the proposal, so it cannot be compared",
                path,
                (comparison.journey,),
            )
            if finding is not None:
                paths.append(path)
                origins.append(baseline)
                out.append(
                    CheckedFinding(
                        finding=finding,
                        file=baseline.file,
                        subject=comparison.name,
                        baseline_state=None,
                        waiver=None,
                        blocking=False,
                        journey=comparison.journey,
                    )
                )
    units = {u.id: i for i, u in enumerate(proposal.document.units)}
    for network in _network_regressions(diff, ratchet):
        path = ("units", units[network.silo]) if network.silo in units else ()
        finding = _policy_finding(
            NETWORK,
            settings,
            f"the handover network got worse: {network.detail()}",
            path,
            (network.figure.value, network.silo or ""),
        )
        if finding is not None:
            paths.append(path)
            origins.append(proposal)
            out.append(
                CheckedFinding(
                    finding=finding,
                    file=proposal.file,
                    subject=_subject(
                        proposal.document, {u.id: u.name for u in proposal.document.units}, path
                    ),
                    baseline_state=None,
                    waiver=None,
                    blocking=False,
                    network=network,
                )
            )
    return _locate_all(out, paths, origins)


def _network_regressions(diff: Diff, ratchet: Ratchet) -> list[NetworkRegression]:
    """Every held network figure that got worse beyond its tolerance."""
    out = []
    for d in diff.network:
        if d.figure not in ratchet.network or d.before is None or d.after is None:
            continue
        if NETWORK_FIGURES[d.figure].change(d.before, d.after) >= 0:
            continue
        tolerance = ratchet.tolerance(d.figure)
        if abs(d.after - d.before) <= tolerance.allows(d.before) + 1e-9:
            continue
        out.append(
            NetworkRegression(
                figure=d.figure,
                silo=d.silo,
                before=d.before,
                after=d.after,
                delta=d.after - d.before,
                tolerance=None if tolerance.text == "0" else tolerance.text,
            )
        )
    return out


def _regressions(comparison: JourneyComparison, ratchet: Ratchet) -> list[Regression]:
    """Every ratchet figure on which the journey got worse beyond its tolerance."""
    out = []
    for figure in ratchet.figures:
        d = comparison.delta(figure)
        if d.before is None or d.after is None or FIGURES[figure].change(d.before, d.after) >= 0:
            continue
        tolerance = ratchet.tolerance(figure)
        if abs(d.after - d.before) <= tolerance.allows(d.before) + 1e-9:
            continue
        out.append(
            Regression(
                figure=figure,
                before=d.before,
                after=d.after,
                delta=d.after - d.before,
                tolerance=None if tolerance.text == "0" else tolerance.text,
            )
        )
    return out


# --------------------------------------------------------------------------- waivers


def _apply_waivers(
    checked: list[CheckedFinding],
    waivers: Sequence[Waiver],
    settings: dict[str, RuleSetting],
    config_file: str,
    today: date,
) -> tuple[list[CheckedFinding], list[WaiverStatus], list[CheckedFinding]]:
    matched = [0] * len(waivers)
    out = []
    for c in checked:
        f = c.finding
        applied = None
        for i, waiver in enumerate(waivers):
            if waiver.matches(f.code, f.json_path, f.fingerprint):
                matched[i] += 1
                if applied is None and not waiver.expired(today):
                    applied = AppliedWaiver(
                        index=i + 1, reason=waiver.reason, expires=waiver.expires
                    )
        out.append(c.model_copy(update={"waiver": applied}) if applied else c)
    statuses = []
    extra = []
    for i, waiver in enumerate(waivers):
        expired = waiver.expired(today)
        statuses.append(
            WaiverStatus(index=i + 1, waiver=waiver, matched=matched[i], expired=expired)
        )
        key = ("waiver", waiver.fingerprint or waiver.code or "", waiver.path or "")
        path: JsonPath = ("waivers", i)
        if expired:
            finding = _policy_finding(
                EXPIRED,
                settings,
                f"waiver #{i + 1} ({waiver.target()}) expired on {waiver.expires}: "
                f"'{waiver.reason}'; renew it or remove it",
                path,
                key,
            )
        elif matched[i] == 0:
            finding = _policy_finding(
                UNUSED,
                settings,
                f"waiver #{i + 1} ({waiver.target()}) matches no finding: "
                f"'{waiver.reason}'; remove it",
                path,
                key,
            )
        else:
            finding = None
        if finding is not None and waiver.place is not None:
            finding = finding.located(*waiver.place)
        if finding is not None:
            extra.append(
                CheckedFinding(
                    finding=finding,
                    file=config_file,
                    subject=None,
                    baseline_state=None,
                    waiver=None,
                    blocking=False,
                )
            )
    return out, statuses, extra


# --------------------------------------------------------------------------- summary


def _reasons(findings: Sequence[CheckedFinding], fail_on: FailOn, has_baseline: bool) -> list[str]:
    blocking = [c for c in findings if c.blocking]
    out = []
    regressed: dict[str, list[str]] = {}
    for c in sorted(blocking, key=lambda c: (c.finding.path, c.sort_key())):
        if c.regression is not None and c.journey is not None:
            regressed.setdefault(c.journey, []).append(c.regression.detail())
    for journey, details in regressed.items():
        out.append(f"journey '{journey}' got worse than the baseline: {'; '.join(details)}")
    for c in blocking:
        if c.finding.code in (REMOVED.code, EXPIRED.code, UNUSED.code, NETWORK.code):
            out.append(c.finding.message)
    analysis = [c for c in blocking if c.finding.code not in POLICY_CODES]
    if analysis:
        by_code: dict[str, int] = {}
        for c in analysis:
            by_code[c.finding.code] = by_code.get(c.finding.code, 0) + 1
        codes = ", ".join(f"{n} x {code}" for code, n in sorted(by_code.items()))
        kind = "new finding" if has_baseline else "finding"
        out.append(
            f"{len(analysis)} {kind}{'s' if len(analysis) != 1 else ''} at "
            f"{fail_on.value} or above ({codes})"
        )
    return out


def _rules(settings: dict[str, RuleSetting]) -> list[RuleInfo]:
    out = []
    for code, rule in sorted(known_codes().items()):
        setting = settings.get(code)
        severity = effective_severity(rule, setting)
        out.append(
            RuleInfo(
                code=code,
                name=rule.name,
                enabled=severity is not None,
                summary=rule.summary,
                doc=rule.doc,
                # a rule that is off still shows the severity it would have
                severity=severity
                or effective_severity(
                    rule, RuleSetting(severity=setting.severity if setting else None)
                )
                or rule.severity,
            )
        )
    return out


def _subject(document: Document, units: dict[str, str], path: JsonPath) -> str | None:
    """The display name of what ``path`` points at: a step's or a journey owner's unit, a
    journey, a position, a unit (``units``: unit names by id)."""
    parts = path
    try:
        if parts[:1] == ("journeys",) and len(parts) >= 2:
            journey = document.journeys[int(parts[1])]
            if len(parts) >= 4 and parts[2] == "steps":
                return units.get(journey.steps[int(parts[3])].unit)
            if parts[2:3] == ("owner",) and journey.owner:
                return units.get(journey.owner)
            return journey.name
        if parts[:1] == ("positions",) and len(parts) >= 2:
            return document.positions[int(parts[1])].title
        if parts[:1] == ("units",) and len(parts) >= 2:
            return document.units[int(parts[1])].name
    except (IndexError, ValueError):
        return None
    return None
