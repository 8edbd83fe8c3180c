"""The search box, the person's story and the year at a glance in a real headless Chromium
(Debian's, /usr/bin/chromium) against the real server on loopback, over the store with its
persons matched; and every page at a phone's width (390 px) without a horizontal page
scroll. Screenshots go to artifacts/. Fails when Chromium is missing."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.test_report_browser import ARTIFACTS
from tests.test_report_browser import browser as browser  # the same Chromium, one per module
from tests.web_fixtures import running, settings

QUERIES = [
    # (typed into the header box, a word of the right person's name, a jurisdiction of theirs)
    ("salameh riad", "SALAMEH", "Canada"),
    ("chavez frias", "CHÁVEZ FRÍAS", "Canada"),
    ("bastrikin", "BASTRYKIN", "Australia"),
    ("Кадыров Рамзан", "KADYROV", "United Kingdom"),
    ("rosoboronexport", "Rosoboronexport", "United States"),
]
PHONE_PAGES = (
    "/",
    "/designations?program=magnitsky&sort=-listed",
    "/events?program=magnitsky&sort=-date",
    "/year/2023",
    "/multilateral",
    "/search?q=bastrikin",
    "/precedents?program=US-GLOMAG",
)


@pytest.fixture(scope="module")
def server(built_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = tmp_path_factory.mktemp("web-browser-search") / "magnitsky.duckdb"
    shutil.copy(built_store, db)
    with running(db, settings()) as url:
        yield url


@pytest.fixture()
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def shot(page: Any, name: str, full: bool = False) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=full)


@pytest.mark.parametrize(("query", "named", "by"), QUERIES)
def test_the_header_box_finds_the_right_person_first(
    page: Any, server: str, query: str, named: str, by: str
) -> None:
    page.goto(server + "/events?program=GB-HR", wait_until="networkidle")
    box = page.locator("header form.search input#q")
    box.fill(query)
    box.press("Enter")
    page.wait_for_url("**/search?q=*")
    first = page.locator("#results tbody tr").first
    assert named.casefold() in first.locator("td").first.inner_text().casefold()
    assert by in first.inner_text()
    if query == "bastrikin":
        shot(page, "web-search.png")
    first.locator("a").first.click()
    page.wait_for_load_state("networkidle")
    assert named.casefold() in page.locator("h1").inner_text().casefold()
    assert page.locator("#timeline li").count() >= 1


def test_a_person_page_shows_the_timeline_first(page: Any, server: str) -> None:
    page.goto(server + "/search?q=bastrykin", wait_until="networkidle")
    page.locator("#results tbody tr a").first.click()
    page.wait_for_load_state("networkidle")
    steps = page.locator("#timeline li")
    assert steps.count() == 5
    assert [steps.nth(i).locator(".step").inner_text() for i in range(5)] == [
        "Canada 2017", "the US by 2018", "the UK 2020", "the EU 2021", "Australia 2022"
    ]
    timeline = page.locator("#timeline").bounding_box()
    listings = page.locator("#listings").bounding_box()
    assert timeline and listings and timeline["y"] < listings["y"]
    assert "sanctioned by 5 jurisdictions" in page.locator("#sentence").inner_text()
    shot(page, "web-person-story.png")


def test_the_year_shows_five_jurisdictions(page: Any, server: str) -> None:
    page.goto(server + "/year/2023", wait_until="networkidle")
    rows = page.locator("#glance tbody tr")
    assert rows.count() == 5
    names = [rows.nth(i).locator("th").inner_text() for i in range(5)]
    assert names == ["United States", "United Kingdom", "European Union", "Canada", "Australia"]
    assert "82" in rows.nth(0).locator("td").first.inner_text()
    shot(page, "web-year.png")


RENDERED_TEXT = """async img => {
    // the SVG the browser chose, its smallest font in the drawing's units, scaled to the
    // width the image is shown at
    const text = await (await fetch(img.currentSrc)).text();
    const svg = new DOMParser().parseFromString(text, "image/svg+xml").documentElement;
    const units = parseFloat(svg.getAttribute("viewBox").split(" ")[2]);
    const sizes = [...text.matchAll(/font-size: ([0-9.]+)px/g)].map(m => parseFloat(m[1]));
    const shown = img.getBoundingClientRect();
    if (shown.right > innerWidth) return [img.currentSrc, 0];
    return [img.currentSrc, Math.min(...sizes) * shown.width / units];
}"""


def test_no_page_scrolls_sideways_on_a_phone(browser: Any, server: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    phone = context.new_page()
    try:
        for path in PHONE_PAGES:
            phone.goto(server + path, wait_until="networkidle")
            widths = phone.evaluate(
                "() => [document.documentElement.scrollWidth, window.innerWidth]"
            )
            assert widths[0] <= widths[1], (path, widths)
            if path == "/":
                assert phone.locator("img.chart").count() == 1
            # a chart is its narrow drawing, within the page, its text drawn at 11 px or more
            for chart in phone.locator("img.chart").all():
                source, smallest = chart.evaluate(RENDERED_TEXT)
                assert "-narrow.svg" in source, (path, source)
                assert smallest >= 11, (path, smallest)
            if path == "/year/2023":
                shot(phone, "web-phone-year.png")
        phone.goto(server + "/search?q=bastrykin", wait_until="networkidle")
        phone.locator("#results tbody tr a").first.click()
        phone.wait_for_load_state("networkidle")
        widths = phone.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], ("person", widths)
        shot(phone, "web-phone-person.png")
    finally:
        context.close()
