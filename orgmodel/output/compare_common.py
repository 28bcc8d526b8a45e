"""Pieces the diff and check formats share: places, tags, figure tables, journey verdicts,
the customer-centricity profile."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from orgmodel.analysis.base import Table
from orgmodel.analysis.figures import FIGURES, NETWORK_FIGURES, Figure, FigureKind, NetworkFigure
from orgmodel.analysis.findings import Finding
from orgmodel.compare.diff import (
    ChangeKind,
    Diff,
    Direction,
    FigureDelta,
    JourneyComparison,
    JourneyStatus,
)
from orgmodel.compare.policy import CheckedFinding
from orgmodel.compare.profile import ProfileDiff, format_delta, format_value, verdict_text
from orgmodel.output.tables import cell, code, md
from orgmodel.textsafe import one_line

__all__ = [
    "PRIMARY",
    "cell",
    "change_counts",
    "checked_tags",
    "code",
    "figure_table",
    "finding_line",
    "journey_verdict",
    "md",
    "network_table",
    "one_line",
    "profile_area_table",
    "profile_counts",
    "profile_signal_table",
    "profile_summary",
    "ratchet_table",
]

#: The figures shown in summaries: everything except the volume-weighted ones.
PRIMARY: tuple[Figure, ...] = tuple(
    f
    for f, d in FIGURES.items()
    if d.kind not in (FigureKind.PER_PERIOD, FigureKind.HOURS_PER_PERIOD)
)


def finding_line(file: str, f: Finding) -> str:
    """One finding as `file:line:col: $.path: CODE severity [rule] message`, on one line."""
    return one_line(f"{f.location(file)}: {f.code} {f.severity.value} [{f.rule}] {f.message}")


def checked_tags(c: CheckedFinding) -> list[str]:
    """Short labels for a checked finding: blocking, new/unchanged, waived by #n."""
    tags = []
    if c.blocking:
        tags.append("blocking")
    if c.baseline_state is not None:
        tags.append(c.baseline_state.value)
    if c.waiver is not None:
        tags.append(f"waived by #{c.waiver.index}")
    return tags


def journey_verdict(comparison: JourneyComparison) -> str:
    """better, worse, mixed or same over the primary figures; added or removed."""
    if comparison.status is not JourneyStatus.COMMON:
        return comparison.status.value
    directions = {comparison.delta(f).direction for f in PRIMARY}
    better, worse = Direction.BETTER in directions, Direction.WORSE in directions
    return "mixed" if better and worse else "better" if better else "worse" if worse else "same"


def journey_counts(diff: Diff) -> str:
    """How many journeys got better, worse ...: e.g. ``1 better, 1 worse, 2 same``."""
    verdicts = [journey_verdict(j) for j in diff.journeys]
    return ", ".join(
        f"{verdicts.count(v)} {v}"
        for v in ("better", "worse", "mixed", "same", "added", "removed")
        if verdicts.count(v)
    )


def _arrow(delta: FigureDelta) -> str:
    d = FIGURES[delta.figure]
    return f"{d.format(delta.before)} -> {d.format(delta.after)}"


def figure_table(title: str, deltas: Sequence[FigureDelta]) -> Table:
    """Figures as rows: before, after, delta and direction; undefined rows left out."""
    rows = []
    for delta in deltas:
        if delta.before is None and delta.after is None:
            continue
        d = FIGURES[delta.figure]
        rows.append(
            (
                d.label,
                d.format(delta.before),
                d.format(delta.after),
                d.format_delta(delta.delta),
                delta.direction.value,
            )
        )
    return Table(
        title, ("figure", "before", "after", "delta", ""), tuple(rows), numeric=frozenset({1, 2, 3})
    )


