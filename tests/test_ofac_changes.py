import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from magnitsky.actions import DatedAction
from magnitsky.listing import ReaderError
from magnitsky.readers import ofac_changes

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ofac_text"


@pytest.fixture(scope="module")
def archive_2023(shared_data: Path) -> tuple[list[DatedAction], list[str]]:
    return ofac_changes.read_with_problems(shared_data / "us/ofac/changes/sdnnew23.txt")


def _follows_change(action: DatedAction) -> bool:
    return dict(action.listing.extra).get("follows_change") == "true"


def test_every_entry_of_2023_is_read(archive_2023: tuple[list[DatedAction], list[str]]) -> None:
    actions, problems = archive_2023
    assert problems == []
    # Counted by hand: each entry ends in a CRLF line "…]." or "…).", under its heading
    # (awk over sdnnew23.txt); the old half of a change ends in a bare LF.
    kinds = Counter((a.action, _follows_change(a)) for a in actions)
    assert kinds == {
        ("added", False): 5616,
        ("removed", False): 468,
        ("changed", False): 498,
        ("added", True): 78,
        ("removed", True): 15,
    }
    assert {a.source for a in actions} == {"us-ofac-changes"}
    assert {a.document for a in actions} == {"sdnnew23.txt"}
    assert all(a.action_date.year == 2023 for a in actions)
    assert min(a.action_date for a in actions) == date(2023, 1, 5)
    assert max(a.action_date for a in actions) == date(2023, 12, 28)


def test_glomag_block_of_26_january(archive_2023: tuple[list[DatedAction], list[str]]) -> None:
    actions, _ = archive_2023
    block = [a for a in actions if a.action_date == date(2023, 1, 26) and "GLOMAG" in a.programs]
    assert len(block) == 8
    assert {a.action for a in block} == {"added"}
    cartes = next(a for a in block if a.listing.name == "CARTES JARA, Horacio Manuel")
    assert cartes.listing.schema == "Person"
    assert cartes.listing.birth_dates == ("1956-07-05",)
    assert cartes.listing.nationalities == ("Paraguay",)
    assert cartes.programs == ("GLOMAG",)
    assert cartes.text.startswith("CARTES JARA, Horacio Manuel (a.k.a. CARTES, Horacio;")
    assert cartes.text.endswith("(individual) [GLOMAG].")
    # Each alias is printed as an entry of its own: three rows for one person.
    rows = {
        a.listing.name for a in block if "CARTES, Horacio" in {a.listing.name, *a.listing.aliases}
    }
    assert rows == {"CARTES JARA, Horacio Manuel", "CARTES, Horacio", "VIVEROS CARTES, Horacio"}


def test_glomag_totals_of_2023(archive_2023: tuple[list[DatedAction], list[str]]) -> None:
    actions, _ = archive_2023
    glomag = [a for a in actions if "GLOMAG" in a.programs]
    # Verified by hand (awk over the entries under each heading): 168 rows added on
    # 8 dates, one removed (SEEMAR, Satish on 08/03/23).
    added = [a for a in glomag if a.action == "added" and not _follows_change(a)]
    removed = [a for a in glomag if a.action == "removed" and not _follows_change(a)]
    assert len(added) == 168
    assert Counter(a.action_date.isoformat() for a in added) == {
        "2023-01-26": 8,
        "2023-02-10": 28,
        "2023-03-03": 5,
        "2023-03-31": 2,
        "2023-04-05": 1,
        "2023-12-01": 4,
        "2023-12-08": 36,
        "2023-12-11": 84,
    }
    assert [(a.action_date, a.listing.name) for a in removed] == [
        (date(2023, 8, 3), "SEEMAR, Satish")
    ]
    # The Kadyrov fund's renaming on 08/24/23: rows that come and go with a change.
    follow = [a for a in glomag if _follows_change(a)]
    assert Counter(a.action for a in follow) == {"added": 2, "removed": 2}
    assert {a.action_date for a in follow} == {date(2023, 8, 24)}


def test_changes_carry_the_old_form(archive_2023: tuple[list[DatedAction], list[str]]) -> None:
    actions, _ = archive_2023
    fund = next(
        a for a in actions if a.action == "changed" and a.listing.name == "AKHMAD KADYROV FUND"
    )
    assert fund.programs == ("GLOMAG", "RUSSIA-EO14024")
    assert dict(fund.listing.extra)["previous_programs"] == "GLOMAG"
    assert " -to- " in fund.text
    assert "HERO OF RUSSIA AKHMAT KADYROV REGIONAL PUBLIC FUND" in fund.listing.aliases


def test_wrapped_tags_and_to_in_the_real_file(
    archive_2023: tuple[list[DatedAction], list[str]],
) -> None:
    actions, _ = archive_2023
    tags = {t for a in actions for t in a.programs}
    assert "RUSSIA-EO14024" in tags
    assert "ILLICIT-DRUGS-EO14059" in tags
    assert "CAATSA - RUSSIA" in tags  # a real tag with a spaced hyphen
    assert not [t for t in tags if t.endswith("-") or re.search(r"\S- ", t)]
    assert not [a for a in actions if "\n" in a.text or "  " in a.text]
    # 01/06/23: "-to-" is broken over two lines ("[RUSSIA-EO14024]. -" / "to- GHODS …").
    ghods = next(a for a in actions if a.action_date == date(2023, 1, 6))
    assert ghods.action == "changed"
    assert ghods.listing.name == "GHODS AVIATION INDUSTRIES"
    assert "LIGHT AIRPLANES DESIGN AND MANUFACTURING INDUSTRIES" in ghods.listing.aliases


