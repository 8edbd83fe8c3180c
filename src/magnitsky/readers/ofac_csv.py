"""OFAC's legacy SDN files: ``sdn.csv`` and the older pipe-delimited ``sdn.pip``.

Twelve columns, no header in the official file (some archived copies add one):
``ent_num, SDN_Name, SDN_Type, Program, Title, Call_Sign, Vess_type, Tonnage, GRT,
Vess_flag, Vess_owner, Remarks``; ``-0-`` means empty; several programs are joined as
``SDGT] [GLOMAG``. One entry per line; the file may end in a DOS EOF byte (0x1A).

The history importer works on raw lines (:func:`record_lines`) so that only lines that
changed between two snapshots are parsed (:func:`parse_line`).
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from magnitsky.listing import Listing, ReaderError, Schema
from magnitsky.readers.files import check_no_nul, csv_problem
from magnitsky.readers.ofac_remarks import parse_remarks

SOURCE = "us-ofac-sdn"
COLUMNS = 12
_ENTRY_CSV = re.compile(rb"[ \t]*\d+[ \t]*,")
_ENTRY_PIP = re.compile(rb"[ \t]*\d+[ \t]*\|")
_TYPES: dict[str, Schema] = {"individual": "Person", "vessel": "Vessel", "aircraft": "Airplane"}
_BOM = b"\xef\xbb\xbf"


def decode(raw: bytes) -> str:
    """UTF-8, or Windows-1252 for the stray bytes OFAC files carry."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _empty(value: str) -> str | None:
    value = value.strip()
    return None if value in ("", "-0-") else value


def detect_delimiter(first_line: bytes) -> str:
    head = first_line.split(b",", 1)[0].split(b"|", 1)[0]
    if b"|" in first_line and (not first_line.startswith(head + b",")):
        return "|"
    return ","


_CONTENT = re.compile(rb"[^\x1a\t ,\r\n]")


def _junk(line: bytes) -> bool:
    """Blank lines, the DOS end-of-file byte, a row of empty columns (a search that stops
    at the first real character: no copy of a whole file)."""
    return _CONTENT.search(line) is None


def record_lines(data: bytes, origin: object) -> tuple[list[bytes], str]:
    """The entry lines of a file and the delimiter, with the file's shape checked.

    Raises :class:`ReaderError` for an empty file, something that is not an SDN file
    (an HTML error page, another CSV) or a truncated last line. Each line's own shape is
    checked by :func:`check_line` when it is parsed, so a history importer that parses
    only new lines checks only those.
    """
    body = entry_body(data, origin)
    return body.lines(), body.delimiter


@dataclass(frozen=True)
class Body:
    """Where a file's entry lines lie: ``data[start:end]``, its last line without its CR.
    Blank lines (and rows of empty columns) between entries are left out of
    :meth:`lines`: they are no entries."""

    data: bytes
    start: int
    end: int
    delimiter: str

    def lines(self, start: int | None = None, end: int | None = None) -> list[bytes]:
        """The entry lines between two offsets (default: all of them)."""
        start = self.start if start is None else start
        end = self.end if end is None else end
        if start >= end:
            return []
        return [line for line in self.data[start:end].split(b"\n") if not _junk(line)]

    def raw_lines(self, start: int, end: int) -> list[bytes]:
        """The lines between two offsets, blank ones included (see :func:`is_blank`)."""
        return self.data[start:end].split(b"\n") if start < end else []


def is_blank(line: bytes) -> bool:
    """A blank line, the DOS end-of-file byte, a row of empty columns: no entry."""
    return _junk(line)


def _skip_blank(data: bytes, start: int, end: int) -> int:
    """The offset of the first line at or after ``start`` that is not blank."""
    while start < end:
        cut = data.find(b"\n", start, end)
        if cut < 0 or not _junk(data[start:cut]):
            break
        start = cut + 1
    return start


def entry_body(data: bytes, origin: object) -> Body:
    """The checks of :func:`record_lines` without splitting the file into lines: the
    history importer splits only the part that differs from the version before."""
    if data.startswith(_BOM):
        data = data[len(_BOM) :]  # what Excel or Notepad put before the first entry
    if _junk(data):
        raise ReaderError(origin, "the file is empty")
    check_no_nul(data, origin)
    # Lines keep a trailing CR (stripped when parsed), but for the last line's.
    end = len(data)
    while True:
        cut = data.rfind(b"\n", 0, end)
        if not _junk(data[cut + 1 : end]):
            break
        end = cut  # a blank line, the DOS end-of-file byte
    start = _skip_blank(data, 0, end)
    first_end = data.find(b"\n", start, end)
    first = data[start : end if first_end < 0 else first_end]
    if first.lstrip().startswith(b"<"):
        raise ReaderError(origin, "this is HTML or XML, not an SDN CSV/PIP file")
    if not first[:1].isdigit():
        # A header row added by an archive.
        start = _skip_blank(data, end if first_end < 0 else first_end + 1, end)
        if start >= end:
            raise ReaderError(origin, "the file has a header but no entries")
        first_end = data.find(b"\n", start, end)
        first = data[start : end if first_end < 0 else first_end]
    cut = data.rfind(b"\n", start, end)
    last = data[start if cut < 0 else cut + 1 : end]
    delimiter = detect_delimiter(first)
    check_line(first, delimiter, origin, 1)
    pattern = _ENTRY_CSV if delimiter == "," else _ENTRY_PIP
    if not pattern.match(last):
        check_line(last, delimiter, origin, data.count(b"\n", start, end) + 1)
    stripped = last.rstrip(b"\r")
    end -= len(last) - len(stripped)
    if stripped.count(b'"') % 2:
        raise ReaderError(
            origin, "the last entry ends inside a quoted field: the file is truncated"
        )
    # The last line is where a cut-off download shows: it must have all its columns, a
    # last column that is there (OFAC writes "-0-" or "" for nothing), and end where a
    # whole file ends: a line break (and OFAC's EOF byte) after it, or the closing quote.
    columns = _row(stripped, delimiter, origin)
    if len(columns) != COLUMNS:
        raise ReaderError(
            origin,
            f"the last entry has {len(columns)} of {COLUMNS} columns: the file is truncated",
        )
    if stripped.rstrip(b"\t ").endswith(delimiter.encode()):
        raise ReaderError(
            origin, "the last entry's last column is empty (OFAC writes -0-): the file is truncated"
        )
    ended = _ends_in_newline(data)
    if not ended and not stripped.rstrip().endswith(b'"'):
        raise ReaderError(
            origin,
            "the file stops inside its last entry (no line break after it, its last column"
            " not closed): the file is truncated",
        )
    return Body(data, start, end, delimiter)


