"""The second core of a build changes no result: the pairs scored in two processes give
the same decisions in the same order as in one, and the countries resolved in a forked
process while the names are read (the listings' in one, the designations' with their
analysis in another) give the same listings and the same search tables."""

from __future__ import annotations

import os
import random
import shutil
from pathlib import Path

from magnitsky import queries
from magnitsky.analysis import countries
from magnitsky.analysis.facets import Alongside
from magnitsky.forked import Forked, cores
from magnitsky.matching import blocking
from magnitsky.matching.engine import score_pairs
from magnitsky.matching.listings import Reading, load_entries
from magnitsky.matching.profile import prepare
from magnitsky.search import TABLES, remember_names
from magnitsky.store import open_store


def test_forked_work_runs_in_another_process_and_a_failed_child_leaves_it_to_the_parent() -> None:
    parent = os.getpid()
    ran_in = Forked(os.getpid).result()
    assert (ran_in != parent) if cores() >= 2 else (ran_in == parent)

    def fails_in_a_child() -> int:
        if os.getpid() != parent:
            raise RuntimeError("child")
        return 7

    assert Forked(fails_in_a_child).result() == 7


def test_pairs_scored_in_two_processes_give_the_same_decisions_in_order(built_store: Path) -> None:
    with open_store(built_store, read_only=True) as store:
        entries = load_entries(store)
    profiles, counted = prepare(entries)
    pairs = sorted(random.Random(5).sample(blocking.candidate_pairs(profiles), 8000))
    alone = score_pairs(profiles, pairs, counted, parallel=False)
    two = score_pairs(profiles, pairs, counted, parallel=True)
    assert len(alone[0]) > 100
    assert two == alone  # every decision, its features and evidence, in the same order


def _search_tables(store) -> dict[str, list[tuple[object, ...]]]:  # type: ignore[no-untyped-def]
    return {t: store.rows(f"SELECT * FROM {t} ORDER BY ALL") for t in TABLES}


def test_countries_read_ahead_give_the_same_listings_and_search_tables(
    built_store: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "store.duckdb"
    shutil.copy(built_store, copy)
    saved = dict(countries.KNOWN), dict(countries.RESOLVED)
    found = {}
    try:
        with open_store(copy) as store:
            for ahead in (False, True):
                for table in TABLES:
                    store.con.execute(f"DELETE FROM {table}")
                countries.KNOWN.clear()
                countries.RESOLVED.clear()
                if ahead:
                    designations = queries.designations(store)
                    analysis = Alongside(store, designations)
                    reading = Reading()
                    entries = load_entries(store, reading)
                    assert reading.resolved
                    analysis.resolved()
                    remember_names(store, designations, countries_read=True)
                    analysis.keep(store)
                else:
                    entries = load_entries(store)
                    remember_names(store)
                found[ahead] = (entries, _search_tables(store))
    finally:
        countries.KNOWN.clear()
        countries.KNOWN.update(saved[0])
        countries.RESOLVED.clear()
        countries.RESOLVED.update(saved[1])
    assert len(found[True][0]) > 30_000
    assert all(len(rows) > 5000 for rows in found[True][1].values())
    assert found[True] == found[False]


def test_a_forked_child_ends_when_its_build_is_killed() -> None:
    """A build killed with SIGKILL leaves no forked child behind (one blocked on its pipe
    for ever held the store's file and the caller's output: the caller waited for ever)."""
    import signal
    import subprocess
    import sys
    import time

    script = (
        "import time\n"
        "from magnitsky.forked import Forked\n"
        "job = Forked(lambda: time.sleep(120) or 1)\n"
        "print(job._process.pid if job._process else 0, flush=True)\n"
        "time.sleep(120)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    child = int(proc.stdout.readline())
    assert child > 0, "no second core: nothing forked"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()

    def alive() -> bool:
        try:
            state = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except FileNotFoundError:
            return False
        return state != "Z"

    deadline = time.monotonic() + 10
    while alive() and time.monotonic() < deadline:
        time.sleep(0.05)
    still = alive()
    if still:
        os.kill(child, signal.SIGKILL)
    assert not still
    assert proc.stdout.read() == ""  # the output closed: nothing holds it open
