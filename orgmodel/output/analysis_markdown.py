"""The analysis report as Markdown for a pull-request comment: summary first, details folded."""

from __future__ import annotations

from orgmodel.analysis.findings import Finding
from orgmodel.analysis.registry import ANALYZERS
from orgmodel.analysis.report import Report
from orgmodel.output.grouped import LIST_ALL, grouped
from orgmodel.output.tables import cell, markdown_table, md

__all__ = ["render"]

ROW_LIMIT = 100


def _escape(text: str) -> str:
    """:func:`md`, and ``>`` too (a line of prose here could start a quote)."""
    return md(text).replace(">", "\\>")


def render(report: Report) -> str:
    """Render ``report`` as GitHub-flavoured Markdown."""
    doc = report.document
    out = [
        f"## orgmodel analysis: {_escape(doc.name)}",
        "",
        f"{doc.units} units, {doc.positions} positions, {doc.journeys} journeys. "
        + "Findings: "
        + ", ".join(f"**{n}** {s.value}" for s, n in report.counts.items()),
        "",
    ]
    for analyzer in ANALYZERS:
        section = report.section(analyzer.name)
        out.append(f"### {analyzer.title}")
        out.extend(f"- {_escape(line)}" for line in section.headline())
        for table in section.tables():
            out += ["", "<details>", f"<summary>{_escape(table.title)}</summary>", ""]
            out.extend(markdown_table(table, ROW_LIMIT))
            out += ["", "</details>"]
        out.append("")
    out.append("### Findings")
    if report.findings:
        head = ["| severity | code | rule | where | message |", "| --- | --- | --- | --- | --- |"]

        def row(f: Finding) -> str:
            where = f.json_path + (f" (line {f.line})" if f.line is not None else "")
            message = _escape(f.message)
            return f"| {f.severity.value} | {f.code} | {f.rule} | {cell(where)} | {message} |"

        if len(report.findings) <= LIST_ALL:
            out += [
                "",
                "<details open>",
                "<summary>All findings</summary>",
                "",
                *head,
                *map(row, report.findings),
                "",
                "</details>",
            ]
        else:
            for group in grouped(report.findings):
                more = (
                    f"; the first {len(group.shown)}, {group.hidden} more in `--format json`"
                    if group.hidden
                    else ""
                )
                out += [
                    "",
                    "<details>",
                    f"<summary>{group.code} {group.rule}: {group.total} findings{more}</summary>",
                    "",
                    *head,
                    *map(row, group.shown),
                    "",
                    "</details>",
                ]
    else:
        out.append("No findings.")
    return "\n".join(out) + "\n"
