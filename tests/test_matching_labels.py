"""Persons across the real lists: the hand-labelled pairs, the evidence kept for every
decision, and the user's judgements, which outlive every rebuild."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from magnitsky import build, settings
from magnitsky.cli import cli
from magnitsky.cli_multilateral import COMMANDS, review_rows
from magnitsky.matching.evaluate import evaluate, load_labels
from magnitsky.matching.persons import judge, load_judgements, recluster
from magnitsky.store import open_store
from tests.matching_helpers import copy_of

pytest_plugins = ["tests.matching_fixtures"]  # persons_store, one per session

LABELS = Path(__file__).parent / "labels" / "match_pairs.toml"
MIN_PRECISION = 0.97
MIN_RECALL = 0.90

for command in COMMANDS:
    if command.name not in cli.commands:
        cli.add_command(command)


def person_of(store, source: str, source_id: str) -> str:  # type: ignore[no-untyped-def]
    return str(
        store.scalar(
            "SELECT person_id FROM persons WHERE source = ? AND source_id = ?", [source, source_id]
        )
    )


def test_the_labelled_pairs_are_at_least_sixty_each_with_its_reason() -> None:
    labels = load_labels(LABELS)
    assert len(labels) >= 60
    assert all(label.note.strip() for label in labels)
    assert {True, False} == {label.same for label in labels}
    assert len({(label.a, label.b) for label in labels}) == len(labels)


def test_matching_reaches_the_precision_and_recall_asked_for(persons_store: Path) -> None:
    with open_store(persons_store, read_only=True) as store:
        result = evaluate(store, load_labels(LABELS))
    assert not result.missing, f"labelled listings not in the store: {result.missing}"
    assert result.precision >= MIN_PRECISION, result.errors
    assert result.recall >= MIN_RECALL, result.errors


def test_every_listing_of_every_list_has_a_person(persons_store: Path) -> None:
    with open_store(persons_store, read_only=True) as store:
        listings = store.scalar("SELECT count(DISTINCT (source, source_id)) FROM designations")
        persons = store.scalar("SELECT count(*) FROM persons")
        statuses = {s for (s,) in store.rows("SELECT DISTINCT match_status FROM persons")}
        unscored = store.scalar(
            "SELECT count(*) FROM persons WHERE match_status IN ('automatic', 'possible')"
            " AND match_score IS NULL"
        )
    assert persons == listings
    assert statuses <= {"automatic", "confirmed", "possible", "single"}
    assert unscored == 0


def test_every_matched_pair_keeps_its_score_and_evidence(persons_store: Path) -> None:
    with open_store(persons_store, read_only=True) as store:
        pairs = store.dicts("SELECT * FROM match_pairs WHERE status = 'automatic' LIMIT 200")
    assert pairs
    for pair in pairs:
        features = json.loads(pair["evidence"])
        assert features and {"feature", "weight", "value", "evidence"} <= set(features[0])
        weighted = sum(f["weight"] * f["value"] for f in features)
        assert pair["score"] == pytest.approx(min(max(weighted, 0.0), 1.0), abs=1e-3)


def test_one_person_listed_by_four_jurisdictions_under_magnitsky_programs(
    persons_store: Path,
) -> None:
    """Alexander Bastrykin: US-MAGNITSKY, GB-HR, EU-HR, CA-JVCFOA, AU-HUMAN."""
    with open_store(persons_store, read_only=True) as store:
        ids = {
            person_of(store, s, i)
            for s, i in (
                ("us-ofac-sdn", "21186"),
                ("gb-ofsi", "13867"),
                ("eu-oj-annex", "32020R1998/I.A/2"),
                ("ca-sema", "JVCFOA/1/1/21"),
                ("au-dfat", "6854"),
            )
        }
    assert len(ids) == 1


def test_a_judgement_survives_rederiving_and_rebuilding(
    persons_store: Path, shared_data: Path, tmp_path: Path
) -> None:
    path = copy_of(persons_store, tmp_path)
    twins = ("gb-ofsi", "11937"), ("au-dfat", "2249")  # Ihab and Iyad Makhlouf
    same = ("au-dfat", "6656"), ("us-ofac-sdn", "24183")  # Igor Rotenberg, dates disagree
    with open_store(path) as store:
        assert person_of(store, *same[0]) != person_of(store, *same[1])
        with store.transaction():
            judge(store, *same, "confirmed", "same name and patronymic; lists disagree on DOB")
            judge(store, *twins, "rejected")
        assert person_of(store, *same[0]) == person_of(store, *same[1])
        build.build(store, settings.load(), shared_data)  # a rebuild: nothing new to import
        with store.transaction():
            recluster(
                store
            )  # what a judgement changes (derive_persons: tests/test_matching_store.py)
        assert len(load_judgements(store)) == 2
        assert person_of(store, *same[0]) == person_of(store, *same[1])
        assert person_of(store, *twins[0]) != person_of(store, *twins[1])
        statuses = dict(
            store.rows(
                "SELECT source || ':' || source_id, match_status FROM persons"
                " WHERE (source, source_id) IN ((?, ?), (?, ?))",
                [*same[0], *same[1]],
            )
        )
    assert set(statuses.values()) == {"confirmed"}


def test_review_lists_possible_matches_and_stores_a_judgement(
    persons_store: Path, tmp_path: Path
) -> None:
    path = copy_of(persons_store, tmp_path)
    with open_store(path, read_only=True) as store:
        waiting = review_rows(store)
    assert waiting and all(r["status"] in ("possible", "automatic") for r in waiting)
    assert waiting == sorted(waiting, key=lambda r: -r["score"])
    first = waiting[0]
    runner = CliRunner()
    listed = runner.invoke(cli, ["--db", str(path), "match", "review", "--format", "json"])
    assert listed.exit_code == 0, listed.output
    assert json.loads(listed.output)[0]["a"] == first["a"]
    done = runner.invoke(
        cli, ["--db", str(path), "match", "review", "--reject", first["a"], first["b"]]
    )
    assert done.exit_code == 0, done.output
    assert done.output.startswith("rejected: ")
    again = runner.invoke(cli, ["--db", str(path), "match", "review", "--format", "json"])
    assert (first["a"], first["b"]) not in {(r["a"], r["b"]) for r in json.loads(again.output)}
    magnitsky = runner.invoke(
        cli, ["--db", str(path), "match", "review", "--programs", "magnitsky", "--format", "json"]
    )
    assert magnitsky.exit_code == 0, magnitsky.output
    narrowed = json.loads(magnitsky.output)
    assert 0 < len(narrowed) < len(waiting)
    assert all(r["why"].startswith("name_similarity") for r in narrowed)
    unknown = runner.invoke(
        cli, ["--db", str(path), "match", "review", "--confirm", "no-such:1", first["b"]]
    )
    assert unknown.exit_code != 0 and "no listing" in unknown.output
