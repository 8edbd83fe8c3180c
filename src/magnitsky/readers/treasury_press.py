"""U.S. Treasury press releases (``home.treasury.gov/news/press-releases/sb0211``), saved as
whole pages or as the ``<article>`` element alone.

The release is the ``<article about="/news/press-releases/ID">`` element: its date in the
``field--name-field-news-publication-date`` field (``<time datetime="…Z">``, UTC: read as a
US Eastern date, the day OFAC acted), its text in ``field--name-field-news-body``
(paragraphs, ``<h3>`` section headings, bullet lines cut by ``<br>``). A whole page adds
the site's navigation, a sidebar of other releases with their own ``<time>`` elements
(never the release's date), ``<link rel="canonical">``, ``og:url`` and ``og:title``.

Who is designated, and the text about each designee, is read from the prose by
:mod:`magnitsky.evidence.mentions`; quotes of officials and the closing boilerplate
("GLOBAL MAGNITSKY", "SANCTIONS IMPLICATIONS") are no part of any designee's text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import lxml.html
from lxml import etree

from magnitsky.evidence.designee import Designee
from magnitsky.evidence.mentions import Block, find_designees
from magnitsky.evidence.text import clean
from magnitsky.listing import ReaderError
from magnitsky.readers.ofac_csv import decode

SOURCE = "us-treasury-press"
_EASTERN = ZoneInfo("America/New_York")
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_BOILERPLATE_HEADING = re.compile(r"^(?:global magnitsky|.*\bimplications|about .*)$", re.I)
_QUOTE = re.compile(r"^[“\"]|[”\"],? said\b|\bsaid [A-Z][^.]{0,80}\.\s*[“\"]")
_LINK_LINE = re.compile(
    r"^(?:#+|click here\b.*|view\b.*|identifying information\b.*|more information\b.*|"
    r"as a result of (?:today|these|this)\b.*)$",
    re.I,
)
_ID = re.compile(r"/press-releases/([\w-]+)")
_NUMBERS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty"
)
_NUMBER = {w: i for i, w in enumerate(_NUMBERS.split())}
_ANNOUNCED = re.compile(
    r"\b(\d+|"
    + "|".join(_NUMBER)
    + r")\s+(?:other\s+)?(?:[A-Z]\w+\s+)?(individuals|entities|persons)\b"
)


_PAST = re.compile(r"^(?:On|In|Since)\s[^.]{0,25}?\b\d{4}\b")


@dataclass(frozen=True)
class PressRelease:
    release_id: str | None
    """The release's number on the site ("sb0211"), from the article's ``about`` path."""
    url: str | None
    """The page's own address (canonical link or og:url), where the saved copy has it."""
    title: str | None
    date: date
    designees: tuple[Designee, ...]
    blocks: tuple[Block, ...] = ()
    """The body's headings, paragraphs and bullet lines, in page order."""
    skipped: frozenset[int] = frozenset()
    """The blocks that are no designee's text (quotes, boilerplate)."""
    problems: tuple[str, ...] = ()
    """What the reader could not read, said plainly: no designee found, fewer designees
    found than announced, a designee without an authority. The release is read anyway."""


def _root(path: Path) -> lxml.html.HtmlElement:
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ReaderError(path, f"cannot be read: {error.strerror or error}") from error
    if not raw.strip():
        raise ReaderError(path, "the file is empty")
    text = decode(raw)
    if "<article" not in text:
        raise ReaderError(path, "no <article> element: not a Treasury press release")
    whole_page = re.search(r"<html\b", text[:2000], re.I) is not None
    closed = (
        "</html>" in text[-2000:].lower() if whole_page else text.rstrip().endswith("</article>")
    )
    if not closed:
        end = "</html>" if whole_page else "</article>"
        raise ReaderError(path, f"the file does not end with {end}: truncated or mangled HTML")
    try:
        return lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as error:
        raise ReaderError(path, f"not readable as HTML: {error}") from error


def _article(root: lxml.html.HtmlElement, path: Path) -> lxml.html.HtmlElement:
    for article in root.iter("article"):
        if _ID.search(article.get("about", "")) or article.find_class(
            "field--name-field-news-body"
        ):
            return article
    raise ReaderError(path, "no press-release article (no news body): not a Treasury press release")


