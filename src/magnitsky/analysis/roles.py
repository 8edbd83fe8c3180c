"""Roles of designated individuals (judge, minister, police …) read from the list's title
and the free-text clauses of the remarks, by the rules in ``data/roles.toml``. Each role
comes with the words that showed it and the field they are in."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from magnitsky.analysis.basis import source_label
from magnitsky.analysis.countries import is_country_name
from magnitsky.readers.ofac_remarks import read_remarks, split_clauses

_NOT_A_ROLE = re.compile(
    r"^(?:gender|additional sanctions information|target type|organization (?:established|type)"
    r"|website|email|phone|secondary sanctions|vessel|digital currency)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Rule:
    role: str
    patterns: tuple[re.Pattern[str], ...]
    unless: tuple[re.Pattern[str], ...]
    text_label: str | None = None
    """The label the official-text rules give the same role (``data/evidence/roles.toml``)."""
    screen: re.Pattern[str] | None = None
    """The patterns as one alternation (named groups made plain): where it finds nothing,
    no pattern matches, so the rule is not tried pattern by pattern (one scan of a clause
    instead of one a pattern; the same roles: each alternative is a pattern as
    :func:`_compile` wraps it, and the country check only narrows a match)."""


@dataclass(frozen=True)
class Role:
    role: str
    words: str  # the text that matched
    field: str  # title | remarks
    clause: str

    def evidence(self, where: str = "") -> str:
        source = f" ({where} {self.field})" if where else f" ({self.field})"
        return f"{self.role}: {self.words!r} in {self.clause!r}{source}"


def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w)(?:{pattern})(?!\w)", re.IGNORECASE)


_GROUP = re.compile(r"\(\?P<\w+>")


def _screen(patterns: Iterable[str]) -> re.Pattern[str]:
    return _compile("|".join(f"(?:{_GROUP.sub('(?:', p)})" for p in patterns))


@cache
def rules() -> tuple[Rule, ...]:
    text = resources.files("magnitsky").joinpath("data/roles.toml").read_text("utf-8")
    return tuple(
        Rule(
            r["role"],
            tuple(_compile(p) for p in r["patterns"]),
            tuple(_compile(p) for p in r.get("unless", ())),
            r.get("text_label"),
            _screen(r["patterns"]),
        )
        for r in tomllib.loads(text)["roles"]
    )


ROLES: tuple[str, ...] = tuple(r.role for r in rules())


def from_text(label: str) -> str:
    """The role a label of the official-text rules names (``head_of_state`` -> "head of
    state or government"); a label the list's rules lack keeps its words ("investigator")."""
    named = {r.text_label: r.role for r in rules() if r.text_label}
    return named.get(label, label.replace("_", " "))


def _match(rule: Rule, clause: str) -> str | None:
    if rule.screen is not None and rule.screen.search(clause) is None:
        return None
    if any(u.search(clause) for u in rule.unless):
        return None
    for pattern in rule.patterns:
        for found in pattern.finditer(clause):
            country = found.groupdict().get("country")
            if country is None or is_country_name(country.strip()):
                return found.group(0)
    return None


@lru_cache(maxsize=50_000)
def free_clauses(remarks: str | None) -> tuple[str, ...]:
    """The clauses of OFAC remarks that are none of the known kinds (alias, birth date,
    identifier, Linked To …): where OFAC puts a position it has no column for. Kept per
    text: the analysis asks again for the same remarks."""
    out = []
    for clause in split_clauses((remarks or "").strip().rstrip(".")):
        parsed = read_remarks(clause)
        if any(vars(parsed).values()) or _NOT_A_ROLE.match(clause):
            continue
        out.append(clause)
    return tuple(out)


def _clauses(row: Mapping[str, Any]) -> Iterable[tuple[str, str]]:
    for clause in split_clauses(row.get("title") or ""):
        yield "title", clause
    for clause in free_clauses(row.get("remarks")):
        yield "remarks", clause


def roles_of(row: Mapping[str, Any]) -> list[Role]:
    """Every role the title and remarks of an individual show (none for entities)."""
    if row.get("schema") != "Person":
        return []
    found: dict[str, Role] = {}
    for field, clause in _clauses(row):
        for rule in rules():
            words = None if rule.role in found else _match(rule, clause)
            if words:
                found[rule.role] = Role(rule.role, words, field, clause)
    return [found[r] for r in ROLES if r in found]


def evidence(row: Mapping[str, Any], found: Iterable[Role]) -> list[str]:
    where = source_label(row)
    return [r.evidence(where) for r in found]
