"""Benchmark: rebuilding the US history from the git bundle of sdn.csv.

Compares, in one process, magnitsky's history import (hash-diff of entry lines, parsing
only new lines, writing the store) against a plain baseline that parses every snapshot
in full and diffs sets of rows. Also times adding one new snapshot to an existing store.

Run: .venv/bin/python bench/history_bench.py [--data ../shared/data] [--out bench/RESULTS.md]
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from magnitsky import settings as settings_module
from magnitsky.build import SOURCE, refresh
from magnitsky.history import snapshots as snaps
from magnitsky.history.dating import derive_designations
from magnitsky.history.events import derive_events
from magnitsky.listing import ReaderError
from magnitsky.readers import ofac_csv
from magnitsky.store import open_store

ROOT = Path(__file__).resolve().parent.parent


def baseline(inputs: Iterable[snaps.SnapshotInput]) -> int:
    """Parse every snapshot in full; diff the sets of (entry, program) rows."""
    previous: set[tuple[str, str]] | None = None
    events = 0
    for snap in inputs:
        try:
            lines, delimiter = ofac_csv.record_lines(snap.data, snap.origin)
            entries = [ofac_csv.parse_line(line, delimiter) for line in lines]
        except ReaderError:
            continue
        rows = {(e.source_id, tag) for e in entries for tag in e.programs}
        if previous is not None:
            events += len(rows - previous) + len(previous - rows)
        previous = rows
    return events


def ours(inputs: Iterable[snaps.SnapshotInput], db: Path) -> int:
    settings = settings_module.load()
    with open_store(db) as store, store.transaction():
        snaps.store_snapshots(store, inputs)
        n = derive_events(store, SOURCE, settings.max_loss)
        derive_designations(store, SOURCE)
    return n


def add_one(inputs: list[snaps.SnapshotInput], db: Path) -> float:
    """Build a store from all but the last accepted snapshot, then time adding it."""
    settings = settings_module.load()
    with open_store(db) as store, store.transaction():
        snaps.store_snapshots(store, inputs[:-2])
        derive_events(store, SOURCE, settings.max_loss)
        derive_designations(store, SOURCE)
    start = time.perf_counter()
    with open_store(db) as store, store.transaction():
        result = snaps.store_snapshots(store, [inputs[-2]])
        refresh(store, settings, result.added, lambda _: None)
    return time.perf_counter() - start


def run_variant(variant: str, repo: Path, tmp: Path) -> dict[str, float]:
    """One variant in this process: its time, and its peak resident memory."""
    inputs = snaps.git_snapshots(repo, "sdn.csv")  # streamed, as both variants read
    start = time.perf_counter()
    if variant == "baseline":
        result = float(baseline(inputs))
    elif variant == "ours":
        result = float(ours(inputs, tmp / "ours.duckdb"))
    else:
        all_inputs = list(inputs)
        start = time.perf_counter()
        result = add_one(all_inputs, tmp / "one.duckdb")
    seconds = time.perf_counter() - start
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "result": result, "peak_mib": rss}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "RESULTS.md")
    parser.add_argument("--variant", choices=["baseline", "ours", "add-one"])
    parser.add_argument("--repo", type=Path)
    parser.add_argument("--tmp", type=Path)
    args = parser.parse_args()
    if args.variant:
        print(json.dumps(run_variant(args.variant, args.repo, args.tmp)))
        return
    bundle = args.data / "us" / "ofac" / "sdn-csv-history.bundle"
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp) / "repo"
        subprocess.run(["git", "clone", "-q", "--bare", str(bundle), str(repo)], check=True)
        size_mb = sum(len(s.data) for s in snaps.git_snapshots(repo, "sdn.csv")) / 2**20
        count = sum(1 for _ in snaps.git_snapshots(repo, "sdn.csv"))
        results = {}
        for variant in ("baseline", "ours", "add-one"):
            done = subprocess.run(
                [sys.executable, __file__, "--variant", variant, "--repo", str(repo), "--tmp", tmp],
                capture_output=True,
                text=True,
                check=True,
            )
            results[variant] = json.loads(done.stdout)
    base, mine, one = results["baseline"], results["ours"], results["add-one"]
    lines = [
        "## History rebuild from the sdn.csv git bundle",
        "",
        f"Run on {datetime.now(UTC):%Y-%m-%d}: {platform.machine()}, {_cores()} cores, Python"
        f" {platform.python_version()}, {platform.system()}. Each variant runs in its own"
        " process, streaming the snapshots from the same bare clone of the bundle (reading"
        " them is counted in both).",
        f"Input: {count} snapshots, {size_mb:.0f} MB of sdn.csv.",
        "",
        "| | time (s) | MB/s | peak RSS (MiB) | result |",
        "|---|---|---|---|---|",
        f"| baseline: parse every snapshot in full, diff sets of rows | {base['seconds']:.1f}"
        f" | {size_mb / base['seconds']:.0f} | {base['peak_mib']:.0f}"
        f" | {base['result']:.0f} row changes, nothing stored |",
        f"| magnitsky: hash-diff entry lines, parse new lines only; store, events and"
        f" designations | {mine['seconds']:.1f} | {size_mb / mine['seconds']:.0f}"
        f" | {mine['peak_mib']:.0f} | {mine['result']:.0f} events |",
        "",
        f"**Ratio: {base['seconds'] / mine['seconds']:.1f}x the baseline's speed.** Adding one"
        f" new snapshot to a store holding the rest of the history (store, events and"
        f" designations, fast path): **{one['result']:.2f} s**.",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    _write_section(args.out, "## History rebuild", text)


def _cores() -> int:
    import os

    return os.cpu_count() or 0


def _write_section(path: Path, heading: str, text: str) -> None:
    """Replace this benchmark's section of RESULTS.md, keeping the others."""
    old = path.read_text() if path.exists() else "# Benchmark results\n\n"
    parts = old.split("\n## ")
    kept = [p for p in parts[1:] if not ("## " + p).startswith(heading)]
    path.write_text(
        "\n## ".join([parts[0].rstrip("\n") + "\n", *kept]).rstrip("\n") + "\n\n" + text
    )


if __name__ == "__main__":
    main()
