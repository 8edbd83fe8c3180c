"""Where the recommendations are kept: the tracker's own tables, in the main store file or
(``MAGNITSKY_RECOMMENDATIONS_DB``) in a file of their own; adding, reading, withdrawing."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb

from magnitsky.recommendations import schema
from magnitsky.recommendations.model import Recommendation, Submission
from magnitsky.store import Store, StoreError


@dataclass
class Tracker:
    store: Store | None
    """Where the tables are; None when there are none yet (nothing recorded)."""
    separate: bool
    """Whether they are in a file of their own."""

    @property
    def empty(self) -> bool:
        return self.store is None or not self.store.scalar("SELECT count(*) FROM recommendations")


def has_tables(con: duckdb.DuckDBPyConnection) -> bool:
    return schema.version(con) == len(schema.MIGRATIONS)


@contextmanager
def open_tracker(main: Store, path: Path | None, read_only: bool = False) -> Iterator[Tracker]:
    """The tracker beside ``main``: in ``path`` when given (opened and closed here), else
    in ``main`` itself. Writing creates the tables where missing; reading a store without
    them gives an empty tracker."""
    if path is None:
        if not read_only and not has_tables(main.con):
            schema.migrate(main.con)
        yield Tracker(main if has_tables(main.con) else None, separate=False)
        return
    if read_only and not path.exists():
        yield Tracker(None, separate=True)
        return
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(str(path), read_only=read_only)
    except duckdb.Error as error:
        raise StoreError(f"{path}: cannot open the recommendations store: {error}") from error
    try:
        if not read_only:
            schema.migrate(con)
        yield Tracker(Store(con, path) if has_tables(con) else None, separate=True)
    finally:
        con.close()


def insert(tracker: Tracker, recommendations: Sequence[Recommendation]) -> None:
    """Store new recommendations (the caller holds the transaction)."""
    store = _writable(tracker)
    now = datetime.now(UTC).replace(tzinfo=None)
    rs = list(recommendations)
    store.bulk_insert(
        "recommendations",
        {
            "ref": [r.ref for r in rs],
            "name": [r.name for r in rs],
            "schema": [r.schema for r in rs],
            "aliases": [list(r.aliases) for r in rs],
            "birth_dates": [list(r.birth_dates) for r in rs],
            "nationalities": [list(r.nationalities) for r in rs],
            "identifiers": [list(r.identifiers) for r in rs],
            "country": [r.country for r in rs],
            "conduct": [list(r.conduct) for r in rs],
            "themes": [list(r.themes) for r in rs],
            "victim_groups": [list(r.victim_groups) for r in rs],
            "organisations": [list(r.organisations) for r in rs],
            "confidentiality": [r.confidentiality for r in rs],
            "notes": [r.notes for r in rs],
            "withdrawn_on": [r.withdrawn_on for r in rs],
            "withdrawn_reason": [r.withdrawn_reason for r in rs],
            "origin": [r.origin for r in rs],
            "added_at": [now for _ in rs],
        },
    )
    subs = [(r.ref, s) for r in rs for s in r.submissions]
    store.bulk_insert(
        "recommendation_submissions",
        {
            "ref": [ref for ref, _ in subs],
            "government": [s.government for _, s in subs],
            "submitted": [s.submitted for _, s in subs],
        },
    )


def refs(tracker: Tracker) -> set[str]:
    if tracker.store is None:
        return set()
    return {str(r) for (r,) in tracker.store.rows("SELECT ref FROM recommendations")}


def load(tracker: Tracker, levels: Sequence[str] | None = None) -> list[Recommendation]:
    """Every recommendation (of these confidentiality levels), by ref."""
    if tracker.store is None:
        return []
    submissions: dict[str, list[Submission]] = {}
    for ref, government, submitted in tracker.store.rows(
        "SELECT ref, government, submitted FROM recommendation_submissions"
        " ORDER BY ref, submitted, government"
    ):
        submissions.setdefault(ref, []).append(Submission(government, submitted))
    where = "WHERE confidentiality IN (SELECT UNNEST(?))" if levels is not None else ""
    rows = tracker.store.dicts(
        f"SELECT * FROM recommendations {where} ORDER BY ref",
        [list(levels)] if levels is not None else [],
    )
    return [_recommendation(row, submissions.get(row["ref"], [])) for row in rows]


def _recommendation(row: dict[str, Any], submissions: list[Submission]) -> Recommendation:
    return Recommendation(
        ref=row["ref"],
        name=row["name"],
        schema=row["schema"],
        country=row["country"],
        conduct=tuple(row["conduct"]),
        organisations=tuple(row["organisations"]),
        submissions=tuple(submissions),
        confidentiality=row["confidentiality"],
        aliases=tuple(row["aliases"]),
        birth_dates=tuple(row["birth_dates"]),
        nationalities=tuple(row["nationalities"]),
        identifiers=tuple(row["identifiers"]),
        themes=tuple(row["themes"]),
        victim_groups=tuple(row["victim_groups"]),
        notes=row["notes"],
        withdrawn_on=row["withdrawn_on"],
        withdrawn_reason=row["withdrawn_reason"],
        origin=row["origin"],
    )


def withdraw(tracker: Tracker, ref: str, on: date, reason: str) -> None:
    """Mark a recommendation withdrawn (it stays, with its outcome up to that day)."""
    store = _writable(tracker)
    found = store.rows("SELECT withdrawn_on FROM recommendations WHERE ref = ?", [ref])
    if not found:
        raise LookupError(f"no recommendation {ref!r}")
    if found[0][0] is not None:
        raise ValueError(f"recommendation {ref!r} was withdrawn on {found[0][0]} already")
    first = store.scalar(
        "SELECT min(submitted) FROM recommendation_submissions WHERE ref = ?", [ref]
    )
    if first is not None and on < first:
        raise ValueError(f"{on} is before the recommendation was first submitted ({first})")
    if on > date.today():
        raise ValueError(f"{on} is in the future")
    store.con.execute(
        "UPDATE recommendations SET withdrawn_on = ?, withdrawn_reason = ? WHERE ref = ?",
        [on, reason, ref],
    )


def _writable(tracker: Tracker) -> Store:
    if tracker.store is None:
        raise StoreError("the recommendations tables are not there (opened read-only)")
    return tracker.store


@contextmanager
def session(db: Path, path: Path | None, write: bool = False) -> Iterator[tuple[Store, Tracker]]:
    """The main store (lists, persons) and the tracker beside it. With a tracker file of
    its own the main store is only read (an in-memory empty one when there is no store
    file yet: every outcome is then ``not_read``)."""
    from magnitsky.store import open_store

    separate = path is not None
    if not db.exists() and (separate or not write):
        main = open_store(None)
    else:
        main = open_store(db, read_only=separate or not write)
    try:
        with open_tracker(main, path, read_only=not write) as tracker:
            yield main, tracker
    finally:
        main.close()


@contextmanager
def writing(tracker: Tracker) -> Iterator[Store]:
    """One all-or-nothing transaction over the tracker's tables."""
    store = _writable(tracker)
    with store.transaction():
        yield store
