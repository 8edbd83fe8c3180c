"""Yearly counts of designations, as ranges where dates are only brackets.

A designation whose bracket lies inside one year counts in that year for certain; one
whose bracket spans a year boundary counts in each year it may belong to "at most", and
in none "at least". Years end on a chosen day (``--year-end``, default 12-31).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

SCHEMA_GROUPS = {
    "Person": "individuals",
    "Organization": "entities",
    "Vessel": "vessels",
    "Airplane": "aircraft",
}


def parse_year_end(text: str) -> tuple[int, int]:
    try:
        month, day = (int(p) for p in text.split("-"))
        date(2001, month, day)  # a real day of a common year
    except ValueError as error:
        raise ValueError(f"--year-end takes MM-DD, such as 12-31 or 12-05, not {text!r}") from error
    return month, day


def year_of(day: date, year_end: tuple[int, int]) -> int:
    """The year a day belongs to, for years that end on ``year_end`` (inclusive)."""
    return day.year if (day.month, day.day) <= year_end else day.year + 1


def _spread(
    lo: date | None, hi: date, year_end: tuple[int, int], first_year: int
) -> tuple[int, list[int]]:
    """(the certain year or 0, every year the date may fall in)."""
    top = year_of(hi, year_end)
    bottom = year_of(lo, year_end) if lo else first_year
    years = list(range(min(bottom, top), top + 1))
    return (top if len(years) == 1 else 0), years


def _count(
    table: dict[int, dict[str, int]],
    key: str,
    lo: date | None,
    hi: date,
    year_end: tuple[int, int],
    first_year: int,
) -> None:
    certain, years = _spread(lo, hi, year_end, first_year)
    for year in years:
        row = table.setdefault(year, {})
        row[f"{key}_max"] = row.get(f"{key}_max", 0) + 1
        if year == certain:
            row[f"{key}_min"] = row.get(f"{key}_min", 0) + 1


def yearly(
    designations: Iterable[dict[str, Any]],
    year_end: tuple[int, int] = (12, 31),
) -> list[dict[str, Any]]:
    rows = list(designations)
    lows = [r["listed_not_before"] for r in rows if r["listed_not_before"]]
    highs = [r["listed_not_after"] for r in rows]
    if not highs:
        return []
    first_year = year_of(min(lows or highs), year_end)
    table: dict[int, dict[str, int]] = {}
    for r in rows:
        group = SCHEMA_GROUPS.get(r["schema"], "entities")
        lo, hi = r["listed_not_before"], r["listed_not_after"]
        _count(table, group, lo, hi, year_end, first_year)
        if group in ("individuals", "entities"):
            _count(table, "persons", lo, hi, year_end, first_year)
        if r["date_quality"] == "exact":
            row = table.setdefault(year_of(hi, year_end), {})
            row["exact"] = row.get("exact", 0) + 1
        if r.get("delisted_on"):
            _count(
                table,
                "delisted",
                r.get("delisted_not_before"),
                r["delisted_on"],
                year_end,
                first_year,
            )
    keys = [
        f"{g}_{m}"
        for g in ("persons", "individuals", "entities", "vessels", "aircraft", "delisted")
        for m in ("min", "max")
    ]
    return [
        {
            "year": year,
            **{k: table[year].get(k, 0) for k in keys},
            "exact": table[year].get("exact", 0),
        }
        for year in sorted(table)
    ]
