"""The annual report: every number on the page leads to the designations behind it, and
the page, the Markdown and the CSVs say the same thing."""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from html import escape, unescape
from pathlib import Path

import pytest

from magnitsky.report import write_report
from magnitsky.report.svg import inline
from tests.report_fixtures import make_annual


@pytest.fixture()
def report(tmp_path: Path) -> Path:
    write_report(make_annual(), tmp_path)
    return tmp_path


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def html_table(page: str, name: str) -> str:
    match = re.search(rf'<table id="table-{name}">(.*?)</table>', page, re.S)
    assert match, f"table {name} missing"
    return match[1]


def finding_item(page: str, number: int) -> str:
    match = re.search(rf'<li id="finding-{number}">(.*?)</li>', page, re.S)
    assert match, f"finding {number} missing"
    return match[1]


def test_write_report_writes_the_page_the_markdown_and_the_csvs(tmp_path: Path) -> None:
    paths = write_report(make_annual(), tmp_path / "out")
    names = {p.name for p in paths}
    assert {"index.html", "report.md", "counted.csv", "findings.csv", "behind.csv"} <= names
    assert all(p.is_file() and p.stat().st_size > 0 for p in paths)


def test_every_finding_appears_with_its_definition_beside_it(report: Path) -> None:
    page = (report / "index.html").read_text()
    for n, finding in enumerate(make_annual().findings, start=1):
        item = finding_item(page, n)
        assert escape(finding["text"]) in item
        assert escape(finding["definition"]) in item


def test_each_finding_links_to_the_designations_behind_it(report: Path) -> None:
    page = (report / "index.html").read_text()
    # finding 1 measures direct involvement: the judge and the former president, not the
    # company designated for ties, not the vessel
    assert 'href="#finding-1-rows"' in finding_item(page, 1)
    rows = re.search(r'<p id="finding-1-rows">(.*?)</p>', page, re.S)
    assert rows and re.findall(r'href="#(d-\d+)"', rows[1]) == ["d-101", "d-103"]
    behind = [r for r in read_csv(report / "behind.csv") if r["figure"] == "finding"]
    assert {r["source_id"] for r in behind if r["value"] == "1"} == {"101", "103"}
    assert {r["source_id"] for r in behind if r["value"] == "2"} == {"101", "102", "103", "104"}


def test_a_delisting_of_an_earlier_listing_is_shown_apart_and_linked(report: Path) -> None:
    page = (report / "index.html").read_text()
    assert re.findall(r'<tr id="(d-[^"]+)"', html_table(page, "referred")) == ["d-99"]
    rows = re.search(r'<p id="finding-3-rows">(.*?)</p>', page, re.S)
    assert rows and re.findall(r'href="#(d-\d+)"', rows[1]) == ["d-99"]
    assert [r["source_id"] for r in read_csv(report / "referred.csv")] == ["99"]
    assert "d-99" not in html_table(page, "counted")


def test_the_average_is_shown_as_ranges_with_the_change(report: Path) -> None:
    page = (report / "index.html").read_text()
    average = html_table(page, "average")
    assert "<td>persons</td><td>3–4</td><td>9–11.5</td><td>-73.9 to -55.6</td>" in average
    assert read_csv(report / "average.csv")[0]["average_max"] == "11.5"


def test_every_link_inside_the_page_has_a_target(report: Path) -> None:
    page = (report / "index.html").read_text()
    ids = set(re.findall(r'\bid="([^"]+)"', page))
    targets = set(re.findall(r'href="#([^"]+)"', page))
    assert targets and targets <= ids
    files = set(re.findall(r'href="([^"#:]+)"', page))
    assert files and all((report / f).is_file() for f in files)


