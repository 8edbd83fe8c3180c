"""The annual analysis end to end: a small history whose answers are known, and
properties that must hold on the real files."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from magnitsky import build, settings
from magnitsky.analysis import measures
from magnitsky.analysis.annual import Annual, analyse, annual
from magnitsky.analysis.designations import load
from magnitsky.analysis.windows import window, year_of
from magnitsky.store import Store, open_store
from tests.analysis_fixtures import designate, yearly_exact
from tests.history_fixtures import history, write_changes

SETTINGS = settings.load()
YEAR_ENDS = [(12, 31), (12, 5), (9, 30)]


@pytest.fixture()
def small(tmp_path: Path) -> Iterator[Store]:
    """The history of tests/history_fixtures.py with the 2023 change archive."""
    history(tmp_path / "h")
    with open_store(tmp_path / "small.duckdb") as store:
        build.import_dir(store, SETTINGS, tmp_path / "h")
        build.ingest(store, SETTINGS, [write_changes(tmp_path / "sdnnew23.txt")])
        yield store


def test_a_small_history_counts_what_is_known_and_what_may_be(small: Store) -> None:
    a = annual(small, "US-GLOMAG", 2023)
    assert a.window == (date(2023, 1, 1), date(2023, 12, 31))
    certain = {r["source_id"] for r in a.counted if r["certain"]}
    maybe = {r["source_id"] for r in a.counted if not r["certain"]}
    # 105 exact (3 Feb), 102 added to GLOMAG (bracket 10 Jan - 10 Feb), 103 relisted in April;
    # 101 and 103 as first listed are a baseline: on or before 10 Jan 2023, maybe long before
    assert certain == {"105", "102", "103"} and maybe == {"101", "103"}
    shell = [r for r in a.designations if r["source_id"] == "103"]
    assert {r["basis"] for r in shell} == {"ties"}
    assert shell[0]["basis_evidence"] == "Linked To: OFFICIAL, Corrupt (SDN remarks)"
    persons = a.findings[0]
    assert persons["measure"] == "persons" and persons["value"] == "3–5"
    assert persons["text"].startswith(
        "In calendar year 2023, US-GLOMAG designated between 3 and 5 persons")
    assert set(persons["source_ids"]) == {"101", "102", "103", "105"}
    assert a.quality["exact"] == 1 and a.quality["possible"] == 2
    assert a.quality["unknown_basis"] == 3  # 101, 102, 105: nothing in the list shows why


def test_findings_compare_with_the_average_and_say_it_with_and_without_ties(tmp_path: Path) -> None:
    with open_store(tmp_path / "a.duckdb") as store:
        yearly_exact(store, {2018: 10, 2019: 20, 2020: 30, 2021: 40, 2022: 50, 2023: 12})
        for i in range(3):
            designate(store, f"t{i}", f"SHELL {i}", date(2023, 6, 1), schema="Organization",
                      linked_to=("PERSON 2023 0",))
        a = annual(store, "US-GLOMAG", 2023)
    texts = [f["text"] for f in a.findings]
    assert texts[0] == (
        "In calendar year 2023, US-GLOMAG designated 15 persons (12 individuals, 3 entities),"
        " 50% below the 2018–2022 annual average of 30.")
    assert texts[1] == (
        "Leaving out those shown to be designated for ties to other listed persons (3), 12"
        " persons were designated, 60% below the 2018–2022 annual average of 30.")
    assert a.average["years"] == [2018, 2019, 2020, 2021, 2022]
    assert a.average["persons"]["change_percent"] == {"min": -50.0, "max": -50.0}
    assert a.average["not_ties"]["change_percent"] == {"min": -60.0, "max": -60.0}
    for f in a.findings:
        assert f["text"] and f["definition"] and f["measure"]


def test_the_year_end_moves_december_actions_into_the_next_report_year(tmp_path: Path) -> None:
    with open_store(tmp_path / "a.duckdb") as store:
        designate(store, "1", "DECEMBER, Eighth", date(2023, 12, 8))
        rows = load(store, "US-GLOMAG")
    assert [r["source_id"] for r in analyse(rows, "US-GLOMAG", 2023).counted] == ["1"]
    assert analyse(rows, "US-GLOMAG", 2023, (12, 5)).counted == []
    assert [r["source_id"] for r in analyse(rows, "US-GLOMAG", 2024, (12, 5)).counted] == ["1"]


# --- the real files -------------------------------------------------------------------


@pytest.fixture(scope="module")
def glomag(built_store: Path) -> Iterator[list[dict[str, Any]]]:
    with open_store(built_store, read_only=True) as store:
        yield load(store, "US-GLOMAG")


def _key(r: dict[str, Any]) -> tuple[Any, ...]:
    return r["source_id"], r["listed_not_before"], r["listed_not_after"]


@pytest.mark.parametrize("year_end", YEAR_ENDS)
def test_every_designation_is_counted_once_for_certain_or_as_a_range(
    glomag: list[dict[str, Any]], year_end: tuple[int, int]
) -> None:
    first, last = measures.first_year(glomag, year_end), measures.last_year(glomag, year_end)
    assert first is not None and last is not None
    places: dict[tuple[Any, ...], list[bool]] = {}
    for year in range(first, last + 1):
        for r in measures.behind(glomag, year, "persons", year_end):
            places.setdefault(_key(r), []).append(r["certain"])
    persons = [r for r in glomag if r["schema"] in ("Person", "Organization")]
    assert len({_key(r) for r in persons}) == len(persons) == len(places)
    for r in persons:
        found = places[_key(r)]  # every person in at least one year
        assert found.count(True) <= 1  # never certain in two years
        if True in found:
            assert len(found) == 1  # certain in one year: possible in no other
        if r["date_quality"] == "exact":
            assert found == [True]


@pytest.mark.parametrize("year_end", YEAR_ENDS)
def test_ranges_contain_every_possible_dating_and_the_parts_add_up(
    glomag: list[dict[str, Any]], year_end: tuple[int, int]
) -> None:
    table = measures.yearly(glomag, year_end)
    persons = [r for r in glomag if r["schema"] in ("Person", "Organization")]
    for pick in ("listed_not_after", "listed_not_before"):  # two datings the brackets allow
        counts: dict[int, int] = {}
        for r in persons:
            day = r[pick]
            counts[year_of(day, year_end)] = counts.get(year_of(day, year_end), 0) + 1
        for row in table:
            assert row["persons_min"] <= counts.get(row["year"], 0) <= row["persons_max"]
    for row in table:
        for part in ("min", "max"):
            assert row[f"individuals_{part}"] + row[f"entities_{part}"] == row[f"persons_{part}"]
            bases = ("human_rights", "corruption", "ties", "unknown")
            assert sum(row[f"{b}_{part}"] for b in bases) == row[f"persons_{part}"]
            assert row[f"not_ties_{part}"] == sum(row[f"{b}_{part}"] for b in bases if b != "ties")
        # direct involvement: at least those shown, at most those too whose basis is unknown
        assert row["direct_min"] == row["human_rights_min"] + row["corruption_min"]
        assert row["direct_max"] == row["not_ties_max"]
        assert row["persons_min"] <= row["persons_max"]
        assert row["exact"] <= sum(row[f"{g}_min"] for g in ("persons", "vessels", "aircraft"))
    certain = sum(row["persons_min"] for row in table)
    assert certain <= len(persons) <= sum(row["persons_max"] for row in table)


def test_the_average_is_no_looser_than_the_average_of_the_yearly_ranges(
    glomag: list[dict[str, Any]],
) -> None:
    table = {r["year"]: r for r in measures.yearly(glomag)}
    avg = measures.average(glomag, 2023, years=5, since=2017)
    years = avg["years"]
    assert years == [2018, 2019, 2020, 2021, 2022]
    assert avg["persons"]["min"] >= sum(table[y]["persons_min"] for y in years) / 5
    assert avg["persons"]["max"] <= sum(table[y]["persons_max"] for y in years) / 5
    assert avg["persons"]["min"] <= avg["persons"]["max"]


@pytest.fixture(scope="module")
def year_2023(built_store: Path) -> Iterator[Annual]:
    with open_store(built_store, read_only=True) as store:
        yield annual(store, "US-GLOMAG", 2023)


def test_the_real_2023_analysis_is_traceable(year_2023: Annual) -> None:
    a = year_2023
    assert a.window == window(2023)
    persons = [r for r in a.counted if r["schema"] in ("Person", "Organization")]
    value = a.yearly[[r["year"] for r in a.yearly].index(2023)]
    assert value["persons_min"] == sum(1 for r in persons if r["certain"])
    assert value["persons_max"] == len(persons)
    for f in a.findings:
        ids = {r["source_id"] for r in a.designations}
        assert set(f["source_ids"]) <= ids
    for c in a.countries:
        assert len(c["names"]) == c["max"] and c["min"] <= c["max"]
    assert sum(x["count"] for x in a.actions) <= len(a.counted)
    for p in a.precedents:
        assert a.window[0] <= p["not_after"] and p["earliest"] <= a.window[1]
    assert a.quality["counted"] == len(a.counted)
    assert a.quality["unknown_basis"] == sum(1 for r in persons if r["basis"] == "unknown")
