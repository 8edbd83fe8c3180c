"""Is a download plausibly a whole copy of what it should be? Each check raises
:class:`Rejected` with its reason; nothing that fails one is archived.

Every download: not empty, not an HTML page (error and maintenance pages come with status
200 and any Content-Type), the first bytes, a string in its head or the XML root its
declaration names. Then by its kind: OFAC's ``sdn.csv`` layout; an XML parsed to its end;
a declared list read by its reader and held to the source's expectations; a document read
by its reader (change archive, Recent Actions page, press release, Federal Register
notice, State report). A list that lost more entries than ``max_loss`` against the newest
readable archived copy is rejected too: once archived, a truncated list reads as a mass
delisting (the empty ``sdn.csv`` stored on 2024-05-04 is the model of that trap).
"""

from __future__ import annotations

import importlib
import io
import tempfile
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from lxml import etree

from magnitsky.fetch.http import Rejected
from magnitsky.listing import ReaderError
from magnitsky.readers import files
from magnitsky.readers.ofac_csv import record_lines


def looks_like_html(body: bytes) -> bool:
    head = body[:1024].lstrip(b"\xef\xbb\xbf\r\n\t ").lower()
    return head.startswith(b"<!doctype html") or (head.startswith(b"<") and b"<html" in head)


def check_head(
    body: bytes,
    content_type: str,
    what: str,
    *,
    html_expected: bool = False,
    first_bytes: bytes | None = None,
    contains: str | None = None,
) -> None:
    """The checks every download passes before its kind's."""
    if not body.strip(b"\x1a\r\n\t "):
        raise Rejected("empty body")
    if not html_expected and looks_like_html(body):
        raise Rejected(f"an HTML page (Content-Type {content_type}), not {what}")
    if first_bytes is not None and not body.lstrip(b"\xef\xbb\xbf").startswith(first_bytes):
        raise Rejected(f"does not start as {what} does ({first_bytes!r}): another file")
    if contains is not None and contains.encode() not in body[:8192]:
        raise Rejected(f"{contains!r} is not in its first 8 KB: not {what}")


def check_xml(body: bytes, root: str | None) -> None:
    """Parse to the end (a cut file fails at its end) without holding the tree, with the
    readers' safe options (:mod:`magnitsky.readers.files`: no DTD, no entity, no network;
    a file that declares entities is refused unparsed)."""
    last = None
    try:
        files.check_no_entities(body, "the download")
        for _event, element in etree.iterparse(
            io.BytesIO(body), events=("end",), **files.XML_PARSER_OPTIONS
        ):
            last = element
            element.clear(keep_tail=True)
            parent = element.getparent()  # None for the root, which a comment may precede
            while parent is not None and element.getprevious() is not None:
                del parent[0]
    except ReaderError as error:
        raise Rejected(error.problem) from error
    except etree.XMLSyntaxError as error:
        raise Rejected(f"the XML does not parse: {error}") from error
    # The root element ends last.
    name = etree.QName(last).localname if last is not None else None
    if root is not None and name != root:
        raise Rejected(f"the XML root is <{name}>, not <{root}>")


def ofac_csv_count(body: bytes, origin: object) -> int:
    """The number of entries of an ``sdn.csv``, or :class:`Rejected`."""
    try:
        lines, _ = record_lines(body, origin)
    except ReaderError as error:
        raise Rejected(error.problem) from error
    # record_lines counts the last line's columns; a cut inside the last, quoted column
    # (Remarks) still has them all, but leaves a quote open.
    if lines[-1].count(b'"') % 2:
        raise Rejected("the last entry ends inside a quoted field: the file is truncated")
    return len(lines)


def list_count(source: str, body: bytes, name: str) -> int:
    """A declared list read by its reader and held to its expectations: its listings."""
    from magnitsky.readers.expectations import check_expectations
    from magnitsky.sources import source as get_source

    reader = importlib.import_module(get_source(source).reader or "")
    try:
        listings = read_as(body, name, reader.read)
        check_expectations(source, listings, name)
    except ReaderError as error:
        raise Rejected(error.problem) from error
    except Exception as error:  # a reader's own bug on a foreign file is still a rejection
        raise Rejected(f"the {source} reader failed: {type(error).__name__}: {error}") from error
    return len(listings)


