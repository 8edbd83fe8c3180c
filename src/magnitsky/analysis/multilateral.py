"""Multilateral sanctions: the same person sanctioned by two or more jurisdictions,
jointly or at different times; who acted first and how long the others took.

A person is a cluster of listings (``persons``, see :mod:`magnitsky.matching`). A
jurisdiction sanctioned a person when one of its listings of that person carries a
designation under one of the programs asked for (by default the Magnitsky-style ones);
with ``allies_any_program``, a jurisdiction counts with any program once another has
sanctioned the person under one of those (an ally may have used a country regime).
Its date is that of its first such designation, with the date's quality and bounds as
the designation has them: a bracket makes "who was first" and the lags ranges, and
``certain`` says whether the order is known.

Persons are individuals and entities; vessels and aircraft are property and are left
out unless asked for (``schemas``).

The concept's one home per layer: here the analysis (and :data:`VIEWS`, what
``magnitsky multilateral`` and ``/api/multilateral`` show); the report's section in
:mod:`magnitsky.analysis.multilateral_section` (what a report's jurisdiction and its
allies, the other jurisdictions, did) and :mod:`magnitsky.report.multilateral` (its
tables and charts); the web page in :mod:`magnitsky.web.routes.multilateral`; the
command in :mod:`magnitsky.cli_multilateral`.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from rigour.names import pick_name

from magnitsky.analysis.coverage import NONE, Coverage, mark, of_jurisdictions
from magnitsky.analysis.windows import CALENDAR, YearEnd, window, year_of
from magnitsky.programs import programs as all_programs
from magnitsky.store import Store

MAGNITSKY_PROGRAMS: tuple[str, ...] = tuple(
    key for key, program in all_programs().items() if program.magnitsky
)
PERSON_SCHEMAS: tuple[str, ...] = ("Person", "Organization")
JOINT_DAYS = 7
"""Two jurisdictions acting on one person within this many days act jointly."""

LISTING_COLUMNS = (
    "person_id",
    "jurisdiction",
    "program",
    "source_id",
    "name",
    "schema",
    "match_score",
    "match_status",
)
MULTILATERAL_COLUMNS = (
    "person_id",
    "name",
    "schema",
    "jurisdictions",
    "jurisdiction",
    "program",
    "source_id",
    "listed_on",
    "listed_not_before",
    "listed_not_after",
    "date_quality",
    "first",
    "first_certain",
    "order",
    "lag_days",
    "lag_min_days",
    "lag_max_days",
    "match_status",
)


@dataclass(frozen=True)
class Listing:
    """A jurisdiction's first designation of a person under the programs asked for."""

    jurisdiction: str
    program: str
    source: str
    source_id: str
    name: str
    listed_on: date
    not_before: date | None
    not_after: date
    date_quality: str
    date_source: str
    match_status: str


@dataclass(frozen=True)
class Person:
    person_id: str
    name: str
    schema: str
    listings: tuple[Listing, ...]
    """One per jurisdiction, earliest first."""

    @property
    def jurisdictions(self) -> tuple[str, ...]:
        return tuple(x.jurisdiction for x in self.listings)

    @property
    def first(self) -> tuple[Listing, ...]:
        """The jurisdictions that listed the person first (several on the same day)."""
        earliest = self.listings[0].listed_on
        return tuple(x for x in self.listings if x.listed_on == earliest)

    def first_certain(self) -> bool:
        """Whether the first is known to be first: its latest possible date comes
        before the earliest possible date of every other (and no one ties it)."""
        first = self.first
        if len(first) > 1:
            return False
        rest = self.listings[1:]
        return all(x.not_before is not None and first[0].not_after < x.not_before for x in rest)

    def order(self, listing: Listing) -> str:
        """Where a jurisdiction's listing stands, as far as the dates tell: ``first``
        (certainly before every other), ``together`` (no other certainly before it, and
        the same exact day as those not after it), ``followed`` (another certainly came
        before it) or ``unknown`` (a bracket leaves it open: a baseline date, say)."""
        others = [x for x in self.listings if x is not listing]
        if any(before(x, listing) == "a" for x in others):
            return "followed"
        relations = [before(listing, x) for x in others]
        if all(r == "a" for r in relations):
            return "first"
        if all(r in ("a", "same") for r in relations):
            return "together"
        return "unknown"

    def lag(self, listing: Listing) -> tuple[int, int | None, int | None]:
        """Days from the first listing to this one: by the dates given, and at least /
        at most by the brackets (None where a bound is unknown)."""
        first = self.first[0]
        days = (listing.listed_on - first.listed_on).days
        low = (listing.not_before - first.not_after).days if listing.not_before else None
        high = (listing.not_after - first.not_before).days if first.not_before else None
        return days, None if low is None else max(low, 0), high


