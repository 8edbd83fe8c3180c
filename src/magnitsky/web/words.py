"""Human words for the codes the store keeps: a jurisdiction's name, a country's name
(``rigour.territories``), a program's title. Tables show the words with the code on
hover (``<abbr title="RU">Russia</abbr>``); the API keeps the codes."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from markupsafe import Markup
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


def _abbr(code: str, text: str) -> Markup:
    return Markup('<abbr title="{}">{}</abbr>').format(code, text)


def countries(codes: Iterable[str] | str | None) -> Markup:
    """Country names with their codes on hover, joined by "; "."""
    if not codes:
        return Markup("")
    items = [codes] if isinstance(codes, str) else list(codes)
    return Markup("; ").join(_abbr(c, country_name(c)) for c in items)


def jurisdictions(codes: Iterable[str] | str | None) -> Markup:
    if not codes:
        return Markup("")
    items = [codes] if isinstance(codes, str) else list(codes)
    return Markup("; ").join(_abbr(c, jurisdiction_label(c)) for c in items)


def program_labels(keys: Iterable[str] | str | None) -> Markup:
    """Program keys as written (they are the vocabulary), their titles on hover."""
    if not keys:
        return Markup("")
    items = [keys] if isinstance(keys, str) else list(keys)
    return Markup("; ").join(
        Markup('<span title="{}">{}</span>').format(program_title(k), k) for k in items
    )
