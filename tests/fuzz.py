"""A mutation fuzzer for the loader and the CLI: structured mutations of the examples.

Each case takes an example document and applies one mutation of a class (delete a field,
retype a value, an out-of-range number, a dangling reference, a reporting cycle, a
duplicate id or key, an encoding defect, truncation, deep nesting, a byte flip, a hostile
name). It asserts that

* loading raises nothing but :class:`DocumentInvalid`;
* every problem is located: line and column always where the text is JSON, and a path for
  problems of the document's shape and meaning;
* the loader agrees with the published schema (``jsonschema`` on the same text): what the
  loader accepts the schema accepts, and a shape problem is a schema error too (meaning
  problems, such as unknown references, only in that one direction);
* the CLI (every ``cli_every``-th case) exits 0 or 2, never 3, without a traceback.

Run ``python tests/fuzz.py N [--seed S]`` (or ``./dev fuzz N``); ``tests/test_fuzz.py`` runs
a few hundred cases in every test run. The seed is printed with every defect.
"""

from __future__ import annotations

import argparse
import copy
import json
import random
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import jsonschema  # noqa: E402

from orgmodel import DocumentInvalid, load_text  # noqa: E402
from orgmodel.loader import decode  # noqa: E402

EXAMPLES = sorted(p for p in (ROOT / "examples").glob("*/*.json"))
SCHEMA = json.loads((ROOT / "schemas" / "orgmodel.schema.json").read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)
MEANING = {"duplicate-id", "reference", "cycle", "meaning"}

HOSTILE = [
    '%%{init: {"theme":"dark"}}%%',
    "a\nb",
    "a\rb",
    "\n# heading",
    "x<script>",
    "\x1b[31mred\x1b[0m",
    "\ud800x",
    "‮evil",
    "",
    " ",
    "a\x00b",
    "]]>",
    "--",
    "\\",
    '"',
    "`code`",
    "|",
    "&amp;",
    "{{x}}",
    "%0A",
    "::error::x",
    "a" * 3000,
]
NUMBERS: list[object] = [
    -1,
    0,
    1,
    1.0,
    1.5,
    10**9,
    10**9 + 1,
    10**15,
    10**15 + 1,
    10**16,
    10**308,
    10**400,
    1e308,
    -0.0,
    2**53,
    2**63,
    True,
    None,
    "1",
]
DURATIONS: list[object] = [
    "0",
    "1m",
    "１２m",
    "٣d",
    "1" + "0" * 39 + "m",
    "999999999w",
    "1000000000w",
    "12h1d",
    "1.5",
    "m",
    "1h 1h",
    " 2d ",
    0,
    5,
    -1,
    "1.0000000001s",
    "0.5s",
    "\u00a03m",
    "1e3m",
]


@dataclass
class Outcome:
    """The figures of a run."""

    cases: Counter[str] = field(default_factory=Counter)
    defects: list[str] = field(default_factory=list)
    accepted: int = 0
    seconds: float = 0.0


def _paths(value: object, prefix: tuple = ()) -> list[tuple]:
    """Every path of a JSON value (objects' members and arrays' items)."""
    out = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            out += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            out += _paths(item, (*prefix, index))
    return out


def _get(data: Any, path: tuple) -> Any:
    for part in path:
        data = data[part]
    return data


def _set(data: Any, path: tuple, value: object) -> None:
    _get(data, path[:-1])[path[-1]] = value


def _ids(data: dict) -> list[str]:
    return [
        item["id"]
        for key in ("units", "positions", "journeys", "segments")
        for item in data.get(key, [])
        if isinstance(item, dict) and "id" in item
    ]


# --------------------------------------------------------------------------- mutations
# Each takes a random generator and a parsed example, and returns the text of the case.


def m_delete(rng: random.Random, data: dict) -> str:
    path = rng.choice([p for p in _paths(data) if p])
    del _get(data, path[:-1])[path[-1]]
    return json.dumps(data)


