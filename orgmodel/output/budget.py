"""Markdown that fits a size limit: most important first, and a word on what was cut.

GitHub refuses a pull-request comment of more than 65,536 characters and cuts a job summary
at 1 MiB. A Markdown report is built as blocks in order of importance (verdict, regressions,
the journey table, then folded details); :class:`Budget` keeps every block that fits, cuts
long tables row by row with a line saying how many rows are not shown, and ends with a note
that says where the full report is. Sizes count UTF-8 bytes, which are never fewer than the
characters GitHub counts, so one limit serves both.

>>> b = Budget(limit=1000, full_report="the JSON report")
>>> b.add(["# Title"], required=True)
True
>>> b.add_rows(["| n |", "| --- |"], [f"| {i} |" for i in range(200)], what="rows") < 200
True
>>> text = b.text()
>>> len(text.encode()) <= 1000, "more rows not shown" in text
(True, True)
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["COMMENT_LIMIT", "SUMMARY_LIMIT", "Budget", "size"]

#: The most characters GitHub accepts in a pull-request or issue comment.
COMMENT_LIMIT = 65_536
#: The most bytes GitHub shows of one step's job summary.
SUMMARY_LIMIT = 1_048_576

#: Room kept for the closing note and for one "N more ... not shown" line.
_NOTE_ROOM = 400
_ROW_NOTE_ROOM = 120


def size(lines: Sequence[str]) -> int:
    """The bytes ``lines`` take joined by newlines (each line with its newline)."""
    return sum(len(line.encode("utf-8")) + 1 for line in lines)


class Budget:
    """Collects Markdown lines up to ``limit`` bytes (None: no limit)."""

    def __init__(self, limit: int | None, full_report: str) -> None:
        self.limit = limit
        self.full_report = full_report
        self.lines: list[str] = []
        self.used = 0
        #: What was left out: a count and what it counts, e.g. (12, "findings").
        self.cut: list[tuple[int, str]] = []

    def _room(self) -> float:
        if self.limit is None:
            return float("inf")
        return self.limit - _NOTE_ROOM - self.used

    def add(self, lines: Sequence[str], *, required: bool = False, what: str = "") -> bool:
        """Add ``lines`` whole if they fit (``required`` ones always); False when left out,
        counted as one ``what`` (a section's name) in the closing note."""
        needed = size(lines)
        if not required and needed > self._room():
            self.cut.append((1, what or "section"))
            return False
        self.lines.extend(lines)
        self.used += needed
        return True

    def add_rows(
        self, head: Sequence[str], rows: Sequence[str], tail: Sequence[str] = (), *, what: str
    ) -> int:
        """Add ``head``, as many ``rows`` as fit, a line on the rows left out, and ``tail``
        (the end of a table or a ``</details>``); the number of rows added. Nothing is added
        when not even the head and the first row fit."""
        if not rows:
            self.add([*head, *tail], what=what)
            return 0
        room = self._room() - size(head) - size(tail)
        if room < size(rows[:1]) + _ROW_NOTE_ROOM:
            self.cut.append((len(rows), what))
            return 0
        taken = 0
        if self.limit is None:
            taken = len(rows)
        else:
            budget = room - (_ROW_NOTE_ROOM if size(rows) > room else 0)
            for row in rows:
                cost = len(row.encode("utf-8")) + 1
                if cost > budget:
                    break
                budget -= cost
                taken += 1
        body = [*head, *rows[:taken]]
        left = len(rows) - taken
        if left:
            body += [
                "",
                f"_{left} more {what} not shown (size limit); "
                f"the full list is in {self.full_report}._",
            ]
            self.cut.append((left, what))
        body += tail
        self.lines.extend(body)
        self.used += size(body)
        return taken

    def text(self) -> str:
        """The Markdown, with a closing note when anything was left out."""
        lines = list(self.lines)
        if self.cut:
            total = ", ".join(f"{n} {what}" for n, what in self.cut)
            lines += [
                "",
                f"_Shortened to fit {self.limit:,} bytes: not shown are {total}. "
                f"The full report is in {self.full_report}._",
            ]
        return "\n".join(lines) + "\n"
