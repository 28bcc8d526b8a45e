"""The analysis report as text for a terminal: headlines, aligned tables, findings."""

from __future__ import annotations

from orgmodel.analysis.findings import Finding
from orgmodel.analysis.registry import ANALYZERS
from orgmodel.analysis.report import Report
from orgmodel.output.grouped import LIST_ALL, grouped
from orgmodel.output.tables import text_table
from orgmodel.textsafe import one_line

__all__ = ["render"]

ROW_LIMIT = 50


def render(report: Report) -> str:
    """Render ``report`` for a person at a terminal."""
    doc = report.document
    out = [
        f"{doc.name}" + (f"  ({doc.source})" if doc.source else ""),
        f"{doc.units} units, {doc.positions} positions, {doc.journeys} journeys",
        "",
    ]
    for analyzer in ANALYZERS:
        section = report.section(analyzer.name)
        out.append(f"== {analyzer.title} ==")
        out.extend(section.headline())
        for table in section.tables():
            out.append("")
            out.extend(text_table(table, ROW_LIMIT))
        out.append("")
    out.append(f"== Findings ({_counts(report)}) ==")
    source = report.document.source or "<document>"

    def line(f: Finding) -> str:
        return f"{f.location(source)}: {f.code} {f.severity.value} [{f.rule}] {f.message}"

    if len(report.findings) <= LIST_ALL:
        out.extend(map(line, report.findings))
    else:
        for group in grouped(report.findings):
            out.append(
                f"-- {group.code} {group.rule}: {group.total} findings"
                + (f", the first {len(group.shown)}:" if group.hidden else ":")
            )
            out.extend(map(line, group.shown))
            if group.hidden:
                out.append(
                    f"   ... {group.hidden} more {group.code} findings "
                    "(--format json lists every finding)"
                )
    if not report.findings:
        out.append("(none)")
    return "\n".join(map(one_line, out)) + "\n"


def _counts(report: Report) -> str:
    return ", ".join(f"{n} {s.value}" for s, n in report.counts.items())
