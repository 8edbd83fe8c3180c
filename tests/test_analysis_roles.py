"""Roles read from titles and remarks, with the words that showed them; tested on titles
that stand in the real list."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from magnitsky.analysis.roles import ROLES, roles_of
from magnitsky.store import Store, open_store

HEAD = "head of state or government"
SECURITY = "prison or security official"
# Real SDN titles and the roles they show.
TITLES = {
    "Judge of the Basmannyy District Court in Moscow": {"judge"},
    "Judge, Revolutionary Court of Shiraz": {"judge"},
    "President of Zimbabwe": {HEAD},
    "President of the Russian Federation": {HEAD},
    "President of ABMC Thai-South Sudan Construction Company": {"business person"},
    "President of Venezuela's National Electoral Council; President of Venezuela's National Board of Elections": set(),
    "Aide to the President of the Russian Federation": set(),
    "Prime Minister": {HEAD},
    "Deputy Prime Minister of the Russian Federation": {"minister"},
    "Supreme Leader of Iran": {HEAD},
    "Salvadoran Minister of Labor": {"minister"},
    "Guatemalan Congressman": {"legislator"},
    "Member of the State Duma of the Federal Assembly of the Russian Federation": {"legislator"},
    "Prosecutor-General of Tehran; General and Revolutionary Prosecutor of Tehran; Tehran Public and Revolution Prosecutor; Tehran Public Prosecutor": {"prosecutor"},
    "Union Attorney General": {"prosecutor"},
    "LEF Commander for Kermanshah Province": {"police"},
    "Director, Policia Nacional Revolucionaria": {"police"},
    "Deputy Minister of Internal Affairs of the Chechen Republic and Major General of the Police": {"minister", "police"},
    "Chief, Central Army": {"military"},
    "Major General": {"military"},
    "General": {"military"},
    "Warden of Rajaee Shahr Prison": {SECURITY},
    "Director of the Tibetan Public Security Bureau": {SECURITY},
    "Chairman of Belarusian KGB": {SECURITY},
    "Managing Director, Petro Suisse Intertrade Company": {"business person"},
    "Chairman of Anti-Corruption Commission": set(),
    "Secretary General": set(),
    "Attorney General": {"prosecutor"},
}


@pytest.fixture(scope="module")
def real_titles(built_store: Path) -> Iterator[set[str]]:
    with open_store(built_store, read_only=True) as store:
        yield _titles(store)


def _titles(store: Store) -> set[str]:
    return {t for (t,) in store.rows("SELECT DISTINCT title FROM records WHERE title IS NOT NULL")}


def test_the_titles_below_stand_in_the_real_list(real_titles: set[str]) -> None:
    assert set(TITLES) <= real_titles


@pytest.mark.parametrize(("title", "expected"), TITLES.items())
def test_the_roles_a_real_title_shows(title: str, expected: set[str]) -> None:
    assert {r.role for r in roles_of({"schema": "Person", "title": title})} == expected


def test_every_role_found_in_the_real_titles_quotes_words_of_that_title(
    real_titles: set[str],
) -> None:
    found = 0
    for title in real_titles:
        for role in roles_of({"schema": "Person", "title": title}):
            assert role.role in ROLES and role.field == "title"
            assert role.words.lower() in title.lower() and role.clause in title
            found += 1
    assert found > 300


def test_entities_and_vessels_have_no_roles() -> None:
    assert roles_of({"schema": "Organization", "title": "Judge"}) == []
    assert roles_of({"schema": "Vessel", "title": "Navy"}) == []


def test_a_position_in_the_remarks_is_read_but_not_an_alias_or_identifier() -> None:
    person = {
        "schema": "Person",
        "title": None,
        "remarks": "DOB 21 Mar 1967; a.k.a. 'GENERAL JUDGE'; Passport A1 (Iran);"
        " Gender Male; LEF Commander for Kermanshah Province.",
    }
    found = roles_of(person)
    assert [(r.role, r.field, r.words) for r in found] == [("police", "remarks", "LEF")]


def test_the_evidence_names_the_role_the_words_and_the_field() -> None:
    from magnitsky.analysis.roles import evidence

    row = {"schema": "Person", "source": "us-ofac-sdn", "title": "Warden of Evin Prison"}
    assert evidence(row, roles_of(row)) == [
        f"{SECURITY}: 'Prison' in 'Warden of Evin Prison' (SDN title)"]