def _date(article: lxml.html.HtmlElement, path: Path) -> date:
    fields = article.find_class("field--name-field-news-publication-date")
    times = (fields[0] if fields else article).xpath(".//time[@datetime]")
    if not times:
        raise ReaderError(path, "no publication date (<time datetime>) in the article")
    stamp = times[0].get("datetime", "")
    try:
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError as error:
        raise ReaderError(path, f"bad publication date {stamp!r}") from error
    return moment.astimezone(_EASTERN).date() if moment.tzinfo else moment.date()


def _meta(root: lxml.html.HtmlElement, xpath: str) -> str | None:
    found = root.xpath(xpath)
    return clean(str(found[0])) or None if found else None


def _blocks(body: lxml.html.HtmlElement) -> list[Block]:
    """Headings, paragraphs and bullet lines of the body, in page order."""
    blocks: list[Block] = []
    heading: str | None = None
    for element in body.iter(*_HEADINGS, "p", "li"):
        if any(a.tag in ("p", "li") for a in element.iterancestors()):
            continue
        if element.tag in _HEADINGS:
            heading = clean(element.text_content())
            if heading:
                blocks.append(Block("heading", heading, heading))
            continue
        for br in element.iter("br"):
            br.tail = "\n" + (br.tail or "")
        # Stray markdown bold ("(** Samsonenko**)") is no part of the words.
        text = element.text_content().replace("**", "")
        lines = [clean(line) for line in text.split("\n")]
        lines = [line for line in lines if line]
        if element.tag == "li" or (len(lines) > 1 and all(line[0] in "•·-–*" for line in lines)):
            blocks += [Block("item", line, heading) for line in lines]
        elif lines:
            blocks.append(Block("paragraph", " ".join(lines), heading))
    return blocks


def _skipped(blocks: list[Block]) -> set[int]:
    """Quotes, link lines and the sections of boilerplate: no designee's text."""
    skip = set()
    for index, block in enumerate(blocks):
        heading = block.heading or ""
        if _BOILERPLATE_HEADING.match(heading) or (
            block.kind == "paragraph"
            and (_QUOTE.search(block.text) or _LINK_LINE.match(block.text))
        ):
            skip.add(index)
    return skip


def _announced(blocks: list[Block]) -> int:
    """How many individuals and entities the release says it designates, where it says."""
    total = 0
    for block in blocks[:6]:
        for sentence in re.split(r"(?<=\.)\s+", block.text):
            if _PAST.match(sentence):  # "On August 9, 2017, OFAC designated eight …"
                continue
            if re.search(r"\b(?:designat|sanction)\w*", sentence) and "removed" not in sentence:
                for number, _ in _ANNOUNCED.findall(sentence):
                    total += int(number) if number.isdigit() else _NUMBER[number]
    return total


def read(path: Path) -> PressRelease:
    """A press release and its designees. Raises :class:`ReaderError` for an empty file,
    a page that is not a press release or mangled HTML. A release in which no designee is
    found (guidance, a settlement, a removal) is read, with that said in ``problems``."""
    root = _root(path)
    article = _article(root, path)
    bodies = article.find_class("field--name-field-news-body")
    if not bodies:
        raise ReaderError(path, "the article has no body text")
    blocks = _blocks(bodies[0])
    skipped = _skipped(blocks)
    designees = find_designees(blocks, skipped)
    problems = [] if designees else ["no designee found: the release designates no one by name"]
    if (announced := _announced(blocks)) > len(designees):
        problems.append(f"the release announces {announced} designations, {len(designees)} found")
    problems += [f"no authority found for {d.name!r}" for d in designees if d.authority is None]
    about = _ID.search(article.get("about", ""))
    return PressRelease(
        release_id=about.group(1) if about else None,
        url=_meta(root, "//link[@rel='canonical']/@href")
        or _meta(root, "//meta[@property='og:url']/@content"),
        title=_meta(root, "//meta[@property='og:title']/@content"),
        date=_date(article, path),
        designees=tuple(designees),
        blocks=tuple(blocks),
        skipped=frozenset(skipped),
        problems=tuple(problems),
    )
