"""The report's charts: designations per year stacked by basis, with ranges; countries,
regions and roles of the year; the year's actions (``timeline``); abuses, corruption
types and victim groups per year. Each bar links to the list of designations behind it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import matplotlib as mpl
from matplotlib.ticker import MaxNLocator

from magnitsky.report import captions, trace
from magnitsky.report.svg import (
    BAR,
    GREY,
    STYLE,
    Chart,
    bar_label,
    chart,
    figure,
    hatched,
    light,
    partial_years,
    year_axis,
)
from magnitsky.report.tables import span
from magnitsky.report.timeline import timeline_chart

if TYPE_CHECKING:
    from magnitsky.analysis.annual import Annual

# Okabe-Ito colours: told apart with every common colour-vision deficiency.
BASES = {
    "human_rights": ("Human-rights abuse", "#0072B2"),
    "corruption": ("Corruption", "#E69F00"),
    "ties": ("Solely for ties", "#009E73"),
    "unknown": ("Basis unknown", GREY),
}
TOP = 15  # bars drawn in the category charts; the CSV has them all


def yearly_chart(annual: Annual) -> Chart | None:
    rows = sorted(annual.yearly, key=lambda r: r["year"])
    if not rows:
        return None
    parts = list(BASES)  # every person has exactly one: the stack is the persons
    fig, ax = figure(4.2)
    years = [r["year"] for r in rows]
    bottom = [0] * len(rows)
    for p in parts:  # the certain counts, solid
        values = [r.get(f"{p}_min", 0) for r in rows]
        label, colour = BASES[p]
        ax.bar(years, values, bottom=bottom, color=colour, label=label, width=0.7)
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    for p in parts:  # up to the maximum: may fall in the year (dated by a bracket)
        values = [r.get(f"{p}_max", 0) - r.get(f"{p}_min", 0) for r in rows]
        _, colour = BASES[p]
        ax.bar(years, values, bottom=bottom, width=0.7, **hatched(colour))
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    for r, top in zip(rows, bottom, strict=True):
        lo, hi = r.get("persons_min", 0), r.get("persons_max", 0)
        ax.annotate(
            f"{lo}" if lo == hi else f"{lo}–{hi}",
            (r["year"], top),
            ha="center",
            va="bottom",
            xytext=(0, 2),
            textcoords="offset points",
            fontsize=8,
        )
    ax.bar([0], [0], **hatched(GREY), label="may fall in the year (dated by a bracket)")
    ax.set_xlim(min(years) - 0.6, max(years) + 0.6)
    partial = partial_years(rows)
    year_axis(ax, years, partial, annual.year)
    ax.set_ylabel("persons designated")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    fig.legend(frameon=False, fontsize=8, loc="outside upper center", ncols=5)
    words = captions.yearly(annual.program, rows)
    assert words is not None  # rows are not empty
    return chart(fig, "yearly", words.title, words.description)


LABELS = ("name", "country", "region", "role", "label", "code", "kind")
VALUES = ("count", "designations", "persons", "n", "total", "value")


def label_value(rows: list[dict[str, Any]]) -> tuple[str, str] | None:
    """Which keys of a category table hold the label and the count."""
    if not rows:
        return None
    label = next((k for k in LABELS if k in rows[0]), None)
    value = next(
        (
            k
            for k in VALUES
            if isinstance(rows[0].get(k), (int, float)) and not isinstance(rows[0].get(k), bool)
        ),
        None,
    )
    return (label, value) if label and value else None


def _bounds(row: dict[str, Any], value: str) -> tuple[float, float]:
    """(at least, at most) of a category: its min and max where it has them."""
    hi = row.get("max", row[value])
    return row.get("min", hi), hi


def category_chart(
    name: str, title: str, rows: list[dict[str, Any]], grouping: str, anchors: set[str]
) -> Chart | None:
    keys = label_value(rows)
    if keys is None:
        return None
    label, value = keys
    top = sorted(rows, key=lambda r: (-_bounds(r, value)[1], str(r[label])))[:TOP][::-1]
    fig, ax = figure(0.8 + 0.28 * len(top))
    names = [str(r[label]) for r in top]
    lows = [_bounds(r, value)[0] for r in top]
    highs = [_bounds(r, value)[1] for r in top]
    bars = ax.barh(names, lows, color=BAR, label="certainly in the year")
    extra = [h - lo for lo, h in zip(lows, highs, strict=True)]
    if any(extra):
        ax.barh(names, extra, left=lows, **hatched(BAR), label="may fall in the year")
        fig.legend(frameon=False, fontsize=8, loc="outside upper center", ncols=2)
    for bar, r in zip(bars, top, strict=True):
        link = _anchor_for(r, grouping, anchors)
        if link:
            bar.set_url(f"#{link}")
    for y, (lo, hi) in enumerate(zip(lows, highs, strict=True)):
        bar_label(ax, span(lo, hi), hi, y)
    ax.set_xlabel("designations")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.margins(x=0.08)
    more = f" (the {TOP} largest of {len(rows)})" if len(rows) > TOP else ""
    description = f"Horizontal bars{more}: " + "; ".join(
        f"{r[label]}: {span(*_bounds(r, value))}" for r in top[::-1]
    )
    return chart(fig, name, title, description)


def _anchor_for(row: dict[str, Any], grouping: str, anchors: set[str]) -> str | None:
    for key in ("code", "country_code", *LABELS):
        if row.get(key) is not None:
            candidate = trace.anchor(grouping, str(row[key]))
            if candidate in anchors:
                return candidate
    return None


THEME_COLOURS = {"abuse": "#0072B2", "corruption": "#E69F00", "victim group": "#009E73"}


def themes_chart(annual: Annual, anchors: set[str]) -> Chart | None:
    """A grid: a row per abuse, corruption type and victim group the texts read name, a
    column per year, each cell the persons (at least–at most), darker for more."""
    rows = annual.themes_by_year
    if not rows:
        return None
    kinds = list(THEME_COLOURS)
    totals: dict[str, int] = {}
    for r in rows:
        totals[r["label"]] = totals.get(r["label"], 0) + r["max"]
    kind = {r["label"]: r["kind"] for r in rows}
    name = {r["label"]: r.get("name") or r["label"] for r in rows}
    labels = sorted(
        totals, key=lambda x: (kinds.index(kind[x]) if kind[x] in kinds else 9, -totals[x], x)
    )
    years = sorted({r["year"] for r in annual.yearly} | {r["year"] for r in rows})
    top = max(r["max"] for r in rows) or 1
    fig, ax = figure(0.9 + 0.32 * len(labels))
    for r in rows:
        y = labels.index(r["label"])
        colour = THEME_COLOURS.get(r["kind"], GREY)
        shade = light(colour, 0.2 + 0.6 * r["max"] / top)
        style = hatched(colour) if r["min"] < r["max"] else {"color": shade}
        (cell,) = ax.bar([r["year"]], [0.84], bottom=[y - 0.42], width=0.84, **style)
        link = trace.anchor("theme", r["label"])
        if r["year"] == annual.year and link in anchors:
            cell.set_url(f"#{link}")
        ax.annotate(span(r["min"], r["max"]), (r["year"], y), ha="center", va="center", fontsize=8)
    ax.set_yticks(range(len(labels)), [name[x] for x in labels])
    for what, colour in THEME_COLOURS.items():
        if what in kind.values():
            ax.bar([0], [0], color=light(colour, 0.6), label=what)
    ax.set_ylim(len(labels) - 0.5, -0.5)
    ax.set_xlim(min(years) - 0.6, max(years) + 0.6)
    year_axis(ax, years, partial_years(annual.yearly), annual.year)
    ax.spines[["left", "bottom"]].set_visible(False)
    ax.tick_params(length=0)
    fig.legend(frameon=False, fontsize=8, loc="outside upper center", ncols=3)
    title = f"{annual.program}: abuses, corruption types and victim groups per year"
    description = (
        "A grid: a row per abuse (blue), corruption type (orange) and victim group (green)"
        " the official texts read name, a column per year; each cell gives the persons"
        " whose text names it, at least–at most (hatched: a range). Years without a cell:"
        " none shown, or no text read. "
        + "; ".join(f"{r['year']} {name[r['label']]}: {span(r['min'], r['max'])}" for r in rows)
        + "."
    )
    return chart(fig, "themes_by_year", title, description)


def charts(annual: Annual, anchors: set[str]) -> list[Chart]:
    makers: list[Callable[[], Chart | None]] = [
        lambda: yearly_chart(annual),
        lambda: category_chart(
            "countries",
            f"Countries of the persons designated in {annual.year}",
            annual.countries,
            "country",
            anchors,
        ),
        lambda: timeline_chart(annual, anchors),
        lambda: category_chart(
            "roles",
            f"Roles of the persons designated in {annual.year}",
            annual.roles,
            "role",
            anchors,
        ),
        lambda: themes_chart(annual, anchors),
        lambda: category_chart(
            "regions",
            f"Regions of the persons designated in {annual.year}",
            annual.regions,
            "region",
            anchors,
        ),
    ]
    with mpl.rc_context(STYLE):
        made = [make() for make in makers]
    return [c for c in made if c is not None]
