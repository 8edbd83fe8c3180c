"""Every number says what it rests on, on the real files: direct involvement is a range
with where each basis comes from, a year the lists read cover only in part is marked
partial where it is shown, a list read from one file without its history gives lower
bounds, and the report says which program and which year window it counts."""

from __future__ import annotations

import json
import re
from datetime import date
from html import escape
from pathlib import Path
from typing import Any

import pytest

from magnitsky.analysis.windows import window
from magnitsky.store import open_store
from tests.test_report import finding_item, html_table, magnitsky, read_csv, section
from tests.web_fixtures import copy_store, fetch, running, settings

LAST_US_LIST = "2024-05-03"  # the sdn.csv bundle ends then (its last file is empty)


def cli_json(db: Path, *args: str) -> list[dict[str, Any]]:
    done = magnitsky(db, *args, "--format", "json")
    assert done.returncode == 0, done.stderr
    rows: list[dict[str, Any]] = json.loads(done.stdout)
    return rows


@pytest.fixture(scope="module")
def report(real_report: Path) -> Path:
    return real_report


@pytest.fixture(scope="module")
def yearly(built_store: Path) -> dict[int, dict[str, Any]]:
    rows = cli_json(built_store, "stats", "yearly", "--program", "US-GLOMAG")
    return {int(r["year"]): r for r in rows}


@pytest.fixture(scope="module")
def counts(built_store: Path) -> dict[tuple[str, int], dict[str, Any]]:
    rows = cli_json(built_store, "multilateral", "--view", "counts")
    return {(r["jurisdiction"], int(r["year"])): r for r in rows}


# --- direct involvement: a range, and what the basis rests on ----------------------------


def test_the_2023_report_says_next_to_direct_involvement_for_how_many_the_basis_was_read(
    report: Path,
) -> None:
    persons = [r for r in read_csv(report / "counted.csv")
               if r["schema"] in ("Person", "Organization")]
    shown = sum(1 for r in persons if r["basis"] in ("human_rights", "corruption"))
    unknown = sum(1 for r in persons if r["basis"] == "unknown")
    read = sum(1 for r in persons if r["basis_source"] == "official text")
    listed = sum(1 for r in persons if r["basis_source"] == "list")
    findings = read_csv(report / "findings.csv")
    direct = [f for f in findings if f["measure"] == "direct"]
    assert len(direct) == 1
    finding = direct[0]
    assert finding["value"] == (str(shown) if not unknown else f"{shown}–{shown + unknown}")
    said = (f"of the {len(persons)} persons, the basis was read from an official text for"
            f" {read}, from the list's remarks for {listed} and is not known for {unknown}")
    assert said in finding["text"]
    number = findings.index(finding) + 1
    assert escape(said) in finding_item((report / "index.html").read_text(), number)
    # a basis nothing read shows is never said as a 0
    for path in ("index.html", "report.md", "findings.csv"):
        text = (report / path).read_text()
        assert not re.search(r"\b0 for (human-rights abuse|corruption)", text), path


def test_stats_yearly_gives_direct_and_its_change_against_the_average_as_ranges(
    yearly: dict[int, dict[str, Any]],
) -> None:
    year = yearly[2023]
    # at least those shown, at most those too whose basis is not known
    assert year["direct_min"] == year["human_rights_min"] + year["corruption_min"]
    assert year["direct_max"] == year["not_ties_max"]
    assert year["direct_max"] - year["direct_min"] == year["unknown_max"] > 0
    assert year["avg_direct_max"] == year["avg_not_ties_max"]
    assert year["avg_direct_min"] < year["avg_direct_max"]
    low = round((year["direct_min"] / year["avg_direct_max"] - 1) * 100, 1)
    high = round((year["direct_max"] / year["avg_direct_min"] - 1) * 100, 1)
    assert (year["change_direct_pct_min"], year["change_direct_pct_max"]) == (low, high)
    # where the basis comes from adds up to the persons, every year
    for row in yearly.values():
        for m in ("min", "max"):
            parts = ("basis_from_text", "basis_from_regime", "basis_from_list", "unknown")
            assert sum(row[f"{p}_{m}"] for p in parts) == row[f"persons_{m}"], row["year"]


