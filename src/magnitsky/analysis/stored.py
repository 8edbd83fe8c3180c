"""The analysis of the Magnitsky-style designations (basis, roles, countries, what the
official texts say), kept in the store at build time so that a web server starting on
the store answers its first pages without analysing (seconds: rigour's table of
country names, the statements of reasons read for their facts).

What is kept is what :func:`magnitsky.analysis.designations.enrich` adds to each row,
under a fingerprint of the code and rules that computed it: a store built by another
version (or with other rules) is analysed again when asked, never read stale.

    remember(store)            # build
    kept(store)                # the web: {designation key: fields}
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

from magnitsky import queries
from magnitsky.analysis.designations import enrich
from magnitsky.programs import is_magnitsky
from magnitsky.store import Store

Key = tuple[str, str, str, date | None, date | None]
KEY_FIELDS = ("source", "source_id", "program", "listed_not_before", "listed_not_after")
CODE = ("analysis", "evidence", "data", "readers/ofac_remarks.py", "history/texts.py")
"""What the analysis is computed by: its fingerprint hashes these files."""


def key(row: Mapping[str, Any]) -> Key:
    return (
        str(row["source"]),
        str(row["source_id"]),
        str(row["program"]),
        row.get("listed_not_before"),
        row.get("listed_not_after"),
    )


@cache
def fingerprint() -> str:
    """A hash of the analysis's code and rules (its modules and data files)."""
    digest = hashlib.sha256()
    root = resources.files("magnitsky")
    stack = [root.joinpath(part) for part in CODE]
    while stack:
        item = stack.pop()
        if item.is_dir():
            stack.extend(sorted(item.iterdir(), key=lambda i: i.name, reverse=True))
        elif item.name.endswith((".py", ".toml", ".json", ".csv", ".yaml", ".txt")):
            digest.update(item.name.encode())
            digest.update(item.read_bytes())
    return digest.hexdigest()[:16]


def has_table(store: Store) -> bool:
    found = store.scalar(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'analysed_designations'"
    )
    return bool(found)


def remember(store: Store, designations: Sequence[Mapping[str, Any]] | None = None) -> int:
    """Analyse every designation of a Magnitsky-style program and keep what the analysis
    adds (replacing what was kept); the number kept. ``designations``: the store's, as
    :func:`magnitsky.queries.designations` gives them, where the caller read them (a
    build analyses them alongside its matching: :class:`magnitsky.analysis.facets.Alongside`)."""
    if not has_table(store):
        return 0
    every = queries.designations(store) if designations is None else designations
    rows = [dict(r) for r in every if is_magnitsky(r["program"])]
    return keep(store, columns(rows, enrich(store, rows)))


def columns(
    rows: Sequence[Mapping[str, Any]], done: Sequence[Mapping[str, Any]]
) -> list[list[Any]]:
    """The table's columns: each designation's key, the fingerprint, and what the
    analysis added to it (``done``: the analysed copies of ``rows``) as JSON."""
    out: list[list[Any]] = [[] for _ in range(7)]
    for before, after in zip(rows, done, strict=True):
        added = {k: v for k, v in after.items() if k not in before}
        for i, value in enumerate((*key(before), fingerprint(), json.dumps(added))):
            out[i].append(value)
    return out


def keep(store: Store, found: list[list[Any]]) -> int:
    """Keep the :func:`columns` of the analysed designations (replacing what was kept)."""
    store.con.execute("DELETE FROM analysed_designations")
    if not found[0]:
        return 0
    store.con.execute(
        "INSERT INTO analysed_designations SELECT UNNEST(?), UNNEST(?), UNNEST(?),"
        " UNNEST(?::DATE[]), UNNEST(?::DATE[]), UNNEST(?), UNNEST(?)",
        found,
    )
    return len(found[0])


def kept(store: Store) -> dict[Key, dict[str, Any]]:
    """What the analysis added to each designation, as kept for this code's fingerprint
    (none for a store built by another version)."""
    if not has_table(store):
        return {}
    out: dict[Key, dict[str, Any]] = {}
    for *found, fields in store.rows(
        f"SELECT {', '.join(KEY_FIELDS)}, fields FROM analysed_designations WHERE fingerprint = ?",
        [fingerprint()],
    ):
        out[(found[0], found[1], found[2], found[3], found[4])] = decoded(fields)
    return out


def decoded(fields: str | bytes) -> dict[str, Any]:
    """What the analysis added to a designation, read back from its JSON (the pairs of
    unresolved countries are tuples again)."""
    added: dict[str, Any] = json.loads(fields)
    added["unresolved_countries"] = [tuple(x) for x in added.get("unresolved_countries", ())]
    return added


def analysed(store: Store, programs: Sequence[str]) -> list[dict[str, Any]]:
    """Every designation of ``programs``, analysed: from what the build kept where it
    holds them, the rest analysed now."""
    rows = [r for r in queries.designations(store) if r["program"] in set(programs)]
    done = kept(store)
    missing = [r for r in rows if key(r) not in done]
    fresh = iter(enrich(store, missing)) if missing else iter(())
    return [{**r, **done[key(r)]} if key(r) in done else next(fresh) for r in rows]
