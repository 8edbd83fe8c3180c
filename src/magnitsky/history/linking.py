"""Linking dated actions to list entries.

Change archives and Recent Actions pages name an entry but carry no ``ent_num``; they are
linked by name (then aliases), narrowed by type, program and birth date. A press release
may shorten a name the list gives whole ("Dongmei Group" for DONGMEI INVESTMENT GROUP
CO., LIMITED): when no name or alias agrees, an entry under the action's own program
whose one name holds every word of the action's name (company forms and little words
aside) is taken, if it is the only one. A link is made only when exactly one entry
remains; every decision is stored in ``action_links`` with how it was made or why it was
not, so unlinked actions can be reviewed.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache
from typing import Any

from magnitsky.evidence.linking import stopwords, tokens
from magnitsky.sources import source as get_source
from magnitsky.store import Store

_WORD = re.compile(r"[A-Z0-9]+")
_NUMBER = re.compile(r"[^\s(]*\d[^\s()]*")


@cache
def name_key(name: str) -> str:
    """Order-, case-, accent- and punctuation-free form of a name."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().upper()
    return " ".join(sorted(_WORD.findall(plain)))


@dataclass(frozen=True)
class ActionRow:
    document_id: int
    seq: int
    list_source: str
    jurisdiction: str
    document: str
    action_date: date
    action: str
    tags: tuple[str, ...]
    source_id: str | None
    content: dict[str, Any]
    linked_id: str | None = None
    method: str = ""

    def with_tags(self, tags: tuple[str, ...]) -> ActionRow:
        return replace(self, tags=tags)

    def names(self) -> set[str]:
        names = [self.content["name"], *(self.content.get("aliases") or [])]
        return {k for k in (name_key(n) for n in names) if k}


@dataclass
class _Entry:
    schema: str
    tags: set[str]
    birth_dates: set[str]
    identifiers: set[str] = field(default_factory=set)


@cache
def _number(identifier: str) -> str:
    """The number of an identifier clause (``Registration Number HRA 1234 (Germany)``)."""
    found = _NUMBER.search(identifier)
    return found.group(0) if found else ""


