"""Who a press release designates, found in its prose.

Treasury writes designations in a few recurring shapes, each read by one finder:

- subject:  "De Moraes is being sanctioned pursuant to E.O. 13818 for being …",
            "Kudryakov and Litviniuk are designated …", "As head of …, Abdulhamit Gul is
            being designated …"
- object:   "OFAC designated Mexican magistrate judge Isidro Avelar Gutierrez pursuant to
            …", "Also designated today is Viviane Barci de Moraes (Viviane), …"
- list:     "… owned or controlled by Sandoval …: Bodecarne, S.A. de C.V. (butcher
            business), Iyari (…), …", or bullet lines after the colon
- roster:   "… other persons designated today pursuant to the Kingpin Act have …. Siblings
            Erika Gonzalez Valencia and Ulises Jovani Gonzalez Valencia have helped …"

Designations of the past ("OFAC designated Tagwirei in August 2020", "previously
designated") are skipped. Mentions of one designee (full name, declared short form
"(de Moraes)", a.k.a. "Broken Tooth", a surname) are merged into one designee, whose text
is the paragraphs that designate it, and the paragraphs that name it and designate nobody.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from magnitsky.evidence.designee import Designee, authority_in
from magnitsky.evidence.names import (
    abbreviations,
    expanded_key,
    key,
    looks_like_name,
    names_after,
    short_form,
    spelled_out,
    split_list,
    trailing_name,
    without_stop,
)
from magnitsky.evidence.text import sentences, wordset

_VERB = re.compile(r"\b(?:designat(?:ed|ing)|sanction(?:ed|ing))\b")
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
)
_DATED = re.compile(
    rf"\b(?:(?:on|in|since)\s+(?:{_MONTH}\s+)?(?:\d{{1,2}},?\s+)?\d{{4}}|{_MONTH}\s+\d{{1,2}})\b"
)
_PASSIVE_PAST = re.compile(r"\b(?:was|were|had been)(?: also)?\s+$")
_CLAUSE_END = re.compile(r",|;|\s(?:for|pursuant|because|under|as)\s")
_PASSIVE = re.compile(
    r"^(?:(?:As|In) [^,]{3,80}, |(?:Additionally|Also|Today|Separately|Finally|Further), )?"
    r"(?P<subject>.+?),? (?:is|was|are|were|has been|have been)(?: also| now)?(?: being)? "
    r"(?P<verb>designated|sanctioned)\b"
)
_NOT_A_SUBJECT = re.compile(
    r"\b(?:which|who|whose|that|was|were|is|are|has|have|had|been|led)\b", re.I
)
_ACTOR = re.compile(r"\b(?:OFAC|Treasury|Department|State)\)?(?:\s+\w+){0,2}\s*$")
_INVERTED = re.compile(r"designated today (?:is|are)\s")
_AUTHORITY_LEAD = re.compile(
    r"^\s*(?:today\s+)?(?:(?:is|are)\s+)?(?:(?:under|pursuant to)\s+(?:the\s+)?"
    r"(?:Kingpin Act|(?:Executive Order\s*(?:\(E\.O\.\)\s*)?|E\.O\.\s*)\d{5})\s+)?(?:today\s+)?"
)
_OBJECT_END = re.compile(
    r",?\s+(?:pursuant to|under|for|because|due to|in connection with|linked to|who|which|that"
    r"|in|on|to|from)\s|,\s+and\s+[a-z]+ed\s|,\s+(?:the|a|an|who|which|both|for|pursuant)\s|[:;]|\.$"
)
_ROSTER = re.compile(r"\b(?:persons|individuals|entities|people|others) designated today\b")
_LEAD_IN = re.compile(
    r"^(?:(?:Additionally|Also|Furthermore|Moreover|Separately|Finally|Siblings|Brothers|"
    r"Sisters|Spouses|Both),?\s+)+"
)
_AKA = re.compile(
    r",?\s+(?:who is\s+)?(?:also (?:commonly )?known as|a\.k\.a\.?)\s+[“\"]?([^”\",.();]+)"
)
_ITEM_END = re.compile(
    r";|\s\(|,\s(?!S\.|A\.\s?C|Jr|Inc|Ltd|LTDA|LLC|Limited)|\s(?:is|was|are|has|have|served)\s"
)
_BULLET = re.compile(r"^[•·\-–*]\s*")
_TITLES = wordset(
    "Director Deputy Chief Minister Prosecutor General First President Vice Governor "
    "Commander Head Chairman Secretary Ambassador Senator Mayor Colonel Major Judge"
)
_CATEGORY = re.compile(r"^(?:Specially Designated|Specially Designated Nationals?)\b")
_BASED = re.compile(r"^(?:[A-Z][\w.’'-]*[-\s])+(?:based|designated|sanctioned)\s+")
_NICKNAME = re.compile(r"(?<=\w)\s*[“\"]\s*([A-Z][^”\"]{0,30}?)\s*[”\"](?=\s+[A-Z])")
_DATED_BEFORE = re.compile(rf"^(?:On|In|Since)\s+(?:{_MONTH}\s+)?(?:\d{{1,2}},?\s+)?\d{{4}}\b")
_COMPLEMENT = re.compile(r"^(?:the|a|an)\s+(?:[a-z]+\s+){1,2}of\s")
_FOLLOWING = re.compile(
    r"\bfollowing\b[^:]{0,60}\b(?:designated|sanctioned|being designated|being sanctioned)\b"
)
_LEADING_NAME = re.compile(
    r"^(.{3,120}?)(?:\s+\([^()]{1,60}\))?(?:,|\s+(?:is|was|are|has|served)\s)"
)


@dataclass(frozen=True)
class Block:
    """A heading, paragraph or list item of the release body, in page order."""

    kind: str  # heading | paragraph | item
    text: str
    heading: str | None = None
    """The section heading above the block."""


@dataclass
class _Mention:
    name: str
    short: str | None
    blocks: tuple[int, ...]
    sentence: str
    lone: bool = False
    """A one-word name in running prose ("designating Vulin"): a designee only where
    the text declares it as the short form of a full name, or it ends one found."""


@dataclass
class _Group:
    names: list[str]
    aliases: list[str] = field(default_factory=list)
    blocks: set[int] = field(default_factory=set)
    sentences: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return max(self.names, key=lambda n: (len(key(n)), len(n)))


def _is_past(sentence: str, verb: re.Match[str]) -> bool:
    """A designation of before: "previously designated", "designated … in August 2020"."""
    if "previous" in sentence[max(0, verb.start() - 25) : verb.start()].lower():
        return True
    if _DATED_BEFORE.match(sentence) and "today" not in sentence[: verb.start()].lower():
        return True  # "On August 9, 2017, OFAC designated eight individuals …"
    clause = _CLAUSE_END.split(sentence[verb.end() :], maxsplit=1)[0]
    if _PASSIVE_PAST.search(sentence[: verb.start()]) and "today" not in sentence:
        clause = sentence[verb.end() :]  # "was designated by … as … in October 1997"
    return bool(_DATED.search(clause))


def _untitled(name: str) -> str:
    """A person's name without the title prose puts before it: "Director Aleksandr
    Bortnikov", "Deputy Minister of Defense Aleksey Krivoruchko" (a title with an office
    in it: the last two words, given name and surname, as such releases write them)."""
    tokens = name.split()
    if len(tokens) < 3 or tokens[0] not in _TITLES:
        return name
    if any(t in ("of", "the", "for") for t in tokens):
        return " ".join(tokens[-2:])
    while len(tokens) > 2 and tokens[0] in _TITLES:
        tokens = tokens[1:]
    return " ".join(tokens)


def is_past_designation(sentence: str) -> bool:
    """Does every designation verb of the sentence speak of an earlier action?"""
    verbs = list(_VERB.finditer(sentence))
    return bool(verbs) and all(_is_past(sentence, v) for v in verbs)


def _names(items: Sequence[str], listed: bool = False) -> list[tuple[str, str | None]]:
    """(name, short form) of each item that ends in a name; ``listed`` items (after a
    colon) are names whole, whatever their words ("Arquitectura y Diseno en Balance")."""
    found = []
    for item in items:
        head, short = short_form(item)
        head = re.sub(r"^the\s+", "", head.strip(), flags=re.I)
        head = _BASED.sub("", head)  # "Singapore-based Tan Wee Beng"
        head = _untitled(head)  # "Prosecutor General Igor Krasnov"
        if nickname := _NICKNAME.search(head):  # Nicolas “Nicolasito” Ernesto Maduro Guerra
            head = " ".join(_NICKNAME.sub(" ", head).split())
            short = short or nickname.group(1).strip()
        whole = _is_listed_name(head) if listed else looks_like_name(head)
        name = head if whole else trailing_name(head)
        if name:
            found.append((name.strip(" ,"), short))
    return found


def _subject(sentence: str) -> list[tuple[str, str | None]]:
    """Names designated as the subject: "Kudryakov and Litviniuk are designated …"."""
    match = _PASSIVE.match(sentence)
    verb = _VERB.search(sentence, match.start("verb")) if match else None
    if not match or not verb or _is_past(sentence, verb):
        return []
    subject = match.group("subject")
    if _NOT_A_SUBJECT.search(subject) or len(subject.split()) > 40:
        return []
    return _names(split_list(subject))


def _objects(sentence: str) -> list[tuple[str, str | None]]:
    """Names designated as the object: "OFAC designated … judge Isidro Avelar Gutierrez
    pursuant to …", "Also designated today is Viviane Barci de Moraes (Viviane)"."""
    found = []
    for verb in _VERB.finditer(sentence):
        before = sentence[: verb.start()]
        if not (_ACTOR.search(before) or _INVERTED.match(sentence, verb.start())):
            continue
        if _is_past(sentence, verb) or ":" in sentence[verb.end() :]:
            continue
        rest = sentence[verb.end() :]
        rest = rest[_AUTHORITY_LEAD.match(rest).end() :]  # type: ignore[union-attr]
        end = _OBJECT_END.search(rest)
        obj = rest[: end.start()] if end else rest
        if _COMPLEMENT.match(obj):  # "the son of … leader Nicolas Maduro Moros"
            continue
        # A lone surname ("OFAC is designating Vulin") is kept: the merger takes it only
        # where the text declares it as the short form of a full name.
        found += _names(split_list(obj))
    return found


