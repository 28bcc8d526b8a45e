"""What a proposed organization changes against the current one.

A :class:`Diff` has five parts, each deterministic and keyed by ids, never by line numbers:

1. **structural changes** (:class:`Change`): units added, removed, renamed, moved to another
   parent or layer; positions added, removed, moved to another unit or reporting line; owners
   changed (journey owner, segment team, stakeholder owner); journeys and steps added or
   removed; steps reassigned to another unit (steps are matched by their id, or by their
   number when they have none); internal services added, removed or changed; settings changed.
   A unit whose id changed shows as one removed and one added unit.
2. **figures** (:class:`JourneyComparison`, ``totals``): every figure of
   :mod:`orgmodel.analysis.figures` per journey and in total, before and after, with the delta
   and whether it is better or worse.
3. **the handover network** (:class:`NetworkDelta`): the E-I index overall, the highest
   betweenness of a unit (and which unit), and the E-I index of every silo of either
   document, before and after (:data:`orgmodel.analysis.figures.NETWORK_FIGURES`);
4. **the customer-centricity profile** (:class:`~orgmodel.compare.profile.ProfileDiff`): the
   verdict per area and every signal of :mod:`orgmodel.analysis.profile`, before and after,
   with the delta and whether it is better or worse;
5. **findings** (:class:`FindingsDelta`): findings introduced and resolved, matched by their
   fingerprint (rule code and ids), so moving text around in the file changes nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from enum import Enum
from typing import Final, Literal

from pydantic import ConfigDict

from orgmodel.analysis.base import Frozen
from orgmodel.analysis.figures import (
    FIGURES,
    NETWORK_FIGURES,
    Direction,
    Figure,
    JourneyRecord,
    NetworkFigure,
)
from orgmodel.analysis.findings import Finding, Findings
from orgmodel.analysis.network import NetworkSection
from orgmodel.analysis.profile import ProfileSection
from orgmodel.analysis.report import DocumentInfo, Report
from orgmodel.analysis.silos import SiloSection
from orgmodel.analysis.valuestream import ValueStreamSection
from orgmodel.compare.profile import ProfileDiff, profile_diff
from orgmodel.model import Document, Journey, Service

__all__ = [
    "DIFF_VERSION",
    "Change",
    "ChangeKind",
    "Diff",
    "Direction",
    "FigureDelta",
    "FindingsDelta",
    "JourneyComparison",
    "JourneyStatus",
    "NetworkDelta",
    "ProfileDiff",
    "diff_documents",
    "structural_changes",
]

DIFF_VERSION: Final = "1"


class ChangeKind(str, Enum):
    """A kind of structural change, in report order."""

    UNIT_ADDED = "unit-added"
    UNIT_REMOVED = "unit-removed"
    UNIT_RENAMED = "unit-renamed"
    UNIT_MOVED = "unit-moved"
    UNIT_LAYER_CHANGED = "unit-layer-changed"
    POSITION_ADDED = "position-added"
    POSITION_REMOVED = "position-removed"
    POSITION_MOVED = "position-moved"
    POSITION_REPORTS_TO_CHANGED = "position-reports-to-changed"
    OWNER_CHANGED = "owner-changed"
    JOURNEY_ADDED = "journey-added"
    JOURNEY_REMOVED = "journey-removed"
    STEP_REASSIGNED = "step-reassigned"
    STEP_ADDED = "step-added"
    STEP_REMOVED = "step-removed"
    SERVICE_ADDED = "service-added"
    SERVICE_REMOVED = "service-removed"
    SERVICE_CHANGED = "service-changed"
    SETTING_CHANGED = "setting-changed"


_ORDER = {kind: i for i, kind in enumerate(ChangeKind)}


class Change(Frozen):
    """One structural change, keyed by the id of what changed."""

    kind: ChangeKind
    """What happened, e.g. `unit-moved`."""
    entity: str
    """unit, position, journey, step, segment, stakeholder, service or settings."""
    id: str
    """Id of the entity; for steps `journey#step`; for settings the setting's path."""
    before: str | None
    """The value before (parent, layer, name, unit, owner ...); None when added."""
    after: str | None
    """The value after; None when removed."""
    message: str
    """The change in one sentence."""

    def sort_key(self) -> tuple:
        """Order of changes in every output: kind, entity, id."""
        return (_ORDER[self.kind], self.entity, self.id)


