"""`magnitsky fetch` against a real HTTP server on loopback, serving the real OFAC files.

Each scenario lives under its own path prefix (``/good/sdn.csv``, ``/html/sdn.csv`` …);
a test points ``ofac_base_url`` at the prefix it wants.
"""

from __future__ import annotations

import dataclasses
import socket
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from magnitsky.fetch import FetchResult, exit_code, fetch
from magnitsky.settings import Settings
from tests.official_sites import Mirror, Reply
from tests.official_sites import Server as MirrorServer

CSV_2022 = "us/ofac/snapshots/sdn_2022-01-31.csv"
CSV_2023 = "us/ofac/snapshots/sdn_2023-01-21.csv"
NS = "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/ADVANCED_XML"

# 2024-05-04 03:30 UTC is still 2024-05-03 in New York (EDT, UTC-4).
NIGHT = datetime(2024, 5, 4, 3, 30, 0, tzinfo=UTC)
LATER = datetime(2024, 5, 4, 3, 45, 7, tzinfo=UTC)


def advanced_xml(parties: int) -> bytes:
    rows = "".join(
        f'<DistinctParty FixedRef="{n}"><Comment/><Profile ID="{n}" PartySubTypeID="4"/>'
        f"</DistinctParty>\n"
        for n in range(1, parties + 1)
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?>\n<Sanctions xmlns="{NS}">\n'
        f"<DateOfIssue><Year>2024</Year></DateOfIssue>\n"
        f"<DistinctParties>\n{rows}</DistinctParties>\n</Sanctions>\n"
    ).encode()


XML = advanced_xml(200)
XML_CHANGED = advanced_xml(201)
HTML = (
    b"<!DOCTYPE html>\n<html><head><title>503</title></head><body>Service Unavailable</body></html>"
)
XHTML = (
    b'<?xml version="1.0"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
    b'"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n'
    b'<html xmlns="http://www.w3.org/1999/xhtml"><body><p>Maintenance</p></body></html>'
)


class Server(MirrorServer):
    """The mirror's server with one scenario per path prefix."""

    def __init__(self, mirror: Mirror | None = None) -> None:
        super().__init__(mirror or Mirror())

    def serve(self, scenario: str, csv: Reply, xml: Reply) -> str:
        self.mirror.routes[f"/{scenario}/sdn.csv"] = csv
        self.mirror.routes[f"/{scenario}/sdn_advanced.xml"] = xml
        return f"{self.url}/{scenario}"


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    running = Server()
    yield running
    running.close()


@pytest.fixture(scope="module")
def csv_2023(shared_data: Path) -> bytes:
    return (shared_data / CSV_2023).read_bytes()


def good_csv(data: bytes) -> Reply:
    return Reply(data, content_type="text/csv")


def good_xml(data: bytes = XML) -> Reply:
    return Reply(data, content_type="application/xml")


