"""Matching the same person across lists, on hand-made listings: names, dates, numbers,
the matcher's decisions and evidence, blocking and the clustering into persons."""

from __future__ import annotations

from magnitsky.matching import blocking, dates, identifiers, names
from magnitsky.matching.clustering import ScoredPair, cluster, person_id
from magnitsky.matching.listings import Entry
from magnitsky.matching.matcher import AUTOMATIC, NO_MATCH, POSSIBLE, compare
from magnitsky.matching.profile import TokenFrequencies, prepare


def entry(
    source: str,
    source_id: str,
    name: str,
    schema: str = "Person",
    aliases: tuple[str, ...] = (),
    birth: tuple[str, ...] = (),
    countries: tuple[str, ...] = (),
    ids: tuple[str, ...] = (),
) -> Entry:
    jurisdiction = source[:2].upper()
    return Entry(source, source_id, jurisdiction, schema, name, aliases, birth, countries, ids, ())


LISTINGS = {"Person": 15000, "Organization": 12000, "Vessel": 1200}
"""About as many listings as the real lists hold: a token of a test name that no other
test listing has is as rare as a surname in the real lists."""
COMMON = {"mohammad": 1500, "ali": 1200, "olga": 60}


def frequencies(listings: list[Entry]) -> TokenFrequencies:
    counted = TokenFrequencies(
        (e.schema, [t.text for f in names.forms(e.names, e.schema) for t in f.tokens])
        for e in listings
    )
    counted.listings.update({k: v - counted.listings[k] for k, v in LISTINGS.items()})
    for token, n in COMMON.items():
        counted.counts[("Person", token)] = n
    return counted


def decide(a: Entry, b: Entry):  # type: ignore[no-untyped-def]
    profiles, counted = prepare([a, b], frequencies([a, b]))
    return compare(profiles[0], profiles[1], counted)


# --- names ------------------------------------------------------------------------------


def test_a_name_in_cyrillic_and_in_another_order_is_the_same_name() -> None:
    cyrillic = names.forms(("Aлександр Петрович КАЛАШНИКОВ",), "Person")
    latin = names.forms(("KALASHNIKOV, Aleksandr Petrovich",), "Person")
    found = names.best_alignment(names.NameSet(cyrillic), names.NameSet(latin))
    assert found is not None and found.score == 1.0
    assert {a for a, _, _, _ in found.pairs} == {"aleksandr", "petrovich", "kalashnikov"}


def test_a_transliteration_aligns_by_sound_and_says_so() -> None:
    a = names.forms(("Ramzan Akhmadovitch KADYROV",), "Person")
    b = names.forms(("KADYROV, Ramzan Akhmatovich",), "Person")
    found = names.best_alignment(names.NameSet(a), names.NameSet(b))
    assert found is not None and found.score > 0.9
    assert ("akhmadovitch", "akhmatovich", 0.85, "same sound") in found.pairs


def test_a_bracketed_word_in_a_persons_name_is_another_spelling() -> None:
    assert names.variants("Alexander (Alexandr) Petrovich KALASHNIKOV") == [
        "Alexander (Alexandr) Petrovich KALASHNIKOV",
        "Alexander Petrovich KALASHNIKOV",
        "Alexandr Petrovich KALASHNIKOV",
    ]


def test_an_organisations_bracket_is_kept_unless_it_is_its_acronym() -> None:
    assert names.variants("Al-Haramain Foundation (Kenya)", "Organization") == [
        "Al-Haramain Foundation (Kenya)"
    ]
    assert "Myanma Economic Holdings Limited" in names.variants(
        "Myanma Economic Holdings Limited (MEHL)", "Organization"
    )


def test_english_and_french_halves_of_a_canadian_name_are_two_names() -> None:
    found = names.variants(
        "Aerospace Industries Organization (AIO)/Organisation iranienne des industries",
        "Organization",
    )
    assert "Aerospace Industries Organization" in found
    assert "Organisation iranienne des industries" in found


def test_a_legal_form_is_not_part_of_the_name_but_its_class_is_kept() -> None:
    (russian,) = names.forms(("OOO Sinara",), "Organization")
    (english,) = names.forms(("Limited Liability Company Sinara",), "Organization")
    assert russian.texts == english.texts == ("sinara",)
    assert russian.legal == english.legal == frozenset({"llc"})


# --- birth dates and identifiers ----------------------------------------------------------


def test_birth_dates_as_the_lists_write_them() -> None:
    assert dates.parse("1973-12-23") == dates.BirthDate("1973-12-23", "1973-12-23", 1973, 1973)
    assert dates.parse("circa 1958") == dates.BirthDate("circa 1958", None, 1957, 1959)
    assert dates.parse("01 Jan 1957 to 31 Jan 1957").first_year == 1957  # type: ignore[union-attr]
    early_70s = dates.parse("born in the early 1970s")
    assert early_70s is not None and (early_70s.first_year, early_70s.last_year) == (1970, 1979)
    assert dates.parse("na") is None


