"""Plain-text helpers shared by the official-text readers and the extraction rules:
whitespace, sentences with their character offsets, and whole-word patterns."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass


def wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words whose full stop does not end a sentence ("E.O. 13818", "Mnangagwa, Jr. was").
_ABBREVIATIONS = wordset(
    "e.o jr sr mr mrs ms dr st no nos co corp inc ltd gen lt col maj capt sgt gov sen "
    "rep vs e.g i.e a.k.a f.k.a n.k.a approx dept u.s u.k u.n s.a c.v r.l p.r a.c"
)
_END = re.compile(r"[.!?][\"”’)]*\s+(?=[\"“‘]?[A-Z0-9])")
_INITIAL = re.compile(r"(?:^|[\s(])(?:[A-Za-z]\.)+$")  # "A.", "U.S.", "S. de R.L."


def clean(text: str) -> str:
    """One line, single spaces (no-break spaces too), no leading or trailing space."""
    return " ".join(text.replace("\xa0", " ").split())


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str


def _ends_sentence(text: str, stop: int) -> bool:
    """Is the full stop at ``stop`` the end of a sentence, not of an abbreviation?"""
    if text[stop] != ".":
        return True
    head = text[max(0, stop - 24) : stop + 1]
    if _INITIAL.search(head):
        return False
    word = re.search(r"([\w.]+)\.$", head)
    return not (word and word.group(1).lower().strip(".") in _ABBREVIATIONS)


def sentences(text: str) -> list[Span]:
    """The sentences of a text, with their offsets in it."""
    spans: list[Span] = []
    start = 0
    for match in _END.finditer(text):
        if not _ends_sentence(text, match.start()):
            continue
        end = match.end()
        piece = text[start:end].rstrip()
        if piece.strip():
            spans.append(Span(start, start + len(piece), piece))
        start = end
    if text[start:].strip():
        spans.append(Span(start, len(text.rstrip()), text[start:].rstrip()))
    return spans


def words(patterns: Sequence[str]) -> re.Pattern[str] | None:
    """Regular expressions as whole words, any case; None for none."""
    if not patterns:
        return None
    body = "|".join(f"(?:{p})" for p in patterns)
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", re.IGNORECASE)


def masked(text: str, pattern: re.Pattern[str] | None) -> str:
    """The text with every match of ``pattern`` blanked out, offsets kept."""
    if pattern is None:
        return text
    return pattern.sub(lambda m: " " * len(m.group(0)), text)


def find_all(pattern: re.Pattern[str] | None, text: str) -> Iterator[re.Match[str]]:
    return pattern.finditer(text) if pattern is not None else iter(())
