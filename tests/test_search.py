"""Finding a person by any of their names, over the store built from the real lists: word
order, accents, case, script and spelling do not matter; the results are persons (every
listing of theirs on every list), ranked; a query with no result gets the nearest names."""

from __future__ import annotations

from pathlib import Path

import pytest

from magnitsky.search import SearchIndex
from magnitsky.store import open_store
from tests.test_cli import magnitsky


@pytest.fixture(scope="module")
def index(built_store: Path) -> SearchIndex:
    with open_store(built_store, read_only=True) as store:
        return SearchIndex.of(store)


def first(index: SearchIndex, query: str) -> dict[str, object]:
    found = index.search(query)
    assert found.hits, (query, [h.as_dict()["name"] for h in found.suggestions])
    return found.hits[0].as_dict()


@pytest.mark.parametrize(
    ("query", "listed_as", "jurisdictions"),
    [
        # word order: the lists write "SALAMEH, Riad" and "Riad Toufic SALAMEH"
        ("salameh riad", "SALAMEH", {"US", "GB", "CA"}),
        # accents: Canada writes "Adán Coromoto CHÁVEZ FRÍAS"
        ("chavez frias", "CHÁVEZ FRÍAS", {"US", "CA"}),
        # spelling: every list writes BASTRYKIN
        ("bastrikin", "BASTRYKIN", {"US", "GB", "EU", "CA", "AU"}),
        # script: a list gives the Cyrillic spelling as an alias
        ("Бастрыкин Александр", "BASTRYKIN", {"US", "GB", "EU", "CA", "AU"}),
        # a company without its legal form ("Rosoboronexport JSC", "OAO Rosoboronexport")
        ("rosoboronexport", "Rosoboronexport", {"US"}),
        # case and a typed prefix of the last word
        ("KARIMOVA gulna", "KARIMOVA", {"US"}),
    ],
)
def test_the_right_person_comes_first(
    index: SearchIndex, query: str, listed_as: str, jurisdictions: set[str]
) -> None:
    hit = first(index, query)
    assert listed_as.casefold() in str(hit["name"]).casefold(), hit
    assert jurisdictions <= set(hit["jurisdictions"]), hit  # type: ignore[call-overload]


def test_a_result_is_a_person_with_every_listing_and_what_the_lists_say(
    index: SearchIndex,
) -> None:
    found = index.search("riad salameh")
    ids = [h.person.person_id for h in found.hits]
    assert len(ids) == len(set(ids)), "a person is one result, not one per list"
    hit = found.hits[0].as_dict()
    assert hit["listings"] == 3 and hit["jurisdictions"] == ["CA", "GB", "US"]
    assert {"GB-AC", "CA-JVCFOA"} <= set(hit["programs"])  # type: ignore[call-overload]
    assert "LB" in hit["countries"]  # type: ignore[operator]
    assert str(hit["first_listed"]) == "2023-08-04" and hit["first_listed_quality"] == "exact"
    assert str(hit["url"]) == f"/persons/{hit['person_id']}"
    # the family name alone finds the family: one result per person
    family = [h.person.name() for h in index.search("salameh").hits]
    assert any("Riad" in n for n in family) and any("Raja" in n for n in family), family


def test_a_query_with_no_result_gets_the_nearest_names(index: SearchIndex) -> None:
    found = index.search("bastrykinovichev zxq")
    assert not found.hits
    assert found.suggestions
    assert any("BASTRYKIN" in h.person.name() for h in found.suggestions)


def test_an_empty_query_finds_nothing_and_suggests_nothing(index: SearchIndex) -> None:
    found = index.search("   ")
    assert not found.hits and not found.suggestions


def test_the_command_line_search(built_store: Path) -> None:
    done = magnitsky(built_store, "search", "chavez frias", "--format", "json")
    assert done.returncode == 0, done.stderr
    assert "CHÁVEZ FRÍAS" in done.stdout
    empty = magnitsky(built_store, "search", "zzqxv qqzzx")
    assert empty.returncode == 1 and "no person" in empty.stderr
