"""Civil society's recommendations, for whoever holds the server's token only:
``/recommendations``, ``/recommendations/{ref}`` and their JSON under
``/api/recommendations``. Every request needs ``Authorization: Bearer <token>`` (the
scheme of match review: 403 when the server has no token, 401 without the right one);
nothing here is linked from the public pages, listed in the API description or offered
as a download, and every page says that it shows confidential material. Responses are
never cached."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from magnitsky import settings as app_settings
from magnitsky.recommendations import outcomes, tracker
from magnitsky.web import params, responses
from magnitsky.web.catalogue import Catalogue
from magnitsky.web.routes import catalogue, off_loop
from magnitsky.web.routes.multilateral import authorise

PRIVATE = {"Cache-Control": "no-store", "X-Robots-Tag": "noindex"}
BANNER = """<p class="note" role="alert"><strong>Confidential.</strong> This page shows
civil society's recommendations of sanctions targets, some of them not public (their
level is given on each row: public, coalition, private). It is shown only because this
request carried the server's token; do not forward it beyond those the level allows.</p>"""

LIST_PAGE = (
    """{% extends "layout.html" %}
{% from "macros.html" import head %}
{% block title %}Recommendations (confidential){% endblock %}
{% block main %}
<h1>Recommendations (confidential)</h1>
"""
    + BANNER
    + """
{% if not rows %}<p>No recommendation in the tracker.</p>{% else %}
<div class="scroll" tabindex="0" role="region" aria-label="Recommendations">
<table class="data" id="recommendations">
<caption>One row per recommendation and government: {{ rows|length }} rows.</caption>
{{ head(columns) }}
<tbody>
{% for r in rows %}
<tr>{% for c in columns %}<td>{% if c == "ref" %}<a href="/recommendations/{{ r.ref|urlencode }}">
{{- r.ref }}</a>{% else %}{{ r[c]|cell }}{% endif %}</td>{% endfor %}</tr>
{% endfor %}
</tbody>
</table>
</div>
{% endif %}
{% endblock %}
"""
)
SHOW_PAGE = (
    """{% extends "layout.html" %}
{% from "macros.html" import head %}
{% block title %}Recommendation {{ rec.ref }} (confidential){% endblock %}
{% block main %}
<h1>{{ rec.name }} <small>({{ rec.ref }}, {{ rec.confidentiality }})</small></h1>
"""
    + BANNER
    + """
<dl>
{% for label, value in facts %}{% if value %}<dt>{{ label }}</dt><dd>{{ value|cell }}</dd>
{% endif %}{% endfor %}
</dl>
<h2>What each government did</h2>
<table class="data" id="outcomes">{{ head(outcome_columns) }}<tbody>
{% for r in rows %}<tr>{% for c in outcome_columns %}<td>{{ r[c]|cell }}</td>{% endfor %}</tr>
{% endfor %}</tbody></table>
<h2>Matches with the lists</h2>
{% if matches %}
<table class="data" id="matches">{{ head(match_columns) }}<tbody>
{% for m in matches %}<tr>{% for c in match_columns %}<td>{{ m[c]|cell }}</td>{% endfor %}</tr>
{% endfor %}</tbody></table>
{% else %}<p>No listing matches this recommendation.</p>{% endif %}
{% endblock %}
"""
)


def _read(cat: Catalogue, ref: str | None) -> dict[str, Any]:
    path = app_settings.load().recommendations_db
    with cat.store() as store, tracker.open_tracker(store, path, read_only=True) as t:
        rows = outcomes.stored(t)
        if ref is None:
            return {"rows": rows}
        found = [r for r in tracker.load(t) if r.ref == ref]
        matches = [
            m for m in outcomes.review_rows(t, store, show_all=True) if m["a"].endswith(f":{ref}")
        ]
    if not found:
        raise params.BadRequest(f"no recommendation {ref!r}", 404)
    return {"rec": found[0], "rows": [r for r in rows if r["ref"] == ref], "matches": matches}


def _facts(rec: Any) -> list[tuple[str, Any]]:
    return [
        ("Type", rec.schema),
        ("Aliases", list(rec.aliases)),
        ("Birth dates", list(rec.birth_dates)),
        ("Nationality", list(rec.nationalities)),
        ("Identifiers", list(rec.identifiers)),
        ("Country of conduct", rec.country),
        ("Conduct", list(rec.conduct)),
        ("Themes", list(rec.themes)),
        ("Victim groups", list(rec.victim_groups)),
        ("Submitted by", list(rec.organisations)),
        ("Withdrawn", rec.withdrawn_on),
        ("Notes", rec.notes),
    ]


def _private(response: Response) -> Response:
    response.headers.update(PRIVATE)
    return response


async def page(request: Request) -> Response:
    authorise(request)
    params.read(request.query_params, {})
    found = await off_loop(True, _read, catalogue(request), None)
    return _private(
        responses.page(request, LIST_PAGE, "", rows=found["rows"], columns=outcomes.LIST_COLUMNS)
    )


async def show(request: Request) -> Response:
    authorise(request)
    params.read(request.query_params, {})
    found = await off_loop(True, _read, catalogue(request), request.path_params["ref"])
    return _private(
        responses.page(
            request,
            SHOW_PAGE,
            "",
            rec=found["rec"],
            facts=_facts(found["rec"]),
            rows=found["rows"],
            matches=found["matches"],
            outcome_columns=outcomes.SHOWN_COLUMNS,
            match_columns=outcomes.REVIEW_COLUMNS[2:],
        )
    )


async def api(request: Request) -> Response:
    authorise(request)
    params.read(request.query_params, {})
    found = await off_loop(True, _read, catalogue(request), None)
    return _private(responses.json({"confidential": True, "outcomes": found["rows"]}))


async def api_show(request: Request) -> Response:
    authorise(request)
    params.read(request.query_params, {})
    found = await off_loop(True, _read, catalogue(request), request.path_params["ref"])
    return _private(
        responses.json(
            {
                "confidential": True,
                "recommendation": found["rec"].__dict__,
                "outcomes": found["rows"],
                "matches": found["matches"],
            }
        )
    )
