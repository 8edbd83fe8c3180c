"""The sdn_advanced.xml reader, on self-written fixtures in OFAC's advanced-XML layout
(no real sdn_advanced.xml is available to the tests)."""

from datetime import date
from pathlib import Path

import pytest

from magnitsky.listing import Listing, ReaderError
from magnitsky.readers import ofac_advanced

SMALL = "ofac_advanced/sdn_advanced_small.xml"
TRUNCATED = "ofac_advanced/sdn_advanced_truncated.xml"


def _by_id(path: Path) -> dict[str, Listing]:
    return {entry.source_id: entry for entry in ofac_advanced.read(path)}


def _variant(fixtures: Path, tmp_path: Path, old: str, new: str) -> Path:
    text = (fixtures / SMALL).read_text("utf-8")
    assert old in text
    path = tmp_path / "sdn_advanced.xml"
    path.write_text(text.replace(old, new, 1), "utf-8")
    return path


def test_one_listing_per_sanctions_entry(fixtures: Path) -> None:
    entries = list(ofac_advanced.read(fixtures / SMALL))
    assert [e.source_id for e in entries] == ["90001", "90002", "90003", "90004", "90005"]
    assert {e.source for e in entries} == {"us-ofac-sdn"}


def test_individual_names_dates_and_nationalities(fixtures: Path) -> None:
    person = _by_id(fixtures / SMALL)["90001"]
    assert person.schema == "Person"
    assert person.name == "KOVALEV, Arkady Petrovich"
    # The Cyrillic script variant of the primary name, an a.k.a., and a weak nickname alias.
    assert person.aliases == ("КОВАЛЕВ, Аркадий Петрович", "KOVALYOV, Arkadiy", "KOVAL")
    assert person.programs == ("GLOMAG",)
    assert person.birth_dates == ("1968-03-14", "1969")
    assert person.nationalities == ("Russia", "Cyprus")
    assert person.countries == ("Russia", "Cyprus")
    assert person.addresses == ("12 Harbour Road, Limassol, Cyprus",)
    assert person.identifiers == ("Passport 751234567 (Russia)",)
    assert person.title == "Head of the Regional Investigative Directorate"
    assert person.listed_on == date(2018, 12, 21)
    assert ("place_of_birth", "Perm, Russia") in person.extra
    assert ("legal_basis", "Executive Order 13818 (Global Magnitsky)") in person.extra


def test_entity_is_linked_to_the_individual(fixtures: Path) -> None:
    company = _by_id(fixtures / SMALL)["90002"]
    assert company.schema == "Organization"
    assert company.name == "BLUE HARBOUR HOLDINGS LIMITED"
    assert company.aliases == ("BLUE HARBOR TRADING LTD",)
    assert company.programs == ("GLOMAG",)
    assert company.linked_to == ("KOVALEV, Arkady Petrovich",)
    assert company.listed_on == date(2019, 6, 12)
    # The relationship runs from the company to the owner, not back.
    assert _by_id(fixtures / SMALL)["90001"].linked_to == ()


def test_two_programs_and_the_earliest_listing_event(fixtures: Path) -> None:
    company = _by_id(fixtures / SMALL)["90003"]
    assert company.programs == ("SDGT", "GLOMAG")
    assert company.listed_on == date(2016, 5, 3)
    assert company.identifiers == ("SWIFT/BIC NSGTAEAD",)
    events = [v for k, v in company.extra if k == "entry_event"]
    assert events == [
        "2016-05-03 Created: Executive Order 13224 (Terrorism)",
        "2020-02-11 Created: Executive Order 13818 (Global Magnitsky)",
    ]


def test_vessel_and_aircraft_are_typed(fixtures: Path) -> None:
    entries = _by_id(fixtures / SMALL)
    vessel, plane = entries["90004"], entries["90005"]
    assert (vessel.schema, vessel.name) == ("Vessel", "SEA FALCON")
    assert vessel.identifiers == ("Vessel Registration Identification IMO 9123457",)
    assert vessel.countries == ("Panama",)
    assert ("vessel_flag", "Panama") in vessel.extra
    assert (plane.schema, plane.name) == ("Airplane", "EP-QXZ")
    # OFAC's "undetermined" placeholder location gives neither address nor country.
    assert (plane.addresses, plane.countries) == ((), ())


def test_entry_events_are_dated_additions(fixtures: Path) -> None:
    actions = ofac_advanced.entry_events(fixtures / SMALL)
    assert len(actions) == 5
    first = actions[0]
    assert first.source == "us-ofac-advanced"
    assert first.document == str(fixtures / SMALL)
    assert (first.action, first.action_date) == ("added", date(2018, 12, 21))
    assert first.programs == ("GLOMAG",)
    assert first.listing.source_id == "90001"
    assert first.text == (
        "KOVALEV, Arkady Petrovich (Person) [GLOMAG]; listed 2018-12-21; "
        "legal basis: Executive Order 13818 (Global Magnitsky)"
    )
    assert {a.listing.source_id: a.action_date for a in actions}["90003"] == date(2016, 5, 3)


