"""The multilateral view — persons sanctioned by two or more jurisdictions, who first and
when — and ``/api/multilateral``; and the one writing endpoint, a person's judgement of a
match: ``POST /api/matches/{a}/{b}/confirm|reject``. Both rest on the cross-list matching
(:mod:`magnitsky.web.crosslist`); before it is built the page says so and the API
answers 404 (the view) or 503 (a judgement) with the reason."""

from __future__ import annotations

import hmac
import re
import threading
from datetime import date
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response

from magnitsky.analysis import multilateral as multi
from magnitsky.analysis.windows import year_of
from magnitsky.report import captions
from magnitsky.report.captions import Caption
from magnitsky.web import crosslist, params, responses
from magnitsky.web.catalogue import Catalogue
from magnitsky.web.crosslist import NotBuilt
from magnitsky.web.routes import DRAWING, catalogue, off_loop, settings

if TYPE_CHECKING:
    from magnitsky.report.svg import Chart

VERDICTS = ("confirm", "reject")
_PAIR = re.compile(r"(?P<a>[a-z]{2}-[a-z0-9-]+:.+?)/(?P<b>[a-z]{2}-[a-z0-9-]+:.+)/(?P<verdict>\w+)")
_writing = threading.Lock()

PAGE = """{% extends "layout.html" %}
{% from "macros.html" import head, select %}
{% macro table(view, caption) -%}
{% set rows, columns = views[view] %}
<div class="scroll" tabindex="0" role="region" aria-label="{{ caption }}">
<table class="data" id="{{ view }}">
<caption>{{ caption }}: {{ rows|length }} rows.
<a href="/download/multilateral.csv?{{ link_query(view=view) }}">CSV</a> ·
<a href="/api/multilateral?{{ link_query(view=view) }}">JSON</a></caption>
{{ head(columns) }}
<tbody>
{% for r in rows %}
<tr>
{% for c in columns %}
<td>{% if c == "person_id" %}<a href="/persons/{{ r[c]|string|urlencode }}">{{ r[c] }}</a>
{%- else %}{{ r[c]|cell }}{% endif %}</td>
{% endfor %}
</tr>
{% endfor %}
</tbody>
</table>
</div>
{%- endmacro %}
{% block title %}Multilateral{% endblock %}
{% block main %}
<h1>Multilateral sanctions</h1>
<p class="lead">Persons sanctioned by two or more jurisdictions, jointly or at different
times: who sanctioned whom, who was first, and how long the others took. A person is the
listings the cross-list matching put together; a jurisdiction's date is that of its first
designation of the person, with its bracket where it has one.</p>
{% if missing %}
<p class="note" role="status">{{ missing }}. Until it is, each listing has its own page
(follow a name in <a href="/designations">the designations</a>).</p>
{% else %}
<form class="filters inline" method="get" action="/multilateral"
      aria-label="Choose the programs">
<fieldset><legend>Programs and year</legend>
{{ select("programs", "Program", programs, f.programs, "every Magnitsky-style program") }}
{{ select("allies_any_program", "Allies", [("true", "counted under any program")],
          "true" if f.allies_any_program else none, "under the same programs") }}
{{ select("year", "Year", years, f.year, "every year") }}
<p class="actions"><button type="submit">Show</button></p>
</fieldset>
</form>
{% set combos, _ = views["combinations"] %}
<section aria-labelledby="combinations-h">
<h2 id="combinations-h">Who sanctioned the same persons</h2>
{% if chart %}
<figure>
<picture><source media="(max-width: 40rem)"
 srcset="/charts/multilateral-narrow.svg?{{ link_query() }}">
<img class="chart" id="chart-combinations" src="/charts/multilateral.svg?{{ link_query() }}"
     width="800" height="460" alt="{{ chart.title }}. {{ chart.description }}"></picture>
<figcaption>{{ chart.title }}: a bar per combination of jurisdictions, the persons
sanctioned by exactly those jurisdictions; the dots below mark them.
<a href="/charts/multilateral.svg?{{ link_query() }}">The chart as SVG</a>.</figcaption>
</figure>
{% endif %}
<div class="scroll" tabindex="0" role="region" aria-label="Persons per combination">
<table class="data" id="combinations">
<caption>Persons per combination of jurisdictions: {{ combos|length }} rows.
<a href="/download/multilateral.csv?{{ link_query(view="combinations") }}">CSV</a> ·
<a href="/api/multilateral?{{ link_query(view="combinations") }}">JSON</a></caption>
<thead><tr><th scope="col">jurisdictions</th><th scope="col">persons</th>
<th scope="col">who</th></tr></thead>
<tbody>
{% for r in combos %}
<tr><td>{{ r.combination }}</td><td>{{ r.persons }}</td>
<td><details><summary>{{ r.persons }} {{ "person" if r.persons == 1 else "persons" }}</summary>
{% for name in r.names -%}
<a href="/persons/{{ r.person_ids[loop.index0]|urlencode }}">{{ name }}</a>
{%- if not loop.last %}; {% endif %}
{%- endfor %}
</details></td></tr>
{% endfor %}
</tbody>
</table>
</div>
</section>
<section aria-labelledby="overlaps-h">
<h2 id="overlaps-h">Who sanctioned whom</h2>
<p>For each pair of jurisdictions: the persons each sanctioned, those both did, and who
acted first on those (<em>order unknown</em> where a bracket leaves it open).</p>
{{ table("overlaps", "Pairs of jurisdictions") }}
</section>
<section aria-labelledby="persons-h">
<h2 id="persons-h">Persons and jurisdictions</h2>
{{ table("persons", "One row per person and jurisdiction") }}
</section>
<section aria-labelledby="joint-h">
<h2 id="joint-h">Joint actions</h2>
{{ table("joint", "Jurisdictions acting on one person within a week") }}
</section>
{% endif %}
{% endblock %}
"""
SHOWN = ("combinations", "overlaps", "persons", "joint")
"""The views the page shows; the API and the downloads give every view."""
View = tuple[list[dict[str, Any]], list[str]]


