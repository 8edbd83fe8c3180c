"""Yearly counts of designations as (min, max) ranges: the CLI's ``stats yearly``.

The counting lives in :mod:`magnitsky.analysis.measures` (per program and year, by type
and by basis) and the year windows in :mod:`magnitsky.analysis.windows`; this module
keeps the names the CLI has always used.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from magnitsky.analysis import coverage, measures
from magnitsky.analysis.windows import YearEnd, parse_year_end, window, year_of

__all__ = ["parse_year_end", "with_average", "with_coverage", "year_of", "yearly"]


def yearly(
    designations: Sequence[dict[str, Any]], year_end: YearEnd = (12, 31)
) -> list[dict[str, Any]]:
    """Per year, every measure as ``<measure>_min`` / ``<measure>_max``. The basis
    measures need designations enriched by :mod:`magnitsky.analysis.designations`
    (without a basis a person counts as ``unknown``)."""
    return measures.yearly(designations, year_end)


def with_average(
    designations: Sequence[dict[str, Any]],
    table: list[dict[str, Any]],
    year_end: YearEnd,
    years: int,
    keys: Sequence[str] = ("persons", "not_ties", "direct"),
) -> list[dict[str, Any]]:
    """``table`` with, per year, the previous ``years`` years' average of each measure in
    ``keys`` (``avg_<key>_min/max``) and the change against it (``change_<key>_pct``);
    ``direct`` is a range (those shown, up to those whose basis is not known), and so
    are its average and change."""
    if not table:
        return table
    since = table[0]["year"]
    for row in table:
        found = measures.average(designations, row["year"], year_end, years, keys, since=since)
        for key in keys:
            avg = found.get(key)
            row[f"avg_{key}_min"] = avg["min"] if avg else None
            row[f"avg_{key}_max"] = avg["max"] if avg else None
            pct = avg["change_percent"] if avg else None
            row[f"change_{key}_pct_min"] = pct["min"] if pct else None
            row[f"change_{key}_pct_max"] = pct["max"] if pct else None
    return table


def with_coverage(
    table: list[dict[str, Any]], lists: coverage.Coverage, year_end: YearEnd
) -> list[dict[str, Any]]:
    """``table`` with, per year, whether the lists read cover it only in part
    (``partial``, ``covered_until``) and why its counts are lower bounds (``lower_bound``);
    ``coverage``: the same in a few words, for the table format."""
    for row in table:
        coverage.mark(row, lists, window(row["year"], year_end))
        until = row["covered_until"]
        after = until is not None and window(row["year"], year_end)[0] > until
        row["coverage"] = (
            None
            if until is None
            else f"partial: documents only, lists to {until.isoformat()}"
            if after
            else f"partial: to {until.isoformat()}"
        )
    return table
