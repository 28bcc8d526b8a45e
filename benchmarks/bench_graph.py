"""Benchmark loading a large orgmodel document and querying its reporting tree.

Every repetition runs in fresh Python processes (no warm caches, their own peak
RSS). One process only reads and parses the file; a second goes through the
other phases in order:

=====================  ====================================================================
read + json.loads      ``Path.read_text`` + :func:`json.loads`, as the loader does (own process)
import                 ``import orgmodel.loader, orgmodel.graph`` (pydantic models, networkx)
load_document          the whole loader, cold: parse + pydantic + meaning pass (the figure)
 . pydantic ...        the same load once more (``load_text``), its parts timed one by one:
 . meaning pass        ``parse_json`` (when called), ``Document.model_validate`` or
 . other               ``model_validate_json``, ``_meaning_problems`` and the rest; the
                       memory is already mapped here, so they add up to a little less
build_enterprise       :func:`orgmodel.graph.build_enterprise`: the :class:`UnitTree` index,
                       with the garbage collections that the load leaves due (as in the CLI)
LCA table              the binary-lifting table, built on the first common-manager query
fcm random pairs       ``first_common_manager`` for ``--queries`` random pairs of units
fcm step successions   ``first_common_manager`` for every pair of consecutive journey steps
silo                   ``silo()`` for ``--queries`` random units
path_to_root           ``path_to_root()`` for 1,000 random units
subtree(root)          ``subtree()`` of the top unit (every unit)
networkx graph         ``Enterprise.graph`` (built on first use)
=====================  ====================================================================

The table shows, per phase, the median wall time over ``--repeat`` processes, the
spread (min - max), the median CPU time of the process (``time.process_time``:
less disturbed than wall time when other programs share the machine), the CPU
time per query, the peak RSS of the process so far (``ru_maxrss``) and its current
RSS after the phase; with ``--tracemalloc``, one more run gives the peak of
memory traced during each phase.

Usage::

    python benchmarks/bench_graph.py                      # 100,000 units, 5 repeats
    python benchmarks/bench_graph.py --positions 1000000  # the same with 1M positions
    python benchmarks/bench_graph.py --quick              # smoke test, a few seconds
    python benchmarks/bench_graph.py --json out.json --tracemalloc

The document is generated into ``benchmarks/data/`` (git-ignored) when missing.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import hashlib
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import TypeVar

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE)]

import synthetic  # noqa: E402

PHASES = (
    "read + json.loads",
    "import",
    "load_document",
    " . parse_json",
    " . pydantic validate",
    " . pydantic validate_json",
    " . meaning pass",
    " . other",
    "build_enterprise",
    "LCA table",
    "fcm random pairs",
    "fcm step successions",
    "silo",
    "path_to_root",
    "subtree(root)",
    "networkx graph",
)
PATH_QUERIES = 1_000
T = TypeVar("T")


# --------------------------------------------------------------------------- memory


def _maxrss_mb() -> float:
    """Peak resident set size of this process so far, in MB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1e6 if sys.platform == "darwin" else peak / 1024  # bytes on macOS, else KiB


def _rss_mb() -> float | None:
    """Current resident set size in MB (Linux only)."""
    try:
        with open("/proc/self/statm") as fh:
            pages = int(fh.read().split()[1])
    except OSError:
        return None
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


# --------------------------------------------------------------------------- worker


