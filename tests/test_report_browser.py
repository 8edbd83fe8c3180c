"""The report page in a real headless Chromium (Debian's, /usr/bin/chromium): the charts
are drawn, every link inside the page leads somewhere, and opening it makes no request that
leaves the machine. Screenshots go to artifacts/ to look at. Fails when Chromium is missing:
.ci/run installs it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from magnitsky.report import write_report
from magnitsky.store import open_store
from tests.report_fixtures import make_annual

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
# where each chart draws its data: bars are patches (the first two are the backgrounds),
# the timeline's stems a line collection
CHARTS = {
    "yearly": '[id*="-patch_"] path',
    "countries": '[id*="-patch_"] path',
    "roles": '[id*="-patch_"] path',
    "actions": '[id*="-LineCollection_"] path',
    "themes_by_year": '[id*="-patch_"] path',
}


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (.ci/run does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def real_report(built_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from magnitsky.analysis.annual import annual

    out = tmp_path_factory.mktemp("real-report")
    with open_store(built_store, read_only=True) as store:
        write_report(annual(store, "US-GLOMAG", 2023), out)
    return out


def open_page(browser: Any, page_path: Path) -> tuple[Any, list[str]]:
    """The page loaded, and the URL of every request it made."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(page_path.as_uri(), wait_until="networkidle")
    return page, requests


def screenshot(page: Any, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 10_000
    return path


def check_charts(page: Any) -> None:
    for name in CHARTS:
        svg = page.locator(f'svg.chart[data-chart="{name}"]')
        assert svg.count() == 1, f"chart {name} missing"
        box = svg.bounding_box()
        assert box and box["width"] > 300 and box["height"] > 100, (name, box)
        assert svg.is_visible()
        drawn = svg.locator(CHARTS[name])
        boxes = [drawn.nth(i).bounding_box() for i in range(min(drawn.count(), 40))]
        marks = [b for b in boxes if b and b["width"] >= 1 and b["height"] >= 3]
        assert len(marks) >= 2 + (name != "actions"), f"chart {name}: nothing drawn"
        assert svg.locator("title").first.text_content()


def check_links(page: Any, folder: Path) -> None:
    hrefs: list[str] = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    missing_anchors = page.evaluate(
        """() => [...document.querySelectorAll('a[href^="#"]')]
              .map(a => a.getAttribute('href').slice(1))
              .filter(id => !document.getElementById(id))"""
    )
    assert missing_anchors == []
    local = {h for h in hrefs if not h.startswith(("#", "http://", "https://"))}
    assert local and all((folder / h).is_file() for h in local), local


def only_local(requests: list[str]) -> None:
    assert requests, "no request recorded at all: the recorder is broken"
    leaving = [u for u in requests if not u.startswith(("file://", "data:"))]
    assert leaving == []


def test_the_hand_made_report_renders_offline_with_its_charts(browser: Any, tmp_path: Path) -> None:
    write_report(make_annual(), tmp_path)
    page, requests = open_page(browser, tmp_path / "index.html")
    check_charts(page)
    check_links(page, tmp_path)
    # a finding leads to the list behind it, and that list to the rows of the table
    page.click("#finding-1 a[href='#finding-1-rows']")
    assert page.locator("#finding-1-rows").is_visible()
    assert page.locator("#finding-1-rows a").count() == 2
    assert page.locator("#table-counted tbody tr").count() == 5
    screenshot(page, "report-hand-made.png")
    only_local(requests)
    # text from the data is shown as text, never as markup
    assert "TABESA <S.A.> & Co" in page.locator("#d-102").inner_text()
    page.close()


def test_the_real_2023_report_renders_offline(browser: Any, real_report: Path) -> None:
    page, requests = open_page(browser, real_report / "index.html")
    check_charts(page)
    check_links(page, real_report)
    shot = screenshot(page, "report-US-GLOMAG-2023.png")
    only_local(requests)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=str(shot.with_name("report-US-GLOMAG-2023-top.png")))
    page.close()
