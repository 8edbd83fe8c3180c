"""Benchmark: reading the UK and Australian workbooks with python-calamine (what the
readers use) against openpyxl (what they used before), in one process, alternating.

For each official .xlsx file: the reader's listings with each library (they must be
equal: the check that let calamine in), and the median time of the whole ``read``.
Writes the "## Spreadsheets" section of bench/RESULTS.md.

Run: .venv/bin/python bench/spreadsheet_bench.py [--data ../shared/data] [--rounds 3]
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import statistics
import time
import warnings
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType

from history_bench import _write_section, load_average

from magnitsky.listing import Listing
from magnitsky.readers import au_dfat, files, uk_ofsi

ROOT = Path(__file__).resolve().parent.parent
CALAMINE = files._xlsx_rows


def openpyxl_rows(path: Path, raw: bytes) -> list[list[str | None]]:
    """The readers' former way: openpyxl, read-only, values only."""
    import openpyxl

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        try:
            rows = book.worksheets[0].iter_rows(values_only=True)
            return [files._trim([files.cell_text(v) for v in row]) for row in rows]
        finally:
            book.close()


def timed_read(
    reader: ModuleType, path: Path, rows: Callable[[Path, bytes], list[list[str | None]]]
) -> tuple[float, list[Listing]]:
    files._xlsx_rows = rows
    try:
        start = time.perf_counter()
        listings = list(reader.read(path))
        return time.perf_counter() - start, listings
    finally:
        files._xlsx_rows = CALAMINE


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "RESULTS.md")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    load_before = load_average()
    rows = []
    totals = {"openpyxl": 0.0, "calamine": 0.0}
    for reader, pattern in ((uk_ofsi, "uk/ofsi/*.xlsx"), (au_dfat, "au/dfat/*.xlsx")):
        for path in sorted(args.data.glob(pattern)):
            times: dict[str, list[float]] = {"openpyxl": [], "calamine": []}
            same = True
            for _ in range(args.rounds):
                old_s, old = timed_read(reader, path, openpyxl_rows)
                new_s, new = timed_read(reader, path, CALAMINE)
                times["openpyxl"].append(old_s)
                times["calamine"].append(new_s)
                same = same and old == new
            med = {k: statistics.median(v) for k, v in times.items()}
            for k in totals:
                totals[k] += med[k]
            rows.append(
                f"| {path.relative_to(args.data)} | {len(new)} | {'yes' if same else '**no**'}"
                f" | {med['openpyxl']:.2f} | {med['calamine']:.2f}"
                f" | {med['openpyxl'] / med['calamine']:.1f}x |"
            )
            print(rows[-1], flush=True)
    load_after = load_average()
    text = "\n".join(
        [
            "## Spreadsheets",
            "",
            f"Run on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC: {platform.machine()},"
            f" {os.cpu_count()} cores, Python {platform.python_version()}; load average"
            f" {load_before} at the start, {load_after} at the end. The reader's whole"
            f" `read` of each official workbook, median of {args.rounds} runs alternating in"
            " one process; the listings compared field by field.",
            "",
            "| file | listings | same listings | openpyxl (s) | python-calamine (s) | speed-up |",
            "|---|---|---|---|---|---|",
            *rows,
            "",
            f"**All workbooks: {totals['openpyxl']:.1f} s with openpyxl, {totals['calamine']:.1f}"
            f" s with python-calamine ({totals['openpyxl'] / totals['calamine']:.1f}x).** The"
            " rest of each read is the readers' own work on the rows, the same for both.",
            "",
        ]
    )
    print(text)
    _write_section(args.out, "## Spreadsheets", text)


if __name__ == "__main__":
    main()
