"""The report's multilateral section: what the report's jurisdiction and its allies did
under their Magnitsky-style regimes, in the year and over all years.

Built on :mod:`magnitsky.analysis.multilateral` (a person is a cluster of listings of every list;
each jurisdiction's date is that of its first designation of the person under the
programs asked for). Here: which combinations of jurisdictions sanctioned the same
persons (the overlap chart), how long the followers took (the lags), the year's joint
actions and multilateral listings, and the largest gaps: the longest lags, and the
persons the allies sanctioned that the report's jurisdiction has not.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from magnitsky.analysis import multilateral as multi
from magnitsky.analysis import stored
from magnitsky.analysis.coverage import of_jurisdictions
from magnitsky.analysis.precedents import by_jurisdiction
from magnitsky.analysis.windows import CALENDAR, YearEnd, describe, year_of
from magnitsky.programs import first_listing
from magnitsky.programs import programs as all_programs
from magnitsky.store import Store

# How long a follower took, in days: the buckets of the lag chart, in order.
LAG_BUCKETS: tuple[tuple[str, int], ...] = (
    ("within a week", multi.JOINT_DAYS),
    ("8 days to a month", 31),
    ("1 to 6 months", 183),
    ("6 months to a year", 366),
    ("over a year", 10**6),
)
GAPS_SHOWN = 25
"""Rows of the gap tables on the page (the CSVs have them all)."""


def bucket(days: int) -> str:
    return next(name for name, most in LAG_BUCKETS if days <= most)


@dataclass
class MultilateralSection:
    jurisdiction: str
    """The report program's jurisdiction: the gaps are the persons it has not sanctioned."""
    programs: tuple[str, ...]
    year: int
    window: tuple[date, date]
    persons: int
    multilateral: int
    coverage: list[dict[str, Any]]
    """Per jurisdiction: its lists' dates, programs and persons; the data the section uses."""
    counts: list[dict[str, Any]]
    """Per jurisdiction and year: persons, by basis, multilateral, first or followed."""
    overlaps: list[dict[str, Any]]
    combinations: list[dict[str, Any]]
    lags: list[dict[str, Any]]
    year_listings: list[dict[str, Any]]
    joint: list[dict[str, Any]]
    longest_lags: list[dict[str, Any]]
    not_by_jurisdiction: list[dict[str, Any]]
    other_programs_read: bool
    """Whether the store holds the jurisdiction's other programs: only then can a gap say
    the jurisdiction sanctioned the person under none of them."""
    possible_matches: int
    """Listings with a possible match to another person not reviewed: not counted as one."""
    listings: list[dict[str, Any]]
    """Every person and jurisdiction: the rows behind every number of the section."""
    summary: list[str] = field(default_factory=list)
    year_end: YearEnd = CALENDAR
    """Where the section's years end (the report's)."""
    precedents: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    """Per jurisdiction: the precedents set in the year under these programs
    (:func:`magnitsky.analysis.precedents.by_jurisdiction`)."""


