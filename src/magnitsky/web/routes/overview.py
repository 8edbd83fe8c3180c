"""The overview: the Magnitsky-style programs, persons designated per year and program
(at least–at most where dates are brackets), a program's years split by basis — the
annual report's chart, drawn by the report's own code — and the latest actions. Also
``/api/stats/yearly`` (``magnitsky stats yearly``) and the chart as an SVG image."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response

from magnitsky.analysis import coverage, measures
from magnitsky.analysis.annual import Annual
from magnitsky.analysis.designations import PERSONS
from magnitsky.analysis.windows import CALENDAR, YearEnd, window
from magnitsky.report import captions
from magnitsky.report.captions import Caption
from magnitsky.stats import with_average, with_coverage, yearly
from magnitsky.web import params, responses
from magnitsky.web.catalogue import Catalogue, Row
from magnitsky.web.routes import DRAWING, catalogue, off_loop

if TYPE_CHECKING:
    from magnitsky.report.svg import Chart

DEFAULT_PROGRAM = "US-GLOMAG"
LATEST = 12

PAGE = """{% extends "layout.html" %}
{% from "macros.html" import head %}
{% block title %}Overview{% endblock %}
{% block main %}
<h1>Magnitsky-style sanctions</h1>
<p class="lead">Targeted human-rights and anti-corruption sanctions of the United States,
the United Kingdom, Canada, the European Union and Australia, read from the governments'
own list files. Counts are of persons (individuals and entities; vessels and aircraft are
counted apart) and are ranges <em>at least–at most</em> where a listing is dated only by a
bracket between two snapshots of a list.</p>

<section aria-labelledby="per-year">
<h2 id="per-year">Persons designated per year, by basis</h2>
<form class="filters inline" method="get" action="/"
      aria-label="Choose the program and the year's end">
<fieldset><legend>Program and year</legend>
<div class="field">
<label for="f-program">Program</label>
<select id="f-program" name="program">
{% for p in programs %}
<option value="{{ p }}"{% if p == program %} selected{% endif %}>{{ p }}</option>
{% endfor %}
</select>
</div>
<div class="field">
<label for="f-year_end">Year ends on (MM-DD)</label>
<input id="f-year_end" name="year_end" value="{{ year_end_text }}"
       pattern="[0-9]{2}-[0-9]{2}" aria-describedby="f-year_end-hint">
<span class="hint" id="f-year_end-hint">12-31 calendar, 09-30 US fiscal,
12-05 before Human Rights Day</span>
</div>
<p class="actions"><button type="submit">Show</button></p>
</fieldset>
</form>
{% if chart %}
<figure>
<picture><source media="(max-width: 40rem)"
 srcset="{{ chart_url|replace('/yearly.svg', '/yearly-narrow.svg') }}">
<img class="chart" id="chart-yearly" src="{{ chart_url }}" width="800" height="420"
     alt="{{ chart.title }}. {{ chart.description }}"></picture>
<figcaption>{{ chart.title }}. Solid: certainly designated in the year; hatched above:
dated by a bracket that may fall in it. <a href="{{ chart_url }}">The chart as SVG</a>.
</figcaption>
</figure>
{% endif %}
<div class="scroll" tabindex="0" role="region" aria-labelledby="per-year">
<table class="data" id="yearly">
<caption>{{ program }}: persons designated per year
{%- if year_end_text != "12-31" %} (years ending on {{ year_end_text }}){% endif %}.
<a href="/download/yearly.csv?{{ stats_query }}">CSV</a> ·
<a href="/api/stats/yearly?{{ stats_query }}">JSON</a></caption>
{{ head(["Year", "Persons", "Direct involvement (shown – with basis unknown)", "Solely for ties",
         "Basis unknown", "Basis from: official text · list", "Vessels", "Aircraft",
         "Delisted", "Average of the years before"]) }}
