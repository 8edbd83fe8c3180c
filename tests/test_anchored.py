"""The list says who, the text says why: a release's designees anchored on the entries
its day's action designated, on the real files (the built store, and releases under
other programs that the store does not read)."""

from __future__ import annotations

from pathlib import Path

from magnitsky.evidence.anchored import anchor
from magnitsky.evidence.designee import Designee
from magnitsky.evidence.finding import evaluate, format_report
from magnitsky.history.texts import known_entries
from magnitsky.readers import treasury_press
from magnitsky.store import open_store

OTHER = "us/treasury/press_releases_other"


def _anchored(built_store: Path, path: Path) -> dict[str, Designee]:
    release = treasury_press.read(path)
    with open_store(built_store, read_only=True) as store:
        known = known_entries(store, release.date)
    designees, _ = anchor(release.designees, known, release.blocks, release.skipped)
    return {d.name: d for d in designees}


def test_the_entries_new_in_the_next_snapshot_are_found_where_the_text_names_them(
    built_store: Path, shared_data: Path
) -> None:
    # sm704 (2019-06-11, Syria, E.O. 13573): the prose reader misses Samer Foz and his
    # companies ("Samer Foz has materially assisted …", "Aman Holding Company is owned or
    # controlled by … Samer Foz, and is being designated pursuant to E.O. 13573").
    designees = _anchored(built_store, shared_data / OTHER / "sm704.html")
    samer, aman = designees["Samer Foz"], designees["Aman Holding Company"]
    assert samer.listing is not None and samer.listing.name == "FOZ, Samer"
    assert (samer.authority, aman.authority) == ("E.O. 13573", "E.O. 13573")
    # The company's basis is the company's: owned or controlled by Samer Foz. The
    # sentence is no basis of Samer Foz, whom it names after the words.
    assert [b.label for b in aman.facts().basis] == ["owned_controlled"]
    assert [b.label for b in samer.facts().basis] == ["support"]
    assert [b.label for b in designees["Husen Foz"].facts().basis] == ["acting_for"]
    # Under another order: no E.O. 13818 section.
    assert all(
        b.section is None
        for d in designees.values()
        for b in d.facts().basis
        if d.authority == "E.O. 13573"
    )


def test_an_entity_named_only_as_owner_of_blocked_property_is_no_designee_of_the_day(
    built_store: Path, shared_data: Path
) -> None:
    # sm841 (2019-12-03) identifies six vessels "as blocked property of Petroleos de
    # Venezuela, S.A. (PdVSA)"; PdVSA is new in the snapshot after it (designated in
    # January 2019), but not designated by this action.
    designees = _anchored(built_store, shared_data / OTHER / "sm841.html")
    assert not any("PETROLEOS" in d.name.upper() for d in designees.values())


def test_anchoring_finds_more_designees_and_none_for_global_magnitsky(
    built_store: Path, shared_data: Path
) -> None:
    with open_store(built_store, read_only=True) as store:
        report = evaluate(shared_data / OTHER, lambda day: known_entries(store, day))
    prose = evaluate(shared_data / OTHER)
    assert report.global_magnitsky == [], format_report(report)
    assert report.hits >= prose.hits + 10, format_report(report)
    # 129 found and 14 extra against the prose reader's 119 and 12: the extras are list
    # names the reviewers wrote otherwise ("Aman Holding Company" for "Aman Holding").
    assert report.extras <= prose.extras + 3, format_report(report)
    assert report.precision >= 0.85, format_report(report)
