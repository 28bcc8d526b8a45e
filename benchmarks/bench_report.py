"""Benchmark the HTML report of a large enterprise: build time, size, time to interactive.

A synthetic enterprise (:mod:`synthetic`) is generated in memory; the report is built
(``orgmodel.report.build``, timed) and loaded ``--repeat`` times in headless Chromium
(Playwright, Debian's ``chromium``); "interactive" is the time from navigation start until
the page script has parsed its data, drawn the org chart and wired the controls (it sets
``data-ready`` on ``<html>`` to ``performance.now()``). Then a search, the selection of a
result and a findings filter are timed as the user sees them (Playwright round trips).

Measured (2 shared cores, Chromium 156, 100,000 units, 150,000 positions, 300 journeys,
42,000 findings): the page is 25.2 MB (units about 86 bytes each as data, positions
about 50, findings about 180, the 300 journeys as swimlane tables 1.4 MB), built in about
5-8 s, interactive after 2.2 s (median of 3; 2.2-3.0 s over runs); search 0.4-0.8 s, filter
0.1 s. The size is the data itself, compact JSON without repeated keys: every unit, every
person and every finding must be in the file to be found by name, as the page works
offline; the page draws only what is in view and at most 500 findings at a time.
Target (issue 16): interactive within 3 s.

Usage::

    python benchmarks/bench_report.py                      # 100,000 units
    python benchmarks/bench_report.py --units 20000 --positions 30000 --repeat 1
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import generate

from orgmodel.app import Source
from orgmodel.loader import load_text
from orgmodel.report import ReportRequest, build


def main() -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--units", type=int, default=100_000)
    parser.add_argument("--positions", type=int, default=150_000)
    parser.add_argument("--journeys", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--chromium", default=shutil.which("chromium") or "chromium")
    args = parser.parse_args()
    text = json.dumps(generate(args.units, args.positions, args.journeys))
    source = Source("synthetic.json", load_text(text, "synthetic.json"), text)
    start = time.perf_counter()
    page = build(ReportRequest(source))
    built = time.perf_counter() - start
    data = page.encode("utf-8")
    print(
        f"report of {args.units:,} units, {args.positions:,} positions, "
        f"{args.journeys:,} journeys: {len(data) / 1e6:.1f} MB, built in {built:.1f} s"
    )
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        path = Path(tmp) / "report.html"
        path.write_bytes(data)
        browser = p.chromium.launch(executable_path=args.chromium, args=["--no-sandbox"])
        ready, search, select, filt = [], [], [], []
        for _ in range(args.repeat):
            tab = browser.new_page(viewport={"width": 1280, "height": 900})
            errors: list[str] = []
            tab.on("pageerror", lambda exc, errors=errors: errors.append(str(exc)))
            tab.goto(path.as_uri(), timeout=120_000)
            tab.wait_for_selector("html[data-ready]", timeout=120_000)
            ready.append(float(tab.get_attribute("html", "data-ready") or 0) / 1000)
            t = time.perf_counter()
            tab.fill("#org-search", "team")
            tab.wait_for_selector("#org-results button")
            search.append(time.perf_counter() - t)
            t = time.perf_counter()
            tab.locator("#org-results button").first.click()
            select.append(time.perf_counter() - t)
            t = time.perf_counter()
            tab.select_option("#f-severity", "info")
            filt.append(time.perf_counter() - t)
            assert not errors, errors
            tab.close()
        browser.close()
    print(
        f"interactive after {statistics.median(ready):.2f} s (median of {args.repeat}; "
        f"{min(ready):.2f}-{max(ready):.2f}); target 3 s"
    )
    print(
        f"search {statistics.median(search):.2f} s, select {statistics.median(select):.2f} s,"
        f" findings filter {statistics.median(filt):.2f} s"
    )
    return 0 if statistics.median(ready) <= 3 else 1


if __name__ == "__main__":
    sys.exit(main())
