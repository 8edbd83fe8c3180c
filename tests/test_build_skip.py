"""A build does not redo what did not change: a git bundle, document or text whose very
content it has read is skipped (no clone, no parse); an import that adds listings gives
them their persons at once."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from magnitsky import settings as settings_module
from magnitsky.build import build, ingest
from magnitsky.store import open_store
from tests.history_fixtures import history, write_changes


def _git(repo: Path, *args: str, when: str | None = None) -> None:
    env = dict(os.environ)
    if when:
        env["GIT_COMMITTER_DATE"] = env["GIT_AUTHOR_DATE"] = f"{when}T12:00:00+00:00"
    subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@localhost", *args],
        check=True,
        capture_output=True,
        env=env,
    )


def _bundle(work: Path, versions: dict[str, Path], out: Path) -> None:
    """A git history of sdn.csv, one commit per version added to it, as a bundle."""
    if not work.exists():
        work.mkdir()
        _git(work, "init", "-q", "-b", "main")
    for day, path in sorted(versions.items()):
        (work / "sdn.csv").write_bytes(path.read_bytes())
        _git(work, "add", "sdn.csv")
        _git(work, "commit", "-q", "-m", day, when=day)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.unlink(missing_ok=True)
    _git(work, "bundle", "create", str(out), "--all")


def _counts(db: Path) -> tuple[int, ...]:
    with open_store(db) as store:
        return tuple(
            int(store.scalar(f"SELECT count(*) FROM {table}"))
            for table in ("snapshots", "records", "events", "designations", "documents", "persons")
        )


def test_an_unchanged_build_reads_nothing_again(tmp_path: Path) -> None:
    versions = history(tmp_path / "versions")
    data = tmp_path / "data"
    bundle = data / "us" / "ofac" / "sdn-csv-history.bundle"
    early = {day: path for day, path in versions.items() if day < "2023-04-01"}
    _bundle(tmp_path / "git", early, bundle)
    write_changes(data / "us" / "ofac" / "changes" / "sdnnew23.txt")
    settings = settings_module.load()
    db = tmp_path / "store.duckdb"

    with open_store(db) as store:
        first = build(store, settings, data)
    assert first.snapshots_added == 3
    assert first.documents_added == 1
    assert first.matching, "the first build matches the persons"
    before = _counts(db)

    with open_store(db) as store:
        second = build(store, settings, data)
    assert second.bundles_unchanged == 1
    assert second.snapshots_added == 0
    assert (second.documents_added, second.documents_unchanged) == (0, 1)
    assert second.matching == "", "nothing changed: the persons are not derived again"
    assert _counts(db) == before

    # A new version in the bundle: the bundle is read again, the new version added.
    later = {day: path for day, path in versions.items() if day not in early}
    _bundle(tmp_path / "git", later, bundle)
    with open_store(db) as store:
        third = build(store, settings, data)
    assert third.bundles_unchanged == 0
    assert (third.snapshots_added, third.snapshots_unchanged) == (1, 3)
    assert _counts(db)[0] == before[0] + 1


def test_ingest_gives_new_listings_their_persons(tmp_path: Path) -> None:
    versions = history(tmp_path / "versions")
    settings = settings_module.load()
    with open_store(tmp_path / "store.duckdb") as store:
        report = ingest(store, settings, [versions["2023-02-10"]])
        assert report.matching
        listed = store.scalar("SELECT count(DISTINCT source_id) FROM designations")
        persons = store.scalar("SELECT count(*) FROM persons")
    assert listed == 6  # the five entries of BASE and 105
    assert persons == listed


def test_ingesting_a_dated_document_gives_the_entry_it_lists_its_person(tmp_path: Path) -> None:
    versions = history(tmp_path / "versions")
    settings = settings_module.load()
    with open_store(tmp_path / "store.duckdb") as store:
        ingest(store, settings, [versions["2023-01-10"]])
        report = ingest(store, settings, [write_changes(tmp_path / "sdnnew23.txt")])
        # JUDGE, New is listed by the changes document alone (no snapshot holds him yet)
        listed = {k for k in store.rows("SELECT DISTINCT source, source_id FROM designations")}
        persons = {k for k in store.rows("SELECT source, source_id FROM persons")}
    assert ("us-ofac-sdn", "name:JUDGE NEW") in listed
    assert persons == listed
    assert "1 new or changed listings matched against the rest" in report.matching
