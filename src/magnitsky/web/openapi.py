"""The API's OpenAPI 3.1 description (``/openapi.json``) and its documentation page
(``/docs``): the description rendered as plain HTML by the server, so the docs need no
script and nothing from elsewhere. A test holds the parameters documented here to the
ones each endpoint accepts."""

from __future__ import annotations

from typing import Any

from magnitsky import __version__
from magnitsky.history.dating import DATE_QUALITIES
from magnitsky.history.events import EVENT_TYPES
from magnitsky.web import fields

Param = tuple[str, str, str]
"""(name, JSON type, description)"""

PAGING: list[Param] = [
    ("page", "integer", "page number, from 1"),
    (
        "per_page",
        "integer",
        "rows per page (default MAGNITSKY_WEB_PAGE_SIZE, at most MAGNITSKY_WEB_MAX_PAGE_SIZE)",
    ),
]
DESIGNATIONS: list[Param] = [
    ("jurisdiction", "string", "US, GB, CA, EU or AU"),
    (
        "program",
        "string",
        "program key, such as US-GLOMAG (OpenSanctions vocabulary); magnitsky: every"
        " Magnitsky-style program",
    ),
    ("year", "integer", "the listing may fall in this year (its date or bracket overlaps it)"),
    ("year_end", "string", "with year: the year's last day, MM-DD (default 12-31)"),
    (
        "listed_from",
        "string",
        "YYYY-MM-DD: the listing is known to be on or after it (CLI --listed-from)",
    ),
    (
        "listed_to",
        "string",
        "YYYY-MM-DD: the listing is known to be on or before it (CLI --listed-to)",
    ),
    (
        "basis",
        "string",
        "human_rights, corruption, ties, unknown, or direct (human_rights or corruption)",
    ),
    (
        "country",
        "string",
        "ISO 3166-1 alpha-2 code (UK is read as GB; an unknown code is refused with the"
        " codes), or a country name (CLI --country)",
    ),
    ("role", "string", "a role read from the title, remarks or official texts, such as judge"),
    ("theme", "string", "an abuse or corruption type an official text names (CLI --theme)"),
    ("victim_group", "string", "a victim group an official text names (CLI --victim-group)"),
    ("schema", "string", "Person, Organization, Vessel or Airplane"),
    ("date_quality", "string", ", ".join(DATE_QUALITIES)),
    ("name", "string", "the name or an alias contains this text (any case)"),
    (
        "sort",
        "string",
        "listed (default), name, program, jurisdiction, schema, date_quality, delisted,"
        " basis; a leading - reverses",
    ),
    *PAGING,
]
EVENTS: list[Param] = [
    ("program", "string", "program key"),
    ("type", "string", ", ".join(EVENT_TYPES)),
    (
        "since",
        "string",
        "YYYY-MM-DD: the event happened on or after it, possibly (not_after ≥ since)",
    ),
    ("until", "string", "YYYY-MM-DD: the event happened on or before it, possibly"),
    ("source", "string", "the list, such as us-ofac-sdn"),
    ("source_id", "string", "the entry on that list"),
    ("sort", "string", "date (oldest first, default) or -date"),
    *PAGING,
]
YEARLY: list[Param] = [
    ("program", "string", "program key (required)"),
    (
        "year_end",
        "string",
        "last day of each year, MM-DD: 12-31 calendar (default), 09-30 US fiscal, 12-05 …",
    ),
    (
        "average_years",
        "integer",
        "compare each year with the average of this many years before (default 5)",
    ),
]
PRECEDENTS: list[Param] = [
    ("program", "string", "program key (required)"),
    ("kind", "string", "role, country, region, basis, theme or victim_group"),
]
MULTILATERAL: list[Param] = [
    (
        "view",
        "string",
        "persons (default), counts, overlaps, combinations, joint or unilateral (CLI --view)",
    ),
    ("programs", "string", "comma-separated program keys (default: the Magnitsky-style ones)"),
    (
        "allies_any_program",
        "boolean",
        "true: count a jurisdiction under any program once one sanctioned under the programs",
    ),
    ("year_end", "string", "the counts view: the last day of a year, MM-DD (default 12-31)"),
    ("property", "boolean", "true: vessels and aircraft too"),
    ("year", "integer", "only the persons with a jurisdiction's first listing in this year"),
]
PAGE_ENVELOPE = (
    "{total, page, per_page, pages, filters, next, note (a page past the last says so),"
    " rows: [...]}"
)

