"""The report's tables, each as rows and columns, written one CSV per chart and per table so
every figure can be re-checked."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from magnitsky.analysis.basis import SOURCES as BASIS_SOURCES
from magnitsky.history.dating import DAY_KNOWN
from magnitsky.report import trace

if TYPE_CHECKING:
    from magnitsky.analysis.annual import Annual

Row = dict[str, Any]

# The counted table's columns, first those a reader needs, then any others the rows have.
COUNTED_FIRST = (
    "row_id",
    "source_id",
    "name",
    "schema",
    "listed_on",
    "listed_not_before",
    "listed_not_after",
    "date_quality",
    "date_source",
    "certain",
    "basis",
    "basis_evidence",
    "basis_source",
    "themes",
    "victim_groups",
    "evidence_url",
    "evidence_text",
    "roles",
    "role_evidence",
    "role_sources",
    "country_codes",
    "regions",
    "linked_to",
    "title",
)


@dataclass
class Table:
    name: str  # the CSV is <name>.csv
    title: str
    rows: list[Row]
    columns: list[str]


def cell(value: Any) -> str:
    """One value as text: lists joined by '; ', dicts as 'key: value', dates ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple, set)):
        return "; ".join(cell(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {cell(v)}" for k, v in value.items())
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.1f}" if value != int(value) else str(int(value))
    return str(value)


def columns_of(rows: list[Row], first: tuple[str, ...] = ()) -> list[str]:
    present = {k for r in rows for k in r}
    cols = [c for c in first if c in present]
    for r in rows:
        cols += [k for k in r if k not in cols]
    return cols


def pairs(data: dict[str, Any]) -> list[Row]:
    """A dict as a two-column table (nested dicts flattened as ``outer.inner``)."""
    rows: list[Row] = []
    for key, value in data.items():
        if (
            isinstance(value, dict)
            and value
            and not any(isinstance(v, dict) for v in value.values())
        ):
            rows += [{"measure": f"{key}.{k}", "value": v} for k, v in value.items()]
        else:
            rows.append({"measure": key, "value": value})
    return rows


def average_rows(average: dict[str, Any]) -> list[Row]:
    """One row per measure: the year, the average of the years before, the change."""
    rows = []
    for key, v in average.items():
        if isinstance(v, dict) and isinstance(v.get("value"), dict) and "min" in v:
            change = v.get("change_percent") or {}
            rows.append(
                {
                    "measure": key,
                    "year_min": v["value"].get("min"),
                    "year_max": v["value"].get("max"),
                    "average_min": v["min"],
                    "average_max": v["max"],
                    "change_percent_min": change.get("min"),
                    "change_percent_max": change.get("max"),
                    "years_known_as_ranges": v.get("ranges"),
                }
            )
    return rows or pairs(average)


def table_of(name: str, title: str, rows: list[Row], first: tuple[str, ...] = ()) -> Table:
    """A table of ``rows``, its columns those of the rows, ``first`` first."""
    return Table(name, title, rows, columns_of(rows, first))


def with_ids(annual: Annual, rows: list[Row]) -> list[Row]:
    ids = trace.anchors_of_rows(annual)
    return [{"row_id": ids[id(d)], **d} for d in rows]


def behind_rows(annual: Annual) -> list[Row]:
    """Every (figure, value, designation) link: the list behind each number."""
    ids = trace.anchors_of_rows(annual)
    return [
        {
            "figure": g.figure,
            "value": g.key,
            "anchor": g.anchor,
            "row_id": ids[id(d)],
            "source_id": d.get("source_id"),
            "name": d.get("name"),
        }
        for figure in trace.all_groups(annual).values()
        for g in figure
        for d in g.rows
    ]


def report_tables(annual: Annual) -> dict[str, Table]:
    findings = [
        {"number": n, **f, "designations": len(g.rows), "list": f"#{g.anchor}"}
        for n, (f, g) in enumerate(
            zip(annual.findings, trace.finding_groups(annual), strict=True), start=1
        )
    ]
    tables = [
        table_of("findings", "Key findings", findings, ("number", "text", "value", "definition")),
        table_of(
            "yearly",
            f"{annual.program} designations per year, by basis and where the basis comes from"
            " (at least / at most; direct involvement: at least those shown, at most those"
            " too whose basis is not known); a year the lists read cover only in part is"
            " marked partial, with the day coverage ends",
            annual.yearly,
            ("year", "partial", "covered_until"),
        ),
        table_of(
            "average",
            f"The year against the average of the {annual.average_years} years before",
            average_rows(annual.average),
        ),
        table_of("countries", "Countries", annual.countries),
        table_of("regions", "Regions", annual.regions),
        table_of("roles", "Roles of the persons designated", annual.roles),
        table_of("actions", "The year's actions (exact dates)", annual.actions),
        table_of(
            "precedents",
            "Precedents set in the year",
            annual.precedents,
            ("kind", "value", "date", "date_quality", "name", "source_id", "evidence"),
        ),
        table_of(
            "themes",
            f"Abuses, corruption types and victim groups in {annual.year}, as the official"
            " texts read show them (persons, at least / at most)",
            annual.themes,
            ("kind", "label", "name", "min", "max"),
        ),
        table_of(
            "themes_by_year",
            "Abuses, corruption types and victim groups per year, as the official texts"
            " read show them (persons, at least / at most)",
            annual.themes_by_year,
            ("year", "kind", "label", "name", "min", "max"),
        ),
        table_of(
            "coverage",
            "Every abuse, corruption type and victim group the rules know: persons whose"
            f" texts show it in the program and in {annual.year}, and the first",
            annual.coverage,
            ("kind", "label", "name", "status", "program", "year_min", "year_max", "first"),
        ),
        table_of(
            "text_evidence",
            "Where the basis of each person counted comes from",
            text_evidence_rows(annual),
        ),
        table_of("quality", "Data quality", pairs(annual.quality)),
        table_of(
            "counted", "Every designation counted", with_ids(annual, annual.counted), COUNTED_FIRST
        ),
        table_of(
            "referred",
            "Designations the findings refer to that are not counted in the"
            " year (delistings of earlier listings)",
            with_ids(annual, trace.referred(annual)),
            COUNTED_FIRST,
        ),
        table_of(
            "designations", "Every designation of the program", annual.designations, COUNTED_FIRST
        ),
        table_of("behind", "The designations behind each number", behind_rows(annual)),
    ]
    return {t.name: t for t in tables}


SOURCES = (*BASIS_SOURCES, trace.NOT_SHOWN)
SOURCE_WORDS = {
    "official text": "from an official text read",
    "regime": "stated by the regime itself",
    "list": "from the list's own text",
    trace.NOT_SHOWN: "not known",
}


def by_source(annual: Annual) -> dict[str, list[Row]]:
    """The persons counted by where their basis comes from: official text, list, not shown."""
    out: dict[str, list[Row]] = {s: [] for s in SOURCES}
    for d in annual.counted:
        for key in trace.KEYS["evidence"](d):
            out.setdefault(key, []).append(d)
    return out


def evidence_statement(annual: Annual) -> str:
    """In words: "Basis from official text for N of the M persons counted; …"."""
    found = by_source(annual)
    persons = sum(len(v) for v in found.values())
    texts = len(found["official text"])
    said = "; ".join(
        f"{SOURCE_WORDS[s]} for {len(found[s])}" for s in SOURCES[1:] if found[s] or s != "regime"
    )
    with_text = sum(1 for d in annual.counted if d.get("evidence_url"))
    return (
        f"Basis from official text for {texts} of the {persons} persons counted; {said}."
        " An official text read"
        f" speaks about {with_text} of them. Across the program, the texts read give the"
        f" basis of {annual.text_evidence.get('program', {}).get('basis_from_text', 0)} of"
        f" {annual.text_evidence.get('program', {}).get('persons', 0)} persons."
    )


def themes_pivot(rows: list[Row]) -> list[Row]:
    """The per-year table as a grid: a row per theme, a column per year."""
    years = sorted({r["year"] for r in rows})
    cells = {(r["label"], r["year"]): span(r["min"], r["max"]) for r in rows}
    named = {r["label"]: (str(r.get("kind")), r.get("name")) for r in rows}
    order = sorted(named.items(), key=lambda x: _KIND_ORDER.get(x[1][0], 9))
    return [
        {"kind": kind, "theme or victim group": name}
        | {str(y): cells.get((label, y), "") for y in years}
        for label, (kind, name) in order
    ]


_KIND_ORDER = {"abuse": 0, "corruption": 1, "victim group": 2}


def text_evidence_rows(annual: Annual) -> list[Row]:
    """One row per person counted: the basis, where it comes from, and the text."""
    return [
        {
            "source_id": d.get("source_id"),
            "name": d.get("name"),
            "basis": d.get("basis"),
            "basis_source": d.get("basis_source") or trace.NOT_SHOWN,
            "evidence_url": d.get("evidence_url"),
        }
        for d in annual.counted
        if d.get("schema") in trace.PERSONS
    ]


def listed(d: Row) -> str:
    """The listing date, or the bracket it lies in."""
    lo, hi = d.get("listed_not_before"), d.get("listed_not_after")
    if d.get("date_quality") in DAY_KNOWN or (lo and lo == hi):
        return cell(d.get("listed_on") or hi)
    return f"{cell(lo) or 'before'} … {cell(hi)}"


def counted_view(d: Row) -> Row:
    """A counted designation as the page and the Markdown show it (counted.csv has all)."""
    return {
        "id": d.get("source_id"),
        "name": d.get("name"),
        "type": d.get("schema"),
        "listed": listed(d),
        "date quality": f"{cell(d.get('date_quality'))} ({cell(d.get('date_source'))})",
        "in the year": "certain" if d.get("certain", True) else "maybe",
        "basis": d.get("basis"),
        "basis from": d.get("basis_source"),
        "basis evidence": d.get("basis_evidence"),
        "themes": d.get("themes"),
        "victim groups": d.get("victim_groups"),
        "text evidence": _text_evidence(d),
        "roles": d.get("roles"),
        "role evidence": d.get("role_evidence"),
        "countries": d.get("country_codes") or d.get("countries"),
        "country evidence": list(dict.fromkeys(d.get("country_evidence") or [])),
        "linked to": d.get("linked_to"),
    }


def _text_evidence(d: Row) -> str | None:
    """The sentences of the official text and where they stand."""
    sentences, where = d.get("evidence_text"), d.get("evidence_url")
    if not sentences:
        return None
    return f"{sentences} ({where})" if where else str(sentences)


def theme_view(r: Row) -> Row:
    return {
        "kind": r.get("kind"),
        "theme or victim group": r.get("name"),
        "persons": span(r.get("min"), r.get("max")),
        "names": r.get("names"),
    }


def coverage_view(r: Row) -> Row:
    return {
        "kind": r.get("kind"),
        "theme or victim group": r.get("name"),
        "status": r.get("status"),
        "persons in the program": r.get("program"),
        "in the year": span(r.get("year_min"), r.get("year_max")),
        "first designated": r.get("first"),
    }


YEARLY_VIEW = (
    "persons",
    "individuals",
    "entities",
    "vessels",
    "aircraft",
    "direct",
    "ties",
    "human_rights",
    "corruption",
    "unknown",
    "basis_from_text",
    "basis_from_regime",
    "basis_from_list",
    "delisted",
)


def yearly_view(r: Row) -> Row:
    """A year's counts as 'at least–at most'; a year covered only in part says so in
    its own cell."""
    partial = f" ({r['partial']})" if r.get("partial") else ""
    out: Row = {"year": f"{r.get('year')}{partial}"}
    for k in YEARLY_VIEW:
        if f"{k}_min" in r:
            lo, hi = r[f"{k}_min"], r.get(f"{k}_max", r[f"{k}_min"])
            out[k.replace("_", " ")] = span(lo, hi)
    return out


def span(lo: Any, hi: Any) -> str:
    """``3``, ``3–4``, ``-73.9 to -55.6`` (a dash would read as a minus)."""
    if lo == hi:
        return cell(lo)
    negative = any(isinstance(v, (int, float)) and v < 0 for v in (lo, hi))
    return f"{cell(lo)} to {cell(hi)}" if negative else f"{cell(lo)}–{cell(hi)}"


def average_view(r: Row) -> Row:
    if "year_min" not in r:
        return r
    return {
        "measure": r["measure"],
        "this year": span(r["year_min"], r["year_max"]),
        "average": span(r["average_min"], r["average_max"]),
        "change (%)": span(r["change_percent_min"], r["change_percent_max"]),
        "years known only as ranges": r["years_known_as_ranges"],
    }


def precedent_view(r: Row) -> Row:
    return {
        "kind": r.get("kind"),
        "first": r.get("value"),
        "name": r.get("name"),
        "id": r.get("source_id"),
        "date": f"{cell(r.get('date'))} ({cell(r.get('date_quality'))})",
        "evidence": r.get("evidence"),
        "the same day also": r.get("joint"),
    }


def view(t: Table, shape: Any) -> Table:
    rows = [shape(r) for r in t.rows]
    return Table(t.name, t.title, rows, columns_of(rows))


def write_csv(table: Table, folder: Path) -> Path:
    path = folder / f"{table.name}.csv"
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(table.columns)
        writer.writerows([cell(r.get(c)) for c in table.columns] for r in table.rows)
    return path
