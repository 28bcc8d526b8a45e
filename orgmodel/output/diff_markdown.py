"""``orgmodel diff`` as Markdown for a pull-request comment: summary first, details folded."""

from __future__ import annotations

from collections.abc import Sequence

from orgmodel.analysis.figures import Figure
from orgmodel.analysis.findings import Finding
from orgmodel.analysis.report import DocumentInfo
from orgmodel.compare.diff import Diff
from orgmodel.output.budget import COMMENT_LIMIT, Budget
from orgmodel.output.compare_common import (
    PRIMARY,
    cell,
    code,
    figure_table,
    journey_counts,
    journey_verdict,
    md,
    network_table,
    profile_area_table,
    profile_counts,
    profile_signal_table,
    profile_summary,
    ratchet_table,
)
from orgmodel.output.tables import markdown_table

__all__ = [
    "FULL_REPORT",
    "MARKER",
    "add_folded",
    "change_lines",
    "findings_table",
    "profile_section",
    "render",
    "structural_section",
]

#: First line of the comment, so a bot can find and update its earlier comment.
MARKER = "<!-- orgmodel-diff -->"

#: Where a shortened diff comment says the full report is.
FULL_REPORT = "the output of `orgmodel diff` with `--format text` or `--format json`"

#: The figures of the per-journey summary table.
SUMMARY_FIGURES: tuple[Figure, ...] = (
    Figure.HANDOFFS,
    Figure.CROSSINGS,
    Figure.UNCOVERED_CROSSINGS,
    Figure.CUSTOMER_HANDOFFS,
    Figure.MAX_HEIGHT,
    Figure.WAITING_AT_HANDOFFS,
    Figure.LEAD_TIME,
    Figure.FLOW_EFFICIENCY,
)


def _doc(info: DocumentInfo) -> str:
    return md(info.name) + (f" ({code(info.source)})" if info.source else "")


def _fold(summary: str, body: list[str], open_: bool = False) -> list[str]:
    return [
        "",
        "<details open>" if open_ else "<details>",
        f"<summary>{summary}</summary>",
        "",
        *body,
        "",
        "</details>",
    ]


def add_folded(
    budget: Budget,
    summary: str,
    body: list[str],
    *,
    what: str,
    open_: bool = False,
    header: int = 2,
) -> None:
    """A folded section whose ``body`` is a table (its first ``header`` lines the header) or
    a list: as many rows as fit, the rest counted as ``what``."""
    head = ["", "<details open>" if open_ else "<details>", f"<summary>{summary}</summary>", ""]
    if body == ["_none_"]:
        budget.add([*head, *body, "", "</details>"], what=what)
        return
    budget.add_rows([*head, *body[:header]], body[header:], ["", "</details>"], what=what)


def findings_table(file: str, findings: Sequence[Finding]) -> list[str]:
    """A Markdown table of findings with their place and fingerprint."""
    if not findings:
        return ["_none_"]
    out = [
        "| severity | code | rule | where | message | fingerprint |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for f in findings:
        place = f"{file}:{f.line}" if f.line is not None else file
        out.append(
            f"| {f.severity.value} | {f.code} | {f.rule} | {cell(place)} {cell(f.json_path)} | "
            f"{md(f.message)} | {cell(f.fingerprint)} |"
        )
    return out


def change_lines(diff: Diff) -> list[str]:
    """The structural changes as Markdown list items (or `_none_`)."""
    return [f"- {code(c.kind.value)} {md(c.message)}" for c in diff.changes] or ["_none_"]


def structural_section(diff: Diff) -> list[str]:
    """The structural changes as a folded bullet list."""
    return _fold(f"Structural changes ({len(diff.changes)})", change_lines(diff))


def profile_section(diff: Diff) -> list[str]:
    """The customer-centricity profile, verdicts per area and every signal, folded."""
    arrows = [
        *markdown_table(profile_area_table(diff.profile)),
        "",
        *markdown_table(profile_signal_table(diff.profile, signal="{label} ({id})")),
    ]
    return _fold(
        f"Customer-centricity profile (signals: {profile_counts(diff.profile)})",
        [line.replace(" -> ", " → ") for line in arrows],
    )


def render(diff: Diff, limit: int | None = COMMENT_LIMIT, full_report: str = FULL_REPORT) -> str:
    """Render ``diff`` as GitHub-flavoured Markdown of at most ``limit`` bytes (None: no
    limit); what does not fit is counted, and ``full_report`` says where to see all."""
    f = diff.findings
    counted = journey_counts(diff)
    budget = Budget(limit, full_report)
    budget.add(
        [
            MARKER,
            f"## orgmodel diff: {_doc(diff.baseline)} → {_doc(diff.proposal)}",
            "",
            f"**{len(diff.changes)}** structural changes · **{len(diff.journeys)}** journeys"
            + (f" ({counted})" if counted else "")
            + f" · findings: **{len(f.introduced)}** introduced, **{len(f.resolved)}** resolved, "
            f"{f.unchanged} unchanged",
            "",
            f"Customer-centricity: {profile_summary(diff.profile, '→', worse='**{}**')}",
        ],
        required=True,
    )
    if diff.unchanged:
        budget.add(
            [
                "",
                "No differences: no structural change, no figure moved, no finding "
                "introduced or resolved.",
            ],
            required=True,
        )
        return budget.text()
    budget.add(
        [
            "",
            "Totals over all journeys:",
            "",
            *markdown_table(
                figure_table("Totals", [d for d in diff.totals if d.figure in PRIMARY])
            ),
        ],
        what="the totals",
    )
    if diff.journeys:
        table = [
            line.replace(" -> ", " → ")
            for line in markdown_table(ratchet_table(diff, SUMMARY_FIGURES, worse="**{}**"))
        ]
        budget.add_rows(
            ["", "Per journey (baseline → proposal, **worse** in bold):", "", *table[:2]],
            table[2:],
            what="journeys",
        )
    budget.add(profile_section(diff), what="the customer-centricity profile")
    body = []
    for j in diff.journeys:
        body.append(
            "\n".join(
                [
                    f"#### {md(j.journey)}: {md(j.name)} ({journey_verdict(j)})",
                    "",
                    *markdown_table(figure_table(j.journey, j.figures)),
                    "",
                ]
            )
        )
    if body:
        body[-1] = body[-1].removesuffix("\n")
        add_folded(budget, "All figures per journey", body, what="journeys' figures", header=0)
    add_folded(
        budget,
        "All figures in total",
        markdown_table(figure_table("Totals", diff.totals)),
        what="total figures",
    )
    add_folded(
        budget,
        "Handover network (E-I index: higher is worse)",
        markdown_table(network_table(diff)),
        what="the handover network",
    )
    add_folded(
        budget,
        f"Structural changes ({len(diff.changes)})",
        change_lines(diff),
        what="structural changes",
        header=0,
    )
    add_folded(
        budget,
        f"Findings introduced ({len(f.introduced)})",
        findings_table(diff.proposal.source or "proposal", f.introduced),
        what="introduced findings",
    )
    add_folded(
        budget,
        f"Findings resolved ({len(f.resolved)})",
        findings_table(diff.baseline.source or "baseline", f.resolved),
        what="resolved findings",
    )
    return budget.text()
