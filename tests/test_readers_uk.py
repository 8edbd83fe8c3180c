"""UK readers: the OFSI consolidated list (real files, 2018-2025) and the FCDO UK Sanctions
List (fixtures in its published layout: no real file of it is at hand)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from magnitsky.listing import Listing, ReaderError
from magnitsky.programs import is_magnitsky, program_key
from magnitsky.readers import expectations, uk_fcdo, uk_ofsi
from magnitsky.readers.expectations import check_expectations

UK = Path(__file__).parent / "fixtures" / "uk"
# file -> (listings, GB-HR, GB-AC), counted apart from the reader (groups per Regime)
OFSI_FILES = {
    "ConList_2022-05-04.xlsx": (3430, 81, 27),
    "ConList_2023-06-05.xlsx": (3993, 91, 35),
    "ConList_2025-04-10.xlsx": (4686, 143, 66),
    "ConList_2025-04-14.xlsx": (4688, 143, 66),
    "sanctionsconlist_2018-04-13.csv": (2106, 0, 0),
}


@pytest.fixture(scope="module")
def ofsi(shared_data: Path) -> dict[str, dict[str, Listing]]:
    """Each file read once, two at a time: parsing the spreadsheets' XML is most of the cost."""
    paths = [shared_data / "uk" / "ofsi" / name for name in OFSI_FILES]
    with ProcessPoolExecutor(max_workers=2) as pool:
        read = pool.map(uk_ofsi.read, paths)
        return {
            p.name: {x.source_id: x for x in listings}
            for p, listings in zip(paths, read, strict=True)
        }


def magnitsky_counts(listings: list[Listing], jurisdiction: str) -> Counter[str]:
    keys = (program_key(jurisdiction, tag) for x in listings for tag in x.programs)
    return Counter(k for k in keys if is_magnitsky(k))


@pytest.mark.parametrize("name", OFSI_FILES)
def test_every_real_ofsi_file_reads_with_its_magnitsky_listings(
    ofsi: dict[str, dict[str, Listing]], shared_data: Path, name: str
) -> None:
    listings = list(ofsi[name].values())
    total, hr, ac = OFSI_FILES[name]
    assert len(listings) == total
    assert magnitsky_counts(listings, "GB") == Counter({"GB-HR": hr, "GB-AC": ac} if hr else {})
    assert all(x.listed_on for x in listings)
    check_expectations("gb-ofsi", listings, shared_data / "uk" / "ofsi" / name)


def test_an_anti_corruption_listing_carries_its_date_reference_and_reasons(
    ofsi: dict[str, dict[str, Listing]],
) -> None:
    sultan = ofsi["ConList_2025-04-14.xlsx"]["14130"]
    assert sultan.name == "Nawfal Hammadi AL-SULTAN"
    assert sultan.programs == ("Global Anti-Corruption",)
    assert sultan.listed_on == date(2021, 7, 22)
    assert sultan.birth_dates == ("1964-02-23",)
    extra = dict(sultan.extra)
    assert extra["reference"] == "GAC0027"
    assert extra["reasons"].startswith("Nawfal Hammadi Al-Sultan has been involved in serious")
    assert "Nawfel AKOUB" in sultan.aliases


def test_the_first_human_rights_designations_are_dated_6_july_2020(
    ofsi: dict[str, dict[str, Listing]],
) -> None:
    listings = ofsi["ConList_2022-05-04.xlsx"].values()
    first = [x for x in listings if x.listed_on == date(2020, 7, 6)]
    assert len(first) == 49
    assert all("Global Human Rights" in x.programs for x in first)
    hlaing = ofsi["ConList_2022-05-04.xlsx"]["13897"]  # later listed under Myanmar too
    assert hlaing.programs == ("Global Human Rights", "Myanmar")
    assert dict(hlaing.extra)["listed_on:Myanmar"] == "2021-02-25"
    haq = ofsi["ConList_2025-04-14.xlsx"]["15672"]
    assert (haq.name, haq.listed_on, dict(haq.extra)["reference"]) == (
        "Mian Abdul HAQ",
        date(2022, 12, 9),
        "GHR0086",
    )


def test_a_person_under_two_regimes_is_one_listing_with_a_date_per_regime(
    ofsi: dict[str, dict[str, Listing]],
) -> None:
    viktor = ofsi["ConList_2025-04-14.xlsx"]["13919"]
    assert viktor.programs == ("Belarus", "Global Human Rights")
    assert viktor.listed_on == date(2020, 9, 29)
    extra = dict(viktor.extra)
    assert extra["listed_on:Belarus"] == "2020-11-06"
    assert extra["listed_on:Global Human Rights"] == "2020-09-29"
    assert extra["reference"] == "BEL0047; GHR0051"


