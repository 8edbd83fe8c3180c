"""Hand-made designations for the analysis tests: rows written straight into a temp
store (a record with its remarks, and the dated designation), so the right answer of
every count is known in advance."""

from __future__ import annotations

import json
from datetime import date
from itertools import count
from typing import Any

from magnitsky.store import Store

_HASHES = count(1)
SOURCE = "us-ofac-sdn"


def designate(
    store: Store,
    source_id: str,
    name: str,
    listed: date | tuple[date | None, date],
    schema: str = "Person",
    program: str = "US-GLOMAG",
    remarks: str | None = None,
    title: str | None = None,
    linked_to: tuple[str, ...] = (),
    nationalities: tuple[str, ...] = (),
    delisted: date | None = None,
    quality: str | None = None,
) -> None:
    """One designation: ``listed`` is an exact day or a (not before, not after) bracket;
    a bracket without a lower bound is a baseline."""
    lo, hi = listed if isinstance(listed, tuple) else (listed, listed)
    quality = quality or ("exact" if lo == hi else "bracket" if lo else "baseline")
    record_hash = next(_HASHES)
    content = {
        "source": SOURCE, "source_id": source_id, "name": name, "schema": schema,
        "programs": ["GLOMAG"], "aliases": [], "title": title, "birth_dates": [],
        "nationalities": list(nationalities), "countries": list(nationalities),
        "addresses": [], "identifiers": [], "linked_to": list(linked_to), "remarks": remarks,
        "listed_on": None, "extra": [],
    }  # fmt: skip
    store.con.execute(
        "INSERT INTO records (source, record_hash, source_id, name, schema, programs, aliases,"
        " birth_dates, identifiers, linked_to, countries, title, content)"
        " VALUES (?, ?, ?, ?, ?, ['GLOMAG'], [], [], [], ?, ?, ?, ?)",
        [SOURCE, record_hash, source_id, name, schema, list(linked_to), list(nationalities),
         title, json.dumps(content)],
    )  # fmt: skip
    row: dict[str, Any] = {
        "jurisdiction": "US", "program": program, "tag": program.split("-", 1)[1],
        "source": SOURCE, "source_id": source_id, "name": name, "schema": schema,
        "listed_on": hi, "listed_not_before": lo, "listed_not_after": hi,
        "date_quality": quality, "date_source": "hand-made",
        "delisted_on": delisted, "delisted_not_before": delisted,
        "delisted_quality": "exact" if delisted else None, "delisted_source": None,
        "linked_to": list(linked_to), "title": title, "countries": list(nationalities),
        "aliases": [], "record_hash": record_hash,
    }  # fmt: skip
    names = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    store.con.execute(f"INSERT INTO designations ({names}) VALUES ({marks})", list(row.values()))


def yearly_exact(store: Store, counts: dict[int, int], day: tuple[int, int] = (6, 1)) -> None:
    """``counts[year]`` individuals designated on an exact day of each year."""
    for year, n in counts.items():
        for i in range(n):
            designate(store, f"{year}-{i}", f"PERSON {year} {i}", date(year, *day))
