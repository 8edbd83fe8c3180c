"""A person's story at the top of their page: a sentence and a timeline of who sanctioned
them when ("Canada 2017 → the US by 2018 → the UK 2020 → the EU 2021 → Australia
2022"), one step per jurisdiction (its first listing), each with how its date is known and
a link to the official source.

The order is the order of the latest day each listing can have been made; where two
steps' dates overlap (a bracket, or a baseline: "listed on or before the first snapshot
read") the order between them is open, and the step says so."""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

from magnitsky.labels import jurisdiction_name

OFAC_ENTRY = "https://sanctionssearch.ofac.treas.gov/Details.aspx?id={source_id}"
"""OFAC's own page of an SDN entry."""


@cache
def list_urls() -> dict[str, str]:
    """Each declared list's official address (``data/sources/*.toml``)."""
    folder = resources.files("magnitsky").joinpath("data/sources")
    out = {}
    for entry in folder.iterdir():
        if entry.name.endswith(".toml"):
            data = tomllib.loads(entry.read_text("utf-8"))
            if data.get("url"):
                out[data["source"]] = str(data["url"])
    return out


def source_url(source: str, source_id: str) -> str | None:
    """The official page of the entry where the list has one, else the list's page."""
    if source == "us-ofac-sdn" and source_id.isdigit():
        return OFAC_ENTRY.format(source_id=source_id)
    return list_urls().get(source)


def _when(r: dict[str, Any]) -> str:
    lo: date | None = r.get("listed_not_before")
    hi: date | None = r.get("listed_not_after")
    if hi is None:
        return "date not known"
    if r.get("date_quality") == "baseline" or lo is None:
        return f"by {hi.year}"
    if lo.year == hi.year:
        return str(hi.year)
    return f"{lo.year}–{hi.year}"


def _dates(r: dict[str, Any]) -> str:
    lo: date | None = r.get("listed_not_before")
    hi: date | None = r.get("listed_not_after")
    if hi is None:
        return "not known"
    if lo == hi:
        return hi.isoformat()
    if lo is None or r.get("date_quality") == "baseline":
        return f"on or before {hi.isoformat()}"
    return f"between {lo.isoformat()} and {hi.isoformat()}"


def steps(listings: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """One step per jurisdiction: its first listing of the person, earliest first."""
    first: dict[str, dict[str, Any]] = {}
    for r in listings:
        hi = r.get("listed_not_after")
        if hi is None:
            continue
        j = r["jurisdiction"]
        if j not in first or (hi, r["program"]) < (
            first[j]["listed_not_after"],
            first[j]["program"],
        ):
            first[j] = r
    ordered = sorted(first.values(), key=lambda r: (r["listed_not_after"], r["jurisdiction"]))
    out = []
    for i, r in enumerate(ordered):
        earlier = ordered[i - 1] if i else None
        lo = r.get("listed_not_before") or date.min
        open_order = (
            earlier is not None
            and lo <= earlier["listed_not_after"]
            and (
                r["listed_not_after"] != earlier["listed_not_after"]
                or r.get("date_quality") != "exact"
            )
        )
        urls = [u for u in str(r.get("evidence_url") or "").split("; ") if u.startswith("http")]
        out.append(
            {
                "jurisdiction": r["jurisdiction"],
                "who": jurisdiction_name(r["jurisdiction"], short=True),
                "when": _when(r),
                "dates": _dates(r),
                "date_quality": r.get("date_quality"),
                "date_source": r.get("date_source"),
                "program": r["program"],
                "source": r["source"],
                "source_id": r["source_id"],
                "source_url": source_url(r["source"], r["source_id"]),
                "text_url": urls[0] if urls else None,
                "order_open": open_order,
            }
        )
    return out


def sentence(name: str, found: Sequence[dict[str, Any]]) -> str:
    """ "X was sanctioned by Canada in 2017, then by the US by 2018 and the UK in 2020."""
    if not found:
        return f"{name}: no dated listing."
    parts = [f"{s['who']} ({s['when']}, {s['program']})" for s in found]
    said = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    first = "first " if len(parts) > 1 and not found[1]["order_open"] else ""
    tail = ""
    if any(s["order_open"] for s in found):
        tail = " The order of some steps is open: their dates overlap (see each step)."
    count = f"{len(parts)} jurisdictions" if len(parts) > 1 else "one jurisdiction"
    return f"{name} has been sanctioned by {count}: {first}{said}.{tail}"
