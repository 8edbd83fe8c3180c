"""The first designation of each kind, and whether it is certain."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from magnitsky.analysis import precedents
from magnitsky.analysis.designations import load
from magnitsky.store import Store, open_store
from tests.analysis_fixtures import designate

JUDGE = "Judge of the District Court"
YEAR_2023 = (date(2023, 1, 1), date(2023, 12, 31))


@pytest.fixture()
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(tmp_path / "precedents.duckdb") as opened:
        yield opened


def first(rows: list[dict[str, Any]], kind: str, value: str) -> dict[str, Any]:
    return next(p for p in precedents.firsts(rows) if (p["kind"], p["value"]) == (kind, value))


def test_the_first_judge_with_date_quality_and_evidence(store: Store) -> None:
    designate(store, "2", "LATER, Judge", date(2024, 3, 1), title=JUDGE)
    designate(store, "1", "FIRST, Judge", date(2023, 3, 3), title=JUDGE)
    p = first(load(store, "US-GLOMAG"), "role", "judge")
    assert (p["name"], p["date"], p["date_quality"], p["certain"]) == ("FIRST, Judge", date(2023, 3, 3), "exact", True)
    assert p["evidence"] == f"judge: 'Judge' in '{JUDGE}' (SDN title)"
    assert p["candidates"] == 2


def test_an_overlapping_bracket_makes_the_precedent_uncertain(store: Store) -> None:
    designate(store, "1", "BRACKETED, Judge", (date(2023, 2, 1), date(2023, 3, 1)), title=JUDGE)
    designate(store, "2", "EXACT, Judge", date(2023, 2, 15), title=JUDGE)
    p = first(load(store, "US-GLOMAG"), "role", "judge")
    assert p["name"] == "EXACT, Judge" and not p["certain"]
    assert p["rivals"] == ["BRACKETED, Judge"] and p["earliest"] == date(2023, 2, 1)


def test_two_judges_designated_the_same_day_are_a_joint_first(store: Store) -> None:
    designate(store, "1", "A, Judge", date(2023, 3, 3), title=JUDGE)
    designate(store, "2", "B, Judge", date(2023, 3, 3), title=JUDGE)
    p = first(load(store, "US-GLOMAG"), "role", "judge")
    assert p["certain"] and p["joint"] == ["B, Judge"]


def test_precedents_in_a_year_are_those_set_in_its_window(store: Store) -> None:
    designate(store, "1", "OLD, Judge", date(2022, 6, 1), title=JUDGE)
    designate(store, "2", "NEW, Minister", date(2023, 6, 1), title="Minister of Justice")
    designate(store, "3", "EDGE, Prosecutor", (date(2022, 12, 20), date(2023, 1, 5)),
              title="Prosecutor General")
    found = {(p["value"], p["in_year"]) for p in precedents.precedents_in(
        load(store, "US-GLOMAG"), 2023, YEAR_2023, kinds=["role"])}
    assert found == {("minister", "certain"), ("prosecutor", "possible")}


def test_vessels_set_no_precedents(store: Store) -> None:
    designate(store, "v", "SHIP", date(2023, 1, 1), schema="Vessel", nationalities=("Panama",))
    assert precedents.firsts(load(store, "US-GLOMAG")) == []


def test_kinds_are_pluggable(store: Store) -> None:
    designate(store, "1", "TRAFFICKER, One", date(2023, 5, 1), remarks="Human trafficking ring.")
    theme = precedents.Kind(
        "abuse", lambda r: [("trafficking", "remarks")] if "trafficking" in (r.get("remarks") or "") else [])
    precedents.register(theme)
    try:
        p = first(load(store, "US-GLOMAG"), "abuse", "trafficking")
        assert p["name"] == "TRAFFICKER, One"
    finally:
        del precedents.KINDS["abuse"]
