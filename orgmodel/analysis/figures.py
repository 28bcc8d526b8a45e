"""Every figure of the analysis, in one place: the journey figures that the report shows, a
comparison reports and a ratchet holds, and the signals of the customer-centricity profile.

**Journey figures** (:data:`FIGURES`, by :class:`Figure`) are read from a
:class:`JourneyRecord`: the journey's :class:`orgmodel.analysis.silos.JourneyFigures` and
:class:`orgmodel.analysis.valuestream.StreamFigures` (see those modules for the exact
definitions). Each has a total over a set of journeys:

- counts and durations add up; ``max_height`` takes the highest escalation height;
- ``flow_efficiency`` is the summed work over the summed lead time, ``handoff_wait_share``
  the summed waiting at handoffs over the summed lead time, ``value_added_ratio`` the summed
  value-adding work over the summed lead time;
- ``rolled_complete_accurate`` takes the lowest rolled %C&A of the journeys that give one
  (the weakest value stream);
- ``weighted_*`` figures add up over the journeys that give a volume (none: no total).

A journey without silo crossings has no escalation height; it counts as 0, so that adding
the first crossing shows as getting worse.

**Network figures** (:data:`NETWORK_FIGURES`, by :class:`NetworkFigure`) describe the
handover network of all journeys of a document (:mod:`orgmodel.analysis.network`): the E-I
index overall and per silo, and the highest betweenness of a unit. The E-I index has a
direction (closer to +1 is worse: the handoffs cross silo walls instead of staying inside);
betweenness has none (a broker every matter passes through can be a bottleneck or the
designed front door), so a comparison shows it but a ratchet cannot hold it.

**Profile signals** (:data:`SIGNALS`, in :data:`AREAS`) are read from the layer, segment and
goal sections (:class:`SignalInputs`) and judged against a target each (see
:mod:`orgmodel.analysis.profile`).

>>> FIGURES[Figure.LEAD_TIME].format(90000)
'1d1h'
>>> FIGURES[Figure.FLOW_EFFICIENCY].format_delta(0.0123)
'+1.2 pp'
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Literal

from orgmodel.analysis.goals import GoalSection
from orgmodel.analysis.layers import AREAS as BOARD_AREAS
from orgmodel.analysis.layers import LayerSection
from orgmodel.analysis.segments import SegmentSection
from orgmodel.analysis.silos import JourneyFigures
from orgmodel.analysis.valuestream import StreamFigures
from orgmodel.durations import format_duration
from orgmodel.model import Accountability

__all__ = [
    "AREAS",
    "FIGURES",
    "NETWORK_FIGURES",
    "SIGNALS",
    "Better",
    "Direction",
    "Figure",
    "FigureDef",
    "FigureKind",
    "JourneyRecord",
    "NetworkFigure",
    "NetworkFigureDef",
    "SignalDef",
    "SignalInputs",
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
    ROLLED_COMPLETE_ACCURATE = "rolled_complete_accurate"
    VALUE_ADDED_RATIO = "value_added_ratio"
    NON_VALUE_ADDED_TIME = "non_value_added_time"
    REWORK_CROSSINGS = "rework_crossings"
    EXPECTED_HANDOFFS = "expected_handoffs"
    EXPECTED_CROSSINGS = "expected_crossings"
    EXPECTED_WAITING = "expected_waiting"
    EXPECTED_LEAD_TIME = "expected_lead_time"
    PROBLEM_WEIGHT = "problem_weight"
    CHANNEL_SWITCHES = "channel_switches"
    DIRECT_PING_PONG = "direct_ping_pong"


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
class JourneyRecord:
    """The figures of one journey that :data:`FIGURES` are read from."""

    silos: JourneyFigures
    """The silo figures."""
    stream: StreamFigures
    """The value-stream figures."""


@dataclass(frozen=True)
class FigureDef:
    """How to read, total and show one :class:`Figure`."""

    figure: Figure
    label: str
    """Short column label, e.g. `wait at handoffs`."""
    kind: FigureKind
    better: Better
    read: Callable[[JourneyRecord], float | None]
    total_of: Callable[[Sequence[JourneyRecord]], float | None]
    doc: str

    def of(self, figures: JourneyRecord) -> float | None:
        """The figure's value for one journey (None when it is undefined there)."""
        return self.read(figures)

    def total(self, journeys: Sequence[JourneyRecord]) -> float | None:
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


