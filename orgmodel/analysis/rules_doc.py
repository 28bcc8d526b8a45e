"""The rules reference, generated from the rule registry (``docs/rules.md``)."""

from __future__ import annotations

from pathlib import Path

from orgmodel.analysis.registry import ANALYZERS

__all__ = ["RULES_DOC_PATH", "rules_markdown"]

RULES_DOC_PATH = Path("docs") / "rules.md"


def rules_markdown() -> str:
    """Every rule of every analyzer family: code, name, default severity, what it means."""
    out = [
        "# Rules reference",
        "",
        "Generated from the rule registry by `orgmodel rules --write`; do not edit by hand.",
        "Severities are defaults: change them per rule in `settings.rules` or a config file",
        "(`[rules.CODE] severity = \"error\"`, or `enabled = false`). Thresholds and figures are",
        "defined in [metrics.md](metrics.md).",
        "",
        "| code | name | default severity | summary |",
        "| --- | --- | --- | --- |",
    ]
    for analyzer in ANALYZERS:
        for rule in analyzer.rules:
            out.append(f"| [{rule.code}](#{rule.code.lower()}-{rule.name}) | {rule.name} | "
                       f"{rule.severity.value} | {rule.summary} |")
    for analyzer in ANALYZERS:
        if not analyzer.rules:
            continue
        out += ["", f"## {analyzer.title}"]
        for rule in analyzer.rules:
            out += ["", f"### {rule.code} {rule.name}", "",
                    f"Default severity: **{rule.severity.value}**.", "", rule.summary]
            if rule.doc:
                out += ["", rule.doc]
    return "\n".join(out) + "\n"
