"""Saved OFAC "Recent Actions" pages (``https://ofac.treasury.gov/recent-actions/YYYYMMDD``).

A Drupal page: the release date in the ``field--name-field-release-date`` field
(``07/30/2025``), the press release in ``field--name-field-press-release-link`` (not on
every page), and the body in ``field--name-field-body``: a section title ("Specially
Designated Nationals List Update"), headings ("The following individual has been added to
OFAC's SDN List:", "The following deletions have been made …", "Unrelated Administrative
List Changes:") and entries in OFAC's text form, one per paragraph or per ``<br>`` line.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import lxml.html

from magnitsky.actions import DatedAction
from magnitsky.listing import ReaderError
from magnitsky.readers import files
from magnitsky.readers.ofac_csv import decode
from magnitsky.readers.ofac_text import (
    EntryError,
    Heading,
    classify_heading,
    join_wrapped,
    make_action,
    split_entries,
)

SOURCE = "us-ofac-recent"
_log = logging.getLogger(__name__)

_DATE = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")
_HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_TEXT_TAGS = {"p", "li", "pre", "td"}
# "Specially Designated Nationals List Update", "Non-SDN … List Update": which list the
# headings below it are about.
_SECTION = re.compile(r"\bList\b.*\bUpdates?$", re.I)
_SITE_SUFFIX = " | Office of Foreign Assets Control"


@dataclass(frozen=True)
class Link:
    url: str
    text: str


@dataclass(frozen=True)
class RecentActionsPage:
    """What a Recent Actions page says about itself."""

    title: str
    release_date: date
    press_releases: tuple[Link, ...]
    """The press release links; some pages (removals) have none."""
    url: str | None
    """The page's own address (``<link rel="canonical">``), where the saved copy has it."""


def _root(path: Path) -> lxml.html.HtmlElement:
    raw = path.read_bytes()
    if not raw.strip():
        raise ReaderError(path, "the file is empty")
    files.check_no_nul(raw, path)
    # A saved page ends with its closing tag: a page cut inside its body does not.
    if not raw.rstrip().lower().endswith(b"</html>"):
        raise ReaderError(path, "the page does not end with </html>: it is truncated")
    root: lxml.html.HtmlElement = files.html_root(decode(raw), path)
    return root


def _field(root: lxml.html.HtmlElement, name: str) -> lxml.html.HtmlElement | None:
    """The content of a Drupal field: its ``field__item`` if it has one."""
    fields = root.find_class(f"field--name-{name}")
    if not fields:
        return None
    items = fields[0].find_class("field__item")
    return items[0] if items else fields[0]


def _release_date(root: lxml.html.HtmlElement, path: Path) -> date:
    release = _field(root, "field-release-date")
    match = _DATE.search(release.text_content()) if release is not None else None
    if match is None:
        raise ReaderError(path, "no release date: not an OFAC Recent Actions page")
    month, day, year = (int(g) for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError as error:
        raise ReaderError(path, f"bad release date {match.group(0)!r}") from error


def _body(root: lxml.html.HtmlElement, path: Path) -> lxml.html.HtmlElement:
    body = _field(root, "field-body")
    if body is None:
        raise ReaderError(path, "no body field: not an OFAC Recent Actions page")
    return body


def _title(root: lxml.html.HtmlElement) -> str:
    heading = root.find_class("page-title")
    text = heading[0].text_content() if heading else root.findtext(".//title") or ""
    text = " ".join(text.split())
    return text.removesuffix(_SITE_SUFFIX)


def page_info(path: Path) -> RecentActionsPage:
    """Title, release date, press release links and address of a Recent Actions page."""
    root = _root(path)
    # All the links: a page can name several press releases, one field item each.
    links = root.find_class("field--name-field-press-release-link")
    anchors = links[0].iter("a") if links else iter(())
    canonical = root.xpath("//link[@rel='canonical']/@href")
    return RecentActionsPage(
        title=_title(root),
        release_date=_release_date(root, path),
        press_releases=tuple(
            Link(a.get("href", ""), " ".join(a.text_content().split())) for a in anchors
        ),
        url=str(canonical[0]) if canonical else None,
    )


def _lines(element: lxml.html.HtmlElement) -> list[str]:
    """The text of a paragraph, cut at its ``<br>`` (one entry per line on some pages)."""
    for br in element.iter("br"):
        br.tail = "\n" + (br.tail or "")
    return [" ".join(line.split()) for line in element.text_content().split("\n")]


def _blocks(body: lxml.html.HtmlElement) -> Iterator[tuple[bool, list[str]]]:
    """(is a heading element, lines) for each heading and paragraph, in page order."""
    for element in body.iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in _HEADING_TAGS:
            yield True, [" ".join(element.text_content().split())]
        elif tag in _TEXT_TAGS and not any(a.tag in _TEXT_TAGS for a in element.iterancestors()):
            yield False, _lines(element)


@dataclass
class _State:
    path: Path
    when: date
    in_sdn: bool = True
    heading: Heading | None = None
    pending: list[str] = field(default_factory=list)
    actions: list[DatedAction] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _is_heading_line(line: str) -> bool:
    """Headings inside paragraphs (``<p><strong>The following …:</strong>``) end in ":"."""
    return line.endswith(":") and len(line) < 300 and not split_entries(line)[0]


def _flush(state: _State) -> None:
    """Read the entries gathered since the last heading."""
    entries, rest = split_entries(join_wrapped(state.pending))
    state.pending = []
    for entry in entries:
        if not state.in_sdn:
            state.problems.append(f"entry of a list other than the SDN list: {entry[:80]!r}")
        elif state.heading is None:
            state.problems.append(f"entry under no known heading: {entry[:80]!r}")
        else:
            _act(state, entry, state.heading)
    if rest:
        state.problems.append(f"text that does not end an entry: {rest[:80]!r}")


def _act(state: _State, entry: str, heading: Heading) -> None:
    try:
        state.actions.append(make_action(entry, heading, state.when, SOURCE, state.path.name))
    except EntryError as error:
        state.problems.append(f"{error}: {entry[:80]!r}")


def _take_heading(state: _State, text: str) -> None:
    _flush(state)
    if _SECTION.search(text):
        state.in_sdn = "specially designated nationals" in text.lower()
        state.heading = None
        return
    state.heading = classify_heading(text)
    if state.heading is None:
        state.problems.append(f"unknown heading: {text!r}")


def read_with_problems(path: Path) -> tuple[list[DatedAction], list[str]]:
    """Every action on a Recent Actions page, and what could not be read as an entry."""
    root = _root(path)
    state = _State(path=path, when=_release_date(root, path))
    for is_heading, lines in _blocks(_body(root, path)):
        for line in lines:
            if not line or line.lower() in ("none", "none."):
                continue
            if is_heading or _is_heading_line(line):
                _take_heading(state, line)
            else:
                state.pending.append(line)
        # A paragraph ends an entry's text: entries never run across paragraphs.
        _flush(state)
    return state.actions, state.problems


def read(path: Path) -> list[DatedAction]:
    """Every action on a Recent Actions page; what could not be read is logged."""
    actions, problems = read_with_problems(path)
    for problem in problems:
        _log.warning("%s: %s", path, problem)
    return actions
