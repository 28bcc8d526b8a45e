"""``orgmodel check`` as text for a terminal: verdict and reasons first, then the details."""

from __future__ import annotations

from collections import Counter

from orgmodel.compare.policy import BaselineState, CheckedFinding, CheckResult, Verdict
from orgmodel.output.compare_common import (
    checked_tags,
    finding_line,
    one_line,
    profile_summary,
    ratchet_table,
)
from orgmodel.output.grouped import LIST_ALL, PER_RULE
from orgmodel.output.tables import text_table

__all__ = ["policy_line", "render", "summary_counts"]


def policy_line(result: CheckResult) -> str:
    """`fail on error; ratchet: handoffs, crossings ...; findings counted: introduced`."""
    parts = [f"fail on {result.fail_on.value}"]
    if result.ratchet is not None:
        figures = ", ".join(f.value for f in result.ratchet.figures) or "none"
        parts.append(f"ratchet: {figures}")
        parts.append(f"findings counted: {result.ratchet.findings.value}")
    return "; ".join(parts)


def summary_counts(result: CheckResult) -> str:
    """`2 blocking, 14 new, 9 unchanged, 1 waived; 80 resolved`."""
    findings = result.findings
    states = Counter(c.baseline_state for c in findings)
    parts = [f"{len(result.blocking)} blocking"]
    if result.baseline is not None:
        parts += [
            f"{states[BaselineState.NEW]} new",
            f"{states[BaselineState.UNCHANGED]} unchanged",
        ]
    parts.append(f"{sum(1 for c in findings if c.waiver is not None)} waived")
    text = f"{len(findings)} findings: " + ", ".join(parts)
    if result.baseline is not None:
        text += f"; {len(result.resolved)} resolved"
    return text


def render(result: CheckResult) -> str:
    """Render ``result`` for a person at a terminal."""
    passed = result.verdict is Verdict.PASS
    p = result.proposal
    out = [
        f"{'PASS' if passed else 'FAIL'}: orgmodel check of {p.source or '<proposal>'} ({p.name})"
    ]
    if result.baseline is not None:
        out.append(
            f"  against baseline {result.baseline.source or '<baseline>'} ({result.baseline.name})"
        )
    out.append(
        f"  policy: {policy_line(result)}" + (f" (config {result.config})" if result.config else "")
    )
    if result.diff is not None:
        out.append(f"  customer-centricity: {profile_summary(result.diff.profile)}")
    out.append("")
    if passed:
        out.append(
            "No blocking finding"
            + (", no journey got worse than the baseline." if result.baseline is not None else ".")
        )
    else:
        out.append("Why it fails:")
        out += [f"  - {reason}" for reason in result.reasons]
    if result.diff is not None and result.ratchet is not None and result.ratchet.figures:
        out.append("")
        out += text_table(ratchet_table(result.diff, result.ratchet.figures))
    out += ["", f"== Findings ({summary_counts(result)}) =="]

    def line(c: CheckedFinding) -> str:
        return (
            finding_line(c.file, c.finding)
            + f" ({', '.join([*checked_tags(c), c.finding.fingerprint])})"
        )

    if len(result.findings) <= LIST_ALL:
        out += [line(c) for c in result.findings]
    else:  # blocking first, then per rule
        blocking = [c for c in result.findings if c.blocking]
        out += [line(c) for c in blocking[:LIST_ALL]]
        if len(blocking) > LIST_ALL:
            out.append(f"   ... {len(blocking) - LIST_ALL} more blocking findings")
        others: dict[str, list[CheckedFinding]] = {}
        for c in result.findings:
            if not c.blocking:
                others.setdefault(c.finding.code, []).append(c)
        for code, mine in others.items():
            out.append(f"-- {code} {mine[0].finding.rule}: {len(mine)} non-blocking findings")
            out += [line(c) for c in mine[:PER_RULE]]
            if len(mine) > PER_RULE:
                out.append(
                    f"   ... {len(mine) - PER_RULE} more {code} findings "
                    "(--format json lists every finding)"
                )
    if not result.findings:
        out.append("(none)")
    if result.waivers:
        out += ["", "== Waivers =="]
        for w in result.waivers:
            state = (
                "EXPIRED" if w.expired else f"{w.matched} finding{'s' if w.matched != 1 else ''}"
            )
            expires = f", expires {w.waiver.expires}" if w.waiver.expires else ""
            out.append(f"#{w.index} {w.waiver.target()}: {state}{expires}: {w.waiver.reason}")
    if result.baseline is not None:
        out += [
            "",
            f"Resolved: {len(result.resolved)} finding"
            f"{'s' if len(result.resolved) != 1 else ''} of the baseline "
            f"{'is' if len(result.resolved) == 1 else 'are'} gone "
            "(`orgmodel diff` lists them).",
        ]
    return "\n".join(one_line(line) for line in out) + "\n"
