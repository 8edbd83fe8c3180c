"""The plain script a competent analyst would write for the sdn.csv history, and the
floor under any importer: the baselines of ``history_bench.py``.

- :func:`plain_events`: every version of ``sdn.csv`` read through one
  ``git cat-file --batch`` (the requests written at once, as the importer does), each
  parsed with Python's ``csv`` module into a set of ``(ent_num, program)`` pairs, one
  set difference per consecutive pair of versions. It counts listed/delisted pairs and
  stores nothing.
- :func:`floor_read`: reading every blob out of git and nothing else.
- :func:`floor_hash`: reading every blob and hashing it in Python (what telling an
  unchanged file from a changed one costs at least).

Run alone: .venv/bin/python bench/plain_history.py REPO_OR_BUNDLE_CLONE [sdn.csv]
"""

from __future__ import annotations

import csv
import hashlib
import io
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import IO


def blobs(repo: Path, file_path: str = "sdn.csv") -> Iterator[bytes]:
    """Every version of ``file_path``, oldest first, through one ``git cat-file --batch``."""
    log = subprocess.run(
        ["git", "-C", str(repo), "log", "--all", "--format=%H", "--", file_path],
        capture_output=True,
        text=True,
        check=True,
    )
    commits = log.stdout.split()[::-1]
    batch = subprocess.Popen(
        ["git", "-C", str(repo), "cat-file", "--batch"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    assert batch.stdin and batch.stdout
    requests = b"".join(f"{sha}:{file_path}\n".encode() for sha in commits)
    writer = threading.Thread(target=_feed, args=(batch.stdin, requests), daemon=True)
    writer.start()
    try:
        for _ in commits:
            header = batch.stdout.readline().split()
            if len(header) < 3 or header[1] != b"blob":
                continue  # deleted in this commit
            data = batch.stdout.read(int(header[2]))
            batch.stdout.read(1)
            yield data
    finally:
        batch.stdout.close()
        batch.kill()
        batch.wait()
        writer.join()


def _feed(pipe: IO[bytes], data: bytes) -> None:
    try:
        pipe.write(data)
        pipe.close()
    except (BrokenPipeError, ValueError):
        pass


def rows(data: bytes) -> set[tuple[str, str]]:
    """``(ent_num, program)`` for every entry line of one sdn.csv."""
    text = data.decode("utf-8", errors="replace")
    out: set[tuple[str, str]] = set()
    for row in csv.reader(io.StringIO(text)):
        if len(row) < 4 or not row[0].strip().isdigit():
            continue  # blank line, DOS EOF byte, a header row
        for program in row[3].split("] ["):
            out.add((row[0].strip(), program.strip(" []")))
    return out


def plain_events(repo: Path, file_path: str = "sdn.csv") -> int:
    """Listed and delisted ``(ent_num, program)`` pairs between consecutive versions."""
    previous: set[tuple[str, str]] | None = None
    events = 0
    for data in blobs(repo, file_path):
        current = rows(data)
        if not current:
            continue  # an empty or broken download: skip it, as an analyst would
        if previous is not None:
            events += len(current - previous) + len(previous - current)
        previous = current
    return events


def floor_read(repo: Path, file_path: str = "sdn.csv") -> int:
    """Bytes read out of git: nothing done with them."""
    return sum(len(data) for data in blobs(repo, file_path))


def floor_hash(repo: Path, file_path: str = "sdn.csv") -> int:
    """Bytes read out of git and hashed in Python."""
    total = 0
    for data in blobs(repo, file_path):
        hashlib.blake2b(data, digest_size=8).digest()
        total += len(data)
    return total


if __name__ == "__main__":
    repo = Path(sys.argv[1])
    path = sys.argv[2] if len(sys.argv) > 2 else "sdn.csv"
    print(plain_events(repo, path), "listed/delisted (ent_num, program) pairs")
