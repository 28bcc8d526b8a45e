"""``orgmodel check`` as GitHub Actions workflow commands: one annotation per finding that
matters on the pull request, then the verdict as plain log lines.

Annotated are blocking findings (as `error`), and findings that are new (or, without a
baseline, all findings) and not waived, at their own severity (`info` as `notice`). Findings
the baseline already had and waived findings are not annotated; the log lines count them.
The regressions of one journey (P01) share one annotation. GitHub shows at most ten
annotations of each level per step: the most severe and the regressions come first, and when
a level has more, its tenth annotation says how many more there are; the log then lists every
annotated finding.

Escaping follows the Actions toolkit (``@actions/core`` ``command.ts``): in the message
``%`` -> ``%25``, CR -> ``%0D``, LF -> ``%0A``; in property values (file, title) also
``:`` -> ``%3A`` and ``,`` -> ``%2C``.

>>> escape_property("Ops, Billing: 100%")
'Ops%2C Billing%3A 100%25'
"""

from __future__ import annotations

from collections import Counter

from orgmodel.compare.policy import (
    REGRESSED,
    REMOVED,
    BaselineState,
    CheckedFinding,
    CheckResult,
    Verdict,
)
from orgmodel.model import Severity
from orgmodel.output.compare_common import checked_tags, finding_line, one_line

__all__ = ["ANNOTATION_CAP", "annotation", "capped", "escape_data", "escape_property", "render"]

#: GitHub shows at most this many annotations of each level (error, warning, notice) per step.
ANNOTATION_CAP = 10

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
_RANK = {"error": 0, "warning": 1, "notice": 2}


def escape_data(text: str) -> str:
    """Escape a workflow command's message."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a workflow command's property value."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(
    level: str,
    message: str,
    *,
    file: str | None = None,
    line: int | None = None,
    col: int | None = None,
    title: str | None = None,
) -> str:
    """One workflow command, e.g. `::error file=a.json,line=3,col=5,title=T::message`."""
    props = []
    if file is not None:
        props.append(f"file={escape_property(file)}")
    if line is not None:
        props.append(f"line={line}")
        if col is not None:
            props.append(f"col={col}")
    if title is not None:
        props.append(f"title={escape_property(title)}")
    head = f"::{level}" + (" " + ",".join(props) if props else "")
    return f"{head}::{escape_data(message)}"


def _annotated(c: CheckedFinding) -> bool:
    return c.blocking or (c.waiver is None and c.baseline_state is not BaselineState.UNCHANGED)


def _groups(findings: list[CheckedFinding]) -> list[list[CheckedFinding]]:
    """One group per annotation: the regressions (P01) of one journey together, so that a
    journey that got worse on five figures is one annotation, not five."""
    out: list[list[CheckedFinding]] = []
    for c in findings:
        last = out[-1][0] if out else None
        if (
            last is not None
            and c.regression is not None
            and last.regression is not None
            and c.journey == last.journey
            and c.blocking == last.blocking
            and c.file == last.file
        ):
            out[-1].append(c)
        else:
            out.append([c])
    return out


def _annotations(groups: list[list[CheckedFinding]]) -> list[tuple[str, str, int]]:
    """(level, workflow command, group index) for every group, the most severe and the
    regressions first."""
    out = []
    for i, group in enumerate(groups):
        c, f = group[0], group[0].finding
        title = f"{f.code} {f.rule}" + (f": {c.subject}" if c.subject else "")
        level = "error" if c.blocking else _LEVEL[f.severity]
        if len(group) == 1:
            message = f"{f.message} [{f.json_path}; fingerprint {f.fingerprint}]"
        else:
            details = "; ".join(g.regression.detail() for g in group if g.regression)
            prints = ", ".join(g.finding.fingerprint for g in group)
            message = (
                f"journey '{c.journey}' ({c.subject}) got worse: {details} "
                f"[{f.json_path}; fingerprints {prints}]"
            )
        out.append(
            (
                level,
                annotation(level, message, file=c.file, line=f.line, col=f.column, title=title),
                i,
            )
        )
    regression = {REGRESSED.code, REMOVED.code}
    out.sort(key=lambda a: (_RANK[a[0]], groups[a[2]][0].finding.code not in regression))
    return out


def capped(
    commands: list[tuple[str, str]], cap: int = ANNOTATION_CAP, where: str = "the log of this step"
) -> list[str]:
    """At most ``cap`` annotations per level, in the order given: when a level has more, its
    last one says how many more there are and that ``where`` lists them all."""
    totals = Counter(level for level, _ in commands)
    seen: Counter[str] = Counter()
    out = []
    for level, command in commands:
        seen[level] += 1
        if totals[level] <= cap or seen[level] < cap:
            out.append(command)
        elif seen[level] == cap:
            more = totals[level] - (cap - 1)
            noun = {"error": "errors", "warning": "warnings", "notice": "notices"}[level]
            out.append(
                annotation(
                    level,
                    f"{more} more {noun} are not annotated (GitHub shows "
                    f"{cap} per level); see {where} for all of them.",
                    title=f"orgmodel: {more} more {noun}",
                )
            )
    return out


def render(result: CheckResult, cap: int = ANNOTATION_CAP) -> str:
    """Render ``result`` as workflow commands (at most ``cap`` per level, see :func:`capped`)
    and log lines: the verdict, the reasons, and every annotated finding."""
    groups = _groups([c for c in result.findings if _annotated(c)])
    commands = _annotations(groups)
    out = capped(
        [(level, command) for level, command, _ in commands],
        cap,
        "the log of this step (below), the job summary and the SARIF report",
    )
    passed = result.verdict is Verdict.PASS
    out.append(
        f"orgmodel check: {'PASS' if passed else 'FAIL'} "
        f"({len(result.blocking)} blocking of {len(result.findings)} findings, "
        f"fail on {result.fail_on.value})"
    )
    out += [one_line(f"  - {reason}") for reason in result.reasons]
    if max(Counter(level for level, _, _ in commands).values(), default=0) > cap:
        out.append("Annotated findings (all of them):")
        for _, _, i in commands:
            out += [
                one_line(
                    "  " + finding_line(c.file, c.finding) + f" ({', '.join(checked_tags(c))})"
                )
                for c in groups[i]
            ]
    return "\n".join(out) + "\n"
