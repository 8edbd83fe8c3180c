"""The report's allies section: who sanctioned the same persons, who was first as far
as the dates tell, how long the others took, the year's joint actions and the gaps."""

from __future__ import annotations

from pathlib import Path

from magnitsky.analysis import multilateral as multi
from magnitsky.analysis.multilateral_section import bucket, section
from magnitsky.analysis.windows import window
from magnitsky.store import open_store
from tests.multilateral_fixtures import REYES, make_section, section_store


def by_name(rows: list[dict[str, object]], key: str = "name") -> dict[object, dict[str, object]]:
    return {r[key]: r for r in rows}


def test_who_was_first_only_where_the_dates_tell() -> None:
    with section_store() as store:
        found = {p.name: p for p in multi.persons(store)}
    zhu, wang, oleg = found["ZHU Hailun"], found["JUNZHENG WANG"], found["Oleg F SILCHENKO"]
    assert {x.jurisdiction: zhu.order(x) for x in zhu.listings} == {
        "US": "first", "EU": "followed", "GB": "followed"}
    assert {wang.order(x) for x in wang.listings} == {"together"}
    # a US baseline (on or before 26 Jan 2018) against Canada's 3 Nov 2017: open
    assert {x.jurisdiction: oleg.order(x) for x in oleg.listings} == {
        "CA": "unknown", "US": "unknown", "GB": "followed"}


def test_combinations_count_each_person_once_under_the_exact_set_of_jurisdictions() -> None:
    a = make_section()
    combos = {r["combination"]: r for r in a.combinations}
    assert combos["EU + GB + US"]["names"] == ["ZHU Hailun"]
    assert combos["CA + GB + US"]["persons"] == 1
    assert combos["GB"]["names"] == ["Nikolai PETROV"]
    assert sum(r["persons"] for r in a.combinations) == a.persons == 8
    assert a.multilateral == 4


def test_lags_count_only_certain_followers_and_say_what_is_open() -> None:
    lags = by_name(make_section().lags, "jurisdiction")
    gb = lags["GB"]
    # Zhu: 67 days after the US; Silchenko: 976 days after Canada's 2017 listing;
    # Salameh: 6 days after Canada
    assert (gb["followed"], gb["together"], gb["median_days"], gb["longest_days"]) == (
        3, 1, 67, 976)
    assert (gb["within a week"], gb["1 to 6 months"], gb["over a year"]) == (1, 1, 1)
    assert gb["before_own_regime"] == 1  # Silchenko: before the UK's program began
    assert gb["bucket_uncertain"] == 1  # Zhu: 67–284 days, a bucket the bracket leaves open
    assert (lags["US"]["first"], lags["US"]["together"], lags["US"]["order_unknown"]) == (1, 1, 1)
    assert (lags["CA"]["first"], lags["CA"]["order_unknown"]) == (1, 1)
    assert lags["CA"]["median_days"] is None


def test_counts_per_year_by_basis_where_the_program_tells() -> None:
    counts = {(r["jurisdiction"], r["year"]): r for r in make_section().counts}
    gb = counts[("GB", 2021)]  # Zhu and Wang under the UK's human-rights regime
    assert (gb["persons"], gb["human_rights"], gb["corruption"]) == (2, 2, 0)
    assert counts[("GB", 2023)]["corruption"] == 1  # Salameh, GB-AC
    ca = counts[("CA", 2017)]  # the Canadian regulations cover both: not told
    assert (ca["persons"], ca["basis_unknown"]) == (2, 2)
    for r in counts.values():
        assert sum(r[k] for k in multi.BASIS_COUNTS) == r["persons"]


def test_the_lag_buckets() -> None:
    assert [bucket(d) for d in (0, 7, 8, 31, 32, 183, 366, 367)] == [
        "within a week", "within a week", "8 days to a month", "8 days to a month",
        "1 to 6 months", "1 to 6 months", "6 months to a year", "over a year"]


def test_the_year_holds_its_listings_and_joint_actions() -> None:
    a = make_section(2021)
    listed = {(r["name"], r["jurisdiction"]): r for r in a.year_listings}
    assert listed[("ZHU Hailun", "US")]["in_the_year"] == "maybe"  # Jun 2020 – Jan 2021
    assert listed[("ZHU Hailun", "EU")]["in_the_year"] == "certain"
    assert ("Oleg F SILCHENKO", "GB") not in listed  # 2020
    assert sorted(r["combination"] for r in a.joint) == ["EU + GB", "GB + US"]
    assert make_section(2022).joint == []
    # a baseline (on or before 26 Jan 2018) may lie in any year up to 2018
    early = {(r["name"], r["jurisdiction"]): r["in_the_year"] for r in make_section(2017).year_listings}
    assert early[("Oleg F SILCHENKO", "US")] == "maybe"
    assert early[("Oleg F SILCHENKO", "CA")] == "certain"
    assert [r["name"] for r in make_section(2023).joint] == ["Riad SALAMEH"]


