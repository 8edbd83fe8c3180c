"""Reading recommendations from a CSV file or a spreadsheet (.xlsx) laid out as the
template (``docs/recommendations-template.md``): one row per recommendation, the
governments it went to in one cell (``US 2023-02-10; GB 2023-03-01``), lists separated
by ``;``.

Every row is checked before anything is stored: a file with one bad row is rejected
whole, with every bad row's number and reason (:class:`ImportRejected`).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from magnitsky.analysis.countries import name as country_name
from magnitsky.analysis.countries import resolve as resolve_country
from magnitsky.listing import ReaderError
from magnitsky.recommendations.model import (
    CONDUCT,
    GOVERNMENT_ALIASES,
    GOVERNMENTS,
    LEVELS,
    SCHEMAS,
    Recommendation,
    Submission,
    themes,
    victim_groups,
)

REQUIRED = (
    "ref",
    "name",
    "country",
    "conduct",
    "organisations",
    "submitted",
    "confidentiality",
)
OPTIONAL = (
    "schema",
    "aliases",
    "birth_date",
    "nationality",
    "identifiers",
    "themes",
    "victim_groups",
    "notes",
    "withdrawn",
)
COLUMNS = (
    "ref",
    "name",
    "schema",
    "aliases",
    "birth_date",
    "nationality",
    "identifiers",
    "country",
    "conduct",
    "themes",
    "victim_groups",
    "organisations",
    "submitted",
    "confidentiality",
    "notes",
    "withdrawn",
)
"""The template's columns, in its order."""
_SUBMISSION = re.compile(r"^\s*([A-Za-z]{2})\s*[:=]?\s*(\S+)\s*$")
_BIRTH = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_SCHEMA_WORDS = {
    "person": "Person",
    "individual": "Person",
    "organization": "Organization",
    "organisation": "Organization",
    "entity": "Organization",
}


class ImportRejected(ReaderError):
    """The file was not imported: each problem is (row number, reason)."""

    def __init__(self, path: object, problems: Sequence[tuple[int | None, str]]) -> None:
        lines = [f"row {row}: {reason}" if row else reason for row, reason in problems]
        super().__init__(path, "nothing imported from this file:\n  " + "\n  ".join(lines))
        self.problems = list(problems)


class RowError(ValueError):
    """One row's problem."""


def read_rows(path: Path) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """The header (normalised) and the non-empty rows, each with its row number as a
    spreadsheet shows it (the header is row 1)."""
    if not path.is_file():
        raise ReaderError(path, "no such file")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        table = _csv(path)
    elif suffix in (".xlsx", ".xlsm"):
        table = _xlsx(path)
    else:
        raise ReaderError(path, "not a recommendations file: give a .csv or .xlsx file")
    numbered = [(n, row) for n, row in table if any(c.strip() for c in row)]
    if not numbered:
        raise ReaderError(path, "the file is empty")
    (_, head), *body = numbered
    header = [_column(h) for h in head]
    rows = [(n, dict(zip(header, (c.strip() for c in row), strict=False))) for n, row in body]
    return header, rows


def _column(text: str) -> str:
    return re.sub(r"[\s\-]+", "_", text.strip().lower().lstrip("\ufeff"))


