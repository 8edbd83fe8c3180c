"""Importing snapshots of a list: single files, dated folders, and git histories.

A snapshot is stored with its as-of time, content hash, row count and the hashes of its
entries (``members``). Only entries never seen before are parsed: for the legacy SDN
files that is done line by line, so a history of hundreds of near-identical snapshots
costs little more than its changed lines.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import re
import shutil
import subprocess
import tempfile
from array import array
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

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

    @property
    def as_of_date(self) -> date:
        return self.as_of.astimezone(get_source(self.source).timezone).date()


@dataclass
class ImportResult:
    added: list[int] = field(default_factory=list)
    """Ids of the snapshots added."""
    unchanged: int = 0
    unreadable: list[str] = field(default_factory=list)


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _hash64(data: bytes) -> int:
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "big", signed=True)


def pack(hashes: list[int]) -> bytes:
    """Record hashes as packed int64: storing a snapshot's members costs one copy."""
    return array("q", hashes).tobytes()


def unpack(blob: bytes) -> list[int]:
    members = array("q")
    members.frombytes(blob)
    return members.tolist()


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

    It caches line -> hash across the snapshots of one import, and knows which record
    hashes the store already holds, so unchanged lines cost one dictionary look-up.
    """

    def __init__(self, store: Store, source: str) -> None:
        self.store = store
        self.source = source
        self.known: set[int] = {
            r[0] for r in store.rows("SELECT record_hash FROM records WHERE source = ?", [source])
        }
        self.line_hashes: dict[bytes, int] = {}
        self.new_records: dict[int, Listing] = {}
        self.previous: tuple[set[bytes], set[int]] | None = None
        """The lines and record hashes of the last sdn.csv snapshot read."""

    def members(self, snap: SnapshotInput) -> list[int]:
        if snap.format == "sdn-advanced":
            return self._advanced_members(snap)
        if snap.format != "sdn-csv":
            return self._listing_members(snap, declared_listings(snap))
        lines, delimiter = ofac_csv.record_lines(snap.data, snap.origin)
        current = set(lines)
        known_lines = self.line_hashes
        for line in current.difference(known_lines):
            h = _hash64(line)
            known_lines[line] = h
            if h not in self.known:
                self._remember(h, ofac_csv.parse_line(line, delimiter, snap.origin))
        # Consecutive snapshots share nearly all lines: the members follow from the
        # previous snapshot's by the lines that came and went, not a look-up per line.
        if self.previous is None:
            members = {known_lines[line] for line in current}
        else:
            lines_before, members_before = self.previous
            members = members_before.difference(known_lines[x] for x in lines_before - current)
            members.update(known_lines[x] for x in current - lines_before)
        self.previous = (current, members)
        return list(members)

    def _advanced_members(self, snap: SnapshotInput) -> list[int]:
        from magnitsky.readers import ofac_advanced

        with _as_file(snap) as path:
            listings = list(ofac_advanced.read(path))
        return self._listing_members(snap, listings)

    def _listing_members(self, snap: SnapshotInput, listings: list[Listing]) -> list[int]:
        """Readers that parse a whole file: one hash per listing's content."""
        hashes = []
        for listing in listings:
            h = _hash64(listing.content_hash().encode())
            if h not in self.known:
                self._remember(h, listing)
            hashes.append(h)
        return hashes

    def _remember(self, record_hash: int, listing: Listing) -> None:
        self.known.add(record_hash)
        self.new_records[record_hash] = listing

    def flush(self) -> None:
        if not self.new_records:
            return
        store_records(self.store, self.source, self.new_records)
        self.new_records.clear()


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
    from magnitsky.readers.expectations import check_expectations

    reader = importlib.import_module(get_source(snap.source).reader or "")
    with _as_file(snap) as path:
        listings = list(reader.read(path))
    check_expectations(snap.source, listings, snap.origin)
    return listings


def stated_dates(listing: Listing) -> dict[str, str]:
    """The listing date the source states, per program tag (``listed_on:<tag>`` in
    ``extra`` where a source dates each program, else ``listed_on``)."""
    extra = dict(listing.extra)
    out = {}
    for tag in listing.programs:
        day = extra.get(f"listed_on:{tag}") or (
            listing.listed_on.isoformat() if listing.listed_on else None
        )
        if day:
            out[tag] = day
    return out


def store_records(store: Store, source: str, records: dict[int, Listing]) -> None:
    """Records keep the fields the history engine reads as columns (no JSON parsing on
    every rebuild) and the whole record as JSON."""
    listings = list(records.values())
    columns: dict[str, list[Any]] = {
        "source": [source] * len(listings),
        "record_hash": list(records),
        "source_id": [x.source_id for x in listings],
        "name": [x.name for x in listings],
        "schema": [x.schema for x in listings],
        "title": [x.title for x in listings],
        "content": [json.dumps(x.content(), ensure_ascii=False) for x in listings],
        "stated_dates": [
            json.dumps(stated_dates(x)) if x.listed_on or x.extra else None for x in listings
        ],
    }
    for column in _LIST_COLUMNS:
        columns[column] = [list(getattr(x, column)) for x in listings]
    store.bulk_insert("records", columns)


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
    next_id = int(store.scalar("SELECT coalesce(max(snapshot_id), 0) FROM snapshots")) + 1
    stored = set(store.rows("SELECT source, as_of, content_hash FROM snapshots"))
    rows: list[list[Any]] = []
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
                pack(members),
            ]
        )
        result.added.append(next_id)
        next_id += 1
        if progress:
            progress(f"snapshot {snap.as_of_date} {len(members)} entries  {snap.origin}")
    _insert_snapshots(store, rows)
    for reader in readers.values():
        reader.flush()
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
    "members",
)


def _insert_snapshots(store: Store, rows: list[list[Any]]) -> None:
    """All of an import's snapshots in one statement."""
    columns = {c: [r[i] for r in rows] for i, c in enumerate(_SNAPSHOT_COLUMNS)}
    if rows:
        columns["imported_at"] = [datetime.now(UTC).replace(tzinfo=None)] * len(rows)
    store.bulk_insert("snapshots", columns)


def declared_snapshot(path: Path, as_of: datetime | None = None) -> SnapshotInput:
    """A file of a declared list (UK, Canada, Australia, EU), dated by ``as_of`` or by the
    date in its name (the end of that day in the publisher's time zone)."""
    found = detect(path)
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
    """One file, dated by ``as_of`` or by its name."""
    if detect(path) is not None:
        return declared_snapshot(path, as_of)
    when = as_of or date_from_name(path)
    if when is None:
        raise ReaderError(
            path, "no date: name it like sdn_2023-01-21.csv or give --as-of YYYY-MM-DD"
        )
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ReaderError(path, f"cannot read the file: {error.strerror}") from error
    return SnapshotInput("us-ofac-sdn", when, str(path), data, format_of(path))


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
    commit's time is the as-of time (the time of the scrape)."""
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


def _cat_files(
    git_dir: Path, repo: Path, file_path: str, commits: list[list[str]]
) -> Iterator[SnapshotInput]:
    batch = subprocess.Popen(
        ["git", "-C", str(git_dir), "cat-file", "--batch"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    assert batch.stdin and batch.stdout
    try:
        for sha, stamp in commits:
            batch.stdin.write(f"{sha}:{file_path}\n".encode())
            batch.stdin.flush()
            header = batch.stdout.readline().split()
            if len(header) < 3 or header[1] != b"blob":
                continue  # the file was deleted in this commit
            data = batch.stdout.read(int(header[2]))
            blob = header[0].decode()
            batch.stdout.read(1)
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
        batch.stdin.close()
        batch.wait()
