"""What each government did with each recommendation, found by matching.

Each recommended person is compared, with the matchers of :mod:`magnitsky.matching`
(the same features, weights, thresholds and evidence as between two lists), with every
listing of every list the store holds; candidates are found with the matching's own
blocking keys. A pair scored *automatic* counts unless a person rejected it; a *possible*
pair waits for a judgement (``magnitsky recommendations review``) and counts once
confirmed. A matched listing brings its whole person (the listings the cross-list
matching put together), so a recommendation matched to the UK's listing also finds the
US and EU listings of the same person.

Then, for each government the recommendation went to (:data:`OUTCOMES`):

- ``sanctioned``: the government designated the person (under any program) on or after
  the day it was submitted; with the program, the date (and its bracket) and the days
  after submission;
- ``sanctioned_before``: the government had designated the person before it was
  submitted, and not again since;
- ``other_only``: not this government, but another did;
- ``review``: only a possible match, waiting for a judgement;
- ``open``: no government has (as far as each government's lists in the store go:
  ``as_of``, its last list read);
- ``withdrawn``: the organisation withdrew it before the government acted;
- ``not_read``: the store holds no list of this government: not known.

Outcomes are derived: recomputed at every build and after every change, so a later
designation turns an open recommendation into an outcome without anyone touching it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from magnitsky.analysis.multilateral_section import _as_of as as_of  # last list read
from magnitsky.matching import blocking
from magnitsky.matching.clustering import AUTOMATIC, POSSIBLE
from magnitsky.matching.listings import Entry, Key, load_entries
from magnitsky.matching.matcher import Decision, compare
from magnitsky.matching.profile import Profile, prepare
from magnitsky.recommendations.model import Recommendation
from magnitsky.recommendations.tracker import Tracker, load
from magnitsky.store import Store

SOURCE = "recommendation"
"""The source name a recommendation takes when it is compared with listings."""
OUTCOMES = (
    "sanctioned",
    "sanctioned_before",
    "other_only",
    "review",
    "open",
    "withdrawn",
    "not_read",
)
ACTED = "sanctioned"
NOT_ACTED = ("other_only", "open")
MAX_CANDIDATES = 200
"""A blocking key held by more listings than this finds too many to mean anything."""
JUDGEMENTS = ("confirmed", "rejected")


@dataclass(frozen=True)
class Match:
    ref: str
    key: Key
    decision: Decision


def entry(r: Recommendation) -> Entry:
    """A recommendation as the matcher sees a listing."""
    return Entry(
        source=SOURCE,
        source_id=r.ref,
        jurisdiction="",
        schema=r.schema,
        name=r.name,
        aliases=r.aliases,
        birth_dates=r.birth_dates,
        countries=r.nationalities,
        identifiers=r.identifiers,
        programs=(),
    )


def match(store: Store, recommendations: Sequence[Recommendation]) -> list[Match]:
    """Every automatic or possible match of each recommendation with a listing."""
    if not recommendations:
        return []
    listings, frequencies = prepare(load_entries(store))
    wanted, _ = prepare([entry(r) for r in recommendations], frequencies)
    keys = {id(p): blocking.keys(p) | blocking.token_keys(p) for p in wanted}
    needed = set().union(*keys.values())
    postings: dict[str, list[int]] = {}
    for i, p in enumerate(listings):
        for key in (blocking.keys(p) | blocking.token_keys(p)) & needed:
            postings.setdefault(key, []).append(i)
    out = []
    for p in wanted:
        candidates: set[int] = set()
        for key in keys[id(p)]:
            found = postings.get(key, [])
            if len(found) <= MAX_CANDIDATES:
                candidates.update(found)
        out += _decided(p, [listings[i] for i in sorted(candidates)], frequencies)
    return out


def _decided(p: Profile, candidates: Iterable[Profile], frequencies: Any) -> list[Match]:
    out = []
    for listing in candidates:
        decision = compare(p, listing, frequencies)
        if decision is not None and decision.status in (AUTOMATIC, POSSIBLE):
            out.append(Match(p.entry.source_id, listing.key, decision))
    return out


# --- outcomes -------------------------------------------------------------------------


def judgements(tracker: Tracker) -> dict[tuple[str, Key], str]:
    if tracker.store is None:
        return {}
    return {
        (ref, (source, source_id)): judgement
        for ref, source, source_id, judgement in tracker.store.rows(
            "SELECT ref, source, source_id, judgement FROM recommendation_judgements"
        )
    }


def _persons(store: Store, keys: set[Key]) -> dict[Key, set[Key]]:
    """Each listing's person: every listing the cross-list matching joined to it."""
    if not keys:
        return {}
    rows = store.rows(
        "SELECT a.source, a.source_id, b.source, b.source_id FROM persons a"
        " JOIN persons b USING (person_id)"
        " WHERE a.source || ':' || a.source_id IN (SELECT UNNEST(?))",
        [[f"{s}:{i}" for s, i in keys]],
    )
    out: dict[Key, set[Key]] = {k: {k} for k in keys}
    for s, i, t, j in rows:
        out[(s, i)].add((t, j))
    return out


