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
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from history_bench import _write_section, load_average

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
CHANGED = 300
"""Listings marked changed for the incremental figure (as a new daily list would)."""
FACTORS = (1, 10)


def _scale(db: Path, factor: int) -> dict[str, float]:
    """Matching at ``factor`` times today's listings, in a process of its own."""
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "matching_scale.py"),
            "--db",
            str(db),
            "--factor",
            str(factor),
        ],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT / "bench",
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _incremental(store, changed: int) -> tuple[float, object, float, object]:  # type: ignore[no-untyped-def]
    """derive_persons with nothing changed, then with ``changed`` listings marked changed."""
    started = time.perf_counter()
    with store.transaction():
        unchanged = derive_persons(store)
    unchanged_seconds = time.perf_counter() - started
    store.con.execute(
        "DELETE FROM match_listings WHERE (source, source_id) IN (SELECT (source, source_id)"
        f" FROM match_listings ORDER BY hash(source_id) LIMIT {changed})"
    )
    started = time.perf_counter()
    with store.transaction():
        some = derive_persons(store)
    return unchanged_seconds, unchanged, time.perf_counter() - started, some


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


def _estimate(at: dict[str, float]) -> str:
    """OpenSanctions' ~1 M entities, on paper, from the largest run: pairs, time and
    memory per listing taken as constant (blocking's budgets shrink with the listings, so
    that pairs per listing do not grow)."""
    million = 1_000_000
    per = million / at["listings"]
    return (
        f"On paper, for OpenSanctions' ~1 M entities: from the {at['listings']:,}-listing"
        f" run, linearly ({per:.1f}x): about {at['pairs_scored'] * per / 1e6:.1f} M"
        f" candidate pairs, {at['seconds'] * per / 60:.0f} min of matching on one core of"
        f" this machine and {at['peak_rss_mib'] * per / 1024:.1f} GiB of memory (the"
        " profiles of every listing are held at once; the match_pairs rows grow with the"
        " matches). A first matching only: after it, a daily update matches the new and"
        " changed listings alone."
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, help="A built store (copied, not changed).")
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "RESULTS.md")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = _store(args, Path(tmp))
        load_start = load_average()
        with open_store(db) as store:
            started = time.perf_counter()
            with store.transaction():
                summary = derive_persons(store, full=True)
            derive_seconds = time.perf_counter() - started
            result = evaluate(store, load_labels(LABELS))
            found = multilateral.persons(store)
            entries = load_entries(store)
            kept_seconds, kept, some_seconds, some = _incremental(store, CHANGED)
            after = evaluate(store, load_labels(LABELS))
        scales = [_scale(db, f) for f in FACTORS]
    load_end = load_average()
    everything = match(entries)
    unbounded = match(entries, use_bound=False)
    assert [(d.left, d.right, d.score) for d in unbounded.decisions] == [
        (d.left, d.right, d.score) for d in everything.decisions
    ], "the bound changed a decision"
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
        f" (load average {load_start} at the start, {load_end} at the end: other work"
        " shares the cores),"
        f" Python {platform.python_version()}, {platform.system()}; the store built from"
        " the official files (building it is not timed).",
        "",
        f"**Labelled pairs** (`tests/labels/match_pairs.toml`): {result.describe()}."
        " A pair is matched when both listings end up in one person (automatic or"
        " confirmed). The labels were written while the matcher was tuned on the same"
        " files, so this is an optimistic figure."
        + ("" if not result.errors else " Errors: " + "; ".join(result.errors) + "."),
        "",
        f"**All listings of all lists** ({summary.listings} listings), matched whole"
        f" (`derive_persons(full=True)`): {derive_seconds:.1f} s (matching alone"
        f" {summary.seconds:.1f} s: {summary.pairs_scored} candidate pairs after blocking,"
        f" {summary.pairs_aligned} of them aligned, the others ruled out by the score's"
        f" upper bound; {summary.automatic} automatic and {summary.possible} possible"
        f" matches); {summary.persons} persons.",
        "",
        "**The upper bound** (matching/bound.py) on the same listings, in this process:"
        f" every candidate pair aligned {unbounded.seconds:.1f} s, with the bound"
        f" {everything.seconds:.1f} s ({everything.pairs_aligned} of"
        f" {everything.pairs_scored} pairs aligned,"
        f" {1 - everything.pairs_aligned / everything.pairs_scored:.0%} ruled out);"
        " the same decisions on every pair (checked by this bench).",
        "",
        "**Incremental** (a build or ingest after the first): nothing changed"
        f" {kept_seconds:.1f} s ({kept.pairs_scored} pairs scored);"  # type: ignore[attr-defined]
        f" {CHANGED} listings marked changed {some_seconds:.1f} s"
        f" ({some.pairs_scored} pairs scored, {some.pairs_aligned} aligned);"  # type: ignore[attr-defined]
        f" labelled pairs after it: {after.describe()}. Most of what is left is reading"
        " the listings and preparing every listing's names for blocking.",
        "",
        "**Scale** (bench/synthetic_listings.py: the real listings and, for each further"
        " copy, a new person made from each real person (its lists, its numbers of names,"
        " dates and identifiers; its name words drawn from the real name words of its"
        " schema, script, position and country, one in five respelled): duplicates across"
        " lists at the real rate; bench/matching_scale.py, one process each, `match()`"
        " alone: name analysis, blocking, bound, alignment). Blocking's budgets (a key's"
        " most postings / pairs each listing keeps) are today's up to 40,000 listings and"
        " shrink as the square root of the listings' growth beyond. Copied recall: of the"
        " real listings' automatic pairs, the share whose copies are automatic too;"
        " automatic across persons: automatic pairs between two synthetic persons made"
        " independently (false matches by construction, unless two drawn from one culture"
        " got the same name and dates).",
        "",
        "| listings | budgets | candidate pairs | pairs per listing | aligned | automatic"
        " | possible | copied recall | automatic across persons | seconds"
        " | peak memory (MiB) |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
        *(
            f"| {r['listings']:,} ({r['factor']}x)"
            f" | {r['budgets']['max_postings']}/{r['budgets']['per_listing']}"  # type: ignore[index]
            f" | {r['pairs_scored']:,}"
            f" | {r['pairs_scored'] / r['listings']:.2f} | {r['pairs_aligned']:,}"
            f" | {r['automatic']:,} | {r['possible']:,} | {r['copied_recall']:.4f}"
            f" | {r['automatic_across_synthetic_persons']:,} | {r['seconds']:.1f}"
            f" | {r['peak_rss_mib']:,} |"
            for r in scales
        ),
        "",
        _estimate(scales[-1]),
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
