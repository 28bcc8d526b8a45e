"""The rules reference, generated from the rule registries (``docs/rules.md``): every
analyzer family's rules and the review policy's rules of ``orgmodel check``."""

from __future__ import annotations

from pathlib import Path

from orgmodel.analysis.findings import Rule
from orgmodel.analysis.registry import ANALYZERS
from orgmodel.compare.policy import POLICY_RULES

__all__ = ["RULES_DOC_PATH", "rule_families", "rules_markdown"]

RULES_DOC_PATH = Path("docs") / "rules.md"


def rule_families() -> list[tuple[str, tuple[Rule, ...]]]:
    """(title, rules) of every family that has rules, in report order, policy last."""
    families = [(a.title, tuple(a.rules)) for a in ANALYZERS if a.rules]
    families.append(("Review policy (orgmodel check)", POLICY_RULES))
    return families


def rules_markdown() -> str:
    """Every rule of every analyzer family: code, name, default severity, what it means."""
    out = [
        "# Rules reference",
        "",
        "Generated from the rule registry by `orgmodel rules --write`; do not edit by hand.",
        "Severities are defaults: change them per rule in `settings.rules` or a config file",
        "(`[rules.CODE] severity = \"error\"`, or `enabled = false`). Thresholds and figures are",
        "defined in [metrics.md](metrics.md). The ideas the rules refer to (the three layers,",
        "segments, customer goals, the seven deficits of customer orientation) are explained in",
        "[concepts.md](concepts.md).",
        "",
        "| code | name | default severity | summary |",
        "| --- | --- | --- | --- |",
    ]
    families = rule_families()
    for _, rules in families:
        for rule in rules:
            out.append(f"| [{rule.code}](#{rule.code.lower()}-{rule.name}) | {rule.name} | "
                       f"{rule.severity.value} | {rule.summary} |")
    for title, rules in families:
        out += ["", f"## {title}"]
        for rule in rules:
            out += ["", f"### {rule.code} {rule.name}", "",
                    f"Default severity: **{rule.severity.value}**.", "", rule.summary]
            if rule.doc:
                out += ["", rule.doc]
    return "\n".join(out) + "\n"
