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
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from magnitsky.actions import DatedAction
from magnitsky.evidence.anchored import anchor
from magnitsky.evidence.designee import Designee
from magnitsky.evidence.facts import BasisFact
from magnitsky.evidence.mentions import Block
from magnitsky.history.documents import store_actions
from magnitsky.history.snapshots import StoredMembers
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
    blocks: tuple[Block, ...] = ()
    skipped: frozenset[int] = frozenset()


def read_text(path: Path, url: str | None = None) -> Text:
    """A press release (HTML) or a Federal Register notice (text or HTML)."""
    raw = path.read_bytes() if path.is_file() else b""
    if not raw.strip():
        raise ReaderError(path, "the file is empty")
    if b"Global Magnitsky Human Rights Accountability Act Annual Report" in raw[:5000]:
        from magnitsky.readers import state_annual_report as state

        report = state.read(path)
        return Text(
            "state_report", REGISTER, url, report.document, report.published, report.designees
        )
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
        release.blocks,
        release.skipped,
    )


SDN = "us-ofac-sdn"
_DAYS = 3
"""A dated document's action this many days from the release is the release's action."""
_DOCUMENTS = ("us-ofac-changes", "us-ofac-recent")


def known_entries(store: Store, day: date) -> list[Listing]:
    """The SDN entries the action of ``day`` may have designated, as the lists give them:
    those a change archive or Recent Actions page adds within three days of it, then
    those new in the first snapshot on or after it (not in the last one before)."""
    out: dict[str, Listing] = {}
    for (content,) in store.rows(
        "SELECT content FROM actions WHERE source IN (SELECT UNNEST(?)) AND action = 'added'"
        " AND action_date BETWEEN ? AND ? ORDER BY action_date, document_id, seq",
        [list(_DOCUMENTS), day - timedelta(days=_DAYS), day + timedelta(days=_DAYS)],
    ):
        listing = Listing.from_content(json.loads(content))
        out.setdefault(listing.source_id or f"name:{listing.name}", listing)
    before = store.rows(
        "SELECT snapshot_id FROM snapshots WHERE source = ? AND readable AND as_of_date < ?"
        " ORDER BY as_of_date DESC LIMIT 1",
        [SDN, day],
    )
    after = store.rows(
        "SELECT snapshot_id FROM snapshots WHERE source = ? AND readable AND as_of_date >= ?"
        " ORDER BY as_of_date LIMIT 1",
        [SDN, day],
    )
    if before and after:
        members = StoredMembers(store).of([before[0][0], after[0][0]])
        old = set(next(members).tolist())
        new = [h for h in next(members).tolist() if h not in old]
        rows = store.rows(
            "SELECT source_id, content FROM records WHERE source = ?"
            " AND record_hash IN (SELECT UNNEST(?))"
            " AND source_id NOT IN (SELECT source_id FROM records WHERE source = ?"
            "   AND record_hash IN (SELECT UNNEST(?)))",
            [SDN, new, SDN, list(old)],
        )
        for sid, content in sorted(rows):
            out.setdefault(sid, Listing.from_content(json.loads(content)))
    return list(out.values())


def anchored(store: Store, text: Text) -> Text:
    """The text's designees with the known entries of its action attached (and those it
    names that the prose reader missed); what could not be decided joins its problems."""
    if text.kind != "press_release":
        return text  # a notice prints each designee's entry itself
    designees, problems = anchor(
        text.designees, known_entries(store, text.published), text.blocks, text.skipped
    )
    kept = [p for p in text.problems if not (designees and p.startswith("no designee found"))]
    return replace(text, designees=tuple(designees), problems=tuple(kept + problems))


def _action(text: Text, designee: Designee, document: str) -> DatedAction:
    listing = designee.listing
    if listing is not None and designee.name not in (listing.name, *listing.aliases):
        # The list's entry, and the name as the text writes it.
        listing = replace(listing, aliases=(*listing.aliases, designee.name))
    listing = listing or Listing(
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
    text = anchored(store, read_text(path, url))
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
        " f.start_at, f.end_at, a.tags, a.document, t.url, t.published, t.kind AS text_kind,"
        " a.content AS action"
        " FROM facts f JOIN actions a USING (document_id, seq)"
        " JOIN action_links l USING (document_id, seq)"
        " JOIN texts t USING (document_id)"
        " ORDER BY t.published, f.document_id, f.seq, f.start_at",
    )
    documented = _documented(store)
    out: dict[Entry, list[dict[str, Any]]] = {}
    for row in rows:
        action = json.loads(row.pop("action"))
        sid = row.pop("source_id") or _documented_entry(documented, action, row["published"])
        if sid:
            out.setdefault((SDN, sid), []).append(row)
    for entry, facts in reasons_facts(store, reasons_of).items():
        out.setdefault(entry, []).extend(facts)
    return out


def _documented(store: Store) -> list[tuple[str, date, set[str]]]:
    """The designations known from dated documents only (no list entry holds them, so
    their id is ``name:KEY``): id, date and the keys of their names."""
    from magnitsky.history.linking import name_key

    rows = store.rows(
        "SELECT DISTINCT source_id, listed_on, name, aliases FROM designations"
        " WHERE source = ? AND source_id LIKE 'name:%' AND listed_on IS NOT NULL",
        [SDN],
    )
    return [
        (sid, day, {name_key(n) for n in (name, *(aliases or []))})
        for sid, day, name, aliases in rows
    ]


def _documented_entry(
    documented: list[tuple[str, date, set[str]]], action: dict[str, Any], published: date
) -> str | None:
    """The one document-only designation that a text's unlinked designee names, dated
    within three days of the text."""
    from magnitsky.history.linking import name_key

    keys = {name_key(n) for n in (action["name"], *(action.get("aliases") or []))} - {""}
    found = {
        sid
        for sid, day, names in documented
        if keys & names and abs((day - published).days) <= _DAYS
    }
    return found.pop() if len(found) == 1 else None


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
