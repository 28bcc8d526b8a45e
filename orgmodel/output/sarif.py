"""``orgmodel check`` as SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.

One run; ``tool.driver.rules`` lists every rule (analysis and policy) with its documentation;
one result per finding of the check, with the finding's fingerprint as a partial fingerprint,
its JSONPath as a logical location, ``baselineState`` (`new` / `unchanged`) when there is a
baseline, and an accepted external suppression when a waiver applies. The verdict and the
reasons are run properties. Validated against the OASIS schema in the tests.
"""

from __future__ import annotations

import json
from pathlib import PurePath, PurePosixPath, PureWindowsPath
from urllib.parse import quote

import orgmodel
from orgmodel.compare.policy import CheckedFinding, CheckResult
from orgmodel.model import Severity

__all__ = ["SARIF_SCHEMA", "artifact_uri", "render"]

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def artifact_uri(file: str) -> str:
    """A URI reference for a file name as given on the command line: relative paths stay
    relative (with `/`), absolute ones become `file:` URIs."""
    path: PurePath = PureWindowsPath(file) if "\\" in file else PurePosixPath(file)
    if path.is_absolute():
        return "file://" + quote(path.as_posix() if path.as_posix().startswith("/")
                                 else "/" + path.as_posix())
    return quote(path.as_posix())


def _result(c: CheckedFinding, rule_index: dict[str, int], has_baseline: bool) -> dict:
    f = c.finding
    physical: dict = {"artifactLocation": {"uri": artifact_uri(c.file)}}
    if f.line is not None:
        physical["region"] = {"startLine": f.line, "startColumn": f.column or 1}
    out: dict = {
        "ruleId": f.code,
        "ruleIndex": rule_index[f.code],
        "level": _LEVEL[f.severity],
        "message": {"text": f.message},
        "locations": [{
            "physicalLocation": physical,
            "logicalLocations": [{"fullyQualifiedName": f.path, "kind": "element"}],
        }],
        "partialFingerprints": {"orgmodel/v1": f.fingerprint},
    }
    if has_baseline and c.baseline_state is not None:
        out["baselineState"] = c.baseline_state.value
    elif has_baseline:
        out["baselineState"] = "new"
    if c.waiver is not None:
        out["suppressions"] = [{"kind": "external", "status": "accepted",
                                "justification": c.waiver.reason}]
    props: dict = {"blocking": c.blocking}
    if c.subject:
        props["subject"] = c.subject
    out["properties"] = props
    return out


def render(result: CheckResult) -> str:
    """Render ``result`` as a SARIF 2.1.0 log."""
    rule_index = {r.code: i for i, r in enumerate(result.rules)}
    rules = [
        {
            "id": r.code,
            "name": r.name,
            "shortDescription": {"text": r.summary},
            "fullDescription": {"text": r.doc or r.summary},
            "defaultConfiguration": {"level": _LEVEL[r.severity], "enabled": r.enabled},
        }
        for r in result.rules
    ]
    has_baseline = result.baseline is not None
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "orgmodel", "version": orgmodel.__version__,
                                "rules": rules}},
            "invocations": [{"executionSuccessful": True}],
            "columnKind": "unicodeCodePoints",
            "results": [_result(c, rule_index, has_baseline) for c in result.findings],
            "properties": {"verdict": result.verdict.value, "reasons": result.reasons,
                           "failOn": result.fail_on.value},
        }],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