def _sum(
    read: Callable[[JourneyRecord], float | None],
) -> Callable[[Sequence[JourneyRecord]], float | None]:
    def total(journeys: Sequence[JourneyRecord]) -> float | None:
        values = [v for v in map(read, journeys) if v is not None]
        return sum(values) if values else None

    return total


def _lowest(
    read: Callable[[JourneyRecord], float | None],
) -> Callable[[Sequence[JourneyRecord]], float | None]:
    def total(journeys: Sequence[JourneyRecord]) -> float | None:
        return min((v for v in map(read, journeys) if v is not None), default=None)

    return total


def _ratio(
    part: Callable[[JourneyFigures], int],
) -> Callable[[Sequence[JourneyRecord]], float | None]:
    def total(journeys: Sequence[JourneyRecord]) -> float | None:
        lead = sum(j.silos.lead_time for j in journeys)
        return None if lead == 0 else sum(part(j.silos) for j in journeys) / lead

    return total


def _counted(name: str) -> Callable[[JourneyRecord], float | None]:
    return lambda j: getattr(j.silos, name)


def _streamed(name: str) -> Callable[[JourneyRecord], float | None]:
    return lambda j: getattr(j.stream, name)


def _weighted(name: str) -> Callable[[JourneyRecord], float | None]:
    return lambda j: None if j.silos.weighted is None else getattr(j.silos.weighted, name)


def _height(j: JourneyRecord) -> float | None:
    return j.silos.max_height or 0


def _max_height(journeys: Sequence[JourneyRecord]) -> float | None:
    return max((j.silos.max_height or 0 for j in journeys), default=None)


def _va_total(journeys: Sequence[JourneyRecord]) -> float | None:
    lead = sum(j.stream.lead_time for j in journeys)
    return None if lead == 0 else sum(j.stream.value_adding_work for j in journeys) / lead


