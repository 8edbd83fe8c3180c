"""Storing dated official documents (change archives, Recent Actions pages, advanced XML
entry events) as actions. A document is stored once: importing it again changes nothing.
A new version of a document (the current year's change archive grows with every action)
is stored as a document of its own, but only with the actions no earlier version of it
(same source, same document name) stored: an action is stored once, keyed by its
content (date, kind, program tags and the text that records it). An action a later
version no longer holds stays stored."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path

from magnitsky.actions import DatedAction
from magnitsky.store import Store


def document_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def is_stored(store: Store, data: bytes) -> bool:
    """This very document (by its content) is stored already."""
    return bool(
        store.scalar("SELECT count(*) FROM documents WHERE content_hash = ?", [document_hash(data)])
    )


def store_actions(
    store: Store, path: Path, source: str, actions: Sequence[DatedAction], data: bytes | None = None
) -> int | None:
    """Store a document's actions (those an earlier version of it did not store); ``None``
    if this very document was stored before."""
    digest = document_hash(data if data is not None else path.read_bytes())
    if store.scalar("SELECT count(*) FROM documents WHERE content_hash = ?", [digest]):
        return None
    actions = _new_actions(store, source, actions)
    document_id = int(store.scalar("SELECT coalesce(max(document_id), 0) + 1 FROM documents"))
    store.con.execute(
        "INSERT INTO documents VALUES (?, ?, ?, ?, now(), ?)",
        [document_id, source, str(path), digest, len(actions)],
    )
    store.bulk_insert(
        "actions",
        {
            "document_id": [document_id] * len(actions),
            "seq": list(range(len(actions))),
            "source": [a.source for a in actions],
            "document": [a.document for a in actions],
            "action_date": [a.action_date for a in actions],
            "action": [a.action for a in actions],
            "tags": [list(a.programs) for a in actions],
            "source_id": [a.listing.source_id or None for a in actions],
            "name": [a.listing.name for a in actions],
            "schema": [a.listing.schema for a in actions],
            "content": [json.dumps(a.listing.content(), ensure_ascii=False) for a in actions],
            "text": [a.text for a in actions],
        },
    )
    return len(actions)


def action_key(action: DatedAction) -> tuple[str, str, str, str, tuple[str, ...], str]:
    """What makes two versions' actions one action."""
    return (
        action.document,
        action.action_date.isoformat(),
        action.action,
        action.listing.name,
        tuple(action.programs),
        action.text,
    )


def _new_actions(
    store: Store, source: str, actions: Sequence[DatedAction]
) -> Sequence[DatedAction]:
    names = sorted({a.document for a in actions})
    if not names:
        return actions
    stored = {
        (doc, day.isoformat(), act, name, tuple(tags), text)
        for doc, day, act, name, tags, text in store.rows(
            "SELECT a.document, a.action_date, a.action, a.name, a.tags, a.text FROM actions a"
            " JOIN documents d USING (document_id) WHERE d.source = ?"
            " AND a.document IN (SELECT UNNEST(?))",
            [source, names],
        )
    }
    if not stored:
        return actions
    return [a for a in actions if action_key(a) not in stored]
