"""The report's multilateral section: its tables (each written as a CSV), its charts (the
overlap of jurisdictions as an UpSet chart, who moved first and how long the others
took, persons per jurisdiction and year) and the caveats that go with them. The page and
the Markdown lay these out (html.py, markdown.py)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import matplotlib as mpl
from matplotlib import colormaps
from matplotlib.ticker import MaxNLocator

from magnitsky.analysis import multilateral as multi
from magnitsky.analysis.multilateral_section import GAPS_SHOWN, LAG_BUCKETS
from magnitsky.report import captions
from magnitsky.report.captions import COMBINATIONS_SHOWN
from magnitsky.report.svg import (
    BAR,
    GREY,
    SKY,
    STYLE,
    Chart,
    bar_label,
    chart,
    figure,
    hatched,
    light,
)
from magnitsky.report.tables import Row, Table, cell, span, table_of

if TYPE_CHECKING:
    from magnitsky.analysis.multilateral_section import MultilateralSection

# Okabe-Ito colours, one per jurisdiction.
COLOURS = {"US": "#0072B2", "GB": "#D55E00", "EU": "#009E73", "CA": "#CC79A7", "AU": "#E69F00"}


def colour(jurisdiction: str) -> str:
    return COLOURS.get(jurisdiction, GREY)


def anchor(combination: str) -> str:
    """The page anchor of a combination's list of persons: ``allies-AU-GB-US``."""
    return "allies-" + re.sub(r"[^A-Za-z0-9]+", "-", combination).strip("-")


# --- tables -----------------------------------------------------------------------------


def tables(a: MultilateralSection) -> dict[str, Table]:
    """The section's tables, each its own CSV."""
    j = a.jurisdiction
    combos = [{k: v for k, v in r.items() if k != "person_ids"} for r in a.combinations]
    found = [
        table_of(
            "allies_coverage",
            "The lists behind the section: per jurisdiction, the lists read, the persons"
            " sanctioned under its Magnitsky-style programs and how many have an exact date",
            a.coverage,
        ),
        table_of(
            "allies_combinations",
            "Persons per combination of jurisdictions that sanctioned them",
            combos,
            ("combination", "size", "persons"),
        ),
        table_of(
            "allies_overlaps",
            "Every pair of jurisdictions: the persons both sanctioned, as a share of each,"
            " and who of the two certainly acted first",
            a.overlaps,
        ),
        table_of(
            "allies_lags",
            "Who moved first and how long the others took (persons sanctioned by two or"
            " more jurisdictions; days by the dates given)",
            a.lags,
        ),
        table_of(
            "allies_counts",
            "Persons sanctioned per jurisdiction and year under its Magnitsky-style programs"
            " (each person once, in the year of the jurisdiction's first listing of them);"
            " partial: the jurisdiction's lists read end before the year does; lower bound:"
            " its list is one file without history",
            a.counts,
        ),
        table_of(
            "allies_year_counts",
            f"Persons each jurisdiction sanctioned in {a.year} under its Magnitsky-style"
            " programs, where the basis comes from (the regime itself, an official text, the"
            " list's remarks, not told) and the bases shown, and how many of them another"
            " jurisdiction sanctioned too",
            [r for r in a.counts if r["year"] == a.year],
        ),
        table_of(
            "allies_year",
            "The year's listings of persons sanctioned by two or more jurisdictions",
            a.year_listings,
            ("listed_on", "jurisdiction", "program", "name", "order", "lag_days", "others"),
        ),
        table_of(
            "allies_joint",
            f"The year's joint actions: two or more jurisdictions within {multi.JOINT_DAYS}"
            " days on one person",
            a.joint,
            ("from", "to", "combination", "name"),
        ),
        table_of(
            "allies_longest_lags",
            "The largest gaps in time: listings that followed another jurisdiction's,"
            " longest lag first",
            a.longest_lags,
            ("name", "jurisdiction", "program", "lag_days", "first_listed"),
        ),
        table_of(
            "allies_gaps",
            f"The largest gaps in coverage: persons other jurisdictions sanctioned and {j}"
            " had not, by its last list (never sanctioned by it first, then by most"
            " jurisdictions, longest waiting)",
            a.not_by_jurisdiction,
        ),
        table_of(
            "allies_persons",
            "Every person and jurisdiction behind the section's numbers",
            a.listings,
            ("person_id", "name", "combination", "jurisdiction", "program", "source_id"),
        ),
    ]
    return {t.name: t for t in found}


