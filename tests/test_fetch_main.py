"""Done when: the main job without a data folder fetches every source from the (mirrored)
official sites, builds and writes the report; for US-GLOMAG 2023 it gives the same persons
count, countries and date quality as the build of ../shared/data, and its allies section
has all five jurisdictions."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

from magnitsky.analysis.annual import PERSONS, Annual, annual
from magnitsky.store import open_store
from tests.official_sites import Server, build_mirror

ROOT = Path(__file__).resolve().parent.parent
YEAR = 2023


def figures(db: Path) -> dict[str, Any]:
    """The report's figures for US-GLOMAG 2023: the persons certainly designated in the
    year and their countries, how the year's designations are dated, the jurisdictions of
    the allies section; and the designations only possibly in the year."""
    with open_store(db, read_only=True) as store:
        result: Annual = annual(store, "US-GLOMAG", YEAR)
    persons = [r for r in result.counted if r["schema"] in PERSONS]
    return {
        "persons": sum(1 for r in persons if r["certain"]),
        "countries": sorted((c["code"], c["min"]) for c in result.countries if c["min"]),
        "exact": result.quality["exact"],
        "certain": result.quality["certain"],
        "possible": [r for r in result.counted if not r["certain"]],
        "allies": sorted(c["jurisdiction"] for c in result.multilateral.coverage)
        if result.multilateral
        else [],
    }


def listed_years(db: Path) -> dict[str, set[int]]:
    """Entry (source id) -> the years its US-GLOMAG designations are known to lie in."""
    with open_store(db, read_only=True) as store:
        rows = store.rows(
            "SELECT source_id, listed_on FROM designations"
            " WHERE program = 'US-GLOMAG' AND listed_on IS NOT NULL"
        )
    out: dict[str, set[int]] = {}
    for source_id, listed_on in rows:
        out.setdefault(str(source_id), set()).add(listed_on.year)
    return out


def test_main_job_without_data_folder_matches_the_data_folder_build(
    shared_data: Path, built_store: Path, tmp_path: Path
) -> None:
    mirror = build_mirror(shared_data, tmp_path / "mirror")
    # The one advanced XML at hand is a small fixture, not OFAC's list: not served (its
    # download is reported as rejected, and the job builds from the rest).
    server = Server(mirror)
    try:
        env = {k: v for k, v in os.environ.items() if not k.startswith("MAGNITSKY_")}
        env |= server.environment() | {
            "MAGNITSKY_DB": str(tmp_path / "fetched.duckdb"),
            "MAGNITSKY_ARCHIVE": str(tmp_path / "archive"),
            "MAGNITSKY_REPORT_DIR": str(tmp_path / "report"),
            "MAGNITSKY_FETCH_INTERVAL": "0",
            "MAGNITSKY_FETCH_RETRIES": "0",
        }
        done = subprocess.run(
            ["bash", "scripts/main.sh"], cwd=ROOT, env=env, capture_output=True, text=True
        )
    finally:
        server.close()
    assert done.returncode == 0, done.stderr[-3000:]
    assert "REJECTED, HTTP 404" in done.stderr  # sdn_advanced.xml, past change archives
    assert (tmp_path / "report/index.html").is_file()
    got, want = figures(tmp_path / "fetched.duckdb"), figures(built_store)

    assert got["persons"] == want["persons"]
    assert got["countries"] == want["countries"]
    assert (got["exact"], got["certain"]) == (want["exact"], want["certain"])
    # Not a range: the mirror's one sdn.csv places every listing on or before the day of
    # the download, but the complete 2023 change archive closes 2023 to those it does not
    # record (history/closed_years.py), as the data folder's snapshots do.
    assert [r["source_id"] for r in got["possible"]] == [r["source_id"] for r in want["possible"]]
    closed = closed_in(tmp_path / "fetched.duckdb")
    assert closed  # the baselines that reached into 2023
    years = listed_years(built_store)
    assert all(YEAR not in years.get(sid, {0}) for sid in closed)
    assert set(got["allies"]) == {"US", "GB", "CA", "EU", "AU"}
    # The job's own yearly table gives the year's persons as one number, not a range.
    row = next(line.split() for line in done.stdout.splitlines() if line.startswith(f"{YEAR} "))
    assert row[1] == str(want["persons"])
    # The State report's designee that links to no entry is said, and makes no designation.
    assert "no designation made from the text: Jefferson Tamba Koijee" in done.stdout


def closed_in(db: Path) -> list[str]:
    """The US-GLOMAG entries whose listing the complete 2023 change archive keeps out of
    2023."""
    with open_store(db, read_only=True) as store:
        return [
            str(sid)
            for (sid,) in store.rows(
                "SELECT source_id FROM designations WHERE program = 'US-GLOMAG'"
                " AND date_source LIKE '%not in 2023%'"
            )
        ]
