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
from collections.abc import Iterator
from pathlib import Path

from magnitsky.listing import Listing, ReaderError, Schema
from magnitsky.readers.ofac_remarks import parse_remarks

SOURCE = "us-ofac-sdn"
COLUMNS = 12
_ENTRY_CSV = re.compile(rb"[ \t]*\d+[ \t]*,")
_ENTRY_PIP = re.compile(rb"[ \t]*\d+[ \t]*\|")
_TYPES: dict[str, Schema] = {"individual": "Person", "vessel": "Vessel", "aircraft": "Airplane"}


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
    if _junk(data):
        raise ReaderError(origin, "the file is empty")
    # Lines keep a trailing CR (stripped when parsed): a copy of the whole file per
    # snapshot costs more than the rest of a history import.
    lines = data.split(b"\n")
    while lines and _junk(lines[-1]):
        lines.pop()
    if b"\n\n" in data or b"\n\r\n" in data:
        lines = [line for line in lines if not _junk(line)]
    if lines and lines[0].lstrip().startswith(b"<"):
        raise ReaderError(origin, "this is HTML or XML, not an SDN CSV/PIP file")
    if lines and not lines[0][:1].isdigit():
        lines = lines[1:]  # a header row added by an archive
    if not lines:
        raise ReaderError(origin, "the file has a header but no entries")
    delimiter = detect_delimiter(lines[0])
    check_line(lines[0], delimiter, origin, 1)
    check_line(lines[-1], delimiter, origin, len(lines))
    lines[-1] = lines[-1].rstrip(b"\r")
    if lines[-1].count(b'"') % 2:
        raise ReaderError(
            origin, "the last entry ends inside a quoted field: the file is truncated"
        )
    # The last line is where a cut-off download shows: it must have all its columns.
    last = next(csv.reader([decode(lines[-1])], delimiter=delimiter))
    if len(last) != COLUMNS:
        raise ReaderError(
            origin, f"the last entry has {len(last)} of {COLUMNS} columns: the file is truncated"
        )
    return lines, delimiter


def check_line(line: bytes, delimiter: str, origin: object, number: int | None = None) -> None:
    pattern = _ENTRY_CSV if delimiter == "," else _ENTRY_PIP
    if not pattern.match(line):
        where = f"entry line {number}" if number else "an entry line"
        raise ReaderError(origin, f"{where} does not start with an entry number: {line[:60]!r}")


def parse_line(line: bytes, delimiter: str = ",", origin: object = "sdn") -> Listing:
    line = line.rstrip(b"\r")
    check_line(line, delimiter, origin)
    row = next(csv.reader([decode(line)], delimiter=delimiter))
    if len(row) != COLUMNS:
        raise ReaderError(origin, f"entry has {len(row)} of {COLUMNS} columns: {line[:80]!r}")
    ent_num, name, sdn_type, program, title, call_sign, vess_type, *_, remarks_text = row
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
        schema=_TYPES.get((_empty(sdn_type) or "").lower(), "Organization"),
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
    for line in lines:
        yield parse_line(line, delimiter, path)
