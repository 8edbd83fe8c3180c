"""From pair decisions to persons: which listings name one person.

Pairs are joined strongest first: every pair a person confirmed, then every automatic
pair by score, and among equal scores the pairs whose own names agree before those
joined by an alias. Two groups are never joined when a person rejected a pair between them,
nor when they hold two listings of one list that are not themselves a match: one list
names a person twice only by mistake or under two regimes (OFAC's two Kadyrov entries,
Canada's one entry per regulation), and then the two entries match each other by their
own names, not only by an alias, so a
chain of matches through other lists (A in the US ~ B in the UK ~ C in the US) does not
merge two persons of one list. An automatic pair refused for that reason is left for
review, as a possible match.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from magnitsky.matching.listings import Key

AUTOMATIC = "automatic"
CONFIRMED = "confirmed"
POSSIBLE = "possible"
SINGLE = "single"

Pair = tuple[Key, Key]
_RANK = {CONFIRMED: 2, AUTOMATIC: 1}
NAMES_AGREE = 0.85
"""Two entries of one list are one person only when their own names agree this well
(and the pair is a match): entries sharing only an alias are the list's own choice of
two entities ("Ansar al-Sharia in Benghazi", "… in Darnah")."""


def ordered(a: Key, b: Key) -> Pair:
    return (a, b) if a <= b else (b, a)


@dataclass(frozen=True)
class ScoredPair:
    left: Key
    right: Key
    score: float
    status: str
    """automatic | possible (the matcher's decision)."""
    primary_score: float = 0.0
    """How well the listings' own names agree, aliases aside."""

    @property
    def names_agree(self) -> bool:
        return self.primary_score >= NAMES_AGREE


@dataclass(frozen=True)
class Membership:
    """One listing's place in a person."""

    person_id: str
    key: Key
    score: float | None
    status: str
    """automatic | confirmed | possible | single"""


@dataclass
class _Groups:
    parent: dict[Key, Key] = field(default_factory=dict)
    members: dict[Key, list[Key]] = field(default_factory=dict)

    def add(self, key: Key) -> None:
        if key not in self.parent:
            self.parent[key] = key
            self.members[key] = [key]

    def find(self, key: Key) -> Key:
        root = key
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[key] != root:
            self.parent[key], key = root, self.parent[key]
        return root

    def union(self, a: Key, b: Key) -> None:
        ra, rb = self.find(a), self.find(b)
        if len(self.members[ra]) < len(self.members[rb]):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.members[ra] += self.members.pop(rb)


def cluster(
    keys: Iterable[Key],
    pairs: Iterable[ScoredPair],
    judgements: dict[Pair, str],
    same_list_match: Callable[[Key, Key], bool],
) -> list[Membership]:
    """Every listing's person. ``judgements`` maps an ordered pair to ``confirmed`` or
    ``rejected``; ``same_list_match`` says whether two listings of one list match."""
    groups = _Groups()
    for key in keys:
        groups.add(key)
    scored = {ordered(p.left, p.right): p for p in pairs}
    rejected = {pair for pair, j in judgements.items() if j == "rejected"}
    confirmed = [pair for pair, j in judgements.items() if j == "confirmed"]
    joined: dict[Key, tuple[float | None, str]] = {}
    waiting: dict[Key, float] = {}

    def attach(key: Key, score: float | None, status: str) -> None:
        current = joined.get(key)
        rank = (_RANK[status], score or 0.0)
        if current is None or rank > (_RANK[current[1]], current[0] or 0.0):
            joined[key] = (score, status)

    for a, b in sorted(confirmed):
        present = a in groups.parent and b in groups.parent
        if present and groups.find(a) != groups.find(b) and not _blocked(groups, a, b, rejected):
            groups.union(a, b)
        found = scored.get((a, b))
        for key in (a, b):
            attach(key, found.score if found else None, CONFIRMED)
    automatic = sorted(
        (p for p in scored.values() if p.status == AUTOMATIC),
        key=lambda p: (-p.score, -p.primary_score, p.left, p.right),
    )
    for p in automatic:
        if (p.left, p.right) in rejected or ordered(p.left, p.right) in rejected:
            continue
        if groups.find(p.left) == groups.find(p.right):
            for key in (p.left, p.right):
                if key not in joined:
                    attach(key, p.score, AUTOMATIC)
            continue
        if _blocked(groups, p.left, p.right, rejected, same_list_match):
            for key in (p.left, p.right):
                waiting[key] = max(waiting.get(key, 0.0), p.score)
            continue
        groups.union(p.left, p.right)
        for key in (p.left, p.right):
            attach(key, p.score, AUTOMATIC)
    for p in scored.values():
        pair = ordered(p.left, p.right)
        unjudged = p.status == POSSIBLE and pair not in judgements
        if unjudged and groups.find(p.left) != groups.find(p.right):
            for key in pair:
                waiting[key] = max(waiting.get(key, 0.0), p.score)
    return _memberships(groups, joined, waiting)


def _blocked(
    groups: _Groups,
    a: Key,
    b: Key,
    rejected: set[Pair],
    same_list_match: Callable[[Key, Key], bool] | None = None,
) -> bool:
    """Whether joining a's group and b's would join a rejected pair, or (when
    ``same_list_match`` is given) two listings of one list that do not match."""
    left, right = groups.members[groups.find(a)], groups.members[groups.find(b)]
    for x in left:
        for y in right:
            if ordered(x, y) in rejected:
                return True
            if same_list_match is not None and x[0] == y[0] and not same_list_match(x, y):
                return True
    return False


def _memberships(
    groups: _Groups, joined: dict[Key, tuple[float | None, str]], waiting: dict[Key, float]
) -> list[Membership]:
    out = []
    for members in groups.members.values():
        person = person_id(members)
        for key in sorted(members):
            if len(members) > 1 and key in joined:
                score, status = joined[key]
            elif key in waiting:
                score, status = waiting[key], POSSIBLE
            else:
                score, status = None, SINGLE
            out.append(Membership(person, key, score, status))
    return sorted(out, key=lambda m: m.key)


def person_id(members: Iterable[Key]) -> str:
    """A person's id, from its first listing (by source and id): the same whenever that
    listing is in it."""
    source, source_id = min(members)
    digest = hashlib.blake2b(f"{source}:{source_id}".encode(), digest_size=5).hexdigest()
    return f"P{digest}"