class FigureDelta(Frozen):
    """One figure before and after."""

    figure: Figure
    """The figure's name, e.g. `crossings`."""
    before: float | None
    """Value in the baseline; None when undefined or the journey is new."""
    after: float | None
    """Value in the proposal; None when undefined or the journey was removed."""
    delta: float | None
    """after - before, when both are defined."""
    direction: Direction
    """better, worse, same or n/a."""

    @classmethod
    def of(cls, figure: Figure, before: float | None, after: float | None) -> FigureDelta:
        """Compare one figure."""
        definition = FIGURES[figure]
        if before is None or after is None:
            return cls(
                figure=figure, before=before, after=after, delta=None, direction=Direction.UNDEFINED
            )
        change = definition.change(before, after)
        direction = (
            Direction.BETTER if change > 0 else Direction.WORSE if change < 0 else Direction.SAME
        )
        return cls(
            figure=figure, before=before, after=after, delta=after - before, direction=direction
        )


class NetworkDelta(Frozen):
    """One figure of the handover network before and after."""

    figure: NetworkFigure
    """ei_index, silo_ei_index or top_betweenness."""
    silo: str | None = None
    """silo_ei_index: the silo; None for the figures of the whole network."""
    unit_before: str | None = None
    """top_betweenness: the unit with the highest betweenness in the baseline (the first by
    id on a tie)."""
    unit_after: str | None = None
    """top_betweenness: that unit in the proposal."""
    before: float | None
    """Value in the baseline; None when undefined there (no handoffs, no such silo)."""
    after: float | None
    """Value in the proposal; None when undefined there."""
    delta: float | None
    """after - before, when both are defined."""
    direction: Direction
    """better, worse, same; n/a when undefined on one side or, for top_betweenness, always
    when it moved (it has no better direction)."""

    @classmethod
    def of(
        cls, figure: NetworkFigure, before: float | None, after: float | None, **keys: str | None
    ) -> NetworkDelta:
        """Compare one network figure."""
        if before is None or after is None:
            return cls(
                figure=figure,
                before=before,
                after=after,
                delta=None,
                direction=Direction.UNDEFINED,
                **keys,
            )
        change = NETWORK_FIGURES[figure].change(before, after)
        moved = abs(after - before) >= 1e-9
        direction = (
            Direction.BETTER
            if change > 0
            else Direction.WORSE
            if change < 0
            else Direction.UNDEFINED
            if moved
            else Direction.SAME
        )
        return cls(
            figure=figure,
            before=before,
            after=after,
            delta=after - before,
            direction=direction,
            **keys,
        )

    @property
    def changed(self) -> bool:
        """Whether the value (or the unit of top betweenness) moved or became (un)defined."""
        return (
            self.direction is not Direction.SAME
            and not (self.before is None and self.after is None)
        ) or self.unit_before != self.unit_after


class JourneyStatus(str, Enum):
    """Whether a journey is in both documents or only one."""

    COMMON = "common"
    ADDED = "added"
    REMOVED = "removed"


class JourneyComparison(Frozen):
    """The figures of one journey, before and after."""

    journey: str
    """Journey id."""
    name: str
    """Journey name (the proposal's, if it has the journey)."""
    status: JourneyStatus
    """common, added (only in the proposal) or removed (only in the baseline)."""
    figures: list[FigureDelta]
    """Every figure, in the order of :data:`orgmodel.analysis.figures.FIGURES`."""

    def delta(self, figure: Figure) -> FigureDelta:
        """The comparison of one figure."""
        return next(d for d in self.figures if d.figure == figure)

    def count(self, direction: Direction) -> int:
        """How many figures moved in ``direction``."""
        return sum(1 for d in self.figures if d.direction == direction)


