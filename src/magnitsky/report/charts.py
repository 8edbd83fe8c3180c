"""The report's charts: Matplotlib drawn to SVG, made ready to inline in the page (ids made
unique per chart, a title and a description for screen readers, bars linked to the list of
designations behind them). No pyplot: figures are plain objects, safe to make in a loop."""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import matplotlib as mpl
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from magnitsky.report import trace

if TYPE_CHECKING:
    from magnitsky.analysis.annual import Annual

STYLE = {
    "svg.fonttype": "none",  # text stays text: smaller, selectable, read by screen readers
    "svg.hashsalt": "magnitsky",  # the same data gives the same SVG
    "font.family": "sans-serif",
    "font.size": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "hatch.linewidth": 0.8,
}
# Okabe-Ito colours: told apart with every common colour-vision deficiency.
BASES = {
    "human_rights": ("Human-rights abuse", "#0072B2"),
    "corruption": ("Corruption", "#E69F00"),
    "direct": ("Direct involvement", "#0072B2"),
    "ties": ("Solely for ties", "#009E73"),
    "unknown": ("Basis unknown", "#999999"),
}
BAR = "#0072B2"
TOP = 15  # bars drawn in the category charts; the CSV has them all


@dataclass
class Chart:
    name: str  # the CSV with its numbers is <name>.csv
    title: str
    description: str  # what the chart shows, in words: the SVG's <desc> and the caption
    svg: str


def _figure(height: float) -> tuple[Figure, Axes]:
    fig = Figure(figsize=(8, height), layout="constrained")
    return fig, fig.add_subplot()


def _svg(fig: Figure, name: str, title: str, description: str) -> str:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None})
    return inline(buffer.getvalue(), name, title, description)


def inline(svg: str, name: str, title: str, description: str) -> str:
    """Matplotlib's SVG as an element of the page: no XML prolog, ids prefixed with the
    chart's name (every chart defines clip paths and hatches of its own), and an
    accessible name and description."""
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<!--.*?-->", "", svg, flags=re.S)
    ids = set(re.findall(r'\bid="([^"]+)"', svg))
    prefix = f"chart-{name}-"
    svg = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{prefix}{m[1]}"', svg)
    svg = re.sub(
        r"#([\w.-]+)",
        lambda m: f"#{prefix}{m[1]}" if m[1] in ids else m[0],
        svg,
    )
    head = (
        f'<svg role="img" class="chart" aria-labelledby="{prefix}title {prefix}desc"'
        f' data-chart="{name}"'
    )
    svg = svg.replace("<svg", head, 1)
    label = (
        f'<title id="{prefix}title">{_escape(title)}</title>'
        f'<desc id="{prefix}desc">{_escape(description)}</desc>'
    )
    return re.sub(r"(<svg[^>]*>)", lambda m: m[1] + label, svg, count=1).strip()


def _escape(text: str) -> str:
    from html import escape

    return escape(text, quote=True)


def basis_series(yearly: list[dict[str, Any]]) -> list[str]:
    """The bases that split persons without overlap: human rights / corruption / ties /
    unknown when they add up to the persons counted, else direct / ties / unknown."""
    for parts in (["human_rights", "corruption", "ties", "unknown"], ["direct", "ties", "unknown"]):
        if all(
            sum(r.get(f"{p}_{m}", 0) for p in parts) == r.get(f"persons_{m}", 0)
            for r in yearly
            for m in ("min", "max")
        ):
            return parts
    return ["direct", "ties", "unknown"]


def yearly_chart(annual: Annual) -> Chart | None:
    rows = sorted(annual.yearly, key=lambda r: r["year"])
    if not rows:
        return None
    parts = basis_series(rows)
    fig, ax = _figure(4.2)
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
        ax.bar(
            years, values, bottom=bottom, color=colour, alpha=0.35, hatch="///",
            edgecolor=colour, linewidth=0, width=0.7,
        )
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    for r, top in zip(rows, bottom, strict=True):
        lo, hi = r.get("persons_min", 0), r.get("persons_max", 0)
        ax.annotate(f"{lo}" if lo == hi else f"{lo}–{hi}", (r["year"], top), ha="center",
                    va="bottom", xytext=(0, 2), textcoords="offset points", fontsize=8)
    ax.bar([0], [0], color="#bbbbbb", alpha=0.6, hatch="///", label="may fall in the year")
    ax.set_xlim(min(years) - 0.6, max(years) + 0.6)
    ax.set_xticks(years, [str(y) for y in years])
    for tick in ax.get_xticklabels():
        if tick.get_text() == str(annual.year):
            tick.set_fontweight("bold")
    ax.set_ylabel("persons designated")
    ax.legend(frameon=False, fontsize=8, loc="upper left")
    title = f"{annual.program}: persons designated per year, by basis"
    description = (
        "Stacked bars per year: solid, the persons certainly designated in the year, by"
        " basis; hatched above, those dated by a bracket that may fall in the year. Labels:"
        " at least–at most. "
        + "; ".join(f"{r['year']}: {r.get('persons_min', 0)}–{r.get('persons_max', 0)}"
                    for r in rows)
    )
    return Chart("yearly", title, description, _svg(fig, "yearly", title, description))