def section(
    store: Store,
    program: str,
    window: tuple[date, date],
    year_end: YearEnd = CALENDAR,
    programs: Sequence[str] = multi.MAGNITSKY_PROGRAMS,
) -> MultilateralSection | None:
    """The multilateral analysis for the report of ``program`` over ``window``; None
    when the store has no persons (matching not run) or no other jurisdiction."""
    known = all_programs().get(program)
    jurisdiction = known.jurisdiction if known else program.split("-", 1)[0]
    if not store.scalar("SELECT count(*) FROM persons"):
        return None
    found = multi.persons(store, programs)
    if len({x.jurisdiction for p in found for x in p.listings}) < 2:
        return None
    shared = multi.multilateral(found)
    result = MultilateralSection(
        jurisdiction=jurisdiction,
        programs=tuple(programs),
        year=year_of(window[1], year_end),
        window=window,
        persons=len(found),
        multilateral=len(shared),
        coverage=coverage(store, found, programs),
        counts=multi.counts_per_year(
            found, year_end, multi.bases(store, programs), of_jurisdictions(store, programs)
        ),
        overlaps=multi.overlaps(found),
        combinations=multi.combinations(found),
        lags=lags(shared),
        year_listings=year_listings(shared, window),
        joint=joint_in(shared, window),
        longest_lags=longest_lags(shared),
        not_by_jurisdiction=not_by(
            found,
            jurisdiction,
            _as_of(store),
            multi.persons(store, programs, allies_any_program=True),
        ),
        other_programs_read=bool(
            store.scalar(
                "SELECT count(*) FROM designations WHERE jurisdiction = ?"
                " AND program NOT IN (SELECT UNNEST(?))",
                [jurisdiction, list(programs)],
            )
        ),
        possible_matches=_possible(store, programs),
        listings=listing_rows(found),
        year_end=year_end,
        precedents=by_jurisdiction(
            stored.analysed(store, programs), year_of(window[1], year_end), window
        ),
    )
    result.summary = summary(result, found)
    return result


def listing_rows(found: Sequence[multi.Person]) -> list[dict[str, Any]]:
    """One row per person and jurisdiction (:func:`magnitsky.analysis.multilateral.rows`), with
    the combination of jurisdictions the person belongs to."""
    combination = {p.person_id: " + ".join(sorted(p.jurisdictions)) for p in found}
    rows = multi.rows(found)
    for row in rows:
        row["combination"] = combination[row["person_id"]]
    return rows


@dataclass(frozen=True)
class _Lag:
    days: int
    low: int | None
    high: int | None
    after: str
    before_regime: bool


def lags(shared: Sequence[multi.Person]) -> list[dict[str, Any]]:
    """Per jurisdiction: the persons it certainly sanctioned after another had
    (:meth:`~magnitsky.analysis.multilateral.Person.order`), how long it took (by the dates given:
    median and longest, in days; per bucket), for how many the dates' brackets leave the
    bucket open, and for how many the first listing came before the follower's own
    program existed (a lag that counts days the follower could not act). ``first`` and
    ``together``: the persons it sanctioned first, alone or the same day as others;
    ``order_unknown``: those whose dates leave the order open."""
    taken: dict[str, list[_Lag]] = defaultdict(list)
    orders: dict[str, Counter[str]] = defaultdict(Counter)
    for person in shared:
        leader = " + ".join(sorted({x.jurisdiction for x in person.first}))
        for listing in person.listings:
            order = person.order(listing)
            orders[listing.jurisdiction][order] += 1
            if order != "followed":
                continue
            lag = person.lag(listing)
            opened = first_listing(listing.program)
            early = opened is not None and person.listings[0].listed_on < opened
            taken[listing.jurisdiction].append(_Lag(*lag, leader, early))
    rows = []
    for jurisdiction in sorted(orders):
        found = taken[jurisdiction]
        days = [x.days for x in found]
        buckets = Counter(bucket(d) for d in days)
        rows.append(
            {
                "jurisdiction": jurisdiction,
                "persons": sum(orders[jurisdiction].values()),
                "first": orders[jurisdiction]["first"],
                "together": orders[jurisdiction]["together"],
                "followed": len(found),
                "order_unknown": orders[jurisdiction]["unknown"],
                "median_days": statistics.median(days) if days else None,
                "longest_days": max(days, default=None),
                **{name: buckets[name] for name, _ in LAG_BUCKETS},
                "bucket_uncertain": sum(
                    1
                    for x in found
                    if x.low is None or x.high is None or bucket(x.low) != bucket(x.high)
                ),
                "before_own_regime": sum(1 for x in found if x.before_regime),
                "after": dict(sorted(Counter(x.after for x in found).items())),
            }
        )
    return rows


