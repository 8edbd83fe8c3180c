"""``/year/{year}`` and ``/api/year/{year}``: the year at a glance across jurisdictions
(:mod:`magnitsky.report.year`), computed once per year and kept."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from magnitsky.analysis import multilateral as multi
from magnitsky.analysis.multilateral_section import _as_of
from magnitsky.web import crosslist, params, responses
from magnitsky.web.catalogue import Catalogue
from magnitsky.web.crosslist import NotBuilt
from magnitsky.web.params import BadRequest
from magnitsky.web.routes import catalogue, off_loop

if TYPE_CHECKING:
    from magnitsky.report import year as glance

FIRST_YEAR = 2012

PAGE = """{% extends "layout.html" %}
{% from "macros.html" import head %}
{% block title %}{{ g.year }} at a glance{% endblock %}
{% block main %}
<h1>{{ g.year }} at a glance, across jurisdictions</h1>
<p class="meta">Persons sanctioned under the Magnitsky-style programs
({{ g.programs|programs }}), counted in the year of each jurisdiction's first listing of
them; a range where a date's bracket reaches into the year.
<a href="/api/year/{{ g.year }}">JSON</a> ·
{% if g.year > first_year %}
<a href="/year/{{ g.year - 1 }}" rel="prev">{{ g.year - 1 }}</a>
{% endif %}
{% if g.year < last_year %}
· <a href="/year/{{ g.year + 1 }}" rel="next">{{ g.year + 1 }}</a>
{% endif %}
</p>
{% for t in said %}<p class="lead">{{ t }}</p>{% endfor %}

<section aria-labelledby="sides">
<h2 id="sides">Each jurisdiction</h2>
<div class="scroll" tabindex="0" role="region" aria-labelledby="sides">
<table class="data" id="glance">
{{ head(["Jurisdiction", "Persons", "By basis (where it comes from)", "Largest actions",
         "New precedents (first person of a role, country, region, basis, theme, victim group)",
         "Sanctioned by no other"]) }}
<tbody>
{% for s in g.sides %}
<tr data-jurisdiction="{{ s.jurisdiction }}">
<th scope="row">{{ s.jurisdiction|jurisdictions }}</th>
<td><a href="/designations?jurisdiction={{ s.jurisdiction }}&amp;year={{ g.year }}">
{{- s.persons }}</a>
{% if s.partial %}
<br><span class="small">partial year: lists read to {{ s.as_of|cell }}</span>
{% endif %}
{% if s.multilateral %}
<br><span class="small">{{ s.multilateral }} also sanctioned by another</span>
{% endif %}</td>
<td>{{ basis(s) }}</td>
<td>{% for a in s.largest %}<div>{{ a.date|cell }}: {{ a.persons }}
<span class="small">({{ a.names|join("; ") }}
{%- if a.persons > a.names|length %} …{% endif %})</span></div>
{% else %}—{% endfor %}</td>
<td>{% for p in s.precedents %}<div>{{ p.kind|replace("_", " ") }}
{% if p.kind == "country" %}{{ p.value|countries }}
{%- else %}{{ p.value|replace("_", " ") }}{% endif %}:
<span class="small">{{ p.name }} ({{ p.date|cell }}
{%- if p.in_year != "certain" %}, possibly set before the year{% endif %})</span></div>
{%- else %}none{% endfor %}</td>
<td>{{ s.alone|length }}{% if s.alone %} <details><summary>names</summary>
{{ s.alone|join("; ") }}</details>{% endif %}</td>
</tr>
{% endfor %}
</tbody>
</table>
</div>
</section>

<section aria-labelledby="joint">
<h2 id="joint">Joint actions</h2>
<p>Two or more jurisdictions acting on one person within a week, ending in {{ g.year }}.</p>
{% if g.joint %}
<ul>
{% for j in g.joint %}
<li><a href="/persons/{{ j.person_id|urlencode }}">{{ j.name }}</a>:
{{ j.jurisdictions|jurisdictions }} ({{ j.from|cell }}
{%- if j.to != j.from %} to {{ j.to|cell }}{% endif %}
{%- if not j.certain %}, a date not exact{% endif %})</li>
{% endfor %}
</ul>
{% else %}
<p>None.</p>
{% endif %}
</section>
{% endblock %}
"""


def compute(cat: Catalogue, year: int) -> glance.Glance:
    def make() -> glance.Glance:
        from magnitsky.report import year as glance  # the report's charts: not at start

        rows = cat.enriched(
            [i for p in multi.MAGNITSKY_PROGRAMS for i in cat.indices(p) if p in cat.by_program]
        )
        with cat.store() as store:
            missing = crosslist.available(store)
            if missing:
                raise NotBuilt(missing)
            return glance.of_store(store, year, analysed=rows)

    found: glance.Glance = cat.memo(("year", year), make)
    return found


def last_full_year(cat: Catalogue) -> int:
    """The last year every jurisdiction's lists read cover to its end."""

    def make() -> int:
        with cat.store() as store:
            as_of = _as_of(store)
        if not as_of:
            return date.today().year - 1
        earliest = min(as_of.values())
        return earliest.year if (earliest.month, earliest.day) == (12, 31) else earliest.year - 1

    found: int = cat.memo(("last_full_year",), make)
    return found


async def latest(request: Request) -> Response:
    params.read(request.query_params, {})
    cat = catalogue(request)
    return RedirectResponse(f"/year/{await off_loop(True, last_full_year, cat)}", 302)


def _year(request: Request) -> int:
    params.read(request.query_params, {})
    text = request.path_params["year"]
    last = date.today().year
    try:
        value: int = params.integer(FIRST_YEAR, last)(text)
    except ValueError as error:
        raise BadRequest(f"year: {error}", 404) from None
    return value


async def _glance(request: Request) -> glance.Glance:
    year = _year(request)
    cat = catalogue(request)
    try:
        return await off_loop(not cat.remembers(("year", year)), compute, cat, year)
    except NotBuilt as missing:
        raise BadRequest(str(missing), 404) from None


async def page(request: Request) -> Response:
    from magnitsky.report import year as glance

    g = await _glance(request)
    return responses.page(
        request,
        PAGE,
        "year",
        g=g,
        said=glance.sentences(g),
        basis=glance.basis_text,
        first_year=FIRST_YEAR,
        last_year=date.today().year,
    )


async def api(request: Request) -> Response:
    return responses.json((await _glance(request)).as_dict())
