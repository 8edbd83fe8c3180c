"""How far the lists read reach: the dates a count rests on.

A list's history is read from its snapshots (and the dated documents that date its
changes); after its last snapshot only designations an official document dates (a
Recent Actions page, a press release) are known. A year that ends after the last list
read is therefore covered only in part, and says so with the date coverage ends. A list
read from one file without its history (the EU annex) shows no one delisted before that
file: its counts are lower bounds.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from magnitsky.sources import all_sources
from magnitsky.store import Store

Window = tuple[date, date]


@dataclass(frozen=True)
class Coverage:
    """The accepted snapshots of the lists behind a count."""

    lists: tuple[str, ...]
    first_list: date | None
    last_list: date | None
    files: int
    documents: tuple[tuple[date, str], ...] = ()
    """The dated official documents read after the last list (day, document): all that
    is known of those days."""

    def partial(self, win: Window) -> str | None:
        """Why ``win`` is covered only in part, in words; None when the lists read cover
        it (or no list was read: nothing to say)."""
        last = self.last_list
        if last is None or win[1] <= last:
            return None
        after = list(
            dict.fromkeys(d for day, d in self.documents if max(win[0], last) < day <= win[1])
        )
        known = f"only the dated documents {', '.join(after)}" if after else "no document"
        if win[0] > last:
            return f"partial: after the last list read ({last.isoformat()}), {known}"
        said = f"partial: the list is read to {last.isoformat()}"
        return f"{said}; after it, {known}" if after else said

    def covered_until(self, win: Window) -> date | None:
        """The last day of ``win`` the lists read cover; None when they cover it all."""
        return self.last_list if self.partial(win) else None

    @property
    def lower_bound(self) -> str | None:
        """Why counts from these lists are lower bounds, in words; None when their
        history is read."""
        if self.files != 1 or self.first_list is None:
            return None
        return (
            f"lower bound: one file ({self.first_list.isoformat()}) without its history;"
            " anyone delisted before it is not seen"
        )


NONE = Coverage((), None, None, 0)


def of_sources(store: Store, sources: Iterable[str]) -> Coverage:
    """The coverage of the lists ``sources`` together (the latest of their last lists)."""
    wanted = sorted(set(sources))
    if not wanted:
        return NONE
    first, last, files = store.rows(
        "SELECT min(as_of_date), max(as_of_date), count(*) FROM snapshots"
        " WHERE status = 'accepted' AND source IN (SELECT UNNEST(?))",
        [wanted],
    )[0]
    documents: tuple[tuple[date, str], ...] = ()
    if last is not None:
        known = all_sources()
        dating = sorted({a for s in wanted if s in known for a in known[s].action_sources})
        found = store.rows(
            "SELECT DISTINCT action_date, document FROM actions"
            " WHERE source IN (SELECT UNNEST(?)) AND action_date > ? ORDER BY ALL",
            [dating, last],
        )
        documents = tuple((day, str(name)) for day, name in found)
    return Coverage(tuple(wanted), first, last, int(files or 0), documents)


def of_program(store: Store, program: str) -> Coverage:
    """The coverage of the lists that hold ``program``."""
    sources = store.rows("SELECT DISTINCT source FROM designations WHERE program = ?", [program])
    return of_sources(store, (s for (s,) in sources))


def of_jurisdictions(store: Store, programs: Sequence[str]) -> dict[str, Coverage]:
    """Per jurisdiction, the coverage of its lists holding ``programs``."""
    rows = store.rows(
        "SELECT DISTINCT jurisdiction, source FROM designations"
        " WHERE program IN (SELECT UNNEST(?))",
        [list(programs)],
    )
    by: dict[str, list[str]] = {}
    for jurisdiction, source in rows:
        by.setdefault(jurisdiction, []).append(source)
    return {j: of_sources(store, s) for j, s in sorted(by.items())}


def mark(row: dict[str, Any], coverage: Coverage, win: Window) -> dict[str, Any]:
    """``row`` (a year's counts) with ``partial`` (why the year is covered only in part,
    or None), ``covered_until`` and ``lower_bound``: the columns every table, chart and
    CSV of years carries."""
    row["partial"] = coverage.partial(win)
    row["covered_until"] = coverage.covered_until(win)
    row["lower_bound"] = coverage.lower_bound
    return row


def notes(rows: Sequence[Mapping[str, Any]], key: str = "year") -> list[str]:
    """The partial years of a table in words: ``2024 (partial: the list is read to
    2024-05-03)``."""
    return [f"{r[key]} ({r['partial']})" for r in rows if r.get("partial")]
