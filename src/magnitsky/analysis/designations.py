"""The designations of a program with everything the analysis adds to each: the record's
remarks and fields, the basis and its evidence (from the official texts read where they
give one, else from the list), themes and victim groups from the texts, roles (from the
list and the texts, each with where it came from), countries and regions."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from magnitsky import queries
from magnitsky.analysis import basis as bases
from magnitsky.analysis import countries, roles, texts
from magnitsky.store import Store

PERSONS = ("Person", "Organization")
PROPERTY = ("Vessel", "Airplane")


def list_only(row: Mapping[str, Any]) -> Sequence[bases.Evidence]:
    """The ``extra`` that reads no official text: the basis from the list alone."""
    return ()


_RECORD_FIELDS = ("remarks", "nationalities", "addresses", "identifiers", "birth_dates")


Raw = list[tuple[str, int, Any]]
"""Records as the store gives them: (source, record_hash, content as JSON text)."""


def raw_records(store: Store, rows: Iterable[Mapping[str, Any]]) -> Raw:
    """The records of ``rows``, not decoded yet (:func:`with_records` decodes them)."""
    keys = {(r["source"], r["record_hash"]) for r in rows if r.get("record_hash") is not None}
    if not keys:
        return []
    return store.rows(
        "SELECT source, record_hash, content FROM records WHERE record_hash IN (SELECT UNNEST(?))",
        [sorted({h for _, h in keys})],
    )


def _records(found: Raw) -> dict[tuple[str, int], dict[str, Any]]:
    return {(s, h): json.loads(c) if isinstance(c, str) else c for s, h, c in found}


def annotate(row: dict[str, Any], extra: bases.ExtraEvidence | None = None) -> dict[str, Any]:
    """Add basis, roles and countries to one designation that has its record's fields.

    ``extra`` gives the basis evidence of official texts, strongest first; when it is an
    :class:`~magnitsky.analysis.texts.OfficialTexts`, their themes, victim groups and
    roles too."""
    shown = extra(row) if extra else ()
    judged = bases.classify(row, shown)
    found = roles.roles_of(row)
    places, missed = countries.places(row)
    codes = countries.codes(places)
    told = extra.about(row) if isinstance(extra, texts.OfficialTexts) else texts.about(())
    row.update(
        basis=judged.basis,
        basis_evidence=judged.evidence,
        basis_source=judged.source,
        **told,
        **_merged_roles(row, found, told),
        country_codes=codes,
        country_evidence=[p.evidence() for p in places],
        unresolved_countries=missed,
        regions=list(dict.fromkeys(r for c in codes if (r := countries.region(c)))),
        subregions=list(dict.fromkeys(r for c in codes if (r := countries.subregion(c)))),
    )
    return row


def _merged_roles(
    row: Mapping[str, Any], found: list[roles.Role], told: Mapping[str, Any]
) -> dict[str, list[str]]:
    """The roles of the list and of the texts together; ``role_sources`` says where each
    came from (list, official text, or both) and ``role_evidence`` gives the words."""
    merged: dict[str, tuple[list[str], list[str]]] = {}
    for role, shown in zip(found, roles.evidence(row, found), strict=True):
        merged[role.role] = ([texts.LIST], [shown])
    for role, shown in zip(told["text_roles"], told["text_role_evidence"], strict=True):
        sources, evidence = merged.setdefault(role, ([], []))
        sources.append(texts.OFFICIAL)
        evidence.append(shown)
    return {
        "roles": list(merged),
        "role_evidence": ["; ".join(e) for _, e in merged.values()],
        "role_sources": [" and ".join(s) for s, _ in merged.values()],
    }


def enrich(
    store: Store, rows: Iterable[Mapping[str, Any]], extra: bases.ExtraEvidence | None = None
) -> list[dict[str, Any]]:
    """Copies of ``rows`` (from the ``designations`` table) with their record's remarks,
    nationalities, addresses and identifiers, then basis, roles and countries. Without
    ``extra``, the official texts in the store are read (:func:`list_only`: the list only)."""
    out = with_records(store, rows)
    extra = texts.OfficialTexts.of(store) if extra is None else extra
    for row in out:
        annotate(row, extra)
    return out


def with_records(
    store: Store | None, rows: Iterable[Mapping[str, Any]], raw: Raw | None = None
) -> list[dict[str, Any]]:
    """Copies of ``rows`` with their record's remarks, nationalities, addresses,
    identifiers and birth dates (read from ``store``, or from ``raw``: their
    :func:`raw_records`)."""
    out = [dict(r) for r in rows]
    if raw is None:
        if store is None:
            raise ValueError("with_records needs the store or the raw records")
        raw = raw_records(store, out)
    records = _records(raw)
    for row in out:
        content = records.get((row["source"], row.get("record_hash") or 0), {})
        for key in _RECORD_FIELDS:
            row[key] = content.get(key)
    return out


def load(
    store: Store, program: str, extra: bases.ExtraEvidence | None = None
) -> list[dict[str, Any]]:
    """Every designation of ``program``, enriched (with the official texts in the store
    unless ``extra`` says otherwise), in order of listing."""
    return enrich(store, queries.designations(store, program), extra)
