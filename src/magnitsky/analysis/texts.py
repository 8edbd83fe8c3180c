"""What the official texts read (Treasury press releases, Federal Register notices) say
about each designation: its basis, abuse themes, corruption types, victim groups and roles,
each with the sentence that shows it (the facts are kept by :mod:`magnitsky.history.texts`).

A text speaks about a designation when it designates the entry under the designation's
program tag, and was published in its listing period: not after its delisting, nor more
than :data:`LIST_LAG` before the earliest day it may have been listed (a text from long
before is about an earlier listing of the entry). A basis the text leaves open (a leader
of an entity whose conduct it does not state) does not override the list.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from functools import cache
from typing import Any

from magnitsky.analysis import roles as list_roles
from magnitsky.analysis.basis import Evidence
from magnitsky.store import Store

Fact = Mapping[str, Any]
Row = Mapping[str, Any]

OFFICIAL = "official text"
LIST = "list"
ORDER = ("human_rights", "corruption", "ties")
"""Strongest first: a text showing own conduct wins over ties in the same text."""
LIST_LAG = timedelta(days=31)
THEMES = ("abuse", "corruption")
VICTIM = "victim"
_KIND_WORDS = {"press_release": "Treasury press release", "federal_register": "Federal Register"}
WORDS = {
    "extrajudicial_killing": "extrajudicial killing",
    "lgbtqia": "LGBTQIA+ persons",
    "indigenous": "Indigenous persons",
    "disabilities": "persons with disabilities",
    "minorities": "religious and ethnic minorities",
    "defenders": "human-rights defenders",
    "repression_of_defenders": "repression of human-rights defenders",
    "procurement": "procurement corruption",
    "natural_resources": "natural-resource corruption",
}
"""Labels of the evidence rules said in words; any other label: its underscores as spaces."""


def words(label: str) -> str:
    return WORDS.get(label, label.replace("_", " "))


@cache
def vocabulary() -> dict[str, tuple[str, ...]]:
    """Every label the evidence rules (``data/evidence/*.toml``) can find, per kind:
    abuse, corruption, victim, role."""
    from magnitsky.evidence.rules import fact_rules

    out: dict[str, list[str]] = {}
    for rule in fact_rules():
        labels = out.setdefault(rule.kind, [])
        if rule.label not in labels:
            labels.append(rule.label)
    return {kind: tuple(labels) for kind, labels in out.items()}


def kind_of(label: str) -> str | None:
    """abuse | corruption | victim | role: the kind of an evidence label."""
    return next((k for k, labels in vocabulary().items() if label in labels), None)


def _source(fact: Fact) -> str:
    if fact.get("text_kind") == "statement_of_reasons":
        return str(fact.get("document"))
    kind = _KIND_WORDS.get(str(fact.get("text_kind")), "official text")
    published = fact.get("published")
    when = f" of {published.isoformat()}" if isinstance(published, date) else ""
    url = f", {fact['url']}" if fact.get("url") else ""
    return f"{kind} {fact.get('document')}{when}{url}"


def evidence(fact: Fact) -> str:
    """``label: 'matched' in 'sentence'`` (with the E.O. 13818 section of a basis)."""
    section = f" (s. {fact['section']})" if fact.get("section") else ""
    return f"{fact['label']}{section}: {fact['matched']!r} in {fact['sentence']!r}"


def _about(facts: Sequence[Fact], kinds: Sequence[str]) -> tuple[list[str], list[str]]:
    """(labels, evidence of each label's first fact) of the facts of some kinds."""
    first: dict[str, Fact] = {}
    for kind in kinds:
        for fact in facts:
            if fact["kind"] == kind:
                first.setdefault(fact["label"], fact)
    return list(first), [f"{evidence(f)} ({_source(f)})" for f in first.values()]


class OfficialTexts:
    """The facts of the texts read, per list entry. Called on a designation it is the
    ``extra`` hook of :func:`magnitsky.analysis.basis.classify` (the basis evidence,
    strongest first); :meth:`about` gives everything else the texts say."""

    def __init__(
        self, facts: Mapping[tuple[str, str], Sequence[Fact]], store: Store | None = None
    ) -> None:
        self.by_entry: dict[tuple[str, str], list[Fact]] = {k: list(v) for k, v in facts.items()}
        self.store = store
        self.read: set[str] = {"us-ofac-sdn"}

    @classmethod
    def of(cls, store: Store) -> OfficialTexts:
        """The texts linked to OFAC entries now; a list's statements of reasons when a
        designation of that list is first asked about (reading them takes a moment)."""
        from magnitsky.history.texts import facts_by_entry

        return cls(facts_by_entry(store, reasons_of=()), store)

    def read_every(self, sources: Iterable[str]) -> None:
        """Read now the statements of reasons of every list of ``sources`` (then nothing
        is read from the store later)."""
        for source in sorted(set(sources) - self.read):
            self._read_reasons(source)

    def _read_reasons(self, source: str) -> None:
        from magnitsky.history.texts import reasons_facts

        self.read.add(source)
        if self.store is not None:
            for entry, facts in reasons_facts(self.store, (source,)).items():
                self.by_entry.setdefault(entry, []).extend(facts)

    def facts(self, row: Row) -> list[Fact]:
        """The facts of the texts that designate this entry under this designation's tag
        in this listing period."""
        lo, off = row.get("listed_not_before"), row.get("delisted_on")
        entry = (str(row.get("source") or "us-ofac-sdn"), str(row.get("source_id")))
        if entry[0] not in self.read:
            self._read_reasons(entry[0])
        return [
            f
            for f in self.by_entry.get(entry, ())
            if row.get("tag") in (f.get("tags") or ())
            and (f["published"] is None or off is None or f["published"] <= off)
            and (f["published"] is None or lo is None or f["published"] >= lo - LIST_LAG)
        ]

    def __call__(self, row: Row) -> list[Evidence]:
        return basis_evidence(self.facts(row))

    def about(self, row: Row) -> dict[str, Any]:
        return about(self.facts(row), str(row.get("schema")))


def basis_evidence(facts: Sequence[Fact]) -> list[Evidence]:
    """The basis facts as evidence, strongest class first; a basis whose class the text
    leaves unknown is left out (the list decides then)."""
    chosen = [f for f in facts if f["kind"] == "basis" and f.get("coarse") in ORDER]
    chosen.sort(key=lambda f: ORDER.index(f["coarse"]))
    return [Evidence(f["coarse"], evidence(f), _source(f)) for f in chosen]


def about(facts: Sequence[Fact], schema: str = "Person") -> dict[str, Any]:
    """The fields a designation gains from its texts' facts."""
    themes, theme_evidence = _about(facts, THEMES)
    victims, victim_evidence = _about(facts, (VICTIM,))
    found, role_evidence = _about(facts, ("role",))
    basis = basis_evidence(facts)
    shown = [f for f in facts if f["kind"] in (*THEMES, VICTIM)]
    if basis:
        shown = [f for f in facts if f["kind"] == "basis" and f["coarse"] == basis[0].basis] + shown
    shown = shown or list(facts)
    urls = [f.get("url") or f.get("document") for f in facts]
    return {
        "themes": themes,
        "theme_evidence": theme_evidence,
        "victim_groups": victims,
        "victim_evidence": victim_evidence,
        "text_roles": [list_roles.from_text(r) for r in found] if schema == "Person" else [],
        "text_role_evidence": role_evidence if schema == "Person" else [],
        "evidence_url": "; ".join(dict.fromkeys(str(u) for u in urls if u)) or None,
        "evidence_text": " ".join(dict.fromkeys(str(f["sentence"]) for f in shown)) or None,
    }
