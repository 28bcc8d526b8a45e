"""``orgmodel check`` as JSON: the :class:`~orgmodel.compare.policy.CheckResult`, indented."""

from __future__ import annotations

from orgmodel.compare.policy import CheckResult

__all__ = ["render"]


def render(result: CheckResult) -> str:
    """Render ``result`` as stable, indented JSON."""
    return result.model_dump_json(indent=2) + "\n"
