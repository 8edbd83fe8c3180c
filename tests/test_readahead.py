"""Reading ahead in a second process changes nothing but the time: the same store, and a
file that cannot be read fails as it does when it is read in the building process."""

from __future__ import annotations

from pathlib import Path

import pytest

from magnitsky import settings
from magnitsky.build import _declared_inputs, build
from magnitsky.history import readahead
from magnitsky.history import snapshots as snaps
from magnitsky.listing import ReaderError
from magnitsky.store import open_store

BAD_CHANGES = "hello\nthis is not a change archive\n"


def _folder(tmp: Path, shared: Path, *, bad_document: bool, bad_workbook: bool) -> Path:
    """A data folder of real files (linked, not copied): one US snapshot, the Canadian
    lists, the EU annex; with a broken change archive or UK workbook where asked."""
    data = tmp / "data"
    for rel in (
        "us/ofac/snapshots/sdn_2018-01-26.csv",
        "ca/sema/sema-lmes_2020-04-15.xml",
        "ca/sema/sema-lmes_2022-05-11.xml",
        "eu/reg-2020-1998-annex-i_2026-08-22.csv",
    ):
        (data / rel).parent.mkdir(parents=True, exist_ok=True)
        (data / rel).symlink_to(shared / rel)
    if bad_document:
        (data / "us/ofac/changes").mkdir(parents=True)
        (data / "us/ofac/changes/sdnnew99.txt").write_text(BAD_CHANGES)
    if bad_workbook:
        (data / "uk/ofsi").mkdir(parents=True)
        (data / "uk/ofsi/ConList_2025-05-01.xlsx").write_bytes(b"PK\x03\x04 cut off")
    return data


def _tables(db: Path) -> dict[str, list[tuple[object, ...]]]:
    queries = {
        "snapshots": "SELECT snapshot_id, source, as_of, content_hash, origin, rows, readable,"
        " problem, members_base, members, members_gone FROM snapshots ORDER BY snapshot_id",
        "records": "SELECT source, record_hash, content FROM records ORDER BY ALL",
        "events": "SELECT * FROM events ORDER BY ALL",
        "designations": "SELECT * FROM designations ORDER BY ALL",
    }
    with open_store(db) as store:
        return {name: store.rows(sql) for name, sql in queries.items()}


def test_the_worker_hands_back_a_readers_error_as_reading_here_raises_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(readahead, "MIN_BYTES", 0)
    bad = tmp_path / "sdnnew99.txt"
    bad.write_text(BAD_CHANGES)
    book = tmp_path / "ConList_2025-05-01.xlsx"
    book.write_bytes(b"PK\x03\x04 cut off")
    declared = snaps.declared_snapshot(book)
    with pytest.raises(ReaderError) as here:
        snaps.declared_listings(declared)
    with readahead.ReadAhead([bad], [declared]) as ahead:
        assert ahead.process is not None  # read in a second process indeed
        for future in ahead.futures.values():
            future.result()  # both answered there (asked first, a file is read here)
        assert not ahead.pending
        with pytest.raises(ReaderError, match="not an SDN change archive") as error:
            ahead.document(bad)
        assert error.value.path == str(bad)
        [carried] = ahead.snapshots([declared])
        assert carried.read_ahead is not None
        with pytest.raises(ReaderError) as there:
            carried.read_ahead()
    assert str(there.value) == str(here.value)
    assert str(book) in str(there.value) and "truncated or corrupt" in str(there.value)


def test_a_file_the_worker_has_not_begun_is_read_here(
    tmp_path: Path, shared_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(readahead, "MIN_BYTES", 0)
    files = sorted((shared_data / "ca/sema").glob("*.xml"))
    declared = [snaps.declared_snapshot(p) for p in files]
    with readahead.ReadAhead([], declared) as ahead:
        carried = ahead.snapshots(declared)
        last = carried[-1]
        assert last.read_ahead is not None
        # Asked for the last file at once: the worker is still on the first, so this one
        # is taken back (None: read here) and never handed over.
        assert last.read_ahead() is None
        assert ("declared", last.origin) not in ahead.pending
        first = carried[0].read_ahead
        assert first is not None
        answered = first()
        assert answered is not None
        assert [h for h, _ in answered] == [
            snaps.listing_hash(x) for x in snaps.declared_listings(declared[0])
        ]
    assert not ahead.futures[("declared", last.origin)].done()


def test_a_bad_document_read_ahead_fails_the_build_naming_it_and_leaves_the_store(
    tmp_path: Path, shared_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(readahead, "MIN_BYTES", 0)
    data = _folder(tmp_path, shared_data, bad_document=True, bad_workbook=False)
    first = tmp_path / "first"
    (first / "eu").mkdir(parents=True)
    annex = "eu/reg-2020-1998-annex-i_2026-08-22.csv"
    (first / annex).symlink_to(shared_data / annex)
    db = tmp_path / "store.duckdb"
    with open_store(db) as store:
        build(store, settings.load(), first)
    before = _tables(db)
    assert before["records"]
    with (
        open_store(db) as store,
        pytest.raises(ReaderError, match="not an SDN change archive") as error,
    ):
        build(store, settings.load(), data)
    assert "sdnnew99.txt" in str(error.value)
    assert _tables(db) == before


def test_reading_ahead_stores_exactly_what_reading_here_stores(
    tmp_path: Path, shared_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = _folder(tmp_path, shared_data, bad_document=False, bad_workbook=True)
    stores = {}
    for name, least in (("here", 1 << 62), ("ahead", 0)):
        monkeypatch.setattr(readahead, "MIN_BYTES", least)
        stores[name] = tmp_path / f"{name}.duckdb"
        with open_store(stores[name]) as store:
            report = build(store, settings.load(), data)
        # The broken workbook is kept as a rejected snapshot, naming the file, either way.
        assert [p for p in report.unreadable if "ConList_2025-05-01.xlsx" in p], name
    here, ahead = _tables(stores["here"]), _tables(stores["ahead"])
    assert len(here["records"]) > 2000 and len(here["snapshots"]) == 5
    assert ahead == here
    # Built once, nothing is left to read ahead: a second build starts no second process.
    declared = _declared_inputs(data)
    assert len(declared) == 4
    with open_store(stores["ahead"]) as store:
        assert readahead.unread(store, [], declared) == ([], [])
