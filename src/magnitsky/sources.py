"""The official sources the store knows, keyed by the ``source`` name readers use.

OFAC's SDN list is declared here (its history engine is special: line-level diffs, dated
documents); every other list is declared as data in ``data/sources/<source>.toml`` beside
its reader, so adding a list is adding a reader and a declaration.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import date
from fnmatch import fnmatch
from functools import cache
from importlib import resources
from pathlib import Path
from zoneinfo import ZoneInfo

_DATE_IN_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})")


@dataclass(frozen=True)
class Source:
    name: str
    jurisdiction: str
    title: str
    timezone: ZoneInfo
    """The publisher's day: a UTC timestamp becomes a date in this zone."""
    action_sources: tuple[str, ...] = ()
    """Sources of dated documents (change archives, …) that speak of this list's entries."""
    reader: str | None = None
    """The reader module of a declared list (``read(path) -> list[Listing]``)."""
    files: tuple[str, ...] = ()
    """Where its files lie in a data folder laid out like shared/data (glob patterns)."""

    def matches(self, path: Path) -> bool:
        """Its folder and name fit a pattern; or, for a file given alone, its name fits a
        pattern specific enough to say so (``ConList_*.xlsx``, not ``*.csv``)."""
        for pattern in self.files:
            if fnmatch(path.as_posix(), f"*/{pattern}") or fnmatch(path.as_posix(), pattern):
                return True
            name = Path(pattern).name
            if not name.startswith("*") and fnmatch(path.name, name):
                return True
        return False


OFAC = Source(
    "us-ofac-sdn",
    "US",
    "OFAC Specially Designated Nationals list",
    ZoneInfo("America/New_York"),
    (
        "us-ofac-changes",
        "us-ofac-recent",
        "us-ofac-advanced",
        "us-treasury-press",
        "us-federal-register",
    ),
)


@cache
def declared() -> dict[str, Source]:
    folder = resources.files("magnitsky").joinpath("data/sources")
    out = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".toml"):
            continue
        data = tomllib.loads(entry.read_text("utf-8"))
        out[data["source"]] = Source(
            data["source"],
            data["jurisdiction"],
            data["title"],
            ZoneInfo(data["timezone"]),
            reader=data["reader"],
            files=tuple(data.get("files", ())),
        )
    return out


def all_sources() -> dict[str, Source]:
    return {OFAC.name: OFAC, **declared()}


def source(name: str) -> Source:
    try:
        return all_sources()[name]
    except KeyError:
        known = ", ".join(all_sources())
        raise KeyError(f"unknown source {name!r}; known: {known}") from None


def detect(path: Path) -> Source | None:
    """The declared list a file belongs to, by its name."""
    return next((s for s in declared().values() if s.matches(path)), None)


def date_in_name(path: Path) -> date | None:
    found = _DATE_IN_NAME.search(path.name)
    return date.fromisoformat(found.group(1)) if found else None


# Kept for the modules that iterate over the known sources.
SOURCES = all_sources()