def test_a_non_listing_event_does_not_date_the_entry(fixtures: Path, tmp_path: Path) -> None:
    path = _variant(
        fixtures,
        tmp_path,
        '<EntryEventType ID="1">Created</EntryEventType>',
        '<EntryEventType ID="1">Created</EntryEventType>'
        '<EntryEventType ID="2">Amended</EntryEventType>',
    )
    text = path.read_text("utf-8").replace(
        '<EntryEvent ID="190003" EntryEventTypeID="1"',
        '<EntryEvent ID="190003" EntryEventTypeID="2"',
    )
    path.write_text(text.replace("<Year>2016</Year>", "<Year>2021</Year>"), "utf-8")
    company = _by_id(path)["90003"]
    # The "Created" event (moved to 2021) dates the listing, not the earlier amendment.
    assert company.listed_on == date(2021, 5, 3)


def test_entries_on_other_lists_are_left_out(fixtures: Path, tmp_path: Path) -> None:
    path = _variant(
        fixtures,
        tmp_path,
        '<List ID="1550">SDN List</List>',
        '<List ID="1550">SDN List</List><List ID="1551">Non-SDN Menu-Based Sanctions List</List>',
    )
    path.write_text(
        path.read_text("utf-8").replace(
            'ProfileID="90004" ListID="1550"', 'ProfileID="90004" ListID="1551"'
        ),
        "utf-8",
    )
    assert "90004" not in _by_id(path)


def test_the_old_un_namespace_is_read(fixtures: Path, tmp_path: Path) -> None:
    path = _variant(
        fixtures,
        tmp_path,
        "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/ADVANCED_XML",
        "http://www.un.org/sanctions/1.0",
    )
    assert len(_by_id(path)) == 5


def _error(path: Path) -> str:
    with pytest.raises(ReaderError) as caught:
        list(ofac_advanced.read(path))
    assert str(path) in str(caught.value)
    return caught.value.problem


def test_truncated_file_is_an_error_before_any_listing(fixtures: Path) -> None:
    path = fixtures / TRUNCATED
    problem = _error(path)
    assert "truncated or malformed at line" in problem
    # The entry complete before the cut is not yielded either: no partial list.
    with pytest.raises(ReaderError):
        next(iter(ofac_advanced.read(path)))
    with pytest.raises(ReaderError, match=r"sdn_advanced_truncated\.xml"):
        ofac_advanced.entry_events(path)


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "empty"),
        (b"\n  \r\n", "empty"),
        (b"<!DOCTYPE html><html><body>Service unavailable</body></html>", "HTML page"),
        (b"<html><head><title>502</title></head></html>", "HTML page"),
        (b'{"error": "not found"}', "not XML"),
        (b'<?xml version="1.0"?>\n<sdnList><sdnEntry/></sdnList>', "legacy sdn.xml"),
        (b'<?xml version="1.0"?>\n<export><sanctionEntity/></export>', "root element is <export>"),
        (
            b'<Sanctions xmlns="http://example.org/other"><SanctionsEntries/></Sanctions>',
            "namespace",
        ),
        (b"<Sanctions><DistinctParties>", "namespace"),
    ],
)
def test_files_that_are_not_advanced_xml(tmp_path: Path, content: bytes, problem: str) -> None:
    path = tmp_path / "download.xml"
    path.write_bytes(content)
    assert problem in _error(path)


def test_a_cut_inside_the_root_element_gives_the_line(tmp_path: Path) -> None:
    path = tmp_path / "cut.xml"
    path.write_bytes(
        b'<?xml version="1.0"?>\n<Sanctions xmlns="http://www.un.org/sanctions/1.0">\n'
        b"<DistinctParties>\n<DistinctParty FixedRef="
    )
    assert "truncated or malformed at line 4" in _error(path)


def test_a_file_without_entries_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "no_entries.xml"
    path.write_bytes(
        b'<Sanctions xmlns="http://www.un.org/sanctions/1.0"><SanctionsEntries/></Sanctions>'
    )
    assert "no SanctionsEntry" in _error(path)


def test_an_entry_for_a_missing_profile_is_an_error(fixtures: Path, tmp_path: Path) -> None:
    path = _variant(fixtures, tmp_path, 'ProfileID="90005" ListID', 'ProfileID="99999" ListID')
    assert "profile '99999'" in _error(path)