def m_retype(rng: random.Random, data: dict) -> str:
    path = rng.choice([p for p in _paths(data) if p])
    _set(data, path, rng.choice([None, True, 0, -3, 2.5, "x", "", [], {}, [1], {"a": 1}]))
    return json.dumps(data)


def m_range(rng: random.Random, data: dict) -> str:
    scalars = [p for p in _paths(data) if p and not isinstance(_get(data, p), (dict, list))]
    numbers = [
        p
        for p in scalars
        if isinstance(p[-1], str)
        and p[-1]
        in {
            "headcount",
            "cost",
            "fte",
            "customers",
            "weight",
            "volume",
            "target",
            "span_min",
            "span_max",
            "layers_max",
            "silo_level",
            "flow_efficiency_min",
        }
    ]
    waits = [p for p in scalars if p[-1] in ("wait", "work")]
    steps = [p for p in _paths(data) if len(p) == 4 and p[0] == "journeys" and p[2] == "steps"]
    units = [("units", i) for i in range(len(data.get("units", [])))]
    choice = rng.random()
    if (waits and choice < 0.3) or (choice < 0.45 and steps):
        where = rng.choice(waits) if waits and choice < 0.3 else (*rng.choice(steps), "wait")
        _set(data, where, rng.choice(DURATIONS))
    elif numbers and choice < 0.7:
        _set(data, rng.choice(numbers), rng.choice(NUMBERS))
    elif units:
        _set(data, (*rng.choice(units), rng.choice(["headcount", "cost"])), rng.choice(NUMBERS))
    return json.dumps(data, ensure_ascii=rng.random() < 0.5)


def m_dangling(rng: random.Random, data: dict) -> str:
    refs = [
        p
        for p in _paths(data)
        if p
        and p[-1]
        in (
            "parent",
            "unit",
            "owner",
            "reports_to",
            "segment",
            "persona",
            "to",
            "holder",
            "provider",
            "consumer",
        )
    ]
    if refs:
        _set(data, rng.choice(refs), rng.choice(["nowhere", "", "a b", "\ud800x", *_ids(data)[:3]]))
    return json.dumps(data)


def m_cycle(rng: random.Random, data: dict) -> str:
    units = [u for u in data.get("units", []) if isinstance(u, dict)]
    if len(units) >= 2:
        a, b = rng.sample(units, 2)
        a["parent"], b["parent"] = b.get("id"), a.get("id")
    return json.dumps(data)


def m_duplicate(rng: random.Random, data: dict) -> str:
    text = json.dumps(data)
    if rng.random() < 0.5:
        ids = _ids(data)
        if len(ids) >= 2:
            a, b = rng.sample(ids, 2)
            text = text.replace(f'"id": "{a}"', f'"id": "{b}"', 1)
        return text
    key = rng.choice(['"name": ', '"id": ', '"orgmodel": ', '"parent": ', '"steps": '])
    at = text.find(key)
    if at >= 0:
        text = text[:at] + key + '"dup", ' + text[at:]
    return text


def m_encoding(rng: random.Random, data: dict) -> bytes:
    raw = json.dumps(data, ensure_ascii=False).encode("utf-8")
    kind = rng.randrange(5)
    at = rng.randrange(len(raw))
    if kind == 0:
        return raw[:at] + b"\xff" + raw[at:]
    if kind == 1:
        return b"\xef\xbb\xbf" + raw
    if kind == 2:
        return raw[:at] + b"\xc3" + raw[at:]
    if kind == 3:
        return json.dumps(data, ensure_ascii=False).encode("utf-16")
    names = [p for p in _paths(data) if p and p[-1] == "name"]
    if names:
        _set(data, rng.choice(names), "\ud800" + rng.choice(["", "x", "\udc00"]))
    return json.dumps(data).encode("ascii")