def _programs(known: tuple[str, ...]) -> params.Reader:
    def reader(text: str) -> tuple[str, ...]:
        keys = tuple(k.strip() for k in text.split(",") if k.strip())
        unknown = [k for k in keys if k not in known]
        if unknown:
            raise ValueError(f"no program {unknown[0]!r} in the store")
        return keys

    return reader


def spec(cat: Catalogue) -> dict[str, params.Reader]:
    """``magnitsky multilateral``'s options."""
    return {
        "view": params.choice(multi.VIEWS),
        "programs": _programs(cat.programs()),
        "allies_any_program": params.boolean,
        "year_end": params.year_end,
        "property": params.boolean,
        "year": params.integer(1990, 2100),
    }


def views(cat: Catalogue, names: tuple[str, ...], f: dict[str, Any]) -> dict[str, View]:
    options = (f["programs"], bool(f["allies_any_program"]), f["year_end"] or (12, 31))
    with_property = bool(f["property"])
    year = f.get("year")

    def make(name: str) -> View:
        with cat.store() as store:
            crosslist.ready(store)
            if year is None:
                found = cat.memo(  # the views of one set of options share their persons
                    ("multilateral-persons", options[0], options[1], with_property),
                    lambda: multi.persons_of(store, options[0], options[1], with_property),
                )
                return multi.view(store, name, *options, with_property, found)
            return _in_year(store, name, year, options, with_property)

    return {
        n: cat.memo(("multilateral", n, *options, with_property, year), lambda n=n: make(n))
        for n in names
    }


def _in_year(
    store: Any, name: str, year: int, options: tuple[Any, bool, Any], with_property: bool
) -> View:
    """A view over the persons with a listing (a jurisdiction's first) in the year."""
    programs, any_program, year_end = options
    programs = programs or multi.MAGNITSKY_PROGRAMS
    schemas = (*multi.PERSON_SCHEMAS, "Vessel", "Airplane") if with_property else None
    found = [
        p
        for p in multi.persons(store, programs, schemas or multi.PERSON_SCHEMAS, any_program)
        if any(year_of(x.listed_on, year_end) == year for x in p.listings)
    ]
    basis = multi.bases(store, programs) if name == "counts" else None
    return multi.tabulate(found, name, year_end, basis)


def chart(cat: Catalogue, f: dict[str, Any]) -> Chart | None:
    """The overlap chart of the report's multilateral section (an UpSet chart) for these
    options; drawn once."""
    options = (f["programs"], bool(f["allies_any_program"]), bool(f["property"]), f.get("year"))

    def make() -> Chart | None:
        import matplotlib as mpl  # the pages without a chart start without it

        from magnitsky.report import multilateral as multilateral_report
        from magnitsky.report.svg import STYLE

        rows, _ = views(cat, ("combinations",), f)["combinations"]
        with DRAWING, mpl.rc_context(STYLE):
            return multilateral_report.upset(rows)

    found: Chart | None = cat.memo(("multilateral-chart", *options), make)
    return found


def caption(cat: Catalogue, f: dict[str, Any]) -> Caption | None:
    """The overlap chart's words (the page shows the chart as an image: it is drawn when
    that is asked for, not for the page)."""
    rows, _ = views(cat, ("combinations",), f)["combinations"]
    return captions.upset(rows)