def _defs() -> tuple[FigureDef, ...]:
    c, d, r = FigureKind.COUNT, FigureKind.DURATION, FigureKind.RATIO
    pp, hp = FigureKind.PER_PERIOD, FigureKind.HOURS_PER_PERIOD
    low, high = Better.LOWER, Better.HIGHER
    out = []
    for fig, label, kind, better, doc in (
        (Figure.HANDOFFS, "handoffs", c, low, "Consecutive steps performed by different units."),
        (Figure.CROSSINGS, "crossings", c, low, "Handoffs between different silos."),
        (
            Figure.UNCOVERED_CROSSINGS,
            "uncovered",
            c,
            low,
            "Silo crossings that the journey's owner does not cover.",
        ),
        (
            Figure.CUSTOMER_HANDOFFS,
            "passed on",
            c,
            low,
            "Customer-visible handoffs: consecutive touchpoints performed by different units.",
        ),
        (Figure.PING_PONG, "ping-pong", c, low, "Re-entries into a silo the journey has left."),
        (
            Figure.MAX_HEIGHT,
            "max height",
            c,
            low,
            "Highest escalation height of the journey's silo crossings (0 without crossings).",
        ),
        (
            Figure.WAITING_AT_HANDOFFS,
            "wait at handoffs",
            d,
            low,
            "Waiting before steps that follow a handoff.",
        ),
        (Figure.LEAD_TIME, "lead time", d, low, "Work plus waiting, first step to last."),
        (Figure.FLOW_EFFICIENCY, "flow eff.", r, high, "Work divided by lead time."),
        (
            Figure.HANDOFF_WAIT_SHARE,
            "handoff wait share",
            r,
            low,
            "Waiting at handoffs divided by lead time.",
        ),
    ):
        read: Callable[[JourneyRecord], float | None]
        total: Callable[[Sequence[JourneyRecord]], float | None]
        if fig is Figure.MAX_HEIGHT:
            read, total = _height, _max_height
        elif fig is Figure.FLOW_EFFICIENCY:
            read, total = _counted("flow_efficiency"), _ratio(lambda j: j.work)
        elif fig is Figure.HANDOFF_WAIT_SHARE:
            read, total = (_counted("handoff_wait_share"), _ratio(lambda j: j.waiting_at_handoffs))
        else:
            read = _counted(fig.value)
            total = _sum(read)
        out.append(FigureDef(fig, label, kind, better, read, total, doc))
    for fig, name, label, kind in (
        (Figure.WEIGHTED_HANDOFFS, "handoffs", "handoffs/period", pp),
        (Figure.WEIGHTED_CROSSINGS, "crossings", "crossings/period", pp),
        (Figure.WEIGHTED_UNCOVERED_CROSSINGS, "uncovered_crossings", "uncovered/period", pp),
        (Figure.WEIGHTED_CUSTOMER_HANDOFFS, "customer_handoffs", "passed on/period", pp),
        (Figure.WEIGHTED_WAITING_AT_HANDOFFS, "waiting_at_handoffs", "wait at handoffs/period", hp),
        (Figure.WEIGHTED_LEAD_TIME, "lead_time", "lead time/period", hp),
    ):
        read = _weighted(name)
        out.append(
            FigureDef(
                fig,
                label,
                kind,
                low,
                read,
                _sum(read),
                f"Volume-weighted {name.replace('_', ' ')}: the journey's volume "
                "per period times its figure; undefined without a volume.",
            )
        )
    for fig, label, kind, better, doc in (
        (
            Figure.ROLLED_COMPLETE_ACCURATE,
            "rolled %C&A",
            r,
            high,
            "Product of the steps' percent complete and accurate; undefined when no step gives "
            "one.",
        ),
        (
            Figure.VALUE_ADDED_RATIO,
            "value-added ratio",
            r,
            high,
            "Work of value-adding steps divided by lead time.",
        ),
        (
            Figure.NON_VALUE_ADDED_TIME,
            "non-value-added",
            d,
            low,
            "Lead time minus the work of value-adding steps.",
        ),
        (
            Figure.REWORK_CROSSINGS,
            "rework crossings",
            c,
            low,
            "Rework loops that send cases back across a silo wall.",
        ),
        (
            Figure.EXPECTED_HANDOFFS,
            "handoffs with rework",
            c,
            low,
            "Expected handoffs per case, rework loops included.",
        ),
        (
            Figure.EXPECTED_CROSSINGS,
            "crossings with rework",
            c,
            low,
            "Expected silo crossings per case, rework loops included.",
        ),
        (
            Figure.EXPECTED_WAITING,
            "wait with rework",
            d,
            low,
            "Expected waiting per case, rework loops included.",
        ),
        (
            Figure.EXPECTED_LEAD_TIME,
            "lead time with rework",
            d,
            low,
            "Expected lead time per case, rework loops included.",
        ),
        (
            Figure.PROBLEM_WEIGHT,
            "problem weight",
            c,
            low,
            "Sum of the weights of the problems noted on the journey's steps.",
        ),
        (
            Figure.CHANNEL_SWITCHES,
            "channel switches",
            c,
            low,
            "Consecutive touchpoints on different channels.",
        ),
        (
            Figure.DIRECT_PING_PONG,
            "direct ping-pong",
            c,
            low,
            "Returns to the unit just left (A, x, A).",
        ),
    ):
        read = _streamed(fig.value)
        if fig is Figure.ROLLED_COMPLETE_ACCURATE:
            total = _lowest(read)
        elif fig is Figure.VALUE_ADDED_RATIO:
            total = _va_total
        else:
            total = _sum(read)
        out.append(FigureDef(fig, label, kind, better, read, total, doc))
    return tuple(out)