# --- partial years ---------------------------------------------------------------------


def test_the_years_after_the_last_us_list_are_partial_with_the_day_coverage_ends(
    built_store: Path, yearly: dict[int, dict[str, Any]], report: Path
) -> None:
    from magnitsky.analysis import coverage

    with open_store(built_store, read_only=True) as store:
        lists = coverage.of_program(store, "US-GLOMAG")
    assert lists.last_list == date.fromisoformat(LAST_US_LIST)
    assert lists.partial(window(2023)) is None
    for year in (2024, 2025):
        assert yearly[year]["covered_until"] == LAST_US_LIST
        assert LAST_US_LIST in yearly[year]["partial"]
    assert yearly[2023]["partial"] is None and yearly[2023]["covered_until"] is None
    # after the last list, the year names the documents that are all it is known from
    assert "20250730.html" in yearly[2025]["partial"]  # a Recent Actions page
    assert "20250730.html" not in yearly[2024]["partial"]
    # the CLI's table says it in the year's row
    table = magnitsky(built_store, "stats", "yearly", "--program", "US-GLOMAG").stdout
    assert re.search(rf"^2024 +partial: to {LAST_US_LIST} ", table, re.M)
    # the report: the CSV, the table's year cell, the chart's year label
    rows = {r["year"]: r for r in read_csv(report / "yearly.csv")}
    assert rows["2024"]["covered_until"] == rows["2025"]["covered_until"] == LAST_US_LIST
    assert rows["2023"]["partial"] == ""
    page = (report / "index.html").read_text()
    assert f"2024 (partial: the list is read to {LAST_US_LIST})" in html_table(page, "yearly")
    chart = re.search(r'<figure id="figure-yearly">.*?</figure>', page, re.S)
    assert chart and f"to {LAST_US_LIST}" in chart[0]


