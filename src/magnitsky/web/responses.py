"""Responses: JSON (fast, dates in ISO 8601), pages, downloads, and errors in the form
the client asked for: a JSON ``{"error": …}`` under ``/api/`` and ``/download/``, an HTML
page elsewhere. No error ever shows a stack trace; an unexpected one is logged."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any

import orjson
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from magnitsky.output import render
from magnitsky.web import headers, templates
from magnitsky.web.params import BadRequest

log = logging.getLogger("magnitsky.web")

ERROR_PAGE = """{% extends "layout.html" %}
{% block title %}{{ status }} {{ reason }}{% endblock %}
{% block main %}
<h1>{{ status }} {{ reason }}</h1>
<p class="error" role="alert">{{ message }}</p>
{% if status == 404 %}
<form class="search wide" role="search" action="/search" method="get">
<label for="q404">Find a person by name</label>
<input id="q404" name="q" type="search" autocomplete="off">
<button type="submit">Search</button>
</form>
{% endif %}
<p><a href="/">Back to the overview</a></p>
{% endblock %}
"""
REASONS = {
    400: "Bad request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    414: "URI too long",
    500: "Internal server error",
    503: "Service unavailable",
}


def _default(value: Any) -> Any:
    return str(value)


def json(data: Any, status: int = 200, headers: Mapping[str, str] | None = None) -> Response:
    body = orjson.dumps(data, default=_default, option=orjson.OPT_NON_STR_KEYS)
    return Response(body, status, dict(headers or {}), media_type="application/json")


def page(
    request: Request, source: str, nav: str = "", status: int = 200, **context: Any
) -> Response:
    catalogue = request.app.state.catalogue
    html = templates.render(source, {"nav": nav, "store_name": catalogue.path.name, **context})
    return HTMLResponse(html, status)


NAMED_BY = (
    "jurisdiction",
    "program",
    "year",
    "listed_from",
    "listed_to",
    "since",
    "until",
    "type",
    "basis",
    "country",
    "role",
    "theme",
    "victim_group",
    "schema",
    "date_quality",
    "name",
    "source",
    "source_id",
)
"""The filters a download's file name says, in this order."""


def filename(kind: str, query: Mapping[str, str]) -> str:
    """A download's name after its filter: ``us-glomag-2023-designations``."""
    parts = [query[k] for k in NAMED_BY if query.get(k)]
    if query.get("jurisdiction") and query.get("program"):
        program = query["program"].lower()
        if program.startswith(query["jurisdiction"].lower() + "-"):
            parts.remove(query["jurisdiction"])
    slug = "-".join(re.sub(r"[^a-z0-9]+", "-", p.lower()).strip("-") for p in parts)
    slug = re.sub(r"-+", "-", slug).strip("-")[:80].strip("-")
    return f"{slug}-{kind}" if slug else kind


def download(
    rows: Sequence[Mapping[str, Any]], columns: Sequence[str], fmt: str, name: str
) -> Response:
    """A whole table as the CLI's ``--format csv`` or ``--format json`` gives it."""
    body = render([dict(r) for r in rows], fmt, columns)
    media = "text/csv; charset=utf-8" if fmt == "csv" else "application/json"
    disposition = f'attachment; filename="{name}.{fmt}"'
    return Response(body + "\n", 200, {"Content-Disposition": disposition}, media_type=media)


def svg(image: str) -> Response:
    """A chart as an SVG image, under the narrow policy Matplotlib's inline styles need."""
    return Response(
        '<?xml version="1.0" encoding="utf-8"?>\n' + image,
        media_type="image/svg+xml",
        headers={"Content-Security-Policy": headers.SVG_POLICY, "Cache-Control": "max-age=3600"},
    )


def wants_json(request: Request) -> bool:
    path = request.url.path
    return path.startswith(("/api/", "/download/")) or path.endswith(".json")


def error(
    request: Request, status: int, message: str, headers: Mapping[str, str] | None = None
) -> Response:
    if wants_json(request):
        return json({"error": message, "status": status}, status, headers)
    reason = REASONS.get(status, "Error")
    catalogue = getattr(request.app.state, "catalogue", None)
    name = catalogue.path.name if catalogue else ""
    html = templates.render(
        ERROR_PAGE,
        {"nav": "", "store_name": name, "status": status, "reason": reason, "message": message},
    )
    return HTMLResponse(html, status, dict(headers or {}))


async def bad_request(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, BadRequest)
    return error(request, exc.status, exc.message, exc.headers)


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    messages = {
        404: f"nothing at {request.url.path}",
        405: f"{request.method} is not allowed at {request.url.path}",
    }
    phrase = HTTPStatus(exc.status_code).phrase if exc.status_code in set(HTTPStatus) else ""
    detail = exc.detail if exc.detail and exc.detail != phrase else None
    message = detail or messages.get(exc.status_code) or REASONS.get(exc.status_code, "error")
    return error(request, exc.status_code, str(message), exc.headers)


async def server_error(request: Request, exc: Exception) -> Response:
    log.exception("error answering %s %s", request.method, request.url.path, exc_info=exc)
    return error(request, 500, "the server could not answer this request (the error is logged)")


EXCEL_MARK = "\ufeff"
"""The byte order mark that makes Excel read a CSV file as UTF-8."""


def for_excel(answer: Response) -> Response:
    """A CSV download as Excel opens it without garbling accents: UTF-8 with a byte
    order mark, named ``…-excel.csv``."""
    disposition = answer.headers.get("content-disposition", "").replace(".csv", "-excel.csv")
    body = EXCEL_MARK.encode("utf-8") + bytes(answer.body)
    return Response(
        body, answer.status_code, {"Content-Disposition": disposition}, media_type=answer.media_type
    )