def m_truncate(rng: random.Random, data: dict) -> str:
    text = json.dumps(data, indent=rng.choice([None, 2]))
    return text[: rng.randrange(len(text))]


def m_nesting(rng: random.Random, data: dict) -> str:
    depth = rng.choice([50, 500, 2000, 100000])
    path = rng.choice([p for p in _paths(data) if p])
    text = json.dumps(data)
    marker = "\u2603NEST\u2603"
    _set(data, path, marker)
    text = json.dumps(data, ensure_ascii=False)
    opener, closer = rng.choice([("[", "]"), ('{"a":', "}")])
    return text.replace(
        json.dumps(marker, ensure_ascii=False), opener * depth + "1" + closer * depth
    )


def flip(rng: random.Random, raw: bytes, alphabet: str) -> bytes:
    """``raw`` with 1 to 4 bytes changed: a bit flipped, or a character of ``alphabet``."""
    out = bytearray(raw)
    for _ in range(rng.randint(1, 4)):
        at = rng.randrange(len(out))
        if rng.random() < 0.5:
            out[at] ^= 1 << rng.randrange(8)
        else:
            out[at] = ord(rng.choice(alphabet))
    return bytes(out)


def m_flip(rng: random.Random, data: dict) -> bytes:
    raw = json.dumps(data, indent=rng.choice([None, 1])).encode("utf-8")
    return flip(rng, raw, '{}[]:,"\\0-eE.tn')


def m_hostile(rng: random.Random, data: dict) -> str:
    names = [
        p for p in _paths(data) if p and p[-1] in ("name", "description", "head", "title", "note")
    ]
    for path in rng.sample(names, min(len(names), rng.randint(1, 3))):
        _set(data, path, rng.choice(HOSTILE))
    if rng.random() < 0.3:
        data["name"] = rng.choice(HOSTILE)
    return json.dumps(data, ensure_ascii=rng.random() < 0.5)


MUTATIONS: dict[str, Callable[[random.Random, dict], str | bytes]] = {
    "delete": m_delete,
    "retype": m_retype,
    "range": m_range,
    "dangling": m_dangling,
    "cycle": m_cycle,
    "duplicate": m_duplicate,
    "encoding": m_encoding,
    "truncate": m_truncate,
    "nesting": m_nesting,
    "flip": m_flip,
    "hostile": m_hostile,
}


# --------------------------------------------------------------------------- checks


def _has_duplicate_keys(text: str) -> bool:
    found = []

    def pairs(items: list) -> dict:
        if len({k for k, _ in items}) < len(items):
            found.append(True)
        return dict(items)

    json.loads(text, object_pairs_hook=pairs)
    return bool(found)


def check_case(payload: str | bytes, folder: Path, run_cli: bool) -> list[str]:
    """The defects of one case (empty when orgmodel behaved)."""
    defects: list[str] = []
    if isinstance(payload, bytes):
        try:
            text = decode(payload, "case.json", "save the file as UTF-8")
        except DocumentInvalid as exc:
            text = None
            for d in exc.diagnostics:
                if d.line is None or d.column is None:
                    defects.append(f"unlocated encoding problem: {d}")
        except Exception as exc:
            return [f"decode raised {type(exc).__name__}: {exc}"]
    else:
        text = payload
    if text is not None:
        defects += _check_text(text)
    if run_cli:
        defects += _check_cli(payload, folder)
    return defects


