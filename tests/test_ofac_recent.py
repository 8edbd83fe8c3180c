from datetime import date
from pathlib import Path

import pytest

from magnitsky.listing import ReaderError
from magnitsky.readers import ofac_recent

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ofac_text"


def _pages(shared_data: Path) -> Path:
    return shared_data / "us/ofac/recent_actions"


def test_de_moraes_added_under_glomag(shared_data: Path) -> None:
    actions, problems = ofac_recent.read_with_problems(_pages(shared_data) / "20250730.html")
    assert problems == []
    assert len(actions) == 1
    (moraes,) = actions
    assert moraes.source == "us-ofac-recent"
    assert moraes.document == "20250730.html"
    assert moraes.action_date == date(2025, 7, 30)
    assert moraes.action == "added"
    assert moraes.programs == ("GLOMAG",)
    assert moraes.listing.name == "DE MORAES, Alexandre"
    assert moraes.listing.schema == "Person"
    assert moraes.listing.birth_dates == ("1968-12-03",)
    assert moraes.text.endswith("(individual) [GLOMAG].")


def test_page_info(shared_data: Path) -> None:
    info = ofac_recent.page_info(_pages(shared_data) / "20250730.html")
    assert info.title == "Global Magnitsky Designation"
    assert info.release_date == date(2025, 7, 30)
    assert info.press_releases == (
        ofac_recent.Link(
            "https://home.treasury.gov/news/press-releases/sb0211",
            "Treasury Sanctions Alexandre de Moraes",
        ),
    )
    assert info.url == "https://ofac.treasury.gov/recent-actions/20250730"


def test_removal_page_has_no_press_release(shared_data: Path) -> None:
    info = ofac_recent.page_info(_pages(shared_data) / "20251212.html")
    assert info.title == "Global Magnitsky Designations Removals"
    assert info.press_releases == ()


def test_four_glomag_removals(shared_data: Path) -> None:
    actions, problems = ofac_recent.read_with_problems(_pages(shared_data) / "20251212.html")
    assert problems == []
    assert [(a.action, a.programs) for a in actions] == [("removed", ("GLOMAG",))] * 4
    assert {a.action_date for a in actions} == {date(2025, 12, 12)}
    assert [a.listing.name for a in actions] == [
        "DE MORAES, Alexandre",
        "LEX - INSTITUTO DE ESTUDOS JURIDICOS LTDA",
        "BARCI DE MORAES, Viviane",
        "BARCI, Viviane",
    ]
    lex = actions[1].listing
    assert lex.schema == "Organization"
    assert lex.linked_to == ("DE MORAES, Alexandre",)


def test_entity_and_individual_of_22_september(shared_data: Path) -> None:
    actions = ofac_recent.read(_pages(shared_data) / "20250922.html")
    assert [(a.listing.name, a.listing.schema) for a in actions] == [
        ("BARCI DE MORAES, Viviane", "Person"),
        ("LEX - INSTITUTO DE ESTUDOS JURIDICOS LTDA", "Organization"),
    ]
    assert actions[0].listing.aliases == ("BARCI, Viviane",)


def test_vessels_entities_and_changes_of_11_december(shared_data: Path) -> None:
    actions, problems = ofac_recent.read_with_problems(_pages(shared_data) / "20251211.html")
    assert problems == []
    by_schema = {
        schema: [a for a in actions if a.listing.schema == schema and a.action == "added"]
        for schema in ("Person", "Organization", "Vessel")
    }
    assert [len(v) for v in by_schema.values()] == [4, 6, 6]
    constance = by_schema["Vessel"][0]
    assert constance.listing.name == "H. CONSTANCE"
    assert dict(constance.listing.extra)["call_sign"] == "3E2177"
    assert constance.listing.linked_to == ("POWEROY INVESTMENT LIMITED",)
    assert constance.programs == ("VENEZUELA-EO13850",)
    changed = [a for a in actions if a.action == "changed"]
    assert [a.listing.name for a in changed] == [
        "ADVANCED INFORMATION AND COMMUNICATION TECHNOLOGY CENTER",
        "RAHIMIAN, Pezhman",
    ]
    # The change added a date of birth: the listing is the new form.
    assert changed[1].listing.birth_dates == ("1977-08-29",)
    assert " -to- " in changed[1].text


def test_older_layout_fixture() -> None:
    path = FIXTURES / "recent_actions_older_layout.html"
    actions, problems = ofac_recent.read_with_problems(path)
    assert [(a.action, a.listing.name, a.programs) for a in actions] == [
        ("added", "ONE, Person", ("SDGT", "RUSSIA-EO14024")),
        ("added", "TWO, Person", ("SDGT",)),
        ("changed", "FOUR CO", ("SDGT", "GLOMAG")),
        ("removed", "SIX, Person", ("SDGT",)),
    ]
    assert actions[1].listing.linked_to == ("ONE, Person",)
    assert actions[2].listing.aliases == ("4 CO",)
    assert dict(actions[2].listing.extra)["previous_programs"] == "SDGT"
    assert len(problems) == 2
    assert "does not end an entry" in problems[0] and "THREE, Person" in problems[0]
    assert "other than the SDN list" in problems[1] and "FIVE BANK" in problems[1]


def test_several_press_releases() -> None:
    info = ofac_recent.page_info(FIXTURES / "recent_actions_older_layout.html")
    assert [link.url.rsplit("/", 1)[-1] for link in info.press_releases] == ["xx0001", "xx0002"]
    assert info.title == "Counter Terrorism Designations"
    assert info.release_date == date(2099, 1, 2)


def test_a_press_release_is_not_a_recent_actions_page() -> None:
    with pytest.raises(ReaderError, match="not an OFAC Recent Actions page"):
        ofac_recent.read(FIXTURES / "not_recent_actions.html")
    with pytest.raises(ReaderError, match="release date"):
        ofac_recent.page_info(FIXTURES / "not_recent_actions.html")


def test_empty_file(tmp_path: Path) -> None:
    empty = tmp_path / "20990101.html"
    empty.write_bytes(b"  \n")
    with pytest.raises(ReaderError, match="empty"):
        ofac_recent.read(empty)


def test_truncated_download(shared_data: Path, tmp_path: Path) -> None:
    # The first 20 kB: the page's head and menus, but not the fields.
    cut = tmp_path / "20250730.html"
    cut.write_bytes((_pages(shared_data) / "20250730.html").read_bytes()[:20000])
    with pytest.raises(ReaderError, match="does not end with </html>: it is truncated"):
        ofac_recent.read(cut)


def test_page_without_body(tmp_path: Path) -> None:
    page = tmp_path / "20990101.html"
    page.write_text(
        '<html><body><div class="field--name-field-release-date">'
        '<div class="field__item">01/01/2099</div></div></body></html>'
    )
    with pytest.raises(ReaderError, match="no body"):
        ofac_recent.read(page)


def test_mangled_bytes(tmp_path: Path) -> None:
    page = tmp_path / "20990101.html"
    page.write_bytes(b"\x00\x01\x02<<<>>>\xff\xfe")
    with pytest.raises(ReaderError):
        ofac_recent.read(page)
