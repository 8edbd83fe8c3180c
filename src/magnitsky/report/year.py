"""The year at a glance, across jurisdictions: for each jurisdiction the persons it
sanctioned under its Magnitsky-style programs in the year, by basis with where the basis
comes from, its largest actions (the days it listed most persons), its new precedents
(the first person of a country it ever sanctioned under these programs), the persons no
other jurisdiction has sanctioned; and the joint actions of the year (two or more
jurisdictions on one person within a week).

A person counts in a jurisdiction's year when that jurisdiction's *first* listing of them
under these programs falls in the year (:mod:`magnitsky.multilateral`): "certain" when
the date is known to lie in the year, "maybe" when only its bracket reaches into it (a
count is then a range). A year the lists read do not cover to its end is marked partial.

The web page ``/year/YYYY`` and the report's first section show the same
:class:`Glance`: :func:`of_store` computes it from a store (with the sources of the bases
and the countries), :func:`of_section` from the report's multilateral section."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from html import escape
from typing import Any

from magnitsky.analysis import countries
from magnitsky.analysis import multilateral as multi
from magnitsky.analysis.annual import Annual
from magnitsky.analysis.multilateral_section import (
    MultilateralSection,
    _as_of,
    _in,
    joint_in,
    listing_rows,
)
from magnitsky.analysis.precedents import by_jurisdiction
from magnitsky.analysis.texts import words as label_words
from magnitsky.analysis.windows import CALENDAR, YearEnd, window
from magnitsky.labels import jurisdiction_name
from magnitsky.store import Store

Row = dict[str, Any]
BASES = ("human_rights", "corruption", "ties", "unknown")
LARGEST = 3
"""Largest actions shown per jurisdiction."""
NAMES_SHOWN = 5
JURISDICTION_ORDER = ("US", "GB", "EU", "CA", "AU")


def basis_origin(basis: str | None, source: str | None, evidence: str | None) -> str:
    """Where a designation's basis comes from, in words."""
    said = evidence or ""
    if not basis or basis == "unknown":
        return "not told"
    if source == "official text":
        return "official text"
    if said.startswith("program "):
        return "the regime"
    if said.startswith("Linked To"):
        return "Linked To"
    return "the list's remarks"


@dataclass
class Side:
    """One jurisdiction's year."""

    jurisdiction: str
    certain: int = 0
    maybe: int = 0
    bases: dict[str, int] = field(default_factory=dict)
    """basis -> persons (certain and maybe together)."""
    origins: dict[str, dict[str, int]] = field(default_factory=dict)
    """basis -> where it comes from -> persons (empty when not known here)."""
    largest: list[Row] = field(default_factory=list)
    """{"date", "persons", "names"}: the days it listed most persons."""
    precedents: list[Row] = field(default_factory=list)
    """The precedents set in the year under these programs: the first person of a role,
    country, region, basis, theme or victim group (:mod:`magnitsky.analysis.precedents`:
    ``kind``, ``value``, ``name``, ``date``, ``in_year`` certain or possible)."""
    alone: list[str] = field(default_factory=list)
    """Persons sanctioned in the year whom no other jurisdiction has sanctioned."""
    multilateral: int = 0
    sources: dict[str, int] = field(default_factory=dict)
    """Where the bases come from, all bases together (when not known per basis)."""
    as_of: date | None = None
    partial: bool = False

    @property
    def persons(self) -> str:
        return (
            str(self.certain) if not self.maybe else f"{self.certain}–{self.certain + self.maybe}"
        )


@dataclass
class Glance:
    year: int
    window: tuple[date, date]
    sides: list[Side]
    joint: list[Row]
    programs: tuple[str, ...]
    countries_known: bool = True

    def as_dict(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "window": list(self.window),
            "programs": list(self.programs),
            "jurisdictions": [
                {
                    "jurisdiction": s.jurisdiction,
                    "persons": s.certain + s.maybe,
                    "persons_certain": s.certain,
                    "persons_maybe": s.maybe,
                    "multilateral": s.multilateral,
                    "by_basis": s.bases,
                    "basis_from": s.origins,
                    "largest_actions": s.largest,
                    "precedents": s.precedents,
                    "sanctioned_by_no_other": s.alone,
                    "lists_read_to": s.as_of,
                    "partial_year": s.partial,
                }
                for s in self.sides
            ],
            "joint_actions": self.joint,
        }


def _order(j: str) -> tuple[int, str]:
    return (JURISDICTION_ORDER.index(j) if j in JURISDICTION_ORDER else 99, j)


