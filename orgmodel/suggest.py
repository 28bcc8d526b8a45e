""" "Did you mean ...?": the closest known name for a misspelt one, in bounded time.

Every message that names something unknown (an id, a field, a rule code, a figure, an
option's value) suggests the closest known name through :class:`Suggester`. It compares a
word only with candidates whose length allows a match (``difflib``'s ratio of 0.6 needs the
shorter to be at least 3/7 of the longer), looks at most at :data:`CANDIDATE_CAP` of them,
and stops suggesting once it has spent :data:`WORK_BUDGET` comparisons, so that a document
with thousands of dangling references is still checked in time linear in its size.

>>> did_you_mean("acounting", ["accounting", "sales"])
" (did you mean 'accounting'?)"
>>> did_you_mean("zzz", ["accounting", "sales"])
''
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Iterable

__all__ = ["CANDIDATE_CAP", "WORK_BUDGET", "Suggester", "did_you_mean", "unknown"]

#: At most this many candidates are compared with one word.
CANDIDATE_CAP = 2_000
#: At most this many comparisons per :class:`Suggester` (so per document or command).
WORK_BUDGET = 100_000
#: How similar a suggestion must be (``difflib.SequenceMatcher.ratio``).
CUTOFF = 0.6


class Suggester:
    """The closest of a fixed set of known names, for many misspelt words."""

    def __init__(self, known: Iterable[str], budget: int = WORK_BUDGET) -> None:
        self._by_length: dict[int, list[str]] = defaultdict(list)
        for name in sorted(set(known)):
            self._by_length[len(name)].append(name)
        self._lengths = sorted(self._by_length)
        self.budget = budget

    def _candidates(self, word: str) -> list[str]:
        n = len(word)
        low, high = (3 * n) // 7, (7 * n + 2) // 3  # outside these a ratio of 0.6 is impossible
        near = sorted(
            (length for length in self._lengths if low <= length <= high),
            key=lambda length: (abs(length - n), length),
        )
        out: list[str] = []
        for length in near:
            out.extend(self._by_length[length])
            if len(out) >= CANDIDATE_CAP:
                return out[:CANDIDATE_CAP]
        return out

    def closest(self, word: str) -> str | None:
        """The known name most like ``word``, or None (also once the budget is spent)."""
        if self.budget <= 0 or not word:
            return None
        candidates = self._candidates(word)
        self.budget -= len(candidates)
        match = difflib.get_close_matches(word, candidates, n=1, cutoff=CUTOFF)
        return match[0] if match else None

    def hint(self, word: str) -> str:
        """`` (did you mean 'x'?)``, or an empty string when nothing is close."""
        match = self.closest(word)
        return f" (did you mean '{match}'?)" if match is not None else ""


def did_you_mean(word: str, known: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for one word, or an empty string."""
    return Suggester(known).hint(word)


def unknown(option: str, kind: str, value: str, known: Iterable[str]) -> str:
    """``--root: unknown unit 'salse' (did you mean 'sales'?)``."""
    return f"{option}: unknown {kind} '{value}'{did_you_mean(value, known)}"
