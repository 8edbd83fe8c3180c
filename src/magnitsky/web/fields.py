"""The field names of every table the web serves: the CLI's (queries.py), so that the
pages, the API and the downloads never drift from ``magnitsky … --format json``."""

from __future__ import annotations

from magnitsky import queries
from magnitsky.queries import ANALYSIS_COLUMNS, PRECEDENT_COLUMNS, YEARLY_TABLE

DESIGNATIONS = (*ANALYSIS_COLUMNS, "source")
"""``magnitsky designations``'s columns, then the list the entry is on (its person page
is ``/persons/{source}/{source_id}``)."""
EVENTS = (*queries.EVENT_COLUMNS,)
PRECEDENTS = (*PRECEDENT_COLUMNS, "source")
YEARLY = YEARLY_TABLE
"""The yearly table's columns as the CLI's table shows them (ranges joined)."""
SNAPSHOTS = queries.SNAPSHOT_COLUMNS
LISTING_DETAIL = tuple(
    dict.fromkeys(
        [
            *DESIGNATIONS,
            "aliases",
            "basis_evidence",
            "role_evidence",
            "role_sources",
            "country_evidence",
            "unresolved_countries",
            "regions",
            "theme_evidence",
            "victim_evidence",
            "evidence_text",
            "date_source",
            "delisted_not_before",
            "delisted_source",
        ]
    )
)
"""A listing on a person's page: everything the analysis says about it, with evidence."""


def project(row: dict[str, object], columns: tuple[str, ...]) -> dict[str, object]:
    return {c: row.get(c) for c in columns}