class FindingsDelta(Frozen):
    """Findings matched by fingerprint between baseline and proposal."""

    introduced: list[Finding]
    """Findings of the proposal that the baseline did not have."""
    resolved: list[Finding]
    """Findings of the baseline that the proposal no longer has."""
    unchanged: int
    """Findings both have."""


class Diff(Frozen):
    """Everything `orgmodel diff` reports about a proposal against a baseline."""

    model_config = ConfigDict(title="orgmodel diff")

    orgmodel_diff: Literal["1"] = DIFF_VERSION
    """Version of this format."""
    baseline: DocumentInfo
    """The current organization."""
    proposal: DocumentInfo
    """The proposed organization."""
    changes: list[Change]
    """Structural changes, ordered by kind, entity and id."""
    journeys: list[JourneyComparison]
    """Journeys in the proposal's order, then removed journeys in the baseline's order."""
    totals: list[FigureDelta]
    """Figures over all journeys of each document."""
    network: list[NetworkDelta]
    """The handover network: E-I index, top betweenness, then the E-I index per silo (by
    silo id, silos of either document)."""
    profile: ProfileDiff
    """The customer-centricity profile of each document: verdicts per area and every signal."""
    findings: FindingsDelta
    """Findings introduced and resolved."""

    @property
    def unchanged(self) -> bool:
        """True when nothing at all differs: no change, no figure or profile signal moved, no
        finding moved."""
        return (
            not self.changes
            and not self.findings.introduced
            and not self.findings.resolved
            and not self.profile.changed
            and not any(n.changed for n in self.network)
            and all(
                j.status is JourneyStatus.COMMON
                and j.count(Direction.BETTER) == 0
                and j.count(Direction.WORSE) == 0
                for j in self.journeys
            )
        )


def diff_documents(
    baseline: Document, baseline_report: Report, proposal: Document, proposal_report: Report
) -> Diff:
    """Compare two analyzed documents."""
    before = _journey_figures(baseline_report)
    after = _journey_figures(proposal_report)
    return Diff(
        baseline=baseline_report.document,
        proposal=proposal_report.document,
        changes=structural_changes(baseline, proposal),
        journeys=_journeys(baseline, proposal, before, after),
        totals=[
            FigureDelta.of(f, d.total(list(before.values())), d.total(list(after.values())))
            for f, d in FIGURES.items()
        ],
        network=network_deltas(_network(baseline_report), _network(proposal_report)),
        profile=profile_diff(_profile(baseline_report), _profile(proposal_report)),
        findings=_findings(baseline_report.findings, proposal_report.findings),
    )


def _network(report: Report) -> NetworkSection:
    section = report.section("network")
    assert isinstance(section, NetworkSection)
    return section


def _top(section: NetworkSection) -> tuple[str | None, float | None]:
    """The unit of the highest betweenness (the first by id on a tie; None when every unit
    has 0) and its value (None without units)."""
    best = max(section.units, key=lambda u: u.betweenness, default=None)
    if best is None:
        return None, None
    return (best.unit if best.betweenness > 0 else None), best.betweenness


def network_deltas(before: NetworkSection, after: NetworkSection) -> list[NetworkDelta]:
    """The handover network of two documents compared (see :class:`NetworkDelta`)."""
    (old_unit, old_top), (new_unit, new_top) = _top(before), _top(after)
    out = [
        NetworkDelta.of(NetworkFigure.EI_INDEX, before.ei_index, after.ei_index),
        NetworkDelta.of(
            NetworkFigure.TOP_BETWEENNESS,
            old_top,
            new_top,
            unit_before=old_unit,
            unit_after=new_unit,
        ),
    ]
    old = {s.silo: s.ei_index for s in before.silos}
    new = {s.silo: s.ei_index for s in after.silos}
    out += [
        NetworkDelta.of(NetworkFigure.SILO_EI_INDEX, old.get(silo), new.get(silo), silo=silo)
        for silo in sorted(old.keys() | new.keys())
    ]
    return out


