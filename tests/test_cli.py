"""The command-line contract: formats, columns, filters, exit codes."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from magnitsky.queries import DESIGNATION_COLUMNS
from tests.history_fixtures import history, write_changes


def magnitsky(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "magnitsky.cli", "--db", str(db), *args],
        capture_output=True, text=True, timeout=120,
    )


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    path = tmp_path / "cli.duckdb"
    history(tmp_path / "h")
    write_changes(tmp_path / "sdnnew23.txt")
    assert magnitsky(path, "history", "import-dir", str(tmp_path / "h")).returncode == 0
    assert magnitsky(path, "ingest", str(tmp_path / "sdnnew23.txt")).returncode == 0
    return path


def test_designations_json_has_the_contract_columns(db: Path) -> None:
    done = magnitsky(db, "designations", "--program", "US-GLOMAG", "--format", "json")
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert rows and set(DESIGNATION_COLUMNS) <= set(rows[0])
    judge = next(r for r in rows if r["source_id"] == "105")
    assert (judge["listed_on"], judge["date_quality"]) == ("2023-02-03", "exact")


def test_listed_from_and_to_keep_only_brackets_wholly_inside(db: Path) -> None:
    done = magnitsky(db, "designations", "--program", "US-GLOMAG", "--listed-from", "2023-01-11",
                     "--listed-to", "2023-02-28", "--format", "csv")
    ids = {r["source_id"] for r in csv.DictReader(io.StringIO(done.stdout))}
    assert ids == {"105"}  # 102's bracket (01-10 … 02-10) starts before the window
    wider = magnitsky(db, "designations", "--program", "US-GLOMAG", "--listed-from", "2023-01-10",
                      "--listed-to", "2023-02-28", "--format", "csv")
    assert {r["source_id"] for r in csv.DictReader(io.StringIO(wider.stdout))} == {"105", "102"}


def test_events_filter_by_type_and_dates(db: Path) -> None:
    done = magnitsky(db, "events", "--program", "US-GLOMAG", "--type", "delisted", "--since",
                     "2023-03-01", "--format", "json")
    rows = json.loads(done.stdout)
    assert [(r["source_id"], r["not_after"]) for r in rows] == [("103", "2023-03-10")]


def test_stats_yearly_counts_ranges_and_vessels_apart(db: Path) -> None:
    done = magnitsky(db, "stats", "yearly", "--program", "US-GLOMAG", "--format", "json")
    rows = {r["year"]: r for r in json.loads(done.stdout)}
    # 101 and 103 are a baseline (2017-12-21 … 2023-01-10): no year for certain
    assert rows[2017]["persons_min"] == 0 and rows[2017]["persons_max"] == 2
    # 105 (exact), 102 (program added) and 103 (relisted) certainly in 2023
    assert rows[2023]["persons_min"] == 3
    assert rows[2023]["persons_max"] == 5
    assert rows[2023]["individuals_min"] + rows[2023]["entities_min"] == 3
    assert rows[2023]["delisted_min"] == 1


def test_snapshots_lists_status_and_reason(db: Path) -> None:
    done = magnitsky(db, "snapshots", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert len(rows) == 4 and {r["status"] for r in rows} == {"accepted"}


def test_a_bad_file_exits_non_zero_names_the_file_and_changes_nothing(db: Path, tmp_path: Path) -> None:
    before = magnitsky(db, "designations", "--format", "csv").stdout
    bad = tmp_path / "sdn_2023-06-01.csv"
    bad.write_text("<html><body>Service Unavailable</body></html>")
    done = magnitsky(db, "ingest", str(bad))
    assert done.returncode == 1
    assert str(bad) in done.stderr and "HTML" in done.stderr
    assert "Traceback" not in done.stderr
    assert magnitsky(db, "designations", "--format", "csv").stdout == before


def test_bad_options_are_clear_errors(db: Path, tmp_path: Path) -> None:
    done = magnitsky(db, "stats", "yearly", "--program", "US-GLOMAG", "--year-end", "13-45")
    assert done.returncode == 2 and "MM-DD" in done.stderr
    done = magnitsky(db, "designations", "--listed-from", "last year")
    assert done.returncode == 2 and "YYYY-MM-DD" in done.stderr
    done = magnitsky(tmp_path / "none.duckdb", "designations")
    assert done.returncode == 1 and "magnitsky build" in done.stderr


def test_fetch_then_build_from_a_local_http_server(tmp_path: Path, shared_data: Path) -> None:
    from tests.test_fetch import Reply, Server

    xml_body = (Path(__file__).parent / "fixtures/ofac_advanced/sdn_advanced_small.xml").read_bytes()

    server = Server()
    try:
        csv_body = (shared_data / "us/ofac/snapshots/sdn_2023-01-21.csv").read_bytes()
        url = server.serve("ok", Reply(csv_body, content_type="text/csv"),
                           Reply(xml_body, content_type="application/xml"))
        broken = server.serve("broken", Reply(b"<html>oops</html>", content_type="text/csv"),
                              Reply(xml_body, content_type="application/xml"))
        env = {"MAGNITSKY_OFAC_URL": url}
        archive = tmp_path / "archive"
        db = tmp_path / "fetched.duckdb"
        done = subprocess.run(
            [sys.executable, "-m", "magnitsky.cli", "--db", str(db), "fetch", "--into", str(archive),
             "--source", "us-ofac-sdn"],
            capture_output=True, text=True, timeout=60, env={**__import__("os").environ, **env},
        )
        assert done.returncode == 0, done.stdout + done.stderr
        assert list((archive / "us/ofac/snapshots").glob("sdn_*.csv"))
        built = magnitsky(db, "build", str(archive))
        assert built.returncode == 0, built.stderr
        snapshots = json.loads(magnitsky(db, "snapshots", "--format", "json").stdout)
        status = {s["format"]: (s["status"], s["reason"] or "") for s in snapshots}
        assert status["sdn-csv"][0] == "accepted"
        # the hand-made advanced file holds 6 entries, not 11,443: implausible, rejected
        assert status["sdn-advanced"][0] == "rejected" and "loses" in status["sdn-advanced"][1]
        bad = subprocess.run(
            [sys.executable, "-m", "magnitsky.cli", "--db", str(db), "fetch", "--into",
             str(tmp_path / "other"), "--source", "us-ofac-sdn"],
            capture_output=True, text=True, timeout=60,
            env={**__import__("os").environ, "MAGNITSKY_OFAC_URL": broken},
        )
        assert bad.returncode == 1
        assert "rejected" in (bad.stdout + bad.stderr).lower()
    finally:
        server.close()
