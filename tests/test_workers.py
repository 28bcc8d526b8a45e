"""Analyzer families in a second process give exactly the report of running them here."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from orgmodel import forked
from orgmodel.analysis import analyze, silos, workers
from orgmodel.analysis.base import AnalysisContext
from orgmodel.forked import may_fork
from orgmodel.graph import Enterprise, build_enterprise
from orgmodel.loader import load_document

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "examples").glob("*/*.json"))

pytestmark = pytest.mark.skipif(not may_fork(), reason="forks on Linux only")


def report_of(path: Path, journeys: list[str] | None = None):
    return analyze(build_enterprise(load_document(path)), journeys=journeys)


@pytest.fixture
def forks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Make every document large enough for a second process; record each fork ("fork") and
    each result taken over from the child ("adopted")."""
    monkeypatch.setattr(workers, "MIN_SIZE", 0)
    events: list[str] = []
    real_fork, real_adopt = os.fork, workers.adopt_memoized

    def fork() -> int:
        events.append("fork")
        return real_fork()

    def adopt(*args: object) -> None:
        events.append("adopted")
        real_adopt(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(forked.os, "fork", fork)
    monkeypatch.setattr(workers, "adopt_memoized", adopt)
    return events


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_two_processes_give_the_same_report(path: Path, forks: list[str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    parallel = report_of(path)
    assert forks == ["fork", "adopted"], "the child's results were not used"
    monkeypatch.setenv("ORGMODEL_JOBS", "1")
    assert report_of(path) == parallel


def test_a_journey_selection_is_honoured_in_both_processes(
        forks: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    path = EXAMPLES[0].parent.parent / "telecom" / "current.json"
    parallel = report_of(path, ["invoice-question"])
    monkeypatch.setenv("ORGMODEL_JOBS", "1")
    assert report_of(path, ["invoice-question"]) == parallel
    assert forks == ["fork", "adopted"]


def test_a_failing_helper_is_replaced_by_running_here(
        forks: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    path = EXAMPLES[0].parent.parent / "telecom" / "current.json"
    expected = report_of(path)

    def broken(*args: object, **kwargs: object) -> bytes:
        raise RuntimeError("cannot send")

    monkeypatch.setattr(forked.pickle, "dumps", broken)  # only the child sends
    assert report_of(path) == expected
    assert forks == ["fork", "adopted", "fork"]  # the second child sent nothing


def test_orgmodel_jobs_1_runs_everything_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers, "MIN_SIZE", 0)
    monkeypatch.setenv("ORGMODEL_JOBS", "1")

    def no_fork() -> int:
        raise AssertionError("forked although ORGMODEL_JOBS=1")

    monkeypatch.setattr(forked.os, "fork", no_fork)
    assert report_of(EXAMPLES[0]).findings


def test_a_failure_here_leaves_no_child_behind(forks: list[str],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    def fails(ctx: object) -> None:
        raise RuntimeError("bug")

    real_abandon = forked.Forked.abandon

    def abandon(child: forked.Forked) -> None:
        forks.append("abandoned")
        real_abandon(child)

    monkeypatch.setattr(silos, "run", fails)
    monkeypatch.setattr(forked.Forked, "abandon", abandon)
    with pytest.raises(RuntimeError, match="bug"):
        report_of(EXAMPLES[0])
    assert forks == ["fork", "abandoned"]
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # the child was waited for


def test_no_process_to_be_had_means_running_here(forks: list[str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    expected = report_of(EXAMPLES[0])

    def refused() -> int:
        forks.append("refused")
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(forked.os, "fork", refused)
    assert report_of(EXAMPLES[0]) == expected
    assert forks == ["fork", "adopted", "refused"]


def test_only_documents_of_min_size_use_a_second_process(
        forks: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    ent = build_enterprise(load_document(EXAMPLES[0]))
    size = workers._size(analyze_context(ent))
    doc = ent.document
    assert size == len(doc.units) + len(doc.positions) + sum(len(j.steps)
                                                             for j in doc.journeys)
    monkeypatch.setattr(workers, "MIN_SIZE", size + 1)
    analyze(ent)
    assert forks == []
    monkeypatch.setattr(workers, "MIN_SIZE", size)
    analyze(build_enterprise(ent.document))
    assert forks == ["fork", "adopted"]


def test_examples_are_too_small_for_a_second_process() -> None:
    assert all(workers._size(analyze_context(build_enterprise(load_document(p))))
               < workers.MIN_SIZE for p in EXAMPLES)


def analyze_context(ent: Enterprise) -> AnalysisContext:
    return AnalysisContext(enterprise=ent, thresholds=ent.document.settings.thresholds,
                           rule_settings={})
