"""``/search?q=`` and ``/api/search?q=``: persons by any of their names (the header's box
on every page). The index (:class:`magnitsky.search.SearchIndex`) is built once, on
first use or at start-up, and kept: the store does not change under the server."""

from __future__ import annotations

import threading
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from magnitsky.search import Found, SearchIndex
from magnitsky.web import params, responses
from magnitsky.web.catalogue import Catalogue
from magnitsky.web.routes import catalogue, off_loop

LIMITS = (1, 50)
_BUILDING = threading.Lock()

PAGE = """{% extends "layout.html" %}
{% from "macros.html" import head %}
{% macro results(hits) %}
<div class="scroll" tabindex="0" role="region" aria-label="Persons found">
<table class="data" id="results">
{{ head(["Person", "Name matched", "Sanctioned by", "Programs", "Countries", "First listed"]) }}
<tbody>
{% for h in hits %}
<tr>
<td><a href="{{ h.person.url }}">{{ h.person.name() }}</a>
<span class="small">{{ h.person.schema }}</span></td>
<td>{{ h.matched }}</td>
<td>{{ h.person.jurisdictions|sort|jurisdictions }}</td>
<td>{{ h.person.programs|sort|programs }}</td>
<td>{% if h.person.countries %}{{ h.person.countries|sort|countries }}
{%- else %}<span class="small">not given on the lists</span>{% endif %}</td>
<td>{{ h.person.first_listed|cell }}
{%- if h.person.first_quality %} <span class="small">({{ h.person.first_quality }})</span>
{%- endif %}</td>
</tr>
{% endfor %}
</tbody>
</table>
</div>
{% endmacro %}
{% block title %}{{ found.query or "Search" }}{% endblock %}
{% block main %}
<h1>Find a person</h1>
{% if not found.query %}
<p class="lead">Type a name in the box above: names and aliases of every list, in any
word order, script or spelling (Бастрыкин, bastrikin, BASTRYKIN Alexander).</p>
{% elif found.hits %}
<p class="lead">{{ found.hits|length }} person{{ "s" if found.hits|length != 1 }} for
<q>{{ found.query }}</q>, best first.</p>
{{ results(found.hits) }}
{% else %}
<p class="lead" id="none">No person on the lists read has a name like <q>{{ found.query }}</q>.</p>
{% if found.suggestions %}
<h2>The nearest names</h2>
{{ results(found.suggestions) }}
{% endif %}
{% endif %}
{% endblock %}
"""


def index(cat: Catalogue) -> SearchIndex:
    """The search index of the store (built once: a fraction of a second from the names
    ``build`` kept, seconds on an older store)."""
    if not cat.remembers(("search",)):
        with _BUILDING:
            if not cat.remembers(("search",)):
                with cat.store() as store:
                    built = SearchIndex.of(store, cat.designations)
                cat.memo(("search",), lambda: built)
    found: SearchIndex = cat.memo(("search",), lambda: None)
    return found


def _spec() -> dict[str, params.Reader]:
    return {"q": params.plain_text, "limit": params.integer(*LIMITS)}


async def _found(request: Request) -> Found:
    read = params.read(request.query_params, _spec())
    cat = catalogue(request)
    query = read["q"] or ""
    return await off_loop(True, _search, cat, query, read["limit"] or 10)


def _search(cat: Catalogue, query: str, limit: int) -> Found:
    return index(cat).search(query, limit)


async def page(request: Request) -> Response:
    found = await _found(request)
    return responses.page(request, PAGE, "search", found=found, query=found.query)


async def api(request: Request) -> Response:
    found = await _found(request)
    body: dict[str, Any] = found.as_dict()
    return responses.json(body)