def glance(
    rows: Sequence[Row],
    joint: Sequence[Row],
    year: int,
    year_end: YearEnd = CALENDAR,
    as_of: Mapping[str, date] | None = None,
    facts: Mapping[tuple[str, str, str], Row] | None = None,
    counts: Sequence[Row] = (),
    programs: Sequence[str] = multi.MAGNITSKY_PROGRAMS,
    precedents: Mapping[str, list[Row]] | None = None,
) -> Glance:
    """The glance from one row per person and jurisdiction (:func:`listing_rows`) and the
    joint actions ending in the year. ``facts``: (source, source_id, program) -> the
    designation analysed (basis, basis_source, basis_evidence, country_codes); without
    them the bases come from ``counts`` (:func:`magnitsky.multilateral.counts_per_year`).
    ``precedents``: per jurisdiction, those set in the year
    (:func:`magnitsky.analysis.precedents.by_jurisdiction`)."""
    win = window(year, year_end)
    end = win[1]
    sides: dict[str, Side] = {}
    in_year: list[tuple[Row, str]] = []
    for r in rows:
        j = r["jurisdiction"]
        side = sides.setdefault(j, Side(j))
        listing = _listing(r)
        when = _in(listing, win)
        fact = (facts or {}).get((r.get("source", ""), r["source_id"], r["program"]), {})
        if when is None:
            continue
        in_year.append((r, when))
        if when == "certain":
            side.certain += 1
        else:
            side.maybe += 1
        if r.get("jurisdictions", 1) > 1:
            side.multilateral += 1
        if facts is not None:
            basis = fact.get("basis") or "unknown"
            side.bases[basis] = side.bases.get(basis, 0) + 1
            origin = basis_origin(basis, fact.get("basis_source"), fact.get("basis_evidence"))
            side.origins.setdefault(basis, {})
            side.origins[basis][origin] = side.origins[basis].get(origin, 0) + 1
        if r.get("combination") == j:
            side.alone.append(r["name"])
    if facts is None:
        for c in counts:
            if c["year"] == year and c["jurisdiction"] in sides:
                side = sides[c["jurisdiction"]]
                told = {b: c.get(b if b != "unknown" else "basis_unknown", 0) for b in BASES}
                side.bases = {b: n for b, n in told.items() if n}
                side.sources = {
                    words: int(c[key])
                    for words, key in multi.BASIS_SOURCE_COUNTS.items()
                    if c.get(key)
                }
    for j, side in sides.items():
        mine = [(r, w) for r, w in in_year if r["jurisdiction"] == j]
        side.largest = _largest(mine)
        side.precedents = list((precedents or {}).get(j, ()))
        side.alone.sort()
        side.as_of = (as_of or {}).get(j)
        side.partial = side.as_of is not None and side.as_of < end
    return Glance(
        year,
        win,
        sorted(sides.values(), key=lambda s: _order(s.jurisdiction)),
        list(joint),
        tuple(programs),
        facts is not None,
    )


def _listing(r: Row) -> multi.Listing:
    return multi.Listing(
        r["jurisdiction"],
        r["program"],
        r.get("source", ""),
        r["source_id"],
        r["name"],
        r["listed_on"],
        r["listed_not_before"],
        r["listed_not_after"],
        r["date_quality"],
        r.get("date_source", ""),
        r.get("match_status", ""),
    )


def _largest(rows: Sequence[tuple[Row, str]]) -> list[Row]:
    days: dict[date, list[str]] = defaultdict(list)
    for r, when in rows:
        if when == "certain" and r["date_quality"] == "exact":
            days[r["listed_on"]].append(r["name"])
    top = sorted(days.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:LARGEST]
    return [{"date": d, "persons": len(n), "names": sorted(n)[:NAMES_SHOWN]} for d, n in top]


# --- from a store, from the report's multilateral section -------------------------------------


def of_store(
    store: Store,
    year: int,
    year_end: YearEnd = CALENDAR,
    analysed: Sequence[Row] | None = None,
    programs: Sequence[str] = multi.MAGNITSKY_PROGRAMS,
) -> Glance:
    """The glance from the store (its persons must be matched). ``analysed``: the
    designations of ``programs`` with the analysis's columns, when the caller has them
    (the web server keeps them); else they are analysed now."""
    if analysed is None:
        from magnitsky.analysis.designations import enrich
        from magnitsky.analysis.texts import OfficialTexts

        plain = store.dicts(
            "SELECT * FROM designations WHERE program IN (SELECT UNNEST(?))"
            " ORDER BY listed_not_after, program, name",
            [list(programs)],
        )
        analysed = enrich(store, plain, OfficialTexts.of(store))
    facts: dict[tuple[str, str, str], Row] = {}
    for r in analysed:
        facts.setdefault((r["source"], r["source_id"], r["program"]), r)
    found = multi.persons(store, programs)
    rows = listing_rows(found)
    sources = {(p.person_id, x.jurisdiction): x.source for p in found for x in p.listings}
    for r in rows:
        r["source"] = sources[(r["person_id"], r["jurisdiction"])]
    win = window(year, year_end)
    joint = joint_in(multi.multilateral(found), win)
    set_in = by_jurisdiction(analysed, year, win)
    return glance(
        rows, joint, year, year_end, _as_of(store), facts, programs=programs, precedents=set_in
    )


def of_section(a: MultilateralSection) -> Glance:
    """The glance from the report's multilateral section (bases from its counts, no sources of
    the bases per basis: ``/year/YYYY`` on the web has those)."""
    return glance(
        a.listings,
        a.joint,
        a.year,
        _year_end(a),
        None,
        None,
        a.counts,
        programs=a.programs,
        precedents=a.precedents,
    )


