"""Requests in progress, counted on the catalogue: the start-up warming waits for none to
be running (a first answer computing for seconds would otherwise share the processor with
it) and for :data:`magnitsky.web.catalogue.QUIET` seconds after the last one ended."""

from __future__ import annotations

import time

from starlette.types import ASGIApp, Receive, Scope, Send


class Busy:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        catalogue = getattr(scope["app"].state, "catalogue", None) if "app" in scope else None
        if scope["type"] != "http" or catalogue is None:
            await self.app(scope, receive, send)
            return
        catalogue.active += 1
        try:
            await self.app(scope, receive, send)
        finally:
            catalogue.active -= 1
            catalogue.touched = time.monotonic()