<tbody>
{% for y in yearly %}
{% set link = "/designations?program=" ~ program|urlencode ~ "&year=" ~ y.year ~ year_end_param %}
<tr>
<th scope="row"><a href="{{ link }}">{{ y.year }}</a>
{%- if y.coverage %} <span class="partial">({{ y.coverage }})</span>{% endif %}</th>
<td>{{ span(y.persons_min, y.persons_max) }}</td>
<td>{{ span(y.direct_min, y.direct_max) }}</td>
<td>{{ span(y.ties_min, y.ties_max) }}</td>
<td>{{ span(y.unknown_min, y.unknown_max) }}</td>
<td>{{ span(y.basis_from_text_min, y.basis_from_text_max) }} ·
{{ span(y.basis_from_list_min + y.basis_from_regime_min,
        y.basis_from_list_max + y.basis_from_regime_max) }}</td>
<td>{{ span(y.vessels_min, y.vessels_max) }}</td>
<td>{{ span(y.aircraft_min, y.aircraft_max) }}</td>
<td>{{ span(y.delisted_min, y.delisted_max) }}</td>
<td>{% if y.avg_persons_min is not none %}
{{- span(y.avg_persons_min, y.avg_persons_max) }}{% endif %}</td>
</tr>
{% endfor %}
</tbody>
</table>
</div>
</section>

<section aria-labelledby="by-program">
<h2 id="by-program">Persons designated per year and program</h2>
<div class="scroll" tabindex="0" role="region" aria-labelledby="by-program">
<table class="data" id="per-program">
{{ head(["Program"] + years) }}
<tbody>
{% for p in per_program %}
<tr>
<th scope="row">{{ p.program }}</th>
{% for y in years %}
{% set c = p.years.get(y) %}
{% set link = "/designations?program=" ~ p.program|urlencode ~ "&year=" ~ y ~ year_end_param %}
<td>{% if c and c[1] %}<a href="{{ link }}">{{ span(c[0], c[1]) }}</a>
{%- if p.partial.get(y) %} <span class="partial">(partial: to {{ p.partial[y]|cell }})</span>
{%- endif %}{% endif %}</td>
{% endfor %}
</tr>
{% endfor %}
</tbody>
</table>
</div>
</section>

<section aria-labelledby="latest">
<h2 id="latest">The latest actions</h2>
<ol class="actions-list">
{% for a in latest %}
<li><strong>
{%- if a.not_before and a.not_before != a.date -%}
between {{ a.not_before|cell }} and {{ a.date|cell }}
{%- else -%}
{{ a.date|cell }}
{%- endif -%}
</strong>: {{ a.program }} {{ a.action }} {{ a.count }}
({{ a.persons }} person{{ "" if a.persons == 1 else "s" }}
{%- if a.count != a.persons %}, {{ a.count - a.persons }} vessels or aircraft{% endif %}) —
{{ a.names|join("; ") }}{% if a.more %} and {{ a.more }} more{% endif %}.
<a href="{{ a.link }}">The list</a></li>
{% endfor %}
</ol>
</section>

<section aria-labelledby="programs">
<h2 id="programs">The programs</h2>
<div class="scroll" tabindex="0" role="region" aria-labelledby="programs">
<table class="data" id="program-summary">
{{ head(["Program", "Jurisdiction", "Legal basis", "Designations", "Persons",
         "Vessels and aircraft", "Still listed", "Latest listing"]) }}
