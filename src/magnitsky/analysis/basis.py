"""The basis of a designation: human rights abuse, corruption, or ties to a listed person.

Evidence comes first from the caller (``extra``: official press releases and notices, read
by a later issue), then from the rules in ``data/basis.toml`` over the list's own text.
A designation without evidence is ``unknown``: never a guess.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, NamedTuple

from magnitsky.programs import programs

BASES = ("human_rights", "corruption", "ties", "unknown")
DIRECT = ("human_rights", "corruption")
"""Direct involvement: designated for their own abuse or corruption, not for ties."""


@dataclass(frozen=True)
class Evidence:
    """Evidence of the basis from outside the list (a press release, a notice)."""

    basis: str
    text: str
    source: str

    def __post_init__(self) -> None:
        if self.basis not in (*DIRECT, "ties"):
            raise ValueError(f"a basis is one of {BASES[:3]}, not {self.basis!r}")


ExtraEvidence = Callable[[Mapping[str, Any]], Sequence[Evidence]]
"""What a later issue plugs in: the official texts about one designation, strongest first."""


class Judgement(NamedTuple):
    basis: str
    evidence: str | None
    source: str | None = None
    """Where the basis comes from (:data:`SOURCES`); None: not known."""


SOURCES = ("official text", "regime", "list")
"""Where a basis comes from: an official text read (a press release, a notice, a
statement of reasons), the regime itself (a thematic program of one kind), or the list's
own text (its remarks, such as 'Linked To:', or the entry's title)."""


@dataclass(frozen=True)
class Rule:
    basis: str
    fields: tuple[str, ...]
    label: str = ""
    programs: tuple[str, ...] = ()
    words: re.Pattern[str] | None = None
    unless: re.Pattern[str] | None = None


def phrase_pattern(phrases: Sequence[str], joiners: str = "-") -> re.Pattern[str] | None:
    """Whole words or phrases, any case. A word joined to the phrase by one of ``joiners``
    (a hyphen: "anti-corruption") is not a match."""
    if not phrases:
        return None
    body = "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
    edge = rf"[\w{re.escape(joiners)}]"
    return re.compile(rf"(?<!{edge})(?:{body})(?!{edge})", re.IGNORECASE)


@cache
def _config() -> tuple[dict[str, str], tuple[Rule, ...]]:
    text = resources.files("magnitsky").joinpath("data/basis.toml").read_text("utf-8")
    data = tomllib.loads(text)
    rules = tuple(
        Rule(
            basis=r["basis"],
            fields=tuple(r.get("fields") or [r["field"]]),
            label=r.get("label", ""),
            programs=tuple(r.get("programs", ())),
            words=phrase_pattern(r.get("words", ())),
            unless=phrase_pattern(r.get("unless", ())),
        )
        for r in data["rules"]
    )
    for rule in rules:
        if rule.basis not in BASES[:3]:
            raise ValueError(f"data/basis.toml: unknown basis {rule.basis!r}")
    return dict(data.get("sources", {})), rules


def source_label(row: Mapping[str, Any]) -> str:
    source = str(row.get("source") or "")
    return _config()[0].get(source, source)


def _apply(rule: Rule, row: Mapping[str, Any]) -> tuple[str, str] | None:
    """The evidence a rule finds, and where it comes from (:data:`SOURCES`)."""
    where = source_label(row)
    for name in rule.fields:
        if name == "linked_to":
            targets = [t for t in row.get("linked_to") or [] if t]
            if targets:
                return f"{rule.label}: {'; '.join(targets)} ({where} remarks)", "list"
        elif name == "program":
            key = str(row.get("program"))
            if key in rule.programs:
                title = programs()[key].title if key in programs() else key
                return f"program {key} ({title})", "regime"
        else:
            text = row.get(name) or ""
            found = rule.words.search(text) if rule.words else None
            if found and not (rule.unless and rule.unless.search(text)):
                return f"{found.group(0)!r} in {name}: {text!r} ({where} {name})", "list"
    return None


def classify(row: Mapping[str, Any], extra: Sequence[Evidence] = ()) -> Judgement:
    """The basis of one designation and the text that shows it.

    ``row`` needs ``source``, ``program``, ``linked_to``, ``title`` and ``remarks``."""
    if extra:
        first = extra[0].basis
        texts = [f"{e.text} ({e.source})" for e in extra if e.basis == first]
        return Judgement(first, "; ".join(texts), "official text")
    for rule in _config()[1]:
        found = _apply(rule, row)
        if found:
            return Judgement(rule.basis, *found)
    return Judgement("unknown", None)


def is_direct(basis: str) -> bool:
    return basis in DIRECT