def _check_text(text: str) -> list[str]:
    defects = []
    accepted = False
    diagnostics = []
    try:
        load_text(text, "case.json")
        accepted = True
    except DocumentInvalid as exc:
        diagnostics = exc.diagnostics
    except Exception as exc:
        return [f"load_text raised {type(exc).__name__}: {exc}\n{traceback.format_exc()}"]
    for d in diagnostics:
        if d.line is None or d.column is None:
            defects.append(f"problem without line and column: {d}")
        if d.code in MEANING | {"shape"} and d.path is None:
            defects.append(f"problem without a path: {d}")
        try:
            str(d).encode("utf-8", "backslashreplace")
        except Exception as exc:
            defects.append(f"problem cannot be printed: {exc}")
    try:
        data = json.loads(text.removeprefix("\ufeff"))
        if _has_duplicate_keys(text.removeprefix("\ufeff")):
            return defects
    except (ValueError, RecursionError):
        return defects  # not JSON for the schema either
    try:
        schema_ok = VALIDATOR.is_valid(data)
    except RecursionError:
        return defects
    codes = {d.code for d in diagnostics}
    if accepted and not schema_ok:
        defects.append(
            "the loader accepts what the schema refuses: "
            + str(next(VALIDATOR.iter_errors(data)).message)[:200]
        )
    if "shape" in codes and schema_ok:
        shape = [str(d) for d in diagnostics if d.code == "shape"]
        defects.append("the schema accepts what the loader refuses: " + shape[0][:300])
    return defects


def _check_cli(payload: str | bytes, folder: Path) -> list[str]:
    from tests.conftest import run_main

    path = folder / "case.json"
    path.write_bytes(
        payload if isinstance(payload, bytes) else payload.encode("utf-8", "backslashreplace")
    )
    defects = []
    for args in (("validate", path), ("analyze", path), ("check", path)):
        result = run_main(*args)
        if result.returncode not in (0, 1, 2) or "Traceback" in result.stderr:
            defects.append(f"orgmodel {args[0]} exited {result.returncode}: {result.stderr[-500:]}")
        if result.returncode == 2 and not result.stderr and not result.stdout:
            defects.append(f"orgmodel {args[0]} exited 2 without a message")
    return defects


def run(count: int, seed: int, cli_every: int = 10, quiet: bool = False) -> Outcome:
    """Run ``count`` cases from ``seed``; the figures and defects."""
    rng = random.Random(seed)
    examples = [json.loads(p.read_text(encoding="utf-8")) for p in EXAMPLES]
    names = sorted(MUTATIONS)
    outcome = Outcome()
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        for case in range(count):
            kind = names[case % len(names)]
            case_seed = rng.randrange(2**32)
            case_rng = random.Random(case_seed)
            data = copy.deepcopy(case_rng.choice(examples))
            try:
                payload = MUTATIONS[kind](case_rng, data)
            except (IndexError, ValueError, KeyError, TypeError):
                payload = json.dumps(data)  # the mutation did not apply to this example
            outcome.cases[kind] += 1
            found = check_case(payload, Path(folder), cli_every > 0 and case % cli_every == 0)
            for defect in found:
                outcome.defects.append(
                    f"[seed {seed}, case {case}, case seed {case_seed}, {kind}] {defect}"
                )
            if not quiet and (case + 1) % 1000 == 0:
                print(
                    f"{case + 1} cases, {len(outcome.defects)} defects, "
                    f"{time.perf_counter() - start:.0f} s",
                    file=sys.stderr,
                )
    outcome.seconds = time.perf_counter() - start
    return outcome


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int, nargs="?", default=1000)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument(
        "--cli-every", type=int, default=10, help="run the CLI on every N-th case (0: never)"
    )
    args = parser.parse_args(argv)
    seed = args.seed if args.seed is not None else random.randrange(2**31)
    print(f"fuzz: {args.count} cases, seed {seed}", file=sys.stderr)
    outcome = run(args.count, seed, args.cli_every)
    for defect in outcome.defects[:50]:
        print(defect)
    print(
        f"fuzz: {sum(outcome.cases.values())} cases in {outcome.seconds:.1f} s, "
        f"{len(outcome.defects)} defects, seed {seed}"
    )
    print("per class: " + ", ".join(f"{k} {n}" for k, n in sorted(outcome.cases.items())))
    return 1 if outcome.defects else 0


if __name__ == "__main__":
    sys.exit(main())
