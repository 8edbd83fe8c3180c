"""The JSON API of the web server, over the real store on a real server on loopback: every
endpoint gives what the command line gives, with the same field names; bad input is a 4xx
with a message and never a stack trace; writing needs the token; every answer carries the
security headers."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from magnitsky.web import fields, openapi
from magnitsky.web.app import create_app
from magnitsky.web.headers import HEADERS, SVG_POLICY
from magnitsky.web.routes import events as events_route
from magnitsky.web.routes import multilateral as multilateral_route
from magnitsky.web.routes import precedents as precedents_route
from magnitsky.web.selection import spec as designation_spec
from tests.test_cli import magnitsky
from tests.web_fixtures import (
    TOKEN,
    copy_store,
    fetch,
    running,
    serving,
    settings,
    with_one_match,
)


@pytest.fixture(scope="module")
def store(built_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_store(built_store, tmp_path_factory.mktemp("web-api"))


@pytest.fixture(scope="module")
def server(store: Path) -> Iterator[str]:
    with running(store, settings()) as url:
        yield url


def cli_json(store: Path, *args: str) -> list[dict[str, object]]:
    done = magnitsky(store, *args, "--format", "json")
    assert done.returncode == 0, done.stderr
    rows: list[dict[str, object]] = json.loads(done.stdout)
    return rows


def api(server: str, path: str) -> dict[str, object] | list[dict[str, object]]:
    answer = fetch(server + path)
    assert answer.status == 200, (path, answer.text)
    assert answer.headers["content-type"] == "application/json"
    found: dict[str, object] | list[dict[str, object]] = answer.json()
    return found


# the listings: what the CLI gives


def test_designations_with_filters_are_the_clis_rows_with_the_list_added(
    server: str, store: Path
) -> None:
    page = api(server, "/api/designations?program=US-GLOMAG&basis=ties&country=RU&per_page=500")
    assert isinstance(page, dict)
    expected = cli_json(
        store, "designations", "--program", "US-GLOMAG", "--basis", "ties", "--country", "RU"
    )
    rows = page["rows"]
    assert isinstance(rows, list) and rows and page["total"] == len(expected) == len(rows)
    assert list(rows[0]) == list(fields.DESIGNATIONS)
    assert [{k: v for k, v in r.items() if k != "source"} for r in rows] == expected
    assert {r["source"] for r in rows} == {"us-ofac-sdn"}


def test_designations_are_paged_and_the_next_page_follows(server: str) -> None:
    first = api(server, "/api/designations?program=US-GLOMAG&per_page=100")
    assert isinstance(first, dict)
    # 706: the 705 of before, +2 on no snapshot (text_only), -1 duplicate entry
    assert (first["total"], first["pages"], len(first["rows"])) == (706, 8, 100)  # type: ignore[arg-type]
    second = api(server, str(first["next"]))
    assert isinstance(second, dict) and second["page"] == 2
    names = {r["source_id"] for r in first["rows"]} | {r["source_id"] for r in second["rows"]}  # type: ignore[union-attr,index]
    assert len(names) == 200
    last = api(server, "/api/designations?program=US-GLOMAG&per_page=100&page=8")
    assert isinstance(last, dict) and len(last["rows"]) == 6 and last["next"] is None  # type: ignore[arg-type]
    beyond = api(server, "/api/designations?program=US-GLOMAG&per_page=100&page=9")
    assert isinstance(beyond, dict) and beyond["rows"] == []


def test_a_year_takes_every_designation_that_may_fall_in_it(server: str) -> None:
    """year=Y gives the "at most" of the yearly counts: persons, vessels and aircraft."""
    yearly = api(server, "/api/stats/yearly?program=US-GLOMAG")
    assert isinstance(yearly, list)
    for year in (2019, 2023):
        row = next(r for r in yearly if r["year"] == year)
        most = sum(row[f"{m}_max"] for m in ("persons", "vessels", "aircraft"))  # type: ignore[misc]
        page = api(server, f"/api/designations?program=US-GLOMAG&year={year}&per_page=1")
        assert isinstance(page, dict) and page["total"] == most, year
    # the at least: listed_from/listed_to, the CLI's bounds
    row = next(r for r in yearly if r["year"] == 2019)
    least = api(
        server,
        "/api/designations?program=US-GLOMAG&schema=Person&listed_from=2019-01-01"
        "&listed_to=2019-12-31&per_page=1",
    )
    assert isinstance(least, dict) and least["total"] == row["individuals_min"]


def test_designations_filter_by_jurisdiction_role_quality_and_name_and_sort(server: str) -> None:
    page = api(server, "/api/designations?jurisdiction=GB&program=GB-HR&per_page=500")
    assert isinstance(page, dict) and page["total"] == 143
    judges = api(server, "/api/designations?program=US-GLOMAG&role=judge&per_page=500")
    assert isinstance(judges, dict) and judges["total"] >= 1
    assert all("judge" in r["roles"] for r in judges["rows"])  # type: ignore[union-attr,index]
    exact = api(server, "/api/designations?program=US-GLOMAG&date_quality=exact&per_page=500")
    assert isinstance(exact, dict) and exact["total"] == 113  # 112 + the 99th LID (sm460)
    named = api(server, "/api/designations?name=maduro&per_page=500")
    assert isinstance(named, dict) and named["total"] >= 1
    assert any("MADURO" in str(r["name"]).upper() for r in named["rows"])  # type: ignore[union-attr]
    by_name = api(server, "/api/designations?program=GB-HR&sort=name&per_page=500")
    assert isinstance(by_name, dict)
    names = [r["name"].casefold() for r in by_name["rows"]]  # type: ignore[union-attr,index]
    assert names == sorted(names)
    latest = api(server, "/api/designations?program=GB-HR&sort=-listed&per_page=500")
    assert isinstance(latest, dict)
    days = [r["listed_not_after"] for r in latest["rows"]]  # type: ignore[union-attr,index]
    assert days == sorted(days, reverse=True)


def test_events_are_the_clis(server: str, store: Path) -> None:
    page = api(server, "/api/events?program=GB-HR&type=listed&per_page=500")
    assert isinstance(page, dict)
    expected = cli_json(store, "events", "--program", "GB-HR", "--type", "listed")
    assert page["total"] == len(expected)
    assert page["rows"] == expected
    since = api(server, "/api/events?program=GB-HR&since=2024-01-01&until=2024-12-31")
    assert isinstance(since, dict)
    expected = cli_json(
        store, "events", "--program", "GB-HR", "--since", "2024-01-01", "--until", "2024-12-31"
    )
    assert since["total"] == len(expected)
    one = api(server, "/api/events?source=gb-ofsi&source_id=12892")
    assert isinstance(one, dict) and one["total"] >= 1
    assert {r["source_id"] for r in one["rows"]} == {"12892"}  # type: ignore[union-attr,index]


def test_stats_yearly_is_the_clis(server: str, store: Path) -> None:
    found = api(server, "/api/stats/yearly?program=US-GLOMAG&year_end=12-05&average_years=3")
    expected = cli_json(
        store,
        "stats",
        "yearly",
        "--program",
        "US-GLOMAG",
        "--year-end",
        "12-05",
        "--average-years",
        "3",
    )
    assert found == expected


def test_precedents_are_the_clis_with_the_list_added(server: str, store: Path) -> None:
    found = api(server, "/api/precedents?program=US-GLOMAG&kind=role")
    expected = cli_json(store, "precedents", "--program", "US-GLOMAG", "--kind", "role")
    assert isinstance(found, list) and found
    assert [{k: v for k, v in r.items() if k != "source"} for r in found] == expected
    assert {r["source"] for r in found} == {"us-ofac-sdn"}


def test_a_listing_has_its_names_dates_evidence_events_and_facts(server: str) -> None:
    found = api(server, "/api/persons/us-ofac-sdn/24809")
    assert isinstance(found, dict)
    assert found["name"] == "THURA SAN LWIN" and found["schema"] == "Person"
    listing = found["listings"][0]  # type: ignore[index]
    assert listing["program"] == "US-GLOMAG" and listing["basis"] == "human_rights"
    assert listing["basis_evidence"] and listing["date_source"] and listing["role_evidence"]
    assert set(fields.LISTING_DETAIL) <= set(listing)
    assert found["events"] and found["facts"]
    assert {f["kind"] for f in found["facts"]} >= {"basis"}  # type: ignore[union-attr,index]
    assert "the cross-list matching has not been" in str(found["matching"])
    # a source id with slashes and spaces
    path = "/api/persons/ca-sema/" + quote("Extremist Settler Violence/1/1/1")
    other = api(server, path)
    assert isinstance(other, dict) and other["source_id"] == "Extremist Settler Violence/1/1/1"


def test_before_the_matching_is_built_persons_and_multilateral_say_so(server: str) -> None:
    for path in ("/api/persons/p-1", "/api/multilateral", "/download/multilateral.csv"):
        answer = fetch(server + path)
        assert answer.status == 404, path
        assert "the cross-list matching has not been" in answer.json()["error"]
    chart = fetch(server + "/charts/multilateral.svg")
    assert chart.status == 404 and "the cross-list matching has not been" in chart.text
    page = fetch(server + "/multilateral")
    assert page.status == 200 and "the cross-list matching has not been" in page.text


# downloads: the CLI's --format csv / json


def test_downloads_are_the_clis_csv_and_json(server: str, store: Path) -> None:
    answer = fetch(server + "/download/designations.csv?program=GB-HR")
    assert answer.status == 200 and answer.headers["content-type"].startswith("text/csv")
    assert "attachment" in answer.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(answer.text)))
    done = magnitsky(store, "designations", "--program", "GB-HR", "--format", "csv")
    expected = list(csv.reader(io.StringIO(done.stdout)))
    assert rows[0] == list(fields.DESIGNATIONS)
    assert [r[:-1] for r in rows] == expected
    answer = fetch(server + "/download/events.json?program=GB-HR&type=delisted")
    expected_events = cli_json(store, "events", "--program", "GB-HR", "--type", "delisted")
    assert answer.json() == expected_events
    for name in (
        "yearly.csv?program=US-GLOMAG",
        "precedents.json?program=GB-HR",
        "snapshots.csv",
        "actions.json",
        "conflicts.csv",
    ):
        assert fetch(server + "/download/" + name).status == 200, name


# bad input: a 4xx with a message, never a 500 or a stack trace

BAD = [
    ("/api/designations?bogus=1", 400, "unknown parameter 'bogus'"),
    ("/api/designations?program=US-GLOMAG&program=GB-HR", 400, "given 2 times"),
    ("/api/designations?program=NOPE", 400, "parameter 'program'"),
    ("/api/designations?year=abc", 400, "whole number"),
    ("/api/designations?year=99999", 400, "from 1900 to 2100"),
    ("/api/designations?year_end=12-05", 400, "needs 'year'"),
    ("/api/designations?year=2023&year_end=02-29", 400, "MM-DD"),
    ("/api/designations?listed_from=2023-02-30", 400, "not a real day"),
    ("/api/designations?listed_to=yesterday", 400, "YYYY-MM-DD"),
    ("/api/designations?basis=evil", 400, "expected one of"),
    ("/api/designations?country=Atlantis", 400, "not a known country"),
    ("/api/designations?per_page=0", 400, "from 1 to 500"),
    ("/api/designations?per_page=100000", 400, "from 1 to 500"),
    ("/api/designations?page=-1", 400, "whole number"),
    ("/api/designations?sort=%3Bdrop%20table%20designations", 400, "parameter 'sort'"),
    ("/api/designations?name=%00x", 400, "control characters"),
    ("/api/designations?name=" + "x" * 300, 400, "longer than"),
    ("/api/designations?program=%27%20OR%201%3D1--", 400, "parameter 'program'"),
    ("/api/events?type=exploded", 400, "parameter 'type'"),
    ("/api/events?since=2023-13-01", 400, "not a real day"),
    ("/api/events?source=nowhere", 400, "parameter 'source'"),
    ("/api/stats/yearly", 400, "'program' is required"),
    ("/api/stats/yearly?program=US-GLOMAG&average_years=0", 400, "from 1 to 50"),
    ("/api/precedents?program=US-GLOMAG&kind=villain", 400, "parameter 'kind'"),
    ("/api/precedents", 400, "'program' is required"),
    ("/api/persons/nowhere/1", 404, "no list named"),
    ("/api/persons/us-ofac-sdn/0000000", 404, "no entry"),
    ("/api/nothing", 404, "nothing at"),
    ("/download/designations.xml", 404, "no download"),
    ("/download/secrets.csv", 404, "no download"),
    ("/download/designations.csv?page=2", 400, "whole selection"),
    ("/api/multilateral?x=1", 400, "unknown parameter"),
    ("/api/multilateral?view=secrets", 400, "parameter 'view'"),
    ("/api/multilateral?programs=US-GLOMAG,NOPE", 400, "no program 'NOPE'"),
    ("/api/multilateral?allies_any_program=maybe", 400, "true or false"),
    ("/openapi.json?x=1", 400, "unknown parameter"),
    ("/api/designations?" + "&".join(f"a{i}=1" for i in range(800)), 414, "too long"),
]


@pytest.mark.parametrize(("path", "status", "message"), BAD)
def test_bad_input_is_a_4xx_json_with_a_message(
    server: str, path: str, status: int, message: str
) -> None:
    answer = fetch(server + path)
    assert answer.status == status, answer.text
    assert answer.headers["content-type"] == "application/json"
    body = answer.json()
    assert message in body["error"] and body["status"] == status
    assert "Traceback" not in answer.text and 'File "' not in answer.text


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/designations?year=abc", 400),
        ("/persons/us-ofac-sdn/0000000", 404),
        ("/nowhere", 404),
        ("/precedents?program=NOPE", 400),
        ("/static/../pyproject.toml", 404),
        ("/static/nothing.js", 404),
    ],
)
def test_bad_input_on_a_page_is_an_html_page_with_a_message(
    server: str, path: str, status: int
) -> None:
    answer = fetch(server + path)
    assert answer.status == status
    assert answer.headers["content-type"].startswith("text/html")
    assert "Traceback" not in answer.text
    if status == 400:
        assert 'role="alert"' in answer.text and "parameter" in answer.text


def test_a_method_not_allowed_is_a_405_and_a_body_is_refused(server: str) -> None:
    assert fetch(server + "/api/designations", "POST").status == 405
    assert fetch(server + "/api/designations", "DELETE").status == 405
    assert fetch(server + "/api/designations", "HEAD").status == 200


def test_an_unexpected_error_is_a_500_without_a_stack_trace(store: Path) -> None:
    app = create_app(store, settings(warm="none"))

    async def broken(request: Request) -> Response:
        raise RuntimeError("secret internals")

    app.router.routes.insert(0, Route("/api/broken", broken))
    app.router.routes.insert(0, Route("/broken", broken))
    with serving(app) as url:
        answer = fetch(url + "/api/broken")
        assert answer.status == 500
        assert answer.json()["error"].startswith("the server could not answer")
        assert "secret internals" not in answer.text and "Traceback" not in answer.text
        page = fetch(url + "/broken")
        assert page.status == 500 and "secret internals" not in page.text
        assert page.headers["content-type"].startswith("text/html")


# security headers


def test_every_answer_carries_the_security_headers(server: str) -> None:
    for path in (
        "/",
        "/api/designations?per_page=1",
        "/static/style.css",
        "/nowhere",
        "/api/designations?year=x",
        "/download/snapshots.csv",
        "/docs",
    ):
        answer = fetch(server + path)
        for name, value in HEADERS.items():
            assert answer.headers[name.lower()] == value, (path, name)
    assert "frame-ancestors 'none'" in HEADERS["Content-Security-Policy"]
    chart = fetch(server + "/charts/yearly.svg?program=US-GLOMAG")
    assert chart.status == 200 and chart.headers["content-type"] == "image/svg+xml"
    assert chart.headers["content-security-policy"] == SVG_POLICY
    assert "<script" not in chart.text and "<svg" in chart.text


# the OpenAPI description holds to the endpoints


def test_the_openapi_description_documents_exactly_the_parameters_each_endpoint_takes(
    server: str, store: Path
) -> None:
    described = api(server, "/openapi.json")
    assert isinstance(described, dict) and described["openapi"] == "3.1.0"
    paths = described["paths"]
    assert isinstance(paths, dict)
    web = create_app(store, settings(warm="none")).state.catalogue

    def documented(path: str) -> list[str]:
        return [p["name"] for p in paths[path]["get"]["parameters"] if p["in"] == "query"]

    assert documented("/api/designations") == list(designation_spec(web, 500))
    assert documented("/api/events") == list(events_route.spec(web, 500))
    assert documented("/api/precedents") == list(precedents_route.spec(web))
    assert documented("/api/stats/yearly") == ["program", "year_end", "average_years"]
    assert documented("/api/multilateral") == list(multilateral_route.spec(web))
    web.close()
    assert {e["path"] for e in openapi.ENDPOINTS} == set(paths)
    docs = fetch(server + "/docs")
    assert docs.status == 200
    for path in paths:
        assert path in docs.text
    for endpoint in openapi.ENDPOINTS:
        if endpoint.get("example"):
            assert fetch(server + endpoint["example"]).status == 200, endpoint["example"]


# writing: the token rule

PAIR = "/api/matches/us-ofac-sdn:24809/gb-ofsi:12892/confirm"


def test_without_a_token_setting_every_write_is_refused(server: str) -> None:
    for headers in ({}, {"Authorization": f"Bearer {TOKEN}"}):
        answer = fetch(server + PAIR, "POST", headers)
        assert answer.status == 403
        assert "MAGNITSKY_WEB_TOKEN" in answer.json()["error"]


def test_with_a_token_a_write_needs_it_and_then_the_matching(
    built_store: Path, tmp_path: Path
) -> None:
    db = copy_store(built_store, tmp_path)
    with running(db, settings(token=TOKEN, warm="none")) as url:
        missing = fetch(url + PAIR, "POST")
        assert missing.status == 401 and "Bearer" in missing.headers["www-authenticate"]
        wrong = fetch(url + PAIR, "POST", {"Authorization": "Bearer not-the-token-at-all"})
        assert wrong.status == 401 and "not the server's" in wrong.json()["error"]
        basic = fetch(url + PAIR, "POST", {"Authorization": f"Basic {TOKEN}"})
        assert basic.status == 401
        right = fetch(url + PAIR, "POST", {"Authorization": f"Bearer {TOKEN}"})
        assert right.status == 503 and "matching has not been" in right.json()["error"]
        bad = fetch(
            url + "/api/matches/us-ofac-sdn:1/gb-ofsi:2/maybe",
            "POST",
            {"Authorization": f"Bearer {TOKEN}"},
        )
        assert bad.status == 404
        same = fetch(
            url + "/api/matches/gb-ofsi:2/gb-ofsi:2/reject",
            "POST",
            {"Authorization": f"Bearer {TOKEN}"},
        )
        assert same.status == 400
        assert fetch(url + PAIR, "GET").status == 405


def multilateral_cli(db: Path, view: str) -> list[dict[str, object]]:
    """``magnitsky multilateral --view VIEW --format json``, registered as the CLI does."""
    code = (
        "import sys; from magnitsky.cli import cli, main;"
        " from magnitsky.cli_multilateral import multilateral_command;"
        " cli.add_command(multilateral_command); main(sys.argv[1:])"
    )
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            code,
            "--db",
            str(db),
            "multilateral",
            "--view",
            view,
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    rows: list[dict[str, object]] = json.loads(done.stdout)
    return rows


def test_once_the_matching_is_built_persons_matches_and_judgements_work(
    built_store: Path, tmp_path: Path
) -> None:
    db = copy_store(built_store, tmp_path)
    with_one_match(db)
    bearer = {"Authorization": f"Bearer {TOKEN}"}
    expected = {
        view: multilateral_cli(db, view) for view in ("persons", "overlaps", "combinations")
    }
    with running(db, settings(token=TOKEN, warm="none")) as url:
        for view, rows in expected.items():
            assert fetch(url + f"/api/multilateral?view={view}").json() == rows, view
        person = fetch(url + "/api/persons/p-test").json()
        assert person["person_id"] == "p-test" and person["jurisdictions"] == ["GB", "US"]
        assert {r["source"] for r in person["listings"]} == {"us-ofac-sdn", "gb-ofsi"}
        (pair,) = person["matches"]
        assert (pair["a"], pair["b"], pair["score"]) == ("gb-ofsi:12892", "us-ofac-sdn:24809", 0.9)
        assert pair["evidence"] == ["name_similarity (0.6 × 1.0): same name"]
        listing = fetch(url + "/api/persons/us-ofac-sdn/24809").json()
        assert listing["person_id"] == "p-test" and listing["matching"] is None
        assert [m["score"] for m in listing["matches"]] == [0.9]
        page = fetch(url + "/persons/us-ofac-sdn/24809")
        assert 'href="/persons/p-test"' in page.text
        page = fetch(url + "/persons/p-test")
        assert page.status == 200 and "THURA SAN LWIN" in page.text and 'id="judge"' in page.text
        rows = fetch(url + "/api/multilateral").json()
        assert {r["person_id"] for r in rows} == {"p-test"}
        assert {r["jurisdiction"] for r in rows} == {"GB", "US"}
        overlaps = fetch(url + "/api/multilateral?view=overlaps&programs=US-GLOMAG,GB-HR").json()
        assert [(o["a"], o["b"], o["both"]) for o in overlaps] == [("GB", "US", 1)]
        page = fetch(url + "/multilateral")
        assert page.status == 200 and 'href="/persons/p-test"' in page.text
        # the overlap chart: an image of its own, and the persons of each bar listed
        combos = expected["combinations"]
        assert ("GB + US", 1, ["p-test"]) in [
            (c["combination"], c["persons"], c["person_ids"]) for c in combos]
        assert 'id="chart-combinations" src="/charts/multilateral.svg?"' in page.text
        table = page.text[page.text.index('<table class="data" id="combinations">'):]
        table = table[: table.index("</table>")]
        assert table.count("<tr><td>") == len(combos)
        chart = fetch(url + "/charts/multilateral.svg")
        assert chart.status == 200 and chart.headers["content-security-policy"] == SVG_POLICY
        assert "GB (" in chart.text and "US (" in chart.text and "<script" not in chart.text
        assert fetch(url + "/download/multilateral.csv").status == 200
        for view in ("counts", "joint", "unilateral"):
            answer = fetch(url + f"/api/multilateral?view={view}&year_end=12-05&property=true")
            assert answer.status == 200, answer.text
        # a person's judgement: recorded, and the persons recomputed by the matching
        judged = fetch(url + "/api/matches/us-ofac-sdn:24809/gb-ofsi:12892/reject", "POST", bearer)
        assert judged.status == 200, judged.text
        assert judged.json() == {
            "a": "us-ofac-sdn:24809",
            "b": "gb-ofsi:12892",
            "verdict": "reject",
            "recorded": True,
        }
        listing = fetch(url + "/api/persons/us-ofac-sdn/24809").json()
        other = fetch(url + "/api/persons/gb-ofsi/12892").json()
        assert listing["person_id"] != other["person_id"]
        assert [m["judgement"] for m in listing["matches"]] == ["rejected"]
        # the address is durable: the id stays with one of the two, now a person of one list
        assert "p-test" in (listing["person_id"], other["person_id"])
        split = fetch(url + "/api/persons/p-test").json()
        assert len({r["source"] for r in split["listings"]}) == 1


@pytest.mark.parametrize(
    ("path", "shown"),
    [
        ("/", ""),
        ("/precedents?program=US-GLOMAG", ""),
        ("/multilateral", ""),
        ("/designations?program=US-GLOMAG", ""),
        ("/search?q=kadyrov", "kadyrov"),
    ],
)
def test_the_header_search_box_shows_only_a_search_s_own_words(
    server: str, path: str, shown: str
) -> None:
    """A page's own template values never leak into the header's search box (it showed
    'program=US-GLOMAG' on the precedents page, a function's text on the multilateral)."""
    import re

    answer = fetch(server + path)
    assert answer.status == 200
    box = re.search(r'<input[^>]*placeholder="a name in any order or script"[^>]*>', answer.text)
    assert box is not None
    value = re.search(r'value="([^"]*)"', box.group(0))
    assert value is not None and value.group(1) == shown
