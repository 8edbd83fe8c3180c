"""The EU Financial Sanctions Files (FSF, European Commission): the consolidated list of
persons, groups and entities subject to EU financial sanctions, as CSV or XML.

- CSV 1.0 (semicolon-separated; the official attribute description, fsf-csv-attributes.pdf):
  ``Date_file; Entity_logical_id; Subject_type; Leba_numtitle; Leba_publication_date; …;
  Programme; Entity_remark; Naal_…; Addr_…; Birt_…; Iden_…; Citi_…; EU_ref_num``. Each
  section repeats ``Entity_logical_id``, filled only on the rows of that section; one row
  per name, address, birth date, identity document and citizenship of an entity, so an
  entity spans many rows. No designation date.
- CSV 1.1: ``fileGenerationDate; Entity_LogicalId; Entity_EU_ReferenceNumber; …;
  Entity_DesignationDate; …; Entity_Regulation_Programme; …; NameAlias_WholeName; …``.
- XML 1.1: ``<export xmlns="http://eu.europa.ec/fpi/fsd/export">`` holding
  ``<sanctionEntity logicalId euReferenceNumber designationDate …>`` with ``<regulation
  programme="HR" publicationDate entryIntoForceDate numberTitle>``, ``<subjectType>``,
  ``<nameAlias wholeName strong nameLanguage …>``, ``<citizenship>``, ``<birthdate>``,
  ``<address>``, ``<identification>``.

One :class:`Listing` per entity (``source_id`` = the logical id; the EU reference number,
``EU.36.64``, is kept in ``extra.eu_reference``). Programs are the raw programme codes
(``HR`` -> EU-HR). ``listed_on`` is the entity's designation date (CSV 1.1, XML), never the
publication date of a regulation, which may be an amendment long after the listing: the
regulations and their dates are kept in ``extra``.

Official files are UTF-8; the archived 1.0 excerpt is Windows-1252 with every line wrapped
in quotes and padded with tabs (as a spreadsheet saved it), which is unwrapped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from magnitsky.listing import Listing, ReaderError, Schema
from magnitsky.readers import files

SOURCE = "eu-fsf"
_SCHEMAS: dict[str, Schema] = {
    "p": "Person",
    "person": "Person",
    "e": "Organization",
    "enterprise": "Organization",
}
# Meaning -> (CSV 1.0 column, CSV 1.1 column); "" where that version has none.
_COLUMNS: dict[str, tuple[str, str]] = {
    "id": ("Entity_logical_id", "Entity_LogicalId"),
    "subject": ("Subject_type", "Entity_SubjectType"),
    "subject_code": ("Subject_type", "Entity_SubjectType_ClassificationCode"),
    "eu_reference": ("EU_ref_num", "Entity_EU_ReferenceNumber"),
    "un_reference": ("", "Entity_UnitedNationId"),
    "designated": ("", "Entity_DesignationDate"),
    "details": ("", "Entity_DesignationDetails"),
    "remark": ("Entity_remark", "Entity_Remark"),
    "programme": ("Programme", "Entity_Regulation_Programme"),
    "regulation": ("Leba_numtitle", "Entity_Regulation_NumberTitle"),
    "published": ("Leba_publication_date", "Entity_Regulation_PublicationDate"),
    "name": ("Naal_wholename", "NameAlias_WholeName"),
    "language": ("Naal_language", "NameAlias_NameLanguage"),
    "strong": ("", "NameAlias_Strong"),
    "title": ("Naal_title", "NameAlias_Title"),
    "function": ("Naal_function", "NameAlias_Function"),
    "gender": ("Naal_gender", "NameAlias_Gender"),
    "birth_date": ("Birt_date", "BirthDate_BirthDate"),
    "birth_year": ("", "BirthDate_Year"),
    "citizenship": ("Citi_country", "Citizenship_CountryDescription"),
    "id_number": ("Iden_number", "Identification_Number"),
    "id_type": ("", "Identification_TypeDescription"),
}
_ADDRESS = (
    ("Addr_number", "Addr_street", "Addr_zipcode", "Addr_city", "Addr_country", "Addr_other"),
    (
        "Address_Street",
        "Address_PoBox",
        "Address_ZipCode",
        "Address_City",
        "Address_Region",
        "Address_Place",
        "Address_CountryDescription",
    ),
)
_ADDRESS_COUNTRY = ("Addr_country", "Address_CountryDescription")
_XML_ADDRESS = ("street", "poBox", "zipCode", "city", "region", "place", "countryDescription")
_UNKNOWN = frozenset({"", "UNKNOWN", "N/A", "NA"})


@dataclass
class _Entity:
    logical_id: str
    fields: dict[str, str] = field(default_factory=dict)
    names: list[tuple[str, bool, str]] = field(default_factory=list)  # (name, strong, lang)
    many: dict[str, list[str]] = field(default_factory=dict)

    def set(self, key: str, value: str | None) -> None:
        if value and key not in self.fields:
            self.fields[key] = value

    def add(self, key: str, value: str | None) -> None:
        if value and value.upper() not in _UNKNOWN:
            self.many.setdefault(key, []).append(value)


def read(path: Path) -> list[Listing]:
    raw = files.read_bytes(path)
    if raw.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        entities = _from_xml(files.xml_root(raw, path), path)
    else:
        entities = _from_csv(_csv_rows(files.decode(raw, path), path), path)
    return [_listing(e) for e in entities]


def _csv_rows(text: str, origin: object) -> list[list[str]]:
    head = text.lstrip().split("\n", 1)[0]
    if head.startswith('"') and head.strip('"\t\r').startswith(("Date_file", "fileGeneration")):
        # Each line is one quoted cell holding the real line (quotes doubled), then tabs.
        wrapped = files.csv_rows(text, origin, delimiter="\t")
        text = "\n".join(row[0] if row else "" for row in wrapped)
    return files.csv_rows(text, origin, delimiter=";")


def _from_csv(rows: list[list[str]], origin: object) -> list[_Entity]:
    if not rows or not rows[0]:
        raise ReaderError(origin, "no header row")
    header = [c.strip().strip('"') for c in rows[0]]
    if header[0].startswith("Date_file"):
        version = 0
    elif header[0] == "fileGenerationDate":
        version = 1
    else:
        raise ReaderError(origin, f"not an FSF CSV file: it starts with {header[0][:40]!r}")
    index: dict[str, int] = {}
    for i, name in enumerate(header):
        index.setdefault(name, i)
    id_column = _COLUMNS["id"][version]
    body = [r for r in rows[1:] if any(c.strip() for c in r)]
    if not body:
        raise ReaderError(origin, "the file has a header but no entries")
    files.check_last_row(body[-1:], len(header), origin)
    found: dict[str, _Entity] = {}
    for number, row in enumerate(body, 2):

        def cell(column: str, row: list[str] = row) -> str | None:
            i = index.get(column)
            return files.clean(row[i]) if i is not None and i < len(row) else None

        logical_id = cell(id_column)
        if not logical_id:
            raise ReaderError(origin, f"row {number} has no {id_column}")
        entity = found.setdefault(logical_id, _Entity(logical_id))
        values = {key: cell(names[version]) for key, names in _COLUMNS.items() if names[version]}
        _collect(entity, values)
        address = files.clean(", ".join(v for c in _ADDRESS[version] if (v := cell(c))))
        entity.add("address", address)
        entity.add("country", cell(_ADDRESS_COUNTRY[version]))
    return list(found.values())


def _collect(entity: _Entity, v: dict[str, str | None]) -> None:
    for key in (
        "subject",
        "subject_code",
        "eu_reference",
        "un_reference",
        "designated",
        "details",
        "remark",
    ):
        entity.set(key, v.get(key))
    if v.get("name"):
        strong = (v.get("strong") or "true").lower() != "false"
        entity.names.append((v["name"] or "", strong, (v.get("language") or "").upper()))
    for key in (
        "programme",
        "regulation",
        "published",
        "title",
        "function",
        "gender",
        "citizenship",
    ):
        entity.add(key, v.get(key))
    entity.add("birth", files.partial_date(v.get("birth_date") or v.get("birth_year")))
    number = v.get("id_number")
    entity.add("identifier", f"{v['id_type']}: {number}" if number and v.get("id_type") else number)


def _from_xml(root: Any, origin: object) -> list[_Entity]:
    if files.local_name(root.tag) != "export":
        raise ReaderError(origin, f"not an FSF XML file (root <{root.tag}>)")
    out = []
    for el in root.iterfind("{*}sanctionEntity"):
        entity = _Entity(el.get("logicalId") or "")
        if not entity.logical_id:
            raise ReaderError(origin, f"a sanctionEntity without logicalId (line {el.sourceline})")
        for key, attr in (
            ("eu_reference", "euReferenceNumber"),
            ("un_reference", "unitedNationId"),
            ("designated", "designationDate"),
            ("details", "designationDetails"),
        ):
            entity.set(key, files.clean(el.get(attr)))
        for child in el:
            _xml_child(entity, files.local_name(child.tag), child)
        out.append(entity)
    if not out:
        raise ReaderError(origin, "the XML holds no <sanctionEntity>")
    return out


def _xml_child(entity: _Entity, tag: str, el: Any) -> None:
    get = el.get
    if tag == "remark":
        entity.set("remark", files.clean(el.text))
    elif tag == "subjectType":
        entity.set("subject", get("code"))
        entity.set("subject_code", get("classificationCode"))
    elif tag == "regulation":
        _collect(
            entity,
            {
                "programme": get("programme"),
                "regulation": get("numberTitle"),
                "published": get("publicationDate"),
            },
        )
    elif tag == "nameAlias":
        _collect(
            entity,
            {
                "name": get("wholeName"),
                "strong": get("strong"),
                "language": get("nameLanguage"),
                "title": get("title"),
                "function": get("function"),
                "gender": get("gender"),
            },
        )
    elif tag == "citizenship":
        entity.add("citizenship", files.clean(get("countryDescription")))
    elif tag == "birthdate":
        entity.add("birth", files.partial_date(get("birthdate") or get("year")))
    elif tag == "identification":
        _collect(
            entity,
            {
                "id_number": get("number") or get("latinNumber"),
                "id_type": get("identificationTypeDescription"),
            },
        )
    elif tag == "address":
        entity.add("address", files.clean(", ".join(v for a in _XML_ADDRESS if (v := get(a)))))
        entity.add("country", files.clean(get("countryDescription")))


def _primary_name(names: Sequence[tuple[str, bool, str]]) -> str | None:
    for wanted in ((True, "EN"), (True, "")):
        for name, strong, lang in names:
            if (strong, lang) == wanted:
                return name
    return names[0][0] if names else None


def _listing(e: _Entity) -> Listing:
    f, many = e.fields, e.many
    name = _primary_name(e.names) or f.get("eu_reference") or e.logical_id
    subject = (f.get("subject") or f.get("subject_code") or "").lower()
    extra = [
        ("eu_reference", f.get("eu_reference")),
        ("un_reference", f.get("un_reference")),
        ("designation_details", f.get("details")),
        ("regulations", "; ".join(files.unique(many.get("regulation", [])))),
        ("regulation_published", min(files.unique(many.get("published", [])), default=None)),
        ("position", "; ".join(files.unique(many.get("function", [])))),
        ("gender", next(iter(files.unique(many.get("gender", []))), None)),
    ]
    return Listing(
        source=SOURCE,
        source_id=e.logical_id,
        name=name,
        schema=_SCHEMAS.get(subject, "Organization"),
        programs=files.unique(many.get("programme", [])),
        aliases=files.unique(n for n, _, _ in e.names if n != name),
        title=next(iter(files.unique(many.get("title", []))), None),
        birth_dates=files.unique(many.get("birth", [])),
        nationalities=files.unique(many.get("citizenship", [])),
        countries=files.unique(many.get("country", [])),
        addresses=files.unique(many.get("address", [])),
        identifiers=files.unique(many.get("identifier", [])),
        remarks=f.get("remark"),
        listed_on=files.parse_date(f.get("designated")),
        extra=tuple((k, v) for k, v in extra if v),
    )
