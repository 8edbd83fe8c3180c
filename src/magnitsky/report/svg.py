"""Matplotlib figures drawn to SVG and made ready to inline in the page: ids unique per
chart, a title and a description for screen readers. No pyplot: figures are plain
objects, safe to make in a loop and in threads."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date
from html import escape
from typing import Any

from matplotlib.axes import Axes
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.ticker import FuncFormatter

STYLE: dict[Any, Any] = {
    "svg.fonttype": "none",  # text stays text: smaller, selectable, read by screen readers
    "svg.hashsalt": "magnitsky",  # the same data gives the same SVG
    "font.family": "sans-serif",
    "font.size": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "hatch.linewidth": 0.8,
    "date.epoch": "1970-01-01T00:00:00",  # what day() counts from
}
EPOCH = date(1970, 1, 1)
# Okabe-Ito colours: told apart with every common colour-vision deficiency.
BAR = "#0072B2"
GREY = "#999999"
SKY = "#56B4E9"


NARROW_WIDTH = 4.6
"""Inches (72 SVG units each) of a chart's narrow drawing: a phone 390 px wide shows it
at about its own size (a content box of 330–360 px)."""
NARROW_TEXT = 11.0
"""Points: the smallest text of the narrow drawing (11 px or more at 390 px wide)."""
LINE = NARROW_TEXT * 1.4 / 72
"""Inches a line of narrow text takes (a legend's row)."""
LETTER = NARROW_TEXT * 0.6 / 72
"""Inches a letter of narrow text takes, about (an upright label's length)."""


@dataclass
class Chart:
    name: str  # the CSV with its numbers is <name>.csv
    title: str
    description: str  # what the chart shows, in words: the SVG's <desc> and the caption
    svg: str
    narrow: str = ""
    """The same chart drawn for narrow screens (larger text, fewer legend columns); the
    page shows it below 40rem (:attr:`both`)."""

    @property
    def both(self) -> str:
        """The wide and the narrow drawing, for a page whose CSS shows one of them
        (``svg.chart.narrow`` below 40rem, ``svg.chart.wide`` above)."""
        if not self.narrow:
            return self.svg
        wide = self.svg.replace('class="chart"', 'class="chart wide"', 1)
        return wide + self.narrow


def figure(height: float) -> tuple[Figure, Axes]:
    fig = Figure(figsize=(8, height), layout="constrained")
    return fig, fig.add_subplot()


def chart(fig: Figure, name: str, title: str, description: str) -> Chart:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None})
    wide = inline(buffer.getvalue(), name, title, description)
    narrowed(fig)
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None})
    narrow = inline(buffer.getvalue(), f"{name}-narrow", title, description)
    narrow = narrow.replace('class="chart"', 'class="chart narrow"', 1)
    return Chart(name, title, description, wide, narrow)


def narrowed(fig: Figure) -> None:
    """Redraw the figure for a narrow screen: :data:`NARROW_WIDTH` wide, every text at
    least :data:`NARROW_TEXT` points, legends in two columns (one for long labels), the x
    labels upright when they would not fit side by side; taller by what the legend's rows
    and the upright labels take, so the plot keeps its height."""
    height = fig.get_size_inches()[1] * 1.25
    for text in fig.findobj(Text):
        if float(text.get_fontsize()) < NARROW_TEXT:
            text.set_fontsize(NARROW_TEXT)
    for legend in list(fig.legends):  # every figure legend here sits above the axes
        handles = [h for h in legend.legend_handles if h is not None]
        labels = [t.get_text() for t in legend.get_texts()]
        long = any(len(label) > 18 for label in labels)
        legend.remove()
        fig.legend(
            handles,
            labels,
            frameon=False,
            fontsize=NARROW_TEXT,
            loc="outside upper center",
            ncols=1 if long else min(2, max(1, len(labels))),
        )
        height += LINE * len(labels) / (1 if long else 2)
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):  # ticks made anew when the drawing is resized
            if axis.get_scale() == "log":  # 10 and 100, not 10⁰ with a superscript of 7 pt
                axis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
            ticks = axis.get_ticklabels()
            if ticks and min(float(t.get_fontsize()) for t in ticks) < NARROW_TEXT:
                axis.set_tick_params(labelsize=NARROW_TEXT)
        labels = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
        longest = max((len(line) for t in labels for line in t.splitlines()), default=0)
        if len(labels) * longest * NARROW_TEXT * 0.6 > NARROW_WIDTH * 72 * 0.8:
            ticks = ax.get_xticklabels()  # upright, a label of several lines on one
            kept = [(t.get_fontweight(), t.get_color()) for t in ticks]
            ax.set_xticks(ax.get_xticks(), [" ".join(t.get_text().split()) for t in ticks])
            for tick, (weight, colour) in zip(ax.get_xticklabels(), kept, strict=True):
                tick.set_fontweight(weight)
                tick.set_color(colour)
            ax.tick_params(axis="x", labelrotation=90, labelsize=NARROW_TEXT)
            longest = max(len(" ".join(t.split())) for t in labels)
            height += LETTER * longest
    fig.set_size_inches(NARROW_WIDTH, height)