def _journey_figures(report: Report) -> dict[str, JourneyRecord]:
    section = report.section("silos")
    assert isinstance(section, SiloSection)
    stream = report.section("valuestream")
    assert isinstance(stream, ValueStreamSection)
    streams = {j.journey: j for j in stream.journeys}
    return {j.journey: JourneyRecord(j, streams[j.journey]) for j in section.journeys}


def _profile(report: Report) -> ProfileSection:
    section = report.section("profile")
    assert isinstance(section, ProfileSection)
    return section


def _journeys(
    baseline: Document,
    proposal: Document,
    before: dict[str, JourneyRecord],
    after: dict[str, JourneyRecord],
) -> list[JourneyComparison]:
    out = []
    for journey in proposal.journeys:
        old, new = before.get(journey.id), after[journey.id]
        out.append(
            JourneyComparison(
                journey=journey.id,
                name=journey.name,
                status=JourneyStatus.COMMON if old else JourneyStatus.ADDED,
                figures=[
                    FigureDelta.of(f, d.of(old) if old else None, d.of(new))
                    for f, d in FIGURES.items()
                ],
            )
        )
    for journey in baseline.journeys:
        if journey.id not in after:
            old = before[journey.id]
            out.append(
                JourneyComparison(
                    journey=journey.id,
                    name=journey.name,
                    status=JourneyStatus.REMOVED,
                    figures=[FigureDelta.of(f, d.of(old), None) for f, d in FIGURES.items()],
                )
            )
    return out


def _findings(before: Sequence[Finding], after: Sequence[Finding]) -> FindingsDelta:
    """Findings matched by fingerprint; of several with one fingerprint, the first ones in
    report order match. Only the findings introduced or resolved are made."""
    old, new = _as_findings(before), _as_findings(after)
    old_prints, new_prints = old.fingerprints(), new.fingerprints()
    introduced = new.chosen(_surplus(new, new_prints, Counter(old_prints)))
    resolved = old.chosen(_surplus(old, old_prints, Counter(new_prints)))
    return FindingsDelta(
        introduced=introduced, resolved=resolved, unchanged=len(new_prints) - len(introduced)
    )


def _as_findings(found: Sequence[Finding]) -> Findings:
    return found if isinstance(found, Findings) else Findings.of(found)


def _surplus(found: Findings, prints: list[str], other: Counter[str]) -> list[int]:
    """Indexes (into ``prints``, the fingerprints of ``found``) of the findings beyond the
    number of their fingerprint in ``other``: the last ones in report order."""
    mine = Counter(prints)
    over = {p for p, n in mine.items() if n > other[p]}
    picked = [i for i, p in enumerate(prints) if p in over]
    shared = {p for p in over if other[p]}
    if not shared:  # the usual case: no match at all, every one is beyond
        return picked
    out = [i for i in picked if prints[i] not in shared]
    at = [i for i in picked if prints[i] in shared]
    groups: dict[str, list[tuple[int, Finding]]] = {}
    for i, finding in zip(at, found.unlocated(at), strict=True):
        groups.setdefault(prints[i], []).append((i, finding))
    for p, members in groups.items():
        # In report order (a stable sort, as the sequence is sorted), the last ones.
        ranked = sorted(members, key=lambda member: member[1].sort_key())
        out += [i for i, _ in ranked[other[p] :]]
    return out


# --------------------------------------------------------------------------- structure


def _q(value: str | None) -> str:
    return "(none)" if value is None else f"'{value}'"


def structural_changes(baseline: Document, proposal: Document) -> list[Change]:
    """Every structural change from ``baseline`` to ``proposal``, ordered."""
    changes = [
        *_unit_changes(baseline, proposal),
        *_position_changes(baseline, proposal),
        *_owner_changes(baseline, proposal),
        *_journey_changes(baseline, proposal),
        *_service_changes(baseline, proposal),
        *_setting_changes(baseline, proposal),
    ]
    return sorted(changes, key=Change.sort_key)


def _change(
    kind: ChangeKind, entity: str, ident: str, before: str | None, after: str | None, message: str
) -> Change:
    return Change(kind=kind, entity=entity, id=ident, before=before, after=after, message=message)


