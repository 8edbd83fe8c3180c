"""The official sources the store knows, keyed by the ``source`` name readers use."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Source:
    name: str
    jurisdiction: str
    title: str
    timezone: ZoneInfo
    """The publisher's day: a UTC timestamp becomes a date in this zone."""
    action_sources: tuple[str, ...] = ()
    """Sources of dated documents (change archives, …) that speak of this list's entries."""


SOURCES: dict[str, Source] = {
    "us-ofac-sdn": Source(
        "us-ofac-sdn",
        "US",
        "OFAC Specially Designated Nationals list",
        ZoneInfo("America/New_York"),
        ("us-ofac-changes", "us-ofac-recent", "us-ofac-advanced"),
    ),
}


def source(name: str) -> Source:
    try:
        return SOURCES[name]
    except KeyError:
        raise KeyError(f"unknown source {name!r}; known: {', '.join(SOURCES)}") from None
