"""Download the current official OFAC files into a dated local archive.

`magnitsky fetch` is the only step that talks to OFAC; `magnitsky build ARCHIVE` reads
what it archived. A download that is not plausibly a whole list file is therefore never
archived: once in the archive, an empty or truncated file reads as a mass delisting (the
empty ``sdn.csv`` stored on 2024-05-04 is the model of that trap).

The archive is laid out like ``../shared/data``::

    us/ofac/snapshots/sdn_YYYY-MM-DD.csv
    us/ofac/advanced/sdn_advanced_YYYY-MM-DD.xml

dated by the US Eastern day of the download, since OFAC acts and publishes on Eastern
time. A second, different download on the same day is kept as ``…_YYYY-MM-DDTHHMMSS``.
"""

from __future__ import annotations

import http.client
import io
import os
import re
import tempfile
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

from lxml import etree

from magnitsky import __version__
from magnitsky.listing import ReaderError
from magnitsky.readers.ofac_csv import record_lines
from magnitsky.settings import Settings

EASTERN = ZoneInfo("America/New_York")
# Some government servers refuse urllib's default agent; say who we are instead.
USER_AGENT = f"magnitsky/{__version__} (Python urllib)"

Status = Literal["archived", "unchanged", "rejected"]
Kind = Literal["csv", "xml"]


@dataclass(frozen=True)
class OfacFile:
    """One file under ``settings.ofac_base_url`` and where its copies go in the archive."""

    remote: str
    """File name under the base URL."""
    folder: str
    """Archive sub-folder, as in ../shared/data."""
    stem: str
    """Copies are named ``{stem}_YYYY-MM-DD{suffix}``."""
    kind: Kind
    root: str | None = None
    """For XML: the local name the root element must have."""

    @property
    def suffix(self) -> str:
        return f".{self.kind}"

    def url(self, base: str) -> str:
        return f"{base.rstrip('/')}/{self.remote}"

    def copies(self, folder: Path) -> list[Path]:
        """The archived copies in `folder`, oldest first (the names sort by date and time)."""
        pattern = re.compile(
            rf"{re.escape(self.stem)}_\d{{4}}-\d{{2}}-\d{{2}}(T\d{{6}})?{re.escape(self.suffix)}"
        )
        if not folder.is_dir():
            return []
        return sorted(p for p in folder.iterdir() if pattern.fullmatch(p.name))


FILES: tuple[OfacFile, ...] = (
    OfacFile("sdn.csv", "us/ofac/snapshots", "sdn", "csv"),
    OfacFile("sdn_advanced.xml", "us/ofac/advanced", "sdn_advanced", "xml", root="Sanctions"),
)


@dataclass(frozen=True)
class FetchResult:
    name: str
    """The file name under the base URL (``sdn.csv``)."""
    url: str
    status: Status
    path: Path | None
    """The archived copy: the new one, or for "unchanged" the identical earlier one;
    None when rejected."""
    size: int
    """Bytes received (0 when nothing arrived)."""
    reason: str

    @property
    def ok(self) -> bool:
        return self.status != "rejected"

    def describe(self) -> str:
        if self.status == "rejected":
            return f"{self.name}: REJECTED, {self.reason} ({self.url})"
        return f"{self.name}: {self.status} {self.path} ({self.size} bytes; {self.reason})"


def exit_code(results: Sequence[FetchResult]) -> int:
    """0 when every file was archived or unchanged, 1 when any was rejected."""
    return 0 if all(r.ok for r in results) else 1


class _Rejected(Exception):
    """Why a download is not archived."""


def fetch(
    settings: Settings,
    into: Path,
    progress: Callable[[str], None] | None = None,
    *,
    files: Sequence[OfacFile] = FILES,
    clock: Callable[[], datetime] = lambda: datetime.now(EASTERN),
) -> list[FetchResult]:
    """Download every file of `files` into the archive folder `into`.

    Never raises for a bad download: it comes back as a "rejected" result. `clock` must
    return an aware datetime; it is read once, so all files of one run share a date.
    """
    say = progress or (lambda _message: None)
    moment = clock().astimezone(EASTERN)
    results = []
    for spec in files:
        say(f"{spec.remote}: downloading {spec.url(settings.ofac_base_url)}")
        result = _fetch_one(spec, settings, into, moment)
        say(result.describe())
        results.append(result)
    return results


def _fetch_one(spec: OfacFile, settings: Settings, into: Path, moment: datetime) -> FetchResult:
    url = spec.url(settings.ofac_base_url)
    size = 0
    try:
        body, content_type = _download(url, settings.http_timeout)
        size = len(body)
        _check(spec, body, content_type, into / spec.folder, settings.max_loss)
        status, path, reason = _archive(spec, body, into / spec.folder, moment)
    except _Rejected as rejection:
        return FetchResult(spec.remote, url, "rejected", None, size, str(rejection))
    return FetchResult(spec.remote, url, status, path, size, reason)


