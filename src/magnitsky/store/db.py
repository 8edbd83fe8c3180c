"""Opening the store, upgrading it, and the all-or-nothing write transaction."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb

from magnitsky.store.schema import MIGRATIONS


class StoreError(RuntimeError):
    """The store file cannot be used (locked, corrupt, newer than this program)."""


COMMITS = [0]
"""Write transactions committed by this process: what an interrupted command can truly
say about the store (as it was, or this command's changes saved)."""


class Store:
    def __init__(self, con: duckdb.DuckDBPyConnection, path: Path | None) -> None:
        self.con = con
        self.path = path
        self.parsed: dict[tuple[str, int], dict[str, Any]] = {}
        """The records stored in the current transaction, by (source, record hash): the
        fields the history's walk would otherwise read back and decode from JSON
        (``snapshots.WALKED_FIELDS``). Dropped when the walk or the transaction ends."""

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All-or-nothing: an exception (including Ctrl-C) rolls everything back, and a
        killed process leaves an uncommitted transaction that DuckDB discards on reopen."""
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield
        except BaseException:
            self.parsed.clear()
            self.con.execute("ROLLBACK")
            raise
        self.parsed.clear()
        self.con.execute("COMMIT")
        COMMITS[0] += 1

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self.con.execute(sql, list(params)).fetchall()

    def dicts(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        cursor = self.con.execute(sql, list(params))
        names = [d[0] for d in cursor.description or []]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        row = self.con.execute(sql, list(params)).fetchone()
        return row[0] if row else None

    def bulk_insert(self, table: str, columns: dict[str, list[Any]]) -> int:
        """Insert column lists in one statement (UNNEST zips them): far faster in DuckDB
        than row-by-row ``executemany``."""
        names = list(columns)
        if not names or not columns[names[0]]:
            return 0
        select = ", ".join(f"UNNEST(${i + 1})" for i in range(len(names)))
        self.con.execute(
            f"INSERT INTO {table} ({', '.join(names)}) SELECT {select}",
            [columns[n] for n in names],
        )
        return len(columns[names[0]])


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'meta'"
    ).fetchone()
    if not exists or not exists[0]:
        return 0
    row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return int(row[0]) if row else 0


def migrate(con: duckdb.DuckDBPyConnection, target: int | None = None) -> int:
    """Bring the store up to ``target`` (default: the newest) in one transaction."""
    target = len(MIGRATIONS) if target is None else target
    current = schema_version(con)
    if current > len(MIGRATIONS):
        raise StoreError(
            f"the store is at schema version {current}, newer than this program "
            f"({len(MIGRATIONS)}): upgrade magnitsky"
        )
    if current >= target:
        return current
    con.execute("BEGIN TRANSACTION")
    try:
        for sql in MIGRATIONS[current:target]:
            con.execute(sql)
        con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(target)])
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")
    return target


def open_store(path: Path | str | None, read_only: bool = False) -> Store:
    """Open (creating and upgrading as needed) the store at ``path``; ``None`` is in memory."""
    target = ":memory:" if path is None else str(path)
    if path is not None and not read_only:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(target, read_only=read_only)
    except duckdb.Error as error:
        raise StoreError(f"{target}: cannot open the store: {error}") from error
    if not read_only:
        migrate(con)
    elif schema_version(con) < len(MIGRATIONS):
        # An older file is upgraded even by a reading command, then read as asked.
        con.close()
        with duckdb.connect(target) as upgrading:
            migrate(upgrading)
        con = duckdb.connect(target, read_only=True)
    elif schema_version(con) > len(MIGRATIONS):
        raise StoreError(f"{target}: the store is newer than this program: upgrade magnitsky")
    return Store(con, Path(path) if path is not None else None)
