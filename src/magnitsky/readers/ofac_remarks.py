"""The remarks of an OFAC SDN entry: ``DOB 05 Jul 1956; POB Asuncion, Paraguay; …``.

The same clauses make up the text form of an entry in OFAC's change archives and Recent
Actions pages, so those readers share this parser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

_ALIAS = re.compile(r"^(?:alt\. )?(?:a\.k\.a\.|f\.k\.a\.|n\.k\.a\.)\s+(.+)$", re.I)
_DOB = re.compile(r"^(?:alt\. )?DOB\s+(.+)$")
_POB = re.compile(r"^(?:alt\. )?POB\s+(.+)$")
_NATIONALITY = re.compile(r"^(?:alt\. )?(?:nationality|citizen)\s+(.+)$")
_LINKED = re.compile(r"^Linked To:\s*(.+?)\.?$")
_COUNTRY_IN_PARENS = re.compile(r"\(([A-Z][A-Za-z ,.'\-]+)\)")
_IDENTIFIER = re.compile(
    r"^(?:alt\. )?((?:[A-Z][A-Za-z.\-/]*\s){0,6}?(?:No\.|Number|Passport|ID|Cedula|C\.U\.R\.P\.|"
    r"RFC|NIT #|SWIFT/BIC|IMO|MMSI|Identification Number)[^;]*)$"
)
_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    )
}


@dataclass
class Remarks:
    aliases: list[str] = field(default_factory=list)
    birth_dates: list[str] = field(default_factory=list)
    birth_places: list[str] = field(default_factory=list)
    nationalities: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    identifiers: list[str] = field(default_factory=list)
    linked_to: list[str] = field(default_factory=list)


def _strip_quotes(value: str) -> str:
    value = value.strip().rstrip(".").strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        value = value[1:-1]
    return value.strip()


def iso_date(text: str) -> str:
    """``05 Jul 1956`` -> ``1956-07-05``; ``Jul 1956`` -> ``1956-07``; ``1956`` stays;
    ranges (``1961 to 1963``) and anything else are kept as written."""
    parts = text.strip().split()
    if len(parts) == 3 and parts[1][:3] in _MONTHS and parts[0].isdigit() and parts[2].isdigit():
        return f"{int(parts[2]):04d}-{_MONTHS[parts[1][:3]]:02d}-{int(parts[0]):02d}"
    if len(parts) == 2 and parts[0][:3] in _MONTHS and parts[1].isdigit():
        return f"{int(parts[1]):04d}-{_MONTHS[parts[0][:3]]:02d}"
    return text.strip()


_CLAUSE_MARKS = re.compile(r"[();]")


def split_clauses(text: str) -> list[str]:
    """Split on ``;`` outside quotes and parentheses."""
    if "(" not in text:  # nothing opens a parenthesis: every ";" splits
        return [c for c in (part.strip() for part in text.split(";")) if c]
    clauses: list[str] = []
    depth = 0
    start = 0
    for mark in _CLAUSE_MARKS.finditer(text):
        char = mark.group()
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(0, depth - 1)
        elif depth == 0:
            clauses.append(text[start : mark.start()].strip())
            start = mark.start() + 1
    clauses.append(text[start:].strip())
    return [c for c in clauses if c]


@lru_cache(maxsize=50_000)
def read_remarks(text: str | None) -> Remarks:
    """:func:`parse_remarks` of a text the analysis reads again and again (a designation's
    remarks, for its countries, roles and facets): parsed once, the same object after.
    Read it, never change it."""
    return parse_remarks(text)


def parse_remarks(text: str | None) -> Remarks:
    out = Remarks()
    if not text:
        return out
    for clause in split_clauses(text.strip().rstrip(".")):
        if m := _ALIAS.match(clause):
            out.aliases.append(_strip_quotes(m.group(1)))
        elif m := _DOB.match(clause):
            out.birth_dates.append(iso_date(m.group(1)))
        elif m := _POB.match(clause):
            place = m.group(1).strip()
            out.birth_places.append(place)
            out.countries.append(place.rsplit(",", 1)[-1].strip())
        elif m := _NATIONALITY.match(clause):
            out.nationalities.append(m.group(1).strip())
        elif m := _LINKED.match(clause):
            out.linked_to.append(m.group(1).strip())
        elif m := _IDENTIFIER.match(clause):
            ident = m.group(1).strip()
            out.identifiers.append(ident)
            out.countries.extend(c.strip() for c in _COUNTRY_IN_PARENS.findall(ident))
    out.countries = list(dict.fromkeys(out.nationalities + out.countries))
    return out