def test_a_report_of_a_partial_year_says_so_in_its_title_and_findings(
    built_store: Path, tmp_path: Path
) -> None:
    done = magnitsky(built_store, "report", "--program", "US-GLOMAG", "--year", "2024",
                     "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "index.html").read_text()
    title = re.search(r"<h1>(.*?)</h1>", page)
    assert title and title[1].endswith("designations in calendar year 2024 (partial)")
    findings = read_csv(tmp_path / "findings.csv")
    assert f"the list is read to {LAST_US_LIST}" in findings[0]["text"]
    assert all(f"the list is read to {LAST_US_LIST}" in f["definition"] for f in findings)


def test_the_web_overview_marks_the_partial_years(built_store: Path, tmp_path: Path) -> None:
    db = copy_store(built_store, tmp_path)
    with running(db, settings()) as url:
        page = fetch(url + "/?program=US-GLOMAG").text
    table = re.search(r'<table class="data" id="yearly">.*?</table>', page, re.S)
    assert table, "no yearly table"
    row = re.search(r"<tr>\s*<th scope=\"row\"><a [^>]*>2024</a>(.*?)</th>", table[0], re.S)
    assert row and f"partial: to {LAST_US_LIST}" in row[1]
    per_program = re.search(r'<table class="data" id="per-program">.*?</table>', page, re.S)
    assert per_program and f"partial: to {LAST_US_LIST}" in per_program[0]


def test_multilateral_counts_mark_each_jurisdictions_partial_years(
    built_store: Path, counts: dict[tuple[str, int], dict[str, Any]]
) -> None:
    from magnitsky.analysis import coverage

    with open_store(built_store, read_only=True) as store:
        last = {j: c.last_list for j, c in coverage.of_jurisdictions(
            store, ("GB-HR", "GB-AC", "US-GLOMAG", "US-MAGNITSKY")).items()}
    gb, us = last["GB"], last["US"]
    assert gb is not None and us is not None
    for (j, year), row in counts.items():
        if j not in last:
            continue
        end = window(year)[1]
        partial = end > (gb if j == "GB" else us)
        assert (row["partial"] is not None) == partial, (j, year)
        assert row["covered_until"] == ((gb if j == "GB" else us).isoformat() if partial else None)
    assert counts[("GB", 2025)]["covered_until"] == gb.isoformat()


# --- a list read from one file: lower bounds ------------------------------------------


def test_the_eu_annex_counts_are_lower_bounds_where_they_appear(
    counts: dict[tuple[str, int], dict[str, Any]], report: Path
) -> None:
    eu = [r for (j, _), r in counts.items() if j == "EU"]
    assert eu and all("one file (2026-08-22)" in r["lower_bound"] for r in eu)
    assert all(r["lower_bound"] is None for (j, _), r in counts.items() if j != "EU")
    cover = {r["jurisdiction"]: r for r in read_csv(report / "allies_coverage.csv")}
    assert "2026-08-22" in cover["EU"]["lower_bound"] and cover["US"]["lower_bound"] == ""
    part = section((report / "index.html").read_text(), "allies")
    n = counts[("EU", 2023)]["persons"]
    assert f"EU (EU-HR) sanctioned at least {n} persons" in part
    assert f"at least {n} (lower bound: one file (2026-08-22)" in html_table(
        part, "allies_year_counts")


# --- the allies: where each jurisdiction's basis comes from ----------------------------


def test_each_jurisdictions_basis_says_where_it_comes_from_next_to_the_number(
    counts: dict[tuple[str, int], dict[str, Any]], report: Path
) -> None:
    parts = ("basis_from_regime", "basis_from_text", "basis_from_list", "basis_unknown")
    for key, row in counts.items():
        assert sum(row[p] for p in parts) == row["persons"], key
    # thematic regimes state the basis; Canada's list gives none
    for key in (("AU", 2023), ("EU", 2023)):
        row = counts[key]
        assert row["basis_from_regime"] + row["basis_from_text"] == row["persons"]
    assert counts[("CA", 2023)]["basis_unknown"] == counts[("CA", 2023)]["persons"] > 0
    page = (report / "index.html").read_text()
    part = section(page, "allies")
    ca = counts[("CA", 2023)]
    assert (f"CA (CA-JVCFOA) sanctioned {ca['persons']} persons (basis not told for"
            f" {ca['basis_unknown']})") in part
    us = counts[("US", 2023)]
    assert f"US (US-GLOMAG, US-MAGNITSKY) sanctioned {us['persons']} persons (basis" in part
    assert not re.search(r"\b0 for (human-rights abuse|corruption)", part)
    rows = {r["jurisdiction"]: r for r in read_csv(report / "allies_year_counts.csv")}
    assert int(rows["CA"]["basis_unknown"]) == ca["persons"]


# --- which program and which year window -----------------------------------------------


def test_the_report_says_which_program_and_which_year_window_it_counts(
    report: Path, built_store: Path, tmp_path: Path
) -> None:
    page = (report / "index.html").read_text()
    title = re.search(r"<h1>(.*?)</h1>", page)
    assert title and title[1] == (
        "US-GLOMAG (Global Magnitsky (E.O. 13818)): designations in calendar year 2023")
    scope = ("US-GLOMAG (Global Magnitsky (E.O. 13818)) designations, calendar year 2023"
             " (2023-01-01 to 2023-12-31)")
    findings = read_csv(report / "findings.csv")
    assert all(f["definition"].startswith(scope) for f in findings)
    assert findings[0]["text"].startswith("In calendar year 2023, US-GLOMAG designated")
    # the allies' count of the same year is a different one, and says how it counts
    assert ("In calendar year 2023 (2023-01-01 to 2023-12-31), counting each person once per"
            " jurisdiction, in the year of its first listing of them under any of its"
            " Magnitsky-style programs") in section(page, "allies")
    done = magnitsky(built_store, "report", "--program", "US-GLOMAG", "--year", "2023",
                     "--year-end", "12-05", "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    other = read_csv(tmp_path / "findings.csv")
    assert other[0]["text"].startswith(
        "In the year ending 5 December 2023 (6 Dec 2022 – 5 Dec 2023), US-GLOMAG designated")