#: Every journey figure, in report order.
FIGURES: dict[Figure, FigureDef] = {d.figure: d for d in _defs()}


class NetworkFigure(str, Enum):
    """A figure of the handover network of a whole document."""

    EI_INDEX = "ei_index"
    SILO_EI_INDEX = "silo_ei_index"
    TOP_BETWEENNESS = "top_betweenness"


@dataclass(frozen=True)
class NetworkFigureDef:
    """How to show and compare one :class:`NetworkFigure`.

    >>> d = NETWORK_FIGURES[NetworkFigure.EI_INDEX]
    >>> d.format(0.5), d.format_delta(-0.25), d.change(0.0, 1.0)
    ('+0.50', '-0.25', -1)
    >>> NETWORK_FIGURES[NetworkFigure.TOP_BETWEENNESS].change(0.1, 0.9)
    0
    """

    figure: NetworkFigure
    label: str
    better: Better | None
    """None: no direction is better (not ratchetable)."""
    doc: str

    def format(self, value: float | None) -> str:
        """`+0.50` for an E-I index, `0.333` for a betweenness; `-` for None."""
        if value is None:
            return "-"
        return f"{value:.3f}" if self.better is None else f"{value:+.2f}"

    def format_delta(self, delta: float | None) -> str:
        """A signed change: `+0.25`, `-0.100`; `0` for none; `-` when undefined."""
        if delta is None:
            return "-"
        if is_zero(delta):
            return "0"
        return f"{delta:+.3f}" if self.better is None else f"{delta:+.2f}"

    def change(self, before: float | None, after: float | None) -> int:
        """+1 when ``after`` is better, -1 when worse, 0 when equal, not comparable or
        without a direction."""
        if self.better is None or before is None or after is None or is_zero(after - before):
            return 0
        improved = after < before if self.better is Better.LOWER else after > before
        return 1 if improved else -1


#: Every network figure, in report order.
NETWORK_FIGURES: dict[NetworkFigure, NetworkFigureDef] = {
    d.figure: d
    for d in (
        NetworkFigureDef(
            NetworkFigure.EI_INDEX,
            "E-I index",
            Better.LOWER,
            "(crossings - handoffs inside a silo) / all handoffs, weighted; from -1 (all stay "
            "inside) to +1 (all cross a silo wall); higher is worse.",
        ),
        NetworkFigureDef(
            NetworkFigure.SILO_EI_INDEX,
            "E-I index of a silo",
            Better.LOWER,
            "(handoffs across the silo's wall - handoffs inside it) / both, weighted; higher "
            "is worse.",
        ),
        NetworkFigureDef(
            NetworkFigure.TOP_BETWEENNESS,
            "top betweenness",
            None,
            "The highest normalized betweenness of a unit in the handoff graph, and that "
            "unit; shown, not judged.",
        ),
    )
}


#: The areas of the profile: id and title, in report order.
AREAS: tuple[tuple[str, str], ...] = (
    ("board", "Board accountability"),
    ("overlay", "Customer and market layer own the journeys"),
    ("segments", "Segments in use"),
    ("goals", "Goals follow the customer"),
)


@dataclass(frozen=True)
class SignalInputs:
    """The sections that the profile's signals are read from."""

    layers: LayerSection
    segments: SegmentSection
    goals: GoalSection


@dataclass(frozen=True)
class SignalDef:
    """How one signal of the profile is computed and judged."""

    id: str
    area: str
    label: str
    unit: Literal["share", "count", "flag"]
    better: Literal["higher", "lower"]
    target: str
    definition: str
    value: Callable[[SignalInputs], tuple[float | None, int | None, int | None]]
    """Returns (value, part, whole); part and whole only for shares."""
    meets: Callable[[float], bool]


def _share(part: int, whole: int) -> tuple[float | None, int | None, int | None]:
    return (None if whole == 0 else part / whole), part, whole


def _count(n: int, defined: bool = True) -> tuple[float | None, int | None, int | None]:
    """A count; undefined (None) when what it counts cannot occur in the document."""
    return (float(n) if defined else None), None, None


