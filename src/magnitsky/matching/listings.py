"""The listings to match: the latest version of every entry of every list, all programs.

An entry's latest version is its record in the last accepted snapshot that holds it, so
a delisted entry keeps the last state it was listed in (the multilateral analysis needs
who was ever sanctioned, not only who still is). Entries known only from dated documents
(OFAC Recent Actions after the last snapshot) come from their designations, with the
name, schema and countries those give.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from magnitsky.analysis import countries
from magnitsky.analysis.countries import codes, places
from magnitsky.forked import Forked
from magnitsky.history.snapshots import StoredMembers, merged, missing_from
from magnitsky.matching import names
from magnitsky.store import Store

Key = tuple[str, str]
"""A listing: (source, source_id)."""


@dataclass(frozen=True)
class Entry:
    """One listing as the matcher sees it."""

    source: str
    source_id: str
    jurisdiction: str
    schema: str
    name: str
    aliases: tuple[str, ...]
    birth_dates: tuple[str, ...]
    countries: tuple[str, ...]
    """ISO 3166-1 alpha-2 codes (rigour), from nationality, birth place, addresses…"""
    identifiers: tuple[str, ...]
    programs: tuple[str, ...]
    """Program keys (US-GLOMAG …) of every designation of the entry."""

    @property
    def key(self) -> Key:
        return (self.source, self.source_id)

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


def latest_records(store: Store) -> dict[Key, dict[str, Any]]:
    """(source, source_id) -> the content of the entry's latest accepted version."""
    ids = {
        (source, h): source_id
        for source, h, source_id in store.rows("SELECT source, record_hash, source_id FROM records")
    }
    chosen: dict[Key, int] = {}
    for source, h in _members_newest_first(store):
        key = (source, ids[(source, h)])
        chosen.setdefault(key, h)
    out: dict[Key, dict[str, Any]] = {}
    for source, h, content in store.rows(
        "SELECT source, record_hash, content FROM records WHERE record_hash IN (SELECT UNNEST(?))",
        [sorted(set(chosen.values()))],
    ):
        data = json.loads(content) if isinstance(content, str) else content
        key = (source, data["source_id"])
        if chosen.get(key) == h:
            out[key] = data
    return out


def _members_newest_first(store: Store) -> Iterator[tuple[str, int]]:
    """(source, record hash) of every accepted snapshot, newest snapshot first; within a
    snapshot, in hash order (an entry twice in one file: the lower hash is taken)."""
    seen: dict[str, np.ndarray] = {}
    heads = store.rows(
        "SELECT snapshot_id, source FROM snapshots WHERE status = 'accepted'"
        " ORDER BY as_of DESC, snapshot_id DESC"
    )
    members = StoredMembers(store).of([row[0] for row in heads])
    for (_, source), hashes in zip(heads, members, strict=True):
        known = seen.get(source, np.empty(0, dtype=np.int64))
        new = missing_from(hashes, known)
        seen[source] = merged(known, new)
        for h in new.tolist():
            yield source, h


def load_entries(store: Store, reading: Reading | None = None) -> list[Entry]:
    """Every listing of every list (latest version), with its program keys, ordered by
    (source, source_id). ``reading``: a build's (:class:`Reading`), whose countries are
    resolved in a forked process while the listings' names are read here."""
    programs: dict[Key, set[str]] = {}
    fallback: dict[Key, dict[str, Any]] = {}
    for row in store.dicts(
        "SELECT jurisdiction, source, source_id, program, name, schema, countries, aliases"
        " FROM designations ORDER BY listed_not_after DESC NULLS LAST"
    ):
        key = (row["source"], row["source_id"])
        programs.setdefault(key, set()).add(row["program"])
        fallback.setdefault(key, row)
    records = latest_records(store)
    jurisdictions = {(r["source"], r["source_id"]): r["jurisdiction"] for r in fallback.values()}
    keys = sorted(programs)
    contents = [records.get(key) or _from_designation(fallback[key]) for key in keys]
    found: list[tuple[str, ...]] | None = None
    if reading is not None:
        reading.start(contents)
        for content in contents:  # the matcher's name forms, cached for prepare
            schema = str(content["schema"])
            names.forms((str(content["name"]), *_aliases(content)), schema)
            names.forms((str(content["name"]),), schema)
        found = reading.wait()
    return [
        _entry(
            key,
            jurisdictions[key],
            content,
            sorted(programs[key]),
            found[n] if found is not None else _countries(content),
        )
        for n, (key, content) in enumerate(zip(keys, contents, strict=True))
    ]


class Reading:
    """A build's reading of the listings: the country codes of each listing's latest
    record, resolved by rigour in a forked process (:mod:`magnitsky.forked`) while this
    one reads the names. Their answers go into
    :data:`magnitsky.analysis.countries.RESOLVED` as if looked up here (those of the
    designations are the analysis's: :class:`magnitsky.analysis.facets.Alongside`)."""

    def __init__(self) -> None:
        self._resolving: Forked[tuple[dict[str, str | None], list[tuple[str, ...]]]] | None = None
        self._countries: list[tuple[str, ...]] | None = None
        self.resolved = False
        """Whether the country texts of the listings given to :meth:`start` are in RESOLVED."""

    def start(self, contents: Sequence[Mapping[str, Any]]) -> None:
        self._resolving = Forked(lambda: self._resolve(contents))

    @staticmethod
    def _resolve(
        contents: Sequence[Mapping[str, Any]],
    ) -> tuple[dict[str, str | None], list[tuple[str, ...]]]:
        """The codes of the places of each latest record, and every text looked up."""
        found = [_countries(content) for content in contents]
        return dict(countries.RESOLVED), found

    def wait(self) -> list[tuple[str, ...]] | None:
        """The country codes of the contents given to :meth:`start`, once resolved (here
        if the fork failed)."""
        if self._resolving is not None and not self.resolved:
            resolved, self._countries = self._resolving.result()
            countries.RESOLVED.update(resolved)
            self.resolved = True
        return self._countries


def _aliases(content: Mapping[str, Any]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(a for a in content.get("aliases") or [] if a))


def _from_designation(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "source": row["source"],
        "name": row["name"],
        "schema": row["schema"],
        "aliases": row.get("aliases") or [],
        "countries": row.get("countries") or [],
    }


def _countries(content: Mapping[str, Any]) -> tuple[str, ...]:
    found, _ = places(content)
    return tuple(codes(found))


def _entry(
    key: Key,
    jurisdiction: str,
    content: dict[str, Any],
    programs: list[str],
    found: tuple[str, ...],
) -> Entry:
    return Entry(
        source=key[0],
        source_id=key[1],
        jurisdiction=jurisdiction,
        schema=str(content["schema"]),
        name=str(content["name"]),
        aliases=_aliases(content),
        birth_dates=tuple(content.get("birth_dates") or []),
        countries=found,
        identifiers=tuple(content.get("identifiers") or []),
        programs=tuple(programs),
    )
