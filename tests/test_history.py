"""The rules of the event history, each on a small hand-made history."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from magnitsky import build, settings
from magnitsky.history import snapshots as snaps
from magnitsky.listing import ReaderError
from magnitsky.store import Store, open_store
from tests.history_fixtures import BASE, history, row, write_changes, write_csv

SETTINGS = settings.load()


@pytest.fixture()
def store(tmp_path: Path) -> Store:
    return open_store(tmp_path / "store.duckdb")


def designations(store: Store, program: str = "US-GLOMAG") -> dict[tuple[str, Any], dict[str, Any]]:
    rows = store.dicts("SELECT * FROM designations WHERE program = ?", [program])
    return {(r["source_id"], r["listed_not_after"]): r for r in rows}


def events(store: Store) -> set[tuple[Any, ...]]:
    return {
        tuple(r)
        for r in store.rows(
            "SELECT source_id, program, event_type, not_before, not_after FROM events"
        )
    }


def test_first_snapshot_is_a_baseline_not_a_day_of_designations(
    store: Store, tmp_path: Path
) -> None:
    paths = history(tmp_path / "h")
    build.ingest(store, SETTINGS, [paths["2023-01-10"]])
    rows = store.dicts("SELECT * FROM designations WHERE program = 'US-GLOMAG'")
    assert {r["source_id"] for r in rows} == {"101", "103"}
    for r in rows:
        assert r["date_quality"] == "baseline"
        assert r["listed_not_after"] == date(2023, 1, 10)
        # never before the program existed: E.O. 13818's first listings, 2017-12-21
        assert r["listed_not_before"] == date(2017, 12, 21)


def test_events_between_snapshots(store: Store, tmp_path: Path) -> None:
    history(tmp_path / "h")
    build.import_dir(store, SETTINGS, tmp_path / "h")
    got = events(store)
    feb, mar, apr = date(2023, 2, 10), date(2023, 3, 10), date(2023, 4, 10)
    jan = date(2023, 1, 10)
    assert ("105", "US-GLOMAG", "listed", jan, feb) in got
    assert ("103", "US-GLOMAG", "delisted", feb, mar) in got
    assert ("103", "US-GLOMAG", "relisted", mar, apr) in got
    assert ("101", "US-GLOMAG", "amended", feb, mar) in got


def test_a_tag_added_to_an_existing_entry_is_a_designation_not_a_new_entry(
    store: Store, tmp_path: Path
) -> None:
    history(tmp_path / "h")
    build.import_dir(store, SETTINGS, tmp_path / "h")
    got = events(store)
    assert ("102", "US-GLOMAG", "program_added", date(2023, 1, 10), date(2023, 2, 10)) in got
    assert not any(e[0] == "102" and e[2] == "listed" and e[4] != date(2023, 1, 10) for e in got)
    rows = designations(store)
    added = rows[("102", date(2023, 2, 10))]
    assert added["date_quality"] == "bracket"
    assert added["listed_not_before"] == date(2023, 1, 10)


def test_bracket_is_last_snapshot_without_to_first_with(store: Store, tmp_path: Path) -> None:
    history(tmp_path / "h")
    build.import_dir(store, SETTINGS, tmp_path / "h")
    judge = designations(store)[("105", date(2023, 2, 10))]
    assert (judge["listed_not_before"], judge["listed_not_after"]) == (
        date(2023, 1, 10),
        date(2023, 2, 10),
    )
    assert judge["date_quality"] == "bracket"
    shell = [r for (sid, _), r in designations(store).items() if sid == "103"]
    first = min(shell, key=lambda r: r["listed_not_after"])
    assert first["delisted_on"] == date(2023, 3, 10)
    assert first["delisted_quality"] == "bracket"
    assert len(shell) == 2, "a relisting is a second designation"


def test_an_exact_date_from_the_change_archive_wins_over_the_bracket(
    store: Store, tmp_path: Path
) -> None:
    history(tmp_path / "h")
    archive = write_changes(tmp_path / "sdnnew23.txt")
    build.import_dir(store, SETTINGS, tmp_path / "h")
    build.ingest(store, SETTINGS, [archive])
    judge = designations(store)[("105", date(2023, 2, 3))]
    assert judge["date_quality"] == "exact"
    assert judge["listed_on"] == date(2023, 2, 3)
    assert judge["date_source"] == "sdnnew23.txt"
    shell = min(
        (r for (sid, _), r in designations(store).items() if sid == "103"),
        key=lambda r: r["listed_not_after"],
    )
    assert (shell["delisted_on"], shell["delisted_quality"]) == (date(2023, 3, 1), "exact")


def test_conflicting_exact_dates_are_reported(store: Store, tmp_path: Path) -> None:
    history(tmp_path / "h")
    write_changes(tmp_path / "a" / "sdnnew23.txt")
    other = (tmp_path / "a" / "sdnnew23.txt").read_text().replace("02/03/23", "02/06/23")
    write_changes(tmp_path / "b" / "sdnnew23.txt", other.replace("\r\n", "\n"))
    build.import_dir(store, SETTINGS, tmp_path / "h")
    build.ingest(
        store, SETTINGS, [tmp_path / "a" / "sdnnew23.txt", tmp_path / "b" / "sdnnew23.txt"]
    )
    conflicts = store.dicts("SELECT * FROM date_conflicts WHERE source_id = '105'")
    assert len(conflicts) == 1
    assert "2023-02-03" in conflicts[0]["dates"] and "2023-02-06" in conflicts[0]["dates"]
    judge = next(r for (sid, _), r in designations(store).items() if sid == "105")
    assert judge["listed_on"] == date(2023, 2, 3), "the earliest is used, and said to be"


def test_an_empty_snapshot_is_rejected_and_takes_no_part(store: Store, tmp_path: Path) -> None:
    paths = history(tmp_path / "h")
    (tmp_path / "h" / "sdn_2023-02-20.csv").write_bytes(b"")
    build.import_dir(store, SETTINGS, tmp_path / "h")
    status = dict(store.rows("SELECT as_of_date, status FROM snapshots"))
    assert status[date(2023, 2, 20)] == "rejected"
    reason = store.scalar("SELECT reason FROM snapshots WHERE as_of_date = '2023-02-20'")
    assert "empty" in reason
    # nothing was delisted on the empty day: the next snapshot diffs against 2023-02-10
    assert not any(e[4] == date(2023, 2, 20) for e in events(store))
    assert ("103", "US-GLOMAG", "delisted", date(2023, 2, 10), date(2023, 3, 10)) in events(store)
    assert paths


def test_a_snapshot_losing_most_entries_is_rejected_unless_forced(
    store: Store, tmp_path: Path
) -> None:
    history(tmp_path / "h")
    write_csv(tmp_path / "h" / "sdn_2023-05-01.csv", BASE[:1])
    build.import_dir(store, SETTINGS, tmp_path / "h")
    reason = store.scalar("SELECT reason FROM snapshots WHERE as_of_date = '2023-05-01'")
    assert reason and "loses" in reason
    assert not any(e[2] == "delisted" and e[4] == date(2023, 5, 1) for e in events(store))

    forced = open_store(tmp_path / "forced.duckdb")
    build.import_dir(forced, SETTINGS, tmp_path / "h", force=True)
    assert (
        forced.scalar("SELECT status FROM snapshots WHERE as_of_date = '2023-05-01'") == "accepted"
    )
    assert any(e[2] == "delisted" and e[4] == date(2023, 5, 1) for e in events(forced))


def test_utc_commit_time_becomes_the_us_eastern_day() -> None:
    late = datetime(2023, 1, 27, 3, 0, tzinfo=UTC)  # 22:00 on the 26th in Washington
    snap = snaps.SnapshotInput("us-ofac-sdn", late, "x", b"", "sdn-csv")
    assert snap.as_of_date == date(2023, 1, 26)
    noon = snaps.SnapshotInput(
        "us-ofac-sdn", datetime(2023, 7, 1, 16, 0, tzinfo=UTC), "x", b"", "sdn-csv"
    )
    assert noon.as_of_date == date(2023, 7, 1)


def test_importing_the_same_material_again_creates_nothing(store: Store, tmp_path: Path) -> None:
    history(tmp_path / "h")
    archive = write_changes(tmp_path / "sdnnew23.txt")
    build.import_dir(store, SETTINGS, tmp_path / "h")
    build.ingest(store, SETTINGS, [archive])
    before = (
        events(store),
        store.scalar("SELECT count(*) FROM designations"),
        store.scalar("SELECT count(*) FROM actions"),
    )
    again = build.import_dir(store, SETTINGS, tmp_path / "h")
    build.ingest(store, SETTINGS, [archive])
    assert again.snapshots_added == 0 and again.snapshots_unchanged == 4
    after = (
        events(store),
        store.scalar("SELECT count(*) FROM designations"),
        store.scalar("SELECT count(*) FROM actions"),
    )
    assert before == after


def _table(store: Store) -> list[tuple[Any, ...]]:
    return sorted(
        store.rows(
            "SELECT program, source_id, listed_on, listed_not_before, listed_not_after,"
            " date_quality, delisted_on FROM designations"
        ),
        key=repr,
    )


def test_the_order_of_imports_does_not_change_the_result(tmp_path: Path) -> None:
    paths = history(tmp_path / "h")
    archive = write_changes(tmp_path / "sdnnew23.txt")
    orders = [
        ["2023-01-10", "2023-02-10", "2023-03-10", "2023-04-10"],
        ["2023-04-10", "2023-02-10", "2023-01-10", "2023-03-10"],
    ]
    results = []
    for n, order in enumerate(orders):
        store = open_store(tmp_path / f"s{n}.duckdb")
        if n:
            build.ingest(store, SETTINGS, [archive])
        for day in order:
            build.ingest(store, SETTINGS, [paths[day]])
        if not n:
            build.ingest(store, SETTINGS, [archive])
        results.append((_table(store), events(store)))
    assert results[0] == results[1]


def test_fast_path_for_a_newer_snapshot_equals_a_full_recompute(tmp_path: Path) -> None:
    history(tmp_path / "h")
    one = open_store(tmp_path / "one.duckdb")
    for path in sorted((tmp_path / "h").iterdir()):
        build.ingest(one, SETTINGS, [path])  # each after the last: the fast path
    full = open_store(tmp_path / "full.duckdb")
    build.import_dir(full, SETTINGS, tmp_path / "h")
    assert events(one) == events(full)
    assert _table(one) == _table(full)


def _dump(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    tables = [r[0] for r in store.rows("SELECT table_name FROM information_schema.tables")]
    return {t: sorted(store.rows(f"SELECT * FROM {t}"), key=repr) for t in tables}


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"<html><body>Service Unavailable</body></html>",
        b'1,"A",-0- ,"GLOMAG",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n2,"B",-0- ,"GLO',
    ],
)
def test_a_bad_file_leaves_the_store_exactly_as_it_was(
    store: Store, tmp_path: Path, content: bytes
) -> None:
    paths = history(tmp_path / "h")
    build.ingest(store, SETTINGS, [paths["2023-01-10"]])
    before = _dump(store)
    bad = tmp_path / "sdn_2023-02-01.csv"
    bad.write_bytes(content)
    with pytest.raises(ReaderError) as error:
        build.ingest(store, SETTINGS, [paths["2023-02-10"], bad])
    assert str(bad) in str(error.value)
    assert _dump(store) == before


def test_an_interrupted_import_rolls_back(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = history(tmp_path / "h")
    build.ingest(store, SETTINGS, [paths["2023-01-10"]])
    before = _dump(store)

    def interrupt(*_: object, **__: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(build, "derive_designations", interrupt)
    with pytest.raises(KeyboardInterrupt):
        build.import_dir(store, SETTINGS, tmp_path / "h")
    assert _dump(store) == before


def test_a_program_tag_keeps_its_raw_form_and_gets_its_key(store: Store, tmp_path: Path) -> None:
    history(tmp_path / "h")
    build.import_dir(store, SETTINGS, tmp_path / "h")
    tags = dict(store.rows("SELECT DISTINCT program, tag FROM designations"))
    assert tags["US-GLOMAG"] == "GLOMAG"
    assert tags["US-SDGT"] == "SDGT"


def test_vessels_keep_their_schema(store: Store, tmp_path: Path) -> None:
    history(tmp_path / "h")
    build.import_dir(store, SETTINGS, tmp_path / "h")
    assert store.scalar("SELECT schema FROM designations WHERE source_id = '104'") == "Vessel"


def test_unrecognised_snapshot_date_is_a_clear_error(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "sdn.csv", [row(1, "A", "GLOMAG")])
    with pytest.raises(ReaderError, match="--as-of"):
        snaps.file_snapshot(path)
    snap = snaps.file_snapshot(path, snaps.as_of_from_text("2023-05-06"))
    assert dataclasses.replace(snap).as_of_date == date(2023, 5, 6)


def test_one_ent_num_on_two_entries_is_an_error(store: Store, tmp_path: Path) -> None:
    """Issue 13: two entries with one identifier in one file refuse the file (100 reused
    ent_nums once gave 109 false delistings)."""
    paths = history(tmp_path / "h")
    twice = [*BASE, row(101, "OFFICIAL, Corrupt", "GLOMAG", remarks="DOB 01 Jan 1960.")]
    write_csv(tmp_path / "t" / "sdn_2023-01-10.csv", twice)
    with pytest.raises(ReaderError, match=r"sdn_2023-01-10.csv: 1 entry numbers \(ent_num\)"):
        build.ingest(store, SETTINGS, [tmp_path / "t" / "sdn_2023-01-10.csv", paths["2023-02-10"]])
    assert store.scalar("SELECT count(*) FROM snapshots") == 0


SHORTENED = """\
This publication of Treasury's Office of Foreign Assets Control ("OFAC") is
a reference tool. The following changes have occurred since January 1, 2023:

