"""Counts per year as (min, max) ranges, averages, changes, and the rows behind each.

A designation dated by a bracket lying wholly inside a window counts there for certain
("min" and "max"); one whose bracket only overlaps the window may belong to it ("max"
only). A baseline (listed on or before the first snapshot) is a bracket from the
program's first listings. Every count has its list: :func:`behind`.

A measure with a ``lower`` test is a range in what is known too: ``direct`` counts at
least the persons a text or the list shows were designated for their own conduct, at
most those too whose basis is not known (never "0" for "not read").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from magnitsky.analysis.basis import DIRECT
from magnitsky.analysis.designations import PERSONS, PROPERTY
from magnitsky.analysis.windows import CALENDAR, YearEnd, span, window, year_of
from magnitsky.history.closed_years import pieces

Row = Mapping[str, Any]
Window = tuple[date, date]


@dataclass(frozen=True)
class Measure:
    key: str
    definition: str
    test: Callable[[Row], bool]
    event: str = "listed"  # listed | delisted: which date places the row in a year
    lower: Callable[[Row], bool] | None = None
    """Of the rows ``test`` takes (the most it can be), those certainly counted (the
    least); None: all of them."""


def _person(r: Row) -> bool:
    return r.get("schema") in PERSONS


def _schema(*wanted: str) -> Callable[[Row], bool]:
    return lambda r: r.get("schema") in wanted


def _basis(*wanted: str) -> Callable[[Row], bool]:
    return lambda r: _person(r) and r.get("basis", "unknown") in wanted


_TIES = "ties to a listed person (owned or controlled by, acting for, supporting them)"
MEASURES: dict[str, Measure] = {
    m.key: m
    for m in (
        Measure("persons", "individuals and entities designated", _person),
        Measure("individuals", "individuals designated", _schema("Person")),
        Measure("entities", "entities designated", _schema("Organization")),
        Measure("vessels", "vessels listed (property, counted apart)", _schema("Vessel")),
        Measure("aircraft", "aircraft listed (property, counted apart)", _schema("Airplane")),
        Measure(
            "direct",
            "persons designated for their own human-rights abuse or corruption (direct"
            " involvement): at least those an official text or the list shows, at most those"
            " too whose basis is not known",
            _basis(*DIRECT, "unknown"),
            lower=_basis(*DIRECT),
        ),
        Measure(
            "human_rights",
            "persons shown to be designated for human-rights abuse",
            _basis("human_rights"),
        ),
        Measure(
            "corruption", "persons shown to be designated for corruption", _basis("corruption")
        ),
        Measure("ties", f"persons shown to be designated for {_TIES}", _basis("ties")),
        Measure(
            "unknown", "persons whose basis the available texts do not show", _basis("unknown")
        ),
        Measure(
            "not_ties",
            "persons not shown to be designated for ties: direct involvement, or basis not shown",
            _basis(*DIRECT, "unknown"),
        ),
        Measure(
            "basis_from_text",
            "persons whose basis an official text read shows (a Treasury press release or"
            " a Federal Register notice), not the list alone",
            lambda r: _person(r) and r.get("basis_source") == "official text",
        ),
        Measure(
            "basis_from_list",
            "persons whose basis only the list shows (its remarks, such as 'Linked To:', or"
            " its title), no official text read",
            lambda r: _person(r) and r.get("basis_source") == "list",
        ),
        Measure(
            "basis_from_regime",
            "persons whose basis the regime itself states (a thematic program of one kind:"
            " human rights, or corruption), no official text read",
            lambda r: _person(r) and r.get("basis_source") == "regime",
        ),
        Measure("delisted", "persons delisted", _person, "delisted"),
        Measure(
            "delisted_property", "vessels and aircraft delisted", _schema(*PROPERTY), "delisted"
        ),
    )
}


def bracket(row: Row, event: str = "listed") -> tuple[date | None, date] | None:
    """(earliest, latest) day of the row's listing or delisting; None: no such event."""
    if event == "delisted":
        hi = row.get("delisted_on")
        return (row.get("delisted_not_before"), hi) if hi else None
    return row.get("listed_not_before"), row["listed_not_after"]