def test_every_chart_has_its_csv(report: Path) -> None:
    page = (report / "index.html").read_text()
    charts = re.findall(r'<svg role="img" class="chart wide"[^>]*data-chart="([^"]+)"', page)
    assert set(charts) >= {"yearly", "countries", "actions", "roles", "themes_by_year",
                           "allies_combinations", "allies_lags", "allies_counts"}
    annual = make_annual()
    allies = annual.multilateral
    assert allies is not None
    sources = {"yearly": annual.yearly, "countries": annual.countries,
               "actions": annual.actions, "roles": annual.roles, "regions": annual.regions,
               "themes_by_year": annual.themes_by_year,
               "allies_combinations": allies.combinations, "allies_lags": allies.lags,
               "allies_counts": allies.counts}
    for name in charts:
        rows = read_csv(report / f"{name}.csv")
        assert len(rows) == len(sources[name]), name
        assert f'href="{name}.csv"' in page
    yearly = read_csv(report / "yearly.csv")
    assert [(r["year"], r["persons_min"], r["persons_max"]) for r in yearly] == [
        ("2021", "10", "14"), ("2022", "8", "9"), ("2023", "3", "4")]


def test_the_counted_table_has_one_row_per_counted_designation(report: Path) -> None:
    annual = make_annual()
    page = (report / "index.html").read_text()
    section = html_table(page, "counted")
    assert re.findall(r'<tr id="(d-[^"]+)"', section) == [
        f"d-{d['source_id']}" for d in annual.counted]
    rows = read_csv(report / "counted.csv")
    assert [r["source_id"] for r in rows] == [d["source_id"] for d in annual.counted]
    bracketed = next(r for r in rows if r["source_id"] == "104")
    assert (bracketed["date_quality"], bracketed["certain"]) == ("bracket", "no")
    assert "2022-12-20 … 2023-01-21" in section  # the bracket is shown, not a made-up day


def test_text_from_the_data_is_escaped(report: Path) -> None:
    page = (report / "index.html").read_text()
    assert "TABESA &lt;S.A.&gt; &amp; Co" in page
    assert "<S.A.>" not in page and "<ties>" not in page


def test_the_page_loads_nothing_from_outside(report: Path) -> None:
    page = (report / "index.html").read_text()
    for loader in ("<script", "<link", "<img", "<iframe", "@import", "url(http", " src="):
        assert loader not in page
    # the only external addresses are evidence links a reader may click
    assert set(re.findall(r'href="(https?://[^"]+)"', page)) == {
        "https://home.treasury.gov/news/press-releases/jy1958"}


def test_the_markdown_has_the_same_findings_and_tables(report: Path) -> None:
    text = (report / "report.md").read_text()
    plain = re.sub(r"\\(.)", r"\1", text)  # Markdown escapes removed
    for finding in make_annual().findings:
        assert finding["text"] in plain
        assert finding["definition"] in plain
    for name in ("yearly", "countries", "actions", "roles", "precedents", "counted"):
        assert f"]({name}.csv)" in text
    counted = text[text.index("## Every designation counted") :]
    assert len([line for line in counted.splitlines() if line.startswith("| 10")]) == 5
    assert "TABESA \\<S.A.\\> & Co" in text


def test_the_page_says_where_the_basis_of_each_person_counted_comes_from(report: Path) -> None:
    page = (report / "index.html").read_text()
    section = page[page.index('<section id="themes"') : page.index('<section id="precedents"')]
    assert ("Basis from official text for 1 of the 4 persons counted; from the list&#x27;s own"
            " text for 2; not known for 1.") in section
    for source, ids in (("official-text", ["d-103"]), ("list", ["d-101", "d-102"]),
                        ("not-shown", ["d-104"])):
        assert f'href="#by-evidence-{source}"' in section
        listed = re.search(rf'<p id="by-evidence-{source}">(.*?)</p>', page, re.S)
        assert listed and re.findall(r'href="#(d-\d+)"', listed[1]) == ids
    rows = read_csv(report / "text_evidence.csv")
    assert [(r["source_id"], r["basis_source"]) for r in rows] == [
        ("101", "list"), ("102", "list"), ("103", "official text"), ("104", "not shown")]


