"""Identifier numbers (passports, national ids, tax and registration numbers, IMO and
tail numbers) as the lists write them, reduced to the number itself.

"Passport 10945182 (Israel) issued 28 Jun 2010", "Passport: S059033", "idNumber:
771670606787", "National ID: 51602-9768615-5", "IMO 9305192": what follows the kind,
without the country in brackets, the dates of issue and expiry, and the separators
inside the number. Numbers of fewer than five characters or three digits are too short
to tell two persons apart and are ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_BRACKETED = re.compile(r"\([^()]*\)")
_DATES = re.compile(r"\b(?:issued|expires|expiry|valid)\b.*$", re.IGNORECASE)
_CANDIDATE = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-/.]*[A-Za-z0-9]")
_IMO = re.compile(r"\bIMO\b\D{0,3}(\d{7})\b", re.IGNORECASE)


@dataclass(frozen=True)
class Identifier:
    number: str
    """Upper-case letters and digits, leading zeros of an all-digit number dropped."""
    text: str
    """As the list writes it."""
    kind: str
    """imo (a vessel's IMO number) or number (any other)."""


def parse(text: str) -> list[Identifier]:
    imo = _IMO.search(text)
    if imo:
        return [Identifier(imo.group(1), text, "imo")]
    body = _DATES.sub("", _BRACKETED.sub(" ", text))
    out = []
    for token in _CANDIDATE.findall(body):
        number = re.sub(r"[^A-Za-z0-9]", "", token).upper()
        if number.isdigit():
            number = number.lstrip("0")
        if len(number) >= 5 and sum(c.isdigit() for c in number) >= 3:
            out.append(Identifier(number, text, "number"))
    return out


def parse_all(texts: tuple[str, ...]) -> tuple[Identifier, ...]:
    found = {i.number: i for t in texts for i in parse(t)}
    return tuple(found.values())