def _ends_in_newline(data: bytes) -> bool:
    """Whether the file's last character but blanks, commas, CRs and the EOF byte is a
    line break: ``data.rstrip(…).endswith(b"\n")`` without copying the whole file."""
    size = 256
    while True:
        tail = data[-size:].rstrip(b" \t,\r\x1a")
        if tail or size >= len(data):
            return tail.endswith(b"\n")
        size *= 16


def check_unique(lines: list[bytes], delimiter: str, origin: object) -> None:
    """Two entries with one ``ent_num``: a damaged or merged file, never OFAC's."""
    sep = delimiter.encode()
    ids = [line.split(sep, 1)[0].strip() for line in lines]
    if len(set(ids)) == len(ids):
        return
    twice = [i.decode() for i, n in Counter(ids).items() if n > 1]
    raise ReaderError(
        origin,
        f"{len(twice)} entry numbers (ent_num) are used by two entries or more"
        f" (first: {twice[0]}): an entry number must be unique",
    )


def _row(line: bytes, delimiter: str, origin: object) -> list[str]:
    try:
        return next(csv.reader([decode(line)], delimiter=delimiter))
    except csv.Error as exc:
        raise csv_problem(exc, origin) from exc


def check_line(line: bytes, delimiter: str, origin: object, number: int | None = None) -> None:
    pattern = _ENTRY_CSV if delimiter == "," else _ENTRY_PIP
    if not pattern.match(line):
        where = f"entry line {number}" if number else "an entry line"
        raise ReaderError(origin, f"{where} does not start with an entry number: {line[:60]!r}")


def checked_row(line: bytes, delimiter: str = ",", origin: object = "sdn") -> list[str]:
    """An entry line's columns, checked as :func:`parse_line` checks them (raises the
    same :class:`ReaderError`); what is left to parse (the remarks) cannot fail."""
    line = line.rstrip(b"\r")
    check_line(line, delimiter, origin)
    row = _row(line, delimiter, origin)
    if len(row) != COLUMNS:
        raise ReaderError(origin, f"entry has {len(row)} of {COLUMNS} columns: {line[:80]!r}")
    ent_num, sdn_type = row[0], row[2]
    kind = (_empty(sdn_type) or "").lower()
    if kind and kind not in _TYPES:
        raise ReaderError(
            origin,
            f"entry {ent_num.strip()}: SDN_Type {sdn_type.strip()[:60]!r} is none of"
            " individual, vessel, aircraft or -0- (entity): columns swapped or garbled?",
        )
    return row


def parse_line(line: bytes, delimiter: str = ",", origin: object = "sdn") -> Listing:
    return listing_of(checked_row(line, delimiter, origin))


def listing_of(row: list[str]) -> Listing:
    """The listing of an entry line's columns (:func:`checked_row`)."""
    ent_num, name, sdn_type, program, title, call_sign, vess_type, *_, remarks_text = row
    kind = (_empty(sdn_type) or "").lower()
    remarks = parse_remarks(_empty(remarks_text))
    tags = tuple(
        t.strip() for t in (program or "").strip().strip("[]").split("] [") if t.strip("- ")
    )
    extra = tuple(
        (k, v)
        for k, v in (("call_sign", _empty(call_sign)), ("vessel_type", _empty(vess_type)))
        if v
    )
    return Listing(
        source=SOURCE,
        source_id=ent_num.strip(),
        name=name.strip(),
        schema=_TYPES.get(kind, "Organization"),
        programs=tags,
        aliases=tuple(remarks.aliases),
        title=_empty(title),
        birth_dates=tuple(remarks.birth_dates),
        nationalities=tuple(remarks.nationalities),
        countries=tuple(remarks.countries),
        identifiers=tuple(remarks.identifiers),
        linked_to=tuple(remarks.linked_to),
        remarks=_empty(remarks_text),
        extra=extra,
    )


def read(path: Path) -> Iterator[Listing]:
    """Every entry of an ``sdn.csv`` or ``sdn.pip`` file."""
    lines, delimiter = record_lines(path.read_bytes(), path)
    check_unique(lines, delimiter, path)
    for line in lines:
        yield parse_line(line, delimiter, path)
