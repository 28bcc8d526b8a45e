"""Rendering presentation tables as aligned text or as Markdown, and Markdown escaping."""

from __future__ import annotations

from orgmodel.analysis.base import Table
from orgmodel.textsafe import markdown_code, terminal

__all__ = ["cell", "code", "markdown_table", "md", "text_table"]


def text_table(table: Table, limit: int | None = None) -> list[str]:
    """Aligned plain-text lines: a title, a header, a rule and the rows."""
    rows = table.rows if limit is None else table.rows[:limit]
    widths = [len(c) for c in table.columns]
    for row in rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], len(cell))

    def fmt(cells: tuple[str, ...]) -> str:
        out = [
            cell.rjust(widths[i]) if i in table.numeric else cell.ljust(widths[i])
            for i, cell in enumerate(cells)
        ]
        return "  ".join(out).rstrip()

    lines = [table.title, fmt(table.columns), "  ".join("-" * w for w in widths)]
    lines.extend(fmt(row) for row in rows)
    if limit is not None and len(table.rows) > limit:
        lines.append(f"... {len(table.rows) - limit} more rows (see --format json)")
    if not table.rows:
        lines.append("(none)")
    return lines


def _md_cell(text: str) -> str:
    text = terminal(text.replace("\r", " ").replace("\n", " "))
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "\\<")


def markdown_table(table: Table, limit: int | None = None) -> list[str]:
    """A GitHub-flavoured Markdown table."""
    rows = table.rows if limit is None else table.rows[:limit]
    if not table.rows:
        return ["_none_"]
    align = ["---:" if i in table.numeric else "---" for i in range(len(table.columns))]
    lines = [
        "| " + " | ".join(_md_cell(c) for c in table.columns) + " |",
        "| " + " | ".join(align) + " |",
    ]
    lines.extend("| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows)
    if limit is not None and len(table.rows) > limit:
        lines.append(f"\n_{len(table.rows) - limit} more rows in the JSON report._")
    return lines


def md(text: str) -> str:
    """Escape text for Markdown prose and table cells (one line, no raw HTML, no control
    characters)."""
    text = terminal(text.replace("\r", " ").replace("\n", " "))
    for ch in "\\`*_[]<|":
        text = text.replace(ch, "\\" + ch)
    return text


def code(text: str) -> str:
    """``text`` as a Markdown code span in prose (see :func:`textsafe.markdown_code`)."""
    return markdown_code(text)


def cell(text: str) -> str:
    """``text`` as a Markdown code span in a table cell (``|`` escaped for the table)."""
    return markdown_code(text, in_table=True)
