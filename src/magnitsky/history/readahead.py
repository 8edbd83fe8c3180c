"""Reading ahead: the files of a build that do not depend on the store (the declared
lists' files, the dated documents) parsed in a second process while this one walks the
US history and stores.

Only the parsing moves: what is read is handed back in the order a sequential build
reads it, and this process stores it then, so snapshot ids, records and actions come out
exactly as they would without it. A file the worker cannot read gives back its
:class:`ReaderError` (file and problem), raised here at the moment the sequential build
would have raised it: a bad declared file is kept as a rejected snapshot with the same
reason, a bad document aborts the build and leaves the store as it was. Anything else
going wrong over there (the process killed, an unexpected exception) reads the file here
instead, as if nothing had been read ahead.

The worker is a plain ``python -m magnitsky.history.readahead`` fed pickles through a
pipe, not a ``multiprocessing`` pool: a spawned pool runs the caller's main script again
in the child, which breaks any script that builds without a ``__main__`` guard, and a
forked one would copy the store's connection and its threads.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import subprocess
import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import replace
from datetime import UTC
from pathlib import Path
from types import TracebackType
from typing import Any

from magnitsky.actions import DatedAction
from magnitsky.history import snapshots as snaps
from magnitsky.history.lineparse import serve, start
from magnitsky.listing import Listing, ReaderError
from magnitsky.store import Store

Problem = tuple[str, str]
"""A :class:`ReaderError`'s file and problem, as the worker found it."""
Hashed = list[tuple[int, Listing]]
"""A file's listings, each with its record hash."""
Job = tuple[str, Any]
"""``("document", path)`` or ``("declared", snapshot)``."""

MIN_BYTES = 4 << 20
"""Below this many bytes to read ahead, a second process costs more than it saves (its
start-up imports the readers: about half a second of the other core)."""


NICE = 10
"""How much lower the worker's priority is than the building process's."""


class _Failed:
    """The worker could not read a file for a reason other than a :class:`ReaderError`:
    it is read here instead."""


@snaps.without_gc_pauses
def _run(job: Job) -> tuple[Any, Problem | None] | _Failed:
    kind, arg = job
    try:
        if kind == "declared":
            listings = snaps.declared_listings(arg)
            return [(snaps.listing_hash(x), x) for x in listings], None
        from magnitsky.build import document_actions
        from magnitsky.readers.expectations import check_actions

        found, actions = document_actions(arg)
        check_actions(actions, arg)
        return (found, actions), None
    except ReaderError as error:
        return None, (str(error.path), error.problem)
    except Exception:  # read again in the caller, which raises it there
        return _Failed()


def _worker() -> None:
    """The second process (:func:`lineparse.serve`), below the building process: on a busy
    machine that one gets the cores first, and takes the files this one has not begun."""
    with contextlib.suppress(OSError):
        os.nice(NICE)
    serve(_run)


def unread(
    store: Store, documents: list[Path], declared: list[snaps.SnapshotInput]
) -> tuple[list[Path], list[snaps.SnapshotInput]]:
    """The documents and declared snapshots the store does not hold yet: the only ones
    worth reading ahead (a build skips the others without parsing them)."""
    from magnitsky.history.documents import is_stored

    stored = set(store.rows("SELECT source, as_of, content_hash FROM snapshots"))
    new = [
        s
        for s in declared
        if (s.source, s.as_of.astimezone(UTC).replace(tzinfo=None), snaps.content_hash(s.data))
        not in stored
    ]
    return [p for p in documents if not is_stored(store, _bytes(p))], new


def _bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b""


class ReadAhead:
    """Parses the ``documents`` (read by their names) and the ``declared`` snapshots in
    a second process, in that order (the order a build stores them); a context manager
    that stops it. With one core, or too little to read, nothing is read ahead and every
    file is read here as before.

    The US snapshots' entry lines stay here: which of them are new only the store knows
    (most are in the history read before them), and sending every line's parse back
    cost more than parsing the new ones here."""

    def __init__(self, documents: list[Path], declared: list[snaps.SnapshotInput]) -> None:
        self.process: subprocess.Popen[bytes] | None = None
        self.futures: dict[tuple[str, str], Future[Any]] = {}
        self.pending: OrderedDict[tuple[str, str], Job] = OrderedDict()
        """The jobs not yet handed to the worker: the building process takes one itself
        when it needs it first (so a busy machine is no slower than without a worker)."""
        self.lock = threading.Lock()
        size = sum(len(s.data) for s in declared) + sum(_size(p) for p in documents)
        if (os.cpu_count() or 1) < 2 or size < MIN_BYTES:
            return
        for path in documents:
            self.pending[("document", str(path))] = ("document", path)
        for snap in declared:
            self.pending[("declared", snap.origin)] = ("declared", snap)
        self.process = start("magnitsky.history.readahead")
        if self.process is None:
            self.pending.clear()
            return
        self.futures = {key: Future() for key in self.pending}
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        """Hand the worker the next job not taken, one at a time, and note its answer."""
        assert self.process and self.process.stdin and self.process.stdout
        try:
            while True:
                with self.lock:
                    if not self.pending:
                        return
                    key, job = self.pending.popitem(last=False)
                try:
                    pickle.dump(job, self.process.stdin, protocol=pickle.HIGHEST_PROTOCOL)
                    self.process.stdin.flush()
                    answer = pickle.load(self.process.stdout)
                except Exception:  # stopped or killed: what is left is read here
                    self.futures[key].set_result(_Failed())
                    return
                self.futures[key].set_result(answer)
        finally:
            with contextlib.suppress(OSError):
                self.process.stdin.close()

    def __enter__(self) -> ReadAhead:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self.process is None:
            return
        with self.lock:
            self.pending.clear()
        self.process.kill()
        self.process.wait()
        self.thread.join()
        assert self.process.stdout
        self.process.stdout.close()
        self.process = None

    def _value(self, key: tuple[str, str]) -> Any:
        with self.lock:
            if self.pending.pop(key, None) is not None:
                return None  # not handed over yet: read here
        future = self.futures.get(key)
        if future is None:
            return None
        found = future.result()
        if isinstance(found, _Failed):
            return None
        value, problem = found
        if problem is not None:
            raise ReaderError(*problem)
        return value

    def document(self, path: Path) -> tuple[str, list[DatedAction]] | None:
        """What reading ``path`` by its name gives, its actions checked (raises as
        reading it would), if it was read ahead; else None."""
        found: tuple[str, list[DatedAction]] | None = self._value(("document", str(path)))
        return found

    def snapshots(self, declared: list[snaps.SnapshotInput]) -> list[snaps.SnapshotInput]:
        """The declared snapshots, each carrying what was read ahead of it."""
        out = []
        for snap in declared:
            key = ("declared", snap.origin)
            if key in self.futures:
                snap = replace(snap, read_ahead=self._reader(key))
            out.append(snap)
        return out

    def _reader(self, key: tuple[str, str]) -> Callable[[], Hashed | None]:
        return lambda: self._value(key)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


if __name__ == "__main__":
    _worker()
