"""FollowTheMoney entities, one JSON object a line, as OpenSanctions and Aleph read them.

One entity per person (``persons``): a Person, Organization, Vessel or Airplane whose
names, birth dates, countries and identifiers are those of all its listings; and one
Sanction per designation, pointing at it, with the program (``programId``: the
OpenSanctions key), the authority and the list's address, the listing and delisting
dates, and the reasons where the list states them (UK statements of reasons, the EU
annex). A listing date is written as precisely as it is known: the day when exact, the
month or the year when a bracket lies within one, none when it does not; the
``description`` says how it is known. Every value goes through the model's own
cleaning, so every entity loads back unchanged with ``model.get_proxy``.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from datetime import date
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from followthemoney import model
from followthemoney.proxy import EntityProxy
from rigour.names import pick_name

from magnitsky.history.dating import DAY_KNOWN
from magnitsky.matching import dates, identifiers
from magnitsky.matching.listings import Entry, Key, load_entries
from magnitsky.programs import programs
from magnitsky.store import Store

PREFIX = "magnitsky"
OFAC = {
    "publisher": "Office of Foreign Assets Control (OFAC), U.S. Department of the Treasury",
    "url": "https://ofac.treasury.gov/specially-designated-nationals-and-blocked-persons-list-sdn-human-readable-lists",
}


@cache
def _sources() -> dict[str, dict[str, Any]]:
    folder = resources.files("magnitsky").joinpath("data/sources")
    out = {"us-ofac-sdn": OFAC}
    for entry in folder.iterdir():
        if entry.name.endswith(".toml"):
            data = tomllib.loads(entry.read_text("utf-8"))
            out[data["source"]] = data
    return out


def _id(*parts: str) -> str:
    digest = hashlib.blake2b("\x1f".join(parts).encode(), digest_size=10).hexdigest()
    return f"{PREFIX}-{digest}"


def _add(proxy: EntityProxy, prop: str, values: Iterable[Any]) -> None:
    """Add values through the model's cleaning (an invalid value is dropped); a property
    the schema lacks is skipped."""
    if proxy.schema.get(prop) is None:
        return
    for value in values:
        if value is not None and value != "":
            text = value.isoformat() if isinstance(value, date) else str(value)
            cleaned = _clean(proxy.schema.name, prop, text)
            if cleaned is not None:
                proxy.add(prop, cleaned, cleaned=True)


@lru_cache(maxsize=200_000)
def _clean(schema: str, prop: str, value: str) -> str | None:
    """The model's cleaning of a value, done once per distinct value (the same URLs,
    authorities and dates recur tens of thousands of times)."""
    found = model.get(schema)
    assert found is not None
    prop_ = found.properties[prop]
    return prop_.type.clean(value, format=prop_.format)


def entities(store: Store) -> Iterator[EntityProxy]:
    """Every person entity, each followed by its Sanctions."""
    listings = {e.key: e for e in load_entries(store)}
    members: dict[str, list[Key]] = defaultdict(list)
    for person, source, source_id in store.rows(
        "SELECT person_id, source, source_id FROM persons ORDER BY person_id, source, source_id"
    ):
        members[person].append((source, source_id))
    designations: dict[Key, list[dict[str, Any]]] = defaultdict(list)
    for row in store.dicts(
        "SELECT * FROM designations ORDER BY source, source_id, program, listed_not_after"
    ):
        designations[(row["source"], row["source_id"])].append(row)
    reasons = _reasons(store)
    for person_id, keys in members.items():
        found = [listings[k] for k in keys if k in listings]
        if not found:
            continue
        entity = _entity(person_id, found)
        yield entity
        for key in keys:
            for row in designations.get(key, []):
                yield _sanction(entity, row, reasons.get((row["source"], row["record_hash"])))


def _entity(person_id: str, found: list[Entry]) -> EntityProxy:
    schema = Counter(e.schema for e in found).most_common(1)[0][0]
    proxy = model.make_entity(schema)
    proxy.id = f"{PREFIX}-{person_id}"
    # the name most lists agree on (rigour's pick_name), the others as aliases
    name = pick_name([e.name for e in found]) or found[0].name
    _add(proxy, "name", [name])
    names = dict.fromkeys(n for e in found for n in e.names)
    _add(proxy, "alias", [n for n in names if n != name])
    _add(proxy, "birthDate", [_birth(d) for e in found for d in dates.parse_all(e.birth_dates)])
    countries = sorted({c.lower() for e in found for c in e.countries})
    _add(proxy, "nationality" if schema == "Person" else "country", countries)
    for e in found:
        for ident in identifiers.parse_all(e.identifiers):
            _add(proxy, _id_property(schema, ident), [ident.number])
    _add(proxy, "programId", sorted({p for e in found for p in e.programs}))
    urls = {_sources()[e.source]["url"] for e in found if e.source in _sources()}
    _add(proxy, "sourceUrl", sorted(urls))
    _add(proxy, "topics", ["sanction"])
    return proxy


def _id_property(schema: str, ident: identifiers.Identifier) -> str:
    if ident.kind == "imo":
        return "imoNumber" if schema == "Vessel" else "idNumber"
    if schema == "Airplane":
        return "registrationNumber"
    if schema == "Person" and ident.text.lower().startswith("passport"):
        return "passportNumber"
    return "idNumber"


def _birth(found: dates.BirthDate) -> str | None:
    if found.day:
        return found.day
    if found.first_year == found.last_year:
        return str(found.first_year)
    return None


def _sanction(entity: EntityProxy, row: dict[str, Any], reason: str | None) -> EntityProxy:
    proxy = model.make_entity("Sanction")
    proxy.id = _id(
        "sanction", row["source"], row["source_id"], row["program"], str(row["listed_not_after"])
    )
    source = _sources().get(row["source"], {})
    program = programs().get(row["program"])
    _add(proxy, "entity", [entity.id])
    _add(proxy, "authority", [source.get("publisher")])
    _add(proxy, "country", [row["jurisdiction"].lower()])
    _add(proxy, "program", [program.title if program else row["tag"]])
    _add(proxy, "programId", [row["program"]])
    listed = _precise(row)
    _add(proxy, "listingDate", [listed])
    _add(proxy, "startDate", [listed])
    _add(proxy, "endDate", [row["delisted_on"]])
    _add(proxy, "status", ["delisted" if row["delisted_on"] else "listed"])
    _add(proxy, "reason", [reason])
    _add(proxy, "recordId", [row["source_id"]])
    _add(proxy, "sourceUrl", [source.get("url")])
    _add(proxy, "description", [f"listing date {row['date_quality']}: {row['date_source']}"])
    return proxy


def _precise(row: dict[str, Any]) -> str | None:
    """The listing date as precisely as it is known (day, month or year)."""
    low: date | None = row["listed_not_before"]
    high: date | None = row["listed_not_after"]
    if row["date_quality"] in DAY_KNOWN or (low is not None and low == high):
        day = row["listed_on"] or (low if low == high else None)
        return day.isoformat() if day else None
    if low is None or high is None or low.year != high.year:
        return None
    return f"{high.year}-{high.month:02d}" if low.month == high.month else str(high.year)


def _reasons(store: Store) -> dict[tuple[str, int], str]:
    """(source, record hash) -> the reasons the list states for a record."""
    out = {}
    for source, record_hash, content in store.rows(
        "SELECT source, record_hash, content FROM records WHERE source <> 'us-ofac-sdn'"
    ):
        extra = dict(json.loads(content).get("extra") or [])
        if extra.get("reasons"):
            out[(source, record_hash)] = str(extra["reasons"])
    return out


def write_ftm(store: Store, path: Path) -> Counter[str]:
    """Write the entities as JSON lines; how many of each schema."""
    counts: Counter[str] = Counter()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for proxy in entities(store):
            counts[proxy.schema.name] += 1
            out.write(json.dumps(proxy.to_dict(), ensure_ascii=False, sort_keys=True) + "\n")
    return counts
