"""Source declarations kept as data beside the readers (``data/sources/<source>.toml``):
who publishes the list, which reader reads it, the lookups that turn its messy values into
clean ones, and what a sound parse of it looks like (assertions as data).

A silently broken parse (a renamed column, a half-downloaded file that still parses) shows
as too few listings or as a field that suddenly stops being filled;
:func:`check_expectations` turns that into a :class:`ReaderError` naming the file.

``[expectations]`` keys: ``min_listings``; ``[expectations.fill]`` field -> minimum share of
listings that have it; ``[expectations.fill_when_present]`` the same, checked only when some
listing of the file has the field (formats that predate a field state it for nobody: the
2020/2022 Canadian XML has no listing date). A field is a :class:`Listing` attribute
(``listed_on``, ``birth_dates`` …) or ``extra.<key>``.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from magnitsky.listing import Listing, ReaderError


@dataclass(frozen=True)
class Expectations:
    min_listings: int = 1
    fill: Mapping[str, float] = field(default_factory=dict)
    fill_when_present: Mapping[str, float] = field(default_factory=dict)


def declared_sources() -> list[str]:
    folder = resources.files("magnitsky").joinpath("data/sources")
    return sorted(
        p.name.removesuffix(".toml") for p in folder.iterdir() if p.name.endswith(".toml")
    )


@cache
def declaration(source: str) -> dict[str, Any]:
    path = resources.files("magnitsky").joinpath(f"data/sources/{source}.toml")
    if not path.is_file():
        known = ", ".join(declared_sources())
        raise KeyError(f"no declaration for source {source!r}; declared: {known}")
    return tomllib.loads(path.read_text("utf-8"))


def lookup(source: str, table: str) -> dict[str, str]:
    """A ``[lookups.<table>]`` mapping of the source's declaration (empty if absent)."""
    return dict(declaration(source).get("lookups", {}).get(table, {}))


def expectations(source: str) -> Expectations:
    data = declaration(source).get("expectations", {})
    return Expectations(
        int(data.get("min_listings", 1)),
        {k: float(v) for k, v in data.get("fill", {}).items()},
        {k: float(v) for k, v in data.get("fill_when_present", {}).items()},
    )


def has_field(listing: Listing, name: str) -> bool:
    if name.startswith("extra."):
        key = name.removeprefix("extra.")
        return any(k == key and v for k, v in listing.extra)
    return bool(getattr(listing, name))


def fill_share(listings: Sequence[Listing], name: str) -> float:
    if not listings:
        return 0.0
    return sum(has_field(item, name) for item in listings) / len(listings)


def check_expectations(
    source: str, listings: Sequence[Listing], path: object | None = None
) -> None:
    """Raise :class:`ReaderError` (naming ``path``) when a parse falls below what the
    source's declaration expects."""
    expected = expectations(source)
    origin = path if path is not None else f"<{source}>"
    if len(listings) < expected.min_listings:
        raise ReaderError(
            origin,
            f"{len(listings)} listings read, {source} expects at least {expected.min_listings}:"
            " a truncated or partial file, or a format the reader no longer understands",
        )
    checks = [(name, share, False) for name, share in expected.fill.items()]
    checks += [(name, share, True) for name, share in expected.fill_when_present.items()]
    for name, minimum, optional in checks:
        share = fill_share(listings, name)
        if optional and share == 0:
            continue
        if share < minimum:
            raise ReaderError(
                origin,
                f"only {share:.1%} of listings have {name}, {source} expects at least"
                f" {minimum:.0%}: the column may have been renamed or moved",
            )
