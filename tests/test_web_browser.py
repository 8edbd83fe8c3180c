"""The web pages in a real headless Chromium (Debian's, /usr/bin/chromium) against the real
server on loopback: every page loads without a request leaving the server and without an
error (a blocked inline script or style would be one: the policy allows none), the chart
is drawn, filters go into the address, a name leads to the person, a CSV downloads, the
tables read without JavaScript, and the keyboard reaches the content. Screenshots go to
artifacts/. Fails when Chromium is missing: .ci/run installs it."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from magnitsky.web import fields
from tests.test_report_browser import ARGS, ARTIFACTS, CHROMIUM
from tests.web_fixtures import copy_store, fetch, running, settings

PAGES = {
    "overview": "/",
    "designations": "/designations?program=US-GLOMAG",
    "events": "/events?program=GB-HR&sort=-date",
    "precedents": "/precedents?program=US-GLOMAG",
    "multilateral": "/multilateral",
    "downloads": "/downloads",
    "docs": "/docs",
    "person": "/persons/us-ofac-sdn/24809",
}


@pytest.fixture(scope="module")
def server(built_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = copy_store(built_store, tmp_path_factory.mktemp("web-browser"))
    with running(db, settings()) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (.ci/run does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


class Visit:
    """A page with every request it made and every error it logged."""

    def __init__(self, browser: Any, server: str, javascript: bool = True) -> None:
        self.server = server
        self.context = browser.new_context(
            viewport={"width": 1280, "height": 900},
            java_script_enabled=javascript,
            accept_downloads=True,
        )
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def go(self, path: str) -> Any:
        response = self.page.goto(self.server + path, wait_until="networkidle")
        assert response is not None and response.status == 200, path
        return self.page

    def query(self) -> dict[str, list[str]]:
        return parse_qs(urlparse(self.page.url).query)

    def check(self) -> None:
        """Nothing left the server, nothing went wrong."""
        assert self.requests, "no request recorded: the recorder is broken"
        leaving = [u for u in self.requests if not u.startswith((self.server, "data:"))]
        assert leaving == []
        assert self.errors == []

    def screenshot(self, name: str, full: bool = True) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / name
        self.page.screenshot(path=str(path), full_page=full)
        assert path.stat().st_size > 10_000
        return path

    def close(self) -> None:
        self.context.close()


@pytest.fixture()
def visit(browser: Any, server: str) -> Iterator[Visit]:
    found = Visit(browser, server)
    yield found
    found.close()


def test_every_page_loads_offline_without_an_error(visit: Visit) -> None:
    for name, path in PAGES.items():
        page = visit.go(path)
        assert page.locator("h1").count() == 1 and page.locator("h1").inner_text(), name
        assert page.locator("main#main").count() == 1
        current = page.locator('header nav a[aria-current="page"]')
        assert current.count() == (0 if name == "person" else 1), name
        # every form field has a label
        unlabelled = page.evaluate(
            """() => [...document.querySelectorAll('input:not([type=hidden]), select')]
                  .filter(e => !e.labels || e.labels.length === 0).map(e => e.id || e.name)"""
        )
        assert unlabelled == [], name
        visit.screenshot(f"web-{name}.png")
    visit.check()


def test_the_overview_draws_the_yearly_chart_by_basis(visit: Visit) -> None:
    page = visit.go("/")
    chart = page.locator("img#chart-yearly")
    assert "persons designated per year, by basis" in (chart.get_attribute("alt") or "")
    size = chart.evaluate("img => [img.complete, img.naturalWidth, img.naturalHeight]")
    assert size[0] and size[1] > 300 and size[2] > 100, size
    box = chart.bounding_box()
    assert box and box["width"] > 300 and box["height"] > 150
    assert page.locator("#yearly tbody tr").count() >= 8  # 2017 …
    assert page.locator("#per-program tbody tr").count() == 8  # the Magnitsky-style programs
    assert page.locator("#program-summary tbody tr").count() == 8
    assert page.locator("ol.actions-list li").count() > 5
    page.evaluate("window.scrollTo(0, 0)")
    visit.screenshot("web-overview-top.png", full=False)
    # the chart itself: its bars are drawn (the report's code, as an image of its own)
    page = visit.go("/charts/yearly.svg?program=US-GLOMAG")
    bars = page.locator('[id*="patch_"] path')
    boxes = [bars.nth(i).bounding_box() for i in range(min(bars.count(), 40))]
    assert len([b for b in boxes if b and b["width"] >= 1 and b["height"] >= 3]) >= 5
    # another program, another year end: the form goes into the address
    page = visit.go("/")
    page.select_option("#f-program", "GB-HR")
    page.fill("#f-year_end", "12-05")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**/?*program=GB-HR*")
    assert visit.query() == {"program": ["GB-HR"], "year_end": ["12-05"]}
    assert "GB-HR" in (page.locator("img#chart-yearly").get_attribute("alt") or "")
    visit.check()


def test_filters_go_into_the_address_and_the_table_obeys_them(visit: Visit, server: str) -> None:
    page = visit.go("/designations")  # opens on the Magnitsky-style programs, newest first
    assert visit.query() == {"program": ["magnitsky"], "sort": ["-listed"]}
    page.select_option("#f-program", "US-GLOMAG")
    page.select_option("#f-basis", "ties")
    page.fill("#f-country", "RU")
    page.select_option("#f-per_page", "10")
    page.get_by_role("button", name="Apply the filters").click()
    page.wait_for_url("**/designations?*basis=ties*")
    query = visit.query()
    assert query == {
        "program": ["US-GLOMAG"],
        "basis": ["ties"],
        "country": ["RU"],
        "per_page": ["10"],
        "sort": ["-listed"],
    }
    total = fetch(server + "/api/designations?program=US-GLOMAG&basis=ties&country=RU").json()
    heading = page.locator("h2#results").inner_text()
    assert heading.startswith(f"{total['total']} designation")
    rows = page.locator("#designations tbody tr")
    assert 0 < rows.count() <= 10
    basis = page.locator("#designations tbody tr td:nth-child(8)").all_inner_texts()
    assert set(basis) == {"ties"}
    countries = page.locator("#designations tbody tr td:nth-child(10)").all_inner_texts()
    assert all("Russia" in c for c in countries)  # the name, the code on hover
    assert page.locator('#designations tbody td:nth-child(10) abbr[title="RU"]').count() == len(
        countries
    )
    # sorting by a column: a link that keeps the filters, and says its order
    page.get_by_role("link", name="Name", exact=True).click()
    page.wait_for_url("**sort=name*")
    assert visit.query()["basis"] == ["ties"]
    assert page.locator('th[aria-sort="ascending"]').inner_text().startswith("Name")
    names = page.locator("#designations tbody tr td:nth-child(1)").all_inner_texts()
    assert names == sorted(names, key=str.casefold)
    page.get_by_role("link", name="Name", exact=True).click()  # again: the other way
    page.wait_for_url("**sort=-name*")
    assert page.locator('th[aria-sort="descending"]').count() == 1
    # the pages
    if total["total"] > 10:
        page.get_by_role("link", name="Next").click()
        page.wait_for_url("**page=2*")
        assert visit.query()["sort"] == ["-name"]
    visit.screenshot("web-designations-filtered.png")
    # the keyboard alone: type a name, Enter submits
    page = visit.go("/designations?sort=listed")
    page.focus("#f-name")
    page.keyboard.type("maduro")
    page.keyboard.press("Enter")
    page.wait_for_url("**name=maduro*")
    assert "MADURO" in page.locator("#designations").inner_text().upper()
    visit.check()


def test_a_name_leads_to_the_person_with_listings_events_and_texts(visit: Visit) -> None:
    page = visit.go("/designations?program=US-GLOMAG&basis=human_rights&schema=Person")
    link = page.locator("#designations tbody tr td:first-child a").first
    name = link.inner_text()
    link.click()
    page.wait_for_url("**/persons/us-ofac-sdn/*")
    assert page.locator("h1").inner_text() == name
    for section in ("Names and aliases", "Listings", "Events", "What official texts say"):
        assert page.get_by_role("heading", name=section).count() == 1, section
    assert page.locator("article.listing").count() >= 1
    # the basis is among the listing's fields (a delisted listing shows its end date first)
    fields = page.locator("article.listing").first.locator("dd").all_inner_texts()
    assert any(f.startswith("human_rights") for f in fields), fields
    assert page.locator("section[aria-labelledby=facts] table tbody tr").count() >= 1
    assert "has not been" in page.locator("section[aria-labelledby=matching]").inner_text()
    assert page.locator("form#judge").count() == 0  # no writing without the token
    visit.screenshot("web-person.png")
    visit.check()


def test_a_csv_of_the_selection_downloads(visit: Visit, tmp_path: Path) -> None:
    page = visit.go("/designations?program=GB-HR")
    with page.expect_download() as download:
        page.locator("p.downloads").get_by_role("link", name="CSV", exact=True).click()
    saved = tmp_path / "designations.csv"
    download.value.save_as(saved)
    assert download.value.suggested_filename == "gb-hr-designations.csv"  # after the filter
    with saved.open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == list(fields.DESIGNATIONS)
    assert len(rows) == 1 + 143
    assert {r[1] for r in rows[1:]} == {"GB-HR"}
    visit.check()


def test_the_tables_read_without_javascript(browser: Any, server: str) -> None:
    visit = Visit(browser, server, javascript=False)
    try:
        page = visit.go("/designations?program=GB-HR&sort=name")
        assert page.locator("#designations tbody tr").count() == 50
        page.get_by_role("link", name="Next").click()
        page.wait_for_url("**page=2*")
        assert page.locator("#designations tbody tr").count() == 50
        page = visit.go("/persons/us-ofac-sdn/24809")
        assert page.locator("article.listing").count() >= 1
        page = visit.go("/")
        assert page.locator("#yearly tbody tr").count() >= 8
        visit.check()
    finally:
        visit.close()


def test_the_keyboard_skips_to_the_content(visit: Visit) -> None:
    page = visit.go("/designations")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Skip to the content"
    assert page.locator("a.skip").is_visible()  # shown when focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "f-jurisdiction"
    visit.check()