class _Recorder:
    def __init__(self, trace: bool) -> None:
        self.trace = trace
        self.phases: dict[str, dict] = {}

    def run(self, name: str, func: Callable[..., T], *args: object) -> T:
        if self.trace:
            tracemalloc.reset_peak()
        cpu = time.process_time()
        start = time.perf_counter()
        result = func(*args)
        seconds = time.perf_counter() - start
        cpu = time.process_time() - cpu
        entry = {
            "seconds": seconds,
            "cpu_seconds": cpu,
            "maxrss_mb": _maxrss_mb(),
            "rss_mb": _rss_mb(),
        }
        if self.trace:
            entry["traced_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
        self.phases[name] = entry
        return result


class _Timed:
    """Wraps a function of the loader and adds the time of each call to ``spent``."""

    def __init__(
        self, spent: dict[str, list[float]], name: str, func: Callable[..., object]
    ) -> None:
        self.spent, self.name, self.func = spent, name, func

    def __call__(self, *args: object, **kwargs: object) -> object:
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            return self.func(*args, **kwargs)
        finally:
            total = self.spent.setdefault(self.name, [0.0, 0.0])
            total[0] += time.perf_counter() - wall
            total[1] += time.process_time() - cpu


class _DocumentShim:
    """Stands in for ``loader.Document`` and times its validation methods."""

    def __init__(self, real: type, spent: dict[str, list[float]]) -> None:
        self._real = real
        self.model_validate = _Timed(spent, " . pydantic validate", real.model_validate)
        self.model_validate_json = _Timed(
            spent, " . pydantic validate_json", real.model_validate_json
        )

    def __getattr__(self, name: str) -> object:
        return getattr(self._real, name)


def _load_in_parts(rec: _Recorder, loader: ModuleType, text: str) -> object:
    """``loader.load_text(text)`` with its parts timed: JSON parsing, pydantic, meaning pass.

    The parts are found by name in the loader module (``parse_json``, ``Document``'s
    ``model_validate``/``model_validate_json``, ``_meaning_problems``), whatever their
    signatures; parts the loader does not call are left out, the remainder is "other".
    """
    spent: dict[str, list[float]] = {}
    saved = {
        name: getattr(loader, name)
        for name in ("parse_json", "_meaning_problems", "Document")
        if hasattr(loader, name)
    }
    try:
        if "parse_json" in saved:
            loader.parse_json = _Timed(spent, " . parse_json", saved["parse_json"])
        if "_meaning_problems" in saved:
            loader._meaning_problems = _Timed(spent, " . meaning pass", saved["_meaning_problems"])
        if "Document" in saved:
            loader.Document = _DocumentShim(saved["Document"], spent)
        wall, cpu = time.perf_counter(), time.process_time()
        document = loader.load_text(text)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    finally:
        for name, value in saved.items():
            setattr(loader, name, value)
    memory = {"maxrss_mb": _maxrss_mb(), "rss_mb": _rss_mb()}
    for name, (part_wall, part_cpu) in spent.items():
        rec.phases[name] = {"seconds": part_wall, "cpu_seconds": part_cpu, **memory}
    rec.phases[" . other"] = {
        "seconds": wall - sum(w for w, _ in spent.values()),
        "cpu_seconds": cpu - sum(c for _, c in spent.values()),
        **memory,
    }
    return document


def worker(
    path: Path, queries: int, seed: int, trace: bool, no_gc: bool, parse_only: bool = False
) -> dict:
    """Run the phases once in this (fresh) process and return the measurements.

    With ``parse_only`` just "read + json.loads" (in a process of its own, so that it
    is measured cold, like ``load_document``); otherwise every other phase.
    """
    if no_gc:
        gc.disable()
    if trace:
        tracemalloc.start()
    rec = _Recorder(trace)

    if parse_only:
        data = rec.run(
            "read + json.loads", lambda: json.loads(path.read_text(encoding="utf-8-sig"))
        )
        counts = {key: len(value) for key, value in data.items() if isinstance(value, list)}
        counts["steps"] = sum(len(j["steps"]) for j in data.get("journeys", ()))
        return {"phases": rec.phases, "counts": counts, "maxrss_mb": _maxrss_mb()}

    def do_import() -> tuple[ModuleType, ModuleType]:
        import orgmodel.graph
        import orgmodel.loader

        return orgmodel.loader, orgmodel.graph

    loader, graph = rec.run("import", do_import)

    # The official figure, cold: the first thing the process does, as in the CLI.
    document = rec.run("load_document", loader.load_document, path)
    del document
    gc.collect()

    # The same load once more, with the loader's parts timed one by one (memory is mapped
    # by now, so this run is a little faster than the cold one).
    text = path.read_text(encoding="utf-8-sig")
    document = _load_in_parts(rec, loader, text)
    del text
    # No gc.collect() here: like the CLI, the next phases pay for whatever collections the
    # objects made while loading still cause.
    counts: dict[str, int] = {}

    ent = rec.run("build_enterprise", graph.build_enterprise, document)
    tree = ent.tree

    rng = random.Random(seed)
    ids = tree.ids
    pairs = [(rng.choice(ids), rng.choice(ids)) for _ in range(queries)]
    singles = [rng.choice(ids) for _ in range(queries)]
    paths = [rng.choice(ids) for _ in range(PATH_QUERIES)]
    successions = [
        (a.unit, b.unit)
        for j in document.journeys
        for a, b in zip(j.steps, j.steps[1:], strict=False)
    ]
    root = ids[tree.roots[0]]

    rec.run("LCA table", lambda: tree._up)
    fcm = tree.first_common_manager

    def fcm_all(items: list[tuple[str, str]]) -> int:
        levels = 0
        for a, b in items:
            found = fcm(a, b)
            if found is not None:
                levels += found.levels
        return levels

    rec.run("fcm random pairs", fcm_all, pairs)
    rec.run("fcm step successions", fcm_all, successions)

    def silo_all() -> int:
        silo = tree.silo
        return sum(1 for u in singles if silo(u) is not None)

    rec.run("silo", silo_all)
    rec.run("path_to_root", lambda: sum(len(tree.path_to_root(u)) for u in paths))
    everything = rec.run("subtree(root)", tree.subtree, root)
    assert len(everything) == len(ids)

    g = rec.run("networkx graph", lambda: ent.graph)
    counts["graph_nodes"] = g.number_of_nodes()
    counts["graph_edges"] = g.number_of_edges()
    counts["max_depth"] = max(tree.depth)
    counts["fcm_successions"] = len(successions)
    return {"phases": rec.phases, "counts": counts, "maxrss_mb": _maxrss_mb()}


# --------------------------------------------------------------------------- driver


def machine() -> dict:
    info = {
        "cpu_count": os.cpu_count(),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "processor": platform.processor() or None,
        "python": f"{platform.python_implementation()} {platform.python_version()}",
    }
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    info["processor"] = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    with contextlib.suppress(ValueError, OSError, AttributeError):
        info["memory_gb"] = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1e9, 1)
    info["code"] = code_version()
    from importlib.metadata import PackageNotFoundError, version

    for package in ("pydantic", "pydantic-core", "networkx"):
        try:
            info[package] = version(package)
        except PackageNotFoundError:
            info[package] = None
    return info