def _in(listing: multi.Listing, window: tuple[date, date]) -> str | None:
    """ "certain" when the listing falls in the window, "maybe" when only its bracket
    reaches into it (a baseline, with no lower bound, reaches back indefinitely), None
    when it is outside."""
    start, end = window
    low = listing.not_before or date.min
    if start <= low and listing.not_after <= end:
        return "certain"
    if low <= end and listing.not_after >= start:
        return "maybe"
    return None


def year_listings(
    shared: Sequence[multi.Person], window: tuple[date, date]
) -> list[dict[str, Any]]:
    """Every listing in the year of a person two or more jurisdictions sanctioned: who
    listed whom, first or following whom, and the lag."""
    rows = []
    by_id = {p.person_id: p for p in shared}
    for row in multi.rows(shared):
        person = by_id[row["person_id"]]
        listing = next(x for x in person.listings if x.jurisdiction == row["jurisdiction"])
        when = _in(listing, window)
        if when is None:
            continue
        rows.append(
            {
                **row,
                "in_the_year": when,
                "others": "; ".join(
                    f"{x.jurisdiction} {x.listed_on.isoformat()}"
                    for x in person.listings
                    if x.jurisdiction != row["jurisdiction"]
                ),
            }
        )
    return sorted(rows, key=lambda r: (r["listed_on"], r["name"], r["jurisdiction"]))


def joint_in(shared: Sequence[multi.Person], window: tuple[date, date]) -> list[dict[str, Any]]:
    """The joint actions (two or more jurisdictions within a week on one person) that
    end in the year."""
    start, end = window
    rows = [r for r in multi.joint_actions(shared) if start <= r["to"] <= end]
    for r in rows:
        r["combination"] = " + ".join(sorted(set(r["jurisdictions"])))
    return sorted(rows, key=lambda r: (r["from"], r["combination"], r["name"]))


def longest_lags(shared: Sequence[multi.Person]) -> list[dict[str, Any]]:
    """Every listing that certainly followed another jurisdiction's, longest lag first:
    the largest gaps in time."""
    rows = [r for r in multi.rows(shared) if r["order"] == "followed"]
    firsts = {
        p.person_id: " + ".join(f"{x.jurisdiction} {x.listed_on.isoformat()}" for x in p.first)
        for p in shared
    }
    for r in rows:
        r["first_listed"] = firsts[r["person_id"]]
    return sorted(rows, key=lambda r: (-r["lag_days"], r["name"], r["jurisdiction"]))


def not_by(
    found: Sequence[multi.Person],
    jurisdiction: str,
    as_of: dict[str, date],
    any_program: Sequence[multi.Person] = (),
) -> list[dict[str, Any]]:
    """The persons other jurisdictions sanctioned under the programs and
    ``jurisdiction`` has not, by its last list (``as_of``; persons first listed after it
    are left out: whether it followed is not known). ``any_program``, the
    same persons with every program counted: where ``jurisdiction`` sanctioned one
    under another program (a country regime), ``other_program`` says so. Those it never
    sanctioned come first, then most jurisdictions, then the longest waiting."""
    until = as_of.get(jurisdiction)
    elsewhere = {
        p.person_id: x for p in any_program for x in p.listings if x.jurisdiction == jurisdiction
    }
    rows = []
    for person in found:
        if jurisdiction in person.jurisdictions:
            continue
        first = person.listings[0]
        if until is None or first.listed_on > until:
            continue  # after the jurisdiction's last list: not known
        other = elsewhere.get(person.person_id)
        rows.append(
            {
                "person_id": person.person_id,
                "name": person.name,
                "schema": person.schema,
                "jurisdictions": len(person.listings),
                "sanctioned_by": "; ".join(
                    f"{x.jurisdiction} {x.program} {x.listed_on.isoformat()}"
                    for x in person.listings
                ),
                "first_listed": first.listed_on,
                "days_waiting": (until - first.listed_on).days,
                "other_program": f"{other.program} {other.listed_on.isoformat()}"
                if other
                else None,
                "source_ids": "; ".join(f"{x.source}:{x.source_id}" for x in person.listings),
            }
        )
    return sorted(
        rows,
        key=lambda r: (
            r["other_program"] is not None,
            -r["jurisdictions"],
            r["first_listed"],
            r["name"],
        ),
    )


