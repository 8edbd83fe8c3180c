"""Events between consecutive accepted snapshots: listed, delisted, program added or
removed, amended, relisted; and a second entry of a person already listed under the
program (``duplicate_added``, ``duplicate_removed``), which is neither a designation nor a
delisting.

Derived, never edited: :func:`derive_events` recomputes a source's snapshot statuses and
events from the raw snapshots, so the result depends only on what was imported, not on
the order it came in. :func:`append_latest` is the fast path for the common case of one
new snapshot after all the others, and gives the same result.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

import numpy as np

from magnitsky.history import plausibility
from magnitsky.history.linking import name_key
from magnitsky.history.snapshots import (
    WALKED_FIELDS,
    StoredMembers,
    differences,
    without_gc_pauses,
)
from magnitsky.matching import dates
from magnitsky.programs import program_key
from magnitsky.sources import source as get_source
from magnitsky.store import Store

EVENT_TYPES = (
    "listed",
    "delisted",
    "program_added",
    "program_removed",
    "amended",
    "relisted",
    "duplicate_added",
    "duplicate_removed",
)
_OPENS = ("listed", "relisted", "program_added")
_CLOSES = ("delisted", "program_removed")
# Fields that make a change of content an amendment (not formatting of the remarks).
_AMEND_FIELDS = ("name", "schema", "aliases", "title", "birth_dates", "nationalities", "linked_to")
_BIRTH_DATES = _AMEND_FIELDS.index("birth_dates")
assert set(_AMEND_FIELDS) <= set(WALKED_FIELDS), "the walk reads fields a fresh record lacks"


@dataclass(frozen=True)
class Entry:
    """An entry as one snapshot has it, merged over duplicate lines of the same id."""

    source_id: str
    name: str
    schema: str
    tags: frozenset[str]
    core: tuple[Any, ...]
    record_hash: int


@dataclass
class Snapshot:
    snapshot_id: int
    as_of_date: date
    members: np.ndarray
    """Record hashes, sorted."""
    readable: bool
    problem: str | None
    forced: bool
    format: str | None


@dataclass
class Walk:
    """The state carried from one accepted snapshot to the next."""

    previous: Snapshot | None = None
    members: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    entries: dict[str, set[int]] = field(default_factory=dict)
    ever_seen: set[str] = field(default_factory=set)
    events: list[tuple[Any, ...]] = field(default_factory=list)
    statuses: list[tuple[int, str, str | None]] = field(default_factory=list)
    duplicates: set[tuple[str, str]] = field(default_factory=set)
    """(entry, program key) held by a second entry of a person the program already lists."""
    programs: Counter[str] = field(default_factory=Counter)
    """Entries per program key in the previous accepted snapshot (plausibility)."""


class Records:
    """Record hash -> parsed entry. Ids are loaded for all records in one query. An
    entry's content comes from the records this transaction stored (``Store.parsed``:
    an import's walk meets every record it just parsed), else from its stored JSON, read
    for the whole source on the first such record; either is turned into an entry only
    for the records an event touches, once per record (a record's entry is kept: the
    walk meets it again as the state before the next step).
    """

    def __init__(self, store: Store, source: str) -> None:
        self.store = store
        self.source = source
        self.ids: dict[int, str] = dict(
            store.rows("SELECT record_hash, source_id FROM records WHERE source = ?", [source])
        )
        self.raw: dict[int, str] | None = None
        """Stored JSON content by record hash, read when first needed."""
        self.entries: dict[int, Entry] = {}
        """The entry of a single record, by its hash."""
        self._by_name: dict[str, set[str]] | None = None

    def same_name(self, name: str) -> set[str]:
        """The entries any version of which bears this name (order, case and accents
        aside), indexed on first use."""
        if self._by_name is None:
            self._by_name = {}
            for sid, other in self.store.rows(
                "SELECT DISTINCT source_id, name FROM records WHERE source = ?", [self.source]
            ):
                self._by_name.setdefault(name_key(other), set()).add(sid)
        return self._by_name.get(name_key(name), set())

    def source_id(self, record_hash: int) -> str:
        return self.ids[record_hash]

    def content(self, record_hash: int) -> dict[str, Any]:
        parsed = self.store.parsed.get((self.source, record_hash))
        if parsed is not None:
            return parsed
        if self.raw is None:
            self.raw = dict(
                self.store.rows(
                    "SELECT record_hash, content FROM records WHERE source = ?", [self.source]
                )
            )
        found: dict[str, Any] = json.loads(self.raw[record_hash])
        return found

    def forget(self) -> None:
        """Drop the source's records kept from the import: the walk is done."""
        parsed = self.store.parsed
        for key in [k for k in parsed if k[0] == self.source]:
            del parsed[key]

    def entry(self, hashes: set[int]) -> Entry:
        if len(hashes) == 1:
            (only,) = hashes
            found = self.entries.get(only)
            if found is None:
                found = self.entries[only] = self._entry([only])
            return found
        return self._entry(sorted(hashes))

    def _entry(self, ordered: list[int]) -> Entry:
        contents = [self.content(h) for h in ordered]
        first = contents[0]
        if len(contents) == 1:
            tags = frozenset(first["programs"])
        else:
            tags = frozenset([t for c in contents for t in c["programs"]])
        core = tuple([_freeze(first.get(k)) for k in _AMEND_FIELDS])
        return Entry(first["source_id"], first["name"], first["schema"], tags, core, ordered[0])


