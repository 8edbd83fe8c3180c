"""What every official list file needs before it can be read: bytes that are there, text in
the right encoding, rows of a CSV or a spreadsheet, an XML tree, dates in the publishers'
many spellings. Each problem is a :class:`ReaderError` that names the file and says what
is wrong (empty, truncated, wrong encoding, not the format it claims to be)."""

from __future__ import annotations

import contextlib
import csv
import io
import re
import zipfile
from collections.abc import Iterable
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from lxml import etree

from magnitsky.listing import ReaderError

XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Hostile XML: no entity is resolved, no DTD loaded, nothing fetched from the network; a
# file that declares entities is refused before parsing (:func:`check_no_entities`).
_XML_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=True
)
XML_PARSER_OPTIONS: dict[str, bool] = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "dtd_validation": False,
}
"""The same options for ``etree.iterparse``."""
XLSX_PART_LIMIT = 256 * 1024 * 1024
"""Largest uncompressed part of a workbook read (the real lists' largest is ~13 MB)."""
XLSX_TOTAL_LIMIT = 512 * 1024 * 1024
_ENTITY = re.compile(rb"<!ENTITY", re.I)
_HEAD = 64 * 1024
_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_DMY = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})")
_YMD = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?")
_WORDED = re.compile(r"(\d{1,2})[\s\-]+([A-Za-z]+)\.?,?[\s\-]+(\d{4})")


def read_bytes(path: Path) -> bytes:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ReaderError(path, f"cannot be read: {exc.strerror or exc}") from exc
    if not raw.strip(b" \t\r\n\x00\x1a\xef\xbb\xbf"):
        raise ReaderError(path, "the file is empty")
    return raw


def decode(raw: bytes, origin: object, fallback: str | None = "cp1252") -> str:
    """UTF-8 (with or without BOM), else the publisher's legacy encoding ``fallback``.
    NUL bytes are refused: no text format of a list has them."""
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in raw[:4096]:
        raise ReaderError(origin, "wrong encoding: UTF-16/UTF-32 (NUL bytes), expected UTF-8")
    check_no_nul(raw, origin)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        where = f"byte {raw[exc.start]:#04x} at offset {exc.start}"
        if fallback is None:
            raise ReaderError(origin, f"wrong encoding: not valid UTF-8 ({where})") from exc
        try:
            return raw.decode(fallback)
        except UnicodeDecodeError:
            raise ReaderError(
                origin, f"wrong encoding: neither UTF-8 nor {fallback} ({where})"
            ) from exc


def check_no_nul(raw: bytes, origin: object) -> None:
    """A NUL byte in a text file: binary data or a corrupted copy, never a list."""
    at = raw.find(b"\x00")
    if at >= 0:
        raise ReaderError(origin, f"a NUL byte at offset {at}: binary data, not a text list")


def csv_rows(text: str, origin: object, delimiter: str = ",") -> list[list[str]]:
    """All rows; a quoted field left open at the end of the file means it was cut off."""
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except csv.Error as exc:
        raise csv_problem(exc, origin) from exc


def csv_problem(exc: csv.Error, origin: object) -> ReaderError:
    """A CSV module error said as the file's problem (an open quote at the end, a field
    larger than the CSV module reads: ~128 KB, far above any real field)."""
    if "end of data" in str(exc):
        return ReaderError(origin, "the last row ends inside a quoted field: truncated")
    if "field larger than field limit" in str(exc):
        return ReaderError(
            origin,
            f"a field is longer than {csv.field_size_limit():,} characters: not a list file"
            " (or quotes that never close)",
        )
    return ReaderError(origin, f"not a well-formed CSV file: {exc}")


def check_last_row(rows: list[list[str]], width: int, origin: object) -> None:
    """Official CSVs write every column on every row: a short last row is a cut-off file."""
    if rows and len(rows[-1]) < width and any(cell.strip() for cell in rows[-1]):
        raise ReaderError(
            origin, f"the last row has {len(rows[-1])} of {width} columns: the file is truncated"
        )


