"""Dated designations: one row per entry per program per listing period, with its date
and how the date is known.

Snapshots give a bracket (listed after the last snapshot without the entry, on or before
the first with it); a linked official action (change archive, Recent Actions, advanced
XML) inside that bracket makes the date exact. The first snapshot of a history is a
baseline: its entries were listed on or before its date. Actions that fall outside the
snapshots' coverage add designations (or delistings) the snapshots cannot show.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from magnitsky.history import closed_years, unlisted
from magnitsky.history.linking import ActionRow, Linker, cluster_unlinked
from magnitsky.history.snapshots import without_gc_pauses
from magnitsky.programs import first_listing, program_key
from magnitsky.sources import source as get_source
from magnitsky.store import Store

DATE_QUALITIES = ("exact", "bracket", "baseline", unlisted.TEXT_ONLY)
"""How a listing date is known: an official dated document, two snapshots, the first
snapshot (on or before it), or an official text alone (on no snapshot of the list)."""
DAY_KNOWN = ("exact", unlisted.TEXT_ONLY)
"""The qualities whose listing day is known (an official document or text dates it)."""
OPENING = ("listed", "relisted", "program_added")
CLOSING = ("delisted", "program_removed")


@dataclass
class Period:
    source_id: str
    tag: str
    opened: dict[str, Any]
    closed: dict[str, Any] | None = None
    exact_listed: list[ActionRow] = field(default_factory=list)
    exact_delisted: list[ActionRow] = field(default_factory=list)

    def listed_bracket(self, floor: date | None) -> tuple[date | None, date]:
        """A program cannot have listed anyone before it existed: that is the floor of a
        baseline's bracket."""
        nb = self.opened["not_before"]
        if floor and (nb is None or nb < floor):
            nb = floor
        return nb, self.opened["not_after"]


@dataclass
class Designations:
    rows: list[dict[str, Any]] = field(default_factory=list)
    conflicts: list[dict[str, Any]] = field(default_factory=list)


_ENTRY_CHUNK = 2000
"""Entries whose events are read, dated and written at a time: a history's events and
designations are never all in memory at once."""
_ROW_BATCH = 5000
"""Designations held before they are written."""


def _entry_chunks(store: Store, source: str, only: set[str] | None) -> Iterator[list[str]]:
    """The entries with events, in order, a chunk at a time."""
    where = "" if only is None else " AND source_id IN (SELECT UNNEST(?))"
    params: list[Any] = [source] if only is None else [source, sorted(only)]
    ids = [
        r[0]
        for r in store.rows(
            f"SELECT DISTINCT source_id FROM events WHERE source = ?{where} ORDER BY source_id",
            params,
        )
    ]
    for start in range(0, len(ids), _ENTRY_CHUNK):
        yield ids[start : start + _ENTRY_CHUNK]


def _periods(store: Store, source: str, ids: list[str]) -> dict[tuple[str, str], list[Period]]:
    """The listing periods of some entries, from their events."""
    events = store.dicts(
        "SELECT * FROM events WHERE source = ? AND source_id IN (SELECT UNNEST(?))"
        " ORDER BY source_id, program, not_after, snapshot_after",
        [source, ids],
    )
    periods: dict[tuple[str, str], list[Period]] = {}
    for event in events:
        key = (event["source_id"], event["program"])
        runs = periods.setdefault(key, [])
        if event["event_type"] in OPENING:
            runs.append(Period(event["source_id"], event["tag"], event))
        elif event["event_type"] in CLOSING and runs and runs[-1].closed is None:
            runs[-1].closed = event
    return periods


def _within(day: date, lo: date | None, hi: date) -> bool:
    return (lo is None or lo <= day) and day <= hi


