"""The Consolidated Canadian Autonomous Sanctions List (Global Affairs Canada): SEMA
(Special Economic Measures Act) regulations and the Justice for Victims of Corrupt Foreign
Officials Act (JVCFOA, Canada's Magnitsky law), as XML.

Flat ``<data-set><record>`` elements, in three tag sets:

- 2020/2022: ``Country, LastName, GivenName, Entity, Title, Aliases, DateOfBirth, Schedule,
  Item`` (no listing date);
- 2023 on: ``EntityOrShip, TitleOrShip, DateOfBirthOrShipBuildDate, ShipIMONumber`` replace
  ``Entity, Title, DateOfBirth`` and ``DateOfListing`` is added;
- from Aug 2025: the same, with bilingual tag names (``<Country-Pays>``,
  ``<TitleOrShipType-TitreOuTypeDeNavire>``, ``<DateOfListing-DateDinscription>``).

A tag is read by its English part (before the first ``-``). ``Country`` names the
regulations, not a country: ``Russia / Russie`` (SEMA, Russia) or ``Justice for Victims of
Corrupt Foreign Officials Regulations (JVCFOR) / Règlement …`` (JVCFOA). The program tag is
the English part, or what ``[lookups.regulations]`` of the declaration maps it to
(``JVCFOA`` -> CA-JVCFOA; Burma and Myanmar (Burma) -> ``Myanmar``).

``source_id`` = tag / schedule / part / item: items restart in each part of a schedule.
Schedules were relabelled between files (Syria ``2`` became ``Part 2``; Russia ``1``
became ``1, Part 1`` while Russia's ``2`` stayed a schedule of its own), so the label is
normalised: ``S, Part P`` and ``Part P`` (schedule 1) name a part; a bare number names a
schedule when the same regulations use "Part" elsewhere in the file, else a part of
schedule 1; empty and ``N/A`` are schedule 1, part 1. Checked on the 2020, 2022 and 2025
files: no two records share an id, and ids carry over between files.

``listed_on`` = ``DateOfListing`` where the file has it (2023 on), else None. Canada
publishes no statement of reasons.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from magnitsky.listing import Listing, ReaderError, Schema
from magnitsky.readers import files
from magnitsky.readers.expectations import lookup

SOURCE = "ca-sema"
# English tag names of the 2023+ file -> the names the reader uses.
_RENAMED = {
    "EntityOrShip": "Entity",
    "TitleOrShip": "Title",
    "TitleOrShipType": "Title",
    "DateOfBirthOrShipBuildDate": "DateOfBirth",
}
_PART = re.compile(r"(?:(\d+(?:\.\d+)?),)?Part(\d+(?:\.\d+)?)")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")

Record = dict[str, str]


def read(path: Path) -> list[Listing]:
    root = files.xml_root(files.read_bytes(path), path)
    if files.local_name(root.tag) != "data-set":
        raise ReaderError(path, f"not the Canadian consolidated list (root <{root.tag}>)")
    records = [_record(el) for el in root if files.local_name(el.tag) == "record"]
    if not records:
        raise ReaderError(path, "the list holds no <record>")
    for number, record in enumerate(records, 1):
        if not record.get("Country"):
            raise ReaderError(path, f"record {number} names no regulations (<Country>)")
        if not (record.get("LastName") or record.get("GivenName") or record.get("Entity")):
            raise ReaderError(path, f"record {number} names no one")
        listed = record.get("DateOfListing")
        if listed and files.parse_date(listed) is None:
            raise ReaderError(path, f"record {number}: DateOfListing {listed[:40]!r} is not a date")
    with_parts = {r["Country"] for r in records if "Part" in r.get("Schedule", "")}
    seen: set[str] = set()
    listings = []
    for record in records:
        listing = _listing(record, record["Country"] in with_parts)
        if listing.source_id in seen:
            raise ReaderError(path, f"two records have the id {listing.source_id!r}")
        seen.add(listing.source_id)
        listings.append(listing)
    return listings


def _record(el: Any) -> Record:
    out = {}
    for child in el:
        name = files.local_name(child.tag).split("-", 1)[0]
        value = files.clean(child.text)
        if value:
            out[_RENAMED.get(name, name)] = value
    return out


def regulation_tag(regulations: str) -> str:
    """``Russia / Russie`` -> ``Russia``; the JVCFOR regulations -> ``JVCFOA``."""
    english = files.clean(regulations.split("/", 1)[0]) or regulations
    return lookup(SOURCE, "regulations").get(english, english)


def schedule_key(schedule: str | None, regulations_use_parts: bool) -> tuple[str, str]:
    """(schedule, part) of a schedule label; see the module docstring."""
    label = re.sub(r"\s+", "", schedule or "")
    if label in ("", "N/A"):
        return "1", "1"
    if m := _PART.fullmatch(label):
        return m[1] or "1", m[2]
    if _NUMBER.fullmatch(label):
        return (label, "1") if regulations_use_parts else ("1", label)
    return label, "1"


def _listing(r: Record, regulations_use_parts: bool) -> Listing:
    tag = regulation_tag(r["Country"])
    person = bool(r.get("LastName") or r.get("GivenName"))
    name = files.clean(f"{r.get('GivenName', '')} {r.get('LastName', '')}") if person else None
    name = name or r.get("Entity") or ""
    schema: Schema = "Person" if person else "Vessel" if r.get("ShipIMONumber") else "Organization"
    schedule, part = schedule_key(r.get("Schedule"), regulations_use_parts)
    item = r.get("Item") or f"name:{files.slug(name)}"
    born = r.get("DateOfBirth")
    extra = [
        ("regulations", r["Country"]),
        ("schedule", r.get("Schedule")),
        ("item", r.get("Item")),
        ("vessel_type", None if person else r.get("Title")),
        ("build_date", None if person else born),
    ]
    return Listing(
        source=SOURCE,
        source_id=f"{tag}/{schedule}/{part}/{item}",
        name=name,
        schema=schema,
        programs=(tag,),
        aliases=_aliases(r.get("Aliases")),
        title=r.get("Title") if person else None,
        birth_dates=_birth_dates(born) if person else (),
        identifiers=(f"IMO {r['ShipIMONumber']}",) if r.get("ShipIMONumber") else (),
        listed_on=files.parse_date(r.get("DateOfListing")),
        extra=tuple((k, v) for k, v in extra if v),
    )


def _aliases(text: str | None) -> tuple[str, ...]:
    """Free text: ``;``-separated, or ``,``-separated in the older files."""
    if not text:
        return ()
    separator = ";" if ";" in text else ","
    return files.unique(files.clean(part) for part in text.split(separator))


def _birth_dates(text: str | None) -> tuple[str, ...]:
    parts = re.split(r"\s+or\s+|;", text or "", flags=re.IGNORECASE)
    return files.unique(files.partial_date(part) for part in parts)
