"""OFSI's Consolidated List of Financial Sanctions Targets (HM Treasury), CSV or XLSX.

"2022 format" (Feb 2022 until the list closed on 28 Jan 2026): row 1 ``Last Updated,
dd/mm/yyyy``, row 2 the header (``Name 6, Name 1 … Name 5, Title, Name Non-Latin Script, …,
Other Information, Group Type, Alias Type, Alias Quality, Regime, Listed On, UK Sanctions
List Date Designated, Last Updated, Group ID``), then one row per name or alias (and per
address, birth date …) of a designated person; ``Group ID`` ties a person's rows together,
so one group is one :class:`Listing` (``source_id`` = Group ID). ``Name 6`` is the family
or entity name; names are written given names first (``Nawfal Hammadi AL-SULTAN``).
``Other Information`` carries labelled parts: ``(UK Sanctions List Ref):GHR0086``, ``(UK
Statement of Reasons):…`` (kept in ``extra`` as ``reference`` and ``reasons``).

The older layout (the 2018 CSV) has the same first two rows and a subset of the columns, so
it is read too; its regimes predate the human-rights (2020) and anti-corruption (2021)
regimes, so it holds no Magnitsky-style listing. CSVs come as UTF-8 or Windows-1252.

``listed_on`` is ``Listed On`` (the first listing, by the EU before 2021 for inherited
designations), not ``Last Updated``; ``UK Sanctions List Date Designated`` (31/12/2020 for
everything inherited at Brexit) is kept as ``extra.designated``, and per regime as
``designated:<regime>`` (the history takes it as the date under a regime that ``Listed On``
predates). A person listed under several regimes gets the earliest date, and one
``listed_on:<regime>`` entry per regime.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date
from functools import cache, lru_cache
from pathlib import Path

from magnitsky.listing import Listing, ReaderError, Schema
from magnitsky.readers import files
from magnitsky.readers.expectations import lookup

SOURCE = "gb-ofsi"
NAME_PARTS = ("Name 1", "Name 2", "Name 3", "Name 4", "Name 5", "Name 6")
_REQUIRED = ("Name 6", "Group Type", "Regime", "Listed On", "Group ID")
_ADDRESS = (
    "Address 1",
    "Address 2",
    "Address 3",
    "Address 4",
    "Address 5",
    "Address 6",
    "Post/Zip Code",
    "Country",
)
SCHEMAS: dict[str, Schema] = {"individual": "Person", "entity": "Organization", "ship": "Vessel"}
_REF = re.compile(r"\b[A-Z]{3}\d{4}\b")
_NUMBERED = re.compile(r"\(?\b\d{1,2}\)\s*")

Row = dict[str, str | None]


def read(path: Path) -> list[Listing]:
    raw = files.read_bytes(path)
    if raw.startswith((files.XLSX_MAGIC, files.XLS_MAGIC)):
        return parse_rows(files.sheet_rows(path, raw), path, csv=False)
    return parse_rows(files.csv_rows(files.decode(raw, path), path), path)


def parse_rows(
    rows: Sequence[Sequence[str | None]], origin: object, csv: bool = True
) -> list[Listing]:
    groups: dict[str, list[Row]] = {}
    for record in records(rows, origin, _REQUIRED, "Group ID", csv):
        groups.setdefault(record["Group ID"] or "", []).append(record)
    return [_listing(group_id, group) for group_id, group in groups.items()]


def records(
    rows: Sequence[Sequence[str | None]],
    origin: object,
    required: Sequence[str],
    key: str,
    csv: bool = True,
) -> list[Row]:
    """Rows as dicts by header name, after the ``Last Updated`` / ``Report Date`` line. A
    CSV writes every column on every row, so a short last row is a cut-off file (a
    spreadsheet drops trailing empty cells, and is checked whole when it is opened)."""
    start = next((i for i, row in enumerate(rows[:3]) if key in _cells(row)), None)
    if start is None:
        first = ", ".join(c for c in _cells(rows[0])[:3] if c) if rows else ""
        raise ReaderError(origin, f"not a UK sanctions list: no header with {key!r} ({first!r})")
    header = _cells(rows[start])
    missing = [c for c in required if c not in header]
    if missing:
        raise ReaderError(origin, f"the header lacks the columns {', '.join(missing)}")
    body = [list(r) for r in rows[start + 1 :] if any(c and not c.isspace() for c in r)]
    if not body:
        raise ReaderError(origin, "the file has a header but no entries")
    if csv:
        files.check_last_row([[c or "" for c in body[-1]]], len(header), origin)
    clean = lru_cache(maxsize=None)(files.clean)  # a person's rows repeat the same long texts
    out = []
    for number, row in enumerate(body, start + 2):
        record = {n: clean(v) if v else None for n, v in zip(header, row, strict=False)}
        if not record.get(key):
            raise ReaderError(origin, f"row {number} has no {key}")
        out.append(record)
    return out


def _cells(row: Sequence[str | None]) -> list[str]:
    return [files.clean(c) or "" for c in row]


def full_name(record: Row) -> str | None:
    """Given names first, then the family or entity name (``Name 6``)."""
    return files.clean(" ".join(record.get(p) or "" for p in NAME_PARTS))


def primary(records: Sequence[Row], column: str, wanted: str = "primary name") -> Row:
    """The row of the primary name; else a primary-name variation; else the first row."""
    for target in (wanted, f"{wanted} variation"):
        for record in records:
            if (record.get(column) or "").lower() == target:
                return record
    return records[0]


def nationalities(text: str | None) -> list[str]:
    """``1) Saudi Arabia 2) Qatar`` -> the two countries."""
    return [part.strip(" ,;") for part in _NUMBERED.split(text or "") if part.strip(" ,;")]


def address(record: Row, columns: Iterable[str]) -> str | None:
    return files.clean(", ".join(v for c in columns if (v := record.get(c))))


def iso(text: str | None) -> str | None:
    day = files.parse_date(text)
    return day.isoformat() if day else None


@cache
def _label_pattern() -> re.Pattern[str]:
    labels = sorted(lookup(SOURCE, "other_information"), key=len, reverse=True)
    return re.compile(r"\((" + "|".join(re.escape(label) for label in labels) + r")\)\s*:")


def other_information(text: str | None) -> dict[str, str]:
    """The labelled parts of ``Other Information``, keyed as the declaration maps them."""
    keys = lookup(SOURCE, "other_information")
    pieces = _label_pattern().split(text or "")
    parts: dict[str, str] = {}
    for label, value in zip(pieces[1::2], pieces[2::2], strict=True):
        value = (files.clean(value) or "").rstrip(" ;")
        if value:
            parts.setdefault(keys[label], value)
    if "reference" in parts:
        parts["reference"] = "; ".join(_REF.findall(parts["reference"])) or parts["reference"]
    return parts


def _listing(group_id: str, group: list[Row]) -> Listing:
    main = primary(group, "Alias Type")
    name = full_name(main) or main.get("Name Non-Latin Script") or group_id
    regimes = files.unique(r.get("Regime") for r in group)
    dated = {r: d for r in regimes if (d := _first_date(group, "Listed On", r))}
    info = other_information(main.get("Other Information"))
    extra = [
        ("reference", info.get("reference")),
        ("reasons", info.get("reasons")),
        ("designated", _min_iso(group, "UK Sanctions List Date Designated")),
        ("last_updated", _max_iso(group, "Last Updated")),
        ("un_reference", info.get("un_reference")),
        ("gender", info.get("gender")),
        ("position", "; ".join(files.unique(r.get("Position") for r in group)) or None),
    ]
    if len(dated) > 1:
        extra += [(f"listed_on:{r}", d.isoformat()) for r, d in dated.items()]
    for regime in regimes:
        if designated := _first_date(group, "UK Sanctions List Date Designated", regime):
            extra.append((f"designated:{regime}", designated.isoformat()))
    return Listing(
        source=SOURCE,
        source_id=group_id,
        name=name,
        schema=SCHEMAS.get((main.get("Group Type") or "").lower(), "Organization"),
        programs=regimes,
        aliases=files.unique(
            n for r in group for n in (full_name(r), r.get("Name Non-Latin Script")) if n != name
        ),
        title=next((t for r in group if (t := r.get("Title"))), None),
        birth_dates=files.unique(files.partial_date(r.get("DOB")) for r in group),
        nationalities=files.unique(n for r in group for n in nationalities(r.get("Nationality"))),
        countries=files.unique(r.get("Country") for r in group),
        addresses=files.unique(address(r, _ADDRESS) for r in group),
        identifiers=_identifiers(group) + ((f"IMO: {info['imo']}",) if "imo" in info else ()),
        remarks=main.get("Other Information"),
        listed_on=min(dated.values(), default=None),
        extra=tuple((k, v) for k, v in extra if v),
    )


def _identifiers(group: list[Row]) -> tuple[str, ...]:
    columns = (
        ("Passport Number", "Passport"),
        ("National Identification Number", "National ID"),
        ("NI Number", "National ID"),
    )
    return files.unique(
        f"{label}: {value}" for r in group for column, label in columns if (value := r.get(column))
    )


def _first_date(group: list[Row], column: str, regime: str) -> date | None:
    rows = [r for r in group if r.get("Regime") == regime]
    return min((d for r in rows if (d := files.parse_date(r.get(column)))), default=None)


def _min_iso(group: list[Row], column: str) -> str | None:
    days = [d for r in group if (d := files.parse_date(r.get(column)))]
    return min(days).isoformat() if days else None


def _max_iso(group: list[Row], column: str) -> str | None:
    days = [d for r in group if (d := files.parse_date(r.get(column)))]
    return max(days).isoformat() if days else None