def _apply_action(
    action: ActionRow,
    sid: str,
    periods: dict[tuple[str, str], list[Period]],
    coverage: tuple[date, date] | None,
    out: Designations,
    orphans: list[tuple[str, ActionRow]],
    duplicates: set[tuple[str, str]],
) -> None:
    """Date a period of the entry by the action, or report why it dates none. A second
    entry of a person already listed under the program has no period: its actions date
    nothing and contradict nothing."""
    for tag in action.tags:
        key = program_key(action.jurisdiction, tag)
        runs = periods.get((sid, key), [])
        placed = False
        for period in runs:
            floor = first_listing(program_key(action.jurisdiction, tag))
            if action.action in ("added", "changed"):
                nb, na = period.listed_bracket(floor)
                usable = action.action == "added" or period.opened["event_type"] == "program_added"
                if usable and _within(action.action_date, nb, na):
                    period.exact_listed.append(action)
                    placed = True
            if action.action in ("removed", "changed") and period.closed is not None:
                c = period.closed
                usable = action.action == "removed" or c["event_type"] == "program_removed"
                if usable and _within(action.action_date, c["not_before"], c["not_after"]):
                    period.exact_delisted.append(action)
                    placed = True
        if placed or action.action == "changed" or (sid, key) in duplicates:
            continue
        if _inside(action.action_date, coverage):
            out.conflicts.append(
                _conflict(
                    action,
                    sid,
                    tag,
                    "outside_bracket",
                    "the action's date lies outside every snapshot bracket of this entry",
                )
            )
        else:
            orphans.append((sid, action.with_tags((tag,))))


def _conflict(action: ActionRow, sid: str, tag: str, kind: str, note: str) -> dict[str, Any]:
    return {
        "source": action.list_source,
        "source_id": sid,
        "program": program_key(action.jurisdiction, tag),
        "kind": kind,
        "dates": action.action_date.isoformat(),
        "documents": action.document,
        "note": note,
    }


def _exact(
    actions: list[ActionRow], sid: str, tag: str, what: str, out: Designations, source: str
) -> ActionRow | None:
    if not actions:
        return None
    dates = sorted({a.action_date for a in actions})
    if len(dates) > 1:
        out.conflicts.append(
            {
                "source": source,
                "source_id": sid,
                "program": program_key(actions[0].jurisdiction, tag),
                "kind": f"conflicting_{what}_dates",
                "dates": ", ".join(d.isoformat() for d in dates),
                "documents": ", ".join(sorted({a.document for a in actions})),
                "note": f"official documents give {len(dates)} {what} dates; the earliest is used",
            }
        )
    return min(actions, key=lambda a: (a.action_date, a.document))


def _row_from_period(
    period: Period,
    content: dict[str, Any],
    jurisdiction: str,
    source: str,
    out: Designations,
    stated: dict[str, Stated],
) -> dict[str, Any]:
    key = program_key(jurisdiction, period.tag)
    nb, na = period.listed_bracket(first_listing(key))
    exact = _exact(period.exact_listed, period.source_id, period.tag, "listing", out, source)
    row = _base_row(content, jurisdiction, key, period.tag, source, period.source_id)
    row["record_hash"] = period.opened["record_hash"]
    if exact:
        row.update(
            listed_on=exact.action_date,
            listed_not_before=exact.action_date,
            listed_not_after=exact.action_date,
            date_quality="exact",
            date_source=exact.document,
        )
    elif found := _stated(stated, period, out, source):
        row.update(
            listed_on=found[0],
            listed_not_before=found[0],
            listed_not_after=found[0],
            date_quality="exact",
            date_source=found[1],
        )
    elif period.opened["not_before"] is None:
        row.update(
            listed_on=na,
            listed_not_before=nb,
            listed_not_after=na,
            date_quality="baseline",
            date_source=f"first snapshot {na}: listed on or before it",
        )
    else:
        row.update(
            listed_on=na,
            listed_not_before=nb,
            listed_not_after=na,
            date_quality="bracket",
            date_source=f"between snapshots {nb} and {na}",
        )
    if period.closed is not None:
        c = period.closed
        gone = _exact(period.exact_delisted, period.source_id, period.tag, "delisting", out, source)
        if gone:
            row.update(
                delisted_on=gone.action_date,
                delisted_not_before=gone.action_date,
                delisted_quality="exact",
                delisted_source=gone.document,
            )
        else:
            row.update(
                delisted_on=c["not_after"],
                delisted_not_before=c["not_before"],
                delisted_quality="bracket",
                delisted_source=f"between snapshots {c['not_before']} and {c['not_after']}",
            )
    return row


Stated = dict[str, list[date]]


def _load_stated(store: Store, source: str) -> dict[str, Stated]:
    """Every listing date the list states, per entry and program, over all its versions
    (a later file may state the date an earlier one left out, as Canada's did in 2023)."""
    out: dict[str, Stated] = {}
    for sid, text in store.rows(
        "SELECT DISTINCT source_id, stated_dates FROM records"
        " WHERE source = ? AND stated_dates IS NOT NULL",
        [source],
    ):
        for tag, day in json.loads(text).items():
            out.setdefault(sid, {}).setdefault(tag, []).append(date.fromisoformat(day))
    return out


