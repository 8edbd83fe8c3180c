"""Importing snapshots of a list: single files, dated folders, and git histories.

A snapshot is stored with its as-of time, content hash, row count and the hashes of its
entries (``members``). Only entries never seen before are parsed: for the legacy SDN
files that is done line by line, so a history of hundreds of near-identical snapshots
costs little more than its changed lines.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import importlib
import os
import queue
import re
import shutil
import subprocess
import tempfile
import threading
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import IO, Any, ParamSpec, TypeVar

import numpy as np

from magnitsky.history import gitpack
from magnitsky.history.lineparse import LineParser
from magnitsky.history.record_rows import Prepared, prepared
from magnitsky.listing import Listing, ReaderError
from magnitsky.readers import ofac_csv
from magnitsky.sources import date_in_name, detect
from magnitsky.sources import source as get_source
from magnitsky.store import Store

Progress = Callable[[str], None]

_DATED_NAME = re.compile(
    r"^(?P<stem>sdn(?:_advanced)?)_(?P<date>\d{4}-\d{2}-\d{2})(?:T(?P<time>\d{6}))?"
    r"\.(?P<ext>csv|pip|xml)$",
    re.I,
)


@dataclass(frozen=True)
class SnapshotInput:
    source: str
    as_of: datetime
    """When the list was in this state, timezone-aware."""
    origin: str
    data: bytes
    format: str
    """``sdn-csv`` (sdn.csv and sdn.pip) or ``sdn-advanced`` (sdn_advanced.xml)."""
    known_hash: str | None = None
    """The content's hash where its container already computed one (git's blob id), so a
    history's hundreds of snapshots are not hashed again."""
    read_ahead: Callable[[], list[tuple[int, Listing]] | None] | None = field(
        default=None, compare=False, repr=False
    )
    """A declared list's listings with their record hashes, parsed in a second process
    (:mod:`magnitsky.history.readahead`); raises the reader's error as reading would.
    None: not read there, to be read here."""

    @property
    def as_of_date(self) -> date:
        return self.as_of.astimezone(get_source(self.source).timezone).date()


@dataclass
class ImportResult:
    added: list[int] = field(default_factory=list)
    """Ids of the snapshots added."""
    unchanged: int = 0
    unreadable: list[str] = field(default_factory=list)


_P = ParamSpec("_P")
_R = TypeVar("_R")


