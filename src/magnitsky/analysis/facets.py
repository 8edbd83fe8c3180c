"""What the designations browser filters on (basis, countries, roles, themes, victim
groups) for every designation whose whole analysis ``build`` does not keep (it keeps the
Magnitsky-style programs': :mod:`magnitsky.analysis.stored`), kept at build time: a web
server starting on the store then answers a filter over any program, any jurisdiction
or the whole store at once, where it would analyse thousands of designations first
(about a quarter of a millisecond each: seconds for a jurisdiction, ten for all).

The values are those :func:`magnitsky.analysis.designations.annotate` computes (it is
what computes them here), kept under the fingerprint of the analysis's code and rules: a
store built by another version is analysed again when asked, never read stale.

    with alongside(store):   # build: analysed on the other core while the block runs
        ...                  # (the matching), kept when it ends
    remember(store)          # the same, here and now
    kept(store, "basis")     # the web: {designation key: its basis}
    analysed(store, keys)    # the web: {designation key: all the analysis added}
"""

from __future__ import annotations

import json
import os
import zlib
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from typing import Any, NamedTuple

from magnitsky import queries
from magnitsky.analysis.designations import Raw, annotate, raw_records, with_records
from magnitsky.analysis.stored import Key, decoded, fingerprint, key
from magnitsky.analysis.texts import OfficialTexts
from magnitsky.forked import Forked
from magnitsky.programs import is_magnitsky
from magnitsky.store import Store

FIELDS = ("basis", "country_codes", "roles", "themes", "victim_groups")
"""What the filters and the basis order read of the analysis (web/selection.py)."""
TABLE = "designation_facets"
REASONS = "entry_reasons"
"""The facts of each list entry's statement of reasons (a listing's page shows them)."""
OFAC = "us-ofac-sdn"
Columns = list[list[Any]]
CHUNK = 2000
"""Rows stored in one statement (the memory of one statement's values is bounded)."""


class Inputs(NamedTuple):
    """All the analysis reads of the store, read beforehand: the designations, their
    records (not decoded) and the official texts (every list's statements of reasons)."""

    rows: list[dict[str, Any]]
    raw: Raw
    texts: OfficialTexts


def _inputs(store: Store) -> Inputs:
    every = queries.designations(store)
    rows = [r for r in every if not is_magnitsky(r["program"])]
    texts = OfficialTexts.of(store)
    texts.read_every(r["source"] for r in every)
    return Inputs(rows, raw_records(store, rows), texts)


def _reasons(texts: OfficialTexts) -> Columns:
    """The facts of every entry's statement of reasons (the texts of the lists other than
    OFAC's, whose press releases the web reads at start), as :data:`REASONS` columns."""
    columns: Columns = [[], [], [], []]
    for (source, source_id), facts in sorted(texts.by_entry.items()):
        if source != OFAC:
            for i, value in enumerate((source, source_id, fingerprint(), json.dumps(facts))):
                columns[i].append(value)
    return columns


def _analyse(inputs: Inputs) -> Columns:
    """The table's columns (key, fingerprint, :data:`FIELDS`, all the analysis adds as
    JSON), reading no store."""
    columns: Columns = [[] for _ in range(7 + len(FIELDS))]
    for before, row in zip(inputs.rows, with_records(None, inputs.rows, inputs.raw), strict=True):
        annotate(row, inputs.texts)
        added = _packed({k: v for k, v in row.items() if k not in before})
        values = (*key(row), fingerprint(), *(row[f] for f in FIELDS), added)
        for i, value in enumerate(values):
            columns[i].append(value)
    return columns


def _packed(added: dict[str, Any]) -> bytes:
    """All the analysis added to a designation, as compressed JSON (880 bytes of JSON on
    average, the record's fields among them: held whole, 33,217 of them raised a build's
    peak by about 100 MiB at its commit)."""
    return zlib.compress(json.dumps(added, separators=(",", ":")).encode(), 1)


