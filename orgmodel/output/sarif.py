"""``orgmodel check`` as SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.

One run; ``tool.driver.rules`` lists every rule (analysis and policy) with its documentation:
short and full descriptions within code scanning's 1,000 characters, the whole text as
``help`` (text and Markdown), a ``helpUri`` into the rules reference when its address is
known (:func:`rules_url`), the rule's family as a tag and its severity as
``problem.severity``. One result per finding of the check: its file relative to the
repository root (``%SRCROOT%``, :func:`source_root`), a region on every result (line 1 of the
file for a finding without a line), its JSONPath as a logical location, the finding's
line-independent fingerprint as ``partialFingerprints.primaryLocationLineHash`` (the key code
scanning matches alerts by) and as ``orgmodel/v1``, ``baselineState`` (`new` / `unchanged`)
when there is a baseline, and an accepted external suppression when a waiver applies. The
verdict and the reasons are run properties. Validated against the OASIS schema in the tests.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from pathlib import Path, PurePath, PurePosixPath, PureWindowsPath
from urllib.parse import quote, urljoin, urlsplit

import orgmodel
from orgmodel.analysis.registry import ANALYZERS
from orgmodel.compare.policy import POLICY_CODES, CheckedFinding, CheckResult, RuleInfo, known_codes
from orgmodel.model import Severity
from orgmodel.rulesref import example_blocks

__all__ = [
    "RULES_URL_ENV",
    "SARIF_SCHEMA",
    "SRCROOT",
    "artifact_location",
    "artifact_uri",
    "render",
    "rule_anchor",
    "rules_url",
    "source_root",
]

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"

#: The base URI id of every artifact: the repository root.
SRCROOT = "%SRCROOT%"

#: Environment variable with the absolute URL of `docs/rules.md` (overrides the Action's).
RULES_URL_ENV = "ORGMODEL_RULES_URL"

#: Code scanning's limit for a rule's short and full description.
DESCRIPTION_LIMIT = 1000

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
_PROBLEM_SEVERITY = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFO: "recommendation",
}
_FAMILY = {rule.code: a.name for a in ANALYZERS for rule in a.rules}


def _absolute_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def rules_url(env: Mapping[str, str] | None = None) -> str | None:
    """The absolute URL of the rules reference (`docs/rules.md`) that ``helpUri`` points
    into: ``$ORGMODEL_RULES_URL`` when it is an absolute http(s) URL; else, inside a GitHub
    Action step, the `docs/rules.md` of the action's repository at the action's ref
    (``GITHUB_SERVER_URL``, ``GITHUB_ACTION_REPOSITORY``, ``GITHUB_ACTION_REF``); else None
    (no ``helpUri``: the help text is in the log itself)."""
    env = os.environ if env is None else env
    explicit = env.get(RULES_URL_ENV, "").strip()
    if explicit and _absolute_url(explicit):
        return explicit
    server = env.get("GITHUB_SERVER_URL", "").strip().rstrip("/")
    repository = env.get("GITHUB_ACTION_REPOSITORY", "").strip()
    ref = env.get("GITHUB_ACTION_REF", "").strip()
    if server and repository and ref and _absolute_url(server):
        return f"{server}/{quote(repository)}/blob/{quote(ref)}/docs/rules.md"
    return None


def rule_anchor(code: str, name: str) -> str:
    """The anchor of a rule's section in the rules reference, as `rulesref` links it."""
    return f"{code.lower()}-{name}"


def source_root(cwd: str | Path | None = None, env: Mapping[str, str] | None = None) -> Path:
    """The repository root that artifact URIs are relative to: the git work tree around
    ``cwd`` (default: the working directory), else ``GITHUB_WORKSPACE``, else ``cwd``."""
    env = os.environ if env is None else env
    here = Path(os.path.abspath(cwd if cwd is not None else os.getcwd()))
    for directory in (here, *here.parents):
        if (directory / ".git").exists():  # a directory, or a file in a worktree
            return directory
    workspace = env.get("GITHUB_WORKSPACE", "").strip()
    return Path(os.path.abspath(workspace)) if workspace else here


def artifact_uri(file: str) -> str:
    """A URI reference for a file name as given: relative paths stay relative (with `/`),
    absolute ones become `file:` URIs."""
    path: PurePath = PureWindowsPath(file) if "\\" in file else PurePosixPath(file)
    if path.is_absolute():
        return "file://" + quote(
            path.as_posix() if path.as_posix().startswith("/") else "/" + path.as_posix()
        )
    return quote(path.as_posix())


def artifact_location(file: str, *, root: Path, cwd: Path) -> dict:
    """The artifact location of ``file`` (as given on the command line, relative to
    ``cwd``): relative to ``root`` with ``uriBaseId`` `%SRCROOT%` when the file is inside it,
    else an absolute `file:` URI without base (code scanning cannot show it in the code)."""
    if "\\" in file:  # a Windows name: no file system to resolve it against here
        return (
            {"uri": artifact_uri(file)}
            if PureWindowsPath(file).is_absolute()
            else {"uri": artifact_uri(file), "uriBaseId": SRCROOT}
        )
    absolute = os.path.abspath(os.path.join(cwd, file))
    for base, target in (
        (os.path.abspath(root), absolute),
        (os.path.realpath(root), os.path.realpath(absolute)),
    ):
        relative = os.path.relpath(target, base)
        if relative != os.pardir and not relative.startswith(os.pardir + os.sep):
            return {"uri": artifact_uri(PurePath(relative).as_posix()), "uriBaseId": SRCROOT}
    return {"uri": artifact_uri(absolute)}