def _stated(
    stated: dict[str, Stated], period: Period, out: Designations, source: str
) -> tuple[date, str] | None:
    """The listing date the list itself states for this program (UK, Canada, EU …),
    if one lies in the period's bracket and not before the program existed."""
    own = stated.get(period.source_id, {})
    days = sorted(set(own.get(period.tag, [])))
    if not days:
        return None
    floor = first_listing(period.opened["program"])
    nb, na = period.opened["not_before"], period.opened["not_after"]
    fitting = [d for d in days if d <= na and (not floor or d >= floor)]
    if fitting:
        day = max(fitting)  # a relisting states its new date; the old one is earlier
        _designated_differs(stated, period, day, out, source)
        if day in own.get(f"from_designated:{period.tag}", []):
            return day, (
                f"designation date under the regime stated by the list (its first listing"
                f" predates the regime; first seen {na})"
            )
        if nb is not None and day < nb:
            return day, (
                f"listing date stated by the list, before the snapshot of {nb} that lacks"
                " this program (renamed between the files?)"
            )
        return day, f"listing date stated by the list (first seen {na})"
    note = (
        "the list states a listing date before the program existed"
        if floor and days[0] < floor
        else "the list states a listing date outside the snapshot bracket"
    )
    out.conflicts.append(
        {
            "source": source,
            "source_id": period.source_id,
            "program": period.opened["program"],
            "kind": "stated_date_outside_bracket",
            "dates": ", ".join(map(str, days)),
            "documents": "",
            "note": note,
        }
    )
    return None


def _designated_differs(
    stated: dict[str, Stated], period: Period, day: date, out: Designations, source: str
) -> None:
    """The list states another designation date under the program than its listing date
    (the UK's ``UK Sanctions List Date Designated`` against ``Listed On``)."""
    other = sorted(set(stated.get(period.source_id, {}).get(f"designated:{period.tag}", [])))
    if other and other != [day]:
        out.conflicts.append(
            {
                "source": source,
                "source_id": period.source_id,
                "program": period.opened["program"],
                "kind": "designation_date_differs",
                "dates": f"listed on {day}; designated {', '.join(map(str, other))}",
                "documents": "",
                "note": "the list's listing date and its date designated under the regime"
                " disagree; the listing date is used",
            }
        )


def _base_row(
    content: dict[str, Any], jurisdiction: str, key: str, tag: str, source: str, sid: str
) -> dict[str, Any]:
    return {
        "jurisdiction": jurisdiction,
        "program": key,
        "tag": tag,
        "source": source,
        "source_id": sid,
        "name": content["name"],
        "schema": content["schema"],
        "listed_on": None,
        "listed_not_before": None,
        "listed_not_after": None,
        "date_quality": "",
        "date_source": "",
        "delisted_on": None,
        "delisted_not_before": None,
        "delisted_quality": None,
        "delisted_source": None,
        "linked_to": list(content.get("linked_to") or []),
        "title": content.get("title"),
        "countries": list(content.get("countries") or []),
        "aliases": list(content.get("aliases") or []),
        "record_hash": None,
    }


def _orphan_rows(
    orphans: list[tuple[str, ActionRow]],
    jurisdiction: str,
    source: str,
    out: Designations,
    quality: str = "exact",
) -> None:
    """Designations known only from dated actions (outside the snapshots' coverage, or on
    no snapshot: ``quality`` says which)."""
    groups: dict[tuple[str, str], list[ActionRow]] = {}
    for sid, action in orphans:
        groups.setdefault((sid, action.tags[0]), []).append(action)
    for (sid, tag), actions in sorted(groups.items()):
        actions.sort(key=lambda a: (a.action_date, a.action != "added"))
        open_row: dict[str, Any] | None = None
        for action in actions:
            if action.action == "added" and open_row is None:
                open_row = _base_row(
                    action.content, jurisdiction, program_key(jurisdiction, tag), tag, source, sid
                )
                open_row.update(
                    listed_on=action.action_date,
                    listed_not_before=action.action_date,
                    listed_not_after=action.action_date,
                    date_quality=quality,
                    date_source=action.document,
                )
                if quality != "exact":
                    open_row["_action"] = (action.document_id, action.seq)
            elif action.action == "removed" and open_row is not None:
                open_row.update(
                    delisted_on=action.action_date,
                    delisted_not_before=action.action_date,
                    delisted_quality="exact",
                    delisted_source=action.document,
                )
                out.rows.append(open_row)
                open_row = None
            elif action.action == "removed" and sid.startswith("name:") is False:
                out.conflicts.append(
                    _conflict(
                        action,
                        sid,
                        tag,
                        "removal_without_listing",
                        "removed, but no listing period is known",
                    )
                )
        if open_row is not None:
            out.rows.append(open_row)