def _list_after_colon(sentence: str) -> str | None:
    """The list after the colon of a designation sentence ("" when it follows as items)."""
    for verb in _VERB.finditer(sentence):
        if ":" in sentence[verb.end() :] and not _is_past(sentence, verb):
            return sentence.split(":", 1)[1].strip()
    return None


def _is_listed_name(text: str) -> bool:
    """A list entry is a name if it starts like one and is short."""
    tokens = text.split()
    return bool(tokens) and looks_like_name(tokens[0]) and len(tokens) <= 12


def _item_name(text: str) -> tuple[str, str | None] | None:
    text = _BULLET.sub("", text.strip())
    text = re.sub(r"^and\s+", "", text)
    nickname = _NICKNAME.search(text[:80])
    if nickname:
        text = " ".join((text[: nickname.start()] + " " + text[nickname.end() :]).split())
    name = without_stop(_ITEM_END.split(text, maxsplit=1)[0])
    return (
        (name, nickname.group(1).strip() if nickname else None) if _is_listed_name(name) else None
    )


def _roster(sentences_: Sequence[str]) -> list[tuple[str, str]]:
    """(name, sentence) of the persons a roster paragraph introduces one by one."""
    found = []
    for sentence in sentences_[1:]:
        names = names_after(_LEAD_IN.sub("", sentence))
        found += [(n, sentence) for n in names if len(n.split()) > 1 and looks_like_name(n)]
    return found