def _flag(on: bool) -> tuple[float | None, int | None, int | None]:
    return (1.0 if on else 0.0), None, None


def _board_has(area: Accountability) -> Callable[[SignalInputs], tuple]:
    return lambda x: _flag(area not in x.layers.missing_areas)


def _all(v: float) -> bool:
    return v >= 1.0


def _none(v: float) -> bool:
    return v == 0


def _full_share(
    ident: str, area: str, label: str, definition: str, value: Callable[[SignalInputs], tuple]
) -> SignalDef:
    """A share whose target is 100 %."""
    return SignalDef(ident, area, label, "share", "higher", "100 %", definition, value, _all)


def _zero_count(
    ident: str, area: str, label: str, definition: str, value: Callable[[SignalInputs], tuple]
) -> SignalDef:
    """A count whose target is 0."""
    return SignalDef(ident, area, label, "count", "lower", "0", definition, value, _none)


def _yes_flag(
    ident: str, area: str, label: str, definition: str, value: Callable[[SignalInputs], tuple]
) -> SignalDef:
    """A flag whose target is 1."""
    return SignalDef(ident, area, label, "flag", "higher", "1", definition, value, _all)


#: Every signal of the customer-centricity profile, in report order.
SIGNALS: tuple[SignalDef, ...] = (
    _yes_flag(
        "board-customer",
        "board",
        "Board accountable for the customer layer",
        "1 when a board unit (top unit, or a board/executive unit directly below it) lists "
        "`customer` in `accountable_for`, else 0 (rule L01).",
        _board_has(Accountability.CUSTOMER),
    ),
    _yes_flag(
        "board-market",
        "board",
        "Board accountable for the market layer",
        "1 when a board unit lists `market` in `accountable_for`, else 0 (rule L01).",
        _board_has(Accountability.MARKET),
    ),
    _full_share(
        "board-areas",
        "board",
        "Areas with an accountable board unit",
        "Areas (customer, market, innovation, business-support, manufacturing) that a board "
        "unit is accountable for / 5 (rules L01, L02).",
        lambda x: _share(len(BOARD_AREAS) - len(x.layers.missing_areas), len(BOARD_AREAS)),
    ),
    _full_share(
        "journeys-overlay-owned",
        "overlay",
        "Journeys owned from the overlay",
        "Journeys whose owner is in the overlay (customer or market layer, no functional unit "
        "above it below the top) / journeys.",
        lambda x: _share(x.layers.ownership.journeys_overlay_owned, x.layers.ownership.journeys),
    ),
    _full_share(
        "steps-overlay-owned",
        "overlay",
        "Steps owned from the overlay",
        "Steps of overlay-owned journeys performed by a unit the owner covers (its subtree or "
        "a declared internal service) / all steps.",
        lambda x: _share(x.layers.ownership.owned_steps, x.layers.ownership.steps),
    ),
    _full_share(
        "volume-overlay-owned",
        "overlay",
        "Volume-weighted steps owned from the overlay",
        "Sum of volume x overlay-owned steps / sum of volume x steps, over journeys with a "
        "volume: the share of the steps customers' cases go through per period that are owned "
        "from the overlay.",
        lambda x: (x.layers.ownership.volume_share, None, None),
    ),
    _zero_count(
        "owners-outside-overlay",
        "overlay",
        "Journey owners and segment teams outside the overlay",
        "Journey owners and segment teams in the functional layer or inside a functional unit "
        "(rule L03); undefined when no journey has an owner and no segment a team.",
        lambda x: _count(
            sum(1 for p in x.layers.placements if not p.in_overlay), bool(x.layers.placements)
        ),
    ),
    _zero_count(
        "missing-services",
        "overlay",
        "Missing internal services",
        "Pairs (journey, functional unit) where the unit performs steps of an overlay-owned "
        "journey without serving its owner (rule L04); undefined when no journey is owned from "
        "the overlay.",
        lambda x: _count(
            len(x.layers.missing_services), x.layers.ownership.journeys_overlay_owned > 0
        ),
    ),
    _full_share(
        "segments-with-team",
        "segments",
        "Segments with a team",
        "Segments with `team` / segments (rule M01).",
        lambda x: _share(x.segments.totals.with_team, x.segments.totals.segments),
    ),
    _zero_count(
        "shared-teams",
        "segments",
        "Teams of several segments",
        "Units that are the team of more than one segment (rule M02); undefined when no "
        "segment has a team.",
        lambda x: _count(x.segments.totals.shared_teams, x.segments.totals.with_team > 0),
    ),
    _full_share(
        "segments-with-value-tier",
        "segments",
        "Segments with a customer-value tier",
        "Segments with `value_tier` / segments (rule M03).",
        lambda x: _share(x.segments.totals.with_value_tier, x.segments.totals.segments),
    ),
    _full_share(
        "segments-used",
        "segments",
        "Segments used by a journey or goal",
        "Segments with a journey (directly or through its persona) or a goal / segments "
        "(rule M04).",
        lambda x: _share(x.segments.totals.used, x.segments.totals.segments),
    ),
    _zero_count(
        "journeys-owned-elsewhere",
        "segments",
        "Journeys owned outside the segment's team",
        "Journeys of a segment with a team whose owner is neither the team nor under it "
        "(rule M05); undefined when no segment has a team.",
        lambda x: _count(
            x.segments.totals.journeys_owned_elsewhere, x.segments.totals.with_team > 0
        ),
    ),
    SignalDef(
        "customer-goal-share",
        "goals",
        "Goals that are customer goals",
        "share",
        "higher",
        ">= 50 %",
        "Goals with orientation customer / all goals: goals that follow the customer's success "
        "rather than the function's. Target: at least half.",
        lambda x: _share(x.goals.totals.customer_goals, x.goals.totals.goals),
        lambda v: v >= 0.5,
    ),
    SignalDef(
        "customer-goal-holders",
        "goals",
        "Holders of customer goals",
        "count",
        "higher",
        ">= 2",
        "Distinct units, journeys and segments that hold a customer goal; 0 or 1 means customer "
        "orientation is reduced to customer management (rule G05).",
        lambda x: _count(len(x.goals.totals.customer_holders)),
        lambda v: v >= 2,
    ),
    _full_share(
        "journeys-with-customer-goal",
        "goals",
        "Journeys with a customer goal",
        "Journeys that hold a customer goal / journeys (rule G01).",
        lambda x: _share(x.goals.totals.journeys_with_customer_goal, x.goals.totals.journeys),
    ),
    _full_share(
        "segments-with-customer-goal",
        "goals",
        "Segments with a customer goal",
        "Segments that hold a customer goal / segments (rule G02).",
        lambda x: _share(x.goals.totals.segments_with_customer_goal, x.goals.totals.segments),
    ),
    _full_share(
        "touchpoint-units-with-customer-goal",
        "goals",
        "Touchpoint units steered by a customer goal",
        "Units performing touchpoint steps that a customer goal steers / units performing "
        "touchpoint steps that any goal steers (rule G03).",
        lambda x: _share(
            x.goals.totals.touchpoint_units_with_customer_goal, x.goals.totals.touchpoint_units
        ),
    ),
    _yes_flag(
        "loyalty-goals",
        "goals",
        "Customer goals beyond satisfaction",
        "1 when a customer goal measures loyalty, retention or value, else 0 (satisfaction "
        "mistaken for loyalty, rule G04).",
        lambda x: _flag(x.goals.totals.loyalty_goals > 0),
    ),
    _zero_count(
        "goal-conflicts",
        "goals",
        "Goal conflicts on journeys",
        "Pairs (journey, functional goal) where the goal pulls against a customer goal of "
        "another unit on the journey (aspects optimized in isolation, rule G06); undefined "
        "without journeys or without customer goals.",
        lambda x: _count(
            x.goals.totals.conflicts,
            x.goals.totals.journeys > 0 and x.goals.totals.customer_goals > 0,
        ),
    ),
)
