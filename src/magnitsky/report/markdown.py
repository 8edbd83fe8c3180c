"""The report as Markdown: the same findings, numbers and tables as the page, the charts
given as their tables, and the designations behind each finding by name."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from magnitsky.analysis.findings import scope
from magnitsky.analysis.findings import title as report_title
from magnitsky.report import methodology, multilateral, trace, year
from magnitsky.report.tables import (
    Table,
    average_view,
    cell,
    columns_of,
    counted_view,
    coverage_view,
    evidence_statement,
    precedent_view,
    theme_view,
    themes_pivot,
    view,
    yearly_view,
)

if TYPE_CHECKING:
    from magnitsky.analysis.annual import Annual


MARKUP = re.compile(r"([\\`*_\[\]<>|])")


def _md(value: object) -> str:
    """A value as Markdown text: markup characters escaped, on one line."""
    return MARKUP.sub(r"\\\1", cell(value)).replace("\n", " ")


def _code(value: object) -> str:
    return "`" + cell(value).replace("`", "'") + "`"


def table(t: Table, columns: list[str] | None = None, caption: bool = True) -> str:
    columns = [c for c in (columns or t.columns) if c in t.columns]
    source = f"[{t.name}.csv]({t.name}.csv)"
    if not t.rows:
        return f"{t.title}: none ({source})."
    lines = [
        f"{t.title} ({source})" if caption else f"The numbers: {source}",
        "",
        "| " + " | ".join(c.replace("_", " ") for c in columns) + " |",
        "|" + "---|" * len(columns),
    ]
    lines += ["| " + " | ".join(_md(r.get(c)) for c in columns) + " |" for r in t.rows]
    return "\n".join(lines)


def findings(annual: Annual) -> str:
    lines = []
    for n, (f, g) in enumerate(
        zip(annual.findings, trace.finding_groups(annual), strict=True), start=1
    ):
        names = "; ".join(_md(d.get("name")) for d in g.rows)
        lines.append(
            f"{n}. {_md(f.get('text'))}\n"
            f"   - *Definition:* {_md(f.get('definition'))}\n"
            f"   - *Measure:* {_code(f.get('measure'))} = {_md(f.get('value'))}\n"
            f"   - *The {len(g.rows)} designations behind it* (behind.csv, figure finding,"
            f" value {n}): {names or 'none'}"
        )
    return "\n".join(lines) or "No findings."


def multilateral_section(annual: Annual, tables: dict[str, Table], charts: list[str]) -> str:
    """The multilateral section: the same findings, chart tables and tables as the page."""
    a = annual.multilateral
    if a is None:
        return (
            "No other jurisdiction's list is in the store, or the listings have not been"
            " matched into persons (magnitsky match derive)."
        )
    t = tables
    shown = [
        f"### {t[name].title}\n\n{table(t[name], caption=False)}"
        for name in charts
        if name != "allies_combinations"
    ]
    combos = Table(
        "allies_combinations",
        "Persons per combination of jurisdictions (the overlap chart)",
        [{"combination": r["combination"], "persons": r["persons"]} for r in a.combinations],
        ["combination", "persons"],
    )
    parts = [
        "\n".join(f"- {_md(line)}" for line in a.summary),
        table(combos),
        *shown,
        table(view(t["allies_coverage"], multilateral.coverage_view)),
        table(view(t["allies_overlaps"], multilateral.overlap_view)),
        table(view(t["allies_lags"], multilateral.lags_view)),
        "### The year",
        table(view(t["allies_year_counts"], multilateral.year_counts_view)),
        table(view(t["allies_year"], multilateral.year_view)),
        table(view(t["allies_joint"], multilateral.joint_view)),
        "### The largest gaps",
        table(multilateral.head(view(t["allies_longest_lags"], multilateral.longest_view))),
        table(
            multilateral.head(
                view(t["allies_gaps"], multilateral.gap_view(a.jurisdiction, a.other_programs_read))
            )
        ),
        "Every person and jurisdiction behind these numbers:"
        " [allies_persons.csv](allies_persons.csv).",
        "### What these numbers can and cannot say",
        "\n\n".join(_md(n) for n in multilateral.notes(a)),
    ]
    return "\n\n".join(parts)


def document(
    annual: Annual,
    tables: dict[str, Table],
    charts: list[str],
    allied: list[str] | None = None,
    recommended: str | None = None,
) -> str:
    start, end = annual.window
    t = tables
    grid = themes_pivot(t["themes_by_year"].rows)
    pivot = Table("themes_by_year", t["themes_by_year"].title, grid, columns_of(grid))
    views = {"yearly": view(t["yearly"], yearly_view), "themes_by_year": pivot}
    shown = {name: views.get(name, t[name]) for name in charts}
    chart_tables = "\n\n".join(
        f"### {s.title}\n\n{table(s, caption=False)}" for s in shown.values()
    )
    parts = [
        f"# {_md(report_title(annual))}",
        f"Report year {annual.year}: {start.isoformat()} to {end.isoformat()}, compared with"
        f" the average of the {annual.average_years} years before."
        f" {len(annual.counted)} designations counted."
        + (f" **{_md(scope(annual))}.**" if annual.lists_read.partial(annual.window) else ""),
        "## The year across jurisdictions",
        year.markdown_section(annual),
        "## Key findings",
        findings(annual),
        "## Charts (as tables)",
        chart_tables,
        "## Themes, victim groups and official texts",
        _md(evidence_statement(annual))
        + " Every person and where their basis comes from: [text_evidence.csv](text_evidence.csv).",
        table(view(t["themes"], theme_view)),
        table(view(t["coverage"], coverage_view)),
        "## Precedents",
        table(view(t["precedents"], precedent_view)),
        "## Allies: the same persons sanctioned by other jurisdictions",
        multilateral_section(annual, t, allied or []),
        *(["## Civil-society recommendations", recommended] if recommended is not None else []),
        "## Methodology and data quality",
        methodology.markdown(annual),
        table(t["quality"]),
        table(view(t["average"], average_view)),
        f"## Every designation counted ({len(annual.counted)})",
        "All columns in counted.csv, whose `row_id` is the row's anchor in index.html.",
        table(view(t["counted"], counted_view)),
        table(view(t["referred"], counted_view)) if t["referred"].rows else "",
    ]
    return "\n\n".join(p for p in parts if p) + "\n"
