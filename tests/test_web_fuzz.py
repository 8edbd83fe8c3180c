"""The web server under malformed requests: every route with bad dates and numbers, huge
page sizes, unknown parameters, very long query strings and path traversal answers
without a 5xx and without a traceback; writes without the token are refused; a judgement
of a listing that does not exist is a 404."""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.routing import Route

from magnitsky.web.app import routes
from tests.web_fixtures import TOKEN, copy_store, fetch, running, settings

BAD_VALUES = [
    "2024-13-45",
    "yesterday",
    "-1",
    "0",
    "99999999999999999999999",
    "1e309",
    "NaN",
    "%00",
    "'; DROP TABLE designations; --",
    "<script>alert(1)</script>",
    "../../etc/passwd",
    "x" * 5000,
]
PARAMS = [
    "page",
    "page_size",
    "limit",
    "offset",
    "year",
    "year_end",
    "average_years",
    "listed_from",
    "listed_to",
    "since",
    "until",
    "program",
    "country",
    "basis",
    "sort",
    "schema",
    "format",
    "q",
    "unknown_parameter",
]
PATHS = [
    # every GET route without a path parameter, as the application declares them
    *(
        r.path
        for r in routes()
        if isinstance(r, Route) and "{" not in r.path and "GET" in (r.methods or ())
    ),
    # and the routes with one, given real and missing values
    "/persons/us-ofac-sdn/24809",
    "/api/persons/us-ofac-sdn/24809",
    "/persons/p-none",
    "/api/persons/p-none",
    "/download/designations.csv",
]
TRAVERSAL = [
    "/static/../../../../etc/passwd",
    "/static/%2e%2e/%2e%2e/pyproject.toml",
    "/download/..%2f..%2fpyproject.toml",
    "/download/%2e%2e%2fmagnitsky.duckdb",
    "/persons/us-ofac-sdn/..%2f..%2f..%2fetc%2fpasswd",
    "/api/persons/../../etc/passwd",
    "/%00",
    "/" + "a" * 10000,
]


@pytest.fixture(scope="module")
def server(built_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    store = copy_store(built_store, tmp_path_factory.mktemp("web-fuzz"))
    with running(store, settings(token=TOKEN)) as url:
        yield url


def _sound(url: str, method: str = "GET", headers: dict[str, str] | None = None) -> int:
    answer = fetch(url, method, headers)
    assert answer.status < 500, (url[:200], answer.status, answer.body[:300])
    body = answer.body.decode("utf-8", errors="replace")
    assert "Traceback" not in body and 'File "' not in body, url[:200]
    return answer.status


def test_the_fuzzed_paths_include_the_pages_and_the_api() -> None:
    assert {"/", "/designations", "/api/designations", "/api/events", "/docs"} <= set(PATHS)


def test_bad_parameters_on_every_route_are_never_a_5xx(server: str) -> None:
    for path in PATHS:
        for name in PARAMS:
            for value in BAD_VALUES[::6] if name not in ("page_size", "year") else BAD_VALUES[::2]:
                query = urllib.parse.urlencode({name: value})
                _sound(f"{server}{path}?{query}")


def test_huge_page_sizes_and_long_query_strings(server: str) -> None:
    for path in ("/api/designations", "/api/events", "/designations", "/events"):
        for size in ("1000000", "2147483648", "-5"):
            _sound(f"{server}{path}?page_size={size}&limit={size}")
        long = "&".join(f"p{n}={'v' * 50}" for n in range(300))
        _sound(f"{server}{path}?{long}")
        repeated = "&".join(f"program=US-GLOMAG{n}" for n in range(500))
        _sound(f"{server}{path}?{repeated}")


def test_path_traversal_finds_nothing(server: str) -> None:
    for path in TRAVERSAL:
        status = _sound(server + path)
        assert status in (400, 404, 405, 414), (path[:80], status)
        assert b"root:" not in fetch(server + path).body


def test_writes_without_the_token_are_refused(server: str) -> None:
    pair = "/api/matches/us-ofac-sdn:24809/gb-ofsi:12892/confirm"
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}):
        assert _sound(server + pair, "POST", headers) in (401, 403)
    for path in PATHS[:8]:
        assert _sound(server + path, "POST") in (401, 403, 404, 405)


def test_a_judgement_of_a_listing_that_does_not_exist_is_a_404(server: str) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    for pair in (
        "us-ofac-sdn:24809/ca-sema:nonexistent",
        "us-ofac-sdn:0000000/gb-ofsi:12892",
    ):
        answer = fetch(f"{server}/api/matches/{pair}/confirm", "POST", auth)
        assert answer.status == 404, (pair, answer.status, answer.text[:200])
        assert "no listing" in answer.text
