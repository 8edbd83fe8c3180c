import pytest

from magnitsky.readers.ofac_text import (
    EntryError,
    classify_heading,
    join_wrapped,
    parse_entry,
    split_change,
    split_entries,
)

CARTES = (
    "CARTES JARA, Horacio Manuel (a.k.a. CARTES, Horacio; a.k.a. VIVEROS CARTES, Horacio), "
    "Paraguay; DOB 05 Jul 1956; POB Asuncion, Paraguay; nationality Paraguay; Gender Male; "
    "Passport P486167 (Paraguay) issued 09 Nov 2018 expires 09 Nov 2023; National ID No. "
    "492599 (Paraguay) (individual) [GLOMAG]."
)
LEX = (
    "LEX - INSTITUTO DE ESTUDOS JURIDICOS LTDA, Rua Campos Bicudo, 98, Floor 9, Suite 1, "
    "Room 3, Jardim Europa, Sao Paulo 04536-010, Brazil; Organization Established Date 01 Jun "
    "2000; Organization Type: Activities of holding companies; Registration Number "
    "03850784000135 (Brazil) [GLOMAG] (Linked To: DE MORAES, Alexandre)."
)
CONSTANCE = (
    "H. CONSTANCE (3E2177) Crude Oil Tanker Panama flag; Vessel Year of Build 2002; Vessel "
    "Registration Identification IMO 9237773; MMSI 352002009 (vessel) [VENEZUELA-EO13850] "
    "(Linked To: POWEROY INVESTMENT LIMITED)."
)


def test_individual_name_aliases_and_remarks() -> None:
    entry = parse_entry(CARTES)
    assert entry.source == "us-ofac-sdn"
    assert entry.source_id == ""
    assert entry.name == "CARTES JARA, Horacio Manuel"
    assert entry.schema == "Person"
    assert entry.aliases == ("CARTES, Horacio", "VIVEROS CARTES, Horacio")
    assert entry.programs == ("GLOMAG",)
    assert entry.birth_dates == ("1956-07-05",)
    assert entry.nationalities == ("Paraguay",)
    assert "Paraguay" in entry.countries
    assert entry.addresses == ("Paraguay",)
    assert "National ID No. 492599 (Paraguay)" in entry.identifiers
    assert entry.remarks is not None
    assert entry.remarks.startswith("Paraguay; DOB 05 Jul 1956")
    assert "(individual)" not in entry.remarks
    assert "[GLOMAG]" not in entry.remarks


def test_individual_without_aliases_stops_at_given_names() -> None:
    entry = parse_entry(
        "DE MORAES, Alexandre, Brazil; DOB 03 Dec 1968; POB Sao Paulo, Brazil; nationality "
        "Brazil; Gender Male (individual) [GLOMAG]."
    )
    assert entry.name == "DE MORAES, Alexandre"
    assert entry.addresses == ("Brazil",)


def test_entity_name_runs_to_the_address() -> None:
    entry = parse_entry(LEX)
    assert entry.name == "LEX - INSTITUTO DE ESTUDOS JURIDICOS LTDA"
    assert entry.schema == "Organization"
    assert entry.linked_to == ("DE MORAES, Alexandre",)
    assert entry.addresses == (
        "Rua Campos Bicudo, 98, Floor 9, Suite 1, Room 3, Jardim Europa, Sao Paulo 04536-010, "
        "Brazil",
    )
    assert entry.identifiers == ("Registration Number 03850784000135 (Brazil)",)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # An upper-case part after a comma belongs to the name ...
        (
            "SILOVYE MASHINY, PAO, 3A Vatutina St., St. Petersburg, Russia [RUSSIA-EO14024].",
            "SILOVYE MASHINY, PAO",
        ),
        (
            "TEST HOLDINGS, S.A. DE C.V., Avenida 5, Monterrey, Mexico [SDNT].",
            "TEST HOLDINGS, S.A. DE C.V.",
        ),
        # ... an address part is in mixed case or starts with a number or a unit code.
        (
            "COVART ENERGY LIMITED, 5/F, Lee Garden Three, Hong Kong, China [RUSSIA-EO14024].",
            "COVART ENERGY LIMITED",
        ),
        ("MOTORINVEST, D.71, Grebenkino 399775, Russia [RUSSIA-EO14024].", "MOTORINVEST"),
        ("FOO CO; Organization Established Date 2001 [SDGT].", "FOO CO"),
        ('"NABCO COMPANY" (a.k.a. NABICO EXCHANGE), Sana\'a, Yemen [SDGT].', "NABCO COMPANY"),
    ],
)
def test_entity_names(text: str, name: str) -> None:
    assert parse_entry(text).name == name


