"""Precedents: the first designation of each kind (a role, a country, a basis …) under a
program, with its date, how the date is known and the evidence of the kind.

Kinds are pluggable (:func:`register`): roles (from the list and the official texts
read), countries, regions, basis, and from the texts abuse themes and corruption types
(``theme``) and victim groups (``victim_group``). When the first's date is a bracket that
overlaps another candidate's, which one came first is not known: the precedent is
``certain`` False and the rivals are named.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from magnitsky.analysis.designations import PERSONS
from magnitsky.analysis.measures import Window

Row = Mapping[str, Any]


@dataclass(frozen=True)
class Kind:
    name: str
    values: Callable[[Row], list[tuple[str, str]]]
    """(value, evidence) pairs a designation has of this kind."""


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    KINDS[kind.name] = kind
    return kind


def _roles(r: Row) -> list[tuple[str, str]]:
    return list(zip(r.get("roles") or [], r.get("role_evidence") or [], strict=False))


def _countries(r: Row) -> list[tuple[str, str]]:
    first: dict[str, str] = {}
    for text in r.get("country_evidence") or []:
        first.setdefault(text.split(":", 1)[0], text)
    return [(code, first.get(code, code)) for code in r.get("country_codes") or []]


def _regions(r: Row) -> list[tuple[str, str]]:
    codes = ", ".join(r.get("country_codes") or [])
    return [(region, f"{region}: {codes}") for region in r.get("regions") or []]


def _basis(r: Row) -> list[tuple[str, str]]:
    basis = r.get("basis") or "unknown"
    return [] if basis == "unknown" else [(basis, r.get("basis_evidence") or "")]


def _themes(r: Row) -> list[tuple[str, str]]:
    return list(zip(r.get("themes") or [], r.get("theme_evidence") or [], strict=False))


def _victim_groups(r: Row) -> list[tuple[str, str]]:
    return list(zip(r.get("victim_groups") or [], r.get("victim_evidence") or [], strict=False))


for _kind in (
    Kind("role", _roles),
    Kind("country", _countries),
    Kind("region", _regions),
    Kind("basis", _basis),
    Kind("theme", _themes),
    Kind("victim_group", _victim_groups),
):
    register(_kind)


def _bounds(row: Row) -> tuple[date, date]:
    return row.get("listed_not_before") or date.min, row["listed_not_after"]


def _first(kind: str, value: str, candidates: list[tuple[Row, str]]) -> dict[str, Any]:
    candidates.sort(key=lambda c: (_bounds(c[0])[1], _bounds(c[0])[0], c[0]["name"]))
    row, evidence = candidates[0]
    lo, hi = _bounds(row)
    exact = row["date_quality"] == "exact" or lo == hi
    same_day: list[Row] = []
    rivals: list[Row] = []
    for other, _ in candidates[1:]:
        olo, ohi = _bounds(other)
        if olo > hi:
            continue
        other_exact = other["date_quality"] == "exact" or olo == ohi
        (same_day if exact and other_exact and ohi == hi else rivals).append(other)
    return {
        "kind": kind,
        "value": value,
        "name": row["name"],
        "source_id": row["source_id"],
        "schema": row["schema"],
        "date": row.get("listed_on") or hi,
        "not_before": row.get("listed_not_before"),
        "not_after": hi,
        "date_quality": row["date_quality"],
        "date_source": row.get("date_source"),
        "evidence": evidence,
        "certain": not rivals,
        "rivals": [r["name"] for r in rivals],
        "joint": [r["name"] for r in same_day],
        "earliest": min([lo, *(_bounds(r)[0] for r in rivals)]),
        "candidates": len(candidates),
    }


def firsts(rows: Iterable[Row], kinds: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """The first designated person of every value of every kind, in order of date."""
    chosen = [KINDS[k] for k in (kinds or list(KINDS))]
    groups: dict[tuple[str, str], list[tuple[Row, str]]] = {}
    for row in rows:
        if row.get("schema") not in PERSONS:
            continue
        for kind in chosen:
            for value, evidence in kind.values(row):
                group = groups.setdefault((kind.name, value), [])
                if all(r is not row for r, _ in group):
                    group.append((row, evidence))
    out = [_first(kind, value, c) for (kind, value), c in groups.items()]
    return sorted(out, key=lambda p: (p["not_after"], p["kind"], p["value"]))


def precedents_in(
    rows: Iterable[Row], year: int, win: Window, kinds: Sequence[str] | None = None
) -> list[dict[str, Any]]:
    """The precedents set in the report year ``year`` (days ``win``): ``in_year`` is
    ``certain`` when every date the first of the kind may have is inside the window,
    ``possible`` when only some are."""
    out = []
    for p in firsts(rows, kinds):
        lo, hi = p["earliest"], p["not_after"]
        if hi < win[0] or lo > win[1]:
            continue
        inside = win[0] <= lo and hi <= win[1]
        out.append({**p, "year": year, "in_year": "certain" if inside else "possible"})
    return out


def by_jurisdiction(
    rows: Iterable[Row], year: int, win: Window, kinds: Sequence[str] | None = None
) -> dict[str, list[dict[str, Any]]]:
    """:func:`precedents_in` for each jurisdiction over all its designations given (its
    Magnitsky-style programs together: the first of a kind under any of them)."""
    groups: dict[str, list[Row]] = {}
    for row in rows:
        groups.setdefault(str(row["jurisdiction"]), []).append(row)
    return {j: precedents_in(found, year, win, kinds) for j, found in groups.items()}