def sheet_rows(path: Path, raw: bytes) -> list[list[str | None]]:
    """The first worksheet of an .xlsx (python-calamine) or .xls (xlrd) workbook, cells as text
    (dates as ISO ``YYYY-MM-DD``, whole numbers without ``.0``)."""
    if raw.startswith(XLSX_MAGIC):
        check_zip_sizes(path, raw)
        return _xlsx_rows(path, raw)
    if raw.startswith(XLS_MAGIC):
        return _xls_rows(path, raw)
    raise ReaderError(path, "not an Excel workbook (.xlsx or .xls)")


def check_zip_sizes(path: Path | str, raw: bytes | None = None) -> None:
    """Refuse a workbook whose parts would expand beyond the limits (a zip bomb), from the
    zip's directory alone, before any reader opens it. Without ``raw`` the directory is
    read from the file (not the whole file: a part stored unpacked may be gigabytes)."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw) if raw is not None else path) as book:
            parts = book.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ReaderError(
            path, f"not a readable .xlsx workbook (truncated or corrupt): {exc}"
        ) from exc
    for part in parts:
        if part.file_size > XLSX_PART_LIMIT:
            raise ReaderError(
                path,
                f"the workbook part {part.filename} expands to {part.file_size:,} bytes"
                f" (more than {XLSX_PART_LIMIT:,}): refused as a zip bomb",
            )
    total = sum(part.file_size for part in parts)
    if total > XLSX_TOTAL_LIMIT:
        raise ReaderError(
            path,
            f"the workbook expands to {total:,} bytes (more than {XLSX_TOTAL_LIMIT:,}):"
            " refused as a zip bomb",
        )


def _xlsx_rows(path: Path, raw: bytes) -> list[list[str | None]]:
    """Read with python-calamine (Rust): the same records as openpyxl gave on every
    official workbook, several times faster (bench/RESULTS.md). An empty cell is None."""
    import python_calamine

    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(raw))
        sheet = book.get_sheet_by_index(0)
        rows = sheet.to_python(skip_empty_area=False)
    except (
        python_calamine.CalamineError,
        zipfile.BadZipFile,
        OSError,
        ValueError,
        KeyError,
        IndexError,
    ) as exc:
        raise ReaderError(
            path, f"not a readable .xlsx workbook (truncated or corrupt): {exc}"
        ) from exc
    return [_trim([None if v == "" else cell_text(v) for v in row]) for row in rows]


def _xls_rows(path: Path, raw: bytes) -> list[list[str | None]]:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=raw, logfile=io.StringIO())
        sheet = book.sheet_by_index(0)
        rows = []
        for r in range(sheet.nrows):
            row: list[str | None] = []
            for c in range(sheet.ncols):
                value: Any = sheet.cell_value(r, c)
                if sheet.cell_type(r, c) == xlrd.XL_CELL_DATE:
                    value = xlrd.xldate_as_datetime(value, book.datemode)
                row.append(cell_text(value))
            rows.append(_trim(row))
        return rows
    except Exception as exc:  # xlrd raises XLRDError, CompDocError, IndexError, struct.error …
        raise ReaderError(
            path, f"not a readable .xls workbook (truncated or corrupt): {exc}"
        ) from exc


def _trim(row: list[str | None]) -> list[str | None]:
    while row and not row[-1]:
        row.pop()
    return row


def cell_text(value: object) -> str | None:
    """A cell as text, not yet cleaned: the readers clean the cells they use."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def xml_root(raw: bytes, origin: object) -> Any:
    """The root element; lxml ships no type stubs here, so elements are untyped."""
    if not raw.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        raise ReaderError(origin, "not an XML file (it does not start with '<')")
    check_no_entities(raw, origin)
    check_no_nul(raw, origin)
    try:
        return etree.fromstring(raw, _XML_PARSER)
    except etree.XMLSyntaxError as exc:
        message = str(exc)
        if "encoding" in message.lower() or "UTF-8" in message:
            raise ReaderError(origin, f"wrong encoding for the XML declaration: {message}") from exc
        last_line = raw.rstrip().count(b"\n") + 1
        if exc.lineno is not None and exc.lineno >= last_line:
            raise ReaderError(
                origin, f"the XML ends early: the file is truncated ({message})"
            ) from exc
        raise ReaderError(origin, f"malformed XML: {message}") from exc