def test_several_addresses_end_at_the_first_labelled_clause() -> None:
    entry = parse_entry(
        "WIN, Khin Phyu (a.k.a. SHWE, Kyauk Kyar), 1002, Shwe Than Lwin Condo, Yangon, Burma; "
        "No. 218, Building No. A, Insein Road, Yangon, Burma; Syria; DOB 10 Nov 1960; "
        "nationality Burma (individual) [BURMA-EO14014]."
    )
    assert entry.addresses == (
        "1002, Shwe Than Lwin Condo, Yangon, Burma",
        "No. 218, Building No. A, Insein Road, Yangon, Burma",
        "Syria",
    )
    # An address is not an identifier, even when it starts with "No."
    assert entry.identifiers == ()
    assert entry.birth_dates == ("1960-11-10",)


def test_vessel_name_and_call_sign() -> None:
    entry = parse_entry(CONSTANCE)
    assert entry.name == "H. CONSTANCE"
    assert entry.schema == "Vessel"
    assert dict(entry.extra)["call_sign"] == "3E2177"
    assert entry.programs == ("VENEZUELA-EO13850",)
    assert entry.linked_to == ("POWEROY INVESTMENT LIMITED",)
    assert "Vessel Registration Identification IMO 9237773" in entry.identifiers
    assert entry.addresses == ()


def test_vessel_with_alias_and_without_call_sign() -> None:
    aliased = parse_entry(
        'IRIS DENA (a.k.a. "DENA") Frigate Iran flag; Vessel Registration Identification IMO '
        "4743313 (vessel) [IRAN]."
    )
    assert (aliased.name, aliased.aliases) == ("IRIS DENA", ("DENA",))
    bare = parse_entry(
        "DOLPHIN LPG Tanker Sao Tome and Principe flag; Vessel Registration Identification IMO "
        "9052331 (vessel) [IRAN-EO13846]."
    )
    assert bare.name == "DOLPHIN"
    spaced = parse_entry(
        "DREAM II (a.k.a. DANESH) (5IM 592) Crude Oil Tanker Iran flag (vessel) [IRAN]."
    )
    assert dict(spaced.extra)["call_sign"] == "5IM 592"


def test_aircraft() -> None:
    entry = parse_entry(
        "RA-76502; Aircraft Manufacture Date 1990; Aircraft Model IL-76TD; Aircraft Tail Number "
        "RA-76502 (aircraft) [RUSSIA-EO14024] (Linked To: JSC AVIACON ZITOTRANS)."
    )
    assert (entry.name, entry.schema) == ("RA-76502", "Airplane")


def test_several_linked_to_and_an_empty_group() -> None:
    several = parse_entry(
        "LATT, Person (individual) [BURMA-EO14014] (Linked To: LATT, Tun Min; Linked To: SOE, "
        "Win Min)."
    )
    assert several.linked_to == ("LATT, Tun Min", "SOE, Win Min")
    # OFAC printed an emptied Linked To group as "()" (sdnnew23.txt, 06/29/23).
    empty = parse_entry("SALEH, Ali Mohamad; DOB 01 Jan 1974 (individual) [SDGT] ().")
    assert (empty.programs, empty.linked_to) == (("SDGT",), ())


