"""The persons of the store: matching every listing of every list, the judgements of
the user, and the clustering, kept in three tables.

``match_pairs`` (derived) holds every pair the matcher scored automatic or possible,
with its score and evidence; ``match_judgements`` (kept by the user, never derived,
never deleted by a build) holds the pairs confirmed or rejected with ``magnitsky match
review``; ``persons`` (derived) gives each listing its person. :func:`derive_persons`
recomputes the two derived tables from the listings; :func:`recluster` only the persons,
from the stored pairs and judgements (what a judgement changes).

Neither opens a transaction: the caller's (a build, a review command) holds.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from magnitsky.matching.clustering import (
    AUTOMATIC,
    NAMES_AGREE,
    POSSIBLE,
    Membership,
    Pair,
    ScoredPair,
    cluster,
    ordered,
    person_id,
)
from magnitsky.matching.engine import Matching, match
from magnitsky.matching.listings import Entry, Key, Reading, load_entries
from magnitsky.matching.matcher import MATCHERS, Decision
from magnitsky.store import Store

JUDGEMENTS = ("confirmed", "rejected")


def _noop(_: str) -> None:
    return None


@dataclass(frozen=True)
class PersonsSummary:
    listings: int
    persons: int
    pairs_scored: int
    automatic: int
    possible: int
    seconds: float
    pairs_aligned: int = 0
    """Of the pairs scored, those whose names were aligned (the rest ruled out by the
    score's upper bound)."""
    rematched: int | None = None
    """Listings matched again (new or changed since the last matching); None: all."""

    def describe(self) -> str:
        which = (
            ""
            if self.rematched is None
            else f"; {self.rematched} new or changed listings matched against the rest"
        )
        return (
            f"persons: {self.persons} from {self.listings} listings"
            f" ({self.pairs_scored} pairs scored, {self.pairs_aligned} aligned,"
            f" {self.automatic} automatic, {self.possible} possible matches,"
            f" {self.seconds:.1f} s{which})"
        )


REMATCH_ALL = 0.25
"""When more than this share of the listings is new, changed or gone, every listing is
matched again (as the first time) rather than only those."""


def derive_persons(
    store: Store,
    progress: Callable[[str], None] = _noop,
    *,
    full: bool = False,
    reading: Reading | None = None,
) -> PersonsSummary:
    """Match the listings (latest version of each entry, every list and program) and
    store the pairs and the persons. Call it after the designations are derived.

    Incremental: only the listings that are new or whose record changed since the last
    matching (``match_listings`` keeps each listing's fingerprint) are blocked and scored
    against all the others; the stored pairs between unchanged listings are kept as
    they are (their scores weigh names by the token frequencies of the matching that
    scored them). ``full``, a first matching, or more than :data:`REMATCH_ALL` of the
    listings changed: every listing is matched again. ``reading``: a build's, see
    :func:`load_entries`."""
    progress("persons: reading the listings …")
    entries = load_entries(store, reading)
    prints = {e.key: fingerprint(e) for e in entries}
    before = _fingerprints(store)
    changed = {k for k, f in prints.items() if before.get(k) != f}
    dropped = changed | (set(before) - set(prints))
    incremental = bool(before) and not full and len(dropped) <= REMATCH_ALL * len(entries)
    if incremental and not dropped:
        # Nothing the matcher reads changed; a judgement reclusters when it is made.
        return _stored_summary(store, len(entries))
    if incremental:
        progress(f"persons: matching {len(changed)} new or changed of {len(entries)} listings …")
        matching = match(entries, only=changed)
        kept = {
            pair: row
            for pair, row in _stored_pairs(store).items()
            if pair[0] not in dropped and pair[1] not in dropped
        }
    else:
        progress(f"persons: matching {len(entries)} listings …")
        matching = match(entries)
        kept = {}
    judgements = load_judgements(store)
    decisions = {ordered(d.left, d.right): d for d in matching.decisions}
    present = set(prints)
    for pair in judgements:
        if pair not in decisions and pair not in kept and pair[0] in present and pair[1] in present:
            found = matching.decide(*pair)
            if found is not None:
                decisions[pair] = found

    def same_list_match(a: Key, b: Key) -> bool:
        pair = ordered(a, b)
        if pair in kept:
            return kept[pair].scored.status == AUTOMATIC and kept[pair].scored.names_agree
        if pair not in decisions:
            found = matching.decide(a, b)
            if found is None:
                return False
            decisions[pair] = found
        found = decisions[pair]
        return found.status == AUTOMATIC and (found.primary_score or 0.0) >= NAMES_AGREE

    # As a full matching: the pairs of two lists, and judged pairs (pairs of one list
    # scored for the clustering's own question are kept, not joined on).
    rows = {pair: _row(d) for pair, d in decisions.items()}
    joinable = [r for p, r in kept.items() if p[0][0] != p[1][0] or p in judgements]
    scored = [
        r.scored for r in [*rows.values(), *joinable] if r.scored.status in (AUTOMATIC, POSSIBLE)
    ]
    memberships = cluster([e.key for e in entries], scored, judgements, same_list_match)
    # pairs of one list the clustering scored on its way
    rows.update({pair: _row(d) for pair, d in decisions.items() if pair not in rows})
    rows.update(kept)
    _write_pairs(store, rows)
    _write_fingerprints(store, prints)
    _write_persons(store, memberships)
    return _summary(memberships, matching, rows, None if not incremental else len(changed))


def _stored_summary(store: Store, listings: int) -> PersonsSummary:
    statuses = dict(store.rows("SELECT status, count(*) FROM match_pairs GROUP BY ALL"))
    return PersonsSummary(
        listings=listings,
        persons=int(store.scalar("SELECT count(DISTINCT person_id) FROM persons")),
        pairs_scored=0,
        automatic=int(statuses.get(AUTOMATIC, 0)),
        possible=int(statuses.get(POSSIBLE, 0)),
        seconds=0.0,
        rematched=0,
    )


def fingerprint(entry: Entry) -> str:
    """What the matcher reads of a listing, and the matchers' versions: a listing whose
    fingerprint is unchanged needs no new matching."""
    versions = ",".join(sorted({m.name for m in MATCHERS.values()}))
    text = repr((versions, entry))
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


def _fingerprints(store: Store) -> dict[Key, str]:
    return {
        (source, source_id): str(found)
        for source, source_id, found in store.rows(
            "SELECT source, source_id, fingerprint FROM match_listings"
        )
    }


def _write_fingerprints(store: Store, prints: dict[Key, str]) -> None:
    store.con.execute("DELETE FROM match_listings")
    store.bulk_insert(
        "match_listings",
        {
            "source": [k[0] for k in prints],
            "source_id": [k[1] for k in prints],
            "fingerprint": list(prints.values()),
        },
    )


@dataclass(frozen=True)
class _PairRow:
    """A pair as stored in ``match_pairs``."""

    scored: ScoredPair
    matcher: str
    evidence: str
    """JSON."""
    primary: float | None


def _row(d: Decision) -> _PairRow:
    left, right = ordered(d.left, d.right)
    return _PairRow(
        ScoredPair(left, right, d.score, d.status, d.primary_score or 0.0),
        d.matcher,
        json.dumps(d.evidence(), ensure_ascii=False),
        d.primary_score,
    )


def _stored_pairs(store: Store) -> dict[Pair, _PairRow]:
    out = {}
    for ls, li, rs, ri, matcher, score, status, primary, evidence in store.rows(
        "SELECT left_source, left_id, right_source, right_id, matcher, score, status,"
        " primary_score, evidence FROM match_pairs"
    ):
        pair = ordered((ls, li), (rs, ri))
        out[pair] = _PairRow(
            ScoredPair(pair[0], pair[1], score, status, primary or 0.0),
            matcher,
            str(evidence),
            primary,
        )
    return out


def recluster(store: Store) -> list[Membership]:
    """Recompute the persons from the stored pairs and judgements (no matching)."""
    keys = [(s, i) for s, i in store.rows("SELECT source, source_id FROM persons")]
    decisions = {
        ((ls, li), (rs, ri)): ScoredPair((ls, li), (rs, ri), score, status, primary or 0.0)
        for ls, li, rs, ri, score, status, primary in store.rows(
            "SELECT left_source, left_id, right_source, right_id, score, status, primary_score"
            " FROM match_pairs"
        )
    }

    def same_list_match(a: Key, b: Key) -> bool:
        found = decisions.get(ordered(a, b))
        return found is not None and found.status == AUTOMATIC and found.names_agree

    memberships = cluster(
        keys,
        [p for p in decisions.values() if p.status in (AUTOMATIC, POSSIBLE)],
        load_judgements(store),
        same_list_match,
    )
    _write_persons(store, memberships)
    return memberships


def _write_pairs(store: Store, rows: dict[Pair, _PairRow]) -> None:
    store.con.execute("DELETE FROM match_pairs")
    pairs = sorted(rows)
    found = [rows[pair] for pair in pairs]
    store.bulk_insert(
        "match_pairs",
        {
            "left_source": [a[0] for a, _ in pairs],
            "left_id": [a[1] for a, _ in pairs],
            "right_source": [b[0] for _, b in pairs],
            "right_id": [b[1] for _, b in pairs],
            "matcher": [r.matcher for r in found],
            "score": [r.scored.score for r in found],
            "status": [r.scored.status for r in found],
            "primary_score": [r.primary for r in found],
            "evidence": [r.evidence for r in found],
        },
    )


def _write_persons(store: Store, memberships: list[Membership]) -> None:
    previous = {
        (src, sid): str(pid)
        for pid, src, sid in store.rows("SELECT person_id, source, source_id FROM persons")
    }
    memberships, redirects = durable(memberships, previous, _first_listed(store), _redirects(store))
    store.con.execute("DELETE FROM person_redirects")
    now = datetime.now(UTC).replace(tzinfo=None)
    store.bulk_insert(
        "person_redirects",
        {
            "old_id": list(redirects),
            "person_id": list(redirects.values()),
            "recorded_at": [now] * len(redirects),
        },
    )
    store.con.execute("DELETE FROM persons")
    store.bulk_insert(
        "persons",
        {
            "person_id": [m.person_id for m in memberships],
            "source": [m.key[0] for m in memberships],
            "source_id": [m.key[1] for m in memberships],
            "match_score": [m.score for m in memberships],
            "match_status": [m.status for m in memberships],
        },
    )


# --- durable ids ----------------------------------------------------------------------


def _first_listed(store: Store) -> dict[Key, date]:
    """Each listing's earliest listing day (its latest possible day, where a bracket)."""
    return {
        (src, sid): first
        for src, sid, first in store.rows(
            "SELECT source, source_id, min(listed_not_after) FROM designations"
            " WHERE listed_not_after IS NOT NULL GROUP BY ALL"
        )
    }


def _redirects(store: Store) -> dict[str, str]:
    return {str(o): str(n) for o, n in store.rows("SELECT old_id, person_id FROM person_redirects")}


def natural_id(members: list[Key], first_listed: dict[Key, date]) -> str:
    """The id a person gets when no earlier build named them: from their earliest
    listing (then the lowest source and id), which another list's later listing of the
    same person does not change."""
    dated = [k for k in members if k in first_listed]
    earliest = min(dated, key=lambda k: (first_listed[k], k)) if dated else min(members)
    return person_id([earliest])


def durable(
    memberships: list[Membership],
    previous: dict[Key, str],
    first_listed: dict[Key, date],
    redirects: dict[str, str],
) -> tuple[list[Membership], dict[str, str]]:
    """The persons with durable ids, and the map of every id that no longer names a
    person to the one that now holds its listings.

    A person keeps the id their listings had in the previous build (the id most of them
    had; when a person split, the part holding most of its listings keeps it); a new
    person gets :func:`natural_id`. An id no person keeps redirects to the person now
    holding most of its listings; earlier redirects follow along."""
    groups: dict[str, list[Key]] = {}
    for m in memberships:
        groups.setdefault(m.person_id, []).append(m.key)
    claims = sorted(
        (-count, old, group)
        for group, keys in groups.items()
        for old, count in Counter(previous[k] for k in keys if k in previous).items()
    )
    assigned: dict[str, str] = {}
    taken: set[str] = set()
    for _, old, group in claims:
        if group not in assigned and old not in taken:
            assigned[group] = old
            taken.add(old)
    for group in sorted(groups, key=lambda g: sorted(groups[g])):
        if group in assigned:
            continue
        candidates = [natural_id(groups[group], first_listed)]
        candidates += [person_id([k]) for k in sorted(groups[group])]
        chosen = next((c for c in candidates if c not in taken), None)
        n = 2
        while chosen is None:  # every candidate taken: a suffix keeps it unique
            chosen = f"{candidates[0]}-{n}" if f"{candidates[0]}-{n}" not in taken else None
            n += 1
        assigned[group] = chosen
        taken.add(chosen)
    now_of = {k: assigned[g] for g, keys in groups.items() for k in keys}
    out: dict[str, str] = {}
    gone: dict[str, Counter[str]] = {}
    for key, old in previous.items():
        if old not in taken and key in now_of:
            gone.setdefault(old, Counter())[now_of[key]] += 1
    for old, counts in gone.items():
        out[old] = min(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0]
    for old, target in redirects.items():
        if old in taken or old in out:
            continue
        target = out.get(target, target)
        if target in taken:
            out[old] = target
    renamed = [Membership(now_of[m.key], m.key, m.score, m.status) for m in memberships]
    return renamed, out


def _summary(
    memberships: list[Membership],
    matching: Matching,
    rows: dict[Pair, _PairRow],
    rematched: int | None,
) -> PersonsSummary:
    statuses = [r.scored.status for r in rows.values()]
    return PersonsSummary(
        listings=len(memberships),
        persons=len({m.person_id for m in memberships}),
        pairs_scored=matching.pairs_scored,
        automatic=statuses.count(AUTOMATIC),
        possible=statuses.count(POSSIBLE),
        seconds=matching.seconds,
        pairs_aligned=matching.pairs_aligned,
        rematched=rematched,
    )


# --- judgements -----------------------------------------------------------------------


def load_judgements(store: Store) -> dict[Pair, str]:
    return {
        ((ls, li), (rs, ri)): judgement
        for ls, li, rs, ri, judgement in store.rows(
            "SELECT left_source, left_id, right_source, right_id, judgement FROM match_judgements"
        )
    }


def judge(store: Store, a: Key, b: Key, judgement: str, note: str | None = None) -> None:
    """Store a person's judgement on a pair (replacing an earlier one) and recompute
    the persons. The judgement outlives every rebuild."""
    if judgement not in JUDGEMENTS:
        raise ValueError(f"a judgement is one of {', '.join(JUDGEMENTS)}, not {judgement!r}")
    if a == b:
        raise ValueError("a listing cannot be judged against itself")
    left, right = ordered(a, b)
    store.con.execute(
        "INSERT OR REPLACE INTO match_judgements VALUES (?, ?, ?, ?, ?, ?, ?)",
        [*left, *right, judgement, datetime.now(UTC).replace(tzinfo=None), note],
    )
    recluster(store)


def resolve_listing(store: Store, text: str) -> Key:
    """A listing named as ``source:source_id``, or by its source id alone when only
    one list uses it."""
    if ":" in text:
        source, source_id = text.split(":", 1)
        if store.scalar(
            "SELECT count(*) FROM persons WHERE source = ? AND source_id = ?", [source, source_id]
        ):
            return (source, source_id)
    found = store.rows("SELECT source, source_id FROM persons WHERE source_id = ?", [text])
    if len(found) == 1:
        return (found[0][0], found[0][1])
    if not found:
        raise LookupError(f"no listing {text!r} (write SOURCE:SOURCE_ID, e.g. us-ofac-sdn:23252)")
    sources = ", ".join(f"{s}:{i}" for s, i in found)
    raise LookupError(f"{text!r} is the id of several listings: {sources}")
