"""The archive `magnitsky fetch` fills: files laid out like ``../shared/data``, written
atomically, and a small state file (``.fetch-state.json``) remembering for each URL the
ETag, Last-Modified and content hash of the copy last archived, for conditional requests
and to skip a copy that has not changed.

A half-written file never carries its final name (``build`` would read it): a file is
written under a dot name in its folder and renamed, so an interrupted run leaves at most
a ``.…part`` file, which the next run ignores and replaces.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

STATE_FILE = ".fetch-state.json"


@dataclass(frozen=True)
class Remembered:
    path: str
    """The archived copy, relative to the archive."""
    sha256: str
    etag: str | None = None
    last_modified: str | None = None
    fetched: str | None = None
    """The day (ISO, the publisher's) of the download this copy was last seen in: a past
    year's change archive is complete only if fetched after the year ended."""


class State:
    """What the archive remembers of each URL (read once, saved after each change)."""

    def __init__(self, root: Path, today: str | None = None) -> None:
        self.root = root
        self.today = today
        self.file = root / STATE_FILE
        self.urls: dict[str, Remembered] = {}
        if self.file.is_file():
            try:
                data = json.loads(self.file.read_text("utf-8"))
                self.urls = {url: Remembered(**entry) for url, entry in data["urls"].items()}
            except (ValueError, KeyError, TypeError):
                self.urls = {}  # a damaged state only costs full downloads

    def known(self, url: str) -> Remembered | None:
        """The remembered copy of `url`, if it is still in the archive."""
        entry = self.urls.get(url)
        if entry is None or not (self.root / entry.path).is_file():
            return None
        return entry

    def remember(
        self, url: str, path: Path, body: bytes, etag: str | None, modified: str | None
    ) -> None:
        self.urls[url] = Remembered(
            str(path.relative_to(self.root)), digest(body), etag, modified, self.today
        )
        data = {"urls": {u: asdict(e) for u, e in sorted(self.urls.items())}}
        write_atomically(self.file, json.dumps(data, indent=1).encode())


def digest(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def write_atomically(target: Path, body: bytes) -> None:
    """A half-written file must never carry the final name, which `build` would read."""
    target.parent.mkdir(parents=True, exist_ok=True)
    # A dot name in the same folder: invisible to the build's globs, and the rename stays
    # on one file system, so it is atomic.
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(body)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, 0o644)  # mkstemp makes 0600; the archive is public data
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


@dataclass(frozen=True)
class DatedName:
    """Copies named ``{stem}_YYYY-MM-DD{suffix}`` (a second, different copy of one day:
    ``{stem}_YYYY-MM-DDTHHMMSS{suffix}``) in one folder of the archive."""

    folder: Path
    stem: str
    suffix: str

    @classmethod
    def from_pattern(cls, root: Path, pattern: str) -> DatedName:
        """From an archive pattern such as ``us/ofac/snapshots/sdn_{date}.csv``."""
        folder, _, name = pattern.rpartition("/")
        stem, _, suffix = name.partition("_{date}")
        return cls(root / folder, stem, suffix)

    def copies(self) -> list[Path]:
        """The archived copies, oldest first (the names sort by date and time)."""
        pattern = re.compile(
            rf"{re.escape(self.stem)}_\d{{4}}-\d{{2}}-\d{{2}}(T\d{{6}})?{re.escape(self.suffix)}"
        )
        if not self.folder.is_dir():
            return []
        return sorted(p for p in self.folder.iterdir() if pattern.fullmatch(p.name))

    def place(self, body: bytes, moment: datetime) -> tuple[Path | None, Path | None, str]:
        """Where `body` goes: (new path or None, identical copy of the day or None, why)."""
        day = f"{moment:%Y-%m-%d}"
        copies = self.copies()
        # Compare with the newest copy only: A, B, then A again is a change back that the
        # archive must show; the same content on a later day is no new copy.
        if copies and _same_content(copies[-1], body):
            return None, copies[-1], f"same content as {copies[-1].name}"
        same_day = [p for p in copies if p.name[len(self.stem) + 1 :].startswith(day)]
        if not same_day:
            return self.folder / f"{self.stem}_{day}{self.suffix}", None, f"first copy of {day}"
        stamp = f"{moment:%Y-%m-%dT%H%M%S}"
        target = self.folder / f"{self.stem}_{stamp}{self.suffix}"
        return target, None, f"changed since {same_day[-1].name}"


def _same_content(path: Path, body: bytes) -> bool:
    return path.stat().st_size == len(body) and path.read_bytes() == body