def _leading_name(text: str) -> tuple[str, str | None] | None:
    """The name a paragraph opens with: "Nicolas “Nicolasito” Ernesto Maduro Guerra is a
    son of …", "Luis Alfredo Motta Dominguez is the former Minister …"."""
    match = _LEADING_NAME.match(text)
    if not match:
        return None
    found = _names([match.group(1)], listed=True)
    if not found or not looks_like_name(found[0][0]) or len(found[0][0].split()) < 2:
        return None
    return found[0]


def _following(blocks: Sequence[Block], start: int, index: int, sentence: str) -> list[_Mention]:
    """The paragraphs after "The following two individuals are being designated today
    …:" that each open with a designee's name, up to the next paragraph that does not."""
    found = []
    at = start
    while at < len(blocks) and blocks[at].kind == "paragraph":
        named = _leading_name(blocks[at].text)
        if named is None:
            break
        found.append(_Mention(named[0], named[1], (index, at), blocks[at].text))
        at += 1
    return found


def _mentions(blocks: Sequence[Block], skip: set[int]) -> list[_Mention]:
    mentions: list[_Mention] = []
    for index, block in enumerate(blocks):
        if index in skip or block.kind == "heading":
            continue
        spans = [s.text for s in sentences(block.text)]
        for sentence in spans:
            for name, short in _subject(sentence):
                mentions.append(_Mention(name, short, (index,), sentence))
            for name, short in _objects(sentence):
                lone = len(name.split()) == 1 and not short
                mentions.append(_Mention(name, short, (index,), sentence, lone))
            listed = _list_after_colon(sentence)
            if listed:
                for name, short in _names(split_list(listed), listed=True):
                    mentions.append(_Mention(name, short, (index,), sentence))
            elif listed == "":
                following = index + 1
                while following < len(blocks) and blocks[following].kind == "item":
                    if named := _item_name(blocks[following].text):
                        mentions.append(_Mention(*named, (index, following), sentence))
                    following += 1
                if _FOLLOWING.search(sentence):
                    mentions += _following(blocks, following, index, sentence)
        if spans and _ROSTER.search(spans[0]):
            for name, sentence in _roster(spans):
                mentions.append(_Mention(name, None, (index,), f"{spans[0]} {sentence}"))
    return mentions