def test_a_day_and_month_swapped_between_lists_is_the_same_year_not_a_conflict() -> None:
    found = dates.compare(dates.parse_all(("1987-03-06",)), dates.parse_all(("1987-06-03",)))
    assert found.kind == "same_year"
    assert dates.compare(dates.parse_all(("1975-02-28",)), dates.parse_all(("1960",))).kind == (
        "conflict"
    )
    assert dates.compare((), dates.parse_all(("1960",))).kind == "unknown"


def test_identifier_numbers_without_kind_country_dates_or_separators() -> None:
    assert [
        i.number for i in identifiers.parse("Passport 10945182 (Israel) issued 28 Jun 2010")
    ] == ["10945182"]
    assert [i.number for i in identifiers.parse("National ID: 51602-9768615-5")] == [
        "5160297686155"
    ]
    assert [i.number for i in identifiers.parse("National ID No. 027100619 (Israel)")] == [
        "27100619"
    ]
    assert identifiers.parse("IMO 9305192")[0].kind == "imo"
    assert identifiers.parse("Passport: 1234") == []  # too short to tell persons apart


# --- the matcher --------------------------------------------------------------------------


def test_a_person_never_matches_an_organization() -> None:
    person = entry("us-ofac-sdn", "1", "KALASHNIKOV, Aleksandr")
    company = entry("gb-ofsi", "2", "Aleksandr KALASHNIKOV", schema="Organization")
    assert decide(person, company) is None


def test_same_name_and_birth_day_in_two_lists_is_an_automatic_match_with_its_evidence() -> None:
    a = entry("us-ofac-sdn", "1", "BASTRYKIN, Alexander Ivanovich", birth=("1953-08-27",))
    b = entry("gb-ofsi", "2", "Alexander Ivanovich BASTRYKIN", birth=("1953-08-27",))
    found = decide(a, b)
    assert found is not None and found.status == AUTOMATIC and found.score == 1.0
    evidence = {f["feature"]: f for f in found.evidence()}
    assert evidence["birth_date_same"]["evidence"] == "1953-08-27 = 1953-08-27"
    assert evidence["birth_date_same"]["weight"] > 0
    assert "bastrykin" in evidence["name_similarity"]["evidence"]


def test_a_missing_patronymic_still_matches() -> None:
    a = entry("ca-sema", "JVCFOA/1", "Olga STEPANOVA")
    b = entry("gb-ofsi", "2", "Olga Germanovna STEPANOVA", birth=("1962-07-29",))
    found = decide(a, b)
    assert found is not None and found.status == AUTOMATIC
    assert "name_contained" in {f.name for f in found.features}


def test_brothers_sharing_a_surname_are_not_one_person() -> None:
    ajay = entry("gb-ofsi", "1", "Ajay Kumar GUPTA", birth=("1966-02-05",))
    atul = entry("us-ofac-sdn", "2", "GUPTA, Atul", birth=("1968-06-14",))
    found = decide(ajay, atul)
    assert found is not None and found.status == NO_MATCH


def test_a_son_whose_name_holds_his_fathers_is_not_the_father() -> None:
    son = entry("au-dfat", "1", "Ahmed Ali Abdullah SALEH", birth=("1972-07-25",))
    father = entry("us-ofac-sdn", "2", "SALEH, Ali Abdullah", birth=("1945-03-21",))
    found = decide(son, father)
    assert found is not None and found.status == NO_MATCH
    assert "birth_date_conflict" in {f.name for f in found.features}


def test_the_same_full_name_with_another_birth_date_waits_for_review() -> None:
    # the UK and the US give Ahmad al-Asiri different birth days: a typo in one list or
    # two men; a person decides, the matcher does not merge and does not drop the pair
    uk = entry("gb-ofsi", "13894", "Ahmad Hassan Mohammed AL ASIRI", birth=("1952-02-12",))
    us = entry("us-ofac-sdn", "31162", "AL ASIRI, Ahmad Hassan Mohammed", birth=("1966-10-15",))
    found = decide(uk, us)
    assert found is not None and found.status == POSSIBLE
    assert "birth_date_conflict" in {f.name for f in found.features}


def test_a_shared_passport_number_lifts_a_transliterated_name() -> None:
    a = entry("us-ofac-sdn", "1", "AL-QAHTANI, Saud", ids=("Passport D079021 (Saudi Arabia)",))
    b = entry("gb-ofsi", "2", "Saud Abdullah AL QAHTANI", ids=("Passport: D079021",))
    found = decide(a, b)
    assert found is not None and found.status == AUTOMATIC
    assert "identifier_shared" in {f.name for f in found.features}


def test_a_common_name_alone_is_not_enough() -> None:
    a = entry("us-ofac-sdn", "1", "ALI, Mohammad")
    b = entry("gb-ofsi", "2", "Mohammad ALI")
    found = decide(a, b)
    assert found is not None and found.status != AUTOMATIC
    assert "common_name" in {f.name for f in found.features}


def test_one_word_aliases_of_persons_do_not_make_a_match() -> None:
    a = entry("gb-ofsi", "1", "Furqan BANGALZAI", aliases=("ABDULLAH",))
    b = entry("us-ofac-sdn", "2", "ZERFAOUI, Ahmad", aliases=("ABDULLAH",))
    found = decide(a, b)
    assert found is not None and found.score < 0.7