02/03/23:

The following [GLOMAG] entries have been added to OFAC's SDN List:

MAYANIQUEL [GLOMAG].

ABSENT HOLDINGS [GLOMAG].

SHELL COMPANY [GLOMAG].
"""


def test_a_name_the_document_shortens_links_to_the_one_entry_of_its_program_holding_it(
    store: Store, tmp_path: Path
) -> None:
    # the list gives the company form and more words; the document, the telling words
    company = row(106, "MAYANIQUEL, SOCIEDAD ANONIMA", "GLOMAG", "")
    other = row(107, "SHELL HOLDINGS COMPANY LTD", "GLOMAG", "")
    write_csv(tmp_path / "h" / "sdn_2023-01-10.csv", BASE)
    write_csv(tmp_path / "h" / "sdn_2023-02-10.csv", [*BASE, company, other])
    build.import_dir(store, SETTINGS, tmp_path / "h")
    build.ingest(store, SETTINGS, [write_changes(tmp_path / "sdnnew23.txt", SHORTENED)])
    found = designations(store)[("106", date(2023, 2, 3))]
    assert (found["date_quality"], found["date_source"]) == ("exact", "sdnnew23.txt")
    links = dict(
        store.rows(
            "SELECT json_extract_string(a.content, '$.name'), l.method FROM action_links l"
            " JOIN actions a USING (document_id, seq)"
        )
    )
    assert links["MAYANIQUEL"] == "words+program"
    assert links["ABSENT HOLDINGS"] == "no entry of this name or alias"
    # two GLOMAG names hold 'SHELL COMPANY': not a link
    assert links["SHELL COMPANY"] == "ambiguous: 2 entries (103, 107)"
    assert designations(store)[("107", date(2023, 2, 10))]["date_quality"] == "bracket"
