"""What snapshots alone miss, on the real files in ../shared/data: a designation made and
revoked between two snapshots, a second entry of a person already listed, the UK's own
designation date under a regime that its first listing predates."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from magnitsky import build, settings
from magnitsky.analysis.annual import annual
from magnitsky.analysis.designations import load
from magnitsky.cli import cli
from magnitsky.stats import yearly
from magnitsky.store import Store, open_store
from tests.history_fixtures import BASE, row, write_csv


@pytest.fixture()
def store(built_store: Path) -> Iterator[Store]:
    with open_store(built_store, read_only=True) as opened:
        yield opened


def _cli(built_store: Path, *args: str) -> list[dict[str, str]]:
    result = CliRunner().invoke(cli, ["--db", str(built_store), *args, "--format", "csv"])
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.output)))


# --- designated and revoked between two snapshots ---------------------------------------


def test_the_turkish_ministers_are_designated_from_the_press_release(store: Store) -> None:
    """Gul and Soylu (GLOMAG, 1 August 2018, press release sm453) are on no snapshot: the
    designation comes from the text, dated by it, and it ended before the next snapshot."""
    rows = store.dicts(
        "SELECT * FROM designations WHERE program = 'US-GLOMAG'"
        " AND (name ILIKE '%Soylu%' OR name ILIKE '%Abdulhamit Gul%') ORDER BY name"
    )
    assert [r["name"] for r in rows] == ["Abdulhamit Gul", "Suleyman Soylu"]
    for r in rows:
        assert (r["listed_on"], r["listed_not_before"], r["listed_not_after"]) == (
            date(2018, 8, 1),
            date(2018, 8, 1),
            date(2018, 8, 1),
        )
        assert (r["date_quality"], r["date_source"]) == ("text_only", "sm453.html")
        assert r["schema"] == "Person"  # a minister: the text's role says so
        assert r["delisted_quality"] == "bracket"
        assert r["delisted_not_before"] == date(2018, 8, 1)
        assert r["delisted_on"] == date(2019, 1, 4)  # the next snapshot lacks them


def test_an_action_with_a_candidate_entry_stays_on_the_review_list(
    store: Store, built_store: Path
) -> None:
    """'99th LID' (sm460) is not on the list under that name, but an entry may be it: no
    designation is made from the text, and the review list names the candidate."""
    assert not store.scalar(
        "SELECT count(*) FROM designations WHERE date_quality = 'text_only' AND name ILIKE '%LID%'"
    )
    review = {r["name"]: r for r in _cli(built_store, "actions", "--unlinked")}
    if "99th LID" in review:  # the evidence linker may learn to link it
        assert "99TH LIGHT INFANTRY DIVISION" in review["99th LID"]["candidates"]
        assert review["99th LID"]["text_only"] == "False"
    assert review["Abdulhamit Gul"]["text_only"] == "True"
    assert review["Abdulhamit Gul"]["candidates"] == ""


def test_designations_made_from_a_text_alone_are_kept_apart(built_store: Path) -> None:
    rows = _cli(
        built_store, "designations", "--program", "US-GLOMAG", "--date-quality", "text_only"
    )
    assert sorted(r["name"] for r in rows) == ["Abdulhamit Gul", "Suleyman Soylu"]
    everything = _cli(built_store, "designations", "--program", "US-GLOMAG")
    assert {"text_only", "exact", "bracket"} <= {r["date_quality"] for r in everything}


def test_the_text_only_designations_count_in_2018_and_show_in_the_data_quality(
    store: Store,
) -> None:
    year = {r["year"]: r for r in yearly(load(store, "US-GLOMAG"))}[2018]
    made = store.dicts(
        "SELECT * FROM designations WHERE program = 'US-GLOMAG' AND date_quality = 'text_only'"
    )
    assert len(made) == 2
    bracketed = store.scalar(
        "SELECT count(*) FROM designations WHERE program = 'US-GLOMAG' AND schema IN"
        " ('Person', 'Organization') AND listed_not_before >= '2018-01-01'"
        " AND listed_not_after <= '2018-12-31'"
    )
    assert year["persons_min"] == bracketed  # the two certain ones are in the lower bound
    quality = annual(store, "US-GLOMAG", 2018).quality
    assert quality["text_only"] == 2


# --- a second entry of the same person --------------------------------------------------


def test_a_second_entry_of_kadyrov_is_a_duplicate_not_a_designation(store: Store) -> None:
    """OFAC added entry 36459 for Ramzan Kadyrov (already entry 23343 under MAGNIT and
    GLOMAG) in September 2022 and removed it in November."""
    events = store.rows(
        "SELECT program, event_type, not_after FROM events WHERE source_id = '36459'"
        " AND program IN ('US-GLOMAG', 'US-MAGNITSKY') ORDER BY program, not_after"
    )
    assert events == [
        ("US-GLOMAG", "duplicate_added", date(2022, 9, 15)),
        ("US-GLOMAG", "duplicate_removed", date(2022, 11, 14)),
        ("US-MAGNITSKY", "duplicate_added", date(2022, 9, 15)),
        ("US-MAGNITSKY", "duplicate_removed", date(2022, 11, 14)),
    ]
    held = store.rows(
        "SELECT source_id, program FROM designations WHERE name = 'KADYROV, Ramzan Akhmatovich'"
        " AND program IN ('US-GLOMAG', 'US-MAGNITSKY') ORDER BY program"
    )
    assert held == [("23343", "US-GLOMAG"), ("23343", "US-MAGNITSKY")]
    # A person new to a program is a designation, even on a second entry.
    assert store.scalar(
        "SELECT count(*) FROM designations WHERE source_id = '36459'"
        " AND program = 'US-RUSSIA-EO14024' AND listed_on = '2022-09-15'"
    )


def test_duplicates_are_rare_and_not_counted(store: Store) -> None:
    added = store.scalar("SELECT count(*) FROM events WHERE event_type = 'duplicate_added'")
    assert 1 <= added <= 10  # the matcher's test is strict: same name, same birth day
    year = {r["year"]: r for r in yearly(load(store, "US-GLOMAG"))}[2022]
    listed = store.scalar(
        "SELECT count(*) FROM designations WHERE program = 'US-GLOMAG'"
        " AND schema IN ('Person', 'Organization') AND listed_not_before >= '2022-01-01'"
        " AND listed_not_after <= '2022-12-31'"
    )
    assert year["persons_min"] == listed
    assert not store.scalar(
        "SELECT count(*) FROM designations d JOIN events e ON e.source = d.source"
        " AND e.source_id = d.source_id AND e.program = d.program"
        " WHERE e.event_type = 'duplicate_added'"
    )


# --- the UK's own designation date ------------------------------------------------------


@pytest.mark.parametrize("group_id", ["12892", "12893", "12894"])
def test_the_uk_designation_date_dates_a_regime_listed_on_predates(
    store: Store, group_id: str
) -> None:
    """Pshonka, Ratushniak, Zakharchenko: 'Listed On' 06/03/2014 (the Ukraine regime),
    'UK Sanctions List Date Designated' 31/12/2020 under Global Human Rights."""
    (row,) = store.dicts(
        "SELECT * FROM designations WHERE source = 'gb-ofsi' AND source_id = ?"
        " AND program = 'GB-HR'",
        [group_id],
    )
    assert row["listed_not_before"] == row["listed_on"] == row["listed_not_after"]
    assert row["listed_on"] == date(2020, 12, 31)
    assert row["date_quality"] == "exact"
    assert "designation date" in row["date_source"]


def test_uk_dates_that_disagree_are_reported(built_store: Path) -> None:
    conflicts = [
        c
        for c in _cli(built_store, "conflicts")
        if c["source"] == "gb-ofsi" and c["kind"] == "designation_date_differs"
    ]
    assert len(conflicts) >= 15
    by_id = {c["source_id"]: c for c in conflicts}
    assert by_id["16309"]["dates"] == "listed on 2023-12-08; designated 2023-12-07"
    assert by_id["16309"]["program"] == "GB-HR"


# --- the same rules on a small hand-made history, by the full and the fast path ---------


def _duplicate_history(folder: Path) -> list[Path]:
    """101 is listed; a second entry 201 of the same person (same name, same birth day)
    comes and goes; 202, of the same name but another birth day, is another person."""
    second = row(201, "OFFICIAL, Corrupt", "GLOMAG] [SDGT", remarks="DOB 01 Jan 1960.")
    other = row(202, "OFFICIAL, Corrupt", "GLOMAG", remarks="DOB 03 Mar 1975.")
    return [
        write_csv(folder / "sdn_2023-01-10.csv", BASE),
        write_csv(folder / "sdn_2023-02-10.csv", [*BASE, second, other]),
        write_csv(folder / "sdn_2023-03-10.csv", [*BASE, other]),
    ]


def test_a_second_entry_is_a_duplicate_by_either_path(tmp_path: Path) -> None:
    paths = _duplicate_history(tmp_path / "h")
    results = []
    for name in ("fast", "full"):
        opened = open_store(tmp_path / f"{name}.duckdb")
        if name == "fast":
            for path in paths:
                build.ingest(opened, settings.load(), [path])
        else:
            build.import_dir(opened, settings.load(), tmp_path / "h")
        results.append(
            (
                sorted(
                    opened.rows(
                        "SELECT source_id, program, event_type, not_after FROM events"
                        " WHERE source_id IN ('201', '202')"
                    )
                ),
                sorted(
                    opened.rows(
                        "SELECT source_id, program, listed_on, delisted_on FROM designations"
                        " WHERE source_id IN ('201', '202')"
                    )
                ),
            )
        )
    assert results[0] == results[1]
    events, designated = results[0]
    assert events == [
        ("201", "US-GLOMAG", "duplicate_added", date(2023, 2, 10)),
        ("201", "US-GLOMAG", "duplicate_removed", date(2023, 3, 10)),
        ("201", "US-SDGT", "delisted", date(2023, 3, 10)),
        ("201", "US-SDGT", "listed", date(2023, 2, 10)),
        ("202", "US-GLOMAG", "listed", date(2023, 2, 10)),
    ]
    assert designated == [
        ("201", "US-SDGT", date(2023, 2, 10), date(2023, 3, 10)),
        ("202", "US-GLOMAG", date(2023, 2, 10), None),
    ]
