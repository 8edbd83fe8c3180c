"""Facts about one designee from the text about them: basis, abuse themes, corruption
types, victim groups and roles, each with the sentence and offsets that show it."""

from __future__ import annotations

import re
from collections.abc import Sequence

from magnitsky.evidence.basis import basis_facts, choose
from magnitsky.evidence.facts import BasisFact, Fact, Facts
from magnitsky.evidence.roles import is_own
from magnitsky.evidence.rules import fact_mask, fact_rules
from magnitsky.evidence.text import Span, masked, sentences

_FIELDS = {"abuse": "abuse", "corruption": "corruption", "victim": "victims", "role": "roles"}


def _scope(text: str, spans: list[Span], basis_sentences: Sequence[str]) -> list[Span]:
    """The sentences of ``text`` that overlap one of ``basis_sentences``."""
    places = []
    for sentence in basis_sentences:
        at = text.find(sentence)
        if at >= 0:
            places.append((at, at + len(sentence)))
    return [s for s in spans if any(a < s.end and s.start < b for a, b in places)]


def _basis(text: str, spans: list[Span], basis_sentences: Sequence[str]) -> list[BasisFact]:
    scope = _scope(text, spans, basis_sentences) if basis_sentences else spans
    chosen = choose(basis_facts(text, scope))
    if not chosen and scope is not spans:
        # The designation sentence says nothing of why: the rest of the text may.
        chosen = choose(basis_facts(text, spans))
    return list(chosen)


def _named(names: Sequence[str]) -> re.Pattern[str] | None:
    """The designee's names, and the surname part of each ("Rosas Camba", "Qado")."""
    forms = set(names)
    for name in names:
        tokens = name.replace(",", "").split()
        if len(tokens) > 1:
            forms.add(" ".join(tokens[-2:] if len(tokens) > 2 else tokens[-1:]))
    if not forms:
        return None
    body = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", re.IGNORECASE)


def _facts(text: str, spans: list[Span], names: Sequence[str]) -> list[Fact]:
    view = masked(text, fact_mask())
    named = _named(names)
    found: list[Fact] = []
    for span in spans:
        part = view[span.start : span.end]
        # A role is stated of someone the sentence names: "Cephus is the current
        # Solicitor General", not "the leader of Solway's mining operations" in a
        # paragraph about a company.
        own_sentence = named is None or bool(named.search(span.text))
        for rule in fact_rules():
            if rule.kind == "role" and not own_sentence:
                continue
            for match in rule.matches(part):
                if rule.kind == "role" and not is_own(rule, match, part, match.start(), names):
                    continue
                found.append(
                    Fact(
                        rule.kind,
                        rule.label,
                        span.text,
                        span.start + match.start(),
                        span.start + match.end(),
                        span.text[match.start() : match.end()],
                    )
                )
                break  # one fact per rule and sentence
    return found


def extract(
    designee_text: str, basis_sentences: Sequence[str] = (), names: Sequence[str] = ()
) -> Facts:
    """The facts a text states about a designee.

    ``basis_sentences`` (the sentences that designate this designee, as a reader found
    them) limit where the basis is read, so that the basis of another designee named in
    the same paragraph is not taken; without them every sentence counts. ``names`` (the
    designee's name and short forms) tell the designee's titles from other people's."""
    spans = sentences(designee_text)
    facts = Facts(basis=_basis(designee_text, spans, basis_sentences))
    for fact in _facts(designee_text, spans, names):
        getattr(facts, _FIELDS[fact.kind]).append(fact)
    return facts