ENDPOINTS: list[dict[str, Any]] = [
    {
        "path": "/api/designations",
        "summary": "Designations, filtered, sorted and paged",
        "description": "One row per entry per program per listing period, with the fields of"
        " `magnitsky designations --format json` and the list (`source`):"
        f" {', '.join(fields.DESIGNATIONS)}."
        f" Answer: {PAGE_ENVELOPE}.",
        "params": DESIGNATIONS,
        "example": "/api/designations?program=US-GLOMAG&basis=ties&country=RU",
    },
    {
        "path": "/api/persons/{source}/{source_id}",
        "summary": "A listing: names, every designation with its evidence, events, facts",
        "description": "Names and aliases, each designation with its dates and how they are"
        " known, basis, roles and countries with their evidence, the events, the facts"
        " official texts state, and the person the cross-list matching put it in"
        " (`person_id`; `matching` says why there is none).",
        "path_params": [
            ("source", "string", "the list"),
            ("source_id", "string", "the entry (may hold slashes)"),
        ],
        "params": [],
        "example": "/api/persons/us-ofac-sdn/24809",
    },
    {
        "path": "/api/persons/{person_id}",
        "summary": "A person of the cross-list matching: all their listings, and the matches",
        "description": "404 with the reason while the matching has not been built.",
        "path_params": [("person_id", "string", "the matching's person id")],
        "params": [],
    },
    {
        "path": "/api/events",
        "summary": "Events between consecutive accepted snapshots",
        "description": "The fields of `magnitsky events --format json`:"
        f" {', '.join(fields.EVENTS)}. Answer: {PAGE_ENVELOPE}.",
        "params": EVENTS,
        "example": "/api/events?program=US-GLOMAG&type=delisted",
    },
    {
        "path": "/api/stats/yearly",
        "summary": "Persons designated per year, as (min, max), with averages",
        "description": "Exactly `magnitsky stats yearly --format json`: every measure as"
        " `<measure>_min` / `<measure>_max`, the average of the years before and the change.",
        "params": YEARLY,
        "example": "/api/stats/yearly?program=US-GLOMAG&year_end=12-05",
    },
    {
        "path": "/api/precedents",
        "summary": "The first designation of each kind under a program",
        "description": "The fields of `magnitsky precedents --format json` and `source`.",
        "params": PRECEDENTS,
        "example": "/api/precedents?program=US-GLOMAG&kind=role",
    },
    {
        "path": "/api/multilateral",
        "summary": "Persons sanctioned by two or more jurisdictions",
        "description": "A view of `magnitsky multilateral --format json`: `persons` (each"
        " multilateral person and jurisdiction: its first designation, whether it was first,"
        " its lag behind the first), `counts` (per jurisdiction and year, by basis where the"
        " source tells), `overlaps` (per pair of jurisdictions), `combinations` (the persons"
        " of each exact set of jurisdictions: the bars of the page's UpSet chart), `joint`"
        " (listings within a week), `unilateral`. 404 with"
        " the reason while the cross-list matching has not been built.",
        "params": MULTILATERAL,
        "example": None,
    },
    {
        "path": "/api/search",
        "summary": "Persons by any of their names",
        "description": "Names and aliases of every list, in any word order, script or"
        " spelling (`magnitsky search`). Answer: {query, results: [{person_id, url, name,"
        " matched, score, schema, jurisdictions, programs, countries, first_listed,"
        " first_listed_quality, listings}], suggestions: [the nearest names, when there is"
        " no result]}.",
        "params": [
            ("q", "string", "the name, or part of it"),
            ("limit", "integer", "results at most, 1 to 50 (default 10)"),
        ],
        "example": "/api/search?q=salameh%20riad",
    },
    {
        "path": "/api/year/{year}",
        "summary": "The year at a glance, across jurisdictions",
        "description": "Per jurisdiction, under the Magnitsky-style programs: the persons it"
        " first sanctioned in the year (certain and maybe), by basis and where the basis comes"
        " from, the largest actions, new precedents (the first person of a country), the"
        " persons no other jurisdiction sanctioned, whether the year is partial; and the"
        " joint actions. 404 while the cross-list matching has not been built.",
        "path_params": [("year", "integer", "the calendar year")],
        "params": [],
    },
    {
        "path": "/api/matches/{a}/{b}/{verdict}",
        "method": "post",
        "summary": "Record a person's judgement of a match (writes)",
        "description": "`a` and `b` are listings as `source:source_id`; `verdict` is confirm"
        " or reject. Needs `Authorization: Bearer <MAGNITSKY_WEB_TOKEN>`: 403 when the server"
        " has no token (writing disabled), 401 without the right one, 503 while the matching"
        " has not been built. The judgement is kept by the matching, which then recomputes"
        " the persons.",
        "path_params": [
            ("a", "string", "a listing, source:source_id"),
            ("b", "string", "another listing, source:source_id"),
            ("verdict", "string", "confirm or reject"),
        ],
        "params": [],
        "secured": True,
    },
]