def _unit_changes(baseline: Document, proposal: Document) -> Iterator[Change]:
    old = {u.id: u for u in baseline.units}
    new = {u.id: u for u in proposal.units}
    for ident, u in new.items():
        if ident not in old:
            where = f" under {_q(u.parent)}" if u.parent else " at the top"
            yield _change(
                ChangeKind.UNIT_ADDED,
                "unit",
                ident,
                None,
                u.name,
                f"unit '{ident}' ({u.name}) added{where}, {u.layer.value} layer",
            )
    for ident, u in old.items():
        if ident not in new:
            where = f"; it was under {_q(u.parent)}" if u.parent else "; it was the top unit"
            yield _change(
                ChangeKind.UNIT_REMOVED,
                "unit",
                ident,
                u.name,
                None,
                f"unit '{ident}' ({u.name}) removed{where}",
            )
    for ident, u in new.items():
        was = old.get(ident)
        if was is None:
            continue
        if was.name != u.name:
            yield _change(
                ChangeKind.UNIT_RENAMED,
                "unit",
                ident,
                was.name,
                u.name,
                f"unit '{ident}' renamed: '{was.name}' -> '{u.name}'",
            )
        if was.parent != u.parent:
            yield _change(
                ChangeKind.UNIT_MOVED,
                "unit",
                ident,
                was.parent,
                u.parent,
                f"unit '{ident}' moved: parent {_q(was.parent)} -> {_q(u.parent)}",
            )
        if was.layer != u.layer:
            yield _change(
                ChangeKind.UNIT_LAYER_CHANGED,
                "unit",
                ident,
                was.layer.value,
                u.layer.value,
                f"unit '{ident}' changed layer: {was.layer.value} -> {u.layer.value}",
            )


def _position_changes(baseline: Document, proposal: Document) -> Iterator[Change]:
    old = {p.id: p for p in baseline.positions}
    new = {p.id: p for p in proposal.positions}
    for ident, p in new.items():
        if ident not in old:
            yield _change(
                ChangeKind.POSITION_ADDED,
                "position",
                ident,
                None,
                p.unit,
                f"position '{ident}' ({p.title}) added in unit '{p.unit}'",
            )
    for ident, p in old.items():
        if ident not in new:
            yield _change(
                ChangeKind.POSITION_REMOVED,
                "position",
                ident,
                p.unit,
                None,
                f"position '{ident}' ({p.title}) removed from unit '{p.unit}'",
            )
    for ident, p in new.items():
        was = old.get(ident)
        if was is None:
            continue
        if was.unit != p.unit:
            yield _change(
                ChangeKind.POSITION_MOVED,
                "position",
                ident,
                was.unit,
                p.unit,
                f"position '{ident}' ({p.title}) moved: unit '{was.unit}' -> '{p.unit}'",
            )
        if was.reports_to != p.reports_to:
            yield _change(
                ChangeKind.POSITION_REPORTS_TO_CHANGED,
                "position",
                ident,
                was.reports_to,
                p.reports_to,
                f"position '{ident}' ({p.title}) reports to {_q(p.reports_to)} "
                f"instead of {_q(was.reports_to)}",
            )


def _owner_changes(baseline: Document, proposal: Document) -> Iterator[Change]:
    pairs = (
        ("journey", "owner", baseline.journeys, proposal.journeys),
        ("segment", "team", baseline.segments, proposal.segments),
        ("stakeholder", "owner", baseline.stakeholders, proposal.stakeholders),
    )
    for entity, field, before, after in pairs:
        old = {e.id: getattr(e, field) for e in before}
        for e in after:
            if e.id in old and old[e.id] != getattr(e, field):
                now = getattr(e, field)
                yield _change(
                    ChangeKind.OWNER_CHANGED,
                    entity,
                    e.id,
                    old[e.id],
                    now,
                    f"{entity} '{e.id}' {field}: {_q(old[e.id])} -> {_q(now)}",
                )