async def chart_svg(request: Request) -> Response:
    """The overlap chart as an SVG image (``/charts/multilateral.svg``)."""
    f = _read(request)
    try:
        drawn = await off_loop(True, chart, catalogue(request), f)
    except NotBuilt as why:
        raise params.BadRequest(str(why), 404) from None
    if drawn is None:
        raise params.BadRequest("no persons under these programs", 404)
    narrow = request.url.path.endswith("-narrow.svg")  # the phones' drawing
    return responses.svg(drawn.narrow if narrow else drawn.svg)


def _read(request: Request) -> dict[str, Any]:
    return params.read(request.query_params, spec(catalogue(request)))


async def page(request: Request) -> Response:
    f = _read(request)
    if f["view"]:
        raise params.BadRequest("the page shows the views together: 'view' is for the API")
    missing: str | None = None
    found: dict[str, View] = {}
    words: Caption | None = None
    try:
        found = await off_loop(True, views, catalogue(request), SHOWN, f)
        words = caption(catalogue(request), f)
    except NotBuilt as why:
        missing = str(why)

    def query(**changes: str) -> str:
        given = {k: v for k, v in request.query_params.items() if v}
        return urlencode({**given, **changes})

    return responses.page(
        request,
        PAGE,
        "multilateral",
        missing=missing,
        views=found,
        chart=words,
        f={**f, "programs": request.query_params.get("programs")},
        programs=catalogue(request).programs(),
        years=[str(y) for y in range(date.today().year, 2011, -1)],
        link_query=query,  # not 'query': the header's search box shows that
    )


async def _view(request: Request) -> tuple[str, View]:
    f = _read(request)
    name = f["view"] or "persons"
    try:
        found = await off_loop(True, views, catalogue(request), (name,), f)
    except NotBuilt as why:
        raise params.BadRequest(str(why), 404) from None
    return name, found[name]


async def api(request: Request) -> Response:
    _, (rows, columns) = await _view(request)
    return responses.json([{c: r.get(c) for c in columns} for r in rows])


async def download(request: Request, fmt: str) -> Response:
    name, (rows, columns) = await _view(request)
    return responses.download(rows, columns or ["person_id"], fmt, f"multilateral-{name}")


def authorise(request: Request) -> None:
    """Writing needs the server's token, sent as ``Authorization: Bearer <token>``; a
    server started without one refuses every write."""
    token = settings(request).token
    if token is None:
        raise params.BadRequest(
            "writing is disabled: the server was started without MAGNITSKY_WEB_TOKEN", 403
        )
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        raise Unauthorised("this endpoint needs the header 'Authorization: Bearer <token>'")
    if not hmac.compare_digest(given.strip().encode(), token.encode()):
        raise Unauthorised("the token is not the server's write token")


class Unauthorised(params.BadRequest):
    def __init__(self, message: str) -> None:
        super().__init__(message, 401, {"WWW-Authenticate": 'Bearer realm="magnitsky"'})


def _key(text: str, sources: list[str]) -> tuple[str, str]:
    source, _, source_id = text.partition(":")
    if source not in sources or not source_id:
        raise params.BadRequest(f"not a listing: {text!r} (give source:source_id)")
    return source, source_id


def _judge(cat: Catalogue, a: tuple[str, str], b: tuple[str, str], verdict: str) -> None:
    with _writing, cat.store() as store, store.transaction():
        for source, source_id in (a, b):
            sql = "SELECT count(*) FROM records WHERE source = ? AND source_id = ?"
            if not store.scalar(sql, [source, source_id]):
                raise LookupError(f"no listing {source}:{source_id} in the store")
        crosslist.judge(store, a, b, verdict)
    cat.forget("multilateral")


async def judge(request: Request) -> Response:
    authorise(request)
    found = _PAIR.fullmatch(request.path_params["pair"])
    if not found or found["verdict"] not in VERDICTS:
        raise params.BadRequest(
            "expected /api/matches/{source:source_id}/{source:source_id}/confirm (or reject)", 404
        )
    cat = catalogue(request)
    a, b = _key(found["a"], cat.sources()), _key(found["b"], cat.sources())
    if a == b:
        raise params.BadRequest("a listing cannot be matched with itself")
    if not cat.writable:
        raise params.BadRequest("the store is open read-only", 503)
    try:
        await off_loop(True, _judge, cat, a, b, found["verdict"])
    except NotBuilt as why:
        raise params.BadRequest(str(why), 503) from None
    except LookupError as why:
        raise params.BadRequest(str(why), 404) from None
    return responses.json(
        {"a": ":".join(a), "b": ":".join(b), "verdict": found["verdict"], "recorded": True}
    )
