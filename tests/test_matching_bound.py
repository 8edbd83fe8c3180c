"""The cheap upper bound on a pair's score (matching/bound.py) is an upper bound: on
every labelled pair and on a sample of the pairs blocking finds among the real listings,
the bound is at least the score the full comparison gives; and it rules out most pairs
that are not matches, without changing any decision."""

from __future__ import annotations

import random
from pathlib import Path

from magnitsky.matching import blocking
from magnitsky.matching.engine import score_pairs
from magnitsky.matching.evaluate import load_labels
from magnitsky.matching.listings import load_entries
from magnitsky.matching.matcher import MATCHERS, NO_MATCH, Comparison
from magnitsky.matching.profile import prepare
from magnitsky.store import open_store
from tests.test_matching import decide, entry

LABELS = Path(__file__).parent / "labels" / "match_pairs.toml"
SAMPLE = 6000


def _bound_and_score(a, b, counted):  # type: ignore[no-untyped-def]
    matcher = MATCHERS[a.schema]
    comparison = Comparison(a, b, counted)
    return matcher.upper_bound(comparison), matcher.compare(comparison).score


def test_the_bound_is_at_least_the_score_on_every_labelled_and_sampled_real_pair(
    built_store: Path,
) -> None:
    with open_store(built_store, read_only=True) as store:
        entries = load_entries(store)
    profiles, counted = prepare(entries)
    index = {p.key: i for i, p in enumerate(profiles)}
    labelled = [
        (index[label.a], index[label.b])
        for label in load_labels(LABELS)
        if label.a in index and label.b in index
    ]
    assert len(labelled) >= 60
    blocked = blocking.candidate_pairs(profiles)
    sample = random.Random(14).sample(blocked, SAMPLE)
    checked = below = 0
    for i, j in labelled + sample:
        a, b = profiles[i], profiles[j]
        if a.schema != b.schema:
            continue
        upper, score = _bound_and_score(a, b, counted)
        assert upper >= score, (a.key, b.key, upper, score)
        checked += 1
        below += upper < MATCHERS[a.schema].possible
    assert checked >= SAMPLE * 0.9
    # The bound is worth having: it rules out more than half of the sampled pairs.
    assert below > checked / 2


def test_the_bound_changes_no_decision_on_the_real_blocked_pairs(built_store: Path) -> None:
    with open_store(built_store, read_only=True) as store:
        entries = load_entries(store)
    profiles, counted = prepare(entries)
    pairs = random.Random(3).sample(blocking.candidate_pairs(profiles), SAMPLE)
    bounded, aligned = score_pairs(profiles, pairs, counted)
    full, every = score_pairs(profiles, pairs, counted, use_bound=False)
    assert every == len(pairs) and aligned < every / 2
    assert [(d.left, d.right, d.score, d.status) for d in bounded] == [
        (d.left, d.right, d.score, d.status) for d in full
    ]


def test_a_pair_the_bound_rules_out_is_a_non_match_and_a_match_is_never_ruled_out() -> None:
    same = (
        entry("us", "1", "KALASHNIKOV, Aleksandr Petrovich", birth=("1964-02-12",)),
        entry("gb", "9", "Aleksandr Petrovich KALASHNIKOV", birth=("12/02/1964",)),
    )
    relatives = (
        entry("us", "2", "ROTENBERG, Arkady", birth=("1951-12-15",)),
        entry("gb", "8", "Pavel ROTENBERG", birth=("1971-01-20",)),
    )
    from tests.test_matching import frequencies

    for pair, matched in ((same, True), (relatives, False)):
        profiles, counted = prepare(list(pair), frequencies(list(pair)))
        upper, score = _bound_and_score(profiles[0], profiles[1], counted)
        assert upper >= score
        assert (decide(*pair).status != NO_MATCH) is matched
        assert (upper >= MATCHERS["Person"].possible) is matched
