"""``orgmodel diff`` as text for a terminal: summary, totals, customer-centricity profile,
journeys, changes, findings."""

from __future__ import annotations

from orgmodel.analysis.report import DocumentInfo
from orgmodel.compare.diff import Diff
from orgmodel.output.compare_common import (
    change_counts,
    figure_table,
    finding_line,
    journey_counts,
    journey_verdict,
    network_table,
    one_line,
    profile_area_table,
    profile_signal_table,
    profile_summary,
)
from orgmodel.output.tables import text_table

__all__ = ["render"]


def _doc(info: DocumentInfo) -> str:
    return f"{info.name} ({info.source})" if info.source else info.name


def render(diff: Diff) -> str:
    """Render ``diff`` for a person at a terminal."""
    f = diff.findings
    counted = journey_counts(diff)
    out = [
        f"orgmodel diff: {_doc(diff.baseline)} -> {_doc(diff.proposal)}",
        "",
        f"Structural changes: {len(diff.changes)}"
        + (f" ({change_counts(diff)})" if diff.changes else ""),
        f"Journeys: {len(diff.journeys)}" + (f" ({counted})" if counted else ""),
        f"Findings: {len(f.introduced)} introduced, {len(f.resolved)} resolved, "
        f"{f.unchanged} unchanged",
        f"Customer-centricity: {profile_summary(diff.profile)}",
    ]
    if diff.unchanged:
        out += [
            "",
            "The two documents are the same for orgmodel: no structural change, no "
            "figure moved, no finding introduced or resolved.",
        ]
        return "\n".join(one_line(line) for line in out) + "\n"
    out.append("")
    out += text_table(figure_table("Totals over all journeys", diff.totals))
    out.append("")
    out += text_table(network_table(diff))
    out.append("")
    out += text_table(profile_area_table(diff.profile))
    out.append("")
    out += text_table(profile_signal_table(diff.profile))
    for j in diff.journeys:
        out.append("")
        out += text_table(
            figure_table(f"Journey {j.journey}: {j.name} ({journey_verdict(j)})", j.figures)
        )
    out += ["", f"== Structural changes ({len(diff.changes)}) =="]
    out += [f"{c.kind.value}: {c.message}" for c in diff.changes] or ["(none)"]
    out += ["", f"== Findings introduced ({len(f.introduced)}) =="]
    out += [finding_line(diff.proposal.source or "<proposal>", x) for x in f.introduced] or [
        "(none)"
    ]
    out += ["", f"== Findings resolved ({len(f.resolved)}) =="]
    out += [finding_line(diff.baseline.source or "<baseline>", x) for x in f.resolved] or ["(none)"]
    return "\n".join(one_line(line) for line in out) + "\n"
