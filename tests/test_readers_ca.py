"""Canada: the Consolidated Canadian Autonomous Sanctions List, in its three tag sets."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from magnitsky.listing import Listing, ReaderError
from magnitsky.programs import is_magnitsky, program_key
from magnitsky.readers import ca_sema, expectations
from magnitsky.readers.expectations import check_expectations

CA = Path(__file__).parent / "fixtures" / "ca"
# file -> (records, JVCFOA records, share with a listing date), counted apart from the reader
FILES = {
    "sema-lmes_2020-04-15.xml": (1369, 70, 0.0),
    "sema-lmes_2022-05-11.xml": (2606, 70, 0.0),
    "sema-lmes_2025-09-22.xml": (5090, 80, 1.0),
}


@pytest.fixture(scope="module")
def sema(shared_data: Path) -> dict[str, dict[str, Listing]]:
    folder = shared_data / "ca" / "sema"
    return {name: {x.source_id: x for x in ca_sema.read(folder / name)} for name in FILES}


@pytest.mark.parametrize("name", FILES)
def test_every_real_file_reads_with_its_jvcfoa_listings(
    sema: dict[str, dict[str, Listing]], shared_data: Path, name: str
) -> None:
    listings = list(sema[name].values())
    total, jvcfoa, dated = FILES[name]
    assert len(listings) == total
    keys = Counter(program_key("CA", tag) for x in listings for tag in x.programs)
    assert {k: n for k, n in keys.items() if is_magnitsky(k)} == {"CA-JVCFOA": jvcfoa}
    assert sum(bool(x.listed_on) for x in listings) / total == dated
    check_expectations("ca-sema", listings, shared_data / "ca" / "sema" / name)


def test_jvcfoa_listings_keep_their_ids_across_the_formats(
    sema: dict[str, dict[str, Listing]],
) -> None:
    for name in FILES:
        maduro = sema[name]["JVCFOA/1/1/1"]
        assert maduro.name == "Nicolás MADURO MOROS"
        assert maduro.programs == ("JVCFOA",)
    assert sema["sema-lmes_2020-04-15.xml"]["JVCFOA/1/1/1"].listed_on is None
    assert sema["sema-lmes_2025-09-22.xml"]["JVCFOA/1/1/1"].listed_on == date(2017, 11, 3)
    common = set(sema["sema-lmes_2022-05-11.xml"]) & set(sema["sema-lmes_2025-09-22.xml"])
    assert len([i for i in common if i.startswith("JVCFOA/")]) == 70


def test_listing_dates_of_the_jvcfoa_waves(sema: dict[str, dict[str, Listing]]) -> None:
    listings = [x for x in sema["sema-lmes_2025-09-22.xml"].values() if "JVCFOA" in x.programs]
    waves = Counter(x.listed_on for x in listings)
    assert waves == {
        date(2017, 11, 3): 52,
        date(2018, 2, 16): 1,
        date(2018, 11, 29): 17,
        date(2023, 8, 4): 3,
        date(2023, 12, 7): 7,
    }
    khashoggi_case = sema["sema-lmes_2025-09-22.xml"]["JVCFOA/1/1/54"]
    assert khashoggi_case.name == "Mansour Othman ABAHUSSAIN"
    assert khashoggi_case.birth_dates == ("1972-08-10", "1972-08-11")
    assert sema["sema-lmes_2025-09-22.xml"]["JVCFOA/1/1/80"].name == "Min Aung HLAING"


def test_relabelled_schedules_give_the_same_ids(sema: dict[str, dict[str, Listing]]) -> None:
    # Syria's schedule "2" (2020) is "Part 2" (2025); Russia's "1" became "1, Part 1".
    old, new = sema["sema-lmes_2020-04-15.xml"], sema["sema-lmes_2025-09-22.xml"]
    for source_id in ("Syria/1/2/1", "Russia/1/1/1", "Russia/1/2/1", "Ukraine/1/1/1"):
        assert old[source_id].name == new[source_id].name
    assert new["Russia/1.1/1/1"].schema == "Vessel"  # schedule 1.1: ships
    assert new["Russia/1/1.1/1"].schema == "Person"  # schedule 1, part 1.1


def test_bilingual_tags_are_read_like_the_english_ones() -> None:
    listings = {x.source_id: x for x in ca_sema.read(CA / "sema_bilingual.xml")}
    maduro = listings["JVCFOA/1/1/1"]
    assert (maduro.name, maduro.listed_on) == ("Nicolás MADURO MOROS", date(2017, 11, 3))
    assert program_key("CA", maduro.programs[0]) == "CA-JVCFOA"
    assert listings["JVCFOA/1/1/54"].birth_dates == ("1972-08-10", "1972-08-11")
    agency = listings["Belarus/1/2/1"]
    assert agency.schema == "Organization"
    assert agency.aliases == ("Belaeronavigatsia", "Белаэронавигация")
    ship = listings["Russia/1.1/1/1"]
    assert (ship.schema, ship.identifiers) == ("Vessel", ("IMO 9123456",))
    assert dict(ship.extra)["vessel_type"] == "Oil Tanker"
    assert dict(ship.extra)["build_date"] == "2009"


def write(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "sema-lmes.xml"
    path.write_bytes(data)
    return path


def test_empty_truncated_and_foreign_files_are_errors(tmp_path: Path) -> None:
    data = (CA / "sema_bilingual.xml").read_bytes()
    with pytest.raises(ReaderError, match="empty"):
        ca_sema.read(write(tmp_path, b""))
    with pytest.raises(ReaderError, match="truncated") as error:
        ca_sema.read(write(tmp_path, data[: len(data) // 2]))
    assert "sema-lmes.xml" in str(error.value)
    with pytest.raises(ReaderError, match="not the Canadian consolidated list"):
        ca_sema.read(write(tmp_path, b"<?xml version='1.0'?><sdnList><sdnEntry/></sdnList>"))
    with pytest.raises(ReaderError, match="not an XML file"):
        ca_sema.read(write(tmp_path, b"Country,LastName\nRussia,Example\n"))
    with pytest.raises(ReaderError, match="no <record>"):
        ca_sema.read(write(tmp_path, b"<data-set></data-set>"))


def test_bytes_that_are_not_utf8_are_a_wrong_encoding(tmp_path: Path) -> None:
    text = (CA / "sema_bilingual.xml").read_text("utf-8")
    with pytest.raises(ReaderError, match="wrong encoding"):
        ca_sema.read(write(tmp_path, text.encode("cp1252", errors="replace")))


def test_the_listing_date_is_expected_once_the_format_has_it() -> None:
    listings = ca_sema.read(CA / "sema_bilingual.xml") * 200
    check_expectations("ca-sema", listings)
    half = [*listings[:600], *(replace(x, listed_on=None) for x in listings[600:])]
    with pytest.raises(ReaderError, match=r"only 50\.0% of listings have listed_on"):
        check_expectations("ca-sema", half, "sema-lmes.xml")
    assert expectations.declaration("ca-sema")["reader"] == ca_sema.__name__


@pytest.mark.parametrize(
    ("label", "uses_parts", "key"),
    [
        ("1, Part 2", True, ("1", "2")),
        ("1,Part 3", True, ("1", "3")),
        ("Part 1", False, ("1", "1")),
        ("2", False, ("1", "2")),
        ("2", True, ("2", "1")),
        ("1.1", True, ("1.1", "1")),
        ("N/A", False, ("1", "1")),
        ("", False, ("1", "1")),
    ],
)
def test_schedule_labels_are_normalised(label: str, uses_parts: bool, key: tuple[str, str]) -> None:
    assert ca_sema.schedule_key(label, uses_parts) == key
