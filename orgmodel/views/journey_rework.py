"""How the journey view writes quality: rework loops and percent complete and accurate.

>>> percent(0.3), percent(0.125), percent(0.975)
('30 %', '12.5 %', '97.5 %')
>>> complete_accurate(0.8)
'%C&A 80 %'
"""

from __future__ import annotations

from orgmodel.analysis.valuestream import ReworkLoop

__all__ = ["REWORK", "complete_accurate", "percent", "rework_label", "rework_text"]

#: The colour of rework loops, in every format.
REWORK = "#6b46c1"


def percent(share: float) -> str:
    """A share from 0 to 1 as a percentage with at most one decimal."""
    return f"{round(share * 100, 1):g} %"


def complete_accurate(value: float) -> str:
    """The %C&A line of a step box."""
    return f"%C&A {percent(value)}"


def rework_label(loop: ReworkLoop) -> str:
    """The label of a rework back edge: its share."""
    return f"rework {percent(loop.share)}"


def rework_text(loop: ReworkLoop) -> str:
    """The tooltip of a rework back edge."""
    wall = " across a silo wall" if loop.crosses_silo else ""
    return (
        f"rework: step {loop.step} sends {percent(loop.share)} of its cases back to step "
        f"{loop.to_step}{wall}"
    )
