"""The State Department's yearly "Global Magnitsky Human Rights Accountability Act Annual
Report", as the Federal Register prints it (a State "Public Notice"; govinfo text form).

The layout (FR Doc 2020-29015, 2024-03532): the bracketed header (``[Federal Register
Volume 89, Number 37 (Friday, February 23, 2024)]``, ``[FR Doc No: 2024-03532]``),
DEPARTMENT OF STATE, ``[Public Notice: 12335]``, the title, SUMMARY, SUPPLEMENTARY
INFORMATION ("On January 25, 2024, the Under Secretary … approved the following report"),
then the report: the year ("implementation of the Act in the 2023 reporting period" or
"… in 2020"), and paragraphs telling each action of the year ("On December 8, 2023,
Treasury designated …"), grouped under headings such as "Serious Human Rights Abuse" and
"Corruption".

No real copy was at hand when this reader was written: it is tested on a fixture written
after that layout (``tests/fixtures/texts/state_gloma_report_2023.txt``). It reads the
year, every dated action sentence with its paragraph and the heading above it, and the
designees each action paragraph names (found as in a press release, by
:func:`magnitsky.evidence.mentions.find_designees`), each dated by its action's sentence:
what the report says each did is read into facts like a press release's.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from magnitsky.evidence.designee import Designee
from magnitsky.evidence.mentions import Block, find_designees
from magnitsky.listing import ReaderError
from magnitsky.readers.ofac_csv import decode

SOURCE = "us-state-gloma-report"
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_DATE = rf"((?:{_MONTHS}) \d{{1,2}}, \d{{4}})"
_TITLE = re.compile(r"^Global Magnitsky Human Rights Accountability Act (?:Annual )?Report$")
_PUBLISHED = re.compile(rf"\[Federal Register Volume \d+, Number \d+ \(\w+, {_DATE}\)\]")
_DOCUMENT = re.compile(r"\[FR Doc(?:\.| No:)\s*([\d-]+)")
_YEAR = re.compile(r"implementation of the Act in (?:the )?(\d{4})(?: reporting period)?")
_ACTION = re.compile(rf"\bOn {_DATE}, (?:the )?(?:Department of the )?(?:Treasury|OFAC|State)\b")
_SENTENCE_END = re.compile(r"(?<=[a-z0-9)'\"]\.)\s+(?=[A-Z])")
_END = re.compile(r"^(?:\[FR Doc|BILLING CODE)")


@dataclass(frozen=True)
class Designation:
    action_date: date
    sentence: str
    """The sentence that tells the action."""
    paragraph: str
    heading: str | None
    """The heading above it ("Serious Human Rights Abuse", "Corruption")."""


@dataclass(frozen=True)
class Report:
    year: int
    published: date
    """The issue of the Federal Register it appeared in."""
    document: str | None
    designations: tuple[Designation, ...]
    designees: tuple[Designee, ...] = ()
    """Who the action paragraphs name, each with its action's date; E.O. 13818 unless the
    paragraph names another order."""


def _day(text: str) -> date:
    return datetime.strptime(text, "%B %d, %Y").date()


def _paragraphs(text: str) -> list[str]:
    """Blank-line separated blocks; in the text form a new paragraph also starts with an
    indented line."""
    out: list[str] = []
    for block in re.split(r"\n\s*\n", text):
        current: list[str] = []
        for line in block.split("\n"):
            if line.startswith("    ") and current:
                out.append(" ".join(current))
                current = []
            if line.strip():
                current.append(line.strip())
        if current:
            out.append(" ".join(current))
    return [" ".join(p.replace("``", '"').replace("''", '"').split()) for p in out]


def read(path: Path) -> Report:
    """The report's year and its dated actions. Raises :class:`ReaderError` for a text
    that is not the report, one without its year or without any dated action."""
    raw = path.read_bytes() if path.is_file() else b""
    if not raw.strip():
        raise ReaderError(path, "the file is empty")
    paragraphs = _paragraphs(decode(raw))
    if not any(_TITLE.match(p) for p in paragraphs):
        raise ReaderError(path, "no 'Global Magnitsky Human Rights Accountability Act Report'")
    whole = "\n".join(paragraphs)
    year = _YEAR.search(whole)
    if year is None:
        raise ReaderError(path, "the report does not say its year ('… of the Act in YYYY')")
    designations = []
    heading = None
    started = False
    for paragraph in paragraphs:
        if _END.match(paragraph):
            break
        if _YEAR.search(paragraph):
            started = True
        if not started:
            continue
        if len(paragraph) < 80 and not paragraph.endswith("."):
            heading = paragraph
            continue
        for sentence in _SENTENCE_END.split(paragraph):
            found = _ACTION.search(sentence)
            if found and re.search(r"\b(?:designat|sanction)", sentence):
                designations.append(Designation(_day(found.group(1)), sentence, paragraph, heading))
    if not designations:
        raise ReaderError(path, "the report tells no dated designation ('On DATE, Treasury …')")
    published = _PUBLISHED.search(whole)
    if published is None:
        raise ReaderError(path, "no Federal Register header with the date of the issue")
    document = _DOCUMENT.search(whole)
    return Report(
        int(year.group(1)),
        _day(published.group(1)),
        document.group(1) if document else None,
        tuple(designations),
        _designees(designations),
    )


def _designees(designations: list[Designation]) -> tuple[Designee, ...]:
    """The designees of each action paragraph, dated by the sentence designating them."""
    out: list[Designee] = []
    paragraphs = dict.fromkeys((d.paragraph, d.heading) for d in designations)
    for paragraph, heading in paragraphs:
        dated = [d for d in designations if d.paragraph == paragraph]
        blocks = [Block("paragraph", paragraph, heading)]
        for designee in find_designees(blocks, set()):
            when = next(
                (d.action_date for d in dated if d.sentence in designee.basis_sentences),
                dated[0].action_date,
            )
            out.append(
                dataclasses.replace(
                    designee,
                    action_date=when,
                    authority=designee.authority or "E.O. 13818",
                    program=designee.program or "GLOMAG",
                )
            )
    return tuple(out)