def test_listed_on_is_not_the_brexit_designation_date(ofsi: dict[str, dict[str, Listing]]) -> None:
    # PSHONKA came to the human-rights regime from the EU's Ukraine listing of 2014.
    pshonka = ofsi["ConList_2025-04-14.xlsx"]["12894"]
    assert pshonka.listed_on == date(2014, 3, 6)
    assert dict(pshonka.extra)["designated"] == "2020-12-31"


def test_the_2018_layout_is_read_and_its_windows_1252_names_decoded(
    ofsi: dict[str, dict[str, Listing]],
) -> None:
    old = ofsi["sanctionsconlist_2018-04-13.csv"]
    zima = old["12927"]
    assert (zima.name, zima.listed_on) == ("Pyotr Anatoliyovych ZIMA", date(2014, 3, 18))
    assert zima.aliases == ("Petro Anatoliyovych ZYMA",)
    assert old["13561"].name == "Kim CHO’NG-SIK"
    assert old["13349"].nationalities == ("Saudi Arabia", "Qatar")


def test_the_2022_format_csv_groups_names_and_addresses_by_group_id() -> None:
    listings = {x.source_id: x for x in uk_ofsi.read(UK / "conlist_2022_format.csv")}
    assert list(listings) == ["14063", "14130", "13919", "16100", "16101"]
    bastrykin = listings["14063"]
    assert bastrykin.name == "Alexander Ivanovich BASTRYKIN"
    assert bastrykin.aliases == ("Aleksandr Ivanovich BASTRYKIN", "БАСТРЫКИН Александр Иванович")
    assert dict(bastrykin.extra)["designated"] == "2021-03-15"
    assert listings["14130"].nationalities == ("Iraq", "Jordan")
    assert listings["14130"].birth_dates == ("1964",)
    assert listings["14130"].identifiers == ("Passport: A1234567",)
    assert (listings["16100"].schema, listings["16101"].schema) == ("Organization", "Vessel")
    assert listings["16101"].identifiers == ("IMO: 9123456",)


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("reader", [uk_ofsi.read, uk_fcdo.read])
def test_an_empty_download_is_an_error_not_an_empty_list(
    reader: Callable[[Path], list[Listing]], tmp_path: Path
) -> None:
    with pytest.raises(ReaderError, match="empty"):
        reader(write(tmp_path, "ConList.csv", b"\xef\xbb\xbf\r\n"))


def test_a_truncated_csv_is_an_error(tmp_path: Path) -> None:
    data = (UK / "conlist_2022_format.csv").read_bytes()
    cut = data[: data.index(b"Global Anti-Corruption")]
    with pytest.raises(ReaderError, match="truncated") as error:
        uk_ofsi.read(write(tmp_path, "ConList.csv", cut))
    assert "ConList.csv" in str(error.value)


def test_a_utf16_file_is_a_wrong_encoding(tmp_path: Path) -> None:
    text = (UK / "conlist_2022_format.csv").read_text("utf-8-sig")
    with pytest.raises(ReaderError, match="wrong encoding"):
        uk_ofsi.read(write(tmp_path, "ConList.csv", text.encode("utf-16")))


def test_an_error_page_or_another_list_is_the_wrong_format(tmp_path: Path) -> None:
    with pytest.raises(ReaderError, match="not a UK sanctions list"):
        uk_ofsi.read(write(tmp_path, "ConList.csv", b"<html><body>Not found</body></html>"))
    with pytest.raises(ReaderError, match="not a UK sanctions list"):
        uk_ofsi.read(UK / "uk_sanctions_list.csv")  # the FCDO layout has no Group ID header
    with pytest.raises(ReaderError, match="lacks the columns Group Type, Regime"):
        uk_ofsi.read(write(tmp_path, "x.csv", b"Last Updated,01/01/2025\nName 6,Group ID\nX,1\n"))