def _year_end(a: MultilateralSection) -> YearEnd:
    end = a.window[1]
    return (end.month, end.day)


# --- words ---------------------------------------------------------------------------


def basis_text(side: Side) -> str:
    parts = []
    for basis in BASES:
        n = side.bases.get(basis, 0)
        if not n:
            continue
        origins = side.origins.get(basis, {})
        said = ", ".join(f"{o} {k}" for o, k in sorted(origins.items(), key=lambda kv: -kv[1]))
        label = basis.replace("_", " ") if basis != "unknown" else "basis not told"
        parts.append(f"{label} {n}" + (f" ({said})" if said and basis != "unknown" else ""))
    if side.sources:
        parts.append("from " + ", ".join(f"{words} {n}" for words, n in side.sources.items()))
    return "; ".join(parts) or "—"


def sentences(g: Glance) -> list[str]:
    """The glance in sentences (the report's first section)."""
    start, end = g.window
    calendar = (start.month, start.day, end.month, end.day) == (1, 1, 12, 31)
    span = "" if calendar else f" ({start.isoformat()} to {end.isoformat()})"
    out = []
    for s in g.sides:
        partial = f" (lists read to {s.as_of}: a partial year)" if s.partial else ""
        out.append(
            f"{jurisdiction_name(s.jurisdiction, short=True)[:1].upper()}"
            f"{jurisdiction_name(s.jurisdiction, short=True)[1:]} sanctioned {s.persons}"
            f" person{'s' if s.persons != '1' else ''} in {g.year}{span}{partial}: {basis_text(s)};"
            f" {len(s.alone)} of them sanctioned by no other jurisdiction."
        )
    if g.joint:
        names = "; ".join(
            f"{j['name']} ({' + '.join(j['jurisdictions'])}, {j['from'].isoformat()}"
            f"{'' if j['from'] == j['to'] else ' to ' + j['to'].isoformat()})"
            for j in g.joint[:NAMES_SHOWN]
        )
        out.append(f"{len(g.joint)} joint action{'s' if len(g.joint) != 1 else ''}: {names}.")
    else:
        out.append("No joint action (two or more jurisdictions on one person within a week).")
    return out


COLUMNS = (
    "Jurisdiction",
    "Persons",
    "By basis (where it comes from)",
    "Largest actions",
    "New precedents",
    "By no other",
)


def _cells(s: Side) -> list[str]:
    largest = "; ".join(f"{a['date'].isoformat()}: {a['persons']}" for a in s.largest) or "—"
    precedents = "; ".join(precedent_words(p) for p in s.precedents) or "none"
    persons = s.persons + (f" (partial: to {s.as_of.isoformat()})" if s.partial and s.as_of else "")
    return [s.jurisdiction, persons, basis_text(s), largest, precedents, str(len(s.alone))]


PRECEDENTS_SAID = (
    "New precedents: the first person each jurisdiction sanctioned under these programs"
    " with a role, a country, a region, a basis, a theme or a victim group, when that first"
    ' listing falls in the year ("possibly set before" when its date\'s bracket reaches'
    " back out of the year)."
)


def precedent_words(p: Row) -> str:
    """``country Iran: NAME (2023-02-03)``: one precedent in words."""
    value = countries.name(p["value"]) if p["kind"] == "country" else label_words(str(p["value"]))
    when = p["date"].isoformat() if isinstance(p["date"], date) else str(p["date"])
    maybe = "" if p.get("in_year") == "certain" else ", possibly set before the year"
    return f"{p['kind'].replace('_', ' ')} {value}: {p['name']} ({when}{maybe})"


def html(g: Glance) -> str:
    """The report's first section (HTML)."""
    rows = "".join(
        "<tr>" + "".join(f"<td>{escape(c)}</td>" for c in _cells(s)) + "</tr>" for s in g.sides
    )
    head = "".join(f'<th scope="col">{escape(c)}</th>' for c in COLUMNS)
    said = "".join(f"<p>{escape(t)}</p>" for t in sentences(g))
    note = f'<p class="note">{escape(PRECEDENTS_SAID)}</p>'
    return (
        f'{said}<div class="scroll"><table><caption>{g.year} across jurisdictions, under'
        f" {escape(', '.join(g.programs))}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{rows}</tbody></table></div>{note}"
    )


def markdown(g: Glance) -> str:
    """The report's first section (Markdown)."""
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + " --- |" * len(COLUMNS)]
    lines += ["| " + " | ".join(c.replace("|", "/") for c in _cells(s)) + " |" for s in g.sides]
    note = [PRECEDENTS_SAID]
    return "\n\n".join([*sentences(g), "\n".join(lines), *note])


NO_OTHERS = (
    "The store holds one jurisdiction, or its persons are not matched across lists: no"
    " comparison across jurisdictions."
)


def html_section(annual: Annual) -> str:
    """The report's first section: the year across jurisdictions."""
    return (
        html(of_section(annual.multilateral))
        if annual.multilateral
        else f"<p>{escape(NO_OTHERS)}</p>"
    )


def markdown_section(annual: Annual) -> str:
    return markdown(of_section(annual.multilateral)) if annual.multilateral else NO_OTHERS
