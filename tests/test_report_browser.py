"""The HTML report in headless Chromium: it loads cleanly and its controls work."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser import find_chromium, install_chromium
from conftest import run_cli

ROOT = Path(__file__).resolve().parent.parent
TELECOM = ROOT / "examples" / "telecom"

sync_api = pytest.importorskip(
    "playwright.sync_api",
    reason="Playwright for Python is not installed (pip install -e '.[test]')",
)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    path = find_chromium()
    if path is None:
        why = install_chromium()
        path = find_chromium()
        if path is None:
            pytest.skip(
                f"headless Chromium is not installed ({why}); run ./dev browser "
                "or apt-get install chromium"
            )
    with sync_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=path, args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "tidy.html"
    done = run_cli(
        "report", TELECOM / "tidy.json", "--baseline", TELECOM / "current.json", "-o", out
    )
    assert done.returncode == 0, done.stderr
    return out


class Loaded:
    """A page with the console messages and requests seen while loading it."""

    def __init__(self, browser: Any, path: Path) -> None:
        self.page = browser.new_page(viewport={"width": 1280, "height": 900})
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on(
            "console",
            lambda m: self.errors.append(m.text) if m.type in ("error", "warning") else None,
        )
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.goto(path.as_uri())
        self.page.wait_for_selector("html[data-ready]")


@pytest.fixture()
def loaded(browser: Any, report: Path) -> Iterator[Loaded]:
    page = Loaded(browser, report)
    yield page
    page.page.close()


def test_loads_without_console_errors_or_network(loaded: Loaded, report: Path) -> None:
    assert loaded.errors == []
    assert loaded.requests == [report.as_uri()]
    assert loaded.page.title().startswith("orgmodel report: Telco Nord")


def test_search_finds_a_unit_and_a_person(loaded: Loaded) -> None:
    page = loaded.page
    page.fill("#org-search", "billing")
    page.locator("#org-results button", has_text="Billing").first.click()
    assert page.locator("#org-detail h3").inner_text() == "Billing"
    page.fill("#org-search", "Sonja Fis")
    person = page.locator("#org-results button", has_text="Sonja Fischer")
    person.first.click()
    assert page.locator("#org-detail h3").inner_text() == "Billing"
    assert "Sonja Fischer" in page.locator("#org-detail").inner_text()
    page.locator("#org-search").press("Enter")  # keyboard: Enter picks the first result
    assert loaded.errors == []


def test_a_journey_opens_with_its_full_step_text(loaded: Loaded) -> None:
    page = loaded.page
    journey = page.locator("#journey-invoice-question")
    assert journey.get_attribute("open") is None
    journey.locator("summary").focus()
    page.keyboard.press("Enter")
    assert journey.get_attribute("open") is not None
    lanes = journey.locator("table.lanes")
    assert lanes.is_visible()
    assert "…" not in lanes.inner_text()
    assert journey.locator(".cross.uncovered").count() >= 1


def test_a_filter_narrows_the_findings(loaded: Loaded) -> None:
    page = loaded.page
    items = page.locator("#f-list > li")
    total = items.count()
    page.select_option("#f-severity", "info")
    shown = page.locator("#f-list > li:not([hidden])")
    assert 0 < shown.count() < total
    assert set(shown.evaluate_all("els => els.map(e => e.dataset.severity)")) == {"info"}
    assert page.locator("#f-count").inner_text().startswith(f"{shown.count()} of {total}")
    page.select_option("#f-severity", "")
    page.select_option("#f-journey", "usage-question")
    journeys = page.locator("#f-list > li:not([hidden])")
    assert set(journeys.evaluate_all("els => els.map(e => e.dataset.journey)")) == {
        "usage-question"
    }


def test_the_comparison_shows_the_regressions(loaded: Loaded) -> None:
    page = loaded.page
    page.click("a[href='#comparison']")
    verdict = page.locator("#comparison .verdict")
    assert "FAIL" in verdict.inner_text()
    rows = page.locator("#regression-table tbody tr")
    journeys = set(rows.evaluate_all("els => els.map(e => e.cells[0].textContent)"))
    assert journeys == {"usage-question", "invoice-question"}
    assert rows.count() == 7


def test_screenshots(loaded: Loaded, tmp_path: Path) -> None:
    page = loaded.page
    page.screenshot(path=str(tmp_path / "top.png"))
    page.locator("#orgchart").screenshot(path=str(tmp_path / "orgchart.png"))
    for name in ("top.png", "orgchart.png"):
        assert (tmp_path / name).read_bytes().startswith(b"\x89PNG")
