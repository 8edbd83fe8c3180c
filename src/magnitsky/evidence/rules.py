"""The extraction rules, kept as data in ``data/evidence/*.toml`` and compiled once."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from magnitsky.evidence.text import words

BASIS_LABELS = (
    "human_rights",
    "corruption",
    "leader_of",
    "attempt",
    "support",
    "owned_controlled",
    "acting_for",
    "family",
)
KINDS = ("abuse", "corruption", "victim", "role")


@dataclass(frozen=True)
class Rule:
    kind: str
    label: str
    pattern: re.Pattern[str]
    unless: re.Pattern[str] | None = None
    plural: re.Pattern[str] | None = None
    """Plural forms of a role: they count only before the designee's own name."""
    section: str | None = None
    strength: str = "formula"

    def matches(self, text: str) -> list[re.Match[str]]:
        """Matches not cancelled by an overlapping ``unless`` match."""
        found = [*self.pattern.finditer(text)]
        if self.plural is not None:
            found += [*self.plural.finditer(text)]
        if self.unless is None:
            return sorted(found, key=lambda m: m.start())
        blocked = [(m.start(), m.end()) for m in self.unless.finditer(text)]
        return sorted(
            (m for m in found if not any(s < m.end() and m.start() < e for s, e in blocked)),
            key=lambda m: m.start(),
        )


def _data(name: str) -> dict[str, Any]:
    path = resources.files("magnitsky").joinpath(f"data/evidence/{name}.toml")
    return tomllib.loads(path.read_text("utf-8"))


def _pattern(patterns: list[str], where: str) -> re.Pattern[str]:
    pattern = words(patterns)
    if pattern is None:
        raise ValueError(f"data/evidence/{where}: a rule without patterns")
    return pattern


def _rule(data: dict[str, Any], kind: str, where: str) -> Rule:
    return Rule(
        kind=data.get("kind", kind),
        label=data["label"],
        pattern=_pattern(data["patterns"], where),
        unless=words(data.get("unless", [])),
        plural=words(data.get("plural", [])),
        section=data.get("section"),
        strength=data.get("strength", "formula"),
    )


@cache
def fact_rules() -> tuple[Rule, ...]:
    """Abuse themes, corruption types, victim groups and roles."""
    rules = tuple(
        _rule(r, "", f"{name}.toml")
        for name in ("themes", "victims", "roles")
        for r in _data(name)["rules"]
    )
    for rule in rules:
        if rule.kind not in KINDS:
            raise ValueError(f"data/evidence: unknown kind {rule.kind!r} ({rule.label})")
    return rules


@cache
def fact_mask() -> re.Pattern[str] | None:
    return words(_data("themes").get("mask", []))


@cache
def role_context() -> tuple[frozenset[str], frozenset[str]]:
    """(object markers, fillers) of ``roles.toml``."""
    context = _data("roles")["context"]
    return frozenset(context["object_markers"]), frozenset(context["fillers"])


@dataclass(frozen=True)
class BasisConfig:
    rules: tuple[Rule, ...]
    mask: re.Pattern[str] | None
    sections: dict[str, str]
    conduct: tuple[Rule, ...]
    coarse: dict[str, str]


@cache
def basis_config() -> BasisConfig:
    data = _data("basis")
    config = BasisConfig(
        rules=tuple(_rule(r, "basis", "basis.toml") for r in data["rules"]),
        mask=words(data.get("mask", [])),
        sections={s["section"]: s["label"] for s in data["sections"]},
        conduct=tuple(_rule(r, "conduct", "basis.toml") for r in data["conduct"]),
        coarse=dict(data["coarse"]),
    )
    for rule in config.rules:
        if rule.label not in BASIS_LABELS or rule.strength not in ("formula", "description"):
            raise ValueError(f"data/evidence/basis.toml: bad rule {rule.label!r}")
    return config
