"""The ASGI application: the routes of every page and of the JSON API, the app's own
static files, security headers, and errors as JSON or HTML without a stack trace.

    app = create_app(Path("magnitsky.duckdb"))   # then: uvicorn.run(app)
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from magnitsky.web import config, openapi, params, responses
from magnitsky.web.busy import Busy
from magnitsky.web.catalogue import Catalogue
from magnitsky.web.headers import SecurityHeaders
from magnitsky.web.routes import (
    designations,
    downloads,
    events,
    multilateral,
    overview,
    persons,
    precedents,
    recommendations,
    search,
    year,
)

log = logging.getLogger("magnitsky.web")
STATIC = Path(__file__).resolve().parent / "static"
MAX_BODY = 4096
"""Bytes a request body may have: no endpoint reads one."""


async def openapi_json(request: Request) -> Response:
    params.read(request.query_params, {})
    return responses.json(openapi.spec())


async def docs(request: Request) -> Response:
    params.read(request.query_params, {})
    described = openapi.spec()
    return responses.page(
        request, openapi.DOCS, "docs", info=described["info"], ops=openapi.operations()
    )


def routes() -> list[BaseRoute]:
    return [
        Route("/", overview.page),
        Route("/designations", designations.page),
        Route("/events", events.page),
        Route("/precedents", precedents.page),
        Route("/multilateral", multilateral.page),
        Route("/downloads", downloads.page),
        Route("/search", search.page),
        Route("/api/search", search.api),
        Route("/year", year.latest),
        Route("/year/{year}", year.page),
        Route("/api/year/{year}", year.api),
        Route("/persons/{source}/{source_id:path}", persons.listing_page),
        Route("/persons/{person_id}", persons.person_page),
        Route("/charts/yearly.svg", overview.chart_svg),
        Route("/charts/multilateral.svg", multilateral.chart_svg),
        Route("/charts/yearly-narrow.svg", overview.chart_svg),  # for phones
        Route("/charts/multilateral-narrow.svg", multilateral.chart_svg),
        Route("/download/{name}", downloads.download),
        Route("/docs", docs),
        Route("/openapi.json", openapi_json),
        Route("/api/designations", designations.api),
        Route("/api/events", events.api),
        Route("/api/persons/{source}/{source_id:path}", persons.listing_api),
        Route("/api/persons/{person_id}", persons.person_api),
        Route("/api/stats/yearly", overview.api_yearly),
        Route("/api/precedents", precedents.api),
        Route("/api/multilateral", multilateral.api),
        Route("/api/matches/{pair:path}", multilateral.judge, methods=["POST"]),
        # civil-society recommendations: token only (web/routes/recommendations.py)
        Route("/recommendations", recommendations.page),
        Route("/recommendations/{ref}", recommendations.show),
        Route("/api/recommendations", recommendations.api),
        Route("/api/recommendations/{ref}", recommendations.api_show),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]


def create_app(db: Path, settings: config.WebSettings | None = None) -> Starlette:
    """The application over the store ``db`` (opened now: a missing or unreadable store
    fails here, before the server listens). Settings default to the environment's."""
    settings = settings or config.load()
    catalogue = Catalogue(db, writable=settings.token is not None)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        warming = threading.Thread(target=catalogue.warm, args=(settings.warm,), daemon=True)
        warming.start()
        yield
        catalogue.close()

    app = Starlette(
        routes=routes(),
        middleware=[
            Middleware(SecurityHeaders),
            Middleware(GZipMiddleware, minimum_size=1024),
            Middleware(Busy),  # the start-up warming waits while a request runs
        ],
        exception_handlers={
            params.BadRequest: responses.bad_request,
            HTTPException: responses.http_error,
            Exception: responses.server_error,
        },
        lifespan=lifespan,
        max_body_size=MAX_BODY,
    )
    app.state.catalogue = catalogue
    app.state.settings = settings
    return app