def head(t: Table, n: int = GAPS_SHOWN) -> Table:
    """The first ``n`` rows (the CSV has them all, and the title says so)."""
    if len(t.rows) <= n:
        return t
    return Table(t.name, f"{t.title}: the first {n} of {len(t.rows)}", t.rows[:n], t.columns)


def lag_text(r: Row) -> str:
    """A lag in days with what the brackets allow: ``67``, ``67 (67–284)``, ``2141 (at
    least 2141)``."""
    days, low, high = r.get("lag_days"), r.get("lag_min_days"), r.get("lag_max_days")
    if low == high == days:
        return cell(days)
    if high is None:
        return f"{cell(days)} (at least {cell(low)})" if low is not None else cell(days)
    if low is None:
        return f"{cell(days)} (at most {cell(high)})"
    return f"{cell(days)} ({span(low, high)})"


def listed_text(r: Row) -> str:
    if r.get("date_quality") == "exact":
        return cell(r.get("listed_on"))
    lo, hi = r.get("listed_not_before"), r.get("listed_not_after")
    return f"{cell(lo) or 'before'} … {cell(hi)} ({cell(r.get('date_quality'))})"


def coverage_view(r: Row) -> Row:
    return {
        "jurisdiction": r["jurisdiction"],
        "programs": r["programs"],
        "lists read": r["lists"],
        "persons": r["persons"],
        "exact dates": r["exact_dates"],
        "first listing": r["first_listing"],
        "lower bound": r.get("lower_bound"),
    }


def overlap_view(r: Row) -> Row:
    a, b = r["a"], r["b"]
    return {
        "pair": f"{a} – {b}",
        "both": r["both"],
        "share of each": f"{100 * r['share_of_a']:.0f}% of {a}'s {r['a_persons']},"
        f" {100 * r['share_of_b']:.0f}% of {b}'s {r['b_persons']}",
        "first certainly": f"{a} {r['a_first']}, {b} {r['b_first']}",
        "same day": r["same_day"],
        "order open": r["order_unknown"],
    }


def lags_view(r: Row) -> Row:
    return {
        "jurisdiction": r["jurisdiction"],
        "persons shared": r["persons"],
        "first": r["first"],
        "first, same day as others": r["together"],
        "followed": r["followed"],
        "order open": r["order_unknown"],
        "median lag (days)": r["median_days"],
        "longest (days)": r["longest_days"],
        **{name: r[name] for name, _ in LAG_BUCKETS},
        "bucket open (brackets)": r["bucket_uncertain"],
        "first listed before its own program existed": r["before_own_regime"],
        "followed whom": r["after"],
    }


def year_counts_view(r: Row) -> Row:
    """A jurisdiction's year: the persons (``at least`` for a list without history, a
    partial year said in the same cell), where the basis comes from, and the bases
    shown (empty, not 0, where nothing shows one)."""
    notes = [n for n in (r.get("partial"), r.get("lower_bound")) if n]
    persons = f"at least {r['persons']}" if r.get("lower_bound") else cell(r["persons"])
    return {
        "jurisdiction": r["jurisdiction"],
        "persons": persons + (f" ({'; '.join(notes)})" if notes else ""),
        "basis from: the regime": r.get("basis_from_regime") or "",
        "an official text": r.get("basis_from_text") or "",
        "the list's remarks": r.get("basis_from_list") or "",
        "not told": r.get("basis_unknown") or "",
        "human-rights abuse": r.get("human_rights") or "",
        "corruption": r.get("corruption") or "",
        "solely ties": r.get("ties") or "",
        "also sanctioned by another": r["multilateral"],
        "first": r["first"],
        "followed": r["followed"],
        "order open": r["order_unknown"],
        "date a bracket across the year's end": r["uncertain_year"],
    }