def _store(store: Store, columns: Columns, reasons: Columns) -> int:
    store.con.execute(
        f"CREATE OR REPLACE TABLE {REASONS} (source VARCHAR NOT NULL, source_id VARCHAR NOT"
        " NULL, fingerprint VARCHAR NOT NULL, facts JSON NOT NULL)"
    )
    if reasons[0]:
        store.con.execute(
            f"INSERT INTO {REASONS} SELECT UNNEST(?), UNNEST(?), UNNEST(?), UNNEST(?)", reasons
        )
    store.con.execute(
        f"CREATE OR REPLACE TABLE {TABLE} (source VARCHAR NOT NULL, source_id VARCHAR NOT"
        " NULL, program VARCHAR NOT NULL, listed_not_before DATE, listed_not_after DATE,"
        " fingerprint VARCHAR NOT NULL, basis VARCHAR, country_codes VARCHAR[],"
        " roles VARCHAR[], themes VARCHAR[], victim_groups VARCHAR[], fields BLOB)"
    )
    count = len(columns[0])
    for start in range(0, count, CHUNK):  # bounded: one statement held the whole table
        store.con.execute(
            f"INSERT INTO {TABLE} SELECT UNNEST(?), UNNEST(?), UNNEST(?), UNNEST(?::DATE[]),"
            " UNNEST(?::DATE[]), UNNEST(?), UNNEST(?), UNNEST(?::VARCHAR[][]),"
            " UNNEST(?::VARCHAR[][]), UNNEST(?::VARCHAR[][]), UNNEST(?::VARCHAR[][]),"
            " UNNEST(?)",
            [c[start : start + CHUNK] for c in columns],
        )
    return count


def remember(store: Store) -> int:
    """Analyse every designation of the programs that are not Magnitsky-style and keep
    their :data:`FIELDS` (replacing what was kept); the number kept."""
    inputs = _inputs(store)
    return _store(store, _analyse(inputs), _reasons(inputs.texts))


@contextmanager
def alongside(store: Store) -> Iterator[None]:
    """:func:`remember`, its analysis run in a forked process (:class:`Forked`) while the
    block runs (the build's matching, which changes no designation, record nor text): on
    two cores it adds only the reading of its inputs and the storing. Without a second
    core, or if the child fails, the analysis runs here when the block ends (the same
    values)."""
    held: list[Inputs | None] = [_inputs(store)]
    reasons = _reasons(held[0].texts)  # type: ignore[union-attr]
    parent = os.getpid()

    def work() -> Columns:
        if os.getpid() != parent:  # the child yields to the build (never the parent)
            os.nice(10)
        return _analyse(held[0] or _inputs(store))  # read again here if let go

    job = Forked(work)
    if not job.ready():  # the child has its copy: the parent lets go of its own while
        held[0] = None  # the block runs (the block changes none of it: read again if need be)
    yield
    _store(store, job.result(), reasons)


def _has_table(store: Store) -> bool:
    found = store.scalar(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [TABLE]
    )
    return bool(found)


def kept(store: Store, field: str) -> dict[Key, Any]:
    """One of the :data:`FIELDS` of each designation, as kept for this code's fingerprint
    (none for a store built by another version, or before this table)."""
    if field not in FIELDS:
        raise ValueError(f"not a field kept: {field!r}; one of {', '.join(FIELDS)}")
    if not _has_table(store):
        return {}
    return {
        (source, source_id, program, lo, hi): value
        for source, source_id, program, lo, hi, value in store.rows(
            f"SELECT source, source_id, program, listed_not_before, listed_not_after, {field}"
            f" FROM {TABLE} WHERE fingerprint = ?",
            [fingerprint()],
        )
    }


def analysed(store: Store, keys: Collection[Key]) -> dict[Key, dict[str, Any]]:
    """All the analysis added to these designations (those kept for this code's
    fingerprint), decoded as :func:`magnitsky.analysis.stored.kept` decodes it."""
    if not keys or not _has_table(store):
        return {}
    out: dict[Key, dict[str, Any]] = {}
    for source, source_id, program, lo, hi, fields in store.rows(
        f"SELECT source, source_id, program, listed_not_before, listed_not_after, fields"
        f" FROM {TABLE} WHERE fingerprint = ? AND source_id IN (SELECT UNNEST(?))",
        [fingerprint(), sorted({k[1] for k in keys})],
    ):
        found = (source, source_id, program, lo, hi)
        if found in keys:
            out[found] = decoded(zlib.decompress(fields))
    return out


def reasons(store: Store, source: str, source_id: str) -> list[dict[str, Any]] | None:
    """The facts of a list entry's statement of reasons as kept for this code's
    fingerprint; None when none are kept (a store built by another version, or before
    this table): read them then."""
    if not store.scalar(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [REASONS]
    ):
        return None
    found = store.rows(
        f"SELECT facts FROM {REASONS} WHERE fingerprint = ? AND source = ? AND source_id = ?",
        [fingerprint(), source, source_id],
    )
    if found:
        facts: list[dict[str, Any]] = json.loads(found[0][0])
        return facts
    kept = store.scalar(f"SELECT count(*) FROM {REASONS} WHERE fingerprint = ?", [fingerprint()])
    return [] if kept else None