def test_the_themes_per_year_and_what_was_never_addressed(report: Path) -> None:
    page = (report / "index.html").read_text()
    grid = html_table(page, "themes_by_year")
    assert "<th scope=\"col\">2022</th><th scope=\"col\">2023</th>" in grid
    assert "<td>abuse</td><td>torture</td><td>0–1</td><td>1</td>" in grid
    coverage = html_table(page, "coverage")
    assert "<td>victim group</td><td>children</td><td>never addressed</td>" in coverage
    assert "<td>abuse</td><td>torture</td><td>in 2023</td><td>2</td>" in coverage
    assert [r["status"] for r in read_csv(report / "coverage.csv")] == [
        "in 2023", "never addressed", "never addressed", "in 2023"]
    # the year's theme links to the designations behind it
    assert re.findall(r'href="#(d-\d+)"', page[page.index('id="by-theme-torture"'):].split("</p>")[0]) == ["d-103"]
    text = (report / "report.md").read_text()
    assert "## Themes, victim groups and official texts" in text and "](coverage.csv)" in text


def test_the_counted_table_shows_the_evidence_sentence_escaped(report: Path) -> None:
    counted = html_table((report / "index.html").read_text(), "counted")
    row = re.search(r'<tr id="d-103">(.*?)</tr>', counted, re.S)
    assert row and ("Example &lt;b&gt;tortured&lt;/b&gt; journalists &amp; critics in custody."
                    " (<a href=") in row[1]
    assert "<td>official text</td>" in row[1] and "<td>torture</td><td>journalists</td>" in row[1]
    assert "<b>tortured" not in (report / "index.html").read_text()
    md = (report / "report.md").read_text()
    assert "Example \\<b\\>tortured\\</b\\> journalists & critics" in md


def test_an_address_in_a_sentence_links_without_the_sentences_punctuation() -> None:
    from magnitsky.report.html import text

    assert text("(Treasury press release sm460.html, https://home.treasury.gov/x/sm460).") == (
        '(Treasury press release sm460.html, <a href="https://home.treasury.gov/x/sm460"'
        ' rel="noreferrer">https://home.treasury.gov/x/sm460</a>).')
    assert 'href="https://en.wikipedia.org/wiki/A_(b)"' in text("see https://en.wikipedia.org/wiki/A_(b)")


def test_inlined_svg_ids_are_unique_per_chart_and_references_follow() -> None:
    svg = ('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><defs>'
           '<clipPath id="p1"><rect/></clipPath></defs><g clip-path="url(#p1)"/>'
           '<a xlink:href="#by-country-ru"><path/></a></svg>')
    out = inline(svg, "countries", "Countries <x>", "desc")
    assert out.startswith('<svg role="img"')
    assert 'id="chart-countries-p1"' in out and "url(#chart-countries-p1)" in out
    assert 'xlink:href="#by-country-ru"' in out  # a link to the page, not an SVG id
    assert "<title" in out and "Countries &lt;x&gt;" in out


def section(page: str, name: str) -> str:
    match = re.search(rf'<section id="{name}".*?</section>', page, re.S)
    assert match, f"section {name} missing"
    return match[0]


def test_the_allies_section_states_its_findings_with_charts_and_tables(report: Path) -> None:
    allies = make_annual().multilateral
    assert allies is not None
    page = (report / "index.html").read_text()
    part = section(page, "allies")
    for line in allies.summary:
        assert escape(line) in part
    for chart in ("allies_combinations", "allies_lags", "allies_counts"):
        assert f'data-chart="{chart}"' in part
    for name in ("allies_coverage", "allies_overlaps", "allies_lags", "allies_year_counts",
                 "allies_year",
                 "allies_joint", "allies_longest_lags", "allies_gaps"):
        assert f'<table id="table-{name}">' in part, name
    # the year's joint action, and the gap first in line: escaped
    assert "Riad SALAMEH" in html_table(part, "allies_joint")
    year = read_csv(report / "allies_year_counts.csv")  # 2023: Salameh by Canada and the UK
    assert [(r["jurisdiction"], r["persons"], r["corruption"], r["basis_unknown"])
            for r in year] == [("CA", "1", "0", "1"), ("GB", "1", "1", "0")]
    gaps = html_table(part, "allies_gaps")
    assert gaps.index("Riad SALAMEH") < gaps.index("Luis &lt;i&gt;") < gaps.index("PETROV")
    assert "US-RUSSIA-EO14024 2022-03-01" in gaps
    assert "<i>" not in part