def settings_for(base_url: str, tmp_path: Path, **changes: object) -> Settings:
    base = Settings(
        db=tmp_path / "db.duckdb",
        data=None,
        archive=tmp_path / "unused-archive",
        ofac_base_url=base_url,
        max_loss=0.2,
        http_timeout=5.0,
        host_interval=0.0,
        retries=0,
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def run(base_url: str, into: Path, when: datetime = NIGHT, **changes: object) -> list[FetchResult]:
    settings = settings_for(base_url, into.parent, **changes)
    return fetch(settings, into, clock=lambda: when, sources=["us-ofac-sdn"])


def files_in(into: Path) -> list[str]:
    """Every file under `into` but the fetch state, temp files included, so a leftover
    shows in the assertion."""
    return sorted(
        str(p.relative_to(into))
        for p in into.rglob("*")
        if p.is_file() and p.name != ".fetch-state.json"
    )


def by_name(results: list[FetchResult]) -> dict[str, FetchResult]:
    return {r.name: r for r in results}


def test_archives_both_files_under_the_eastern_date(
    server: Server, tmp_path: Path, csv_2023: bytes
) -> None:
    url = server.serve("good", good_csv(csv_2023), good_xml())
    into = tmp_path / "archive"
    messages: list[str] = []
    results = fetch(
        settings_for(url, tmp_path),
        into,
        messages.append,
        clock=lambda: NIGHT,
        sources=["us-ofac-sdn"],
    )

    assert [(r.name, r.status) for r in results] == [
        ("sdn.csv", "archived"),
        ("sdn_advanced.xml", "archived"),
    ]
    assert files_in(into) == [
        "us/ofac/advanced/sdn_advanced_2024-05-03.xml",
        "us/ofac/snapshots/sdn_2024-05-03.csv",
    ]
    assert (into / "us/ofac/snapshots/sdn_2024-05-03.csv").read_bytes() == csv_2023
    assert (into / "us/ofac/advanced/sdn_advanced_2024-05-03.xml").read_bytes() == XML
    csv = by_name(results)["sdn.csv"]
    assert csv.url == f"{url}/sdn.csv"
    assert csv.path == into / "us/ofac/snapshots/sdn_2024-05-03.csv"
    assert csv.size == len(csv_2023)
    assert exit_code(results) == 0
    assert any("us-ofac-sdn: looking for files" in m for m in messages)
    assert any("[1/2] sdn.csv: archived" in m for m in messages)


def test_same_content_again_writes_nothing(server: Server, tmp_path: Path, csv_2023: bytes) -> None:
    url = server.serve("again", good_csv(csv_2023), good_xml())
    into = tmp_path / "archive"
    run(url, into)
    before = {p: p.stat().st_mtime_ns for p in into.rglob("*") if p.is_file()}

    results = run(url, into, when=LATER)

    assert [r.status for r in results] == ["unchanged", "unchanged"]
    assert by_name(results)["sdn.csv"].path == into / "us/ofac/snapshots/sdn_2024-05-03.csv"
    assert {p: p.stat().st_mtime_ns for p in into.rglob("*") if p.is_file()} == before
    assert exit_code(results) == 0


def test_a_change_the_same_day_is_kept_under_a_timestamped_name(
    server: Server, tmp_path: Path, shared_data: Path, csv_2023: bytes
) -> None:
    into = tmp_path / "archive"
    first = server.serve("day-1", good_csv((shared_data / CSV_2022).read_bytes()), good_xml())
    second = server.serve("day-2", good_csv(csv_2023), good_xml(XML_CHANGED))
    run(first, into)

    results = run(second, into, when=LATER)

    assert [r.status for r in results] == ["archived", "archived"]
    assert files_in(into) == [
        "us/ofac/advanced/sdn_advanced_2024-05-03.xml",
        "us/ofac/advanced/sdn_advanced_2024-05-03T234507.xml",
        "us/ofac/snapshots/sdn_2024-05-03.csv",
        "us/ofac/snapshots/sdn_2024-05-03T234507.csv",
    ]
    assert (into / "us/ofac/snapshots/sdn_2024-05-03T234507.csv").read_bytes() == csv_2023
    assert "sdn_2024-05-03.csv" in by_name(results)["sdn.csv"].reason

    # The same changed content once more is compared with the newest copy of the day.
    assert [r.status for r in run(second, into, when=LATER)] == ["unchanged", "unchanged"]
    # Back to the first content: a change back, which the archive must show.
    # (2022 has 21 % fewer entries than 2023: allow that, it is not what is tested here.)
    back = run(first, into, when=datetime(2024, 5, 4, 3, 50, 0, tzinfo=UTC), max_loss=0.5)
    assert by_name(back)["sdn.csv"].path == into / "us/ofac/snapshots/sdn_2024-05-03T235000.csv"


def test_a_new_eastern_day_gets_a_new_dated_file_only_when_changed(
    server: Server, tmp_path: Path, csv_2023: bytes, shared_data: Path
) -> None:
    url = server.serve("next-day", good_csv(csv_2023), good_xml())
    into = tmp_path / "archive"
    run(url, into)
    # 04:30 UTC is 00:30 in New York: the next Eastern day; the same content is no copy.
    next_day = datetime(2024, 5, 4, 4, 30, tzinfo=UTC)
    assert [r.status for r in run(url, into, when=next_day)] == ["unchanged", "unchanged"]
    lines = csv_2023.splitlines(keepends=True)
    one_less = b"".join(lines[:100] + lines[101:])
    changed = server.serve("next-day-changed", good_csv(one_less), good_xml(XML_CHANGED))
    results = run(changed, into, when=next_day)
    assert [r.status for r in results] == ["archived", "archived"]
    assert "us/ofac/snapshots/sdn_2024-05-04.csv" in files_in(into)


def cut_mid_row(data: bytes) -> bytes:
    """Cut in the middle of an entry's name, well inside the file."""
    middle = data.index(b"\n", len(data) // 2) + 1
    return data[: middle + 8]


def cut_in_last_column(data: bytes) -> bytes:
    """Cut inside the quoted Remarks of an entry: every column is there, the quote is open."""
    start = data.index(b',"DOB ', len(data) // 2)
    return data[: start + 6]


BAD_CSV = {
    "http-500": Reply(b"Internal Server Error", status=500, content_type="text/plain"),
    "http-404-page": Reply(HTML, status=404, content_type="text/html"),
    # The body decides, not the Content-Type: a maintenance page that claims to be CSV.
    "html-as-csv": Reply(HTML, content_type="text/csv"),
    "empty": Reply(b"", content_type="text/csv"),
    "only-eof-byte": Reply(b"\r\n\x1a", content_type="text/csv"),
}


@pytest.mark.parametrize("scenario", sorted(BAD_CSV))
def test_bad_csv_responses_are_rejected_and_not_archived(
    server: Server, tmp_path: Path, scenario: str
) -> None:
    url = server.serve(scenario, BAD_CSV[scenario], good_xml())
    into = tmp_path / "archive"
    results = by_name(run(url, into))

    assert results["sdn.csv"].status == "rejected"
    assert results["sdn.csv"].path is None
    assert results["sdn_advanced.xml"].status == "archived"
    assert files_in(into) == ["us/ofac/advanced/sdn_advanced_2024-05-03.xml"]
    assert exit_code(list(results.values())) == 1


@pytest.mark.parametrize(
    ("make", "problem"),
    [
        (lambda data: Reply(data, extra_length=1000), "truncated"),
        (lambda data: good_csv(cut_mid_row(data)), "truncated"),
        (lambda data: good_csv(cut_in_last_column(data)), "truncated"),
        (lambda data: good_csv(b"name,age\nbob,3\n"), "entry number"),
    ],
    ids=["short-of-content-length", "cut-mid-row", "cut-in-last-column", "another-csv"],
)
def test_truncated_or_foreign_csv_is_rejected(
    server: Server,
    tmp_path: Path,
    csv_2023: bytes,
    make: Callable[[bytes], Reply],
    problem: str,
) -> None:
    scenario = f"csv-{problem}-{tmp_path.name}"
    url = server.serve(scenario, make(csv_2023), good_xml())
    into = tmp_path / "archive"
    result = by_name(run(url, into))["sdn.csv"]

    assert result.status == "rejected"
    assert problem in result.reason
    assert not (into / "us/ofac/snapshots").exists()


def test_html_page_and_empty_body_reasons_are_told(
    server: Server, tmp_path: Path, csv_2023: bytes
) -> None:
    url = server.serve("reasons", Reply(HTML, content_type="text/csv"), Reply(b""))
    results = by_name(run(url, tmp_path / "archive"))
    assert "HTML" in results["sdn.csv"].reason
    assert "text/csv" in results["sdn.csv"].reason
    assert results["sdn_advanced.xml"].reason == "empty body"
    assert "REJECTED" in results["sdn.csv"].describe()


BAD_XML = {
    "xml-500": Reply(b"oops", status=500),
    "xml-xhtml-page": Reply(XHTML, content_type="application/xml"),
    "xml-empty": Reply(b""),
    "xml-short-of-content-length": Reply(XML, extra_length=500),
    "xml-cut": Reply(XML[: len(XML) // 2]),
    "xml-wrong-root": Reply(b'<?xml version="1.0"?><Export><Row/></Export>'),
    "xml-not-xml": Reply(b"36,AEROCARIBBEAN AIRLINES,-0- ,CUBA\n"),
}


@pytest.mark.parametrize("scenario", sorted(BAD_XML))
def test_bad_advanced_xml_is_rejected_and_not_archived(
    server: Server, tmp_path: Path, csv_2023: bytes, scenario: str
) -> None:
    url = server.serve(scenario, good_csv(csv_2023), BAD_XML[scenario])
    into = tmp_path / "archive"
    results = by_name(run(url, into))

    assert results["sdn_advanced.xml"].status == "rejected"
    assert results["sdn.csv"].status == "archived"
    assert files_in(into) == ["us/ofac/snapshots/sdn_2024-05-03.csv"]


def test_a_csv_that_lost_most_entries_is_rejected(
    server: Server, tmp_path: Path, csv_2023: bytes
) -> None:
    into = tmp_path / "archive"
    run(server.serve("full", good_csv(csv_2023), good_xml()), into)
    # Complete rows, valid on its own: only the comparison with the archive can tell.
    head = b"".join(csv_2023.splitlines(keepends=True)[:2000])
    url = server.serve("lossy", good_csv(head), good_xml(XML_CHANGED))

    results = by_name(run(url, into, when=LATER))

    assert results["sdn.csv"].status == "rejected"
    assert "sdn_2024-05-03.csv" in results["sdn.csv"].reason
    assert "lost" in results["sdn.csv"].reason
    assert results["sdn_advanced.xml"].status == "archived"
    assert files_in(into) == [
        "us/ofac/advanced/sdn_advanced_2024-05-03.xml",
        "us/ofac/advanced/sdn_advanced_2024-05-03T234507.xml",
        "us/ofac/snapshots/sdn_2024-05-03.csv",
    ]
    # The threshold is a setting.
    lenient = by_name(run(url, into, when=LATER, max_loss=0.9))
    assert lenient["sdn.csv"].status == "archived"


def test_the_baseline_is_the_newest_archived_csv(
    server: Server, tmp_path: Path, shared_data: Path, csv_2023: bytes
) -> None:
    into = tmp_path / "archive"
    snapshots = into / "us/ofac/snapshots"
    snapshots.mkdir(parents=True)
    # An old, smaller copy and a newer full one; plus an empty file of 2024-05-04 put
    # there by hand, which is no baseline.
    (snapshots / "sdn_2018-01-26.csv").write_bytes(
        (shared_data / "us/ofac/snapshots/sdn_2018-01-26.csv").read_bytes()
    )
    (snapshots / "sdn_2023-01-21.csv").write_bytes(csv_2023)
    (snapshots / "sdn_2024-05-04.csv").write_bytes(b"")
    head = b"".join(csv_2023.splitlines(keepends=True)[:7000])
    url = server.serve("baseline", good_csv(head), good_xml())

    result = by_name(run(url, into, when=datetime(2024, 5, 6, 12, tzinfo=UTC)))["sdn.csv"]

    assert result.status == "rejected"
    assert "sdn_2023-01-21.csv" in result.reason


def test_without_an_archive_a_small_valid_csv_is_accepted(
    server: Server, tmp_path: Path, csv_2023: bytes
) -> None:
    head = b"".join(csv_2023.splitlines(keepends=True)[:50])
    url = server.serve("first-ever", good_csv(head), good_xml())
    assert by_name(run(url, tmp_path / "archive"))["sdn.csv"].status == "archived"


def test_a_hung_server_times_out(server: Server, tmp_path: Path) -> None:
    url = server.serve("hung", Reply(b"x" * 100, stall=True), Reply(XML, stall=True))
    into = tmp_path / "archive"
    started = datetime.now(UTC)

    results = run(url, into, http_timeout=0.3)

    assert (datetime.now(UTC) - started).total_seconds() < 5
    assert [r.status for r in results] == ["rejected", "rejected"]
    assert all("timed out" in r.reason for r in results)
    assert files_in(into) == []


def test_a_refused_connection_is_rejected(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # Nothing listens on `port` now.
    results = run(f"http://127.0.0.1:{port}/ofac", tmp_path / "archive", http_timeout=2.0)
    assert [r.status for r in results] == ["rejected", "rejected"]
    assert all("download failed" in r.reason for r in results)
    assert exit_code(results) == 1
    assert not (tmp_path / "archive").exists()
