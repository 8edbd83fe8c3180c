"""The reading turned around: the list says who, the text says why.

The entries an action designated are known from the lists (a change archive or a Recent
Actions page of the release's day, the entries new in the first snapshot after it). For
each, find where the release names it (its names and aliases in the order prose writes
them, a designee the prose reader found whose words the entry's name holds, the
abbreviations the text declares) and read the basis and facts from the sentences about
it. The prose reader's own designees stay as a fallback for designees no list holds.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from magnitsky.evidence.designee import Designee, authority_in
from magnitsky.evidence.linking import stopwords, tokens
from magnitsky.evidence.mentions import Block, is_past_designation
from magnitsky.evidence.names import fold
from magnitsky.evidence.text import sentences
from magnitsky.listing import Listing

_VERB = re.compile(r"\b(?:designat|sanction|identif|target)\w*", re.I)
# The authority an entry's OFAC program tag stands for, where the release does not say.
_PROGRAM_AUTHORITY = {"GLOMAG": "E.O. 13818", "SDNTK": "Kingpin Act"}


def prose_forms(name: str) -> list[str]:
    """How prose writes a list name: "DE MORAES, Alexandre" -> "Alexandre DE MORAES"."""
    forms = [name]
    if name.count(",") == 1:
        last, first = (p.strip() for p in name.split(","))
        if first and last and not re.match(r"(?i)^(?:s\.|ltd|inc|llc|jr|sr|sa\b)", first):
            forms.insert(0, f"{first} {last}")
    return forms


def _pattern(forms: Sequence[str]) -> re.Pattern[str] | None:
    words = [fold(f) for f in forms if len(fold(f).split()) > 1]
    if not words:
        return None
    body = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len)[::-1])
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])")


def _words(designee: Designee) -> set[frozenset[str]]:
    return {frozenset(tokens(n)) - stopwords() for n in designee.names()} - {frozenset()}


def _holds(listing: Listing, designee: Designee) -> bool:
    """The entry's name or an alias holds every telling word of one of the designee's
    names ("99th Light Infantry Division" in 99TH LIGHT INFANTRY DIVISION OF THE BURMESE
    ARMY), or they are the same name."""
    theirs = [frozenset(tokens(n)) for n in (listing.name, *listing.aliases)]
    return any(mine <= t for mine in _words(designee) for t in theirs if len(mine) > 1) or any(
        frozenset(tokens(a)) in theirs for a in designee.names()
    )


def _authority(listing: Listing, sentences_: Sequence[str]) -> tuple[str | None, str | None]:
    for sentence in sentences_:
        if found := authority_in(sentence):
            return found
    for tag in listing.programs:
        if tag in _PROGRAM_AUTHORITY:
            return _PROGRAM_AUTHORITY[tag], tag
    return None, listing.programs[0] if listing.programs else None


def _found_in_text(listing: Listing, blocks: Sequence[Block], skip: set[int]) -> Designee | None:
    """A designee read from the passages that name the entry, where the prose reader
    found none: names in prose order, two words at least."""
    forms = [f for n in (listing.name, *listing.aliases) for f in prose_forms(n)]
    pattern = _pattern(forms)
    if pattern is None:
        return None
    named = [
        i
        for i, b in enumerate(blocks)
        if i not in skip and b.kind != "heading" and pattern.search(fold(b.text))
    ]
    if not named:
        return None
    said = [
        s.text
        for i in named
        for s in sentences(blocks[i].text)
        if pattern.search(fold(s.text)) and _VERB.search(s.text)
    ]
    if not said or all(is_past_designation(s) for s in said):
        return None  # named, but not as designated now ("previously designated X")
    first = fold(blocks[named[0]].text)
    match = pattern.search(first)
    written = prose_forms(listing.name)[0]
    if match:  # the name as the release writes it, where folding kept the length
        text = blocks[named[0]].text
        if len(fold(text)) == len(text):
            written = text[match.start() : match.end()]
    authority, program = _authority(listing, said)
    return Designee(
        name=written,
        paragraphs=tuple(blocks[i].text for i in named),
        basis_sentences=tuple(said),
        aliases=tuple(f for f in forms if f != written),
        authority=authority,
        program=program,
        listing=listing,
    )


def anchor(
    designees: Sequence[Designee],
    known: Sequence[Listing],
    blocks: Sequence[Block] = (),
    skip: set[int] | frozenset[int] = frozenset(),
) -> tuple[list[Designee], list[str]]:
    """The release's designees with the known entries of its action attached: each
    entry to the one designee it names, else to a designee read from the passages that
    name it. Entries the text does not name are left out (a snapshot's new entries are
    the actions of many days). Also what could not be decided, said plainly."""
    out = list(designees)
    problems: list[str] = []
    taken: set[int] = set()
    for listing in known:
        matches = [i for i, d in enumerate(out) if d.listing is None and _holds(listing, d)]
        if matches and all(i in taken for i in matches):
            continue  # another entry holds the same words: the first one keeps it
        matches = [i for i in matches if i not in taken]
        if len(matches) == 1:
            i = matches[0]
            designee = out[i]
            authority, program = designee.authority, designee.program
            if authority is None:
                authority, program = _authority(listing, designee.basis_sentences)
            out[i] = replace(designee, listing=listing, authority=authority, program=program)
            taken.add(i)
            continue
        if len(matches) > 1:
            names = ", ".join(out[i].name for i in matches)
            problems.append(f"entry {listing.name!r} may be any of: {names}")
            continue
        if blocks and (found := _found_in_text(listing, blocks, set(skip))) is not None:
            out.append(found)
            taken.add(len(out) - 1)
    return out, problems