def test_each_bar_of_the_overlap_chart_links_to_its_persons(report: Path) -> None:
    allies = make_annual().multilateral
    assert allies is not None
    part = section((report / "index.html").read_text(), "allies")
    svg = re.search(r'<svg[^>]*data-chart="allies_combinations".*?</svg>', part, re.S)
    assert svg
    links = re.findall(r'xlink:href="#(allies-[^"]+)"', svg[0])
    assert len(links) == len(allies.combinations)
    for combo in allies.combinations:
        names = re.search(rf'<p id="allies-{combo["combination"].replace(" + ", "-")}">(.*?)</p>',
                          part, re.S)
        assert names, combo["combination"]
        assert unescape(names[1]).split("; ") == combo["names"]
    rows = read_csv(report / "allies_persons.csv")
    assert len(rows) == sum(len(r["jurisdictions"]) * r["persons"] for r in allies.combinations)
    combos = read_csv(report / "allies_combinations.csv")
    assert [(r["combination"], int(r["persons"])) for r in combos] == [
        (r["combination"], r["persons"]) for r in allies.combinations]


def test_the_markdown_has_the_allies_section(report: Path) -> None:
    allies = make_annual().multilateral
    assert allies is not None
    md = re.sub(r"\\(.)", r"\1", (report / "report.md").read_text())
    assert "## Allies: the same persons sanctioned by other jurisdictions" in md
    for line in allies.summary:
        assert line in md
    assert "| EU + GB + US | 1 |" in md
    assert "[allies_gaps.csv](allies_gaps.csv)" in md


# --- end to end, on the store built from the real files in ../shared/data ---------------


def magnitsky(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "magnitsky.cli", "--db", str(db), *args],
        capture_output=True, text=True, timeout=300,
    )


def test_the_2023_report_counts_the_78_designations_of_the_change_archive(real_report: Path) -> None:
    rows = read_csv(real_report / "counted.csv")
    persons = [r for r in rows if r["schema"] in ("Person", "Organization")]
    assert len(persons) == 78  # all dated exactly by sdnnew23.txt
    assert all(r["date_quality"] == "exact" and r["certain"] == "yes" for r in persons)
    assert {r["listed_on"][:4] for r in rows} == {"2023"}
    page = (real_report / "index.html").read_text()
    assert len(re.findall(r'<tr id="d-', html_table(page, "counted"))) == len(rows)
    yearly = {r["year"]: r for r in read_csv(real_report / "yearly.csv")}
    assert (yearly["2023"]["persons_min"], yearly["2023"]["persons_max"]) == ("78", "78")


def test_the_2023_report_has_findings_with_definitions_and_their_lists(real_report: Path) -> None:
    findings = read_csv(real_report / "findings.csv")
    assert findings and all(f["text"] and f["definition"] for f in findings)
    page = (real_report / "index.html").read_text()
    md = re.sub(r"\\(.)", r"\1", (real_report / "report.md").read_text())
    for n, f in enumerate(findings, start=1):
        assert escape(f["text"]) in finding_item(page, n)
        assert f["text"] in md
        assert f'id="finding-{n}-rows"' in page


