"""The analysis a build keeps for the web (the facets of every designation, the whole
analysis of the Magnitsky-style ones) run in a forked child alongside the matching, the
build taking the last parts itself when the child lags: the same tables, the same country
texts, whichever process analysed which part; and the steps of a forked child come back
in order, a failed child leaving the rest to its parent."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from magnitsky import queries
from magnitsky.analysis import countries, facets, stored
from magnitsky.forked import Steps, cores
from magnitsky.store import Store, open_store

TABLES = (facets.TABLE, facets.REASONS, "analysed_designations")


def _tables(store: Store) -> dict[str, list[tuple[object, ...]]]:
    return {t: store.rows(f"SELECT * FROM {t} ORDER BY ALL") for t in TABLES}


@pytest.fixture(scope="module")
def sequential(built_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the built store whose tables were analysed again in one process."""
    db = tmp_path_factory.mktemp("sequential") / "magnitsky.duckdb"
    shutil.copy(built_store, db)
    with open_store(db) as store:
        for table in TABLES:
            store.con.execute(f"DELETE FROM {table}")
        assert facets.remember(store) > 30_000
        assert stored.remember(store) > 1000
    return db


@pytest.mark.parametrize("child_parts", ["all", "none"])
def test_the_analysis_alongside_keeps_what_one_process_keeps(
    sequential: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, child_parts: str
) -> None:
    """``all``: every part from the child; ``none``: the build analyses every part itself
    (a child that never has one ready in time)."""
    if child_parts == "none":
        monkeypatch.setattr(Steps, "ready", lambda self: self._conn is None)
    db = tmp_path / "store.duckdb"
    shutil.copy(sequential, db)
    saved, known = dict(countries.RESOLVED), dict(countries.KNOWN)
    try:
        with open_store(db) as store:
            for table in TABLES:
                store.con.execute(f"DELETE FROM {table}")
            countries.RESOLVED.clear()
            countries.KNOWN.clear()  # what an earlier search or server loaded
            designations = queries.designations(store)
            analysis = facets.Alongside(store, designations)
            analysis.resolved()
            texts = {t for r in designations for t in r.get("countries") or ()}
            assert texts and texts <= set(countries.RESOLVED)  # what the search keeps
            kept = analysis.keep(store)
            found = _tables(store)
    finally:
        countries.RESOLVED.clear()
        countries.RESOLVED.update(saved)
        countries.KNOWN.update(known)
    with open_store(sequential, read_only=True) as store:
        expected = _tables(store)
    assert kept == len(expected[facets.TABLE]) + len(expected["analysed_designations"])
    assert all(len(rows) > 300 for rows in expected.values())
    assert found == expected


def test_steps_come_back_in_order_and_a_failed_child_leaves_the_rest_here() -> None:
    parent = os.getpid()

    def steps():  # type: ignore[no-untyped-def]
        yield os.getpid()
        for n in range(3):
            if n == 2 and os.getpid() != parent:
                raise RuntimeError("the child fails at its fourth step")
            yield n

    job = Steps(steps)
    first = job.next()
    assert (first != parent) if cores() >= 2 else (first == parent)
    assert [job.next() for _ in range(3)] == [0, 1, 2]  # the third from this process
    with pytest.raises(StopIteration):
        job.next()
    job.close()

    whole = Steps(lambda: iter(range(5)))
    assert [whole.next() for _ in range(5)] == [0, 1, 2, 3, 4]
    with pytest.raises(StopIteration):
        whole.next()