def inline(svg: str, name: str, title: str, description: str) -> str:
    """Matplotlib's SVG as an element of the page: no XML prolog, ids prefixed with the
    chart's name (every chart defines clip paths and hatches of its own), and an
    accessible name and description."""
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<!--.*?-->", "", svg, flags=re.S)
    ids = set(re.findall(r'\bid="([^"]+)"', svg))
    prefix = f"chart-{name}-"
    svg = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{prefix}{m[1]}"', svg)
    svg = re.sub(r"#([\w.-]+)", lambda m: f"#{prefix}{m[1]}" if m[1] in ids else m[0], svg)
    head = (
        f'<svg role="img" class="chart" aria-labelledby="{prefix}title {prefix}desc"'
        f' data-chart="{name}"'
    )
    svg = svg.replace("<svg", head, 1)
    label = (
        f'<title id="{prefix}title">{escape(title)}</title>'
        f'<desc id="{prefix}desc">{escape(description)}</desc>'
    )
    return re.sub(r"(<svg[^>]*>)", lambda m: m[1] + label, svg, count=1).strip()


def light(colour: str, share: float = 0.3) -> tuple[float, float, float]:
    """The colour mixed with white: the lighter part of a bar, under its hatching."""
    r, g, b = (share * c + (1 - share) for c in to_rgb(colour))
    return r, g, b


def hatched(colour: str) -> dict[str, Any]:
    """The style of what may fall in the year: light, hatched in the colour, no outline."""
    return {"color": light(colour), "edgecolor": colour, "hatch": "///", "linewidth": 0}


def bar_label(ax: Axes, text: str, x: float, y: float) -> None:
    """A small label just right of the end of a horizontal bar."""
    ax.annotate(text, (x, y), xytext=(3, 0), textcoords="offset points", va="center", fontsize=8)


def day(d: date) -> float:
    """A date as Matplotlib's date number: days since the epoch."""
    return float((d - EPOCH).days)


def year_axis(
    ax: Axes,
    years: list[int],
    partial: dict[int, date],
    bold: int | None = None,
    fontsize: float | None = None,
) -> None:
    """Years as the x axis; a year the lists read cover only in part says so under its
    number, with the day coverage ends (``partial``: year -> that day), in grey."""
    labels = [
        f"{y}\npartial:\nto {partial[y].isoformat()}" if y in partial else str(y) for y in years
    ]
    ax.set_xticks(years, labels)
    for y, tick in zip(years, ax.get_xticklabels(), strict=True):
        if y == bold:
            tick.set_fontweight("bold")
        if y in partial:
            tick.set_color(GREY)
            tick.set_fontsize(fontsize or 7)


def partial_years(rows: list[dict[str, Any]]) -> dict[int, date]:
    """Year -> the day coverage ends, for the rows (``coverage.mark``) covered in part."""
    return {r["year"]: r["covered_until"] for r in rows if r.get("covered_until")}