def _freeze(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def load_snapshots(store: Store, source: str, after: int | None = None) -> Iterator[Snapshot]:
    """A source's snapshots in order, their members read a batch at a time: a history's
    members are never all in memory at once."""
    sql = (
        "SELECT snapshot_id, as_of_date, readable, problem, forced, format"
        " FROM snapshots WHERE source = ?"
    )
    params: list[Any] = [source]
    if after is not None:
        sql += " AND snapshot_id = ?"
        params.append(after)
    heads = store.rows(sql + " ORDER BY as_of, snapshot_id", params)
    members = StoredMembers(store).of([row[0] for row in heads])
    for row, hashes in zip(heads, members, strict=True):
        yield Snapshot(row[0], row[1], hashes, *row[2:])


def _reject_reason(snap: Snapshot, walk: Walk, max_loss: float, n_ids: int) -> str | None:
    if not snap.readable:
        return snap.problem or "unreadable"
    if not len(snap.members):
        return "the snapshot is empty"
    if snap.forced or walk.previous is None:
        return None
    before = len(walk.entries)
    if before and (before - n_ids) / before > max_loss:
        lost = (before - n_ids) / before
        return (
            f"loses {lost:.0%} of the {before} entries of the snapshot of"
            f" {walk.previous.as_of_date} (more than {max_loss:.0%}): a truncated download?"
        )
    return None


def _step(
    walk: Walk, snap: Snapshot, records: Records, jurisdiction: str, source: str, max_loss: float
) -> None:
    """Diff one snapshot against the previous accepted one, by record hashes: only the
    entries whose lines changed are looked at (the first snapshot diffs against nothing)."""
    members = snap.members
    gone, came = differences(walk.members, members)
    added, removed = came.tolist(), gone.tolist()
    after: dict[str, set[int]] = {}
    for h in removed:
        after.setdefault(records.source_id(h), set(walk.entries.get(records.source_id(h), ())))
        after[records.source_id(h)].discard(h)
    for h in added:
        sid = records.source_id(h)
        after.setdefault(sid, set(walk.entries.get(sid, ()))).add(h)
    n_ids = len(walk.entries) + sum(
        (bool(hs) and sid not in walk.entries) - (not hs and sid in walk.entries)
        for sid, hs in after.items()
    )
    prev = walk.previous
    same_format = prev is not None and prev.format == snap.format
    reason = _reject_reason(snap, walk, max_loss, n_ids)
    changes: dict[str, tuple[Entry | None, Entry | None]] = {}

    def keys(tags: Iterable[str]) -> set[str]:
        if isinstance(tags, frozenset):
            return set(_tag_keys(tags, jurisdiction))
        return set(_by_key_tags(tags, jurisdiction))

    if reason is None:
        for sid in sorted(after):
            before = walk.entries.get(sid)
            old = records.entry(before) if before else None
            changes[sid] = (old, records.entry(after[sid]) if after[sid] else None)
        if not snap.forced:
            reason = plausibility.judge(
                walk.programs,
                len(walk.entries),
                list(changes.values()),
                keys,
                snap.as_of_date,
                max_loss=max_loss,
                same_format=same_format,
                previous=prev.as_of_date if prev else None,
            )
    if reason:
        walk.statuses.append((snap.snapshot_id, "rejected", reason))
        return
    walk.statuses.append((snap.snapshot_id, "accepted", None))
    plausibility.tally(walk.programs, list(changes.values()), keys)
    step = _Step(walk, records, jurisdiction, {sid: walk.entries.get(sid) for sid in after}, after)
    for sid, (old, new) in changes.items():
        for kind, entry, tag in _diff(old, new, sid in walk.ever_seen, same_format, jurisdiction):
            key = program_key(jurisdiction, tag)
            walk.events.append(
                (
                    source,
                    sid,
                    key,
                    tag,
                    step.relabel(kind, sid, key, entry),
                    prev.as_of_date if prev else None,
                    snap.as_of_date,
                    prev.snapshot_id if prev else None,
                    snap.snapshot_id,
                    entry.name,
                    entry.schema,
                    entry.record_hash,
                )
            )
        if after[sid]:
            walk.entries[sid] = after[sid]
            walk.ever_seen.add(sid)
        else:
            walk.entries.pop(sid, None)
    walk.members = members
    walk.previous = snap


@dataclass
class _Step:
    """One step of the walk, to tell a second entry of a person already listed under a
    program from a new designation. ``before``/``after``: the changed entries' record
    hashes before and after the step (the others are as ``walk.entries`` has them)."""

    walk: Walk
    records: Records
    jurisdiction: str
    before: dict[str, set[int] | None]
    after: dict[str, set[int]]

    def relabel(self, kind: str, sid: str, key: str, entry: Entry) -> str:
        duplicates = self.walk.duplicates
        if kind in _CLOSES and (sid, key) in duplicates:
            duplicates.discard((sid, key))
            return "duplicate_removed"
        if kind in _OPENS and self.walk.previous is not None and self._held(sid, key, entry):
            duplicates.add((sid, key))
            return "duplicate_added"
        return kind

    def _held(self, sid: str, key: str, entry: Entry) -> bool:
        """Another entry of the same person (the matcher's test: the same name, a birth
        day in common) holds the program before and after this step."""
        others = self.records.same_name(entry.name) - {sid}
        births = dates.parse_all(entry.core[_BIRTH_DATES] or ()) if others else ()
        if not births:
            return False
        for other in sorted(others):
            if (other, key) in self.walk.duplicates:
                continue
            held = [
                self.records.entry(hashes)
                for hashes in (
                    self.before[other] if other in self.before else self.walk.entries.get(other),
                    self.after[other] if other in self.after else self.walk.entries.get(other),
                )
                if hashes
            ]
            if len(held) < 2 or any(
                e.schema != entry.schema or key not in _by_key(e, self.jurisdiction) for e in held
            ):
                continue
            theirs = dates.parse_all(held[1].core[_BIRTH_DATES] or ())
            if dates.compare(births, theirs).kind == "same_day":
                return True
        return False


def _diff(
    old: Entry | None, new: Entry | None, seen_before: bool, same_format: bool, jurisdiction: str
) -> list[tuple[str, Entry, str]]:
    """Events between two states of an entry, per program. Programs are compared by key,
    so a tag spelt differently from one file to the next ("Iran (human rights)", "Iran
    (Human Rights)") is the same program, not a removal and an addition."""
    if old is None and new is not None:
        kind = "relisted" if seen_before else "listed"
        return [(kind, new, tag) for tag in _by_key(new, jurisdiction).values()]
    if new is None and old is not None:
        return [("delisted", old, tag) for tag in _by_key(old, jurisdiction).values()]
    assert old is not None and new is not None
    before, after = _by_key(old, jurisdiction), _by_key(new, jurisdiction)
    out = [("program_added", new, after[k]) for k in sorted(after.keys() - before.keys())]
    out += [("program_removed", old, before[k]) for k in sorted(before.keys() - after.keys())]
    # Across a change of file format every entry is written differently; only
    # listings and programs are compared there.
    if same_format and old.core != new.core:
        out += [("amended", new, after[k]) for k in sorted(after.keys() & before.keys())]
    return out


def _by_key(entry: Entry, jurisdiction: str) -> dict[str, str]:
    """Program key -> the entry's own tag for it (the first, if it spells it twice)."""
    return _tag_keys(entry.tags, jurisdiction)


@cache
def _tag_keys(tags: frozenset[str], jurisdiction: str) -> dict[str, str]:
    """:func:`_by_key_tags` of a set of tags, once per set (a list has a few hundred
    sets of programs; every step of the walk asks for them again). Read only."""
    return _by_key_tags(tags, jurisdiction)


def _by_key_tags(tags: Iterable[str], jurisdiction: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for tag in sorted(tags):
        out.setdefault(program_key(jurisdiction, tag), tag)
    return dict(sorted(out.items()))


_EVENT_COLUMNS = (
    "source",
    "source_id",
    "program",
    "tag",
    "event_type",
    "not_before",
    "not_after",
    "snapshot_before",
    "snapshot_after",
    "name",
    "schema",
    "record_hash",
)


_EVENT_BATCH = 20_000


def _write_events(store: Store, walk: Walk) -> None:
    columns = {c: [e[i] for e in walk.events] for i, c in enumerate(_EVENT_COLUMNS)}
    store.bulk_insert("events", columns)
    walk.events.clear()


def _write(store: Store, walk: Walk) -> None:
    _write_events(store, walk)
    if walk.statuses:
        store.con.execute(
            "UPDATE snapshots SET status = s.status, reason = s.reason FROM"
            " (SELECT UNNEST(?) AS id, UNNEST(?) AS status, UNNEST(?) AS reason) s"
            " WHERE snapshots.snapshot_id = s.id",
            [
                [s[0] for s in walk.statuses],
                [s[1] for s in walk.statuses],
                [s[2] for s in walk.statuses],
            ],
        )


@without_gc_pauses
def derive_events(store: Store, source: str, max_loss: float) -> int:
    """Recompute statuses and events of a source from all its snapshots."""
    store.con.execute("DELETE FROM events WHERE source = ?", [source])
    jurisdiction = get_source(source).jurisdiction
    records = Records(store, source)
    walk = Walk()
    written = 0
    for snap in load_snapshots(store, source):
        _step(walk, snap, records, jurisdiction, source, max_loss)
        if len(walk.events) >= _EVENT_BATCH:
            written += len(walk.events)
            _write_events(store, walk)
    written += len(walk.events)
    _write(store, walk)
    records.forget()
    return written


def append_latest(store: Store, source: str, snapshot_id: int, max_loss: float) -> set[str] | None:
    """Fast path: derive the events of one new snapshot that is later than every other.

    Returns the entries that have new events, or ``None`` when the fast path does not
    apply (the caller then recomputes everything)."""
    later = store.scalar(
        "SELECT count(*) FROM snapshots s, snapshots n WHERE n.snapshot_id = ?"
        " AND s.source = n.source AND s.snapshot_id <> n.snapshot_id"
        " AND (s.as_of, s.snapshot_id) > (n.as_of, n.snapshot_id)",
        [snapshot_id],
    )
    if later:
        return None
    prev_id = store.scalar(
        "SELECT snapshot_id FROM snapshots WHERE source = ? AND status = 'accepted'"
        " AND snapshot_id <> ? ORDER BY as_of DESC, snapshot_id DESC LIMIT 1",
        [source, snapshot_id],
    )
    jurisdiction = get_source(source).jurisdiction
    records = Records(store, source)
    walk = Walk()
    if prev_id is not None:
        (prev,) = load_snapshots(store, source, after=int(prev_id))
        for h in prev.members.tolist():
            walk.entries.setdefault(records.source_id(h), set()).add(h)
        walk.previous = prev
        walk.members = prev.members
        walk.programs = _program_counts(store, source, jurisdiction, prev.members.tolist())
        walk.ever_seen = {
            r[0]
            for r in store.rows("SELECT DISTINCT source_id FROM events WHERE source = ?", [source])
        }
        for sid, key, kind in store.rows(
            "SELECT source_id, program, event_type FROM events WHERE source = ?"
            " AND event_type IN ('duplicate_added', 'duplicate_removed')"
            " ORDER BY not_after, snapshot_after",
            [source],
        ):
            if kind == "duplicate_added":
                walk.duplicates.add((sid, key))
            else:
                walk.duplicates.discard((sid, key))
    (snap,) = load_snapshots(store, source, after=snapshot_id)
    _step(walk, snap, records, jurisdiction, source, max_loss)
    affected = {event[1] for event in walk.events}
    _write(store, walk)
    records.forget()
    return affected


def _program_counts(
    store: Store, source: str, jurisdiction: str, members: list[int]
) -> Counter[str]:
    """Entries per program key of a snapshot, from the records' program columns."""
    tags: dict[str, set[str]] = {}
    for sid, programs in store.rows(
        "SELECT source_id, programs FROM records WHERE source = ?"
        " AND record_hash IN (SELECT UNNEST(?))",
        [source, members],
    ):
        tags.setdefault(sid, set()).update(programs or ())
    counts: Counter[str] = Counter()
    for found in tags.values():
        counts.update(_by_key_tags(found, jurisdiction).keys())
    return counts
