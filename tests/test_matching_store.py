"""Deriving the persons of a small hand-made store: every listing gets a person, the
pairs keep their evidence, and the user's judgements are applied at every derivation."""

from __future__ import annotations

import json
from datetime import date

from magnitsky.matching.persons import derive_persons, judge, load_judgements, resolve_listing
from magnitsky.store import Store, open_store
from tests.matching_helpers import designate

DAY = date(2021, 3, 22)


def small_store() -> Store:
    store = open_store(None)
    designate(store, "us-ofac-sdn", "29219", "ZHU, Hailun", "US-GLOMAG", DAY, countries=("China",))
    designate(store, "gb-ofsi", "14078", "HAILUN ZHU", "GB-HR", DAY, countries=("China",))
    designate(store, "eu-oj-annex", "I.A/5", "ZHU Hailun", "EU-HR", DAY, aliases=("朱海仑",))
    designate(store, "ca-sema", "China/1/1/1", "Hailun Zhu", "CA-CHINA", DAY)
    designate(store, "us-ofac-sdn", "31492", "WANG, Junzheng", "US-GLOMAG", DAY)
    designate(store, "gb-ofsi", "14077", "JUNZHENG WANG", "GB-HR", DAY)
    designate(
        store, "gb-ofsi", "14079", "XINJIANG PUBLIC SECURITY BUREAU", "GB-HR", DAY, "Organization"
    )
    return store


def persons(store: Store) -> dict[str, tuple[str, str]]:
    return {
        f"{source}:{source_id}": (person, status)
        for person, source, source_id, status in store.rows(
            "SELECT person_id, source, source_id, match_status FROM persons"
        )
    }


def test_every_listing_gets_a_person_and_one_person_spans_four_lists() -> None:
    with small_store() as store:
        summary = derive_persons(store)
        found = persons(store)
    assert summary.listings == len(found) == 7
    zhu = {found[k][0] for k in ("us-ofac-sdn:29219", "gb-ofsi:14078", "eu-oj-annex:I.A/5")}
    assert len(zhu) == 1 and found["ca-sema:China/1/1/1"][0] in zhu
    assert found["us-ofac-sdn:31492"][0] == found["gb-ofsi:14077"][0] not in zhu
    assert found["gb-ofsi:14079"][1] == "single"
    assert summary.persons == 3


def test_the_pairs_are_stored_with_their_evidence() -> None:
    with small_store() as store:
        derive_persons(store)
        rows = store.dicts("SELECT * FROM match_pairs ORDER BY score DESC")
    assert rows and rows[0]["status"] == "automatic"
    features = {f["feature"] for f in json.loads(rows[0]["evidence"])}
    assert "name_similarity" in features


def test_judgements_are_applied_at_every_derivation_and_never_deleted() -> None:
    with small_store() as store:
        derive_persons(store)
        us, gb = ("us-ofac-sdn", "31492"), ("gb-ofsi", "14077")
        judge(store, us, gb, "rejected", "two men")
        assert persons(store)["us-ofac-sdn:31492"][0] != persons(store)["gb-ofsi:14077"][0]
        derive_persons(store)
        derive_persons(store)
        assert load_judgements(store) == {(gb, us): "rejected"}
        assert persons(store)["us-ofac-sdn:31492"][0] != persons(store)["gb-ofsi:14077"][0]
        judge(store, gb, us, "confirmed")  # a new judgement replaces the old one
        derive_persons(store)
        assert persons(store)["gb-ofsi:14077"] == (
            persons(store)["us-ofac-sdn:31492"][0],
            "confirmed",
        )


def test_a_listing_is_named_by_source_and_id_or_by_an_id_only_one_list_uses() -> None:
    with small_store() as store:
        derive_persons(store)
        assert resolve_listing(store, "gb-ofsi:14077") == ("gb-ofsi", "14077")
        assert resolve_listing(store, "China/1/1/1") == ("ca-sema", "China/1/1/1")