def read_as(body: bytes, name: str, read: Callable[[Path], Any]) -> Any:
    """Run a reader on `body` saved under `name` (readers tell formats by the suffix)."""
    with tempfile.TemporaryDirectory(prefix="magnitsky-fetch-") as folder:
        path = Path(folder) / name
        path.write_bytes(body)
        result = read(path)
        # A lazy reader must finish while the file is there.
        return list(result) if isinstance(result, Iterator) else result


def check_loss(count: int, baseline: tuple[Path, int] | None, max_loss: float) -> None:
    if baseline is None:
        return
    previous, before = baseline
    if before <= 0:
        return
    lost = (before - count) / before
    if lost > max_loss:
        raise Rejected(
            f"{count} entries against {before} in {previous.name}: {lost:.0%} lost, "
            f"more than the {max_loss:.0%} allowed (MAGNITSKY_MAX_LOSS)"
        )


OFAC_EOF = b"\x1a"
"""The end-of-file byte OFAC's own ``sdn.csv`` ends with, after its last line break."""


def check_ofac_ending(body: bytes, copies: Sequence[Path]) -> None:
    """A cut exactly at a line break leaves a file whose every line is whole. OFAC's own
    ``sdn.csv`` ends with an end-of-file byte (``\\r\\n\\x1a``: all 308 versions of the
    data folder's git history, downloaded from OFAC 2021–2024); copies kept by third-party
    archives often lost it, so it is required only once the newest archived copy has it."""
    if body.rstrip(b"\r\n\t ").endswith(OFAC_EOF) or not copies:
        return
    try:
        with copies[-1].open("rb") as handle:
            handle.seek(max(0, copies[-1].stat().st_size - 16))
            previous = handle.read()
    except OSError:
        return
    if previous.rstrip(b"\r\n\t ").endswith(OFAC_EOF):
        raise Rejected(
            f"truncated: no end-of-file byte (0x1A) at its end, which {copies[-1].name} has:"
            " cut at a line break?"
        )


def newest_count(
    copies: Sequence[Path], count: Callable[[bytes, str], int]
) -> tuple[Path, int] | None:
    """The newest readable archived copy and its number of entries."""
    for path in reversed(copies):
        try:
            return path, count(path.read_bytes(), path.name)
        except (Rejected, OSError):
            continue  # an unreadable copy put there by hand is no baseline
    return None


def check_document(kind: str, body: bytes, name: str, expected_day: date | None = None) -> str:
    """Read a dated document with its reader; what it holds, said in a few words."""
    try:
        if kind == "changes":
            from magnitsky.readers import ofac_changes

            actions = read_as(body, name, ofac_changes.read)
            return f"{len(actions)} actions"
        if kind == "recent":
            from magnitsky.readers import ofac_recent

            info = read_as(body, name, ofac_recent.page_info)
            if expected_day is not None and info.release_date != expected_day:
                raise Rejected(
                    f"the page's release date is {info.release_date}, not {expected_day}"
                )
            actions = read_as(body, name, ofac_recent.read)
            return f"{len(actions)} actions of {info.release_date}"
        if kind == "press":
            from magnitsky.readers import treasury_press

            release = read_as(body, name, treasury_press.read)
            return f"press release of {release.date}, {len(release.designees)} designees"
        if kind == "register":
            from magnitsky.readers import federal_register

            notice = read_as(body, name, federal_register.read)
            return f"notice of {notice.published}, {len(notice.designees)} designees"
        if kind == "state-report":
            from magnitsky.readers import state_annual_report

            report = read_as(body, name, state_annual_report.read)
            return f"report on {report.year}, {len(report.designations)} designations"
    except ReaderError as error:
        raise Rejected(error.problem) from error
    raise ValueError(f"unknown document check {kind!r}")
