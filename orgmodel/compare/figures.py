"""The journey figures that a comparison reports and a ratchet can hold: name, unit, direction.

Every figure is read from :class:`orgmodel.analysis.silos.JourneyFigures` (see that module
for the exact definitions) and has a total over a set of journeys:

- counts and durations add up; ``max_height`` takes the highest escalation height;
- ``flow_efficiency`` is the summed work over the summed lead time, ``handoff_wait_share``
  the summed waiting at handoffs over the summed lead time;
- ``weighted_*`` figures add up over the journeys that give a volume (none: no total).

A journey without silo crossings has no escalation height; it counts as 0, so that adding
the first crossing shows as getting worse.

>>> FIGURES[Figure.LEAD_TIME].format(90000)
'1d1h'
>>> FIGURES[Figure.FLOW_EFFICIENCY].format_delta(0.0123)
'+1.2 pp'
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum

from orgmodel.analysis.silos import JourneyFigures
from orgmodel.durations import format_duration

__all__ = [
    "FIGURES",
    "Better",
    "Direction",
    "Figure",
    "FigureDef",
    "FigureKind",
    "format_number",
    "format_points",
    "is_zero",
]


class Figure(str, Enum):
    """A figure of the silo analysis that can be compared and ratcheted."""

    HANDOFFS = "handoffs"
    CROSSINGS = "crossings"
    UNCOVERED_CROSSINGS = "uncovered_crossings"
    CUSTOMER_HANDOFFS = "customer_handoffs"
    PING_PONG = "ping_pong"
    MAX_HEIGHT = "max_height"
    WAITING_AT_HANDOFFS = "waiting_at_handoffs"
    LEAD_TIME = "lead_time"
    FLOW_EFFICIENCY = "flow_efficiency"
    HANDOFF_WAIT_SHARE = "handoff_wait_share"
    WEIGHTED_HANDOFFS = "weighted_handoffs"
    WEIGHTED_CROSSINGS = "weighted_crossings"
    WEIGHTED_UNCOVERED_CROSSINGS = "weighted_uncovered_crossings"
    WEIGHTED_CUSTOMER_HANDOFFS = "weighted_customer_handoffs"
    WEIGHTED_WAITING_AT_HANDOFFS = "weighted_waiting_at_handoffs"
    WEIGHTED_LEAD_TIME = "weighted_lead_time"


class FigureKind(str, Enum):
    """The unit a figure is measured in; it decides formatting and tolerance syntax."""

    COUNT = "count"
    """A whole number (handoffs, crossings ...)."""
    DURATION = "duration"
    """Seconds of elapsed time, written like `4h` or `1d12h`."""
    RATIO = "ratio"
    """A fraction from 0 to 1, shown as a percentage; deltas in percentage points."""
    PER_PERIOD = "per-period"
    """A count times the journey's volume per period."""
    HOURS_PER_PERIOD = "hours-per-period"
    """Seconds times the journey's volume per period, shown in hours."""


class Better(str, Enum):
    """Which direction of change is an improvement."""

    LOWER = "lower"
    HIGHER = "higher"


class Direction(str, Enum):
    """How a figure moved, from the customer's point of view."""

    BETTER = "better"
    WORSE = "worse"
    SAME = "same"
    UNDEFINED = "n/a"
    """Not comparable: the figure is undefined on one side (no volume, no lead time)."""


@dataclass(frozen=True)
class FigureDef:
    """How to read, total and show one :class:`Figure`."""

    figure: Figure
    label: str
    """Short column label, e.g. `wait at handoffs`."""
    kind: FigureKind
    better: Better
    read: Callable[[JourneyFigures], float | None]
    total_of: Callable[[Sequence[JourneyFigures]], float | None]
    doc: str

    def of(self, figures: JourneyFigures) -> float | None:
        """The figure's value for one journey (None when it is undefined there)."""
        return self.read(figures)

    def total(self, journeys: Sequence[JourneyFigures]) -> float | None:
        """The figure's total over ``journeys``."""
        return self.total_of(journeys)

    def format(self, value: float | None) -> str:
        """The value for a person: `7`, `2d4h`, `12.5 %`, `1,200`, `3,400 h`; `-` for None."""
        if value is None:
            return "-"
        if self.kind is FigureKind.COUNT:
            return format_number(value)
        if self.kind is FigureKind.DURATION:
            return format_duration(value)
        if self.kind is FigureKind.RATIO:
            return f"{value * 100:.1f} %"
        if self.kind is FigureKind.PER_PERIOD:
            return format_number(value)
        return f"{format_number(value / 3600)} h"

    def format_delta(self, delta: float | None) -> str:
        """A signed change: `+2`, `-1d`, `+1.2 pp`, `+300 h`; `0` for none; `-` when undefined."""
        if delta is None:
            return "-"
        if is_zero(delta):
            return "0"
        sign = "+" if delta > 0 else "-"
        size = abs(delta)
        if self.kind is FigureKind.RATIO:
            return format_points(delta)
        if self.kind is FigureKind.DURATION:
            return sign + format_duration(size)
        if self.kind is FigureKind.HOURS_PER_PERIOD:
            return f"{sign}{format_number(size / 3600)} h"
        return sign + format_number(size)

    def change(self, before: float | None, after: float | None) -> int:
        """+1 when ``after`` is better, -1 when worse, 0 when equal or not comparable."""
        if before is None or after is None or is_zero(after - before):
            return 0
        improved = after < before if self.better is Better.LOWER else after > before
        return 1 if improved else -1


