"""Orthogonal routing of lines around boxes, for the built-in SVG layouts.

A line between two boxes must not pass under a box it does not connect, or the picture
says something false (a unit seems to report to the box the line runs behind). The
router lays a grid over the gaps between the boxes (a line half a gap away from each box
edge, so lines run in the middle of the gaps), and finds the shortest path with few bends
on that grid by Dijkstra's algorithm; no segment enters a box (with a small clearance).
Lines leave and enter boxes vertically, at the middle of the bottom or top side.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Sequence

from orgmodel.views.svg import num

__all__ = ["CLEAR", "Point", "Rect", "Router", "crosses", "polyline"]

Rect = tuple[float, float, float, float]  # x, y, width, height
Point = tuple[float, float]

CLEAR = 4.0  # no segment comes closer than this to a box it does not connect
BEND = 40.0  # cost of a bend, in pixels of length
SHARED = 4.0  # cost factor of a step that another line (other ends) already takes, plus
# two bends
TRACK = 14.0  # distance of parallel tracks in a wide empty band between boxes


class Router:
    """Routes between the sides of ``boxes`` (rectangles ``x, y, w, h``) around the others.

    ``ends`` lists the (start, end) points of every line to be routed, so that the grid
    has lines through them; ``gap`` is the usual gap between boxes.
    """

    def __init__(
        self, boxes: Sequence[Rect], ends: Sequence[tuple[Point, Point]], gap: float = 18.0
    ) -> None:
        self.boxes = [(x - CLEAR, y - CLEAR, x + w + CLEAR, y + h + CLEAR) for x, y, w, h in boxes]
        half = gap / 2
        xs = {p[0] for pair in ends for p in pair}
        ys = {p[1] for pair in ends for p in pair}
        for x, y, w, h in boxes:
            xs.update((x - half, x + w + half))
            ys.update((y - half - 4, y + h + half + 4))
        tracks, free = _tracks([(y, y + h) for _x, y, _w, h in boxes], gap)
        ys = (
            {y for y in ys if not any(a < y < b for a, b in free)}
            | set(tracks)
            | {p[1] for pair in ends for p in pair}
        )
        if boxes:
            xs.update((min(b[0] for b in self.boxes) - half, max(b[2] for b in self.boxes) + half))
        self.xs = sorted({round(v, 1) for v in xs})
        self.ys = sorted({round(v, 1) for v in ys})
        # open[i][j]: the horizontal step (xs[i], ys[j]) -> (xs[i + 1], ys[j]) is clear
        self.h_open = [
            [self._clear(self.xs[i], y, self.xs[i + 1], y) for y in self.ys]
            for i in range(len(self.xs) - 1)
        ]
        self.v_open = [
            [self._clear(x, self.ys[j], x, self.ys[j + 1]) for j in range(len(self.ys) - 1)]
            for x in self.xs
        ]
        # grid steps taken by the lines routed so far, with their (start, end): a later line
        # between other boxes avoids them, so that lines do not merge and mislead
        self.used: dict[tuple[int, int, int], set[tuple[Point, Point]]] = {}

    def _clear(self, x0: float, y0: float, x1: float, y1: float) -> bool:
        return not any(crosses((x0, y0), (x1, y1), b) for b in self.boxes)

    def route(self, start: Point, end: Point) -> list[Point]:
        """The bends of a clear orthogonal path from ``start`` to ``end`` (both on the grid);
        a straight line when there is none."""
        try:
            si = (self.xs.index(round(start[0], 1)), self.ys.index(round(start[1], 1)))
            ei = (self.xs.index(round(end[0], 1)), self.ys.index(round(end[1], 1)))
        except ValueError:
            return [start, end]
        best: dict[tuple[int, int, int], float] = {}
        back: dict[tuple[int, int, int], tuple[int, int, int] | None] = {}
        heap: list[tuple[float, tuple[int, int, int], tuple[int, int, int] | None]] = [
            (0.0, (si[0], si[1], 1), None)
        ]
        goal = None
        while heap:
            cost, state, prev = heapq.heappop(heap)
            if state in back:
                continue
            back[state] = prev
            i, j, d = state
            if (i, j) == ei:
                goal = state
                break
            for ni, nj, nd, ok in self._steps(i, j):
                if not ok:
                    continue
                step = abs(self.xs[ni] - self.xs[i]) + abs(self.ys[nj] - self.ys[j])
                owners = self.used.get((min(i, ni), min(j, nj), nd), ())
                if any(a != start and b != end for a, b in owners):
                    # even a short run on another line's track costs more than two bends:
                    # lines that share a piece of track cannot be told apart
                    step = step * SHARED + 2 * BEND
                new = cost + step + (BEND if nd != d else 0.0)
                key = (ni, nj, nd)
                if key not in back and new < best.get(key, float("inf")):
                    best[key] = new
                    heapq.heappush(heap, (new, key, state))
        if goal is None:
            return [start, end]
        cells: list[tuple[int, int, int]] = []
        at: tuple[int, int, int] | None = goal
        while at is not None:
            cells.append(at)
            at = back[at]
        cells.reverse()
        for (i, j, _), (ni, nj, nd) in itertools.pairwise(cells):
            self.used.setdefault((min(i, ni), min(j, nj), nd), set()).add((start, end))
        points = [(self.xs[i], self.ys[j]) for i, j, _ in cells]
        return _corners(points)

    def _steps(self, i: int, j: int) -> list[tuple[int, int, int, bool]]:
        out = []
        if i > 0:
            out.append((i - 1, j, 0, self.h_open[i - 1][j]))
        if i + 1 < len(self.xs):
            out.append((i + 1, j, 0, self.h_open[i][j]))
        if j > 0:
            out.append((i, j - 1, 1, self.v_open[i][j - 1]))
        if j + 1 < len(self.ys):
            out.append((i, j + 1, 1, self.v_open[i][j]))
        return out


def _tracks(
    spans: list[tuple[float, float]], gap: float
) -> tuple[list[float], list[tuple[float, float]]]:
    """Parallel horizontal tracks in every wide band of y that no box covers, and those
    bands (without their margins)."""
    out: list[float] = []
    free: list[tuple[float, float]] = []
    spans.sort()
    reach = spans[0][1] if spans else 0.0
    for top, bottom in spans[1:]:
        if top - reach > 3 * gap:
            count = int((top - reach - 2 * gap) // TRACK)
            out += [reach + gap + k * TRACK for k in range(count + 1)]
            free.append((reach + gap - 1, top - gap + 1))
        reach = max(reach, bottom)
    return out, free


def crosses(a: Point, b: Point, box: tuple[float, float, float, float]) -> bool:
    """True when the axis-parallel segment ``a``-``b`` enters the open rectangle ``box``
    (``left, top, right, bottom``)."""
    left, top, right, bottom = box
    x0, x1 = sorted((a[0], b[0]))
    y0, y1 = sorted((a[1], b[1]))
    return x0 < right and x1 > left and y0 < bottom and y1 > top


def _corners(points: list[Point]) -> list[Point]:
    """``points`` without the ones in the middle of a straight run."""
    out: list[Point] = []
    for p in points:
        if out and num(out[-1][0]) == num(p[0]) and num(out[-1][1]) == num(p[1]):
            continue
        if len(out) >= 2 and (
            num(out[-2][0]) == num(out[-1][0]) == num(p[0])
            or num(out[-2][1]) == num(out[-1][1]) == num(p[1])
        ):
            out[-1] = p
        else:
            out.append(p)
    return out


def polyline(points: Sequence[Point]) -> str:
    """SVG path data through ``points`` (M, then H and V for axis-parallel steps)."""
    points = _corners(list(points))
    (x, y), out = points[0], [f"M{num(points[0][0])},{num(points[0][1])}"]
    for px, py in points[1:]:
        if num(py) == num(y):
            out.append(f"H{num(px)}")
        elif num(px) == num(x):
            out.append(f"V{num(py)}")
        else:
            out.append(f"L{num(px)},{num(py)}")
        x, y = px, py
    return "".join(out)
