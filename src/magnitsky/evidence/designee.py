"""A person or entity an official text designates, with the text about them: what the
press-release and Federal Register readers return, and what extraction reads."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources

from magnitsky.evidence.extract import extract
from magnitsky.evidence.facts import Facts
from magnitsky.listing import Listing

_ANY_ORDER = re.compile(r"\b(?:E\.\s?O\.\)?|Executive Order)\s*(\d{5})\b")


@dataclass(frozen=True)
class Designee:
    name: str
    """The fullest form of the name the text writes ("Alexandre de Moraes")."""
    paragraphs: tuple[str, ...]
    """The passages about the designee, verbatim (whitespace made single)."""
    basis_sentences: tuple[str, ...]
    """The sentences that designate this designee (where the basis is read)."""
    aliases: tuple[str, ...] = ()
    """Short forms and a.k.a. names the text gives ("de Moraes", "Broken Tooth")."""
    authority: str | None = None
    """The authority it is designated under: "E.O. 13818", "Kingpin Act", "E.O. 13469"."""
    program: str | None = None
    """The OFAC program tag of that authority: "GLOMAG", "SDNTK", "ZIMBABWE"."""
    listing: Listing | None = None
    """The SDN entry printed with the designation (Federal Register notices)."""
    action_date: date | None = None
    """The date of the action, where the text states it."""

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)

    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    def facts(self) -> Facts:
        return extract(self.text, self.basis_sentences, self.names(), self.authority)


@cache
def _authorities() -> tuple[tuple[str, str | None, re.Pattern[str]], ...]:
    path = resources.files("magnitsky").joinpath("data/evidence/authorities.toml")
    data = tomllib.loads(path.read_text("utf-8"))
    return tuple(
        (a["name"], a.get("program"), re.compile("|".join(a["patterns"]), re.I))
        for a in data["authority"]
    )


def program_authority(program: str) -> str | None:
    """The one authority an OFAC program tag stands for ("GLOMAG": "E.O. 13818"), or
    None where the tag has several (ZIMBABWE) or none is known."""
    names = {name for name, tag, _ in _authorities() if tag == program}
    return names.pop() if len(names) == 1 else None


def authority_in(text: str) -> tuple[str, str | None] | None:
    """(authority, program) of the first authority ``text`` names, or None."""
    found: list[tuple[int, str, str | None]] = []
    for name, program, pattern in _authorities():
        if match := pattern.search(text):
            found.append((match.start(), name, program))
    if match := _ANY_ORDER.search(text):
        found.append((match.start(), f"E.O. {match.group(1)}", None))
    if not found:
        return None
    _, name, program = min(found, key=lambda f: f[0])
    return name, program
