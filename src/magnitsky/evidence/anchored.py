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

from magnitsky.evidence.designee import Designee, authority_in, program_authority
from magnitsky.evidence.linking import stopwords, tokens
from magnitsky.evidence.mentions import Block, is_past_designation
from magnitsky.evidence.names import fold
from magnitsky.evidence.text import sentences
from magnitsky.listing import Listing

_VERB = re.compile(r"\b(?:designat|sanction|identif|target)\w*", re.I)
_NOW = re.compile(
    r"\btoday\b|\b(?:designating|sanctioning|identifying)\b|"
    r"\b(?:is|are|was|were)(?: also)?(?: being)? (?:designated|sanctioned|identified)\b"
    r"(?! (?:in|on|by|as part)\b)"
)


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


def _holds(
    listing: Listing,
    designee: Designee,
    theirs: Names | None = None,
    marks: tuple[set[frozenset[str]], Names] | None = None,
) -> bool:
    """The entry's name or an alias holds every telling word of one of the designee's
    names ("99th Light Infantry Division" in 99TH LIGHT INFANTRY DIVISION OF THE BURMESE
    ARMY), or they are the same name. ``theirs``: the entry's :func:`_names`, and
    ``marks``: the designee's :func:`_marks`, if known."""
    theirs = _names(listing) if theirs is None else theirs
    words, own = _marks(designee) if marks is None else marks
    return any(mine <= t for mine in words for t in theirs if len(mine) > 1) or any(
        name in theirs for name in own
    )


def _marks(designee: Designee) -> tuple[set[frozenset[str]], Names]:
    """The designee's telling words per name, and the words of each name."""
    return _words(designee), [frozenset(tokens(a)) for a in designee.names()]


Names = list[frozenset[str]]


def _names(listing: Listing) -> Names:
    """The words of the entry's name and of each alias."""
    return [frozenset(tokens(n)) for n in (listing.name, *listing.aliases)]


def _authority(listing: Listing, sentences_: Sequence[str]) -> tuple[str | None, str | None]:
    for sentence in sentences_:
        if found := authority_in(sentence):
            return found
    for tag in listing.programs:
        if authority := program_authority(tag):
            return authority, tag
    return None, listing.programs[0] if listing.programs else None


def _as_written(forms: Sequence[str], text: str) -> str | None:
    """The first of ``forms`` as the text writes it ("Samer Foz" for "Samer FOZ")."""
    for form in sorted(forms, key=len, reverse=True):
        words = [re.escape(w) for w in form.split()]
        pattern = r"(?<![\w-])" + r"\s+".join(words) + r"(?![\w-])"
        if len(words) > 1 and (found := re.search(pattern, text, re.I)):
            return found.group(0)
    return None


def _may_name(forms: Sequence[str], folded: str) -> bool:
    """Whether a folded text holds every word of one of the names of two words or more
    (what :func:`_pattern` finds, less the word boundaries): most entries of a day's
    action are not in its release, and this spares compiling their pattern."""
    return any(
        len(words) > 1 and all(w in folded for w in words)
        for words in (fold(f).split() for f in forms)
    )


def _found_in_text(
    listing: Listing, blocks: Sequence[Block], skip: set[int], folded: str | None = None
) -> Designee | None:
    """A designee read from the passages that name the entry, where the prose reader
    found none: names in prose order, two words at least. ``folded``: the blocks that
    may name it, folded and joined (to pass over an entry they cannot name)."""
    forms = [f for n in (listing.name, *listing.aliases) for f in prose_forms(n)]
    if folded is not None and not _may_name(forms, folded):
        return None
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
    if not any(_NOW.search(s) and not is_past_designation(s) for s in said):
        # Named, but not as designated by this action: "previously designated X", "six
        # vessels as blocked property of PdVSA" (an entry new in a snapshot months
        # later was not necessarily designated on the release's day).
        return None
    written = _as_written(forms, blocks[named[0]].text) or prose_forms(listing.name)[0]
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


def _same(listing: Listing, designee: Designee) -> bool:
    theirs = {tokens(n) for n in (listing.name, *listing.aliases)}
    return any(tokens(n) in theirs for n in designee.names())


def _attach(designee: Designee, listing: Listing) -> Designee:
    authority, program = designee.authority, designee.program
    if authority is None:
        authority, program = _authority(listing, designee.basis_sentences)
    return replace(designee, listing=listing, authority=authority, program=program)


def anchor(
    designees: Sequence[Designee],
    known: Sequence[Listing],
    blocks: Sequence[Block] = (),
    skip: set[int] | frozenset[int] = frozenset(),
) -> tuple[list[Designee], list[str]]:
    """The release's designees with the known entries of its action attached: each
    designee to the one entry that holds its name (the same name first), and each entry
    no designee took to a designee read from the passages that name it. Entries the text
    does not name are left out (a snapshot's new entries are the actions of many days).
    Also what could not be decided, said plainly."""
    out = list(designees)
    problems: list[str] = []
    used: set[int] = set()
    # Each entry's and each designee's words once, not once per pair.
    entry_names = [_names(listing) for listing in known]
    marks: dict[int, tuple[set[frozenset[str]], Names]] = {}

    def holds(j: int, designee: Designee) -> bool:
        found = marks.get(id(designee))
        if found is None:
            found = marks[id(designee)] = _marks(designee)
        return _holds(known[j], designee, entry_names[j], found)

    for i, designee in enumerate(designees):
        if designee.listing is not None:
            continue
        held = [j for j in range(len(known)) if j not in used and holds(j, designee)]
        same = [j for j in held if _same(known[j], designee)]
        chosen = same if same else held
        if len(chosen) == 1:
            out[i] = _attach(designee, known[chosen[0]])
            used.add(chosen[0])
        elif chosen:
            names = "; ".join(known[j].name for j in chosen)
            problems.append(f"{designee.name!r} may be any of these entries: {names}")
    folded = "\n".join(
        fold(b.text) for i, b in enumerate(blocks) if i not in skip and b.kind != "heading"
    )
    for j, listing in enumerate(known):
        if j in used or not blocks:
            continue
        if any(holds(j, d) for d in out):
            continue  # a designee holds it, but which entry it is was not certain
        if (found := _found_in_text(listing, blocks, set(skip), folded)) is not None:
            out.append(found)
    return out, problems
