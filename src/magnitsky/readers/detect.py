"""Which reader a file needs, from what it holds: the first bytes (a workbook, XML, text),
the root element of an XML file, the header row of a CSV. A file's name is a hint only:
a Canadian XML is not OFAC's advanced XML because both end in ``.xml``, and a copy saved
as ``download.csv`` is still the list it holds. Names decide only where the content does
not (an empty or damaged file), so that its reader can say what is wrong with it."""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from magnitsky.listing import ReaderError
from magnitsky.readers import files

_HEAD = 64 * 1024
_OFAC = "us-ofac-sdn"
_ROOT = re.compile(rb"<([A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)")
_PROLOG = re.compile(rb"\s*(<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>)", re.S | re.I)
_SDN_LINE = re.compile(rb"\s*\d+\s*[,|]")
_CHANGE_DATE = re.compile(rb"^\d{1,2}/\d{1,2}/\d{2,4}:", re.M)


@dataclass(frozen=True)
class Kind:
    """What a file is: a snapshot of a list (``source``, ``format`` as the history stores
    it) and/or a dated document of actions (``document``: its kind)."""

    source: str | None = None
    format: str | None = None
    document: str | None = None

    @property
    def snapshot(self) -> bool:
        return self.source is not None


SDN_CSV = Kind(_OFAC, "sdn-csv")
SDN_ADVANCED = Kind(_OFAC, "sdn-advanced", "us-ofac-advanced")
CHANGES = Kind(document="us-ofac-changes")
RECENT = Kind(document="us-ofac-recent")


def declared_kind(source: str) -> Kind:
    return Kind(source, source)


def sniff(path: Path) -> Kind | None:
    """The kind of file by its content; None when the content does not tell."""
    try:
        with path.open("rb") as handle:
            head = handle.read(_HEAD)
    except OSError as exc:
        raise ReaderError(path, f"cannot be read: {exc.strerror or exc}") from exc
    if head.startswith(files.XLSX_MAGIC):
        return _workbook(path, _xlsx_strings(path))
    if head.startswith(files.XLS_MAGIC):
        return _workbook(path, path.read_bytes())
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"<"):
        return _markup(text)
    return _text(text)


def _xlsx_strings(path: Path) -> bytes:
    """The shared strings of a workbook (header cells live there), after the zip's sizes
    are checked (from the zip's directory: the file is not read whole to sniff it)."""
    files.check_zip_sizes(path)
    try:
        with zipfile.ZipFile(path) as book:
            names = [n for n in book.namelist() if n.lower().endswith("sharedstrings.xml")]
            return book.read(names[0]) if names else b""
    except (zipfile.BadZipFile, OSError, ValueError, KeyError):
        return b""


def _contains(data: bytes, text: str) -> bool:
    """In UTF-8 or in the UTF-16 of an .xls workbook."""
    return text.encode() in data or text.encode("utf-16-le") in data


def _workbook(path: Path, data: bytes) -> Kind | None:
    if _contains(data, "Group ID") and _contains(data, "Regime"):
        return declared_kind("gb-ofsi")
    if _contains(data, "Name of Individual or Entity"):
        return declared_kind("au-dfat")
    return None


def _markup(text: bytes) -> Kind | None:
    rest = text
    while m := _PROLOG.match(rest):
        rest = rest[m.end() :]
    lowered = text[:4096].lower()
    if lowered.startswith((b"<!doctype html", b"<html")) or b"<html" in lowered:
        recent = b"field--name-field-release-date" in text or b"recent-actions" in text
        return RECENT if recent else None
    root = _ROOT.match(rest.lstrip())
    name = root.group(2).decode() if root else ""
    return {
        "Sanctions": SDN_ADVANCED,
        "data-set": declared_kind("ca-sema"),
        "export": declared_kind("eu-fsf"),
        "Designations": declared_kind("gb-fcdo"),
    }.get(name)


def _text(text: bytes) -> Kind | None:
    first = text.split(b"\n", 1)[0]
    if _SDN_LINE.match(first):
        return SDN_CSV
    header = first.strip(b'\r"').lower()
    if header.startswith((b"last updated,", b"last updated;")):
        return declared_kind("gb-ofsi")
    if header.startswith(b"report date"):
        return declared_kind("gb-fcdo")
    if header.startswith((b"celex,", b"amendedcelex,")):
        return declared_kind("eu-oj-annex")
    if b"entity_logical_id" in header or b"entity_logicalid" in header:
        return declared_kind("eu-fsf")
    if b"ent_num" in header or header.startswith(b"id,name,type"):
        return SDN_CSV
    if b"Office of Foreign Assets Control" in text[:2048] and _CHANGE_DATE.search(text):
        return CHANGES
    return None


def by_name(path: Path) -> Kind | None:
    """The kind a file's name suggests (the layout of ../shared/data, OFAC's names)."""
    from magnitsky.sources import detect

    found = detect(path)
    if found is not None:
        return declared_kind(found.name)
    name, suffix = path.name.lower(), path.suffix.lower()
    if name.startswith("sdnnew") and suffix == ".txt":
        return CHANGES
    if suffix in (".html", ".htm"):
        return RECENT
    if suffix == ".xml" and "advanced" in name:
        return SDN_ADVANCED
    if suffix in (".csv", ".pip"):
        return SDN_CSV
    return None


def kind_of(path: Path) -> Kind:
    """The kind of a file given alone: by its content, else by its name (so that a damaged
    file still meets the reader that can say what is wrong with it)."""
    kind = sniff(path) or by_name(path)
    if kind is None:
        raise ReaderError(
            path,
            "not a file magnitsky can read: its content is none of OFAC's sdn.csv, sdn.pip,"
            " sdn_advanced.xml, sdnnewYY.txt or Recent Actions page, nor a UK, Canadian,"
            " Australian or EU list",
        )
    return kind
