"""`magnitsky fetch` against a mirror of the official sites on loopback
(tests/official_sites.py): every source into the data folder's layout, conditional
requests, resuming an interrupted run, bad answers, the rate limit."""

from __future__ import annotations

import dataclasses
import itertools
import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from magnitsky.fetch import FetchResult, exit_code, fetch, summary
from magnitsky.settings import Settings
from tests.official_sites import Mirror, Reply, Server, build_mirror

ROOT = Path(__file__).resolve().parent.parent
WHEN = datetime(2026, 2, 20, 15, 0, tzinfo=UTC)
LATER = datetime(2026, 2, 21, 15, 0, tzinfo=UTC)
# What a full fetch of the mirror archives (the GLOMAG pages of the listing, the press
# releases they link, the notices and report of the API, the lists that pass their
# checks). The FCDO and EU FSF fixtures are too small for their lists' expectations.
ARCHIVED = [
    "au/dfat/regulation8_consolidated_2026-02-21.xlsx",  # already the 21st in Sydney
    "ca/sema/sema-lmes_2026-02-20.xml",
    "eu/reg-2020-1998-annex-i_2026-02-20.csv",
    "uk/ofsi/ConList_2026-02-20.xlsx",
    "us/federal_register/2019-10781.txt",
    "us/federal_register/2020-27433.txt",
    "us/ofac/changes/sdnnew23.txt",
    "us/ofac/recent_actions/20250730.html",
    "us/ofac/recent_actions/20250922.html",
    "us/ofac/recent_actions/20251212.html",
    "us/ofac/snapshots/sdn_2026-02-20.csv",
    "us/state/global_magnitsky_reports/2024-03532.txt",
    "us/treasury/press_releases/sb0211.html",
    "us/treasury/press_releases/sb0257.html",
]