def year_view(r: Row) -> Row:
    return {
        "listed": listed_text(r),
        "in the year": r.get("in_the_year"),
        "jurisdiction": r["jurisdiction"],
        "program": r["program"],
        "id": r["source_id"],
        "name": r["name"],
        "order": r["order"],
        "lag (days)": lag_text(r) if r["order"] == "followed" else "",
        "the others": r["others"],
    }


def joint_view(r: Row) -> Row:
    return {
        "from": r["from"],
        "to": r["to"],
        "jurisdictions": r["combination"],
        "programs": r["programs"],
        "name": r["name"],
        "all dates exact": r["certain"],
    }


def longest_view(r: Row) -> Row:
    return {
        "name": r["name"],
        "jurisdiction": r["jurisdiction"],
        "program": r["program"],
        "id": r["source_id"],
        "listed": listed_text(r),
        "first listed": r["first_listed"],
        "lag (days)": lag_text(r),
    }


def gap_view(j: str, other_programs_read: bool = True) -> Callable[[Row], Row]:
    """A gap as the page shows it; whether the jurisdiction used another program is
    "not read" when the store holds none of its other programs."""
    unknown = "no" if other_programs_read else "not read"

    def shape(r: Row) -> Row:
        return {
            "name": r["name"],
            "type": r["schema"],
            "sanctioned by": r["sanctioned_by"],
            "days since the first": r["days_waiting"],
            f"under another {j} program": r["other_program"] or unknown,
            "ids": r["source_ids"],
        }

    return shape


def notes(a: MultilateralSection) -> list[str]:
    """What the section's numbers can and cannot say."""
    j = a.jurisdiction
    dated = "; ".join(f"{r['jurisdiction']} {r['as_of']}" for r in a.coverage)
    return [
        "A person is a cluster of listings of every list matched by name (in any script"
        " and order), birth date, nationality and identifiers (magnitsky persons). Only"
        " automatic and confirmed matches join listings;"
        f" {a.possible_matches} listings under these programs have a possible match not yet"
        " reviewed (magnitsky match review) and count as persons of their own.",
        "A jurisdiction's date is that of its first designation of the person under its"
        " Magnitsky-style programs. Who was first is said only where the dates tell: a"
        " bracket or a baseline (a US listing on the list's first snapshot, 2018, whose"
        " real date is earlier) leaves the order open, and the lag is given with the range"
        " the brackets allow.",
        "Lags count from the first listing by anyone, also where the follower's own"
        " program did not exist yet (the UK's began in July 2020, the EU's in December"
        " 2020, Australia's in 2021); the lag table says for how many.",
        "The allies' lists are read as snapshots: a person an ally delisted before its"
        " first snapshot read is not in them. Each jurisdiction's last list: "
        + dated
        + f". A gap is counted only where the other listing came before {j}'s last list.",
    ]


# --- charts -----------------------------------------------------------------------------


def charts(a: MultilateralSection) -> list[Chart]:
    makers: list[Callable[[], Chart | None]] = [
        lambda: upset_chart(a),
        lambda: lags_chart(a),
        lambda: counts_chart(a),
    ]
    with mpl.rc_context(STYLE):
        made = [make() for make in makers]
    return [c for c in made if c is not None]


def upset_chart(a: MultilateralSection) -> Chart | None:
    """The section's overlap chart, each bar linked to its list of persons on the page."""
    totals = {r["jurisdiction"]: r["persons"] for r in a.coverage}
    return upset(a.combinations, totals, lambda r: f"#{anchor(r['combination'])}")


