"""``orgmodel diff`` as Markdown for a pull-request comment: summary first, details folded."""

from __future__ import annotations

from collections.abc import Sequence

from orgmodel.analysis.findings import Finding
from orgmodel.analysis.report import DocumentInfo
from orgmodel.compare.diff import Diff
from orgmodel.compare.figures import Figure
from orgmodel.output.compare_common import (
    PRIMARY,
    figure_table,
    journey_counts,
    journey_verdict,
    md,
    profile_area_table,
    profile_counts,
    profile_signal_table,
    profile_summary,
    ratchet_table,
)
from orgmodel.output.tables import markdown_table

__all__ = ["MARKER", "findings_table", "profile_section", "render", "structural_section"]

#: First line of the comment, so a bot can find and update its earlier comment.
MARKER = "<!-- orgmodel-diff -->"

#: The figures of the per-journey summary table.
SUMMARY_FIGURES: tuple[Figure, ...] = (
    Figure.HANDOFFS, Figure.CROSSINGS, Figure.UNCOVERED_CROSSINGS, Figure.CUSTOMER_HANDOFFS,
    Figure.MAX_HEIGHT, Figure.WAITING_AT_HANDOFFS, Figure.LEAD_TIME, Figure.FLOW_EFFICIENCY,
)


def _doc(info: DocumentInfo) -> str:
    return md(info.name) + (f" (`{info.source}`)" if info.source else "")


def _fold(summary: str, body: list[str], open_: bool = False) -> list[str]:
    return ["", "<details open>" if open_ else "<details>", f"<summary>{summary}</summary>", "",
            *body, "", "</details>"]


def findings_table(file: str, findings: Sequence[Finding]) -> list[str]:
    """A Markdown table of findings with their place and fingerprint."""
    if not findings:
        return ["_none_"]
    out = ["| severity | code | rule | where | message | fingerprint |",
           "| --- | --- | --- | --- | --- | --- |"]
    for f in findings:
        place = f"{file}:{f.line}" if f.line is not None else file
        out.append(f"| {f.severity.value} | {f.code} | {f.rule} | `{place}` `{f.path}` | "
                   f"{md(f.message)} | `{f.fingerprint}` |")
    return out


def structural_section(diff: Diff) -> list[str]:
    """The structural changes as a folded bullet list."""
    body = [f"- `{c.kind.value}` {md(c.message)}" for c in diff.changes] or ["_none_"]
    return _fold(f"Structural changes ({len(diff.changes)})", body)


def profile_section(diff: Diff) -> list[str]:
    """The customer-centricity profile, verdicts per area and every signal, folded."""
    arrows = [*markdown_table(profile_area_table(diff.profile)), "",
              *markdown_table(profile_signal_table(diff.profile, signal="{label} ({id})"))]
    return _fold(f"Customer-centricity profile (signals: {profile_counts(diff.profile)})",
                 [line.replace(" -> ", " → ") for line in arrows])


def render(diff: Diff) -> str:
    """Render ``diff`` as GitHub-flavoured Markdown."""
    f = diff.findings
    counted = journey_counts(diff)
    out = [
        MARKER,
        f"## orgmodel diff: {_doc(diff.baseline)} → {_doc(diff.proposal)}",
        "",
        f"**{len(diff.changes)}** structural changes · **{len(diff.journeys)}** journeys"
        + (f" ({counted})" if counted else "")
        + f" · findings: **{len(f.introduced)}** introduced, **{len(f.resolved)}** resolved, "
        f"{f.unchanged} unchanged",
        "",
        f"Customer-centricity: {profile_summary(diff.profile, '→', worse='**{}**')}",
    ]
    if diff.unchanged:
        out += ["", "No differences: no structural change, no figure moved, no finding "
                "introduced or resolved."]
        return "\n".join(out) + "\n"
    out += ["", "Totals over all journeys:", ""]
    out += markdown_table(figure_table("Totals", [d for d in diff.totals
                                                  if d.figure in PRIMARY]))
    if diff.journeys:
        out += ["", "Per journey (baseline → proposal, **worse** in bold):", ""]
        table = ratchet_table(diff, SUMMARY_FIGURES, worse="**{}**")
        out += [line.replace(" -> ", " → ") for line in markdown_table(table)]
    body = []
    for j in diff.journeys:
        body += [f"#### {md(j.journey)}: {md(j.name)} ({journey_verdict(j)})", ""]
        body += markdown_table(figure_table(j.journey, j.figures))
        body.append("")
    out += profile_section(diff)
    if body:
        out += _fold("All figures per journey", body[:-1])
    out += _fold("All figures in total", markdown_table(figure_table("Totals", diff.totals)))
    out += structural_section(diff)
    out += _fold(f"Findings introduced ({len(f.introduced)})",
                 findings_table(diff.proposal.source or "proposal", f.introduced))
    out += _fold(f"Findings resolved ({len(f.resolved)})",
                 findings_table(diff.baseline.source or "baseline", f.resolved))
    return "\n".join(out) + "\n"
