"""The web server's settings: one environment variable each, with a default, read the
way :mod:`magnitsky.settings` reads the others (the store file is ``MAGNITSKY_DB``)."""

from __future__ import annotations

import os
from dataclasses import dataclass

WARM_CHOICES = ("magnitsky", "all", "none")


def _env(name: str, default: str) -> str:
    value = os.environ.get(name, "").strip()
    return value or default


def _int(name: str, default: int, low: int, high: int) -> int:
    text = _env(name, str(default))
    try:
        value = int(text)
    except ValueError:
        raise ValueError(f"{name} must be a whole number, not {text!r}") from None
    if not low <= value <= high:
        raise ValueError(f"{name} must lie between {low} and {high}, not {value}")
    return value


@dataclass(frozen=True)
class WebSettings:
    token: str | None
    """MAGNITSKY_WEB_TOKEN: the bearer token that writing endpoints require (confirming or
    rejecting a match). Unset: every writing endpoint is refused and the store is opened
    read-only."""
    page_size: int
    """MAGNITSKY_WEB_PAGE_SIZE: rows per page when a request does not say (default 50)."""
    max_page_size: int
    """MAGNITSKY_WEB_MAX_PAGE_SIZE: the most rows one page may ask for (default 500); the
    downloads are whole tables and not limited."""
    warm: str
    """MAGNITSKY_WEB_WARM: which programs' designations are analysed (basis, roles,
    countries) when the server starts, before anyone asks: ``magnitsky`` (the
    Magnitsky-style programs, the default), ``all`` (every program: about half a minute
    on the full store), ``none``. Others are analysed on first use and kept. Unless
    ``none``, the search box's index (every name of every list) is built next, a few
    seconds; with ``none`` on the first search."""


def load() -> WebSettings:
    token = os.environ.get("MAGNITSKY_WEB_TOKEN", "").strip()
    if token and len(token) < 16:
        raise ValueError("MAGNITSKY_WEB_TOKEN must have at least 16 characters")
    max_page = _int("MAGNITSKY_WEB_MAX_PAGE_SIZE", 500, 1, 10_000)
    warm = _env("MAGNITSKY_WEB_WARM", "magnitsky")
    if warm not in WARM_CHOICES:
        raise ValueError(f"MAGNITSKY_WEB_WARM must be one of {', '.join(WARM_CHOICES)}")
    return WebSettings(
        token=token or None,
        page_size=_int("MAGNITSKY_WEB_PAGE_SIZE", 50, 1, max_page),
        max_page_size=max_page,
        warm=warm,
    )
