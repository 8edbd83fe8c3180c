"""Reading the store: snapshots, events and designations with the CLI's filters."""

from __future__ import annotations

from datetime import date
from typing import Any

from magnitsky.store import Store

SNAPSHOT_COLUMNS = (
    "snapshot_id",
    "source",
    "as_of",
    "as_of_date",
    "rows",
    "status",
    "reason",
    "format",
    "origin",
)
EVENT_COLUMNS = (
    "source",
    "program",
    "tag",
    "event_type",
    "source_id",
    "name",
    "schema",
    "not_before",
    "not_after",
)
DESIGNATION_COLUMNS = (
    "jurisdiction",
    "program",
    "source_id",
    "name",
    "schema",
    "listed_on",
    "listed_not_before",
    "listed_not_after",
    "date_quality",
    "date_source",
    "delisted_on",
    "delisted_quality",
    "linked_to",
    "title",
    "countries",
)


def snapshots(store: Store) -> list[dict[str, Any]]:
    return store.dicts(
        f"SELECT {', '.join(SNAPSHOT_COLUMNS)} FROM snapshots ORDER BY source, as_of, snapshot_id"
    )


def events(
    store: Store,
    program: str | None = None,
    event_type: str | None = None,
    since: date | None = None,
    until: date | None = None,
) -> list[dict[str, Any]]:
    where: list[str] = ["true"]
    params: list[Any] = []
    if program:
        where.append("program = ?")
        params.append(program)
    if event_type:
        where.append("event_type = ?")
        params.append(event_type)
    if since:
        where.append("not_after >= ?")
        params.append(since)
    if until:
        where.append("coalesce(not_before, not_after) <= ?")
        params.append(until)
    return store.dicts(
        f"SELECT {', '.join(EVENT_COLUMNS)} FROM events WHERE {' AND '.join(where)}"
        " ORDER BY not_after, program, source_id, event_type",
        params,
    )


def designations(
    store: Store,
    program: str | None = None,
    schema: str | None = None,
    listed_from: date | None = None,
    listed_to: date | None = None,
) -> list[dict[str, Any]]:
    """``listed_from``/``listed_to``: the listing is known to lie within the bounds (a
    bracket must lie wholly inside; a baseline with no lower bound never does)."""
    where: list[str] = ["true"]
    params: list[Any] = []
    if program:
        where.append("program = ?")
        params.append(program)
    if schema:
        where.append("schema = ?")
        params.append(schema)
    if listed_from:
        where.append("listed_not_before >= ?")
        params.append(listed_from)
    if listed_to:
        where.append("listed_not_after <= ?")
        params.append(listed_to)
    return store.dicts(
        f"SELECT * FROM designations WHERE {' AND '.join(where)}"
        " ORDER BY listed_not_after, program, name",
        params,
    )
