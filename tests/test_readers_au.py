"""Australia: the DFAT Consolidated List, .xls (2022) and .xlsx (2024)."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from magnitsky.listing import Listing, ReaderError
from magnitsky.programs import is_magnitsky, program_key
from magnitsky.readers import au_dfat, expectations
from magnitsky.readers.expectations import check_expectations

AU = Path(__file__).parent / "fixtures" / "au"
# file -> (base references, AU-HUMAN, AU-CRP), counted apart from the reader
FILES = {
    "regulation8_consolidated_2022-05-05.xls": (2666, 25, 14),
    "regulation8_consolidated_2024-12-17.xlsx": (3062, 103, 14),
}


@pytest.fixture(scope="module")
def dfat(shared_data: Path) -> dict[str, dict[str, Listing]]:
    folder = shared_data / "au" / "dfat"
    return {name: {x.source_id: x for x in au_dfat.read(folder / name)} for name in FILES}


def magnitsky(listings: list[Listing]) -> list[Listing]:
    return [x for x in listings if any(is_magnitsky(program_key("AU", t)) for t in x.programs)]


@pytest.mark.parametrize("name", FILES)
def test_every_real_file_reads_with_its_thematic_listings(
    dfat: dict[str, dict[str, Listing]], shared_data: Path, name: str
) -> None:
    listings = list(dfat[name].values())
    total, human, corruption = FILES[name]
    assert len(listings) == total
    keys = Counter(program_key("AU", t) for x in magnitsky(listings) for t in x.programs)
    assert keys == {"AU-HUMAN": human, "AU-CRP": corruption}
    # the Control Date of every thematic listing is the date of its listing instrument
    assert all(x.listed_on for x in magnitsky(listings))
    check_expectations("au-dfat", listings, shared_data / "au" / "dfat" / name)


def test_the_first_thematic_listings_are_dated_30_march_2022(
    dfat: dict[str, dict[str, Listing]],
) -> None:
    for name in FILES:
        anichin = dfat[name]["6830"]
        assert anichin.name == "Aleksey Vasilyevich ANICHIN"
        assert anichin.aliases == ("Alexei Vasilyevich ANICHIN",)  # row 6830a
        assert anichin.programs == ("HUMAN",)
        assert anichin.listed_on == date(2022, 3, 30)
        assert anichin.birth_dates == ("1949-12-01",)
        assert dfat[name]["6855"].programs == ("CRP",)  # KLYUEV: corruption
    old = dfat["regulation8_consolidated_2022-05-05.xls"]["6830"]
    assert dict(old.extra)["committees"] == "Autonomous (Thematic)"


def test_an_en_dash_or_a_trailing_space_does_not_hide_a_program(
    dfat: dict[str, dict[str, Listing]],
) -> None:
    listings = dfat["regulation8_consolidated_2024-12-17.xlsx"]
    assert dict(listings["6855"].extra)["committees"] == "Autonomous (Thematic – Corruption)"
    nozhkin = listings["7930"]  # "Autonomous (Thematic - Human Rights) " with a space
    assert (nozhkin.programs, nozhkin.listed_on) == (("HUMAN",), date(2024, 2, 26))
    levi = listings["7968"]
    assert (levi.name, levi.listed_on) == ("Yinon LEVI", date(2024, 7, 25))
    assert levi.birth_dates == ("1992-12-19", "1992-12-12")
    cyber = listings["7832"]
    assert cyber.programs == ("Autonomous (Thematic - Cyber)",)
    assert not is_magnitsky(program_key("AU", cyber.programs[0]))


def test_a_control_date_after_amendments_is_not_a_listing_date(
    dfat: dict[str, dict[str, Listing]],
) -> None:
    akhund = dfat["regulation8_consolidated_2024-12-17.xlsx"]["2"]
    assert akhund.listed_on is None
    assert dict(akhund.extra)["control_date"] == "2014-12-15"
    assert akhund.aliases == ("محمد حسن أخوند",)
    assert au_dfat.listing_date("Listed on 18 Sep. 2014 (relisted on 2 Aug. 2017)", None) is None


def test_the_tiny_workbook_is_grouped_by_base_reference() -> None:
    listings = {x.source_id: x for x in au_dfat.read(AU / "consolidated_tiny.xlsx")}
    assert list(listings) == ["6830", "6855", "7832", "2", "7968", "7975"]
    assert listings["6830"].programs == ("HUMAN",)
    assert listings["6855"].programs == ("CRP",)
    assert listings["7975"].schema == "Organization"
    assert listings["7832"].birth_dates == ("1990-05-16",)
    assert [listings[i].listed_on for i in ("6830", "2")] == [date(2022, 3, 30), None]


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_empty_truncated_and_foreign_files_are_errors(shared_data: Path, tmp_path: Path) -> None:
    with pytest.raises(ReaderError, match="empty"):
        au_dfat.read(write(tmp_path, "consolidated.xlsx", b""))
    xls = (shared_data / "au" / "dfat" / "regulation8_consolidated_2022-05-05.xls").read_bytes()
    with pytest.raises(ReaderError, match=r"\.xls workbook \(truncated or corrupt\)") as error:
        au_dfat.read(write(tmp_path, "consolidated.xls", xls[: len(xls) // 2]))
    assert "consolidated.xls" in str(error.value)
    xlsx = (AU / "consolidated_tiny.xlsx").read_bytes()
    with pytest.raises(ReaderError, match=r"\.xlsx workbook \(truncated or corrupt\)"):
        au_dfat.read(write(tmp_path, "consolidated.xlsx", xlsx[:-100]))
    with pytest.raises(ReaderError, match="not an Excel workbook"):
        au_dfat.read(write(tmp_path, "consolidated.xlsx", b"<html>Service unavailable</html>"))


def test_a_workbook_of_another_layout_is_the_wrong_format(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Reference", "Name", "Committees"])
    sheet.append([1, "Someone", "Autonomous (Iran)"])
    book.save(tmp_path / "other.xlsx")
    with pytest.raises(ReaderError, match="lacks the columns Name of Individual or Entity"):
        au_dfat.read(tmp_path / "other.xlsx")
    book = openpyxl.Workbook()
    assert book.active is not None
    book.active.append(["Group ID", "Name 6"])
    book.save(tmp_path / "uk.xlsx")
    with pytest.raises(ReaderError, match="no 'Reference' header row"):
        au_dfat.read(tmp_path / "uk.xlsx")


def test_too_few_listings_fail_the_declared_expectations() -> None:
    listings = au_dfat.read(AU / "consolidated_tiny.xlsx")
    with pytest.raises(ReaderError, match="6 listings read, au-dfat expects at least 2000"):
        check_expectations("au-dfat", listings, AU / "consolidated_tiny.xlsx")
    assert expectations.declaration("au-dfat")["reader"] == au_dfat.__name__