def test_the_year_boundary_is_a_parameter(built_store: Path, tmp_path: Path) -> None:
    done = magnitsky(built_store, "report", "--program", "US-GLOMAG", "--year", "2023",
                     "--year-end", "12-05", "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    days = {r["listed_on"] for r in read_csv(tmp_path / "counted.csv")}
    assert min(days) >= "2022-12-06" and max(days) <= "2023-12-05"
    assert "2022-12-06 to 2023-12-05" in (tmp_path / "index.html").read_text()


def test_an_unknown_program_is_an_error(built_store: Path, tmp_path: Path) -> None:
    done = magnitsky(built_store, "report", "--program", "US-NOPE", "--year", "2023",
                     "--out", str(tmp_path))
    assert done.returncode != 0
    assert "US-NOPE" in done.stderr
    assert not (tmp_path / "index.html").exists()


def test_the_2023_report_says_for_whom_an_official_text_gives_the_basis(real_report: Path) -> None:
    rows = read_csv(real_report / "text_evidence.csv")
    assert len(rows) == 78 and {r["basis_source"] for r in rows} <= {
        "official text", "list", "not shown"}
    n = {s: sum(1 for r in rows if r["basis_source"] == s) for s in ("official text", "list")}
    page = (real_report / "index.html").read_text()
    assert (f"Basis from official text for {n['official text']} of the 78 persons counted;"
            f" from the list&#x27;s own text for {n['list']};") in page
    # the coverage table goes through every label of the evidence rules
    from magnitsky.analysis.texts import vocabulary

    coverage = read_csv(real_report / "coverage.csv")
    labels = [label for kind in ("abuse", "corruption", "victim") for label in vocabulary()[kind]]
    assert [r["label"] for r in coverage] == labels
    status = {r["label"]: r["status"] for r in coverage}
    # texts read: the Burmese commanders (2018), Koi Wan Kuok (2020) among them
    assert status["extrajudicial_killing"] == status["human_trafficking"] == "not in 2023"
    assert status["lgbtqia"] == status["torture"] == "never addressed"
    # "Ten Rohingya men and boys were captured, bound, and executed": the release on the
    # 33rd Light Infantry Division (2018), whose shortened name links to its entry
    assert status["children"] == "not in 2023"
    assert 'data-chart="themes_by_year"' in page
    cells = {(r["year"], r["label"]) for r in read_csv(real_report / "themes_by_year.csv")}
    assert ("2018", "extrajudicial_killing") in cells and ("2020", "human_trafficking") in cells


def test_each_bar_of_the_2023_charts_has_as_many_designations_behind_it(real_report: Path) -> None:
    behind: dict[tuple[str, str], set[str]] = {}
    for r in read_csv(real_report / "behind.csv"):
        behind.setdefault((r["figure"], r["value"]), set()).add(r["row_id"])
    charts = {"countries": ("country", "code"), "regions": ("region", "region"),
              "roles": ("role", "role"), "actions": ("date", "date")}
    for name, (figure, key) in charts.items():
        rows = read_csv(real_report / f"{name}.csv")
        assert rows, name
        for row in rows:
            assert len(behind[(figure, row[key])]) == int(row["count"]), (name, row[key])


def test_the_2023_report_has_the_allies_section(real_report: Path, built_store: Path) -> None:
    from magnitsky.analysis import multilateral as multi
    from magnitsky.store import open_store

    with open_store(built_store, read_only=True) as store:
        found = multi.persons(store)
    expected = {(r["a"], r["b"]): r["both"] for r in multi.overlaps(found)}
    overlaps = {(r["a"], r["b"]): int(r["both"]) for r in read_csv(real_report / "allies_overlaps.csv")}
    assert overlaps == expected and overlaps[("GB", "US")] >= 50
    combos = read_csv(real_report / "allies_combinations.csv")
    assert sum(int(r["persons"]) for r in combos) == len(found)
    page = (real_report / "index.html").read_text()
    part = section(page, "allies")
    assert "Riad SALAMEH" in html_table(part, "allies_joint")  # Canada and the UK, Aug 2023
    year = read_csv(real_report / "allies_year.csv")
    assert year and all(r["listed_on"][:4] == "2023" or r["in_the_year"] == "maybe" for r in year)
    gaps = read_csv(real_report / "allies_gaps.csv")
    assert gaps and all("US" not in r["sanctioned_by"].split("; ")[0][:3] for r in gaps)


def test_the_report_s_year_section_names_the_new_precedents(real_report: Path) -> None:
    """The first section, from the report's multilateral section: each jurisdiction's
    precedents of the year (analysis/precedents.py), as on /year/2023."""
    page = (real_report / "index.html").read_text()
    first = page[page.index('id="year"') :]
    first = first[: first.index("</table>")]
    eu = next(row for row in first.split("<tr>") if row.startswith("<td>EU</td>"))
    assert "country Sudan: M-Invest (2023-02-25)" in eu
    assert "role business person: Mikhail Sergeyevich POTEPKIN" in eu
    markdown = (real_report / "report.md").read_text()
    assert "country Sudan: M-Invest (2023-02-25)" in markdown
