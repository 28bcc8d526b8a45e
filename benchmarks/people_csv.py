"""Generate an id/parentId people CSV (the format org-chart tools read and write),
deterministically: the same size and seed give the same file, byte for byte.

Each person reports to a manager; managers have 3-9 direct reports; a few people are
assistants (``staff``); names, titles, departments (a path ``Division / Department /
Team`` when ``--departments`` is given), FTE and cost come from small fixed lists.

Usage::

    python benchmarks/people_csv.py --people 1500 -o people-1500.csv
    python benchmarks/people_csv.py --people 100000 --departments -o people-100k.csv
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import deque
from collections.abc import Iterator

FIRST = (
    "Anna",
    "Ben",
    "Clara",
    "David",
    "Emma",
    "Felix",
    "Greta",
    "Hannes",
    "Ida",
    "Jonas",
    "Kira",
    "Lukas",
    "Mia",
    "Noah",
    "Olga",
    "Paul",
    "Rosa",
    "Samir",
    "Tara",
    "Umut",
    "Vera",
    "Wim",
    "Yara",
    "Zoe",
)
LAST = (
    "Albers",
    "Becker",
    "Costa",
    "Dietrich",
    "Engel",
    "Fischer",
    "Gruber",
    "Hansen",
    "Ivanova",
    "Jung",
    "Klein",
    "Lorenz",
    "Meyer",
    "Nowak",
    "Otto",
    "Peters",
    "Quast",
    "Richter",
    "Schulz",
    "Tan",
    "Ulrich",
    "Vogel",
    "Weber",
    "Yilmaz",
)
DIVISIONS = ("Operations", "Customer", "Technology", "Finance", "People")
ROLES = ("Specialist", "Analyst", "Engineer", "Advisor", "Agent", "Coordinator")


def people(count: int, seed: int = 7, departments: bool = False) -> Iterator[list[str]]:
    """The header and ``count`` rows."""
    rnd = random.Random(seed)
    parents: dict[int, int] = {}
    header = ["id", "parentId", "name", "title", "fte", "cost", "staff"]
    if departments:
        header.append("department")
    yield header
    # breadth-first: each manager takes 3-9 reports until everybody has one
    queue: deque[tuple[int, int, str]] = deque([(1, 0, "")])
    next_id = 2
    rows: list[list[str]] = []
    while queue and len(rows) < count:
        ident, level, path = queue.popleft()
        name = f"{rnd.choice(FIRST)} {rnd.choice(LAST)}"
        rows.append([str(ident), name, str(level), path])
        reports = rnd.randint(3, 9) if level < 12 else 0
        for k in range(reports):
            if next_id > count:
                break
            if departments:
                if level == 0:
                    sub = DIVISIONS[k % len(DIVISIONS)]
                elif level <= 2:
                    sub = f"{path} / {path.rsplit(' / ', 1)[-1][:3]} {level}.{k + 1}"
                else:
                    sub = path
            else:
                sub = ""
            queue.append((next_id, level + 1, sub))
            parents[next_id] = ident
            next_id += 1
    for ident_s, name, level_s, path in rows:
        ident, level = int(ident_s), int(level_s)
        staff = level > 0 and rnd.random() < 0.02
        title = (
            "Chief Executive"
            if level == 0
            else "Assistant"
            if staff
            else "Head"
            if level <= 2
            else rnd.choice(ROLES)
        )
        fte = rnd.choice(("1", "1", "1", "0.8", "0.5"))
        cost = str(rnd.randrange(40, 180) * 1000)
        row = [
            ident_s,
            str(parents.get(ident, "")),
            name,
            title,
            fte,
            cost,
            "yes" if staff else "no",
        ]
        if departments:
            row.append(path or "Board")
        yield row


def write(count: int, out: str, seed: int = 7, departments: bool = False) -> None:
    """Write the CSV to ``out`` ('-': standard output)."""
    lines = (",".join(row) + "\n" for row in people(count, seed, departments))
    if out == "-":
        sys.stdout.writelines(lines)
    else:
        with open(out, "w", encoding="utf-8", newline="") as handle:
            handle.writelines(lines)


def main() -> None:
    """Command line: ``--people N -o FILE``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1500)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--departments", action="store_true")
    parser.add_argument("-o", "--output", default="-")
    args = parser.parse_args()
    write(args.people, args.output, args.seed, args.departments)


if __name__ == "__main__":
    main()