@without_gc_pauses
def derive_designations(store: Store, source: str, only: set[str] | None = None) -> int:
    """Recompute the designations, action links and date conflicts of a source; returns
    the number of designations written.

    ``only``: the entries whose events changed (the fast path of one newer snapshot);
    the entries whose action links changed are added to them, and anything that could
    move the unlinked actions falls back to the whole source.

    The entries are dated a chunk at a time, in order (their events read, their actions
    applied, their designations written), so memory does not grow with the history."""
    jurisdiction = get_source(source).jurisdiction
    links = store.rows("SELECT document_id, seq, source_id FROM action_links")
    old_links = {(d, q): sid for d, q, sid in links}
    actions = Linker(store, source).link_all()
    coverage = _coverage(store, source)
    if only is not None:
        only = _widen(store, source, only, actions, old_links, coverage)
    if only is not None and closed_years.year_turned(store, source):
        only = None  # an archive of the year before may close it for every entry now
    _clear(store, source, only)
    duplicates = {
        (sid, key)
        for sid, key in store.rows(
            "SELECT DISTINCT source_id, program FROM events WHERE source = ?"
            " AND event_type = 'duplicate_added'",
            [source],
        )
    }
    # Each entry's actions, in the order of all actions (the order conflicts come in).
    by_entry: dict[str, list[tuple[int, ActionRow]]] = {}
    for n, action in enumerate(actions):
        if action.linked_id and (only is None or action.linked_id in only):
            by_entry.setdefault(action.linked_id, []).append((n, action))
    out = Designations()
    action_conflicts: list[tuple[int, dict[str, Any]]] = []
    orphans: list[tuple[str, ActionRow]] = []

    def apply(sid: str, periods: dict[tuple[str, str], list[Period]]) -> None:
        found = Designations()
        for n, action in by_entry.pop(sid, ()):
            _apply_action(action, sid, periods, coverage, found, orphans, duplicates)
            action_conflicts.extend((n, c) for c in found.conflicts)
            found.conflicts.clear()

    stated = _load_stated(store, source)
    closer = closed_years.Closer(store, source, actions)
    written = 0
    for ids in _entry_chunks(store, source, only):
        periods = _periods(store, source, ids)
        for sid in ids:
            apply(sid, periods)
        contents = _contents(store, source, periods)
        for runs in periods.values():
            for period in runs:
                content = contents[period.opened["record_hash"]]
                out.rows.append(
                    _row_from_period(period, content, jurisdiction, source, out, stated)
                )
        if len(out.rows) >= _ROW_BATCH:
            closer.close(out.rows, out.conflicts)
            written += _write_rows(store, out)
    for sid in list(by_entry):  # entries with actions but no events
        apply(sid, {})
    recounts = unlisted.recounting(store)  # they make no designation of their own
    orphans[:] = [(sid, a) for sid, a in orphans if a.document_id not in recounts]
    inside: dict[str, list[ActionRow]] = {}
    if only is None:
        unlinked = [a for a in actions if not a.linked_id and a.document_id not in recounts]
        for sid, action in cluster_unlinked(unlinked):
            if not _inside(action.action_date, coverage):
                orphans.extend((sid, action.with_tags((t,))) for t in action.tags)
            else:
                inside.setdefault(sid, []).append(action)
    _orphan_rows(orphans, jurisdiction, source, out)
    _text_only_rows(store, source, jurisdiction, inside, out)
    closer.close(out.rows, out.conflicts)
    out.conflicts[:0] = [c for _, c in sorted(action_conflicts, key=lambda x: x[0])]
    written += _write_rows(store, out)
    _write_conflicts(store, out)
    return written


