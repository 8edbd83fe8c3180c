"""What a record is stored as besides its columns: its whole content as JSON and the
listing dates its source states. Made where the record was parsed (this process, or the
:mod:`magnitsky.history.lineparse` worker, which imports no more than this)."""

from __future__ import annotations

import json

from magnitsky.listing import Listing
from magnitsky.programs import first_listing, program_key
from magnitsky.sources import source as get_source

Prepared = tuple[Listing, str, str | None]
"""A listing, its content as JSON, and its stated dates as JSON (None: none stated)."""

_as_json = json.JSONEncoder(ensure_ascii=False).encode
"""``json.dumps(value, ensure_ascii=False)``, without making an encoder for each record."""


def prepared(listing: Listing) -> Prepared:
    stated = json.dumps(stated_dates(listing)) if listing.listed_on or listing.extra else None
    return listing, _as_json(listing.content()), stated


def stated_dates(listing: Listing) -> dict[str, str]:
    """The listing date the source states, per program tag (``listed_on:<tag>`` in
    ``extra`` where a source dates each program, else ``listed_on``).

    Where that date predates the program and the source states its own designation date
    under it (``designated:<tag>``: the UK's ``Date Designated`` of a listing first made
    under another regime, or by the EU), that date is the listing date. Where the two
    disagree otherwise, ``designated:<tag>`` is kept beside it, to be reported."""
    extra = dict(listing.extra)
    jurisdiction = get_source(listing.source).jurisdiction
    out = {}
    for tag in listing.programs:
        day = extra.get(f"listed_on:{tag}") or (
            listing.listed_on.isoformat() if listing.listed_on else None
        )
        designated = extra.get(f"designated:{tag}")
        floor = first_listing(program_key(jurisdiction, tag))
        if day and designated and floor and day < floor.isoformat() <= designated:
            day = out[f"from_designated:{tag}"] = designated
        elif day and designated and floor and floor.isoformat() <= day != designated:
            out[f"designated:{tag}"] = designated
        if day:
            out[tag] = day
    return out