def code_version() -> str:
    """The commit and, for uncommitted edits, a digest of the measured modules."""
    try:
        commit = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(ROOT), "status", "--porcelain", "orgmodel"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit, dirty = "unknown", "?"
    digest = hashlib.sha256()
    for name in ("loader.py", "model.py", "graph.py"):
        module = ROOT / "orgmodel" / name
        if module.exists():
            digest.update(module.read_bytes())
    edited = " + uncommitted changes" if dirty else ""
    return f"{commit}{edited} (modules {digest.hexdigest()[:10]})"


def _spawn(path: Path, args: argparse.Namespace, trace: bool, parse_only: bool = False) -> dict:
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--worker",
        str(path),
        "--queries",
        str(args.queries),
        "--seed",
        str(args.seed),
    ]
    if parse_only:
        command.append("--parse-only")
    if trace:
        command.append("--tracemalloc")
    if args.no_gc:
        command.append("--no-gc")
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"worker failed with exit code {done.returncode}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def summarize(runs: list[dict]) -> dict[str, dict]:
    """Median, spread, CPU time and memory per phase over the runs that have the phase."""
    out = {}
    for name in PHASES:
        rows = [r["phases"][name] for r in runs if name in r["phases"]]
        if not rows:
            continue
        seconds = [row["seconds"] for row in rows]
        out[name] = {
            "median_s": statistics.median(seconds),
            "min_s": min(seconds),
            "max_s": max(seconds),
            "median_cpu_s": statistics.median(row["cpu_seconds"] for row in rows),
            "maxrss_mb": statistics.median(row["maxrss_mb"] for row in rows),
        }
        rss = [row["rss_mb"] for row in rows if row["rss_mb"] is not None]
        if rss:
            out[name]["rss_mb"] = statistics.median(rss)
    return out


def _fmt_s(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:8.2f} s "
    if seconds >= 1e-3:
        return f"{seconds * 1e3:8.1f} ms"
    return f"{seconds * 1e6:8.1f} µs"


