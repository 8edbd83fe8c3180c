"""The designations of a program with everything the analysis adds to each: the record's
remarks and fields, the basis and its evidence, roles, countries and regions."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from magnitsky import queries
from magnitsky.analysis import basis as bases
from magnitsky.analysis import countries, roles
from magnitsky.store import Store

PERSONS = ("Person", "Organization")
PROPERTY = ("Vessel", "Airplane")
_RECORD_FIELDS = ("remarks", "nationalities", "addresses", "identifiers", "birth_dates")


def _records(store: Store, rows: list[dict[str, Any]]) -> dict[tuple[str, int], dict[str, Any]]:
    keys = {(r["source"], r["record_hash"]) for r in rows if r.get("record_hash") is not None}
    if not keys:
        return {}
    found = store.rows(
        "SELECT source, record_hash, content FROM records WHERE record_hash IN (SELECT UNNEST(?))",
        [sorted({h for _, h in keys})],
    )
    return {(s, h): json.loads(c) if isinstance(c, str) else c for s, h, c in found}


def annotate(row: dict[str, Any], extra: bases.ExtraEvidence | None = None) -> dict[str, Any]:
    """Add basis, roles and countries to one designation that has its record's fields."""
    judged = bases.classify(row, extra(row) if extra else ())
    found = roles.roles_of(row)
    places, missed = countries.places(row)
    codes = countries.codes(places)
    row.update(
        basis=judged.basis,
        basis_evidence=judged.evidence,
        roles=[r.role for r in found],
        role_evidence=roles.evidence(row, found),
        country_codes=codes,
        country_evidence=[p.evidence() for p in places],
        unresolved_countries=missed,
        regions=list(dict.fromkeys(r for c in codes if (r := countries.region(c)))),
        subregions=list(dict.fromkeys(r for c in codes if (r := countries.subregion(c)))),
    )
    return row


def enrich(
    store: Store, rows: Iterable[Mapping[str, Any]], extra: bases.ExtraEvidence | None = None
) -> list[dict[str, Any]]:
    """Copies of ``rows`` (from the ``designations`` table) with their record's remarks,
    nationalities, addresses and identifiers, then basis, roles and countries."""
    out = [dict(r) for r in rows]
    records = _records(store, out)
    for row in out:
        content = records.get((row["source"], row.get("record_hash") or 0), {})
        for key in _RECORD_FIELDS:
            row[key] = content.get(key)
        annotate(row, extra)
    return out


def load(
    store: Store, program: str, extra: bases.ExtraEvidence | None = None
) -> list[dict[str, Any]]:
    """Every designation of ``program``, enriched, in order of listing."""
    return enrich(store, queries.designations(store, program), extra)
