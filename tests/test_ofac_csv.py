from pathlib import Path

import pytest

from magnitsky.listing import ReaderError
from magnitsky.readers import ofac_csv


def test_reads_every_real_snapshot_with_glomag_entries(shared_data: Path) -> None:
    snapshot = shared_data / "us/ofac/snapshots/sdn_2023-01-21.csv"
    entries = list(ofac_csv.read(snapshot))
    assert len(entries) > 11000
    glomag = [e for e in entries if "GLOMAG" in e.programs]
    assert len(glomag) > 500
    gertler = next(e for e in entries if e.source_id == "23252")
    assert gertler.name == "GERTLER, Dan"
    assert gertler.schema == "Person"
    assert gertler.birth_dates == ("1973-12-23",)
    assert "Israel" in gertler.nationalities


def test_pip_and_csv_give_the_same_record(shared_data: Path) -> None:
    pip = {
        e.source_id: e for e in ofac_csv.read(shared_data / "us/ofac/snapshots/sdn_2020-06-11.pip")
    }
    csv = {
        e.source_id: e for e in ofac_csv.read(shared_data / "us/ofac/snapshots/sdn_2021-01-14.csv")
    }
    assert pip["23252"].name == csv["23252"].name
    assert pip["23252"].programs == ("GLOMAG",)


def test_multiple_programs_and_linked_to_are_split() -> None:
    line = (
        b'23255,"DEBOUTTE, Pieter","individual","SDGT] [GLOMAG",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,'
        b'"DOB 15 Jun 1966; nationality Belgium; Linked To: GERTLER, Dan; Linked To: FLEURETTE LTD."'
    )
    entry = ofac_csv.parse_line(line)
    assert entry.programs == ("SDGT", "GLOMAG")
    assert entry.linked_to == ("GERTLER, Dan", "FLEURETTE LTD")


def test_vessels_and_aircraft_are_typed() -> None:
    vessel = ofac_csv.parse_line(
        b'1,"SHIP","vessel","IRAN",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- '
    )
    plane = ofac_csv.parse_line(
        b'2,"EP-ABC","aircraft","IRAN",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- '
    )
    company = ofac_csv.parse_line(
        b'3,"ACME LTD",-0- ,"IRAN",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- '
    )
    assert (vessel.schema, plane.schema, company.schema) == ("Vessel", "Airplane", "Organization")


def test_stray_windows_1252_bytes_are_decoded() -> None:
    entry = ofac_csv.parse_line(
        b'4,"PE\xd1A, Jos\xe9","individual","GLOMAG",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- '
    )
    assert entry.name == "PEÑA, José"


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "empty"),
        (b"\x1a\r\n", "empty"),
        (b"<!DOCTYPE html><html><body>Service unavailable</body></html>", "HTML"),
        (
            b'36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n'
            b'173,"ANGLO-CARIBBEAN CO., LTD.",-0- ,"CUB',
            "truncated",
        ),
        (b"name,age\nbob,3\n", "entry number"),
    ],
)
def test_bad_files_raise_a_clear_error_naming_the_file(
    tmp_path: Path, content: bytes, problem: str
) -> None:
    path = tmp_path / "sdn.csv"
    path.write_bytes(content)
    with pytest.raises(ReaderError) as error:
        list(ofac_csv.read(path))
    assert str(path) in str(error.value)
    assert problem in str(error.value)


def test_remarks_split_on_semicolons_outside_parentheses_only() -> None:
    from magnitsky.readers.ofac_remarks import split_clauses

    assert split_clauses("DOB 1960; POB Asuncion, Paraguay;; nationality Paraguay") == [
        "DOB 1960",
        "POB Asuncion, Paraguay",
        "nationality Paraguay",
    ]
    text = "Passport 123 (Iran; expires 2020); DOB 1960; a.k.a. 'X (Y)'"
    assert split_clauses(text) == ["Passport 123 (Iran; expires 2020)", "DOB 1960", "a.k.a. 'X (Y)'"]
    # A stray closing parenthesis opens nothing; an unclosed one holds the rest.
    assert split_clauses("A); B (C; D") == ["A)", "B (C; D"]


def test_a_long_run_of_blanks_after_the_last_entry_is_looked_through() -> None:
    """The last entry must end in a line break (or its closing quote); blanks, commas and
    the EOF byte after it do not count, however many (the check reads the file's end
    only, widening as it must)."""
    from magnitsky.readers.ofac_csv import entry_body

    entry = b'1,"NAME","individual","GLOMAG",-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-'
    entry_body(entry + b"\n" + b" ,\t\r" * 5000 + b"\x1a", "ok.csv")
    with pytest.raises(ReaderError, match="stops inside its last entry"):
        entry_body(entry[:-1] + b" \t" * 5000 + b"\x1a", "cut.csv")