def _download(url: str, timeout: float) -> tuple[bytes, str]:
    """The whole body and its Content-Type, or :class:`_Rejected`."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            # Anything but 200 (204 No Content, 206 Partial Content …) is not the whole file.
            if response.status != 200:
                raise _Rejected(f"HTTP {response.status} {response.reason}")
            body: bytes = response.read()
            declared = response.headers.get("Content-Length")
            content_type: str = response.headers.get_content_type()
    except urllib.error.HTTPError as error:
        error.close()
        raise _Rejected(f"HTTP {error.code} {error.reason}") from error
    except http.client.IncompleteRead as error:
        got = len(error.partial)
        raise _Rejected(f"truncated: the connection closed after {got} bytes") from error
    except (urllib.error.URLError, OSError, http.client.HTTPException) as error:
        # URLError wraps refused connections and connect timeouts; a read timeout is a
        # bare TimeoutError (an OSError).
        problem = error.reason if isinstance(error, urllib.error.URLError) else error
        raise _Rejected(f"download failed: {problem or type(error).__name__}") from error
    # read() already raises on a short body; this catches a server that lies otherwise.
    if declared is not None and declared.isdigit() and int(declared) != len(body):
        raise _Rejected(f"truncated: {len(body)} bytes received, Content-Length {declared}")
    return body, content_type


def _check(spec: OfacFile, body: bytes, content_type: str, folder: Path, max_loss: float) -> None:
    """Raise :class:`_Rejected` unless `body` is plausibly a whole copy of `spec`."""
    if not body.strip(b"\x1a\r\n\t "):
        raise _Rejected("empty body")
    if _looks_like_html(body):
        # Error and maintenance pages often come with status 200 and any Content-Type.
        raise _Rejected(f"an HTML page (Content-Type {content_type}), not {spec.remote}")
    if spec.kind == "csv":
        _check_csv(spec, body, folder, max_loss)
    else:
        _check_xml(body, spec.root)


def _looks_like_html(body: bytes) -> bool:
    head = body[:1024].lstrip(b"\xef\xbb\xbf\r\n\t ").lower()
    return head.startswith(b"<!doctype html") or (head.startswith(b"<") and b"<html" in head)


def _check_csv(spec: OfacFile, body: bytes, folder: Path, max_loss: float) -> None:
    try:
        lines, _ = record_lines(body, spec.remote)
    except ReaderError as error:
        raise _Rejected(error.problem) from error
    # record_lines counts the last line's columns; a cut inside the last, quoted column
    # (Remarks) still has them all, but leaves a quote open.
    if lines[-1].count(b'"') % 2:
        raise _Rejected("the last entry ends inside a quoted field: the file is truncated")
    baseline = _newest_count(spec, folder)
    if baseline is None:
        return
    previous, count = baseline
    lost = (count - len(lines)) / count
    if lost > max_loss:
        raise _Rejected(
            f"{len(lines)} entries against {count} in {previous.name}: {lost:.0%} lost, "
            f"more than the {max_loss:.0%} allowed (MAGNITSKY_MAX_LOSS)"
        )


def _newest_count(spec: OfacFile, folder: Path) -> tuple[Path, int] | None:
    """The newest readable archived copy and its number of entries."""
    for path in reversed(spec.copies(folder)):
        try:
            lines, _ = record_lines(path.read_bytes(), path)
        except ReaderError:
            continue  # an unreadable copy put there by hand is no baseline
        return path, len(lines)
    return None


def _check_xml(body: bytes, root: str | None) -> None:
    """Parse to the end (a cut file fails at its end) without holding the tree."""
    last = None
    try:
        for _event, element in etree.iterparse(
            io.BytesIO(body), events=("end",), resolve_entities=False, no_network=True
        ):
            last = element
            element.clear(keep_tail=True)
            parent = element.getparent()  # None for the root, which a comment may precede
            while parent is not None and element.getprevious() is not None:
                del parent[0]
    except etree.XMLSyntaxError as error:
        raise _Rejected(f"the XML does not parse: {error}") from error
    # The root element ends last.
    name = etree.QName(last).localname if last is not None else None
    if root is not None and name != root:
        raise _Rejected(f"the XML root is <{name}>, not <{root}>")


def _archive(
    spec: OfacFile, body: bytes, folder: Path, moment: datetime
) -> tuple[Status, Path, str]:
    day = f"{moment:%Y-%m-%d}"
    same_day = [p for p in spec.copies(folder) if p.name[len(spec.stem) + 1 :].startswith(day)]
    # Compare with the latest copy of the day only: A, B, then A again is a change back
    # that the archive must show.
    if same_day and _same_content(same_day[-1], body):
        return "unchanged", same_day[-1], f"same content as {same_day[-1].name}"
    if not same_day:
        target, reason = folder / f"{spec.stem}_{day}{spec.suffix}", f"first copy of {day}"
    else:
        stamp = f"{moment:%Y-%m-%dT%H%M%S}"
        target, reason = (
            folder / f"{spec.stem}_{stamp}{spec.suffix}",
            f"changed since {same_day[-1].name}",
        )
    if target.exists():
        raise _Rejected(f"{target} exists with other content; not overwritten")
    _write_atomically(target, body)
    return "archived", target, reason


def _same_content(path: Path, body: bytes) -> bool:
    return path.stat().st_size == len(body) and path.read_bytes() == body


def _write_atomically(target: Path, body: bytes) -> None:
    """A half-written file must never carry the final name, which `build` would read."""
    target.parent.mkdir(parents=True, exist_ok=True)
    # A dot name in the same folder: invisible to the `sdn_*.csv` globs, and the rename
    # stays on one file system, so it is atomic.
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(body)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, 0o644)  # mkstemp makes 0600; the archive is public data
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
