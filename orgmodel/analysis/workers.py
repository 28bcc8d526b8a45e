"""Running the analyzer families, in two processes on large documents.

The development machine, like most, has two cores or more, and the families are independent
of each other except where one reads another's memoized figures (see
:data:`orgmodel.analysis.registry.READS`). On a large document the families named in
:data:`~orgmodel.analysis.registry.SECOND_PROCESS` run in a child process forked after the
document is loaded (so it shares the loaded document, copy-on-write, instead of reading it
again), while this process runs the others; the child sends back its sections, findings and
memoized figures. The result is the same as running them one after another: sections are
keyed by family, and findings are sorted afterwards.

Forking is used on Linux only (it is the default start method there, and safe for this
single-threaded code), above :data:`MIN_SIZE`, and unless ``ORGMODEL_JOBS=1``. If the
child fails in any way, its families run here instead.
"""

from __future__ import annotations

import os
import pickle
import sys
from collections.abc import Sequence
from dataclasses import replace

from orgmodel.analysis.base import AnalysisContext, Analyzer, Section, adopt_memoized, memoized
from orgmodel.analysis.registry import ANALYZERS, READS, SECOND_PROCESS

__all__ = ["MIN_SIZE", "run_families"]

#: Units, positions and journey steps a document needs before a second process pays off
#: (forking and sending results back cost a few tenths of a second on the largest ones).
MIN_SIZE = 100_000


def run_families(ctx: AnalysisContext, analyzers: Sequence[Analyzer] = ANALYZERS
                 ) -> dict[str, Section]:
    """Run every family on ``ctx`` (findings go to ``ctx.findings``); the sections by name."""
    helper = [a for a in analyzers if a.name in SECOND_PROCESS]
    if not helper or not _may_fork() or _size(ctx) < MIN_SIZE:
        return {a.name: a.run(ctx) for a in analyzers}
    child = _Child.start(ctx, helper)
    sections: dict[str, Section] = {}
    waiting = True
    try:
        for a in analyzers:
            if a in helper:
                continue
            if waiting and any(name in SECOND_PROCESS for name in READS.get(a.name, ())):
                waiting = False
                sections.update(child.collect(ctx))
            sections[a.name] = a.run(ctx)
    except BaseException:
        if waiting:
            child.abandon()
        raise
    if waiting:
        sections.update(child.collect(ctx))
    return {a.name: sections[a.name] for a in analyzers}


def _may_fork() -> bool:
    return (sys.platform.startswith("linux") and hasattr(os, "fork")
            and os.environ.get("ORGMODEL_JOBS", "").strip() != "1")


def _size(ctx: AnalysisContext) -> int:
    doc = ctx.enterprise.document
    return len(doc.units) + len(doc.positions) + sum(len(j.steps) for j in doc.journeys)


class _Child:
    """A forked process running some families; :meth:`collect` takes over its results."""

    def __init__(self, pid: int, fd: int, analyzers: list[Analyzer]) -> None:
        self.pid = pid
        self.fd = fd
        self.analyzers = analyzers

    @classmethod
    def start(cls, ctx: AnalysisContext, analyzers: list[Analyzer]) -> _Child:
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: compute, send, and leave without any cleanup
            os.close(read_fd)
            try:
                mine = replace(ctx, findings=[])
                sections = {a.name: a.run(mine) for a in analyzers}
                payload = pickle.dumps((sections, mine.findings, memoized(ctx.enterprise)),
                                       protocol=pickle.HIGHEST_PROTOCOL)
                with os.fdopen(write_fd, "wb") as out:
                    out.write(payload)
            except BaseException:  # whatever it is, the parent runs the families itself
                os._exit(1)
            os._exit(0)
        os.close(write_fd)
        return cls(pid, read_fd, analyzers)

    def abandon(self) -> None:
        """Stop listening; the child fails to send (broken pipe) and ends."""
        os.close(self.fd)
        os.waitpid(self.pid, 0)

    def collect(self, ctx: AnalysisContext) -> dict[str, Section]:
        """Wait for the child; its sections (its findings and memoized figures join ours)."""
        with os.fdopen(self.fd, "rb") as source:
            payload = source.read()
        _, status = os.waitpid(self.pid, 0)
        if os.waitstatus_to_exitcode(status) == 0 and payload:
            sections, findings, memos = pickle.loads(payload)
            ctx.findings.extend(findings)
            adopt_memoized(ctx.enterprise, memos)
            return sections
        return {a.name: a.run(ctx) for a in self.analyzers}
