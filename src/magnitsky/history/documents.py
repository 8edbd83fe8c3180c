"""Storing dated official documents (change archives, Recent Actions pages, advanced XML
entry events) as actions. A document is stored once: importing it again changes nothing."""

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
    """Store a document's actions; ``None`` if this very document was stored before."""
    digest = document_hash(data if data is not None else path.read_bytes())
    if store.scalar("SELECT count(*) FROM documents WHERE content_hash = ?", [digest]):
        return None
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
