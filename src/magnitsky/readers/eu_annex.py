"""Annexes of EU sanctions regulations transcribed from the Official Journal, as CSV (the
OpenSanctions "EU Journal sanctions CSV format"; here Annex I of Council Regulation (EU)
2020/1998, the EU Global Human Rights Sanctions Regime).

UTF-8, comma-separated, one row per designated person in one legal context. A
consolidated file starts ``celex, recordId, programKey, annex, measure, startDate, reason,
schema, name, alias, weakAlias, previousName, country, nationality, …``; an amendment
file has ``amendedCelex, amendmentCelex`` instead of ``celex``. Entity columns hold several
values separated by ``;`` (CSV-quoted where a value holds ``;``).

One :class:`Listing` per row: ``source_id`` = ``<celex>/<annex>/<recordId>`` (the entry
number printed in the annex; the name's slug where the act prints none). ``programKey`` is
an OpenSanctions program key (``EU-HR``), turned into the raw tag of that program (``HR``)
so that ``programs`` holds tags as in every other source. ``listed_on`` = ``startDate``,
the per-designation date the annex prints (``2.3.2021``, ``2 March 2021``); ``reason``
(the statement of reasons) goes to ``extra.reasons``.

The data is CC BY-NC 4.0 (OpenSanctions): read it, never bundle it.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from magnitsky import programs
from magnitsky.listing import Listing, ReaderError, Schema
from magnitsky.readers import files

SOURCE = "eu-oj-annex"
_REQUIRED = ("recordId", "programKey", "annex", "startDate", "reason", "schema", "name")
_SCHEMAS: dict[str, Schema] = {"Person": "Person", "Vessel": "Vessel", "Airplane": "Airplane"}
_PROVENANCE = ("celex", "amendedCelex")

Row = dict[str, str]


def read(path: Path) -> list[Listing]:
    text = files.decode(files.read_bytes(path), path, fallback=None)
    rows = files.csv_rows(text, path)
    header = [c.strip() for c in rows[0]]
    missing = [c for c in _REQUIRED if c not in header]
    if missing or not any(c in header for c in _PROVENANCE):
        wanted = ", ".join(missing) or "celex or amendedCelex"
        raise ReaderError(path, f"not an EU Journal sanctions CSV: no column {wanted}")
    body = [r for r in rows[1:] if any(c.strip() for c in r)]
    if not body:
        raise ReaderError(path, "the file has a header but no entries")
    files.check_last_row(body[-1:], len(header), path)
    listings = [_listing(dict(zip(header, row, strict=False))) for row in body]
    ids = [listing.source_id for listing in listings]
    if len(set(ids)) != len(ids):
        twice = sorted({i for i in ids if ids.count(i) > 1})
        raise ReaderError(path, f"entries listed twice: {', '.join(twice[:5])}")
    return listings


def values(cell: str | None) -> tuple[str, ...]:
    """A multi-valued cell: ``Foo; "Bar; Baz"`` -> ``Foo``, ``Bar; Baz``."""
    if not cell or not cell.strip():
        return ()
    parts = next(csv.reader(io.StringIO(cell), delimiter=";", skipinitialspace=True))
    return files.unique(files.clean(p) for p in parts)


def _listing(row: Row) -> Listing:
    get = row.get
    name = files.clean(get("name")) or ""
    celex = get("celex") or get("amendedCelex") or ""
    record = get("recordId") or f"name:{files.slug(name)}"
    program_tags = programs.tags_for(get("programKey") or "")
    extra = [
        ("reasons", files.clean(get("reason"))),
        ("celex", celex),
        ("amendment_celex", get("amendmentCelex")),
        ("annex", get("annex")),
        ("measure", get("measure")),
        ("position", "; ".join(values(get("position")))),
        ("gender", get("gender")),
        ("start_date", files.clean(get("startDate"))),
    ]
    return Listing(
        source=SOURCE,
        source_id=f"{celex}/{get('annex') or ''}/{record}",
        name=name,
        schema=_SCHEMAS.get(get("schema") or "", "Organization"),
        programs=program_tags,
        aliases=files.unique(
            a for column in ("alias", "weakAlias", "previousName") for a in values(get(column))
        ),
        birth_dates=files.unique(files.partial_date(d) for d in values(get("birthDate"))),
        nationalities=values(get("nationality")),
        countries=files.unique([*values(get("country")), *values(get("jurisdiction"))]),
        addresses=values(get("address")),
        identifiers=_identifiers(row),
        remarks="\n".join(values(get("notes"))) or None,
        listed_on=files.parse_date(get("startDate")),
        extra=tuple((k, v) for k, v in extra if v),
    )


_ID_COLUMNS = (
    "passportNumber",
    "idNumber",
    "taxNumber",
    "registrationNumber",
    "innCode",
    "ogrnCode",
    "imoNumber",
    "leiCode",
    "swiftBic",
)


def _identifiers(row: Row) -> tuple[str, ...]:
    return files.unique(f"{c}: {v}" for c in _ID_COLUMNS for v in values(row.get(c)))
