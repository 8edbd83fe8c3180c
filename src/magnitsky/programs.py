"""Program keys: from a source's raw tag to the OpenSanctions program vocabulary."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class Program:
    key: str
    jurisdiction: str
    title: str
    magnitsky: bool
    tags: tuple[str, ...]
    first_listings: date | None = None
    """No one can have been listed under the program before this day."""


@cache
def programs() -> dict[str, Program]:
    text = resources.files("magnitsky").joinpath("data/programs.toml").read_text("utf-8")
    table = tomllib.loads(text)["programs"]
    return {
        key: Program(
            key,
            v["jurisdiction"],
            v["title"],
            v["magnitsky"],
            tuple(v["tags"]),
            date.fromisoformat(v["first_listings"]) if v.get("first_listings") else None,
        )
        for key, v in table.items()
    }


def first_listing(key: str) -> date | None:
    program = programs().get(key)
    return program.first_listings if program else None


@cache
def _by_tag(jurisdiction: str) -> dict[str, str]:
    return {
        tag: p.key for p in programs().values() if p.jurisdiction == jurisdiction for tag in p.tags
    }


@cache
def program_key(jurisdiction: str, tag: str) -> str:
    """The program key of a raw tag: ``GLOMAG`` -> ``US-GLOMAG``; unknown tags keep their
    name under the jurisdiction's prefix (``SDGT`` -> ``US-SDGT``)."""
    tag = tag.strip()
    known = _by_tag(jurisdiction).get(tag)
    if known:
        return known
    return f"{jurisdiction}-" + re.sub(r"[^A-Za-z0-9]+", "-", tag).strip("-").upper()


def is_magnitsky(key: str) -> bool:
    program = programs().get(key)
    return bool(program and program.magnitsky)


def tags_for(key: str) -> tuple[str, ...]:
    """The raw tags of a program key (inverse of :func:`program_key`)."""
    program = programs().get(key)
    if program:
        return program.tags
    return (key.split("-", 1)[1],) if "-" in key else (key,)
