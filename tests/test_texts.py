"""Official texts in the store: kept verbatim, linked, dating, and stored nowhere when bad."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from magnitsky import build, settings
from magnitsky.history.texts import facts_by_entry
from magnitsky.listing import ReaderError
from magnitsky.store import Store, open_store

SETTINGS = settings.load()
RELEASES = "us/treasury/press_releases"


def _dump(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    tables = [r[0] for r in store.rows("SELECT table_name FROM information_schema.tables")]
    return {t: sorted(store.rows(f"SELECT * FROM {t}"), key=repr) for t in tables}


@pytest.fixture()
def store(tmp_path: Path, shared_data: Path) -> Store:
    opened = open_store(tmp_path / "texts.duckdb")
    build.ingest(opened, SETTINGS, [shared_data / "us/ofac/snapshots/sdn_2018-01-26.csv",
                                   shared_data / "us/ofac/snapshots/sdn_2019-01-04.csv"])
    return opened


def test_a_press_release_dates_its_designees_and_keeps_its_facts(
    store: Store, shared_data: Path
) -> None:
    before = store.dicts("SELECT * FROM designations WHERE program = 'US-GLOMAG'"
                         " AND name LIKE 'AUNG KYAW ZAW%'")
    assert before and before[0]["date_quality"] == "bracket"
    build.add_texts(store, SETTINGS, [shared_data / RELEASES / "sm460.html"])
    after = store.dicts("SELECT * FROM designations WHERE program = 'US-GLOMAG'"
                        " AND name LIKE 'AUNG KYAW ZAW%'")[0]
    assert (after["listed_on"], after["date_quality"]) == (date(2018, 8, 17), "exact")
    assert after["date_source"] == "sm460.html"
    facts = facts_by_entry(store)[("us-ofac-sdn", after["source_id"])]
    basis = [f for f in facts if f["kind"] == "basis"]
    assert basis and basis[0]["coarse"] == "human_rights"
    assert basis[0]["section"].startswith("1(a)(ii)(C)")
    for fact in facts:
        assert fact["matched"] and fact["matched"].lower() in fact["sentence"].lower()
    text = store.scalar("SELECT content FROM texts")
    assert text == (shared_data / RELEASES / "sm460.html").read_text(encoding="utf-8")


def test_the_same_text_again_changes_nothing(store: Store, shared_data: Path) -> None:
    build.add_texts(store, SETTINGS, [shared_data / RELEASES / "sm460.html"])
    first = _dump(store)
    report = build.add_texts(store, SETTINGS, [shared_data / RELEASES / "sm460.html"])
    assert report.documents_added == 0 and report.documents_unchanged == 1
    assert _dump(store) == first


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"<html><body><p>Page not found</p></body></html>",
        b"<html><body><article about='/news/press-releases/x2'><time datetime='2020-01-01T1",
    ],
    ids=["empty", "not a release", "mangled"],
)
def test_a_bad_text_is_reported_and_stored_nowhere(
    store: Store, tmp_path: Path, shared_data: Path, content: bytes
) -> None:
    good = tmp_path / "sm460.html"
    shutil.copy(shared_data / RELEASES / "sm460.html", good)
    bad = tmp_path / "bad.html"
    bad.write_bytes(content)
    before = _dump(store)
    with pytest.raises(ReaderError) as error:
        build.add_texts(store, SETTINGS, [good, bad])
    assert str(bad) in str(error.value)
    assert _dump(store) == before


def test_a_release_without_designations_is_stored_and_what_was_not_read_is_said(
    store: Store, shared_data: Path
) -> None:
    # An Iran internet-freedom guidance: no designation. Refused as a whole file before.
    path = shared_data / "us/treasury/press_releases_other/sm0322.html"
    report = build.add_texts(store, SETTINGS, [path])
    assert report.documents_added == 1 and report.actions_added == 0
    assert report.text_problems == [f"{path}: no designee found: the release designates no one by name"]
    assert store.scalar("SELECT count(*) FROM texts WHERE published = DATE '2018-03-19'") == 1


def test_the_evidence_commands(tmp_path: Path, shared_data: Path) -> None:
    import subprocess
    import sys

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "magnitsky.cli", "--db",
                               str(tmp_path / "cli.duckdb"), *args],
                              capture_output=True, text=True, timeout=300)

    done = run("evidence", "eval", "--labels", str(Path(__file__).parent / "labels/press_releases.toml"),
               "--releases", str(shared_data / RELEASES))
    assert done.returncode == 0, done.stderr
    assert "basis accuracy" in done.stdout
    bad = tmp_path / "x.html"
    bad.write_text("<html></html>")
    done = run("evidence", "add", str(bad))
    assert done.returncode == 1 and str(bad) in done.stderr
    done = run("evidence", "add", "--url", "https://home.treasury.gov/news/press-releases/sm460",
               str(shared_data / RELEASES / "sm460.html"))
    assert done.returncode == 0, done.stderr
    facts = run("evidence", "facts", "--format", "csv").stdout
    # No list in this store: the designations are the text's own (ids "name:…"), and its
    # facts go with them.
    lines = [line for line in facts.splitlines() if "press-releases/sm460" in line]
    assert lines and all(line.startswith("us-ofac-sdn,name:") for line in lines)
    assert run("actions", "--unlinked", "--format", "csv").stdout.count("sm460.html") >= 4


def test_uk_and_eu_statements_of_reasons_give_themes_and_victim_groups(built_store: Path) -> None:
    from magnitsky.analysis.designations import load

    with open_store(built_store, read_only=True) as opened:
        uk = load(opened, "GB-HR")
        eu = load(opened, "EU-HR")
    tortured = [r for r in uk if "torture" in r["themes"]]
    assert len(tortured) > 50
    assert all("statement of reasons" in (r["evidence_url"] or "") for r in tortured)
    women = [r for r in eu if "women_and_girls" in r["victim_groups"]]
    assert women
    for r in women:
        shown = next(e for e in r["victim_evidence"] if e.startswith("women_and_girls"))
        assert "statement of reasons" in shown


# -- the list says who, the text says why -------------------------------------------------


def test_the_abbreviation_a_release_declares_links_to_the_entry_of_the_full_name(
    built_store: Path,
) -> None:
    # sm460 writes "the 33rd Light Infantry Division (LID) and the 99th LID"; the list's
    # entry is 99TH LIGHT INFANTRY DIVISION OF THE BURMESE ARMY (24811).
    with open_store(built_store, read_only=True) as opened:
        row = opened.dicts(
            "SELECT listed_on, date_quality, date_source FROM designations"
            " WHERE source_id = '24811' AND program = 'US-GLOMAG'"
        )
        facts = facts_by_entry(opened, reasons_of=())[("us-ofac-sdn", "24811")]
    assert row == [
        {"listed_on": date(2018, 8, 17), "date_quality": "exact", "date_source": "sm460.html"}
    ]
    basis = [f for f in facts if f["kind"] == "basis"]
    assert [(f["label"], f["section"]) for f in basis] == [("human_rights", "1(a)(ii)(A)")]
    assert "The 99th LID is designated for engaging in serious human rights abuse" in (
        basis[0]["sentence"]
    )


def test_texts_link_to_designations_known_only_from_recent_actions_pages(
    built_store: Path,
) -> None:
    # No snapshot holds the 2025 designations: they come from the Recent Actions pages of
    # 2025-07-30 and 2025-09-22, and the releases sb0211 and sb0257 say why.
    with open_store(built_store, read_only=True) as opened:
        facts = facts_by_entry(opened, reasons_of=())
    expected = {
        "name:ALEXANDRE DE MORAES": ("human_rights", "sb0211.html"),
        "name:BARCI DE MORAES VIVIANE": ("leader_of", "sb0257.html"),
        "name:DE ESTUDOS INSTITUTO JURIDICOS LEX LTDA": ("support", "sb0257.html"),
    }
    for sid, (label, document) in expected.items():
        basis = [f for f in facts[("us-ofac-sdn", sid)] if f["kind"] == "basis"]
        assert [(f["label"], f["document"]) for f in basis] == [(label, document)], sid
    themes = {f["label"] for f in facts[("us-ofac-sdn", "name:ALEXANDRE DE MORAES")]}
    assert "arbitrary_detention" in themes