def listings(store: Store, programs: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """One row per listing per program of every jurisdiction: the person it belongs to,
    its own id in its list, and how it was matched (``magnitsky persons``)."""
    where = "WHERE d.program IN (SELECT UNNEST(?))" if programs else ""
    return store.dicts(
        "SELECT p.person_id, d.jurisdiction, d.program, d.source, d.source_id,"
        " any_value(d.name ORDER BY d.listed_not_after DESC) AS name,"
        " any_value(d.schema) AS schema, p.match_score, p.match_status"
        " FROM designations d JOIN persons p USING (source, source_id)"
        f" {where}"
        " GROUP BY ALL ORDER BY p.person_id, d.jurisdiction, d.program, d.source_id",
        [list(programs)] if programs else [],
    )


def persons(
    store: Store,
    programs: Sequence[str] = MAGNITSKY_PROGRAMS,
    schemas: Sequence[str] = PERSON_SCHEMAS,
    allies_any_program: bool = False,
) -> list[Person]:
    """Every person sanctioned under the programs, with each jurisdiction's first
    listing of them (see the module's description)."""
    rows = store.dicts(
        "SELECT p.person_id, p.match_status, d.jurisdiction, d.program, d.source,"
        " d.source_id, d.name, d.schema, d.listed_on, d.listed_not_before,"
        " d.listed_not_after, d.date_quality, d.date_source"
        " FROM designations d JOIN persons p USING (source, source_id)"
        " WHERE d.schema IN (SELECT UNNEST(?))",
        [list(schemas)],
    )
    wanted = set(programs)
    by_person: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_person[row["person_id"]].append(row)
    out = []
    for person_id, found in sorted(by_person.items()):
        if not any(r["program"] in wanted for r in found):
            continue
        counted = found if allies_any_program else [r for r in found if r["program"] in wanted]
        out.append(_person(person_id, counted, wanted))
    return out


def _person(person_id: str, rows: list[dict[str, Any]], wanted: set[str]) -> Person:
    first_by_jurisdiction: dict[str, dict[str, Any]] = {}
    for row in sorted(rows, key=_order):
        first_by_jurisdiction.setdefault(row["jurisdiction"], row)
    chosen = sorted(first_by_jurisdiction.values(), key=_order)
    # the name most of the lists sanctioning under the programs agree on
    named = [r for r in chosen if r["program"] in wanted] or chosen
    return Person(
        person_id,
        pick_name([r["name"] for r in named]) or named[0]["name"],
        named[0]["schema"],
        tuple(
            Listing(
                r["jurisdiction"],
                r["program"],
                r["source"],
                r["source_id"],
                r["name"],
                r["listed_on"],
                r["listed_not_before"],
                r["listed_not_after"],
                r["date_quality"],
                r["date_source"],
                r["match_status"],
            )
            for r in chosen
        ),
    )


def _order(row: dict[str, Any]) -> tuple[date, date, str, str]:
    return (row["listed_on"], row["listed_not_after"], row["jurisdiction"], row["program"])


def multilateral(found: Iterable[Person]) -> list[Person]:
    """The persons sanctioned by two or more jurisdictions."""
    return [p for p in found if len(p.listings) >= 2]


def unilateral(found: Iterable[Person]) -> list[Person]:
    """The persons sanctioned by one jurisdiction only."""
    return [p for p in found if len(p.listings) == 1]


def rows(found: Iterable[Person]) -> list[dict[str, Any]]:
    """One row per person and jurisdiction: its date, whether it was first, and its
    lag behind the first (``magnitsky multilateral``)."""
    out = []
    for person in found:
        first = {x.jurisdiction for x in person.first}
        certain = person.first_certain()
        for listing in person.listings:
            days, low, high = person.lag(listing)
            out.append(
                {
                    "person_id": person.person_id,
                    "name": person.name,
                    "schema": person.schema,
                    "jurisdictions": len(person.listings),
                    "jurisdiction": listing.jurisdiction,
                    "program": listing.program,
                    "source_id": listing.source_id,
                    "listed_on": listing.listed_on,
                    "listed_not_before": listing.not_before,
                    "listed_not_after": listing.not_after,
                    "date_quality": listing.date_quality,
                    "date_source": listing.date_source,
                    "first": listing.jurisdiction in first,
                    "first_certain": certain,
                    "order": person.order(listing),
                    "lag_days": days,
                    "lag_min_days": low,
                    "lag_max_days": high,
                    "match_status": listing.match_status,
                }
            )
    return out


Basis = tuple[str, str | None]
"""A designation's basis and where it comes from (:data:`magnitsky.analysis.basis.SOURCES`;
None: not told)."""


def bases(
    store: Store, programs: Sequence[str] = MAGNITSKY_PROGRAMS
) -> dict[tuple[str, str, str], Basis]:
    """The basis of each designation under the programs, as the analysis judges it
    (:mod:`magnitsky.analysis.basis`: a thematic program states it, a list's remarks or an
    official text read may show it), and where it comes from: ``(source, source_id,
    program) -> (basis, basis_source)``, those of the first listing period."""
    from magnitsky.analysis.designations import enrich
    from magnitsky.analysis.texts import OfficialTexts

    rows = store.dicts(
        "SELECT * FROM designations WHERE program IN (SELECT UNNEST(?))"
        " ORDER BY listed_not_after, program, name",
        [list(programs)],
    )
    out: dict[tuple[str, str, str], Basis] = {}
    for row in enrich(store, rows, OfficialTexts.of(store)):
        key = (row["source"], row["source_id"], row["program"])
        out.setdefault(key, (row["basis"], row["basis_source"]))
    return out


BASIS_COUNTS = ("human_rights", "corruption", "ties", "basis_unknown")
"""What ``counts_per_year`` adds with the bases: the persons by basis, where the source
tells (a thematic program, the list's remarks, an official text read)."""
BASIS_SOURCE_COUNTS = {
    "regime": "basis_from_regime",
    "official text": "basis_from_text",
    "list": "basis_from_list",
}
"""And where each basis comes from: the regime itself (a thematic program of one kind),
an official text read, the list's remarks; ``basis_unknown``: not told."""


def counts_per_year(
    found: Iterable[Person],
    year_end: YearEnd = CALENDAR,
    basis: Mapping[tuple[str, str, str], Basis] | None = None,
    lists: Mapping[str, Coverage] | None = None,
) -> list[dict[str, Any]]:
    """Per jurisdiction and year: the persons it sanctioned (by the date of its first
    listing of them), how many of those are multilateral, and of those, how many it
    sanctioned first (alone or the same day as others), how many it followed another
    jurisdiction on, and for how many the dates leave the order open
    (:meth:`Person.order`). ``uncertain_year``: of the persons, those whose date is a
    bracket across the year's boundary. With ``basis`` (:func:`bases`), the persons by
    basis too (:data:`BASIS_COUNTS`) and by where it comes from
    (:data:`BASIS_SOURCE_COUNTS`). With ``lists`` (per jurisdiction, how far its lists
    are read: :func:`magnitsky.analysis.coverage.of_jurisdictions`), whether the year is
    covered only in part and whether its counts are lower bounds
    (:func:`magnitsky.analysis.coverage.mark`)."""
    told = (*BASIS_COUNTS, *BASIS_SOURCE_COUNTS.values()) if basis is not None else ()
    zero = dict.fromkeys(
        (
            "persons",
            *told,
            "multilateral",
            "first",
            "followed",
            "order_unknown",
            "uncertain_year",
        ),
        0,
    )
    counts: dict[tuple[str, int], dict[str, int]] = defaultdict(lambda: dict(zero))
    for person in found:
        for listing in person.listings:
            year = year_of(listing.listed_on, year_end)
            row = counts[(listing.jurisdiction, year)]
            row["persons"] += 1
            if len(person.listings) > 1:
                row["multilateral"] += 1
                order = person.order(listing)
                key = {"first": "first", "together": "first", "followed": "followed"}
                row[key.get(order, "order_unknown")] += 1
            low = listing.not_before
            if low is None or year_of(low, year_end) != year_of(listing.not_after, year_end):
                row["uncertain_year"] += 1
            if basis is not None:
                said = basis.get((listing.source, listing.source_id, listing.program))
                shown, source = said or (None, None)
                row[shown if shown in BASIS_COUNTS else "basis_unknown"] += 1
                if source in BASIS_SOURCE_COUNTS:
                    row[BASIS_SOURCE_COUNTS[source]] += 1
    out: list[dict[str, Any]] = [
        {"jurisdiction": j, "year": y, **counted} for (j, y), counted in sorted(counts.items())
    ]
    if lists is None:
        return out
    return [
        {
            "jurisdiction": entry["jurisdiction"],
            "year": entry["year"],
            **mark({}, lists.get(entry["jurisdiction"], NONE), window(entry["year"], year_end)),
            **entry,
        }
        for entry in out
    ]


def combinations(found: Iterable[Person]) -> list[dict[str, Any]]:
    """The persons of each exact set of jurisdictions that sanctioned them (the bars of
    an UpSet chart), most persons first; ``names`` and ``person_ids`` in the same order."""
    groups: dict[tuple[str, ...], list[Person]] = defaultdict(list)
    for person in sorted(found, key=lambda p: (p.name, p.person_id)):
        groups[tuple(sorted(person.jurisdictions))].append(person)
    rows = [
        {
            "combination": " + ".join(key),
            "jurisdictions": list(key),
            "size": len(key),
            "persons": len(members),
            "names": [p.name for p in members],
            "person_ids": [p.person_id for p in members],
        }
        for key, members in groups.items()
    ]
    return sorted(rows, key=lambda r: (-r["persons"], -r["size"], r["combination"]))


def overlaps(found: Iterable[Person]) -> list[dict[str, Any]]:
    """For every pair of jurisdictions: the persons each sanctioned, those both did,
    and what share of each that is; and who of the two acted first on the persons they
    share: ``a_first`` / ``b_first`` when the dates say so for certain, ``same_day`` (both
    exact), ``order_unknown`` when a bracket leaves it open."""
    persons_of: dict[str, set[str]] = defaultdict(set)
    listed: dict[tuple[str, str], Listing] = {}
    for person in found:
        for listing in person.listings:
            persons_of[listing.jurisdiction].add(person.person_id)
            listed[(person.person_id, listing.jurisdiction)] = listing
    out = []
    for a, b in itertools.combinations(sorted(persons_of), 2):
        both = persons_of[a] & persons_of[b]
        order = [before(listed[(p, a)], listed[(p, b)]) for p in both]
        out.append(
            {
                "a": a,
                "b": b,
                "a_persons": len(persons_of[a]),
                "b_persons": len(persons_of[b]),
                "both": len(both),
                "share_of_a": round(len(both) / len(persons_of[a]), 4),
                "share_of_b": round(len(both) / len(persons_of[b]), 4),
                "a_first": order.count("a"),
                "b_first": order.count("b"),
                "same_day": order.count("same"),
                "order_unknown": order.count(None),
            }
        )
    return sorted(out, key=lambda r: (-r["both"], r["a"], r["b"]))


def before(a: Listing, b: Listing) -> str | None:
    """Which of two listings certainly came first ("a" or "b"), or "same" (one exact
    day); None when the dates leave it open."""
    if a.date_quality == b.date_quality == "exact" and a.listed_on == b.listed_on:
        return "same"
    if b.not_before is not None and a.not_after < b.not_before:
        return "a"
    if a.not_before is not None and b.not_after < a.not_before:
        return "b"
    return None


def joint_actions(found: Iterable[Person], days: int = JOINT_DAYS) -> list[dict[str, Any]]:
    """Jurisdictions acting on one person together: listings of one person by two or
    more jurisdictions within ``days`` of each other (a chain: each within ``days`` of
    the previous). ``certain``: every date of the group is exact."""
    out: list[dict[str, Any]] = []
    for person in found:
        group: list[Listing] = []
        for listing in person.listings:
            if group and (listing.listed_on - group[-1].listed_on).days > days:
                _joint(out, person, group)
                group = []
            group.append(listing)
        _joint(out, person, group)
    return out


def _joint(out: list[dict[str, Any]], person: Person, group: list[Listing]) -> None:
    if len(group) < 2:
        return
    out.append(
        {
            "person_id": person.person_id,
            "name": person.name,
            "jurisdictions": [x.jurisdiction for x in group],
            "programs": [x.program for x in group],
            "from": group[0].listed_on,
            "to": group[-1].listed_on,
            "certain": all(x.date_quality == "exact" for x in group),
        }
    )


VIEWS = ("persons", "counts", "overlaps", "combinations", "joint", "unilateral")
"""The views of ``magnitsky multilateral --view`` (and of the web API): each
multilateral person and jurisdiction with its date and lag; per jurisdiction and year;
per pair of jurisdictions; per exact set of jurisdictions (an UpSet chart's bars);
listings within a week; persons of one jurisdiction only."""


def view(
    store: Store,
    name: str,
    programs: Sequence[str] | None = None,
    allies_any_program: bool = False,
    year_end: YearEnd = CALENDAR,
    with_property: bool = False,
    found: Sequence[Person] | None = None,
) -> tuple[list[dict[str, Any]], list[str]]:
    """One of :data:`VIEWS` (``magnitsky multilateral --view``, the web API) and its
    columns: the persons under ``programs`` (default the Magnitsky-style ones), with
    vessels and aircraft when ``with_property``; the counts by basis too. ``found``: the
    :func:`persons_of` these options, found before (the views of a page share them)."""
    programs = programs or MAGNITSKY_PROGRAMS
    if found is None:
        found = persons_of(store, programs, allies_any_program, with_property)
    if name != "counts":
        return tabulate(found, name, year_end)
    return tabulate(
        found, name, year_end, bases(store, programs), of_jurisdictions(store, programs)
    )


def persons_of(
    store: Store,
    programs: Sequence[str] | None = None,
    allies_any_program: bool = False,
    with_property: bool = False,
) -> list[Person]:
    """The persons a :func:`view` with these options is of."""
    schemas = (*PERSON_SCHEMAS, "Vessel", "Airplane") if with_property else PERSON_SCHEMAS
    return persons(store, programs or MAGNITSKY_PROGRAMS, schemas, allies_any_program)


def tabulate(
    found: Sequence[Person],
    name: str,
    year_end: YearEnd = CALENDAR,
    basis: Mapping[tuple[str, str, str], Basis] | None = None,
    lists: Mapping[str, Coverage] | None = None,
) -> tuple[list[dict[str, Any]], list[str]]:
    """One of :data:`VIEWS` over the persons found, and its columns (``basis``: the
    counts by basis too, :func:`bases`; ``lists``: the partial years and lower bounds,
    :func:`counts_per_year`)."""
    if name == "persons":
        return rows(multilateral(found)), list(MULTILATERAL_COLUMNS)
    if name == "unilateral":
        alone = MULTILATERAL_COLUMNS[: MULTILATERAL_COLUMNS.index("first_certain")]
        return rows(unilateral(found)), list(alone)
    if name == "counts":
        table = counts_per_year(found, year_end, basis, lists)
    elif name == "overlaps":
        table = overlaps(found)
    elif name == "combinations":
        table = combinations(found)
    elif name == "joint":
        table = joint_actions(multilateral(found))
    else:
        raise ValueError(f"no multilateral view {name!r}: one of {', '.join(VIEWS)}")
    return table, list(dict.fromkeys(k for r in table for k in r))
