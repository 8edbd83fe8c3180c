"""One SDN entry in OFAC's text form, as the change archives and Recent Actions pages print it.

``CARTES JARA, Horacio Manuel (a.k.a. CARTES, Horacio), Paraguay; DOB 05 Jul 1956; …;
National ID No. 492599 (Paraguay) (individual) [GLOMAG] (Linked To: X).``

The layout is: name, an optional ``(a.k.a. …)`` group, addresses, ``;``-separated
clauses (the same clauses as the remarks of ``sdn.csv``), the type ``(individual)``,
``(vessel)`` or ``(aircraft)`` (none for entities), the program tags and any
``(Linked To: …)`` groups, then a full stop. A change is written ``OLD. -to- NEW.``

The text form carries no entry number, and every alias of an entry is also printed as an
entry of its own (``AGEEVA, Irina`` and ``AGEYEVA, Irina`` are one person).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from itertools import takewhile

from magnitsky.actions import Action, DatedAction
from magnitsky.listing import Listing, Schema
from magnitsky.readers.ofac_remarks import parse_remarks, split_clauses

SOURCE = "us-ofac-sdn"
_TYPES: dict[str, Schema] = {"individual": "Person", "vessel": "Vessel", "aircraft": "Airplane"}

_LINKED_GROUP = r"\(Linked To: (?:[^()]|\([^()]*\))*\)"
# The end of an entry: program tags, any Linked To groups, a full stop.
# OFAC once printed an emptied Linked To group as "[SDGT] ()." (sdnnew23, 06/29/23).
_ENTRY_END = re.compile(r"\[[^\[\]]+\](?:\s*(?:" + _LINKED_GROUP + r"|\(\)))*\s*\.$")
# A full stop after "]" or ")" that is not followed by "-to-": a candidate end of entry.
_CUT = re.compile(r"[\])]\.(?=\s+(?!-to-)\S)")
_CHANGE = re.compile(r"(?<=[\])]\.)\s+-to-\s+")
_LINKED_TAIL = re.compile(r"\s*\((?:Linked To: ((?:[^()]|\([^()]*\))*))?\)$")
_TAGS_TAIL = re.compile(r"(?:\s*\[[^\[\]]+\])+$")
_TYPE_TAIL = re.compile(r"\s*\((individual|vessel|aircraft)\)$")
_ALIAS_GROUP = re.compile(r"\s*\((?:a\.k\.a\.|f\.k\.a\.|n\.k\.a\.)\s", re.I)
_CALL_SIGN = re.compile(r"^\s*\(([A-Z0-9][A-Z0-9 \-]*)\)")  # "(3E2177)", "(5IM 592)"
# Clauses that carry a label are remarks, never addresses.
_LABELLED = re.compile(
    r"^(?:alt\. )?(?:DOB|POB|nationality|citizen|Gender|Title|Website|Email|Phone|Telephone|"
    r"Fax|Passport|Diplomatic Passport|National ID|Tax ID|Additional Sanctions|Secondary "
    r"sanctions|Organization|Registration|Identification|Vessel|Aircraft|Digital Currency|"
    r"Executive Order|Cedula|C\.U\.R\.P\.|RFC|Company Number|Business Registration|Linked "
    r"To|Target Type|Transactions Prohibited|Effective Date|Listing Date|IFCA|CAATSA)\b",
    re.I,
)
# OFAC addresses end with the country: "…, Moscow 115054, Russia", "Congo, Democratic
# Republic of the", "Syria". The end of a remark clause has digits or a ")" instead.
_COUNTRY_WORD = r"(?:[A-Z][A-Za-z'.\-]*|of|the|and|d'[A-Z][a-z]+|d|da|de|du|del|la|le|y|et)"
_COUNTRY_TAIL = re.compile(r"(?:^|,\s)" + _COUNTRY_WORD + r"(?:\s" + _COUNTRY_WORD + r"){0,5}$")
# Upper-case words that start a vessel type ("LPG Tanker") rather than end a name.
_TYPE_ACRONYMS = ("LPG", "LNG", "CNG")


class EntryError(ValueError):
    """The text is not an SDN entry (no program tag, no name, …)."""


def join_wrapped(lines: Iterable[str]) -> str:
    """Join the lines of a wrapped paragraph into one line.

    OFAC wraps at spaces and right after hyphens (``[RUSSIA-`` / ``EO14024]``,
    ``'Abd-al-`` / ``Hamid``) without adding a hyphen of its own, so a line ending in a
    hyphen joins the next without a space. ``-to-`` is the exception: it is a word of its
    own, and can itself be broken after its first hyphen (``]. -`` / ``to- NEW``).
    """
    parts: list[str] = []
    for raw in lines:
        line = " ".join(raw.split())
        if not line:
            continue
        last = parts[-1] if parts else ""
        glued = last.endswith("-") and not last.endswith((" -", " -to-"))
        if glued or (last.endswith(" -") and line.startswith("to- ")):
            parts[-1] = last + line
        else:
            parts.append(line)
    return " ".join(parts)


def split_entries(text: str) -> tuple[list[str], str]:
    """Cut one line of text into entries; return them and any unterminated rest.

    An entry ends with its tags (and Linked To groups) and a full stop; the next one
    starts right after, unless ``-to-`` follows (the old form of a change).
    """
    entries: list[str] = []
    start = 0
    for cut in _CUT.finditer(text):
        end = cut.end()
        # Look back a bounded stretch: tags and Linked To groups are never that long.
        if _ENTRY_END.search(text, max(start, end - 3000), end):
            entries.append(text[start:end].strip())
            start = end
    rest = text[start:].strip()
    if rest and _ENTRY_END.search(rest, max(0, len(rest) - 3000)):
        entries.append(rest)
        rest = ""
    return entries, rest


def split_change(text: str) -> tuple[str, str]:
    """``OLD. -to- NEW.`` -> (OLD, NEW). Raises :class:`EntryError` unless exactly one."""
    parts = _CHANGE.split(text)
    if len(parts) != 2:
        raise EntryError(f"a change needs exactly one '-to-', found {len(parts) - 1}")
    return parts[0].strip(), parts[1].strip()


def _strip_quotes(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1].strip()
    return value


def _closing_paren(text: str, opening: int) -> int:
    depth = 0
    for i in range(opening, len(text)):
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            depth -= 1
            if depth == 0:
                return i
    raise EntryError(f"unbalanced parenthesis in {text[opening : opening + 60]!r}")


def _split_tail(text: str) -> tuple[str, str | None, tuple[str, ...], tuple[str, ...]]:
    """Peel ``(type) [TAGS] (Linked To: …).`` off the end: (head, type, tags, linked)."""
    body = text.strip().rstrip(".").rstrip()
    linked: list[str] = []
    while m := _LINKED_TAIL.search(body):
        if m.group(1):
            # Kept as written: "S.A. DE C.V." keeps its last full stop here.
            linked[:0] = [x.strip() for x in re.split(r";\s*Linked To:", m.group(1))]
        body = body[: m.start()]
    tags_match = _TAGS_TAIL.search(body)
    if not tags_match:
        raise EntryError("no program tag such as [GLOMAG] at the end")
    # A tag broken after its hyphen may reach us as "RUSSIA- EO14024" from a plain join;
    # "CAATSA - RUSSIA" is a real tag with spaced hyphen and stays as it is.
    tags = tuple(
        re.sub(r"(?<=\S)-\s+", "-", t.strip()) for t in re.findall(r"\[([^\]]+)\]", tags_match[0])
    )
    body = body[: tags_match.start()]
    kind = None
    if m := _TYPE_TAIL.search(body):
        kind = m.group(1)
        body = body[: m.start()]
    return body.strip(), kind, tags, tuple(linked)


def _is_name_part(part: str) -> bool:
    """Entity names are upper case without digits after the first comma (``SILOVYE
    MASHINY, PAO``); the address after them is not (``Rua …``, ``98``, ``5/F``, ``B25``)."""
    return part[:1].isupper() and not any(c.islower() or c.isdigit() for c in part)


def _plain_name(first_clause: str, schema: Schema) -> str:
    """The name when no a.k.a. group marks its end."""
    parts = first_clause.split(", ")
    if schema == "Person":
        return ", ".join(parts[:2])  # SURNAME, Given names
    if schema == "Vessel":
        # "H. CONSTANCE (3E2177) Crude Oil Tanker Panama flag": the name stops at the call
        # sign, or else at the first word in lower case (the vessel type).
        if " (" in first_clause:
            return first_clause.split(" (", 1)[0]
        words = list(takewhile(lambda w: not any(c.islower() for c in w), first_clause.split()))
        if len(words) > 1 and words[-1] in _TYPE_ACRONYMS:
            words.pop()  # "DOLPHIN LPG Tanker": LPG belongs to the vessel type
        return " ".join(words) or first_clause
    if schema == "Airplane":
        return first_clause
    return ", ".join([parts[0], *takewhile(_is_name_part, parts[1:])])


def _split_head(head: str, schema: Schema) -> tuple[str, str, str]:
    """(name, a.k.a. group text, rest) of the text before the type and tags."""
    first_clause = split_clauses(head)[0] if head else ""
    alias = _ALIAS_GROUP.search(first_clause)
    if alias:
        opening = alias.start() + alias.group(0).index("(")
        closing = _closing_paren(head, opening)
        return head[: alias.start()], head[opening + 1 : closing], head[closing + 1 :]
    name = _plain_name(first_clause, schema)
    return name, "", head[len(name) :]


def _addresses(clauses: list[str], after_comma: bool) -> list[str]:
    """The leading clauses that are addresses. They follow the name after a comma
    (``NAME, Asuncion, Paraguay; DOB …``) and end in a country; the first labelled clause
    (``DOB …``, ``Organization Type: …``) ends them."""
    if not after_comma:
        return []
    found: list[str] = []
    for clause in clauses:
        if _LABELLED.match(clause) or not _COUNTRY_TAIL.search(clause):
            break
        found.append(clause)
    return found


def parse_entry(text: str) -> Listing:
    """One entry (not a change) in OFAC's text form. Raises :class:`EntryError`."""
    head, kind, tags, linked = _split_tail(text)
    schema = _TYPES.get(kind or "", "Organization")
    name, alias_text, rest = _split_head(head, schema)
    name = _strip_quotes(name.strip().rstrip(","))
    if not name:
        raise EntryError("no name before the first clause")
    extra: list[tuple[str, str]] = []
    if schema == "Vessel" and (sign := _CALL_SIGN.match(rest)):
        extra.append(("call_sign", sign.group(1)))
        rest = rest[sign.end() :]
    after_comma = rest.lstrip().startswith(",")
    remarks_text = rest.strip().lstrip(",;").strip()
    clauses = split_clauses(remarks_text)
    addresses = _addresses(clauses, after_comma) if schema in ("Person", "Organization") else []
    remarks = parse_remarks("; ".join(clauses[len(addresses) :]))
    return Listing(
        source=SOURCE,
        source_id="",
        name=name,
        schema=schema,
        programs=tags,
        aliases=tuple(parse_remarks(alias_text).aliases),
        birth_dates=tuple(remarks.birth_dates),
        nationalities=tuple(remarks.nationalities),
        countries=tuple(remarks.countries),
        addresses=tuple(addresses),
        identifiers=tuple(remarks.identifiers),
        linked_to=tuple(dict.fromkeys(linked + tuple(remarks.linked_to))),
        remarks=remarks_text or None,
        extra=tuple(extra),
    )


