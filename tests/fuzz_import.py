"""A mutation fuzzer for the importers: HR exports, ArchiMate exchange files, event logs.

Each case takes a small valid input of one importer (``orgmodel import hris`` with one row
per person or per unit, ``import archimate``, ``import eventlog``), applies one mutation of
a class (an encoding, a delimiter, a reporting cycle, a duplicate id, a bad number or
timestamp, truncation, a byte flip, XML entities, a wrong namespace, a dangling relation,
unsorted or missing timestamps, an empty file ...), and runs the command in this process.
It asserts that

* the command exits 0 or 2 (never 3, an internal error), without a traceback;
* on exit 2 every problem line names the file and a place in it (``file:row:column:`` or
  ``file:line:column:``, or ``file:line:``), and nothing is written;
* on exit 0 the written document loads.

Run ``python tests/fuzz_import.py N [--seed S]`` (``./dev fuzz N`` runs it after
``tests/fuzz.py``); ``tests/test_fuzz.py`` runs a few hundred cases in every test run.
"""

from __future__ import annotations

import argparse
import codecs
import random
import re
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from orgmodel import DocumentInvalid, load_text  # noqa: E402
from tests.conftest import run_main  # noqa: E402
from tests.fuzz import flip  # noqa: E402

DATA = ROOT / "tests" / "data" / "import"
PEOPLE = (DATA / "people.csv").read_text(encoding="utf-8")
UNITS = (DATA / "gov-organisations.csv").read_text(encoding="utf-8")
ARCHIMATE = (DATA / "small-archimate.xml").read_text(encoding="utf-8")
NS = "http://www.opengroup.org/xsd/archimate/3.0/"

HOSTILE = ["a\nb", "x<script>", "\x1b[31mred", "‮evil", "", " ", "a\x00b", '"', "a,b", "=1+2"]
NUMBERS = ["x", "", "-1", "1e400", "NaN", "inf", "1,5", "0x10", "١", "99999999999999999999"]
STAMPS = ["", "x", "2024-13-01T00:00:00", "2024-01-01", "0", "1e20", "2024-02-30T10:00:00",
          "10:00", "2024-01-01T25:00:00", "９"]  # fmt: skip

_PROBLEM = re.compile(r"^(?P<file>.+?):(?P<line>\d+)(?::(?P<column>\d+))?: ")


def _eventlog(rng: random.Random) -> list[list[str]]:
    """A small log: header and rows of case, activity, start, end, resource."""
    rows = [["case_id", "Activity", "start_time", "end_time", "Resource"]]
    steps = [("Register", "Anya"), ("Check", "Marcus"), ("Approve", "Anya"), ("Pay", "Lee")]
    for case in range(rng.randint(2, 6)):
        t = 8 * 3600 + case * 1800
        for activity, resource in steps[: rng.randint(2, 4)]:
            start, t = t, t + rng.randint(60, 3600)
            rows.append(
                [f"c{case}", activity, _stamp(start), _stamp(t), resource]
            )  # fmt: skip
            t += rng.randint(0, 1800)
    return rows


def _stamp(seconds: int) -> str:
    day, rest = divmod(seconds, 86400)
    return f"2024-01-{day + 1:02d}T{rest // 3600:02d}:{rest % 3600 // 60:02d}:{rest % 60:02d}"


def _csv(rows: list[list[str]], delimiter: str = ",") -> str:
    def cell(value: str) -> str:
        if any(c in value for c in f'{delimiter}"\n\r'):
            return '"' + value.replace('"', '""') + '"'
        return value

    return "".join(delimiter.join(cell(v) for v in row) + "\n" for row in rows)


def _rows(text: str) -> list[list[str]]:
    return [line.split(",") for line in text.splitlines()]


# --------------------------------------------------------------------------- generic bytes


def _truncate(rng: random.Random, raw: bytes) -> bytes:
    return raw[: rng.randrange(len(raw) + 1)]


def _flip(rng: random.Random, raw: bytes) -> bytes:
    return flip(rng, raw, ',;\t|"\n\r\x00<>&=-')


