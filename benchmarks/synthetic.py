"""Generate a synthetic orgmodel document of any size, deterministically.

The same parameters and seed always give the same document, byte for byte: all
randomness comes from :class:`random.Random` instances seeded from ``seed`` (one
per part of the document, so adding positions leaves the units and journeys as
they were), never from the global generator.

Shape of the enterprise:

* a board at the top and ``departments`` (12) departments below it, each marked
  ``silo: true``; one department is the customer layer (its units are segment
  teams and customer service), one the market layer (it owns stakeholders), the
  rest are functional;
* below the departments, divisions, groups and teams grow with a branching
  factor of 4-8, expanding units of the frontier in random order (a ragged tree,
  not level by level); departments differ in size and in their chance that a unit
  is a leaf team; at 100,000 units most units sit at depth 6-8, a few at 9;
* positions (optional): each unit's head position reports to the head of the
  parent unit; further members report to their unit head, a few are ``staff``;
* segments (~20) with segment teams in the customer layer, two personas each,
  services from functional units to the segment teams, stakeholders owned by the
  market layer, goals (~1 per 50 units);
* journeys owned by segment teams; the steps are performed by units from a few
  "home" silos of the journey (plus the odd stray unit), so a journey has both
  same-unit successions and crossings of silo walls; waits and work times are
  duration strings.

Usage::

    python benchmarks/synthetic.py --units 100000 --positions 1000000 --journeys 5000 \\
        -o benchmarks/data/enterprise-100k.json
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

__all__ = ["default_path", "dumps", "generate", "write"]

DATA_DIR = Path(__file__).resolve().parent / "data"

MIN_UNITS = 50
MAX_DEPTH = 9  # deepest possible unit depth

# slug, display name, layer
DEPARTMENTS: tuple[tuple[str, str, str], ...] = (
    ("customers", "Customer Management", "customer"),
    ("sales", "Sales", "functional"),
    ("marketing", "Marketing", "functional"),
    ("operations", "Operations", "functional"),
    ("billing", "Billing", "functional"),
    ("it", "Information Technology", "functional"),
    ("network", "Network", "functional"),
    ("logistics", "Logistics", "functional"),
    ("finance", "Finance", "functional"),
    ("hr", "Human Resources", "functional"),
    ("legal", "Legal and Compliance", "functional"),
    ("market", "Market Relations", "market"),
)

# What the chief officer's unit of a department answers for (``accountable_for``); no one
# answers for innovation, as in many real organizations.
ACCOUNTABLE: dict[str, str] = {
    "customers": "customer",
    "market": "market",
    "operations": "manufacturing",
    "network": "manufacturing",
    "logistics": "manufacturing",
    "marketing": "business-support",
    "billing": "business-support",
    "it": "business-support",
    "finance": "business-support",
    "hr": "business-support",
    "legal": "business-support",
}

_AREAS = (
    "North",
    "South",
    "East",
    "West",
    "Central",
    "Digital",
    "Retail",
    "Enterprise",
    "Platform",
    "Core",
    "Field",
    "Back Office",
    "Quality",
    "Planning",
    "Support",
    "Projects",
)
_FIRST = (
    "Anna",
    "Ben",
    "Clara",
    "David",
    "Eva",
    "Felix",
    "Greta",
    "Hannah",
    "Ivan",
    "Julia",
    "Karl",
    "Lena",
    "Marco",
    "Nina",
    "Oskar",
    "Paula",
    "Quentin",
    "Rosa",
    "Stefan",
    "Tara",
    "Uwe",
    "Vera",
    "Walter",
    "Xenia",
    "Yusuf",
    "Zoe",
)
_LAST = (
    "Adams",
    "Becker",
    "Costa",
    "Dubois",
    "Evans",
    "Fischer",
    "Garcia",
    "Hansen",
    "Ito",
    "Jensen",
    "Klein",
    "Larsen",
    "Meyer",
    "Novak",
    "Olsen",
    "Petrov",
    "Quinn",
    "Rossi",
    "Schmidt",
    "Tanaka",
    "Ulrich",
    "Vogel",
    "Weber",
    "Young",
    "Zimmer",
)
_MEMBER_TITLES = (
    "Analyst",
    "Engineer",
    "Specialist",
    "Clerk",
    "Consultant",
    "Agent",
    "Planner",
    "Coordinator",
    "Developer",
    "Technician",
)
_SEGMENTS = (
    "Private customers",
    "Young families",
    "Students",
    "Seniors",
    "Small business",
    "Self-employed",
    "Mid-market",
    "Large accounts",
    "Public sector",
    "Resellers",
    "Premium customers",
    "Prepaid customers",
    "Rural households",
    "Urban households",
    "Start-ups",
    "Farmers",
    "Health care",
    "Education",
    "Hospitality",
    "Wholesale",
)
_VERBS = (
    "Check",
    "Clarify",
    "Approve",
    "Register",
    "Escalate",
    "Forward",
    "Confirm",
    "Ship",
    "Bill",
    "Resolve",
    "Record",
    "Review",
    "Schedule",
    "Install",
    "Activate",
    "Refund",
)
_OBJECTS = (
    "request",
    "invoice",
    "order",
    "contract",
    "complaint",
    "address change",
    "payment",
    "claim",
    "device",
    "appointment",
    "credit check",
    "tariff change",
)
_SERVICES = (
    "Invoice clarification",
    "Contract change",
    "Network provisioning",
    "Credit check",
    "Device logistics",
    "Field installation",
    "Payment plan",
    "Legal review",
    "Data export",
    "Order fulfilment",
    "Tariff analysis",
    "Fraud check",
)
_METRICS = (
    ("Cost per call", "cost", "functional"),
    ("Utilization", "utilization", "functional"),
    ("Throughput per day", "speed", "functional"),
    ("Error rate", "quality", "functional"),
    ("Revenue", "revenue", "functional"),
    ("First-contact resolution", "resolution", "customer"),
    ("Customer satisfaction", "satisfaction", "customer"),
    ("Net promoter score", "loyalty", "customer"),
    ("Churn", "retention", "customer"),
    ("End-to-end lead time", "speed", "customer"),
    ("Customer lifetime value", "value", "customer"),
)
_CHANNELS = ("phone", "shop", "web", "app", "mail", "on site", "chat")
_ROLES = ("agent", "tester", "clerk", "engineer", "approver", "dispatcher")
_WORK = ("2m", "5m", "10m", "15m", "30m", "45m", "1h", "1h30m", "2h", "4h", "1d")
_WAIT = ("0", "0", "0", "5m", "30m", "2h", "4h", "1d", "2d", "3d", "1w", "2d12h")
_PROBLEMS = (
    "Customer has to repeat the request",
    "Nobody feels responsible",
    "Information gets lost at the hand-over",
    "Customer does not know the status",
    "Wrong tariff applied",
    "Call is transferred several times",
)


def _person(rng: random.Random) -> str:
    return f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"


def generate(
    units: int = 100_000,
    positions: int = 0,
    journeys: int = 5_000,
    steps: int = 12,
    seed: int = 1,
) -> dict:
    """Return a synthetic orgmodel document as a dict (see the module docstring).

    ``steps`` is the mean number of steps per journey (each journey has between
    ``steps - steps // 2`` and ``steps + steps // 2``).
    """
    if units < MIN_UNITS:
        raise ValueError(f"units must be at least {MIN_UNITS}")
    if positions < 0 or journeys < 0 or steps < 1:
        raise ValueError("positions and journeys must be >= 0, steps >= 1")
    # One generator per part, each seeded from ``seed`` and the part's name: the units,
    # journeys ... of a document are the same whether or not it has positions.
    rng = random.Random(f"{seed}:units")

    # ------------------------------------------------------------------ units
    ids: list[str] = ["board"]
    parent: list[int] = [-1]
    depth: list[int] = [0]
    dept: list[int] = [-1]  # index into DEPARTMENTS, -1 for the board
    kids: list[int] = [0]
    for d, (slug, _name, _layer) in enumerate(DEPARTMENTS):
        ids.append(slug)
        parent.append(0)
        depth.append(1)
        dept.append(d)
        kids.append(0)
    kids[0] = len(DEPARTMENTS)
    # Departments differ in size (weights 0.3-2.0) and in their chance that a unit below
    # the divisions is a leaf (0.3-0.5); together these give depths of about 7-9.
    weights = [rng.uniform(0.3, 2.0) for _ in DEPARTMENTS]
    rest = units - len(ids)
    targets = [int(rest * w / sum(weights)) for w in weights]
    targets[0] += rest - sum(targets)
    for d, target in enumerate(targets):
        leaf_p = rng.uniform(0.1, 0.3)
        goal = len(ids) + target
        frontier = [d + 1]
        while len(ids) < goal:
            if not frontier:  # every branch ended in leaves: let the shallow units grow on
                frontier = [
                    i for i in range(d + 1, len(ids)) if (dept[i] == d and depth[i] < MAX_DEPTH)
                ]
            # expand the shallowest of three random units of the frontier: ragged, not level
            # by level, yet not too deep
            k = rng.randrange(len(frontier))
            for _ in range(2):
                other = rng.randrange(len(frontier))
                if depth[frontier[other]] < depth[frontier[k]]:
                    k = other
            frontier[k], frontier[-1] = frontier[-1], frontier[k]
            node = frontier.pop()
            if depth[node] >= MAX_DEPTH or (depth[node] >= 3 and rng.random() < leaf_p):
                continue
            for _ in range(rng.randint(4, 8)):
                if len(ids) >= goal:
                    break
                i = len(ids)
                ids.append(f"{DEPARTMENTS[d][0]}-{i:06d}")
                parent.append(node)
                depth.append(depth[node] + 1)
                dept.append(d)
                kids.append(0)
                kids[node] += 1
                frontier.append(i)

    n = len(ids)
    by_dept: list[list[int]] = [[] for _ in DEPARTMENTS]
    for i in range(1, n):
        by_dept[dept[i]].append(i)
    customer_dept = 0
    market_dept = len(DEPARTMENTS) - 1
    functional_units = [
        i
        for d, members in enumerate(by_dept)
        if d not in (customer_dept, market_dept)
        for i in members
    ]

    unit_docs: list[dict] = []
    for i in range(n):
        d = dept[i]
        if i == 0:
            kind, layer, name = "board", "functional", "Board of Directors"
        elif depth[i] == 1:
            kind, layer, name = "department", DEPARTMENTS[d][2], DEPARTMENTS[d][1]
        else:
            if depth[i] == 2:
                kind = "division"
            elif kids[i] == 0:
                kind = "team"
            else:
                kind = "group"
            if rng.random() < 0.01:
                kind = rng.choice(("office", "project"))
            layer = DEPARTMENTS[d][2]
            name = f"{DEPARTMENTS[d][1]} {rng.choice(_AREAS)} {kind.title()} {i}"
        unit: dict = {"id": ids[i], "name": name, "kind": kind}
        if layer != "functional":
            unit["layer"] = layer
        if parent[i] >= 0:
            unit["parent"] = ids[parent[i]]
        if depth[i] == 1:
            unit["silo"] = True
            if ids[i] in ACCOUNTABLE:
                unit["accountable_for"] = [ACCOUNTABLE[ids[i]]]
        if depth[i] >= 2 and rng.random() < 0.01:
            other = rng.choice(by_dept[rng.randrange(len(DEPARTMENTS))])
            if other != i and other != parent[i]:
                line: dict = {"to": ids[other]}
                if rng.random() < 0.3:
                    line["kind"] = "matrix"
                unit["lines"] = [line]
        if rng.random() < 0.9:
            unit["head"] = _person(rng)
        headcount = rng.randint(3, 15) if kids[i] == 0 else rng.randint(1, 5)
        unit["headcount"] = headcount
        unit["cost"] = round(headcount * rng.uniform(55_000, 120_000), 2)
        if rng.random() < 0.05:
            unit["description"] = f"Responsible for {rng.choice(_OBJECTS)} handling."
        unit_docs.append(unit)

    # ------------------------------------------------------------------ positions
    rng = random.Random(f"{seed}:positions")
    position_docs: list[dict] = []
    if positions:
        heads = min(positions, n)  # parents come before children: a parent has a head
        members_left = positions - heads
        leaves = [i for i in range(heads) if kids[i] == 0] or list(range(heads))
        members = [0] * n
        for _ in range(members_left):
            # most people sit in the leaf teams
            unit_i = rng.choice(leaves) if rng.random() < 0.8 else rng.randrange(heads)
            members[unit_i] += 1
        head_id = [""] * n
        counter = 0
        for i in range(heads):
            counter += 1
            pid = f"pos-{counter:07d}"
            head_id[i] = pid
            pos: dict = {
                "id": pid,
                "title": "Chair of the Board" if i == 0 else f"Head of {unit_docs[i]['name']}",
                "unit": ids[i],
            }
            if parent[i] >= 0:
                pos["reports_to"] = head_id[parent[i]]
            if rng.random() < 0.95:
                pos["holder"] = _person(rng)
            position_docs.append(pos)
            for _ in range(members[i]):
                counter += 1
                pos = {"id": f"pos-{counter:07d}", "unit": ids[i], "reports_to": pid}
                if rng.random() < 0.03:
                    pos["title"] = "Assistant to the head"
                    pos["staff"] = True
                else:
                    pos["title"] = rng.choice(_MEMBER_TITLES)
                if rng.random() < 0.9:
                    pos["holder"] = _person(rng)
                r = rng.random()
                if r < 0.08:
                    pos["fte"] = 0.5
                elif r < 0.12:
                    pos["fte"] = 0.8
                position_docs.append(pos)

    # ------------------------------------------------------------------ segments, personas
    rng = random.Random(f"{seed}:segments")
    customer_units = by_dept[customer_dept]
    team_pool = [i for i in customer_units if depth[i] in (2, 3)] or customer_units
    n_segments = min(len(_SEGMENTS), len(team_pool))
    segment_teams = rng.sample(team_pool, n_segments)
    segment_docs: list[dict] = []
    persona_docs: list[dict] = []
    personas_of: list[list[str]] = []
    for s in range(n_segments):
        sid = f"seg-{s + 1:02d}"
        segment_docs.append(
            {
                "id": sid,
                "name": _SEGMENTS[s],
                "value_tier": rng.choice(("high", "potential", "low")),
                "team": ids[segment_teams[s]],
                "customers": rng.randint(1_000, 2_000_000),
            }
        )
        mine = []
        for p in range(2):
            pid = f"persona-{s + 1:02d}-{p + 1}"
            persona_docs.append(
                {
                    "id": pid,
                    "name": f"{rng.choice(_FIRST)} ({_SEGMENTS[s].lower()})",
                    "segment": sid,
                    "description": "Wants a quick answer and one contact person.",
                }
            )
            mine.append(pid)
        personas_of.append(mine)

    # ------------------------------------------------------------------ services
    service_docs: list[dict] = []
    if segment_teams and functional_units:
        for k in range(max(3 * n_segments, n // 200)):
            service_docs.append(
                {
                    "id": f"svc-{k + 1:05d}",
                    "name": rng.choice(_SERVICES),
                    "provider": ids[rng.choice(functional_units)],
                    "consumer": ids[rng.choice(segment_teams)],
                }
            )

    # ------------------------------------------------------------------ stakeholders
    stakeholder_docs: list[dict] = []
    market_units = by_dept[market_dept] or [market_dept + 1]
    for k in range(max(10, n // 2000)):
        kind = rng.choice(("supplier", "partner", "investor", "regulator", "public", "other"))
        stakeholder_docs.append(
            {
                "id": f"sh-{k + 1:04d}",
                "name": f"{rng.choice(_LAST)} {kind.title()} {k + 1}",
                "kind": kind,
                "owner": ids[rng.choice(market_units)],
            }
        )

    # ------------------------------------------------------------------ journeys
    rng = random.Random(f"{seed}:journeys")
    journey_docs: list[dict] = []
    n_depts = len(DEPARTMENTS)
    for j in range(journeys):
        steps_doc: list[dict] = []
        seg = rng.randrange(n_segments) if n_segments else -1
        # home silos: the customer layer plus 1-3 functional departments, 2-4 units each
        homes = [customer_dept, *rng.sample(range(1, n_depts - 1), rng.randint(1, 3))]
        pool: list[int] = []
        for d in homes:
            members = by_dept[d]
            pool.extend(rng.choice(members) for _ in range(rng.randint(2, 4)))
        count = rng.randint(max(1, steps - steps // 2), steps + steps // 2)
        named = rng.random() < 0.1
        current = segment_teams[seg] if seg >= 0 else rng.choice(pool)
        for s in range(count):
            if s > 0:
                r = rng.random()
                if r < 0.35:
                    pass  # same unit as the previous step
                elif r < 0.95:
                    current = rng.choice(pool)
                else:
                    current = rng.randrange(1, n)
            step: dict = {}
            if named:
                step["id"] = f"s{s + 1}"
            step["name"] = f"{rng.choice(_VERBS)} {rng.choice(_OBJECTS)}"
            step["unit"] = ids[current]
            if rng.random() < 0.2:
                step["role"] = rng.choice(_ROLES)
            if s == 0 or s == count - 1 or rng.random() < 0.2:
                step["touchpoint"] = True
                step["channel"] = rng.choice(_CHANNELS)
            if rng.random() < 0.2:
                step["value_adding"] = False
            step["work"] = rng.choice(_WORK)
            wait = rng.choice(_WAIT)
            if wait != "0" or rng.random() < 0.5:
                step["wait"] = wait
            if rng.random() < 0.1:
                step["problems"] = [
                    {"text": rng.choice(_PROBLEMS), "weight": rng.randint(1, 10)}
                    for _ in range(rng.randint(1, 2))
                ]
            steps_doc.append(step)
        journey: dict = {
            "id": f"journey-{j + 1:05d}",
            "name": f"{rng.choice(_VERBS)} {rng.choice(_OBJECTS)} ({j + 1})",
        }
        if seg >= 0:
            journey["segment"] = segment_docs[seg]["id"]
            journey["persona"] = rng.choice(personas_of[seg])
            journey["owner"] = segment_docs[seg]["team"]
        if rng.random() < 0.15:
            journey["state"] = "to-be"
        journey["volume"] = rng.randint(10, 50_000)
        journey["steps"] = steps_doc
        journey_docs.append(journey)

    # ------------------------------------------------------------------ goals
    goal_docs: list[dict] = []
    for k in range(max(1, n // 50)):
        metric, gkind, orientation = rng.choice(_METRICS)
        r = rng.random()
        if r < 0.25 and journey_docs:
            holder = rng.choice(journey_docs)["id"]
        elif r < 0.4 and segment_docs:
            holder = rng.choice(segment_docs)["id"]
        else:
            holder = ids[rng.randrange(n)]
        goal: dict = {
            "id": f"goal-{k + 1:05d}",
            "metric": metric,
            "holder": holder,
            "orientation": orientation,
            "kind": gkind,
        }
        goal["target"] = (
            f"-{rng.randint(5, 30)} %" if rng.random() < 0.5 else round(rng.uniform(0.5, 100), 1)
        )
        goal_docs.append(goal)

    return {
        "orgmodel": "1",
        "name": f"Synthetic enterprise ({n} units, seed {seed})",
        "description": "Generated by benchmarks/synthetic.py for scale tests.",
        "settings": {"silo_level": 1, "volume_period": "month", "currency": "EUR"},
        "units": unit_docs,
        "positions": position_docs,
        "services": service_docs,
        "segments": segment_docs,
        "personas": persona_docs,
        "stakeholders": stakeholder_docs,
        "journeys": journey_docs,
        "goals": goal_docs,
    }


def dumps(doc: dict) -> str:
    """JSON text with one entity per line: readable, diff-able, and fast to write."""
    lines = ["{"]
    keys = list(doc)
    for k, key in enumerate(keys):
        value = doc[key]
        comma = "," if k < len(keys) - 1 else ""
        if isinstance(value, list) and value:
            lines.append(f"  {json.dumps(key)}: [")
            lines.append(",\n".join("    " + json.dumps(item) for item in value))
            lines.append(f"  ]{comma}")
        else:
            lines.append(f"  {json.dumps(key)}: {json.dumps(value)}{comma}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def write(doc: dict, path: str | Path) -> Path:
    """Write ``doc`` to ``path`` atomically (a reader never sees half a file)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(dumps(doc), encoding="utf-8")
    os.replace(tmp, path)
    return path


def default_path(units: int, positions: int, journeys: int, steps: int, seed: int) -> Path:
    """Where the benchmarks keep a generated document with these parameters."""
    return DATA_DIR / f"enterprise-u{units}-p{positions}-j{journeys}-s{steps}-seed{seed}.json"


def describe(doc: dict) -> str:
    """One line per collection: how much of what was generated."""
    units = doc["units"]
    parent = {u["id"]: u.get("parent") for u in units}
    depth: dict[str, int] = {}
    for u in units:  # parents come before their children
        p = parent[u["id"]]
        depth[u["id"]] = 0 if p is None else depth[p] + 1
    levels: dict[int, int] = {}
    for d in depth.values():
        levels[d] = levels.get(d, 0) + 1
    steps = sum(len(j["steps"]) for j in doc["journeys"])
    parts = [
        f"{key}={len(doc[key])}"
        for key in (
            "units",
            "positions",
            "services",
            "segments",
            "personas",
            "stakeholders",
            "journeys",
            "goals",
        )
    ]
    per_level = ", ".join(f"{d}:{c}" for d, c in sorted(levels.items()))
    return f"{' '.join(parts)} steps={steps}\nunits per depth: {per_level}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=100_000)
    parser.add_argument("--positions", type=int, default=0)
    parser.add_argument("--journeys", type=int, default=5_000)
    parser.add_argument("--steps", type=int, default=12, help="mean steps per journey")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        help="JSON file to write (default: benchmarks/data/enterprise-...json)",
    )
    parser.add_argument("-q", "--quiet", action="store_true")
    args = parser.parse_args(argv)
    if args.units < MIN_UNITS:
        parser.error(f"--units must be at least {MIN_UNITS}")
    start = time.perf_counter()
    doc = generate(args.units, args.positions, args.journeys, args.steps, args.seed)
    out = args.output or default_path(
        args.units, args.positions, args.journeys, args.steps, args.seed
    )
    write(doc, out)
    if not args.quiet:
        size = out.stat().st_size / 1e6
        print(f"wrote {out} ({size:.1f} MB) in {time.perf_counter() - start:.1f} s")
        print(describe(doc))
    return 0


if __name__ == "__main__":
    sys.exit(main())
