"""EU: the Financial Sanctions Files (CSV 1.0 excerpt, CSV 1.1 and XML fixtures) and the
Official Journal transcription of Annex I of Regulation 2020/1998 (the human-rights regime)."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from magnitsky.listing import Listing, ReaderError
from magnitsky.programs import program_key
from magnitsky.readers import eu_annex, eu_fsf, expectations
from magnitsky.readers.expectations import check_expectations

EU = Path(__file__).parent / "fixtures" / "eu"
EXCERPT = "fsf-csv-1.0-excerpt_2018-07-04.csv"
ANNEX = "reg-2020-1998-annex-i_2026-08-22.csv"


@pytest.fixture(scope="module")
def excerpt(shared_data: Path) -> dict[str, Listing]:
    return {x.source_id: x for x in eu_fsf.read(shared_data / "eu" / EXCERPT)}


@pytest.fixture(scope="module")
def annex(shared_data: Path) -> dict[str, Listing]:
    return {x.source_id: x for x in eu_annex.read(shared_data / "eu" / ANNEX)}


def test_the_real_csv_excerpt_reads_every_entity_once(excerpt: dict[str, Listing]) -> None:
    # 999 rows of 93 entities (counted apart: distinct Entity_logical_id), before the HR regime
    assert len(excerpt) == 93
    programmes = Counter(p for x in excerpt.values() for p in x.programs)
    assert programmes == {"IRQ": 57, "TERR": 17, "TAQA": 17, "ZWE": 2}
    assert not any(x.listed_on for x in excerpt.values())  # CSV 1.0 has no designation date


def test_an_entity_spans_its_rows_and_legal_bases(excerpt: dict[str, Listing]) -> None:
    mugabe = excerpt["1"]
    assert (mugabe.name, mugabe.schema, mugabe.programs) == (
        "Robert Gabriel Mugabe",
        "Person",
        ("ZWE",),
    )
    assert mugabe.birth_dates == ("1924-02-21",)
    extra = dict(mugabe.extra)
    assert extra["eu_reference"] == "EU.36.64"
    assert extra["regulations"] == "2018/223 (OJ L43); 1643/2002 (OJ L247)"
    saddam = excerpt["13"]
    assert saddam.aliases == ("Abu Ali", "Abou Ali")
    # quotes doubled inside the wrapped lines and Windows-1252 letters come out right
    numan = excerpt["43"]
    assert "Former Governor of Karbala and An Najaf;" in extra_of(numan)["position"]
    assert "Président du commandement régional du parti Baas" in extra_of(numan)["position"]


def extra_of(listing: Listing) -> dict[str, str]:
    return dict(listing.extra)


def test_the_excerpt_is_no_snapshot_of_the_full_list(shared_data: Path) -> None:
    listings = eu_fsf.read(shared_data / "eu" / EXCERPT)
    with pytest.raises(ReaderError, match=r"excerpt_2018-07-04\.csv: 93 listings read"):
        check_expectations("eu-fsf", listings, shared_data / "eu" / EXCERPT)


@pytest.mark.parametrize("name", ["fsf_1_1.xml", "fsf_1_1.csv"])
def test_the_designation_date_is_the_listing_date_not_the_regulation_date(name: str) -> None:
    listings = {x.source_id: x for x in eu_fsf.read(EU / name)}
    bastrykin = listings["139012"]
    assert bastrykin.name == "Alexander Ivanovich BASTRYKIN"
    assert bastrykin.programs == ("HR",)
    assert program_key("EU", "HR") == "EU-HR"
    assert bastrykin.listed_on == date(2021, 3, 2)
    assert extra_of(bastrykin)["regulation_published"] == "2023-12-08"  # an amendment
    assert bastrykin.nationalities == ("RUSSIAN FEDERATION",)
    assert bastrykin.identifiers == ("National identification card: 782618375392",)
    assert "Алексaндр Ивaнович БАСТРЫКИН" in bastrykin.aliases
    bank = listings["150001"]
    assert (bank.schema, bank.programs, bank.listed_on) == (
        "Organization",
        ("UKR",),
        date(2022, 2, 23),
    )
    assert bank.addresses == ("1 Example Street, 101000, Moscow, RUSSIAN FEDERATION",)


def test_an_entity_without_designation_date_gets_none(tmp_path: Path) -> None:
    listings = {x.source_id: x for x in eu_fsf.read(EU / "fsf_1_1.xml")}
    assert listings["160001"].listed_on is None  # not the regulation's 2021-12-13


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_fsf_errors_name_the_file(tmp_path: Path) -> None:
    with pytest.raises(ReaderError, match="empty"):
        eu_fsf.read(write(tmp_path, "fsf.csv", b"  \n"))
    csv = (EU / "fsf_1_1.csv").read_bytes()
    with pytest.raises(ReaderError, match="truncated") as error:
        eu_fsf.read(write(tmp_path, "fsf.csv", csv[: csv.rindex(b"Moscow")]))
    assert "fsf.csv" in str(error.value)
    with pytest.raises(ReaderError, match="wrong encoding"):
        eu_fsf.read(write(tmp_path, "fsf.csv", csv.decode("utf-8-sig").encode("utf-16")))
    with pytest.raises(ReaderError, match="not an FSF CSV file"):
        eu_fsf.read(write(tmp_path, "fsf.csv", b"celex,recordId\n32020R1998,1\n"))
    xml = (EU / "fsf_1_1.xml").read_bytes()
    with pytest.raises(ReaderError, match="truncated"):
        eu_fsf.read(write(tmp_path, "fsf.xml", xml[: len(xml) - 40]))
    with pytest.raises(ReaderError, match="not an FSF XML file"):
        eu_fsf.read(write(tmp_path, "fsf.xml", b"<Designations><Designation/></Designations>"))


def test_the_annex_of_the_human_rights_regime_reads_with_dates_and_reasons(
    annex: dict[str, Listing], shared_data: Path
) -> None:
    listings = list(annex.values())
    assert len(listings) == 177  # 136 persons (I.A) and 41 entities (I.B), counted apart
    assert Counter(x.schema for x in listings) == {"Person": 136, "Organization": 41}
    assert {program_key("EU", t) for x in listings for t in x.programs} == {"EU-HR"}
    assert all(x.listed_on and extra_of(x).get("reasons") for x in listings)
    assert min(x.listed_on for x in listings if x.listed_on) == date(2021, 3, 2)
    assert Counter(x.listed_on for x in listings)[date(2024, 3, 22)] == 35
    check_expectations("eu-oj-annex", listings, shared_data / "eu" / ANNEX)


def test_named_annex_entries(annex: dict[str, Listing]) -> None:
    kalashnikov = annex["32020R1998/I.A/1"]
    assert kalashnikov.name == "Alexander (Alexandr) Petrovich KALASHNIKOV"
    assert (kalashnikov.listed_on, kalashnikov.birth_dates) == (date(2021, 3, 2), ("1964-01-27",))
    assert extra_of(kalashnikov)["reasons"].startswith("Alexander Kalashnikov was the director")
    krasnov = annex["32020R1998/I.A/3"]  # its date is printed "2 March 2021"
    assert (krasnov.name, krasnov.listed_on) == ("Igor Viktorovich KRASNOV", date(2021, 3, 2))
    assert annex["32020R1998/I.B/5"].name == "Wagner Group"
    assert annex["32020R1998/I.B/5"].listed_on == date(2021, 12, 13)
    # the one entry printed without an entry number keeps a stable id from its name
    zindashti = annex["32020R1998/I.B/name:the-zindashti-network"]
    assert zindashti.listed_on == date(2025, 7, 15)


def test_the_annex_fixture_splits_multi_valued_cells() -> None:
    listings = eu_annex.read(EU / "annex_consolidated.csv")
    first = listings[0]
    assert first.aliases == ("Иван Петрович ЭКЗАМПЛЕОВ", "Exampleov; Ivan")
    assert first.identifiers == ("idNumber: 771670606787",)
    assert [x.listed_on for x in listings] == [
        date(2021, 3, 2),
        date(2021, 3, 2),
        date(2025, 7, 15),
    ]


def test_annex_errors(tmp_path: Path) -> None:
    with pytest.raises(ReaderError, match="empty"):
        eu_annex.read(write(tmp_path, "annex.csv", b""))
    data = (EU / "annex_consolidated.csv").read_bytes()
    with pytest.raises(ReaderError, match="truncated"):
        eu_annex.read(write(tmp_path, "annex.csv", data[: data.index(b"Pyotr")]))
    with pytest.raises(ReaderError, match="wrong encoding: not valid UTF-8"):
        eu_annex.read(write(tmp_path, "annex.csv", data.decode().encode("cp1252", "replace")))
    with pytest.raises(ReaderError, match="not an EU Journal sanctions CSV"):
        eu_annex.read(write(tmp_path, "annex.csv", b"Date_file;Entity_logical_id\n"))
    twice = data + data[data.index(b"\n") + 1 :]
    with pytest.raises(ReaderError, match="entries listed twice"):
        eu_annex.read(write(tmp_path, "annex.csv", twice))


def test_the_eu_declarations_name_their_readers() -> None:
    assert expectations.declaration("eu-fsf")["reader"] == eu_fsf.__name__
    assert expectations.declaration("eu-oj-annex")["reader"] == eu_annex.__name__
    assert set(expectations.declared_sources()) >= {
        "gb-ofsi",
        "gb-fcdo",
        "ca-sema",
        "au-dfat",
        "eu-fsf",
        "eu-oj-annex",
    }