def placement(row: Row, win: Window, event: str = "listed") -> str | None:
    """``certain`` (wholly inside the window), ``possible`` (overlapping it) or None."""
    dates = bracket(row, event)
    if dates is None:
        return None
    parts = pieces(*dates, row.get("listed_not_in") if event == "listed" else None)
    inside = [(lo, hi) for lo, hi in parts if hi >= win[0] and (lo is None or lo <= win[1])]
    if not inside:
        return None
    certain = len(inside) == len(parts) and all(
        lo is not None and lo >= win[0] and hi <= win[1] for lo, hi in inside
    )
    return "certain" if certain else "possible"


def _measure(measure: str | Measure) -> Measure:
    return measure if isinstance(measure, Measure) else MEASURES[measure]


def behind_window(rows: Iterable[Row], win: Window, measure: str | Measure) -> list[dict[str, Any]]:
    """The designations behind a count in a window: copies with ``certain`` True (in the
    "min") or False (only in the "max")."""
    m = _measure(measure)
    out = []
    for row in rows:
        where = placement(row, win, m.event) if m.test(row) else None
        if where:
            sure = where == "certain" and (m.lower is None or m.lower(row))
            out.append({**row, "certain": sure})
    return out


def behind(
    rows: Iterable[Row], year: int, measure: str | Measure, year_end: YearEnd = CALENDAR
) -> list[dict[str, Any]]:
    """The designations behind ``measure`` in ``year``."""
    return behind_window(rows, window(year, year_end), measure)


def count(rows: Iterable[Row], win: Window, measure: str | Measure) -> tuple[int, int]:
    found = behind_window(rows, win, measure)
    return sum(1 for r in found if r["certain"]), len(found)


def first_year(rows: Sequence[Row], year_end: YearEnd = CALENDAR) -> int | None:
    days = [d for r in rows for d in (r.get("listed_not_before"), r.get("listed_not_after")) if d]
    return year_of(min(days), year_end) if days else None


def last_year(rows: Sequence[Row], year_end: YearEnd = CALENDAR) -> int | None:
    days = [d for r in rows for d in (r.get("listed_not_after"), r.get("delisted_on")) if d]
    return year_of(max(days), year_end) if days else None


def yearly(
    rows: Sequence[Row],
    year_end: YearEnd = CALENDAR,
    measures: Iterable[str] = tuple(MEASURES),
) -> list[dict[str, Any]]:
    """One row per year from the first listing to the last event, years without any
    included: ``{"year", "<measure>_min", "<measure>_max" …, "exact"}``."""
    first, last = first_year(rows, year_end), last_year(rows, year_end)
    if first is None or last is None:
        return []
    keys = list(measures)
    out = []
    for year in range(first, last + 1):
        win = window(year, year_end)
        entry: dict[str, Any] = {"year": year}
        for key in keys:
            entry[f"{key}_min"], entry[f"{key}_max"] = count(rows, win, key)
        entry["exact"] = sum(
            1 for r in rows if r["date_quality"] == "exact" and placement(r, win) == "certain"
        )
        out.append(entry)
    return out


def change_percent(value: tuple[int, int], average: tuple[float, float]) -> dict[str, float] | None:
    """The change of a (min, max) value against a (min, max) average, as the lowest and
    highest percent it can be; None when the average may be zero."""
    if average[0] <= 0:
        return None
    low = (value[0] / average[1] - 1) * 100
    high = (value[1] / average[0] - 1) * 100
    return {"min": round(low, 1), "max": round(high, 1)}


def average(
    rows: Sequence[Row],
    year: int,
    year_end: YearEnd = CALENDAR,
    years: int = 5,
    measures: Iterable[str] = tuple(MEASURES),
    since: int | None = None,
) -> dict[str, Any]:
    """The annual average of the ``years`` years before ``year`` (none before ``since``,
    the program's first year), and the report year's change against it.

    The period is counted as one window, so a bracket that lies inside the period but
    across a year boundary is counted there for certain; the years whose own count is a
    range are listed under ``ranges``."""
    since = since if since is not None else first_year(rows, year_end) or year
    used = [y for y in range(year - years, year) if y >= since]
    out: dict[str, Any] = {"years": used, "short": len(used) < years, "window": None}
    if not used:
        return out
    period = span(used[0], used[-1], year_end)
    out["window"] = period
    report = window(year, year_end)
    for key in measures:
        total = count(rows, period, key)
        avg = (total[0] / len(used), total[1] / len(used))
        value = count(rows, report, key)
        out[key] = {
            "min": round(avg[0], 2),
            "max": round(avg[1], 2),
            "total": {"min": total[0], "max": total[1]},
            "value": {"min": value[0], "max": value[1]},
            "change_percent": change_percent(value, avg),
            "ranges": [y for y in used if len(set(count(rows, window(y, year_end), key))) > 1],
        }
    if "persons" in out:
        out["ranges"] = out["persons"]["ranges"]
        out["change_percent"] = out["persons"]["change_percent"]
    out["with_ties"], out["without_ties"] = "persons", "not_ties"
    return out


