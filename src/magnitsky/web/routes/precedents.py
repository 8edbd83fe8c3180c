"""Precedents (``magnitsky precedents``): the first designation of each kind under a
program, with how its date is known and whether it was certainly the first."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response

from magnitsky.analysis.precedents import KINDS, firsts
from magnitsky.analysis.texts import words
from magnitsky.web import fields, params, responses
from magnitsky.web.catalogue import Catalogue
from magnitsky.web.routes import catalogue, off_loop

DEFAULT_PROGRAM = "US-GLOMAG"

PAGE = """{% extends "layout.html" %}
{% from "macros.html" import head, select %}
{% block title %}Precedents of {{ program }}{% endblock %}
{% block main %}
<h1>Precedents of {{ program }}</h1>
<p class="lead">The first person of each kind — a role, a country, a region, a basis, an
abuse or corruption type, a victim group — designated under {{ title }}. <em>Certain</em>
is no when another candidate's date bracket overlaps the first's: who came first is then
not known, and the rivals are named.</p>
<form class="filters inline" method="get" action="/precedents"
      aria-label="Choose the program and kind">
<fieldset><legend>Program and kind</legend>
{{ select("program", "Program", programs, program, none) }}
{{ select("kind", "Kind", kinds, kind) }}
<p class="actions"><button type="submit">Show</button></p>
</fieldset>
</form>
<p class="downloads">As <a href="/download/precedents.csv?{{ link_query }}">CSV</a>,
<a href="/download/precedents.json?{{ link_query }}">JSON</a>, or from the API:
<a href="/api/precedents?{{ link_query }}"><code>/api/precedents</code></a>.</p>
<div class="scroll" tabindex="0" role="region" aria-label="Precedents">
<table class="data" id="precedents">
<caption>{{ rows|length }} precedents</caption>
{{ head(["Kind", "Value", "First designated", "Date", "Certain", "Rivals or joint",
         "Evidence"]) }}
<tbody>
{% for p in rows %}
<tr>
<td>{{ p.kind }}</td>
<td>{{ p.value }}</td>
<td>{% if p.source %}<a href="{{ person_url(p.source, p.source_id) }}">{{ p.name }}</a>
{%- else %}{{ p.name }}{% endif %}</td>
<td>{% if p.not_before and p.not_before != p.not_after %}{{ p.not_before|cell }} – {% endif %}
{{- p.not_after|cell }} <span class="small">({{ p.date_quality }})</span></td>
<td>{{ "yes" if p.certain else "no" }}</td>
<td>{% if p.rivals %}rivals: {{ p.rivals[:5]|cell }}
{%- if p.rivals|length > 5 %} and {{ p.rivals|length - 5 }} more{% endif %}{% endif %}
{%- if p.joint %} joint: {{ p.joint|cell }}{% endif %}</td>
<td>{{ p.evidence }}</td>
</tr>
{% endfor %}
</tbody>
</table>
</div>
{% endblock %}
"""


def spec(cat: Catalogue) -> dict[str, params.Reader]:
    return {"program": params.choice(cat.programs()), "kind": params.choice(sorted(KINDS))}


def precedents(cat: Catalogue, program: str, kind: str | None) -> list[dict[str, Any]]:
    def make() -> list[dict[str, Any]]:
        rows = cat.program_rows(program)
        sources = {r["source_id"]: r["source"] for r in rows}
        found = firsts(rows, [kind] if kind else None)
        return [p | {"source": sources.get(p["source_id"])} for p in found]

    out: list[dict[str, Any]] = cat.memo(("precedents", program, kind), make)
    return out


def _read(request: Request, required: bool) -> tuple[str, str | None]:
    cat = catalogue(request)
    read = params.read(request.query_params, spec(cat))
    if read["program"] is None and required:
        raise params.BadRequest("parameter 'program' is required, such as program=US-GLOMAG")
    return read["program"] or DEFAULT_PROGRAM, read["kind"]


async def _rows(request: Request, program: str, kind: str | None) -> list[dict[str, Any]]:
    cat = catalogue(request)
    slow = not cat.remembers(("precedents", program, kind))
    return await off_loop(slow, precedents, cat, program, kind)


async def page(request: Request) -> Response:
    program, kind = _read(request, required=False)
    cat = catalogue(request)
    rows = await _rows(request, program, kind)
    query = urlencode({"program": program, **({"kind": kind} if kind else {})})
    return responses.page(
        request,
        PAGE,
        "precedents",
        program=program,
        title=cat.title(program),
        kind=kind,
        rows=[r | {"value": words(str(r["value"]))} for r in rows],
        programs=cat.programs(),
        kinds=sorted(KINDS),
        link_query=query,  # not 'query': the header's search box shows that
    )


async def api(request: Request) -> Response:
    program, kind = _read(request, required=True)
    rows = await _rows(request, program, kind)
    return responses.json([fields.project(r, fields.PRECEDENTS) for r in rows])


async def download(request: Request, fmt: str) -> Response:
    program, kind = _read(request, required=True)
    rows = await _rows(request, program, kind)
    return responses.download(rows, fields.PRECEDENTS, fmt, f"precedents-{program}")
