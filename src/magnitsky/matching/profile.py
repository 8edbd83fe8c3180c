"""A listing prepared for comparison: its names, birth dates, identifier numbers and
countries, parsed once; and how common each name token is among all the listings."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import partial

from magnitsky.matching import dates, identifiers, names
from magnitsky.matching.listings import Entry, Key
from magnitsky.matching.names import NameSet

FULL_WEIGHT_BITS = 10.0
"""A name token held by one listing in 2**10 (about a thousand) or fewer weighs fully in
a name; a more common one weighs its share of these bits, never less than MIN_WEIGHT."""
MIN_WEIGHT = 0.2
REFERENCE_LISTINGS = 10_000
"""A handful of listings says nothing about how common a name is: frequencies are taken
as if among at least this many listings (the real lists hold some 30,000)."""


class TokenFrequencies:
    """In how many listings of a schema each name token occurs: a surname shared by
    two listings says more when few listings have it ("gertler") than when thousands do
    ("mohammad")."""

    def __init__(self, named: Iterable[tuple[str, Iterable[str]]]) -> None:
        self.counts: Counter[tuple[str, str]] = Counter()
        self.listings: Counter[str] = Counter()
        self._weights: dict[tuple[str, str], float] = {}
        for schema, texts in named:
            self.listings[schema] += 1
            self.counts.update({(schema, text) for text in texts})

    def information(self, schema: str, token: str) -> float:
        """Bits of information of a token: log2(listings / listings having it)."""
        n = max(self.listings[schema], REFERENCE_LISTINGS)
        return math.log2(n / max(self.counts[(schema, token)], 1))

    def weight(self, schema: str, token: str) -> float:
        found = self._weights.get((schema, token))
        if found is None:  # a token weighs the same in every listing of its schema
            bits = self.information(schema, token)
            found = min(1.0, max(MIN_WEIGHT, bits / FULL_WEIGHT_BITS))
            self._weights[(schema, token)] = found
        return found


@dataclass(frozen=True)
class Profile:
    entry: Entry
    names: NameSet
    primary: NameSet
    """The forms of the listing's own name alone (no alias)."""
    births: tuple[dates.BirthDate, ...]
    ids: tuple[identifiers.Identifier, ...]
    countries: frozenset[str]

    @property
    def key(self) -> Key:
        return self.entry.key

    @property
    def schema(self) -> str:
        return self.entry.schema


def prepare(
    entries: Sequence[Entry], frequencies: TokenFrequencies | None = None
) -> tuple[list[Profile], TokenFrequencies]:
    """Profiles of the listings, their name tokens weighted by how rare they are among
    these listings (or as ``frequencies`` counted them among others)."""
    forms = [names.forms(e.names, e.schema) for e in entries]
    counted = frequencies
    if counted is None:
        counted = TokenFrequencies(
            (e.schema, (t.text for f in fs for t in f.tokens))
            for e, fs in zip(entries, forms, strict=True)
        )
    profiles = []
    for e, fs in zip(entries, forms, strict=True):
        weight = partial(counted.weight, e.schema)
        every = names.NameSet(fs, weight)
        own = names.forms((e.name,), e.schema)
        profiles.append(
            Profile(
                e,
                every,
                every if own == fs else names.NameSet(own, weight),
                dates.parse_all(e.birth_dates),
                identifiers.parse_all(e.identifiers),
                frozenset(e.countries),
            )
        )
    return profiles, counted
