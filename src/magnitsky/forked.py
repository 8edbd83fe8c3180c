"""Work done in a forked process while this one goes on: the second core of a build.

The child is a copy of this process at the fork (it reads what the parent prepared, no
pickling of inputs) and sends back one picklable result. It never touches the store:
the parent's DuckDB connection is not the child's to use, and every object alive at the
fork is frozen out of the child's garbage collection (``gc.freeze``), so the child frees
none of the parent's (no DuckDB object is released there); it ends with ``os._exit``
(``multiprocessing``'s fork), running no clean-up of the parent's. A child that fails, or a
machine without ``fork`` or a second core, leaves the work to :meth:`Forked.result`,
which then does it in this process: the answer is the same either way.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import multiprocessing
import os
import queue
import signal
import threading
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection
from typing import Any, Generic, TypeVar

T = TypeVar("T")
PR_SET_PDEATHSIG = 1
"""prctl(2): the signal this process gets when its parent ends."""


def cores() -> int:
    """The cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


class Forked(Generic[T]):
    """``work()`` running in a forked child (where there is a second core)."""

    def __init__(self, work: Callable[[], T]) -> None:
        self._work = work
        self._done = False
        self._value: T | None = None
        self._process, self._conn = _start(_child, work)

    def ready(self) -> bool:
        """Whether the result is there to take without waiting."""
        return self._done or self._conn is None or self._conn.poll()

    def result(self) -> T:
        """The work's result: the child's, else (no child, or it failed) done here."""
        if not self._done:
            found: tuple[bool, Any] = (False, None)
            if self._conn is not None:
                try:
                    found = self._conn.recv()
                except (EOFError, OSError):
                    found = (False, None)
                self._conn.close()
                self._process.join()
            self._value = found[1] if found[0] else self._work()
            self._done = True
        return self._value  # type: ignore[return-value]


class Steps(Generic[T]):
    """``steps()``, a generator, running in a forked child (where there is a second core):
    :meth:`next` takes the values it yields in turn, each as soon as the child has it (a
    first answer needed early, the rest of the work after it; the child goes on while its
    values wait for this process to take them). A child that fails leaves
    the steps to this process, which runs them again from the first and skips those it
    took already: the values are the same either way."""

    def __init__(self, steps: Callable[[], Iterator[T]]) -> None:
        self._steps = steps
        self._taken = 0
        self._here: Iterator[T] | None = None
        self._process, self._conn = _start(_stepping, steps)
        self.forked = self._conn is not None
        """Whether the steps run in a child (else here, as :meth:`next` asks)."""
        if self._conn is None:
            self._here = steps()

    def ready(self) -> bool:
        """Whether :meth:`next` answers without waiting for the child (here, it works)."""
        return self._conn is None or self._conn.poll()

    def next(self) -> T:
        """The next value the steps yield (StopIteration after the last)."""
        if self._conn is not None:
            try:
                kind, value = self._conn.recv()
            except (EOFError, OSError):
                kind, value = _FAILED, None
            if kind == _VALUE:
                self._taken += 1
                return value  # type: ignore[no-any-return]
            self.close()
            if kind == _END:
                raise StopIteration
            self._here = self._steps()  # the child failed: from the first step, here
            for _ in range(self._taken):
                next(self._here)
        assert self._here is not None
        return next(self._here)

    def close(self) -> None:
        """Let the child go (ended, if it is still at work: its values are not wanted)."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None
            if self._process.is_alive():
                self._process.terminate()
            self._process.join()


def _start(target: Callable[..., None], work: Callable[[], Any]) -> tuple[Any, Connection | None]:
    """A forked child running ``target(work, send, parent)``, and the end of its pipe this
    process reads (none where there is no second core or no fork)."""
    if cores() < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return None, None
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=target, args=(work, send, os.getpid()), daemon=True)
    gc.freeze()
    try:
        process.start()
    finally:
        gc.unfreeze()
    send.close()
    return process, receive


def _die_with(parent: int) -> None:
    """End this child when its parent ends, however it ends: a build killed (SIGKILL,
    the machine's OOM killer) must not leave a child blocked on its pipe for ever, holding
    the store's file and the output the build's caller waits on (Linux's
    ``PR_SET_PDEATHSIG``; elsewhere the child ends when it finds itself orphaned)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the signal was asked for
        os._exit(1)


def _child(work: Callable[[], Any], send: Connection, parent: int) -> None:
    _die_with(parent)
    try:
        value = work()
    except BaseException:  # the parent does the work itself
        send.send((False, None))
    else:
        send.send((True, value))
    send.close()


_VALUE, _END, _FAILED = "value", "end", "failed"


def _stepping(steps: Callable[[], Iterator[Any]], send: Connection, parent: int) -> None:
    """Run the steps, their values sent by a thread of their own: a pipe holds a few
    kilobytes, and a step's value waiting there for a parent still matching must not
    stop the next step."""
    _die_with(parent)
    out: queue.SimpleQueue[tuple[str, Any] | None] = queue.SimpleQueue()
    sender = threading.Thread(target=_send_each, args=(out, send), daemon=True)
    sender.start()
    try:
        for value in steps():
            out.put((_VALUE, value))
    except BaseException:  # the parent does the rest itself
        out.put((_FAILED, None))
    else:
        out.put((_END, None))
    out.put(None)
    sender.join()
    send.close()


def _send_each(out: queue.SimpleQueue[tuple[str, Any] | None], send: Connection) -> None:
    while (item := out.get()) is not None:
        send.send(item)
