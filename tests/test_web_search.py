"""The search box, the person's story, the year at a glance and the dashboard's defaults
and words, over the real store (with its persons matched) on a real server on loopback."""

from __future__ import annotations

import gzip
import http.client
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlparse

import pytest

from magnitsky.store import open_store
from tests.web_fixtures import fetch, running, settings

BASTRYKIN = ("us-ofac-sdn", "21186")


@pytest.fixture(scope="module")
def store(built_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the built store, persons matched, with one old id that was merged."""
    db = tmp_path_factory.mktemp("web-search") / "magnitsky.duckdb"
    shutil.copy(built_store, db)
    with open_store(db) as store:
        store.con.execute(
            "INSERT INTO person_redirects SELECT 'Pmerged00000', person_id, now()"
            " FROM persons WHERE source = ? AND source_id = ?",
            list(BASTRYKIN),
        )
    return db


@pytest.fixture(scope="module")
def server(store: Path) -> Iterator[str]:
    with running(store, settings()) as url:
        yield url


def person_of(store: Path, key: tuple[str, str]) -> str:
    with open_store(store, read_only=True) as s:
        return str(
            s.scalar("SELECT person_id FROM persons WHERE source = ? AND source_id = ?", list(key))
        )


def raw(url: str, headers: dict[str, str] | None = None) -> http.client.HTTPResponse:
    """One request, redirects not followed."""
    parts = urlparse(url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=120)
    connection.request(
        "GET", parts.path + (f"?{parts.query}" if parts.query else ""), headers=headers or {}
    )
    return connection.getresponse()


def test_the_search_api_gives_persons_ranked(server: str, store: Path) -> None:
    found = fetch(f"{server}/api/search?q=bastrikin").json()
    top = found["results"][0]
    assert top["person_id"] == person_of(store, BASTRYKIN)
    assert top["jurisdictions"] == ["AU", "CA", "EU", "GB", "US"]
    assert top["url"] == f"/persons/{top['person_id']}"
    nothing = fetch(f"{server}/api/search?q=qqzx%20zzvq").json()
    assert nothing["results"] == [] and len(nothing["suggestions"]) > 0
    assert fetch(f"{server}/api/search?q=x&limit=0").status == 400


def test_every_page_has_the_search_box(server: str) -> None:
    for path in ("/", "/designations?program=US-GLOMAG", "/year/2023", "/persons/Pnever000000"):
        page = fetch(server + path)
        assert '<form class="search" role="search" action="/search"' in page.text, path
    found = fetch(f"{server}/search?q={quote('Бастрыкин')}")
    assert found.status == 200 and 'id="results"' in found.text and "BASTRYKIN" in found.text
    none = fetch(f"{server}/search?q=qqzx%20zzvq")
    assert 'id="none"' in none.text and "The nearest names" in none.text


def test_the_person_page_tells_the_story_first(server: str, store: Path) -> None:
    page = fetch(f"{server}/persons/{person_of(store, BASTRYKIN)}").text
    assert page.index('id="timeline"') < page.index('id="listings"')
    steps = page.split('id="timeline"')[1].split("</ol>")[0]
    assert steps.count("<li>") == 5
    for who in (
        "Canada</abbr> 2017",
        "the US</abbr> by 2018",
        "the UK</abbr> 2020",
        "the EU</abbr> 2021",
        "Australia</abbr> 2022",
    ):
        assert who in steps, who
    assert "sanctionssearch.ofac.treas.gov/Details.aspx?id=21186" in steps
    assert "(exact" in steps and "(baseline" in steps
    api = fetch(f"{server}/api/persons/{person_of(store, BASTRYKIN)}").json()
    assert [s["jurisdiction"] for s in api["timeline"]] == ["CA", "US", "GB", "EU", "AU"]


def test_a_merged_person_s_old_address_redirects(server: str, store: Path) -> None:
    answer = raw(f"{server}/persons/Pmerged00000")
    assert answer.status == 301
    assert answer.getheader("location") == f"/persons/{person_of(store, BASTRYKIN)}"
    api = raw(f"{server}/api/persons/Pmerged00000")
    assert api.status == 301 and api.getheader("location", "").startswith("/api/persons/")
    assert fetch(f"{server}/persons/Pmerged00000").status == 200


def test_the_year_at_a_glance_shows_five_jurisdictions(server: str) -> None:
    glance = fetch(f"{server}/api/year/2023").json()
    persons = {j["jurisdiction"]: j["persons"] for j in glance["jurisdictions"]}
    # the figures of the README's multilateral paragraph (calendar year 2023)
    assert persons == {"US": 82, "GB": 25, "EU": 65, "CA": 10, "AU": 48}
    us = next(j for j in glance["jurisdictions"] if j["jurisdiction"] == "US")
    assert us["by_basis"] == {"ties": 55, "unknown": 27}
    assert us["basis_from"]["ties"] == {"Linked To": 55}
    joint = {j["name"] for j in glance["joint_actions"]}
    assert any("SALAMEH" in n.upper() for n in joint)
    page = fetch(f"{server}/year/2023").text
    assert page.count("<tr data-jurisdiction=") == 5
    latest = raw(f"{server}/year")
    assert latest.status == 302 and latest.getheader("location") == "/year/2023"
    assert fetch(f"{server}/year/1800").status == 404


def test_the_multilateral_view_takes_a_year(server: str) -> None:
    every = fetch(f"{server}/api/multilateral?view=persons").json()
    in_year = fetch(f"{server}/api/multilateral?view=persons&year=2023").json()
    assert 0 < len({r["person_id"] for r in in_year}) < len({r["person_id"] for r in every})
    per_person: dict[str, list[str]] = {}
    for r in in_year:
        per_person.setdefault(r["person_id"], []).append(str(r["listed_on"]))
    assert all(any(d.startswith("2023") for d in days) for days in per_person.values())
    assert "f-year" in fetch(f"{server}/multilateral?year=2023").text


def test_designations_and_events_open_on_the_magnitsky_programs_newest_first(server: str) -> None:
    first = raw(f"{server}/designations")
    assert first.status == 302
    assert first.getheader("location") == "/designations?program=magnitsky&sort=-listed"
    rows = fetch(f"{server}/api/designations?program=magnitsky&sort=-listed&per_page=500").json()
    programs = {r["program"] for r in rows["rows"]}
    assert programs <= {
        "US-GLOMAG",
        "US-MAGNITSKY",
        "GB-HR",
        "GB-AC",
        "CA-JVCFOA",
        "EU-HR",
        "AU-HUMAN",
        "AU-CRP",
    }
    dates = [r["listed_not_after"] for r in rows["rows"]]
    assert dates == sorted(dates, reverse=True)
    events = raw(f"{server}/events")
    assert events.status == 302 and "program=magnitsky" in events.getheader("location", "")


def test_tables_show_names_with_codes_on_hover(server: str) -> None:
    page = fetch(f"{server}/designations?program=GB-HR&sort=-listed").text
    assert '<abbr title="GB">United Kingdom</abbr>' in page
    assert '<abbr title="RU">Russia</abbr>' in page


def test_country_uk_is_gb_and_an_unknown_code_is_refused(server: str) -> None:
    def total(country: str) -> int:
        found = fetch(f"{server}/api/designations?program=magnitsky&country={country}").json()
        return int(found["total"])

    assert total("UK") == total("GB") == total("United%20Kingdom") > 0
    refused = fetch(f"{server}/api/designations?country=QX")
    assert (
        refused.status == 400
        and "GB" in refused.json()["error"]
        and "RU" in refused.json()["error"]
    )


def test_a_page_past_the_last_goes_to_the_last(server: str) -> None:
    answer = raw(f"{server}/designations?program=US-GLOMAG&page=999")
    assert answer.status == 302
    last = answer.getheader("location", "")
    assert "page=" in last and "page=999" not in last
    assert fetch(server + last).status == 200
    api = fetch(f"{server}/api/designations?program=US-GLOMAG&page=999").json()
    assert api["rows"] == [] and "past the last" in api["note"]


def test_downloads_are_named_after_their_filter_with_an_excel_variant(server: str) -> None:
    plain = fetch(f"{server}/download/designations.csv?program=US-GLOMAG&year=2023")
    assert 'filename="us-glomag-2023-designations.csv"' in plain.headers["content-disposition"]
    assert not plain.body.startswith(b"\xef\xbb\xbf")
    excel = fetch(f"{server}/download/designations-excel.csv?program=US-GLOMAG&year=2023")
    assert (
        'filename="us-glomag-2023-designations-excel.csv"' in excel.headers["content-disposition"]
    )
    assert excel.body == b"\xef\xbb\xbf" + plain.body
    events = fetch(f"{server}/download/events.json?program=GB-HR&type=listed")
    assert 'filename="gb-hr-listed-events.json"' in events.headers["content-disposition"]


def test_json_and_html_are_compressed(server: str) -> None:
    for path in ("/api/designations?program=GB-HR", "/designations?program=GB-HR"):
        answer = raw(server + path, {"Accept-Encoding": "gzip"})
        assert answer.getheader("content-encoding") == "gzip", path
        assert gzip.decompress(answer.read())


def test_the_person_page_shows_no_role_without_evidence(server: str, store: Path) -> None:
    """Bastrykin chairs the Investigative Committee, a state body: no business person; and
    every role a listing of his carries has its evidence beside it."""
    person = person_of(store, BASTRYKIN)
    api = fetch(f"{server}/api/persons/{person}").json()
    roles = {label for kind, label, _ in api["evidence"] if kind == "role"}
    assert "business person" not in roles
    for listing in api["listings"]:
        shown = listing.get("roles") or []
        evidence = listing.get("role_evidence") or []
        assert len(evidence) == len(shown), listing["source"]
        for role, said in zip(shown, evidence, strict=True):
            assert said.strip() and ": " in said, (role, said)
    page = fetch(f"{server}/persons/{person}").text
    assert "business person" not in page.lower() and "business_person" not in page.lower()


def test_search_results_show_every_column_and_say_when_no_country_is_given(server: str) -> None:
    """Bastrykin's lists give no country field: the cell says so, never stays empty;
    Salameh's give Lebanon. Every row has jurisdictions, programs and a first listing."""
    page = fetch(f"{server}/search?q=bastrikin").text
    rows = page.split('id="results"')[1].split("<tbody>")[1].split("</tbody>")[0].split("<tr>")[1:]
    first = rows[0].split("<td>")
    assert "BASTRYKIN" in first[1]
    assert "not given on the lists" in first[5]
    assert "Canada" in first[3] and "EU-HR" in first[4] and "2017-11-03" in first[6]
    salameh = fetch(f"{server}/search?q=salameh+riad").text
    cells = salameh.split('id="results"')[1].split("<tbody>")[1].split("<tr>")[1].split("<td>")
    assert "Lebanon" in cells[5] and "not given" not in cells[5]
    for row in rows:
        cells = row.split("<td>")
        assert all(cell.split("</td>")[0].strip() for cell in cells[1:]), row


def test_the_year_shows_the_new_precedents_of_each_jurisdiction(server: str) -> None:
    """From analysis/precedents.py over each jurisdiction's Magnitsky-style programs: the
    EU's first person of Sudan under them (M-Invest, 25 Feb 2023) and its first business
    person (Potepkin, the director of Meroe Gold); every one dated in 2023 or said to be
    possibly set before."""
    glance = fetch(f"{server}/api/year/2023").json()
    sides = {j["jurisdiction"]: j["precedents"] for j in glance["jurisdictions"]}
    assert sides["EU"] and sides["US"] and sides["AU"]
    eu = {(p["kind"], p["value"]): p["name"] for p in sides["EU"]}
    assert eu[("country", "SD")] == "M-Invest"
    assert "POTEPKIN" in eu[("role", "business person")]
    for found in sides.values():
        for p in found:
            assert p["date"][:4] == "2023" or p["in_year"] == "possible", p
            assert p["evidence"], p
    page = fetch(f"{server}/year/2023").text
    eu_row = page.split('data-jurisdiction="EU"')[1].split("</tr>")[0]
    assert "M-Invest" in eu_row and "business person" in eu_row