def check_no_entities(head: bytes, origin: object) -> None:
    """No official list declares entities: a file that does (an external entity such as
    ``file:///etc/passwd``, an entity expansion bomb) is refused unread."""
    if _ENTITY.search(head):
        raise ReaderError(origin, "the XML declares entities (<!ENTITY …>): refused as hostile")


def check_xml_head(path: Path) -> None:
    """:func:`check_no_entities` on the start of a file read as a stream (the document
    type declaration comes before the root element)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(_HEAD)
    except OSError as exc:
        raise ReaderError(path, f"cannot be read: {exc.strerror or exc}") from exc
    check_no_entities(head, path)


def html_root(text: str, origin: object) -> Any:
    """An HTML page's tree, parsed without network access; an empty page is an error."""
    import lxml.html

    parser = lxml.html.HTMLParser(no_network=True, remove_pis=True)
    try:
        return lxml.html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise ReaderError(origin, f"not a readable HTML page: {exc}") from exc


def local_name(tag: object) -> str:
    """``{namespace}name`` -> ``name`` (comments and processing instructions: '')."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def clean(text: object) -> str | None:
    """Whitespace collapsed (``str.split`` counts non-breaking spaces too); empty -> None."""
    if text is None:
        return None
    return " ".join(str(text).split()) or None


def unique(values: Iterable[str | None]) -> tuple[str, ...]:
    """Non-empty values, first occurrence kept, in order."""
    seen: dict[str, None] = {}
    for value in values:
        if value:
            seen.setdefault(value, None)
    return tuple(seen)


@lru_cache(maxsize=8192)  # lists repeat the same few dates on thousands of rows
def parse_date(text: str | None) -> date | None:
    """A full date in any spelling the lists use (``2021-03-02``, ``02/03/2021``,
    ``2.3.2021``, ``2 March 2021``, ``02-Mar-2021``); None when it is not one."""
    value = clean(text)
    if not value:
        return None
    parts = _date_parts(value)
    if parts is None or parts[1] is None or parts[2] is None:
        return None
    with contextlib.suppress(ValueError):
        return date(parts[0], parts[1], parts[2])
    return None


@lru_cache(maxsize=8192)
def partial_date(text: str | None) -> str | None:
    """A birth date as ISO, as precise as the source is (``1980``, ``1944-06``,
    ``1944-06-26``; ``00`` parts are unknown); other wording is kept as written."""
    value = clean(text)
    if not value:
        return None
    if re.fullmatch(r"\d{4}(-\d{2}){0,2}", value):
        return value
    parts = _date_parts(value)
    if parts is None:
        return value
    year, month, day = parts
    if not month:
        return f"{year:04d}"
    if not day:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}"


def _date_parts(value: str) -> tuple[int, int | None, int | None] | None:
    if m := _YMD.fullmatch(value):
        return int(m[1]), int(m[2]) or None, int(m[3]) or None
    if m := _DMY.fullmatch(value):
        return int(m[3]), int(m[2]) or None, int(m[1]) or None
    if (m := _WORDED.fullmatch(value)) and (month := _month(m[2])):
        return int(m[3]), month, int(m[1])
    if re.fullmatch(r"\d{4}", value):
        return int(value), None, None
    return None


def _month(word: str) -> int | None:
    """``Mar``, ``March``, ``Sept`` -> 3, 3, 9."""
    word = word.lower()
    found = [i for i, name in enumerate(_MONTHS, 1) if len(word) >= 3 and name.startswith(word)]
    return found[0] if len(found) == 1 else None


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