def test_a_truncated_xlsx_is_an_error(shared_data: Path, tmp_path: Path) -> None:
    data = (shared_data / "uk" / "ofsi" / "ConList_2022-05-04.xlsx").read_bytes()
    with pytest.raises(ReaderError, match="truncated or corrupt"):
        uk_ofsi.read(write(tmp_path, "ConList.xlsx", data[: len(data) // 2]))


def test_a_parse_below_the_declared_expectations_names_the_file() -> None:
    listings = uk_ofsi.read(UK / "conlist_2022_format.csv")
    with pytest.raises(ReaderError, match=r"conlist_2022_format\.csv: 5 listings read"):
        check_expectations("gb-ofsi", listings, UK / "conlist_2022_format.csv")
    undated = [replace(x, listed_on=None) for x in listings] * 500
    with pytest.raises(ReaderError, match="have listed_on"):
        check_expectations("gb-ofsi", undated, "ConList.csv")


@pytest.mark.parametrize("name", ["uk_sanctions_list.csv", "uk_sanctions_list.xml"])
def test_fcdo_designations_are_read_by_unique_id_with_date_and_reasons(name: str) -> None:
    listings = {x.source_id: x for x in uk_fcdo.read(UK / name)}
    bastrykin = listings["GHR0058"]
    assert bastrykin.name == "Alexander Ivanovich BASTRYKIN"
    assert bastrykin.programs == ("Global Human Rights",)
    assert program_key("GB", bastrykin.programs[0]) == "GB-HR"
    assert bastrykin.listed_on == date(2021, 3, 15)
    assert bastrykin.birth_dates == ("1953-08-27",)
    assert "БАСТРЫКИН Александр Иванович" in bastrykin.aliases
    extra = dict(bastrykin.extra)
    assert extra["reasons"].startswith("Alexander Bastrykin is the Chairman")
    assert extra["ofsi_group_id"] == "14063"
    assert extra["regime_name"] == "The Global Human Rights Sanctions Regulations 2020"
    ship = listings["RUS2002"]
    assert (ship.schema, ship.programs, ship.identifiers) == (
        "Vessel",
        ("Russia",),
        ("IMO: 9123456",),
    )


def test_fcdo_lists_one_designation_per_regime_linked_by_ofsi_group_id() -> None:
    listings = {x.source_id: x for x in uk_fcdo.read(UK / "uk_sanctions_list.csv")}
    assert listings["GAC0027"].programs == ("Global Anti-Corruption",)
    belarus, human_rights = listings["BEL0047"], listings["GHR0051"]
    assert (belarus.programs, human_rights.programs) == (("Belarus",), ("Global Human Rights",))
    assert dict(belarus.extra)["ofsi_group_id"] == dict(human_rights.extra)["ofsi_group_id"]
    assert (belarus.listed_on, human_rights.listed_on) == (date(2020, 11, 6), date(2020, 9, 29))


@pytest.mark.parametrize(
    ("title", "tag"),
    [
        ("The Global Anti-Corruption Sanctions Regulations 2021", "Global Anti-Corruption"),
        ("The Russia (Sanctions) (EU Exit) Regulations 2019", "Russia"),
        ("The Iran (Sanctions) (Nuclear) (EU Exit) Regulations 2019", "Iran (Nuclear)"),
        (
            "The Counter-Terrorism (International Sanctions) (EU Exit) Regulations 2019",
            "Counter-Terrorism (International)",
        ),
        ("Global Human Rights", "Global Human Rights"),
    ],
)
def test_fcdo_regime_titles_become_the_regime_names_ofsi_used(title: str, tag: str) -> None:
    assert uk_fcdo.regime_tag(title) == tag


def test_fcdo_errors_for_a_truncated_or_foreign_xml(tmp_path: Path) -> None:
    data = (UK / "uk_sanctions_list.xml").read_bytes()
    with pytest.raises(ReaderError, match="truncated"):
        uk_fcdo.read(write(tmp_path, "UK-Sanctions-List.xml", data[: len(data) - 200]))
    with pytest.raises(ReaderError, match="not a UK Sanctions List XML"):
        uk_fcdo.read(write(tmp_path, "other.xml", b"<?xml version='1.0'?><sdnList/>"))
    with pytest.raises(ReaderError, match="no header with 'Unique ID'"):
        uk_fcdo.read(UK / "conlist_2022_format.csv")
    text = (UK / "uk_sanctions_list.csv").read_text("utf-8")
    with pytest.raises(ReaderError, match="wrong encoding"):
        uk_fcdo.read(write(tmp_path, "UK-Sanctions-List.csv", text.encode("utf-16")))
    with pytest.raises(ReaderError, match="read the list's CSV or XML"):
        uk_fcdo.read(write(tmp_path, "UK-Sanctions-List.ods", b"PK\x03\x04rest"))


def test_the_uk_declarations_name_their_readers() -> None:
    assert expectations.declaration("gb-ofsi")["reader"] == uk_ofsi.__name__
    assert expectations.declaration("gb-fcdo")["reader"] == uk_fcdo.__name__
    assert expectations.expectations("gb-ofsi").fill["listed_on"] >= 0.99