def _text_only_rows(
    store: Store,
    source: str,
    jurisdiction: str,
    inside: dict[str, list[ActionRow]],
    out: Designations,
) -> None:
    """Designations that documents record inside the snapshots' coverage and that no
    entry of any snapshot is even a candidate for (see :mod:`unlisted`)."""
    if not inside:
        return
    found = unlisted.text_only(inside, unlisted.Entries(store, source))
    persons = unlisted.person_by_text(store, (a for _, a in found))
    made = Designations()
    _orphan_rows(
        [(sid, a.with_tags((t,))) for sid, a in found for t in a.tags],
        jurisdiction,
        source,
        made,
        quality=unlisted.TEXT_ONLY,
    )
    for row in made.rows:
        if row.pop("_action", None) in persons and not row["schema"]:
            row["schema"] = "Person"
        if row["delisted_on"] is None and (
            gone := unlisted.next_snapshot(store, source, row["listed_on"])
        ):
            row.update(
                delisted_on=gone,
                delisted_not_before=row["listed_on"],
                delisted_quality="bracket",
                delisted_source=f"on no snapshot of the list: gone by the snapshot of {gone}",
            )
    out.rows.extend(made.rows)
    out.conflicts.extend(made.conflicts)


def _coverage(store: Store, source: str) -> tuple[date, date] | None:
    row = store.rows(
        "SELECT min(as_of_date), max(as_of_date) FROM snapshots"
        " WHERE source = ? AND status = 'accepted'",
        [source],
    )[0]
    return (row[0], row[1]) if row[0] is not None else None


def _inside(day: date, coverage: tuple[date, date] | None) -> bool:
    return coverage is not None and coverage[0] <= day <= coverage[1]


def _widen(
    store: Store,
    source: str,
    only: set[str],
    actions: list[ActionRow],
    old_links: dict[tuple[int, int], str | None],
    coverage: tuple[date, date] | None,
) -> set[str] | None:
    """The entries a partial recompute must cover, or ``None`` for all of them."""
    stored = store.rows(
        "SELECT min(listed_not_after) FROM designations WHERE source = ?", [source]
    )[0][0]
    previous_end = store.scalar(
        "SELECT max(as_of_date) FROM snapshots WHERE source = ? AND status = 'accepted'"
        " AND as_of_date < ?",
        [source, coverage[1] if coverage else None],
    )
    if stored is None or coverage is None or previous_end is None:
        return None
    wider = set(only)
    for action in actions:
        before = old_links.get((action.document_id, action.seq), "?")
        if before != action.linked_id:
            if before is None or action.linked_id is None or before == "?":
                return None  # the unlinked actions changed: their clusters may too
            wider |= {before, action.linked_id}
        elif previous_end < action.action_date <= coverage[1]:
            # the new snapshot now covers the action's date: it dates a bracket now
            if not action.linked_id:
                return None
            wider.add(action.linked_id)
    return wider


def _clear(store: Store, source: str, only: set[str] | None) -> None:
    for table in ("designations", "date_conflicts"):
        if only is None:
            store.con.execute(f"DELETE FROM {table} WHERE source = ?", [source])
        else:
            store.con.execute(
                f"DELETE FROM {table} WHERE source = ? AND source_id IN (SELECT UNNEST(?))",
                [source, sorted(only)],
            )


def _contents(
    store: Store, source: str, periods: dict[tuple[str, str], list[Period]]
) -> dict[int, dict[str, Any]]:
    hashes = list({p.opened["record_hash"] for runs in periods.values() for p in runs})
    return {
        r["record_hash"]: r
        for r in store.dicts(
            "SELECT record_hash, name, schema, linked_to, title, countries, aliases, stated_dates"
            " FROM records WHERE source = ? AND record_hash IN (SELECT UNNEST(?))",
            [source, hashes],
        )
    }


_COLUMNS = (
    "jurisdiction",
    "program",
    "tag",
    "source",
    "source_id",
    "name",
    "schema",
    "listed_on",
    "listed_not_before",
    "listed_not_after",
    "date_quality",
    "date_source",
    "delisted_on",
    "delisted_not_before",
    "delisted_quality",
    "delisted_source",
    "linked_to",
    "title",
    "countries",
    "aliases",
    "record_hash",
    "listed_not_in",
)


def _write_rows(store: Store, out: Designations) -> int:
    written = store.bulk_insert("designations", {c: [r[c] for r in out.rows] for c in _COLUMNS})
    out.rows.clear()
    return written


def _write_conflicts(store: Store, out: Designations) -> None:
    cols = ("source", "source_id", "program", "kind", "dates", "documents", "note")
    store.bulk_insert("date_conflicts", {c: [r[c] for r in out.conflicts] for c in cols})
