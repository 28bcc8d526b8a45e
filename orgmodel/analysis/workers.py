"""Running the analyzer families, in two processes on large documents.

The families are independent of each other except where one reads another's memoized
figures (see :data:`orgmodel.analysis.registry.READS`). On a large document the families
named in :data:`~orgmodel.analysis.registry.SECOND_PROCESS` run in a forked child (see
:mod:`orgmodel.forked`) while this process runs the others; the child sends back its
sections, findings and memoized figures. The result is the same as running them one after
another: sections are keyed by family, and findings are sorted afterwards. If the child
fails, its families run here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from orgmodel.analysis.base import AnalysisContext, Analyzer, Section, adopt_memoized, memoized
from orgmodel.analysis.registry import ANALYZERS, READS, SECOND_PROCESS
from orgmodel.forked import Forked, may_fork

__all__ = ["MIN_SIZE", "run_families"]

#: Units, positions and journey steps a document needs before a second process pays off
#: (forking and sending results back cost a few tenths of a second on the largest ones).
MIN_SIZE = 100_000


def run_families(ctx: AnalysisContext, analyzers: Sequence[Analyzer] = ANALYZERS
                 ) -> dict[str, Section]:
    """Run every family on ``ctx`` (findings go to ``ctx.findings``); the sections by name."""
    helper = [a for a in analyzers if a.name in SECOND_PROCESS]
    child = (Forked.start(_run_in_child, ctx, helper)
             if helper and may_fork() and _size(ctx) >= MIN_SIZE else None)
    if child is None:
        return {a.name: a.run(ctx) for a in analyzers}
    sections: dict[str, Section] = {}
    waiting = True
    try:
        for a in analyzers:
            if a in helper:
                continue
            if waiting and any(name in SECOND_PROCESS for name in READS.get(a.name, ())):
                waiting = False
                sections.update(_collect(child, ctx, helper))
            sections[a.name] = a.run(ctx)
    except BaseException:
        if waiting:
            child.abandon()
        raise
    if waiting:
        sections.update(_collect(child, ctx, helper))
    return {a.name: sections[a.name] for a in analyzers}


def _size(ctx: AnalysisContext) -> int:
    doc = ctx.enterprise.document
    return len(doc.units) + len(doc.positions) + sum(len(j.steps) for j in doc.journeys)


def _run_in_child(ctx: AnalysisContext, analyzers: list[Analyzer]) -> tuple:
    mine = replace(ctx, findings=[])
    sections = {a.name: a.run(mine) for a in analyzers}
    return sections, mine.findings, memoized(ctx.enterprise)


def _collect(child: Forked, ctx: AnalysisContext, analyzers: list[Analyzer]
             ) -> dict[str, Section]:
    """The child's sections; its findings and memoized figures join ours. If it failed,
    its families run here."""
    ok, result = child.result()
    if not ok:
        return {a.name: a.run(ctx) for a in analyzers}
    sections, findings, memos = result
    ctx.findings.extend(findings)
    adopt_memoized(ctx.enterprise, memos)
    return sections
