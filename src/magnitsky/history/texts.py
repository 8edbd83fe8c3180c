"""Official texts in the store: a press release or Federal Register notice is kept
verbatim; each designee it describes becomes a dated action (linked to its list entry and
dating it like any official document) with the facts read from its passage.

A file that is not an official text (empty, another page, mangled) raises in its reader,
so it is stored nowhere. A text the reader cannot fully read (no designee found, fewer
than it announces, a designee without an authority) is stored with what was read, and
what was not is reported (``problems``).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from magnitsky.actions import DatedAction
from magnitsky.evidence.designee import Designee
from magnitsky.evidence.facts import BasisFact
from magnitsky.history.documents import store_actions
from magnitsky.listing import Listing, ReaderError
from magnitsky.readers.ofac_csv import decode
from magnitsky.store import Store

PRESS = "us-treasury-press"
REGISTER = "us-federal-register"


@dataclass(frozen=True)
class Text:
    kind: str
    source: str
    url: str | None
    title: str | None
    published: date
    designees: tuple[Designee, ...]
    problems: tuple[str, ...] = ()


def read_text(path: Path, url: str | None = None) -> Text:
    """A press release (HTML) or a Federal Register notice (text or HTML)."""
    raw = path.read_bytes() if path.is_file() else b""
    if not raw.strip():
        raise ReaderError(path, "the file is empty")
    if b"Federal Register" in raw[:5000] or b"FEDERAL REGISTER" in raw[:5000]:
        from magnitsky.readers import federal_register

        notice = federal_register.read(path)
        day = notice.published or notice.signed
        if day is None:
            raise ReaderError(path, "the notice states no date")
        return Text(
            "federal_register",
            REGISTER,
            url,
            notice.document,
            day,
            notice.designees,
            notice.problems,
        )
    from magnitsky.readers import treasury_press

    release = treasury_press.read(path)
    return Text(
        "press_release",
        PRESS,
        url or release.url,
        release.title,
        release.date,
        release.designees,
        release.problems,
    )


def _action(text: Text, designee: Designee, document: str) -> DatedAction:
    listing = designee.listing or Listing(
        source="us-ofac-sdn",
        source_id="",
        name=designee.name,
        schema="",  # type: ignore[arg-type]
        programs=(designee.program,) if designee.program else (),
        aliases=designee.aliases,
    )
    return DatedAction(
        source=text.source,
        document=document,
        action_date=designee.action_date or text.published,
        action="added",
        programs=(designee.program,) if designee.program else (),
        listing=listing,
        text=designee.text,
    )


def _fact_rows(document_id: int, seq: int, designee: Designee) -> list[dict[str, Any]]:
    rows = []
    for fact in designee.facts().all():
        basis = fact if isinstance(fact, BasisFact) else None
        rows.append(
            {
                "document_id": document_id,
                "seq": seq,
                "kind": fact.kind,
                "label": fact.label,
                "coarse": basis.coarse if basis else None,
                "section": basis.section if basis else None,
                "sentence": fact.sentence,
                "start_at": fact.start,
                "end_at": fact.end,
                "matched": fact.matched,
            }
        )
    return rows


def store_text(
    store: Store, path: Path, url: str | None = None, problems: list[str] | None = None
) -> int | None:
    """Read and store one official text (in the caller's transaction); ``None`` if this
    very text is stored already. What the reader could not read is added to
    ``problems``, each naming the file."""
    text = read_text(path, url)
    if problems is not None:
        problems += [f"{path}: {p}" for p in text.problems]
    data = path.read_bytes()
    actions = [_action(text, d, path.name) for d in text.designees]
    stored = store_actions(store, path, text.source, actions, data)
    if stored is None:
        return None
    digest = hashlib.sha256(data).hexdigest()
    document_id = int(
        store.scalar("SELECT document_id FROM documents WHERE content_hash = ?", [digest])
    )
    store.con.execute(
        "INSERT INTO texts VALUES (?, ?, ?, ?, ?, ?)",
        [document_id, text.kind, text.url, text.title, text.published, decode(data)],
    )
    rows = [r for seq, d in enumerate(text.designees) for r in _fact_rows(document_id, seq, d)]
    if rows:
        store.bulk_insert("facts", {k: [r[k] for r in rows] for k in rows[0]})
    return stored


Entry = tuple[str, str]
"""(source, source_id): an entry of one list."""


def facts_by_entry(
    store: Store, reasons_of: tuple[str, ...] | None = None
) -> dict[Entry, list[dict[str, Any]]]:
    """Every fact read from official texts, per list entry: from the press releases and
    notices linked to OFAC entries, and from the statements of reasons the UK and EU lists
    carry for their Magnitsky-style listings. Each fact (kind, label, coarse, section,
    sentence, matched, start_at, end_at) comes with its text (document, url, published,
    text_kind) and the program tags it speaks of. ``reasons_of``: the lists whose
    statements of reasons to read (all by default; reading them takes a second)."""
    rows = store.dicts(
        "SELECT l.source_id, f.kind, f.label, f.coarse, f.section, f.sentence, f.matched,"
        " f.start_at, f.end_at, a.tags, a.document, t.url, t.published, t.kind AS text_kind"
        " FROM facts f JOIN actions a USING (document_id, seq)"
        " JOIN action_links l USING (document_id, seq)"
        " JOIN texts t USING (document_id)"
        " WHERE l.source_id IS NOT NULL ORDER BY t.published, f.document_id, f.seq, f.start_at",
    )
    out: dict[Entry, list[dict[str, Any]]] = {}
    for row in rows:
        out.setdefault(("us-ofac-sdn", row.pop("source_id")), []).append(row)
    for entry, facts in reasons_facts(store, reasons_of).items():
        out.setdefault(entry, []).extend(facts)
    return out


def reasons_facts(
    store: Store, sources: tuple[str, ...] | None = None
) -> dict[Entry, list[dict[str, Any]]]:
    """Facts read from the statements of reasons of the Magnitsky-style listings (UK
    "Statement of Reasons", the reasons column of the EU annex), with the same rules as the
    press releases. A statement has no E.O. 13818 wording, so it gives themes, victim
    groups and roles; the basis of these programs comes from the program itself."""
    from magnitsky.evidence.extract import extract
    from magnitsky.programs import is_magnitsky, program_key
    from magnitsky.sources import source as get_source

    rows = store.rows(
        "SELECT DISTINCT source, source_id, programs,"
        " json_extract_string(content, '$.extra') AS extra FROM records"
        " WHERE source <> 'us-ofac-sdn' AND content LIKE '%\"reasons\"%'"
        + (" AND source IN (SELECT UNNEST(?))" if sources is not None else ""),
        [list(sources)] if sources is not None else [],
    )
    out: dict[Entry, list[dict[str, Any]]] = {}
    seen: set[tuple[str, str, str]] = set()
    for source, sid, programs, extra in rows:
        jurisdiction = get_source(source).jurisdiction
        tags = [t for t in programs if is_magnitsky(program_key(jurisdiction, t))]
        reasons = dict(json.loads(extra or "[]")).get("reasons")
        if not tags or not reasons or (source, sid, reasons) in seen:
            continue
        seen.add((source, sid, reasons))
        for fact in extract(reasons).all():
            if fact.kind == "basis":
                continue
            out.setdefault((source, sid), []).append(
                {
                    "kind": fact.kind,
                    "label": fact.label,
                    "coarse": None,
                    "section": None,
                    "sentence": fact.sentence,
                    "matched": fact.matched,
                    "start_at": fact.start,
                    "end_at": fact.end,
                    "tags": tags,
                    "document": f"{source}: statement of reasons",
                    "url": None,
                    "published": None,
                    "text_kind": "statement_of_reasons",
                }
            )
    return out
