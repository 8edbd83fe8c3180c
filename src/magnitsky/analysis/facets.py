"""What the designations browser filters on (basis, countries, roles, themes, victim
groups) for every designation whose whole analysis ``build`` does not keep (it keeps the
Magnitsky-style programs': :mod:`magnitsky.analysis.stored`), kept at build time: a web
server starting on the store then answers a filter over any program, any jurisdiction
or the whole store at once, where it would analyse thousands of designations first
(about a quarter of a millisecond each: seconds for a jurisdiction, ten for all).

The values are those :func:`magnitsky.analysis.designations.annotate` computes (it is
what computes them here), kept under the fingerprint of the analysis's code and rules: a
store built by another version is analysed again when asked, never read stale.

    Alongside(store, rows)   # build: analysed on the other core while it matches
    remember(store)          # the same, here and now
    kept(store, "basis")     # the web: {designation key: its basis}
    analysed(store, keys)    # the web: {designation key: all the analysis added}
"""

from __future__ import annotations

import json
import os
import zlib
from collections.abc import Collection, Iterator, Mapping, Sequence
from typing import Any, NamedTuple

from magnitsky import queries
from magnitsky.analysis import countries, stored
from magnitsky.analysis.designations import Raw, annotate, raw_records, with_records
from magnitsky.analysis.stored import Key, decoded, fingerprint, key
from magnitsky.analysis.texts import OfficialTexts
from magnitsky.forked import Steps
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
    """All the analysis reads of the store, read beforehand: the designations (every
    program's, as :func:`magnitsky.queries.designations` orders them), their records
    (not decoded) and the official texts (every list's statements of reasons)."""

    every: Sequence[Mapping[str, Any]]
    raw: Raw
    texts: OfficialTexts
    whole: bool
    """Whether the whole analysis of the Magnitsky-style designations is kept too
    (:mod:`magnitsky.analysis.stored`, whose table the store has)."""


class Analysed(NamedTuple):
    """What :func:`_analyse` gives to be stored."""

    facets: Columns
    """The :data:`TABLE`'s columns (the designations not kept whole)."""
    whole: Columns | None
    """``analysed_designations``' columns (:func:`magnitsky.analysis.stored.columns`)."""


def _inputs(
    store: Store, every: Sequence[Mapping[str, Any]] | None = None, whole: bool = False
) -> Inputs:
    every = queries.designations(store) if every is None else every
    texts = OfficialTexts.of(store)
    texts.read_every(r["source"] for r in every)
    return Inputs(every, raw_records(store, every), texts, whole and stored.has_table(store))


def _reasons(texts: OfficialTexts) -> Columns:
    """The facts of every entry's statement of reasons (the texts of the lists other than
    OFAC's, whose press releases the web reads at start), as :data:`REASONS` columns."""
    columns: Columns = [[], [], [], []]
    for (source, source_id), facts in sorted(texts.by_entry.items()):
        if source != OFAC:
            for i, value in enumerate((source, source_id, fingerprint(), json.dumps(facts))):
                columns[i].append(value)
    return columns


def _analyse(inputs: Inputs) -> Analysed:
    """The columns of the tables kept (key, fingerprint, :data:`FIELDS`, all the analysis
    adds as JSON), reading no store."""
    rows = with_records(None, inputs.every, inputs.raw)
    return _analysed(inputs.every, rows, inputs.texts, inputs.whole)


def _resolved(
    every: Sequence[Mapping[str, Any]], rows: list[dict[str, Any]]
) -> dict[str, str | None]:
    """Every country text of the designations looked up (the lists' countries, the places
    of the records: ``rows``, their :func:`with_records`): what the search keeps."""
    for listed, row in zip(every, rows, strict=True):
        for text in listed.get("countries") or ():
            countries.resolve(text)
        countries.places(row)
    return dict(countries.RESOLVED)


def _analysed(
    every: Sequence[Mapping[str, Any]],
    rows: list[dict[str, Any]],
    texts: OfficialTexts,
    whole: bool,
) -> Analysed:
    """The analysis of designations (``rows``: their :func:`with_records`)."""
    columns: Columns = [[] for _ in range(7 + len(FIELDS))]
    kept: tuple[list[dict[str, Any]], list[dict[str, Any]]] = ([], [])
    for before, row in zip(every, rows, strict=True):
        if is_magnitsky(before["program"]):
            if whole:
                kept[0].append(dict(before))
                kept[1].append(annotate(row, texts))
            continue
        annotate(row, texts)
        added = _packed({k: v for k, v in row.items() if k not in before})
        values = (*key(row), fingerprint(), *(row[f] for f in FIELDS), added)
        for i, value in enumerate(values):
            columns[i].append(value)
    return Analysed(columns, stored.columns(*kept) if whole else None)