def _designations(store: Store, keys: set[Key]) -> list[dict[str, Any]]:
    if not keys:
        return []
    return store.dicts(
        "SELECT jurisdiction, program, source, source_id, listed_on, listed_not_before,"
        " listed_not_after, date_quality FROM designations"
        " WHERE source || ':' || source_id IN (SELECT UNNEST(?))"
        " ORDER BY listed_on, listed_not_after, jurisdiction, program, source_id",
        [[f"{s}:{i}" for s, i in keys]],
    )


def outcome_rows(
    store: Store,
    recommendations: Sequence[Recommendation],
    matches: Sequence[Match],
    judged: dict[tuple[str, Key], str],
) -> list[dict[str, Any]]:
    """One row per recommendation and government it went to (see the module)."""
    certain: dict[str, set[Key]] = {}
    pending: dict[str, set[Key]] = {}
    for m in matches:
        judgement = judged.get((m.ref, m.key))
        if judgement == "rejected":
            continue
        if m.decision.status == AUTOMATIC or judgement == "confirmed":
            certain.setdefault(m.ref, set()).add(m.key)
        else:
            pending.setdefault(m.ref, set()).add(m.key)
    for (ref, key), judgement in judged.items():
        if judgement == "confirmed":
            certain.setdefault(ref, set()).add(key)
    matched = set().union(*certain.values()) if certain else set()
    person = _persons(store, matched)
    every = set().union(*person.values()) if person else set()
    by_key: dict[Key, list[dict[str, Any]]] = {}
    for d in _designations(store, every):
        by_key.setdefault((d["source"], d["source_id"]), []).append(d)
    lists = as_of(store)
    now = datetime.now(UTC).replace(tzinfo=None)
    out = []
    for r in recommendations:
        keys = set().union(*(person.get(k, {k}) for k in certain.get(r.ref, set())))
        found = sorted(
            (d for k in keys for d in by_key.get(k, [])),
            key=lambda d: (d["listed_on"], d["listed_not_after"], d["jurisdiction"], d["program"]),
        )
        for s in r.submissions:
            row = _outcome(r, s.government, s.submitted, found, bool(pending.get(r.ref)), lists)
            out.append({**row, "evaluated_at": now})
    return out


