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
        self._list_columns: dict[str, frozenset[str]] = {}

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
        than row-by-row ``executemany``. A ``VARCHAR[]`` column's lists of text go over
        as one string each and are split in SQL (:func:`_joined`): DuckDB converts a
        Python list of lists value by value, several times slower."""
        names = list(columns)
        if not names or not columns[names[0]]:
            return 0
        params: list[list[Any]] = []
        outer = []
        text_lists = self._text_lists(table)
        for i, name in enumerate(names):
            values = columns[name]
            joined = _joined(values) if name in text_lists else None
            if joined is None and name in text_lists:
                values = [list(v) if isinstance(v, tuple) else v for v in values]
            params.append(values if joined is None else joined)
            outer.append(f"c{i}" if joined is None else f"string_split(c{i}, chr(31))[2:]")
        inner = ", ".join(f"UNNEST(${i + 1}) AS c{i}" for i in range(len(names)))
        self.con.execute(
            f"INSERT INTO {table} ({', '.join(names)}) SELECT {', '.join(outer)}"
            f" FROM (SELECT {inner})",
            params,
        )
        return len(columns[names[0]])

    def _text_lists(self, table: str) -> frozenset[str]:
        """The ``VARCHAR[]`` columns of a table (read once per table)."""
        found = self._list_columns.get(table)
        if found is None:
            found = self._list_columns[table] = frozenset(
                name
                for name, kind in self.con.execute(
                    "SELECT column_name, data_type FROM information_schema.columns"
                    " WHERE table_name = ?",
                    [table],
                ).fetchall()
                if kind == "VARCHAR[]"
            )
        return found


_SEP = "\x1f"
"""Between the items of a list of text sent as one string (ASCII's unit separator)."""


def _joined(values: list[Any]) -> list[str] | None:
    """Lists of text as one string each: every item after a separator, so that ``[]``
    is ``""`` and ``[""]`` is one separator (split in SQL, the first, empty, part
    dropped). None where that would not give the very lists back: a value that is not a
    list of text (a NULL, a number), or an item holding the separator itself."""
    try:
        joined = [_SEP + _SEP.join(v) if v else "" for v in values]
    except TypeError:
        return None
    if not all(isinstance(v, list | tuple) for v in values):
        return None
    if "".join(joined).count(_SEP) != sum(map(len, values)):
        return None
    return joined


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
