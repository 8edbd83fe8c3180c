"""What a chart says in words (its title and its description: the SVG's ``<desc>``, the
page's alt text and caption), computed from its rows without drawing it: a page that
shows a chart as an image needs only these, and need not import Matplotlib."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from magnitsky.report.tables import span

COMBINATIONS_SHOWN = 20
"""Combinations of jurisdictions an UpSet chart shows (the largest)."""


@dataclass(frozen=True)
class Caption:
    title: str
    description: str


def yearly(program: str, rows: list[dict[str, Any]]) -> Caption | None:
    """The words of the chart of persons per year by basis (rows: one per year)."""
    rows = sorted(rows, key=lambda r: r["year"])
    if not rows:
        return None
    description = (
        "Stacked bars per year: solid, the persons certainly designated in the year, by"
        " basis; hatched above, those dated by a bracket that may fall in the year. Labels:"
        " at least–at most. Direct involvement is at least the human-rights abuse and"
        " corruption bars, at most those and the basis unknown. "
        + "; ".join(_year_said(r) for r in rows)
    )
    return Caption(f"{program}: persons designated per year, by basis", description)


def _year_said(r: dict[str, Any]) -> str:
    """A year of the chart in words: its persons, the direct-involvement range, where the
    basis comes from, and whether the year is covered only in part."""
    said = (
        f"{r['year']}: {span(r.get('persons_min', 0), r.get('persons_max', 0))} persons,"
        f" direct involvement {span(r.get('direct_min', 0), r.get('direct_max', 0))}"
        f" (basis from an official text for {span(*_pair(r, 'basis_from_text'))}, the"
        f" regime for {span(*_pair(r, 'basis_from_regime'))}, the list for"
        f" {span(*_pair(r, 'basis_from_list'))}, not known for {span(*_pair(r, 'unknown'))})"
    )
    return f"{said} [{r['partial']}]" if r.get("partial") else said


def _pair(r: dict[str, Any], key: str) -> tuple[int, int]:
    return r.get(f"{key}_min", 0), r.get(f"{key}_max", 0)


def upset_totals(
    combinations: list[dict[str, Any]], totals: dict[str, int] | None = None
) -> tuple[dict[str, int], list[str]]:
    """The persons per jurisdiction (``totals``, else counted from the combinations) and
    the jurisdictions from the most persons down: the UpSet chart's rows."""
    if totals is None:
        totals = {}
        for r in combinations:
            for j in r["jurisdictions"]:
                totals[j] = totals.get(j, 0) + r["persons"]
    return totals, sorted(totals, key=lambda x: -totals[x])


def upset(
    combinations: list[dict[str, Any]], totals: dict[str, int] | None = None
) -> Caption | None:
    """The words of the UpSet chart of the persons per exact combination of jurisdictions."""
    combos = combinations[:COMBINATIONS_SHOWN]
    if not combos:
        return None
    totals, names = upset_totals(combinations, totals)
    more = (
        f" (the {COMBINATIONS_SHOWN} largest of {len(combinations)})"
        if len(combinations) > COMBINATIONS_SHOWN
        else ""
    )
    description = (
        f"An UpSet chart{more}: a bar per combination of jurisdictions, the persons"
        " sanctioned by exactly those jurisdictions under their Magnitsky-style programs;"
        " the dots below mark the jurisdictions of each combination (dark bars: two or"
        " more). "
        + "; ".join(f"{r['combination']}: {r['persons']}" for r in combos)
        + ". Persons per jurisdiction: "
        + ", ".join(f"{j} {totals[j]}" for j in names)
        + "."
    )
    return Caption("Who sanctioned the same persons", description)
