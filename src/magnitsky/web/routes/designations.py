"""The designations browser, ``/api/designations`` and the designations download: one
selection (filters, sort, page) read from the query string, so every filter is in the
address and a page, its JSON and its CSV show the same rows."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from magnitsky.analysis.basis import BASES
from magnitsky.analysis.texts import words
from magnitsky.listing import SCHEMAS
from magnitsky.web import fields, responses
from magnitsky.web.params import BadRequest
from magnitsky.web.routes import catalogue, off_loop, settings
from magnitsky.web.selection import (
    QUALITIES,
    SORTS,
    Result,
    Selection,
    apply,
    every,
    needs_analysis,
    roles,
    themes,
    victim_groups,
)

COLUMNS = (
    ("name", "Name"),
    ("program", "Program"),
    ("jurisdiction", "Jurisdiction"),
    ("schema", "Type"),
    ("listed", "Listed"),
    ("date_quality", "Date known"),
    ("delisted", "Delisted"),
    ("basis", "Basis"),
    (None, "Roles"),
    (None, "Countries"),
)
SORT_NAMES = {
    "listed": "listing date",
    "name": "name",
    "program": "program",
    "jurisdiction": "jurisdiction",
    "schema": "type",
    "date_quality": "how the date is known",
    "delisted": "delisting date",
    "basis": "basis",
}

PAGE = """{% extends "layout.html" %}
{% from "macros.html" import listed, person_link, pager, select, input %}
{% block title %}Designations{% endblock %}
{% block main %}
<h1>Designations</h1>
<p class="lead">One row per entry per program per listing period. A date known only as a
bracket (between two snapshots of the list) is shown as one; a baseline was listed on or
before the first snapshot.</p>
<form class="filters" method="get" action="/designations" role="search"
      aria-label="Filter the designations">
<fieldset><legend>Filters</legend>
{{ select("jurisdiction", "Jurisdiction", jurisdictions, f.jurisdiction) }}
<div class="field">
<label for="f-program">Program</label>
<select id="f-program" name="program">
<option value="">any</option>
{% for group, keys in program_groups %}
<optgroup label="{{ group }}">
{% for p, label in keys %}
<option value="{{ p }}"{% if p == f.program %} selected{% endif %}>{{ label }}</option>
{% endfor %}
</optgroup>
{% endfor %}
</select>
</div>
{{ input("year", "Year", f.year, "number", "the listing may fall in it") }}
{{ input("listed_from", "Listed from", f.listed_from, "date", "known to be on or after") }}
{{ input("listed_to", "Listed to", f.listed_to, "date", "known to be on or before") }}
{{ select("basis", "Basis", bases, f.basis) }}
{{ input("country", "Country", sel.query.get("country"), "text", "code (RU) or name") }}
{{ select("role", "Role", roles, f.role) }}
{{ select("theme", "Abuse or corruption", themes, f.theme) }}
{{ select("victim_group", "Victim group", victim_groups, f.victim_group) }}
{{ select("schema", "Type", schemas, f.schema) }}
{{ select("date_quality", "Date known", qualities, f.date_quality) }}
{{ input("name", "Name contains", f.name, "search") }}
{{ select("sort", "Sort by", sorts, sel.query.get("sort"), "listing date") }}
{{ select("per_page", "Rows per page", per_pages, sel.query.get("per_page"), default_size) }}
{% if f.year_end %}
<input type="hidden" name="year_end" value="{{ sel.query.year_end }}">
{% endif %}
</fieldset>
<p class="actions"><button type="submit">Apply the filters</button>
<a href="/designations">Clear them</a></p>
</form>

<section aria-labelledby="results">
<h2 id="results">{{ result.total }} designation{{ "" if result.total == 1 else "s" }}
{% if result.pages > 1 %}
<span class="small">— page {{ sel.page }} of {{ result.pages }}</span>
{% endif %}
</h2>
<p class="downloads">This selection as
<a href="/download/designations.csv?{{ sel.filter_query() }}">CSV</a>,
<a href="/download/designations-excel.csv?{{ sel.filter_query() }}">CSV for Excel</a>
(UTF-8 with a byte order mark),
<a href="/download/designations.json?{{ sel.filter_query() }}">JSON</a>, or from the API:
<a href="/api/designations{{ sel.link() }}"><code>/api/designations</code></a>.</p>
{% if result.rows %}
<div class="scroll" tabindex="0" role="region" aria-labelledby="results">
<table class="data" id="designations">
<thead><tr>
{% for c in columns %}
{% if c.href %}
<th scope="col"{% if c.order %} aria-sort="{{ c.order }}"{% endif %}>
<a href="{{ c.href }}">{{ c.label }}
{%- if c.order %} <span aria-hidden="true">{{ c.arrow }}</span>{% endif %}</a></th>
{% else %}
<th scope="col">{{ c.label }}</th>
{% endif %}
{% endfor %}
</tr></thead>
<tbody>
{% for r in result.rows %}
<tr>
<td>{{ person_link(r) }}</td>
<td><a href="{{ sel.link(program=r.program, page=None) }}"
       title="{{ program_title(r.program) }}">{{ r.program }}</a></td>