def print_table(
    summary: dict[str, dict], runs: list[dict], traced: dict | None, args: argparse.Namespace
) -> None:
    per_query = {
        "fcm random pairs": args.queries,
        "fcm step successions": runs[0]["counts"]["fcm_successions"],
        "silo": args.queries,
        "path_to_root": PATH_QUERIES,
    }
    head = (
        f"{'phase':<26} {'median':>11} {'min - max':>23} {'CPU time':>11} "
        f"{'CPU/query':>10} {'peak RSS':>9} {'RSS':>8}"
    )
    if traced:
        head += f" {'traced peak':>12}"
    print(head)
    print("-" * len(head))
    for name, row in summary.items():
        spread = f"{_fmt_s(row['min_s']).strip()} - {_fmt_s(row['max_s']).strip()}"
        each = ""
        if per_query.get(name):
            each = f"{row['median_cpu_s'] / per_query[name] * 1e6:.2f} µs"
        rss = f"{row['rss_mb']:.0f} MB" if "rss_mb" in row else ""
        line = (
            f"{name:<26} {_fmt_s(row['median_s']):>11} {spread:>23} "
            f"{_fmt_s(row['median_cpu_s']):>11} {each:>10} "
            f"{row['maxrss_mb']:6.0f} MB {rss:>8}"
        )
        if traced and "traced_peak_mb" in traced["phases"].get(name, {}):
            line += f" {traced['phases'][name]['traced_peak_mb']:9.0f} MB"
        print(line)
    peak = statistics.median(r["maxrss_mb"] for r in runs)
    print(f"\npeak RSS of a worker process (ru_maxrss, median): {peak:.0f} MB")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Benchmark orgmodel's loader and tree queries on a synthetic enterprise."
    )
    parser.add_argument("--units", type=int, help="units in the document (default 100000)")
    parser.add_argument(
        "--positions",
        type=int,
        default=None,
        help="positions in the document (default 0); try 1000000",
    )
    parser.add_argument("--journeys", type=int, help="journeys (default 5000)")
    parser.add_argument("--steps", type=int, default=12, help="mean steps per journey")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--queries", type=int, help="fcm and silo queries (default 100000)")
    parser.add_argument("--repeat", type=int, help="fresh processes to run (default 5)")
    parser.add_argument("--file", type=Path, help="benchmark this document instead")
    parser.add_argument(
        "--quick", action="store_true", help="small sizes for a smoke test (5,000 units, 3 repeats)"
    )
    parser.add_argument(
        "--tracemalloc",
        action="store_true",
        help="one extra run under tracemalloc for the traced peak per phase",
    )
    parser.add_argument(
        "--no-gc",
        action="store_true",
        help="run the workers with the cyclic garbage collector disabled",
    )
    parser.add_argument(
        "--json",
        type=Path,
        metavar="FILE",
        help="also write machine, parameters, raw runs and medians here",
    )
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--parse-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker:
        result = worker(
            args.worker, args.queries, args.seed, args.tracemalloc, args.no_gc, args.parse_only
        )
        print(json.dumps(result))
        return 0

    quick = args.quick
    if args.units is None:
        args.units = 5_000 if quick else 100_000
    if args.positions is None:
        args.positions = 0
    if args.journeys is None:
        args.journeys = 250 if quick else 5_000
    if args.queries is None:
        args.queries = 10_000 if quick else 100_000
    if args.repeat is None:
        args.repeat = 3 if quick else 5

    info = machine()
    print(
        f"machine: {info['cpu_count']} CPUs, {info.get('processor')}, "
        f"{info.get('memory_gb')} GB; {info['platform']}"
    )
    print(
        f"python:  {info['python']}; pydantic {info['pydantic']} "
        f"(core {info['pydantic-core']}), networkx {info['networkx']}"
    )
    print(f"orgmodel: {info['code']}", flush=True)

    path = args.file
    generated = None
    if path is None:
        path = synthetic.default_path(
            args.units, args.positions, args.journeys, args.steps, args.seed
        )
        if not path.exists():
            start = time.perf_counter()
            synthetic.write(
                synthetic.generate(
                    args.units, args.positions, args.journeys, args.steps, args.seed
                ),
                path,
            )
            generated = time.perf_counter() - start
    size = path.stat().st_size / 1e6
    print(
        f"document: {path} ({size:.1f} MB)"
        + (f", generated in {generated:.1f} s" if generated is not None else ""),
        flush=True,
    )

    load_before = os.getloadavg() if hasattr(os, "getloadavg") else None
    runs = []
    for r in range(args.repeat):
        start = time.perf_counter()
        parsed = _spawn(path, args, trace=False, parse_only=True)
        run = _spawn(path, args, trace=False)
        run["phases"] = {**parsed["phases"], **run["phases"]}
        run["counts"] = {**parsed["counts"], **run["counts"]}
        run["maxrss_mb_parse_only"] = parsed["maxrss_mb"]
        runs.append(run)
        print(
            f"  run {r + 1}/{args.repeat}: {time.perf_counter() - start:.1f} s",
            file=sys.stderr,
            flush=True,
        )
    traced = None
    if args.tracemalloc:
        traced = _spawn(path, args, trace=True)
        traced["phases"].update(_spawn(path, args, trace=True, parse_only=True)["phases"])

    c = runs[0]["counts"]
    print(
        f"contents: {c['units']} units (max depth {c['max_depth']}), "
        f"{c.get('positions', 0)} positions, {c['journeys']} journeys, {c['steps']} steps, "
        f"{c['goals']} goals; graph {c['graph_nodes']} nodes, {c['graph_edges']} edges"
    )
    load = ""
    if load_before is not None:
        load = (
            f"; load average {load_before[0]:.2f} before, {os.getloadavg()[0]:.2f} after"
            f" (on {info['cpu_count']} CPUs: more means the timings are disturbed)"
        )
    print(
        f"median of {args.repeat} fresh processes"
        + (", gc disabled" if args.no_gc else "")
        + load
        + "\n"
    )
    summary = summarize(runs)
    print_table(summary, runs, traced, args)

    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(
            json.dumps(
                {
                    "machine": info,
                    "parameters": {
                        k: (str(v) if isinstance(v, Path) else v)
                        for k, v in vars(args).items()
                        if k != "worker"
                    },
                    "document": {"path": str(path), "mb": size, "counts": c},
                    "load_average_before": load_before,
                    "median": summary,
                    "runs": runs,
                    "tracemalloc": traced,
                },
                indent=2,
            )
            + "\n",
            encoding="utf-8",
        )
        print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