<tbody>
{% for s in summary %}
<tr>
<th scope="row"><a href="/designations?program={{ s.program|urlencode }}">{{ s.program }}</a></th>
<td>{{ s.jurisdiction }}</td>
<td>{{ s.title }}</td>
<td>{{ s.designations }}</td>
<td>{{ s.persons }}</td>
<td>{{ s.property }}</td>
<td>{{ s.current }}</td>
<td>{{ s.latest|cell }}</td>
</tr>
{% endfor %}
</tbody>
</table>
</div>
</section>
{% endblock %}
"""


def _read(request: Request, required: bool) -> tuple[str, YearEnd, int]:
    cat = catalogue(request)
    read = params.read(
        request.query_params,
        {
            "program": params.choice(cat.programs()),
            "year_end": params.year_end,
            "average_years": params.integer(1, 50),
        },
    )
    if read["program"] is None and required:
        raise params.BadRequest("parameter 'program' is required, such as program=US-GLOMAG")
    return (
        read["program"] or DEFAULT_PROGRAM,
        read["year_end"] or CALENDAR,
        read["average_years"] or 5,
    )


def summary(cat: Catalogue) -> list[dict[str, Any]]:
    def make() -> list[dict[str, Any]]:
        out = []
        for program in cat.magnitsky_programs():
            rows = [cat.designations[i] for i in cat.indices(program)]
            out.append(
                {
                    "program": program,
                    "jurisdiction": rows[0]["jurisdiction"],
                    "title": cat.title(program),
                    "designations": len(rows),
                    "persons": sum(1 for r in rows if r["schema"] in PERSONS),
                    "property": sum(1 for r in rows if r["schema"] not in PERSONS),
                    "current": sum(1 for r in rows if r.get("delisted_on") is None),
                    "latest": max(r["listed_not_after"] for r in rows),
                }
            )
        return out

    found: list[dict[str, Any]] = cat.memo(("summary",), make)
    return found


def per_program(cat: Catalogue, year_end: YearEnd) -> tuple[list[int], list[dict[str, Any]]]:
    """Persons per year (min, max) of every Magnitsky-style program: from the dates alone,
    no analysis needed."""

    def make() -> tuple[list[int], list[dict[str, Any]]]:
        out = []
        for program in cat.magnitsky_programs():
            rows = [cat.designations[i] for i in cat.indices(program)]
            table = measures.yearly(rows, year_end, ("persons",))
            counts = {t["year"]: (t["persons_min"], t["persons_max"]) for t in table}
            with cat.store() as store:
                lists = coverage.of_program(store, program)
            until = {y: lists.covered_until(window(y, year_end)) for y in counts}
            out.append({"program": program, "years": counts, "partial": until})
        return sorted({y for p in out for y in p["years"]}), out

    found: tuple[list[int], list[dict[str, Any]]] = cat.memo(("per_program", year_end), make)
    return found


def yearly_stats(
    cat: Catalogue, program: str, year_end: YearEnd, years: int
) -> list[dict[str, Any]]:
    """``magnitsky stats yearly --format json``."""

    def make() -> list[dict[str, Any]]:
        rows = cat.based(cat.indices(program))  # the counts by basis need no more
        with cat.store() as store:
            lists = coverage.of_program(store, program)
        return with_coverage(
            with_average(rows, yearly(rows, year_end), year_end, years), lists, year_end
        )

    found: list[dict[str, Any]] = cat.memo(("yearly", program, year_end, years), make)
    return found


def chart(cat: Catalogue, program: str, year_end: YearEnd) -> Chart | None:
    """The annual report's chart of persons per year by basis, for the whole program."""

    def make() -> Chart | None:
        table = yearly_stats(cat, program, year_end, 5)
        if not table:
            return None
        last = table[-1]["year"]
        annual = Annual(
            program=program,
            year=last,
            year_end=year_end,
            window=window(last, year_end),
            average_years=5,
            designations=[],
            counted=[],
            yearly=table,
            average={},
        )
        import matplotlib as mpl  # the pages without a chart start without it

        from magnitsky.report import charts
        from magnitsky.report.svg import STYLE

        with DRAWING, mpl.rc_context(STYLE):
            return charts.yearly_chart(annual)

    found: Chart | None = cat.memo(("chart", program, year_end), make)
    return found


def caption(cat: Catalogue, program: str, year_end: YearEnd) -> Caption | None:
    """The chart's words (the page shows the chart as an image: it is drawn when that is
    asked for, not for the page)."""
    return captions.yearly(program, yearly_stats(cat, program, year_end, 5))


