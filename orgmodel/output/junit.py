"""``orgmodel check`` as JUnit XML: one test case per rule, for CI systems that show tests.

A rule's test case fails when the rule has blocking findings (each listed in the failure
text), is skipped when the rule is switched off, and passes otherwise; its non-blocking
findings are listed in ``system-out``. Valid against the JUnit schema of the Jenkins xUnit
plugin (``junit-10.xsd``), which the tests check.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from orgmodel.compare.policy import CheckResult
from orgmodel.output.compare_common import checked_tags, finding_line

__all__ = ["render"]

_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    """Text that XML 1.0 can hold: control characters other than tab and newlines dropped."""
    return _INVALID_XML.sub("", text)


def render(result: CheckResult) -> str:
    """Render ``result`` as a JUnit XML report."""
    name = f"orgmodel check {result.proposal.source or result.proposal.name}"
    failures = skipped = 0
    cases = []
    for rule in result.rules:
        mine = [c for c in result.findings if c.finding.code == rule.code]
        case = ET.Element(
            "testcase",
            {"classname": f"orgmodel.{rule.code[0]}", "name": f"{rule.code} {rule.name}"},
        )
        blocking = [c for c in mine if c.blocking]
        others = [c for c in mine if not c.blocking]
        if not rule.enabled:
            skipped += 1
            ET.SubElement(case, "skipped", {"message": "rule switched off"})
        elif blocking:
            failures += 1
            failure = ET.SubElement(
                case,
                "failure",
                {
                    "type": rule.code,
                    "message": _clean(
                        f"{len(blocking)} blocking finding"
                        f"{'s' if len(blocking) != 1 else ''}: {rule.summary}"
                    ),
                },
            )
            failure.text = _clean("\n".join(finding_line(c.file, c.finding) for c in blocking))
        if others:
            out = ET.SubElement(case, "system-out")
            out.text = _clean(
                "\n".join(
                    finding_line(c.file, c.finding) + f" ({', '.join(checked_tags(c)) or 'ok'})"
                    for c in others
                )
            )
        cases.append(case)
    counts = {"tests": str(len(cases)), "failures": str(failures), "errors": "0"}
    # `skipped` only on the suite: the common JUnit schema (Jenkins xUnit's junit-10.xsd)
    # has no such attribute on <testsuites>, and pytest's own reports leave it out there too.
    root = ET.Element("testsuites", {"name": "orgmodel check", **counts})
    suite = ET.SubElement(
        root, "testsuite", {"name": _clean(name), **counts, "skipped": str(skipped)}
    )
    props = ET.SubElement(suite, "properties")
    for key, value in (
        ("verdict", result.verdict.value),
        ("fail_on", result.fail_on.value),
        ("proposal", result.proposal.source or result.proposal.name),
        ("baseline", result.baseline.source or result.baseline.name if result.baseline else ""),
    ):
        if value:
            ET.SubElement(props, "property", {"name": key, "value": _clean(value)})
    suite.extend(cases)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"