def upset(
    combinations: list[Row],
    totals: dict[str, int] | None = None,
    link: Callable[[Row], str | None] | None = None,
) -> Chart | None:
    """Bars: the persons of each exact combination of jurisdictions
    (:func:`magnitsky.analysis.multilateral.combinations`); below, the dots say which
    jurisdictions the combination joins. ``totals``: the persons per jurisdiction (by
    default, counted from the combinations); ``link``: where a bar leads."""
    combos = combinations[:COMBINATIONS_SHOWN]
    words = captions.upset(combinations, totals)
    if not combos or words is None:
        return None
    totals, names = captions.upset_totals(combinations, totals)
    fig = mpl.figure.Figure(figsize=(8, 4.6), layout="constrained")
    top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=[3, 0.3 * len(names) + 0.4])
    xs = range(len(combos))
    bars = top.bar(
        xs,
        [r["persons"] for r in combos],
        color=[BAR if r["size"] > 1 else light(BAR, 0.45) for r in combos],
        width=0.7,
    )
    for bar, r in zip(bars, combos, strict=True):
        url = link(r) if link else None
        if url:
            bar.set_url(url)
        top.annotate(
            str(r["persons"]),
            (bar.get_x() + bar.get_width() / 2, bar.get_height()),
            ha="center",
            va="bottom",
            xytext=(0, 2),
            textcoords="offset points",
            fontsize=8,
        )
    top.set_yscale("log")
    top.set_ylabel("persons (log scale)")
    top.spines["bottom"].set_visible(False)
    top.tick_params(axis="x", length=0)
    for x, r in zip(xs, combos, strict=True):
        rows = [names.index(j) for j in r["jurisdictions"]]
        bottom.scatter([x] * len(names), range(len(names)), s=30, color=light(GREY, 0.35))
        bottom.vlines(x, min(rows), max(rows), color="#333333", linewidth=1.5)
        bottom.scatter([x] * len(rows), rows, s=36, color="#333333", zorder=3)
    bottom.set_yticks(range(len(names)), [f"{j} ({totals[j]})" for j in names])
    bottom.set_ylim(len(names) - 0.5, -0.5)
    bottom.set_xticks([])
    bottom.spines[["left", "bottom"]].set_visible(False)
    bottom.tick_params(axis="y", length=0)
    return chart(fig, "allies_combinations", words.title, words.description)


def lags_chart(a: MultilateralSection) -> Chart | None:
    """A bar per jurisdiction over the persons it shares with another: first, first the
    same day, followed (by how long), order open."""
    rows = a.lags
    if not rows:
        return None
    shades = colormaps["Oranges"]
    parts: list[tuple[str, str, dict[str, Any]]] = [
        ("first", "first", {"color": BAR}),
        ("together", "first, the same day as another", {"color": SKY}),
        *(
            (name, f"followed {name}", {"color": shades(0.3 + 0.15 * i)})
            for i, (name, _) in enumerate(LAG_BUCKETS)
        ),
        ("order_unknown", "order open (brackets)", hatched(GREY)),
    ]
    fig, ax = figure(1.2 + 0.42 * len(rows))
    labels = [r["jurisdiction"] for r in rows][::-1]
    left = [0] * len(labels)
    ordered = rows[::-1]
    for key, label, style in parts:
        values = [r[key] for r in ordered]
        ax.barh(labels, values, left=left, label=label, height=0.6, **style)
        left = [lo + v for lo, v in zip(left, values, strict=True)]
    for y, (r, total) in enumerate(zip(ordered, left, strict=True)):
        median = "" if r["median_days"] is None else f" · median lag {r['median_days']:g} d"
        bar_label(ax, f"{total}{median}", total, y)
    ax.set_xlabel("persons also sanctioned by another jurisdiction")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.margins(x=0.2)
    fig.legend(frameon=False, fontsize=8, loc="outside upper center", ncols=3)
    description = (
        "Horizontal stacked bars, one per jurisdiction, over the persons it sanctioned that"
        " another jurisdiction sanctioned too: first (blue), first the same day as another"
        " (light blue), followed another after a week, a month, six months, a year or more"
        " (orange, darker for longer), order open because a date is a bracket (grey,"
        " hatched). "
        + "; ".join(
            f"{r['jurisdiction']}: {r['first']} first, {r['together']} same day,"
            f" {r['followed']} followed (median {cell(r['median_days']) or '–'} days),"
            f" {r['order_unknown']} open"
            for r in rows
        )
        + "."
    )
    return chart(fig, "allies_lags", "Who moved first, and how long the others took", description)