def coverage(
    store: Store, found: Sequence[multi.Person], programs: Sequence[str]
) -> list[dict[str, Any]]:
    """Per jurisdiction: the lists read (and the last date of each), the programs, the
    persons, and how their dates are known."""
    lists = store.dicts(
        "SELECT d.jurisdiction, s.source, min(s.as_of_date) AS first_list,"
        " max(s.as_of_date) AS last_list, count(*) AS snapshots"
        " FROM snapshots s JOIN (SELECT DISTINCT source, jurisdiction FROM designations"
        " WHERE program IN (SELECT UNNEST(?))) d USING (source)"
        " WHERE s.status = 'accepted' GROUP BY ALL ORDER BY ALL",
        [list(programs)],
    )
    read = of_jurisdictions(store, programs)
    per: dict[str, list[multi.Listing]] = defaultdict(list)
    for person in found:
        for listing in person.listings:
            per[listing.jurisdiction].append(listing)
    rows = []
    for jurisdiction in sorted(per):
        mine = [r for r in lists if r["jurisdiction"] == jurisdiction]
        listings = per[jurisdiction]
        rows.append(
            {
                "jurisdiction": jurisdiction,
                "programs": sorted({x.program for x in listings}),
                "lists": "; ".join(
                    f"{r['source']} ({r['snapshots']} snapshot{'s' if r['snapshots'] > 1 else ''},"
                    f" {r['first_list'].isoformat()}"
                    + (
                        f" to {r['last_list'].isoformat()}"
                        if r["last_list"] != r["first_list"]
                        else ""
                    )
                    + ")"
                    for r in mine
                ),
                "as_of": max((r["last_list"] for r in mine), default=None),
                "lower_bound": read[jurisdiction].lower_bound if jurisdiction in read else None,
                "persons": len(listings),
                "exact_dates": sum(1 for x in listings if x.date_quality == "exact"),
                "first_listing": min(x.listed_on for x in listings),
            }
        )
    return rows


def _as_of(store: Store) -> dict[str, date]:
    rows = store.rows(
        "SELECT d.jurisdiction, max(s.as_of_date) FROM snapshots s"
        " JOIN (SELECT DISTINCT source, jurisdiction FROM designations) d USING (source)"
        " WHERE s.status = 'accepted' GROUP BY ALL"
    )
    return {j: d for j, d in rows}


def _possible(store: Store, programs: Sequence[str]) -> int:
    return int(
        store.scalar(
            "SELECT count(DISTINCT (p.source, p.source_id)) FROM persons p"
            " JOIN designations d USING (source, source_id)"
            " WHERE p.match_status = 'possible' AND d.program IN (SELECT UNNEST(?))",
            [list(programs)],
        )
        or 0
    )


def _persons(n: int) -> str:
    return f"{n} person" if n == 1 else f"{n} persons"


_BASIS_WORDS = {
    "human_rights": "human-rights abuse",
    "corruption": "corruption",
    "ties": "ties to a listed person",
}
_SOURCE_WORDS = {
    "basis_from_regime": "stated by the regime itself",
    "basis_from_text": "read from an official text",
    "basis_from_list": "from the list's remarks",
    "basis_unknown": "not told",
}


