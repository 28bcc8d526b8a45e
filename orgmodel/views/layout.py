"""Tidy-tree layout in linear time (Buchheim, Jünger and Leipert's improvement of Walker's
algorithm, as in d3-hierarchy's ``tree``), with nodes of different widths.

Each node has a left and a right extent from its x position (a box centred on x has both
``width / 2``; a column of stacked leaves hangs to the right of its spine). Siblings are
kept ``gap`` apart, nodes of different parents ``cousin_gap``; parents are centred over
their first and last child; subtrees are as compact as the contours allow and never
overlap. Depth gives y, so the caller only multiplies by its row height.

The walk is iterative, so a 50,000-level chain does not hit Python's recursion limit.

>>> tidy_tree([[1, 2], [], []], [0], [10] * 3, [10] * 3, gap=5)
[22.5, 10.0, 35.0]
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["tidy_tree"]


def tidy_tree(
    children: Sequence[Sequence[int]],
    roots: Sequence[int],
    left: Sequence[float],
    right: Sequence[float],
    gap: float = 16.0,
    cousin_gap: float | None = None,
) -> list[float]:
    """The x coordinate of every node of a forest, the leftmost extent at 0.

    ``children[i]`` lists the children of node ``i`` left to right; ``roots`` are the tops
    of the trees, placed side by side; ``left[i]`` and ``right[i]`` are the node's extents.
    """
    n = len(children)
    top = n  # a virtual root above all trees, of no width
    kids: list[Sequence[int]] = [*children, list(roots)]
    cousin = gap * 2 if cousin_gap is None else cousin_gap
    parent = [-1] * (n + 1)
    index = [0] * (n + 1)
    for p in range(n + 1):
        for i, c in enumerate(kids[p]):
            parent[c] = p
            index[c] = i
    lext = [*left, 0.0]
    rext = [*right, 0.0]
    z = [0.0] * (n + 1)  # preliminary x
    mod = [0.0] * (n + 1)  # modifier applied to the subtree
    change = [0.0] * (n + 1)
    shift_ = [0.0] * (n + 1)
    thread = [-1] * (n + 1)
    anc = list(range(n + 1))
    default_anc = [-1] * (n + 1)

    def sep(a: int, b: int) -> float:
        return rext[a] + lext[b] + (gap if parent[a] == parent[b] else cousin)

    def next_left(v: int) -> int:
        ch = kids[v]
        return ch[0] if ch else thread[v]

    def next_right(v: int) -> int:
        ch = kids[v]
        return ch[-1] if ch else thread[v]

    def move_subtree(wm: int, wp: int, amount: float) -> None:
        ratio = amount / (index[wp] - index[wm])
        change[wp] -= ratio
        shift_[wp] += amount
        change[wm] += ratio
        z[wp] += amount
        mod[wp] += amount

    def apportion(v: int, w: int, ancestor: int) -> int:
        vip = vop = v
        vim = w
        vom = kids[parent[v]][0]
        sip, sop, sim, som = mod[vip], mod[vop], mod[vim], mod[vom]
        while True:
            vim = next_right(vim)
            vip = next_left(vip)
            if vim < 0 or vip < 0:
                break
            vom = next_left(vom)
            vop = next_right(vop)
            anc[vop] = v
            amount = z[vim] + sim - z[vip] - sip + sep(vim, vip)
            if amount > 0:
                a = anc[vim] if parent[anc[vim]] == parent[v] else ancestor
                move_subtree(a, v, amount)
                sip += amount
                sop += amount
            sim += mod[vim]
            sip += mod[vip]
            som += mod[vom]
            sop += mod[vop]
        if vim >= 0 and next_right(vop) < 0:
            thread[vop] = vim
            mod[vop] += sim - sop
        if vip >= 0 and next_left(vom) < 0:
            thread[vom] = vip
            mod[vom] += sip - som
            ancestor = v
        return ancestor

    # Post-order, children left to right: the reverse of a right-first pre-order.
    order: list[int] = []
    stack = [top]
    while stack:
        v = stack.pop()
        order.append(v)
        stack.extend(kids[v])
    order.reverse()

    for v in order:
        p = parent[v]
        w = kids[p][index[v] - 1] if p >= 0 and index[v] > 0 else -1
        ch = kids[v]
        if ch:
            amount = 0.0
            total = 0.0
            for c in reversed(ch):  # execute the shifts of the children
                z[c] += amount
                mod[c] += amount
                total += change[c]
                amount += shift_[c] + total
            mid = (z[ch[0]] + z[ch[-1]]) / 2
            if w >= 0:
                z[v] = z[w] + sep(w, v)
                mod[v] = z[v] - mid
            else:
                z[v] = mid
        elif w >= 0:
            z[v] = z[w] + sep(w, v)
        if p >= 0 and w >= 0:
            start = default_anc[p] if default_anc[p] >= 0 else kids[p][0]
            default_anc[p] = apportion(v, w, start)

    x = [0.0] * (n + 1)
    acc = [0.0] * (n + 1)
    acc[top] = -z[top] + mod[top]
    stack = [top]
    while stack:
        v = stack.pop()
        for c in kids[v]:
            x[c] = z[c] + acc[v]
            acc[c] = acc[v] + mod[c]
            stack.append(c)
    if n == 0:
        return []
    least = min(x[i] - lext[i] for i in range(n))
    return [x[i] - least for i in range(n)]
