"""Benchmark: a full build of the official files into a new store, then the same build
again with nothing changed (every bundle, document and text skipped by its content
hash). Each step's time from the build's progress messages; the load average beside.
Writes the "## Build" section of bench/RESULTS.md.

Run: .venv/bin/python bench/build_bench.py [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path

from history_bench import _write_section, load_average

from magnitsky import settings as settings_module
from magnitsky.build import BuildReport, build
from magnitsky.store import open_store

ROOT = Path(__file__).resolve().parent.parent
STEPS = (
    ("reading the git history", "reading every file; the other lists' events and dates"),
    ("us-ofac-sdn: deriving", "the US list's events and dates"),
    ("matching the same person", "reading the designations and listings (persons, web)"),
    ("persons: matching", "matching the persons; the recommendations; what search and web keep"),
)


def timed_build(db: Path, data: Path) -> tuple[float, dict[str, float], BuildReport]:
    marks: list[tuple[str, float]] = []

    def progress(message: str) -> None:
        for prefix, _ in STEPS:
            if message.startswith(prefix):
                marks.append((prefix, time.perf_counter()))

    start = time.perf_counter()
    with open_store(db) as store:
        report = build(store, settings_module.load(), data, progress=progress)
    end = time.perf_counter()
    steps: dict[str, float] = {}
    edges = [*marks, ("end", end)]
    for (name, at), (_, after) in pairwise(edges):
        steps[name] = steps.get(name, 0.0) + after - at
    return end - start, steps, report


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "RESULTS.md")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "store.duckdb"
        load_first = load_average()
        first, steps, report = timed_build(db, args.data)
        load_second = load_average()
        second, _, again = timed_build(db, args.data)
    lines = [
        "## Build",
        "",
        f"Run on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC: {platform.machine()},"
        f" {os.cpu_count()} cores, Python {platform.python_version()}. `build()` of"
        f" `{args.data.name}` into a new store, in one process (starting Python and the"
        " imports not counted).",
        "",
        "| build | load average at its start | seconds | added |",
        "|---|---|---|---|",
        f"| first, new store | {load_first} | {first:.1f} | {report.snapshots_added} snapshots,"
        f" {report.documents_added} documents |",
        f"| again, nothing changed | {load_second} | {second:.2f} |"
        f" {again.snapshots_added} snapshots, {again.documents_added} documents"
        f" ({again.bundles_unchanged} bundle, {again.documents_unchanged} documents and"
        f" texts skipped by content hash, {again.snapshots_unchanged} list files known) |",
        "",
        "Steps of the first build (from its progress messages; the rest, before the first,"
        " is reading the folder):",
        "",
        "| from the step | seconds |",
        "|---|---|",
        *(f"| {label} | {steps.get(prefix, 0.0):.1f} |" for prefix, label in STEPS),
        "",
        f"**First build: {first:.1f} s at load {load_first} (target: under 20 s on an idle"
        f" machine). Unchanged second build: {second:.2f} s (target: under 1 s).**",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    _write_section(args.out, "## Build", text)
    print(
        f"FULL BUILD: {first:.1f} s (load average {load_first} at its start);"
        f" unchanged second build: {second:.2f} s"
    )


if __name__ == "__main__":
    main()
