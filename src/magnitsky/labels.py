"""Human words for the codes the store keeps: a jurisdiction's name, a country's name
(``rigour.territories``), a program's title. Pages and the report show the words; the
API and the CSVs keep the codes."""

from __future__ import annotations

from functools import cache

from rigour.territories import get_territory

from magnitsky.programs import programs

JURISDICTIONS = {
    "US": "the United States",
    "GB": "the United Kingdom",
    "EU": "the European Union",
    "CA": "Canada",
    "AU": "Australia",
}
SHORT = {"US": "the US", "GB": "the UK", "EU": "the EU", "CA": "Canada", "AU": "Australia"}


def jurisdiction_name(code: str, short: bool = False) -> str:
    """ "the United Kingdom" (or "the UK") for GB; an unknown code as it is."""
    return (SHORT if short else JURISDICTIONS).get(code, code)


def jurisdiction_label(code: str) -> str:
    """The name for a table heading or cell: no article ("United Kingdom")."""
    name = JURISDICTIONS.get(code, code)
    return name[4:] if name.startswith("the ") else name


@cache
def country_name(code: str) -> str:
    territory = get_territory(code.lower()) if code else None
    return territory.name if territory is not None else code


def program_title(key: str) -> str:
    known = programs().get(key)
    return known.title if known else key
