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
# What the analysis adds to a designation (``magnitsky designations``, the web API).
ANALYSIS_COLUMNS = (
    *DESIGNATION_COLUMNS,
    "basis",
    "basis_evidence",
    "basis_source",
    "roles",
    "country_codes",
    "themes",
    "victim_groups",
    "evidence_url",
)
YEARLY_TABLE = (
    "year",
    "coverage",
    "persons",
    "individuals",
    "entities",
    "direct",
    "ties",
    "unknown",
    "basis_from_text",
    "basis_from_list",
    "vessels",
    "aircraft",
    "delisted",
    "exact",
    "avg_persons",
    "change_persons_pct",
    "avg_not_ties",
    "change_not_ties_pct",
    "avg_direct",
    "change_direct_pct",
)
PRECEDENT_COLUMNS = (
    "kind",
    "value",
    "name",
    "source_id",
    "date_quality",
    "not_before",
    "not_after",
    "certain",
    "rivals",
    "joint",
    "evidence",
)


def snapshots(store: Store) -> list[dict[str, Any]]:
    return store.dicts(
        f"SELECT {', '.join(SNAPSHOT_COLUMNS)} FROM snapshots ORDER BY source, as_of, snapshot_id"
    )


def _where(conditions: list[tuple[str, Any]]) -> tuple[str, list[Any]]:
    """A WHERE clause of the conditions whose value is set, with its parameters."""
    used = [(sql, value) for sql, value in conditions if value]
    clause = " AND ".join(sql for sql, _ in used) or "true"
    return clause, [value for _, value in used]


def events(
    store: Store,
    program: str | None = None,
    event_type: str | None = None,
    since: date | None = None,
    until: date | None = None,
) -> list[dict[str, Any]]:
    where, params = _where(
        [
            ("program = ?", program),
            ("event_type = ?", event_type),
            ("not_after >= ?", since),
            ("coalesce(not_before, not_after) <= ?", until),
        ]
    )
    return store.dicts(
        f"SELECT {', '.join(EVENT_COLUMNS)} FROM events WHERE {where}"
        " ORDER BY not_after, program, source_id, event_type",
        params,
    )


def designations(
    store: Store,
    program: str | None = None,
    schema: str | None = None,
    listed_from: date | None = None,
    listed_to: date | None = None,
    date_quality: str | None = None,
) -> list[dict[str, Any]]:
    """``listed_from``/``listed_to``: the listing is known to lie within the bounds (a
    bracket must lie wholly inside; a baseline with no lower bound never does).
    ``date_quality``: only those dated so (``text_only``: the designations an official text
    alone records, on no snapshot of the list)."""
    where, params = _where(
        [
            ("program = ?", program),
            ("schema = ?", schema),
            ("listed_not_before >= ?", listed_from),
            ("listed_not_after <= ?", listed_to),
            ("date_quality = ?", date_quality),
        ]
    )
    return store.dicts(
        f"SELECT * FROM designations WHERE {where} ORDER BY listed_not_after, program, name",
        params,
    )
