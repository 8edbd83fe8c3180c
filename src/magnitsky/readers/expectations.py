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

Besides the declared expectations, every parse of a list is held to what any list obeys
(:func:`check_listings`): one entry per identifier, and dates that can be (not after
tomorrow, not before the program or the publisher existed: :func:`check_date`).
"""

from __future__ import annotations

import tomllib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from importlib import resources
from typing import Any

from magnitsky.actions import DatedAction
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


EARLIEST = date(1950, 1, 1)
"""No sanctions list date lies before OFAC's founding (December 1950)."""


def check_date(day: date, origin: object, what: str, programs: Iterable[str] = ()) -> None:
    """A date a file states (or is dated by) that cannot be: after tomorrow (the
    publishers' day runs behind UTC), before 1950, or before the first listing of a
    program it speaks of (program keys such as ``US-GLOMAG``)."""
    from magnitsky.programs import first_listing

    latest = date.today() + timedelta(days=1)
    if day > latest:
        raise ReaderError(
            origin, f"{what} {day.isoformat()} is in the future (today is {date.today()})"
        )
    floor, program = EARLIEST, None
    for key in programs:
        start = first_listing(key)
        if start is not None and start > floor:
            floor, program = start, key
    if day < floor:
        since = (
            f"the program {program} began on {floor}"
            if program
            else f"no list is older than {floor}"
        )
        raise ReaderError(origin, f"{what} {day.isoformat()} cannot be: {since}")


def check_listings(listings: Sequence[Listing], origin: object) -> None:
    """What every list obeys: an identifier names one entry, and no stated listing date
    lies in the future or before any list existed."""
    counts = Counter(item.source_id for item in listings)
    twice = [sid for sid, n in counts.items() if n > 1]
    if twice:
        raise ReaderError(
            origin,
            f"{len(twice)} identifiers name two entries or more (first: {twice[0]!r}):"
            " an entry's identifier must be unique in a list",
        )
    for item in listings:
        for day in _stated_days(item):
            check_date(day, origin, f"entry {item.source_id}: listing date")


def _stated_days(listing: Listing) -> Iterable[date]:
    if listing.listed_on:
        yield listing.listed_on
    for key, value in listing.extra:
        if key.startswith("listed_on:") and value:
            try:
                yield date.fromisoformat(value)
            except ValueError:
                continue


def check_actions(actions: Iterable[DatedAction], origin: object) -> None:
    """Every dated action of a document (change archive, Recent Actions page, advanced
    XML) on a date that can be: not in the future, not before its program began (where
    the document dates the action under that program)."""
    from magnitsky.programs import program_key

    for action in actions:
        # The advanced XML dates an entry's first listing under any program and gives
        # the programs it is under now: no program floor there.
        tags = () if action.source == "us-ofac-advanced" else action.programs
        keys = [program_key("US", tag) for tag in tags]
        check_date(action.action_date, origin, "an action dated", keys)
