"""Scoring the pairs of a set of listings: prepare, block, compare."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

from magnitsky.matching import blocking
from magnitsky.matching.listings import Entry, Key
from magnitsky.matching.matcher import NO_MATCH, Decision, compare
from magnitsky.matching.profile import Profile, TokenFrequencies, prepare


@dataclass
class Matching:
    """The profiles of a set of listings and the decisions on their pairs."""

    profiles: list[Profile]
    frequencies: TokenFrequencies
    decisions: list[Decision]
    """Every pair decided automatic or possible (no_match pairs are not kept)."""
    pairs_scored: int
    seconds: float

    def profile(self, key: Key) -> Profile:
        return self._by_key[key]

    def __post_init__(self) -> None:
        self._by_key = {p.key: p for p in self.profiles}

    def decide(self, a: Key, b: Key) -> Decision | None:
        """The decision on any pair of these listings (scored now if blocking left it
        out); None when their schemas differ."""
        return compare(self._by_key[a], self._by_key[b], self.frequencies)


def match(
    entries: Sequence[Entry],
    use_blocking: bool = True,
    frequencies: TokenFrequencies | None = None,
) -> Matching:
    """Score the pairs of listings of different lists: the candidate pairs blocking
    finds, or (``use_blocking`` False) every pair of the same schema. ``frequencies``:
    the name-token frequencies to weigh names by (default: of these listings)."""
    started = time.perf_counter()
    profiles, counted = prepare(entries, frequencies)
    pairs = (
        blocking.candidate_pairs(profiles) if use_blocking else list(blocking.all_pairs(profiles))
    )
    decisions = []
    for i, j in pairs:
        decision = compare(profiles[i], profiles[j], counted)
        if decision is not None and decision.status != NO_MATCH:
            decisions.append(decision)
    return Matching(profiles, counted, decisions, len(pairs), time.perf_counter() - started)
