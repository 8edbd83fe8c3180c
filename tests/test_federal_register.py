"""Federal Register notices of OFAC actions. No real notice is on this machine: these run on
fixtures written after the notices' layout (tests/fixtures/texts/README.md)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from magnitsky.listing import ReaderError
from magnitsky.readers import federal_register

TEXTS = Path(__file__).resolve().parent / "fixtures" / "texts"


def test_the_text_form_gives_each_entry_its_basis_and_the_action_date() -> None:
    notice = federal_register.read(TEXTS / "fr_2020-12-09_glomag.txt")
    assert notice.published == date(2020, 12, 14)
    assert notice.signed == date(2020, 12, 9)
    assert notice.document == "2020-27433"
    assert notice.problems == ()
    names = [d.name for d in notice.designees]
    assert names == [
        "SHERMAN, Harry Varney Gboto-Nambi",
        "MATRAIMOV, Raimbek",
        "KOI, Wan Kuok",
        "WORLD HONGMEN HISTORY AND CULTURE ASSOCIATION",
        "DONGMEI INVESTMENT GROUP CO., LIMITED",
        "PALAU CHINA HUNG-MUN CULTURAL ASSOCIATION",
    ]
    sherman = notice.designees[0]
    assert sherman.action_date == date(2020, 12, 9)
    assert (sherman.authority, sherman.program) == ("E.O. 13818", "GLOMAG")
    assert sherman.listing is not None
    assert sherman.listing.birth_dates == ("1953-02-16",)
    assert sherman.listing.nationalities == ("Liberia",)
    (sentence,) = sherman.basis_sentences
    assert sentence.startswith(
        "Designated pursuant to section 1(a)(ii)(B)(1) of Executive Order 13818"
    )
    assert sentence.endswith("or bribery.")  # wrapped lines joined, nothing lost


def test_aliases_in_the_entry_lose_their_quotes() -> None:
    notice = federal_register.read(TEXTS / "fr_2020-12-09_glomag.txt")
    koi = notice.designees[2]
    assert koi.aliases == ("BROKEN TOOTH", "BROKENTOOTH", "GUOJU, Yin", "KUI, Bung Nga")
    assert notice.designees[3].listing is not None
    assert notice.designees[3].listing.linked_to == ("KOI, Wan Kuok",)


def test_the_stated_section_is_the_basis() -> None:
    notice = federal_register.read(TEXTS / "fr_2020-12-09_glomag.txt")
    bases = [d.facts().basis[0] for d in notice.designees]
    assert [(b.label, b.section, b.section_stated) for b in bases] == [
        ("corruption", "1(a)(ii)(B)(1)", True),
        ("corruption", "1(a)(ii)(B)(1)", True),
        ("leader_of", "1(a)(ii)(C)(1)", True),
        ("owned_controlled", "1(a)(iii)(B)", True),
        ("owned_controlled", "1(a)(iii)(B)", True),
        ("owned_controlled", "1(a)(iii)(B)", True),
    ]
    assert [d.facts().coarse for d in notice.designees] == [
        "corruption",
        "corruption",
        "corruption",
        "ties",
        "ties",
        "ties",
    ]


def test_acting_for_and_owned_by_are_told_apart_under_one_section() -> None:
    notice = federal_register.read(TEXTS / "fr_2019-05-17_glomag.txt")
    assert notice.published == date(2019, 5, 23)
    labels = [d.facts().labels("basis") for d in notice.designees]
    assert labels == [["corruption"], ["acting_for"], ["owned_controlled"]]
    assert notice.designees[2].name == "BODECARNE, S.A. DE C.V."


def test_the_html_form_reads_the_same_way() -> None:
    notice = federal_register.read(TEXTS / "fr_2022-08-15_glomag.html")
    assert notice.published == date(2022, 8, 19)
    assert notice.signed == date(2022, 8, 15)
    assert notice.document == "2022-17905"
    assert [d.name for d in notice.designees] == [
        "CEPHUS, Sayma Syrenius",
        "MCGILL, Nathaniel",
        "TWEHWAY, Bill",
    ]
    assert {d.action_date for d in notice.designees} == {date(2022, 8, 15)}
    assert all(d.facts().labels("basis") == ["corruption"] for d in notice.designees)


NOTICE = """Notice of OFAC Sanctions Actions

AGENCY: Office of Foreign Assets Control, Treasury.

{body}

    Dated: March 1, 2024.
"""
ENTRY = "EXAMPLE, Person, Ruritania; DOB 01 Jan 1970; nationality Ruritania (individual) [GLOMAG]."


def _notice(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "notice.txt"
    path.write_text(NOTICE.format(body=body))
    return path


def test_a_basis_run_on_in_the_entry_paragraph_is_split_off(tmp_path: Path) -> None:
    body = (
        f"    On March 1, 2024, OFAC determined that the property ... is blocked.\n"
        f"    1. {ENTRY} Designated pursuant to section 1(a)(ii)(A) of E.O. 13818."
    )
    (person,) = federal_register.read(_notice(tmp_path, body)).designees
    assert person.name == "EXAMPLE, Person"
    assert person.basis_sentences == ("Designated pursuant to section 1(a)(ii)(A) of E.O. 13818.",)
    assert person.facts().labels("basis") == ["human_rights"]


def test_entries_of_a_removal_are_not_designations(tmp_path: Path) -> None:
    body = (
        "    On March 1, 2024, OFAC removed from the SDN List the persons listed below.\n"
        f"    1. {ENTRY}\n"
        "    On March 1, 2024, OFAC determined that the property ... is blocked.\n"
        f"    1. {ENTRY.replace('Person', 'Other')}\n"
        "    Designated pursuant to section 1(a)(iii)(B) of E.O. 13818."
    )
    notice = federal_register.read(_notice(tmp_path, body))
    assert [r.name for r in notice.removed] == ["EXAMPLE, Person"]
    assert [d.name for d in notice.designees] == ["EXAMPLE, Other"]


def test_an_entry_without_a_basis_or_a_date_is_read_with_a_problem(tmp_path: Path) -> None:
    notice = federal_register.read(_notice(tmp_path, f"    1. {ENTRY}"))
    assert notice.designees[0].basis_sentences == ()
    assert len(notice.problems) == 2


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        (
            "DEPARTMENT OF THE TREASURY\n\nGlobal Magnitsky Sanctions Regulations\n",
            "not an OFAC notice",
        ),
        (NOTICE.format(body="    On March 1, 2024, OFAC determined ..."), "lists no persons"),
        (
            NOTICE.format(body="    1. EXAMPLE, Person, Ruritania; DOB 01 Jan 1970 (individual)."),
            "entry 1 is not an SDN entry",
        ),
    ],
)
def test_what_is_not_a_readable_notice_is_refused(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_text(text)
    with pytest.raises(ReaderError, match=message):
        federal_register.read(path)
