"""The store file: upgrades, refusals, and a killed import."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from magnitsky.store import StoreError, open_store
from magnitsky.store.db import migrate, schema_version
from magnitsky.store.schema import MIGRATIONS
from tests.history_fixtures import history


def test_an_older_store_file_is_upgraded_not_broken(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    migrate(con, target=1)
    con.execute("INSERT INTO date_conflicts (source, note) VALUES ('us-ofac-sdn', 'kept')")
    con.close()
    with open_store(path) as store:
        assert schema_version(store.con) == len(MIGRATIONS) > 1
        assert store.scalar("SELECT note FROM date_conflicts") == "kept"
        indexes = {r[0] for r in store.rows("SELECT index_name FROM duckdb_indexes()")}
        assert "designations_program" in indexes


def test_a_store_from_a_newer_program_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.duckdb"
    open_store(path).close()
    con = duckdb.connect(str(path))
    con.execute("UPDATE meta SET value = '999' WHERE key = 'schema_version'")
    con.close()
    with pytest.raises(StoreError, match="newer than this program"):
        open_store(path)


def _counts(path: Path) -> tuple[int, int, int]:
    with open_store(path, read_only=True) as store:
        return (
            store.scalar("SELECT count(*) FROM snapshots"),
            store.scalar("SELECT count(*) FROM records"),
            store.scalar("SELECT count(*) FROM events"),
        )


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT])
def test_a_killed_or_interrupted_import_leaves_the_store_as_it_was(
    tmp_path: Path, shared_data: Path, sig: signal.Signals
) -> None:
    db = tmp_path / "store.duckdb"
    paths = history(tmp_path / "h")
    magnitsky = [sys.executable, "-m", "magnitsky.cli", "--db", str(db)]
    subprocess.run(
        [*magnitsky, "ingest", str(paths["2023-01-10"])], check=True, capture_output=True
    )
    before = _counts(db)
    bundle = shared_data / "us/ofac/sdn-csv-history.bundle"
    proc = subprocess.Popen(
        [*magnitsky, "history", "import-git", str(bundle), "--path", "sdn.csv"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    # wait until snapshots are being written inside the transaction
    assert proc.stderr is not None
    for line in proc.stderr:
        if line.startswith("snapshot "):
            break
    time.sleep(1.0)
    os.kill(proc.pid, sig)
    proc.communicate(timeout=300)  # drain the pipes: a full pipe would block the child
    assert proc.returncode != 0
    assert _counts(db) == before


def test_a_reading_command_upgrades_an_older_store_first(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    migrate(con, target=1)
    con.close()
    with open_store(path, read_only=True) as store:
        assert schema_version(store.con) == len(MIGRATIONS)


def test_bulk_insert_keeps_every_value_as_given(tmp_path: Path) -> None:
    """A 64-bit number after many small ones, NULLs, lists (empty too), dates, booleans
    and bytes come back as they went in."""
    from datetime import date, datetime

    with open_store(tmp_path / "s.duckdb") as store:
        store.con.execute(
            "CREATE TABLE t (n BIGINT, m BIGINT, s VARCHAR, l VARCHAR[], d DATE,"
            " ts TIMESTAMP, b BOOLEAN, x BLOB)"
        )
        count = 3000
        columns = {
            "n": [*range(count - 1), 2**62 + 5],
            "m": [None] * (count - 1) + [-(2**63)],
            "s": [None if i % 3 else f"é{i}" for i in range(count)],
            "l": [[] if i < count - 1 else ["a", "b"] for i in range(count)],
            "d": [date(2020, 1, 1 + i % 28) for i in range(count)],
            "ts": [None] * (count - 1) + [datetime(2021, 5, 6, 7, 8, 9)],
            "b": [i % 2 == 0 for i in range(count)],
            "x": [bytes([i % 256, 0]) for i in range(count)],
        }
        assert store.bulk_insert("t", columns) == count
        assert store.bulk_insert("t", {"n": []}) == 0
        rows = store.rows("SELECT n, m, s, l, d, ts, b, x FROM t ORDER BY n")
        assert [list(r) for r in rows] == [list(v) for v in zip(*columns.values(), strict=True)]


def test_bulk_insert_keeps_lists_of_text_whatever_they_hold(tmp_path: Path) -> None:
    """Lists of text go over joined by a separator: empty lists, empty items, quotes,
    brackets, commas, NUL and non-ASCII come back as given; a list holding the separator
    itself, a NULL list or a NULL item too (sent the ordinary way)."""
    odd = ['a "quoted", [x]', "back\\slash", "é ß 中", "nul\x00!", "tab\tnl\n", "", "'s'"]
    cases = [
        [[], [""], ["", ""], odd, ("a", "b")],
        [["a"], ["sep\x1finside"], []],
        [("a",), ("sep\x1finside", "b"), ()],
        [["a"], None, []],
        [["a"], ["b", None], []],
    ]
    with open_store(tmp_path / "s.duckdb") as store:
        store.con.execute("CREATE TABLE t (n INTEGER, l VARCHAR[], m VARCHAR[])")
        for lists in cases:
            store.con.execute("DELETE FROM t")
            count = len(lists)
            store.bulk_insert("t", {"n": list(range(count)), "l": lists, "m": lists[::-1]})
            rows = store.rows("SELECT l, m FROM t ORDER BY n")
            expect = [None if v is None else list(v) for v in lists]
            assert [r[0] for r in rows] == expect
            assert [r[1] for r in rows] == expect[::-1]
