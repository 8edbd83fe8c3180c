"""The report's section on civil society's recommendations: what each government did with
the recommendations it received, as of the end of the report year.

A report is built for a confidentiality level (``magnitsky report --recommendations
public``, the default): it names only the recommendations of that level and the less
confidential ones, and gives of the others nothing but counts (per level: how many, how
many acted on) — no name, date, country or theme.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from html import escape
from pathlib import Path
from typing import Any

import matplotlib as mpl

from magnitsky.analysis.windows import CALENDAR, YearEnd, window
from magnitsky.recommendations import analysis, outcomes, tracker
from magnitsky.recommendations.model import GOVERNMENTS, at_most
from magnitsky.report.svg import STYLE, Chart, chart, figure
from magnitsky.report.tables import Table, cell, columns_of
from magnitsky.store import Store

TITLE = "Civil-society recommendations: what the governments did"
COLOURS = {
    "US": "#0072B2",
    "GB": "#D55E00",
    "CA": "#E69F00",
    "EU": "#009E73",
    "AU": "#CC79A7",
    analysis.ALL: "#000000",
}
LISTED_COLUMNS = [
    "ref",
    "name",
    "government",
    "submitted",
    "outcome",
    "program",
    "listed_on",
    "date_quality",
    "days",
    "others",
    "conduct",
    "country",
    "organisations",
    "confidentiality",
]


@dataclass
class Section:
    year: int
    cutoff: date
    level: str
    shown: list[analysis.Submission]
    tables: dict[str, Table]
    summary: list[str]
    charts: list[Chart] = field(default_factory=list)


def load(
    store: Store,
    path: Path | None,
    year: int,
    year_end: YearEnd = CALENDAR,
    level: str = "public",
) -> Section | None:
    """The section for ``year`` at confidentiality ``level``, from the tracker beside
    ``store`` (``path``: its own file); None when the tracker holds nothing."""
    with tracker.open_tracker(store, path, read_only=True) as t:
        recs = tracker.load(t)
        rows = outcomes.stored(t)
    if not recs:
        return None
    return build(rows, recs, year, year_end, level)


def build(
    rows: Sequence[dict[str, Any]],
    recs: Sequence[Any],
    year: int,
    year_end: YearEnd = CALENDAR,
    level: str = "public",
) -> Section:
    cutoff = window(year, year_end)[1]
    shown_levels = at_most(level)
    visible = [r for r in recs if r.confidentiality in shown_levels]
    subs = analysis.submissions(rows, visible, cutoff)
    tables = _tables(subs, rows, recs, cutoff, shown_levels, year_end)
    section = Section(year, cutoff, level, subs, tables, [])
    section.summary = summary(section, tables)
    with mpl.rc_context(STYLE):
        drawn = survival_chart(analysis.kaplan_meier(subs), cutoff)
    section.charts = [drawn] if drawn else []
    return section


def _tables(
    subs: list[analysis.Submission],
    rows: Sequence[dict[str, Any]],
    recs: Sequence[Any],
    cutoff: date,
    shown: Sequence[str],
    year_end: YearEnd,
) -> dict[str, Table]:
    listed = [
        {
            "ref": s.rec.ref,
            "name": s.rec.name,
            "government": s.government,
            "submitted": s.submitted,
            "outcome": s.outcome,
            "program": s.program,
            "listed_on": s.listed_on,
            "date_quality": s.date_quality,
            "days": s.days,
            "others": s.others,
            "conduct": list(s.rec.conduct),
            "country": s.rec.country,
            "organisations": list(s.rec.organisations),
            "confidentiality": s.rec.confidentiality,
        }
        for s in sorted(subs, key=lambda s: (s.rec.ref, s.submitted, s.government))
    ]
    made = {
        "recommendations_by_government": (
            "Acted on or not, per government and year of submission",
            analysis.by_government_year(subs, year_end),
        ),
        "recommendations_time": (
            "Days from submission to designation, of the submissions acted on",
            analysis.time_to_action(subs),
        ),
        "recommendations_survival": (
            "Share not yet acted on, by days since submission (Kaplan–Meier)",
            analysis.kaplan_meier(subs),
        ),
        "recommendations_by_kind": (
            "Acted on or not, by conduct, theme, victim group and country of conduct",
            analysis.by_dimension(subs),
        ),
        "recommendations_ignored": (
            "Recommendations one government acted on and another it went to did not",
            analysis.ignored_by_others(subs),
        ),
        "recommendations_pairs": (
            "For each pair of governments: sent to both, acted on by the first only",
            analysis.pairs(subs),
        ),
        "recommendations_withheld": (
            "Recommendations not shown in this report (counts only)",
            analysis.withheld(rows, recs, cutoff, shown),
        ),
        "recommendations": ("Every submission shown, and its outcome", listed),
    }
    out = {}
    for name, (title, found) in made.items():
        if name == "recommendations_survival":  # three decimals, not the report's one
            found = [{**r, "survival": f"{r['survival']:.3f}"} for r in found]
        columns = LISTED_COLUMNS if name == "recommendations" else columns_of(found)
        out[name] = Table(name, title, found, columns)
    return out


def _name(government: str) -> str:
    return GOVERNMENTS.get(government, "all governments")


def summary(section: Section, tables: dict[str, Table]) -> list[str]:
    """The section's findings, in sentences, each traceable to a table."""
    subs = section.shown
    refs = {s.rec.ref for s in subs}
    level = {
        "public": "the public ones",
        "coalition": "the public and coalition ones",
        "private": "all of them",
    }[section.level]
    withheld = tables["recommendations_withheld"].rows
    hidden = ", ".join(f"{r['recommendations']} {r['confidentiality']}" for r in withheld)
    lines = [
        f"Recommendations submitted by {section.cutoff.isoformat()}, shown: {level} —"
        f" {len(refs)} recommendations, {len(subs)} submissions to governments"
        + (f"; not shown, counted only: {hidden}." if hidden else ".")
        + f" Outcomes as of {section.cutoff.isoformat()}, and never past each government's"
        " last list read."
    ]
    for row in tables["recommendations_by_government"].rows:
        if row["year"] != analysis.ALL:
            continue
        pending = [
            f"{row[o]} {o.replace('_', ' ')}"
            for o in ("review", "sanctioned_before", "withdrawn", "not_read")
            if row[o]
        ]
        share = (
            f"acted on {row['acted_share']} submissions decided"
            if row["acted_percent"] is not None
            else "no submission decided yet"
        )
        lines.append(
            f"{_name(row['government'])}: {share}"
            f" ({row['other_only']} sanctioned by another government only, {row['open']} by"
            " none)" + (f"; apart: {', '.join(pending)}" if pending else "") + "."
        )
    times = {r["government"]: r for r in tables["recommendations_time"].rows}
    curve = analysis.kaplan_meier(subs)
    for g, t in times.items():
        if not t["acted"]:
            continue
        mine = [r for r in curve if r["government"] == g]
        half = analysis.median_survival(mine)
        observed = max((r["day"] for r in mine), default=0)
        km = (
            f"half of the submissions were acted on within {half} days (Kaplan–Meier)"
            if half is not None
            else f"more than half were still not acted on after {observed} days (Kaplan–Meier)"
        )
        lines.append(
            f"{_name(g)}: time to action of the {t['acted']} acted on: median"
            f" {cell(t['median_days'])} days (from {t['min_days']} to {t['max_days']}); {km}."
        )
    ignored = tables["recommendations_ignored"].rows
    if ignored:
        many = "recommendations were" if len(ignored) != 1 else "recommendation was"
        lines.append(
            f"{len(ignored)} {many} acted on by one government and not by another it also"
            " went to (the table below names who acted and who did not)."
        )
    return lines


