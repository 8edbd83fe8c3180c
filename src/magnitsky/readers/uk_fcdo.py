"""The FCDO "UK Sanctions List", the single UK list since OFSI's closed on 28 Jan 2026: CSV
(or XML) published by the Foreign, Commonwealth & Development Office.

Built from the published description only: no official file of this layout was at hand
when this reader was written (the project's shared data holds OFSI files only). The layout
follows the FCDO's own format notes and third-party parsers of the file, and the tests run
on small fixtures written in that layout. Check it against a real download before relying
on it.

CSV: row 1 ``Report Date: dd-Mon-yyyy``, row 2 the header (``Last Updated, Unique ID, OFSI
Group ID, UN Reference Number, Name 6, Name 1 … Name 5, Name type, Alias strength, Title,
Name non-latin script, …, Regime Name, Designation Type, Designation source, Sanctions
Imposed, Other Information, UK Statement of Reasons, Address Line 1 … 6, Address Postal
Code, Address Country, …, Date Designated, D.O.B, Nationality(/ies), …, IMO number, …``),
one row per name and address of a designation. XML: ``<Designations><Designation>`` with
``UniqueID``, ``RegimeName``, ``IndividualEntityShip``, ``DateDesignated``,
``UKStatementofReasons``, ``Names/Name/{Name1…Name6,NameType}`` and nested details.

One :class:`Listing` per designation (``source_id`` = Unique ID, e.g. ``GHR0001``). A person
under two regimes has two Unique IDs; ``extra.ofsi_group_id`` links them (and to the OFSI
list's Group ID). ``Regime Name`` spells out the regulations ("The Global Human Rights
Sanctions Regulations 2020"); the program tag is the regime's short name as OFSI wrote it
("Global Human Rights" -> GB-HR), through ``[lookups.regimes]`` of the declaration, else by
dropping "The", "(Sanctions)", "(EU Exit)", "Regulations 2019"; the full name stays in
``extra.regime_name``. ``listed_on`` = ``Date Designated``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from magnitsky.listing import Listing, ReaderError
from magnitsky.readers import files, uk_ofsi
from magnitsky.readers.expectations import lookup

SOURCE = "gb-fcdo"
_REQUIRED = ("Unique ID", "Name 6", "Regime Name", "Designation Type", "Date Designated")
_ADDRESS = (*(f"Address Line {i}" for i in range(1, 7)), "Address Postal Code", "Address Country")
_XML_ADDRESS = (*(f"AddressLine{i}" for i in range(1, 7)), "AddressPostalCode", "AddressCountry")
_IDS = {
    "Passport number": "Passport",
    "National Identifier number": "National ID",
    "IMO number": "IMO",
    "Business registration number (s)": "Registration",
}
_XML_IDS = {
    "PassportNumber": "Passport",
    "NationalIdentifierNumber": "National ID",
    "IMONumber": "IMO",
    "BusinessRegistrationNumber": "Registration",
}
# Steps from the regulations' title to the regime's short name, as OFSI wrote it.
_REGIME_STEPS = (
    (re.compile(r"^The\s+"), ""),
    (re.compile(r"\s+Regulations\s+\d{4}$"), ""),
    (re.compile(r"\s*\((?:EU Exit|Sanctions|United Nations Sanctions)\)"), ""),
    (re.compile(r"\s+Sanctions$"), ""),
    (re.compile(r"\(International Sanctions\)"), "(International)"),
)


@dataclass
class _Designation:
    unique_id: str
    fields: dict[str, str] = field(default_factory=dict)  # single-valued
    names: list[tuple[str, str]] = field(default_factory=list)  # (name type, name)
    many: dict[str, list[str]] = field(default_factory=dict)  # multi-valued

    def add(self, key: str, value: str | None) -> None:
        if value:
            self.many.setdefault(key, []).append(value)


def read(path: Path) -> list[Listing]:
    raw = files.read_bytes(path)
    if raw.startswith((files.XLSX_MAGIC, files.XLS_MAGIC)):
        raise ReaderError(path, "a spreadsheet (ODS/XLSX): read the list's CSV or XML instead")
    if raw.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        designations = _from_xml(files.xml_root(raw, path), path)
    else:
        rows = files.csv_rows(files.decode(raw, path), path)
        designations = _from_csv(rows, path)
    return [_listing(d) for d in designations]


def regime_tag(regime_name: str) -> str:
    """``The Global Human Rights Sanctions Regulations 2020`` -> ``Global Human Rights``."""
    name = files.clean(regime_name) or ""
    known = lookup(SOURCE, "regimes")
    if name in known:
        return known[name]
    short = name
    for pattern, replacement in _REGIME_STEPS:
        short = pattern.sub(replacement, short)
    return known.get(short, short)


def _from_csv(rows: Sequence[Sequence[str | None]], origin: object) -> list[_Designation]:
    found: dict[str, _Designation] = {}
    for r in uk_ofsi.records(rows, origin, _REQUIRED, "Unique ID"):
        d = found.setdefault(r["Unique ID"] or "", _Designation(r["Unique ID"] or ""))
        for column, value in r.items():
            if value and column not in d.fields:
                d.fields[column] = value
        name = uk_ofsi.full_name(r)
        if name:
            d.names.append(((r.get("Name type") or "").lower(), name))
        d.add("non_latin", r.get("Name non-latin script"))
        d.add("dob", files.partial_date(r.get("D.O.B")))
        d.add("nationality", r.get("Nationality(/ies)"))
        d.add("country", r.get("Address Country"))
        d.add("address", uk_ofsi.address(r, _ADDRESS))
        d.add("position", r.get("Position"))
        for column, label in _IDS.items():
            d.add("id", f"{label}: {r[column]}" if r.get(column) else None)
    return list(found.values())


def _from_xml(root: Any, origin: object) -> list[_Designation]:
    if files.local_name(root.tag) != "Designations":
        raise ReaderError(origin, f"not a UK Sanctions List XML (root <{root.tag}>)")
    out = []
    for el in root.iter("{*}Designation"):
        values = {files.local_name(c.tag): files.clean(c.text) for c in el if len(c) == 0}
        unique_id = values.get("UniqueID")
        if not unique_id:
            raise ReaderError(origin, f"a designation without UniqueID (line {el.sourceline})")
        d = _Designation(unique_id, {k: v for k, v in values.items() if v})
        for name_el in el.iterfind("{*}Names/{*}Name"):
            parts = {files.local_name(c.tag): files.clean(c.text) for c in name_el}
            name = files.clean(" ".join(parts.get(f"Name{i}") or "" for i in range(1, 7)))
            if name:
                d.names.append(((parts.get("NameType") or "").lower(), name))
        for tag, key in (
            ("NameNonLatinScript", "non_latin"),
            ("DOB", "dob"),
            ("Nationality", "nationality"),
            ("AddressCountry", "country"),
            ("Position", "position"),
            ("Title", "title"),
            ("Gender", "gender"),
        ):
            for sub in el.iter(f"{{*}}{tag}"):
                value = files.clean(sub.text)
                d.add(key, files.partial_date(value) if key == "dob" else value)
        for address_el in el.iterfind("{*}Addresses/{*}Address"):
            parts = {files.local_name(c.tag): files.clean(c.text) for c in address_el}
            d.add("address", uk_ofsi.address(parts, _XML_ADDRESS))
        for tag, label in _XML_IDS.items():
            for sub in el.iter(f"{{*}}{tag}"):
                d.add("id", f"{label}: {v}" if (v := files.clean(sub.text)) else None)
        out.append(_csv_names(d))
    if not out:
        raise ReaderError(origin, "the XML holds no <Designation>")
    return out


_XML_TO_CSV = {
    "RegimeName": "Regime Name",
    "IndividualEntityShip": "Designation Type",
    "DateDesignated": "Date Designated",
    "LastUpdated": "Last Updated",
    "OFSIGroupID": "OFSI Group ID",
    "UNReferenceNumber": "UN Reference Number",
    "DesignationSource": "Designation source",
    "SanctionsImposed": "Sanctions Imposed",
    "OtherInformation": "Other Information",
    "UKStatementofReasons": "UK Statement of Reasons",
}


def _csv_names(d: _Designation) -> _Designation:
    """XML element names -> the CSV's column names, so one builder serves both."""
    d.fields = {_XML_TO_CSV.get(k, k): v for k, v in d.fields.items()}
    for key, column in (("title", "Title"), ("gender", "Gender")):
        if d.many.get(key):
            d.fields.setdefault(column, d.many[key][0])
    return d