def _joined(parts: Sequence[Analysed]) -> Analysed:
    """Parts of the designations analysed, in their order, as one."""
    facets: Columns = [[v for p in parts for v in p.facets[i]] for i in range(len(parts[0].facets))]
    if parts[0].whole is None:
        return Analysed(facets, None)
    whole = [[v for p in parts for v in (p.whole or [])[i]] for i in range(len(parts[0].whole))]
    return Analysed(facets, whole)


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
    return _store(store, _analyse(inputs).facets, _reasons(inputs.texts))


PART = 2000
"""Designations analysed in one step of :class:`Alongside`."""
WAIT_FOR = 3
"""At most this many parts left to the child, the build waits for them rather than
analyse the last ones itself (its first part loads rigour's table of territory names
for the roles' country names: about a second, two or three parts of the child's)."""


class Alongside:
    """:func:`remember` and :func:`magnitsky.analysis.stored.remember` at once, their
    analysis run in a forked process (:class:`Steps`) while the build matches (which
    changes no designation, record nor text): on two cores it adds only the reading of
    its inputs and the storing. Its first step looks up every country text of the
    designations, those the search keeps (:func:`magnitsky.search.remember_names`):
    :meth:`resolved` puts them into :data:`magnitsky.analysis.countries.RESOLVED`. The
    rest it analyses :data:`PART` designations at a time, in order; :meth:`keep` takes
    the parts done and, when more than :data:`WAIT_FOR` are left, analyses the last ones
    here while the child is at the first (a child slowed by a busy machine does not hold
    the build). Without a second core, or
    if the child fails, the analysis runs here (the same values).

        analysis = Alongside(store, designations)   # forked
        ...                                          # the matching
        analysis.resolved()                          # every country text resolved
        analysis.keep(store)                         # both tables stored
    """

    def __init__(self, store: Store, every: Sequence[Mapping[str, Any]]) -> None:
        held: list[Inputs | None] = [_inputs(store, every, whole=True)]
        self._every = every
        self._texts = held[0].texts  # type: ignore[union-attr]
        self._whole = held[0].whole  # type: ignore[union-attr]
        self._reasons = _reasons(self._texts)
        self._resolved = False
        parent = os.getpid()

        def steps() -> Iterator[dict[str, str | None] | Analysed]:
            if os.getpid() != parent:  # the child yields to the build (never the parent)
                os.nice(10)
            inputs = held[0] or _inputs(store, every, whole=True)  # let go: read again
            rows = with_records(None, inputs.every, inputs.raw)
            yield _resolved(inputs.every, rows)
            for start in range(0, len(rows), PART):
                end = start + PART
                yield _analysed(
                    inputs.every[start:end], rows[start:end], inputs.texts, inputs.whole
                )

        self._job: Steps[dict[str, str | None] | Analysed] = Steps(steps)
        if self._job.forked:  # the child has its copy: the parent lets go of the records
            held[0] = None  # while the matching runs (which changes none of them)

    def resolved(self) -> None:
        """Wait for the country texts of the designations: into RESOLVED."""
        if not self._resolved:
            found = self._job.next()
            assert isinstance(found, dict)
            countries.RESOLVED.update(found)
            self._resolved = True

    def keep(self, store: Store) -> int:
        """Store what was analysed (replacing what was kept); the designations kept."""
        self.resolved()
        parts: dict[int, Analysed] = {}
        taken, here = 0, -(-len(self._every) // PART)

        def take() -> None:
            nonlocal taken
            found = self._job.next()
            assert isinstance(found, Analysed)
            parts[taken] = found
            taken += 1

        while taken < here and self._job.ready():
            take()
        share = here - taken > WAIT_FOR
        while taken < here:  # the child's parts from the first, this process's from the last
            if share and not self._job.ready():
                here -= 1
                parts[here] = self._part(store, here * PART)
            else:
                take()
        self._job.close()
        found = (
            _joined([parts[i] for i in range(len(parts))])
            if parts
            else _analysed([], [], self._texts, self._whole)  # no designation at all
        )
        count = _store(store, found.facets, self._reasons)
        if found.whole is not None:
            count += stored.keep(store, found.whole)
        return count

    def _part(self, store: Store, start: int) -> Analysed:
        every = self._every[start : start + PART]
        rows = with_records(None, every, raw_records(store, every))
        return _analysed(every, rows, self._texts, self._whole)


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
