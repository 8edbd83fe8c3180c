"""The routes, one module per page; each page's JSON API and downloads sit beside it.

Handlers are coroutines: work on data already in memory runs in the event loop (it takes
microseconds to a millisecond); anything that may analyse designations or query the store
runs in the thread pool, so one slow request never holds up the others."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from magnitsky.web.catalogue import Catalogue
from magnitsky.web.config import WebSettings

T = TypeVar("T")


DRAWING = threading.Lock()
"""Matplotlib's style is global state: one chart is drawn at a time, on every page."""


def catalogue(request: Request) -> Catalogue:
    found: Catalogue = request.app.state.catalogue
    found.touched = time.monotonic()  # the start-up warming waits for a quiet moment
    return found


def settings(request: Request) -> WebSettings:
    found: WebSettings = request.app.state.settings
    return found


async def off_loop(slow: bool, work: Callable[..., T], *args: Any) -> T:
    """``work(*args)``: in the thread pool when ``slow``, else right here."""
    if slow:
        return await run_in_threadpool(work, *args)
    return work(*args)
