"""Blocking: the pairs worth scoring, without scoring every pair.

Each listing gets keys, all within its schema: each pair and each triple of name tokens
that occur in one of its names (by sound, Metaphone: "aleksandr+kalashnikov"; a triple
still tells "Ali Abdullah Ayyub" apart when every pair of his names is common), each
whole name ("rosoboronexport"), each token few listings share (a rare surname), each
identifier number and each birth day. Two listings of different lists sharing a key
become a candidate pair. A key held by more than ``max_postings`` listings pairs too
many listings to decide anything and is not used.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Sequence
from functools import cache
from itertools import combinations

import numpy as np

from magnitsky.matching.profile import Profile

MAX_POSTINGS = 30
PER_LISTING = 40
"""Each listing keeps at most this many candidates, those sharing the most and rarest
keys with it (a pair is kept when either listing keeps it): the pairs grow linearly
with the listings, however many share a common name."""
RARE = 8
"""A name token held by at most this many listings is a key on its own."""
REFERENCE_LISTINGS = 40_000
"""Up to this many listings (the real lists hold some 30,000) the budgets above hold.
Beyond, ``MAX_POSTINGS`` and ``PER_LISTING`` shrink as the square root of the listings'
growth (:func:`budgets`): with ten times the listings each name part is held by about ten
times as many, and a key's pairs grow as the square of its postings; the pairs per
listing then stay about as many as today's (bench/matching_scale.py on the synthetic
listings: 3.14 at 1x; at 10x 2.87 with these budgets, 6.19 with fixed ones)."""


def budgets(listings: int) -> tuple[int, int]:
    """The keys' most postings and the pairs each listing keeps, for this many listings."""
    if listings <= REFERENCE_LISTINGS:
        return MAX_POSTINGS, PER_LISTING
    shrink = math.sqrt(REFERENCE_LISTINGS / listings)
    return max(2, round(MAX_POSTINGS * shrink)), max(1, round(PER_LISTING * shrink))


Key = Hashable
"""A blocking key within a schema: a tuple of name-token keys (a pair, a triple, or
``("=", tokens)`` for a whole name), ``("id", number)``, ``("dob", day)``, or a
name-token key alone (a string: a rare token)."""


def own_keys(p: Profile) -> set[Key]:
    """The keys of a listing within its schema (a rare token's aside): tuples, made
    by itertools without formatting a string per key."""
    names = p.names
    out: set[Key] = set()
    for positions in names.positions:
        tokens = tuple(sorted({names.tokens[k].key for k in positions}))
        out.add(("=", tokens))
        out.update(combinations(tokens, 2))
        out.update(combinations(tokens, 3))
    out.update(("id", i.number) for i in p.ids)
    out.update(("dob", d.day) for d in p.births if d.day)
    return out


def keys(p: Profile) -> set[str]:
    """The listing's keys as text, each with its schema (for a lookup among listings of
    every schema: recommendations/outcomes.py)."""
    return {f"{p.schema}|{key!r}" for key in own_keys(p)}


def token_keys(p: Profile) -> set[str]:
    return {f"{p.schema}|{t.key}" for t in p.names.tokens}


def candidate_pairs(
    profiles: Sequence[Profile],
    max_postings: int | None = None,
    rare: int = RARE,
    chosen: Sequence[bool] | None = None,
    per_listing: int | None = PER_LISTING,
) -> list[tuple[int, int]]:
    """Index pairs (i < j) of listings of different sources that share a key; with
    ``chosen``, only the pairs with a chosen listing in them (the others' pairs are
    known from an earlier matching). A pair's keys weigh by how few listings hold each;
    each listing keeps its ``per_listing`` heaviest pairs (None: all). ``max_postings``
    None: both budgets by the number of listings (:func:`budgets`)."""
    if max_postings is None:
        max_postings, budget = budgets(len(profiles))
        per_listing = None if per_listing is None else min(per_listing, budget)
    by_schema: dict[str, tuple[dict[Key, list[int]], dict[Key, list[int]]]] = {}
    for i, p in enumerate(profiles):
        found = by_schema.get(p.schema)
        if found is None:
            found = by_schema[p.schema] = ({}, {})
        postings, tokens = found
        for key in own_keys(p):
            postings.setdefault(key, []).append(i)
        for key in {t.key for t in p.names.tokens}:
            tokens.setdefault(key, []).append(i)
    by_size: dict[int, list[list[int]]] = {}
    for postings, tokens in by_schema.values():
        # a rare token is a key of its own (a string: no other key is one)
        for members in [*postings.values(), *(v for v in tokens.values() if len(v) <= rare)]:
            if 2 <= len(members) <= max_postings:
                by_size.setdefault(len(members), []).append(members)
    n = len(profiles)
    sources = np.array([_source_number(p.entry.source) for p in profiles], dtype=np.int64)
    found_pairs: list[np.ndarray] = []
    sizes: list[tuple[int, int]] = []
    for size in sorted(by_size):  # every key of one size at once
        ids = np.array(by_size[size], dtype=np.int64)
        first, second = _triangle(size)
        a, b = ids[:, first].ravel(), ids[:, second].ravel()
        keep = sources[a] != sources[b]
        found_pairs.append(np.minimum(a, b)[keep] * n + np.maximum(a, b)[keep])
        sizes.append((size, len(found_pairs[-1])))
    if not found_pairs:
        return []
    codes, inverse = np.unique(np.concatenate(found_pairs), return_inverse=True)
    left, right = codes // n, codes % n
    keep = np.ones(len(codes), dtype=bool)
    if per_listing is not None:
        keep = _kept(left, right, _weights(inverse, sizes, len(codes)), per_listing)
    if chosen is not None:
        wanted = np.array(chosen, dtype=bool)
        keep &= wanted[left] | wanted[right]
    return list(zip(left[keep].tolist(), right[keep].tolist(), strict=True))


def _weights(inverse: np.ndarray, sizes: list[tuple[int, int]], count: int) -> np.ndarray:
    """Each pair's weight, the sum of 1/size over the keys it shares, summed size by
    size in increasing order: the same floats whatever the order the keys were met in."""
    weight = np.zeros(count)
    start = 0
    for size, length in sizes:
        weight += np.bincount(inverse[start : start + length], minlength=count) / size
        start += length
    return weight


def _kept(left: np.ndarray, right: np.ndarray, weight: np.ndarray, k: int) -> np.ndarray:
    kept: np.ndarray = _heaviest(left, weight, k) | _heaviest(right, weight, k)
    return kept


def _heaviest(side: np.ndarray, weight: np.ndarray, k: int) -> np.ndarray:
    """Which pairs are among the ``k`` heaviest of their listing on this side (ties:
    the lower pair first)."""
    order = np.lexsort((-weight, side))
    ordered_side = side[order]
    rank = np.arange(len(side)) - np.searchsorted(ordered_side, ordered_side, side="left")
    out = np.zeros(len(side), dtype=bool)
    out[order[rank < k]] = True
    return out


def all_pairs(profiles: Sequence[Profile]) -> Iterable[tuple[int, int]]:
    """Every pair of listings of different sources and the same schema: what blocking
    saves (for the benchmark)."""
    for i, j in combinations(range(len(profiles)), 2):
        a, b = profiles[i], profiles[j]
        if a.entry.source != b.entry.source and a.schema == b.schema:
            yield i, j


@cache
def _triangle(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Index pairs (i < j) of n items (most postings are small: the same few sizes)."""
    first, second = np.triu_indices(n, 1)
    return first, second


_SOURCES: dict[str, int] = {}


def _source_number(source: str) -> int:
    return _SOURCES.setdefault(source, len(_SOURCES))
