"""``orgmodel diff`` as JSON: the :class:`~orgmodel.compare.diff.Diff` model, indented."""

from __future__ import annotations

from orgmodel.compare.diff import Diff

__all__ = ["render"]


def render(diff: Diff) -> str:
    """Render ``diff`` as stable, indented JSON."""
    return diff.model_dump_json(indent=2) + "\n"