def is_zero(value: float) -> bool:
    """Whether ``value`` is 0, up to rounding."""
    return abs(value) < 1e-9


def format_number(value: float) -> str:
    """`7`, `1,200`, `2.5`, `1,234`: whole numbers as such, others to one decimal below 100."""
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.1f}" if abs(value) < 100 else f"{value:,.0f}"


def format_points(delta: float) -> str:
    """A change of a ratio (0 to 1) in signed percentage points: `+1.2 pp`, `-0.049 pp`."""
    sign = "+" if delta > 0 else "-"
    points = abs(delta) * 100
    return f"{sign}{points:.1f} pp" if points >= 0.05 else f"{sign}{points:.2g} pp"


def _sum(read: Callable[[JourneyFigures], float | None]
         ) -> Callable[[Sequence[JourneyFigures]], float | None]:
    def total(journeys: Sequence[JourneyFigures]) -> float | None:
        values = [v for v in map(read, journeys) if v is not None]
        return sum(values) if values else None
    return total


def _ratio(part: Callable[[JourneyFigures], int]
           ) -> Callable[[Sequence[JourneyFigures]], float | None]:
    def total(journeys: Sequence[JourneyFigures]) -> float | None:
        lead = sum(j.lead_time for j in journeys)
        return None if lead == 0 else sum(part(j) for j in journeys) / lead
    return total


def _counted(name: str) -> Callable[[JourneyFigures], float | None]:
    return lambda j: getattr(j, name)


def _weighted(name: str) -> Callable[[JourneyFigures], float | None]:
    return lambda j: None if j.weighted is None else getattr(j.weighted, name)


def _height(j: JourneyFigures) -> float | None:
    return j.max_height or 0


def _max_height(journeys: Sequence[JourneyFigures]) -> float | None:
    return max((j.max_height or 0 for j in journeys), default=None)


def _defs() -> tuple[FigureDef, ...]:
    c, d, r = FigureKind.COUNT, FigureKind.DURATION, FigureKind.RATIO
    pp, hp = FigureKind.PER_PERIOD, FigureKind.HOURS_PER_PERIOD
    low, high = Better.LOWER, Better.HIGHER
    out = []
    for fig, label, kind, better, doc in (
        (Figure.HANDOFFS, "handoffs", c, low,
         "Consecutive steps performed by different units."),
        (Figure.CROSSINGS, "crossings", c, low, "Handoffs between different silos."),
        (Figure.UNCOVERED_CROSSINGS, "uncovered", c, low,
         "Silo crossings that the journey's owner does not cover."),
        (Figure.CUSTOMER_HANDOFFS, "passed on", c, low,
         "Customer-visible handoffs: consecutive touchpoints performed by different units."),
        (Figure.PING_PONG, "ping-pong", c, low, "Re-entries into a silo the journey has left."),
        (Figure.MAX_HEIGHT, "max height", c, low,
         "Highest escalation height of the journey's silo crossings (0 without crossings)."),
        (Figure.WAITING_AT_HANDOFFS, "wait at handoffs", d, low,
         "Waiting before steps that follow a handoff."),
        (Figure.LEAD_TIME, "lead time", d, low, "Work plus waiting, first step to last."),
        (Figure.FLOW_EFFICIENCY, "flow eff.", r, high, "Work divided by lead time."),
        (Figure.HANDOFF_WAIT_SHARE, "handoff wait share", r, low,
         "Waiting at handoffs divided by lead time."),
    ):
        if fig is Figure.MAX_HEIGHT:
            read, total = _height, _max_height
        elif fig is Figure.FLOW_EFFICIENCY:
            read, total = _counted("flow_efficiency"), _ratio(lambda j: j.work)
        elif fig is Figure.HANDOFF_WAIT_SHARE:
            read, total = (_counted("handoff_wait_share"),
                           _ratio(lambda j: j.waiting_at_handoffs))
        else:
            read = _counted(fig.value)
            total = _sum(read)
        out.append(FigureDef(fig, label, kind, better, read, total, doc))
    for fig, name, label, kind in (
        (Figure.WEIGHTED_HANDOFFS, "handoffs", "handoffs/period", pp),
        (Figure.WEIGHTED_CROSSINGS, "crossings", "crossings/period", pp),
        (Figure.WEIGHTED_UNCOVERED_CROSSINGS, "uncovered_crossings", "uncovered/period", pp),
        (Figure.WEIGHTED_CUSTOMER_HANDOFFS, "customer_handoffs", "passed on/period", pp),
        (Figure.WEIGHTED_WAITING_AT_HANDOFFS, "waiting_at_handoffs", "wait at handoffs/period",
         hp),
        (Figure.WEIGHTED_LEAD_TIME, "lead_time", "lead time/period", hp),
    ):
        read = _weighted(name)
        out.append(FigureDef(fig, label, kind, low, read, _sum(read),
                             f"Volume-weighted {name.replace('_', ' ')}: the journey's volume "
                             "per period times its figure; undefined without a volume."))
    return tuple(out)


#: Every figure, in report order.
FIGURES: dict[Figure, FigureDef] = {d.figure: d for d in _defs()}
