"""Blocking and the bound as the scale bench runs them: blocking's pairs do not depend on
the order its keys are met in, the bound reads the same feature values as the matcher,
and the synthetic listings of bench/synthetic_listings.py are new persons on the real
lists' structure."""

from __future__ import annotations

import random
import sys
from collections import Counter
from pathlib import Path

from magnitsky.matching import blocking
from magnitsky.matching.listings import load_entries
from magnitsky.matching.matcher import VALUES, Comparison
from magnitsky.matching.profile import prepare
from magnitsky.store import open_store

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from synthetic_listings import synthetic


def _real(built_store: Path):  # type: ignore[no-untyped-def]
    with open_store(built_store, read_only=True) as store:
        entries = load_entries(store)
        persons = {
            (s, i): p for p, s, i in store.rows("SELECT person_id, source, source_id FROM persons")
        }
    return entries, persons


def test_blocking_gives_the_same_pairs_whatever_order_its_keys_are_met_in(
    built_store: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    entries, _ = _real(built_store)
    profiles, _ = prepare(entries)
    pairs = blocking.candidate_pairs(profiles)
    own_keys = blocking.own_keys

    def reversed_keys(p):  # type: ignore[no-untyped-def]
        return sorted(own_keys(p), key=repr, reverse=True)

    monkeypatch.setattr(blocking, "own_keys", reversed_keys)
    again = blocking.candidate_pairs(profiles)
    assert len(pairs) > 50_000
    assert again == pairs


def test_the_bound_reads_each_exact_feature_as_the_matcher_measures_it(built_store: Path) -> None:
    entries, _ = _real(built_store)
    profiles, counted = prepare(entries)
    pairs = random.Random(11).sample(blocking.candidate_pairs(profiles), 20_000)
    seen: Counter[str] = Counter()
    for i, j in pairs:
        c = Comparison(profiles[i], profiles[j], counted)
        for measure, value in VALUES.items():
            assert value(c) == measure(c)[0], (measure.__name__, profiles[i].key, profiles[j].key)
            seen[measure.__name__] += value(c) > 0
    # every feature is met on the real pairs, so the comparison above is not vacuous
    assert {k for k, n in seen.items() if n} >= {
        "birth_date_same",
        "birth_year_same",
        "birth_date_conflict",
        "identifier_shared",
        "country_shared",
        "country_conflict",
    }


def test_synthetic_persons_keep_the_real_lists_structure_under_new_names(
    built_store: Path,
) -> None:
    entries, persons = _real(built_store)
    made = synthetic(entries, 2, persons)
    copies = made[len(entries) :]
    assert len(copies) == len(entries)
    # the same lists, each as long again: duplicates across lists at the real rate
    assert Counter(e.source for e in copies) == Counter(e.source for e in entries)
    by_real = {e.key: e for e in entries}
    for e in copies[:2000]:
        real = by_real[(e.source, e.source_id.removesuffix("~1"))]
        assert (len(e.aliases), len(e.birth_dates), e.schema) == (
            len(real.aliases),
            len(real.birth_dates),
            real.schema,
        )
    # new identities: few names of the copy are a real listing's name
    real_names = {e.name.lower() for e in entries}
    same = sum(e.name.lower() in real_names for e in copies)
    assert same < 0.05 * len(copies)
    # a person's listings on several lists keep a name in common in the copy
    members: dict[str, list[str]] = {}
    for e in copies:
        person = persons[(e.source, e.source_id.removesuffix("~1"))]
        members.setdefault(person, []).append(e.name.lower())
    several = [names for names in members.values() if len(names) >= 3]
    assert len(several) > 1000
    sharing = sum(
        bool(set(names[0].split()) & set(w for n in names[1:] for w in n.split()))
        for names in several
    )
    assert sharing > 0.8 * len(several)


def test_the_budgets_keep_pairs_per_listing_near_todays_with_twice_the_listings(
    built_store: Path,
) -> None:
    entries, persons = _real(built_store)
    real, _ = prepare(entries)
    doubled, _ = prepare(synthetic(entries, 2, persons))
    assert blocking.budgets(len(real)) == (blocking.MAX_POSTINGS, blocking.PER_LISTING)
    assert blocking.budgets(len(doubled)) < blocking.budgets(len(real))
    per_real = len(blocking.candidate_pairs(real)) / len(real)
    per_doubled = len(blocking.candidate_pairs(doubled)) / len(doubled)
    fixed = blocking.candidate_pairs(
        doubled, max_postings=blocking.MAX_POSTINGS, per_listing=blocking.PER_LISTING
    )
    assert per_real > 2
    # today's budgets would let them grow by more than a tenth; the shrinking ones do not
    assert len(fixed) / len(doubled) > 1.1 * per_real
    assert per_doubled <= 1.1 * per_real