def test_one_word_names_of_organisations_do() -> None:
    a = entry("eu-oj-annex", "1", "Lehava", schema="Organization")
    b = entry("gb-ofsi", "2", "LEHAVA", schema="Organization")
    found = decide(a, b)
    assert found is not None and found.status == AUTOMATIC


def test_a_branch_named_by_adding_words_is_not_its_parent() -> None:
    a = entry("us-ofac-sdn", "1", "POPULAR FRONT FOR THE LIBERATION OF PALESTINE", "Organization")
    b = entry(
        "au-dfat",
        "2",
        "Popular Front for the Liberation of Palestine – General Command",
        "Organization",
    )
    found = decide(a, b)
    assert found is not None and found.status != AUTOMATIC
    assert "name_extra_words" in {f.name for f in found.features}


def test_vessels_are_told_apart_by_their_imo_numbers() -> None:
    a = entry("us-ofac-sdn", "1", "SAM JONG 2", "Vessel", ids=("IMO 7408873",))
    same = entry("gb-ofsi", "2", "SAM JONG 2", "Vessel", ids=("IMO: 7408873",))
    other = entry("gb-ofsi", "3", "SAM JONG 2", "Vessel", ids=("IMO: 8503228",))
    assert decide(a, same).status == AUTOMATIC  # type: ignore[union-attr]
    assert decide(a, other).status == NO_MATCH  # type: ignore[union-attr]


def test_transliterated_names_without_birth_dates_are_possible_when_only_alike() -> None:
    a = entry("ca-sema", "1", "Aleksei Anatolyevich ALEKSANDROV")
    b = entry("us-ofac-sdn", "2", "ALEXANDROV, Alexey Alexandrovich", birth=("1981-06-16",))
    found = decide(a, b)
    assert found is not None and found.status in (POSSIBLE, NO_MATCH)


# --- blocking -----------------------------------------------------------------------------


def test_blocking_pairs_transliterations_across_lists_and_not_within_one() -> None:
    listings = [
        entry("us-ofac-sdn", "1", "KADYROV, Ramzan Akhmatovich"),
        entry("ca-sema", "2", "Ramzan Akhmadovitch KADYROV"),
        entry("us-ofac-sdn", "3", "KADYROV, Ramzan"),
        entry("gb-ofsi", "4", "Saud AL QAHTANI"),
    ]
    profiles, _ = prepare(listings, frequencies(listings))
    pairs = set(blocking.candidate_pairs(profiles))
    assert (0, 1) in pairs and (1, 2) in pairs
    assert (0, 2) not in pairs  # one list
    assert not any(3 in pair for pair in pairs)
    assert len(pairs) < len(list(blocking.all_pairs(profiles)))


# --- clustering ---------------------------------------------------------------------------

US1, US2, GB, CA = ("us-ofac-sdn", "1"), ("us-ofac-sdn", "2"), ("gb-ofsi", "9"), ("ca-sema", "5")


def statuses(memberships):  # type: ignore[no-untyped-def]
    return {m.key: (m.person_id, m.status) for m in memberships}


def test_a_chain_through_another_list_does_not_join_two_entries_of_one_list() -> None:
    pairs = [ScoredPair(US1, GB, 0.95, AUTOMATIC, 1.0), ScoredPair(US2, GB, 0.93, AUTOMATIC, 1.0)]
    found = statuses(cluster([US1, US2, GB], pairs, {}, lambda a, b: False))
    assert found[US1][0] == found[GB][0] != found[US2][0]
    assert found[US2][1] == "possible"  # the refused pair waits for review


def test_two_entries_of_one_list_that_match_each_other_are_one_person() -> None:
    pairs = [ScoredPair(US1, GB, 0.95, AUTOMATIC, 1.0), ScoredPair(US2, GB, 0.95, AUTOMATIC, 1.0)]
    found = statuses(cluster([US1, US2, GB], pairs, {}, lambda a, b: True))
    assert found[US1][0] == found[US2][0] == found[GB][0]


def test_a_rejected_pair_is_never_joined_and_a_confirmed_one_always() -> None:
    pairs = [ScoredPair(US1, GB, 0.95, AUTOMATIC, 1.0), ScoredPair(GB, CA, 0.75, POSSIBLE, 0.7)]
    judged = {(GB, US1): "rejected", (CA, GB): "confirmed"}
    found = statuses(cluster([US1, GB, CA], pairs, judged, lambda a, b: True))
    assert found[US1][1] == "single"
    assert found[GB][0] == found[CA][0] and found[GB][1] == found[CA][1] == "confirmed"


def test_an_unjudged_possible_pair_marks_both_listings_possible() -> None:
    found = statuses(cluster([US1, GB], [ScoredPair(US1, GB, 0.8, POSSIBLE)], {}, lambda a, b: 1))
    assert found[US1][1] == found[GB][1] == "possible" and found[US1][0] != found[GB][0]


def test_a_persons_id_comes_from_its_first_listing() -> None:
    assert person_id([GB, US1]) == person_id([CA, GB, US1][1:]) != person_id([CA, GB])
