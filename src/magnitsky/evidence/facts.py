"""Facts read from an official text about one designee, each with its evidence: the
sentence, and the character offsets of the matched words in the designee's text."""

from __future__ import annotations

from dataclasses import dataclass, field

from magnitsky.evidence.rules import basis_config

COARSE = ("human_rights", "corruption", "ties", "unknown")


@dataclass(frozen=True)
class Fact:
    kind: str
    """basis | abuse | corruption | victim | role"""
    label: str
    sentence: str
    start: int
    end: int
    matched: str

    def evidence(self) -> str:
        return f"{self.label}: {self.matched!r} in {self.sentence!r}"


@dataclass(frozen=True)
class BasisFact(Fact):
    section: str | None = None
    """E.O. 13818 section, as ``1(a)(ii)(A)``; None for another order's criterion."""
    section_stated: bool = False
    """True when the text names the section, False when it is inferred from the words."""
    conduct: str | None = None
    """For leader_of, support, attempt: human_rights | corruption | blocked | None."""
    strength: str = "formula"
    """formula (the order's words or a stated section) | description (plain words)."""

    @property
    def coarse(self) -> str:
        return coarse(self.label, self.conduct)


def coarse(basis: str, conduct: str | None = None) -> str:
    """The coarse class of a basis: human_rights | corruption | ties | unknown.

    Following DOMAIN.md, direct involvement is human_rights and corruption; ties are
    support, owned or controlled, acting for, family. A leader (s. 1(a)(ii)(C)) or an
    attempt (ii)(D) takes the class of the conduct: a leader of a unit that committed
    serious human rights abuse is counted with human rights, a leader of a blocked entity
    (ii)(C)(2) with ties, and without a stated conduct the class is unknown. The mapping
    is data (``[coarse]`` in ``data/evidence/basis.toml``)."""
    rule = basis_config().coarse.get(basis)
    if rule is None:
        return "unknown"
    if rule != "conduct":
        return rule
    if conduct in ("human_rights", "corruption"):
        return conduct
    return "ties" if conduct == "blocked" else "unknown"


@dataclass
class Facts:
    basis: list[BasisFact] = field(default_factory=list)
    abuse: list[Fact] = field(default_factory=list)
    corruption: list[Fact] = field(default_factory=list)
    victims: list[Fact] = field(default_factory=list)
    roles: list[Fact] = field(default_factory=list)

    def all(self) -> list[Fact]:
        return [*self.basis, *self.abuse, *self.corruption, *self.victims, *self.roles]

    def labels(self, kind: str) -> list[str]:
        """The distinct labels of one kind, in the order they were found."""
        return list(dict.fromkeys(f.label for f in self.all() if f.kind == kind))

    @property
    def themes(self) -> list[str]:
        """Abuse themes and corruption types together."""
        return [*self.labels("abuse"), *self.labels("corruption")]

    @property
    def coarse(self) -> str:
        """The designee's coarse class: a direct class if any basis has one, else ties,
        else unknown."""
        classes = [b.coarse for b in self.basis]
        for wanted in ("human_rights", "corruption", "ties"):
            if wanted in classes:
                return wanted
        return "unknown"