def without_gc_pauses(func: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run a bulk step of the history with Python's cyclic garbage collector paused. The
    step builds hundreds of thousands of objects that live until it ends (records,
    entries, events), and no cycles; the collector's full passes would walk all of them
    again and again (about a tenth of an import's time). It runs as usual afterwards.

    A whole ``build``, ``ingest`` or history import runs so (a build: 27.2 -> 24.0 s,
    3.5 s of CPU less, the same peak memory: what it makes lives until it is stored)."""

    @functools.wraps(func)
    def run(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        if not gc.isenabled():
            return func(*args, **kwargs)
        # First what an earlier step left unreachable in cycles (a refused input's
        # traceback holds the frames that read it; by the time it is let go it sits in the
        # oldest generation, which a full pass seldom visits): a process that ingests file
        # after file would otherwise hold every earlier one's (the campaign's child ran
        # out of its 3 GiB). A pass over what is left is short; at the end it would walk
        # everything the step made (about 1.8 s of a build).
        gc.collect()
        gc.disable()
        try:
            return func(*args, **kwargs)
        finally:
            gc.enable()

    return run


Members = list[int] | np.ndarray
"""A version's record hashes: a sorted array (sdn.csv), or a list (other readers)."""


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _hash64(data: bytes) -> int:
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "big", signed=True)


def listing_hash(listing: Listing) -> int:
    """A listing's record hash (of a reader that parses a whole file)."""
    return _hash64(listing.content_hash().encode())


def _sorted(blob: bytes | None) -> np.ndarray:
    return np.frombuffer(blob or b"", dtype=np.int64)


def sorted_hashes(hashes: Iterable[int] | np.ndarray) -> np.ndarray:
    """Record hashes as a sorted array without repeats."""
    found = np.array(hashes, dtype=np.int64) if isinstance(hashes, np.ndarray) else None
    if found is None:
        items = hashes if isinstance(hashes, list) else list(hashes)
        found = np.fromiter(items, dtype=np.int64, count=len(items))
    found.sort()
    if len(found) > 1 and not (found[1:] != found[:-1]).all():
        found = np.unique(found)
    return found


def missing_from(values: np.ndarray, others: np.ndarray) -> np.ndarray:
    """The values of a sorted array that a sorted array lacks (a few binary searches
    where ``np.setdiff1d`` would sort both again)."""
    if not len(others) or not len(values):
        return values
    at = np.minimum(np.searchsorted(others, values), len(others) - 1)
    kept: np.ndarray = values[others[at] != values]
    return kept


def differences(old: np.ndarray, new: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``missing_from(old, new), missing_from(new, old)`` of two sorted arrays without
    repeats (two versions of a list: nearly the same values), in one pass: merged by a
    stable sort (two sorted runs: a linear merge), the values met once are the
    differences, and a few binary searches tell which side each came from."""
    if not len(old) or not len(new) or not _increasing(old) or not _increasing(new):
        return missing_from(old, new), missing_from(new, old)
    both = np.concatenate((old, new))
    both.sort(kind="stable")
    twice = both[1:] == both[:-1]
    once = np.ones(len(both), dtype=bool)
    once[1:] &= ~twice
    once[:-1] &= ~twice
    changed = both[once]
    at = np.minimum(np.searchsorted(old, changed), len(old) - 1)
    in_old = old[at] == changed
    return changed[in_old], changed[~in_old]


def _increasing(values: np.ndarray) -> bool:
    return bool((values[1:] > values[:-1]).all())


def merged(values: np.ndarray, more: np.ndarray) -> np.ndarray:
    """Two sorted arrays without common values as one sorted array."""
    return np.insert(values, np.searchsorted(values, more), more) if len(more) else values


class StoredMembers:
    """Snapshots' members as stored: a snapshot either holds all its record hashes
    (``members_base`` NULL) or only those it adds to its base snapshot's
    (``members``) and those it drops (``members_gone``). Consecutive versions of a list
    share nearly every entry, so a long history costs its changes, not its length.

    :meth:`of` gives each snapshot's members as a sorted array, reading the store a batch
    at a time and keeping the last few resolved, which is all a walk in order needs.
    """

    def __init__(self, store: Store, keep: int = 64) -> None:
        self.store = store
        self.keep = keep
        self.resolved: dict[int, np.ndarray] = {}

    def of(self, snapshot_ids: list[int]) -> Iterator[np.ndarray]:
        for start in range(0, len(snapshot_ids), _SNAPSHOT_BATCH):
            batch = snapshot_ids[start : start + _SNAPSHOT_BATCH]
            rows = {row[0]: row for row in self._rows(batch)}
            for snapshot_id in batch:
                yield self._resolve(snapshot_id, rows)

    def _rows(self, ids: list[int]) -> list[tuple[Any, ...]]:
        return self.store.rows(
            "SELECT snapshot_id, members_base, members, members_gone FROM snapshots"
            " WHERE snapshot_id IN (SELECT UNNEST(?))",
            [ids],
        )

    def _chain(self, snapshot_id: int) -> list[tuple[Any, ...]]:
        """A snapshot and the bases under it down to one stored whole, in one query (a
        walk newest first meets each chain from its end)."""
        return self.store.rows(
            "WITH RECURSIVE chain(id, base) AS ("
            " SELECT snapshot_id, members_base FROM snapshots WHERE snapshot_id = ?"
            " UNION ALL SELECT s.snapshot_id, s.members_base FROM snapshots s, chain"
            " WHERE s.snapshot_id = chain.base)"
            " SELECT snapshot_id, members_base, members, members_gone FROM snapshots"
            " WHERE snapshot_id IN (SELECT id FROM chain)",
            [snapshot_id],
        )

    def _resolve(self, snapshot_id: int, rows: dict[int, tuple[Any, ...]]) -> np.ndarray:
        """A snapshot's members: its base's (resolved first, from ``rows`` or the store)
        less those gone, with those added."""
        found = self.resolved.get(snapshot_id)
        if found is not None:
            return found
        pending = []
        at = snapshot_id
        while True:
            row = rows.get(at)
            if row is None:
                rows.update((r[0], r) for r in self._chain(at))
                row = rows[at]
            pending.append(row)
            base = row[1]
            if base is None or base in self.resolved:
                break
            at = base
        for row in reversed(pending):
            found = self._decode(*row)
        assert found is not None
        return found

    def _decode(
        self, snapshot_id: int, base: int | None, members: bytes, gone: bytes | None
    ) -> np.ndarray:
        if base is None:
            found = _sorted(members)
            if len(found) > 1 and not (found[1:] > found[:-1]).all():
                found = np.unique(found)  # stored before members were kept sorted
        else:
            found = merged(missing_from(self.resolved[base], _sorted(gone)), _sorted(members))
        if len(self.resolved) >= self.keep:
            del self.resolved[next(iter(self.resolved))]
        self.resolved[snapshot_id] = found
        return found


@dataclass
class _Chain:
    """The snapshot of a source stored last in this import: the next one's base."""

    snapshot_id: int
    members: np.ndarray
    length: int


_CHAIN = 32
"""At most this many snapshots in a row are stored as changes to the one before."""


def _stored_form(
    chains: dict[str, _Chain],
    source: str,
    snapshot_id: int,
    members: Members,
    readable: bool,
) -> tuple[int | None, bytes, bytes | None]:
    """``members_base, members, members_gone`` for a snapshot (see :class:`StoredMembers`)."""
    if not readable:
        return None, b"", None
    current = members if isinstance(members, np.ndarray) else sorted_hashes(members)
    chain = chains.get(source)
    if chain is None or chain.length >= _CHAIN:
        chains[source] = _Chain(snapshot_id, current, 0)
        return None, current.tobytes(), None
    gone, added = differences(chain.members, current)
    chains[source] = _Chain(snapshot_id, current, chain.length + 1)
    return chain.snapshot_id, added.tobytes(), gone.tobytes()


def format_of(path: Path) -> str:
    return "sdn-advanced" if path.suffix.lower() == ".xml" else "sdn-csv"


def date_from_name(path: Path) -> datetime | None:
    """``sdn_2023-01-21.csv`` -> 2023-01-21, end of that US Eastern day (the archive
    dates mean "downloaded on or before"); ``…T143000`` gives the time too."""
    match = _DATED_NAME.match(path.name)
    if not match:
        return None
    day = date.fromisoformat(match["date"])
    zone = get_source("us-ofac-sdn").timezone
    if match["time"]:
        t = match["time"]
        moment = time(int(t[:2]), int(t[2:4]), int(t[4:]))
    else:
        moment = time(23, 59, 59)
    return datetime.combine(day, moment, tzinfo=zone)


def as_of_from_text(text: str) -> datetime:
    """An ``--as-of`` value: a date (end of the publisher's day) or an ISO timestamp
    (naive means UTC)."""
    zone = get_source("us-ofac-sdn").timezone
    if len(text) == 10:
        return datetime.combine(date.fromisoformat(text), time(23, 59, 59), tzinfo=zone)
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class SnapshotReader:
    """Turns snapshot bytes into record hashes, parsing only entries not seen before.

    For sdn.csv, a version is compared with the one read before it: the lines both share
    at the start and at the end are skipped at the speed of comparing bytes, and only the
    lines in between are split, hashed and (when new) parsed. The members follow from the
    previous version's by the lines that came and went. New records go to the store in
    bounded batches, so memory does not grow with the length of a history.
    """

    def __init__(self, store: Store, source: str) -> None:
        self.store = store
        self.source = source
        self.known: set[int] = {
            r[0] for r in store.rows("SELECT record_hash FROM records WHERE source = ?", [source])
        }
        self.line_hashes: dict[bytes, int] = {}
        self.new_records: dict[int, Listing | Prepared | None] = {}
        """The records not stored yet, in the order they were met (None: a line the
        :class:`LineParser` is parsing, the hash of its listing in ``parsing``)."""
        self.parsing: list[int] = []
        self.parser: LineParser | None = None
        self.parsed_here = 0
        self.previous: ofac_csv.Body | None = None
        """The last sdn.csv version read, with its lines (counted) and members."""
        self.lines: dict[bytes, int] = {}
        self.member_array: np.ndarray = np.empty(0, dtype=np.int64)
        """The record hashes of the last version read, sorted."""
        self.ids: Counter[bytes] = Counter()
        """Entry numbers of the last version read, counted (two entries, one number)."""

    def members(self, snap: SnapshotInput) -> Members:
        """The record hashes of a version: for sdn.csv a sorted array without repeats
        (carried from the version before by the lines that went and came), for other
        files one per listing."""
        from magnitsky.readers.expectations import check_date

        check_date(snap.as_of_date, snap.origin, "the snapshot's date (as-of)")
        if snap.format == "sdn-advanced":
            return self._advanced_members(snap)
        if snap.format != "sdn-csv":
            ahead = snap.read_ahead() if snap.read_ahead else None
            if ahead is not None:
                return self._hashed_members(ahead)
            return self._listing_members(snap, declared_listings(snap))
        body = ofac_csv.entry_body(snap.data, snap.origin)
        previous = self.previous
        self.previous = None  # until this version is read whole: a bad line starts anew
        whole = previous is None or previous.delimiter != body.delimiter
        if whole:
            self.lines, self.ids = {}, Counter()
            gone: Iterable[bytes] = ()
            came: Iterable[bytes] = body.lines()
        else:
            assert previous is not None
            gone, came = _changed_lines(previous, body)
        counts, ids = self.lines, self.ids
        removed: list[int] = []
        added: list[int] = []
        sep = body.delimiter.encode()
        for line in gone:
            left = counts.get(line, 0) - 1
            if left > 0:
                counts[line] = left
            elif counts.pop(line, None) is not None:
                removed.append(self.line_hashes[line])
            if not ofac_csv.is_blank(line):
                ids[line.split(sep, 1)[0].strip()] -= 1
        twice = []
        for line in came:
            if ofac_csv.is_blank(line):
                continue
            ent_num = line.split(sep, 1)[0].strip()
            ids[ent_num] += 1
            if ids[ent_num] > 1:
                twice.append(ent_num.decode(errors="replace"))
            if line in counts:
                counts[line] += 1
            else:
                counts[line] = 1
                added.append(self._line_hash(line, body.delimiter, snap.origin))
        if twice:  # self.previous stays None: the next version is read whole
            raise ReaderError(
                snap.origin,
                f"{len(twice)} entry numbers (ent_num) are used by two entries or more"
                f" (first: {twice[0]}): an entry number must be unique",
            )
        if whole:
            self.member_array = sorted_hashes(added)
        else:
            kept = missing_from(self.member_array, sorted_hashes(removed))
            self.member_array = merged(kept, sorted_hashes(added))
        self.previous = body
        if len(self.new_records) >= _RECORD_BATCH:
            # Without waiting for the line parser, unless it lags far behind.
            self.flush(complete=len(self.new_records) >= 4 * _RECORD_BATCH)
        return self.member_array

    def _line_hash(self, line: bytes, delimiter: str, origin: str) -> int:
        h = self.line_hashes.get(line)
        if h is None:
            h = _hash64(line)
            if h not in self.known:
                self._new_line(h, line, delimiter, origin)
            self.line_hashes[line] = h
        return h

    def _new_line(self, record_hash: int, line: bytes, delimiter: str, origin: str) -> None:
        """Parsed here, or (past the first few thousand new lines, with a second core)
        checked here and parsed by the :class:`LineParser` meanwhile."""
        if self.parser is None and self.parsed_here >= _PARSED_HERE and _CORES > 1:
            self.parser = LineParser()
        if self.parser is None:
            self.parsed_here += 1
            self._remember(record_hash, ofac_csv.parse_line(line, delimiter, origin))
            return
        ofac_csv.checked_row(line, delimiter, origin)
        self.parser.add(line, delimiter)
        self.parsing.append(record_hash)
        self.known.add(record_hash)
        self.new_records[record_hash] = None

    def _advanced_members(self, snap: SnapshotInput) -> list[int]:
        from magnitsky.readers import ofac_advanced
        from magnitsky.readers.expectations import check_listings

        with _as_file(snap) as path:
            listings = list(ofac_advanced.read(path))
        check_listings(listings, snap.origin)
        return self._listing_members(snap, listings)

    def _listing_members(self, snap: SnapshotInput, listings: list[Listing]) -> list[int]:
        """Readers that parse a whole file: one hash per listing's content."""
        return self._hashed_members([(listing_hash(x), x) for x in listings])

    def _hashed_members(self, hashed: list[tuple[int, Listing]]) -> list[int]:
        hashes = []
        for h, listing in hashed:
            if h not in self.known:
                self._remember(h, listing)
            hashes.append(h)
        return hashes

    def _remember(self, record_hash: int, listing: Listing) -> None:
        self.known.add(record_hash)
        self.new_records[record_hash] = listing

    def flush(self, complete: bool = True) -> None:
        """Write the new records: all, or (``complete`` False) those met before the first
        line the parser has not given back yet (the order they were met in, always)."""
        if self.parser is not None and self.parsing:
            parsed = self.parser.take(wait=complete)
            self.new_records.update(zip(self.parsing, parsed, strict=False))
            del self.parsing[: len(parsed)]
        records: dict[int, Listing | Prepared] = {}
        for h, listing in self.new_records.items():
            if listing is None:
                break
            records[h] = listing
        if not records:
            return
        store_records(self.store, self.source, records)
        if len(records) == len(self.new_records):
            self.new_records.clear()
        else:
            self.new_records = dict(list(self.new_records.items())[len(records) :])

    def close(self) -> None:
        """Stop the line parser's worker, if any."""
        if self.parser is not None:
            self.parser.close()
            self.parser = None


_RECORD_BATCH = 5000
"""New records held before they are written to the store."""
_PARSED_HERE = 2048
"""New lines parsed here before a :class:`LineParser` takes the others (a worker is worth
its start for a history, not for one file)."""
_CORES = os.cpu_count() or 1
_SNAPSHOT_BATCH = 32
"""Snapshots held before they are written (a snapshot of sdn.csv: ~150 KB of members)."""
_BLOCK = 1 << 16
_LOCAL_BLOCK = 256
"""The first block compared after two versions fell back in step: the next change is
usually a few lines on."""


def _common_prefix(
    a: bytes, b: bytes, a_from: int, b_from: int, limit: int, step: int = _BLOCK
) -> int:
    """How many bytes ``a[a_from:]`` and ``b[b_from:]`` share at their start, up to
    ``limit``: block by block (doubling), then halving the block that differs. Blocks are
    compared in place (``startswith`` of a memoryview: a memcmp, no copy)."""
    view = memoryview(b)
    n = 0
    while n < limit:
        m = min(step, limit - n)
        if a.startswith(view[b_from + n : b_from + n + m], a_from + n):
            n += m
            step = min(step * 2, 1 << 22)
            continue
        while m > 64:
            half = m // 2
            if a.startswith(view[b_from + n : b_from + n + half], a_from + n):
                n += half
                m -= half
            else:
                m = half
        while m and a[a_from + n] == b[b_from + n]:
            n += 1
            m -= 1
        return n
    return limit


def _common_suffix(a: bytes, b: bytes, a_to: int, b_to: int, limit: int) -> int:
    """How many bytes ``a[:a_to]`` and ``b[:b_to]`` share at their end, up to ``limit``."""
    view = memoryview(b)
    n, step = 0, _BLOCK
    while n < limit:
        m = min(step, limit - n)
        if a.endswith(view[b_to - n - m : b_to - n], 0, a_to - n):
            n += m
            step = min(step * 2, 1 << 22)
            continue
        while m > 64:
            half = m // 2
            if a.endswith(view[b_to - n - half : b_to - n], 0, a_to - n):
                n += half
                m -= half
            else:
                m = half
        while m and a[a_to - n - 1] == b[b_to - n - 1]:
            n += 1
            m -= 1
        return n
    return limit


def _take_line(
    data: bytes, start: int, end: int, seen: dict[bytes, int], others: dict[bytes, int]
) -> tuple[int | None, int]:
    """The line at ``start``: where the other side has it (None: not yet; it is noted
    in ``seen``), and where the next line starts."""
    cut = data.find(b"\n", start, end)
    cut = end if cut < 0 else cut
    line = data[start:cut]
    other = others.get(line)
    if other is None:
        seen.setdefault(line, start)
    return other, cut + 1


def _next_common_line(
    a: bytes, i: int, a_end: int, b: bytes, j: int, b_end: int
) -> tuple[int, int] | None:
    """Where two runs of lines that differ at their first line fall in step again: the
    starts of the first line both have, looking ahead in both at once (so a few changed
    lines cost a few lines read, however long the files). None: no line in common."""
    seen_a: dict[bytes, int] = {}
    seen_b: dict[bytes, int] = {}
    while i < a_end or j < b_end:
        if i < a_end:
            other, after = _take_line(a, i, a_end, seen_a, seen_b)
            if other is not None:
                return i, other
            i = after
        if j < b_end:
            other, after = _take_line(b, j, b_end, seen_b, seen_a)
            if other is not None:
                return other, j
            j = after
    return None


def _changed_lines(old: ofac_csv.Body, new: ofac_csv.Body) -> tuple[list[bytes], list[bytes]]:
    """The lines that went and came from ``old`` to ``new``, each as often as it went or
    came. The versions are walked in step: runs of bytes both share are skipped at the
    speed of memcmp, and where they differ, only the lines up to the next line both have
    are split and compared (a line diff that never looks at the unchanged lines)."""
    a, b = old.data, new.data
    a_len, b_len = old.end - old.start, new.end - new.start
    shortest = min(a_len, b_len)
    prefix = _common_prefix(a, b, old.start, new.start, shortest)
    if prefix == shortest and a_len == b_len:
        return [], []
    suffix = _common_suffix(a, b, old.end, new.end, shortest - prefix)
    # Back to whole lines: the shared start ends at a newline, the shared end starts
    # after one (the same offsets in both, since the bytes around them are the same).
    cut = b.rfind(b"\n", new.start, new.start + prefix)
    head = 0 if cut < 0 else cut - new.start + 1
    cut = b.find(b"\n", new.end - suffix, new.end)
    tail = 0 if cut < 0 else new.end - cut
    i, a_end = old.start + head, old.end - tail
    j, b_end = new.start + head, new.end - tail
    went: list[bytes] = []
    came: list[bytes] = []
    while i < a_end and j < b_end:
        # In step: skip the whole lines both share.
        limit = min(a_end - i, b_end - j)
        n = _common_prefix(a, b, i, j, limit, _LOCAL_BLOCK)
        if n == limit and i + n == a_end and j + n == b_end:
            i, j = a_end, b_end
            break
        if (i + n == a_end and b.startswith(b"\n", j + n)) or (
            j + n == b_end and a.startswith(b"\n", i + n)
        ):
            cut = j + n  # the shorter run's last line, whole in the other
        else:
            cut = b.rfind(b"\n", j, j + n)
        if cut >= j:
            i, j = i + cut - j + 1, cut + 1
            continue
        # Out of step: the lines up to the next line both have went and came.
        found = _next_common_line(a, i, a_end, b, j, b_end)
        if found is None:
            break
        if found[0] > i:
            went += old.raw_lines(i, found[0] - 1)
        if found[1] > j:
            came += new.raw_lines(j, found[1] - 1)
        i, j = found
    if i < a_end:
        went += old.raw_lines(i, a_end)
    if j < b_end:
        came += new.raw_lines(j, b_end)
    went_set, came_set = set(went), set(came)
    if len(went_set) == len(went) and len(came_set) == len(came):
        return list(went_set - came_set), list(came_set - went_set)
    # A line twice in one of them: count.
    gone, added = Counter(went), Counter(came)
    gone.subtract(Counter(came))
    added.subtract(Counter(went))
    return list(gone.elements()), list(added.elements())


_LIST_COLUMNS = ("programs", "aliases", "birth_dates", "identifiers", "linked_to", "countries")


@contextmanager
def _as_file(snap: SnapshotInput) -> Iterator[Path]:
    """The snapshot as a file a reader can open: its own file, or a temporary copy (a
    version read from git) with the same suffix."""
    own = Path(snap.origin)
    if own.is_file() and own.stat().st_size == len(snap.data):
        yield own
        return
    with tempfile.NamedTemporaryFile(suffix=Path(snap.origin).suffix) as tmp:
        tmp.write(snap.data)
        tmp.flush()
        yield Path(tmp.name)


def declared_listings(snap: SnapshotInput) -> list[Listing]:
    """A declared list's file read by its reader, checked against the source's declared
    expectations (a parse that falls short fails loudly, naming the file)."""
    from magnitsky.readers.expectations import check_expectations, check_listings

    reader = importlib.import_module(get_source(snap.source).reader or "")
    with _as_file(snap) as path:
        listings = list(reader.read(path))
    check_expectations(snap.source, listings, snap.origin)
    check_listings(listings, snap.origin)
    return listings


WALKED_FIELDS = (
    "source_id",
    "name",
    "schema",
    "programs",
    "aliases",
    "title",
    "birth_dates",
    "nationalities",
    "linked_to",
)
"""The fields of a record the events' walk reads (``events.Records``): what
:func:`store_records` keeps in ``Store.parsed`` for it, not the whole content."""


def store_records(store: Store, source: str, records: dict[int, Listing | Prepared]) -> None:
    """Records keep the fields the history engine reads as columns (no JSON parsing on
    every rebuild) and the whole record as JSON (made here, or by the
    :class:`LineParser`'s worker: :func:`prepared`)."""
    rows = [x if isinstance(x, tuple) else prepared(x) for x in records.values()]
    listings = [x for x, _, _ in rows]
    store.parsed.update(
        ((source, h), {k: getattr(x, k) for k in WALKED_FIELDS})
        for h, x in zip(records, listings, strict=True)
    )
    columns: dict[str, list[Any]] = {
        "source": [source] * len(listings),
        "record_hash": list(records),
        "source_id": [x.source_id for x in listings],
        "name": [x.name for x in listings],
        "schema": [x.schema for x in listings],
        "title": [x.title for x in listings],
        "content": [content for _, content, _ in rows],
        "stated_dates": [stated for _, _, stated in rows],
    }
    for column in _LIST_COLUMNS:  # tuples of text: sent joined (Store.bulk_insert)
        columns[column] = [getattr(x, column) for x in listings]
    store.bulk_insert("records", columns)


@without_gc_pauses
def store_snapshots(
    store: Store,
    snapshots: Iterable[SnapshotInput],
    *,
    force: bool = False,
    strict: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Add snapshots to the store (inside the caller's transaction).

    ``strict``: an unreadable file raises (a single ``ingest``); otherwise it is kept as
    a rejected snapshot with its reason, as one bad download in a history should be.
    """
    result = ImportResult()
    readers: dict[str, SnapshotReader] = {}
    chains: dict[str, _Chain] = {}
    next_id = int(store.scalar("SELECT coalesce(max(snapshot_id), 0) FROM snapshots")) + 1
    stored = set(store.rows("SELECT source, as_of, content_hash FROM snapshots"))
    rows: list[list[Any]] = []
    try:
        for snap in snapshots:
            digest = snap.known_hash or content_hash(snap.data)
            as_of_utc = snap.as_of.astimezone(UTC).replace(tzinfo=None)
            if (snap.source, as_of_utc, digest) in stored:
                result.unchanged += 1
                continue
            stored.add((snap.source, as_of_utc, digest))
            if snap.source not in readers:
                readers[snap.source] = SnapshotReader(store, snap.source)
            reader = readers[snap.source]
            problem = None
            try:
                members = reader.members(snap)
            except ReaderError as error:
                if strict:
                    raise
                problem, members = str(error), []
                result.unreadable.append(problem)
            base, kept, gone = _stored_form(chains, snap.source, next_id, members, problem is None)
            rows.append(
                [
                    next_id,
                    snap.source,
                    as_of_utc,
                    snap.as_of_date,
                    digest,
                    snap.format,
                    snap.origin,
                    len(members),
                    problem is None,
                    problem,
                    force,
                    base,
                    kept,
                    gone,
                ]
            )
            result.added.append(next_id)
            next_id += 1
            if progress:
                progress(f"snapshot {snap.as_of_date} {len(members)} entries  {snap.origin}")
            if len(rows) >= _SNAPSHOT_BATCH:
                _insert_snapshots(store, rows)
                rows.clear()
        _insert_snapshots(store, rows)
        for reader in readers.values():
            reader.flush()
    finally:
        for reader in readers.values():
            reader.close()
    return result


_SNAPSHOT_COLUMNS = (
    "snapshot_id",
    "source",
    "as_of",
    "as_of_date",
    "content_hash",
    "format",
    "origin",
    "rows",
    "readable",
    "problem",
    "forced",
    "members_base",
    "members",
    "members_gone",
)


def _insert_snapshots(store: Store, rows: list[list[Any]]) -> None:
    """A batch of snapshots in one statement."""
    columns = {c: [r[i] for r in rows] for i, c in enumerate(_SNAPSHOT_COLUMNS)}
    if rows:
        columns["imported_at"] = [datetime.now(UTC).replace(tzinfo=None)] * len(rows)
    store.bulk_insert("snapshots", columns)


def declared_snapshot(
    path: Path, as_of: datetime | None = None, source: str | None = None
) -> SnapshotInput:
    """A file of a declared list (UK, Canada, Australia, EU), dated by ``as_of`` or by the
    date in its name (the end of that day in the publisher's time zone). ``source``: the
    list its content showed (else its name tells)."""
    found = get_source(source) if source else detect(path)
    if found is None:
        raise ReaderError(path, "not a file of a known list")
    day = date_in_name(path)
    when = as_of or (
        datetime.combine(day, time(23, 59, 59), tzinfo=found.timezone) if day else None
    )
    if when is None:
        raise ReaderError(path, "no date: put it in the name (…_2023-01-21.xlsx) or give --as-of")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ReaderError(path, f"cannot read the file: {error.strerror}") from error
    return SnapshotInput(found.name, when, str(path), data, found.name)


def file_snapshot(path: Path, as_of: datetime | None = None) -> SnapshotInput:
    """One file, dated by ``as_of`` or by its name; which list it is, from its content
    (:func:`magnitsky.readers.detect.kind_of`)."""
    from magnitsky.readers.detect import kind_of

    kind = kind_of(path)
    if kind.source is None or kind.format is None:
        raise ReaderError(path, "a document of dated actions, not a snapshot of a list")
    if kind.source != "us-ofac-sdn":
        return declared_snapshot(path, as_of, kind.source)
    when = as_of or date_from_name(path)
    if when is None:
        raise ReaderError(
            path, "no date: name it like sdn_2023-01-21.csv or give --as-of YYYY-MM-DD"
        )
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ReaderError(path, f"cannot read the file: {error.strerror}") from error
    return SnapshotInput("us-ofac-sdn", when, str(path), data, kind.format)


def folder_snapshots(folder: Path) -> list[SnapshotInput]:
    """Every dated snapshot file in a folder (``sdn_YYYY-MM-DD.csv|pip``,
    ``sdn_advanced_YYYY-MM-DD.xml``)."""
    if not folder.is_dir():
        raise ReaderError(folder, "not a folder")
    paths = sorted(p for p in folder.iterdir() if _DATED_NAME.match(p.name))
    return [file_snapshot(p) for p in paths]


@contextmanager
def _git_repo(path: Path) -> Iterator[Path]:
    """A repository to read from: the folder itself, or a bare clone of a bundle."""
    if path.is_dir():
        yield path
        return
    if not path.is_file():
        raise ReaderError(path, "no such repository or bundle")
    tmp = Path(tempfile.mkdtemp(prefix="magnitsky-git-"))
    try:
        done = subprocess.run(
            ["git", "clone", "--quiet", "--bare", str(path), str(tmp / "repo")],
            capture_output=True,
            text=True,
        )
        if done.returncode:
            raise ReaderError(path, f"not a git bundle or repository: {done.stderr.strip()}")
        yield tmp / "repo"
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def git_snapshots(repo: Path, file_path: str) -> Iterator[SnapshotInput]:
    """Every version of ``file_path`` in the history of a repository or bundle; each
    commit's time is the as-of time (the time of the scrape). A plain bundle is read
    straight from its pack (:mod:`magnitsky.history.gitpack`), any other through git."""
    bundle = _plain_bundle(repo, file_path) if repo.is_file() else None
    if bundle is not None:
        if not bundle.history:
            raise ReaderError(repo, f"no commit touches {file_path}")
        for version, data in bundle.contents():
            if data is None:
                continue  # the file was deleted in this commit
            yield SnapshotInput(
                "us-ofac-sdn",
                datetime.fromtimestamp(version.time, tz=UTC),
                f"{repo.name}:{version.commit[:12]}:{file_path}",
                data,
                format_of(Path(file_path)),
                f"git-blob:{version.blob}",
            )
        return
    yield from through_git(repo, file_path)


def through_git(repo: Path, file_path: str) -> Iterator[SnapshotInput]:
    """:func:`git_snapshots` read by git itself (a bundle cloned first)."""
    with _git_repo(repo) as git_dir:
        log = subprocess.run(
            ["git", "-C", str(git_dir), "log", "--all", "--format=%H %ct", "--", file_path],
            capture_output=True,
            text=True,
        )
        if log.returncode:
            raise ReaderError(repo, f"cannot read the git history: {log.stderr.strip()}")
        commits = [line.split() for line in log.stdout.splitlines() if line.strip()]
        if not commits:
            raise ReaderError(repo, f"no commit touches {file_path}")
        yield from _cat_files(git_dir, repo, file_path, commits[::-1])


def _plain_bundle(path: Path, file_path: str) -> gitpack.Bundle | None:
    """The bundle read from its pack; None where git is to read it."""
    try:
        return gitpack.Bundle(path, file_path)
    except (gitpack.Unsupported, OSError, ValueError, IndexError, zlib.error):
        return None


def _cat_files(
    git_dir: Path, repo: Path, file_path: str, commits: list[list[str]]
) -> Iterator[SnapshotInput]:
    """The versions through one ``git cat-file --batch``: every request written at once
    by a thread (no round trip per version), and the next few versions read ahead by
    another while this one is compared (git inflates them meanwhile, on the other core).
    """
    batch = subprocess.Popen(
        ["git", "-C", str(git_dir), "cat-file", "--batch"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    assert batch.stdin and batch.stdout
    requests = b"".join(f"{sha}:{file_path}\n".encode() for sha, _ in commits)
    writer = threading.Thread(target=_feed, args=(batch.stdin, requests), daemon=True)
    writer.start()
    ahead = _ReadAhead(batch.stdout, len(commits))
    try:
        for (sha, stamp), found in zip(commits, ahead, strict=False):
            if found is None:
                continue  # the file was deleted in this commit
            blob, data = found
            as_of = datetime.fromtimestamp(int(stamp), tz=UTC)
            yield SnapshotInput(
                "us-ofac-sdn",
                as_of,
                f"{repo.name}:{sha[:12]}:{file_path}",
                data,
                format_of(Path(file_path)),
                f"git-blob:{blob}",
            )
    finally:
        ahead.stop.set()
        batch.stdout.close()
        batch.kill()
        batch.wait()
        ahead.join()
        writer.join()


_READ_AHEAD = 3
"""Versions read out of git before they are compared (a version of sdn.csv: ~3 MB)."""


class _ReadAhead(threading.Thread):
    """Reads ``count`` answers of ``git cat-file --batch`` into a small queue: ``(blob id,
    data)``, or None for a commit without the file. Iterating gives them in order."""

    def __init__(self, pipe: IO[bytes], count: int) -> None:
        super().__init__(daemon=True)
        self.pipe = pipe
        self.count = count
        self.items: queue.Queue[tuple[str, bytes] | BaseException | None] = queue.Queue(_READ_AHEAD)
        self.stop = threading.Event()
        self.start()

    def run(self) -> None:
        try:
            for _ in range(self.count):
                header = self.pipe.readline().split()
                if len(header) < 3 or header[1] != b"blob":
                    self._put(None)
                    continue
                data = self.pipe.read(int(header[2]))
                self.pipe.read(1)
                if len(data) < int(header[2]):
                    raise OSError("git cat-file stopped before the end of a version")
                self._put((header[0].decode(), data))
        except (OSError, ValueError) as error:
            if not self.stop.is_set():
                self._put(error)

    def _put(self, item: tuple[str, bytes] | BaseException | None) -> None:
        while not self.stop.is_set():
            try:
                self.items.put(item, timeout=0.1)
                return
            except queue.Full:
                continue

    def __iter__(self) -> Iterator[tuple[str, bytes] | None]:
        for _ in range(self.count):
            item = self.items.get()
            if isinstance(item, BaseException):
                raise item
            yield item


def _feed(pipe: IO[bytes], data: bytes) -> None:
    try:
        pipe.write(data)
        pipe.close()
    except (BrokenPipeError, ValueError):
        pass  # the reader stopped early