def latest(cat: Catalogue, count: int = LATEST) -> list[dict[str, Any]]:
    """The latest listings and delistings under the Magnitsky-style programs, grouped by
    program and date (a bracket is its own group)."""

    def make() -> list[dict[str, Any]]:
        groups: dict[tuple[Any, ...], list[Row]] = {}
        for program in cat.magnitsky_programs():
            for i in cat.indices(program):
                r = cat.designations[i]
                lo, hi = r.get("listed_not_before"), r["listed_not_after"]
                if r["date_quality"] != "baseline":
                    groups.setdefault((hi, lo, program, "listed"), []).append(r)
                if r.get("delisted_on"):
                    off = r["delisted_on"]
                    groups.setdefault(
                        (off, r.get("delisted_not_before"), program, "delisted"), []
                    ).append(r)
        chosen = sorted(groups, key=lambda k: (k[0], k[1] or date.min), reverse=True)[:count]
        return [_action(key, groups[key]) for key in chosen]

    found: list[dict[str, Any]] = cat.memo(("latest", count), make)
    return found


def _action(key: tuple[Any, ...], rows: Sequence[Row]) -> dict[str, Any]:
    day, before, program, action = key
    if action == "listed" and before and before != day:
        link = f"/designations?program={program}&listed_from={before}&listed_to={day}"
    elif action == "listed":
        link = f"/designations?program={program}&listed_from={day}&listed_to={day}"
    else:
        link = f"/designations?program={program}&sort=-delisted"
    names = [r["name"] for r in rows]
    return {
        "date": day,
        "not_before": before,
        "program": program,
        "action": action,
        "count": len(rows),
        "persons": sum(1 for r in rows if r["schema"] in PERSONS),
        "names": names[:3],
        "more": max(0, len(names) - 3),
        "link": link,
    }


def _stats_query(program: str, year_end: YearEnd) -> str:
    query = f"program={program}"
    return (
        query if year_end == CALENDAR else f"{query}&year_end={year_end[0]:02d}-{year_end[1]:02d}"
    )


async def page(request: Request) -> Response:
    program, year_end, years = _read(request, required=False)
    cat = catalogue(request)
    words = await off_loop(
        not cat.remembers(("yearly", program, year_end, 5)), caption, cat, program, year_end
    )
    slow = not cat.remembers(("yearly", program, year_end, years))
    table = await off_loop(slow, yearly_stats, cat, program, year_end, years)
    end_text = f"{year_end[0]:02d}-{year_end[1]:02d}"
    year_years, by_program = await off_loop(
        not cat.remembers(("per_program", year_end)), per_program, cat, year_end
    )
    return responses.page(
        request,
        PAGE,
        "overview",
        summary=summary(cat),
        program=program,
        programs=cat.programs(),
        year_end_text=end_text,
        year_end_param="" if year_end == CALENDAR else f"&year_end={end_text}",
        chart=words,
        chart_url=f"/charts/yearly.svg?{_stats_query(program, year_end)}",
        stats_query=_stats_query(program, year_end),
        yearly=table,
        years=year_years,
        per_program=by_program,
        latest=latest(cat),
    )


async def chart_svg(request: Request) -> Response:
    program, year_end, _ = _read(request, required=True)
    cat = catalogue(request)
    drawn = await off_loop(
        not cat.remembers(("chart", program, year_end)), chart, cat, program, year_end
    )
    if drawn is None:
        raise params.BadRequest(f"no designations under program {program!r}", 404)
    narrow = request.url.path.endswith("-narrow.svg")  # the phones' drawing
    return responses.svg(drawn.narrow if narrow else drawn.svg)


async def api_yearly(request: Request) -> Response:
    program, year_end, years = _read(request, required=True)
    cat = catalogue(request)
    slow = not cat.remembers(("yearly", program, year_end, years))
    return responses.json(await off_loop(slow, yearly_stats, cat, program, year_end, years))


async def download_yearly(request: Request, fmt: str) -> Response:
    program, year_end, years = _read(request, required=True)
    cat = catalogue(request)
    table = await off_loop(True, yearly_stats, cat, program, year_end, years)
    columns = list(table[0]) if table else ["year"]
    return responses.download(table, columns, fmt, f"yearly-{program}")