def since(
    yearly_rows: Sequence[Mapping[str, Any]], year: int, measure: str
) -> dict[str, Any] | None:
    """ "The lowest (highest) since YEAR": the latest earlier year that was certainly as
    low (high) or lower (higher), every year between being certainly higher (lower).
    ``since`` None: the lowest (highest) since the first year. None: no such claim holds
    for certain (the year before was not certainly higher, or a range blurs it)."""
    table = {r["year"]: (r[f"{measure}_min"], r[f"{measure}_max"]) for r in yearly_rows}
    if year not in table:
        return None
    vmin, vmax = table[year]
    earlier = sorted((y for y in table if y < year), reverse=True)
    if not earlier:
        return None
    for direction in ("lowest", "highest"):
        claim: dict[str, Any] | None = {
            "measure": measure,
            "direction": direction,
            "since": None,  # None: every earlier year was certainly beyond
            "first_year": earlier[-1],
        }
        for y in earlier:
            ymin, ymax = table[y]
            if (ymin > vmax) if direction == "lowest" else (ymax < vmin):
                continue  # certainly higher (lower): the claim goes on
            within = ymax <= vmin if direction == "lowest" else ymin >= vmax
            claim = {**claim, "since": y} if within and y != year - 1 and claim else None
            break
        if claim:
            return claim
    return None


def _exact_day(row: Row) -> date | None:
    lo, hi = row.get("listed_not_before"), row.get("listed_not_after")
    return hi if row.get("date_quality") == "exact" or (lo is not None and lo == hi) else None


def actions(rows: Iterable[Row], win: Window) -> list[dict[str, Any]]:
    """The days in the window with designations of exactly known date, largest first."""
    days: dict[date, list[Row]] = {}
    for row in rows:
        day = _exact_day(row)
        if day and win[0] <= day <= win[1]:
            days.setdefault(day, []).append(row)
    out = [
        {
            "date": day,
            "count": len(group),
            "persons": sum(1 for r in group if _person(r)),
            "vessels": sum(1 for r in group if r["schema"] == "Vessel"),
            "aircraft": sum(1 for r in group if r["schema"] == "Airplane"),
            "names": [r["name"] for r in group],
            "source_ids": [r["source_id"] for r in group],
        }
        for day, group in days.items()
    ]
    return sorted(out, key=lambda a: (-a["count"], a["date"]))


def tally(
    rows: Iterable[Row],
    win: Window,
    values: Callable[[Row], Iterable[str]],
    measure: str | Measure = "persons",
) -> list[dict[str, Any]]:
    """Designations in the window per value (country, region, role), as (min, max), with
    the names behind each. A designation with two values counts under both."""
    counts: dict[str, dict[str, Any]] = {}
    for row in behind_window(rows, win, measure):
        for value in dict.fromkeys(values(row)):
            entry = counts.setdefault(value, {"value": value, "min": 0, "max": 0, "names": []})
            entry["min"] += row["certain"]
            entry["max"] += 1
            entry["names"].append(row["name"])
    return sorted(counts.values(), key=lambda e: (-e["max"], -e["min"], e["value"]))


def by_year(
    rows: Sequence[Row],
    year_end: YearEnd,
    values: Callable[[Row], Iterable[str]],
    measure: str | Measure = "persons",
) -> list[dict[str, Any]]:
    """:func:`tally` for every year: ``{"year", "value", "min", "max", "names"}``."""
    first, last = first_year(rows, year_end), last_year(rows, year_end)
    if first is None or last is None:
        return []
    return [
        {"year": year, **entry}
        for year in range(first, last + 1)
        for entry in tally(rows, window(year, year_end), values, measure)
    ]


def behind_value(
    rows: Iterable[Row],
    win: Window,
    values: Callable[[Row], Iterable[str]],
    value: str,
    measure: str | Measure = "persons",
) -> list[dict[str, Any]]:
    """The designations behind one :func:`tally` entry."""
    return [r for r in behind_window(rows, win, measure) if value in values(r)]