# Headings and actions: shared by the change archive and the Recent Actions readers.


@dataclass(frozen=True)
class Heading:
    """What a heading says about the entries under it."""

    text: str
    action: Action
    follows_change: bool = False


def classify_heading(text: str) -> Heading | None:
    """The action a heading announces, or None for a heading this reader does not know.

    Shared with the Recent Actions reader, whose headings are worded differently
    ("The following deletions have been made", "Unrelated Administrative List Changes").
    """
    low = text.lower()
    if low.startswith("resulting in"):
        if "removal" in low:
            return Heading(text, "removed", follows_change=True)
        if " new " in low:
            return Heading(text, "added", follows_change=True)
        return None
    if re.search(r"\b(?:removed|removals?|deleted|deletions?|delisted)\b", low):
        return Heading(text, "removed")
    if re.search(r"\b(?:added|additions?)\b", low):
        return Heading(text, "added")
    if re.search(r"\b(?:changed|changes?|updated|updates?|amended|amendments?)\b", low):
        return Heading(text, "changed")
    return None


def make_action(
    entry: str, heading: Heading, when: date, source: str, document: str
) -> DatedAction:
    """The action for one entry under a heading. Raises :class:`EntryError`."""
    extra = [("heading", heading.text)]
    if heading.follows_change:
        extra.append(("follows_change", "true"))
    if heading.action == "changed":
        old_text, new_text = split_change(entry)
        old = parse_entry(old_text)
        listing = parse_entry(new_text)
        extra += [("previous_name", old.name), ("previous_programs", " ".join(old.programs))]
    elif " -to- " in entry:
        raise EntryError("'-to-' in an entry under a heading that is not about changes")
    else:
        listing = parse_entry(entry)
    listing = replace(listing, extra=listing.extra + tuple(extra))
    return DatedAction(
        source=source,
        document=document,
        action_date=when,
        action=heading.action,
        programs=listing.programs,
        listing=listing,
        text=entry,
    )
