"""What ``build`` keeps so that a fresh web server answers any filter at once: the fields
the designations browser filters on, for every designation whose whole analysis is not
kept (analysis/facets.py). Kept or not, the answers are the same; bench/web_bench.py
measures the time."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest
from starlette.datastructures import QueryParams

from magnitsky import queries
from magnitsky.analysis import facets, roles, stored
from magnitsky.analysis.designations import enrich, with_records
from magnitsky.programs import is_magnitsky
from magnitsky.search import load_countries
from magnitsky.store import open_store
from magnitsky.web import selection
from magnitsky.web.catalogue import Catalogue


@pytest.fixture(scope="module")
def without_facets(built_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the built store without the kept facets."""
    db = tmp_path_factory.mktemp("no-facets") / "magnitsky.duckdb"
    shutil.copy(built_store, db)
    with open_store(db) as store:
        store.con.execute(f"DROP TABLE {facets.TABLE}")
    return db


def test_the_build_keeps_the_facets_of_every_designation_not_kept_whole(
    built_store: Path,
) -> None:
    with open_store(built_store, read_only=True) as store:
        others = [r for r in queries.designations(store) if not is_magnitsky(r["program"])]
        prints = store.rows(f"SELECT DISTINCT fingerprint FROM {facets.TABLE}")
        kept = facets.kept(store, "basis")
    assert len(others) > 30_000
    assert prints == [(stored.fingerprint(),)]
    assert set(kept) == {stored.key(r) for r in others}
    assert {"ties", "unknown", "human_rights", "corruption"} <= set(kept.values())


def test_the_kept_facets_are_the_analysis(built_store: Path) -> None:
    with open_store(built_store, read_only=True) as store:
        load_countries(store)
        others = [r for r in queries.designations(store) if not is_magnitsky(r["program"])]
        sample = others[::23]
        fresh = enrich(store, sample)
        keys = {stored.key(r) for r in sample}
        whole = facets.analysed(store, keys)
        kept = {field: facets.kept(store, field) for field in facets.FIELDS}
    assert len(whole) == len(sample) > 1000
    for before, row in zip(sample, fresh, strict=True):
        key = stored.key(before)
        assert {f: kept[f][key] for f in facets.FIELDS} == {f: row[f] for f in facets.FIELDS}
        assert whole[key] == {k: v for k, v in row.items() if k not in before}, row["name"]
    assert any(row["roles"] for row in fresh) and any(row["country_codes"] for row in fresh)


@pytest.mark.parametrize(
    "query",
    [
        "program=US-SDGT&basis=ties&country=IQ",
        "program=US-RUSSIA-EO14024&sort=-basis&per_page=20",
        "program=US-IFSR&role=military&per_page=7&page=2",
        "jurisdiction=GB&basis=corruption&date_quality=exact",
    ],
)
def test_a_filter_answers_the_same_with_the_kept_facets_and_without(
    built_store: Path, without_facets: Path, query: str
) -> None:
    served, plain = Catalogue(built_store), Catalogue(without_facets)
    try:
        results = []
        for cat in (served, plain):
            chosen = selection.Selection.of(QueryParams(query), cat, 50, 500)
            results.append(selection.apply(chosen, cat))
        kept, anew = results
        assert kept.total == anew.total > 0
        assert kept.rows == anew.rows
        assert not served._based  # filtered on what was kept: nothing analysed
        assert len(served._enriched) <= len(served.indices("magnitsky")) + len(kept.rows)
    finally:
        served.close()
        plain.close()


def test_the_screen_of_each_role_rule_finds_the_same_roles(
    built_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_store(built_store, read_only=True) as store:
        rows = [r for r in queries.designations(store) if r["schema"] == "Person"][::2]
        rows = with_records(store, rows)
    screened = [roles.roles_of(row) for row in rows]
    unscreened = tuple(dataclasses.replace(rule, screen=None) for rule in roles.rules())
    monkeypatch.setattr(roles, "rules", lambda: unscreened)
    plain = [roles.roles_of(row) for row in rows]
    assert screened == plain
    assert sum(1 for found in plain if found) > 1000


def test_the_kept_statements_of_reasons_are_those_read(built_store: Path) -> None:
    from magnitsky.analysis.texts import OfficialTexts

    with open_store(built_store, read_only=True) as store:
        texts = OfficialTexts.of(store)
        texts.read_every(s for (s,) in store.rows("SELECT DISTINCT source FROM designations"))
        read = {k: v for k, v in texts.by_entry.items() if k[0] != facets.OFAC}
        kept = {k: facets.reasons(store, *k) for k in read}
        nothing = facets.reasons(store, "gb-ofsi", "no such entry")
    assert len(read) > 100 and {s for s, _ in read} >= {"gb-ofsi", "eu-oj-annex"}
    assert kept == read
    assert nothing == []