def _declared(blocks: Sequence[Block]) -> tuple[dict[tuple[str, ...], str], dict[str, list[str]]]:
    """Short forms the text declares ("Harry … Sherman (Sherman)") and a.k.a. names."""
    shorts: dict[tuple[str, ...], str] = {}
    akas: dict[str, list[str]] = {}
    for block in blocks:
        for match in re.finditer(r"\(([^()]{1,40})\)", block.text):
            head = " ".join(block.text[: match.start()].split()[-10:])
            # 'Miodrag “Daka” Davidovic (Davidovic)': the nickname is no part of the name.
            nickname = _NICKNAME.search(head)
            full = trailing_name(_NICKNAME.sub(" ", head), objects=True)
            short = match.group(1).strip()
            if full and (looks_like_name(short) or short.isupper()) and key(short) != key(full):
                shorts.setdefault(key(short), full)
                if nickname and full.endswith(head[nickname.end() :].strip()):
                    akas.setdefault(" ".join(key(full)), []).append(nickname.group(1).strip())
        for match in _AKA.finditer(block.text):
            full = trailing_name(" ".join(block.text[: match.start()].split()[-10:]))
            if full:
                alias = match.group(1).strip(" ,.")
                akas.setdefault(" ".join(key(full)), []).append(alias)
                shorts.setdefault(key(alias), full)
    return shorts, akas


