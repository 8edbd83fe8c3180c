"""A recommendation: the person or entity recommended, the conduct, who recommended it,
the governments it went to (each with the date submitted) and how confidential it is."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cache

GOVERNMENTS: dict[str, str] = {
    "US": "United States",
    "GB": "United Kingdom",
    "CA": "Canada",
    "EU": "European Union",
    "AU": "Australia",
}
"""The governments a recommendation can go to, by the jurisdiction code of their lists."""
GOVERNMENT_ALIASES = {"UK": "GB"}

LEVELS = ("public", "coalition", "private")
"""Confidentiality, least to most: ``public`` (may be published), ``coalition`` (shared
among the organisations that submitted it), ``private`` (the submitting organisation
alone)."""
CONDUCT = ("human_rights", "corruption")
SCHEMAS = ("Person", "Organization")


@dataclass(frozen=True)
class Submission:
    government: str
    submitted: date


@dataclass(frozen=True)
class Recommendation:
    ref: str
    """The organisation's own reference: unique in the tracker."""
    name: str
    schema: str
    country: str
    """Where the conduct took place (ISO 3166-1 alpha-2)."""
    conduct: tuple[str, ...]
    organisations: tuple[str, ...]
    submissions: tuple[Submission, ...]
    confidentiality: str
    aliases: tuple[str, ...] = ()
    birth_dates: tuple[str, ...] = ()
    nationalities: tuple[str, ...] = ()
    identifiers: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    victim_groups: tuple[str, ...] = ()
    notes: str = ""
    withdrawn_on: date | None = None
    withdrawn_reason: str = ""
    origin: str = field(default="", compare=False)
    """Where it came from: FILE row N, or ``add``."""

    @property
    def governments(self) -> tuple[str, ...]:
        return tuple(s.government for s in self.submissions)

    def submitted(self, government: str) -> date | None:
        return next((s.submitted for s in self.submissions if s.government == government), None)


def at_most(level: str) -> tuple[str, ...]:
    """The levels a report or page for ``level`` may show: that one and the less
    confidential ones."""
    return LEVELS[: LEVELS.index(level) + 1]


@cache
def themes() -> tuple[str, ...]:
    """Abuses and corruption types, as ``data/evidence/themes.toml`` names them."""
    from magnitsky.analysis.texts import THEMES, vocabulary

    found = vocabulary()
    return tuple(label for kind in THEMES for label in found.get(kind, ()))


@cache
def victim_groups() -> tuple[str, ...]:
    """Victim groups, as ``data/evidence/victims.toml`` names them."""
    from magnitsky.analysis.texts import VICTIM, vocabulary

    return tuple(vocabulary().get(VICTIM, ()))