<td>{{ r.jurisdiction|jurisdictions }}</td>
<td>{{ r.schema }}</td>
<td>{{ listed(r) }}</td>
<td>{{ r.date_quality }}</td>
<td>{{ r.delisted_on|cell }}</td>
<td>{{ r.basis }}</td>
<td>{{ r.roles|cell }}</td>
<td>{{ r.country_codes|countries }}</td>
</tr>
{% endfor %}
</tbody>
</table>
</div>
{{ pager(sel, result, "Designations") }}
{% else %}
<p>No designation matches these filters.</p>
{% endif %}
</section>
{% endblock %}
"""


def headings(sel: Selection) -> list[dict[str, Any]]:
    """The table's column headings; a sortable one links to its order (ascending first,
    then descending), and the current one says which it is (``aria-sort``)."""
    current, descending = sel.sort.lstrip("-"), sel.sort.startswith("-")
    out: list[dict[str, Any]] = []
    for key, label in COLUMNS:
        if key is None:
            out.append({"label": label, "href": None})
            continue
        here = key == current
        following = f"-{key}" if here and not descending else key
        out.append(
            {
                "label": label,
                "href": sel.link(sort=following, page=None),
                "order": ("descending" if descending else "ascending") if here else None,
                "arrow": "▼" if descending else "▲",
            }
        )
    return out


def _selection(request: Request) -> Selection:
    web = settings(request)
    return Selection.of(request.query_params, catalogue(request), web.page_size, web.max_page_size)


async def _result(request: Request, sel: Selection) -> Result:
    cat = catalogue(request)
    return await off_loop(needs_analysis(sel, cat), apply, sel, cat)


DEFAULT = "/designations?program=magnitsky&sort=-listed"
"""The page with no filter opens on the Magnitsky-style programs, newest first."""


async def page(request: Request) -> Response:
    if not request.query_params:
        return RedirectResponse(DEFAULT, 302)
    sel = _selection(request)
    result = await _result(request, sel)
    if sel.page > result.pages:
        return RedirectResponse("/designations" + sel.link(page=result.pages), 302)
    cat = catalogue(request)
    web = settings(request)
    sizes = sorted({10, 25, 100, web.max_page_size} - {web.page_size})
    return responses.page(
        request,
        PAGE,
        "designations",
        sel=sel,
        f=sel.filters,
        result=result,
        columns=headings(sel),
        jurisdictions=cat.jurisdictions,
        program_groups=[
            (
                "Magnitsky-style",
                [("magnitsky", "all Magnitsky-style programs")]
                + [(p, p) for p in cat.magnitsky_programs()],
            ),
            (
                "Other programs",
                [(p, p) for p in cat.programs() if p not in cat.magnitsky_programs()],
            ),
        ],
        bases=[*BASES, ("direct", "direct (human rights or corruption)")],
        roles=roles(),
        themes=[(t, words(t)) for t in themes()],
        victim_groups=[(v, words(v)) for v in victim_groups()],
        schemas=SCHEMAS,
        qualities=QUALITIES,
        sorts=[(s, SORT_NAMES[s]) for s in SORTS if s != "listed"]
        + [(f"-{s}", f"{SORT_NAMES[s]}, descending") for s in SORTS],
        per_pages=[str(n) for n in sizes if n <= web.max_page_size],
        default_size=f"{web.page_size} (default)",
    )


def past_last(page: int, pages: int) -> str | None:
    """What the API says of a page past the last (it answers it, with no row)."""
    return f"page {page} is past the last page, {pages}" if page > pages else None


def envelope(sel: Selection, result: Result) -> dict[str, Any]:
    return {
        "total": result.total,
        "page": sel.page,
        "per_page": sel.per_page,
        "pages": result.pages,
        "filters": {k: v for k, v in sel.query.items() if k not in ("page", "per_page")},
        "next": f"/api/designations{sel.link(page=sel.page + 1)}"
        if sel.page < result.pages
        else None,
        "note": past_last(sel.page, result.pages),
        "rows": [fields.project(r, fields.DESIGNATIONS) for r in result.rows],
    }


async def api(request: Request) -> Response:
    sel = _selection(request)
    return responses.json(envelope(sel, await _result(request, sel)))


async def download(request: Request, fmt: str) -> Response:
    sel = _selection(request)
    if "page" in sel.query or "per_page" in sel.query:
        raise BadRequest("a download is the whole selection: it takes no page or per_page")
    cat = catalogue(request)
    rows = await off_loop(True, every, sel, cat)
    name = responses.filename("designations", sel.query)
    return responses.download(rows, fields.DESIGNATIONS, fmt, name)
