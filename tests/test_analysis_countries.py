"""Countries as ISO codes through rigour, with unresolved names reported."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rigour.territories import get_territory

from magnitsky.analysis import countries
from magnitsky.analysis.designations import load
from magnitsky.store import open_store


@pytest.mark.parametrize(("name", "code"), [
    ("Congo, Democratic Republic of the", "CD"),
    ("Korea, North", "KP"),
    ("Burma", "MM"),
    ("Pyongyang, Korea, North", "KP"),
    ("Kinshasa, Congo, Democratic Republic of the", "CD"),
    ("Brazzaville, Congo, Republic of the", "CG"),
    ("Bosnia-Herzegovina", "BA"),
    ("Region: Crimea", "UA"),
    ("Moscow, Russia", "RU"),
    ("Hong Kong", "HK"),
    ("Virgin Islands, British", "VG"),
    ("Tunisi (Tunisia)", "TN"),
])
def test_list_spellings_resolve_to_iso_codes(name: str, code: str) -> None:
    assert countries.resolve(name) == code


@pytest.mark.parametrize("name", ["Jalisco", "USSR", "Serbia and Montenegro", "possibly Palestinian",
                                  "Democratic Republic of the"])
def test_what_the_library_cannot_place_in_a_current_country_is_not_guessed(name: str) -> None:
    assert countries.resolve(name) is None


def test_a_designation_keeps_each_country_with_its_field_and_reports_the_rest() -> None:
    row: dict[str, Any] = {
        "nationalities": ["Korea, North"],
        "remarks": "DOB 1960; POB Guadalajara, Jalisco; POB Kinshasa, Congo, Democratic Republic"
                   " of the; Passport 1 (Korea, North); Registration Number 2 (Stuttgart)"
                   " (Germany); Economic Register Number (CBLS) 3 (Cyprus).",
    }
    found, missed = countries.places(row)
    assert [(p.code, p.field) for p in found] == [
        ("KP", "nationality"), ("CD", "birth place"), ("KP", "identifier"),
        ("DE", "identifier"), ("CY", "identifier")]
    assert countries.codes(found) == ["KP", "CD", "DE", "CY"]
    assert missed == [("Guadalajara, Jalisco", "birth place")]
    assert countries.unresolved([row]) == [
        {"text": "Guadalajara, Jalisco", "field": "birth place", "designations": 1}]


def test_regions_come_from_the_library() -> None:
    assert countries.region("CD") == "Africa" and countries.subregion("CD") == "Middle Africa"
    assert countries.region("MM") == "Asia"


@pytest.fixture(scope="module")
def glomag(built_store: Path) -> Iterator[list[dict[str, Any]]]:
    with open_store(built_store, read_only=True) as store:
        yield load(store, "US-GLOMAG")


def test_on_the_real_list_every_code_is_a_country_the_library_knows(glomag: list[dict[str, Any]]) -> None:
    persons = [r for r in glomag if r["schema"] in ("Person", "Organization")]
    with_country = [r for r in persons if r["country_codes"]]
    assert len(with_country) >= 0.8 * len(persons)
    for r in with_country:
        for code in r["country_codes"]:
            assert len(code) == 2 and code.isupper()
            assert get_territory(code.lower()) is not None
        assert set(r["regions"]) <= {"Africa", "Americas", "Asia", "Europe", "Oceania"}
    unresolved = countries.unresolved(glomag)
    assert sum(u["designations"] for u in unresolved) <= 0.02 * len(glomag)