def _encode(rng: random.Random, text: str) -> bytes:
    kind = rng.randrange(6)
    if kind == 0:
        return text.encode("utf-16")
    if kind == 1:
        return codecs.BOM_UTF8 + text.encode("utf-8")
    if kind == 2:
        return text.encode("cp1252", "replace")
    if kind == 3:
        raw = text.encode("utf-8")
        at = rng.randrange(len(raw))
        return raw[:at] + rng.choice([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\x00"]) + raw[at:]
    if kind == 4:
        return text.encode("utf-16-le")  # no BOM
    return text.replace("\n", "\r\n").encode("utf-8")


# --------------------------------------------------------------------------- HR exports


def _people(rng: random.Random) -> list[list[str]]:
    return _rows(PEOPLE)


def h_encoding(rng: random.Random) -> bytes:
    rows = _people(rng)
    rows[rng.randrange(1, len(rows))][1] = rng.choice(["Müller", "Ærø", "😀", "\u00a0x"])
    return _encode(rng, _csv(rows))


def h_delimiter(rng: random.Random) -> bytes:
    delimiter = rng.choice([";", "\t", "|", ":", " "])
    text = _csv(_people(rng), delimiter)
    if rng.random() < 0.4:  # a line with another delimiter
        lines = text.splitlines()
        at = rng.randrange(len(lines))
        lines[at] = lines[at].replace(delimiter, rng.choice([",", ";", "\t"]))
        text = "\n".join(lines) + "\n"
    return text.encode("utf-8")


def h_cycle(rng: random.Random) -> bytes:
    rows = _people(rng)
    a, b = rng.sample(range(1, len(rows)), 2)
    rows[a][3], rows[b][3] = rows[b][0], rows[a][0]
    if rng.random() < 0.3:
        rows[a][3] = rows[a][0]  # reports to oneself
    return _csv(rows).encode("utf-8")


def h_duplicate(rng: random.Random) -> bytes:
    rows = _people(rng)
    a, b = rng.sample(range(1, len(rows)), 2)
    if rng.random() < 0.5:
        rows[a][0] = rows[b][0]
    else:
        rows.insert(rng.randrange(1, len(rows)), list(rows[a]))
    if rng.random() < 0.3:  # a duplicate column too
        rows[0][rng.randrange(len(rows[0]))] = rng.choice(rows[0])
    return _csv(rows).encode("utf-8")


def h_number(rng: random.Random) -> bytes:
    rows = _people(rng)
    for _ in range(rng.randint(1, 3)):
        rows[rng.randrange(1, len(rows))][rng.choice([5, 6])] = rng.choice(NUMBERS)
    return _csv(rows).encode("utf-8")


def h_shape(rng: random.Random) -> bytes:
    rows = _people(rng)
    kind = rng.randrange(6)
    if kind == 0:
        rows = rows[:1]  # a header only
    elif kind == 1:
        del rows[rng.randrange(1, len(rows))][rng.randrange(9) :]  # a short row
    elif kind == 2:
        rows[rng.randrange(1, len(rows))] += ["extra", "more"]
    elif kind == 3:
        rows[0] = [rng.choice(["", "x", "id", "ID "]) for _ in rows[0]]
    elif kind == 4:
        rows[rng.randrange(1, len(rows))][rng.randrange(9)] = rng.choice(HOSTILE)
    else:
        rows[rng.randrange(1, len(rows))][3] = rng.choice(["nobody", "", "p1 ", "P1"])
    return _csv(rows).encode("utf-8")


def h_truncate(rng: random.Random) -> bytes:
    return _truncate(rng, PEOPLE.encode("utf-8"))


def h_flip(rng: random.Random) -> bytes:
    return _flip(rng, PEOPLE.encode("utf-8"))


def h_units(rng: random.Random) -> bytes:
    """One row per unit (``--rows units``): parents that cycle, dangle, repeat."""
    rows = [line.split(",") for line in UNITS.splitlines()]
    kind = rng.randrange(5)
    at = rng.randrange(1, len(rows))
    if kind == 0:
        b = rng.randrange(1, len(rows))
        rows[at][2], rows[b][2] = rows[b][0], rows[at][0]
    elif kind == 1:
        rows[at][2] = rng.choice(["nowhere", rows[at][0], ";", "a;;b", " | "])
    elif kind == 2:
        rows[at][0] = rows[rng.randrange(1, len(rows))][0]
    elif kind == 3:
        rows[at][rng.randrange(len(rows[at]))] = rng.choice(HOSTILE)
    else:
        return _flip(rng, UNITS.encode("utf-8"))
    return _csv(rows).encode("utf-8")


# --------------------------------------------------------------------------- ArchiMate


def a_truncate(rng: random.Random) -> bytes:
    return _truncate(rng, ARCHIMATE.encode("utf-8"))


def a_entities(rng: random.Random) -> bytes:
    doctype = rng.choice(
        [
            '<!DOCTYPE model [<!ENTITY x "boom">]>',
            '<!DOCTYPE model [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>',
            '<!DOCTYPE model SYSTEM "http://example.invalid/x.dtd">',
            '<!DOCTYPE model [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
        ]
    )
    text = ARCHIMATE.replace("?>", "?>\n" + doctype, 1)
    if rng.random() < 0.7:
        text = text.replace("Small insurer", rng.choice(["&x;", "&b;", "&amp;", "&#0;", "&#x1b;"]))
    return text.encode("utf-8")


def a_namespace(rng: random.Random) -> bytes:
    wrong = rng.choice(
        ["", "http://www.opengroup.org/xsd/archimate/2.1/", "urn:x", NS.rstrip("/")]
    )  # fmt: skip
    text = ARCHIMATE.replace(f'xmlns="{NS}"', f'xmlns="{wrong}"' if wrong else "", 1)
    if rng.random() < 0.3:
        text = text.replace("xsi:type", "type")
    return text.encode("utf-8")


def a_dangling(rng: random.Random) -> bytes:
    ids = re.findall(r'(source|target)="([^"]+)"', ARCHIMATE)
    kind, ident = rng.choice(ids)
    text = ARCHIMATE.replace(
        f'{kind}="{ident}"', f'{kind}="{rng.choice(["nowhere", "", "r1", "app"])}"', 1
    )
    if rng.random() < 0.3:  # a relationship without its source
        text = re.sub(r' source="[^"]+"', "", text, count=1)
    return text.encode("utf-8")


def a_duplicate(rng: random.Random) -> bytes:
    ids = re.findall(r'identifier="([^"]+)"', ARCHIMATE)
    a, b = rng.sample(ids, 2)
    return ARCHIMATE.replace(f'identifier="{a}"', f'identifier="{b}"', 1).encode("utf-8")


def a_shape(rng: random.Random) -> bytes:
    kind = rng.randrange(6)
    text = ARCHIMATE
    if kind == 0:
        text = re.sub(r'xsi:type="BusinessActor"', 'xsi:type="Nonsense"', text, count=1)
    elif kind == 1:
        text = re.sub(r"<name xml:lang=\"en\">[^<]*</name>", "<name/>", text, count=2)
    elif kind == 2:
        text = text.replace("Board", rng.choice(["", "x<y", "\x1b[31m", "a\nb", "]]>"]), 1)
    elif kind == 3:
        text = re.sub(r"<relationships>.*</relationships>", "", text, flags=re.S)
    elif kind == 4:
        text = re.sub(r'<element identifier="a-[^"]*".*?</element>', "", text, flags=re.S)
    else:
        text = rng.choice(["", "<model/>", "not xml", "<?xml version='1.0'?>", "\ufeff<a>"])
    return text.encode("utf-8")


def a_encoding(rng: random.Random) -> bytes:
    return _encode(rng, ARCHIMATE)


def a_flip(rng: random.Random) -> bytes:
    return _flip(rng, ARCHIMATE.encode("utf-8"))


# --------------------------------------------------------------------------- event logs


def e_timestamps(rng: random.Random) -> bytes:
    rows = _eventlog(rng)
    for _ in range(rng.randint(1, 3)):
        rows[rng.randrange(1, len(rows))][rng.choice([2, 3])] = rng.choice(STAMPS)
    return _csv(rows).encode("utf-8")


def e_unsorted(rng: random.Random) -> bytes:
    rows = _eventlog(rng)
    body = rows[1:]
    rng.shuffle(body)
    if rng.random() < 0.5:  # an end before its start
        row = rng.choice(body)
        row[2], row[3] = row[3], row[2]
    return _csv([rows[0], *body]).encode("utf-8")


def e_missing(rng: random.Random) -> bytes:
    rows = _eventlog(rng)
    kind = rng.randrange(4)
    if kind == 0:  # a column left out
        drop = rng.randrange(5)
        rows = [[v for i, v in enumerate(r) if i != drop] for r in rows]
    elif kind == 1:
        rows[rng.randrange(1, len(rows))][rng.randrange(5)] = ""
    elif kind == 2:
        rows = rows[:1]
    else:
        del rows[rng.randrange(1, len(rows))][rng.randrange(1, 5) :]
    return _csv(rows).encode("utf-8")


def e_empty(rng: random.Random) -> bytes:
    return rng.choice([b"", b"\n", b"\xef\xbb\xbf", b"   ", b"\x00"])


def e_hostile(rng: random.Random) -> bytes:
    rows = _eventlog(rng)
    for _ in range(rng.randint(1, 3)):
        rows[rng.randrange(1, len(rows))][rng.choice([0, 1, 4])] = rng.choice(HOSTILE)
    return _csv(rows).encode("utf-8")


def e_encoding(rng: random.Random) -> bytes:
    return _encode(rng, _csv(_eventlog(rng)))


def e_truncate(rng: random.Random) -> bytes:
    return _truncate(rng, _csv(_eventlog(rng)).encode("utf-8"))


def e_flip(rng: random.Random) -> bytes:
    return _flip(rng, _csv(_eventlog(rng)).encode("utf-8"))


@dataclass(frozen=True)
class Kind:
    """One mutation class: the importer, the input's suffix, the mutation."""

    command: tuple[str, ...]
    suffix: str
    mutate: Callable[[random.Random], bytes]


_HRIS = ("import", "hris")
_UNITS = ("import", "hris", "--rows", "units")
_ARCHI = ("import", "archimate")
_LOG = ("import", "eventlog", "--case", "case_id", "--activity", "Activity", "--start",
        "start_time", "--end", "end_time", "--resource", "Resource",
        "--unit", "Resource")  # fmt: skip

MUTATIONS: dict[str, Kind] = {
    "hris-encoding": Kind(_HRIS, ".csv", h_encoding),
    "hris-delimiter": Kind(_HRIS, ".csv", h_delimiter),
    "hris-cycle": Kind(_HRIS, ".csv", h_cycle),
    "hris-duplicate": Kind(_HRIS, ".csv", h_duplicate),
    "hris-number": Kind(_HRIS, ".csv", h_number),
    "hris-shape": Kind(_HRIS, ".csv", h_shape),
    "hris-truncate": Kind(_HRIS, ".csv", h_truncate),
    "hris-flip": Kind(_HRIS, ".csv", h_flip),
    "hris-units": Kind(_UNITS, ".csv", h_units),
    "archimate-truncate": Kind(_ARCHI, ".xml", a_truncate),
    "archimate-entities": Kind(_ARCHI, ".xml", a_entities),
    "archimate-namespace": Kind(_ARCHI, ".xml", a_namespace),
    "archimate-dangling": Kind(_ARCHI, ".xml", a_dangling),
    "archimate-duplicate": Kind(_ARCHI, ".xml", a_duplicate),
    "archimate-shape": Kind(_ARCHI, ".xml", a_shape),
    "archimate-encoding": Kind(_ARCHI, ".xml", a_encoding),
    "archimate-flip": Kind(_ARCHI, ".xml", a_flip),
    "eventlog-timestamps": Kind(_LOG, ".csv", e_timestamps),
    "eventlog-unsorted": Kind(_LOG, ".csv", e_unsorted),
    "eventlog-missing": Kind(_LOG, ".csv", e_missing),
    "eventlog-empty": Kind(_LOG, ".csv", e_empty),
    "eventlog-hostile": Kind(_LOG, ".csv", e_hostile),
    "eventlog-encoding": Kind(_LOG, ".csv", e_encoding),
    "eventlog-truncate": Kind(_LOG, ".csv", e_truncate),
    "eventlog-flip": Kind(_LOG, ".csv", e_flip),
}

_SUMMARY = re.compile(r"^orgmodel import [a-z]+: .*(problem|nothing was written|not run)")


def check_case(
    kind: Kind, payload: bytes, folder: Path, exits: Counter[int] | None = None
) -> list[str]:
    """The defects of one case (empty when the importer behaved); ``exits`` counts the exit
    codes."""
    source = folder / f"input{kind.suffix}"
    source.write_bytes(payload)
    output = folder / "out.json"
    output.unlink(missing_ok=True)
    result = run_main(*kind.command, source, "-o", output, cwd=folder)
    err = result.stderr
    if exits is not None:
        exits[result.returncode] += 1
    defects = []
    if result.returncode not in (0, 2) or "Traceback" in err or "internal error" in err:
        return [f"exit {result.returncode}: {err[-800:]}"]
    if result.returncode == 2:
        if output.exists():
            defects.append("exit 2, but the output was written")
        problems = [line for line in err.splitlines() if line and not _SUMMARY.match(line)]
        if not problems:
            defects.append(f"exit 2 without a problem: {err[-300:]}")
        for line in problems:
            match = _PROBLEM.match(line)
            if match is None or match["file"] != str(source):
                defects.append(f"problem without a file and a place: {line[:300]}")
    else:
        try:
            load_text(output.read_text(encoding="utf-8"), str(output))
        except (OSError, DocumentInvalid) as exc:
            defects.append(f"exit 0, but the output does not load: {str(exc)[:300]}")
    return defects


@dataclass
class Outcome:
    """The figures of a run."""

    cases: Counter[str] = field(default_factory=Counter)
    exits: Counter[int] = field(default_factory=Counter)
    defects: list[str] = field(default_factory=list)
    seconds: float = 0.0


def run(count: int, seed: int, quiet: bool = False) -> Outcome:
    """Run ``count`` cases from ``seed``; the figures and defects."""
    rng = random.Random(seed)
    names = sorted(MUTATIONS)
    outcome = Outcome()
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        for case in range(count):
            name = names[case % len(names)]
            case_seed = rng.randrange(2**32)
            kind = MUTATIONS[name]
            payload = kind.mutate(random.Random(case_seed))
            outcome.cases[name] += 1
            for defect in check_case(kind, payload, Path(folder), outcome.exits):
                outcome.defects.append(
                    f"[seed {seed}, case {case}, case seed {case_seed}, {name}] {defect}"
                )
            if not quiet and (case + 1) % 500 == 0:
                print(
                    f"{case + 1} cases, {len(outcome.defects)} defects, "
                    f"{time.perf_counter() - start:.0f} s",
                    file=sys.stderr,
                )
    outcome.seconds = time.perf_counter() - start
    return outcome


def replay(name: str, case_seed: int, folder: Path) -> tuple[bytes, list[str]]:
    """One case again: its input and its defects."""
    kind = MUTATIONS[name]
    payload = kind.mutate(random.Random(case_seed))
    return payload, check_case(kind, payload, folder)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int, nargs="?", default=1000)
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args(argv)
    seed = args.seed if args.seed is not None else random.randrange(2**31)
    print(f"fuzz import: {args.count} cases, seed {seed}", file=sys.stderr)
    outcome = run(args.count, seed)
    for defect in outcome.defects[:50]:
        print(defect)
    print(
        f"fuzz import: {sum(outcome.cases.values())} cases in {outcome.seconds:.1f} s, "
        f"{len(outcome.defects)} defects, seed {seed}"
    )
    print("per class: " + ", ".join(f"{k} {n}" for k, n in sorted(outcome.cases.items())))
    print("exits: " + ", ".join(f"{k}: {n}" for k, n in sorted(outcome.exits.items())))
    return 1 if outcome.defects else 0


if __name__ == "__main__":
    sys.exit(main())
