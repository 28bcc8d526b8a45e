"""``orgmodel check`` as Markdown for a pull-request comment or a job summary: verdict and
reasons first, the journeys' ratchet figures, everything else folded."""

from __future__ import annotations

from orgmodel.compare.policy import CheckResult, Verdict
from orgmodel.output.check_text import policy_line, summary_counts
from orgmodel.output.compare_common import checked_tags, md, profile_summary, ratchet_table
from orgmodel.output.diff_markdown import findings_table, structural_section
from orgmodel.output.tables import markdown_table

__all__ = ["MARKER", "render"]

#: First line of the comment, so a bot can find and update its earlier comment.
MARKER = "<!-- orgmodel-check -->"


def render(result: CheckResult) -> str:
    """Render ``result`` as GitHub-flavoured Markdown."""
    passed = result.verdict is Verdict.PASS
    p = result.proposal
    out = [MARKER,
           f"## {'✅ orgmodel check passed' if passed else '❌ orgmodel check failed'}: "
           f"{md(p.name)}", ""]
    line = f"`{p.source or 'proposal'}`"
    if result.baseline is not None:
        line += f" against baseline `{result.baseline.source or 'baseline'}`"
    out += [line + f" · {md(policy_line(result))}", ""]
    if result.diff is not None:
        summary = profile_summary(result.diff.profile, "→", worse="**{}**")
        out += [f"Customer-centricity: {summary}", ""]
    if passed:
        out.append("No blocking finding" + (", no journey got worse than the baseline."
                                            if result.baseline is not None else "."))
    else:
        out += ["**Why it fails**", ""]
        out += [f"- {md(reason)}" for reason in result.reasons]
    if result.diff is not None and result.ratchet is not None and result.ratchet.figures:
        out += ["", "Ratchet figures per journey (baseline → proposal, **worse** in bold):", ""]
        table = ratchet_table(result.diff, result.ratchet.figures, worse="**{}**")
        out += [row.replace(" -> ", " → ") for row in markdown_table(table)]
    body = ["| state | severity | code | where | message | fingerprint |",
            "| --- | --- | --- | --- | --- | --- |"]
    for c in result.findings:
        f = c.finding
        place = f"{c.file}:{f.line}" if f.line is not None else c.file
        state = ", ".join(checked_tags(c)) or "-"
        if c.blocking:
            state = f"**{state}**"
        note = f" (waiver #{c.waiver.index}: {md(c.waiver.reason)})" if c.waiver else ""
        body.append(f"| {state} | {f.severity.value} | {f.code} | `{place}` `{f.path}` | "
                    f"{md(f.message)}{note} | `{f.fingerprint}` |")
    if not result.findings:
        body = ["_none_"]
    out += ["", "<details>" if passed else "<details open>",
            f"<summary>Findings: {md(summary_counts(result))}</summary>", "", *body, "",
            "</details>"]
    if result.waivers:
        rows = ["| # | waiver | matched | expires | reason |", "| ---: | --- | ---: | --- | --- |"]
        for w in result.waivers:
            expires = str(w.waiver.expires) if w.waiver.expires else "never"
            if w.expired:
                expires = f"**expired {expires}**"
            rows.append(f"| {w.index} | `{w.waiver.target()}` | {w.matched} | {expires} | "
                        f"{md(w.waiver.reason)} |")
        out += ["", "<details>", f"<summary>Waivers ({len(result.waivers)})</summary>", "",
                *rows, "", "</details>"]
    if result.diff is not None:
        out += structural_section(result.diff)
        source = result.baseline.source if result.baseline and result.baseline.source else (
            "baseline")
        out += ["", "<details>", f"<summary>Resolved findings ({len(result.resolved)})</summary>",
                "", *findings_table(source, result.resolved), "", "</details>"]
    return "\n".join(out) + "\n"