def _step_ids(journey: Journey) -> dict[str, int]:
    return {step.id or str(i + 1): i for i, step in enumerate(journey.steps)}


def _journey_changes(baseline: Document, proposal: Document) -> Iterator[Change]:
    old = {j.id: j for j in baseline.journeys}
    new = {j.id: j for j in proposal.journeys}
    for ident, j in new.items():
        if ident not in old:
            yield _change(
                ChangeKind.JOURNEY_ADDED,
                "journey",
                ident,
                None,
                j.name,
                f"journey '{ident}' ({j.name}) added with {len(j.steps)} "
                f"step{'s' if len(j.steps) != 1 else ''}",
            )
    for ident, j in old.items():
        if ident not in new:
            yield _change(
                ChangeKind.JOURNEY_REMOVED,
                "journey",
                ident,
                j.name,
                None,
                f"journey '{ident}' ({j.name}) removed",
            )
    for ident, j in new.items():
        was = old.get(ident)
        if was is None:
            continue
        before, after = _step_ids(was), _step_ids(j)
        for step, index in after.items():
            unit = j.steps[index].unit
            key = f"{ident}#{step}"
            if step not in before:
                yield _change(
                    ChangeKind.STEP_ADDED,
                    "step",
                    key,
                    None,
                    unit,
                    f"journey '{ident}' step '{step}' added, performed by '{unit}'",
                )
                continue
            old_unit = was.steps[before[step]].unit
            if old_unit != unit:
                yield _change(
                    ChangeKind.STEP_REASSIGNED,
                    "step",
                    key,
                    old_unit,
                    unit,
                    f"journey '{ident}' step '{step}' reassigned: '{old_unit}' -> '{unit}'",
                )
        for step, index in before.items():
            if step not in after:
                unit = was.steps[index].unit
                yield _change(
                    ChangeKind.STEP_REMOVED,
                    "step",
                    f"{ident}#{step}",
                    unit,
                    None,
                    f"journey '{ident}' step '{step}' removed (was performed by '{unit}')",
                )


def _service_changes(baseline: Document, proposal: Document) -> Iterator[Change]:
    old = {s.id: s for s in baseline.services}
    new = {s.id: s for s in proposal.services}

    def edge(s: Service) -> str:
        return f"{s.provider} -> {s.consumer}"

    for ident, s in new.items():
        if ident not in old:
            yield _change(
                ChangeKind.SERVICE_ADDED,
                "service",
                ident,
                None,
                edge(s),
                f"service '{ident}' ({s.name}) added: '{s.provider}' serves '{s.consumer}'",
            )
        elif edge(old[ident]) != edge(s):
            yield _change(
                ChangeKind.SERVICE_CHANGED,
                "service",
                ident,
                edge(old[ident]),
                edge(s),
                f"service '{ident}' ({s.name}) now {edge(s)} (was {edge(old[ident])})",
            )
    for ident, s in old.items():
        if ident not in new:
            yield _change(
                ChangeKind.SERVICE_REMOVED,
                "service",
                ident,
                edge(s),
                None,
                f"service '{ident}' ({s.name}) removed: '{s.provider}' no longer "
                f"serves '{s.consumer}'",
            )


def _flatten(value: object, prefix: str) -> dict[str, str]:
    if isinstance(value, dict):
        out: dict[str, str] = {}
        for key in sorted(value):
            out.update(_flatten(value[key], f"{prefix}.{key}"))
        return out
    return {prefix: str(value)}


def _setting_changes(baseline: Document, proposal: Document) -> Iterator[Change]:
    old = _flatten(baseline.settings.model_dump(mode="json", exclude_none=True), "settings")
    new = _flatten(proposal.settings.model_dump(mode="json", exclude_none=True), "settings")
    for key in sorted(set(old) | set(new)):
        if old.get(key) != new.get(key):
            yield _change(
                ChangeKind.SETTING_CHANGED,
                "settings",
                key,
                old.get(key),
                new.get(key),
                f"{key}: {old.get(key, '(unset)')} -> {new.get(key, '(unset)')}",
            )