LABELS = ("name", "country", "region", "role", "label", "code", "kind")
VALUES = ("persons", "count", "designations", "n", "total", "value")


def label_value(rows: list[dict[str, Any]]) -> tuple[str, str] | None:
    """Which keys of a category table hold the label and the count."""
    if not rows:
        return None
    label = next((k for k in LABELS if k in rows[0]), None)
    value = next(
        (k for k in VALUES if isinstance(rows[0].get(k), (int, float))
         and not isinstance(rows[0].get(k), bool)),
        None,
    )
    return (label, value) if label and value else None


def category_chart(
    name: str, title: str, rows: list[dict[str, Any]], figure: str, anchors: set[str]
) -> Chart | None:
    keys = label_value(rows)
    if keys is None:
        return None
    label, value = keys
    top = sorted(rows, key=lambda r: -r[value])[:TOP]
    fig, ax = _figure(0.8 + 0.28 * len(top))
    names = [str(r[label]) for r in top][::-1]
    bars = ax.barh(names, [r[value] for r in top][::-1], color=BAR)
    for bar, r in zip(bars, top[::-1], strict=True):
        link = _anchor_for(r, figure, anchors)
        if link:
            bar.set_url(f"#{link}")
    ax.bar_label(bars, fontsize=8, padding=2)
    ax.set_xlabel(f"designations ({value})")
    more = f" (the {TOP} largest of {len(rows)})" if len(rows) > TOP else ""
    description = f"Horizontal bars{more}: " + "; ".join(
        f"{r[label]}: {r[value]}" for r in top
    )
    return Chart(name, title, description, _svg(fig, name, title, description))


def _anchor_for(row: dict[str, Any], figure: str, anchors: set[str]) -> str | None:
    for key in ("code", "country_code", *LABELS):
        if row.get(key) is not None:
            candidate = trace.anchor(figure, str(row[key]))
            if candidate in anchors:
                return candidate
    return None


def _action_day(row: dict[str, Any]) -> date | None:
    day = row.get("date") or row.get("listed_on")
    return day if isinstance(day, date) else None


def timeline_chart(annual: Annual, anchors: set[str]) -> Chart | None:
    keys = label_value([{"label": "", **r} for r in annual.actions])
    actions = [(d, r) for r in annual.actions if (d := _action_day(r))]
    brackets = Counter(
        (d["listed_not_before"], d["listed_not_after"])
        for d in annual.counted
        if d.get("date_quality") != "exact" and d.get("listed_not_before")
    )
    if not (actions and keys) and not brackets:
        return None
    value = keys[1] if keys else "count"
    fig, ax = _figure(3.4)
    start, end = annual.window
    for (lo, hi), n in sorted(brackets.items()):
        ax.fill_between([max(lo, start), min(hi, end) + timedelta(days=1)], 0, n,
                        color="#999999", alpha=0.3, hatch="///", linewidth=0)
    if brackets:
        ax.fill_between([], [], color="#999999", alpha=0.3, hatch="///",
                        label="dated by a bracket: somewhere in it")
    for day, r in actions:
        line = ax.vlines(day, 0, r[value], color=BAR, linewidth=2.5)
        link = trace.anchor("date", day.isoformat())
        if link in anchors:
            line.set_url(f"#{link}")
    ax.plot([d for d, _ in actions], [r[value] for _, r in actions], "o", color=BAR,
            label="action on an exact date")
    for day, r in sorted(actions, key=lambda a: -a[1][value])[:8]:
        ax.annotate(f"{r[value]} · {day:%d %b}", (day, r[value]), xytext=(0, 4),
                    textcoords="offset points", ha="center", fontsize=8)
    ax.set_xlim(start, end + timedelta(days=1))
    ax.set_ylim(0, None)
    ax.margins(y=0.2)
    ax.set_ylabel("designations")
    ax.legend(frameon=False, fontsize=8, loc="upper left")
    title = f"The actions of {annual.year}, {start:%d %b %Y} – {end:%d %b %Y}"
    description = "Designations on each exact date: " + "; ".join(
        f"{day.isoformat()}: {r[value]}" for day, r in actions
    ) + (f". Dated by a bracket: {sum(brackets.values())}." if brackets else ".")
    return Chart("actions", title, description, _svg(fig, "actions", title, description))


def charts(annual: Annual, anchors: set[str]) -> list[Chart]:
    makers: list[Callable[[], Chart | None]] = [
        lambda: yearly_chart(annual),
        lambda: category_chart("countries", f"Countries of the persons designated in"
                               f" {annual.year}", annual.countries, "country", anchors),
        lambda: timeline_chart(annual, anchors),
        lambda: category_chart("roles", f"Roles of the persons designated in {annual.year}",
                               annual.roles, "role", anchors),
        lambda: category_chart("regions", f"Regions of the persons designated in"
                               f" {annual.year}", annual.regions, "region", anchors),
    ]
    with mpl.rc_context(STYLE):
        made = [make() for make in makers]
    return [c for c in made if c is not None]
