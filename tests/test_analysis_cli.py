"""The analysis on the command line: basis columns and filters, averages, precedents."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.history_fixtures import history, write_changes
from tests.test_cli import magnitsky


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("analysis-cli")
    path = tmp / "cli.duckdb"
    history(tmp / "h")
    assert magnitsky(path, "history", "import-dir", str(tmp / "h")).returncode == 0
    assert magnitsky(path, "ingest", str(write_changes(tmp / "sdnnew23.txt"))).returncode == 0
    return path


def test_designations_carry_basis_roles_and_countries_and_filter_by_them(db: Path) -> None:
    done = magnitsky(db, "designations", "--program", "US-GLOMAG", "--basis", "ties",
                     "--format", "json")
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert {r["source_id"] for r in rows} == {"103"}
    assert rows[0]["basis_evidence"] == "Linked To: OFFICIAL, Corrupt (SDN remarks)"
    assert {"basis", "basis_evidence", "roles", "country_codes"} <= set(rows[0])
    done = magnitsky(db, "designations", "--country", "py", "--format", "json")
    assert [r["source_id"] for r in json.loads(done.stdout)] == ["101"]  # nationality Paraguay
    done = magnitsky(db, "designations", "--country", "Brazil", "--format", "json")
    assert [r["source_id"] for r in json.loads(done.stdout)] == ["105"]
    done = magnitsky(db, "designations", "--country", "Atlantis")
    assert done.returncode == 2 and "not a known country" in done.stderr


def test_stats_yearly_has_basis_columns_and_the_average_of_the_years_before(db: Path) -> None:
    done = magnitsky(db, "stats", "yearly", "--program", "US-GLOMAG", "--average-years", "2",
                     "--format", "json")
    assert done.returncode == 0, done.stderr
    rows = {r["year"]: r for r in json.loads(done.stdout)}
    year = rows[2023]
    assert (year["ties_min"], year["ties_max"]) == (1, 2)  # 103 relisted; 103 first listed maybe
    assert year["unknown_min"] + year["ties_min"] + year["direct_min"] == year["persons_min"]
    assert (year["avg_persons_min"], year["avg_persons_max"]) == (0.0, 1.0)  # 2021-2022: 0-2 / 2
    table = magnitsky(db, "stats", "yearly", "--program", "US-GLOMAG")
    assert "3–5" in table.stdout and "avg_persons" in table.stdout


def test_precedents_name_the_first_of_each_kind(db: Path) -> None:
    done = magnitsky(db, "precedents", "--program", "US-GLOMAG", "--format", "json")
    assert done.returncode == 0, done.stderr
    rows = {(r["kind"], r["value"]): r for r in json.loads(done.stdout)}
    assert rows[("country", "BR")]["name"] == "JUDGE, New"
    assert rows[("country", "BR")]["date_quality"] == "exact"
    assert rows[("basis", "ties")]["name"] == "SHELL COMPANY LTD"
    done = magnitsky(db, "precedents", "--program", "US-NOPE")
    assert done.returncode == 1 and "no designations" in done.stderr


@pytest.fixture(scope="module")
def texts_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.text_fixtures import text_store

    return text_store(tmp_path_factory.mktemp("texts-cli"))


def test_designations_show_and_filter_themes_and_victim_groups_of_the_texts(texts_db: Path) -> None:
    from tests.text_fixtures import SILVA, URL

    done = magnitsky(texts_db, "designations", "--program", "US-GLOMAG", "--format", "json")
    assert done.returncode == 0, done.stderr
    rows = {r["source_id"]: r for r in json.loads(done.stdout)}
    assert {"themes", "victim_groups", "evidence_url", "basis_source"} <= set(rows[SILVA])
    assert (rows[SILVA]["themes"], rows[SILVA]["victim_groups"]) == (["human_trafficking"], ["women_and_girls"])
    assert (rows[SILVA]["evidence_url"], rows[SILVA]["basis"]) == (URL, "human_rights")
    assert rows["103"]["themes"] == [] and rows["103"]["evidence_url"] is None
    for option, value, expected in (("--theme", "human_trafficking", [SILVA]), ("--theme", "torture", []),
                                    ("--victim-group", "women_and_girls", [SILVA]),
                                    ("--victim-group", "children", [])):
        done = magnitsky(texts_db, "designations", option, value, "--format", "json")
        assert done.returncode == 0, done.stderr
        assert [r["source_id"] for r in json.loads(done.stdout)] == expected, (option, value)
    done = magnitsky(texts_db, "designations", "--theme", "jaywalking")
    assert done.returncode == 2 and "jaywalking" in done.stderr
    table = magnitsky(texts_db, "designations", "--theme", "human_trafficking").stdout
    assert "human_trafficking" in table.splitlines()[2] and "evidence_url" in table.splitlines()[0]


def test_precedents_of_the_new_kinds(texts_db: Path) -> None:
    for kind, value in (("theme", "human_trafficking"), ("victim_group", "women_and_girls"),
                        ("role", "judge")):
        done = magnitsky(texts_db, "precedents", "--program", "US-GLOMAG", "--kind", kind,
                         "--format", "json")
        assert done.returncode == 0, done.stderr
        rows = json.loads(done.stdout)
        assert [(r["kind"], r["value"], r["name"]) for r in rows] == [(kind, value, "SILVA, Maria")]
