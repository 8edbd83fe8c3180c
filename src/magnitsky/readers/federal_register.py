"""Federal Register notices of OFAC actions ("Notice of OFAC Sanctions Actions"), as plain
text (govinfo) or HTML (federalregister.gov).

The layout: a header (``[Federal Register Volume 85, Number 240 (Monday, December 14,
2020)]`` in the text form, ``Federal Register / Vol. 85, No. 240 / Monday, December 14,
2020 / Notices`` on printed pages), AGENCY / ACTION / SUMMARY / DATES, then under
"Notice of OFAC Actions" one paragraph per action ("On December 9, 2020, OFAC determined
that the property and interests in property … of the following persons are blocked under
the relevant sanctions authority listed below."), headings "Individuals" / "Entities",
numbered entries in OFAC's SDN text form (``1. SHERMAN, Harry …; DOB 16 Feb 1953; …
(individual) [GLOMAG].``), each followed by the sentence of its basis ("Designated pursuant
to section 1(a)(ii)(B)(1) of Executive Order 13818 … for being a current or former
government official …"), and the signature ("Dated: …", ``[FR Doc. … Filed …]``).

No real notice was available offline when this reader was written: it is tested on
fixtures written after that layout (``tests/fixtures/texts/``), whose entries are the SDN
entries of the same actions. Entries are parsed by :func:`magnitsky.readers.ofac_text.
parse_entry`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import lxml.html
from lxml import etree

from magnitsky.evidence.designee import Designee, authority_in
from magnitsky.evidence.text import clean
from magnitsky.listing import Listing, ReaderError
from magnitsky.readers.ofac_csv import decode
from magnitsky.readers.ofac_text import EntryError, join_wrapped, parse_entry

SOURCE = "us-federal-register"
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_DATE = rf"((?:{_MONTHS}) \d{{1,2}}, \d{{4}})"
_TITLE = re.compile(r"^Notice of OFAC (?:Sanctions )?Actions?\.?$", re.I)
_ACTION = re.compile(rf"^On {_DATE}, (?:the )?(?:Director of )?OFAC\b(.*)$")
_ENTRY = re.compile(r"^(\d{1,4})\.\s+(\S.*)$")
_BASIS = re.compile(r"(?:^|\s)((?:Designated|Identified|Blocked|Determined) pursuant to .*)$")
_PUBLISHED = (
    re.compile(rf"\[Federal Register Volume \d+, Number \d+ \(\w+, {_DATE}\)\]"),
    re.compile(rf"Federal Register / Vol\. \d+, No\. \d+ / \w+, {_DATE} / Notices"),
)
_SIGNED = re.compile(rf"^Dated: {_DATE}\.?")
_DOCUMENT = re.compile(r"\[FR Doc(?:\.| No:)\s*([\d-]+)")
_END = re.compile(r"^(?:Dated:|BILLING CODE|\[FR Doc)")
_BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "pre"}


@dataclass(frozen=True)
class Notice:
    published: date | None
    """The issue of the Federal Register it appeared in."""
    signed: date | None
    document: str | None
    """The FR document number ("2020-27433")."""
    designees: tuple[Designee, ...]
    removed: tuple[Listing, ...] = ()
    """Entries of actions that removed persons from the SDN List."""
    problems: tuple[str, ...] = ()


@dataclass
class _State:
    path: Path
    action_date: date | None = None
    removal: bool = False
    entries: list[tuple[date | None, bool, str, list[str]]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _day(text: str) -> date:
    return datetime.strptime(text, "%B %d, %Y").date()


def _paragraphs_of_text(text: str) -> list[str]:
    """Paragraphs of the govinfo text: a blank line or an indented line starts one."""
    paragraphs: list[list[str]] = [[]]
    for line in text.splitlines():
        if not line.strip() or line.startswith(("  ", "\t")):
            paragraphs.append([])
        if line.strip():
            paragraphs[-1].append(line)
    return [join_wrapped(p) for p in paragraphs if p]


def _paragraphs_of_html(text: str, path: Path) -> list[str]:
    try:
        root = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as error:
        raise ReaderError(path, f"not readable as HTML: {error}") from error
    found: list[str] = []
    for element in root.iter(*_BLOCKS):
        if any(a.tag in _BLOCKS for a in element.iterancestors()):
            continue
        if element.tag == "pre":
            found += _paragraphs_of_text(element.text_content())
        elif line := clean(element.text_content()):
            found.append(line)
    return found


def _paragraphs(path: Path) -> list[str]:
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ReaderError(path, f"cannot be read: {error.strerror or error}") from error
    if not raw.strip():
        raise ReaderError(path, "the file is empty")
    text = decode(raw).replace("``", '"').replace("''", '"')  # govinfo's quotes
    is_html = re.search(r"<(?:html|body|p|div|pre)\b", text[:5000], re.I)
    return _paragraphs_of_html(text, path) if is_html else _paragraphs_of_text(text)


def _read_body(state: _State, paragraphs: list[str]) -> None:
    for paragraph in paragraphs:
        if _END.match(paragraph):
            break
        if action := _ACTION.match(paragraph):
            state.action_date = _day(action.group(1))
            state.removal = bool(re.search(r"\b(?:removed|unblocked|delisted)\b", action.group(2)))
        elif entry := _ENTRY.match(paragraph):
            body, basis = entry.group(2), []
            if inline := _BASIS.search(body):  # the basis run on in the same paragraph
                body, basis = body[: inline.start()].strip(), [inline.group(1)]
            state.entries.append((state.action_date, state.removal, body, basis))
        elif _BASIS.match(paragraph) and state.entries:
            state.entries[-1][3].append(paragraph.strip())


def _designee(path: Path, number: int, item: tuple[date | None, bool, str, list[str]]) -> Designee:
    when, _, text, basis = item
    try:
        listing = parse_entry(text)
    except EntryError as error:
        raise ReaderError(
            path, f"entry {number} is not an SDN entry ({error}): {text[:80]!r}"
        ) from error
    authority = authority_in(" ".join(basis)) if basis else None
    name, program = authority or (None, None)
    if program not in listing.programs:
        program = listing.programs[0] if listing.programs else None
    return Designee(
        name=listing.name,
        paragraphs=(text, *basis),
        basis_sentences=tuple(basis),
        aliases=listing.aliases,
        authority=name,
        program=program,
        listing=listing,
        action_date=when,
    )


def read(path: Path) -> Notice:
    """The designations of a notice. Raises :class:`ReaderError` for an empty file, a text
    that is no notice of OFAC actions, a notice without entries or a mangled entry."""
    paragraphs = _paragraphs(path)
    if not any(_TITLE.match(p) for p in paragraphs):
        raise ReaderError(path, "no 'Notice of OFAC Sanctions Action(s)' title: not an OFAC notice")
    state = _State(path)
    _read_body(state, paragraphs)
    if not state.entries:
        raise ReaderError(path, "the notice lists no persons (no numbered SDN entries)")
    designees, removed, problems = [], [], []
    for number, item in enumerate(state.entries, 1):
        designee = _designee(path, number, item)
        if item[1]:
            removed.append(designee.listing)
            continue
        designees.append(designee)
        if not designee.basis_sentences:
            problems.append(f"no basis sentence after entry {number} ({designee.name})")
        if designee.action_date is None:
            problems.append(f"no action date before entry {number} ({designee.name})")
    whole = "\n".join(paragraphs)
    published = next((m.group(1) for p in _PUBLISHED if (m := p.search(whole))), None)
    signed = next((m.group(1) for p in paragraphs if (m := _SIGNED.match(p))), None)
    document = _DOCUMENT.search(whole)
    return Notice(
        published=_day(published) if published else None,
        signed=_day(signed) if signed else None,
        document=document.group(1) if document else None,
        designees=tuple(designees),
        removed=tuple(r for r in removed if r is not None),
        problems=tuple(problems),
    )