def test_text_without_program_tag_is_refused() -> None:
    with pytest.raises(EntryError, match="program tag"):
        parse_entry("NOBODY, Person; DOB 1970 (individual).")


def test_wrapped_lines_are_joined_and_tags_rejoined_without_space() -> None:
    lines = [
        "AL-KHATUNI, 'Abd-al-",
        "Hamid (individual) [ILLICIT-",
        "DRUGS-EO14059] [SOUTH SUDAN].",
    ]
    text = join_wrapped(lines)
    assert text == "AL-KHATUNI, 'Abd-al-Hamid (individual) [ILLICIT-DRUGS-EO14059] [SOUTH SUDAN]."
    entry = parse_entry(text)
    assert entry.programs == ("ILLICIT-DRUGS-EO14059", "SOUTH SUDAN")
    assert entry.name == "AL-KHATUNI, 'Abd-al-Hamid"


def test_a_tag_joined_with_a_space_is_repaired() -> None:
    entry = parse_entry("SOMEONE, Person (individual) [RUSSIA- EO14024] [CAATSA - RUSSIA].")
    assert entry.programs == ("RUSSIA-EO14024", "CAATSA - RUSSIA")


def test_to_broken_after_its_first_hyphen_is_rejoined() -> None:
    text = join_wrapped(["OLD CO, Tehran, Iran [IRAN]. -", "to- NEW CO, Tehran, Iran [IRAN]."])
    assert text == "OLD CO, Tehran, Iran [IRAN]. -to- NEW CO, Tehran, Iran [IRAN]."
    spaced = join_wrapped(["Additional Sanctions Information -", "Subject to Secondary"])
    assert spaced == "Additional Sanctions Information - Subject to Secondary"


def test_split_entries_keeps_a_change_whole_and_returns_the_rest() -> None:
    text = (
        "A, B (individual) [SDGT] (Linked To: X). -to- A, B (individual) [SDGT]. "
        "C CO, Kabul, Afghanistan [SDGT] (Linked To: A, B). D, E; DOB 1970 (individual)"
    )
    entries, rest = split_entries(text)
    assert entries == [
        "A, B (individual) [SDGT] (Linked To: X). -to- A, B (individual) [SDGT].",
        "C CO, Kabul, Afghanistan [SDGT] (Linked To: A, B).",
    ]
    assert rest == "D, E; DOB 1970 (individual)"


def test_split_change() -> None:
    old, new = split_change("A, B (individual) [SDGT]. -to- A, B (individual) [SDGT] [GLOMAG].")
    assert parse_entry(old).programs == ("SDGT",)
    assert parse_entry(new).programs == ("SDGT", "GLOMAG")
    with pytest.raises(EntryError, match="-to-"):
        split_change("A, B (individual) [SDGT].")


@pytest.mark.parametrize(
    ("heading", "action", "follows"),
    [
        ("The following [GLOMAG] entries have been added to OFAC's SDN List:", "added", False),
        ("The following [GLOMAG] entries have been removed:", "removed", False),
        ("The following [GLOMAG] entries have been changed:", "changed", False),
        ("The following deletions have been made to OFAC's SDN List:", "removed", False),
        ("The following individual has been added to OFAC's SDN List:", "added", False),
        ("Unrelated Administrative List Changes:", "changed", False),
        ("resulting in the following new [GLOMAG] [RUSSIA-EO14024] entries:", "added", True),
        ("resulting in the removal of the following [GLOMAG] entries:", "removed", True),
    ],
)
def test_classify_heading(heading: str, action: str, follows: bool) -> None:
    found = classify_heading(heading)
    assert found is not None
    assert (found.action, found.follows_change) == (action, follows)


def test_unknown_heading() -> None:
    assert classify_heading("The following entries have been frobnicated:") is None
