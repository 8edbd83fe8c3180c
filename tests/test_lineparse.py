"""The second process that parses a history's new sdn.csv lines gives back exactly the
listings parsing here gives, in the order the lines were handed over, even when it dies;
and a store built with it is the store built without it, row for row and in row order."""

from __future__ import annotations

from pathlib import Path

import pytest

from magnitsky.history import snapshots as snaps
from magnitsky.history.lineparse import LineParser
from magnitsky.history.record_rows import prepared
from magnitsky.readers import ofac_csv
from magnitsky.store import open_store


def _lines(shared_data: Path, name: str) -> tuple[list[bytes], str]:
    data = (shared_data / "us" / "ofac" / "snapshots" / name).read_bytes()
    body = ofac_csv.entry_body(data, name)
    return [x for x in body.lines() if not ofac_csv.is_blank(x)], body.delimiter


def test_the_worker_parses_as_parsing_here_does(shared_data: Path) -> None:
    csv_lines, comma = _lines(shared_data, "sdn_2023-01-21.csv")
    pip_lines, pipe = _lines(shared_data, "sdn_2020-06-11.pip")
    assert (comma, pipe) == (",", "|")
    expected = [prepared(ofac_csv.parse_line(x, comma)) for x in csv_lines[:3000]]
    expected += [prepared(ofac_csv.parse_line(x, pipe)) for x in pip_lines[:1500]]
    parser = LineParser()
    try:
        for line in csv_lines[:3000]:
            parser.add(line, comma)
        first = parser.take(wait=False)  # what is answered already, nothing waited for
        for line in pip_lines[:1500]:
            parser.add(line, pipe)
        got = first + parser.take()
        assert parser.process is not None and not parser.broken
    finally:
        parser.close()
    assert got == expected


def test_lines_a_dead_worker_did_not_answer_are_parsed_here(shared_data: Path) -> None:
    lines, comma = _lines(shared_data, "sdn_2021-01-14.csv")
    parser = LineParser()
    try:
        for line in lines[:700]:
            parser.add(line, comma)
        got = parser.take()
        assert parser.process is not None
        parser.process.kill()
        parser.process.wait()
        for line in lines[700:2000]:
            parser.add(line, comma)
        got += parser.take()
        assert parser.broken
    finally:
        parser.close()
    assert got == [prepared(ofac_csv.parse_line(x, comma)) for x in lines[:2000]]


def _store(path: Path, folder: Path) -> list[object]:
    """The folder's snapshots stored (one of the real files is rejected: an entry number
    used twice), the tables as written, row by row."""
    with open_store(path) as store, store.transaction():
        result = snaps.store_snapshots(store, snaps.folder_snapshots(folder))
        assert len(result.added) == 9 and len(result.unreadable) == 1
    with open_store(path, read_only=True) as store:
        return [
            result.unreadable,
            *[
                store.rows(f"SELECT * EXCLUDE (imported_at) FROM {t} ORDER BY rowid")
                if t == "snapshots"
                else store.rows(f"SELECT * FROM {t} ORDER BY rowid")
                for t in ("records", "snapshots")
            ],
        ]


def test_a_history_stored_with_the_worker_is_the_history_stored_without(
    shared_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = shared_data / "us" / "ofac" / "snapshots"
    monkeypatch.setattr(snaps, "_PARSED_HERE", 10**9)
    here = _store(tmp_path / "here.duckdb", folder)
    monkeypatch.setattr(snaps, "_PARSED_HERE", 100)
    monkeypatch.setattr(snaps, "_RECORD_BATCH", 1000)  # written while the worker parses
    monkeypatch.setattr(snaps, "_CORES", 2)
    worker = _store(tmp_path / "worker.duckdb", folder)
    records = here[1]
    assert isinstance(records, list) and len(records) > 20_000
    assert worker == here
