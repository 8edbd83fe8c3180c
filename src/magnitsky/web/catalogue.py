"""The store as the web server reads it.

One shared DuckDB connection (read-only unless writing is enabled) and a cursor of it
per request. The store does not change while the server runs (a read-only connection
keeps writers out), so the designations are read once and kept in memory, and each
program's designations are analysed (basis, roles, countries, the official texts' facts)
once, on first use or at start-up, and kept: the analysis costs about 0.7 ms a
designation, the filters then cost microseconds.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb

from magnitsky import queries
from magnitsky.analysis import facets, stored
from magnitsky.analysis.basis import classify
from magnitsky.analysis.designations import enrich, with_records
from magnitsky.analysis.texts import OfficialTexts
from magnitsky.programs import is_magnitsky, programs
from magnitsky.search import load_countries
from magnitsky.store import Store, open_store

log = logging.getLogger("magnitsky.web")

Row = dict[str, Any]
SELECTIONS = 256
"""Selections of the designations browser kept (each a list of indices)."""
MAGNITSKY = "magnitsky"
"""The program filter's value for every Magnitsky-style program at once."""
CHUNK = 500
"""Designations analysed in one go (under the lock: about a third of a second)."""
QUIET = 1.0
"""Seconds without a request before the start-up warming does its next step: the first
answers do not wait for it."""