@pytest.fixture(scope="module")
def mirror(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Mirror:
    return build_mirror(shared_data, tmp_path_factory.mktemp("mirror"))


@pytest.fixture()
def server(mirror: Mirror) -> Iterator[Server]:
    # A copy per test: tests change answers.
    running = Server(dataclasses.replace(mirror, routes=dict(mirror.routes)))
    yield running
    running.close()


def settings_for(server: Server, tmp_path: Path, **changes: object) -> Settings:
    base = Settings(
        db=tmp_path / "never-made.duckdb",
        data=None,
        archive=tmp_path / "unused",
        ofac_base_url="",
        max_loss=0.2,
        http_timeout=5.0,
        host_interval=0.0,
        retries=1,
        backoff=0.01,
    )
    return dataclasses.replace(server.settings(base), **changes)  # type: ignore[arg-type]


def run(
    server: Server,
    into: Path,
    when: datetime = WHEN,
    sources: list[str] | None = None,
    since: date | None = None,
    all_programs: bool = False,
    **changes: object,
) -> list[FetchResult]:
    settings = settings_for(server, into.parent, **changes)
    return fetch(
        settings,
        into,
        clock=lambda: when,
        sources=sources,
        since=since,
        all_programs=all_programs,
    )


def files_in(into: Path) -> list[str]:
    """Every file under `into` but the state file; temp files show in the assertion."""
    return sorted(
        str(p.relative_to(into))
        for p in into.rglob("*")
        if p.is_file() and p.name != ".fetch-state.json"
    )


def undated(files: list[str]) -> list[str]:
    """The names with the day of the download left out (a run of the CLI is dated today)."""
    return [re.sub(r"_\d{4}-\d{2}-\d{2}", "_DAY", f) for f in files]


def by_name(results: list[FetchResult]) -> dict[str, FetchResult]:
    return {f"{r.source} {r.name}": r for r in results}


def test_fetches_every_source_into_the_data_layout(server: Server, tmp_path: Path) -> None:
    into = tmp_path / "archive"
    results = run(server, into)

    assert files_in(into) == ARCHIVED
    found = by_name(results)
    assert found["us-ofac-sdn sdn.csv"].reason.endswith("entries")
    assert found["us-ofac-changes sdnnew23.txt"].status == "archived"
    # The current year's archive may not exist yet; a past year's must.
    assert found["us-ofac-changes sdnnew26.txt"].status == "absent"
    assert found["us-ofac-changes sdnnew22.txt"].status == "rejected"
    assert "expects at least 3000" in found["gb-fcdo UK-Sanctions-List.csv"].reason
    assert "expects at least 2000" in found["eu-fsf xmlFullSanctionsList_1_1/content"].reason
    assert found["us-federal-register state-report 2024-03532"].reason == (
        "report on 2023, 3 designations"
    )
    # Not a Global Magnitsky action: the listing's title says so.
    assert "us-ofac-recent 20251211" not in found
    assert exit_code(results) == 1
    lines = summary(results)
    assert "us-ofac-recent: 3 archived" in lines
    assert "14 new files archived" in lines
    # fetch never opens the store.
    assert not (tmp_path / "never-made.duckdb").exists()


def test_a_second_fetch_of_an_unchanged_server_archives_nothing(
    server: Server, tmp_path: Path
) -> None:
    into = tmp_path / "archive"
    run(server, into)
    before = {p: p.stat().st_mtime_ns for p in into.rglob("*") if p.is_file()}
    server.log.clear()

    results = run(server, into, when=LATER)

    assert files_in(into) == ARCHIVED
    assert {p: p.stat().st_mtime_ns for p in into.rglob("*") if p.is_file()} == before
    assert not [r for r in results if r.status == "archived"]
    assert "nothing new archived" in summary(results)[-2]
    # Lists are asked for conditionally and answered 304; documents are not asked again.
    assert [r.conditional for r in server.requests_to("/ofac-sls/sdn.csv")] == [True]
    assert by_name(results)["us-ofac-sdn sdn.csv"].reason == "not modified (HTTP 304)"
    assert server.requests_to("/ofac-site/recent-actions/") == []
    assert server.requests_to("/treasury/") == []
    assert server.requests_to("/federal-register/documents/") == []


def test_a_changed_server_archives_only_what_changed(server: Server, tmp_path: Path) -> None:
    into = tmp_path / "archive"
    run(server, into)
    routes = server.mirror.routes
    lines = routes["/ofac-sls/sdn.csv"].body.splitlines(keepends=True)
    routes["/ofac-sls/sdn.csv"] = Reply(b"".join(lines[:50] + lines[51:]), content_type="text/csv")
    canada = routes["/canada/sema-lmes.xml"].body
    routes["/canada/sema-lmes.xml"] = Reply(canada.replace(b"Air Bagan", b"Air Bagan Ltd", 1))

    results = run(server, into, when=LATER)

    archived = sorted(
        str(r.path.relative_to(into)) for r in results if r.status == "archived" and r.path
    )
    assert archived == ["ca/sema/sema-lmes_2026-02-21.xml", "us/ofac/snapshots/sdn_2026-02-21.csv"]
    assert files_in(into) == sorted([*ARCHIVED, *archived])


def test_an_interrupted_fetch_resumes_without_duplicates(server: Server, tmp_path: Path) -> None:
    into = tmp_path / "archive"
    # The second press release hangs: the run is killed there, as by a power cut.
    hanging = "/treasury/news/press-releases/sb0257"
    good = server.mirror.routes[hanging]
    server.mirror.routes[hanging] = dataclasses.replace(good, stall=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAGNITSKY_")}
    env |= server.environment() | {"MAGNITSKY_FETCH_INTERVAL": "0", "MAGNITSKY_FETCH_RETRIES": "0"}
    command = [sys.executable, "-m", "magnitsky.cli", "fetch", "--into", str(into)]
    process = subprocess.Popen(command, cwd=tmp_path, env=env, stderr=subprocess.PIPE)
    try:
        assert server.stalled.wait(120), "the fetch never reached the hanging press release"
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(30)
    interrupted = files_in(into)
    assert "us/treasury/press_releases/sb0211.html" in interrupted
    assert "us/treasury/press_releases/sb0257.html" not in interrupted
    assert not [f for f in interrupted if f.endswith(".part")]
    server.mirror.routes[hanging] = good
    server.log.clear()

    again = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True)

    assert "sb0257: archived" in again.stderr
    assert undated(files_in(into)) == undated(ARCHIVED)
    # What the first run archived is not fetched again.
    assert server.requests_to("/treasury/news/press-releases/sb0211") == []
    assert server.requests_to("/ofac-site/recent-actions/2025") == []


SOURCE_OF = {
    "/canada/sema-lmes.xml": "ca-sema",
    "/dfat/regulation8_consolidated.xlsx": "au-dfat",
    "/ofac-downloads/sdnnew23.txt": "us-ofac-changes",
    "/ofac-sls/sdn.csv": "us-ofac-sdn",
    "/ofac-sls/sdn_advanced.xml": "us-ofac-sdn",
}


@pytest.mark.parametrize(
    ("path", "reply", "problem"),
    [
        ("/canada/sema-lmes.xml", Reply(b"oops", status=500), "HTTP 500"),
        (
            "/canada/sema-lmes.xml",
            Reply(b"<!DOCTYPE html><html><body>Down for maintenance</body></html>"),
            "an HTML page",
        ),
        (
            "/dfat/regulation8_consolidated.xlsx",
            Reply(b"PK\x03\x04" + b"x" * 50, extra_length=900),
            "truncated",
        ),
        (
            "/dfat/regulation8_consolidated.xlsx",
            Reply(b"Reference,Name\n1,x\n"),
            "does not start as",
        ),
        (
            "/ofac-downloads/sdnnew23.txt",
            Reply(b"<html><body>Not here</body></html>"),
            "an HTML page",
        ),
        ("/ofac-sls/sdn.csv", Reply(b"", content_type="text/csv"), "empty body"),
        (
            "/ofac-sls/sdn_advanced.xml",
            Reply(
                b'<?xml version="1.0"?>\n<!DOCTYPE Sanctions [<!ENTITY x SYSTEM'
                b' "file:///etc/passwd">]>\n<Sanctions>&x;</Sanctions>\n'
            ),
            "declares entities",
        ),
    ],
    ids=["500", "html-list", "truncated", "another-file", "html-changes", "empty", "entities"],
)
def test_a_bad_answer_is_reported_and_not_archived(
    server: Server, tmp_path: Path, path: str, reply: Reply, problem: str
) -> None:
    server.mirror.routes[path] = reply
    into = tmp_path / "archive"
    results = run(server, into, sources=[SOURCE_OF[path]])

    bad = [r for r in results if r.url.endswith(path)]
    assert [r.status for r in bad] == ["rejected"]
    assert problem in bad[0].reason
    assert [f for f in files_in(into) if Path(f).stem.startswith(Path(path).stem)] == []
    assert "REJECTED" in bad[0].describe()


def test_a_server_error_is_retried_with_backoff(server: Server, tmp_path: Path) -> None:
    path = "/canada/sema-lmes.xml"
    server.once[path] = [Reply(b"busy", status=503), Reply(b"busy", status=503)]
    into = tmp_path / "archive"

    result = by_name(run(server, into, sources=["ca-sema"], retries=2))["ca-sema sema-lmes.xml"]

    assert result.status == "archived"
    assert len(server.requests_to(path)) == 3


def test_a_redirect_is_followed(server: Server, tmp_path: Path) -> None:
    routes = server.mirror.routes
    routes["/ofac-downloads/moved/sdnnew23.txt"] = routes["/ofac-downloads/sdnnew23.txt"]
    routes["/ofac-downloads/sdnnew23.txt"] = Reply(
        status=301, location=f"{server.url}/ofac-downloads/moved/sdnnew23.txt"
    )
    into = tmp_path / "archive"
    results = by_name(run(server, into, sources=["us-ofac-changes"]))
    assert results["us-ofac-changes sdnnew23.txt"].status == "archived"
    assert files_in(into) == ["us/ofac/changes/sdnnew23.txt"]


def test_the_rate_limit_spaces_requests_to_one_host(server: Server, tmp_path: Path) -> None:
    interval = 0.3
    run(server, tmp_path / "archive", sources=["us-ofac-recent"], host_interval=interval)
    times = [r.at for r in server.log]
    assert len(times) >= 4  # two listing pages, three action pages
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert min(gaps) >= interval * 0.9


def test_since_and_all_programs_choose_the_actions(server: Server, tmp_path: Path) -> None:
    into = tmp_path / "archive"
    run(server, into, sources=["us-ofac-recent"], since=date(2025, 9, 1), all_programs=True)
    assert files_in(into) == [
        "us/ofac/recent_actions/20250922.html",
        "us/ofac/recent_actions/20251211.html",
        "us/ofac/recent_actions/20251212.html",
    ]


def test_the_federal_register_search_keeps_what_its_readers_read(
    server: Server, tmp_path: Path
) -> None:
    into = tmp_path / "archive"
    results = run(server, into, sources=["us-federal-register"], since=date(2020, 1, 1))
    assert files_in(into) == [
        "us/federal_register/2020-27433.txt",
        "us/state/global_magnitsky_reports/2024-03532.txt",
    ]
    assert all(r.status == "archived" for r in results)
    # A document the API lists that is not the notice its search is for is rejected.
    number = "2020-27433"
    text = f"/federal-register/documents/full_text/text/2020/12/14/{number}.txt"
    server.mirror.routes[text] = Reply(b"[Federal Register Volume 85]\nA rule on fisheries.\n")
    (into / f"us/federal_register/{number}.txt").unlink()
    again = by_name(run(server, into, sources=["us-federal-register"]))
    assert again[f"us-federal-register ofac-notice {number}"].status == "rejected"
    assert not (into / f"us/federal_register/{number}.txt").exists()


def test_the_cli_refuses_an_unknown_source(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "magnitsky.cli",
            "fetch",
            "--source",
            "xx-none",
            "--into",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    assert "unknown source 'xx-none'" in done.stderr


def _actions_of(store_path: Path, archive: Path) -> tuple[int, int, int]:
    """Build the archive's documents into the store; (documents, actions, distinct)."""
    from magnitsky import build, settings
    from magnitsky.store import open_store

    with open_store(store_path) as store:
        build.build(store, settings.load(), archive)
        return (
            int(store.scalar("SELECT count(*) FROM documents WHERE source = 'us-ofac-changes'")),
            int(store.scalar("SELECT count(*) FROM actions WHERE source = 'us-ofac-changes'")),
            int(
                store.scalar(
                    "SELECT count(*) FROM (SELECT DISTINCT action_date, action, name, tags, text"
                    " FROM actions WHERE source = 'us-ofac-changes')"
                )
            ),
        )


def test_a_grown_current_year_archive_stores_only_its_new_actions(
    server: Server, shared_data: Path, tmp_path: Path
) -> None:
    """The current year's change archive grows with each action; each fetched version is a
    new document, but its actions are stored once."""
    from magnitsky.readers import ofac_changes

    path = "/ofac-downloads/sdnnew23.txt"
    full = server.mirror.routes[path].body
    cut = full.index(b"\r\n12/20/23:") + 2  # the archive as it stood before 20 December
    server.mirror.routes[path] = Reply(full[:cut], content_type="text/plain")
    december = datetime(2023, 12, 19, 15, 0, tzinfo=UTC)
    archive, db = tmp_path / "archive", tmp_path / "store.duckdb"
    first = by_name(run(server, archive, december, sources=["us-ofac-changes"]))
    assert first["us-ofac-changes sdnnew23.txt"].status == "archived"
    documents, stored, distinct = _actions_of(db, archive)
    early = len(ofac_changes.read(archive / "us/ofac/changes/sdnnew23.txt"))
    assert (documents, stored) == (1, early)

    server.mirror.routes[path] = Reply(full, content_type="text/plain")
    again = by_name(run(server, archive, december + timedelta(days=10), ["us-ofac-changes"]))
    assert again["us-ofac-changes sdnnew23.txt"].status == "archived"  # replaced, grown
    whole = ofac_changes.read(archive / "us/ofac/changes/sdnnew23.txt")
    assert len(whole) > early
    documents, stored, distinct_after = _actions_of(db, archive)
    assert documents == 2  # both versions are on record
    assert stored == len(whole)  # every action once: the first version's not again
    assert distinct_after - distinct == stored - early


def test_a_past_year_archive_fetched_during_its_year_is_fetched_again(
    server: Server, tmp_path: Path
) -> None:
    """Past years' archives are fetched once, but a copy taken while the year was running
    is not the whole year: it is asked for again once the year is over, then no more."""
    archive = tmp_path / "archive"
    during = datetime(2023, 12, 19, 15, 0, tzinfo=UTC)
    run(server, archive, during, sources=["us-ofac-changes"])
    asked = len(server.requests_to("/ofac-downloads/sdnnew23.txt"))
    run(server, archive, WHEN, sources=["us-ofac-changes"])
    assert len(server.requests_to("/ofac-downloads/sdnnew23.txt")) == asked + 1
    run(server, archive, LATER, sources=["us-ofac-changes"])
    assert len(server.requests_to("/ofac-downloads/sdnnew23.txt")) == asked + 1


def test_a_list_cut_at_a_line_break_is_rejected_by_its_missing_end_byte(
    server: Server, tmp_path: Path
) -> None:
    """OFAC's sdn.csv ends with an end-of-file byte; a copy cut exactly at a line break has
    whole lines and loses few entries (under MAGNITSKY_MAX_LOSS), but not that byte."""
    path = "/ofac-sls/sdn.csv"
    whole = server.mirror.routes[path].body
    assert whole.endswith(b"\r\n\x1a")
    archive = tmp_path / "archive"
    assert by_name(run(server, archive, sources=["us-ofac-sdn"]))["us-ofac-sdn sdn.csv"].ok
    lines = whole.splitlines(keepends=True)
    cut = b"".join(lines[: len(lines) - 20])  # 19 entries and the end byte lost
    server.mirror.routes[path] = Reply(cut, content_type="text/csv")
    result = by_name(run(server, archive, LATER, sources=["us-ofac-sdn"]))["us-ofac-sdn sdn.csv"]
    assert result.status == "rejected"
    assert "end-of-file byte" in result.reason
    # The same list, one entry fewer but whole, is a change, not a cut.
    server.mirror.routes[path] = Reply(b"".join(lines[1:]), content_type="text/csv")
    result = by_name(run(server, archive, LATER, sources=["us-ofac-sdn"]))["us-ofac-sdn sdn.csv"]
    assert result.status == "archived"