def _clip(text: str, limit: int = DESCRIPTION_LIMIT) -> str:
    """``text`` within ``limit`` characters: whole sentences, then ` …`, when it is longer."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 2]
    end = cut.rfind(". ")
    return (cut[: end + 1] if end > 0 else cut.rstrip()) + " …"


_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")


def _plain(text: str) -> str:
    """Markdown links of the rule docs as their words, for the plain-text fields."""
    return _LINK.sub(r"\1", text)


def _linked(text: str, url: str | None) -> str:
    """The rule docs' links to other docs pages (``concepts.md#silos``) made absolute
    against the rules reference's ``url``; without one, as plain words."""
    if url is None:
        return _plain(text)

    def absolute(match: re.Match[str]) -> str:
        words, target = match.groups()
        return f"[{words}]({target if urlsplit(target).scheme else urljoin(url, target)})"

    return _LINK.sub(absolute, text)


def _rule(rule: RuleInfo, url: str | None) -> dict:
    known = known_codes().get(rule.code)
    default = known.severity if known is not None else rule.severity
    anchor = rule_anchor(rule.code, rule.name)
    text = [f"{rule.code} {rule.name} (default severity: {default.value})", _plain(rule.summary)]
    markdown = [
        f"**{rule.code} {rule.name}**: default severity **{default.value}**.",
        _linked(rule.summary, url),
    ]
    sections = known.sections() if known is not None else []
    if sections:
        text += [f"{title}: {_plain(part)}" for title, part in sections]
        markdown += [f"**{title}.** {_linked(part, url)}" for title, part in sections]
    elif rule.doc:
        text.append(_plain(rule.doc))
        markdown.append(_linked(rule.doc, url))
    blocks = example_blocks(known) if known is not None else []
    if blocks:
        text.append("Example:")
        markdown.append("**Example.**")
        for caption, language, body in blocks:
            text.append(f"{_plain(caption).replace('`', '')}:\n{body}")
            markdown.append(f"{caption}:\n\n```{language}\n{body}\n```")
    if url is not None:
        text.append(f"Rules reference: {url}#{anchor}")
        markdown.append(f"[{rule.code} in the rules reference]({url}#{anchor})")
    out: dict = {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": _clip(_plain(rule.summary))},
        "fullDescription": {"text": _clip(_plain(rule.doc or rule.summary))},
        "help": {"text": "\n\n".join(text), "markdown": "\n\n".join(markdown)},
    }
    if url is not None:
        out["helpUri"] = f"{url}#{anchor}"
    family = "policy" if rule.code in POLICY_CODES else _FAMILY.get(rule.code, "analysis")
    out["defaultConfiguration"] = {"level": _LEVEL[rule.severity], "enabled": rule.enabled}
    out["properties"] = {
        "tags": ["orgmodel", family],
        "problem.severity": _PROBLEM_SEVERITY[rule.severity],
    }
    return out


def _result(
    c: CheckedFinding, rule_index: dict[str, int], has_baseline: bool, locations: dict[str, dict]
) -> dict:
    f = c.finding
    region: dict = {"startLine": f.line or 1}
    if f.line is not None and f.column is not None:
        region["startColumn"] = f.column
    out: dict = {
        "ruleId": f.code,
        "ruleIndex": rule_index[f.code],
        "level": _LEVEL[f.severity],
        "message": {"text": f.message},
        "locations": [
            {
                "physicalLocation": {"artifactLocation": locations[c.file], "region": region},
                "logicalLocations": [{"fullyQualifiedName": f.json_path, "kind": "element"}],
            }
        ],
        "partialFingerprints": {
            "primaryLocationLineHash": f.fingerprint,
            "orgmodel/v1": f.fingerprint,
        },
    }
    if has_baseline and c.baseline_state is not None:
        out["baselineState"] = c.baseline_state.value
    elif has_baseline:
        out["baselineState"] = "new"
    if c.waiver is not None:
        out["suppressions"] = [
            {"kind": "external", "status": "accepted", "justification": c.waiver.reason}
        ]
    props: dict = {"blocking": c.blocking}
    if c.subject:
        props["subject"] = c.subject
    out["properties"] = props
    return out


def render(
    result: CheckResult,
    *,
    root: Path | None = None,
    cwd: Path | None = None,
    help_url: str | None = None,
) -> str:
    """Render ``result`` as a SARIF 2.1.0 log. File names are relative to ``cwd`` (default:
    the working directory); URIs are relative to ``root`` (default: :func:`source_root`);
    ``help_url`` is the rules reference's address (default: :func:`rules_url`)."""
    cwd = Path(os.getcwd()) if cwd is None else cwd
    root = source_root(cwd) if root is None else root
    url = rules_url() if help_url is None else help_url
    rule_index = {r.code: i for i, r in enumerate(result.rules)}
    locations = {
        file: artifact_location(file, root=root, cwd=cwd)
        for file in sorted({c.file for c in result.findings})
    }
    has_baseline = result.baseline is not None
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "orgmodel",
                        "version": orgmodel.__version__,
                        "rules": [_rule(r, url) for r in result.rules],
                    }
                },
                "invocations": [{"executionSuccessful": True}],
                "originalUriBaseIds": {
                    SRCROOT: {
                        "description": {
                            "text": "The root of the repository: the git work tree around the "
                            "working directory, else GITHUB_WORKSPACE, else the working "
                            "directory."
                        }
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": [
                    _result(c, rule_index, has_baseline, locations) for c in result.findings
                ],
                "properties": {
                    "verdict": result.verdict.value,
                    "reasons": result.reasons,
                    "failOn": result.fail_on.value,
                },
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
