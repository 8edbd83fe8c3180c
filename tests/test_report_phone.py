"""The real 2023 report in headless Chromium at a phone's width (390 px): the page does not
scroll sideways, every chart is shown in its narrow drawing, which fits the page, with
its text drawn at 11 px or more, and the first section is the year across jurisdictions,
five of them. On a wide screen the wide drawings are shown."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.test_report_browser import browser as browser  # the same Chromium
from tests.test_report_browser import real_report as real_report  # the real 2023 report

SMALLEST_TEXT = """() => Math.min(...[...document.querySelectorAll('svg.chart text')]
  .filter(t => t.closest('svg').getClientRects().length > 0)  // the charts shown
  .map(t => {
    const m = t.getScreenCTM();  // the drawing's scale (and a rotated label's rotation)
    return parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b);
}))"""


def test_the_report_reads_on_a_phone(browser: Any, real_report: Path) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto((real_report / "index.html").as_uri(), wait_until="networkidle")
    scroll, width = page.evaluate("() => [document.documentElement.scrollWidth, innerWidth]")
    assert scroll <= width, (scroll, width)
    shown = page.locator("svg.chart:visible")
    assert shown.count() >= 5
    assert shown.count() == page.locator("svg.chart.narrow").count()
    assert page.locator("svg.chart.wide:visible").count() == 0
    for chart in shown.all():
        box = chart.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, box
    assert page.evaluate(SMALLEST_TEXT) >= 11
    first = page.locator("main section").first
    assert first.get_attribute("id") == "year"
    assert first.locator("tbody tr").count() == 5
    page.close()


def test_a_wide_screen_shows_the_wide_charts(browser: Any, real_report: Path) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto((real_report / "index.html").as_uri(), wait_until="networkidle")
    assert page.locator("svg.chart.wide:visible").count() >= 5
    assert page.locator("svg.chart.narrow:visible").count() == 0
    page.close()
