"""Designations an official document records and no list entry ever shows.

OFAC can designate a person and remove them again between two snapshots of its list (the
Turkish ministers Gul and Soylu, designated on 1 August 2018 and removed that November):
no snapshot holds them, but a press release records the designation. Where a dated
document records a designation inside the snapshots' coverage, the action links to no
entry, and no entry of any version of the list is even a candidate for it (the scoring of
:func:`magnitsky.evidence.linking.candidates`), the designation is made from the document:
dated exactly by it, with the date quality ``text_only``. Its delisting is the document's
where one records it, else a bracket up to the first snapshot after the designation (the
entry is on none). An action that has a candidate entry stays on the review list
(``magnitsky actions --unlinked``), with its candidates.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from magnitsky.evidence.designee import Designee
from magnitsky.evidence.linking import Candidate, candidates, stopwords, tokens
from magnitsky.history.linking import ActionRow
from magnitsky.listing import Listing
from magnitsky.store import Store

TEXT_ONLY = "text_only"
"""The date quality of a designation known from an official text alone."""
NO_ENTRY = "no entry of this name or alias"
"""The linker's reason when no entry bears the action's name or aliases."""
_PERSON_ROLES = ("role",)
_PERSON_BASES = ("leader_of",)


class Entries:
    """Every version of every entry of a list, shortlisted by the telling words of a name
    (indexed on first use)."""

    def __init__(self, store: Store, source: str) -> None:
        self.store = store
        self.source = source
        self.by_word: dict[str, set[str]] | None = None

    def _index(self) -> dict[str, set[str]]:
        if self.by_word is None:
            self.by_word = {}
            stop = stopwords()
            for sid, name, aliases in self.store.rows(
                "SELECT DISTINCT source_id, name, aliases FROM records WHERE source = ?",
                [self.source],
            ):
                for text in (name, *(aliases or ())):
                    for word in tokens(text or ""):
                        if word not in stop and len(word) > 1:
                            self.by_word.setdefault(word, set()).add(sid)
        return self.by_word

    def shortlist(self, content: dict[str, Any]) -> set[str]:
        """The entries sharing a telling word with a name of the action's entry."""
        index = self._index()
        names = [content["name"], *(content.get("aliases") or [])]
        return {s for n in names for w in tokens(n or "") for s in index.get(w, ())}

    def candidates(
        self, content: dict[str, Any], tags: Sequence[str], among: set[str] | None = None
    ) -> list[Candidate]:
        """The entries that may be the designee of an action (its entry as the document
        states it, and its program tags), best first, one per entry; ``among``: only
        these entries are scored (each entry is scored on its own, so the answer for an
        entry does not depend on the others)."""
        sids = self.shortlist(content)
        if among is not None:
            sids &= among
        if not sids:
            return []
        listings = [
            Listing.from_content(_parsed(content))
            for (content,) in self.store.rows(
                "SELECT DISTINCT content FROM records WHERE source = ?"
                " AND source_id IN (SELECT UNNEST(?))",
                [self.source, sorted(sids)],
            )
        ]
        best: dict[str, Candidate] = {}
        for found in candidates(_designee(content, tags), listings, limit=len(listings)):
            sid = found.listing.source_id
            if sid not in best or found.score > best[sid].score:
                best[sid] = found
        return sorted(best.values(), key=lambda c: -c.score)


def _parsed(content: Any) -> dict[str, Any]:
    return json.loads(content) if isinstance(content, str) else dict(content)


def _designee(content: dict[str, Any], tags: Sequence[str]) -> Designee:
    return Designee(
        name=content["name"],
        paragraphs=(),
        basis_sentences=(),
        aliases=tuple(content.get("aliases") or ()),
        program=tags[0] if tags else None,
        listing=Listing.from_content(content) if content.get("schema") else None,
    )


def text_only(groups: dict[str, list[ActionRow]], entries: Entries) -> list[tuple[str, ActionRow]]:
    """The actions of the unlinked groups (``name:KEY`` -> its actions) that no entry of
    the list is a candidate for: designations to make from the documents alone."""
    out: list[tuple[str, ActionRow]] = []
    for gid, actions in sorted(groups.items()):
        if all(_no_entry(a) for a in actions) and not any(
            entries.candidates(a.content, a.tags) for a in actions
        ):
            out.extend((gid, a) for a in actions)
    return out


