"""Events between consecutive accepted snapshots (``magnitsky events``): the page,
``/api/events`` and the download. Filtered in the store, by parameterised SQL."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from magnitsky.history.events import EVENT_TYPES
from magnitsky.web import fields, params, responses
from magnitsky.web.catalogue import MAGNITSKY, Catalogue
from magnitsky.web.routes import catalogue, off_loop, settings
from magnitsky.web.routes.designations import past_last

TYPES = EVENT_TYPES
ORDERS = {
    "date": "not_after, program, source_id, event_type",
    "-date": "not_after DESC, program, source_id, event_type",
}

PAGE = """{% extends "layout.html" %}
{% from "macros.html" import head, pager, select, input %}
{% block title %}Events{% endblock %}
{% block main %}
<h1>Events</h1>
<p class="lead">What changed between two consecutive accepted snapshots of a list: an
entry listed, delisted, given or relieved of a program, amended. Each happened between
<em>not before</em> (the last snapshot without it) and <em>not after</em> (the first with
it).</p>
<form class="filters" method="get" action="/events" role="search"
      aria-label="Filter the events">
<fieldset><legend>Filters</legend>
{{ select("program", "Program", programs, f.program) }}
{{ select("type", "Event", types, f.type) }}
{{ input("since", "Since", f.since, "date") }}
{{ input("until", "Until", f.until, "date") }}
{{ select("sort", "Order", orders, f.sort, "oldest first") }}
</fieldset>
<p class="actions"><button type="submit">Apply the filters</button>
<a href="/events">Clear them</a></p>
</form>
<section aria-labelledby="results">
<h2 id="results">{{ result.total }} event{{ "" if result.total == 1 else "s" }}
{% if result.pages > 1 %}
<span class="small">— page {{ sel.page }} of {{ result.pages }}</span>
{% endif %}
</h2>
<p class="downloads">This selection as
<a href="/download/events.csv?{{ sel.filter_query() }}">CSV</a>,
<a href="/download/events-excel.csv?{{ sel.filter_query() }}">CSV for Excel</a>,
<a href="/download/events.json?{{ sel.filter_query() }}">JSON</a>, or from the API:
<a href="/api/events{{ sel.link() }}"><code>/api/events</code></a>.</p>
{% if result.rows %}
<div class="scroll" tabindex="0" role="region" aria-labelledby="results">
<table class="data" id="events">
{{ head(["Not before", "Not after", "Event", "Program", "Name", "Type", "List"]) }}
<tbody>
{% for r in result.rows %}
<tr>
<td>{{ r.not_before|cell }}</td>
<td>{{ r.not_after|cell }}</td>
<td>{{ r.event_type }}</td>
<td title="{{ program_title(r.program) }}">{{ r.program }}</td>
<td><a href="{{ person_url(r.source, r.source_id) }}">{{ r.name }}</a></td>
<td>{{ r.schema }}</td>
<td>{{ r.source }}</td>
</tr>
{% endfor %}
</tbody>
</table>
</div>
{{ pager(sel, result, "Events") }}
{% else %}
<p>No event matches these filters.</p>
{% endif %}
</section>
{% endblock %}
"""


@dataclass(frozen=True)
class Selection:
    filters: dict[str, Any]
    page: int
    per_page: int
    query: dict[str, str]

    def link(self, **changes: Any) -> str:
        query = {**self.query, **{k: str(v) for k, v in changes.items() if v is not None}}
        for key in [k for k, v in changes.items() if v is None]:
            query.pop(key, None)
        return "?" + urlencode(query) if query else "?"

    def filter_query(self) -> str:
        return urlencode({k: v for k, v in self.query.items() if k not in ("page", "per_page")})


@dataclass
class Result:
    total: int
    rows: list[dict[str, Any]]
    pages: int


def spec(cat: Catalogue, max_page: int) -> dict[str, params.Reader]:
    return {
        "program": params.choice((MAGNITSKY, *cat.programs())),
        "type": params.choice(TYPES),
        "since": params.iso_date,
        "until": params.iso_date,
        "source": params.choice(cat.sources()),
        "source_id": params.token,
        "sort": params.choice(tuple(ORDERS)),
        "page": params.integer(1, 1_000_000),
        "per_page": params.integer(1, max_page),
    }


def _selection(request: Request) -> Selection:
    web = settings(request)
    read = params.read(request.query_params, spec(catalogue(request), web.max_page_size))
    given = {k: v.strip() for k, v in request.query_params.items() if v.strip()}
    filters = {k: v for k, v in read.items() if k not in ("page", "per_page")}
    return Selection(filters, read["page"] or 1, read["per_page"] or web.page_size, given)


def _programs(cat: Catalogue, program: str | None) -> list[str] | None:
    if program == MAGNITSKY:
        return cat.magnitsky_programs()
    return None if program is None else [program]


def query(cat: Catalogue, sel: Selection, paged: bool = True) -> Result:
    f = sel.filters
    conditions = [
        ("program IN (SELECT UNNEST(?))", _programs(cat, f["program"])),
        ("event_type = ?", f["type"]),
        ("not_after >= ?", f["since"]),
        ("coalesce(not_before, not_after) <= ?", f["until"]),
        ("source = ?", f["source"]),
        ("source_id = ?", f["source_id"]),
    ]
    used = [(sql, value) for sql, value in conditions if value is not None]
    where = " AND ".join(sql for sql, _ in used) or "true"
    values = [value for _, value in used]
    order = ORDERS[f["sort"] or "date"]
    columns = ", ".join(fields.EVENTS)
    limit = " LIMIT ? OFFSET ?" if paged else ""
    paging = [sel.per_page, (sel.page - 1) * sel.per_page] if paged else []
    with cat.store() as store:
        total = int(store.scalar(f"SELECT count(*) FROM events WHERE {where}", values))
        rows = store.dicts(
            f"SELECT {columns} FROM events WHERE {where} ORDER BY {order}{limit}",
            [*values, *paging],
        )
    return Result(total, rows, max(1, -(-total // sel.per_page)))


DEFAULT = "/events?program=magnitsky&sort=-date"
"""The page with no filter opens on the Magnitsky-style programs, newest first."""


async def page(request: Request) -> Response:
    if not request.query_params:
        return RedirectResponse(DEFAULT, 302)
    sel = _selection(request)
    cat = catalogue(request)
    result = await off_loop(True, query, cat, sel)
    if sel.page > result.pages:
        return RedirectResponse("/events" + sel.link(page=result.pages), 302)
    return responses.page(
        request,
        PAGE,
        "events",
        sel=sel,
        f=sel.filters,
        result=result,
        programs=[(MAGNITSKY, "all Magnitsky-style programs"), *cat.programs()],
        types=TYPES,
        orders=[("date", "oldest first"), ("-date", "newest first")],
    )


async def api(request: Request) -> Response:
    sel = _selection(request)
    result = await off_loop(True, query, catalogue(request), sel)
    return responses.json(
        {
            "total": result.total,
            "page": sel.page,
            "per_page": sel.per_page,
            "pages": result.pages,
            "filters": {k: v for k, v in sel.query.items() if k not in ("page", "per_page")},
            "next": f"/api/events{sel.link(page=sel.page + 1)}"
            if sel.page < result.pages
            else None,
            "note": past_last(sel.page, result.pages),
            "rows": [fields.project(r, fields.EVENTS) for r in result.rows],
        }
    )


async def download(request: Request, fmt: str) -> Response:
    sel = _selection(request)
    if "page" in sel.query or "per_page" in sel.query:
        raise params.BadRequest("a download is the whole selection: it takes no page or per_page")
    result = await off_loop(True, query, catalogue(request), sel, False)
    name = responses.filename("events", sel.query)
    return responses.download(result.rows, fields.EVENTS, fmt, name)