def _bar_mark(r: Row) -> str:
    """What a jurisdiction's year bar must say above it: ``partial: to 2025-04-14``
    (its lists read cover the year only in part), ``≥`` (a lower bound)."""
    marks = []
    if r.get("lower_bound"):
        marks.append("≥")
    if r.get("covered_until"):
        marks.append(f"partial: to {cell(r['covered_until'])}")
    return " ".join(marks)


def counts_chart(a: MultilateralSection) -> Chart | None:
    """Grouped bars: persons per year per jurisdiction, hatched where the date is a
    bracket across the year's boundary."""
    rows = a.counts
    if not rows:
        return None
    names = [r["jurisdiction"] for r in a.coverage]
    years = list(range(min(r["year"] for r in rows), max(r["year"] for r in rows) + 1))
    table = {(r["jurisdiction"], r["year"]): r for r in rows}
    fig, ax = figure(3.6)
    width = 0.8 / max(len(names), 1)
    for i, j in enumerate(names):
        xs = [y - 0.4 + width * (i + 0.5) for y in years]
        found = [table.get((j, y), {}) for y in years]
        sure = [r.get("persons", 0) - r.get("uncertain_year", 0) for r in found]
        loose = [r.get("uncertain_year", 0) for r in found]
        ax.bar(xs, sure, width=width, color=colour(j), label=j)
        ax.bar(xs, loose, bottom=sure, width=width, **hatched(colour(j)))
        for x, r in zip(xs, found, strict=True):
            mark = _bar_mark(r)
            if mark:
                ax.annotate(
                    mark,
                    (x, r.get("persons", 0)),
                    xytext=(0, 2),
                    textcoords="offset points",
                    ha="center",
                    va="bottom",
                    rotation=90,
                    fontsize=6,
                    color=GREY,
                )
    ax.bar([years[0]], [0], **hatched(GREY), label="date a bracket across the year's end")
    ax.set_xticks(years, [str(y) for y in years])
    year = a.window[1].year
    for tick in ax.get_xticklabels():
        if tick.get_text() == str(year):
            tick.set_fontweight("bold")
    ax.set_ylabel("persons sanctioned")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    fig.legend(frameon=False, fontsize=8, loc="outside upper center", ncols=len(names) + 1)
    description = (
        "Grouped bars: per year, the persons each jurisdiction sanctioned for the first"
        " time under its Magnitsky-style programs (hatched: the date is a bracket across"
        " the year's end, counted in the year of the date given; above a bar, 'partial: to"
        " DATE' where its lists are read only to that day, '≥' where its list is one file"
        " without history, a lower bound). "
        + "; ".join(
            f"{y}: "
            + ", ".join(
                f"{j} {table[(j, y)]['persons']}"
                + (f" [{_bar_mark(table[(j, y)])}]" if _bar_mark(table[(j, y)]) else "")
                for j in names
                if (j, y) in table
            )
            for y in years
            if any((j, y) in table for j in names)
        )
        + "."
    )
    return chart(fig, "allies_counts", "Persons sanctioned per year, by jurisdiction", description)