class _Merger:
    def __init__(self, blocks: Sequence[Block]) -> None:
        self.acronyms = abbreviations(" ".join(b.text for b in blocks))
        self.shorts, self.akas = _declared(blocks)
        self.groups: list[_Group] = []

    def akas_of(self, group: _Group) -> list[str]:
        """The a.k.a. names the text gives for one of the group's names or surnames."""
        keys = [key(n) for n in group.names]
        return [
            alias
            for full, aliases in self.akas.items()
            if any(tuple(full.split()) == k or _suffix(tuple(full.split()), k) for k in keys)
            for alias in aliases
        ]

    def resolves(self, name: str) -> bool:
        """A one-word name the text declares as a short form, or that ends a name found."""
        return key(name) in self.shorts or self._find([name]) is not None

    def _key(self, name: str) -> tuple[str, ...]:
        return expanded_key(name, self.acronyms)

    def _find(self, names: Sequence[str]) -> _Group | None:
        keys = [self._key(n) for n in names]
        for group in self.groups:
            if any(self._key(n) in keys for n in group.names):
                return group
        near = [
            g
            for g in self.groups
            if any(
                _suffix(k, self._key(n)) or _suffix(self._key(n), k) for k in keys for n in g.names
            )
        ]
        return near[0] if len(near) == 1 else None

    def add(self, mention: _Mention) -> None:
        names = [mention.name]
        if full := self.shorts.get(key(mention.name)):
            names.insert(0, full)
        group = self._find(names)
        if group is None:
            group = _Group(names=[])
            self.groups.append(group)
        group.names += [n for n in names if n not in group.names]
        short = mention.short
        if short and self.acronyms.get(short.lower()) is None and short not in group.aliases:
            group.aliases.append(short)
        group.blocks.update(mention.blocks)
        if mention.sentence not in group.sentences:
            group.sentences.append(mention.sentence)


def _suffix(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    return 0 < len(short) < len(long) and long[-len(short) :] == short


def _mentioned(group: _Group, text: str) -> bool:
    forms = sorted({*group.names, *group.aliases}, key=len, reverse=True)
    pattern = "|".join(re.escape(f) for f in forms)
    return bool(re.search(rf"(?<![\w-])(?:{pattern})(?![\w-])", text, re.I))


Authority = tuple[str, str | None]


def _authority(
    group: _Group, blocks: Sequence[Block], fallback: Authority | None
) -> Authority | None:
    for sentence in group.sentences:
        if found := authority_in(sentence):
            return found
    first = min(group.blocks)
    heading = blocks[first].heading
    return (authority_in(heading) if heading else None) or fallback


def _release_authority(blocks: Sequence[Block], skip: set[int]) -> Authority | None:
    """The one authority the release acts under, when it names only one ("Today's actions
    are taken pursuant to Executive Order (E.O.) 13818")."""
    found = {
        a
        for i, b in enumerate(blocks)
        if i not in skip
        for s in sentences(b.text)
        if "pursuant to" in s.text and (a := authority_in(s.text))
    }
    return next(iter(found)) if len(found) == 1 else None


def _about(group: _Group, blocks: Sequence[Block], free: set[int]) -> set[int]:
    """The blocks that designate nobody and name the designee, or stand in a section
    whose heading names it ("RAYAN AL-KILDANI")."""
    return {
        i
        for i in free
        if _mentioned(group, blocks[i].text) or _mentioned(group, blocks[i].heading or "")
    }


def find_designees(blocks: Sequence[Block], skip: set[int]) -> list[Designee]:
    """The designees of a release body; ``skip`` holds the blocks that are no part of any
    designee's text (quotes, boilerplate)."""
    merger = _Merger(blocks)
    mentions = _mentions(blocks, skip)
    for mention in mentions:
        if not mention.lone:
            merger.add(mention)
    for mention in mentions:
        if mention.lone and merger.resolves(mention.name):
            merger.add(mention)
    designating = {i for g in merger.groups for i in g.blocks}
    free = {i for i, b in enumerate(blocks) if i not in skip | designating and b.kind != "heading"}
    fallback = _release_authority(blocks, skip)
    found = []
    for group in merger.groups:
        if _CATEGORY.match(group.name):  # "as a Specially Designated Global Terrorist"
            continue
        paragraphs = set(group.blocks) | _about(group, blocks, free)
        name = group.name
        aliases = [n for n in [*group.names, *group.aliases] if key(n) != key(name)]
        aliases += merger.akas_of(group)
        if (written_out := spelled_out(name, merger.acronyms)) and written_out not in aliases:
            aliases.append(written_out)  # as the release itself defines the acronym
        authority, program = _authority(group, blocks, fallback) or (None, None)
        found.append(
            Designee(
                name=name,
                paragraphs=tuple(blocks[i].text for i in sorted(paragraphs)),
                basis_sentences=tuple(group.sentences),
                aliases=tuple(dict.fromkeys(aliases)),
                authority=authority,
                program=program,
            )
        )
    return found
