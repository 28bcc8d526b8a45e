"""Generate event logs with known variants, work and waits, for the event-log tests."""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

T0 = datetime(2024, 1, 1, 8, 0, tzinfo=timezone.utc)


@dataclass(frozen=True)
class Step:
    """One step the generator puts in: activity, unit, work and wait in seconds."""

    activity: str
    unit: str
    work: int
    wait: int


#: Three variants: (steps, cases). Units appear both as handoffs and as self-pairs.
VARIANTS: list[tuple[list[Step], int]] = [
    (
        [
            Step("Register", "front-office", 600, 0),
            Step("Check", "back-office", 1800, 3600),
            Step("Approve", "back-office", 900, 1200),
            Step("Notify", "front-office", 300, 7200),
        ],
        12,
    ),
    (
        [
            Step("Register", "front-office", 600, 0),
            Step("Check", "back-office", 1800, 3600),
            Step("Reject", "legal", 1200, 86400),
        ],
        5,
    ),
    ([Step("Register", "front-office", 600, 0), Step("Escalate", "legal", 3600, 1800)], 3),
]


def rows(seed: int = 7, case_gap: int = 3600) -> tuple[list[dict[str, str]], float]:
    """The events of :data:`VARIANTS` (start and complete timestamps, one row per activity
    instance), shuffled; and the span of the log in seconds."""
    out: list[dict[str, str]] = []
    n = 0
    last = T0
    for steps, count in VARIANTS:
        for _ in range(count):
            t = T0 + timedelta(seconds=n * case_gap)
            for step in steps:
                start = t + timedelta(seconds=step.wait)
                end = start + timedelta(seconds=step.work)
                out.append(
                    {
                        "case:concept:name": f"c{n:03d}",
                        "concept:name": step.activity,
                        "org:group": step.unit,
                        "org:resource": f"{step.unit}-clerk",
                        "start_timestamp": start.isoformat(),
                        "time:timestamp": end.isoformat(),
                    }
                )
                t = end
                last = max(last, end)
            n += 1
    random.Random(seed).shuffle(out)
    return out, (last - T0).total_seconds()


def write_csv(path: Path, data: list[dict[str, str]], delimiter: str = ",") -> Path:
    """Write ``data`` as CSV with a header."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(data[0]), delimiter=delimiter)
        writer.writeheader()
        writer.writerows(data)
    return path


def write_xes(path: Path, data: list[dict[str, str]]) -> Path:
    """``data`` (rows of eventlog_gen) as an XES log, one trace per case."""
    traces: dict[str, list[str]] = {}
    for row in data:
        values = "".join(
            f'<{"date" if "time" in k else "string"} key="{k}" value="{v}"/>'
            for k, v in row.items()
            if k != "case:concept:name" and v != ""
        )
        traces.setdefault(row["case:concept:name"], []).append(f"<event>{values}</event>")
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<log>\n'
        + "".join(
            f'<trace><string key="concept:name" value="{case}"/>\n'
            + "\n".join(events)
            + "\n</trace>\n"
            for case, events in traces.items()
        )
        + "</log>\n",
        encoding="utf-8",
    )
    return path
