"""Abuse themes, corruption types and victim groups of the designations, as the official
texts read show them: per year as (min, max) like every count, which of the rules' whole
vocabulary were never addressed, and how many designations have a text at all (a theme
absent from the designations without a text is not shown absent: it is not known)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from magnitsky.analysis import measures, precedents
from magnitsky.analysis.designations import PERSONS
from magnitsky.analysis.texts import OFFICIAL, THEMES, VICTIM, kind_of, vocabulary, words
from magnitsky.analysis.windows import YearEnd, window

Row = Mapping[str, Any]
KINDS = (*THEMES, VICTIM)
"""abuse, corruption, victim: the vocabularies the coverage table goes through."""
KIND_NAMES = {"abuse": "abuse", "corruption": "corruption", VICTIM: "victim group"}


def themes(row: Row) -> list[str]:
    return list(row.get("themes") or [])


def victim_groups(row: Row) -> list[str]:
    return list(row.get("victim_groups") or [])


def labels(row: Row) -> list[str]:
    """Themes and victim groups together (the labels of the two vocabularies differ)."""
    return [*themes(row), *victim_groups(row)]


def has_text(row: Row) -> bool:
    """An official text read speaks about the designation (whatever it shows)."""
    return bool(row.get("evidence_url"))


def _named(entry: Mapping[str, Any]) -> dict[str, Any]:
    label = str(entry["value"])
    kind = kind_of(label)
    return {
        "kind": KIND_NAMES.get(kind or "", kind),
        "label": label,
        "name": words(label),
        **{k: v for k, v in entry.items() if k != "value"},
        "count": entry["max"],
    }


def of_window(rows: Iterable[Row], win: measures.Window) -> list[dict[str, Any]]:
    """Persons per theme and victim group in the window, as (min, max) with the names:
    abuses, then corruption types, then victim groups."""
    found = [_named(e) for e in measures.tally(rows, win, labels)]
    order = list(KIND_NAMES.values())
    return sorted(found, key=lambda e: order.index(e["kind"]) if e["kind"] in order else 9)


def by_year(rows: Sequence[Row], year_end: YearEnd) -> list[dict[str, Any]]:
    """:func:`of_window` for every year: ``{"year", "kind", "label", "name", "min", "max"}``."""
    first, last = measures.first_year(rows, year_end), measures.last_year(rows, year_end)
    if first is None or last is None:
        return []
    return [
        {"year": year, **entry}
        for year in range(first, last + 1)
        for entry in of_window(rows, window(year, year_end))
    ]


def coverage(rows: Sequence[Row], win: measures.Window, year: int) -> list[dict[str, Any]]:
    """Every abuse, corruption type and victim group the rules know, with the persons the
    texts read show it for in the program and in the year; ``status``: never addressed,
    not in the year, or in the year (possibly: only by a bracket)."""
    persons = [r for r in rows if r.get("schema") in PERSONS]
    year_counts = {e["label"]: e for e in of_window(persons, win)}
    firsts = {p["value"]: p for p in precedents.firsts(persons, ["theme", "victim_group"])}
    out = []
    for kind in KINDS:
        for label in vocabulary().get(kind, ()):
            behind = [r for r in persons if label in labels(r)]
            year_count = year_counts.get(label, {"min": 0, "max": 0})
            lo, hi = year_count["min"], year_count["max"]
            first = firsts.get(label)
            out.append(
                {
                    "kind": KIND_NAMES[kind],
                    "label": label,
                    "name": words(label),
                    "program": len(behind),
                    "year_min": lo,
                    "year_max": hi,
                    "status": _status(len(behind), lo, hi, year),
                    "first": _first(first) if first else None,
                    "source_ids": [r["source_id"] for r in behind],
                }
            )
    return out


def _first(p: Mapping[str, Any]) -> str:
    """``NAME (2020-12-09)``; a first that may have been preceded names its rivals."""
    when = p["date"].isoformat() if p["date_quality"] == "exact" else f"by {p['not_after']}"
    rivals = f"; or {', '.join(p['rivals'])}" if p["rivals"] else ""
    return f"{p['name']} ({when}{rivals})"


def _status(program: int, lo: int, hi: int, year: int) -> str:
    if not program:
        return "never addressed"
    if not hi:
        return f"not in {year}"
    return f"in {year}" if lo else f"possibly in {year}"


def never(table: Iterable[Mapping[str, Any]], kind: str | None = None) -> list[str]:
    """The labels of a coverage table never addressed (of one kind)."""
    return [
        r["label"] for r in table if r["status"] == "never addressed" and kind in (None, r["kind"])
    ]


def text_evidence(counted: Sequence[Row], rows: Sequence[Row]) -> dict[str, Any]:
    """How many persons counted (and of the whole program) an official text read speaks
    about, and how many have their basis from one, by class: "basis from official text
    for N of M"."""

    def tally(group: Sequence[Row]) -> dict[str, Any]:
        persons = [r for r in group if r.get("schema") in PERSONS]
        from_text = [r for r in persons if r.get("basis_source") == OFFICIAL]
        return {
            "persons": len(persons),
            "with_text": sum(1 for r in persons if has_text(r)),
            "basis_from_text": len(from_text),
            "by_basis": {
                b: sum(1 for r in from_text if r.get("basis") == b)
                for b in ("human_rights", "corruption", "ties")
            },
            "source_ids": [r["source_id"] for r in from_text],
            "without": [r["source_id"] for r in persons if r.get("basis_source") != OFFICIAL],
        }

    return {"year": tally(counted), "program": tally(rows)}
