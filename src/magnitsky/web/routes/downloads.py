"""Downloads: every table as CSV and as JSON, exactly as the CLI's ``--format csv`` and
``--format json`` give it, at ``/download/{table}.{csv|json}`` (with the same filters as
the table's page)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response

from magnitsky.web import fields, params, responses
from magnitsky.web.catalogue import Catalogue
from magnitsky.web.routes import (
    catalogue,
    designations,
    events,
    multilateral,
    off_loop,
    overview,
    precedents,
)

FORMATS = ("csv", "json")
ACTION_COLUMNS = (
    "action_date",
    "action",
    "tags",
    "name",
    "schema",
    "source_id",
    "method",
    "document",
)

PAGE = """{% extends "layout.html" %}
{% from "macros.html" import head %}
{% block title %}Downloads{% endblock %}
{% block main %}
<h1>Downloads</h1>
<p class="lead">Every table as CSV and JSON, the same columns as the command line's
<code>--format csv</code> and <code>--format json</code>. The designations, events,
yearly counts and precedents take the filters of their pages: a page's own download links
keep its filters.</p>
<table class="data" id="downloads">
{{ head(["Table", "What it holds", "Files"]) }}
<tbody>
{% for name, about, query in tables %}
<tr>
<th scope="row">{{ name }}</th>
<td>{{ about }}</td>
<td><a href="/download/{{ name }}.csv{{ query }}" download>CSV</a> ·
<a href="/download/{{ name }}.json{{ query }}" download>JSON</a></td>
</tr>
{% endfor %}
</tbody>
</table>
{% endblock %}
"""
TABLES = (
    ("designations", "every designation with its dates, basis, roles and countries", ""),
    ("events", "what changed between consecutive snapshots of each list", ""),
    (
        "yearly",
        "US-GLOMAG: persons per year by type and basis, with averages",
        "?program=US-GLOMAG",
    ),
    ("precedents", "US-GLOMAG: the first designation of each kind", "?program=US-GLOMAG"),
    ("snapshots", "every snapshot of every list: as-of, rows, accepted or rejected and why", ""),
    ("actions", "dated actions read from official documents, and the entry each was linked to", ""),
    ("conflicts", "official dates that disagree with each other or with the snapshots", ""),
    (
        "multilateral",
        "persons listed by two or more jurisdictions (when the matching is built)",
        "",
    ),
)


def _snapshots(cat: Catalogue) -> list[dict[str, object]]:
    with cat.store() as store:
        return store.dicts(
            f"SELECT {', '.join(fields.SNAPSHOTS)} FROM snapshots"
            " ORDER BY source, as_of, snapshot_id"
        )


def _actions(cat: Catalogue) -> list[dict[str, object]]:
    with cat.store() as store:
        return store.dicts(
            "SELECT a.action_date, a.action, a.tags, a.name, a.schema, l.source_id, l.method,"
            " a.document FROM actions a LEFT JOIN action_links l USING (document_id, seq)"
            " ORDER BY a.action_date, a.document_id, a.seq"
        )


def _conflicts(cat: Catalogue) -> list[dict[str, object]]:
    with cat.store() as store:
        return store.dicts("SELECT * FROM date_conflicts ORDER BY program, source_id")


def _whole(
    load: Callable[[Catalogue], list[dict[str, object]]], columns: tuple[str, ...] | None, name: str
) -> Callable[[Request, str], Awaitable[Response]]:
    async def handler(request: Request, fmt: str) -> Response:
        params.read(request.query_params, {})
        rows = await off_loop(True, load, catalogue(request))
        shown = columns or (tuple(rows[0]) if rows else ())
        return responses.download(rows, shown, fmt, name)

    return handler


HANDLERS: dict[str, Callable[[Request, str], Awaitable[Response]]] = {
    "designations": designations.download,
    "events": events.download,
    "yearly": overview.download_yearly,
    "precedents": precedents.download,
    "multilateral": multilateral.download,
    "snapshots": _whole(_snapshots, fields.SNAPSHOTS, "snapshots"),
    "actions": _whole(_actions, ACTION_COLUMNS, "actions"),
    "conflicts": _whole(_conflicts, None, "conflicts"),
}


async def page(request: Request) -> Response:
    params.read(request.query_params, {})
    return responses.page(request, PAGE, "downloads", tables=TABLES)


EXCEL = "-excel"
"""``designations-excel.csv``: the CSV as Excel reads it (UTF-8 with a byte order mark)."""


async def download(request: Request) -> Response:
    name, _, fmt = request.path_params["name"].rpartition(".")
    excel = fmt == "csv" and name.endswith(EXCEL)
    handler = HANDLERS.get(name[: -len(EXCEL)] if excel else name)
    if handler is None or fmt not in FORMATS:
        raise params.BadRequest(
            f"no download {request.path_params['name']!r}: the tables are"
            f" {', '.join(HANDLERS)}, each as .csv, -excel.csv (for Excel) or .json",
            404,
        )
    answer = await handler(request, fmt)
    return responses.for_excel(answer) if excel else answer
