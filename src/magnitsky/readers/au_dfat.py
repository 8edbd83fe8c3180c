"""The DFAT Consolidated List (Australian Sanctions Office): UN and Australian autonomous
sanctions, as .xls (read with xlrd) or .xlsx (python-calamine).

Columns, found by name in the first rows of the first sheet: ``Reference, Name of
Individual or Entity, Type, Name Type, Date of Birth, Place of Birth, Citizenship, Address,
Additional Information, Listing Information, Committees, Control Date``. One row per name:
``6830`` is the primary name, ``6830a``, ``6830b`` … its aliases and original-script
names, so one :class:`Listing` per base reference (``source_id`` = ``6830``).

Program tags come from ``Committees`` through ``[lookups.committees]`` of the declaration,
whatever the dash (``-`` or ``–``) or trailing spaces: the thematic human-rights regime ->
``HUMAN`` (AU-HUMAN), corruption -> ``CRP`` (AU-CRP). Other committees keep their cleaned
text as tag; ``Autonomous (Thematic - Cyber)`` is not Magnitsky-style and stays its own.
The 2022 files say only ``Autonomous (Thematic)``; DFAT's later files classify those
references, and ``[lookups.thematic_2022]`` carries that classification; a thematic
reference it does not know stays ``Autonomous (Thematic)``.

``Control Date`` is the date DFAT last changed the entry, which is the listing date only
while the entry is unchanged since its listing instrument. So ``listed_on`` is the Control
Date only when ``Listing Information`` names exactly one listing instrument (optionally
"Instrument of first designation (and declaration):"), of the Control Date's year, and no
relisting, amendment or continuation; otherwise None (the Control Date stays in
``extra.control_date``). Every thematic (Magnitsky-style) entry meets the rule.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from magnitsky.listing import Listing, ReaderError, Schema
from magnitsky.readers import files
from magnitsky.readers.expectations import lookup

SOURCE = "au-dfat"
_REQUIRED = ("Reference", "Name of Individual or Entity", "Name Type", "Committees")
_SCHEMAS: dict[str, Schema] = {
    "individual": "Person",
    "entity": "Organization",
    "vessel": "Vessel",
    "ship": "Vessel",
}
_BASE = re.compile(r"\d+")
_INSTRUMENT = re.compile(
    r"(?:Instrument of first designation(?: and declaration)?:?\s*)?"
    r"(Autonomous Sanctions [^;]*?Instrument (\d{4}))\.?"
)
_CHANGED = re.compile(r"relist|re-list|amend(?:ed|ment) on|continued|formerly", re.IGNORECASE)

Row = dict[str, str | None]


def read(path: Path) -> list[Listing]:
    rows = files.sheet_rows(path, files.read_bytes(path))
    groups: dict[str, list[Row]] = {}
    for row in _records(rows, path):
        groups.setdefault(row["_base"] or "", []).append(row)
    return [_listing(base, group) for base, group in groups.items()]


def _records(rows: Sequence[Sequence[str | None]], origin: object) -> list[Row]:
    start = next((i for i, r in enumerate(rows[:10]) if "Reference" in _cells(r)), None)
    if start is None:
        raise ReaderError(origin, "not the DFAT Consolidated List: no 'Reference' header row")
    header = _cells(rows[start])
    missing = [c for c in _REQUIRED if c not in header]
    if missing:
        raise ReaderError(origin, f"the header lacks the columns {', '.join(missing)}")
    out = []
    for number, row in enumerate(rows[start + 1 :], start + 2):
        record = {n: files.clean(v) if v else None for n, v in zip(header, row, strict=False)}
        if not any(record.values()):
            continue
        reference = record.get("Reference") or ""
        base = _BASE.match(reference)
        if not base or not record.get("Name of Individual or Entity"):
            raise ReaderError(origin, f"row {number} has no reference number or no name")
        record["_base"] = base.group()
        out.append(record)
    if not out:
        raise ReaderError(origin, "the list has a header but no entries")
    return out


def _cells(row: Sequence[str | None]) -> list[str]:
    return [files.clean(c) or "" for c in row]


def program_tag(committee: str, reference: str) -> str:
    """A ``Committees`` value as program tag (see the module docstring)."""
    text = files.clean(committee.replace("–", "-").replace("—", "-")) or ""
    text = re.sub(r"\s+-\s*|\s*-\s+", " - ", text)  # spaced dashes only: "Al-Qaida" stays
    if text == "Autonomous (Thematic)":
        return lookup(SOURCE, "thematic_2022").get(reference, text)
    return lookup(SOURCE, "committees").get(text, text)


def listing_date(listing_information: str | None, control_date: date | None) -> date | None:
    """The Control Date, when it is the listing date (see the module docstring)."""
    text = files.clean(listing_information) or ""
    m = _INSTRUMENT.fullmatch(text)
    if not m or not control_date or _CHANGED.search(text):
        return None
    return control_date if int(m[2]) == control_date.year else None


def _listing(base: str, group: list[Row]) -> Listing:
    main = next((r for r in group if (r.get("Name Type") or "").lower() == "primary name"), None)
    main = main or next((r for r in group if r.get("Reference") == base), group[0])
    name = main["Name of Individual or Entity"] or base
    control = files.parse_date(main.get("Control Date"))
    extra = [
        ("committees", "; ".join(files.unique(r.get("Committees") for r in group))),
        ("listing_information", main.get("Listing Information")),
        ("control_date", control.isoformat() if control else None),
        ("place_of_birth", main.get("Place of Birth")),
    ]
    return Listing(
        source=SOURCE,
        source_id=base,
        name=name,
        schema=_SCHEMAS.get((main.get("Type") or "").lower(), "Organization"),
        programs=files.unique(program_tag(c, base) for r in group if (c := r.get("Committees"))),
        aliases=files.unique(n for r in group if (n := r["Name of Individual or Entity"]) != name),
        birth_dates=files.unique(d for r in group for d in _birth_dates(r.get("Date of Birth"))),
        nationalities=files.unique(r.get("Citizenship") for r in group),
        addresses=files.unique(a for r in group if (a := r.get("Address")) not in ("NA", "N/A")),
        remarks=main.get("Additional Information"),
        listed_on=listing_date(main.get("Listing Information"), control),
        extra=tuple((k, v) for k, v in extra if v),
    )


def _birth_dates(text: str | None) -> list[str | None]:
    """``a) 19-Dec-1992; b) 12-Dec-1992`` -> both dates; a spreadsheet date is ISO already."""
    parts = re.split(r"(?:^|[;,]?\s+)[a-z]\)\s*|;", text or "")
    return [files.partial_date(p.strip(" ,;")) for p in parts]
