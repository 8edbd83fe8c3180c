"""Matchers: does a listing of one list name the same person as a listing of another?

As in nomenklatura, each matcher is a small class: a name, a list of named features
with weights, and two thresholds. A feature measures one thing about the pair (0–1) and
says what it saw; the score is the weighted sum, clipped to 0–1, and the decision keeps
every feature that counted with its evidence. Above ``automatic`` the pair is matched;
between ``possible`` and ``automatic`` it waits for a person's judgement
(``magnitsky match review``); below, it is not a match.

A Person is never compared with an Organization, nor a vessel with an aircraft: the
matcher of a pair is chosen by its schema, and a pair of two schemas has none.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any, ClassVar, Generic, TypeVar, overload

from magnitsky.matching import bound, dates, names
from magnitsky.matching.listings import Key
from magnitsky.matching.profile import Profile, TokenFrequencies

AUTOMATIC = "automatic"
POSSIBLE = "possible"
NO_MATCH = "no_match"


_T = TypeVar("_T")


class _once(Generic[_T]):
    """A value computed on first use and kept in the instance, as
    ``functools.cached_property`` does, without its lock (Python 3.11 takes one at every
    first use: a comparison is made and read for every candidate pair)."""

    def __init__(self, func: Callable[[Any], _T]) -> None:
        self.func = func
        self.name = func.__name__
        self.__doc__ = func.__doc__

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> _once[_T]: ...
    @overload
    def __get__(self, instance: object, owner: type | None = None) -> _T: ...
    def __get__(self, instance: object | None, owner: type | None = None) -> _T | _once[_T]:
        if instance is None:
            return self
        value = self.func(instance)
        instance.__dict__[self.name] = value  # later reads find it there, not here
        return value


class Comparison:
    """A pair of listings under comparison: what several features share (the best
    name alignment, the birth dates) is computed once."""

    def __init__(self, left: Profile, right: Profile, frequencies: TokenFrequencies) -> None:
        self.left = left
        self.right = right
        self.frequencies = frequencies

    @_once
    def alignment(self) -> names.Alignment | None:
        # A person named by one word alone is known by another name too (the matcher
        # does not take "ABDULLAH" = "ABDULLAH" for the same person); an organisation
        # often has a one-word name ("Lehava").
        single = self.left.schema != "Person"
        return names.best_alignment(self.left.names, self.right.names, single)

    @_once
    def primary_alignment(self) -> names.Alignment | None:
        """The listings' own names aligned, without their aliases."""
        single = self.left.schema != "Person"
        return names.best_alignment(self.left.primary, self.right.primary, single)

    @_once
    def name_bound(self) -> float:
        """At least :attr:`alignment`'s score, without aligning (matching/bound.py)."""
        single = self.left.schema != "Person"
        return bound.name_bound(self.left.names, self.right.names, single)

    @_once
    def births(self) -> dates.DateAgreement:
        return dates.compare(self.left.births, self.right.births)

    @_once
    def shared_ids(self) -> list[str]:
        right = {i.number for i in self.right.ids}
        return [i.text for i in self.left.ids if i.number in right]

    def name_information(self) -> float:
        """Bits of information of the aligned tokens (the rarer one of each pair)."""
        if self.alignment is None:
            return 0.0
        schema = self.left.schema
        return sum(
            max(
                self.frequencies.information(schema, a),
                self.frequencies.information(schema, b),
            )
            * sim
            for a, b, sim, _ in self.alignment.pairs
        )


Measure = Callable[[Comparison], tuple[float, str]]


@dataclass(frozen=True)
class Feature:
    name: str
    weight: float
    measure: Measure
    doc: str


@dataclass(frozen=True)
class FeatureScore:
    name: str
    weight: float
    value: float
    evidence: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "feature": self.name,
            "weight": self.weight,
            "value": round(self.value, 4),
            "evidence": self.evidence,
        }


@dataclass(frozen=True)
class Decision:
    left: Key
    right: Key
    matcher: str
    score: float
    status: str
    """automatic | possible | no_match"""
    features: tuple[FeatureScore, ...]
    primary_score: float | None = None
    """How well the two listings' own names agree, aliases aside (for a match: an
    alias several entities share, such as "Ansar al-Sharia", joins weaker than agreeing
    names)."""

    def evidence(self) -> list[dict[str, Any]]:
        return [f.as_dict() for f in self.features]

    def explain(self) -> str:
        return "; ".join(
            f"{f.name} {f.weight * f.value:+.2f} ({f.evidence})" for f in self.features
        )


# --- features -------------------------------------------------------------------------


def name_similarity(c: Comparison) -> tuple[float, str]:
    found = c.alignment
    return (found.score, found.explain()) if found else (0.0, "no name to compare")


def name_contained(c: Comparison) -> tuple[float, str]:
    found = c.alignment
    if found is None or not found.contained:
        return 0.0, ""
    return 1.0, f"{found.left.original!r} / {found.right.original!r}"


def birth_date_same(c: Comparison) -> tuple[float, str]:
    return (1.0, c.births.evidence) if c.births.kind == "same_day" else (0.0, "")


