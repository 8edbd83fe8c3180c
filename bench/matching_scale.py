"""Benchmark: matching at a multiple of today's listings (bench/synthetic_listings.py),
in a process of its own so that its peak memory is its own. Prints one JSON line.

Run: .venv/bin/python bench/matching_scale.py --db STORE --factor 10
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from collections import Counter
from pathlib import Path

from synthetic_listings import synthetic

from magnitsky.matching.engine import match
from magnitsky.matching.listings import load_entries
from magnitsky.store import open_store


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--factor", type=int, default=1)
    args = parser.parse_args()
    with open_store(args.db, read_only=True) as store:
        entries = synthetic(load_entries(store), args.factor)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    found = match(entries)
    seconds = time.perf_counter() - started
    statuses = Counter(d.status for d in found.decisions)
    print(
        json.dumps(
            {
                "factor": args.factor,
                "listings": len(entries),
                "pairs_scored": found.pairs_scored,
                "pairs_aligned": found.pairs_aligned,
                "automatic": statuses["automatic"],
                "possible": statuses["possible"],
                "seconds": round(seconds, 1),
                "peak_rss_mib_before": round(before),
                "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            }
        )
    )


if __name__ == "__main__":
    main()
