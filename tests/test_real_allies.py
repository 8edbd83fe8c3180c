"""The allies' lists in the store: their Magnitsky-style programs, dated as they state."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from magnitsky.store import Store, open_store

# Independently counted in the newest file of each list (see tests/test_readers_*.py).
EXPECTED = {"GB-HR": 143, "GB-AC": 66, "CA-JVCFOA": 80, "EU-HR": 177, "AU-HUMAN": 103, "AU-CRP": 14}


@pytest.fixture()
def store(built_store: Path) -> Iterator[Store]:
    with open_store(built_store, read_only=True) as opened:
        yield opened


@pytest.mark.parametrize(("program", "count"), sorted(EXPECTED.items()))
def test_each_magnitsky_style_program_is_built_with_dates(store: Store, program: str, count: int) -> None:
    rows = store.dicts("SELECT * FROM designations WHERE program = ? AND delisted_on IS NULL", [program])
    assert len(rows) == count
    exact = [r for r in rows if r["date_quality"] == "exact"]
    assert len(exact) >= 0.97 * count
    first = min(r["listed_on"] for r in exact)
    floor = {"GB-HR": date(2020, 7, 6), "GB-AC": date(2021, 4, 26), "CA-JVCFOA": date(2017, 11, 3),
             "EU-HR": date(2021, 3, 2), "AU-HUMAN": date(2022, 3, 30), "AU-CRP": date(2022, 3, 30)}
    assert first == floor[program], "the first listings fall on the regime's first day"


def test_a_stated_date_before_the_regime_existed_gives_way_to_the_regime_s_own(
    store: Store,
) -> None:
    """'Listed On' 2014-03-06 predates Global Human Rights: the UK's 'Date Designated'
    under it dates the listing; where the two columns disagree otherwise, it is reported
    and 'Listed On' is used."""
    rows = store.dicts("SELECT * FROM date_conflicts WHERE program = 'GB-HR'")
    assert {r["kind"] for r in rows} == {"designation_date_differs"}
    for r in rows:
        d = store.dicts("SELECT * FROM designations WHERE program = 'GB-HR' AND source_id = ?",
                        [r["source_id"]])[0]
        assert d["date_quality"] == "exact"
        assert r["dates"].startswith(f"listed on {d['listed_on']};")


def test_canada_dates_come_from_the_2025_file_for_listings_seen_in_2020(store: Store) -> None:
    rows = store.dicts("SELECT * FROM designations WHERE program = 'CA-JVCFOA'")
    seen_2020 = [r for r in rows if r["listed_on"] and r["listed_on"] <= date(2020, 4, 15)]
    assert len(seen_2020) == 70
    assert all(r["date_quality"] == "exact" for r in seen_2020)
