"""What an import measures in a log: its figures, its variants and its handover matrix.

The standard-library engine computes :class:`Measured` from an :class:`EventLog`; the
columnar engine (:mod:`orgmodel.eventlog.columnar`) computes the same values directly.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from orgmodel.eventlog.handover import Handover, handover
from orgmodel.eventlog.log import EventLog
from orgmodel.eventlog.variants import Variant, step_times, variants

__all__ = ["Measured", "measure"]


@dataclass(frozen=True)
class Measured:
    """The figures of a log that the import writes and reports."""

    source: str
    events: int
    cases: int
    first: float
    last: float
    unresolved: Counter[str]
    skipped_lifecycle: Counter[str]
    unit_source: str
    #: Every unit of an instance, sorted.
    units: list[str]
    #: Instances whose raw wait was negative.
    overlaps: int
    variants: list[Variant]
    handover: Handover
    #: The engine that measured: ``python`` or ``duckdb``.
    engine: str = "python"

    @property
    def span(self) -> float:
        """Seconds from the first to the last timestamp of the log."""
        return self.last - self.first


def measure(log: EventLog, per_case: bool = False) -> Measured:
    """The figures of ``log`` (with ``per_case``, one variant per case)."""
    times = {case_id: step_times(case) for case_id, case in log.cases.items()}
    overlaps = sum(1 for case in times.values() for _, _, o in case if o)
    units = sorted({i.unit for case in log.cases.values() for i in case})
    return Measured(
        log.source,
        log.events,
        len(log.cases),
        log.first,
        log.last,
        log.unresolved,
        log.skipped_lifecycle,
        log.unit_source,
        units,
        overlaps,
        variants(log, per_case=per_case, times=times),
        handover(log),
    )