def test_gaps_are_persons_the_jurisdiction_has_not_sanctioned_by_its_last_list() -> None:
    gaps = make_section().not_by_jurisdiction
    names = [r["name"] for r in gaps]
    # Kim Chol: Australia, July 2024, after the US's last list (May 2024): not known
    assert "KIM Chol" not in names
    # never sanctioned by the US first (by two jurisdictions first); Petrov is, under a
    # country regime
    assert names == ["Riad SALAMEH", REYES, "Nikolai PETROV"]
    assert gaps[2]["other_program"] == "US-RUSSIA-EO14024 2022-03-01"
    assert gaps[1]["days_waiting"] == 2373  # 3 Nov 2017 to 3 May 2024


def test_the_longest_lags_first() -> None:
    rows = make_section().longest_lags
    assert [(r["name"], r["jurisdiction"], r["lag_days"]) for r in rows][:1] == [
        ("Oleg F SILCHENKO", "GB", 976)]
    assert all(r["order"] == "followed" for r in rows)


def test_the_summary_states_the_numbers_of_the_tables() -> None:
    a = make_section()
    text = " ".join(a.summary)
    assert "5 jurisdictions sanctioned at least 8 persons" in text  # the EU: one file
    assert "of the 4 persons US sanctioned, 3 (75%)" in text
    assert "certainly first on 1, first the same day as another on 1, followed another on 0" in text
    assert "on 1 the dates leave the order open" in text
    assert "In calendar year 2021 (2021-01-01 to 2021-12-31), counting each person once" in text
    assert ("EU (EU-HR) sanctioned at least 1 person (basis stated by the regime itself for 1;"
            " shown: 1 for human-rights abuse) [lower bound: one file (2026-08-22)") in text
    assert ("GB (GB-AC, GB-HR) sanctioned 2 persons (basis stated by the regime itself for 2;"
            " shown: 2 for human-rights abuse);") in text
    assert "US (US-GLOMAG, US-MAGNITSKY) sanctioned 3 persons (basis not told for 3)." in text
    assert "0 for" not in text
    assert "3 persons sanctioned by another jurisdiction had not been sanctioned by US" in text
    assert "2 of them not under any program of US either, 1 of those sanctioned by two" in text


def test_a_gap_does_not_claim_what_the_lists_read_cannot_tell() -> None:
    # the store holds the EU's human-rights regime only: whether the EU sanctioned the
    # others' persons under another program is not known
    with section_store() as store:
        eu = section(store, "EU-HR", window(2021))
    assert eu is not None and not eu.other_programs_read
    said = " ".join(eu.summary)
    assert "not under any program of EU" not in said
    assert "The lists read for EU hold only these programs" in said
    assert make_section().other_programs_read  # the US's country regimes are in the store


def test_no_section_without_other_jurisdictions() -> None:
    with open_store(None) as store:
        assert section(store, "US-GLOMAG", window(2023)) is None


# --- the real lists ----------------------------------------------------------------------


def test_the_real_lists(built_store: Path) -> None:
    with open_store(built_store, read_only=True) as store:
        a = section(store, "US-GLOMAG", window(2023))
        found = multi.persons(store)
    assert a is not None
    assert {r["jurisdiction"] for r in a.coverage} == {"US", "GB", "EU", "CA", "AU"}
    assert sum(r["persons"] for r in a.combinations) == a.persons == len(found)
    assert a.multilateral == len(multi.multilateral(found)) >= 100
    lags = by_name(a.lags, "jurisdiction")
    # the US Magnitsky Act listings of 2013–2017 are a baseline on the 2018 snapshot:
    # against Canada's 2017 listings of the same officials the order is open
    assert lags["US"]["order_unknown"] >= 40
    for r in a.lags:
        assert r["first"] + r["together"] + r["followed"] + r["order_unknown"] == r["persons"]
    # the UK's Magnitsky-Russia listings of July 2020 followed Canada's of 2017
    assert lags["GB"]["after"]["CA"] >= 40 and lags["GB"]["before_own_regime"] >= 40
    eu = [r for r in a.counts if r["jurisdiction"] == "EU"]
    assert eu and all(r["human_rights"] == r["persons"] for r in eu)  # EU-HR tells
    for r in a.counts:
        assert sum(r[k] for k in multi.BASIS_COUNTS) == r["persons"]
    joint = {r["name"] for r in a.joint}
    assert "Riad SALAMEH" in joint  # Canada 4 Aug, the UK 10 Aug 2023
    us_last = next(r["as_of"] for r in a.coverage if r["jurisdiction"] == "US")
    assert all(r["first_listed"] <= us_last for r in a.not_by_jurisdiction)