def _parameter(where: str, param: Param) -> dict[str, Any]:
    name, kind, description = param
    return {
        "name": name,
        "in": where,
        "required": where == "path" or description.endswith("(required)"),
        "description": description,
        "schema": {"type": kind},
    }


def spec() -> dict[str, Any]:
    error = {"$ref": "#/components/schemas/Error"}
    paths: dict[str, Any] = {}
    for e in ENDPOINTS:
        method = e.get("method", "get")
        responses: dict[str, Any] = {
            "200": {"description": "the answer, as JSON", "content": {"application/json": {}}},
            "400": {
                "description": "a parameter that does not read",
                "content": {"application/json": {"schema": error}},
            },
            "404": {
                "description": "nothing there",
                "content": {"application/json": {"schema": error}},
            },
        }
        if e.get("secured"):
            for code, text in (
                ("401", "no or wrong token"),
                ("403", "writing disabled"),
                ("503", "matching not built"),
            ):
                responses[code] = {
                    "description": text,
                    "content": {"application/json": {"schema": error}},
                }
        operation: dict[str, Any] = {
            "summary": e["summary"],
            "description": e["description"],
            "parameters": [_parameter("path", p) for p in e.get("path_params", [])]
            + [_parameter("query", p) for p in e["params"]],
            "responses": responses,
        }
        if e.get("secured"):
            operation["security"] = [{"bearer": []}]
        paths[e["path"]] = {method: operation}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "magnitsky",
            "version": __version__,
            "description": "Magnitsky-style sanctions from the official list files. Every"
            " field name is the command line's; dates are ISO 8601. Errors are"
            ' {"error": message, "status": code}.',
        },
        "paths": paths,
        "components": {
            "schemas": {
                "Error": {
                    "type": "object",
                    "properties": {"error": {"type": "string"}, "status": {"type": "integer"}},
                    "required": ["error", "status"],
                }
            },
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }


def operations() -> list[dict[str, Any]]:
    """Each endpoint as the docs page shows it: an anchor, method, path, the operation."""
    described = spec()["paths"]
    out = []
    for e in ENDPOINTS:
        method = e.get("method", "get")
        slug = "".join(c if c.isalnum() else "-" for c in e["path"]).strip("-")
        out.append(
            {
                "anchor": f"{method}-{slug}",
                "method": method.upper(),
                "path": e["path"],
                "op": described[e["path"]][method],
                "example": e.get("example"),
            }
        )
    return out


DOCS = """{% extends "layout.html" %}
{% from "macros.html" import head %}
{% block title %}API{% endblock %}
{% block main %}
<h1>The JSON API</h1>
<p class="lead">{{ info.description }} The machine-readable description:
<a href="/openapi.json"><code>/openapi.json</code></a> (OpenAPI 3.1).
Downloads of whole tables as CSV and JSON: <a href="/downloads">Downloads</a>.</p>
<nav aria-label="Endpoints"><ul>
{% for o in ops %}
<li><a href="#{{ o.anchor }}"><code>{{ o.method }} {{ o.path }}</code></a>
— {{ o.op.summary }}</li>
{% endfor %}
</ul></nav>
{% for o in ops %}
<section class="endpoint" id="{{ o.anchor }}" aria-labelledby="{{ o.anchor }}-h">
<h2 id="{{ o.anchor }}-h"><code>{{ o.method }} {{ o.path }}</code></h2>
<p><strong>{{ o.op.summary }}.</strong> {{ o.op.description|code }}</p>
{% if o.op.parameters %}
<table class="data">
<caption>Parameters</caption>
{{ head(["Name", "In", "Type", "Meaning"]) }}
<tbody>
{% for p in o.op.parameters %}
<tr>
<td><code>{{ p.name }}</code></td>
<td>{{ p["in"] }}</td>
<td>{{ p.schema.type }}</td>
<td>{{ p.description|code }}</td>
</tr>
{% endfor %}
</tbody>
</table>
{% endif %}
<p class="small">Answers:
{% for code, r in o.op.responses.items() %}
{{ code }} {{ r.description }}{{ "; " if not loop.last else "." }}
{% endfor %}
</p>
{% if o.example %}
<p>Example: <a href="{{ o.example }}"><code>{{ o.example }}</code></a></p>
{% endif %}
</section>
{% endfor %}
{% endblock %}
"""
