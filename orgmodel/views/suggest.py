"""Messages for unknown ids, with a suggestion of the closest known one."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

__all__ = ["unknown"]


def unknown(option: str, kind: str, value: str, known: Iterable[str]) -> str:
    """``--root: unknown unit 'salse' (did you mean 'sales'?)``."""
    choices = sorted(known)
    hint = difflib.get_close_matches(value, choices, n=1)
    return (f"{option}: unknown {kind} '{value}'"
            + (f" (did you mean '{hint[0]}'?)" if hint else ""))
