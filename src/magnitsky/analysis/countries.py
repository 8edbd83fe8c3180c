"""Countries of a designation as ISO 3166-1 alpha-2 codes, and their regions, resolved by
``rigour.territories`` (OpenSanctions' maintained territory data), never by a table of
our own.

A designation's countries come from its nationality or citizenship, place of birth,
addresses, and the countries its identifiers were issued in, each kept with the field and
the text it came from. Names the library does not know are reported, not guessed: the
only rewriting is mechanical (the country part of "Kinshasa, Congo, Democratic Republic
of the", "Region: Crimea", a hyphen for "and" as in "Bosnia-Herzegovina").

Regions are the library's UN-geoscheme ``region`` (Africa, Americas, Asia, Europe,
Oceania) and ``subregion`` (Western Asia, Middle Africa …). Codes are upper-case; Kosovo is
``XK`` (a code in common use, not assigned by ISO); a former state (the Soviet Union,
Yugoslavia) has no current code and is reported as unresolved.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from rigour.territories import get_territory, lookup_territory
from rigour.territories.territory import Territory

from magnitsky.readers.ofac_remarks import read_remarks

_PARENS = re.compile(r"\(([^()]+)\)")
_PREFIX = re.compile(r"^(?:region|country):\s*", re.IGNORECASE)


@dataclass(frozen=True)
class Place:
    """One country of a designation and where the list says it."""

    code: str  # ISO 3166-1 alpha-2, upper case
    text: str  # as the list gives it
    field: str  # nationality | birth place | address | identifier | listing

    def evidence(self) -> str:
        return f"{self.code}: {self.text} ({self.field})"


def _country(territory: Territory | None) -> str | None:
    """The alpha-2 code of the territory, or of the country it lies in (Moscow -> RU,
    Crimea -> UA; Hong Kong keeps HK)."""
    while territory is not None:
        code = territory.ftm_country or ""
        if len(code) == 2:
            return code.upper()
        territory = territory.parent
    return None


def _variants(text: str) -> list[str]:
    text = _PREFIX.sub("", text.strip().strip(".").strip())
    out = [text]
    if "-" in text:
        out.append(text.replace("-", " "))
    return [t for t in out if t]


KNOWN: dict[str, str | None] = {}
"""Texts resolved before, with their codes (the store keeps those its build met:
``search.remember_names``; the web loads them): rigour's table of names takes seconds to
load, and a text found here needs none of it."""
RESOLVED: dict[str, str | None] = {}
"""Every text :func:`resolve` has looked up in rigour in this process, with its code."""


def resolve(text: str) -> str | None:
    """The country code of a name or place: the whole text, else its last comma-separated
    parts (shortest first: "Pyongyang, Korea, North" -> "Korea, North" -> KP), else the
    text in parentheses ("Tunisi (Tunisia)")."""
    if text in KNOWN:
        return KNOWN[text]
    if text not in RESOLVED:
        RESOLVED[text] = _resolve(text)
    return RESOLVED[text]


def _resolve(text: str) -> str | None:
    parts = [p.strip() for p in text.split(",")]
    candidates = [text] + [", ".join(parts[i:]) for i in range(len(parts) - 1, 0, -1)]
    candidates += _PARENS.findall(text)
    for candidate in candidates:
        for variant in _variants(candidate):
            territory = lookup_territory(variant)
            if territory is not None:
                return _country(territory)
    return None


@cache
def name(code: str) -> str:
    territory = get_territory(code.lower())
    return territory.name if territory else code


@cache
def region(code: str) -> str | None:
    territory = get_territory(code.lower())
    return territory.region if territory else None


@cache
def subregion(code: str) -> str | None:
    territory = get_territory(code.lower())
    return territory.subregion if territory else None


def _texts(row: Mapping[str, Any]) -> Iterable[tuple[str, str, bool]]:
    """(text, field, must resolve) for every place the designation's record names."""
    ofac = str(row.get("source") or "us-ofac").startswith("us-ofac")
    parsed = read_remarks(row.get("remarks") if ofac else None)
    for text in row.get("nationalities") or parsed.nationalities:
        yield text, "nationality", True
    for text in parsed.birth_places:
        yield text, "birth place", True
    for text in row.get("addresses") or []:
        yield text, "address", True
    for ident in (row.get("identifiers") or parsed.identifiers) if ofac else []:
        groups = _PARENS.findall(ident)
        # "Registration Number HRA 738509 (Stuttgart) (Germany)": one group is enough
        found = [g for g in groups if resolve(g)]
        for text in found or groups[-1:]:
            yield text, "identifier", bool(found)
    if not ofac or not row.get("remarks"):
        # other lists state their countries themselves; OFAC's are derived from the remarks
        for text in row.get("countries") or []:
            yield text, "listing", True


def places(row: Mapping[str, Any]) -> tuple[list[Place], list[tuple[str, str]]]:
    """The resolved places of a designation, and the (text, field) pairs not resolved."""
    found: list[Place] = []
    missed: list[tuple[str, str]] = []
    for text, field, must in _texts(row):
        code = resolve(text)
        if code:
            found.append(Place(code, text, field))
        elif must:
            missed.append((text, field))
    return found, missed


def codes(found: Iterable[Place]) -> list[str]:
    return list(dict.fromkeys(p.code for p in found))


def unresolved(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Every country name the library did not resolve, with how many designations have it."""
    counts: Counter[tuple[str, str]] = Counter()
    for row in rows:
        for item in set(row.get("unresolved_countries") or places(row)[1]):
            counts[item] += 1
    return [
        {"text": text, "field": field, "designations": n}
        for (text, field), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]


@cache
def is_country_name(text: str) -> bool:
    """Whether ``text`` names a country itself (not a place in one): "the Russian
    Federation" yes, "Federation of Bosnia and Herzegovina" or "Moscow" no."""
    for variant in _variants(re.sub(r"^the\s+", "", text, flags=re.IGNORECASE)):
        territory = lookup_territory(variant)
        if territory is not None:
            return len(territory.ftm_country or "") == 2 and territory.ftm_country == territory.code
    return False
