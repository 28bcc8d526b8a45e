"""Messages for unknown ids in view options: :func:`orgmodel.suggest.unknown`."""

from __future__ import annotations

from orgmodel.suggest import unknown

__all__ = ["unknown"]
