"""Years a complete change archive closes.

OFAC's yearly change archive ``sdnnewYY.txt`` records every addition, removal and change
of the SDN list in year YY. Once the year is over, a listing it does not record was not
made in YY: a designation whose snapshot bracket reaches into YY (the baseline of a
history that starts with one download, or a bracket across New Year) lies outside YY.

The year is closed for a designation only when nothing in the store could be its listing
in YY:

- no action dated in YY is linked to the entry under the program (an addition, or a
  change, which may be the program added to the entry);
- no action dated in YY that is linked to no entry could be it (the entry is not among
  the candidates of :class:`magnitsky.history.unlisted.Entries` for an unlinked addition
  or change under the program: those years stay open, and the row says why);
- the closed years leave part of the bracket (a bracket wholly inside closed years is a
  contradiction between the snapshots and the archive: it is kept as it was and reported
  as a date conflict).

A closed year at either end of a bracket narrows it; one inside it is kept in
``listed_not_in`` (the bracket has a hole: :func:`pieces`).

An archive is complete for its year when (1) the store holds a snapshot of the list dated
in a later year (``magnitsky fetch`` fetches each archive in the same run as the list, and
fetches a year's archive again after the year has ended) and (2) it records an action in
the year's December (a copy saved in the middle of the year cannot pass for the whole
year). Neither proves that a copy saved between its last December action and New Year
holds every action of the year's last days; that is the rule's assumption.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from pathlib import PurePath
from typing import Any

from magnitsky.history.linking import ActionRow
from magnitsky.history.unlisted import Entries
from magnitsky.sources import source as get_source
from magnitsky.store import Store

CHANGES = "us-ofac-changes"
_ARCHIVE = re.compile(r"sdnnew(\d\d)\.txt$", re.IGNORECASE)
_OPEN_QUALITIES = ("bracket", "baseline")
_LISTING = ("added", "changed")


def complete_years(store: Store, source: str) -> set[int]:
    """The years a complete change archive of ``source`` covers (see the module)."""
    newest = store.scalar(
        "SELECT max(as_of_date) FROM snapshots WHERE source = ? AND status = 'accepted'",
        [source],
    )
    if not isinstance(newest, date):
        return set()
    years = set()
    for path, last in store.rows(
        "SELECT d.path, max(a.action_date) FROM documents d JOIN actions a USING (document_id)"
        " WHERE d.source = ? GROUP BY d.path",
        [CHANGES],
    ):
        found = _ARCHIVE.search(PurePath(path).name)
        if found is None:
            continue
        year = 2000 + int(found.group(1))
        if year < newest.year and isinstance(last, date) and last >= date(year, 12, 1):
            years.add(year)
    return years


def year_turned(store: Store, source: str) -> bool:
    """The newest accepted snapshot of the list is the first of its year: the archives of
    earlier years may have become complete, for every designation of the list."""
    rows = store.rows(
        "SELECT as_of_date FROM snapshots WHERE source = ? AND status = 'accepted'"
        " ORDER BY as_of_date DESC LIMIT 2",
        [source],
    )
    return len(rows) == 2 and rows[0][0].year != rows[1][0].year


def year_span(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def pieces(
    lo: date | None, hi: date, not_in: Iterable[int] | None
) -> list[tuple[date | None, date]]:
    """The bracket [lo, hi] without the closed years ``not_in``: its parts, in order."""
    out: list[tuple[date | None, date]] = []
    start = lo
    for year in sorted(set(not_in or ())):
        first, last = year_span(year)
        if (start is not None and last < start) or first > hi:
            continue
        if start is None or first > start:
            out.append((start, first - timedelta(days=1)))
        start = last + timedelta(days=1)
    if start is None or start <= hi:
        out.append((start, hi))
    return out


class _Evidence:
    """The actions that keep a year open for an entry under a program tag."""

    def __init__(self, store: Store, source: str, actions: Sequence[ActionRow], years: set[int]):
        self.linked: set[tuple[int, str, str]] = set()
        self.unlinked: dict[tuple[int, str], list[ActionRow]] = {}
        self.entries = Entries(store, source)
        self.suspects: dict[tuple[int, str, str], bool] = {}
        self.renamed: dict[tuple[int, str, str], set[date]] = {}
        """Days of a change whose previous form already carried the tag."""
        self.follows: dict[tuple[int, str, str], set[date]] = {}
        """Days of the names a change adds (no previous form of their own)."""
        for action in actions:
            year = action.action_date.year
            if year not in years or action.action not in _LISTING:
                continue
            extra = dict(map(tuple, action.content.get("extra") or ()))
            before = extra.get("previous_programs", "").split()
            for tag in action.tags or ("",):
                key = (year, action.linked_id or "", tag)
                if not action.linked_id:
                    self.unlinked.setdefault((year, tag), []).append(action)
                elif action.action == "changed" and tag in before:
                    self.renamed.setdefault(key, set()).add(action.action_date)
                elif action.action == "changed" and extra.get("follows_change") == "true":
                    self.follows.setdefault(key, set()).add(action.action_date)
                else:
                    self.linked.add(key)

    def why_open(self, year: int, sid: str, tag: str) -> str | None:
        """Why the year stays open for the entry under the tag (None: it is closed). A
        change of the entry whose previous form carried the tag shows it listed before
        the change: that keeps no year open."""
        if (year, sid, tag) in self.linked or (year, sid, "") in self.linked:
            return "an action of the year is linked to the entry"
        added_names = self.follows.get((year, sid, tag), set())
        if added_names - self.renamed.get((year, sid, tag), set()):
            return "a change of the year adds names to the entry without its previous form"
        if self._suspect(year, tag, sid) or self._suspect(year, "", sid):
            return "an action of the year linked to no entry may be this entry's"
        return None

    def _suspect(self, year: int, tag: str, sid: str) -> bool:
        """Whether the entry is a candidate for an unlinked action of the year under the
        tag (only this entry is scored: the actions' other candidates are not needed)."""
        key = (year, tag, sid)
        if key not in self.suspects:
            self.suspects[key] = any(
                self.entries.candidates(a.content, a.tags, among={sid})
                for a in self.unlinked.get((year, tag), ())
            )
        return self.suspects[key]


class Closer:
    """Takes the years complete change archives close out of designations' brackets, a
    batch of rows at a time (the archives and the actions are looked at once)."""

    def __init__(self, store: Store, source: str, actions: Sequence[ActionRow]) -> None:
        self.years = (
            complete_years(store, source) if CHANGES in get_source(source).action_sources else set()
        )
        self.evidence = _Evidence(store, source, actions, self.years) if self.years else None

    def close(self, rows: list[dict[str, Any]], conflicts: list[dict[str, Any]]) -> int:
        """Close the rows in place; the number whose dating changed."""
        for row in rows:
            row.setdefault("listed_not_in", None)
        if self.evidence is None:
            return 0
        return sum(
            1
            for row in rows
            if row["date_quality"] in _OPEN_QUALITIES
            and _close_row(row, self.years, self.evidence, conflicts)
        )


def _close_row(
    row: dict[str, Any], years: set[int], evidence: _Evidence, conflicts: list[dict[str, Any]]
) -> bool:
    lo, hi = row["listed_not_before"], row["listed_not_after"]
    touched = [
        y for y in sorted(years) if (lo is None or year_span(y)[1] >= lo) and year_span(y)[0] <= hi
    ]
    closed: list[tuple[int, str | None]] = []
    kept: list[tuple[int, str | None]] = []
    for year in touched:
        why = evidence.why_open(year, row["source_id"], row["tag"])
        (kept if why else closed).append((year, why))
    notes = [f"{y} not closed: {why}" for y, why in kept]
    if not closed:
        if notes:
            row["date_source"] += "; " + "; ".join(notes)
        return False
    parts = pieces(lo, hi, [y for y, _ in closed])
    if not parts:
        conflicts.append(
            {
                "source": row["source"],
                "source_id": row["source_id"],
                "program": row["program"],
                "kind": "change_archive_lacks_listing",
                "dates": f"{lo} to {hi}",
                "documents": ", ".join(f"sdnnew{y % 100:02d}.txt" for y, _ in closed),
                "note": "the snapshots place the listing in a year whose complete change"
                " archive records no listing of this entry; the bracket is kept",
            }
        )
        return False
    new_lo, new_hi = parts[0][0], parts[-1][1]
    holes = [y for y, _ in closed if (new_lo is None or year_span(y)[0] > new_lo)]
    holes = [y for y in holes if year_span(y)[1] < new_hi]
    row.update(
        listed_not_before=new_lo,
        listed_not_after=new_hi,
        listed_on=new_hi,
        listed_not_in=holes or None,
    )
    shown = ", ".join(str(y) for y, _ in closed)
    row["date_source"] += (
        f"; not in {shown}: the complete change archive of that year records no such listing"
    )
    if notes:
        row["date_source"] += "; " + "; ".join(notes)
    return True
