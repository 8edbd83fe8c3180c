"""Year windows: a year ends on a chosen month and day (12-31 calendar, 09-30 US fiscal,
12-05 a report year published before Human Rights Day). Year Y ends on that day in Y."""

from __future__ import annotations

from datetime import date, timedelta

YearEnd = tuple[int, int]
CALENDAR: YearEnd = (12, 31)


def parse_year_end(text: str) -> YearEnd:
    """``"12-05"`` -> ``(12, 5)``; 02-29 is refused (it is not a day of every year)."""
    try:
        month, day = (int(p) for p in text.split("-"))
        date(2001, month, day)  # a real day of a common year
    except ValueError as error:
        raise ValueError(f"--year-end takes MM-DD, such as 12-31 or 12-05, not {text!r}") from error
    return month, day


def year_of(day: date, year_end: YearEnd = CALENDAR) -> int:
    """The year a day belongs to, for years that end on ``year_end`` (inclusive)."""
    return day.year if (day.month, day.day) <= year_end else day.year + 1


def window(year: int, year_end: YearEnd = CALENDAR) -> tuple[date, date]:
    """First and last day (both inclusive) of ``year``."""
    month, day = year_end
    return date(year - 1, month, day) + timedelta(days=1), date(year, month, day)


def span(first: int, last: int, year_end: YearEnd = CALENDAR) -> tuple[date, date]:
    """First day of year ``first`` to last day of year ``last``."""
    return window(first, year_end)[0], window(last, year_end)[1]


def describe(year: int, year_end: YearEnd = CALENDAR) -> str:
    """Which days ``year`` counts: ``calendar year 2023`` or ``the year ending 5 December
    2023 (6 Dec 2022 – 5 Dec 2023)``."""
    if year_end == CALENDAR:
        return f"calendar year {year}"
    start, end = window(year, year_end)
    return (
        f"the year ending {end.day} {end:%B %Y} ({start.day} {start:%b %Y} – {end.day} {end:%b %Y})"
    )