def year_counts_said(r: dict[str, Any], programs: Sequence[str]) -> str:
    """A jurisdiction's year in words: the persons (``at least`` where its list is one
    file without history), under which programs, where the basis comes from next to the
    number, the bases shown (a basis nothing shows is never a 0), and whether the year
    is covered only in part."""
    persons = _persons(r["persons"])
    said = f"{r['jurisdiction']} ({', '.join(programs)}) sanctioned "
    said += f"at least {persons}" if r.get("lower_bound") else persons
    sources = [f"{words} for {r[k]}" for k, words in _SOURCE_WORDS.items() if r.get(k)]
    shown = [f"{r[k]} for {words}" for k, words in _BASIS_WORDS.items() if r.get(k)]
    said += f" (basis {', '.join(sources)}"
    said += f"; shown: {', '.join(shown)})" if shown else ")"
    notes = [n for n in (r.get("partial"), r.get("lower_bound")) if n]
    return said + (f" [{'; '.join(notes)}]" if notes else "")


def summary(result: MultilateralSection, found: Sequence[multi.Person]) -> list[str]:
    """The section's findings in words, each a number the tables below show."""
    j = result.jurisdiction
    start, end = result.window
    mine = [p for p in found if j in p.jurisdictions]
    shared = [p for p in mine if len(p.listings) > 1]
    own = next((r for r in result.lags if r["jurisdiction"] == j), None)
    bounds = [
        f"{r['jurisdiction']}: {r['lower_bound']}" for r in result.coverage if r["lower_bound"]
    ]
    out = [
        f"Over all years read, {len(result.coverage)} jurisdictions sanctioned"
        f" {'at least ' if bounds else ''}{result.persons} persons (individuals and entities)"
        f" under their Magnitsky-style programs; {result.multilateral} of them by two or"
        " more" + (f" ({'; '.join(bounds)})." if bounds else "."),
    ]
    if mine and own:
        out.append(
            f"Over all years read, of the {len(mine)} persons {j} sanctioned, {len(shared)}"
            f" ({100 * len(shared) / len(mine):.0f}%) were sanctioned by at least one other"
            f" jurisdiction too: {j} was certainly first on {own['first']}, first the same"
            f" day as another on {own['together']}, followed another on {own['followed']};"
            f" on {own['order_unknown']} the dates leave the order open."
        )
    if own and own["followed"]:
        out.append(
            f"When {j} followed another jurisdiction, it took a median of"
            f" {own['median_days']:g} days; the longest, {own['longest_days']} days."
        )
    year = [r for r in result.counts if r["year"] == result.year]
    if year:
        programs = {r["jurisdiction"]: r["programs"] for r in result.coverage}
        out.append(
            f"In {describe(result.year, result.year_end)} ({start.isoformat()} to"
            f" {end.isoformat()}), counting each person once per jurisdiction, in the year"
            " of its first listing of them under any of its Magnitsky-style programs: "
            + "; ".join(year_counts_said(r, programs.get(r["jurisdiction"], [])) for r in year)
            + "."
        )
    in_year = {r["person_id"] for r in result.year_listings}
    joint = {r["person_id"] for r in result.joint}
    out.append(
        f"From {start.isoformat()} to {end.isoformat()}: {len(in_year)} persons sanctioned by two"
        f" or more jurisdictions had a listing in the year; {len(joint)} were listed by two or"
        f" more jurisdictions within {multi.JOINT_DAYS} days of each other"
        f" ({len(result.joint)} joint actions)."
    )
    if result.not_by_jurisdiction:
        gaps = result.not_by_jurisdiction
        never = [r for r in gaps if r["other_program"] is None]
        several = sum(1 for r in never if r["jurisdictions"] > 1)
        as_of = next((r["as_of"] for r in result.coverage if r["jurisdiction"] == j), None)
        said = (
            f"By {j}'s last list ({as_of}), {len(gaps)} persons sanctioned by another"
            f" jurisdiction had not been sanctioned by {j} under these programs;"
        )
        if result.other_programs_read:
            said += (
                f" {len(never)} of them not under any program of {j} either, {several} of"
                " those sanctioned by two or more others."
            )
        else:
            said += (
                f" {sum(1 for r in gaps if r['jurisdictions'] > 1)} of them were sanctioned by"
                f" two or more others. The lists read for {j} hold only these programs:"
                " whether it sanctioned them under another is not known here."
            )
        out.append(said)
    return out