def test_names_are_where_the_entries_start(
    archive_2023: tuple[list[DatedAction], list[str]],
) -> None:
    actions, _ = archive_2023
    for action in actions:
        text = action.text.split(" -to- ", 1)[-1]
        # A quoted name ("NABCO COMPANY") loses its quotes; 'ABD-AL-DA'IM keeps its own.
        assert action.listing.name in text[: len(action.listing.name) + 1], action.text[:100]
        assert "a.k.a." not in action.listing.name
        assert ";" not in action.listing.name


def test_edge_cases_fixture() -> None:
    actions, problems = ofac_changes.read_with_problems(FIXTURES / "sdnnew_edge_cases.txt")
    assert problems == []
    summary = [(a.action_date.isoformat(), a.action, a.listing.name) for a in actions]
    assert summary == [
        ("2099-01-05", "added", "PEREZ-GOMEZ, Juan"),
        ("2099-01-05", "added", "TEST HOLDINGS, S.A. DE C.V."),
        ("2099-01-06", "changed", "AL-SAMPLE, 'Abd-al-Karim"),
        ("2099-01-06", "removed", "SEA LADY"),
        ("2099-01-07", "changed", "NEW NAME CO"),
        ("2099-01-07", "changed", "OTHER CO"),
        ("2099-01-07", "added", "NEW NAME CO"),
        ("2099-01-07", "removed", "OLD NAME CO"),
    ]
    perez, holdings, sample, lady, renamed, *_ = actions
    # The tag wrapped over two lines ("[ILLICIT-" / "DRUGS-EO14059]").
    assert perez.programs == ("ILLICIT-DRUGS-EO14059", "GLOMAG")
    assert holdings.listing.linked_to == ("PEREZ-GOMEZ, Juan",)
    # A Zimbabwe entry moved to GLOMAG: the new tags, and the old ones beside them.
    assert sample.programs == ("ZIMBABWE", "GLOMAG")
    assert dict(sample.listing.extra)["previous_programs"] == "ZIMBABWE"
    assert lady.listing.schema == "Vessel"
    assert lady.listing.linked_to == ("TEST HOLDINGS, S.A. DE C.V.",)
    assert dict(renamed.listing.extra)["previous_name"] == "OLD NAME CO"
    assert [_follows_change(a) for a in actions] == [False] * 6 + [True, True]


def test_crlf_and_cp1252_give_the_same_actions(tmp_path: Path) -> None:
    raw = (FIXTURES / "sdnnew_edge_cases.txt").read_bytes()
    crlf = tmp_path / "sdnnew99.txt"
    # OFAC mixes CRLF and LF; a stray Windows-1252 byte (0xE9, "é") must not stop the read.
    crlf.write_bytes(raw.replace(b"\n", b"\r\n").replace(b"Calle 1", b"Calle \xe9"))
    original = ofac_changes.read(FIXTURES / "sdnnew_edge_cases.txt")
    converted = ofac_changes.read(crlf)
    assert [a.listing.name for a in converted] == [a.listing.name for a in original]
    assert converted[0].listing.addresses == ("Calle é, Mexico City, Mexico",)


def test_problems_are_reported_not_dropped() -> None:
    actions, problems = ofac_changes.read_with_problems(FIXTURES / "sdnnew_problems.txt")
    assert [a.listing.name for a in actions] == ["GOOD, Person"]
    assert len(problems) == 6
    assert "does not end an entry" in problems[0] and "NO TAG, Person" in problems[0]
    assert "'-to-'" in problems[1] and "CHANGED, Person" in problems[1]
    assert "unknown heading" in problems[2]
    assert "ODD, Person" in problems[3]
    assert "not a date" in problems[4] and "13/45/99" in problems[4]
    assert "UNDATED, Person" in problems[5]
    assert all(p.startswith("line ") for p in problems)


def test_read_logs_the_problems_and_refuses_a_date_that_is_none(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with pytest.raises(ReaderError, match="not a date: '13/45/99:'"):
        ofac_changes.read(FIXTURES / "sdnnew_problems.txt")
    assert sum("NO TAG, Person" in r.getMessage() for r in caplog.records) == 1


def test_empty_file(tmp_path: Path) -> None:
    empty = tmp_path / "sdnnew24.txt"
    empty.write_bytes(b"\r\n\x1a")
    with pytest.raises(ReaderError, match="empty"):
        ofac_changes.read(empty)


def test_no_date_blocks() -> None:
    with pytest.raises(ReaderError, match="no date line"):
        ofac_changes.read(FIXTURES / "no_date_blocks.txt")


def test_html_is_not_an_archive(shared_data: Path) -> None:
    with pytest.raises(ReaderError, match="not an SDN change archive"):
        ofac_changes.read(shared_data / "us/ofac/recent_actions/20250730.html")


def test_utf16_cannot_be_decoded(tmp_path: Path) -> None:
    utf16 = tmp_path / "sdnnew99.txt"
    utf16.write_bytes((FIXTURES / "sdnnew_edge_cases.txt").read_text().encode("utf-16"))
    with pytest.raises(ReaderError, match="NUL bytes"):
        ofac_changes.read(utf16)
