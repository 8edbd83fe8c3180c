"""Multilateral sanctions: who sanctioned the same person, when, who was first and how
long the others took; counts per jurisdiction and year, overlaps, joint actions."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from click.testing import CliRunner

from magnitsky.analysis import multilateral as multi
from magnitsky.cli import cli
from magnitsky.cli_multilateral import COMMANDS
from magnitsky.matching.persons import derive_persons
from magnitsky.store import Store, open_store
from tests.matching_helpers import designate

pytest_plugins = ["tests.matching_fixtures"]  # persons_store, one per session

for command in COMMANDS:
    if command.name not in cli.commands:
        cli.add_command(command)


def small_store() -> Store:
    """Zhu Hailun: US in a bracket (Jun 2020 – Jan 2021), EU and UK on 22 Mar 2021
    (the same day), Canada the same day; Wang Junzheng: US and UK the same day; a UK
    listing under a country regime; a company listed by the US only; a vessel."""
    store = open_store(None)
    bracket = (date(2020, 6, 11), date(2021, 1, 14))
    joint = date(2021, 3, 22)
    designate(store, "us-ofac-sdn", "29219", "ZHU, Hailun", "US-GLOMAG", bracket)
    designate(store, "eu-oj-annex", "I.A/5", "ZHU Hailun", "EU-HR", joint)
    designate(store, "gb-ofsi", "14078", "HAILUN ZHU", "GB-HR", joint)
    designate(store, "ca-sema", "China/1/1/1", "Hailun Zhu", "CA-CHINA", joint)
    designate(store, "us-ofac-sdn", "31492", "WANG, Junzheng", "US-GLOMAG", joint)
    designate(store, "gb-ofsi", "14077", "JUNZHENG WANG", "GB-HR", joint)
    designate(store, "gb-ofsi", "99", "CHEN, Mingguo", "GB-CHINA", date(2022, 1, 5))
    designate(store, "us-ofac-sdn", "77", "CHEN, Mingguo", "US-GLOMAG", date(2021, 12, 10))
    designate(store, "us-ofac-sdn", "5", "KITOKO FOOD FARM", "US-GLOMAG", joint, "Organization")
    designate(store, "us-ofac-sdn", "6", "SAM JONG 2", "US-GLOMAG", joint, "Vessel")
    derive_persons(store)
    return store


ZHU, WANG, CHEN, COMPANY, VESSEL = "29219", "31492", "77", "5", "6"


def by_id(found: list[multi.Person]) -> dict[str, multi.Person]:
    """Each person under the US id of its listing."""
    return {x.source_id: p for p in found for x in p.listings if x.source == "us-ofac-sdn"}


def test_a_person_counts_for_each_jurisdiction_that_sanctioned_them_under_the_programs() -> None:
    with small_store() as store:
        found = by_id(multi.persons(store))
    zhu = found[ZHU]
    assert zhu.jurisdictions == ("US", "EU", "GB")  # Canada used its China regulations
    assert VESSEL not in found  # property is not a person
    assert found[CHEN].jurisdictions == ("US",)


def test_an_ally_under_a_country_regime_counts_when_asked() -> None:
    with small_store() as store:
        found = by_id(multi.persons(store, allies_any_program=True))
    assert set(found[ZHU].jurisdictions) == {"US", "EU", "GB", "CA"}
    assert found[CHEN].jurisdictions == ("US", "GB")
    programs = {x.jurisdiction: x.program for x in found[CHEN].listings}
    assert programs == {"US": "US-GLOMAG", "GB": "GB-CHINA"}


def test_who_was_first_and_the_lag_of_the_others_with_bracket_bounds() -> None:
    with small_store() as store:
        zhu = by_id(multi.persons(store))[ZHU]
    assert [x.jurisdiction for x in zhu.first] == ["US"]
    assert zhu.first_certain()  # the US bracket ends before 22 March 2021
    eu = zhu.listings[1]
    days, low, high = zhu.lag(eu)
    assert (days, low, high) == (67, 67, 284)


def test_two_jurisdictions_on_the_same_day_are_both_first_and_not_certainly_so() -> None:
    with small_store() as store:
        wang = by_id(multi.persons(store))[WANG]
    assert {x.jurisdiction for x in wang.first} == {"US", "GB"}
    assert not wang.first_certain()


def test_rows_one_per_person_and_jurisdiction() -> None:
    with small_store() as store:
        rows = multi.rows(multi.multilateral(multi.persons(store)))
    person = next(r["person_id"] for r in rows if r["source_id"] == ZHU)
    zhu = [r for r in rows if r["person_id"] == person]
    assert {r["source_id"] for r in zhu} == {ZHU, "I.A/5", "14078"}
    assert [(r["jurisdiction"], r["first"], r["lag_days"]) for r in zhu] == [
        ("US", True, 0),
        ("EU", False, 67),
        ("GB", False, 67),
    ]
    assert zhu[0]["date_quality"] == "bracket" and zhu[1]["date_quality"] == "exact"


def test_counts_per_jurisdiction_and_year() -> None:
    with small_store() as store:
        counts = multi.counts_per_year(multi.persons(store))
    table = {(r["jurisdiction"], r["year"]): r for r in counts}
    assert table[("US", 2021)]["persons"] == 4  # Zhu, Wang, Chen, the company
    assert table[("US", 2021)]["multilateral"] == 2
    assert table[("US", 2021)]["first"] == 2
    assert table[("US", 2021)]["uncertain_year"] == 1  # Zhu's bracket spans 2020–2021
    assert table[("GB", 2021)] == {
        "jurisdiction": "GB",
        "year": 2021,
        "persons": 2,
        "multilateral": 2,
        "first": 1,
        "followed": 1,
        "order_unknown": 0,
        "uncertain_year": 0,
    }


def test_a_year_ending_in_early_december_moves_the_december_listing() -> None:
    with small_store() as store:
        counts = multi.counts_per_year(multi.persons(store), year_end=(12, 5))
    years = {(r["jurisdiction"], r["year"]): r["persons"] for r in counts}
    assert years[("US", 2022)] == 1  # Chen, 10 Dec 2021


def test_overlaps_between_every_pair_of_jurisdictions() -> None:
    with small_store() as store:
        overlaps = multi.overlaps(multi.persons(store))
    table = {(r["a"], r["b"]): r for r in overlaps}
    gb_us = table[("GB", "US")]
    assert (gb_us["both"], gb_us["a_persons"], gb_us["b_persons"]) == (2, 2, 4)
    assert (gb_us["b_first"], gb_us["same_day"], gb_us["a_first"]) == (1, 1, 0)
    assert table[("EU", "GB")]["same_day"] == 1


def test_joint_actions_within_a_week() -> None:
    with small_store() as store:
        joint = multi.joint_actions(multi.multilateral(multi.persons(store)))
    assert sorted(tuple(j["jurisdictions"]) for j in joint) == [("EU", "GB"), ("GB", "US")]
    assert all(j["certain"] for j in joint)


def test_persons_of_one_jurisdiction_only() -> None:
    with small_store() as store:
        alone = multi.unilateral(multi.persons(store))
    assert {p.listings[0].source_id for p in alone} == {CHEN, COMPANY}


# --- the real lists ----------------------------------------------------------------------


def test_the_real_lists_have_multilateral_persons_under_magnitsky_programs(
    persons_store: Path,
) -> None:
    with open_store(persons_store, read_only=True) as store:
        found = multi.persons(store)
    multilateral = multi.multilateral(found)
    assert len(multilateral) >= 100
    zhu = next(p for p in multilateral if p.listings[0].source_id == "29219")
    assert set(zhu.jurisdictions) == {"US", "EU", "GB"}
    overlaps = {(r["a"], r["b"]): r["both"] for r in multi.overlaps(found)}
    assert overlaps[("GB", "US")] >= 50


def test_persons_and_multilateral_commands(persons_store: Path) -> None:
    runner = CliRunner()
    db = ["--db", str(persons_store)]
    listed = runner.invoke(cli, [*db, "persons", "--program", "EU-HR", "--format", "json"])
    assert listed.exit_code == 0, listed.output
    rows = json.loads(listed.output)
    assert len(rows) == 177
    assert set(rows[0]) == set(multi.LISTING_COLUMNS)
    assert {r["jurisdiction"] for r in rows} == {"EU"}
    found = runner.invoke(cli, [*db, "multilateral", "--format", "csv"])
    assert found.exit_code == 0, found.output
    assert found.output.splitlines()[0].split(",") == list(multi.MULTILATERAL_COLUMNS)
    for view in ("counts", "overlaps", "joint", "unilateral"):
        result = runner.invoke(cli, [*db, "multilateral", "--view", view, "--format", "json"])
        assert result.exit_code == 0 and json.loads(result.output), (view, result.output)
    narrowed = runner.invoke(cli, [*db, "multilateral", "--programs", "EU-HR,GB-HR"])
    assert narrowed.exit_code == 0 and "US-GLOMAG" not in narrowed.output
