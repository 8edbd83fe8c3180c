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

from collections.abc import Iterable, Sequence
from functools import cache
from itertools import combinations

import numpy as np

from magnitsky.matching.profile import Profile

MAX_POSTINGS = 30
RARE = 8
"""A name token held by at most this many listings is a key on its own."""


def keys(p: Profile) -> set[str]:
    names = p.names
    out = set()
    for positions in names.positions:
        tokens = sorted({names.tokens[k].key for k in positions})
        out.add(f"{p.schema}|={'+'.join(tokens)}")
        for size in (2, 3):
            out |= {f"{p.schema}|{'+'.join(c)}" for c in combinations(tokens, size)}
    out |= {f"{p.schema}|id:{i.number}" for i in p.ids}
    out |= {f"{p.schema}|dob:{d.day}" for d in p.births if d.day}
    return out


def token_keys(p: Profile) -> set[str]:
    return {f"{p.schema}|{t.key}" for t in p.names.tokens}


def candidate_pairs(
    profiles: Sequence[Profile],
    max_postings: int = MAX_POSTINGS,
    rare: int = RARE,
    chosen: Sequence[bool] | None = None,
) -> list[tuple[int, int]]:
    """Index pairs (i < j) of listings of different sources that share a key; with
    ``chosen``, only the pairs with a chosen listing in them (the others' pairs are
    known from an earlier matching)."""
    postings: dict[str, list[int]] = {}
    for i, p in enumerate(profiles):
        for key in keys(p):
            postings.setdefault(key, []).append(i)
    tokens: dict[str, list[int]] = {}
    for i, p in enumerate(profiles):
        for key in token_keys(p):
            tokens.setdefault(key, []).append(i)
    postings.update({f"rare:{k}": v for k, v in tokens.items() if len(v) <= rare})
    n = len(profiles)
    sources = np.array([_source_number(p.entry.source) for p in profiles], dtype=np.int64)
    wanted = None if chosen is None else np.array(chosen, dtype=bool)
    found: list[np.ndarray] = []
    for members in postings.values():
        if len(members) < 2 or len(members) > max_postings:
            continue
        ids = np.array(members, dtype=np.int64)
        first, second = _triangle(len(ids))
        a, b = ids[first], ids[second]
        keep = sources[a] != sources[b]
        if wanted is not None:
            keep &= wanted[a] | wanted[b]
        found.append(np.minimum(a, b)[keep] * n + np.maximum(a, b)[keep])
    if not found:
        return []
    codes = np.unique(np.concatenate(found))
    return [(int(c // n), int(c % n)) for c in codes]


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
