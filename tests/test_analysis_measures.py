"""Counts per year as ranges, averages and changes, on hand-made histories whose right
answers are known in advance."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from magnitsky.analysis import measures
from magnitsky.analysis.designations import load
from magnitsky.store import Store, open_store
from tests.analysis_fixtures import designate, yearly_exact


@pytest.fixture()
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(tmp_path / "analysis.duckdb") as opened:
        yield opened


def table(rows: list[dict[str, Any]], year_end: tuple[int, int] = (12, 31)) -> dict[int, dict[str, Any]]:
    return {r["year"]: r for r in measures.yearly(rows, year_end)}


def test_the_average_of_the_five_years_before_and_the_change_against_it(store: Store) -> None:
    yearly_exact(store, {2018: 10, 2019: 20, 2020: 30, 2021: 40, 2022: 50, 2023: 15})
    rows = load(store, "US-GLOMAG")
    avg = measures.average(rows, 2023, years=5, since=2017)
    assert avg["years"] == [2018, 2019, 2020, 2021, 2022] and not avg["short"]
    assert (avg["persons"]["min"], avg["persons"]["max"]) == (30, 30)
    assert avg["persons"]["change_percent"] == {"min": -50.0, "max": -50.0}
    assert avg["persons"]["ranges"] == []
    three = measures.average(rows, 2023, years=3)
    assert three["persons"]["min"] == 40 and three["persons"]["change_percent"]["min"] == -62.5


def test_years_before_the_program_are_not_averaged(store: Store) -> None:
    yearly_exact(store, {2018: 10, 2019: 20})
    rows = load(store, "US-GLOMAG")
    avg = measures.average(rows, 2019, years=5, since=2018)
    assert avg["years"] == [2018] and avg["short"]
    assert avg["persons"]["min"] == 10


def test_a_bracket_across_new_year_counts_in_both_years_at_most_and_in_neither_for_certain(
    store: Store,
) -> None:
    designate(store, "1", "ACROSS, New Year", (date(2022, 12, 20), date(2023, 1, 10)))
    designate(store, "2", "INSIDE, Bracket", (date(2023, 3, 1), date(2023, 3, 20)))
    rows = load(store, "US-GLOMAG")
    years = table(rows)
    assert (years[2022]["persons_min"], years[2022]["persons_max"]) == (0, 1)
    assert (years[2023]["persons_min"], years[2023]["persons_max"]) == (1, 2)
    behind = measures.behind(rows, 2023, "persons")
    assert {(r["source_id"], r["certain"]) for r in behind} == {("1", False), ("2", True)}
    # the two years as one period: the bracket lies inside it, so it counts for certain
    assert measures.count(rows, (date(2022, 1, 1), date(2023, 12, 31)), "persons") == (2, 2)
    avg = measures.average(rows, 2024, years=2, since=2022)
    assert (avg["persons"]["min"], avg["persons"]["max"]) == (1.0, 1.0)
    assert avg["persons"]["ranges"] == [2022, 2023]


def test_a_report_year_ending_on_5_december_moves_a_december_8_designation_on(store: Store) -> None:
    designate(store, "1", "DECEMBER, Action", date(2023, 12, 8))
    designate(store, "2", "SUMMER, Action", date(2023, 6, 1))
    rows = load(store, "US-GLOMAG")
    calendar, report = table(rows), table(rows, (12, 5))
    assert calendar[2023]["persons_min"] == 2
    assert report[2023]["persons_min"] == 1 and report[2024]["persons_min"] == 1
    assert [r["source_id"] for r in measures.behind(rows, 2024, "persons", (12, 5))] == ["1"]


def test_vessels_are_counted_apart_from_persons(store: Store) -> None:
    designate(store, "1", "OWNER, Ship", date(2022, 12, 9))
    for i in range(3):
        designate(store, f"v{i}", f"TANKER {i}", date(2022, 12, 9), schema="Vessel",
                  linked_to=("OWNER, Ship",))
    designate(store, "a", "JET", date(2022, 12, 9), schema="Airplane")
    year = table(load(store, "US-GLOMAG"))[2022]
    assert (year["persons_min"], year["vessels_min"], year["aircraft_min"]) == (1, 3, 1)
    assert year["ties_max"] == 0  # a vessel's Linked To does not make a person


def test_ties_are_apart_from_direct_involvement_and_unknown(store: Store) -> None:
    designate(store, "1", "OFFICIAL, Corrupt", date(2023, 1, 26),
              remarks="Designated for corruption.")
    designate(store, "2", "SHELL LTD", date(2023, 1, 26), schema="Organization",
              linked_to=("OFFICIAL, Corrupt",))
    designate(store, "3", "SILENT, Person", date(2023, 1, 26))
    rows = load(store, "US-GLOMAG")
    assert [r["basis"] for r in rows] == ["corruption", "ties", "unknown"]
    year = table(rows)[2023]
    assert (year["direct_min"], year["corruption_min"], year["ties_min"], year["unknown_min"]) == (1, 1, 1, 1)
    assert year["not_ties_min"] == 2 and year["persons_min"] == 3


def test_delistings_count_by_the_delisting_date(store: Store) -> None:
    designate(store, "1", "GONE, Soon", date(2022, 5, 1), delisted=date(2023, 2, 1))
    years = table(load(store, "US-GLOMAG"))
    assert years[2022]["delisted_max"] == 0 and years[2023]["delisted_min"] == 1
    assert years[2023]["persons_max"] == 0


def test_years_without_designations_are_zero_not_missing(store: Store) -> None:
    yearly_exact(store, {2018: 2, 2021: 1})
    years = table(load(store, "US-GLOMAG"))
    assert sorted(years) == [2018, 2019, 2020, 2021]
    assert years[2019]["persons_max"] == 0


def test_the_lowest_since_a_year_is_claimed_only_when_certain(store: Store) -> None:
    yearly_exact(store, {2018: 5, 2019: 30, 2020: 20, 2021: 10, 2022: 8})
    rows = load(store, "US-GLOMAG")
    claim = measures.since(measures.yearly(rows), 2022, "persons")
    assert claim is not None and (claim["direction"], claim["since"]) == ("lowest", 2018)
    assert measures.since(measures.yearly(rows), 2019, "persons") == {
        "measure": "persons", "direction": "highest", "since": None, "first_year": 2018}
    claim = measures.since(measures.yearly(rows), 2020, "persons")  # below 2019's 30
    assert claim is not None and (claim["direction"], claim["since"]) == ("lowest", 2018)


def test_a_range_that_blurs_the_comparison_makes_no_claim(store: Store) -> None:
    yearly_exact(store, {2019: 30, 2020: 20, 2021: 7, 2022: 8})
    claim = measures.since(measures.yearly(load(store, "US-GLOMAG")), 2022, "persons")
    assert claim is not None and (claim["direction"], claim["since"]) == ("highest", 2020)
    designate(store, "x", "ACROSS, New Year", (date(2021, 12, 20), date(2022, 1, 5)))
    yearly = measures.yearly(load(store, "US-GLOMAG"))  # 2021: 7–8, 2022: 8–9
    assert measures.since(yearly, 2022, "persons") is None


def test_percent_change_is_a_range_when_either_side_is(store: Store) -> None:
    assert measures.change_percent((9, 12), (10.0, 10.0)) == {"min": -10.0, "max": 20.0}
    assert measures.change_percent((5, 5), (8.0, 10.0)) == {"min": -50.0, "max": -37.5}
    assert measures.change_percent((5, 5), (0.0, 1.0)) is None


def test_largest_actions_are_exact_days_with_the_names(store: Store) -> None:
    for i in range(3):
        designate(store, f"d{i}", f"DECEMBER {i}", date(2023, 12, 11))
    designate(store, "j", "JANUARY, One", date(2023, 1, 26))
    designate(store, "b", "BRACKET, Only", (date(2023, 5, 1), date(2023, 5, 9)))
    found = measures.actions(load(store, "US-GLOMAG"), (date(2023, 1, 1), date(2023, 12, 31)))
    assert [(a["date"], a["count"]) for a in found] == [(date(2023, 12, 11), 3), (date(2023, 1, 26), 1)]
    assert found[0]["names"] == ["DECEMBER 0", "DECEMBER 1", "DECEMBER 2"]


def test_per_value_counts_have_the_names_behind_them(store: Store) -> None:
    designate(store, "1", "ONE, Korean", date(2023, 3, 1), nationalities=("Korea, North",))
    designate(store, "2", "TWO, Korean", (date(2022, 12, 1), date(2023, 1, 5)), nationalities=("Korea, North",))
    designate(store, "3", "THREE, Burmese", date(2023, 3, 1), nationalities=("Burma",))
    rows = load(store, "US-GLOMAG")
    win = (date(2023, 1, 1), date(2023, 12, 31))
    got = measures.tally(rows, win, lambda r: r["country_codes"])
    assert [(e["value"], e["min"], e["max"]) for e in got] == [("KP", 1, 2), ("MM", 1, 1)]
    behind = measures.behind_value(rows, win, lambda r: r["country_codes"], "KP")
    assert {r["name"] for r in behind} == {"ONE, Korean", "TWO, Korean"}
    per_year = measures.by_year(rows, (12, 31), lambda r: r["regions"])
    assert {
        k: v for k, v in per_year[-1].items() if k != "names"} == {"year": 2023, "value": "Asia", "min": 2, "max": 3}
