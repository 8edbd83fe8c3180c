"""The year's actions on a timeline: a stem per exact date (linked to the designations of
that day), a lighter stem for dates known within a couple of days (two close snapshots),
and below, a bar over each wider bracket: the designations listed somewhere in it."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator

from magnitsky.report import trace
from magnitsky.report.svg import BAR, GREY, SKY, Chart, chart, day, figure, hatched

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from magnitsky.analysis.annual import Annual

NEAR = 2  # days: a bracket this narrow is drawn at its end, as a near-exact date
WIDE_SHOWN = 12  # wide brackets drawn; the table below the page lists every designation
Stems = list[tuple[date, int]]


def _width(d: dict[str, Any]) -> int:
    lo, hi = d.get("listed_not_before"), d["listed_not_after"]
    return (hi - lo).days if lo else 10_000


def _dated(annual: Annual) -> tuple[Stems, Stems, Counter[tuple[date, date]]]:
    """(exact actions, near-exact dates, wide brackets) of the year."""
    exact = [
        (r["date"], int(r.get("count", 0)))
        for r in annual.actions
        if isinstance(r.get("date"), date)
    ]
    loose = [d for d in annual.counted if d.get("date_quality") != "exact"]
    near = Counter(d["listed_not_after"] for d in loose if _width(d) <= NEAR)
    wide = Counter(
        (d.get("listed_not_before") or annual.window[0], d["listed_not_after"])
        for d in loose
        if _width(d) > NEAR
    )
    return exact, sorted(near.items()), wide


def _stems(ax: Axes, stems: Stems, colour: str, label: str, anchors: set[str]) -> None:
    for when, n in stems:
        line = ax.vlines(day(when), 0, n, color=colour, linewidth=2.5)
        link = trace.anchor("date", when.isoformat())
        if link in anchors:
            line.set_url(f"#{link}")
    if stems:
        ax.plot([day(d) for d, _ in stems], [n for _, n in stems], "o", color=colour, label=label)


def labelled(stems: Stems, most: int = 8) -> Stems:
    """The largest, leaving out one whose label would overlap a larger one's (within 12
    days and a sixth of the height)."""
    top = max((n for _, n in stems), default=0)
    chosen: Stems = []
    for when, n in sorted(stems, key=lambda a: (-a[1], a[0])):
        clash = any(abs((when - c).days) < 12 and abs(n - m) < top / 6 for c, m in chosen)
        if len(chosen) < most and not clash:
            chosen.append((when, n))
    return chosen


def _wide(ax: Axes, wide: Counter[tuple[date, date]], window: tuple[date, date]) -> None:
    """A hatched bar over each wide bracket (the part inside the window), labelled."""
    shown = sorted(sorted(wide.items(), key=lambda kv: -kv[1])[:WIDE_SHOWN])
    start, end = window
    first, last = day(start), day(end + timedelta(days=1))
    for y, ((lo, hi), n) in enumerate(shown):
        left, right = day(max(lo, start)), day(min(hi, end) + timedelta(days=1))
        label = "dated by a bracket: listed somewhere in it" if y == 0 else None
        ax.barh(y, right - left, left=left, height=0.7, **hatched(GREY), label=label)
        text = f"{n} between {lo:%d %b %Y} and {hi:%d %b %Y}"
        if right - left > 0.4 * (last - first):  # room inside the bar
            where, align = (left + right) / 2, "center"
        elif right < (first + last) / 2:
            where, align = right + 2, "left"
        else:
            where, align = left - 2, "right"
        ax.annotate(text, (where, y), ha=align, va="center", fontsize=7)
    ax.set_yticks([])
    ax.set_ylim(len(shown) - 0.5, -0.5)
    ax.set_ylabel("brackets")
    ax.spines["left"].set_visible(False)


def _axes(stems: bool, wide: int) -> tuple[Figure, Axes | None, Axes | None]:
    """The stems' axes and the brackets' axes below them, each only if needed."""
    if not wide:
        fig, ax = figure(3.4)
        return fig, ax, None
    if not stems:
        fig, ax = figure(1 + 0.3 * wide)
        return fig, None, ax
    fig, ax = figure(3.4 + 0.25 * wide)
    ax.remove()
    top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=[3, max(1, 0.3 * wide)])
    return fig, top, bottom


def _draw_stems(ax: Axes, exact: Stems, near: Stems, anchors: set[str]) -> None:
    _stems(ax, exact, BAR, "action on an exact date", anchors)
    _stems(ax, near, SKY, f"dated within {NEAR} days (two close snapshots)", set())
    for when, n in labelled(exact + near):
        ax.annotate(
            f"{n} · {when:%d %b}",
            (day(when), n),
            xytext=(0, 4),
            textcoords="offset points",
            ha="center",
            fontsize=8,
        )
    ax.set_ylim(0, max([n for _, n in exact + near], default=1) * 1.2)
    ax.set_ylabel("designations")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))


def timeline_chart(annual: Annual, anchors: set[str]) -> Chart | None:
    exact, near, wide = _dated(annual)
    if not (exact or near or wide):
        return None
    fig, upper, lower = _axes(bool(exact or near), min(len(wide), WIDE_SHOWN))
    if upper is not None:
        _draw_stems(upper, exact, near, anchors)
    if lower is not None:
        _wide(lower, wide, annual.window)
    start, end = annual.window
    for ax in (upper, lower):
        if ax is not None:
            ax.xaxis_date()
            ax.set_xlim(day(start), day(end + timedelta(days=1)))
    fig.legend(frameon=False, fontsize=8, loc="outside upper center", ncols=3)
    title = f"The actions of {annual.year}, {start:%d %b %Y} – {end:%d %b %Y}"
    return chart(fig, "actions", title, _describe(exact, near, wide))


def _describe(exact: Stems, near: Stems, wide: Counter[tuple[date, date]]) -> str:
    parts = []
    if exact:
        parts.append(
            "Designations on each exact date: "
            + "; ".join(f"{d.isoformat()}: {n}" for d, n in exact)
            + "."
        )
    if near:
        parts.append(
            f"Dated within {NEAR} days, at the later date: "
            + "; ".join(f"{d.isoformat()}: {n}" for d, n in near)
            + "."
        )
    if wide:
        parts.append(
            "Dated by a wider bracket: "
            + "; ".join(
                f"{n} between {lo.isoformat()} and {hi.isoformat()}"
                for (lo, hi), n in sorted(wide.items())
            )
            + "."
        )
    return " ".join(parts)