def _outcome(
    r: Recommendation,
    government: str,
    submitted: date,
    found: list[dict[str, Any]],
    waiting: bool,
    lists: dict[str, date],
) -> dict[str, Any]:
    own = [d for d in found if d["jurisdiction"] == government]
    after = [d for d in own if d["listed_not_after"] >= submitted]
    others = [d for d in found if d["jurisdiction"] != government]
    row: dict[str, Any] = {
        "ref": r.ref,
        "government": government,
        "submitted": submitted,
        "others": sorted({d["jurisdiction"] for d in others}),
        "others_first": [
            min(d["listed_on"] for d in others if d["jurisdiction"] == j)
            for j in sorted({d["jurisdiction"] for d in others})
        ],
        "first_other": others[0]["listed_on"] if others else None,
        "as_of": lists.get(government),
    }
    chosen = after[0] if after else own[-1] if own else None
    if chosen is not None:
        before = (chosen["listed_not_before"] - submitted).days
        row |= {
            "program": chosen["program"],
            "source": chosen["source"],
            "source_id": chosen["source_id"],
            "listed_on": chosen["listed_on"],
            "listed_not_before": chosen["listed_not_before"],
            "listed_not_after": chosen["listed_not_after"],
            "date_quality": chosen["date_quality"],
            "days": (chosen["listed_on"] - submitted).days,
            "days_min": before if chosen["listed_not_before"] else None,
            "days_max": (chosen["listed_not_after"] - submitted).days,
        }
    withdrawn = r.withdrawn_on
    if after and (withdrawn is None or after[0]["listed_on"] <= withdrawn):
        outcome = "sanctioned"
    elif withdrawn is not None:
        outcome = "withdrawn"
    elif own:
        outcome = "sanctioned_before"
    elif government not in lists:
        outcome = "not_read"
    elif waiting:
        outcome = "review"
    elif others:
        outcome = "other_only"
    else:
        outcome = "open"
    return row | {"outcome": outcome}


LIST_COLUMNS = (
    "ref",
    "name",
    "confidentiality",
    "government",
    "submitted",
    "outcome",
    "program",
    "listed_on",
    "days",
    "others",
    "as_of",
)
"""What the command line and the web list of each (recommendation, government)."""
SHOWN_COLUMNS = LIST_COLUMNS[3:]
"""The same, on the page of one recommendation."""
REVIEW_COLUMNS = ("a", "a_name", "b", "b_name", "score", "status", "why")
OUTCOME_COLUMNS = (
    "ref",
    "government",
    "submitted",
    "outcome",
    "program",
    "source",
    "source_id",
    "listed_on",
    "listed_not_before",
    "listed_not_after",
    "date_quality",
    "days",
    "days_min",
    "days_max",
    "others",
    "first_other",
    "as_of",
    "evaluated_at",
    "others_first",
)


def evaluate(store: Store, tracker: Tracker) -> int:
    """Match every recommendation and recompute the outcomes (the caller holds the
    tracker's transaction). Returns the number of outcome rows."""
    if tracker.store is None:
        return 0
    recommendations = load(tracker)
    has_lists = _has_designations(store)
    matches = match(store, recommendations) if has_lists else []
    person_of = (
        {(s, i): p for s, i, p in store.rows("SELECT source, source_id, person_id FROM persons")}
        if has_lists
        else {}
    )
    rows = outcome_rows(store, recommendations, matches, judgements(tracker)) if has_lists else []
    if not has_lists:
        now = datetime.now(UTC).replace(tzinfo=None)
        rows = [
            {
                "ref": r.ref,
                "government": s.government,
                "submitted": s.submitted,
                "outcome": "not_read",
                "others": [],
                "evaluated_at": now,
            }
            for r in recommendations
            for s in r.submissions
        ]
    t = tracker.store
    t.con.execute("DELETE FROM recommendation_matches")
    t.bulk_insert(
        "recommendation_matches",
        {
            "ref": [m.ref for m in matches],
            "source": [m.key[0] for m in matches],
            "source_id": [m.key[1] for m in matches],
            "person_id": [person_of.get(m.key) for m in matches],
            "matcher": [m.decision.matcher for m in matches],
            "score": [m.decision.score for m in matches],
            "status": [m.decision.status for m in matches],
            "evidence": [json.dumps(m.decision.evidence(), ensure_ascii=False) for m in matches],
        },
    )
    t.con.execute("DELETE FROM recommendation_outcomes")
    t.bulk_insert(
        "recommendation_outcomes", {c: [row.get(c) for row in rows] for c in OUTCOME_COLUMNS}
    )
    return len(rows)


def _has_designations(store: Store) -> bool:
    found = store.scalar(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'persons'"
    )
    return bool(found) and bool(store.scalar("SELECT count(*) FROM designations"))


