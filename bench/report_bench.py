"""Benchmark: the annual report from a built store.

Builds a store from the official files once (not timed), then times, over a few runs, the
analysis (``annual``), the charts alone, and writing the whole report (page, Markdown,
CSVs); reports the median and the spread.

Run: .venv/bin/python bench/report_bench.py [--data ../shared/data] [--db STORE]
     [--program US-GLOMAG] [--year 2023] [--runs 5] [--out bench/RESULTS.md]
"""

from __future__ import annotations

import argparse
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from history_bench import _cores, _write_section

from magnitsky import build, settings
from magnitsky.analysis.annual import annual
from magnitsky.report import charts, trace, write_report
from magnitsky.store import open_store

ROOT = Path(__file__).resolve().parent.parent


def timed(runs: int, work: Callable[[], Any]) -> tuple[list[float], Any]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return times, result


def cold(db: Path, args: argparse.Namespace, out: Path) -> None:
    """The command in a fresh process: imports, opening the store, analysis, writing."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "magnitsky.cli",
            "--db",
            str(db),
            "report",
            "--program",
            args.program,
            "--year",
            str(args.year),
            "--out",
            str(out),
        ],
        check=True,
        capture_output=True,
    )


def summary(times: list[float]) -> str:
    return f"{statistics.median(times):.2f} | {min(times):.2f}–{max(times):.2f}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--db", type=Path, help="a store already built (default: build one)")
    parser.add_argument("--program", default="US-GLOMAG")
    parser.add_argument("--year", type=int, default=2023)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "RESULTS.md")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "store.duckdb"
        if args.db is None:
            with open_store(db) as store:
                build.build(store, settings.load(), args.data)
        with open_store(db, read_only=True) as store:
            analysed, result = timed(args.runs, lambda: annual(store, args.program, args.year))
        anchors = {g.anchor for gs in trace.all_groups(result).values() for g in gs}
        drawn, made = timed(args.runs, lambda: charts.charts(result, anchors))
        written, paths = timed(args.runs, lambda: write_report(result, Path(tmp) / "report"))
        command, _ = timed(args.runs, lambda: cold(db, args, Path(tmp) / "cli"))
        size = sum(p.stat().st_size for p in paths) / 1024
        page = (Path(tmp) / "report" / "index.html").stat().st_size / 1024
    text = "\n".join(
        [
            "## Report",
            "",
            f"Run on {datetime.now(UTC):%Y-%m-%d}: {platform.machine()}, {_cores()} cores, Python"
            f" {platform.python_version()}, {platform.system()}. `magnitsky report --program"
            f" {args.program} --year {args.year}` on the store built from the official files"
            f" (building it is not timed). {args.runs} runs of each step in one process (the"
            " first run of a step carries one-time loading: rigour's territory data, Matplotlib's"
            " fonts), and of the whole command in fresh processes.",
            f"Output: {len(result.counted)} designations counted, {len(made)} charts,"
            f" {len(paths)} files, {size:.0f} KiB in all ({page:.0f} KiB for index.html).",
            "",
            "| step | median (s) | min–max (s) |",
            "|---|---|---|",
            f"| analysis: `annual()` over the store | {summary(analysed)} |",
            f"| charts alone (Matplotlib to SVG) | {summary(drawn)} |",
            f"| writing the report: charts, page, Markdown, CSVs | {summary(written)} |",
            f"| the command `magnitsky report`, a fresh process each run | {summary(command)} |",
            "",
            f"**The whole report: {statistics.median(command):.2f} s as a command (median), of"
            f" which {statistics.median(analysed) + statistics.median(written):.2f} s analysis and"
            " writing warm; the rest is starting Python, importing DuckDB, Matplotlib and rigour,"
            " and the one-time loading the first in-process run shows.**",
            "",
        ]
    )
    print(text)
    _write_section(args.out, "## Report", text)


if __name__ == "__main__":
    main()
