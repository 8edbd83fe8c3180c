"""The report as one self-contained HTML page: styles and charts inline, no script, no
font, image or link that would make the browser fetch anything. Every text from the data
is escaped."""

from __future__ import annotations

import re
from html import escape
from typing import TYPE_CHECKING, Any

from magnitsky.analysis.findings import scope
from magnitsky.analysis.findings import title as report_title
from magnitsky.report import methodology, multilateral, trace, year
from magnitsky.report.svg import Chart
from magnitsky.report.tables import (
    SOURCES,
    Table,
    average_view,
    by_source,
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

CSS = """
:root { --ink: #1b1f24; --muted: #57606a; --line: #d0d7de; --soft: #f6f8fa; --accent: #0b5cad; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
  sans-serif; color: var(--ink); margin: 0; background: #fff; }
header, main, nav { max-width: 72rem; margin: 0 auto; padding: 0 1.25rem; }
header { padding-top: 1.5rem; border-bottom: 3px solid var(--accent); }
h1 { margin: 0 0 .25rem; font-size: 1.8rem; }
h2 { margin-top: 2.5rem; border-bottom: 1px solid var(--line); padding-bottom: .25rem; }
.meta, .note, figcaption, .small { color: var(--muted); font-size: .875rem; }
nav ul { display: flex; flex-wrap: wrap; gap: .25rem 1.25rem; list-style: none; padding: 0; }
a { color: var(--accent); }
ol.findings { padding-left: 1.5rem; }
ol.findings li { margin: 0 0 1rem; }
.finding { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 1.25rem; }
.finding .text { font-size: 1.05rem; margin: 0; }
.finding .definition { background: var(--soft); border-left: 3px solid var(--line);
  padding: .35rem .75rem; margin: 0; font-size: .875rem; align-self: start; }
figure { margin: 1.5rem 0; }
svg.chart { width: 100%; height: auto; max-width: 60rem; }
figure { overflow-x: auto; } svg.chart.narrow { display: none; }
@media (max-width: 40rem) {  /* phones: each chart's narrow drawing (text >= 11 pt at ~330 units) */
  svg.chart.wide { display: none; } svg.chart.narrow { display: block; max-width: 100%; } }
@media (max-width: 50rem) {
  table { display: block; overflow-x: auto; } main { overflow-wrap: anywhere; } }
table { border-collapse: collapse; width: 100%; font-size: .8125rem; margin: .5rem 0 1rem; }
caption { text-align: left; font-weight: 600; padding: .25rem 0; }
th, td { border: 1px solid var(--line); padding: .25rem .4rem; vertical-align: top;
  text-align: left; }
th { background: var(--soft); position: sticky; top: 0; }
tbody tr:nth-child(even) { background: #fbfcfd; }
tr:target, p:target, li:target { background: #fff3bf; }
.behind p { margin: .3rem 0; }
ul.summary li { margin: 0 0 .4rem; }
.combinations details { margin: .2rem 0; }
.combinations p { font-size: .8125rem; margin: .25rem 0 .5rem 1rem; }
@media (max-width: 50rem) { .finding { grid-template-columns: 1fr; } }
@media print {
  nav, .noprint { display: none; }
  th { position: static; }
  figure, tr { break-inside: avoid; }
  svg.chart.narrow { display: none; } svg.chart.wide { display: block; }
  a { color: inherit; text-decoration: none; }
}
"""

URL = re.compile(r"https?://[^\s<>\"']+")


def text(value: Any) -> str:
    """A value as escaped HTML; web addresses in it become links (followed only on a
    click: the page itself fetches nothing)."""
    raw = cell(value)
    out, last = [], 0
    for match in URL.finditer(raw):
        found = _address(match[0])
        out.append(escape(raw[last : match.start()]))
        url = escape(found, quote=True)
        out.append(f'<a href="{url}" rel="noreferrer">{url}</a>')
        last = match.start() + len(found)
    return "".join(out) + escape(raw[last:])


def _address(found: str) -> str:
    """A web address without the punctuation of the sentence around it: "(see
    https://x/y)." ends at y (a closing parenthesis the address opened stays)."""
    while found and (
        found[-1] in ".,;:!?" or (found[-1] == ")" and found.count(")") > found.count("("))
    ):
        found = found[:-1]
    return found


def table(t: Table, columns: list[str] | None = None, row_ids: list[str] | None = None) -> str:
    columns = columns or t.columns
    if not t.rows:
        csv = f'<a href="{t.name}.csv">{t.name}.csv</a>'
        return f'<p class="note">{escape(t.title)}: none. ({csv})</p>'
    head = "".join(f'<th scope="col">{escape(c.replace("_", " "))}</th>' for c in columns)
    body = []
    for i, row in enumerate(t.rows):
        rid = f' id="{escape(row_ids[i], quote=True)}"' if row_ids else ""
        cells = "".join(f"<td>{text(row.get(c))}</td>" for c in columns)
        body.append(f"<tr{rid}>{cells}</tr>")
    return (
        f'<table id="table-{t.name}"><caption>{escape(t.title)}'
        f' (<a href="{t.name}.csv">{t.name}.csv</a>)'
        f"</caption><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )


def findings(annual: Annual, groups: list[trace.Group]) -> str:
    items = []
    for n, (f, g) in enumerate(zip(annual.findings, groups, strict=True), start=1):
        value = f"<strong>{text(f.get('value'))}</strong> · " if f.get("value") is not None else ""
        items.append(
            f'<li id="finding-{n}"><div class="finding"><div><p class="text">'
            f'{text(f.get("text"))}</p><p class="small">{value}measure '
            f'<code>{text(f.get("measure"))}</code> · <a href="#{g.anchor}">the'
            f' {len(g.rows)} designations behind it</a> · <a href="findings.csv">CSV</a>'
            f'</p></div><p class="definition"><strong>Definition.</strong> '
            f"{text(f.get('definition'))}</p></div></li>"
        )
    return f'<ol class="findings">{"".join(items)}</ol>' if items else "<p>No findings.</p>"


def figure(
    chart: Chart, behind: str = 'the designations behind them: <a href="#behind">below</a>'
) -> str:
    return (
        f'<figure id="figure-{chart.name}">{chart.both}<figcaption><strong>'
        f"{escape(chart.title)}.</strong> {escape(chart.description)} The numbers:"
        f' <a href="{chart.name}.csv">{chart.name}.csv</a>; {behind}.</figcaption></figure>'
    )


FIGURES = {
    "finding": "Each finding",
    "basis": "Each basis",
    "country": "Each country",
    "region": "Each region",
    "role": "Each role",
    "date": "Each action date (exact dates)",
    "theme": "Each abuse, corruption type and victim group (official texts read)",
    "evidence": "Where each person's basis comes from",
}


def behind(annual: Annual, groups: dict[str, list[trace.Group]]) -> str:
    ids = trace.anchors_of_rows(annual)
    names = {str(c.get("code")): f"{c.get('name')} ({c.get('code')})" for c in annual.countries}
    parts = []
    for figure_name, title in FIGURES.items():
        lines = []
        for g in groups.get(figure_name, []):
            links = ", ".join(
                f'<a href="#{ids[id(d)]}">{escape(str(d.get("name", d.get("source_id"))))}</a>'
                for d in g.rows
            )
            label = {"finding": f"finding {g.key}", "country": names.get(g.key, g.key)}.get(
                figure_name, g.key
            )
            lines.append(
                f'<p id="{g.anchor}"><strong>{escape(label)}</strong> ({len(g.rows)}): '
                f"{links or 'none'}</p>"
            )
        parts.append(f"<h3>{title}</h3>{''.join(lines) or '<p>None.</p>'}")
    return "".join(parts)


def themes(annual: Annual, tables: dict[str, Table]) -> str:
    """The official texts: where each basis comes from, the year's themes and victim
    groups, every year's, and what was never addressed."""
    found = by_source(annual)
    links = " ".join(
        f'<a href="#{trace.anchor("evidence", s)}">{escape(s)} ({len(found[s])})</a>'
        for s in SOURCES
        if found[s]
    )
    pivot = tables["themes_by_year"]
    grid = themes_pivot(pivot.rows)
    return (
        f"<p>{escape(evidence_statement(annual))} The lists: {links or 'none'};"
        ' every person: <a href="text_evidence.csv">text_evidence.csv</a>.</p>'
        '<p class="note">Themes and victim groups are read from the sentences of the'
        " official texts about each designee; a designation without a text read shows"
        " none, which does not mean there were none.</p>"
        + table(view(tables["themes"], theme_view))
        + table(Table(pivot.name, pivot.title, grid, columns_of(grid)))
        + table(view(tables["coverage"], coverage_view))
    )


def multilateral_section(annual: Annual, charts: list[Chart], tables: dict[str, Table]) -> str:
    """The multilateral section: what the program's jurisdiction and its allies did."""
    a = annual.multilateral
    if a is None:
        return (
            '<p class="note">No other jurisdiction\'s list is in the store, or the listings'
            " have not been matched into persons (magnitsky match derive).</p>"
        )
    behind = (
        'the persons behind them: <a href="allies_persons.csv">allies_persons.csv</a> and'
        ' <a href="#allies-persons">the lists below</a>'
    )
    t = tables
    combos = "".join(
        f"<details><summary>{escape(r['combination'])} ({r['persons']})</summary>"
        f'<p id="{multilateral.anchor(r["combination"])}">{escape("; ".join(r["names"]))}</p>'
        "</details>"
        for r in a.combinations
    )
    return (
        '<ul class="summary">'
        + "".join(f"<li>{text(line)}</li>" for line in a.summary)
        + "</ul>"
        + "".join(figure(c, behind) for c in charts)
        + table(view(t["allies_coverage"], multilateral.coverage_view))
        + table(view(t["allies_overlaps"], multilateral.overlap_view))
        + table(view(t["allies_lags"], multilateral.lags_view))
        + "<h3>The year</h3>"
        + table(view(t["allies_year_counts"], multilateral.year_counts_view))
        + table(view(t["allies_year"], multilateral.year_view))
        + table(view(t["allies_joint"], multilateral.joint_view))
        + "<h3>The largest gaps</h3>"
        + table(multilateral.head(view(t["allies_longest_lags"], multilateral.longest_view)))
        + table(
            multilateral.head(
                view(t["allies_gaps"], multilateral.gap_view(a.jurisdiction, a.other_programs_read))
            )
        )
        + '<h3 id="allies-persons">The persons of each combination</h3>'
        + f'<div class="combinations">{combos}</div>'
        + "<h3>What these numbers can and cannot say</h3>"
        + "".join(f'<p class="note">{text(n)}</p>' for n in multilateral.notes(a))
    )


def partial_note(annual: Annual) -> str:
    """The year covered only in part, said under the title."""
    partial = annual.lists_read.partial(annual.window)
    return f" <strong>{escape(scope(annual))}.</strong>" if partial else ""


def _listing(t: Table) -> str:
    return table(view(t, counted_view), row_ids=[r["row_id"] for r in t.rows])


SECTIONS = (
    ("year", "The year across jurisdictions"),
    ("findings", "Key findings"),
    ("charts", "Charts"),
    ("themes", "Themes, victim groups and official texts"),
    ("precedents", "Precedents"),
    ("allies", "Allies: the same persons sanctioned by other jurisdictions"),
    ("methodology", "Methodology and data quality"),
    ("counted", "Every designation counted"),
    ("behind", "Behind each number"),
    ("files", "Files"),
)


def page(
    annual: Annual,
    charts: list[Chart],
    tables: dict[str, Table],
    files: list[str],
    allied: list[Chart] | None = None,
    recommended: str | None = None,
) -> str:
    groups = trace.all_groups(annual)
    counted = tables["counted"]
    title = report_title(annual)
    start, end = annual.window
    body = {
        "year": year.html_section(annual),
        "findings": findings(annual, groups["finding"]),
        "charts": "".join(figure(c) for c in charts) or "<p>No data to chart.</p>",
        "themes": themes(annual, tables),
        "precedents": table(view(tables["precedents"], precedent_view)),
        "allies": multilateral_section(annual, allied or [], tables),
        "methodology": methodology.html(annual)
        + table(tables["quality"])
        + table(view(tables["average"], average_view))
        + table(view(tables["yearly"], yearly_view)),
        "counted": '<p class="note">Each row has an id (<code>#d-SOURCE_ID</code>): link to'
        " it. <em>In the year</em>: maybe = dated by a bracket that may fall in the year.</p>"
        + _listing(counted)
        + (_listing(referred) if (referred := tables["referred"]).rows else ""),
        "behind": f'<div class="behind">{behind(annual, groups)}</div>',
        "files": "<ul>"
        + "".join(f'<li><a href="{escape(f)}">{escape(f)}</a></li>' for f in files)
        + "</ul>",
    }
    shown: tuple[tuple[str, str], ...] = SECTIONS
    if recommended is not None:  # the civil-society recommendations (report/recommendations.py)
        body["recommendations"] = recommended
        at = [k for k, _ in SECTIONS].index("methodology")
        mine = ("recommendations", "Civil-society recommendations")
        shown = (*SECTIONS[:at], mine, *SECTIONS[at:])
    nav = "".join(f'<li><a href="#{k}">{v}</a></li>' for k, v in shown)
    sections = "".join(
        f'<section id="{k}" aria-labelledby="{k}-h"><h2 id="{k}-h">{v}'
        f"{f' ({len(counted.rows)})' if k == 'counted' else ''}</h2>{body[k]}</section>"
        for k, v in shown
    )
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body>"
        f'<header><h1>{escape(title)}</h1><p class="meta">Report year {annual.year}:'
        f" {start.isoformat()} to {end.isoformat()} (years end on"
        f" {annual.year_end[1]:02d}/{annual.year_end[0]:02d}), compared with the average of"
        f" the {annual.average_years} years before. {len(annual.counted)} designations"
        f" counted.{partial_note(annual)}</p></header>"
        f'<nav aria-label="Sections"><ul>{nav}</ul></nav>'
        f"<main>{sections}</main></body></html>\n"
    )
