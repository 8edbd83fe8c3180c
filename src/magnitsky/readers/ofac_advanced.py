"""OFAC's advanced XML (``sdn_advanced.xml``): the SDN list in the UN-designed "Advanced
Sanctions Data Model", the one OFAC list file that states a date for each entry.

Layout (OFAC's XSD and explanatory notes): a root ``<Sanctions>`` in the namespace
``…/exports/ADVANCED_XML`` (``http://www.un.org/sanctions/1.0`` before OFAC's 2024 list
service) holding, in order, ``DateOfIssue``; ``ReferenceValueSets`` (every lookup value:
alias types, party sub-types, name-part types, feature types, countries, lists, legal bases,
entry-event types …); ``Locations``; ``IDRegDocuments``; ``DistinctParties`` (one
``Profile`` per party: ``Identity/Alias/DocumentedName`` names, ``Feature`` facts);
``ProfileRelationships``; ``SanctionsEntries`` (one per listing: ``EntryEvent`` dates,
``SanctionsMeasure`` program tags). Sections link to each other by numeric ID.

The file is ~120 MB, so it is streamed: each record is reduced to a small raw tuple as soon
as it is complete and its XML is dropped; the links are resolved once the whole file has
been read. The ``FixedRef`` of a party (= its ``Profile ID``) is the ``ent_num`` of
``sdn.csv``, so the two readers give the same ``source_id``.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from lxml import etree

from magnitsky.actions import DatedAction
from magnitsky.listing import Listing, ReaderError, Schema
from magnitsky.readers import files

SOURCE = "us-ofac-sdn"
EVENTS_SOURCE = "us-ofac-advanced"
NAMESPACES = (
    "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/ADVANCED_XML",
    "http://www.un.org/sanctions/1.0",
)

# lxml ships no type stubs in this environment: elements are untyped.
_El = Any

_SCHEMAS: dict[str, Schema] = {"individual": "Person", "vessel": "Vessel", "aircraft": "Airplane"}
# Name parts written before the comma, as sdn.csv writes "MADURO MOROS, Nicolas".
_FAMILY_PARTS = frozenset({"Last Name", "Matronymic"})
# Entry-event types that record the listing itself (OFAC's reference value: "Created").
_LISTING_EVENTS = frozenset({"created", "designated", "listed", "added"})
_ADDRESS_ORDER = ("ADDRESS1", "ADDRESS2", "ADDRESS3", "CITY", "STATE/PROVINCE", "POSTAL CODE")
_NATIONALITY_FEATURES = frozenset({"Nationality Country", "Citizenship Country"})
_COUNTRY_FEATURES = frozenset(
    {"Vessel Flag", "Registration Country", "Nationality of Registration"}
)
_IDENTIFIER_FEATURES = frozenset({"SWIFT/BIC", "D-U-N-S Number", "ISIN", "MMSI", "UN/LOCODE"})
_EXTRA_FEATURES = {
    "Place of Birth": "place_of_birth",
    "Gender": "gender",
    "Vessel Call Sign": "call_sign",
    "VESSEL TYPE": "vessel_type",
    "Vessel Flag": "vessel_flag",
}
_NO_COUNTRY = frozenset({"", "undetermined", "unknown"})


# --- raw records, as streamed ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Ref:
    text: str
    attrs: dict[str, str]


@dataclass(frozen=True, slots=True)
class _Place:
    country_id: str | None
    area_code_id: str | None
    parts: tuple[tuple[str | None, str], ...]  # (LocPartTypeID, value)


@dataclass(frozen=True, slots=True)
class _IdDoc:
    type_id: str | None
    number: str
    country_id: str | None


@dataclass(frozen=True, slots=True)
class _Name:
    status_id: str | None
    parts: tuple[tuple[str | None, str], ...]  # (NamePartGroupID, value)


@dataclass(frozen=True, slots=True)
class _Alias:
    type_id: str | None
    primary: bool
    names: tuple[_Name, ...]


@dataclass(frozen=True, slots=True)
class _Feature:
    type_id: str | None
    date: str | None
    location_id: str | None
    detail: str | None
    detail_ref: str | None


@dataclass(frozen=True, slots=True)
class _Party:
    fixed_ref: str
    profile_id: str
    subtype_id: str | None
    identity_ids: tuple[str, ...]
    groups: dict[str, str]  # NamePartGroup ID -> NamePartType ID
    aliases: tuple[_Alias, ...]
    features: tuple[_Feature, ...]
    comment: str | None


@dataclass(frozen=True, slots=True)
class _Event:
    type_id: str | None
    legal_basis_id: str | None
    when: date | None


@dataclass(frozen=True, slots=True)
class _Entry:
    entry_id: str
    profile_id: str
    list_id: str | None
    events: tuple[_Event, ...]
    measures: tuple[tuple[str | None, str], ...]  # (SanctionsTypeID, Comment)


@dataclass
class _Document:
    refs: dict[str, dict[str, _Ref]] = field(default_factory=dict)
    places: dict[str, _Place] = field(default_factory=dict)
    documents: dict[str, list[_IdDoc]] = field(default_factory=dict)  # by IdentityID
    parties: dict[str, _Party] = field(default_factory=dict)  # by Profile ID
    relations: dict[str, list[str]] = field(default_factory=dict)  # From- -> To-ProfileIDs
    entries: list[_Entry] = field(default_factory=list)

    def ref(self, kind: str, ref_id: str | None) -> _Ref | None:
        return self.refs.get(kind, {}).get(ref_id) if ref_id else None

    def label(self, kind: str, ref_id: str | None) -> str | None:
        ref = self.ref(kind, ref_id)
        return ref.text if ref else None


# --- small XML helpers ----------------------------------------------------------------


def _local(tag: object) -> str:
    # Comments and processing instructions have a non-string tag.
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _text(element: _El | None) -> str:
    return str(element.text or "").strip() if element is not None else ""


def _attr(element: _El, name: str) -> str | None:
    value = element.get(name)
    return str(value) if value else None


def _int(element: _El, name: str) -> int | None:
    text = _text(element.find("{*}" + name))
    return int(text) if text.isdigit() else None


def _point(element: _El | None) -> tuple[int, int | None, int | None] | None:
    """Year, month, day of a ``Date``/``From``/``To`` element; None without a year."""
    if element is None:
        return None
    year = _int(element, "Year")
    return (year, _int(element, "Month"), _int(element, "Day")) if year else None


def _iso(point: tuple[int, int | None, int | None]) -> str:
    year, month, day = point
    text = f"{year:04d}"
    if month:
        text += f"-{month:02d}"
        if day:
            text += f"-{day:02d}"
    return text


def _calendar_date(element: _El | None) -> date | None:
    point = _point(element)
    if point is None or point[1] is None or point[2] is None:
        return None
    try:
        return date(point[0], point[1], point[2])
    except ValueError:
        return None


# --- streaming: one handler per record element ----------------------------------------


def _take_refs(doc: _Document, element: _El) -> None:
    for value_set in element:
        kind = _local(value_set.tag).removesuffix("Values")
        values = doc.refs.setdefault(kind, {})
        for item in value_set:
            if _local(item.tag) and item.get("ID"):
                values[str(item.get("ID"))] = _Ref(
                    _text(item), {k: str(v) for k, v in item.items()}
                )


def _primary_value(part: _El) -> str:
    values = part.findall("{*}LocationPartValue")
    chosen = next((v for v in values if v.get("Primary") == "true"), values[0] if values else None)
    return _text(chosen.find("{*}Value")) if chosen is not None else ""


def _take_place(doc: _Document, element: _El) -> None:
    country = element.find("{*}LocationCountry")
    area = element.find("{*}LocationAreaCode")
    parts = tuple(
        (_attr(part, "LocPartTypeID"), _primary_value(part))
        for part in element.iterfind("{*}LocationPart")
    )
    doc.places[str(element.get("ID"))] = _Place(
        _attr(country, "CountryID") if country is not None else None,
        _attr(area, "AreaCodeID") if area is not None else None,
        tuple(p for p in parts if p[1]),
    )


def _take_document(doc: _Document, element: _El) -> None:
    record = _IdDoc(
        _attr(element, "IDRegDocTypeID"),
        _text(element.find("{*}IDRegistrationNo")),
        _attr(element, "IssuedBy-CountryID"),
    )
    if record.number:
        doc.documents.setdefault(str(element.get("IdentityID")), []).append(record)


def _name(element: _El) -> _Name:
    parts = (
        (_attr(value, "NamePartGroupID"), _text(value))
        for value in element.iterfind("{*}DocumentedNamePart/{*}NamePartValue")
    )
    return _Name(_attr(element, "DocNameStatusID"), tuple(p for p in parts if p[1]))


def _alias(element: _El) -> _Alias:
    names = tuple(_name(n) for n in element.iterfind("{*}DocumentedName"))
    return _Alias(_attr(element, "AliasTypeID"), element.get("Primary") == "true", names)


def _period(element: _El) -> str | None:
    """A ``DatePeriod`` as sdn.csv would write it: ``1971-03-14``, ``1972``, ``1961 to 1963``."""
    start, end = element.find("{*}Start"), element.find("{*}End")
    first = _boundary(start, "From", "To")
    last = _boundary(end, "To", "From") or first
    if first is None or last is None:
        return None
    text = _span(first, last)
    # OFAC marks uncertain dates as approximate; sdn.csv writes them "circa …".
    approximate = any(b is not None and b.get("Approximate") == "true" for b in (start, end))
    return f"circa {text}" if approximate else text


def _boundary(element: _El | None, *names: str) -> tuple[int, int | None, int | None] | None:
    if element is None:
        return None
    return next((p for n in names if (p := _point(element.find("{*}" + n)))), None)


def _span(
    first: tuple[int, int | None, int | None], last: tuple[int, int | None, int | None]
) -> str:
    if first == last:
        return _iso(first)
    (y1, m1, d1), (y2, m2, d2) = first, last
    # OFAC writes an imprecise date as a period covering whole years or a whole month.
    whole_years = (m1, d1) == (1, 1) and (m2, d2) == (12, 31)
    if whole_years:
        return f"{y1:04d}" if y1 == y2 else f"{y1:04d} to {y2:04d}"
    if (y1, m1) == (y2, m2) and m2 and d1 == 1 and d2 == calendar.monthrange(y2, m2)[1]:
        return f"{y1:04d}-{m1:02d}"
    return f"{_iso(first)} to {_iso(last)}"


def _features(element: _El) -> Iterator[_Feature]:
    for feature in element.iterfind("{*}Feature"):
        for version in feature.iterfind("{*}FeatureVersion"):
            period = version.find("{*}DatePeriod")
            location = version.find("{*}VersionLocation")
            detail = version.find("{*}VersionDetail")
            yield _Feature(
                _attr(feature, "FeatureTypeID"),
                _period(period) if period is not None else None,
                _attr(location, "LocationID") if location is not None else None,
                _text(detail) or None,
                _attr(detail, "DetailReferenceID") if detail is not None else None,
            )


def _take_party(doc: _Document, element: _El) -> None:
    profile = element.find("{*}Profile")
    if profile is None:
        return
    identities = profile.findall("{*}Identity")
    party = _Party(
        fixed_ref=str(element.get("FixedRef") or profile.get("ID")),
        profile_id=str(profile.get("ID") or element.get("FixedRef")),
        subtype_id=_attr(profile, "PartySubTypeID"),
        identity_ids=tuple(str(i.get("ID")) for i in identities if i.get("ID")),
        groups={
            str(g.get("ID")): str(g.get("NamePartTypeID"))
            for g in profile.iterfind(".//{*}NamePartGroup")
        },
        aliases=tuple(_alias(a) for i in identities for a in i.iterfind("{*}Alias")),
        features=tuple(_features(profile)),
        comment=_text(element.find("{*}Comment")) or None,
    )
    doc.parties[party.profile_id] = party


def _take_relation(doc: _Document, element: _El) -> None:
    source, target = element.get("From-ProfileID"), element.get("To-ProfileID")
    if source and target:
        doc.relations.setdefault(str(source), []).append(str(target))


def _take_entry(doc: _Document, element: _El) -> None:
    events = tuple(
        _Event(
            _attr(event, "EntryEventTypeID"),
            _attr(event, "LegalBasisID"),
            _calendar_date(event.find("{*}Date")),
        )
        for event in element.iterfind("{*}EntryEvent")
    )
    measures = tuple(
        (_attr(measure, "SanctionsTypeID"), _text(measure.find("{*}Comment")))
        for measure in element.iterfind("{*}SanctionsMeasure")
    )
    doc.entries.append(
        _Entry(
            str(element.get("ID") or ""),
            str(element.get("ProfileID") or ""),
            _attr(element, "ListID"),
            events,
            measures,
        )
    )


# Record element -> (its parent, handler). The parent check keeps e.g. a ``Location`` that
# is not a child of ``Locations`` from being taken for one.
_HANDLERS: dict[str, tuple[str, Callable[[_Document, _El], None]]] = {
    "ReferenceValueSets": ("Sanctions", _take_refs),
    "Location": ("Locations", _take_place),
    "IDRegDocument": ("IDRegDocuments", _take_document),
    "DistinctParty": ("DistinctParties", _take_party),
    "ProfileRelationship": ("ProfileRelationships", _take_relation),
    "SanctionsEntry": ("SanctionsEntries", _take_entry),
}


def _collect(doc: _Document, element: _El) -> None:
    handler = _HANDLERS.get(_local(element.tag))
    if handler is None:
        return
    parent = element.getparent()
    if parent is None or _local(parent.tag) != handler[0]:
        return
    handler[1](doc, element)
    # Drop the finished record so memory stays flat over a 100+ MB file.
    element.clear()
    while element.getprevious() is not None:
        del parent[0]


# --- validation -----------------------------------------------------------------------


def _check_head(path: Path) -> None:
    with path.open("rb") as handle:
        head = handle.read(1024)
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not start:
        raise ReaderError(path, "the file is empty")
    if start[:100].lower().startswith((b"<!doctype html", b"<html")):
        raise ReaderError(path, "this is an HTML page, not OFAC's advanced XML (sdn_advanced.xml)")
    if not start.startswith(b"<"):
        raise ReaderError(path, f"this is not XML: it starts with {start[:40]!r}")


def _is_ofac_namespace(namespace: str | None) -> bool:
    if not namespace:
        return False
    # Accept http/https spellings of the two namespaces OFAC has used.
    tail = namespace.split("://", 1)[-1].rstrip("/")
    return any(tail == known.split("://", 1)[-1] for known in NAMESPACES)


def _check_root(path: Path, root: _El) -> None:
    name = _local(root.tag)
    namespace = etree.QName(root).namespace
    if name.lower() == "html":
        raise ReaderError(path, "this is an HTML page, not OFAC's advanced XML (sdn_advanced.xml)")
    if name == "sdnList":
        raise ReaderError(path, "this is OFAC's legacy sdn.xml (<sdnList>), not sdn_advanced.xml")
    if name != "Sanctions":
        raise ReaderError(path, f"the root element is <{name}>, not OFAC's advanced <Sanctions>")
    if not _is_ofac_namespace(namespace):
        raise ReaderError(path, f"<Sanctions> is in namespace {namespace!r}, not OFAC's")


def _scan(path: Path) -> _Document:
    _check_head(path)
    files.check_xml_head(path)
    doc = _Document()
    checked = False
    with path.open("rb") as handle:
        parser = etree.iterparse(handle, events=("start", "end"), **files.XML_PARSER_OPTIONS)
        try:
            for event, element in parser:
                if not checked:
                    _check_root(path, element)
                    checked = True
                elif event == "end":
                    _collect(doc, element)
        except etree.XMLSyntaxError as error:
            raise ReaderError(
                path, f"the XML is truncated or malformed at line {error.lineno}: {error.msg}"
            ) from None
    return doc


# --- resolving a party ----------------------------------------------------------------


def _schema(doc: _Document, subtype_id: str | None) -> Schema:
    label = doc.label("PartySubType", subtype_id)
    if label is None or label.strip().lower() == "unknown":
        # Individuals and entities have the sub-type "Unknown"; their party type says which.
        subtype = doc.ref("PartySubType", subtype_id)
        label = doc.label("PartyType", subtype.attrs.get("PartyTypeID") if subtype else None)
    return _SCHEMAS.get((label or "").strip().lower(), "Organization")


def _render(doc: _Document, party: _Party, name: _Name, person: bool) -> str:
    typed = [(doc.label("NamePartType", party.groups.get(g or "")), v) for g, v in name.parts]
    family = [v for t, v in typed if t in _FAMILY_PARTS]
    given = [v for t, v in typed if t not in _FAMILY_PARTS]
    if person and family and given:
        return f"{' '.join(family)}, {' '.join(given)}"
    return " ".join(v for _, v in typed)


def _names(doc: _Document, party: _Party, person: bool) -> list[str]:
    """Every name of a party, the primary (Latin-script) name first."""

    def is_primary(alias: _Alias) -> bool:
        return alias.primary or doc.label("AliasType", alias.type_id) == "Name"

    def is_latin(name: _Name) -> bool:
        return doc.label("DocNameStatus", name.status_id) in (None, "Primary Latin")

    rendered = (
        _render(doc, party, name, person)
        for alias in sorted(party.aliases, key=lambda a: not is_primary(a))
        for name in sorted(alias.names, key=lambda n: not is_latin(n))
    )
    return [n for n in dict.fromkeys(rendered) if n]


def _place_country(doc: _Document, place: _Place) -> str | None:
    country = doc.label("Country", place.country_id)
    if not country:
        area = doc.ref("AreaCode", place.area_code_id)
        country = area.attrs.get("Description") if area else None
    if not country:
        # Nationality locations carry the country as a part of type "Unknown".
        country = next(
            (v for t, v in place.parts if doc.label("LocPartType", t) == "Unknown"), None
        )
    return None if (country or "").strip().lower() in _NO_COUNTRY else country


def _place_address(doc: _Document, place: _Place) -> str:
    labelled = [(doc.label("LocPartType", t) or "", v) for t, v in place.parts]
    ranked = sorted(
        (p for p in labelled if p[0] != "Unknown"),
        key=lambda p: _ADDRESS_ORDER.index(p[0]) if p[0] in _ADDRESS_ORDER else len(_ADDRESS_ORDER),
    )
    values = [v for _, v in ranked]
    country = _place_country(doc, place)
    if country and country not in values:
        values.append(country)
    return ", ".join(values)


def _feature_value(doc: _Document, feature: _Feature) -> str | None:
    if feature.detail:
        return feature.detail
    if feature.detail_ref:
        return doc.label("DetailReference", feature.detail_ref)
    place = doc.places.get(feature.location_id or "")
    if place is not None:
        return _place_address(doc, place) or None
    return feature.date


@dataclass
class _Facts:
    birth_dates: list[str] = field(default_factory=list)
    nationalities: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    addresses: list[str] = field(default_factory=list)
    identifiers: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    extra: list[tuple[str, str]] = field(default_factory=list)


def _feature_country(doc: _Document, feature: _Feature) -> str | None:
    place = doc.places.get(feature.location_id or "")
    return _place_country(doc, place) if place else _feature_value(doc, feature)


def _add_feature(doc: _Document, facts: _Facts, feature: _Feature) -> None:
    label = (doc.label("FeatureType", feature.type_id) or "").strip()
    value = _feature_value(doc, feature)
    if label == "Birthdate" and feature.date:
        facts.birth_dates.append(feature.date)
    elif label in _NATIONALITY_FEATURES and (country := _feature_country(doc, feature)):
        facts.nationalities.append(country)
    elif label == "Location" and value:
        facts.addresses.append(value)
        place = doc.places.get(feature.location_id or "")
        facts.countries.append((_place_country(doc, place) if place else None) or "")
    elif label == "Title" and value:
        facts.titles.append(value)
    elif (label in _IDENTIFIER_FEATURES or label.startswith("Digital Currency Address")) and value:
        facts.identifiers.append(f"{label} {value}")
    if label in _COUNTRY_FEATURES and (country := _feature_country(doc, feature)):
        facts.countries.append(country)
    if label in _EXTRA_FEATURES and value:
        facts.extra.append((_EXTRA_FEATURES[label], value))
    if label == "Place of Birth" and value:
        facts.countries.append(value.rsplit(",", 1)[-1].strip())


def _add_documents(doc: _Document, facts: _Facts, party: _Party) -> None:
    for identity in party.identity_ids:
        for record in doc.documents.get(identity, []):
            kind = doc.label("IDRegDocType", record.type_id)
            country = doc.label("Country", record.country_id)
            text = f"{kind} {record.number}" if kind else record.number
            facts.identifiers.append(f"{text} ({country})" if country else text)
            if country:
                facts.countries.append(country)


def _facts(doc: _Document, party: _Party) -> _Facts:
    facts = _Facts()
    for feature in party.features:
        _add_feature(doc, facts, feature)
    _add_documents(doc, facts, party)
    facts.countries = [c for c in facts.nationalities + facts.countries if c]
    return facts


# --- resolving an entry ---------------------------------------------------------------


def _programs(doc: _Document, entry: _Entry) -> tuple[str, ...]:
    def is_program(type_id: str | None) -> bool:
        label = doc.label("SanctionsType", type_id)
        return label is None or label.strip().lower() == "program"

    return _unique(
        comment for type_id, comment in entry.measures if comment and is_program(type_id)
    )


def _is_listing_event(doc: _Document, event: _Event) -> bool:
    label = doc.label("EntryEventType", event.type_id)
    return label is None or label.strip().lower() in _LISTING_EVENTS


def _listed_on(doc: _Document, entry: _Entry) -> date | None:
    """The earliest listing-type event: later ones record e.g. a program added."""
    dates = [e.when for e in entry.events if e.when and _is_listing_event(doc, e)]
    return min(dates, default=None)


def _event_extra(doc: _Document, entry: _Entry) -> list[tuple[str, str]]:
    extra: list[tuple[str, str]] = []
    for event in sorted(entry.events, key=lambda e: e.when or date.max):
        basis = doc.label("LegalBasis", event.legal_basis_id)
        kind = doc.label("EntryEventType", event.type_id) or "event"
        when = event.when.isoformat() if event.when else "undated"
        known = basis if basis and basis != "Unknown" else None
        extra.append(("entry_event", f"{when} {kind}" + (f": {known}" if known else "")))
        if known:
            extra.append(("legal_basis", known))
    return list(dict.fromkeys(extra))


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for v in values if v))


def _listing(doc: _Document, primary: dict[str, str], entry: _Entry, path: Path) -> Listing:
    party = doc.parties.get(entry.profile_id)
    if party is None:
        raise ReaderError(
            path,
            f"SanctionsEntry {entry.entry_id} refers to profile {entry.profile_id!r}, "
            "which the file does not hold",
        )
    schema = _schema(doc, party.subtype_id)
    names = _names(doc, party, schema == "Person")
    if not names:
        raise ReaderError(path, f"profile {party.profile_id} has no name")
    facts = _facts(doc, party)
    return Listing(
        source=SOURCE,
        source_id=party.fixed_ref,
        name=names[0],
        schema=schema,
        programs=_programs(doc, entry),
        aliases=tuple(names[1:]),
        title=facts.titles[0] if facts.titles else None,
        birth_dates=_unique(facts.birth_dates),
        nationalities=_unique(facts.nationalities),
        countries=_unique(facts.countries),
        addresses=_unique(facts.addresses),
        identifiers=_unique(facts.identifiers),
        linked_to=_unique(primary.get(p, "") for p in doc.relations.get(party.profile_id, [])),
        remarks=party.comment,
        listed_on=_listed_on(doc, entry),
        extra=tuple(dict.fromkeys([*facts.extra, *_event_extra(doc, entry)])),
    )


def _sdn_entries(doc: _Document, path: Path) -> list[_Entry]:
    if not doc.entries:
        raise ReaderError(path, "the file holds no SanctionsEntry: it is empty or cut short")
    lists = doc.refs.get("List")
    if not lists:
        return doc.entries
    # "SDN List"; the consolidated file's lists are "Non-SDN …" and others.
    sdn = {ref_id for ref_id, ref in lists.items() if ref.text.upper().startswith("SDN")}
    entries = [e for e in doc.entries if e.list_id in sdn]
    if not entries:
        raise ReaderError(path, "no SanctionsEntry is on the SDN list (the consolidated file?)")
    return entries


def _read_all(path: Path) -> list[Listing]:
    doc = _scan(path)
    entries = _sdn_entries(doc, path)
    primary = {
        profile_id: names[0]
        for profile_id, party in doc.parties.items()
        if (names := _names(doc, party, _schema(doc, party.subtype_id) == "Person"))
    }
    return [_listing(doc, primary, entry, path) for entry in entries]


# --- public ---------------------------------------------------------------------------


def read(path: Path) -> Iterator[Listing]:
    """One listing per SDN-list ``SanctionsEntry`` of an ``sdn_advanced.xml`` file.

    The whole file is read and checked before the first listing is yielded, so a truncated
    download raises :class:`ReaderError` instead of yielding a partial list (which would
    look like mass delistings).
    """
    yield from _read_all(path)


def _action_text(listing: Listing) -> str:
    tags = " ".join(f"[{p}]" for p in listing.programs)
    bases = "; ".join(v for k, v in listing.extra if k == "legal_basis")
    listed = listing.listed_on.isoformat() if listing.listed_on else "undated"
    text = f"{listing.name} ({listing.schema}) {tags}; listed {listed}"
    return f"{text}; legal basis: {bases}" if bases else text


def entry_events(path: Path) -> list[DatedAction]:
    """The listing date of each entry as a dated "added" action (entries with no
    listing-type event date are left out: they have nothing to date)."""
    return [
        DatedAction(
            source=EVENTS_SOURCE,
            document=str(path),
            action_date=listing.listed_on,
            action="added",
            programs=listing.programs,
            listing=listing,
            text=_action_text(listing),
        )
        for listing in _read_all(path)
        if listing.listed_on is not None
    ]