def birth_year_same(c: Comparison) -> tuple[float, str]:
    return (1.0, c.births.evidence) if c.births.kind == "same_year" else (0.0, "")


def birth_date_conflict(c: Comparison) -> tuple[float, str]:
    return (1.0, c.births.evidence) if c.births.kind == "conflict" else (0.0, "")


def identifier_shared(c: Comparison) -> tuple[float, str]:
    shared = c.shared_ids
    return (1.0, "; ".join(shared)) if shared else (0.0, "")


def imo_conflict(c: Comparison) -> tuple[float, str]:
    left = {i.number for i in c.left.ids if i.kind == "imo"}
    right = {i.number for i in c.right.ids if i.kind == "imo"}
    if left and right and not left & right:
        return 1.0, f"IMO {', '.join(sorted(left))} / {', '.join(sorted(right))}"
    return 0.0, ""


def country_shared(c: Comparison) -> tuple[float, str]:
    shared = c.left.countries & c.right.countries
    return (1.0, ", ".join(sorted(shared))) if shared else (0.0, "")


def country_conflict(c: Comparison) -> tuple[float, str]:
    left, right = c.left.countries, c.right.countries
    if left and right and not left & right:
        return 1.0, f"{', '.join(sorted(left))} / {', '.join(sorted(right))}"
    return 0.0, ""


COMMON_NAME_BITS = 16.0
"""Aligned tokens carrying less information than this make a common name: two persons
called "Mohammed Ali" are not the same person on their names alone."""


def common_name(c: Comparison) -> tuple[float, str]:
    bits = c.name_information()
    if c.alignment is None or bits >= COMMON_NAME_BITS:
        return 0.0, ""
    value = 1.0 - bits / COMMON_NAME_BITS
    return value, f"{bits:.1f} bits in {' '.join(a for a, _, _, _ in c.alignment.pairs)}"


def name_extra_words(c: Comparison) -> tuple[float, str]:
    """Words one organisation's name adds to the whole of the other's: often a branch,
    a unit or a subsidiary ("Popular Front for the Liberation of Palestine – General
    Command", "Tactical Missiles Corporation, Elektrotyaga JSC")."""
    found = c.alignment
    if found is None or not found.contained:
        return 0.0, ""
    longer = found.left if len(found.left.tokens) > len(found.right.tokens) else found.right
    paired = {a for a, _, _, _ in found.pairs} | {b for _, b, _, _ in found.pairs}
    extra = [t.text for t in longer.tokens if t.text not in paired]
    return min(len(extra), 3) / 3, " ".join(extra)


def legal_form_conflict(c: Comparison) -> tuple[float, str]:
    found = c.alignment
    if found is None:
        return 0.0, ""
    left, right = found.left.legal, found.right.legal
    if left and right and not left & right:
        return 1.0, f"{', '.join(sorted(left))} / {', '.join(sorted(right))}"
    return 0.0, ""


WITHOUT_ALIGNMENT = frozenset(
    {
        birth_date_same,
        birth_year_same,
        birth_date_conflict,
        identifier_shared,
        imo_conflict,
        country_shared,
        country_conflict,
    }
)
"""Features measured without the name alignment: cheap, so the bound takes them exactly."""


VALUES: dict[Measure, Callable[[Comparison], float]] = {
    birth_date_same: lambda c: 1.0 if c.births.kind == "same_day" else 0.0,
    birth_year_same: lambda c: 1.0 if c.births.kind == "same_year" else 0.0,
    birth_date_conflict: lambda c: 1.0 if c.births.kind == "conflict" else 0.0,
    identifier_shared: lambda c: 1.0 if c.shared_ids else 0.0,
    imo_conflict: lambda c: imo_conflict(c)[0],  # vessels: few
    country_shared: lambda c: 1.0 if c.left.countries & c.right.countries else 0.0,
    country_conflict: lambda c: (
        1.0
        if c.left.countries and c.right.countries and not c.left.countries & c.right.countries
        else 0.0
    ),
}
"""The value alone of each feature of :data:`WITHOUT_ALIGNMENT`, as its measure gives it
(without the evidence's text): what the bound of every candidate pair reads."""
assert set(VALUES) == WITHOUT_ALIGNMENT


# --- matchers -------------------------------------------------------------------------


def _clipped(terms: list[float | None], name: float) -> float:
    """The bound from its terms, summed in the features' order (``None``: the name's)."""
    total = 0.0
    for term in terms:
        total += name if term is None else term
    return round(min(max(total, 0.0), 1.0) + bound.MARGIN, 4) + bound.MARGIN


