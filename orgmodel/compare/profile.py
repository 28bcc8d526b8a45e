"""The customer-centricity profile of two documents side by side.

Every signal of :mod:`orgmodel.analysis.profile` before and after, with the delta and its
direction by the signal's own ``better`` (higher or lower); and per area the verdict before
and after. A signal undefined on either side (a share of nothing, a count of something that
cannot occur) has no delta and the direction ``n/a``. An area's direction follows its verdict
(not met < partly met < met); ``not modelled`` on one side only is ``n/a``.

>>> format_value("share", 0.4), format_delta("share", 0.6), format_delta("count", -8.0)
('40.0 %', '+60.0 pp', '-8')
"""

from __future__ import annotations

from fractions import Fraction
from typing import Literal

from orgmodel.analysis.base import Frozen
from orgmodel.analysis.figures import Better, Direction, format_number, format_points, is_zero
from orgmodel.analysis.profile import AreaVerdict, ProfileSection, Signal, Verdict

__all__ = [
    "AreaDelta",
    "ProfileDiff",
    "SignalDelta",
    "format_delta",
    "format_value",
    "profile_diff",
    "verdict_text",
]

Unit = Literal["share", "count", "flag"]

#: The verdicts that can be ranked, worst first.
_RANK: dict[str, int] = {"not met": 0, "partly met": 1, "met": 2}


class SignalDelta(Frozen):
    """One signal of the profile before and after."""

    id: str
    """Stable id of the signal, e.g. `board-areas`."""
    area: str
    """Area id: board, overlay, segments or goals."""
    label: str
    """What it shows."""
    unit: Unit
    """share (0 to 1), count, or flag (1 yes, 0 no)."""
    better: Better
    """Which direction of change is an improvement: higher or lower."""
    target: str
    """The target the value is judged against."""
    before: float | None
    """Value in the baseline; None when undefined there."""
    after: float | None
    """Value in the proposal; None when undefined there."""
    delta: float | None
    """after - before, when both are defined."""
    direction: Direction
    """better, worse, same, or n/a (undefined on one side at least)."""
    met_before: bool | None
    """Whether the baseline meets the target; None when undefined."""
    met_after: bool | None
    """Whether the proposal meets the target; None when undefined."""

    @property
    def changed(self) -> bool:
        """Whether the value moved, or became defined or undefined."""
        return self.direction in (Direction.BETTER, Direction.WORSE) or (self.before is None) != (
            self.after is None
        )


class AreaDelta(Frozen):
    """The verdict on one area before and after."""

    area: str
    """Area id."""
    title: str
    """Area title."""
    before: Verdict
    """Verdict in the baseline: met, partly met, not met, or not modelled."""
    after: Verdict
    """Verdict in the proposal."""
    met_before: int
    """Signals meeting their target in the baseline."""
    defined_before: int
    """Signals with a defined value in the baseline."""
    met_after: int
    """Signals meeting their target in the proposal."""
    defined_after: int
    """Signals with a defined value in the proposal."""
    signals: int
    """Signals of the area."""
    direction: Direction
    """better or worse when the verdict moved, same when it did not, n/a when the area is
    not modelled on one side only."""


class ProfileDiff(Frozen):
    """The customer-centricity profile, baseline against proposal."""

    areas: list[AreaDelta]
    """One entry per area, in the profile's order."""
    signals: list[SignalDelta]
    """Every signal, in the profile's order (by area)."""

    @property
    def changed(self) -> bool:
        """Whether any signal moved (and so possibly a verdict)."""
        return any(s.changed for s in self.signals)

    def count(self, direction: Direction) -> int:
        """How many signals moved in ``direction``."""
        return sum(1 for s in self.signals if s.direction == direction)


def _difference(before: Signal, after: Signal) -> float:
    """after - before; for shares from their parts, so that 4 of 5 against 5 of 5 is -0.2
    rather than 0.8 - 1.0 = -0.19999999999999996."""
    assert before.value is not None and after.value is not None
    if before.whole and after.whole and before.part is not None and after.part is not None:
        return float(Fraction(after.part, after.whole) - Fraction(before.part, before.whole))
    return after.value - before.value


def _signal(before: Signal, after: Signal) -> SignalDelta:
    if before.value is None or after.value is None:
        delta, direction = None, Direction.UNDEFINED
    else:
        delta = _difference(before, after)
        if is_zero(delta):
            direction = Direction.SAME
        else:
            improved = delta > 0 if after.better == Better.HIGHER.value else delta < 0
            direction = Direction.BETTER if improved else Direction.WORSE
    return SignalDelta(
        id=after.id,
        area=after.area,
        label=after.label,
        unit=after.unit,
        better=Better(after.better),
        target=after.target,
        before=before.value,
        after=after.value,
        delta=delta,
        direction=direction,
        met_before=before.met,
        met_after=after.met,
    )


def _area(before: AreaVerdict, after: AreaVerdict) -> AreaDelta:
    if before.verdict == after.verdict:
        direction = Direction.SAME
    elif before.verdict in _RANK and after.verdict in _RANK:
        direction = (
            Direction.BETTER if _RANK[after.verdict] > _RANK[before.verdict] else Direction.WORSE
        )
    else:
        direction = Direction.UNDEFINED
    return AreaDelta(
        area=after.area,
        title=after.title,
        before=before.verdict,
        after=after.verdict,
        met_before=before.met,
        defined_before=before.defined,
        met_after=after.met,
        defined_after=after.defined,
        signals=after.signals,
        direction=direction,
    )


def profile_diff(before: ProfileSection, after: ProfileSection) -> ProfileDiff:
    """Compare the profiles of two documents (areas and signals matched by id; both lists
    keep the profile's own order)."""
    old_areas = {a.area: a for a in before.areas}
    old_figures = {f.id: f for f in before.figures}
    return ProfileDiff(
        areas=[_area(old_areas[a.area], a) for a in after.areas],
        signals=[_signal(old_figures[f.id], f) for f in after.figures],
    )


def format_value(unit: Unit, value: float | None) -> str:
    """A signal's value for a person: `40.0 %`, `11`, `1`; `-` when undefined."""
    if value is None:
        return "-"
    if unit == "share":
        return f"{value * 100:.1f} %"
    return format_number(value)


def format_delta(unit: Unit, delta: float | None) -> str:
    """A signed change: `+60.0 pp`, `-8`, `+1`; `0` for none; `-` when undefined."""
    if delta is None:
        return "-"
    if is_zero(delta):
        return "0"
    if unit == "share":
        return format_points(delta)
    return ("+" if delta > 0 else "-") + format_number(abs(delta))


def verdict_text(verdict: str, met: int, defined: int) -> str:
    """`partly met (2 of 3)`; `not modelled` without a count."""
    return verdict if verdict == "not modelled" else f"{verdict} ({met} of {defined})"