class Kept:
    """The latest results of a kind, at most ``size`` of them (least recently used out)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[Any, list[int]] = OrderedDict()
        self._lock = threading.Lock()

    def __contains__(self, key: Any) -> bool:
        return key in self._items

    def get(self, key: Any) -> list[int] | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: Any, value: list[int]) -> list[int]:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value


class Catalogue:
    def __init__(self, path: Path, writable: bool = False) -> None:
        self.path = path
        self.writable = writable
        self._store = open_store(path, read_only=not writable)
        self._analysis = threading.Lock()
        with self.store() as store:
            self.designations: list[Row] = queries.designations(store)
            load_countries(store)  # country names resolved at build: no rigour table
        # The official texts read more of the store later (a list's statements of
        # reasons, when one of its designations is first analysed): a cursor of their own,
        # used under the analysis lock only.
        self._texts_store = Store(self._store.con.cursor(), path)
        self._texts: OfficialTexts | None = None
        self.by_program: dict[str, list[int]] = {}
        self.by_entry: dict[tuple[str, str], list[int]] = {}
        self.by_jurisdiction: dict[str, list[int]] = {}
        for i, row in enumerate(self.designations):
            self.by_program.setdefault(row["program"], []).append(i)
            self.by_jurisdiction.setdefault(row["jurisdiction"], []).append(i)
            self.by_entry.setdefault((row["source"], row["source_id"]), []).append(i)
        self.jurisdictions = sorted(self.by_jurisdiction)
        self._programs = tuple(sorted(self.by_program, key=lambda p: (not is_magnitsky(p), p)))
        self._enriched: dict[int, Row] = {}
        with self.store() as store:
            done = stored.kept(store)  # the analysis kept at build: Magnitsky programs
        self.keys = [stored.key(row) for row in self.designations]
        """Each designation's key (:func:`magnitsky.analysis.stored.key`), by index."""
        for i, row in enumerate(self.designations):
            added = done.get(self.keys[i])
            if added is not None:
                self._enriched[i] = {**row, **added}
        self._facets: dict[str, dict[int, Any]] = {}
        """What the filters read of the other designations, as ``build`` kept it, field by
        field (each read on first use: :meth:`kept_field`)."""
        self._facets_lock = threading.Lock()
        self._based: dict[int, Row] = {}
        """Designations whose basis alone has been read (a basis filter needs no more)."""
        self.touched = time.monotonic()
        """When a request last asked for the catalogue, or ended (time.monotonic); at first
        the opening, so the warming leaves the server's first second to the first answer."""
        self.active = 0
        """Requests in progress (web/busy.py)."""
        self._memo: dict[tuple[Any, ...], Any] = {}
        self.selections = Kept(SELECTIONS)
        """Filtered, sorted designations (their indices) by filters and order."""
        self.closed = False

    @property
    def texts(self) -> OfficialTexts:
        """The official texts' facts, read when a designation is first analysed here (under
        the analysis lock: a start answers its first pages without them)."""
        if self._texts is None:
            self._texts = OfficialTexts.of(self._texts_store)
        return self._texts

    def facts(self, source: str, source_id: str) -> list[Mapping[str, Any]]:
        """Every fact the official texts read give about a list entry, its list's
        statements of reasons included (as ``build`` kept them, else read now)."""
        if source != facets.OFAC:
            with self.store() as store:
                kept = facets.reasons(store, source, source_id)
            if kept is not None:
                return list(kept)
        with self._analysis:
            texts = self.texts
            texts.read_every([source])
            return list(texts.by_entry.get((source, source_id), []))

    def close(self) -> None:
        self.closed = True
        with self._analysis:
            self._texts_store.close()
            self._store.close()

    @contextmanager
    def store(self) -> Iterator[Store]:
        """A cursor of the shared connection: one per request (and per thread)."""
        cursor = Store(self._store.con.cursor(), self.path)
        try:
            yield cursor
        finally:
            cursor.close()

    # the programs

    def programs(self) -> tuple[str, ...]:
        """Program keys in the store: the Magnitsky-style ones first, then by name."""
        return self._programs

    def sources(self) -> list[str]:
        return sorted({source for source, _ in self.by_entry})

    def magnitsky_programs(self) -> list[str]:
        return [p for p in self.programs() if is_magnitsky(p)]

    @staticmethod
    def title(program: str) -> str:
        known = programs().get(program)
        return known.title if known else program

    # the designations, analysed on demand

    def indices(self, program: str | None, jurisdiction: str | None = None) -> Sequence[int]:
        """The designations of a program (``magnitsky``: of every Magnitsky-style program),
        else of a jurisdiction, else all of them."""
        if program == MAGNITSKY:
            every: list[int] = self.memo(
                ("magnitsky-indices",),
                lambda: sorted(i for p in self.magnitsky_programs() for i in self.by_program[p]),
            )
            return every
        if program is not None:
            return self.by_program.get(program, [])
        if jurisdiction is not None:
            return self.by_jurisdiction.get(jurisdiction, [])
        return range(len(self.designations))

    def analysed(self, indices: Iterable[int]) -> bool:
        """Whether every one of these designations has been analysed already."""
        if len(self._enriched) == len(self.designations):
            return True
        return all(i in self._enriched for i in indices)

    def enriched(self, indices: Sequence[int]) -> list[Row]:
        """The designations with what the analysis adds; analysed now where not yet (in
        chunks, so that a request analysing thousands lets others in between)."""
        missing = [i for i in indices if i not in self._enriched]
        if missing:
            self._kept_whole(missing)
            missing = [i for i in missing if i not in self._enriched]
        for start in range(0, len(missing), CHUNK):
            with self._analysis:
                chunk = [i for i in missing[start : start + CHUNK] if i not in self._enriched]
                if chunk and self.closed:
                    raise RuntimeError("the server is shutting down")
                if chunk:
                    with self.store() as store:
                        done = enrich(store, [self.designations[i] for i in chunk], self.texts)
                    self._enriched.update(zip(chunk, done, strict=True))
        return [self._enriched[i] for i in indices]

    def kept_field(self, field: str) -> dict[int, Any]:
        """One field the filters read (:data:`magnitsky.analysis.facets.FIELDS`) of the
        designations whose whole analysis is not kept, as ``build`` kept it, by index
        (read on first use)."""
        found = self._facets.get(field)
        if found is None:
            with self._facets_lock:
                found = self._facets.get(field)
                if found is None:
                    with self.store() as store:
                        kept = facets.kept(store, field)
                    found = {i: kept[k] for i, k in enumerate(self.keys) if k in kept}
                    self._facets[field] = found
        return found

    def filterable(self, indices: Sequence[int], fields: Sequence[str]) -> list[Row] | None:
        """The ``fields`` the filters and the order read of these designations (their
        whole analysis where it is done), from the analysis done or kept, analysing none;
        None when one of them has neither."""
        kept = [(field, self.kept_field(field)) for field in fields]
        out = []
        for i in indices:
            row = self._enriched.get(i)
            if row is None:
                row = {}
                for field, values in kept:
                    if i not in values:
                        return None
                    row[field] = values[i]
            out.append(row)
        return out

    def _kept_whole(self, indices: Sequence[int]) -> None:
        """Take the whole analysis of these designations from what ``build`` kept
        (:func:`magnitsky.analysis.facets.analysed`), where it kept it."""
        keys = {self.keys[i]: i for i in indices}
        with self.store() as store:
            found = facets.analysed(store, keys)
        for k, added in found.items():
            i = keys[k]
            self._enriched.setdefault(i, {**self.designations[i], **added})

    def based(self, indices: Sequence[int]) -> list[Row]:
        """The designations with their basis (and its evidence and source), analysed
        for that alone where not analysed yet: a fraction of the whole analysis (no roles,
        no countries), all a basis filter or the yearly counts need."""
        missing = [i for i in indices if i not in self._enriched and i not in self._based]
        for start in range(0, len(missing), CHUNK * 4):
            with self._analysis:
                chunk = [i for i in missing[start : start + CHUNK * 4] if i not in self._based]
                if chunk and self.closed:
                    raise RuntimeError("the server is shutting down")
                if chunk:
                    with self.store() as store:
                        rows = with_records(store, [self.designations[i] for i in chunk])
                    for i, row in zip(chunk, rows, strict=True):
                        judged = classify(row, self.texts(row))
                        row.update(
                            basis=judged.basis,
                            basis_evidence=judged.evidence,
                            basis_source=judged.source,
                        )
                        self._based[i] = row
        return [self._enriched.get(i) or self._based[i] for i in indices]

    def program_rows(self, program: str) -> list[Row]:
        return self.enriched(self.indices(program))

    def warm(self, which: str) -> None:
        """At start-up, whenever no request has come for :data:`QUIET` seconds: the search
        box's index (from the names ``build`` kept: a second), then the analysis of the
        programs the settings name (``magnitsky``, ``all``), a chunk at a time."""
        if which == "none":
            return
        from magnitsky.web.routes.search import index

        self._quiet()
        try:
            index(self)
        except duckdb.Error:
            if self.closed:  # the server stopping while it is built: no matter
                return
            raise
        chosen = self.magnitsky_programs() if which == "magnitsky" else self.programs()
        for program in chosen:
            every = self.indices(program)
            for start in range(0, len(every), CHUNK):
                if not self._quiet():
                    return
                self.enriched(every[start : start + CHUNK])
        log.info("analysed the designations of %d programs", len(chosen))

    def _quiet(self) -> bool:
        """Wait until no request has come for :data:`QUIET` seconds; False: closed."""
        while not self.closed and (self.active or time.monotonic() - self.touched < QUIET):
            time.sleep(0.1)
        return not self.closed

    def forget(self, kind: str) -> None:
        """Drop the results of one kind (what a write changed)."""
        for key in [k for k in self._memo if k[0] == kind]:
            self._memo.pop(key, None)

    def remembers(self, key: tuple[Any, ...]) -> bool:
        return key in self._memo

    def memo(self, key: tuple[Any, ...], make: Any) -> Any:
        """A result computed once (the store does not change under the server)."""
        if key not in self._memo:
            self._memo[key] = make()
        return self._memo[key]
