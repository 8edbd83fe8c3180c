"""What the cross-list matching gives the web: the person a listing belongs to, a person's
listings with the scored pairs and the judgements between them, and recording a person's
judgement of a pair; :func:`ready` before the multilateral views.

The matching is another part of the project (``magnitsky.matching``: the tables
``persons``, ``match_pairs`` and ``match_judgements``; ``magnitsky.analysis.multilateral`` for
the analysis across jurisdictions); nothing here matches anything. The server runs on a
store where it has not been run: each function raises :class:`NotBuilt`, with a message
for the reader, when a table is missing or the persons table is empty.

- a judgement is recorded by ``magnitsky.matching.persons.judge(store, a, b,
  "confirmed" | "rejected")``, which also recomputes the persons;
- the multilateral views (``magnitsky.analysis.multilateral.view``) need the persons:
  call :func:`ready` first.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import duckdb

from magnitsky.matching import persons as matching
from magnitsky.store import Store

VERDICTS = {"confirm": "confirmed", "reject": "rejected"}
Key = tuple[str, str]


class NotBuilt(Exception):
    """The cross-list matching is not there (yet): the message says what is missing."""


def _has_table(store: Store, name: str) -> bool:
    found = store.scalar(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]
    )
    return bool(found)


def ready(store: Store) -> None:
    """Raise NotBuilt unless the persons of the matching are in the store."""
    if not _has_table(store, "persons"):
        raise NotBuilt("the cross-list matching has not been built: the store has no persons table")
    if not store.scalar("SELECT count(*) FROM persons"):
        raise NotBuilt(
            "the cross-list matching has not been run on this store: its persons table is empty"
        )


@contextmanager
def _layout() -> Iterator[None]:
    """The tables read directly: a layout other than the one expected is said so."""
    try:
        yield
    except duckdb.Error as error:
        raise NotBuilt(
            f"the matching's tables do not have the expected columns: {str(error).splitlines()[0]}"
        ) from None


def available(store: Store) -> str | None:
    """None when the matching is there; else why not."""
    try:
        ready(store)
    except NotBuilt as missing:
        return str(missing)
    return None


def person_of(store: Store, key: Key) -> str | None:
    ready(store)
    with _layout():
        value = store.scalar(
            "SELECT person_id FROM persons WHERE source = ? AND source_id = ?", list(key)
        )
    return None if value is None else str(value)


def person(store: Store, person_id: str) -> dict[str, Any] | None:
    """``{"person_id", "listings": [{source, source_id, match_score, match_status}],
    "matches": [the scored pairs between its listings and their judgements]}``."""
    ready(store)
    with _layout():
        listings = store.dicts(
            "SELECT source, source_id, match_score, match_status FROM persons"
            " WHERE person_id = ? ORDER BY source, source_id",
            [person_id],
        )
        if not listings:
            return None
        keys = [f"{r['source']}:{r['source_id']}" for r in listings]
        pairs = store.dicts(
            "SELECT p.left_source || ':' || p.left_id AS a, p.right_source || ':' || p.right_id"
            " AS b, p.matcher, p.score, p.status, j.judgement, j.decided_at, p.evidence"
            " FROM match_pairs p LEFT JOIN match_judgements j USING"
            " (left_source, left_id, right_source, right_id)"
            " WHERE p.left_source || ':' || p.left_id IN (SELECT UNNEST(?))"
            " OR p.right_source || ':' || p.right_id IN (SELECT UNNEST(?))"
            " ORDER BY p.score DESC, a, b",
            [keys, keys],
        )
    for pair in pairs:
        pair["evidence"] = _evidence(pair.get("evidence"))
    return {"person_id": person_id, "listings": listings, "matches": pairs}


def _evidence(value: Any) -> list[str]:
    """The pair's features as sentences: ``feature (weight × value): evidence``."""
    items = json.loads(value) if isinstance(value, str) else value or []
    out = []
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict):
            feature, said = item.get("feature"), item.get("evidence")
            out.append(f"{feature} ({item.get('weight')} × {item.get('value')}): {said}")
        else:
            out.append(str(item))
    return out


def judge(store: Store, a: Key, b: Key, verdict: str) -> None:
    """Record ``confirm`` or ``reject`` of the pair (a, b) through the matching."""
    ready(store)
    if not _has_table(store, "match_judgements"):
        raise NotBuilt("judging matches is not available: the store keeps no judgements")
    matching.judge(store, a, b, VERDICTS[verdict])
