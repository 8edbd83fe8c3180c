"""The one entry point of the annual report: every number of a program's year, each with
the designations behind it, the previous years' average and the findings in words."""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from magnitsky.analysis import countries, findings, measures, themes
from magnitsky.analysis import coverage as lists
from magnitsky.analysis.basis import ExtraEvidence
from magnitsky.analysis.designations import PERSONS, load
from magnitsky.analysis.multilateral_section import MultilateralSection, section
from magnitsky.analysis.precedents import precedents_in
from magnitsky.analysis.windows import CALENDAR, YearEnd, window, year_of
from magnitsky.history.dating import DATE_QUALITIES
from magnitsky.programs import first_listing
from magnitsky.store import Store

ALL = measures.Measure("designations", "every designation, persons and property", lambda r: True)


@dataclass
class Annual:
    program: str
    year: int
    year_end: YearEnd
    window: tuple[date, date]
    average_years: int
    designations: list[dict[str, Any]]
    """Every designation of the program, with basis, roles, countries and regions."""
    counted: list[dict[str, Any]]
    """Those counted in the report year; ``certain`` False: may belong to a neighbour."""
    yearly: list[dict[str, Any]]
    average: dict[str, Any]
    findings: list[dict[str, Any]] = field(default_factory=list)
    countries: list[dict[str, Any]] = field(default_factory=list)
    regions: list[dict[str, Any]] = field(default_factory=list)
    roles: list[dict[str, Any]] = field(default_factory=list)
    actions: list[dict[str, Any]] = field(default_factory=list)
    precedents: list[dict[str, Any]] = field(default_factory=list)
    quality: dict[str, Any] = field(default_factory=dict)
    themes: list[dict[str, Any]] = field(default_factory=list)
    """The year's abuse themes, corruption types and victim groups (official texts read)."""
    themes_by_year: list[dict[str, Any]] = field(default_factory=list)
    coverage: list[dict[str, Any]] = field(default_factory=list)
    """Every theme and victim group the rules know: never addressed, not in the year …"""
    text_evidence: dict[str, Any] = field(default_factory=dict)
    """How many persons (counted; of the program) have their basis from an official text."""
    lists_read: lists.Coverage = lists.NONE
    """How far the lists behind the program are read: a year after the last is partial."""
    multilateral: MultilateralSection | None = None
    """The multilateral section: the program's jurisdiction and its allies (None: the
    store has no other jurisdiction, or no persons matched across lists)."""


def annual(
    store: Store,
    program: str,
    year: int,
    year_end: YearEnd = CALENDAR,
    average_years: int = 5,
    extra: ExtraEvidence | None = None,
) -> Annual:
    """The analysis of ``program``'s designations in ``year`` (ending on ``year_end``),
    against the average of the ``average_years`` years before. The basis, themes and
    victim groups come from the official texts in the store where they give them, unless
    ``extra`` says otherwise (:func:`~magnitsky.analysis.designations.list_only`). The
    multilateral section compares the program's jurisdiction with every other in the
    store (:mod:`~magnitsky.analysis.multilateral_section`)."""
    result = analyse(
        load(store, program, extra),
        program,
        year,
        year_end,
        average_years,
        lists.of_program(store, program),
    )
    result.multilateral = section(store, program, result.window, year_end)
    return result


def analyse(
    rows: Sequence[dict[str, Any]],
    program: str,
    year: int,
    year_end: YearEnd = CALENDAR,
    average_years: int = 5,
    lists_read: lists.Coverage = lists.NONE,
) -> Annual:
    """:func:`annual` on designations already loaded (enriched); ``lists_read``: how far
    the lists behind them are read (marks the partial years)."""
    win = window(year, year_end)
    opened = first_listing(program)
    since = year_of(opened, year_end) if opened else measures.first_year(rows, year_end)
    result = Annual(
        program=program,
        year=year,
        year_end=year_end,
        window=win,
        average_years=average_years,
        designations=list(rows),
        counted=measures.behind_window(rows, win, ALL),
        yearly=[
            lists.mark(r, lists_read, window(r["year"], year_end))
            for r in measures.yearly(rows, year_end)
        ],
        average=measures.average(rows, year, year_end, average_years, since=since),
        countries=_countries(rows, win),
        regions=_named(measures.tally(rows, win, lambda r: r.get("regions") or []), "region"),
        roles=_named(
            measures.tally(rows, win, lambda r: r.get("roles") or [], "individuals"), "role"
        ),
        actions=measures.actions(rows, win),
        precedents=precedents_in(rows, year, win),
        themes=themes.of_window(rows, win),
        themes_by_year=themes.by_year(rows, year_end),
        coverage=themes.coverage(rows, win, year),
        lists_read=lists_read,
    )
    result.text_evidence = themes.text_evidence(result.counted, rows)
    result.quality = quality(result.counted, rows)
    result.findings = findings.of(result)
    return result


def _named(entries: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    return [{key: e["value"], "name": e["value"], **e, "count": e["max"]} for e in entries]


def _countries(rows: Sequence[Mapping[str, Any]], win: tuple[date, date]) -> list[dict[str, Any]]:
    entries = measures.tally(rows, win, lambda r: r.get("country_codes") or [])
    return [
        {
            "code": e["value"],
            "name": countries.name(e["value"]),
            "region": countries.region(e["value"]),
            "subregion": countries.subregion(e["value"]),
            **e,
            "count": e["max"],
        }
        for e in entries
    ]


def _linked_to_entity(row: Mapping[str, Any], entities: set[str]) -> bool:
    return row["schema"] == "Person" and any(t in entities for t in row.get("linked_to") or [])


def quality(counted: list[dict[str, Any]], rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """How the counted designations are dated, and what the analysis could not tell."""
    persons = [r for r in counted if r["schema"] in PERSONS]
    widths = [
        (r["listed_not_after"] - r["listed_not_before"]).days
        for r in counted
        if r["date_quality"] != "exact" and r.get("listed_not_before")
    ]
    entities = {r["name"] for r in rows if r["schema"] == "Organization"}
    return {
        "counted": len(counted),
        "certain": sum(1 for r in counted if r["certain"]),
        "possible": sum(1 for r in counted if not r["certain"]),
        **{q: sum(1 for r in counted if r["date_quality"] == q) for q in _QUALITIES},
        "bracket_days": {
            "max": max(widths, default=0),
            "median": statistics.median(widths) if widths else 0,
        },
        "unknown_basis": sum(1 for r in persons if r.get("basis", "unknown") == "unknown"),
        "basis_from_text": sum(1 for r in persons if r.get("basis_source") == "official text"),
        "no_country": sum(1 for r in persons if not r.get("country_codes")),
        "unresolved_countries": countries.unresolved(counted),
        "individuals_linked_to_entities": sum(
            1 for r in persons if r.get("basis") == "ties" and _linked_to_entity(r, entities)
        ),
    }


_QUALITIES = DATE_QUALITIES