def _csv(path: Path) -> list[tuple[int, list[str]]]:
    try:
        text = path.read_text("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ReaderError(path, f"not UTF-8 text ({error.reason})") from None
    return list(enumerate(csv.reader(text.splitlines()), start=1))


def _xlsx(path: Path) -> list[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a bad file
        raise ReaderError(path, f"not a readable spreadsheet ({error})") from None
    try:
        sheet = book["recommendations"] if "recommendations" in book.sheetnames else book.active
        if sheet is None:
            raise ReaderError(path, "the spreadsheet has no sheet")
        return [
            (n, [_cell(v) for v in row])
            for n, row in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
    finally:
        book.close()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def parse_file(
    path: Path, known: Iterable[str] = (), today: date | None = None
) -> list[Recommendation]:
    """The recommendations of a file, every row checked; raises :class:`ImportRejected`
    naming each bad row (``known``: refs already in the tracker)."""
    header, rows = read_rows(path)
    missing = [c for c in REQUIRED if c not in header]
    unknown = [c for c in header if c and c not in REQUIRED + OPTIONAL]
    problems: list[tuple[int | None, str]] = []
    if missing:
        problems.append((None, f"missing columns: {', '.join(missing)} (see the template)"))
    if unknown:
        problems.append((None, f"unknown columns: {', '.join(unknown)}"))
    if problems:
        raise ImportRejected(path, problems)
    if not rows:
        raise ImportRejected(path, [(None, "no recommendation below the header")])
    taken = set(known)
    out = []
    for number, row in rows:
        try:
            found = parse_row(row, today or date.today(), f"{path.name} row {number}")
        except RowError as error:
            problems.append((number, str(error)))
            continue
        if found.ref in taken:
            problems.append((number, f"the ref {found.ref!r} is already used"))
            continue
        taken.add(found.ref)
        out.append(found)
    if problems:
        raise ImportRejected(path, problems)
    return out


def parse_row(row: dict[str, str], today: date, origin: str) -> Recommendation:
    """One row as a recommendation, or :class:`RowError` with the first problem."""

    def get(column: str) -> str:
        return row.get(column, "").strip()

    ref, name = get("ref"), " ".join(get("name").split())
    if not ref:
        raise RowError("the ref is empty")
    if not name:
        raise RowError("the name is empty")
    schema = _SCHEMA_WORDS.get(get("schema").lower() or "person")
    if schema not in SCHEMAS:
        raise RowError(f"schema {get('schema')!r} is not Person or Organization")
    submissions = parse_submissions(get("submitted"), today)
    level = get("confidentiality").lower()
    if level not in LEVELS:
        raise RowError(f"confidentiality {level!r} is not one of {', '.join(LEVELS)}")
    conduct = tuple(_label(c) for c in split(get("conduct")))
    if not conduct:
        raise RowError(f"no conduct (one or both of {', '.join(CONDUCT)})")
    for c in conduct:
        if c not in CONDUCT:
            raise RowError(f"conduct {c!r} is not one of {', '.join(CONDUCT)}")
    organisations = split(get("organisations"))
    if not organisations:
        raise RowError("no submitting organisation")
    withdrawn = parse_date(get("withdrawn"), "withdrawn", today) if get("withdrawn") else None
    if withdrawn and withdrawn < min(s.submitted for s in submissions):
        raise RowError(f"withdrawn {withdrawn} before it was first submitted")
    births = split(get("birth_date"))
    for b in births:
        if not _BIRTH.match(b):
            raise RowError(f"birth date {b!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
        if b > today.isoformat()[: len(b)]:
            raise RowError(f"birth date {b} is in the future")
    return Recommendation(
        ref=ref,
        name=name,
        schema=schema,
        country=country_code(get("country"), "country"),
        conduct=conduct,
        organisations=organisations,
        submissions=submissions,
        confidentiality=level,
        aliases=split(get("aliases")),
        birth_dates=births,
        nationalities=tuple(country_code(c, "nationality") for c in split(get("nationality"))),
        identifiers=split(get("identifiers")),
        themes=_vocabulary(get("themes"), themes(), "theme"),
        victim_groups=_vocabulary(get("victim_groups"), victim_groups(), "victim group"),
        notes=get("notes"),
        withdrawn_on=withdrawn,
        origin=origin,
    )


def split(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(p.strip() for p in text.split(";") if p.strip()))


def _label(text: str) -> str:
    return re.sub(r"[\s\-]+", "_", text.strip().lower())


def _vocabulary(text: str, known: Sequence[str], what: str) -> tuple[str, ...]:
    labels = tuple(_label(t) for t in split(text))
    for label in labels:
        if label not in known:
            raise RowError(f"unknown {what} {label!r} (see data/evidence/*.toml)")
    return labels


def country_code(text: str, what: str) -> str:
    if not text:
        raise RowError(f"no {what}")
    code = text.upper() if len(text) == 2 and text.isalpha() else resolve_country(text)
    if code is None or country_name(code) == code:
        raise RowError(f"{what} {text!r} is not a country rigour knows")
    return code


def parse_date(text: str, what: str, today: date) -> date:
    try:
        found = date.fromisoformat(text)
    except ValueError:
        raise RowError(f"{what}: {text!r} is not a date YYYY-MM-DD") from None
    if found > today:
        raise RowError(f"{what}: {found} is in the future")
    return found


def parse_submissions(text: str, today: date) -> tuple[Submission, ...]:
    """``US 2023-02-10; GB 2023-03-01`` (``GOV DATE``, ``GOV: DATE`` or ``GOV=DATE``)."""
    out: dict[str, Submission] = {}
    for part in split(text):
        found = _SUBMISSION.match(part)
        if not found:
            raise RowError(f"submitted: {part!r} is not GOVERNMENT YYYY-MM-DD")
        code = found[1].upper()
        government = GOVERNMENT_ALIASES.get(code, code)
        if government not in GOVERNMENTS:
            raise RowError(f"unknown government {found[1]!r} (one of {', '.join(GOVERNMENTS)})")
        if government in out:
            raise RowError(f"submitted to {government} twice")
        out[government] = Submission(
            government, parse_date(found[2], f"submitted to {government}", today)
        )
    if not out:
        raise RowError("submitted: no government (write US 2023-02-10; GB 2023-03-01)")
    return tuple(sorted(out.values(), key=lambda s: (s.submitted, s.government)))


def write_spreadsheet(
    rows: Sequence[dict[str, str]], path: Path, columns: Sequence[str] = COLUMNS
) -> None:
    """Rows as an .xlsx file laid out as the template (sheet ``recommendations``)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "recommendations"
    sheet.append(list(columns))
    for row in rows:
        sheet.append([row.get(c, "") for c in columns])
    book.save(path)
