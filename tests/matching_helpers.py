"""Helpers of the matching, multilateral and export tests: copying a store, and
hand-made designations for small stores whose right answers are known in advance."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from magnitsky.store import Store


def copy_of(path: Path, tmp_path: Path) -> Path:
    target = tmp_path / "magnitsky.duckdb"
    shutil.copy(path, target)
    return target


JURISDICTIONS = {
    "us-ofac-sdn": "US",
    "gb-ofsi": "GB",
    "eu-oj-annex": "EU",
    "ca-sema": "CA",
    "au-dfat": "AU",
}


def designate(
    store: Store,
    source: str,
    source_id: str,
    name: str,
    program: str,
    listed: date | tuple[date | None, date],
    schema: str = "Person",
    aliases: tuple[str, ...] = (),
    countries: tuple[str, ...] = (),
    delisted: date | None = None,
) -> None:
    """One hand-made designation (no snapshot record behind it: the matcher reads its
    name, aliases and countries from the designation). ``listed``: an exact day or a
    (not before, not after) bracket; no lower bound is a baseline."""
    low, high = listed if isinstance(listed, tuple) else (listed, listed)
    quality = "exact" if low == high else "bracket" if low else "baseline"
    store.con.execute(
        "INSERT INTO designations (jurisdiction, program, tag, source, source_id, name,"
        " schema, listed_on, listed_not_before, listed_not_after, date_quality, date_source,"
        " delisted_on, countries, aliases) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            JURISDICTIONS[source],
            program,
            program.split("-", 1)[1],
            source,
            source_id,
            name,
            schema,
            high,
            low,
            high,
            quality,
            "hand-made",
            delisted,
            list(countries),
            list(aliases),
        ],
    )
