"""The report's tables, each as rows and columns, written one CSV per chart and per table so
every figure can be re-checked."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from magnitsky.report import trace

if TYPE_CHECKING:
    from magnitsky.analysis.annual import Annual

Row = dict[str, Any]

# The counted table's columns, first those a reader needs, then any others the rows have.
COUNTED_FIRST = (
    "row_id", "source_id", "name", "schema", "listed_on", "listed_not_before",
    "listed_not_after", "date_quality", "date_source", "certain", "basis", "basis_evidence",
    "roles", "role_evidence", "country_codes", "regions", "linked_to", "title",
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
        if isinstance(value, dict) and value and not any(isinstance(v, dict) for v in value.values()):
            rows += [{"measure": f"{key}.{k}", "value": v} for k, v in value.items()]
        else:
            rows.append({"measure": key, "value": value})
    return rows


def _table(name: str, title: str, rows: list[Row], first: tuple[str, ...] = ()) -> Table:
    return Table(name, title, rows, columns_of(rows, first))


def counted_rows(annual: Annual) -> list[Row]:
    ids = trace.row_ids(annual.counted)
    return [{"row_id": i, **d} for i, d in zip(ids, annual.counted, strict=True)]


def behind_rows(annual: Annual) -> list[Row]:
    """Every (figure, value, designation) link: the list behind each number."""
    ids = dict(zip(map(id, annual.counted), trace.row_ids(annual.counted), strict=True))
    return [
        {"figure": g.figure, "value": g.key, "anchor": g.anchor, "row_id": ids[id(d)],
         "source_id": d.get("source_id"), "name": d.get("name")}
        for figure in trace.all_groups(annual).values()
        for g in figure
        for d in g.rows
    ]


def report_tables(annual: Annual) -> dict[str, Table]:
    findings = [
        {"number": n, **f, "designations": len(g.rows), "list": f"#{g.anchor}"}
        for n, (f, g) in enumerate(zip(annual.findings, trace.finding_groups(annual),
                                       strict=True), start=1)
    ]
    tables = [
        _table("findings", "Key findings", findings, ("number", "text", "value", "definition")),
        _table("yearly", "Designations per year, by basis (at least / at most)", annual.yearly,
               ("year",)),
        _table("average", f"The previous {annual.average_years} years' average",
               pairs(annual.average)),
        _table("countries", "Countries", annual.countries),
        _table("regions", "Regions", annual.regions),
        _table("roles", "Roles of the persons designated", annual.roles),
        _table("actions", "The year's actions (exact dates)", annual.actions),
        _table("precedents", "Precedents set in the year", annual.precedents,
               ("kind", "value", "date", "date_quality", "name", "source_id", "evidence")),
        _table("quality", "Data quality", pairs(annual.quality)),
        _table("counted", "Every designation counted", counted_rows(annual), COUNTED_FIRST),
        _table("designations", "Every designation of the program", annual.designations,
               COUNTED_FIRST),
        _table("behind", "The designations behind each number", behind_rows(annual)),
    ]
    return {t.name: t for t in tables}


def write_csv(table: Table, folder: Path) -> Path:
    path = folder / f"{table.name}.csv"
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(table.columns)
        writer.writerows([cell(r.get(c)) for c in table.columns] for r in table.rows)
    return path
