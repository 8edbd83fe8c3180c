"""Facts about one designee from the text about them: basis, abuse themes, corruption
types, victim groups and roles, each with the sentence and offsets that show it."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

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


GLOBAL_MAGNITSKY = "E.O. 13818"
_CRITERION = re.compile(r"\b(?:for|as)\s+(?:being|having|(?:current|former)\b|[a-z]+ing\b)")


_TIES = ("leader_of", "support", "owned_controlled", "acting_for")


def _of_another(fact: BasisFact, named: re.Pattern[str] | None) -> bool:
    """A basis of ties whose sentence names the designee only after the words: the
    designee is the one tied to, and the basis is the other's ("Aman Holding Company is
    owned or controlled by … Samer Foz" is no basis of Samer Foz; "the leader of the
    99th LID" none of the 99th LID)."""
    if named is None or fact.label not in _TIES:
        return False
    at = fact.sentence.find(fact.matched)
    places = [m.start() for m in named.finditer(fact.sentence)]
    if at < 0 or not places or min(places) < at:
        return False
    # "… owned or controlled by Sandoval …: Bodecarne, Iyari": a list of the designees.
    return ":" not in fact.sentence[at : min(places)]


def _read(text: str, spans: list[Span], named: re.Pattern[str] | None) -> list[BasisFact]:
    return [f for f in basis_facts(text, spans) if not _of_another(f, named)]


def _basis(
    text: str,
    spans: list[Span],
    basis_sentences: Sequence[str],
    order: str | None,
    named: re.Pattern[str] | None = None,
) -> list[BasisFact]:
    scope = _scope(text, spans, basis_sentences) if basis_sentences else spans
    chosen = choose(_read(text, scope, named))
    other = order is not None and order != GLOBAL_MAGNITSKY
    stated = any(_CRITERION.search(s) for s in basis_sentences)
    if not chosen and scope is not spans and not (other and stated):
        # The designation sentence says nothing of why: the rest of the text may. Not
        # where it states another order's criterion that is none of E.O. 13818's ("for
        # operating in the defense sector"): the story around it ("arms deals on behalf
        # of Burma's military") is no basis then.
        chosen = choose(_read(text, spans, named))
    if other:  # the order's own criterion, in E.O. 13818 words: no E.O. 13818 section
        chosen = [replace(f, section=None, section_stated=False) for f in chosen]
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
    designee_text: str,
    basis_sentences: Sequence[str] = (),
    names: Sequence[str] = (),
    order: str | None = None,
) -> Facts:
    """The facts a text states about a designee.

    ``basis_sentences`` (the sentences that designate this designee, as a reader found
    them) limit where the basis is read, so that the basis of another designee named in
    the same paragraph is not taken; without them every sentence counts. ``names`` (the
    designee's name and short forms) tell the designee's titles from other people's.
    ``order``: the authority the designee is designated under, where known; under another
    order than E.O. 13818 a basis has no E.O. 13818 section and is read from the
    designation sentences only."""
    spans = sentences(designee_text)
    named = _named(names)
    facts = Facts(basis=_basis(designee_text, spans, basis_sentences, order, named))
    for fact in _facts(designee_text, spans, names):
        getattr(facts, _FIELDS[fact.kind]).append(fact)
    return facts