class Linker:
    def __init__(self, store: Store, source: str) -> None:
        self.store = store
        self.source = source
        self.jurisdiction = get_source(source).jurisdiction
        self.by_name: dict[str, set[str]] = {}
        self.by_alias: dict[str, set[str]] = {}
        self.entries: dict[str, _Entry] = {}
        self.indexed = False
        self.words: dict[str, list[tuple[str, frozenset[str]]]] = {}
        """Per program tag, lazily: each entry's names as sets of words."""

    def _index(self) -> None:
        """Index every version of every entry by name and alias, once, when the first
        action is linked. The store de-duplicates the versions first: most versions of
        an entry share its names."""
        self.indexed = True
        for sid, name in self.store.rows(
            "SELECT DISTINCT source_id, name FROM records WHERE source = ?", [self.source]
        ):
            self.by_name.setdefault(name_key(name), set()).add(sid)
        for sid, alias in self.store.rows(
            "SELECT DISTINCT source_id, UNNEST(aliases) FROM records WHERE source = ?",
            [self.source],
        ):
            self.by_alias.setdefault(name_key(alias), set()).add(sid)
        for sid, schema, tags, dobs, identifiers in self.store.rows(
            "SELECT source_id, any_value(schema), list_distinct(flatten(list(programs))),"
            " list_distinct(flatten(list(birth_dates))), list_distinct(flatten(list(identifiers)))"
            " FROM records WHERE source = ? GROUP BY source_id",
            [self.source],
        ):
            self.entries[sid] = _Entry(schema, set(tags), set(dobs), set(map(_number, identifiers)))

    def _actions(self) -> list[ActionRow]:
        kinds = set(get_source(self.source).action_sources)
        rows = self.store.rows(
            "SELECT document_id, seq, source, document, action_date, action, tags, source_id,"
            " content FROM actions ORDER BY action_date, document_id, seq"
        )
        out = []
        for d, s, src, doc, day, act, tags, sid, content in rows:
            if src not in kinds:
                continue
            data = json.loads(content)
            # Rows "resulting in the following new/removal of" a change are aliases that
            # appear or go with a rename: changes, not designations or delistings.
            if ["follows_change", "true"] in (data.get("extra") or []):
                act = "changed"
            out.append(
                ActionRow(
                    d, s, self.source, self.jurisdiction, doc, day, act, tuple(tags), sid, data
                )
            )
        return out

    def link(self, action: ActionRow) -> tuple[str | None, str]:
        if not self.indexed:
            self._index()
        if action.source_id and action.source_id in self.entries:
            return action.source_id, "source_id"
        key = name_key(action.content["name"])
        candidates, method = set(self.by_name.get(key, ())), "name"
        if not candidates:
            for k in action.names():
                candidates |= self.by_name.get(k, set()) | self.by_alias.get(k, set())
            method = "alias"
        if not candidates:
            candidates, method = self._by_words(action), "words+program"
        if not candidates:
            return None, "no entry of this name or alias"
        if action.content["schema"]:  # official texts do not always say person or entity
            candidates = {
                c for c in candidates if self.entries[c].schema == action.content["schema"]
            }
        if len(candidates) > 1:
            candidates, method = self._narrow(candidates, action, method)
        if len(candidates) == 1:
            return candidates.pop(), method
        if not candidates:
            return None, "an entry of this name, but of another type"
        return None, f"ambiguous: {len(candidates)} entries ({', '.join(sorted(candidates))})"

    def _by_words(self, action: ActionRow) -> set[str]:
        """The entries under one of the action's programs with a name that holds every
        word of the action's name (but its company form and little words)."""
        wanted = set(tokens(action.content["name"])) - stopwords()
        if not wanted:
            return set()
        found: set[str] = set()
        for tag in action.tags:
            for sid, words in self._words_of(tag):
                if wanted <= words:
                    found.add(sid)
        return found

    def _words_of(self, tag: str) -> list[tuple[str, frozenset[str]]]:
        if tag not in self.words:
            rows = self.store.rows(
                "SELECT DISTINCT source_id, UNNEST(list_prepend(name, aliases)) FROM records"
                " WHERE source = ? AND list_contains(programs, ?)",
                [self.source, tag],
            )
            self.words[tag] = [(sid, frozenset(tokens(name))) for sid, name in rows if name]
        return self.words[tag]

    def _narrow(self, candidates: set[str], action: ActionRow, method: str) -> tuple[set[str], str]:
        by_tag = {c for c in candidates if self.entries[c].tags & set(action.tags)}
        if by_tag:
            candidates, method = by_tag, method + "+program"
        dobs = set(action.content.get("birth_dates") or [])
        by_dob = {c for c in candidates if self.entries[c].birth_dates & dobs}
        if dobs and by_dob:
            candidates, method = by_dob, method + "+birth_date"
        numbers = {_number(i) for i in action.content.get("identifiers") or []} - {""}
        by_id = {c for c in candidates if self.entries[c].identifiers & numbers}
        if numbers and by_id:
            candidates, method = by_id, method + "+identifier"
        return candidates, method

    def link_all(self) -> list[ActionRow]:
        """Link every action of this source's documents; store each decision."""
        linked = []
        for action in self._actions():
            sid, method = self.link(action)
            linked.append(replace(action, linked_id=sid, method=method))
        documents = sorted({a.document_id for a in linked})
        self.store.con.execute(
            "DELETE FROM action_links WHERE document_id IN (SELECT UNNEST(?))", [documents]
        )
        self.store.bulk_insert(
            "action_links",
            {
                "document_id": [a.document_id for a in linked],
                "seq": [a.seq for a in linked],
                "source_id": [a.linked_id for a in linked],
                "method": [a.method for a in linked],
            },
        )
        return linked


def cluster_unlinked(actions: Iterable[ActionRow]) -> list[tuple[str, ActionRow]]:
    """Group unlinked actions that share a name or alias (one entry's several names are
    listed as several rows in a removal), giving each group a stable id ``name:KEY``."""
    actions = list(actions)
    parent = list(range(len(actions)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    seen: dict[str, int] = {}
    for i, action in enumerate(actions):
        for key in action.names():
            if key in seen:
                parent[find(i)] = find(seen[key])
            else:
                seen[key] = i
    groups: dict[int, list[int]] = {}
    for i in range(len(actions)):
        groups.setdefault(find(i), []).append(i)
    out: list[tuple[str, ActionRow]] = []
    for members in groups.values():
        first = min(members, key=lambda i: (actions[i].action_date, actions[i].action != "added"))
        gid = "name:" + name_key(actions[first].content["name"])
        out.extend((gid, actions[i]) for i in members)
    return out