class Matcher:
    name: ClassVar[str]
    features: ClassVar[tuple[Feature, ...]]
    automatic: ClassVar[float] = 0.9
    possible: ClassVar[float] = 0.7

    def upper_bound(self, comparison: Comparison) -> float:
        """At least the score :meth:`compare` gives, without aligning the names: the
        name similarity's bound, the features that need no alignment exactly, and every
        other feature at its most (1 if it adds, 0 if it takes away). A pair that cannot
        reach ``possible`` whatever its names (birth dates and countries in conflict)
        gets that bound, its names not compared at all."""
        terms: list[float | None] = [
            None if value is None else weight * value(comparison) if callable(value) else value
            for weight, value in self._bound_plan
        ]
        most = _clipped(terms, self._name_weight * bound.NAME_MOST)
        if most < self.possible:
            return most
        return _clipped(terms, self._name_weight * comparison.name_bound)

    @cached_property
    def _bound_plan(self) -> list[tuple[float, Callable[[Comparison], float] | float | None]]:
        """Each feature's part in the bound: None for the name's, its value's measure for
        those measured exactly, else its most (its weight if it adds, 0 if it takes)."""
        return [
            (
                f.weight,
                None
                if f.measure is name_similarity
                else VALUES[f.measure]
                if f.measure in WITHOUT_ALIGNMENT
                else max(f.weight, 0.0),
            )
            for f in self.features
        ]

    @cached_property
    def _name_weight(self) -> float:
        return sum(f.weight for f in self.features if f.measure is name_similarity)

    def compare(self, comparison: Comparison) -> Decision:
        scored = []
        total = 0.0
        for feature in self.features:
            value, evidence = feature.measure(comparison)
            if value:
                scored.append(FeatureScore(feature.name, feature.weight, value, evidence))
                total += feature.weight * value
        score = round(min(max(total, 0.0), 1.0), 4)
        status = (
            AUTOMATIC
            if score >= self.automatic
            else POSSIBLE
            if score >= self.possible
            else NO_MATCH
        )
        primary = None
        if status != NO_MATCH:
            found = comparison.primary_alignment
            primary = found.score if found else 0.0
        return Decision(
            comparison.left.key,
            comparison.right.key,
            self.name,
            score,
            status,
            tuple(scored),
            primary,
        )


class PersonMatcher(Matcher):
    """Individuals: names (any script, any order, aliases), birth dates, identifier
    numbers, countries; a common name needs more than the name."""

    name = "person-v1"
    features = (
        Feature("name_similarity", 1.0, name_similarity, "best aligned pair of names"),
        Feature("name_contained", 0.05, name_contained, "one name is the other, shortened"),
        Feature("birth_date_same", 0.2, birth_date_same, "a birth day in common"),
        Feature("birth_year_same", 0.05, birth_year_same, "birth years overlap, no same day"),
        Feature("birth_date_conflict", -0.3, birth_date_conflict, "both state, none overlap"),
        Feature("identifier_shared", 0.3, identifier_shared, "a passport or id number"),
        Feature("country_shared", 0.05, country_shared, "a country in common"),
        Feature("country_conflict", -0.15, country_conflict, "both state, none in common"),
        Feature("common_name", -0.2, common_name, "the aligned tokens are frequent"),
    )


class OrganizationMatcher(Matcher):
    """Companies and other entities: names without their legal form, the legal form,
    registration and tax numbers, countries."""

    name = "organization-v1"
    features = (
        Feature("name_similarity", 1.0, name_similarity, "best aligned pair of names"),
        Feature("name_extra_words", -0.15, name_extra_words, "one name adds words to the other"),
        Feature("legal_form_conflict", -0.15, legal_form_conflict, "LLC / JSC …"),
        Feature("identifier_shared", 0.3, identifier_shared, "a registration or tax number"),
        Feature("country_shared", 0.05, country_shared, "a country in common"),
        Feature("country_conflict", -0.15, country_conflict, "both state, none in common"),
        Feature("common_name", -0.2, common_name, "the aligned tokens are frequent"),
    )


class PropertyMatcher(Matcher):
    """Vessels and aircraft: many share a name, so a name alone stays below the
    thresholds; the IMO or tail number decides."""

    name = "property-v1"
    features = (
        Feature("name_similarity", 0.6, name_similarity, "best aligned pair of names"),
        Feature("identifier_shared", 0.4, identifier_shared, "IMO, MMSI or tail number"),
        Feature("imo_conflict", -0.6, imo_conflict, "both state an IMO number, not the same"),
    )


MATCHERS: dict[str, Matcher] = {
    "Person": PersonMatcher(),
    "Organization": OrganizationMatcher(),
    "Vessel": PropertyMatcher(),
    "Airplane": PropertyMatcher(),
}


def compare(left: Profile, right: Profile, frequencies: TokenFrequencies) -> Decision | None:
    """The decision on a pair, or None when their schemas differ (never a match)."""
    if left.schema != right.schema:
        return None
    return MATCHERS[left.schema].compare(Comparison(left, right, frequencies))


def compare_bounded(
    left: Profile, right: Profile, frequencies: TokenFrequencies
) -> Decision | None:
    """The decision on a pair that may be a match; None when its schemas differ or when
    its score's upper bound is below the ``possible`` threshold (not a match: the names
    are not aligned at all)."""
    if left.schema != right.schema:
        return None
    matcher = MATCHERS[left.schema]
    comparison = Comparison(left, right, frequencies)
    if matcher.upper_bound(comparison) < matcher.possible:
        return None
    return matcher.compare(comparison)