def survival_chart(rows: Sequence[dict[str, Any]], cutoff: date) -> Chart | None:
    """Kaplan–Meier curves: the share of submissions not yet acted on, per government."""
    if not rows:
        return None
    fig, ax = figure(3.8)
    governments = list(dict.fromkeys(r["government"] for r in rows))
    for g in governments:
        mine = [r for r in rows if r["government"] == g]
        days = [r["day"] for r in mine]
        values = [r["survival"] for r in mine]
        ax.step(
            days,
            values,
            where="post",
            label=_name(g) if g != analysis.ALL else "All",
            color=COLOURS.get(g, "#777777"),
            linewidth=2.2 if g == analysis.ALL else 1.3,
        )
    ax.set_ylim(0, 1.05)
    ax.set_xlabel("days since submission")
    ax.set_ylabel("share not yet acted on")
    ax.legend(frameon=False, fontsize=8)
    return chart(
        fig,
        "recommendations_survival",
        "Recommendations not yet acted on, by days since submission",
        "Kaplan–Meier estimate per government: each step down is a designation of a"
        " recommended person; submissions still open at the cut-off"
        f" ({cutoff.isoformat()}) or the government's last list are censored there.",
    )


NOTES = (
    "A recommendation is matched to the lists with the same matchers as two lists are"
    " (names in any script and order, aliases, birth dates, identifiers, nationality); a"
    " match scored automatic counts, a possible one waits for review and is counted apart"
    " until judged (magnitsky recommendations review). A matched listing brings every"
    " listing the cross-list matching joined to it.",
    "Acted on = designated by the government under any program on or after the day the"
    " recommendation was submitted to it; the program is named. Days after submission"
    " use the designation's date, the latest day of its bracket where the list gives only"
    " a bracket (so a time is at most that long).",
    "The unit is a submission (one recommendation to one government). Shares are out of"
    " the submissions decided (acted on, or not by the cut-off); those waiting for review,"
    " withdrawn, already sanctioned before submission, or made to a government whose lists"
    " were not read are counted apart, never as not acted on.",
)


def html(section: Section, table: Any, figure_html: Any) -> str:
    """The section as HTML (``table`` and ``figure_html``: the report's own renderers)."""
    t = section.tables
    behind = '<a href="recommendations.csv">recommendations.csv</a>'
    parts = [
        f'<p class="note">Shown: recommendations up to <strong>{escape(section.level)}</strong>'
        " confidentiality; the others only counted. Build with <code>--recommendations"
        " public</code> for a report meant for publication.</p>",
        '<ul class="summary">'
        + "".join(f"<li>{escape(s)}</li>" for s in section.summary)
        + "</ul>",
        *(figure_html(c, f"every submission behind it: {behind}") for c in section.charts),
        *(table(t[name]) for name in t if name != "recommendations_survival"),
        "".join(f'<p class="note">{escape(n)}</p>' for n in NOTES),
    ]
    return "".join(parts)


def markdown(section: Section, table: Any) -> str:
    t = section.tables
    parts = [
        f"Shown: recommendations up to *{section.level}* confidentiality; the others only counted.",
        "\n".join(f"- {line}" for line in section.summary),
        *(table(t[name]) for name in t),
        "\n\n".join(NOTES),
    ]
    return "\n\n".join(parts)