def _listing(d: _Designation) -> Listing:
    f = d.fields
    names = [n for _, n in d.names]
    name = next((n for t, n in d.names if t == "primary name"), None)
    name = name or next((n for t, n in d.names if t.startswith("primary")), None)
    name = name or (names[0] if names else None) or (d.many.get("non_latin") or [d.unique_id])[0]
    regime = f.get("Regime Name")
    extra = [
        ("reference", d.unique_id),
        ("reasons", f.get("UK Statement of Reasons")),
        ("ofsi_group_id", f.get("OFSI Group ID")),
        ("un_reference", f.get("UN Reference Number")),
        ("regime_name", regime),
        ("designation_source", f.get("Designation source")),
        ("sanctions_imposed", f.get("Sanctions Imposed")),
        ("last_updated", uk_ofsi.iso(f.get("Last Updated"))),
        ("gender", f.get("Gender")),
        ("position", "; ".join(files.unique(d.many.get("position", []))) or None),
    ]
    many = d.many
    return Listing(
        source=SOURCE,
        source_id=d.unique_id,
        name=name,
        schema=uk_ofsi.SCHEMAS.get((f.get("Designation Type") or "").lower(), "Organization"),
        programs=(regime_tag(regime),) if regime else (),
        aliases=files.unique(n for n in [*names, *many.get("non_latin", [])] if n != name),
        title=f.get("Title"),
        birth_dates=files.unique(many.get("dob", [])),
        nationalities=files.unique(
            n for text in many.get("nationality", []) for n in uk_ofsi.nationalities(text)
        ),
        countries=files.unique(many.get("country", [])),
        addresses=files.unique(many.get("address", [])),
        identifiers=files.unique(many.get("id", [])),
        remarks=f.get("Other Information"),
        listed_on=files.parse_date(f.get("Date Designated")),
        extra=tuple((k, v) for k, v in extra if v),
    )
