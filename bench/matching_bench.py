"""Benchmark: matching the same person across lists.

On a store built from the official files: the precision and recall of the persons
against the hand-labelled pairs (tests/labels/match_pairs.toml); the time to derive the
persons of every listing of every list; and, for the Magnitsky-style listings of all
jurisdictions, matching with blocking against scoring every pair (pairs scored, seconds,
and the matches blocking loses). Writes the "## Matching" section of bench/RESULTS.md.

Run: .venv/bin/python bench/matching_bench.py [--db STORE | --data ../shared/data]
     [--out bench/RESULTS.md]
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from history_bench import _write_section

from magnitsky import build
from magnitsky import settings as settings_module
from magnitsky.analysis import multilateral
from magnitsky.matching.clustering import ordered
from magnitsky.matching.engine import Matching, match
from magnitsky.matching.evaluate import evaluate, load_labels
from magnitsky.matching.listings import load_entries
from magnitsky.matching.matcher import AUTOMATIC
from magnitsky.matching.persons import derive_persons
from magnitsky.programs import is_magnitsky
from magnitsky.store import open_store

ROOT = Path(__file__).resolve().parent.parent
LABELS = ROOT / "tests" / "labels" / "match_pairs.toml"


def _store(args: argparse.Namespace, tmp: Path) -> Path:
    path = tmp / "magnitsky.duckdb"
    if args.db:
        shutil.copy(args.db, path)
        return path
    print(f"building a store from {args.data} …")
    with open_store(path) as store:
        build.build(store, settings_module.load(), args.data)
    return path


def _found(matching: Matching) -> set[tuple[tuple[str, str], tuple[str, str]]]:
    return {ordered(d.left, d.right) for d in matching.decisions if d.status == AUTOMATIC}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, help="A built store (copied, not changed).")
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "RESULTS.md")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = _store(args, Path(tmp))
        with open_store(db) as store:
            started = time.perf_counter()
            with store.transaction():
                summary = derive_persons(store)
            derive_seconds = time.perf_counter() - started
            result = evaluate(store, load_labels(LABELS))
            found = multilateral.persons(store)
            entries = load_entries(store)
    everything = match(entries)
    chosen = [e for e in entries if any(is_magnitsky(p) for p in e.programs)]
    blocked = match(chosen, frequencies=everything.frequencies)
    unblocked = match(chosen, use_blocking=False, frequencies=everything.frequencies)
    lost = _found(unblocked) - _found(blocked)
    by_jurisdiction = Counter(e.jurisdiction for e in chosen)
    multi = multilateral.multilateral(found)
    overlaps = multilateral.overlaps(found)[:5]
    lines = [
        "## Matching",
        "",
        f"Run on {datetime.now(UTC):%Y-%m-%d}: {platform.machine()}, {os.cpu_count()} cores"
        f" (load average {os.getloadavg()[0]:.1f} at the start: other work shares them),"
        f" Python {platform.python_version()}, {platform.system()}; the store built from"
        " the official files (building it is not timed).",
        "",
        f"**Labelled pairs** (`tests/labels/match_pairs.toml`): {result.describe()}."
        " A pair is matched when both listings end up in one person (automatic or"
        " confirmed). The labels were written while the matcher was tuned on the same"
        " files, so this is an optimistic figure."
        + ("" if not result.errors else " Errors: " + "; ".join(result.errors) + "."),
        "",
        f"**All listings of all lists** ({summary.listings} listings):"
        f" `derive_persons` takes {derive_seconds:.1f} s (matching alone"
        f" {summary.seconds:.1f} s: {summary.pairs_scored} pairs scored after blocking,"
        f" {summary.automatic} automatic and {summary.possible} possible matches);"
        f" {summary.persons} persons.",
        "",
        "**Magnitsky-style listings of all jurisdictions** ("
        + ", ".join(f"{j} {n}" for j, n in sorted(by_jurisdiction.items()))
        + f", {len(chosen)} in all), names weighed by their frequency among all listings:",
        "",
        "| | pairs scored | seconds | automatic | possible |",
        "|---|---|---|---|---|",
    ]
    for label, run in (("with blocking", blocked), ("every pair (no blocking)", unblocked)):
        statuses = Counter(d.status for d in run.decisions)
        lines.append(
            f"| {label} | {run.pairs_scored} | {run.seconds:.1f} | {statuses['automatic']}"
            f" | {statuses['possible']} |"
        )
    lines += [
        "",
        f"Blocking scores {blocked.pairs_scored / unblocked.pairs_scored:.1%} of the pairs,"
        f" {unblocked.seconds / blocked.seconds:.0f}x faster, and loses {len(lost)} of the"
        f" {len(_found(unblocked))} automatic matches scoring every pair finds.",
        "",
        f"**Persons sanctioned by two or more jurisdictions under Magnitsky-style programs:**"
        f" {len(multi)} (of {len(found)} persons; "
        + ", ".join(
            f"{n} by {k}" for k, n in sorted(Counter(len(p.listings) for p in multi).items())
        )
        + "). Largest overlaps: "
        + "; ".join(f"{o['a']}–{o['b']} {o['both']}" for o in overlaps)
        + ".",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    _write_section(args.out, "## Matching", text)


if __name__ == "__main__":
    main()
