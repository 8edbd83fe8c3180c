"""Scoring the pairs of a set of listings: prepare, block, compare."""

from __future__ import annotations

import time
from collections.abc import Sequence

from magnitsky.forked import Forked
from magnitsky.history.snapshots import without_gc_pauses
from magnitsky.matching import blocking
from magnitsky.matching.listings import Entry, Key
from magnitsky.matching.matcher import NO_MATCH, Decision, compare, compare_bounded
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
        pairs_aligned: int | None = None,
    ) -> None:
        self.entries = entries
        self._given = given
        self.decisions = decisions
        """Every pair decided automatic or possible (no_match pairs are not kept)."""
        self.pairs_scored = pairs_scored
        """Candidate pairs (blocking's) whose score was bounded or computed."""
        self.pairs_aligned = pairs_scored if pairs_aligned is None else pairs_aligned
        """Of these, the pairs whose names were aligned: the others' upper bound
        (matching/bound.py) was below the possible threshold."""
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


@without_gc_pauses
def match(
    entries: Sequence[Entry],
    use_blocking: bool = True,
    frequencies: TokenFrequencies | None = None,
    use_bound: bool = True,
    only: set[Key] | None = None,
) -> Matching:
    """Score the pairs of listings of different lists: the candidate pairs blocking
    finds, or (``use_blocking`` False) every pair of the same schema. ``frequencies``:
    the name-token frequencies to weigh names by (default: of these listings). A pair
    whose score's upper bound is below the possible threshold is not aligned
    (``use_bound`` False: every pair is, for the benchmark). ``only``: score only the
    pairs with at least one of these listings (the new or changed ones) in them.
    Python's cyclic garbage collector is paused meanwhile: the profiles, keys and
    postings are many long-lived objects without cycles, and its full passes walked
    them again and again (about a third of preparing and blocking)."""
    started = time.perf_counter()
    if len({e.source for e in entries}) < 2 or (only is not None and not only):
        return Matching(entries, frequencies, [], 0, time.perf_counter() - started)
    profiles, counted = prepare(entries, frequencies)
    chosen = None if only is None else [e.key in only for e in entries]
    pairs = (
        blocking.candidate_pairs(profiles, chosen=chosen)
        if use_blocking
        else list(blocking.all_pairs(profiles))
    )
    decisions, aligned = score_pairs(profiles, pairs, counted, use_bound)
    return Matching(
        entries,
        frequencies,
        decisions,
        len(pairs),
        time.perf_counter() - started,
        (profiles, counted),
        aligned,
    )


PARALLEL_PAIRS = 20_000
"""From this many candidate pairs on, a forked process (sharing the prepared profiles)
scores the first half while this one scores the second; fewer cost less alone."""


def score_pairs(
    profiles: Sequence[Profile],
    pairs: Sequence[tuple[int, int]],
    frequencies: TokenFrequencies,
    use_bound: bool = True,
    parallel: bool | None = None,
) -> tuple[list[Decision], int]:
    """The decisions (automatic or possible) on these index pairs, in their order, and
    how many pairs were aligned (not ruled out by the bound). ``parallel``: score half
    the pairs in a forked process (default: from :data:`PARALLEL_PAIRS` pairs on); the
    decisions are the same either way."""
    if parallel is None:
        parallel = len(pairs) >= PARALLEL_PAIRS
    if not parallel:
        return _score(profiles, pairs, frequencies, use_bound)
    half = len(pairs) // 2
    first = Forked(lambda: _score(profiles, pairs[:half], frequencies, use_bound))
    second = _score(profiles, pairs[half:], frequencies, use_bound)
    decisions, aligned = first.result()
    return decisions + second[0], aligned + second[1]


def _score(
    profiles: Sequence[Profile],
    pairs: Sequence[tuple[int, int]],
    frequencies: TokenFrequencies,
    use_bound: bool,
) -> tuple[list[Decision], int]:
    decide = compare_bounded if use_bound else compare
    decisions = []
    aligned = 0
    for i, j in pairs:
        decision = decide(profiles[i], profiles[j], frequencies)
        if decision is None:
            continue
        aligned += 1
        if decision.status != NO_MATCH:
            decisions.append(decision)
    return decisions, aligned
