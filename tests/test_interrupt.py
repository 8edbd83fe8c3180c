"""Interrupted work holds: ``history import-dir``, ``ingest`` and ``build`` killed (SIGKILL)
or stopped with Ctrl-C (SIGINT) at several moments of their work, as real processes. The
store is never half-written (it equals the store before or the finished one), a Ctrl-C
says which of the two is true, and a re-run equals an uninterrupted run."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.campaign import fingerprint

MAGNITSKY = str(Path(sys.executable).parent / "magnitsky")
MOMENTS = (0.0, 1.5, 4.0)
"""Seconds after the command's first progress line (its work has begun)."""


def _run(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([MAGNITSKY, "--db", str(db), *args], capture_output=True, text=True)


def _interrupted(db: Path, args: list[str], sig: int, after: float) -> tuple[int, str]:
    """Start the command, wait for its first progress line and ``after`` seconds, send
    ``sig``; its exit code and what it wrote to stderr."""
    proc = subprocess.Popen(
        [MAGNITSKY, "--db", str(db), *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stderr is not None
    first = proc.stderr.readline()
    time.sleep(after)
    if proc.poll() is None:
        os.kill(proc.pid, sig)
    rest = proc.stderr.read()
    return proc.wait(), first + rest


@pytest.fixture(scope="module")
def data(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small data folder laid out like shared/data: three OFAC snapshots and Canada."""
    root = tmp_path_factory.mktemp("kill-data")
    snaps = root / "us" / "ofac" / "snapshots"
    snaps.mkdir(parents=True)
    for name in ("sdn_2018-01-26.csv", "sdn_2019-01-04.csv", "sdn_2020-03-07.pip"):
        shutil.copyfile(shared_data / "us/ofac/snapshots" / name, snaps / name)
    (root / "ca" / "sema").mkdir(parents=True)
    for name in ("sema-lmes_2022-05-11.xml", "sema-lmes_2025-09-22.xml"):
        shutil.copyfile(shared_data / "ca/sema" / name, root / "ca/sema" / name)
    return root


def _trials(
    tmp: Path,
    start: Callable[[Path], None],
    args: list[str],
    moments: tuple[float, ...] = MOMENTS,
) -> None:
    """Each signal at each moment: the store is the one before or the finished one, and
    a re-run gives the finished one."""
    base = tmp / "base.duckdb"
    start(base)
    before = fingerprint(str(base), stable=True)
    reference = tmp / "reference.duckdb"
    shutil.copyfile(base, reference)
    done = _run(reference, *args)
    assert done.returncode == 0, done.stderr
    finished = fingerprint(str(reference), stable=True)
    assert finished != before
    for sig in (signal.SIGINT, signal.SIGKILL):
        for after in moments:
            db = tmp / f"trial-{sig.name}-{after}.duckdb"
            shutil.copyfile(base, db)
            code, err = _interrupted(db, args, sig, after)
            assert "Traceback" not in err, err[-2000:]
            state = fingerprint(str(db), stable=True)
            assert state in (before, finished), (sig.name, after, "half-written")
            if sig == signal.SIGINT and code == 130:
                saved = "changes to the store were saved" in err
                assert saved == (state == finished), err[-500:]
                assert saved or "the store is as it was before" in err
            rerun = _run(db, *args)
            assert rerun.returncode == 0, rerun.stderr[-2000:]
            assert fingerprint(str(db), stable=True) == finished, (sig.name, after)
            db.unlink()


def _empty(db: Path) -> None:
    from magnitsky.store import open_store

    with open_store(db):
        pass


def test_import_dir_killed_at_any_moment(data: Path, tmp_path: Path) -> None:
    _trials(tmp_path, _empty, ["history", "import-dir", str(data / "us/ofac/snapshots")])


def test_ingest_killed_at_any_moment(data: Path, tmp_path: Path) -> None:
    def start(db: Path) -> None:
        _empty(db)
        done = _run(db, "history", "import-dir", "-q", str(data / "us/ofac/snapshots"))
        assert done.returncode == 0, done.stderr

    _trials(tmp_path, start, ["ingest", str(data / "ca/sema/sema-lmes_2025-09-22.xml")])


def test_build_killed_at_any_moment(data: Path, tmp_path: Path) -> None:
    _trials(tmp_path, _empty, ["build", str(data)], (0.0, 3.0))
