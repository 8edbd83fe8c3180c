"""A complete yearly change archive closes its year to the listings it does not record
(history/closed_years.py): on the data folder's build, on a history of one download, and
in how the analysis places a bracket with a closed year inside it."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from magnitsky.analysis.measures import placement
from magnitsky.analysis.windows import window
from magnitsky.history.closed_years import complete_years, pieces
from magnitsky.store import open_store
from tests.official_sites import latest_sdn_csv


def test_a_closed_year_inside_a_bracket_leaves_two_parts() -> None:
    day = date
    assert pieces(day(2017, 12, 21), day(2026, 12, 3), [2023]) == [
        (day(2017, 12, 21), day(2022, 12, 31)),
        (day(2024, 1, 1), day(2026, 12, 3)),
    ]
    assert pieces(day(2023, 12, 28), day(2024, 1, 11), [2023]) == [
        (day(2024, 1, 1), day(2024, 1, 11))
    ]
    assert pieces(None, day(2024, 1, 11), [2023]) == [
        (None, day(2022, 12, 31)),
        (day(2024, 1, 1), day(2024, 1, 11)),
    ]
    assert pieces(day(2023, 2, 1), day(2023, 3, 1), [2023]) == []
    row = {
        "listed_not_before": day(2017, 12, 21),
        "listed_not_after": day(2026, 12, 3),
        "listed_not_in": [2023],
    }
    assert placement(row, window(2023)) is None
    assert placement(row, window(2024)) == "possible"
    assert placement({**row, "listed_not_in": None}, window(2023)) == "possible"
    inside = {**row, "listed_not_before": day(2022, 6, 1), "listed_not_after": day(2023, 3, 1)}
    assert placement({**inside, "listed_not_in": [2023]}, window(2022)) == "certain"
    assert placement({**inside, "listed_not_in": None}, window(2022)) == "possible"


def test_the_data_folder_build_closes_only_what_the_2023_archive_does_not_record(
    built_store: Path, shared_data: Path
) -> None:
    archive = (shared_data / "us/ofac/changes/sdnnew23.txt").read_text("latin-1").upper()
    with open_store(built_store, read_only=True) as store:
        assert complete_years(store, "us-ofac-sdn") == {2023}
        closed = store.dicts("SELECT * FROM designations WHERE date_source LIKE '%not in 2023%'")
        others = store.scalar(
            "SELECT count(*) FROM designations WHERE listed_not_in IS NOT NULL"
            " OR (source <> 'us-ofac-sdn' AND date_source LIKE '%change archive%')"
        )
    assert closed and others == 0
    for row in closed:
        parts = pieces(row["listed_not_before"], row["listed_not_after"], row["listed_not_in"])
        assert parts and all(
            hi < date(2023, 1, 1) or (lo and lo > date(2023, 12, 31)) for lo, hi in parts
        )
        assert row["name"].upper() not in archive  # the archive records no such entry


def _build(archive: Path, db: Path) -> None:
    from magnitsky import build, settings

    with open_store(db) as store:
        build.build(store, settings.load(), archive)


def test_only_an_archive_of_a_year_the_list_has_left_behind_closes_it(
    shared_data: Path, tmp_path: Path
) -> None:
    """One download of the list and the 2023 archive: while the newest list is of 2023 the
    archive may still grow, and closes nothing; a list of 2024 closes 2023, whether it is
    added to that store (one newer snapshot: the fast path) or built with it from scratch."""
    sdn = latest_sdn_csv(shared_data, tmp_path / "work")
    archive = tmp_path / "archive"
    (archive / "us/ofac/snapshots").mkdir(parents=True)
    (archive / "us/ofac/changes").mkdir(parents=True)
    shutil.copy(shared_data / "us/ofac/changes/sdnnew23.txt", archive / "us/ofac/changes")
    (archive / "us/ofac/snapshots/sdn_2023-12-30.csv").write_bytes(sdn)
    _build(archive, tmp_path / "added.duckdb")
    running = figures(tmp_path / "added.duckdb")
    # The next year's list, one (Cuba) entry fewer: a change, so a new snapshot.
    (archive / "us/ofac/snapshots/sdn_2024-05-03.csv").write_bytes(sdn.split(b"\n", 1)[1])
    _build(archive, tmp_path / "added.duckdb")
    _build(archive, tmp_path / "fresh.duckdb")
    added, fresh = figures(tmp_path / "added.duckdb"), figures(tmp_path / "fresh.duckdb")

    assert running[0] == set() and added[0] == {2023}
    assert running[1] > 0  # every listing the archive does not date may be of 2023
    assert added[1] == 0  # ... until the year is over: then none is
    assert running[2] == added[2] > 0  # what the archive dates, it dates either way
    assert added == fresh
    assert dating(tmp_path / "added.duckdb") == dating(tmp_path / "fresh.duckdb")


def dating(db: Path) -> set[tuple[object, ...]]:
    with open_store(db, read_only=True) as store:
        return set(
            store.rows(
                "SELECT source_id, program, listed_not_before, listed_not_after,"
                " CAST(listed_not_in AS VARCHAR), date_quality FROM designations"
            )
        )


def figures(db: Path) -> tuple[set[int], int, int]:
    """Complete years; US-GLOMAG designations possibly and exactly in 2023."""
    with open_store(db, read_only=True) as store:
        rows = store.dicts("SELECT * FROM designations WHERE program = 'US-GLOMAG'")
        years = complete_years(store, "us-ofac-sdn")
    where = [(r["date_quality"], placement(r, window(2023))) for r in rows]
    return (
        years,
        sum(1 for q, p in where if q != "exact" and p is not None),
        sum(1 for q, p in where if q == "exact" and p == "certain"),
    )