def network_table(diff: Diff) -> Table:
    """The handover network as rows: E-I index, top betweenness (with its unit), the E-I
    index of each silo; before, after, delta and direction. Silos undefined on both sides
    are left out."""
    rows = []
    for d in diff.network:
        if d.before is None and d.after is None:
            continue
        fig = NETWORK_FIGURES[d.figure]
        before, after = fig.format(d.before), fig.format(d.after)
        label = fig.label
        if d.figure is NetworkFigure.SILO_EI_INDEX:
            label = f"E-I index: {d.silo}"
        elif d.figure is NetworkFigure.TOP_BETWEENNESS:
            before = f"{d.unit_before or 'none'} {before}"
            after = f"{d.unit_after or 'none'} {after}"
        rows.append((label, before, after, fig.format_delta(d.delta), d.direction.value))
    return Table(
        "Handover network (E-I index: higher is worse)",
        ("figure", "before", "after", "delta", ""),
        tuple(rows),
        numeric=frozenset({3}),
    )


def ratchet_table(diff: Diff, figures: Sequence[Figure], worse: str = "{}") -> Table:
    """Journeys as rows, ``figures`` as columns, each cell `before -> after`; a worse cell is
    formatted through ``worse`` (e.g. `**{}**` for Markdown)."""
    rows = []
    for comparison in diff.journeys:
        cells = [comparison.journey]
        for figure in figures:
            delta = comparison.delta(figure)
            text = _arrow(delta)
            cells.append(worse.format(text) if delta.direction is Direction.WORSE else text)
        rows.append(tuple(cells))
    columns = ("journey", *(FIGURES[f].label for f in figures))
    return Table(
        "Journeys, baseline -> proposal",
        columns,
        tuple(rows),
        numeric=frozenset(range(1, len(figures) + 1)),
    )


def change_counts(diff: Diff) -> str:
    """`unit-added: 3, unit-moved: 1, ...` in the order of the change kinds."""
    counts = Counter(c.kind for c in diff.changes)
    return ", ".join(f"{k.value}: {counts[k]}" for k in ChangeKind if counts[k])


def profile_summary(profile: ProfileDiff, arrow: str = "->", worse: str = "{}") -> str:
    """`board not met -> met, overlay not met -> met, ...`: every area's verdict before and
    after, in the profile's order; an area that got worse is formatted through ``worse``."""
    parts = []
    for a in profile.areas:
        text = f"{a.area} {a.before} {arrow} {a.after}"
        parts.append(worse.format(text) if a.direction is Direction.WORSE else text)
    return ", ".join(parts)


def profile_counts(profile: ProfileDiff) -> str:
    """`15 better, 0 worse, 2 same, 3 n/a`: how the signals moved."""
    return ", ".join(f"{profile.count(d)} {d.value}" for d in Direction)


def profile_area_table(profile: ProfileDiff) -> Table:
    """The areas as rows: verdict (signals met of defined) before and after, direction."""
    rows = tuple(
        (
            a.area,
            verdict_text(a.before, a.met_before, a.defined_before),
            verdict_text(a.after, a.met_after, a.defined_after),
            a.direction.value,
        )
        for a in profile.areas
    )
    return Table(
        "Customer-centricity profile, baseline -> proposal", ("area", "before", "after", ""), rows
    )


def _met(met: bool | None) -> str:
    return "-" if met is None else "yes" if met else "no"


def profile_signal_table(profile: ProfileDiff, signal: str = "{id}") -> Table:
    """Every signal as a row: before, after, delta, direction, target and whether it is met
    before and after; undefined values as `-`. ``signal`` formats the signal's cell from its
    ``id`` and ``label``."""
    rows = tuple(
        (
            s.area,
            signal.format(id=s.id, label=s.label),
            format_value(s.unit, s.before),
            format_value(s.unit, s.after),
            format_delta(s.unit, s.delta),
            s.direction.value,
            s.target,
            f"{_met(s.met_before)} -> {_met(s.met_after)}",
        )
        for s in profile.signals
    )
    return Table(
        f"Customer-centricity signals ({profile_counts(profile)})",
        ("area", "signal", "before", "after", "delta", "", "target", "met"),
        rows,
        numeric=frozenset({2, 3, 4}),
    )
