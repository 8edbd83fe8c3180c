"""Parsing a history's new sdn.csv lines in a second process.

Walking a history, the importer needs of each new line only its hash and whether it is
a sound entry line (:func:`ofac_csv.checked_row`: a bad line rejects its version there
and then); the listing itself is needed only when the new records are written, a few
thousand at a time. So the importer checks each line, hands it to :class:`LineParser`,
and walks on while a worker process parses the remarks, names and programs (four fifths
of a line's cost) and makes the record's JSON; at each write it takes them back, in the
order the lines were handed over, so the records are written exactly as a sequential
walk writes them.

The worker is a plain ``python -m magnitsky.history.lineparse`` fed pickled batches of
lines through a pipe (as :mod:`magnitsky.history.readahead`); if it cannot start, dies,
or cannot parse a line, the line is parsed here instead: the result is the same.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import queue
import signal
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any

from magnitsky.history.record_rows import Prepared, prepared
from magnitsky.readers import ofac_csv

BATCH = 512
"""Lines handed to the worker at once."""
Batch = tuple[str, list[bytes]]
"""A delimiter and lines."""


def _parse(batch: Batch) -> list[Prepared | None]:
    delimiter, lines = batch
    out: list[Prepared | None] = []
    for line in lines:
        try:
            out.append(prepared(ofac_csv.parse_line(line, delimiter)))
        except Exception:  # parsed again in the importer, which raises it there
            out.append(None)
    return out


def serve(answer: Callable[[Any], Any]) -> None:
    """A worker process's loop: pickled requests from stdin, one pickled answer each on
    stdout (anything else the code prints goes to stderr). It ends when its parent does,
    however that ends (killed, it cannot ask the worker to stop)."""
    threading.Thread(target=_end_with, args=(os.getppid(),), daemon=True).start()
    # A Ctrl-C reaches the whole process group: the parent stops this one itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    while True:
        try:
            request = pickle.load(sys.stdin.buffer)
            pickle.dump(answer(request), out, protocol=pickle.HIGHEST_PROTOCOL)
            out.flush()
        except Exception:  # the parent ended, or is ending (a pipe closed, a pickle cut)
            os._exit(0)


def start(module: str) -> subprocess.Popen[bytes] | None:
    """A worker process running :func:`serve` (``python -m module``); None if it cannot
    start."""
    try:
        return subprocess.Popen(
            [sys.executable, "-m", module], stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )
    except OSError:
        return None


def _end_with(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.2)
    os._exit(0)


class LineParser:
    """Lines handed over (:meth:`add`), listings taken back in the same order
    (:meth:`take`)."""

    def __init__(self) -> None:
        self.process: subprocess.Popen[bytes] | None = None
        self.filling: list[bytes] = []
        self.delimiter = ","
        self.sent: deque[Batch] = deque()
        """Batches handed to the worker, not yet taken back."""
        self.outbox: queue.Queue[Batch | None] = queue.Queue()
        self.answers: queue.Queue[list[Prepared | None] | None] = queue.Queue()
        self.broken = False
        """The worker stopped answering: every line left is parsed here."""
        self.process = start("magnitsky.history.lineparse")
        if self.process is None:
            return
        self.threads = [
            threading.Thread(target=self._write, daemon=True),
            threading.Thread(target=self._read, daemon=True),
        ]
        for thread in self.threads:
            thread.start()

    def _write(self) -> None:
        assert self.process and self.process.stdin
        try:
            while (batch := self.outbox.get()) is not None:
                pickle.dump(batch, self.process.stdin, protocol=pickle.HIGHEST_PROTOCOL)
                self.process.stdin.flush()
        except (OSError, ValueError):
            pass  # stopped: what was not answered is parsed here
        with contextlib.suppress(OSError, ValueError):
            self.process.stdin.close()

    def _read(self) -> None:
        assert self.process and self.process.stdout
        while True:
            try:
                answer: Any = pickle.load(self.process.stdout)
            except Exception:
                self.answers.put(None)
                return
            self.answers.put(answer)

    def add(self, line: bytes, delimiter: str) -> None:
        """A line checked by :func:`ofac_csv.checked_row`, to be parsed."""
        if delimiter != self.delimiter and self.filling:
            self._send()
        self.delimiter = delimiter
        self.filling.append(line)
        if len(self.filling) >= BATCH:
            self._send()

    def _send(self) -> None:
        batch = (self.delimiter, self.filling)
        self.filling = []
        self.sent.append(batch)
        if self.process is not None:
            self.outbox.put(batch)

    def take(self, wait: bool = True) -> list[Prepared]:
        """The listings (:func:`prepared` to be stored) of the lines handed over so far,
        in that order: all of them, or (``wait`` False) those of the batches the worker
        has answered already."""
        if self.filling and wait:
            self._send()
        out: list[Prepared] = []
        while self.sent:
            answer = None
            if not (self.broken or self.process is None):
                try:
                    answer = self.answers.get(block=wait)
                except queue.Empty:
                    break
            delimiter, lines = self.sent.popleft()
            if answer is None or len(answer) != len(lines):
                self.broken = True
                answer = [None] * len(lines)
            pairs = zip(answer, lines, strict=True)
            out += (
                found or prepared(ofac_csv.parse_line(line, delimiter)) for found, line in pairs
            )
        return out

    def close(self) -> None:
        if self.process is None:
            return
        self.outbox.put(None)
        self.process.kill()
        self.process.wait()
        for thread in self.threads:
            thread.join()
        assert self.process.stdout
        self.process.stdout.close()
        self.process = None


if __name__ == "__main__":
    serve(_parse)
