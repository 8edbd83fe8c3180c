"""Benchmark: matching at a multiple of today's listings (bench/synthetic_listings.py),
in a process of its own so that its peak memory is its own. Prints one JSON line.

Run: .venv/bin/python bench/matching_scale.py --db STORE --factor 10
(``--max-postings``, ``--per-listing``: blocking's budgets, for the trade-off at scale)
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from collections import Counter
from collections.abc import Sequence
from functools import partial
from pathlib import Path

from synthetic_listings import stored_persons, synthetic

from magnitsky.matching import blocking
from magnitsky.matching.engine import match
from magnitsky.matching.listings import Key, load_entries
from magnitsky.matching.matcher import AUTOMATIC, Decision
from magnitsky.store import open_store


def _origin(key: Key, persons: dict[Key, str]) -> tuple[Key, int]:
    """The real listing a synthetic one was made from, and its copy (0: real)."""
    source, source_id = key
    real_id, _, copy = source_id.rpartition("~")
    if real_id and copy.isdigit() and (source, real_id) in persons:
        return (source, real_id), int(copy)
    return key, 0


def copied_matches(decisions: Sequence[Decision], persons: dict[Key, str]) -> dict[str, float]:
    """How the synthetic persons fare against the real ones: of the real listings' automatic
    pairs, the share whose copies in the other copies are automatic too (recall of the
    duplicates the generator made, against what the real lists give); and the automatic
    pairs between listings of two different synthetic persons (made independently: a
    false match, unless two people drawn from one culture got the same name and dates)."""
    automatic = [d for d in decisions if d.status == AUTOMATIC]
    real: set[tuple[Key, Key]] = set()
    copied: Counter[tuple[Key, Key]] = Counter()
    across = 0
    for d in automatic:
        (left, k), (right, m) = _origin(d.left, persons), _origin(d.right, persons)
        if k != m or persons.get(left) != persons.get(right):
            across += k > 0 or m > 0
        elif k == 0:
            real.add((left, right))
        else:
            copied[(left, right)] += 1
    copies = max(max((_origin(d.left, persons)[1] for d in decisions), default=0), 1)
    found = sum(min(copied[pair], copies) for pair in real)
    return {
        "copied_recall": round(found / max(len(real) * copies, 1), 4) if copied else 1.0,
        "automatic_across_synthetic_persons": across,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--factor", type=int, default=1)
    parser.add_argument("--max-postings", type=int, help="default: blocking.budgets")
    parser.add_argument("--per-listing", type=int, help="default: blocking.budgets")
    args = parser.parse_args()
    chosen = {"max_postings": args.max_postings, "per_listing": args.per_listing}
    if args.max_postings is not None:  # other budgets than the listings' number gives
        blocking.candidate_pairs = partial(blocking.candidate_pairs, **chosen)
    with open_store(args.db, read_only=True) as store:
        real = load_entries(store)
    persons = stored_persons(args.db)
    entries = synthetic(real, args.factor, persons)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    found = match(entries)
    seconds = time.perf_counter() - started
    statuses = Counter(d.status for d in found.decisions)
    copies = copied_matches(found.decisions, persons)
    print(
        json.dumps(
            {
                "factor": args.factor,
                "budgets": chosen
                if args.max_postings is not None
                else dict(zip(chosen, blocking.budgets(len(entries)), strict=True)),
                "listings": len(entries),
                "pairs_scored": found.pairs_scored,
                "pairs_per_listing": round(found.pairs_scored / len(entries), 2),
                "pairs_aligned": found.pairs_aligned,
                "automatic": statuses["automatic"],
                "possible": statuses["possible"],
                **copies,
                "seconds": round(seconds, 1),
                "peak_rss_mib_before": round(before),
                "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            }
        )
    )


if __name__ == "__main__":
    main()
