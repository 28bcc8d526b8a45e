"""``orgmodel check`` as Markdown for a pull-request comment or a job summary: verdict and
reasons first, the journeys' ratchet figures, everything else folded."""

from __future__ import annotations

from orgmodel.compare.policy import CheckResult, Verdict
from orgmodel.output.budget import COMMENT_LIMIT, Budget
from orgmodel.output.check_text import policy_line, summary_counts
from orgmodel.output.compare_common import (
    cell,
    checked_tags,
    code,
    md,
    profile_summary,
    ratchet_table,
)
from orgmodel.output.diff_markdown import add_folded, change_lines, findings_table
from orgmodel.output.tables import markdown_table

__all__ = ["FULL_REPORT", "MARKER", "render"]

#: First line of the comment, so a bot can find and update its earlier comment.
MARKER = "<!-- orgmodel-check -->"

#: Where a shortened check report says the full report is.
FULL_REPORT = (
    "the output of `orgmodel check` with `--format text`, `--format json` or `--format sarif`"
)


def render(
    result: CheckResult, limit: int | None = COMMENT_LIMIT, full_report: str = FULL_REPORT
) -> str:
    """Render ``result`` as GitHub-flavoured Markdown of at most ``limit`` bytes (None: no
    limit): verdict, reasons and the journeys first; what does not fit is counted, and
    ``full_report`` says where to see all."""
    passed = result.verdict is Verdict.PASS
    p = result.proposal
    budget = Budget(limit, full_report)
    head = [
        MARKER,
        f"## {'✅ orgmodel check passed' if passed else '❌ orgmodel check failed'}: {md(p.name)}",
        "",
    ]
    line = code(p.source or "proposal")
    if result.baseline is not None:
        line += f" against baseline {code(result.baseline.source or 'baseline')}"
    head += [line + f" · {md(policy_line(result))}", ""]
    if result.diff is not None:
        summary = profile_summary(result.diff.profile, "→", worse="**{}**")
        head += [f"Customer-centricity: {summary}", ""]
    if passed:
        head.append(
            "No blocking finding"
            + (", no journey got worse than the baseline." if result.baseline is not None else ".")
        )
        budget.add(head, required=True)
    else:
        budget.add([*head, "**Why it fails**", ""], required=True)
        budget.add_rows([], [f"- {md(reason)}" for reason in result.reasons], what="reasons")
    if result.diff is not None and result.ratchet is not None and result.ratchet.figures:
        table = [
            row.replace(" -> ", " → ")
            for row in markdown_table(
                ratchet_table(result.diff, result.ratchet.figures, worse="**{}**")
            )
        ]
        budget.add_rows(
            [
                "",
                "Ratchet figures per journey (baseline → proposal, **worse** in bold):",
                "",
                *table[:2],
            ],
            table[2:],
            what="journeys",
        )
    body = [
        "| state | severity | code | where | message | fingerprint |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    # Blocking findings first, so that a shortened comment keeps them.
    for c in sorted(result.findings, key=lambda c: not c.blocking):
        f = c.finding
        place = f"{c.file}:{f.line}" if f.line is not None else c.file
        state = ", ".join(checked_tags(c)) or "-"
        if c.blocking:
            state = f"**{state}**"
        note = f" (waiver #{c.waiver.index}: {md(c.waiver.reason)})" if c.waiver else ""
        body.append(
            f"| {state} | {f.severity.value} | {f.code} | {cell(place)} {cell(f.json_path)} | "
            f"{md(f.message)}{note} | {cell(f.fingerprint)} |"
        )
    if not result.findings:
        body = ["_none_"]
    add_folded(
        budget, f"Findings: {md(summary_counts(result))}", body, what="findings", open_=not passed
    )
    if result.waivers:
        rows = ["| # | waiver | matched | expires | reason |", "| ---: | --- | ---: | --- | --- |"]
        for w in result.waivers:
            expires = str(w.waiver.expires) if w.waiver.expires else "never"
            if w.expired:
                expires = f"**expired {expires}**"
            rows.append(
                f"| {w.index} | {cell(w.waiver.target())} | {w.matched} | {expires} | "
                f"{md(w.waiver.reason)} |"
            )
        add_folded(budget, f"Waivers ({len(result.waivers)})", rows, what="waivers")
    if result.diff is not None:
        add_folded(
            budget,
            f"Structural changes ({len(result.diff.changes)})",
            change_lines(result.diff),
            what="structural changes",
            header=0,
        )
        source = (
            result.baseline.source if result.baseline and result.baseline.source else ("baseline")
        )
        add_folded(
            budget,
            f"Resolved findings ({len(result.resolved)})",
            findings_table(source, result.resolved),
            what="resolved findings",
        )
    return budget.text()
