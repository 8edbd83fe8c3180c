"""Properties of the US history built from the real files in ../shared/data."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from magnitsky.history.dating import DATE_QUALITIES
from magnitsky.store import Store, open_store


@pytest.fixture()
def store(built_store: Path) -> Iterator[Store]:
    with open_store(built_store, read_only=True) as opened:
        yield opened


def test_the_empty_last_download_is_rejected_and_nobody_is_delisted_that_day(store: Store) -> None:
    rejected = store.dicts("SELECT * FROM snapshots WHERE status = 'rejected' ORDER BY as_of")
    # Besides the empty download: the third-party copy of 2022-01-31 in which ent_num 2677
    # names two entities (issue 13: one identifier, one entry).
    copy = rejected.pop(0)
    assert copy["origin"].endswith("sdn_2022-01-31.csv") and "2677" in copy["reason"]
    assert len(rejected) == 1
    assert rejected[0]["as_of_date"] == date(2024, 5, 3)  # 01:36 UTC on the 4th: the 3rd in Washington
    assert "empty" in rejected[0]["reason"]
    empty = rejected[0]["snapshot_id"]
    assert not store.scalar("SELECT count(*) FROM events WHERE snapshot_after = ?", [empty])
    assert store.scalar(
        "SELECT count(*) FROM events WHERE event_type = 'delisted' AND source = 'us-ofac-sdn'"
    ) < 2000


def test_every_glomag_designation_is_dated_and_says_how(store: Store) -> None:
    rows = store.dicts("SELECT * FROM designations WHERE program = 'US-GLOMAG'")
    assert len(rows) > 650
    for r in rows:
        assert r["date_quality"] in DATE_QUALITIES
        assert r["date_source"]
        assert r["listed_not_before"] <= r["listed_on"] <= r["listed_not_after"]
        assert r["listed_not_before"] >= date(2017, 12, 21)


def test_the_2023_change_archive_dates_glomag_designations_exactly(store: Store) -> None:
    cartes = store.dicts(
        "SELECT * FROM designations WHERE program = 'US-GLOMAG' AND name LIKE 'CARTES JARA%'")
    assert len(cartes) == 1
    assert cartes[0]["listed_on"] == date(2023, 1, 26)
    assert (cartes[0]["date_quality"], cartes[0]["date_source"]) == ("exact", "sdnnew23.txt")
    in_2023 = store.dicts(
        "SELECT date_quality, count(*) AS n FROM designations WHERE program = 'US-GLOMAG'"
        " AND listed_not_after BETWEEN '2023-01-01' AND '2023-12-31' GROUP BY 1")
    counts = {r["date_quality"]: r["n"] for r in in_2023}
    assert counts.get("exact", 0) >= 0.95 * sum(counts.values())


def test_zimbabwe_entries_moved_to_glomag_are_program_additions(store: Store) -> None:
    added = store.scalar(
        "SELECT count(*) FROM events WHERE program = 'US-GLOMAG' AND event_type = 'program_added'"
        " AND not_after BETWEEN '2024-03-01' AND '2024-03-31'")
    assert added == 12
    tags = store.rows(
        "SELECT DISTINCT tag FROM events e WHERE event_type = 'program_removed'"
        " AND not_after BETWEEN '2024-03-01' AND '2024-03-31'")
    assert ("ZIMBABWE",) in tags


def test_recent_actions_after_the_history_add_and_close_designations(store: Store) -> None:
    moraes = store.dicts(
        "SELECT * FROM designations WHERE program = 'US-GLOMAG' AND name = 'DE MORAES, Alexandre'")
    assert len(moraes) == 1
    assert (moraes[0]["listed_on"], moraes[0]["date_quality"]) == (date(2025, 7, 30), "exact")
    assert (moraes[0]["delisted_on"], moraes[0]["delisted_quality"]) == (date(2025, 12, 12), "exact")


def test_vessels_of_the_2022_action_are_counted_apart(store: Store) -> None:
    vessels = store.scalar(
        "SELECT count(*) FROM designations WHERE program = 'US-GLOMAG' AND schema = 'Vessel'")
    assert vessels == 157


def test_one_designation_per_entry_per_program_per_listing_period(store: Store) -> None:
    duplicates = store.scalar(
        "SELECT count(*) FROM (SELECT source_id, program, listed_not_after, count(*) n"
        " FROM designations GROUP BY ALL HAVING n > 1)")
    assert duplicates == 0
