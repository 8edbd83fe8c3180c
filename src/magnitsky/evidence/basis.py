"""The basis of a designation, read from sentences: a stated E.O. 13818 section, the
order's words (``data/evidence/basis.toml``), or failing both a plain description."""

from __future__ import annotations

import re
from collections.abc import Sequence

from magnitsky.evidence.facts import BasisFact
from magnitsky.evidence.rules import BasisConfig, Rule, basis_config
from magnitsky.evidence.text import Span, masked

_SECTION = re.compile(r"\bsection 1\(a\)\((ii|iii)\)\(([A-D])\)(?:\((\d)\))?", re.I)
# Bases that point at what someone else did or is: the led entity, the supported person.
_TIED = ("leader_of", "support", "attempt", "owned_controlled", "acting_for")
_OWNED = re.compile(r"\b(?:owned|controlled) by\b", re.I)


def _first(rules: Sequence[Rule], text: str) -> tuple[Rule, re.Match[str]] | None:
    for rule in rules:
        found = rule.matches(text)
        if found:
            return rule, found[0]
    return None


def _conduct(config: BasisConfig, text: str) -> str | None:
    hit = _first(config.conduct, text)
    return hit[0].label if hit else None


def _refined(section: str | None, label: str, conduct: str | None) -> str | None:
    """(ii)(C)(1) leads an entity that abused or was corrupt, (ii)(C)(2) a blocked one."""
    if section == "1(a)(ii)(C)" and label == "leader_of" and conduct:
        return section + ("(2)" if conduct == "blocked" else "(1)")
    return section


def _stated(config: BasisConfig, span: Span, view: str, offset: int) -> BasisFact | None:
    found = _SECTION.search(view)
    if not found:
        return None
    section = f"1(a)({found.group(1).lower()})({found.group(2).upper()})"
    label = config.sections.get(section)
    if label is None:
        return None
    if label == "owned_or_acting":
        label = "owned_controlled" if _OWNED.search(view) else "acting_for"
    if found.group(3):
        section += f"({found.group(3)})"
    conduct = _conduct(config, view[found.end() :]) if label in _TIED else None
    return BasisFact(
        "basis",
        label,
        span.text,
        offset + found.start(),
        offset + found.end(),
        found.group(0),
        section,
        True,
        conduct,
        "formula",
    )


def _worded(config: BasisConfig, span: Span, view: str, offset: int) -> BasisFact | None:
    hit = _first(config.rules, view)
    if hit is None:
        return None
    rule, match = hit
    conduct = _conduct(config, view[match.start() :]) if rule.label in _TIED else None
    return BasisFact(
        "basis",
        rule.label,
        span.text,
        offset + match.start(),
        offset + match.end(),
        span.text[match.start() : match.end()],
        _refined(rule.section, rule.label, conduct),
        False,
        conduct,
        rule.strength,
    )


def basis_facts(text: str, spans: Sequence[Span]) -> list[BasisFact]:
    """At most one basis per sentence: a stated section first, else the first rule."""
    config = basis_config()
    view = masked(text, config.mask)
    facts = []
    for span in spans:
        part = view[span.start : span.end]
        fact = _stated(config, span, part, span.start) or _worded(config, span, part, span.start)
        if fact:
            facts.append(fact)
    return facts


def choose(facts: Sequence[BasisFact]) -> list[BasisFact]:
    """The order's words (or a stated section) where any sentence has them, else plain
    descriptions; one fact per label."""
    formula = [f for f in facts if f.strength == "formula"]
    chosen: dict[str, BasisFact] = {}
    for fact in formula or facts:
        chosen.setdefault(fact.label, fact)
    return list(chosen.values())