def judge(tracker: Tracker, ref: str, key: Key, judgement: str, note: str | None) -> None:
    """A person's judgement of a recommendation and a listing (kept across rebuilds)."""
    if judgement not in JUDGEMENTS:
        raise ValueError(f"a judgement is one of {', '.join(JUDGEMENTS)}, not {judgement!r}")
    assert tracker.store is not None
    if not tracker.store.scalar("SELECT count(*) FROM recommendations WHERE ref = ?", [ref]):
        raise LookupError(f"no recommendation {ref!r}")
    tracker.store.con.execute(
        "INSERT OR REPLACE INTO recommendation_judgements VALUES (?, ?, ?, ?, ?, ?)",
        [ref, *key, judgement, datetime.now(UTC).replace(tzinfo=None), note],
    )


def stored(tracker: Tracker, levels: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """The outcomes as last evaluated (of recommendations of these levels)."""
    if tracker.store is None:
        return []
    where = "WHERE r.confidentiality IN (SELECT UNNEST(?))" if levels is not None else ""
    return tracker.store.dicts(
        "SELECT o.*, r.name, r.confidentiality FROM recommendation_outcomes o"
        f" JOIN recommendations r USING (ref) {where} ORDER BY o.ref, o.submitted, o.government",
        [list(levels)] if levels is not None else [],
    )


def review_rows(tracker: Tracker, store: Store, show_all: bool = False) -> list[dict[str, Any]]:
    """The possible matches of recommendations waiting for a judgement (with
    ``show_all``, every match and judgement), best first: the columns of ``magnitsky
    match review``."""
    if tracker.store is None:
        return []
    rows = tracker.store.dicts(
        "SELECT m.ref, r.name AS a_name, m.source, m.source_id, m.person_id, m.score, m.status,"
        " j.judgement, m.evidence FROM recommendation_matches m"
        " JOIN recommendations r USING (ref)"
        " LEFT JOIN recommendation_judgements j USING (ref, source, source_id)"
        " ORDER BY m.score DESC, m.ref, m.source, m.source_id"
    )
    names = (
        {
            (s, i): n
            for s, i, n in store.rows(
                "SELECT source, source_id, any_value(name ORDER BY listed_not_after DESC)"
                " FROM designations GROUP BY ALL"
            )
        }
        if rows
        else {}
    )
    # a possible match with a listing of a person the recommendation is already matched to
    # (automatically or by a judgement) asks nothing more, as in ``magnitsky match review``
    settled = {
        (row["ref"], row["person_id"])
        for row in rows
        if row["judgement"] == "confirmed"
        or (row["status"] == AUTOMATIC and row["judgement"] != "rejected")
    }
    out = []
    for row in rows:
        waiting = row["judgement"] is None and row["status"] == POSSIBLE
        if not show_all and (not waiting or (row["ref"], row["person_id"]) in settled):
            continue
        evidence = json.loads(row["evidence"]) if isinstance(row["evidence"], str) else []
        out.append(
            {
                "a": f"{SOURCE}:{row['ref']}",
                "a_name": row["a_name"],
                "b": f"{row['source']}:{row['source_id']}",
                "b_name": names.get((row["source"], row["source_id"])),
                "score": row["score"],
                "status": row["judgement"] or row["status"],
                "why": "; ".join(
                    f"{f['feature']} {f['weight'] * f['value']:+.2f}" for f in evidence
                ),
                "evidence": evidence,
            }
        )
    return out


def reevaluate(
    store: Store, path: Path | None, progress: Callable[[str], None] | None = None
) -> int | None:
    """After a build: the outcomes of every recommendation again, against the lists as
    they now are (``path``: the tracker's own file, else its tables in ``store``, whose
    transaction the caller holds). None when there is no tracker."""
    from magnitsky.recommendations.tracker import has_tables, open_tracker, writing

    if path is None:
        if not has_tables(store.con):
            return None
        tracker = Tracker(store, separate=False)
        if tracker.empty:
            return None
        if progress:
            progress("recommendations: matching against the lists …")
        return evaluate(store, tracker)
    if not path.exists():
        return None
    with open_tracker(store, path) as opened:
        if opened.empty:
            return None
        if progress:
            progress("recommendations: matching against the lists …")
        with writing(opened):
            return evaluate(store, opened)
