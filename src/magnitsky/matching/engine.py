"""Scoring the pairs of a set of listings: prepare, block, compare."""

from __future__ import annotations

import time
from collections.abc import Sequence

from magnitsky.matching import blocking
from magnitsky.matching.listings import Entry, Key
from magnitsky.matching.matcher import NO_MATCH, Decision, compare
from magnitsky.matching.profile import Profile, TokenFrequencies, prepare


class Matching:
    """The profiles of a set of listings and the decisions on their pairs. The profiles
    are prepared when first needed: listings of a single list have no pair to score, and
    a history import of one list then costs no name analysis."""

    def __init__(
        self,
        entries: Sequence[Entry],
        given: TokenFrequencies | None,
        decisions: list[Decision],
        pairs_scored: int,
        seconds: float,
        prepared: tuple[list[Profile], TokenFrequencies] | None = None,
    ) -> None:
        self.entries = entries
        self._given = given
        self.decisions = decisions
        """Every pair decided automatic or possible (no_match pairs are not kept)."""
        self.pairs_scored = pairs_scored
        self.seconds = seconds
        self._prepared = prepared
        self._by_key: dict[Key, Profile] | None = None

    def _prepare(self) -> tuple[list[Profile], TokenFrequencies]:
        if self._prepared is None:
            self._prepared = prepare(self.entries, self._given)
        return self._prepared

    @property
    def profiles(self) -> list[Profile]:
        return self._prepare()[0]

    @property
    def frequencies(self) -> TokenFrequencies:
        return self._prepare()[1]

    def profile(self, key: Key) -> Profile:
        if self._by_key is None:
            self._by_key = {p.key: p for p in self.profiles}
        return self._by_key[key]

    def decide(self, a: Key, b: Key) -> Decision | None:
        """The decision on any pair of these listings (scored now if blocking left it
        out); None when their schemas differ."""
        return compare(self.profile(a), self.profile(b), self.frequencies)


def match(
    entries: Sequence[Entry],
    use_blocking: bool = True,
    frequencies: TokenFrequencies | None = None,
) -> Matching:
    """Score the pairs of listings of different lists: the candidate pairs blocking
    finds, or (``use_blocking`` False) every pair of the same schema. ``frequencies``:
    the name-token frequencies to weigh names by (default: of these listings)."""
    started = time.perf_counter()
    if len({e.source for e in entries}) < 2:
        return Matching(entries, frequencies, [], 0, time.perf_counter() - started)
    profiles, counted = prepare(entries, frequencies)
    pairs = (
        blocking.candidate_pairs(profiles) if use_blocking else list(blocking.all_pairs(profiles))
    )
    decisions = []
    for i, j in pairs:
        decision = compare(profiles[i], profiles[j], counted)
        if decision is not None and decision.status != NO_MATCH:
            decisions.append(decision)
    return Matching(
        entries,
        frequencies,
        decisions,
        len(pairs),
        time.perf_counter() - started,
        (profiles, counted),
    )