def _no_entry(action: ActionRow) -> bool:
    return action.method == NO_ENTRY


RECOUNTS = ("state_report",)
"""Kinds of official text that recount designations made by another document (the State
Department's annual report retells the year's Treasury actions): their designees date
and evidence a listing they link to, and never make a designation of their own."""


def recounting(store: Store) -> set[int]:
    """The documents (ids) that recount designations (see :data:`RECOUNTS`)."""
    return {
        int(d)
        for (d,) in store.rows(
            "SELECT document_id FROM texts WHERE kind IN (SELECT UNNEST(?))", [list(RECOUNTS)]
        )
    }


def recount_coverage(store: Store) -> list[str]:
    """One line per recounting text: how many of its designees link to a list entry, and
    which do not (those make no designation: ``magnitsky actions --unlinked``)."""
    lines = []
    for document, designees, linked, missing in store.rows(
        "SELECT a.document, count(*), count(l.source_id),"
        " list(a.name ORDER BY a.seq) FILTER (WHERE l.source_id IS NULL)"
        " FROM actions a JOIN texts t USING (document_id)"
        " LEFT JOIN action_links l USING (document_id, seq)"
        " WHERE t.kind IN (SELECT UNNEST(?)) GROUP BY a.document ORDER BY a.document",
        [list(RECOUNTS)],
    ):
        line = f"{document}: {linked} of {designees} designees linked to a list entry"
        if missing:
            line += "; not linked, no designation made from the text: " + "; ".join(missing)
        lines.append(line)
    return lines


def person_by_text(store: Store, actions: Iterable[ActionRow]) -> set[tuple[int, int]]:
    """The text actions whose facts show a person (a role such as minister or judge, or a
    designation as the leader of an entity): texts do not say "individual" the way the
    list does."""
    keys = sorted({(a.document_id, a.seq) for a in actions})
    if not keys:
        return set()
    rows = store.rows(
        "SELECT DISTINCT document_id, seq FROM facts WHERE (document_id, seq) IN"
        " (SELECT (UNNEST(?), UNNEST(?))) AND (kind IN (SELECT UNNEST(?))"
        " OR (kind = 'basis' AND label IN (SELECT UNNEST(?))))",
        [[k[0] for k in keys], [k[1] for k in keys], list(_PERSON_ROLES), list(_PERSON_BASES)],
    )
    return {(int(d), int(s)) for d, s in rows}


def next_snapshot(store: Store, source: str, day: date) -> date | None:
    """The first accepted snapshot dated after ``day``."""
    found = store.scalar(
        "SELECT min(as_of_date) FROM snapshots WHERE source = ? AND status = 'accepted'"
        " AND as_of_date > ?",
        [source, day],
    )
    return found if isinstance(found, date) else None


def unlinked_actions(store: Store, source: str = "us-ofac-sdn") -> list[dict[str, Any]]:
    """The review list: every action linked to no entry, with the entries that may be the
    designee of one no name or alias links (``candidates``: id, name, score and verdict,
    best first; an ambiguous link names its entries in ``method``) and whether a
    designation was made from the document alone (``text_only``)."""
    rows = store.dicts(
        "SELECT a.action_date, a.action, a.tags, a.name, a.schema, a.content, l.method,"
        " a.document FROM actions a JOIN action_links l USING (document_id, seq)"
        " WHERE l.source_id IS NULL ORDER BY a.action_date, a.document_id, a.seq"
    )
    made = {
        (r[0], r[1])
        for r in store.rows(
            "SELECT date_source, name FROM designations WHERE date_quality = ? AND source = ?",
            [TEXT_ONLY, source],
        )
    }
    entries = Entries(store, source)
    out = []
    for row in rows:
        content = _parsed(row.pop("content"))
        # An ambiguous link names its entries already.
        found = entries.candidates(content, row["tags"]) if row["method"] == NO_ENTRY else []
        row["candidates"] = "; ".join(
            f"{c.listing.source_id} {c.listing.name} ({c.score:.2f}, {c.verdict})"
            for c in found[:3]
        )
        row["text_only"] = (row["document"], row["name"]) in made
        out.append(row)
    return out
