"""Linking designees of press releases to list entries: certain links, links for review,
and none, never assumed silently. Real data: Recent Actions pages of the same dates and the
SDN snapshots taken after each release."""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path

from magnitsky.evidence.designee import Designee
from magnitsky.evidence.linking import Candidate, candidates, summary
from magnitsky.listing import Listing
from magnitsky.readers import ofac_csv, ofac_recent, treasury_press

SM_JY = ("sm453", "sm460", "sm692", "sm735", "sm1206", "jy0921", "jy1118", "jy1158")


@cache
def _snapshot(path: Path) -> tuple[Listing, ...]:
    return tuple(ofac_csv.read(path))


def _snapshot_after(shared_data: Path, day: date) -> Path:
    """The first SDN snapshot taken after a release: the list that should hold it."""
    for path in sorted((shared_data / "us/ofac/snapshots").glob("sdn_*")):
        if date.fromisoformat(path.stem.removeprefix("sdn_")) > day:
            return path
    raise AssertionError(f"no snapshot after {day}")


def _links(shared_data: Path, release: str) -> dict[str, list[Candidate]]:
    read = treasury_press.read(shared_data / "us/treasury/press_releases" / f"{release}.html")
    if release.startswith("sb"):
        page = shared_data / f"us/ofac/recent_actions/{read.date:%Y%m%d}.html"
        listings: tuple[Listing, ...] = tuple(a.listing for a in ofac_recent.read(page))
    else:
        listings = _snapshot(_snapshot_after(shared_data, read.date))
    return {d.name: candidates(d, listings) for d in read.designees}


def test_the_brazilian_designees_link_to_the_recent_actions_of_their_day(shared_data: Path) -> None:
    links = _links(shared_data, "sb0211") | _links(shared_data, "sb0257")
    best = {name: (found[0].listing.name, found[0].verdict) for name, found in links.items()}
    assert best == {
        "Alexandre de Moraes": ("DE MORAES, Alexandre", "certain"),
        "Lex Instituto de Estudos Juridicos LTDA": (
            "LEX - INSTITUTO DE ESTUDOS JURIDICOS LTDA",
            "certain",
        ),
        "Viviane Barci de Moraes": ("BARCI DE MORAES, Viviane", "certain"),
    }
    reasons = links["Viviane Barci de Moraes"][0].reasons
    assert reasons[0].startswith("same name") and "program GLOMAG" in reasons


def test_the_older_releases_link_to_the_next_sdn_snapshot(shared_data: Path) -> None:
    links = {name: found for r in SM_JY for name, found in _links(shared_data, r).items()}
    assert summary(list(links.values())) == {"certain": 47, "review": 4, "none": 2}
    # Gul and Soylu were removed from the list in November 2018, before the next snapshot.
    assert links["Abdulhamit Gul"] == [] and links["Suleyman Soylu"] == []
    review = sorted(n for n, found in links.items() if found and found[0].verdict == "review")
    assert review == [
        "33rd Light Infantry Division",
        "99th LID",
        "Dongmei Group",
        "Emmerson Mnangagwa, Jr.",
    ]
    # The son's entry adds a middle name: a link for review, never his father's entry.
    junior = links["Emmerson Mnangagwa, Jr."]
    assert junior[0].listing.name == "MNANGAGWA, JR., Emmerson Dambudzo"
    assert all(c.verdict == "review" for c in junior)
    # An alias and names that share their words: "ProNiCo", "Abu Mazin" (Ahmed ~ Ahmad).
    assert links["Compania Procesadora de Niquel"][0].verdict == "certain"
    jubouri = links["Ahmed al-Jubouri"][0]
    assert (jubouri.listing.name, jubouri.verdict) == ("AL-JUBOURI, Ahmad Abdullah", "certain")


def _designee(birth: str) -> Designee:
    listing = Listing(
        source="us-federal-register",
        source_id="",
        name="MCGILL, Nathaniel",
        schema="Person",
        programs=("GLOMAG",),
        birth_dates=(birth,),
        nationalities=("Liberia",),
    )
    return Designee(
        name=listing.name, paragraphs=(), basis_sentences=(), program="GLOMAG", listing=listing
    )


def test_a_different_birth_date_is_never_a_certain_link(shared_data: Path) -> None:
    sdn = _snapshot(shared_data / "us/ofac/snapshots/sdn_2023-01-21.csv")
    (same,) = candidates(_designee("1971-01-01"), sdn)
    assert same.verdict == "certain" and "birth date 1971-01-01" in same.reasons
    other = candidates(_designee("1980-05-05"), sdn)
    assert other and all(c.verdict == "review" for c in other)
    assert any("birth dates differ" in r for r in other[0].reasons)
