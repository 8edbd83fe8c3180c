"""Birth dates as the lists write them, made comparable.

The lists give a day (``1973-12-23``), a month (``1973-12``), a year, an approximate
year ("circa 1958", "Approximately 1960", "c. 1960"), a decade ("born in the early
1970s"), or a range ("1960 to 1962",
"Between 1960 and 1962", "01 Jan 1960 to 31 Dec 1962"). Each becomes a day where one is
given and a span of years. Two persons agree on a day, or only on a year (days and
months are sometimes swapped between lists: 1973-12-03 / 1973-03-12), or conflict:
both lists state a birth date and no two overlap.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_DAY = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})\s*$")
_SLASHED_DAY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_YEAR = re.compile(r"(?<!\d)(1[89]\d{2}|20\d{2})(?!\d)")
_DECADE = re.compile(r"(?<!\d)(1[89]\d|20\d)0s\b")
_APPROXIMATE = re.compile(r"circa|approx|c\.|about|around", re.IGNORECASE)


@dataclass(frozen=True)
class BirthDate:
    text: str
    day: str | None
    """ISO day, where the list gives one."""
    first_year: int
    last_year: int


def parse(text: str) -> BirthDate | None:
    """One birth date as a list writes it; None where it holds no year ("na")."""
    day = _DAY.match(text)
    if day:
        year = int(day.group(1))
        return BirthDate(text, text.strip(), year, year)
    slashed = _SLASHED_DAY.search(text)
    years = [int(y) for y in _YEAR.findall(text)]
    decade = _DECADE.search(text)
    if decade:
        years += [int(decade.group(1)) * 10, int(decade.group(1)) * 10 + 9]
    if not years:
        return None
    iso = None
    if slashed and len(years) == 1:
        d, m, y = slashed.groups()
        iso = f"{y}-{int(m):02d}-{int(d):02d}"
    spread = 1 if _APPROXIMATE.search(text) else 0
    return BirthDate(text, iso, min(years) - spread, max(years) + spread)


def parse_all(texts: tuple[str, ...]) -> tuple[BirthDate, ...]:
    return tuple(d for d in (parse(t) for t in texts) if d is not None)


@dataclass(frozen=True)
class DateAgreement:
    kind: str
    """same_day | same_year | conflict | unknown (one list states none)."""
    evidence: str


def compare(left: tuple[BirthDate, ...], right: tuple[BirthDate, ...]) -> DateAgreement:
    if not left or not right:
        return DateAgreement("unknown", "")
    for a in left:
        for b in right:
            if a.day and a.day == b.day:
                return DateAgreement("same_day", f"{a.text} = {b.text}")
    for a in left:
        for b in right:
            if a.first_year <= b.last_year and b.first_year <= a.last_year:
                return DateAgreement("same_year", f"{a.text} ~ {b.text}")
    shown = f"{'; '.join(d.text for d in left)} / {'; '.join(d.text for d in right)}"
    return DateAgreement("conflict", shown)
