"""A cheap upper bound on a pair's score, computed before the full name alignment.

Most pairs blocking finds are not matches: they share a common surname pair, a birth
day or a rare token. The full comparison aligns every name form of the one listing with
every form of the other, token by token; the bound needs only which tokens of each
side are like *any* token of the other, and the features that need no alignment (birth
dates, identifier numbers, countries), computed exactly:

- a token is counted as like another when their edit similarity reaches the lowest one
  :meth:`names.NameSet.similarities` keeps (``SOUND_SPELLING_FLOOR``, whatever their
  sound), or by the rule of initials: a superset of the token pairs the alignment may
  pair;
- a name form can be covered at most by its tokens that are like something on the other
  side, each at its full weight; the name score of a pair of forms (:func:`names.score`)
  grows with each of its two covers, so it is at most the score of the best-covered
  form of each side; a pair of forms with fewer than two such tokens on either side is
  capped at ``SINGLE_TOKEN_CAP`` (unless both are one-word names where those count);
- a feature that needs the alignment and weighs positively (``name_contained``) counts
  fully, one that weighs negatively (``common_name``, ``name_extra_words``,
  ``legal_form_conflict``) counts nothing.

A pair whose bound is below the matcher's ``possible`` threshold cannot be a match or a
possible match and is not aligned at all. tests/test_matching_bound.py checks bound >=
score on every labelled pair and on a sample of the real blocked pairs.
"""

from __future__ import annotations

from rapidfuzz.distance import Levenshtein
from rapidfuzz.process import cdist

from magnitsky.matching.names import SINGLE_TOKEN_CAP, SOUND_SPELLING_FLOOR, NameSet

MARGIN = 1e-6
"""Added to the bound, before and after rounding as the score is rounded: float sums in
another order must not make it fall below."""
NAME_MOST = 1.0 + 2 * MARGIN
"""The most :func:`name_bound` can be."""


def hit_tokens(left: NameSet, right: NameSet) -> tuple[set[int], set[int]]:
    """The tokens of each side (indexes) that may be paired with a token of the other."""
    edits = cdist(
        left.texts,
        right.texts,
        scorer=Levenshtein.normalized_similarity,
        score_cutoff=SOUND_SPELLING_FLOOR,
    )
    rows, cols = edits.nonzero()
    left_hit, right_hit = set(rows.tolist()), set(cols.tolist())
    for k in left.initials:
        _initial(left.texts[k], k, right, left_hit, right_hit)
    for k in right.initials:
        _initial(right.texts[k], k, left, right_hit, left_hit)
    return left_hit, right_hit


def _initial(letter: str, k: int, other: NameSet, hit: set[int], other_hit: set[int]) -> None:
    """An initial is like every token of the other side that starts with its letter."""
    found = [c for c, text in enumerate(other.texts) if text[0] == letter]
    if found:
        hit.add(k)
        other_hit.update(found)


def _covers(names: NameSet, hit: set[int]) -> tuple[float, float, float]:
    """The best share of a form covered by hit tokens among forms with two hit tokens
    or more, among forms with one, and among one-word forms with their word hit."""
    several = one = single = -1.0
    for positions, total in zip(names.positions, names.totals, strict=True):
        reached = [k for k in positions if k in hit]
        if not reached:
            continue
        share = sum(names.weights[k] for k in reached) / total
        if len(reached) >= 2:
            several = max(several, share)
        else:
            one = max(one, share)
            if len(positions) == 1:
                single = max(single, share)
    return several, one, single


def _value(a: float, b: float) -> float:
    return 0.7 * max(a, b) + 0.3 * min(a, b)


def name_bound(left: NameSet, right: NameSet, single_names: bool = True) -> float:
    """At least the score of :func:`names.best_alignment` of the two name sets."""
    if not left.forms or not right.forms:
        return 0.0
    left_hit, right_hit = hit_tokens(left, right)
    if not left_hit or not right_hit:
        return 0.0
    several_a, one_a, single_a = _covers(left, left_hit)
    several_b, one_b, single_b = _covers(right, right_hit)
    best = 0.0
    if several_a >= 0 and several_b >= 0:
        best = _value(several_a, several_b)
    if max(several_a, one_a) >= 0 and max(several_b, one_b) >= 0 and (one_a >= 0 or one_b >= 0):
        best = max(best, SINGLE_TOKEN_CAP)
    if single_names and single_a >= 0 and single_b >= 0:
        best = max(best, _value(single_a, single_b))
    return round(best + MARGIN, 4) + MARGIN
