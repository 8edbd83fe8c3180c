"""Exports: FollowTheMoney entities that the model loads back unchanged, and flat CSV
tables."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from followthemoney import model

from magnitsky.cli import cli
from magnitsky.cli_multilateral import COMMANDS
from magnitsky.export.ftm import write_ftm
from magnitsky.store import open_store

pytest_plugins = ["tests.matching_fixtures"]  # persons_store, one per session

for command in COMMANDS:
    if command.name not in cli.commands:
        cli.add_command(command)


@pytest.fixture(scope="module")
def ftm_file(persons_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("ftm") / "entities.ftm.json"
    with open_store(persons_store, read_only=True) as store:
        write_ftm(store, out)
    return out


def load_strictly(line: str) -> dict:  # type: ignore[type-arg]
    """The entity as the model reads it: every property known to the schema and every
    value valid (the model's cleaning changes nothing and drops nothing)."""
    data = json.loads(line)
    proxy = model.get_proxy(data, cleaned=False)
    assert proxy.to_dict()["properties"] == data["properties"], data["id"]
    assert proxy.id == data["id"] and proxy.schema.name == data["schema"]
    for prop in data["properties"]:
        assert proxy.schema.get(prop) is not None, (data["schema"], prop)
    return data


def test_ftm_entities_are_valid_and_every_sanction_points_at_an_entity(
    persons_store: Path, ftm_file: Path
) -> None:
    out = ftm_file
    with open_store(persons_store, read_only=True) as store:
        designations = store.scalar("SELECT count(*) FROM designations")
        persons = store.scalar("SELECT count(DISTINCT person_id) FROM persons")
    entities = [load_strictly(line) for line in out.read_text("utf-8").splitlines()]
    schemas = Counter(e["schema"] for e in entities)
    assert set(schemas) == {"Person", "Organization", "Vessel", "Airplane", "Sanction"}
    assert schemas["Sanction"] == designations
    assert sum(n for s, n in schemas.items() if s != "Sanction") == persons
    ids = {e["id"] for e in entities if e["schema"] != "Sanction"}
    assert len(ids) == persons
    for sanction in (e for e in entities if e["schema"] == "Sanction"):
        props = sanction["properties"]
        assert props["entity"][0] in ids
        assert props["programId"] and props["authority"] and props["sourceUrl"]
        assert props["recordId"]


def test_a_person_of_four_lists_is_one_entity_with_a_sanction_from_each(
    persons_store: Path, ftm_file: Path
) -> None:
    out = ftm_file
    with open_store(persons_store, read_only=True) as store:
        person = store.scalar(
            "SELECT person_id FROM persons WHERE source = 'us-ofac-sdn' AND source_id = '29219'"
        )
    entities = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    zhu = next(e for e in entities if e["id"] == f"magnitsky-{person}")
    assert zhu["schema"] == "Person"
    assert "1958-01" in zhu["properties"]["birthDate"] or "1958" in zhu["properties"]["birthDate"]
    assert zhu["properties"]["nationality"] == ["cn"]
    sanctions = [
        e["properties"]
        for e in entities
        if e["schema"] == "Sanction" and e["properties"]["entity"] == [zhu["id"]]
    ]
    by_program = {s["programId"][0]: s for s in sanctions}
    assert {"US-GLOMAG", "GB-HR", "EU-HR"} <= set(by_program)
    assert by_program["GB-HR"]["listingDate"] == ["2021-03-22"]
    assert "Xinjiang" in by_program["GB-HR"]["reason"][0]
    assert by_program["EU-HR"]["country"] == ["eu"]
    # the US date is a bracket over several months: no day, no month is claimed
    assert "listingDate" not in by_program["US-GLOMAG"]
    assert by_program["US-GLOMAG"]["description"][0].startswith("listing date bracket")


def test_the_export_command_says_what_it_wrote(persons_store: Path, tmp_path: Path) -> None:
    out = tmp_path / "all.ftm.json"
    result = CliRunner().invoke(
        cli, ["--db", str(persons_store), "export", "ftm", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "Sanction" in result.output and out.stat().st_size > 0


def test_csv_export_writes_the_four_tables(persons_store: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["--db", str(persons_store), "export", "csv", "--out", str(tmp_path / "csv")]
    )
    assert result.exit_code == 0, result.output
    tables = {p.stem: p for p in (tmp_path / "csv").glob("*.csv")}
    assert set(tables) == {"designations", "events", "persons", "multilateral"}
    with tables["designations"].open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert rows and all(r["person_id"] for r in rows)
    assert {"program", "source_id", "listed_on", "date_quality"} <= set(rows[0])
    with tables["multilateral"].open(encoding="utf-8") as f:
        multilateral = list(csv.DictReader(f))
    assert {r["jurisdiction"] for r in multilateral} >= {"US", "GB", "EU", "CA", "AU"}


def test_a_listing_day_known_from_an_official_text_is_written_as_a_day(
    ftm_file: Path, persons_store: Path
) -> None:
    """Gül and Soylu are on no snapshot of the SDN list: Treasury's press release sm453
    dates them (``text_only``). Their sanctions carry the day, not the month."""
    with open_store(persons_store, read_only=True) as store:
        text_only = store.rows(
            "SELECT source_id, listed_on FROM designations WHERE date_quality = 'text_only'"
        )
    assert text_only
    days = {str(day) for _, day in text_only}
    sanctions = [
        json.loads(line) for line in ftm_file.read_text().splitlines() if '"Sanction"' in line
    ]
    described = [
        s for s in sanctions
        if any("text_only" in d for d in s["properties"].get("description", []))
    ]
    assert len(described) == len(text_only)
    for s in described:
        assert s["properties"]["listingDate"][0] in days, s["properties"]
