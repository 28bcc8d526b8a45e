"""The rules reference, generated from the rule registries (``docs/rules.md``): every
analyzer family's rules and the review policy's rules of ``orgmodel check``."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from orgmodel.analysis.findings import Rule
from orgmodel.analysis.registry import ANALYZERS
from orgmodel.compare.policy import POLICY_RULES

__all__ = [
    "EXAMPLE_BASE",
    "RULES_DOC_PATH",
    "example_blocks",
    "example_document",
    "format_json",
    "rule_families",
    "rule_markdown",
    "rules_markdown",
]

RULES_DOC_PATH = Path("docs") / "rules.md"

#: The smallest valid document: a rule's example adds its members to it.
EXAMPLE_BASE: dict[str, Any] = {
    "orgmodel": "1",
    "name": "Minimal Ltd",
    "units": [{"id": "board", "name": "Board", "kind": "board"}],
}

#: Width up to which an array or object of an example is written on one line.
_INLINE = 88


def example_document(members: str) -> dict[str, Any]:
    """:data:`EXAMPLE_BASE` with the top-level ``members`` (a JSON object) replaced or added."""
    out = copy.deepcopy(EXAMPLE_BASE)
    out.update(json.loads(members) if members else {})
    return out


def format_json(value: Any, indent: int = 0, column: int | None = None) -> str:
    """``value`` as JSON indented by ``indent``, with the arrays and objects that fit on the
    line (starting at ``column``, default ``indent``) on one line."""
    flat = json.dumps(value, ensure_ascii=False)
    start = indent if column is None else column
    if start + len(flat) <= _INLINE or not isinstance(value, dict | list) or not value:
        return flat
    pad = " " * (indent + 2)
    if isinstance(value, dict):
        items = []
        for k, v in value.items():
            key = f"{pad}{json.dumps(k, ensure_ascii=False)}: "
            items.append(key + format_json(v, indent + 2, len(key)))
        return "{\n" + ",\n".join(items) + "\n" + " " * indent + "}"
    items = [pad + format_json(v, indent + 2) for v in value]
    return "[\n" + ",\n".join(items) + "\n" + " " * indent + "]"


def example_blocks(rule: Rule) -> list[tuple[str, str, str]]:
    """(caption, language, text) of the files of the rule's example: the document (for policy
    rules the baseline and the proposal), and the config when it needs one."""
    if not rule.example:
        return []
    out = []
    if rule.example_baseline:
        out.append(("Baseline", "json", format_json(example_document(rule.example_baseline))))
        out.append(("Proposal", "json", format_json(example_document(rule.example))))
    else:
        out.append(("Document", "json", format_json(example_document(rule.example))))
    if rule.example_config:
        out.append(("Config (`orgmodel.toml`)", "toml", rule.example_config.rstrip("\n")))
    return out


def rule_markdown(rule: Rule) -> list[str]:
    """The rule's documentation sections and example as Markdown lines (blank-line separated
    paragraphs), for the rules reference."""
    out: list[str] = []
    for title, text in rule.sections():
        out += ["", f"**{title}.** {text}"]
    blocks = example_blocks(rule)
    if blocks:
        out += ["", f"**Example.** {_example_intro(rule)}"]
        for caption, language, text in blocks:
            out += ["", f"{caption}:", "", f"```{language}", text, "```"]
    return out


def _example_intro(rule: Rule) -> str:
    if rule.example_baseline:
        return f"`orgmodel check proposal.json --baseline baseline.json` reports {rule.code}:"
    if rule.example_config:
        return f"`orgmodel check` with this config reports {rule.code} for any document:"
    return f"A document on which `orgmodel analyze` reports {rule.code}:"


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
        '(`[rules.CODE] severity = "error"`, or `enabled = false`). Thresholds and figures are',
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
            out.append(
                f"| [{rule.code}](#{rule.code.lower()}-{rule.name}) | {rule.name} | "
                f"{rule.severity.value} | {rule.summary} |"
            )
    for title, rules in families:
        out += ["", f"## {title}"]
        for rule in rules:
            out += [
                "",
                f"### {rule.code} {rule.name}",
                "",
                f"Default severity: **{rule.severity.value}**.",
                "",
                rule.summary,
            ]
            out += rule_markdown(rule)
    return "\n".join(out) + "\n"
