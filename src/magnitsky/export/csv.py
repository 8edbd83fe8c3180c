"""Flat CSV tables of the store: designations, events, persons (one row per listing per
program) and multilateral (one row per multilateral person and jurisdiction)."""

from __future__ import annotations

from pathlib import Path

from magnitsky import queries
from magnitsky.analysis import multilateral
from magnitsky.output import render
from magnitsky.store import Store

DESIGNATION_COLUMNS = ("source", *queries.DESIGNATION_COLUMNS, "date_source", "person_id")


def write_csv(store: Store, folder: Path) -> list[tuple[Path, int]]:
    """Write the four tables into ``folder``; (path, rows) of each."""
    folder.mkdir(parents=True, exist_ok=True)
    person_of = {
        (source, source_id): person
        for person, source, source_id in store.rows(
            "SELECT person_id, source, source_id FROM persons"
        )
    }
    designations = queries.designations(store)
    for row in designations:
        row["person_id"] = person_of.get((row["source"], row["source_id"]))
    found = multilateral.persons(store)
    tables = {
        "designations": (designations, DESIGNATION_COLUMNS),
        "events": (queries.events(store), queries.EVENT_COLUMNS),
        "persons": (multilateral.listings(store), multilateral.LISTING_COLUMNS),
        "multilateral": (
            multilateral.rows(multilateral.multilateral(found)),
            (*multilateral.MULTILATERAL_COLUMNS, "date_source"),
        ),
    }
    out = []
    for name, (rows, columns) in tables.items():
        path = folder / f"{name}.csv"
        path.write_text(render(rows, "csv", columns) + "\n", "utf-8")
        out.append((path, len(rows)))
    return out
